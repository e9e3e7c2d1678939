// The benchmark's scenarios, and running one of them with one runner (Apache, ours or the raw client): shared by
// bench/run.mjs (the comparison) and bench/profile.mjs (our side under --cpu-prof).
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { isSkipped, jsonValue, line, skippedCount, SKIP_EVERY, SKIP_HEADER, VALUE_BYTES, watchLines, writeLinesFile } from './data.mjs'
import { fillTopic, watchTopic } from './kafka.mjs'
import { followProcess, usage } from './proc.mjs'
import { ROOT, startApache, startCeiling, startOurs } from './runners.mjs'
import { AVRO_TITLES, avroWorkerProps, digestAvroTopic, HOIST_LINE, isAvroScenario } from './avro.mjs'
import { CDC_SCENARIO, CDC_TITLE, runCdc, summarizeCdcRun } from './cdc.mjs'

export const log = message => process.stderr.write(`[bench] ${message}\n`)
const delay = ms => new Promise(resolve => setTimeout(resolve, ms))

/** How long the worker idles after its first record before the idle footprint is read (scenario e). */
export const IDLE_MS = 3000
export const STARTUP_LINES = 10

export const SCENARIO_TITLES = {
  a: 'a. file → topic (StringConverter)',
  b: 'b. topic → file (StringConverter)',
  c: 'c. file → topic (JsonConverter + 6 SMTs)',
  d: 'd. topic → file (JsonConverter + ReplaceField, Filter/HasHeaderKey)',
  e: 'e. start-up (10-line file → topic)',
  ...AVRO_TITLES,
  [CDC_SCENARIO]: CDC_TITLE
}

/** Rebuilds dist/ when a source file is newer than its compiled output (a type error elsewhere does not stop tsc emitting). */
export function ensureBuilt () {
  const stale = []
  const walk = dir => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const rel = join(dir, entry.name)
      if (entry.isDirectory()) walk(rel)
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const out = join(ROOT, 'dist', rel.replace(/\.ts$/, '.js'))
        if (!existsSync(out) || statSync(out).mtimeMs < statSync(join(ROOT, rel)).mtimeMs) stale.push(rel)
      }
    }
  }
  walk('src')
  walk('connectors')
  if (stale.length === 0) return 'up to date'
  log(`dist/ is stale (${stale.length} file(s), e.g. ${stale[0]}): npm run build`)
  const started = performance.now()
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' })
  const secs = ((performance.now() - started) / 1000).toFixed(1)
  if (result.status !== 0) {
    if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'connect-standalone.js'))) throw new Error(`npm run build failed:\n${result.stdout}${result.stderr}`)
    log(`npm run build reported errors (tsc still emitted dist/; continuing):\n${(result.stdout + result.stderr).trim().split('\n').slice(-10).join('\n')}`)
    return `rebuilt in ${secs} s, with type errors`
  }
  return `rebuilt in ${secs} s`
}

async function sha256 (file) {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk)
  return hash.digest('hex')
}

const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter'
const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter'
const T = 'org.apache.kafka.connect.transforms.'
const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector'
const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector'

export function workerProps (scenario, dir, bootstrap) {
  const base = { 'bootstrap.servers': bootstrap, 'offset.storage.file.filename': join(dir, 'connect.offsets') }
  if (scenario === 'c' || scenario === 'd') {
    return { ...base, 'key.converter': JSON_CONVERTER, 'value.converter': JSON_CONVERTER, 'key.converter.schemas.enable': 'true', 'value.converter.schemas.enable': 'true' }
  }
  return { ...base, 'key.converter': STRING_CONVERTER, 'value.converter': STRING_CONVERTER }
}

/** Scenario c: the line becomes a struct, gains three fields, one is cast and one masked, and the topic is renamed. */
export const SMT_CHAIN_C = {
  transforms: 'hoist,insert,shard,cast,mask,route',
  'transforms.hoist.type': `${T}HoistField$Value`,
  'transforms.hoist.field': 'line',
  'transforms.insert.type': `${T}InsertField$Value`,
  'transforms.insert.static.field': 'origin',
  'transforms.insert.static.value': 'bench-node-01',
  'transforms.insert.timestamp.field': 'ingested_at',
  'transforms.shard.type': `${T}InsertField$Value`,
  'transforms.shard.static.field': 'shard',
  'transforms.shard.static.value': '7',
  'transforms.cast.type': `${T}Cast$Value`,
  'transforms.cast.spec': 'shard:int32',
  'transforms.mask.type': `${T}MaskField$Value`,
  'transforms.mask.fields': 'origin',
  'transforms.mask.replacement': '*****',
  'transforms.route.type': `${T}RegexRouter`,
  'transforms.route.regex': '(.*)',
  'transforms.route.replacement': '$1-routed'
}

/** Scenario d: a field dropped, one renamed, and the records carrying the skip header filtered out. */
export const SMT_CHAIN_D = {
  transforms: 'replace,skip',
  'transforms.replace.type': `${T}ReplaceField$Value`,
  'transforms.replace.exclude': 'origin',
  'transforms.replace.renames': 'line:text',
  'transforms.skip.type': `${T}Filter`,
  'transforms.skip.predicate': 'hasSkip',
  predicates: 'hasSkip',
  'predicates.hasSkip.type': `${T}predicates.HasHeaderKey`,
  'predicates.hasSkip.name': SKIP_HEADER
}

/**
 * Writes the input file of the sources (and the start-up file) into `work`, and fills the sinks' input topics:
 * b's with the file's lines, d's with JsonConverter envelopes, every SKIP_EVERY-th with the skip header.
 */
export async function prepareInputs ({ kafka, bootstrap, work, records, scenarios, stamp }) {
  const inputs = { linesFile: join(work, 'lines.txt'), startupFile: join(work, 'startup.txt') }
  if (scenarios.some(s => 'ac'.includes(s))) writeLinesFile(inputs.linesFile, records)
  writeLinesFile(inputs.startupFile, STARTUP_LINES)
  if (scenarios.includes('b')) {
    const topic = `bench-${stamp}-b-input`
    await kafka.createTopic(topic)
    await fillTopic(bootstrap, topic, records, i => ({ value: Buffer.from(line(i), 'latin1') }))
    inputs.stringTopic = { topic, bytes: records * VALUE_BYTES }
  }
  if (scenarios.includes('d')) {
    const topic = `bench-${stamp}-d-input`
    await kafka.createTopic(topic)
    let bytes = 0
    await fillTopic(bootstrap, topic, records, i => {
      const value = jsonValue(i)
      bytes += value.length
      return { value, headers: isSkipped(i) ? [{ [SKIP_HEADER]: Buffer.from('true') }] : undefined }
    })
    inputs.jsonTopic = { topic, bytes }
  }
  return inputs
}

/**
 * Runs `scenario` once with `runner` ('apache', 'ours' or 'ceiling') and returns its measurements.
 * ctx: { bootstrap, kafka, work, inputs, stamp, records, keep, nodeArgs? (ours only), onStopped? (dir) }; for f and g
 * also avro (bench/lib/avro.mjs startAvroSetup) and avroRecords; for h cdc (bench/lib/cdc.mjs startCdcSetup), cdcRows
 * and cdcChanges.
 */
export async function runOne ({ scenario, runner, round, ctx }) {
  const { bootstrap, kafka, work, inputs, stamp } = ctx
  const dir = join(work, `${scenario}-${runner}-${round}`)
  mkdirSync(dir, { recursive: true })
  if (scenario === CDC_SCENARIO) return await runCdc({ runner, round, ctx, dir })
  const name = `bench-${scenario}-${runner}-${round}`
  const isSource = scenario === 'a' || scenario === 'c' || scenario === 'e' || scenario === 'f'
  const isAvro = isAvroScenario(scenario)
  const records = scenario === 'e' ? STARTUP_LINES : isAvro ? ctx.avroRecords : ctx.records
  let topic = null
  let watchedTopic = null
  let outFile = null
  let expected = records
  let inputBytes = 0
  let connector
  if (isSource) {
    topic = `bench-${stamp}-${scenario}-${runner}-${round}`
    watchedTopic = scenario === 'c' ? `${topic}-routed` : topic
    await kafka.createTopic(watchedTopic)
    if (watchedTopic !== topic) await kafka.createTopic(topic)
    const file = scenario === 'e' ? inputs.startupFile : scenario === 'f' ? inputs.avroLinesFile : inputs.linesFile
    inputBytes = records * VALUE_BYTES
    const smts = scenario === 'c' ? SMT_CHAIN_C : scenario === 'f' ? HOIST_LINE : {}
    connector = { name, 'connector.class': SOURCE, 'tasks.max': '1', file, topic, ...smts }
  } else {
    outFile = join(dir, 'sink.txt')
    const input = scenario === 'b' ? inputs.stringTopic : scenario === 'g' ? inputs.avroTopic : inputs.jsonTopic
    inputBytes = input.bytes
    expected = scenario === 'd' ? records - skippedCount(records) : records
    connector = { name, 'connector.class': SINK, 'tasks.max': '1', file: outFile, topics: input.topic, ...(scenario === 'd' ? SMT_CHAIN_D : {}) }
  }

  let proc
  if (runner === 'ceiling') {
    proc = isSource
      ? startCeiling(['produce', bootstrap, topic, inputs.linesFile])
      : startCeiling(['consume', bootstrap, inputs.stringTopic.topic, outFile])
  } else {
    const props = { ...workerProps(scenario, dir, bootstrap), ...(isAvro ? avroWorkerProps(runner, ctx.avro) : {}) }
    proc = runner === 'apache'
      ? await startApache({ dir, workerProps: props, connectorProps: [connector] })
      : await startOurs({ dir, workerProps: props, connectorProps: [connector], nodeArgs: ctx.nodeArgs ?? [] })
  }

  const follow = followProcess(proc)
  let atFirst = null
  const onFirst = () => { if (proc.pid) atFirst = usage(proc.pid) }
  // Apache's start-up with a plugin.path to scan (f, g) takes longer.
  const timeoutMs = 60000 + records / 2 + (isAvro ? 60000 : 0)
  const watchOptions = { timeoutMs, isAlive: proc.isAlive, describe: proc.describe, onFirst }
  try {
    const seen = isSource
      ? await watchTopic(kafka, watchedTopic, expected, { ...watchOptions, intervalMs: scenario === 'e' ? 5 : 20 })
      : await watchLines(outFile, expected, watchOptions)
    const ready = await proc.ready
    const result = {
      scenario, runner, round,
      readyS: runner === 'ceiling' ? null : ready.ms / 1000,
      readyMethod: runner === 'ceiling' ? null : ready.method,
      firstRecordS: (seen.firstMs - proc.t0) / 1000,
      wallS: (seen.lastMs - proc.t0) / 1000,
      transferS: (seen.lastMs - seen.firstMs) / 1000
    }
    if (scenario === 'e') {
      // Idle: the 10 lines are in; the worker now waits for more.
      await delay(IDLE_MS)
      const u = follow.usage()
      result.idleRssMb = u.rssBytes / 2 ** 20
      result.peakRssMb = follow.peakRssMb(u)
      result.cpuS = u.cpuSeconds
    } else {
      const u = follow.usage()
      result.recordsPerS = records / result.transferS
      result.mbPerS = inputBytes / 2 ** 20 / result.transferS
      result.peakRssMb = follow.peakRssMb(u)
      result.cpuS = u.cpuSeconds
      result.transferCpuS = atFirst ? u.cpuSeconds - atFirst.cpuSeconds : null
      if (isSource) {
        // More than expected would mean duplicates; give stragglers a moment.
        await delay(200)
        result.recordsInTopic = await kafka.count(watchedTopic)
        result.expectedInTopic = expected
      }
    }
    const stop = await proc.stop()
    result.stopS = stop.stopMs / 1000
    result.dir = dir
    // After the measurement: what f wrote, for the checks (payloads equal whoever wrote them).
    if (scenario === 'f') Object.assign(result, await digestAvroTopic(bootstrap, watchedTopic, expected))
    if (outFile) {
      result.outputSha256 = await sha256(outFile)
      result.outputLines = seen.lines
      if (!ctx.keep) rmSync(outFile, { force: true })
    }
    return result
  } catch (err) {
    await proc.stop().catch(() => {})
    throw err
  } finally {
    follow.stop()
  }
}

export function summarizeRun (r) {
  if (r.scenario === CDC_SCENARIO) return summarizeCdcRun(r)
  const parts = [`${r.scenario} ${r.runner.padEnd(7)} round ${r.round}:`]
  if (r.recordsPerS !== undefined) parts.push(`${Math.round(r.recordsPerS).toLocaleString('en-US')} records/s`, `${r.mbPerS.toFixed(1)} MB/s`)
  if (r.readyS !== null) parts.push(`ready ${r.readyS.toFixed(2)} s (${r.readyMethod})`)
  parts.push(`first record ${r.firstRecordS.toFixed(2)} s`)
  if (r.idleRssMb !== undefined) parts.push(`idle RSS ${r.idleRssMb.toFixed(0)} MB`)
  parts.push(`peak RSS ${r.peakRssMb.toFixed(0)} MB`, `CPU ${r.cpuS.toFixed(2)} s`)
  if (r.transferCpuS != null) parts.push(`(transfer ${r.transferCpuS.toFixed(2)} s)`)
  if (r.recordsInTopic !== undefined && r.recordsInTopic !== r.expectedInTopic) parts.push(`!! the topic holds ${r.recordsInTopic}`)
  parts.push(`stop ${r.stopS.toFixed(1)} s`)
  if (r.schemaIds !== undefined) parts.push(`schema id ${r.schemaIds.join(',')}`)
  if (r.load1 !== undefined) parts.push(`load ${r.load1.toFixed(2)}`)
  return parts.join(' ')
}

export { SKIP_EVERY, SKIP_HEADER, VALUE_BYTES }
