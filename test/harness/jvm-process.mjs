// Starts a JVM for the test harness (the Kafka broker, the Apache Connect worker) so that it can never outlive the
// tests: it runs in its own process group with its output in a file, and a tiny shell watchdog kills it (and removes
// `cleanupDir`, if given) as soon as this process is gone, even after a SIGKILL that leaves no chance to clean up.
import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'

/**
 * Returns { child, exited, exit(), kill(), release() }: `exited` resolves with { code, signal[, error] } when the JVM
 * ends, `exit()` is that value once known (else null), `kill()` sends SIGKILL, `release()` detaches the guards once
 * the JVM is gone or has been handed its stop. `spawnOptions` (e.g. uid, gid) go to child_process.spawn.
 */
export function spawnGuardedJvm (java, args, { outFile, cleanupDir = null, name = 'jvm', spawnOptions = {} }) {
  const outFd = openSync(outFile, 'a')
  // Its own process group: a Ctrl-C in the terminal reaches the tests, which then stop the JVM themselves.
  const child = spawn(java, args, { ...spawnOptions, stdio: ['ignore', outFd, outFd], detached: true })
  closeSync(outFd)
  // Unref'd so a forgotten JVM cannot keep the tests alive; whoever waits for its exit must ref() it first.
  child.unref()
  let exit = null
  const exited = new Promise(resolve => {
    child.once('exit', (code, signal) => { exit = { code, signal }; resolve(exit) })
    child.once('error', err => { exit = { code: null, signal: null, error: err }; resolve(exit) })
  })
  const script = `trap "" INT TERM HUP; read _; kill -9 "$1" 2>/dev/null${cleanupDir ? '; sleep 1; rm -rf "$2"' : ''}`
  const watchdog = spawn('/bin/sh', ['-c', script, `${name}-watchdog`, String(child.pid), ...(cleanupDir ? [cleanupDir] : [])],
    { stdio: ['pipe', 'ignore', 'ignore'], detached: true })
  watchdog.unref()
  watchdog.stdin.unref?.()
  watchdog.stdin.on('error', () => {})
  const killWatchdog = () => { try { watchdog.kill('SIGKILL') } catch {} }
  void exited.then(killWatchdog)
  const kill = () => { try { child.kill('SIGKILL') } catch {} }
  process.once('exit', kill)
  return {
    child,
    exited,
    exit: () => exit,
    kill,
    release () {
      process.off('exit', kill)
      killWatchdog()
    }
  }
}

/** The last `lines` lines of a log file (from byte `from` on), for failure messages; '(no log)' when it cannot be read. */
export function readTail (file, lines = 60, from = 0) {
  try {
    return readFileSync(file).subarray(from).toString('utf8').split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/** A free loopback port (someone may take it before the JVM binds it: the harnesses then retry with another). */
export async function freePort () {
  const server = createServer()
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address()
  await new Promise(resolve => server.close(() => resolve()))
  return port
}
