/**
 * The snapshot reader against the real PostgreSQL server: every row of each table once, in order, through the cursor
 * in batches of fetchSize (the next batch fetched while the current one is handed out), with the first/last markers
 * right whether a table's size is a multiple of the fetch size or not, and the connection usable after the consumer
 * stops early or the signal aborts.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import pg from 'pg'
import type { TableSchemas } from '../../../connectors/debezium-postgres/envelope.ts'
import { SnapshotReader } from '../../../connectors/debezium-postgres/snapshot-reader.ts'
import { postgresUrl } from '../../harness/postgres.mjs'

const DB = `snapshot_reader_${process.pid}`
const dbUrl = (db: string): string => { const u = new URL(postgresUrl()); u.pathname = `/${db}`; return u.toString() }
let admin: pg.Client
let db: pg.Client

// The reader needs a table's name and its captured columns only.
const table = (name: string, columns: string[]): TableSchemas =>
  ({ table: { schema: 'public', table: name }, columns: columns.map(c => ({ name: c })) }) as unknown as TableSchemas

before(async () => {
  admin = new pg.Client({ connectionString: dbUrl('postgres') })
  await admin.connect()
  await admin.query(`drop database if exists ${DB}`)
  await admin.query(`create database ${DB}`)
  db = new pg.Client({ connectionString: dbUrl(DB), types: { getTypeParser: () => (v: string) => v } })
  await db.connect()
  await db.query(`
    create table odd (id int primary key, note text);
    insert into odd select i, case when i % 7 = 0 then null else 'n' || i end from generate_series(1, 25) i;
    create table even (id int primary key);
    insert into even select generate_series(1, 20);
    create table empty (id int primary key);
    create table single (id int primary key);
    insert into single values (1);`)
})

after(async () => {
  await db?.end().catch(() => {})
  await admin?.query(`drop database if exists ${DB} with (force)`).catch(() => {})
  await admin?.end().catch(() => {})
})

async function readAll (tables: TableSchemas[], fetchSize: number): Promise<string[]> {
  const reader = new SnapshotReader(db)
  await reader.begin(null)
  const seen: string[] = []
  try {
    for await (const r of reader.rows(tables, fetchSize, new AbortController().signal)) {
      seen.push(`${r.table.table.table}:${String(r.row.get('id'))}${r.firstInTable ? ':first' : ''}${r.lastInTable ? ':last' : ''}`)
    }
  } finally {
    await reader.commit()
  }
  return seen
}

test('every row once, in order, with first and last per table, whatever the fetch size', async () => {
  const tables = [table('odd', ['id', 'note']), table('empty', ['id']), table('even', ['id']), table('single', ['id'])]
  const expected = [
    ...Array.from({ length: 25 }, (_, i) => `odd:${i + 1}${i === 0 ? ':first' : ''}${i === 24 ? ':last' : ''}`),
    ...Array.from({ length: 20 }, (_, i) => `even:${i + 1}${i === 0 ? ':first' : ''}${i === 19 ? ':last' : ''}`),
    'single:1:first:last'
  ]
  for (const fetchSize of [1, 2, 5, 10, 20, 25, 1000]) {
    assert.deepEqual(await readAll(tables, fetchSize), expected, `fetch size ${fetchSize}`)
  }
})

test('row values come as the server\'s text, NULL as null', async () => {
  const reader = new SnapshotReader(db)
  await reader.begin(null)
  const rows = []
  for await (const r of reader.rows([table('odd', ['id', 'note'])], 4, new AbortController().signal)) rows.push(r.row)
  await reader.commit()
  assert.equal(rows.length, 25)
  assert.deepEqual([...rows[5]!], [['id', '6'], ['note', 'n6']])
  assert.deepEqual([...rows[6]!], [['id', '7'], ['note', null]])
})

test('a consumer that stops early or an aborted signal leaves the connection usable', async () => {
  for (const how of ['break', 'abort'] as const) {
    const reader = new SnapshotReader(db)
    await reader.begin(null)
    const controller = new AbortController()
    let n = 0
    for await (const r of reader.rows([table('odd', ['id', 'note'])], 5, controller.signal)) {
      assert.equal(r.row.get('id'), String(++n))
      // Mid-batch, while the next FETCH is in flight.
      if (n === 7) {
        if (how === 'break') break
        controller.abort()
      }
    }
    assert.ok(n <= 10, `${how}: stopped after ${n} rows`)
    // After an abort the reader leaves its cursor to the transaction's end, as the task then drops the connection.
    await reader.commit()
    assert.equal((await db.query('select 1 as one')).rows[0].one, '1', how)
  }
})
