// Scenario h: PostgreSQL change data capture (issue 15). Our io.debezium.connector.postgresql.PostgresConnector
// (connectors/debezium-postgres/, run by our CLI) against Debezium's own PostgresConnector 3.6.1.Final in Apache Kafka
// Connect 4.3.1, on one PostgreSQL server and one broker.
//
// Each run gets a freshly loaded table of BENCH_CDC_ROWS rows (id bigint primary key, name text, amount
// numeric(12,2), created timestamptz, payload text of 100 bytes; generate_series, then VACUUM ANALYZE), its own
// publication (for that table only), slot, topic prefix and pre-created one-partition topic. The runner starts
// (snapshot.mode=initial); once the snapshot's N records are in the topic, the bench applies BENCH_CDC_CHANGES changes
// in transactions of CDC_BATCH (three of every four transactions update CDC_BATCH existing rows, the fourth inserts
// CDC_BATCH new ones, one statement each), and waits until every change is in the topic. Completion is counted by the
// topic's high watermark; the slot, publication, table and topic are dropped after each run.
import pg from 'pg'
import { startSampler, usage } from './proc.mjs'
import { startApache, startOurs } from './runners.mjs'
import { DEBEZIUM_VERSION, dropReplicationSlot, resolveDebeziumPluginPath } from '../../test/harness/debezium-connect.mjs'
import { startPostgres } from '../../test/harness/postgres.mjs'

export const CDC_SCENARIO = 'h'
export const CDC_TITLE = 'h. Postgres CDC (JsonConverter, schemas on)'
export const CDC_BATCH = 1000
export { DEBEZIUM_VERSION }

const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter'
const delay = ms => new Promise(resolve => setTimeout(resolve, ms))
const seconds = since => (performance.now() - since) / 1000

async function withClient (url, fn) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try { return await fn(client) } finally { await client.end().catch(() => {}) }
}

/**
 * The server and database of h: a PostgreSQL started by test/harness/postgres.mjs (wal_level=logical), or the one
 * BENCH_POSTGRES_URL names, with a fresh database bench_cdc_<stamp> in it. Resolves { url, version, serverExternal,
 * serverS, pluginPath, pluginS, stop } (stop drops the database and stops a server it started).
 */
export async function startCdcSetup ({ stamp }) {
  const pluginStarted = performance.now()
  const pluginPath = resolveDebeziumPluginPath()
  const pluginS = seconds(pluginStarted)
  const serverStarted = performance.now()
  const external = process.env.BENCH_POSTGRES_URL
  const server = external ? null : await startPostgres({ settings: { max_wal_size: '4GB' } })
  const serverUrl = external ?? server.connectionString
  const serverS = seconds(serverStarted)
  const database = `bench_cdc_${stamp}`.toLowerCase().replace(/[^a-z0-9_]/g, '_')
  const version = await withClient(serverUrl, async c => {
    await c.query(`create database ${database}`)
    return (await c.query('show server_version')).rows[0].server_version
  })
  const u = new URL(serverUrl)
  u.pathname = `/${database}`
  return {
    url: u.toString(),
    version,
    serverExternal: !!external,
    serverS,
    pluginPath,
    pluginS,
    async stop () {
      if (server) { await server.stop(); return }
      await withClient(serverUrl, c => c.query(`drop database if exists ${database} with (force)`)).catch(() => {})
    }
  }
}

/** The connector settings both runners share: the same class name, the database of `url`, pgoutput. */
function connectorBase (url) {
  const u = new URL(url)
  return {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'tasks.max': '1',
    'database.hostname': u.hostname,
    'database.port': u.port || '5432',
    'database.user': decodeURIComponent(u.username),
    'database.password': decodeURIComponent(u.password),
    'database.dbname': decodeURIComponent(u.pathname.slice(1)),
    'plugin.name': 'pgoutput'
  }
}

/** Creates and fills the run's table (not measured): `rows` rows, ids 1..rows, then its publication. */
async function loadTable (url, table, publication, rows) {
  await withClient(url, async c => {
    await c.query(`create table public.${table} (id bigint not null, name text, amount numeric(12,2), created timestamptz, payload text)`)
    await c.query(`insert into public.${table} select i, 'customer ' || i, ((i * 7919) % 10000000) / 100.0,
      timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second', left(repeat(md5(i::text), 4), 100)
      from generate_series(1::bigint, ${rows}) i`)
    await c.query(`alter table public.${table} add primary key (id)`)
    // Hint bits and statistics now, so that neither runner's snapshot pays for them.
    await c.query(`vacuum analyze public.${table}`)
    await c.query(`create publication ${publication} for table public.${table}`)
  })
}

/**
 * Applies `changes` changes to the table in transactions of CDC_BATCH rows: updates of existing rows (three
 * transactions in four) and inserts of new ids above `rows`. Resolves { startMs, endMs } (performance.now()).
 */
async function applyChanges (url, table, rows, changes) {
  return await withClient(url, async c => {
    const startMs = performance.now()
    let nextUpdate = 0
    let nextInsert = rows + 1
    for (let done = 0, k = 0; done < changes; k++) {
      const n = Math.min(CDC_BATCH, changes - done)
      if (k % 4 === 3) {
        await c.query(`insert into public.${table} select i, 'new customer ' || i, (i % 100000) / 100.0, now(),
          left(repeat(md5(i::text), 4), 100) from generate_series(${nextInsert}::bigint, ${nextInsert + n - 1}) i`)
        nextInsert += n
      } else {
        // A range of n distinct existing ids (wrapping around the table when changes outnumber rows).
        const from = nextUpdate % rows
        const to = Math.min(from + n, rows)
        await c.query(`update public.${table} set amount = amount + 1, name = 'updated ' || id where id > ${from} and id <= ${to}`)
        nextUpdate = to === rows ? 0 : to
        done += to - from
        continue
      }
      done += n
    }
    return { startMs, endMs: performance.now() }
  })
}

async function dropRunObjects (url, { table, publication, slot }) {
  await dropReplicationSlot(url, slot).catch(err => process.stderr.write(`[bench] dropping slot ${slot}: ${err.message}\n`))
  await withClient(url, async c => {
    await c.query(`drop publication if exists ${publication}`)
    await c.query(`drop table if exists public.${table}`)
  }).catch(err => process.stderr.write(`[bench] dropping ${table}: ${err.message}\n`))
}

/** Polls the topic's record count every `intervalMs` until it reaches `target`; `onChange(count, now)` sees each new count. */
async function waitForCount (kafka, topic, target, { deadline, isAlive, describe, intervalMs = 20, onCount = () => {} }) {
  for (;;) {
    const n = await kafka.count(topic)
    const now = performance.now()
    onCount(n, now)
    if (n >= target) return now
    if (now > deadline) throw new Error(`timeout: ${topic} holds ${n} of ${target} records\n${describe()}`)
    const alive = isAlive()
    if (alive !== true) throw new Error(`the worker ${alive} while ${topic} held ${n} of ${target} records\n${describe()}`)
    await delay(intervalMs)
  }
}

/**
 * Runs h once with `runner` ('apache': Debezium in Apache Connect, or 'ours'). ctx: { bootstrap, kafka, stamp, cdc
 * (startCdcSetup's), cdcRows, cdcChanges, nodeArgs? (ours), work }. Resolves the run's measurements.
 */
export async function runCdc ({ runner, round, ctx, dir }) {
  const { bootstrap, kafka, cdc, stamp } = ctx
  const rows = ctx.cdcRows
  const changes = ctx.cdcChanges
  const id = `${runner}_${round}`
  const table = `rows_${id}`
  const objects = { table, publication: `bench_pub_${id}`, slot: `bench_${stamp}_${id}`.toLowerCase().replace(/[^a-z0-9_]/g, '_') }
  const prefix = `bench-${stamp}-h-${runner}-${round}`
  const topic = `${prefix}.public.${table}`
  const loadStarted = performance.now()
  await dropRunObjects(cdc.url, objects)
  await loadTable(cdc.url, table, objects.publication, rows)
  const loadS = seconds(loadStarted)
  await kafka.createTopic(topic)

  const connector = {
    name: `bench-h-${runner}-${round}`,
    ...connectorBase(cdc.url),
    'topic.prefix': prefix,
    'slot.name': objects.slot,
    'publication.name': objects.publication,
    'publication.autocreate.mode': 'disabled',
    'table.include.list': `public.${table}`,
    'snapshot.mode': 'initial'
  }
  const workerProps = {
    'bootstrap.servers': bootstrap,
    'offset.storage.file.filename': `${dir}/connect.offsets`,
    'key.converter': JSON_CONVERTER,
    'value.converter': JSON_CONVERTER,
    'key.converter.schemas.enable': 'true',
    'value.converter.schemas.enable': 'true'
  }
  const proc = runner === 'apache'
    // plugin.discovery=service_load: Debezium's jars carry ServiceLoader manifests; scanning them instead would add
    // tens of seconds to Apache's start-up on this machine.
    ? await startApache({ dir, workerProps: { ...workerProps, 'plugin.path': cdc.pluginPath, 'plugin.discovery': 'service_load' }, connectorProps: [connector] })
    : await startOurs({ dir, workerProps, connectorProps: [connector], nodeArgs: ctx.nodeArgs ?? [] })

  let sampler = null
  const ensureSampler = () => { if (!sampler && proc.pid) sampler = startSampler(proc.pid, 250) }
  ensureSampler()
  const samplerTimer = setInterval(ensureSampler, 20)
  // Generous: on a loaded machine Debezium has snapshotted as slowly as 1,000 rows/s.
  const watch = { deadline: performance.now() + 600000 + (rows + changes) * 2, isAlive: proc.isAlive, describe: proc.describe }
  try {
    let firstMs = null
    let atFirst = null
    const snapshotEndMs = await waitForCount(kafka, topic, rows, {
      ...watch,
      onCount: (n, now) => { if (n > 0 && firstMs === null) { firstMs = now; if (proc.pid) atFirst = usage(proc.pid) } }
    })
    const atSnapshot = usage(proc.pid)
    const snapshotPeakRss = Math.max(atSnapshot.hwmBytes, sampler?.peakTreeRssBytes ?? 0)
    let streamFirstMs = null
    const writing = applyChanges(cdc.url, table, rows, changes)
    writing.catch(() => {})
    const streamEndMs = await waitForCount(kafka, topic, rows + changes, {
      ...watch,
      onCount: (n, now) => { if (n > rows && streamFirstMs === null) streamFirstMs = now }
    })
    const written = await writing
    const ready = await proc.ready
    const end = usage(proc.pid)
    const result = {
      scenario: CDC_SCENARIO,
      runner,
      round,
      rows,
      changes,
      loadS,
      readyS: ready.ms / 1000,
      readyMethod: ready.method,
      firstRecordS: (firstMs - proc.t0) / 1000,
      snapshotS: (snapshotEndMs - firstMs) / 1000,
      snapshotRowsPerS: rows / ((snapshotEndMs - firstMs) / 1000),
      snapshotWallS: (snapshotEndMs - proc.t0) / 1000,
      snapshotCpuS: atFirst ? atSnapshot.cpuSeconds - atFirst.cpuSeconds : null,
      snapshotPeakRssMb: snapshotPeakRss / 2 ** 20,
      writeS: (written.endMs - written.startMs) / 1000,
      streamS: (streamEndMs - streamFirstMs) / 1000,
      streamRowsPerS: changes / ((streamEndMs - streamFirstMs) / 1000),
      streamLagS: (streamEndMs - written.endMs) / 1000,
      streamCpuS: end.cpuSeconds - atSnapshot.cpuSeconds,
      peakRssMb: Math.max(end.hwmBytes, sampler?.peakTreeRssBytes ?? 0) / 2 ** 20,
      cpuS: end.cpuSeconds
    }
    // More than expected would mean duplicates; give stragglers a moment.
    await delay(500)
    result.recordsInTopic = await kafka.count(topic)
    result.expectedInTopic = rows + changes
    const stop = await proc.stop()
    result.stopS = stop.stopMs / 1000
    result.dir = dir
    return result
  } catch (err) {
    await proc.stop().catch(() => {})
    throw err
  } finally {
    clearInterval(samplerTimer)
    sampler?.stop()
    await dropRunObjects(cdc.url, objects)
    if (!ctx.keep) await kafka.deleteTopic(topic).catch(() => {})
  }
}

export function summarizeCdcRun (r) {
  const rate = x => Math.round(x).toLocaleString('en-US')
  const parts = [`h ${r.runner.padEnd(7)} round ${r.round}:`,
    `snapshot ${rate(r.snapshotRowsPerS)} rows/s (${r.snapshotS.toFixed(1)} s)`,
    `streaming ${rate(r.streamRowsPerS)} changes/s (${r.streamS.toFixed(1)} s; written in ${r.writeS.toFixed(1)} s, last in topic ${r.streamLagS.toFixed(1)} s after the last commit)`,
    `ready ${r.readyS.toFixed(2)} s (${r.readyMethod})`, `first record ${r.firstRecordS.toFixed(2)} s`,
    `peak RSS ${r.peakRssMb.toFixed(0)} MB (snapshot ${r.snapshotPeakRssMb.toFixed(0)})`, `CPU ${r.cpuS.toFixed(2)} s`]
  if (r.recordsInTopic !== undefined && r.recordsInTopic !== r.expectedInTopic) parts.push(`!! the topic holds ${r.recordsInTopic}, not ${r.expectedInTopic}`)
  parts.push(`stop ${r.stopS.toFixed(1)} s`, `table loaded in ${r.loadS.toFixed(1)} s`)
  if (r.load1 !== undefined) parts.push(`load ${r.load1.toFixed(2)}`)
  return parts.join(' ')
}
