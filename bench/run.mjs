// `npm run bench`: Apache Kafka Connect 4.3.1's standalone worker against ours, side by side on one real Kafka broker,
// plus the raw node-rdkafka ceiling. Prints a table and writes it to bench/RESULTS.md, and its chart to bench/results.svg.
//
//   BENCH_RUNS=3            rounds; every scenario runs once per round with each runner, the runners alternating
//   BENCH_RECORDS=1000000   records per throughput scenario
//   BENCH_SCENARIOS=e,a,b,c,d,f,g,s,k   which scenarios (e = start-up and idle footprint; f, g = AvroConverter; s = the
//                           scaling table; k = the soak; h = Postgres CDC, not in the default list: one full-scale round
//                           alone takes minutes, so it runs only when named)
//   BENCH_SCALING_RECORDS=500000   s: 100-byte records per case of its connectors and partitions parts;
//                           BENCH_SCALING_SIZE_MB=100   MB per case of its record sizes part;
//                           BENCH_SCALING_PARTS=sizes,connectors,partitions   which parts of s run;
//                           BENCH_SCALING_SIZES=100,1024,10240,102400 (bytes), BENCH_SCALING_CONNECTORS=1,10,50,
//                           BENCH_SCALING_PARTITIONS=1,12,48, BENCH_SCALING_TASKS=1,2 (tasks.max),
//                           BENCH_SCALING_SINKS=string,json (the partitions part's sinks: as b, and as d; smt6: scenario c's six SMTs)
//   BENCH_TASK_PLACEMENT=main|process|auto   passed to our worker as task.placement (s, k); unset: the worker's default
//   BENCH_SOAK_MINUTES=10   k's length (fractions allowed); BENCH_SOAK_RATE=5000 lines/s; BENCH_SOAK_RUNNERS=ours
//                           (ours,apache adds Apache's soak: ten more minutes)
//   BENCH_AVRO_RECORDS=300000   records per AvroConverter scenario (f, g)
//   BENCH_SCHEMA_REGISTRY_URL=http://host:port   use this registry (Apicurio's base URL) for f, g instead of starting one
//   BENCH_CDC_ROWS=1000000   rows of the Postgres CDC scenario's (h) snapshot; BENCH_CDC_CHANGES=200000 its streamed changes
//   BENCH_POSTGRES_URL=postgresql://...   use this PostgreSQL (wal_level=logical, a superuser) for h instead of starting one
//   BENCH_KEEP=1            keep the work directory (inputs, logs, sink outputs)
//   BENCH_RESULTS=path      where to write the markdown (default bench/RESULTS.md; "-" for none) and, beside it, its
//                           chart (bench/results.svg; path.svg otherwise; `npm run bench:chart` redraws it alone)
//   BENCH_RUNNERS=apache,ours,ceiling   a subset, while working on one side (the table then has gaps)
//   BENCH_BOOTSTRAP_SERVERS=host:port   use this broker instead of starting one
//   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR"   extra node arguments for our worker (profiling any scenario, s included)
//
// Scenarios: a. FileStreamSource → topic (StringConverter); b. topic → FileStreamSink (StringConverter);
// c. FileStreamSource with JsonConverter (schemas on) and HoistField, InsertField (static, timestamp), Cast,
// MaskField, RegexRouter; d. FileStreamSink with JsonConverter (schemas on), ReplaceField and a Filter guarded by
// HasHeaderKey; e. start-up to RUNNING and to the first record, and the idle footprint; f. FileStreamSource with
// HoistField and AvroConverter against a real registry; g. FileStreamSink with AvroConverter (bench/lib/avro.mjs: ours
// against Apicurio's AvroConverter in Apache Connect); h. Postgres CDC, a snapshot then streamed changes, ours against
// Debezium's PostgresConnector in Apache Connect (bench/lib/cdc.mjs). f and g have their own section in RESULTS.md
// (bench/lib/avro-report.mjs), and h its own (bench/lib/cdc-report.mjs): a run of f,g or of h alone replaces only its
// section, a run without them keeps it. s (bench/lib/scaling.mjs) measures how throughput and peak RSS grow with the
// record size, the connectors in one process and the partitions read by tasks.max 1 or 2, and k (bench/lib/soak.mjs) a
// steady pipeline's RSS over minutes; both have one section of their own (bench/lib/scaling-report.mjs), kept likewise.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join, relative } from 'node:path'
import { CONNECT_VERSION, APACHE_HEAP_OPTS, APACHE_JVM_PERFORMANCE_OPTS } from '../test/harness/apache-connect.mjs'
import { startKafkaBroker } from '../test/harness/kafka-broker.mjs'
import { findJava } from '../test/harness/resolve-classpath.mjs'
import { resolveConnectClasspath } from '../test/harness/resolve-connect.mjs'
import { KAFKA_VERSION, resolveKafkaClasspath } from '../test/harness/resolve-kafka.mjs'
import { isAvroScenario, prepareAvroInputs, startAvroSetup } from './lib/avro.mjs'
import { buildAvroSection, writeResults } from './lib/avro-report.mjs'
import { CDC_SCENARIO, startCdcSetup } from './lib/cdc.mjs'
import { buildCdcSection, readCdcSection, writeCdcSection } from './lib/cdc-report.mjs'
import { writeChart } from './lib/chart.mjs'
import { LIBRDKAFKA_VERSION, openKafka } from './lib/kafka.mjs'
import { cell, ratio, stats, table } from './lib/report.mjs'
import { ROOT } from './lib/runners.mjs'
import { runScaling, scalingConfig, SCALING_SCENARIO, SOAK_SCENARIO, summarizeScalingRun } from './lib/scaling.mjs'
import { buildScalingSection, mergeScalingSection, readScalingSection, writeScalingSection } from './lib/scaling-report.mjs'
import { runSoaks } from './lib/soak.mjs'
import { ensureBuilt, IDLE_MS, log, prepareInputs, runOne, SCENARIO_TITLES, SKIP_EVERY, SKIP_HEADER, STARTUP_LINES, summarizeRun, VALUE_BYTES } from './lib/scenarios.mjs'

const benchStarted = performance.now()
const envInt = (name, fallback) => {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw.replace(/_/g, ''))
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not ${raw}`)
  return n
}
const RUNS = envInt('BENCH_RUNS', 3)
const RECORDS = envInt('BENCH_RECORDS', 1_000_000)
const AVRO_RECORDS = envInt('BENCH_AVRO_RECORDS', 300_000)
const CDC_ROWS = envInt('BENCH_CDC_ROWS', 1_000_000)
const CDC_CHANGES = envInt('BENCH_CDC_CHANGES', 200_000)
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'e,a,b,c,d,f,g,s,k').split(',').map(s => s.trim()).filter(Boolean)
for (const s of SCENARIOS) if (!'abcdefghsk'.includes(s) || s.length !== 1) throw new Error(`BENCH_SCENARIOS: unknown scenario ${s} (a, b, c, d, e, f, g, h, s, k)`)
const isScalingScenario = s => s === SCALING_SCENARIO || s === SOAK_SCENARIO
const isMainScenario = s => !isAvroScenario(s) && s !== CDC_SCENARIO && !isScalingScenario(s)
const HAS_SCALING = SCENARIOS.includes(SCALING_SCENARIO)
const HAS_SOAK = SCENARIOS.includes(SOAK_SCENARIO)
const SCALING = scalingConfig()
const HAS_MAIN = SCENARIOS.some(isMainScenario)
const HAS_AVRO = SCENARIOS.some(isAvroScenario)
const HAS_CDC = SCENARIOS.includes(CDC_SCENARIO)
const RUNNERS = (process.env.BENCH_RUNNERS ?? 'apache,ours,ceiling').split(',').map(s => s.trim()).filter(Boolean)
for (const r of RUNNERS) if (!['apache', 'ours', 'ceiling'].includes(r)) throw new Error(`BENCH_RUNNERS: unknown runner ${r} (apache, ours, ceiling)`)
const KEEP = process.env.BENCH_KEEP === '1'
const RESULTS_FILE = process.env.BENCH_RESULTS === '-' ? null : (process.env.BENCH_RESULTS || join(ROOT, 'bench', 'RESULTS.md'))
const NAMES = { apache: `Apache ${CONNECT_VERSION}`, ours: 'Ours', ceiling: 'Raw client' }

function machine () {
  const cpuModel = cpus()[0]?.model?.trim() ?? 'unknown'
  let java = 'unknown'
  try {
    const out = spawnSync(findJava(), ['-version'], { encoding: 'utf8' })
    java = (out.stderr || out.stdout).split('\n').filter(Boolean).slice(0, 2).join('; ')
  } catch {}
  let kernel = ''
  try { kernel = execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim() } catch {}
  return {
    cpu: cpuModel,
    cores: cpus().length,
    ramGb: totalmem() / 1024 ** 3,
    kernel,
    node: process.version,
    java,
    librdkafka: LIBRDKAFKA_VERSION,
    kafka: KAFKA_VERSION,
    connect: CONNECT_VERSION
  }
}

// ---- Report -----------------------------------------------------------------------------------------------------

function buildReport ({ results: all, info, failures: allFailures, durations }) {
  const results = all.filter(r => isMainScenario(r.scenario))
  const failures = allFailures.filter(f => isMainScenario(f[0]))
  const get = (scenario, runner, key) => stats(results.filter(r => r.scenario === scenario && r.runner === runner).map(r => r[key]))
  const rows = []
  const targets = []
  let lastScenario = null
  const row = (scenario, label, key, format, { ceiling = false } = {}) => {
    const a = get(scenario, 'apache', key)
    const o = get(scenario, 'ours', key)
    const c = ceiling ? get(scenario, 'ceiling', key) : null
    if (!a && !o) return
    rows.push([lastScenario !== scenario ? SCENARIO_TITLES[scenario] : '', label,
      cell(a, format), cell(o, format), ratio(o, a), ceiling ? cell(c, format) : '', ceiling ? ratio(o, c) : ''])
    lastScenario = scenario
  }
  for (const s of ['a', 'b', 'c', 'd']) {
    if (!SCENARIOS.includes(s)) continue
    const ceiling = s === 'a' || s === 'b'
    row(s, 'records/s', 'recordsPerS', 'rate', { ceiling })
    row(s, 'MB/s', 'mbPerS', 'mbps', { ceiling })
    row(s, 'peak RSS, MB', 'peakRssMb', 'mb', { ceiling })
    row(s, 'CPU s, whole process', 'cpuS', 'seconds', { ceiling })
    row(s, 'CPU s, first to last record', 'transferCpuS', 'seconds', { ceiling })
    row(s, 'process start to last record, s', 'wallS', 'seconds', { ceiling })
  }
  if (SCENARIOS.includes('e')) {
    row('e', 'start to RUNNING, s', 'readyS', 'seconds',)
    row('e', 'start to first record in Kafka, s', 'firstRecordS', 'seconds',)
    row('e', `idle RSS (${IDLE_MS / 1000} s after), MB`, 'idleRssMb', 'mb',)
    row('e', 'peak RSS, MB', 'peakRssMb', 'mb',)
    row('e', 'CPU s, start-up + idle', 'cpuS', 'seconds',)
  }
  const header = ['Scenario', 'Metric', NAMES.apache, NAMES.ours, 'Ours / Apache', NAMES.ceiling, 'Ours / raw']
  const mainTable = table(header, rows)

  // Targets (issue 5), judged on medians.
  const med = (s, runner, key) => get(s, runner, key)?.median
  const check = (label, value, goal, cmp) => {
    if (value === undefined || Number.isNaN(value)) return
    targets.push(`| ${label} | ${goal} | ${value.toFixed(2)} | ${cmp(value) ? 'met' : '**not met**'} |`)
  }
  for (const s of ['a', 'b', 'c', 'd']) {
    if (!SCENARIOS.includes(s)) continue
    check(`${s}: throughput ours / Apache`, med(s, 'ours', 'recordsPerS') / med(s, 'apache', 'recordsPerS'), '≥ 1.5', v => v >= 1.5)
    if (s === 'a' || s === 'b') check(`${s}: throughput ours / raw client`, med(s, 'ours', 'recordsPerS') / med(s, 'ceiling', 'recordsPerS'), '≥ 0.70', v => v >= 0.7)
  }
  if (SCENARIOS.includes('e')) check('e: start-up to RUNNING ours / Apache', med('e', 'ours', 'readyS') / med('e', 'apache', 'readyS'), '≤ 0.10', v => v <= 0.1)
  for (const s of ['a', 'b', 'c', 'd', 'e']) {
    if (!SCENARIOS.includes(s)) continue
    check(`${s}: peak RSS ours / Apache`, med(s, 'ours', 'peakRssMb') / med(s, 'apache', 'peakRssMb'), '≤ 0.25', v => v <= 0.25)
  }

  const outputs = []
  for (const s of ['b', 'd']) {
    if (!SCENARIOS.includes(s)) continue
    const hashes = results.filter(r => r.scenario === s && r.runner !== 'ceiling').map(r => r.outputSha256)
    if (hashes.length > 0) outputs.push(`${s}: the sink files of all ${hashes.length} Apache and our runs are ${new Set(hashes).size === 1 ? 'byte-identical' : '**not identical** (see the per-run log)'}`)
  }
  const methods = [...new Set(results.filter(r => r.runner === 'ours' && r.readyMethod).map(r => r.readyMethod))]
  const duplicates = results.filter(r => r.recordsInTopic !== undefined && r.recordsInTopic !== r.expectedInTopic)

  if (!HAS_MAIN) return null
  const md = []
  md.push('# Benchmark: Apache Kafka Connect vs connect-standalone (Node.js)')
  md.push('')
  md.push(`Generated by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ` +
    `${RUNS} round(s) × ${RECORDS.toLocaleString('en-US')} records of ${VALUE_BYTES} bytes, medians with the spread (min–max) in parentheses.`)
  md.push('')
  md.push(mainTable)
  md.push('')
  if (targets.length > 0) {
    md.push('Targets (medians):')
    md.push('')
    md.push('| Target | Goal | Measured | |')
    md.push('| --- | ---: | ---: | --- |')
    md.push(...targets)
    md.push('')
  }
  md.push('## Machine and versions')
  md.push('')
  md.push(`* CPU: ${info.cpu}, ${info.cores} cores; RAM ${info.ramGb.toFixed(0)} GB; ${info.kernel}`)
  md.push(`* Load average (1 min) before / after: ${durations.loadBefore.toFixed(2)} / ${durations.loadAfter.toFixed(2)}` +
    ' (the machine is shared: other processes compete for the same cores, so treat single numbers with care)')
  md.push(`* Node.js ${info.node}, librdkafka ${info.librdkafka} (node-rdkafka); ${info.java}`)
  md.push(`* Apache Kafka ${info.kafka} broker: one KRaft node on the same machine, started by test/harness/kafka-broker.mjs ` +
    '(its test settings: SerialGC, C1 only, 1 GB heap; the same broker for every runner, and the raw client shows how far it goes); ' +
    `Apache Kafka Connect ${info.connect} from Maven Central`)
  md.push(`* Apache's JVM options, as bin/connect-standalone.sh and kafka-run-class.sh pass them: \`${[...APACHE_HEAP_OPTS, ...APACHE_JVM_PERFORMANCE_OPTS].join(' ')}\` (and the JMX flags)`)
  md.push(`* Whole run: ${(durations.totalS / 60).toFixed(1)} min for ${RUNS} round(s) × ${RECORDS.toLocaleString('en-US')} records × scenarios ${SCENARIOS.join(', ')} × runners ${RUNNERS.join(', ')}` +
    `${RUNS >= 3 && RECORDS >= 1_000_000 ? ', nothing reduced' : ''}`)
  md.push(`* Of which preparation ${durations.prepS.toFixed(0)} s (build ${durations.build}, Maven classpaths ${durations.resolveS.toFixed(1)} s, broker ${durations.brokerS.toFixed(1)} s, inputs ${durations.inputsS.toFixed(1)} s)`)
  md.push('')
  md.push('## How it is measured')
  md.push('')
  md.push('* One broker for everything; each scenario runs once per round with each runner, one at a time, in alternating order ' +
    '(Apache first in odd rounds, last in even ones). Every run uses a fresh topic (sources) or a fresh consumer group (sinks), a fresh worker and offsets file.')
  md.push('* **Sources (a, c)** read the same file of lines; completion is the destination topic\'s high watermark reaching N ' +
    '(polled every 20 ms). **Sinks (b, d)** read the same pre-filled topic; completion is the sink file holding the expected number of lines ' +
    `(d: every ${SKIP_EVERY}th record carries the header \`${SKIP_HEADER}\` and is dropped by the Filter).`)
  md.push('* **records/s and MB/s** cover the first to the last record (start-up excluded); MB are input bytes (file lines without ' +
    'the newline for sources, record values in Kafka for sinks), 1 MB = 2^20 bytes.')
  md.push('* **Peak RSS** is the worker process\'s VmHWM (and the process tree\'s VmRSS sampled every 250 ms, whichever is larger); ' +
    '**CPU s** is utime + stime from /proc/<pid>/stat, read when the last record arrived (whole process: start-up included; ' +
    '"first to last record": only the transfer).')
  md.push(`* **Start-up (e)** runs a ${STARTUP_LINES}-line file. "Start" is just before the process is spawned (Apache: just before the harness ` +
    'writes its files and spawns the JVM). RUNNING is GET /connectors/<name>/status reporting the connector and its task RUNNING: ' +
    'Apache polled by test/harness/apache-connect.mjs every 100 ms (so up to ~0.1 s late); ours polled every 10 ms' +
    (methods.includes('log line') ? ', or, while our REST API does not answer yet, the "Kafka Connect started" log line' : '') +
    '. First record: the topic\'s watermark polled every 5 ms.')
  md.push('* **Raw client** (bench/ceiling.mjs): node-rdkafka producing the file\'s lines (acks=all, idempotence, delivery ' +
    'reports, librdkafka defaults otherwise) and consuming the topic into a file (consume(5000) batches, fetch.queue.backoff.ms=10, ' +
    'one write per batch), with no Connect logic: what the client library itself allows on this machine.')
  md.push('* Our worker runs from dist/ (`node bin/connect-standalone.js`), with default settings, as Apache does. ' +
    '`npm run bench:profile` runs it under `node --cpu-prof` on the same scenarios and lists its hot functions.')
  if (methods.length > 0) md.push(`* Our start-up signal in this run: ${methods.join(', ')}.`)
  md.push('')
  if (outputs.length > 0 || duplicates.length > 0 || failures.length > 0) {
    md.push('## Checks')
    md.push('')
    for (const o of outputs) md.push(`* ${o}`)
    for (const d of duplicates) md.push(`* ${d.scenario} ${d.runner} round ${d.round}: the topic holds ${d.recordsInTopic} records, not ${d.expectedInTopic}`)
    for (const f of failures) md.push(`* FAILED: ${f}`)
    md.push('')
  }
  md.push('## Every run')
  md.push('')
  md.push('```')
  for (const r of results) md.push(summarizeRun(r))
  md.push('```')
  md.push('')
  return md.join('\n')
}

// ---- Main -------------------------------------------------------------------------------------------------------

async function main () {
  const loadBefore = loadavg()[0]
  log(`${RUNS} round(s), scenarios ${SCENARIOS.join(',')}: ${[HAS_MAIN && `${RECORDS.toLocaleString('en-US')} records (a–d)`, HAS_AVRO && `${AVRO_RECORDS.toLocaleString('en-US')} records (f, g)`,
    HAS_CDC && `${CDC_ROWS.toLocaleString('en-US')} rows + ${CDC_CHANGES.toLocaleString('en-US')} changes (h)`,
    HAS_SCALING && `${SCALING.records.toLocaleString('en-US')} records per case (s)`, HAS_SOAK && `a ${SCALING.soakMinutes}-min soak (k)`].filter(Boolean).join(', ')}`)
  const build = ensureBuilt()
  const resolveStarted = performance.now()
  resolveKafkaClasspath()
  resolveConnectClasspath()
  const resolveS = (performance.now() - resolveStarted) / 1000
  const info = machine()

  const brokerStarted = performance.now()
  const external = process.env.BENCH_BOOTSTRAP_SERVERS
  const broker = external ? { bootstrapServers: external, stop: async () => {} } : await startKafkaBroker({ heap: '1g' })
  const brokerS = (performance.now() - brokerStarted) / 1000
  const work = mkdtempSync(join(tmpdir(), 'connect-bench-'))
  let kafka = null
  let avro = null
  let cdc = null
  const results = []
  const failures = []
  let stopping = false
  const cleanup = async () => {
    await kafka?.close().catch(() => {})
    await avro?.stop().catch(() => {})
    await cdc?.stop().catch(() => {})
    await broker.stop().catch(() => {})
    if (!KEEP) rmSync(work, { recursive: true, force: true })
    else log(`kept ${work}`)
  }
  process.once('SIGINT', () => {
    if (stopping) process.exit(130)
    stopping = true
    log('interrupted: stopping')
    void cleanup().then(() => process.exit(130))
  })
  try {
    kafka = await openKafka(broker.bootstrapServers)
    const inputsStarted = performance.now()
    const stamp = Date.now().toString(36)
    const inputs = await prepareInputs({ kafka, bootstrap: broker.bootstrapServers, work, records: RECORDS, scenarios: SCENARIOS, stamp })
    let avroPrepS = 0
    if (HAS_AVRO) {
      const avroStarted = performance.now()
      avro = await startAvroSetup()
      log(`registry ${avro.url} (${avro.registryExternal ? 'given' : `started in ${avro.registryS.toFixed(1)} s`}), peer converter plugin in ${avro.pluginS.toFixed(1)} s`)
      Object.assign(inputs, await prepareAvroInputs({ kafka, bootstrap: broker.bootstrapServers, work, records: AVRO_RECORDS, scenarios: SCENARIOS, stamp, avro }))
      avroPrepS = (performance.now() - avroStarted) / 1000
    }
    let cdcPrepS = 0
    if (HAS_CDC) {
      const cdcStarted = performance.now()
      cdc = await startCdcSetup({ stamp })
      cdcPrepS = (performance.now() - cdcStarted) / 1000
      log(`PostgreSQL ${cdc.version} (${cdc.serverExternal ? 'given' : `started in ${cdc.serverS.toFixed(1)} s`}), Debezium's plugin directory in ${cdc.pluginS.toFixed(1)} s`)
    }
    const inputsS = (performance.now() - inputsStarted) / 1000
    log(`inputs ready in ${inputsS.toFixed(1)} s (${relative(ROOT, work) || work})`)
    const ctx = { bootstrap: broker.bootstrapServers, kafka, work, inputs, stamp, records: RECORDS, keep: KEEP, avro, avroRecords: AVRO_RECORDS, cdc, cdcRows: CDC_ROWS, cdcChanges: CDC_CHANGES }
    const prepS = (performance.now() - benchStarted) / 1000
    const avroLoadBefore = loadavg()[0]
    let avroRunsS = 0
    let cdcLoadBefore = null
    let cdcRunsS = 0

    for (let round = 1; round <= RUNS && !stopping; round++) {
      for (const scenario of SCENARIOS.filter(s => !isScalingScenario(s))) {
        // The raw client has no Avro nor Postgres: f, g and h compare the two workers only.
        let runners = (scenario === 'a' || scenario === 'b' ? ['apache', 'ours', 'ceiling'] : ['apache', 'ours']).filter(r => RUNNERS.includes(r))
        if (round % 2 === 0) runners = runners.reverse()
        for (const runner of runners) {
          if (stopping) break
          const runStarted = performance.now()
          const load1 = loadavg()[0]
          if (scenario === CDC_SCENARIO) cdcLoadBefore ??= load1
          try {
            const r = await runOne({ scenario, runner, round, ctx })
            r.load1 = load1
            results.push(r)
            log(summarizeRun(r))
          } catch (err) {
            failures.push(`${scenario} ${runner} round ${round}: ${err.message.split('\n')[0]}`)
            log(`${scenario} ${runner} round ${round} FAILED: ${err.stack ?? err}`)
          }
          if (isAvroScenario(scenario)) avroRunsS += (performance.now() - runStarted) / 1000
          if (scenario === CDC_SCENARIO) cdcRunsS += (performance.now() - runStarted) / 1000
        }
      }
    }
    // s and k: their own rounds and cases (bench/lib/scaling.mjs, soak.mjs), after the others.
    const scalingRunners = RUNNERS.filter(r => r !== 'ceiling')
    const scaling = HAS_SCALING && !stopping
      ? await runScaling({ ctx, runs: RUNS, runners: scalingRunners, cfg: SCALING, isStopping: () => stopping })
      : null
    const soak = HAS_SOAK && !stopping ? await runSoaks({ ctx, cfg: SCALING, runners: scalingRunners, isStopping: () => stopping }) : null
    const durations = { prepS, resolveS, brokerS, inputsS, build, loadBefore, loadAfter: loadavg()[0], totalS: (performance.now() - benchStarted) / 1000 }
    const report = buildReport({ results, info, failures, durations })
    const avroSection = HAS_AVRO
      ? buildAvroSection({
        results, failures, scenarios: SCENARIOS, runs: RUNS, records: AVRO_RECORDS, connectVersion: CONNECT_VERSION, setup: avro, inputs,
        loadBefore: avroLoadBefore, loadAfter: durations.loadAfter, prepS: avroPrepS, totalS: avroPrepS + avroRunsS, summarizeRun
      })
      : null
    const cdcSection = HAS_CDC
      ? buildCdcSection({
        results, failures, runs: RUNS, rows: CDC_ROWS, changes: CDC_CHANGES, connectVersion: CONNECT_VERSION, setup: cdc,
        loadBefore: cdcLoadBefore ?? durations.loadAfter, loadAfter: durations.loadAfter, totalS: cdcPrepS + cdcRunsS, summarizeRun
      })
      : null
    if (scaling) failures.push(...scaling.failures)
    if (soak) failures.push(...soak.failures)
    const scalingSection = scaling || soak
      ? buildScalingSection({
        results: scaling?.results ?? [], failures, soaks: soak?.soaks ?? [], runs: RUNS, cfg: SCALING, connectVersion: CONNECT_VERSION,
        tasksSupported: scaling?.tasksSupported ?? false, loadBefore: scaling?.loadBefore ?? durations.loadAfter, loadAfter: durations.loadAfter,
        prepS: scaling?.prepS, totalS: scaling?.totalS, soakS: soak?.totalS, summarizeRun: summarizeScalingRun
      })
      : null
    process.stdout.write(`\n${[report, avroSection, cdcSection, scalingSection].filter(Boolean).join('\n\n')}\n`)
    if (RESULTS_FILE && !stopping) {
      const previousCdc = readCdcSection(RESULTS_FILE)
      const previousScaling = readScalingSection(RESULTS_FILE)
      writeResults(RESULTS_FILE, report, avroSection)
      writeCdcSection(RESULTS_FILE, cdcSection ?? previousCdc)
      writeScalingSection(RESULTS_FILE, mergeScalingSection(previousScaling, scalingSection, { scaling: Boolean(scaling), soak: Boolean(soak) }))
      log(`wrote ${relative(ROOT, RESULTS_FILE)}`)
      // The chart is drawn from the tables just written (both sections, whichever this run replaced).
      const chartFile = RESULTS_FILE === join(ROOT, 'bench', 'RESULTS.md') ? join(ROOT, 'bench', 'results.svg') : RESULTS_FILE.replace(/(\.md)?$/i, '.svg')
      try {
        writeChart(RESULTS_FILE, chartFile)
        log(`wrote ${relative(ROOT, chartFile)}`)
      } catch (err) { log(`chart not drawn: ${err.message}`) }
    }
    return failures.length === 0 ? 0 : 1
  } finally {
    await cleanup()
    log(`done in ${((performance.now() - benchStarted) / 60000).toFixed(1)} min`)
  }
}

// Exit explicitly: the harness's stop() leaves a 30 s fallback timer running after the broker has exited.
process.exit(await main())
