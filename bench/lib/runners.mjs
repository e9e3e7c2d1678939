// The three things the benchmark runs, each as its own process so that its RSS and CPU can be read from /proc:
// Apache Kafka Connect's standalone worker (through test/harness/apache-connect.mjs), ours (node
// bin/connect-standalone.js on dist/), and the raw node-rdkafka ceiling (bench/ceiling.mjs).
import { spawn } from 'node:child_process'
import { closeSync, createWriteStream, openSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { javaProperties, restGet, startApacheConnect } from '../../test/harness/apache-connect.mjs'
import { processTree } from './proc.mjs'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

const delay = ms => new Promise(resolve => setTimeout(resolve, ms))

async function freePort () {
  const server = createServer()
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve) })
  const { port } = server.address()
  await new Promise(resolve => server.close(() => resolve()))
  return port
}

function tail (file, lines = 30) {
  try { return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') } catch { return '(no log)' }
}

/** Stops a child: SIGTERM, then SIGKILL after `timeoutMs`. Resolves with how long it took to exit. */
async function stopChild (child, exited, timeoutMs = 30000) {
  const started = performance.now()
  if (child.exitCode === null && child.signalCode === null) {
    try { child.kill('SIGTERM') } catch {}
    let timer
    const result = await Promise.race([exited, new Promise(resolve => { timer = setTimeout(resolve, timeoutMs, null) })])
    clearTimeout(timer)
    if (!result) {
      try { child.kill('SIGKILL') } catch {}
      await exited
      return { stopMs: performance.now() - started, killed: true }
    }
  }
  return { stopMs: performance.now() - started, killed: false }
}

function track (child) {
  let exit = null
  const exited = new Promise(resolve => {
    child.once('exit', (code, signal) => { exit = { code, signal }; resolve(exit) })
    child.once('error', err => { exit = { code: null, signal: null, error: err }; resolve(exit) })
  })
  const killOnExit = () => { try { child.kill('SIGKILL') } catch {} }
  process.once('exit', killOnExit)
  void exited.then(() => process.off('exit', killOnExit))
  return { exited, exit: () => exit }
}

/** Is the connector and every task RUNNING in a GET /connectors/<name>/status body? */
function allRunning (body) {
  if (!body || typeof body !== 'object' || body.connector?.state !== 'RUNNING') return false
  const tasks = Array.isArray(body.tasks) ? body.tasks : []
  return tasks.length > 0 && tasks.every(t => t.state === 'RUNNING')
}

/**
 * Starts our worker: `node [nodeArgs] bin/connect-standalone.js worker connector...` in the repository root.
 * `ready` resolves { ms, method } (ms since `t0`, performance.now() just before the spawn) when the connectors are
 * RUNNING: by the REST API when it answers on the `listeners` port, else by the "Kafka Connect started" log line.
 */
export async function startOurs ({ dir, workerProps, connectorProps, nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), readyTimeoutMs = 60000 }) {
  const port = await freePort()
  const restUrl = `http://127.0.0.1:${port}`
  const workerFile = join(dir, 'ours-worker.properties')
  writeFileSync(workerFile, javaProperties({ ...workerProps, listeners: restUrl }, 'written by bench/lib/runners.mjs'))
  const files = connectorProps.map((props, i) => {
    const file = join(dir, `ours-connector-${i}.properties`)
    writeFileSync(file, javaProperties(props, 'written by bench/lib/runners.mjs'))
    return file
  })
  const logFile = join(dir, 'ours.log')
  const outFd = openSync(join(dir, 'ours.out'), 'w')
  const log = createWriteStream(logFile)
  const t0 = performance.now()
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'bin', 'connect-standalone.js'), workerFile, ...files],
    { cwd: ROOT, stdio: ['ignore', outFd, 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } })
  closeSync(outFd)
  const { exited, exit } = track(child)
  let startedLineMs = null
  let pending = ''
  child.stderr.on('data', chunk => {
    log.write(chunk)
    if (startedLineMs !== null) return
    pending = (pending + chunk.toString('utf8')).slice(-4096)
    if (pending.includes('Kafka Connect started')) startedLineMs = performance.now() - t0
  })
  const describe = () => `--- tail of ${logFile} ---\n${tail(logFile)}`
  const names = connectorProps.map(p => p.name)

  const ready = (async () => {
    const deadline = performance.now() + readyTimeoutMs
    let restAnswers = false
    for (;;) {
      if (exit()) throw new Error(`our worker exited during start-up (${JSON.stringify(exit())})\n${describe()}`)
      if (performance.now() > deadline) throw new Error(`our worker was not ready within ${readyTimeoutMs} ms\n${describe()}`)
      let running = true
      for (const name of names) {
        try {
          const res = await restGet(`${restUrl}/connectors/${encodeURIComponent(name)}/status`, 2000)
          restAnswers = true
          if (res.status !== 200 || !allRunning(res.body)) running = false
        } catch {
          running = false
        }
        if (!running) break
      }
      if (running && restAnswers) return { ms: performance.now() - t0, method: 'REST' }
      // No REST API (yet): the log line is the signal, once the REST port has had a moment to answer.
      if (!restAnswers && startedLineMs !== null && performance.now() - t0 - startedLineMs > 1500) return { ms: startedLineMs, method: 'log line' }
      await delay(10)
    }
  })()
  ready.catch(() => {})

  return {
    pid: child.pid,
    t0,
    restUrl,
    logFile,
    ready,
    isAlive: () => (exit() ? `exited (${JSON.stringify(exit())})` : true),
    describe,
    async stop () {
      const r = await stopChild(child, exited)
      log.end()
      return r
    }
  }
}

/** Starts Apache Kafka Connect; `ready` resolves once the harness saw every connector and task RUNNING over REST. */
export async function startApache ({ dir, workerProps, connectorProps, readyTimeoutMs = 180000 }) {
  const t0 = performance.now()
  let instance = null
  let failure = null
  const ready = startApacheConnect({ dir, workerProps, connectorProps, timeoutMs: readyTimeoutMs }).then(c => {
    instance = c
    return { ms: performance.now() - t0, method: 'REST' }
  }, err => { failure = err; throw err })
  ready.catch(() => {})
  // The harness hands out the pid once the worker is ready; until then the JVM is found among our children, so that
  // its usage can be read from the first record on.
  let found = null
  const findJvm = () => {
    if (found !== null || instance) return
    for (const pid of processTree(process.pid)) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('org.apache.kafka.connect.cli.ConnectStandalone')) { found = pid; return }
      } catch {}
    }
  }
  const searching = setInterval(() => { findJvm(); if (found !== null || instance || failure) clearInterval(searching) }, 10)
  searching.unref()
  return {
    t0,
    get pid () { findJvm(); return instance?.pid ?? found },
    ready,
    isAlive: () => (failure ? `failed to start: ${failure.message}` : true),
    describe: () => instance?.describe() ?? '(Apache Kafka Connect not started yet)',
    async stop () {
      if (!instance) { await ready.catch(() => {}) }
      if (!instance) return { stopMs: 0, killed: false }
      const started = performance.now()
      const exit = await instance.stop()
      return { stopMs: performance.now() - started, killed: exit?.signal === 'SIGKILL' }
    }
  }
}

/** Starts bench/ceiling.mjs with `args`; it does its work, then waits for SIGTERM (so it can be measured alive). */
export function startCeiling (args) {
  const t0 = performance.now()
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'ceiling.mjs'), ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
  const { exited, exit } = track(child)
  let stderr = ''
  child.stderr.on('data', chunk => { stderr = (stderr + chunk.toString('utf8')).slice(-8192) })
  return {
    pid: child.pid,
    t0,
    ready: Promise.resolve({ ms: 0, method: 'n/a' }),
    isAlive: () => (exit() ? `exited (${JSON.stringify(exit())})` : true),
    describe: () => `--- ceiling stderr ---\n${stderr}`,
    async stop () { return await stopChild(child, exited) }
  }
}
