/**
 * Differential: the same topic of Debezium change events (JsonConverter, schemas on: every Connect and Debezium type
 * the sink maps, NULLs, extreme floats, year-1 dates, infinity timestamps, updates, deletes, tombstones) is written by Debezium's JDBC sink in Apache
 * Kafka Connect 4.3.1 into database A and by ours (the CLI) into database B, both creating the table
 * (schema.evolution=basic, upsert, record_key, delete.enabled). The tables must be equal: column names, types,
 * nullability, defaults, primary key, and every row's text.
 */
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { startApacheConnect } from '../../harness/apache-connect.mjs'
import { resolveDebeziumPluginPath } from '../../harness/debezium-connect.mjs'
import { createTopic, kafkaBootstrap, produceMessages, uniqueTopic } from '../../harness/kafka.ts'
import { spawnCli, stopClisUsing } from '../../helpers/cli.ts'
import { removeDir } from '../../helpers/remove-dir.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { writeWorkerFile } from '../../helpers/worker-file.ts'
import { columnsOf, committedOffset, primaryKeyOf, testDatabase, type TestDatabase } from './jdbc-test-kit.ts'

let dbA: TestDatabase
let dbB: TestDatabase
const hooks: Array<() => Promise<void>> = []
before(async () => {
  dbA = await testDatabase(fn => { hooks.push(fn) }, 'jdbc_diff_debezium')
  dbB = await testDatabase(fn => { hooks.push(fn) }, 'jdbc_diff_ours')
})
after(async () => { for (const h of hooks.reverse()) await h() })

const opt = (type: string, field: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type, optional: true, field, ...extra })
const ROW_FIELDS = [
  { type: 'int32', optional: false, field: 'id' },
  opt('int16', 'c_int16'), opt('int32', 'c_int32'), opt('int64', 'c_int64'),
  opt('float', 'c_float32'), opt('double', 'c_float64'), opt('boolean', 'c_bool'), opt('string', 'c_text'), opt('bytes', 'c_bytes'),
  opt('bytes', 'c_decimal', { name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2', 'connect.decimal.precision': '12' } }),
  opt('bytes', 'c_decimal_noprec', { name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '3' } }),
  opt('struct', 'c_varscale', { name: 'io.debezium.data.VariableScaleDecimal', version: 1, fields: [{ type: 'int32', optional: false, field: 'scale' }, { type: 'bytes', optional: false, field: 'value' }] }),
  opt('int32', 'c_date', { name: 'io.debezium.time.Date', version: 1 }),
  opt('int64', 'c_microtime', { name: 'io.debezium.time.MicroTime', version: 1 }),
  opt('int64', 'c_microts', { name: 'io.debezium.time.MicroTimestamp', version: 1 }),
  opt('int64', 'c_ts', { name: 'io.debezium.time.Timestamp', version: 1 }),
  opt('string', 'c_zonedts', { name: 'io.debezium.time.ZonedTimestamp', version: 1 }),
  opt('string', 'c_zonedtime', { name: 'io.debezium.time.ZonedTime', version: 1 }),
  opt('int64', 'c_interval', { name: 'io.debezium.time.MicroDuration', version: 1 }),
  opt('string', 'c_json', { name: 'io.debezium.data.Json', version: 1 }),
  opt('string', 'c_uuid', { name: 'io.debezium.data.Uuid', version: 1 }),
  opt('string', 'c_enum', { name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: 'a,b' } }),
  opt('int32', 'c_kdate', { name: 'org.apache.kafka.connect.data.Date', version: 1 }),
  opt('int64', 'c_kts', { name: 'org.apache.kafka.connect.data.Timestamp', version: 1 }),
  opt('array', 'c_ints', { items: { type: 'int32', optional: true } }),
  { type: 'int32', optional: false, field: 'c_default', default: 7 },
  { type: 'string', optional: true, field: 'c_default_text', default: "it's" }
]

function dec (unscaled: bigint): string {
  let hex = (unscaled < 0n ? (1n << 64n) + unscaled : unscaled).toString(16)
  if (hex.length % 2 === 1) hex = `0${hex}`
  let bytes = Buffer.from(hex, 'hex')
  if (unscaled < 0n) { while (bytes.length > 1 && bytes[0] === 0xff && (bytes[1]! & 0x80) !== 0) bytes = bytes.subarray(1) } else if ((bytes[0]! & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes])
  return bytes.toString('base64')
}

const ROW = { type: 'struct', optional: true, name: 'diff.Value', fields: ROW_FIELDS }
const KEY = { type: 'struct', optional: false, name: 'diff.Key', fields: [{ type: 'int32', optional: false, field: 'id' }] }
const ENVELOPE = {
  type: 'struct', optional: false, name: 'diff.Envelope', version: 2,
  fields: [{ ...ROW, field: 'before' }, { ...ROW, field: 'after' }, { type: 'string', optional: false, field: 'op' }, { type: 'int64', optional: true, field: 'ts_ms' }]
}

function full (id: number): Record<string, unknown> {
  return {
    id, c_int16: -id, c_int32: id * 1000, c_int64: 9007199254740991 - id, c_float32: 1.5 + id, c_float64: Math.PI * id, c_bool: id % 2 === 0,
    c_text: `text ${id} 'quoted' "double" ✓`, c_bytes: Buffer.from([0, id, 255]).toString('base64'), c_decimal: dec(BigInt(-123456 - id)),
    c_decimal_noprec: dec(BigInt(98765 + id)), c_varscale: { scale: 4, value: dec(BigInt(31415 + id)) }, c_date: 19000 + id,
    c_microtime: 45296789012 + id, c_microts: 1700000000123456 + id, c_ts: 1700000000123 + id, c_zonedts: `2023-11-14T22:13:20.12345${id % 10}+02:00`,
    c_zonedtime: '10:15:30.123456Z', c_interval: 90061000001 + id, c_json: `{"a": ${id}, "b": [1, 2]}`, c_uuid: `a0eebc99-9c0b-4ef8-bb6d-6bb9bd38${String(1000 + id)}`,
    c_enum: 'b', c_kdate: 19000 + id, c_kts: 1700000000999 + id, c_ints: [id, null, -id], c_default: id, c_default_text: null
  }
}

function nulls (id: number): Record<string, unknown> {
  return Object.fromEntries(ROW_FIELDS.map(f => [f.field as string, f.field === 'id' ? id : f.field === 'c_default' ? 0 : null]))
}

function msg (op: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null): { key: string, value: string } {
  const id = (after ?? before)!.id
  return { key: JSON.stringify({ schema: KEY, payload: { id } }), value: JSON.stringify({ schema: ENVELOPE, payload: { before, after, op, ts_ms: 1 } }) }
}

const SPECIALS = { ...full(5), c_float32: 3.4e38, c_float64: -1.7976931348623157e308, c_date: -719000, c_microts: -62135596800000000, c_zonedts: 'infinity' }

const MESSAGES: Array<{ key: string, value: string | null }> = [
  msg('r', null, full(1)), msg('r', null, full(2)), msg('r', null, nulls(3)), msg('c', null, full(4)),
  msg('u', full(2), { ...full(2), c_text: 'updated', c_float64: -0.5 }), msg('d', full(4), null),
  { key: JSON.stringify({ schema: KEY, payload: { id: 4 } }), value: null },
  msg('c', null, SPECIALS), msg('c', null, full(999))
]

/**
 * The resolved JDBC sink plugin minus its Jackson jars: Connect's classpath has Jackson too, with a service file
 * naming jackson-module-jakarta-xmlbind, and Hibernate's ServiceLoader then meets that module built against the other
 * copy ("JakartaXmlBindAnnotationModule not a subtype"). Debezium's own plugin archive leaves Jackson to Connect.
 */
async function jdbcPluginWithoutJackson (root: string): Promise<string> {
  const source = join(resolveDebeziumPluginPath(), 'debezium-connector-jdbc')
  const target = join(root, 'debezium-connector-jdbc')
  await mkdir(target, { recursive: true })
  for (const jar of await readdir(source)) {
    if (!jar.startsWith('jackson-')) await symlink(join(source, jar), join(target, jar))
  }
  return root
}

async function tableText (db: TestDatabase, table: string, order = 'id'): Promise<string[]> {
  return (await db.query<{ t: string }>(`select t::text as t from "${table}" t order by ${order}`)).map(r => r.t)
}

/**
 * The third pipeline: what Debezium's PostgresConnector 3.6.1 captured from the source fixture (snapshot then
 * streaming of all_types, composite_key, full_identity, toasted: every column type it maps, TOAST placeholders,
 * primary-key changes, deletes and tombstones), exact JsonConverter text. Values Debezium's sink cannot write are
 * moved (it fails on them, as PostgreSQL has no such date or time): time '24:00:00' becomes 23:59:59.999999
 * (java.time.LocalTime cannot hold it), date ±infinity (Debezium's day numbers -2147472692/-2147472691, year 5877612 BC)
 * ordinary days, timestamp -infinity (year 290309 BC) 0001-01-01. The point column is left out (field.exclude.list):
 * Debezium's sink writes points through PostGIS, which the dev server does not have.
 */
async function capturedRecords (): Promise<Array<{ table: string, key: string | null, value: string | null }>> {
  const text = await readFile(new URL('./fixtures/debezium-postgres-records.jsonl', import.meta.url), 'utf8')
  return text.split('\n').filter(l => l !== '').map(l => JSON.parse(l) as { table: string, key: string | null, value: string | null })
}

// The second pipeline: flat records (as after ExtractNewRecordState), no key, mixed-case field names.
const FLAT = {
  type: 'struct', optional: false, name: 'flat.Value',
  fields: [
    { type: 'int32', optional: false, field: 'Id' }, opt('string', 'Label'), opt('string', 'Secret'), opt('float', 'Amount'),
    opt('int64', 'When', { name: 'io.debezium.time.MicroTimestamp', version: 1 }), opt('string', 'Zoned', { name: 'io.debezium.time.ZonedTimestamp', version: 1 }),
    opt('int64', 'Nanos', { name: 'io.debezium.time.NanoTimestamp', version: 1 }), opt('int32', 'Millis', { name: 'io.debezium.time.Time', version: 1 })
  ]
}
const FLAT_MESSAGES = [1, 2, 2, 3].map(id => ({
  key: null,
  value: JSON.stringify({
    schema: FLAT,
    payload: { Id: id, Label: `L${id}`, Secret: 'x', Amount: id / 3, When: 1700000000000001 * id, Zoned: '2024-02-29T23:59:59.999999-05:00', Nanos: 1700000000123456789, Millis: 3723004 }
  })
}))

test('Debezium JDBC sink and ours leave the same table', { timeout: 420000 }, async t => {
  // Short: a table name past 63 bytes is cut by PostgreSQL, and Debezium's sink then cannot find the table it made.
  const topic = uniqueTopic('jd').replaceAll('-', '_')
  const table = topic.replaceAll('.', '_')
  await createTopic(topic, 1)
  await produceMessages(topic, MESSAGES.map(m => ({ partition: 0, key: m.key, value: m.value })))
  const flatTopic = `${topic}_flat`
  await createTopic(flatTopic, 1)
  await produceMessages(flatTopic, FLAT_MESSAGES.map(m => ({ partition: 0, key: m.key, value: m.value })))
  const flatTable = `Flat_${flatTopic.replaceAll('.', '_')}`
  const captured = await capturedRecords()
  const capturedTables = [...new Set(captured.map(r => r.table))]
  const capturedTopic = (table: string): string => `${topic}_src.public.${table}`
  for (const name of capturedTables) {
    await createTopic(capturedTopic(name), 1)
    await produceMessages(capturedTopic(name), captured.filter(r => r.table === name).map(r => ({ partition: 0, key: r.key, value: r.value })))
  }
  const capturedProps = (db: TestDatabase, name: string): Record<string, string> => ({
    ...sinkProps(db, name),
    topics: capturedTables.map(capturedTopic).join(','),
    // Debezium writes a point through PostGIS's ST_GeomFromWKB, which the dev server does not have.
    'field.exclude.list': 'c_point'
  })
  const flatProps = (db: TestDatabase, name: string): Record<string, string> => ({
    name,
    'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
    topics: flatTopic,
    'connection.url': db.jdbcUrl,
    'connection.username': db.user,
    'connection.password': db.password,
    'primary.key.mode': 'kafka',
    'schema.evolution': 'basic',
    'quote.identifiers': 'true',
    'collection.name.format': 'Flat_${topic}',
    'field.exclude.list': `${flatTopic}:Secret`,
    'use.time.zone': 'America/New_York'
  })
  const dir = await mkdtemp(join(tmpdir(), 'jdbc-diff-'))
  t.after(async () => { await stopClisUsing(dir); await removeDir(dir) })
  const sinkProps = (db: TestDatabase, name: string): Record<string, string> => ({
    name,
    'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
    'tasks.max': '1',
    topics: topic,
    'connection.url': db.jdbcUrl,
    'connection.username': db.user,
    'connection.password': db.password,
    'insert.mode': 'upsert',
    'delete.enabled': 'true',
    'primary.key.mode': 'record_key',
    'schema.evolution': 'basic'
  })
  const worker = await writeWorkerFile(dir, kafkaBootstrap(), [
    'key.converter=org.apache.kafka.connect.json.JsonConverter', 'value.converter=org.apache.kafka.connect.json.JsonConverter'
  ])
  const sinkFile = join(dir, 'ours.properties')
  await writeFile(sinkFile, Object.entries(sinkProps(dbB, `${topic}-ours`)).map(([k, v]) => `${k}=${v}`).join('\n') + '\n')
  const flatFile = join(dir, 'ours-flat.properties')
  await writeFile(flatFile, Object.entries(flatProps(dbB, `${topic}-ours-flat`)).map(([k, v]) => `${k}=${v}`).join('\n') + '\n')
  const capturedFile = join(dir, 'ours-captured.properties')
  await writeFile(capturedFile, Object.entries(capturedProps(dbB, `${topic}-ours-captured`)).map(([k, v]) => `${k}=${v}`).join('\n') + '\n')
  const cli = spawnCli([worker, sinkFile, flatFile, capturedFile])
  // Ours starts first and writes while Apache's JVM starts.
  await mkdir(join(dir, 'apache'))
  const connect = await startApacheConnect({
    dir: join(dir, 'apache'),
    connectorProps: [sinkProps(dbA, `${topic}-debezium`), flatProps(dbA, `${topic}-debezium-flat`), capturedProps(dbA, `${topic}-debezium-captured`)],
    workerProps: {
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'offset.flush.interval.ms': '1000',
      'plugin.path': await jdbcPluginWithoutJackson(join(dir, 'plugins'))
    }
  })
  t.after(async () => { await connect.stop() })

  const capturedDone = async (db: TestDatabase): Promise<boolean> => {
    const group = `connect-${topic}-${db === dbA ? 'debezium' : 'ours'}-captured`
    for (const name of capturedTables) {
      const count = captured.filter(r => r.table === name).length
      if (await committedOffset(group, capturedTopic(name)) !== count) return false
    }
    return true
  }
  const done = async (db: TestDatabase): Promise<boolean> => {
    try {
      return (await db.query(`select 1 from "${table}" where id = 999`)).length === 1 &&
        (await db.query(`select 1 from "${flatTable}"`)).length === FLAT_MESSAGES.length &&
        // The last captured record of each table is in: the offsets the group committed cover every record.
        (await capturedDone(db))
    } catch { return false }
  }
  await waitFor(async () => await done(dbB), { timeoutMs: 60000, what: `ours to write; output:\n${cli.stdout.slice(-3000)}${cli.stderr.slice(-3000)}` })
  try {
    await waitFor(async () => {
      const failure = await connect.failure()
      if (failure !== null) throw new Error(`Debezium's sink failed: ${failure}`)
      return await done(dbA)
    }, { timeoutMs: 300000, what: 'Debezium\'s sink to write' })
  } catch (err) {
    // Debezium's task keeps a failed put() to throw at the next one: with no next batch it stays RUNNING; its log tells.
    const log = await readFile(connect.logFile, 'utf8').catch(() => '')
    throw new Error(`${(err as Error).message}\n${log.split('\n').filter(l => /ERROR|Caused by/.test(l)).slice(0, 30).join('\n')}`)
  }

  assert.deepEqual(await columnsOf(dbB, table), await columnsOf(dbA, table))
  assert.deepEqual(await primaryKeyOf(dbB, table), await primaryKeyOf(dbA, table))
  assert.deepEqual(await tableText(dbB, table), await tableText(dbA, table))
  for (const name of capturedTables) {
    const t = capturedTopic(name).replaceAll('.', '_')
    assert.deepEqual(await columnsOf(dbB, t), await columnsOf(dbA, t), t)
    assert.deepEqual(await primaryKeyOf(dbB, t), await primaryKeyOf(dbA, t), t)
    assert.deepEqual(await tableText(dbB, t, '1'), await tableText(dbA, t, '1'), t)
  }
  assert.deepEqual(await columnsOf(dbB, flatTable), await columnsOf(dbA, flatTable))
  assert.deepEqual(await primaryKeyOf(dbB, flatTable), await primaryKeyOf(dbA, flatTable))
  assert.deepEqual(await tableText(dbB, flatTable, '__connect_offset'), await tableText(dbA, flatTable, '__connect_offset'))
  cli.kill('SIGTERM')
  await cli.exited
})
