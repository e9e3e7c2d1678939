/**
 * The state-file lock on its own: which existing locks are stale (and taken over) and which are refused, that a lock
 * is released on the ways a process ends, and that runners racing for one stale lock end with exactly one owner.
 * Real files and real processes.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { access, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test, type TestContext } from 'node:test'
import { FileLock, FileLockedError, STALE_AFTER_MS, type LockOwner } from '../../src/storage/file-lock.ts'

const LOCK_MODULE = fileURLToPath(new URL('../../src/storage/file-lock.ts', import.meta.url))
const TSX = import.meta.resolve('tsx')
const HAS_PROC = await access('/proc/self/stat').then(() => true, () => false)

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'file-lock-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

function recordingLogger (): { warnings: string[], errors: string[], warn (m: string): void, error (m: string): void } {
  const l = { warnings: [] as string[], errors: [] as string[], warn (m: string) { l.warnings.push(m) }, error (m: string) { l.errors.push(m) } }
  return l
}

const OPTIONS = { what: 'source offsets file', setting: 'offset.storage.file.filename' }

async function exists (file: string): Promise<boolean> {
  return await access(file).then(() => true, () => false)
}

/** What this process would write, with some fields changed. */
async function ownLockWith (dir: string, changes: Partial<LockOwner>): Promise<LockOwner> {
  const probe = await FileLock.acquire(join(dir, 'probe'), OPTIONS)
  const mine = JSON.parse(await readFile(probe.lockFile, 'utf8')) as LockOwner
  await probe.release()
  return { ...mine, token: 'someone-else', ...changes }
}

test('a lock held by a live process of this host is refused, naming the file, the pid, the host and the setting', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect.offsets')
  const held = await FileLock.acquire(file, OPTIONS)
  t.after(async () => { await held.release() })
  const err = await FileLock.acquire(file, OPTIONS).then(() => null, (e: unknown) => e)
  assert.ok(err instanceof FileLockedError, String(err))
  assert.equal(err.code, 'CONNECT_ERR_OFFSET_STORE')
  assert.equal(err.holder?.pid, process.pid)
  assert.match(err.message, new RegExp(`^The source offsets file '.*connect\\.offsets' is in use by another runner: pid ${process.pid} on host ` +
    `${hostname().replace(/\./g, '\\.')} \\(locked at .+\\), which is running; its lock is '.*connect\\.offsets\\.lock'\\..*offset\\.storage\\.file\\.filename\\.$`))
})

test('a lock whose pid now belongs to a process started at another time is stale (pid reuse)', { skip: !HAS_PROC && 'no /proc' }, async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect.offsets')
  // Our own pid is certainly alive; only the recorded start time says the lock is not ours.
  await writeFile(`${file}.lock`, JSON.stringify(await ownLockWith(dir, { procStart: '1' })))
  const logger = recordingLogger()
  const lock = await FileLock.acquire(file, { ...OPTIONS, logger })
  t.after(async () => { await lock.release() })
  assert.match(logger.warnings.join('\n'), /Took over the stale lock .* is no longer running \(its pid now belongs to another process\)/)
})

test('a takeover abandoned halfway (its runner died holding <lock>.takeover) does not block the next start', { skip: !HAS_PROC && 'no /proc' }, async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect.offsets')
  const dead = JSON.stringify(await ownLockWith(dir, { procStart: '1' }))
  await writeFile(`${file}.lock`, dead)
  await writeFile(`${file}.lock.takeover`, dead)
  const logger = recordingLogger()
  const lock = await FileLock.acquire(file, { ...OPTIONS, logger })
  t.after(async () => { await lock.release() })
  assert.match(logger.warnings.join('\n'), /Took over the stale lock/)
  assert.equal(await exists(`${file}.lock.takeover`), false)
})

test('a lock of this host from before its last boot is stale', { skip: !HAS_PROC && 'no /proc' }, async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect.offsets')
  await writeFile(`${file}.lock`, JSON.stringify(await ownLockWith(dir, { bootId: 'an-earlier-boot' })))
  const logger = recordingLogger()
  const lock = await FileLock.acquire(file, { ...OPTIONS, logger })
  t.after(async () => { await lock.release() })
  assert.match(logger.warnings.join('\n'), /this host has restarted since/)
})

test('a lock of another host is refused while refreshed, and taken over once not refreshed for STALE_AFTER_MS', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect.offsets')
  await writeFile(`${file}.lock`, JSON.stringify(await ownLockWith(dir, { pid: 4242, host: 'elsewhere.example' })))
  const err = await FileLock.acquire(file, OPTIONS).then(() => null, (e: unknown) => e)
  assert.ok(err instanceof FileLockedError, String(err))
  assert.match(err.message, /pid 4242 on host elsewhere\.example \(locked at .+\), which refreshed it \d+ s ago \(it counts as abandoned after 60 s without refresh\)/)

  const old = new Date(Date.now() - STALE_AFTER_MS - 5000)
  await utimes(`${file}.lock`, old, old)
  const logger = recordingLogger()
  const lock = await FileLock.acquire(file, { ...OPTIONS, logger })
  t.after(async () => { await lock.release() })
  assert.match(logger.warnings.join('\n'), /pid 4242 on host elsewhere\.example .* has not refreshed it for \d+ s \(more than 60 s\)/)
})

test('a lock file with unreadable content is left alone while fresh (it may be being written) and taken over when old', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect.offsets')
  await writeFile(`${file}.lock`, '')
  await assert.rejects(FileLock.acquire(file, OPTIONS), /in use by another runner: an unknown runner, which is still writing its lock/)
  const old = new Date(Date.now() - 60000)
  await utimes(`${file}.lock`, old, old)
  const logger = recordingLogger()
  const lock = await FileLock.acquire(file, { ...OPTIONS, logger })
  t.after(async () => { await lock.release() })
  assert.match(logger.warnings.join('\n'), /its content is unreadable/)
})

test('release removes only a lock that is still ours', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect.offsets')
  const lock = await FileLock.acquire(file, OPTIONS)
  assert.equal(await exists(`${file}.lock`), true)
  // Replaced behind our back (by hand, or by a runner that judged it stale): not ours to remove.
  const other = JSON.stringify(await ownLockWith(dir, { token: 'another-runner' }))
  await writeFile(`${file}.lock`, other)
  await lock.release()
  assert.equal(await readFile(`${file}.lock`, 'utf8'), other)
  await rm(`${file}.lock`)
  const again = await FileLock.acquire(file, OPTIONS)
  await again.release()
  assert.equal(await exists(`${file}.lock`), false)
})

test('two paths to one file (a symlinked directory) share one lock', async (t) => {
  const dir = await tempDir(t)
  const { mkdir, symlink } = await import('node:fs/promises')
  await mkdir(join(dir, 'real'))
  await symlink(join(dir, 'real'), join(dir, 'link'))
  const lock = await FileLock.acquire(join(dir, 'real', 'connect.offsets'), OPTIONS)
  t.after(async () => { await lock.release() })
  await assert.rejects(FileLock.acquire(join(dir, 'link', 'connect.offsets'), OPTIONS), FileLockedError)
})

/**
 * A process that takes the lock, reports, then ends the way `how` says. With `go`, it loads everything first and
 * waits for a line on stdin before trying, so that several can be let go at the same moment.
 */
function lockingProcess (file: string, how: 'hold' | 'throw' | 'exit', go = false): { out: Promise<string>, exited: Promise<number | null>, kill: () => void, ready: Promise<void>, go: () => void } {
  const script = `
    import { FileLock } from ${JSON.stringify(LOCK_MODULE)}
    import { once } from 'node:events'
    if (${go}) {
      process.stdout.write('READY\\n')
      await once(process.stdin, 'data')
    }
    let lock
    try {
      lock = await FileLock.acquire(${JSON.stringify(file)}, { what: 'source offsets file', setting: 'offset.storage.file.filename' })
      process.stdout.write('LOCKED\\n')
    } catch (err) {
      process.stdout.write('REFUSED ' + err.message + '\\n')
      process.exit(3)
    }
    if (${JSON.stringify(how)} === 'throw') setImmediate(() => { throw new Error('boom') })
    else if (${JSON.stringify(how)} === 'exit') process.exit(7)
    else process.stdin.resume()
  `
  const child = spawn(process.execPath, ['--import', TSX, '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => { out += d.toString() })
  const exited = new Promise<number | null>(resolve => child.on('exit', code => { resolve(code) }))
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => { if (out.includes('READY')) resolve() })
    child.on('exit', () => { reject(new Error(`exited before it was ready: ${out}`)) })
  })
  ready.catch(() => {})
  const outPromise = new Promise<string>(resolve => {
    const check = (): void => { if (/LOCKED|REFUSED/.test(out)) resolve(out) }
    child.stdout.on('data', check)
    child.on('exit', () => { resolve(out) })
  })
  return { out: outPromise, exited, ready, go: () => { child.stdin.write('go\n') }, kill: () => { if (child.exitCode === null) child.kill('SIGKILL') } }
}

test('the lock is removed when the process ends with an uncaught error or process.exit', { timeout: 60000 }, async (t) => {
  const dir = await tempDir(t)
  for (const how of ['throw', 'exit'] as const) {
    const file = join(dir, `${how}.offsets`)
    const p = lockingProcess(file, how)
    t.after(p.kill)
    assert.match(await p.out, /LOCKED/)
    assert.notEqual(await p.exited, 0)
    assert.equal(await exists(`${file}.lock`), false, `lock left behind after '${how}'`)
  }
})

test('runners racing for one stale lock end with exactly one owner', { timeout: 60000 }, async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect.offsets')
  for (let round = 0; round < 4; round++) {
    // A SIGKILLed owner's lock (a pid that is gone), then five runners at once.
    const dead = lockingProcess(file, 'hold')
    t.after(dead.kill)
    assert.match(await dead.out, /LOCKED/)
    dead.kill()
    await dead.exited
    assert.equal(await exists(`${file}.lock`), true)
    const racers = Array.from({ length: 5 }, () => lockingProcess(file, 'hold', true))
    for (const r of racers) t.after(r.kill)
    await Promise.all(racers.map(async r => { await r.ready }))
    for (const r of racers) r.go()
    const outs = await Promise.all(racers.map(async r => await r.out))
    const winners = outs.filter(o => o.includes('LOCKED'))
    assert.equal(winners.length, 1, `round ${round}: ${outs.join('')}`)
    for (const o of outs.filter(o => !o.includes('LOCKED'))) assert.match(o, /REFUSED .*in use by another runner|REFUSED .*kept creating it/)
    for (const r of racers) r.kill()
    await Promise.all(racers.map(async r => await r.exited))
  }
})
