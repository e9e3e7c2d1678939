// Scenarios 3 and 4: the broker goes away (its proxy refuses everything) under a running source → topic → sink
// pipeline whose input keeps growing. Measured: REST answers and their worst time while Kafka is away (an upper bound
// of any event-loop pause), how soon the sink's file grows again after the broker returns, WARN/ERROR lines logged
// during the outage, loss at the end; and a SIGTERM during an outage.
import { closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs'
import { join } from 'node:path'
import { restGet } from '../../harness/apache-connect.mjs'
import { appendLines, fileLines, tally } from './feed.mjs'
import { fileSize, settle } from './kills.mjs'
import { delay, SINK, SOURCE, startWorker, waitUntil, warnErrorLines, workerProps } from './worker.mjs'

const PROBE_EVERY_MS = 100
const PROBE_TIMEOUT_MS = 5000
const LINES_PER_SECOND = 500

/** GETs each of `paths` on `base` every 100 ms (one after the other) until stopped; keeps every answer's time. */
function startProber (base, paths) {
  const probes = []
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      const tickStart = performance.now()
      for (const path of paths) {
        const at = performance.now()
        let ok = false
        let detail = ''
        try {
          const res = await restGet(base + path, PROBE_TIMEOUT_MS)
          ok = res.status === 200
          if (!ok) detail = `${path}: HTTP ${res.status}`
        } catch (err) { detail = `${path}: ${err.message}` }
        probes.push({ at, ms: performance.now() - at, ok, detail })
      }
      await delay(Math.max(0, PROBE_EVERY_MS - (performance.now() - tickStart)))
    }
  })()
  return {
    async stop () { stopped = true; await loop; return probes }
  }
}

/** The sequence number of the last complete line of `file` (-1 when none). */
function lastLineNumber (file) {
  let fd
  try {
    fd = openSync(file, 'r')
    const size = fstatSync(fd).size
    const buf = Buffer.alloc(Math.min(size, 4096))
    readSync(fd, buf, 0, buf.length, size - buf.length)
    const lines = buf.toString('latin1').split('\n')
    lines.pop()
    const last = lines.pop() ?? ''
    return last.length === 100 ? Number(last.slice(0, 10)) : -1
  } catch {
    return -1
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

function summarize (probes, from, to) {
  const inside = probes.filter(p => p.at >= from && p.at <= to)
  return {
    count: inside.length,
    maxMs: inside.reduce((m, p) => Math.max(m, p.ms), 0),
    failures: inside.filter(p => !p.ok).length,
    firstFailure: inside.find(p => !p.ok)?.detail ?? ''
  }
}

function pipeline ({ work, name, bootstrap, stamp, extraWorker = {} }) {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  const input = join(dir, 'input.txt')
  const output = join(dir, 'sink.txt')
  const topic = `chaos-${stamp}-${name}`
  const source = `chaos-${name}-source-${stamp}`
  const sink = `chaos-${name}-sink-${stamp}`
  return {
    dir,
    input,
    output,
    topic,
    names: [source, sink],
    props: workerProps(bootstrap, join(dir, 'connect.offsets'), { 'offset.flush.interval.ms': '1000', ...extraWorker }),
    connectorProps: [
      { name: source, 'connector.class': SOURCE, 'tasks.max': '1', file: input, topic },
      { name: sink, 'connector.class': SINK, 'tasks.max': '1', file: output, topics: topic }
    ]
  }
}

/** Scenario 3: outages of `durationsS` seconds, one after the other, under one running worker. */
export async function outages ({ work, bootstrap, kafka, routed, stamp, durationsS, log }) {
  const p = pipeline({ work, name: 'outages', bootstrap, stamp })
  await kafka.createTopic(p.topic)
  const feed = appendLines(p.input, { initial: 1000, total: 1e9, perSecond: LINES_PER_SECOND })
  const w = await startWorker({ work: p.dir, workerProps: p.props, connectorProps: p.connectorProps })
  const results = []
  try {
    await waitUntil(() => fileSize(p.output) >= 1000 * 101, { timeoutMs: 30000, what: 'the sink to write the first 1000 lines' })
    const paths = ['/', ...p.names.map(n => `/connectors/${encodeURIComponent(n)}/status`)]
    for (const seconds of durationsS) {
      // Steady state first: the sink keeps up with the input.
      const before = fileSize(p.output)
      await waitUntil(() => fileSize(p.output) > before, { timeoutMs: 30000, what: 'the sink to be writing before the outage' })
      const prober = startProber(w.restUrl, paths)
      // Several sink commits (offset.flush.interval.ms=1000) before the cut, so that each outage starts from a
      // committed position and the redeliveries counted at the end belong to one outage, not to two back to back.
      await delay(3000)
      const logFrom = w.logSize()
      log(`outage of ${seconds} s: broker down`)
      const downAt = performance.now()
      const fedAtDown = feed.fed
      await routed.down()
      await delay(seconds * 1000)
      const logText = w.logText().slice(logFrom)
      await routed.up()
      const upAt = performance.now()
      log(`outage of ${seconds} s: broker up; waiting for a line appended during the outage to reach the sink's file`)
      let resumeMs = null
      try {
        // Only a line appended after the broker went away proves the whole pipeline moves again (source read, produced
        // after the return, consumed, written): records already in flight at the cut could still trickle out.
        await waitUntil(() => lastLineNumber(p.output) >= fedAtDown, { timeoutMs: 180000, intervalMs: 10, what: 'the sink to write again' })
        resumeMs = performance.now() - upAt
      } catch {}
      const probes = await prober.stop()
      const during = summarize(probes, downAt, upAt)
      const all = summarize(probes, 0, Infinity)
      const warnErrors = warnErrorLines(logText)
      results.push({ seconds, during, all, resumeMs, warnErrors: warnErrors.length, warnPerS: warnErrors.length / seconds, sampleWarn: warnErrors.slice(0, 3) })
      log(`outage of ${seconds} s: REST max ${during.maxMs.toFixed(0)} ms, ${during.failures} failures of ${during.count}; sink resumed after ${resumeMs === null ? 'never (180 s)' : (resumeMs / 1000).toFixed(2) + ' s'}; ${warnErrors.length} WARN/ERROR lines`)
    }
    const total = await feed.stop()
    log(`input stopped at ${total} lines; waiting for the sink to catch up`)
    await settle(() => fileSize(p.output), total * 101, { timeoutMs: 180000, what: `${p.output} to hold at least ${total} lines` }).catch(() => {})
    const t = tally(fileLines(p.output), total)
    return { outages: results, final: { ...t, total } }
  } finally {
    await feed.stop()
    await w.stop()
  }
}

/**
 * Scenario 4: SIGTERM `afterS` seconds into an outage. The bound is task.shutdown.graceful.timeout.ms +
 * offset.flush.timeout.ms + 5 s (src/cli/process-exit.ts, README "Running").
 */
export async function sigtermDuringOutage ({ work, bootstrap, kafka, routed, stamp, afterS, log }) {
  const gracefulMs = 5000
  const flushTimeoutMs = 5000
  const boundMs = gracefulMs + flushTimeoutMs + 5000
  const p = pipeline({
    work, name: 'sigterm', bootstrap, stamp,
    extraWorker: { 'task.shutdown.graceful.timeout.ms': String(gracefulMs), 'offset.flush.timeout.ms': String(flushTimeoutMs) }
  })
  await kafka.createTopic(p.topic)
  const feed = appendLines(p.input, { initial: 1000, total: 1e9, perSecond: LINES_PER_SECOND })
  const w = await startWorker({ work: p.dir, workerProps: p.props, connectorProps: p.connectorProps })
  try {
    await waitUntil(() => fileSize(p.output) >= 1000 * 101, { timeoutMs: 30000, what: 'the sink to write the first 1000 lines' })
    log(`SIGTERM ${afterS} s into an outage`)
    await routed.down()
    await delay(afterS * 1000)
    const at = performance.now()
    try { process.kill(w.pid, 'SIGTERM') } catch {}
    const exit = await w.waitExit(boundMs + 60000)
    const exitMs = exit ? performance.now() - at : null
    if (!exit) await w.kill('SIGKILL')
    const abandoned = w.logText().split('\n').filter(l => /abandon|did not finish|Exiting without waiting/i.test(l)).slice(0, 3)
    return { boundMs, exitMs, exit, abandoned }
  } finally {
    await routed.up()
    await feed.stop()
    await w.stop()
  }
}
