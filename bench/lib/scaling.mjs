// Scenario s, how cost grows: throughput and peak RSS of Apache and ours over record sizes, connectors in one
// process, and topics of several partitions read by sinks with tasks.max 1 and 2. Each case runs with each runner
// once per round (alternating), measured as scenarios a and b are (bench/lib/scenarios.mjs), with the same runners
// (bench/lib/runners.mjs) and /proc readings (bench/lib/proc.mjs). The table itself: bench/lib/scaling-report.mjs.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { isSkipped, jsonValue, line, sizedLine, skippedCount, SKIP_HEADER, VALUE_BYTES, watchLines, writeLinesFile } from './data.mjs'
import { fillTopic, watchTopic } from './kafka.mjs'
import { followProcess, usage } from './proc.mjs'
import { ROOT, startApache, startOurs } from './runners.mjs'
import { log, SMT_CHAIN_C, SMT_CHAIN_D, workerProps } from './scenarios.mjs'

export const SCALING_SCENARIO = 's'
export const SOAK_SCENARIO = 'k'
const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector'
const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector'

const list = (env, name, fallback, parse = Number) => {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const values = raw.split(',').map(s => s.trim()).filter(Boolean).map(s => parse(s.replace(/_/g, '')))
  if (values.length === 0 || values.some(v => (typeof v === 'number' ? !Number.isInteger(v) || v < 1 : !v))) throw new Error(`${name}: not a list of positive integers: ${raw}`)
  return values
}
const pick = (name, allowed) => s => { if (!allowed.includes(s)) throw new Error(`${name}: ${s} is not one of ${allowed.join(', ')}`); return s }
const positive = (env, name, fallback) => {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw.replace(/_/g, ''))
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not ${raw}`)
  return n
}

/** The scaling and soak settings from BENCH_* variables (documented at the top of bench/run.mjs). */
export function scalingConfig (env = process.env) {
  const taskPlacement = env.BENCH_TASK_PLACEMENT ? pick('BENCH_TASK_PLACEMENT', ['main', 'process', 'auto'])(env.BENCH_TASK_PLACEMENT) : null
  return {
    records: list(env, 'BENCH_SCALING_RECORDS', [500_000])[0],
    sizeMb: positive(env, 'BENCH_SCALING_SIZE_MB', 100),
    parts: list(env, 'BENCH_SCALING_PARTS', ['sizes', 'connectors', 'partitions'], pick('BENCH_SCALING_PARTS', ['sizes', 'connectors', 'partitions'])),
    sizes: list(env, 'BENCH_SCALING_SIZES', [100, 1024, 10240, 102400]),
    connectors: list(env, 'BENCH_SCALING_CONNECTORS', [1, 10, 50]),
    partitions: list(env, 'BENCH_SCALING_PARTITIONS', [1, 12, 48]),
    tasks: list(env, 'BENCH_SCALING_TASKS', [1, 2]),
    sinks: list(env, 'BENCH_SCALING_SINKS', ['string', 'json'], pick('BENCH_SCALING_SINKS', ['string', 'json', 'smt6'])),
    taskPlacement,
    soakMinutes: positive(env, 'BENCH_SOAK_MINUTES', 10),
    soakRate: positive(env, 'BENCH_SOAK_RATE', 5000),
    soakRunners: list(env, 'BENCH_SOAK_RUNNERS', ['ours'], pick('BENCH_SOAK_RUNNERS', ['ours', 'apache']))
  }
}

/** Does this dist/ know the worker setting task.placement (issue 16)? Until it does, every task runs in the worker's process. */
export function taskPlacementSupported () {
  try { return readFileSync(join(ROOT, 'dist', 'src', 'config', 'worker-config.js'), 'utf8').includes('task.placement') } catch { return false }
}

/** Where our tasks ran for a connector of `tasksMax` tasks: 'worker process' or 'own processes'. */
export function oursTasksOn (cfg, tasksMax, supported = taskPlacementSupported()) {
  if (!supported) return 'worker process'
  const mode = cfg.taskPlacement ?? 'auto'
  return mode === 'process' || (mode === 'auto' && tasksMax > 1) ? 'own processes' : 'worker process'
}

/** Our worker's properties, and Apache's: the same, plus task.placement for ours when BENCH_TASK_PLACEMENT is set. */
export function scalingWorkerProps (runner, json, dir, bootstrap, cfg) {
  return { ...workerProps(json ? 'd' : 'b', dir, bootstrap), ...(runner === 'ours' && cfg.taskPlacement ? { 'task.placement': cfg.taskPlacement } : {}) }
}

/** The shortest first-to-last-record time that gives a rate: the completion checks poll every 20–200 ms. */
const MIN_TRANSFER_S = 0.25

/** Records of `size` bytes that carry `mb` MB (2^20 bytes), at least 20. */
export const recordsOfSize = (mb, size) => Math.max(20, Math.round(mb * 2 ** 20 / size))

/** Waits for every watcher; first = the earliest first record, last = the latest last one. One failure stops them all. */
function waitAll (watchers) {
  return async opts => {
    let failed = null
    let fired = false
    const shared = {
      ...opts,
      isAlive: () => (failed ? 'gave up (another watcher failed)' : opts.isAlive()),
      onFirst: () => { if (!fired) { fired = true; opts.onFirst() } }
    }
    const seen = await Promise.all(watchers.map(w => w(shared).catch(err => { failed ??= err; throw err })))
    return { firstMs: Math.min(...seen.map(s => s.firstMs)), lastMs: Math.max(...seen.map(s => s.lastMs)) }
  }
}

/** The cases of the enabled parts, in the order they run; inputs (files, filled topics) are made once, here. */
export async function prepareScaling ({ kafka, bootstrap, work, stamp, cfg, topics }) {
  const dir = join(work, 'scaling')
  mkdirSync(dir, { recursive: true })
  const R = cfg.records
  const cases = []
  const newTopic = async (topic, partitions = 1) => { await kafka.createTopic(topic, partitions); topics.push(topic); return topic }
  const fresh = (kind, ctx) => `scale-${stamp}-${kind}-${ctx.runner}-${ctx.round}`

  if (cfg.parts.includes('sizes')) {
    for (const size of cfg.sizes) {
      const records = recordsOfSize(cfg.sizeMb, size)
      const file = join(dir, `size-${size}.txt`)
      writeLinesFile(file, records, size)
      const input = await newTopic(`scale-${stamp}-size-${size}`)
      await fillTopic(bootstrap, input, records, i => ({ value: Buffer.from(sizedLine(i, size), 'latin1') }))
      const fields = { part: 'sizes', size, records, bytes: records * size, oursTasksOn: oursTasksOn(cfg, 1) }
      cases.push({
        id: `size-${size}-source`, fields: { ...fields, direction: 'source' },
        async setup (ctx) {
          const topic = await newTopic(fresh(`size-${size}`, ctx))
          return {
            connectors: [{ name: ctx.name, 'connector.class': SOURCE, 'tasks.max': '1', file, topic }],
            wait: opts => watchTopic(kafka, topic, records, opts),
            check: async () => ({ recordsInTopic: await kafka.count(topic), expectedInTopic: records })
          }
        }
      })
      cases.push({
        id: `size-${size}-sink`, fields: { ...fields, direction: 'sink' },
        async setup (ctx) {
          const out = join(ctx.dir, 'sink.txt')
          return { connectors: [{ name: ctx.name, 'connector.class': SINK, 'tasks.max': '1', file: out, topics: input }], wait: opts => watchLines(out, records, opts), outFiles: [out] }
        }
      })
    }
  }

  if (cfg.parts.includes('connectors')) {
    for (const n of cfg.connectors) {
      const each = Math.ceil(R / n)
      const file = join(dir, `connectors-${n}.txt`)
      writeLinesFile(file, each)
      cases.push({
        id: `connectors-${n}`, fields: { part: 'connectors', connectors: n, records: each * n, bytes: each * n * VALUE_BYTES, oursTasksOn: oursTasksOn(cfg, 1) },
        async setup (ctx) {
          const names = Array.from({ length: n }, (_, i) => `${fresh(`conn-${n}`, ctx)}-${i}`)
          for (const t of names) await newTopic(t)
          const intervalMs = Math.max(20, 4 * n)
          return {
            connectors: names.map((topic, i) => ({ name: `${ctx.name}-${i}`, 'connector.class': SOURCE, 'tasks.max': '1', file, topic })),
            wait: waitAll(names.map(topic => opts => watchTopic(kafka, topic, each, { ...opts, intervalMs }))),
            check: async () => {
              let inTopics = 0
              for (const t of names) inTopics += await kafka.count(t)
              return { recordsInTopic: inTopics, expectedInTopic: each * n }
            }
          }
        }
      })
    }
  }

  if (cfg.parts.includes('partitions')) {
    for (const sink of cfg.sinks) {
      const json = sink === 'json'
      for (const p of cfg.partitions) {
        const input = await newTopic(`scale-${stamp}-${sink}-p${p}`, p)
        let bytes = 0
        await fillTopic(bootstrap, input, R, i => {
          const value = json ? jsonValue(i) : Buffer.from(line(i), 'latin1')
          bytes += value.length
          return { value, headers: json && isSkipped(i) ? [{ [SKIP_HEADER]: Buffer.from('true') }] : undefined }
        }, p)
        const expected = json ? R - skippedCount(R) : R
        for (const tasksMax of cfg.tasks) {
          cases.push({
            id: `${sink}-p${p}-t${tasksMax}`, json,
            fields: { part: 'partitions', sink, partitions: p, tasksMax, records: R, bytes, oursTasksOn: oursTasksOn(cfg, tasksMax) },
            async setup (ctx) {
              const out = join(ctx.dir, 'sink.txt')
              return {
                connectors: [{ name: ctx.name, 'connector.class': SINK, 'tasks.max': String(tasksMax), file: out, topics: input, ...(json ? SMT_CHAIN_D : sink === 'smt6' ? SMT_CHAIN_C : {}) }],
                wait: opts => watchLines(out, expected, opts),
                outFiles: [out]
              }
            }
          })
        }
      }
    }
  }
  return cases
}

/** Runs one case with one runner; its measurements as scenarios.mjs's runOne reads them. */
export async function runCase ({ c, runner, round, ctx, cfg }) {
  const dir = join(ctx.work, 'scaling', `${c.id}-${runner}-${round}`)
  mkdirSync(dir, { recursive: true })
  const name = `scale-${ctx.stamp}-${c.id}-${runner}-${round}`
  const { connectors, wait, check, outFiles = [] } = await c.setup({ dir, name, runner, round })
  const props = scalingWorkerProps(runner, c.json, dir, ctx.bootstrap, cfg)
  const load1 = loadavg()[0]
  const proc = runner === 'apache'
    ? await startApache({ dir, workerProps: props, connectorProps: connectors })
    : await startOurs({ dir, workerProps: props, connectorProps: connectors })
  const follow = followProcess(proc)
  let atFirst = null
  const timeoutMs = 60000 + c.fields.records / 2 + connectors.length * 2000
  try {
    const seen = await wait({ timeoutMs, isAlive: proc.isAlive, describe: proc.describe, onFirst: () => { if (proc.pid) atFirst = usage(proc.pid) } })
    const ready = await proc.ready
    const u = follow.usage()
    const transferS = (seen.lastMs - seen.firstMs) / 1000
    // Faster than the completion polls can tell apart (tiny test runs): no rate rather than a wrong one.
    const measurable = transferS >= MIN_TRANSFER_S
    const result = {
      ...c.fields, runner, round, load1,
      readyS: ready.ms / 1000,
      transferS,
      recordsPerS: measurable ? c.fields.records / transferS : null,
      mbPerS: measurable ? c.fields.bytes / 2 ** 20 / transferS : null,
      peakRssMb: follow.peakRssMb(u),
      cpuS: u.cpuSeconds,
      transferCpuS: atFirst ? u.cpuSeconds - atFirst.cpuSeconds : null
    }
    if (runner === 'apache') delete result.oursTasksOn
    if (check) Object.assign(result, await check())
    result.stopS = (await proc.stop()).stopMs / 1000
    return result
  } catch (err) {
    await proc.stop().catch(() => {})
    throw err
  } finally {
    follow.stop()
    if (!ctx.keep) for (const f of outFiles) rmSync(f, { force: true })
  }
}

/**
 * Scenario s: every case once per round with each runner (Apache first in odd rounds), then the topics it made are
 * deleted. Returns { results, failures, prepS, totalS, loadBefore, loadAfter, tasksSupported }.
 */
export async function runScaling ({ ctx, runs, runners, cfg, isStopping = () => false }) {
  const started = performance.now()
  const loadBefore = loadavg()[0]
  const topics = []
  const results = []
  const failures = []
  try {
    const cases = await prepareScaling({ kafka: ctx.kafka, bootstrap: ctx.bootstrap, work: ctx.work, stamp: ctx.stamp, cfg, topics })
    const prepS = (performance.now() - started) / 1000
    log(`scaling: ${cases.length} case(s) ready in ${prepS.toFixed(1)} s`)
    for (let round = 1; round <= runs && !isStopping(); round++) {
      for (const c of cases) {
        const order = round % 2 === 0 ? [...runners].reverse() : runners
        for (const runner of order) {
          if (isStopping()) break
          try {
            const r = await runCase({ c, runner, round, ctx, cfg })
            results.push(r)
            log(summarizeScalingRun(r))
          } catch (err) {
            failures.push(`s ${c.id} ${runner} round ${round}: ${err.message.split('\n')[0]}`)
            log(`s ${c.id} ${runner} round ${round} FAILED: ${err.stack ?? err}`)
          }
        }
      }
    }
    return { results, failures, prepS, totalS: (performance.now() - started) / 1000, loadBefore, loadAfter: loadavg()[0], tasksSupported: taskPlacementSupported() }
  } finally {
    for (const t of topics) await ctx.kafka.deleteTopic(t).catch(() => {})
    if (!ctx.keep && existsSync(join(ctx.work, 'scaling'))) rmSync(join(ctx.work, 'scaling'), { recursive: true, force: true })
  }
}

/** One line per run, for the log and RESULTS.md's run list. */
export function summarizeScalingRun (r) {
  const what = r.part === 'sizes' ? `${r.direction} of ${r.size}-byte records` : r.part === 'connectors' ? `${r.connectors} source connector(s)` : `${r.sink} sink, ${r.partitions} partition(s), tasks.max=${r.tasksMax}`
  const rate = r.recordsPerS === null ? [`too fast to time (${r.transferS.toFixed(2)} s)`] : [`${Math.round(r.recordsPerS).toLocaleString('en-US')} records/s`, `${r.mbPerS.toFixed(1)} MB/s`]
  const parts = [`s ${r.runner.padEnd(6)} round ${r.round}: ${what}:`, ...rate,
    `ready ${r.readyS.toFixed(2)} s`, `peak RSS ${r.peakRssMb.toFixed(0)} MB`, `CPU ${r.cpuS.toFixed(2)} s`]
  if (r.oursTasksOn) parts.push(`(tasks on the ${r.oursTasksOn})`)
  if (r.recordsInTopic !== undefined && r.recordsInTopic !== r.expectedInTopic) parts.push(`!! the topic(s) hold ${r.recordsInTopic}, not ${r.expectedInTopic}`)
  if (r.load1 !== undefined) parts.push(`load ${r.load1.toFixed(2)}`)
  return parts.join(' ')
}
