/**
 * The JDBC sink task against the dev PostgreSQL (a database of this file's own): insert, upsert and update modes,
 * deletes and tombstones, the primary key modes, schema evolution (a table created, a column added), the table name
 * format, truncates, field filters, and a failed batch that leaves nothing behind and names the record and column.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import pg from 'pg'
import { ConnectError, SchemaBuilder, Schemas, sinkRecord } from '../../../src/api/index.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import {
  changeEvent, columnsOf, flat, primaryKeyOf, sinkProps, startTask, struct, testDatabase, tombstone, type TestDatabase
} from './jdbc-test-kit.ts'

let db: TestDatabase
const hooks: Array<() => Promise<void>> = []
before(async () => { db = await testDatabase(fn => { hooks.push(fn) }, 'jdbc_sink_task') })
after(async () => { for (const h of hooks.reverse()) await h() })

const keySchema = SchemaBuilder.struct().name('dbz.public.items.Key').field('id', Schemas.INT32).build()
const rowSchema = SchemaBuilder.struct().name('dbz.public.items.Value')
  .field('id', Schemas.INT32)
  .field('name', Schemas.OPTIONAL_STRING)
  .field('qty', SchemaBuilder.int64().optional().build())
  .optional().build()

function ev (topic: string, op: 'c' | 'u' | 'r' | 'd', id: number, name?: string | null, qty?: number | null) {
  const row = { id, name: name ?? null, qty: qty ?? null }
  return changeEvent({
    topic, keySchema, key: { id }, rowSchema, op,
    before: op === 'd' || op === 'u' ? row : null,
    after: op === 'd' ? null : row
  })
}

async function rows (table: string): Promise<Array<Record<string, unknown>>> {
  return await db.query(`select * from ${table} order by 1`)
}

describe('JDBC sink task', () => {
  test('schema.evolution=basic creates the table from the first event (keys first, NOT NULL, PRIMARY KEY); the default table name is the topic with dots as underscores', async t => {
    const { task } = await startTask(t, sinkProps(db, { 'insert.mode': 'upsert', 'primary.key.mode': 'record_key', 'schema.evolution': 'basic', 'delete.enabled': 'true' }))
    await task.put([ev('dbz.public.items', 'r', 1, 'one', 10), ev('dbz.public.items', 'c', 2, 'two'), ev('dbz.public.items', 'u', 1, 'uno', 11)])
    assert.deepEqual(await columnsOf(db, 'dbz_public_items'), [
      { column_name: 'id', type: 'integer', nullable: false, column_default: null },
      { column_name: 'name', type: 'text', nullable: true, column_default: null },
      { column_name: 'qty', type: 'bigint', nullable: true, column_default: null }
    ])
    assert.deepEqual(await primaryKeyOf(db, 'dbz_public_items'), ['id'])
    assert.deepEqual(await rows('dbz_public_items'), [{ id: 1, name: 'uno', qty: '11' }, { id: 2, name: 'two', qty: null }])
    // A delete event deletes, and the tombstone after it finds nothing more to delete.
    await task.put([ev('dbz.public.items', 'd', 2), tombstone('dbz.public.items', keySchema, { id: 2 })])
    assert.deepEqual(await rows('dbz_public_items'), [{ id: 1, name: 'uno', qty: '11' }])
    // A tombstone alone deletes too (a flat pipeline whose SMT dropped the delete event).
    await task.put([tombstone('dbz.public.items', keySchema, { id: 1 })])
    assert.deepEqual(await rows('dbz_public_items'), [])
  })

  test('schema.evolution=basic adds a missing optional column; schema.evolution=none refuses a missing table, naming the record', async t => {
    const { task } = await startTask(t, sinkProps(db, { 'insert.mode': 'upsert', 'primary.key.mode': 'record_key', 'schema.evolution': 'basic' }))
    await task.put([ev('evo', 'c', 1, 'a')])
    const wider = SchemaBuilder.struct().name('evo.Value').field('id', Schemas.INT32).field('name', Schemas.OPTIONAL_STRING)
      .field('qty', SchemaBuilder.int64().optional().build())
      .field('price', SchemaBuilder.float64().optional().build())
      .field('flag', SchemaBuilder.bool().defaultValue(true).build()).optional().build()
    await task.put([changeEvent({ topic: 'evo', keySchema, key: { id: 2 }, rowSchema: wider, op: 'c', after: { id: 2, name: 'b', qty: 5, price: 1.5, flag: false } })])
    assert.deepEqual((await columnsOf(db, 'evo')).map(c => [c.column_name, c.type, c.nullable, c.column_default]), [
      ['id', 'integer', false, null], ['name', 'text', true, null], ['qty', 'bigint', true, null],
      ['price', 'double precision', true, null], ['flag', 'boolean', false, 'true']
    ])
    assert.deepEqual(await rows('evo'), [{ id: 1, name: 'a', qty: null, price: null, flag: true }, { id: 2, name: 'b', qty: '5', price: 1.5, flag: false }])

    const none = await startTask(t, sinkProps(db, { 'insert.mode': 'upsert', 'primary.key.mode': 'record_key' }))
    const record = ev('no.such.table', 'c', 1, 'x')
    await assert.rejects(none.task.put([record]), (err: Error) => {
      assert.ok(ConnectError.is(err) && err.code === 'CONNECT_ERR_DATA', String(err))
      assert.match(err.message, /Cannot create table public\.no_such_table because schema evolution is disabled/)
      assert.match(err.message, new RegExp(`topic 'no.such.table' partition 0 offset ${record.kafkaOffset}`))
      return true
    })
  })

  test('insert mode INSERTs every event (a duplicate key fails the whole batch, which leaves no row); update mode UPDATEs by key and inserts nothing', async t => {
    await db.query('create table ins (id integer primary key, name text, qty bigint)')
    const { task } = await startTask(t, sinkProps(db, { 'primary.key.mode': 'record_key', 'table.name.format': 'ins' }))
    await task.put([ev('x', 'c', 1, 'a'), ev('x', 'c', 2, 'b')])
    assert.equal((await rows('ins')).length, 2)
    const dup = ev('x', 'c', 1, 'again')
    await assert.rejects(task.put([ev('x', 'c', 3, 'c'), dup]), (err: Error) => {
      assert.match(err.message, new RegExp(`offset ${dup.kafkaOffset}`))
      assert.match(err.message, /duplicate key/)
      return true
    })
    assert.deepEqual((await rows('ins')).map(r => r.id), [1, 2])

    const upd = await startTask(t, sinkProps(db, { 'primary.key.mode': 'record_key', 'insert.mode': 'update', 'table.name.format': 'ins' }))
    await upd.task.put([ev('x', 'u', 2, 'bee', 7), ev('x', 'c', 9, 'nine')])
    assert.deepEqual(await rows('ins'), [{ id: 1, name: 'a', qty: null }, { id: 2, name: 'bee', qty: '7' }])
  })

  test('primary.key.mode kafka keys rows by __connect_topic/partition/offset; record_value by primary.key.fields; none has no key', async t => {
    const kafka = await startTask(t, sinkProps(db, { 'primary.key.mode': 'kafka', 'schema.evolution': 'basic', 'collection.name.format': 'pk_kafka' }))
    const a = ev('topic.k', 'c', 1, 'a')
    await kafka.task.put([a])
    assert.deepEqual((await columnsOf(db, 'pk_kafka')).map(c => `${c.column_name} ${c.type} ${c.nullable ? 'NULL' : 'NOT NULL'}`),
      ['__connect_topic text NOT NULL', '__connect_partition integer NOT NULL', '__connect_offset bigint NOT NULL', 'id integer NOT NULL', 'name text NULL', 'qty bigint NULL'])
    assert.deepEqual(await primaryKeyOf(db, 'pk_kafka'), ['__connect_topic', '__connect_partition', '__connect_offset'])
    assert.deepEqual(await db.query('select __connect_topic, __connect_offset, id from pk_kafka'), [{ __connect_topic: 'topic.k', __connect_offset: String(a.kafkaOffset), id: 1 }])

    const byValue = await startTask(t, sinkProps(db, { 'primary.key.mode': 'record_value', 'primary.key.fields': 'name', 'insert.mode': 'upsert', 'schema.evolution': 'basic', 'collection.name.format': 'pk_value' }))
    await byValue.task.put([ev('t', 'c', 1, 'same', 1), ev('t', 'c', 2, 'same', 2)])
    assert.deepEqual((await columnsOf(db, 'pk_value')).map(c => c.column_name), ['name', 'id', 'qty'])
    assert.deepEqual(await rows('pk_value'), [{ name: 'same', id: 2, qty: '2' }])

    const none = await startTask(t, sinkProps(db, { 'schema.evolution': 'basic', 'collection.name.format': 'pk_none' }))
    await none.task.put([ev('t', 'c', 1, 'a'), ev('t', 'c', 1, 'a')])
    assert.deepEqual(await primaryKeyOf(db, 'pk_none'), [])
    assert.equal((await rows('pk_none')).length, 2)
  })

  test('flat records (after ExtractNewRecordState), ${source.*} and schema-qualified formats, quote.identifiers, field filters and truncate', async t => {
    await db.query('create schema other')
    const flatSchema = SchemaBuilder.struct().name('flat.Value').field('ID', Schemas.INT32).field('Label', Schemas.OPTIONAL_STRING).field('secret', Schemas.OPTIONAL_STRING).build()
    const flatKey = SchemaBuilder.struct().field('ID', Schemas.INT32).build()
    const q = await startTask(t, sinkProps(db, {
      'primary.key.mode': 'record_key', 'insert.mode': 'upsert', 'delete.enabled': 'true', 'schema.evolution': 'basic',
      'quote.identifiers': 'true', 'collection.name.format': 'other.Flat_${topic}', 'field.exclude.list': 'flat.topic:secret'
    }))
    await q.task.put([flat('flat.topic', flatSchema, { ID: 1, Label: 'x', secret: 's' }, flatKey, { ID: 1 }), flat('flat.topic', flatSchema, { ID: 2, Label: 'y', secret: 's' }, flatKey, { ID: 2 })])
    assert.deepEqual((await columnsOf(db, 'Flat_flat_topic', 'other')).map(c => c.column_name), ['ID', 'Label'])
    // A flat delete: the key with a null value.
    await q.task.put([sinkRecord({ topic: 'flat.topic', kafkaPartition: 0, kafkaOffset: 1000, keySchema: flatKey, key: struct(flatKey, { ID: 1 }), valueSchema: flatSchema, value: null })])
    assert.deepEqual(await db.query('select * from other."Flat_flat_topic"'), [{ ID: 2, Label: 'y' }])

    const bySource = await startTask(t, sinkProps(db, { 'primary.key.mode': 'record_key', 'schema.evolution': 'basic', 'truncate.enabled': 'true', 'collection.name.format': 'src_${source.table}' }))
    await bySource.task.put([ev('dbz.public.orders', 'r', 1, 'a'), ev('dbz.public.orders', 'r', 2, 'b')])
    assert.equal((await rows('src_orders')).length, 2)
    const truncate = changeEvent({ topic: 'dbz.public.orders', rowSchema, op: 't' })
    await bySource.task.put([truncate, ev('dbz.public.orders', 'c', 3, 'c')])
    assert.deepEqual((await rows('src_orders')).map(r => r.id), [3])
  })

  test('a value PostgreSQL refuses rolls the batch back and names the record and the column', async t => {
    await db.query('create table narrow (id integer primary key, name varchar(3), qty bigint)')
    const { task } = await startTask(t, sinkProps(db, { 'primary.key.mode': 'record_key', 'insert.mode': 'upsert', 'table.name.format': 'narrow' }))
    const bad = ev('n', 'c', 2, 'too long')
    await assert.rejects(task.put([ev('n', 'c', 1, 'ok'), bad, ev('n', 'c', 3, 'ok')]), (err: Error) => {
      assert.ok(ConnectError.is(err) && err.code === 'CONNECT_ERR_DATA')
      assert.match(err.message, new RegExp(`topic 'n' partition 0 offset ${bad.kafkaOffset} into public.narrow column 'name'`))
      return true
    })
    assert.deepEqual(await rows('narrow'), [])
    // The task goes on with the next batch.
    await task.put([ev('n', 'c', 4, 'ok')])
    assert.deepEqual((await rows('narrow')).map(r => r.id), [4])
  })

  test('preCommit hands back only offsets whose batch the database committed', async t => {
    const { task } = await startTask(t, sinkProps(db, { 'primary.key.mode': 'record_key', 'insert.mode': 'upsert', 'schema.evolution': 'basic', 'collection.name.format': 'commits' }))
    const first = ev('c.t', 'c', 1, 'a')
    await task.put([first])
    const given = [{ topic: 'c.t', partition: 0, offset: first.kafkaOffset + 5 }, { topic: 'other', partition: 0, offset: 3 }]
    assert.deepEqual(await task.preCommit(given), [{ topic: 'c.t', partition: 0, offset: first.kafkaOffset + 1 }])
    await db.query('alter table commits add constraint no_b check (name <> \'b\')')
    await assert.rejects(task.put([ev('c.t', 'c', 2, 'b')]))
    assert.deepEqual(await task.preCommit(given), [{ topic: 'c.t', partition: 0, offset: first.kafkaOffset + 1 }])
  })

  test('a connection lost in the middle of a batch fails it as retriable (backoff flush.retry.delay.ms); the same batch then goes through on a new connection', async t => {
    await db.query('create table lost (id integer primary key, name text, qty bigint)')
    const props = sinkProps(db, { 'primary.key.mode': 'record_key', 'insert.mode': 'upsert', 'table.name.format': 'lost', 'flush.retry.delay.ms': '250' })
    props['connection.url'] += '?ApplicationName=jdbc-lost-test'
    const { task, timeouts } = await startTask(t, props)
    await task.put([ev('l', 'c', 1, 'a')])
    // Hold the table, so the next batch waits inside its transaction; then cut its connection.
    const holder = new pg.Client({ connectionString: db.url })
    await holder.connect()
    t.after(() => holder.end())
    await holder.query('begin')
    await holder.query('lock table lost in access exclusive mode')
    const batch = [ev('l', 'c', 2, 'b'), ev('l', 'u', 1, 'a2')]
    // Settled into a value at once: the put fails as soon as its backend is terminated, possibly before the
    // terminating query returns, and an unobserved rejection in between fails the test run.
    const pending = task.put(batch).then(() => null, (err: unknown) => err)
    await waitFor(async () => (await db.query("select 1 from pg_stat_activity where application_name = 'jdbc-lost-test' and wait_event_type = 'Lock'")).length === 1, { timeoutMs: 20000, what: 'the batch waiting on the lock' })
    await db.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'jdbc-lost-test'")
    const err = await pending
    assert.ok(ConnectError.is(err) && err.retriable && err.code === 'CONNECT_ERR_RETRIABLE', String(err))
    assert.deepEqual(timeouts, [250])
    await holder.query('rollback')
    await task.put(batch)
    assert.deepEqual(await rows('lost'), [{ id: 1, name: 'a2', qty: null }, { id: 2, name: 'b', qty: null }])
  })
})
