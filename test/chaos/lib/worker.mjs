// Our worker as the chaos suite drives it: bench/lib/runners.mjs starts it (the built CLI, dist/), this adds what a
// fault run needs on top: SIGKILL/SIGTERM with the exit seen, the exit code, and the log's WARN/ERROR lines.
import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { startOurs } from '../../../bench/lib/runners.mjs'

export const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter'
export const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector'
export const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector'

export const delay = ms => new Promise(resolve => setTimeout(resolve, ms))

/** Polls `check` every `intervalMs` until it returns a truthy value; throws `what` after `timeoutMs`. */
export async function waitUntil (check, { timeoutMs = 30000, intervalMs = 50, what = 'condition' } = {}) {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await delay(intervalMs)
  }
}

export function workerProps (bootstrap, offsetsFile, extra = {}) {
  return {
    'bootstrap.servers': bootstrap,
    'offset.storage.file.filename': offsetsFile,
    'key.converter': STRING_CONVERTER,
    'value.converter': STRING_CONVERTER,
    ...extra
  }
}

let runs = 0

/**
 * Starts the worker in a directory of its own under `work` (each start has its own log), sharing whatever state files
 * `workerProps` names. `waitReady: false` returns at once (for a start that is expected to fail).
 */
export async function startWorker ({ work, workerProps, connectorProps, waitReady = true, readyTimeoutMs = 60000 }) {
  const dir = join(work, `run-${String(++runs).padStart(3, '0')}`)
  mkdirSync(dir, { recursive: true })
  const w = await startOurs({ dir, workerProps, connectorProps, readyTimeoutMs })
  const exitInfo = () => {
    const alive = w.isAlive()
    if (alive === true) return null
    const m = /^exited \((.*)\)$/s.exec(alive)
    return m ? JSON.parse(m[1]) : { code: null, signal: null }
  }
  const worker = {
    ...w,
    dir,
    exitInfo,
    /** Resolves the exit ({ code, signal }) within `timeoutMs`, else null. */
    async waitExit (timeoutMs = 30000) {
      try { return await waitUntil(exitInfo, { timeoutMs, intervalMs: 10, what: 'the worker to exit' }) } catch { return null }
    },
    async kill (signal = 'SIGKILL') {
      try { process.kill(w.pid, signal) } catch {}
      return await worker.waitExit(30000)
    },
    logText () { try { return readFileSync(w.logFile, 'utf8') } catch { return '' } },
    logSize () { try { return statSync(w.logFile).size } catch { return 0 } }
  }
  if (waitReady) await w.ready
  return worker
}

/** Log lines at WARN or ERROR level in `text` (Apache's layout: `[time] LEVEL ...`). */
export function warnErrorLines (text) {
  return text.split('\n').filter(l => /^\[[^\]]*\] (WARN|ERROR) /.test(l))
}

/** The exit as a shell reports it: the code, or 128 + the signal's number. */
export function shellCode (exit) {
  if (!exit) return null
  if (exit.code !== null && exit.code !== undefined) return exit.code
  const numbers = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }
  return 128 + (numbers[exit.signal] ?? 0)
}
