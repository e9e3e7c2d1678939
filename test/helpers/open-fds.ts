import { readdir, readlink } from 'node:fs/promises'

/** File descriptors of this process open on `file`, or null where /proc is not available. */
export async function openFdsTo (file: string): Promise<number | null> {
  let fds: string[]
  try {
    fds = await readdir('/proc/self/fd')
  } catch {
    return null
  }
  let count = 0
  for (const fd of fds) {
    try {
      if (await readlink(`/proc/self/fd/${fd}`) === file) count++
    } catch {}
  }
  return count
}
