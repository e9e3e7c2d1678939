/**
 * An exclusive lock on a state file (the offsets file, the connector configs file), so that two runners never share
 * one: both would run every connector and deliver everything twice.
 *
 * Node has no flock(), and an advisory kernel lock would not reach a runner on another host sharing the directory
 * anyway, so the lock is a file `<state file>.lock` that exists only while its owner runs. It is created atomically
 * (written complete to a temporary file, then hard-linked into place, which fails if the lock exists) and holds JSON
 * naming its owner: pid, host, boot id, pid namespace, the process's start time from /proc and a random token.
 *
 * An existing lock is stale, and taken over with a log line, when its owner cannot be running:
 * - same host, boot and pid namespace: its pid is gone (or a zombie), or the pid now belongs to a process that
 *   started at another time (pid reuse after a SIGKILL or a crash);
 * - same host, another boot id: the machine restarted since;
 * - another host or pid namespace (a shared volume, a recreated container), where the pid says nothing: its owner
 *   refreshes the lock's mtime every HEARTBEAT_MS, so one not refreshed for STALE_AFTER_MS is abandoned.
 * Runners that find the same stale lock take turns under `<lock>.takeover` and judge it again there, so exactly one
 * replaces it (there is no compare-and-delete on a file system); tested with racing processes.
 * The lock is removed on a clean stop and, synchronously, on every process exit that runs 'exit' handlers (signals
 * handled by the CLI, uncaught errors, process.exit); a SIGKILL leaves it behind for the next start to take over.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, readlinkSync, unlinkSync } from 'node:fs'
import { link, mkdir, open, readFile, realpath, rename, stat, unlink, utimes } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { hostname } from 'node:os'
import { OffsetStoreError } from '../api/errors.ts'

/** How often a running owner refreshes its lock's mtime (what a runner on another host goes by). */
export const HEARTBEAT_MS = 10_000
/** A lock of another host or pid namespace not refreshed for this long is abandoned. */
export const STALE_AFTER_MS = 60_000
/** A lock file whose content cannot be read yet may be one being written by the fallback path; give it this long. */
const UNREADABLE_GRACE_MS = 5_000

/** What a lock file holds. */
export interface LockOwner {
  pid: number
  host: string
  /** ISO time the owner took the lock, for people. */
  startedAt: string
  /** The owner's start time in clock ticks since boot (field 22 of /proc/<pid>/stat); null without /proc. */
  procStart: string | null
  /** /proc/sys/kernel/random/boot_id; null without /proc. */
  bootId: string | null
  /** The target of /proc/self/ns/pid: pids are comparable only within one namespace. */
  pidNamespace: string | null
  token: string
}

export interface FileLockOptions {
  /** What the file is, for messages ("source offsets file"). */
  what: string
  /** The worker setting that names the file, for the hint in the refusal. */
  setting: string
  logger?: { warn (msg: string): void, error (msg: string): void }
}

/** Another live runner holds the lock. */
export class FileLockedError extends OffsetStoreError {
  readonly holder: LockOwner | null
  readonly lockFile: string
  constructor (message: string, lockFile: string, holder: LockOwner | null) {
    super(message)
    this.name = 'FileLockedError'
    this.lockFile = lockFile
    this.holder = holder
  }
}

export class FileLock {
  readonly #lockFile: string
  readonly #owner: LockOwner
  readonly #options: FileLockOptions
  readonly #onExit = (): void => { this.releaseSync() }
  #heartbeat: NodeJS.Timeout | null = null
  #released = false
  #lostReported = false

  private constructor (lockFile: string, owner: LockOwner, options: FileLockOptions) {
    this.#lockFile = lockFile
    this.#owner = owner
    this.#options = options
    process.on('exit', this.#onExit)
    this.#heartbeat = setInterval(() => { void this.#refresh() }, HEARTBEAT_MS)
    // The heartbeat must never be what keeps the process alive.
    this.#heartbeat.unref()
  }

  get lockFile (): string { return this.#lockFile }

  /**
   * Takes the lock of `file` (`<file>.lock`, beside the real file when `file` is a symlink), taking over a stale one.
   * Throws FileLockedError when a live runner holds it, OffsetStoreError when the lock file cannot be created.
   */
  static async acquire (file: string, options: FileLockOptions): Promise<FileLock> {
    const lockFile = `${await resolveTarget(file)}.lock`
    const owner = currentOwner()
    const fail = (err: unknown): never => {
      throw new OffsetStoreError(`Cannot create the lock file '${lockFile}' of the ${options.what} '${file}': ${(err as Error).message}`, { cause: err })
    }
    await mkdir(dirname(lockFile), { recursive: true }).catch(fail)
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await createExclusive(lockFile, owner).catch(fail)) return new FileLock(lockFile, owner, options)
      const found = await readLock(lockFile)
      if (found === null) continue // removed meanwhile: try again
      const verdict = judge(found)
      if (!verdict.stale) throw new FileLockedError(refusal(file, lockFile, found, verdict.why, options), lockFile, found.owner)
      // Stale. Removing it is safe only if nobody replaced it since we read it, and the file system has no
      // compare-and-delete: so takeovers take turns, each under `<lock>.takeover`, and judge the lock again under it.
      const takeover = await takeTurn(lockFile, owner).catch(fail)
      if (!takeover) {
        // Another runner is taking it over right now: its result decides (a live lock, or the stale one gone).
        await new Promise(resolve => setTimeout(resolve, 20))
        continue
      }
      try {
        const now = await readLock(lockFile)
        if (now === null) continue
        const again = judge(now)
        if (!again.stale) throw new FileLockedError(refusal(file, lockFile, now, again.why, options), lockFile, now.owner)
        await unlink(lockFile).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'ENOENT') fail(err) })
        options.logger?.warn(`Took over the stale lock '${lockFile}' of the ${options.what} '${file}': ${describe(now.owner)} ${again.why}`)
        // A runner that found no lock at all may still create one before us; then the next round refuses.
        if (await createExclusive(lockFile, owner).catch(fail)) return new FileLock(lockFile, owner, options)
      } finally {
        await removeIfOwned(`${lockFile}.takeover`, owner.token)
      }
    }
    throw new OffsetStoreError(`Cannot take the lock file '${lockFile}' of the ${options.what} '${file}': other runners kept creating it at the same time.`)
  }

  /** Removes the lock if it is still ours. */
  async release (): Promise<void> {
    if (this.#released) return
    this.#stop()
    const found = await readLock(this.#lockFile)
    if (found?.owner?.token === this.#owner.token) await unlink(this.#lockFile).catch(() => {})
  }

  /** release() for 'exit' handlers, where nothing asynchronous runs any more. */
  releaseSync (): void {
    if (this.#released) return
    this.#stop()
    try {
      const owner = parseOwner(readFileSync(this.#lockFile, 'utf8'))
      if (owner?.token === this.#owner.token) unlinkSync(this.#lockFile)
    } catch {}
  }

  #stop (): void {
    this.#released = true
    if (this.#heartbeat) clearInterval(this.#heartbeat)
    this.#heartbeat = null
    process.off('exit', this.#onExit)
  }

  async #refresh (): Promise<void> {
    if (this.#released) return
    const found = await readLock(this.#lockFile)
    if (found?.owner?.token === this.#owner.token) {
      const now = new Date()
      await utimes(this.#lockFile, now, now).catch(() => {})
      return
    }
    // Someone removed or replaced it (by hand, or a runner that judged it stale): say so once, loudly.
    if (!this.#lostReported) {
      this.#lostReported = true
      this.#options.logger?.error(`The lock file '${this.#lockFile}' of the ${this.#options.what} is no longer this runner's ` +
        `(${found?.owner ? `now held by ${describe(found.owner)}` : 'removed'}): another runner may be using the same file.`)
    }
  }
}

interface FoundLock {
  owner: LockOwner | null
  mtimeMs: number
  ino: number
}

/** The file a lock belongs to, symlinks resolved, so two paths to one file share one lock. */
async function resolveTarget (file: string): Promise<string> {
  try {
    return await realpath(file)
  } catch {
    // Not there yet: resolve its directory if that exists.
    const dir = await realpath(dirname(resolve(file))).catch(() => dirname(resolve(file)))
    return join(dir, basename(file))
  }
}

function readProc (path: string): string | null {
  try { return readFileSync(path, 'utf8') } catch { return null }
}

/** State and start time (fields 3 and 22) of /proc/<pid>/stat; the command name may hold spaces and parentheses. */
function procStat (pid: number): { state: string, start: string } | null {
  const text = readProc(`/proc/${pid}/stat`)
  if (text === null) return null
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  const state = fields[0]
  const start = fields[19]
  return state !== undefined && start !== undefined ? { state, start } : null
}

let pidNamespaceCache: string | null | undefined
function pidNamespace (): string | null {
  if (pidNamespaceCache === undefined) {
    try { pidNamespaceCache = readlinkSync('/proc/self/ns/pid') } catch { pidNamespaceCache = null }
  }
  return pidNamespaceCache
}

function currentOwner (): LockOwner {
  return {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    procStart: procStat(process.pid)?.start ?? null,
    bootId: readProc('/proc/sys/kernel/random/boot_id')?.trim() ?? null,
    pidNamespace: pidNamespace(),
    token: randomBytes(12).toString('hex')
  }
}

/** True when the lock was created for `owner`, false when a lock already exists. */
async function createExclusive (lockFile: string, owner: LockOwner): Promise<boolean> {
  const content = JSON.stringify(owner) + '\n'
  const tmp = `${lockFile}.${owner.pid}.${owner.token}.tmp`
  const fh = await open(tmp, 'wx', 0o644)
  try { await fh.writeFile(content) } finally { await fh.close() }
  try {
    // link() is atomic and fails when the lock exists, so the lock never appears half written.
    await link(tmp, lockFile)
    return true
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err
    // A file system without hard links: create it exclusively and write it (readers allow for the short gap).
    try {
      const lh = await open(lockFile, 'wx', 0o644)
      try { await lh.writeFile(content) } finally { await lh.close() }
      return true
    } catch (err2) {
      if ((err2 as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw err2
    }
  } finally {
    await unlink(tmp).catch(() => {})
  }
}

async function readLock (lockFile: string): Promise<FoundLock | null> {
  try {
    const [text, st] = await Promise.all([readFile(lockFile, 'utf8'), stat(lockFile)])
    return { owner: parseOwner(text), mtimeMs: st.mtimeMs, ino: st.ino }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new OffsetStoreError(`Cannot read the lock file '${lockFile}': ${(err as Error).message}`, { cause: err })
  }
}

function parseOwner (text: string): LockOwner | null {
  try {
    const o = JSON.parse(text) as Partial<LockOwner> | null
    if (typeof o?.pid !== 'number' || typeof o.host !== 'string' || typeof o.token !== 'string') return null
    return {
      pid: o.pid,
      host: o.host,
      startedAt: String(o.startedAt ?? '?'),
      procStart: typeof o.procStart === 'string' ? o.procStart : null,
      bootId: typeof o.bootId === 'string' ? o.bootId : null,
      pidNamespace: typeof o.pidNamespace === 'string' ? o.pidNamespace : null,
      token: o.token
    }
  } catch {
    return null
  }
}

/** Whether the lock's owner cannot be running, and why (said in the log line or in the refusal). */
function judge (found: FoundLock): { stale: boolean, why: string } {
  const age = Date.now() - found.mtimeMs
  const owner = found.owner
  if (owner === null) {
    return age > UNREADABLE_GRACE_MS
      ? { stale: true, why: 'its content is unreadable' }
      : { stale: false, why: 'is still writing its lock' }
  }
  const me = currentOwner()
  if (owner.host === me.host && owner.bootId !== null && me.bootId !== null && owner.bootId !== me.bootId) {
    return { stale: true, why: 'is gone: this host has restarted since' }
  }
  if (owner.host === me.host && owner.pidNamespace === me.pidNamespace) {
    if (!isAlive(owner.pid)) return { stale: true, why: 'is no longer running' }
    const st = procStat(owner.pid)
    if (st?.state === 'Z') return { stale: true, why: 'is no longer running (a zombie)' }
    if (owner.procStart !== null && st !== null && st.start !== owner.procStart) {
      return { stale: true, why: 'is no longer running (its pid now belongs to another process)' }
    }
    return { stale: false, why: 'is running' }
  }
  // Another host or pid namespace: only the heartbeat tells.
  if (age > STALE_AFTER_MS) {
    return { stale: true, why: `has not refreshed it for ${Math.round(age / 1000)} s (more than ${STALE_AFTER_MS / 1000} s)` }
  }
  return { stale: false, why: `refreshed it ${Math.max(0, Math.round(age / 1000))} s ago (it counts as abandoned after ${STALE_AFTER_MS / 1000} s without refresh)` }
}

function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** How long a takeover may take before another runner may judge its `.takeover` file abandoned. */
const TAKEOVER_STALE_MS = 10_000

/**
 * Takes `<lock>.takeover`, held only while one runner judges and replaces a stale lock. False while another runner
 * holds it. One left behind by a runner that died in those milliseconds is removed by the same rules as a lock (or
 * when older than TAKEOVER_STALE_MS): renamed to a name only we use first, and put back if it turns out not to be the
 * one judged stale.
 */
async function takeTurn (lockFile: string, owner: LockOwner): Promise<boolean> {
  const turnFile = `${lockFile}.takeover`
  if (await createExclusive(turnFile, owner)) return true
  const found = await readLock(turnFile)
  if (found === null) return false
  const verdict = judge(found)
  if (!verdict.stale && Date.now() - found.mtimeMs <= TAKEOVER_STALE_MS) return false
  const aside = `${turnFile}.stale-${process.pid}-${randomBytes(6).toString('hex')}`
  try {
    await rename(turnFile, aside)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
  const moved = await readLock(aside)
  if (moved === null || moved.ino !== found.ino || moved.owner?.token !== found.owner?.token) {
    await link(aside, turnFile).catch(() => {})
  }
  await unlink(aside).catch(() => {})
  return false
}

async function removeIfOwned (file: string, token: string): Promise<void> {
  const found = await readLock(file).catch(() => null)
  if (found?.owner?.token === token) await unlink(file).catch(() => {})
}

function describe (owner: LockOwner | null): string {
  if (owner === null) return 'an unknown runner'
  return `pid ${owner.pid} on host ${owner.host} (locked at ${owner.startedAt})`
}

function refusal (file: string, lockFile: string, found: FoundLock, why: string, options: FileLockOptions): string {
  return `The ${options.what} '${file}' is in use by another runner: ${describe(found.owner)}, which ${why}; ` +
    `its lock is '${lockFile}'. Two runners on one file would both run every connector and deliver everything twice. ` +
    `Stop that runner first, or give this one its own ${options.setting}.`
}
