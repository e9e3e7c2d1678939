// Scenario k, the soak: one worker runs a steady pipeline for BENCH_SOAK_MINUTES (a FileStreamSource reading a file
// the bench appends to at BENCH_SOAK_RATE lines/s, into a topic, and a FileStreamSink writing that topic to a file),
// while the bench samples the worker's RSS; the slope after warm-up says whether memory grows (scaling-report.mjs).
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { line, VALUE_BYTES, watchLines } from './data.mjs'
import { followProcess } from './proc.mjs'
import { startApache, startOurs } from './runners.mjs'
import { log } from './scenarios.mjs'
import { scalingWorkerProps } from './scaling.mjs'

const delay = ms => new Promise(resolve => setTimeout(resolve, ms))
const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector'
const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector'

/** Seconds between RSS samples: about 120 samples over the soak, between 1 and 5 s apart. */
export const soakSampleS = minutes => Math.min(5, Math.max(1, minutes * 60 / 120))

/**
 * Runs the soak with `runner`; resolves { runner, minutes, rate, samples: [{ tS, rssMb }], written, delivered,
 * drainS, peakRssMb, cpuS, readyS, load1 }. tS counts from the first appended line.
 */
export async function runSoak ({ runner, ctx, cfg, isStopping = () => false }) {
  const dir = join(ctx.work, 'soak', runner)
  mkdirSync(dir, { recursive: true })
  const topic = `soak-${ctx.stamp}-${runner}`
  await ctx.kafka.createTopic(topic)
  const input = join(dir, 'in.txt')
  const out = join(dir, 'out.txt')
  writeFileSync(input, '')
  const connectors = [
    { name: `soak-${ctx.stamp}-source-${runner}`, 'connector.class': SOURCE, 'tasks.max': '1', file: input, topic },
    { name: `soak-${ctx.stamp}-sink-${runner}`, 'connector.class': SINK, 'tasks.max': '1', file: out, topics: topic }
  ]
  const props = scalingWorkerProps(runner, false, dir, ctx.bootstrap, cfg)
  const load1 = loadavg()[0]
  const proc = runner === 'apache'
    ? await startApache({ dir, workerProps: props, connectorProps: connectors })
    : await startOurs({ dir, workerProps: props, connectorProps: connectors })
  const follow = followProcess(proc, 1000)
  try {
    const ready = await proc.ready
    const durationMs = cfg.soakMinutes * 60000
    const sampleMs = soakSampleS(cfg.soakMinutes) * 1000
    const samples = []
    let written = 0
    let nextSample = 0
    const t0 = performance.now()
    log(`soak ${runner}: ${cfg.soakMinutes} min at ${cfg.soakRate} lines/s, RSS every ${sampleMs / 1000} s`)
    for (;;) {
      const elapsed = performance.now() - t0
      const alive = proc.isAlive()
      if (alive !== true) throw new Error(`soak ${runner}: the worker ${alive}\n${proc.describe()}`)
      if (elapsed >= nextSample || elapsed >= durationMs) {
        samples.push({ tS: elapsed / 1000, rssMb: follow.usage().rssBytes / 2 ** 20 })
        nextSample += sampleMs
      }
      if (elapsed >= durationMs || isStopping()) break
      // Appended in steps of 100 ms: the file always holds rate × elapsed lines.
      const target = Math.floor(cfg.soakRate * elapsed / 1000)
      if (target > written) {
        const lines = []
        for (let i = written; i < target; i++) lines.push(line(i))
        appendFileSync(input, lines.join('\n') + '\n', 'latin1')
        written = target
      }
      await delay(100)
    }
    // Drained: the sink file holds every line appended (how far behind the pipeline was at the end).
    const drainStarted = performance.now()
    const seen = await watchLines(out, written, { timeoutMs: 120000, intervalMs: 100, isAlive: proc.isAlive, describe: proc.describe })
    const u = follow.usage()
    const result = {
      runner, minutes: cfg.soakMinutes, rate: cfg.soakRate, samples, written, delivered: seen.lines, load1,
      drainS: (performance.now() - drainStarted) / 1000,
      readyS: ready.ms / 1000,
      peakRssMb: follow.peakRssMb(u),
      cpuS: u.cpuSeconds,
      bytes: written * VALUE_BYTES
    }
    await proc.stop()
    return result
  } catch (err) {
    await proc.stop().catch(() => {})
    throw err
  } finally {
    follow.stop()
    await ctx.kafka.deleteTopic(topic).catch(() => {})
    if (!ctx.keep) rmSync(dir, { recursive: true, force: true })
  }
}

/** Scenario k with each of cfg.soakRunners, one after the other. Returns { soaks, failures, totalS }. */
export async function runSoaks ({ ctx, cfg, runners, isStopping = () => false }) {
  const started = performance.now()
  const soaks = []
  const failures = []
  for (const runner of cfg.soakRunners.filter(r => runners.includes(r))) {
    if (isStopping()) break
    try {
      const s = await runSoak({ runner, ctx, cfg, isStopping })
      soaks.push(s)
      log(`soak ${runner}: ${s.written.toLocaleString('en-US')} lines in, ${s.delivered.toLocaleString('en-US')} out, drained in ${s.drainS.toFixed(1)} s, ` +
        `RSS ${s.samples.map(x => x.rssMb.toFixed(0)).join(' ')} MB`)
    } catch (err) {
      failures.push(`k ${runner}: ${err.message.split('\n')[0]}`)
      log(`soak ${runner} FAILED: ${err.stack ?? err}`)
    }
  }
  return { soaks, failures, totalS: (performance.now() - started) / 1000 }
}
