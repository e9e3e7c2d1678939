/**
 * The Postgres source task on the real server: a snapshot stopped midway, with no offsets stored, is taken again on a
 * recreated slot, so the new snapshot and the stream meet exactly (no row is followed by older versions of itself);
 * the slot is never told more than the stored offset holds, and heartbeats move that offset while the captured table
 * is idle and others write.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, test } from 'node:test'
import pg from 'pg'
import type { OffsetMap, SourceRecord, Struct } from '../../../src/api/index.ts'
import { PostgresSourceTask } from '../../../connectors/debezium-postgres/postgres-source-task.ts'
import { postgresUrl } from '../../harness/postgres.mjs'
import { dropReplicationSlot } from '../../harness/debezium-connect.mjs'

const DB = `dbztask${randomBytes(3).toString('hex')}`
const ROWS = 2000
let admin: pg.Client
let db: pg.Client
let url: string

before(async () => {
  admin = new pg.Client({ connectionString: postgresUrl() })
  await admin.connect()
  await admin.query(`create database ${DB}`)
  const u = new URL(postgresUrl())
  u.pathname = `/${DB}`
  url = u.toString()
  db = new pg.Client({ connectionString: url })
  await db.connect()
})

after(async () => {
  await dropReplicationSlot(url, DB).catch(() => {})
  await dropReplicationSlot(url, `${DB}_idle`).catch(() => {})
  await db.end()
  await admin.query(`drop database if exists ${DB} with (force)`)
  await admin.end()
})

function startTask (props: Record<string, string>, offset: OffsetMap | null | (() => OffsetMap | null)): PostgresSourceTask {
  const task = new PostgresSourceTask()
  task.initialize({
    configs: () => props,
    offsetStorageReader: () => ({ offset: () => typeof offset === 'function' ? offset() : offset, offsets: () => new Map() })
  })
  return task
}

function taskProps (slot: string, extra: Record<string, string> = {}): Record<string, string> {
  const u = new URL(url)
  return {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'database.hostname': u.hostname,
    'database.port': u.port,
    'database.user': decodeURIComponent(u.username),
    'database.password': decodeURIComponent(u.password),
    'database.dbname': DB,
    'topic.prefix': slot,
    'plugin.name': 'pgoutput',
    'slot.name': slot,
    'publication.name': `${slot}_pub`,
    ...extra
  }
}

function rowOf (r: SourceRecord): { id: number, version: number, op: string } {
  const value = r.value as Struct
  const row = value.get('after') as Struct
  return { id: Number(row.get('id')), version: Number(row.get('version')), op: String(value.get('op')) }
}

test('a snapshot stopped midway is taken again on a recreated slot: streaming resumes exactly where it ends', { timeout: 120000 }, async () => {
  await db.query('create table items (id int primary key, version int not null)')
  await db.query(`insert into items select g, 0 from generate_series(1, ${ROWS}) g`)
  const props = taskProps(DB, { 'snapshot.fetch.size': '50', 'max.batch.size': '50', 'max.queue.size': '100' })
  const signal = new AbortController().signal

  // The first task creates the slot and stops with its snapshot midway (the bounded queue holds it there), before
  // any offset was stored; rows change meanwhile, after the slot's consistent point.
  const first = startTask(props, null)
  await first.start(props)
  const early = await first.poll(signal)
  assert.ok(early !== null && early.length > 0 && early.every(r => rowOf(r).op === 'r'))
  await db.query('update items set version = 1 where id <= 10')
  await db.query('update items set version = 2 where id <= 10')
  await first.stop()

  const second = startTask(props, null)
  await second.start(props)
  const records: SourceRecord[] = []
  const deadline = Date.now() + 90000
  let marked = false
  while (Date.now() < deadline) {
    const batch = await second.poll(signal) ?? []
    records.push(...batch)
    const rows = records.map(rowOf)
    if (!marked && rows.filter(r => r.op === 'r').length >= ROWS) {
      marked = true
      await db.query('update items set version = 3 where id = 1')
    }
    if (marked && rows.some(r => r.op === 'u' && r.id === 1 && r.version === 3)) break
  }
  await second.stop()
  const rows = records.map(rowOf)
  assert.ok(rows.some(r => r.op === 'u' && r.version === 3), 'the change after the snapshot is streamed')
  const snapshot = new Map(rows.filter(r => r.op === 'r').map(r => [r.id, r.version]))
  assert.equal(snapshot.size, ROWS)
  for (let id = 1; id <= 10; id++) assert.equal(snapshot.get(id), 2, `row ${id} in the new snapshot`)
  const older = rows.filter(r => r.op !== 'r' && r.version <= (snapshot.get(r.id) ?? -1))
  assert.deepEqual(older, [], 'streamed changes the new snapshot already holds, after it')
})

test('the slot is told only what the stored offset holds; heartbeats carry the idle position into it', { timeout: 120000 }, async () => {
  await db.query('create table quiet (id int primary key, v int)')
  await db.query('create table busy (id serial primary key, v int)')
  await db.query('insert into quiet values (1, 1)')
  const slot = `${DB}_idle`
  const props = taskProps(slot, { 'table.include.list': 'public.quiet', 'publication.autocreate.mode': 'filtered', 'heartbeat.interval.ms': '200' })
  // What the runtime would have written to the offsets file: the last record polled, "flushed" before each commit().
  let stored: OffsetMap | null = null
  const task = startTask(props, () => stored)
  await task.start(props)
  const signal = new AbortController().signal
  const state = async (): Promise<{ restart: bigint, confirmed: bigint }> => {
    const { rows } = await db.query<{ restart: string, confirmed: string }>(
      "select pg_wal_lsn_diff(restart_lsn, '0/0')::bigint::text as restart, pg_wal_lsn_diff(confirmed_flush_lsn, '0/0')::bigint::text as confirmed from pg_replication_slots where slot_name = $1", [slot])
    return { restart: BigInt(rows[0]!.restart), confirmed: BigInt(rows[0]!.confirmed) }
  }
  try {
    let inserted = false
    let last: SourceRecord | null = null
    let firstChangeLsn = 0n
    const deadline = Date.now() + 60000
    let caughtUp = false
    while (Date.now() < deadline && !caughtUp) {
      // Only the other table changes: its WAL is all the slot could release.
      await db.query('insert into busy (v) select g from generate_series(1, 200) g')
      for (const r of await task.poll(signal) ?? []) {
        last = r
        if (firstChangeLsn === 0n && r.topic.endsWith('.quiet') && (r.sourceOffset as Record<string, unknown>).lsn_proc !== undefined) firstChangeLsn = BigInt((r.sourceOffset as Record<string, number>).lsn_proc!)
      }
      if (last === null) continue
      if (!inserted) {
        // The snapshot (row 1) is polled: one streamed change, then the captured table stays idle.
        inserted = true
        await db.query('insert into quiet values (2, 2)')
      }
      stored = last.sourceOffset
      await task.commit()
      const slotNow = await state()
      const held = stored as Record<string, number>
      if (held.lsn_proc === undefined) continue
      assert.ok(slotNow.restart <= BigInt(held.lsn_proc!) && slotNow.confirmed <= BigInt(held.lsn_commit ?? held.lsn_proc),
        `the slot (restart ${slotNow.restart}, confirmed ${slotNow.confirmed}) is ahead of the stored offset ${JSON.stringify(held)}`)
      caughtUp = firstChangeLsn > 0n && slotNow.confirmed > firstChangeLsn + 100000n
    }
    assert.ok(caughtUp, 'heartbeats move the stored offset, and so the slot, past the idle table\'s last change')
  } finally {
    await task.stop()
  }
})
