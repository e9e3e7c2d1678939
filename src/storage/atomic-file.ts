/**
 * Atomic replacement of a small state file (the source offsets, the stored connector configs): a temporary file beside
 * it, fsync, rename over it, fsync of the directory. A reader, or a process started after a crash, sees either the old
 * content or the new, never a torn file.
 */
import { mkdir, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { OffsetStoreError } from '../api/errors.ts'

/** Directory fsync is not supported everywhere; where it is not, the rename alone has to do. */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'EPERM', 'EBADF', 'ENOTSUP', 'EOPNOTSUPP'])

let tempCounter = 0

/** The temporary files of `target`: `<name>.tmp-<pid>-<n>`. */
function tempPattern (target: string): RegExp {
  return new RegExp(`^${basename(target).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.tmp-\\d+-\\d+$`)
}

export interface AtomicWriteOptions {
  /** What the file is, for messages: "source offsets file". */
  what: string
  /** The mode of a file created new (an existing file keeps its own). Default 0o666 less the umask. */
  newFileMode?: number
}

/** Replaces `file` (through a symlink, the file it points to) with `data`, atomically and durably. */
export async function writeFileAtomically (file: string, data: string | Uint8Array, options: AtomicWriteOptions): Promise<void> {
  const target = await realpath(file).catch(() => file)
  const dir = dirname(target)
  const tmp = `${target}.tmp-${process.pid}-${++tempCounter}`
  try {
    await mkdir(dir, { recursive: true })
    const mode = await stat(target).then(s => s.mode & 0o7777, () => null)
    const fh = await open(tmp, 'w', options.newFileMode ?? 0o666)
    try {
      if (mode !== null) await fh.chmod(mode)
      await fh.writeFile(data)
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, target)
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {})
    throw new OffsetStoreError(`Cannot write the ${options.what} '${file}': ${(err as Error).message}`, { cause: err })
  }
  try {
    const dh = await open(dir, 'r')
    try { await dh.sync() } finally { await dh.close() }
  } catch (err) {
    if (!DIR_SYNC_UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '')) {
      throw new OffsetStoreError(`Cannot sync the directory of the ${options.what} '${file}': ${(err as Error).message}`, { cause: err })
    }
  }
}

/**
 * Removes the temporary files a killed process left beside `file` (a SIGKILL between open and rename leaves one each
 * time) and returns their names. Only for the file's owner: it runs after the file lock was taken, so no other runner
 * is writing one.
 */
export async function removeLeftoverTempFiles (file: string): Promise<string[]> {
  const target = await realpath(file).catch(() => file)
  const dir = dirname(target)
  const pattern = tempPattern(target)
  let names: string[]
  try {
    names = (await readdir(dir)).filter(n => pattern.test(n)).sort()
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    try {
      await rm(join(dir, name), { force: true })
      removed.push(name)
    } catch {}
  }
  return removed
}
