// The reference of issue 15 runs here: Debezium 3.6.1's PostgresConnector in Apache Kafka Connect 4.3.1 snapshots the
// DML fixture's tables on the real PostgreSQL server, then streams the fixture's changes into the real broker as
// JsonConverter envelopes; its Apache offsets file reads as Debezium's partition and offset, and writes back the same.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import pg from 'pg'
import { captureWithDebezium, DEBEZIUM_VERSION } from './debezium-connect.mjs'
import type { CapturedRecord } from './debezium-connect.mjs'
import { postgresUrl } from './postgres.mjs'
import { applySql, DML_FIXTURE, SNAPSHOT_ROW_COUNTS } from '../connectors/debezium-postgres/fixtures/dml-fixture.ts'
import { findApacheOffset, readApacheOffsets, writeApacheOffsets } from '../helpers/apache-offsets.ts'
import { removeDir } from '../helpers/remove-dir.ts'

const RUN = `dbzh${randomBytes(3).toString('hex')}`

function databaseUrl (name: string): string {
  const url = new URL(postgresUrl())
  url.pathname = `/${name}`
  return url.toString()
}

/** Per table, the records as "<op><key values joined by ->" (op "tomb" for a tombstone, key "_" when null), in order. */
function opsByTable (records: CapturedRecord[]): Record<string, string> {
  const out: Record<string, string[]> = {}
  for (const r of records) {
    const table = r.topic.split('.').pop() ?? r.topic
    const key = r.key == null ? '_' : Object.values(r.key.payload as Record<string, unknown>).join('-')
    ;(out[table] ??= []).push(`${r.value == null ? 'tomb' : String(r.value.payload.op)}${key}`)
  }
  return Object.fromEntries(Object.entries(out).map(([t, ops]) => [t, ops.join(' ')]))
}

// What Debezium 3.6.1 wrote for the fixture in /work/notes/debezium-sample (skipped.operations=none, so the TRUNCATE
// shows): the snapshot's reads, then every streamed change, a tombstone after each delete.
const EXPECTED_OPS = {
  all_types: 'r1 r2 r3 c11 c12 c13 u1 u2 d11 tomb11 c21 d12 tomb12 u2',
  composite_key: 'reu-1 reu-2 rus-1 ueu-1 deu-2 tombeu-2 ceu-3 dus-1 tombus-1 cap-7 deu-1 tombeu-1',
  full_identity: 'r1 r2 r3 u1 d2 tomb2 c4 d3 tomb3 u1',
  no_pk: 'r_ r_ r_ c_ t_',
  toasted: 'r1 r2 u1 u2 d1 tomb1 c3'
}

test('Debezium in Apache Kafka Connect captures the DML fixture: snapshot, then every streamed change', { timeout: 300000 }, async () => {
  const admin = new pg.Client({ connectionString: postgresUrl() })
  await admin.connect()
  await admin.query(`create database ${RUN}`)
  const db = new pg.Client({ connectionString: databaseUrl(RUN) })
  const dir = await mkdtemp(join(tmpdir(), 'debezium-connect-'))
  try {
    await db.connect()
    await applySql(db, DML_FIXTURE.schema)
    await applySql(db, DML_FIXTURE.snapshot)
    const total = Object.values(EXPECTED_OPS).join(' ').split(' ').length
    const result = await captureWithDebezium({
      url: databaseUrl(RUN),
      name: RUN,
      dir,
      extra: { 'skipped.operations': 'none' },
      afterSnapshot: () => applySql(db, DML_FIXTURE.streaming),
      until: records => records.length >= total
    })
    const { records } = result

    assert.deepEqual(opsByTable(records), EXPECTED_OPS)
    const snapshot = records.filter(r => r.value?.payload.op === 'r')
    assert.equal(snapshot.length, Object.values(SNAPSHOT_ROW_COUNTS).reduce((a, b) => a + b, 0))
    // Every topic and schema name carries the prefix; the source block names this Debezium.
    const first = records.find(r => r.topic === `${RUN}.public.all_types`)
    assert.ok(first)
    assert.equal(first.key.schema.name, `${RUN}.public.all_types.Key`)
    assert.equal(first.value.schema.name, `${RUN}.public.all_types.Envelope`)
    assert.equal(first.value.payload.source.version, DEBEZIUM_VERSION)
    assert.equal(first.value.payload.source.db, RUN)
    // int64 extremes survive exactly in the record text.
    assert.match(first.valueText ?? '', /"c_bigint":9223372036854775807/)
    // TOAST: an update leaving the stored-out-of-line column unchanged carries Debezium's placeholder.
    const toastUpdate = records.find(r => r.topic.endsWith('.toasted') && r.value?.payload.op === 'u' && r.key.payload.id === 1)
    assert.equal(toastUpdate?.value.payload.after.big, '__debezium_unavailable_value')
    // A primary-key change: the delete names the new key, the create the old one.
    const moved = records.find(r => r.value?.payload.op === 'c' && r.key?.payload.id === 21)
    assert.deepEqual(moved?.headers.find(h => h.key === '__debezium.oldkey')?.value, '{"id":11}')
    // TRUNCATE (skipped.operations=none): op t, no key, neither before nor after.
    const truncate = records.find(r => r.value?.payload.op === 't')
    assert.equal(truncate?.key, null)
    assert.deepEqual([truncate?.value.payload.before, truncate?.value.payload.after, truncate?.value.payload.source.table], [null, null, 'no_pk'])

    // The offsets file: Debezium's streaming offset under {"server": prefix}, decoded; re-encoding gives the same bytes.
    assert.ok(result.offsets, 'Apache wrote an offsets file')
    const entries = readApacheOffsets(result.offsets)
    const offset = findApacheOffset(entries, RUN, { server: RUN })
    assert.ok(offset?.offset, `an offset for ${RUN}: ${JSON.stringify(entries)}`)
    for (const field of ['lsn', 'lsn_proc', 'lsn_commit', 'txId', 'ts_usec']) assert.equal(typeof offset.offset[field], 'number', field)
    const copy = join(dir, 'copy.offsets')
    writeApacheOffsets(copy, entries)
    assert.deepEqual(await readFile(copy), result.offsets)
    // captureWithDebezium dropped the slot.
    assert.equal((await admin.query('select count(*)::int as n from pg_replication_slots where database = $1', [RUN])).rows[0].n, 0)
  } finally {
    await db.end().catch(() => {})
    // A slot left by a failed run would keep the database from being dropped.
    await admin.query('select pg_drop_replication_slot(slot_name) from pg_replication_slots where database = $1 and not active', [RUN])
    await admin.query(`drop database if exists ${RUN} with (force)`)
    await admin.end()
    await removeDir(dir)
  }
})
