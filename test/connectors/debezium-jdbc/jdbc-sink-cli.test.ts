/**
 * End to end: the CLI runs the JDBC sink (by its simple name) from a worker file and a connector file, reading Debezium
 * change events written with JsonConverter (schemas on) from the real broker into the dev PostgreSQL. The consumer
 * group's offsets follow the database: they reach the end once the rows are there, and a batch the database refuses
 * (a check constraint) fails the task without its offsets ever being committed.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { spawnCli, stopClisUsing } from '../../helpers/cli.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { writeWorkerFile } from '../../helpers/worker-file.ts'
import { createTopic, kafkaBootstrap, produceMessages, uniqueTopic } from '../../harness/kafka.ts'
import { committedOffset, testDatabase, type TestDatabase } from './jdbc-test-kit.ts'

let db: TestDatabase
const hooks: Array<() => Promise<void>> = []
before(async () => { db = await testDatabase(fn => { hooks.push(fn) }, 'jdbc_sink_cli') })
after(async () => { for (const h of hooks.reverse()) await h() })

const ROW = {
  type: 'struct',
  optional: true,
  name: 'dbz.public.orders.Value',
  fields: [
    { type: 'int32', optional: false, field: 'id' },
    { type: 'string', optional: true, field: 'item' },
    { type: 'int64', optional: true, name: 'io.debezium.time.MicroTimestamp', version: 1, field: 'placed' },
    { type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2', 'connect.decimal.precision': '10' }, field: 'price' }
  ]
}
const KEY = { type: 'struct', optional: false, name: 'dbz.public.orders.Key', fields: [{ type: 'int32', optional: false, field: 'id' }] }
const ENVELOPE = {
  type: 'struct',
  optional: false,
  name: 'dbz.public.orders.Envelope',
  version: 2,
  fields: [
    { ...ROW, field: 'before' },
    { ...ROW, field: 'after' },
    { type: 'struct', optional: false, name: 'io.debezium.connector.postgresql.Source', fields: [{ type: 'string', optional: false, field: 'table' }], field: 'source' },
    { type: 'string', optional: false, field: 'op' },
    { type: 'int64', optional: true, field: 'ts_ms' }
  ]
}

function cents (n: number): string {
  // Decimal bytes in JSON: base64 of the big-endian two's complement unscaled value.
  const hex = n.toString(16)
  const bytes = Buffer.from((hex.length % 2 === 1 ? '0' : '') + hex, 'hex')
  return (bytes[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), bytes]).toString('base64') : bytes.toString('base64')
}

function event (op: 'r' | 'c' | 'u' | 'd', id: number, item: string | null): { key: string, value: string } {
  const row = { id, item, placed: 1700000000123456 + id, price: cents(1000 + id) }
  return {
    key: JSON.stringify({ schema: KEY, payload: { id } }),
    value: JSON.stringify({
      schema: ENVELOPE,
      payload: { before: op === 'd' ? row : null, after: op === 'd' ? null : row, source: { table: 'orders' }, op, ts_ms: 1 }
    })
  }
}

test('the CLI runs JdbcSinkConnector: rows land, offsets follow the database commit, a refused batch commits nothing', { timeout: 120000 }, async t => {
  const topic = uniqueTopic('dbz.public.orders')
  await createTopic(topic, 1)
  const dir = await mkdtemp(join(tmpdir(), 'jdbc-sink-cli-'))
  t.after(async () => { await stopClisUsing(dir); await rm(dir, { recursive: true, force: true }) })
  const worker = await writeWorkerFile(dir, kafkaBootstrap(), [
    'key.converter=org.apache.kafka.connect.json.JsonConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter'
  ])
  const sink = join(dir, 'jdbc-sink.properties')
  const name = topic.replaceAll('.', '_').toLowerCase()
  const table = `"${name}"`
  await writeFile(sink, [
    `name=${topic}-jdbc`,
    'connector.class=JdbcSinkConnector',
    `topics=${topic}`,
    `connection.url=${db.jdbcUrl}?sslmode=disable&ApplicationName=jdbc-sink-cli`,
    `connection.username=${db.user}`,
    `connection.password=${db.password}`,
    'insert.mode=upsert',
    'delete.enabled=true',
    'primary.key.mode=record_key',
    'schema.evolution=basic'
  ].join('\n') + '\n')

  const first = [event('r', 1, 'apple'), event('r', 2, 'pear'), event('c', 3, 'fig'), event('u', 1, 'apples'), event('d', 2, null), { key: JSON.stringify({ schema: KEY, payload: { id: 2 } }), value: null }]
  await produceMessages(topic, first.map(m => ({ partition: 0, key: m.key, value: m.value })))
  const cli = spawnCli([worker, sink])
  const group = `connect-${topic}-jdbc`
  await waitFor(async () => (await committedOffset(group, topic)) === first.length, { timeoutMs: 60000, what: `committed offset ${first.length}; output:\n${cli.stdout.slice(-2000)}${cli.stderr.slice(-2000)}` })
  assert.deepEqual(await db.query(`select id, item, placed::text, price::text from ${table} order by id`), [
    { id: 1, item: 'apples', placed: '2023-11-14 22:13:20.123457', price: '10.01' },
    { id: 3, item: 'fig', placed: '2023-11-14 22:13:20.123459', price: '10.03' }
  ])
  assert.deepEqual((await db.query<{ type: string }>(`select format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = '${table.replaceAll("'", "''")}'::regclass and attnum > 0 order by attnum`)).map(r => r.type),
    ['integer', 'text', 'timestamp(6) without time zone', 'numeric(10,2)'])

  // The database now refuses every new row: the task fails, and the offsets stay where the last commit left them.
  await db.query(`alter table ${table} add constraint no_new check (id < 100)`)
  await produceMessages(topic, [event('c', 100, 'x'), event('c', 101, 'y')].map(m => ({ partition: 0, key: m.key, value: m.value })))
  await cli.waitForOutput(/offset 6 into public\.\S+: new row for relation .* violates check constraint "no_new"/, 60000)
  // The failed task commits nothing more: give the 500 ms commit interval several turns, then look.
  const deadline = Date.now() + 2500
  await waitFor(() => Date.now() > deadline, { timeoutMs: 10000 })
  assert.equal(await committedOffset(group, topic), first.length)
  assert.deepEqual((await db.query(`select id from ${table} order by id`)).map(r => r.id), [1, 3])
  cli.kill('SIGTERM')
  await cli.exited
})
