/**
 * How the CLI ends the process. process.exit() is not enough: before the process ends it joins every libuv threadpool
 * thread, and a thread stuck in native work (librdkafka's consumer close while the broker is away, an open() of a
 * FIFO that has no writer) keeps it waiting forever, after "Kafka Connect stopped" was logged.
 */
import { pendingNativeWork } from '../util/abandoned-work.ts'
import { logFormat, writeLogLine } from '../util/logger.ts'
import { ExitCode } from './exit-codes.ts'

/** Waits (at most `timeoutMs`) until what was written to stdout and stderr has been handed to the OS. */
export async function flushStdio (timeoutMs = 1000): Promise<void> {
  const drained = (stream: NodeJS.WriteStream): Promise<void> => new Promise(resolve => {
    // An empty write's callback runs once everything queued before it has been written.
    if (stream.destroyed || !stream.writable) { resolve(); return }
    stream.write('', () => { resolve() })
  })
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    Promise.all([drained(process.stdout), drained(process.stderr)]),
    new Promise<void>(resolve => { timer = setTimeout(resolve, timeoutMs) })
  ])
  clearTimeout(timer)
}

/**
 * Ends the process with `code` after flushing the logs, whatever native work is left. With none, process.exit(code).
 * With some, process.exit would wait for it: the 'exit' handlers run (they release the state file locks), then the
 * process ends by the signal the code stands for with its default action (SIGTERM for 143, SIGINT for 130, which
 * shells and supervisors report as those codes), or by SIGKILL for any other code.
 */
export async function exitProcess (code: number): Promise<never> {
  await flushStdio()
  const stuck = pendingNativeWork()
  if (stuck.length === 0) process.exit(code)
  const message = `Exiting without waiting for native work that did not finish: ${stuck.join('; ')}`
  if (logFormat() === 'json') writeLogLine('WARN', 'ConnectStandalone', message)
  else process.stderr.write(`${message}\n`)
  await flushStdio()
  hardExit(code)
}

/** The synchronous part of exitProcess, for a second signal ("now"): no flush wait, no join of the threadpool. */
export function hardExit (code: number): never {
  if (pendingNativeWork().length === 0) process.exit(code)
  process.exitCode = code
  process.emit('exit', code)
  const signal: NodeJS.Signals = code === ExitCode.SIGTERM ? 'SIGTERM' : code === ExitCode.SIGINT ? 'SIGINT' : 'SIGKILL'
  // Without listeners Node restores the signal's default action, which ends the process at once.
  process.removeAllListeners(signal)
  process.kill(process.pid, signal)
  // The signal is delivered before kill() returns for a process signalling itself; this is not reached.
  process.exit(code)
}
