/**
 * The README's Postgres CDC example files work as written: examples/connect-debezium-postgres.properties captures
 * public.orders and examples/connect-debezium-jdbc-sink.properties writes the rows into another database, through the
 * real broker. Only what names the servers is rewritten (database.*, connection.*), plus the slot and topic prefix so
 * that reruns on one server and broker do not meet each other's.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import pg from 'pg'
import { postgresUrl } from '../harness/postgres.mjs'
import { ROOT, spawnCli, stopClisUsing } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { writeWorkerFile } from '../helpers/worker-file.ts'

const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092'

/** The file with the given keys' values replaced; fails when a key is not in it (the example changed). */
function rewrite (text: string, replace: Record<string, string>): string {
  const seen = new Set<string>()
  const out = text.split('\n').map(line => {
    const m = /^([a-z.]+)=(.*)$/.exec(line)
    if (m === null || !(m[1]! in replace)) return line
    seen.add(m[1]!)
    return `${m[1]}=${replace[m[1]!]}`
  })
  for (const key of Object.keys(replace)) assert.ok(seen.has(key), `the example no longer sets ${key}`)
  return out.join('\n')
}

test('the Postgres CDC example files capture orders and replicate them into another database', async (t) => {
  const url = new URL(postgresUrl())
  const suffix = randomBytes(4).toString('hex')
  const source = `example_src_${suffix}`
  const target = `example_dst_${suffix}`
  const prefix = `inventory${suffix}`
  const admin = new pg.Client({ connectionString: postgresUrl() })
  await admin.connect()
  const dir = await mkdtemp(join(tmpdir(), 'cdc-example-'))
  const dbUrl = (db: string): string => { const u = new URL(url); u.pathname = `/${db}`; return u.toString() }
  const src = new pg.Client({ connectionString: dbUrl(source) })
  const dst = new pg.Client({ connectionString: dbUrl(target) })
  t.after(async () => {
    await stopClisUsing(dir)
    await src.end().catch(() => {})
    await dst.end().catch(() => {})
    await admin.query('select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1', [`${prefix}_slot`]).catch(() => {})
    for (const db of [source, target]) await admin.query(`drop database if exists ${db} with (force)`).catch(() => {})
    await admin.end()
    await removeDir(dir)
  })
  await admin.query(`create database ${source}`)
  await admin.query(`create database ${target}`)
  await src.connect()
  await dst.connect()
  await src.query('create table orders (id int primary key, item text not null, qty int, price numeric(10,2), placed timestamptz)')
  await src.query("insert into orders values (1, 'apple', 3, 1.25, '2026-12-04 10:00:00+00'), (2, 'pear', 1, 0.80, null)")

  const connection = { 'database.hostname': url.hostname, 'database.port': url.port, 'database.user': decodeURIComponent(url.username), 'database.password': decodeURIComponent(url.password) }
  const sourceFile = rewrite(await readFile(join(ROOT, 'examples/connect-debezium-postgres.properties'), 'utf8'),
    { ...connection, 'database.dbname': source, 'topic.prefix': prefix, 'slot.name': `${prefix}_slot`, 'publication.name': `${prefix}_publication` })
  const sinkFile = rewrite(await readFile(join(ROOT, 'examples/connect-debezium-jdbc-sink.properties'), 'utf8'), {
    'connection.url': `jdbc:postgresql://${url.hostname}:${url.port}/${target}`,
    'connection.username': decodeURIComponent(url.username),
    'connection.password': decodeURIComponent(url.password),
    'topics.regex': `${prefix}\\\\.public\\\\..*`,
    name: `inventory-sink-${suffix}`
  })
  await writeFile(join(dir, 'source.properties'), sourceFile)
  await writeFile(join(dir, 'sink.properties'), sinkFile)
  const worker = await writeWorkerFile(dir, bootstrap, ['offset.flush.interval.ms=1000'])
  const runner = spawnCli([worker, join(dir, 'source.properties'), join(dir, 'sink.properties')])

  const table = `${prefix}_public_orders`
  const rows = async (): Promise<Array<Record<string, string | null>>> => {
    try {
      const r = await dst.query({ text: `select id::text, item, qty::text, price::text, placed::text from "${table}" order by id`, types: { getTypeParser: () => (v: string) => v } })
      return r.rows as Array<Record<string, string | null>>
    } catch {
      return []
    }
  }
  await waitFor(async () => (await rows()).length === 2 || null, { timeoutMs: 90000, what: `the snapshot rows in ${table}; runner output:\n${runner.stderr.slice(-3000)}` })
  assert.deepEqual(await rows(), [
    { id: '1', item: 'apple', qty: '3', price: '1.25', placed: '2026-12-04 10:00:00+00' },
    { id: '2', item: 'pear', qty: '1', price: '0.80', placed: null }
  ])

  await src.query("update orders set qty = 5 where id = 1; delete from orders where id = 2; insert into orders values (3, 'plum', 7, 2.50, '2026-12-05 08:30:00.123456+00')")
  const expected = [
    { id: '1', item: 'apple', qty: '5', price: '1.25', placed: '2026-12-04 10:00:00+00' },
    { id: '3', item: 'plum', qty: '7', price: '2.50', placed: '2026-12-05 08:30:00.123456+00' }
  ]
  await waitFor(async () => JSON.stringify(await rows()) === JSON.stringify(expected) || null,
    { timeoutMs: 60000, what: `the streamed changes in ${table}; rows: ${JSON.stringify(await rows())}` })
  runner.kill('SIGTERM')
  const { code } = await runner.exited
  // 128 + SIGTERM, after an orderly stop (offsets flushed), as the runner always answers SIGTERM.
  assert.equal(code, 143, runner.stderr.slice(-3000))
  assert.doesNotMatch(runner.stderr, /ERROR/)
})
