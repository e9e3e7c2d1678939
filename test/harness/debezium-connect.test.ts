// The reference of issue 15 runs here: Debezium 3.6.1's PostgresConnector in Apache Kafka Connect 4.3.1 snapshots a
// table of the real PostgreSQL server and then streams its changes into the real broker, as JsonConverter envelopes.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import pg from 'pg'
import { debeziumPostgresProps, DEBEZIUM_VERSION, openTopicCapture, startDebeziumConnect } from './debezium-connect.mjs'
import type { CapturedRecord } from './debezium-connect.mjs'
import { postgresUrl } from './postgres.mjs'
import { removeDir } from '../helpers/remove-dir.ts'
import { decodeOffsetsFile } from '../../src/java/serialization.ts'

const RUN = `dbzh${randomBytes(3).toString('hex')}`

function record (records: CapturedRecord[], i: number): CapturedRecord {
  const r = records[i]
  assert.ok(r, `record ${i} of ${records.length}`)
  return r
}

function databaseUrl (name: string): string {
  const url = new URL(postgresUrl())
  url.pathname = `/${name}`
  return url.toString()
}

test('Debezium in Apache Kafka Connect snapshots a table, then streams its inserts, updates and deletes', { timeout: 300000 }, async () => {
  const admin = new pg.Client({ connectionString: postgresUrl() })
  await admin.connect()
  await admin.query(`create database ${RUN}`)
  const db = new pg.Client({ connectionString: databaseUrl(RUN) })
  const dir = await mkdtemp(join(tmpdir(), 'debezium-connect-'))
  let connect: Awaited<ReturnType<typeof startDebeziumConnect>> | null = null
  const capture = await openTopicCapture({ match: `${RUN}.` })
  try {
    await db.connect()
    await db.query('create table items (id int primary key, name text, price numeric(8,2))')
    await db.query("insert into items values (1, 'one', 1.50), (2, 'two', 2.25)")
    connect = await startDebeziumConnect({
      dir,
      connectorProps: [debeziumPostgresProps({
        name: RUN,
        url: databaseUrl(RUN),
        topicPrefix: RUN,
        slotName: `${RUN}_slot`,
        extra: { 'publication.name': `${RUN}_pub`, 'slot.drop.on.stop': 'true' }
      })]
    })
    const failure = connect.failure.bind(connect)
    const topic = `${RUN}.public.items`
    const ops = (records: CapturedRecord[]): string[] => records.map(r => r.value == null ? 'tombstone' : `${r.value.payload.op}${r.key.payload.id}`)

    await capture.waitForCount(2, { timeoutMs: 120000, what: 'the snapshot', failure })
    assert.deepEqual(ops(capture.records), ['r1', 'r2'])
    const first = record(capture.records, 0)
    assert.equal(first.topic, topic)
    assert.deepEqual(first.key, {
      schema: { type: 'struct', fields: [{ type: 'int32', optional: false, field: 'id' }], optional: false, name: `${topic}.Key` },
      payload: { id: 1 }
    })
    assert.equal(first.value.schema.name, `${topic}.Envelope`)
    assert.deepEqual(first.value.payload.after, { id: 1, name: 'one', price: 'AJY=' }) // 150 as a big-endian unscaled decimal
    assert.equal(first.value.payload.source.version, DEBEZIUM_VERSION)
    assert.equal(first.value.payload.source.snapshot, 'first')
    assert.equal(record(capture.records, 1).value.payload.source.snapshot, 'last')

    await db.query("insert into items values (3, 'three', null)")
    await db.query("update items set name = 'uno' where id = 1")
    await db.query('delete from items where id = 2')
    await capture.waitForCount(6, { timeoutMs: 60000, what: 'the streamed changes', failure })
    assert.deepEqual(ops(capture.records), ['r1', 'r2', 'c3', 'u1', 'd2', 'tombstone'])
    const insert = record(capture.records, 2)
    const update = record(capture.records, 3)
    const del = record(capture.records, 4)
    assert.deepEqual(insert.value.payload.after, { id: 3, name: 'three', price: null })
    assert.equal(insert.value.payload.source.snapshot, 'false')
    assert.equal(typeof insert.value.payload.source.lsn, 'number')
    assert.deepEqual(update.value.payload.after, { id: 1, name: 'uno', price: 'AJY=' })
    assert.equal(update.value.payload.before, null, 'DEFAULT replica identity: no old row for an update')
    assert.deepEqual(del.value.payload.before, { id: 2, name: null, price: null })

    // The worker's offsets file holds Debezium's source offset under {"server": prefix}, in Apache's format.
    await capture.waitFor(() => {
      try {
        const entries = decodeOffsetsFile(readFileSync(connect!.offsetsFile), connect!.offsetsFile)
        return entries.some(([k, v]) => k.toString() === `["${RUN}",{"server":"${RUN}"}]` && v != null && 'lsn_proc' in JSON.parse(v.toString()))
      } catch {
        return false
      }
    }, { timeoutMs: 30000, what: 'a streaming offset in the offsets file', failure })
  } finally {
    await capture.close()
    if (connect) await connect.stop()
    await db.end().catch(() => {})
    // slot.drop.on.stop drops the slot when the task stops; a slot of a killed worker is dropped here.
    await admin.query('select pg_drop_replication_slot(slot_name) from pg_replication_slots where database = $1 and not active', [RUN])
    await admin.query(`drop database if exists ${RUN} with (force)`)
    await admin.end()
    await removeDir(dir)
  }
})
