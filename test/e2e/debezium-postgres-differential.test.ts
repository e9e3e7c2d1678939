/**
 * The differential test of issue 15: Debezium 3.6.1.Final's PostgresConnector (in Apache Kafka Connect 4.3.1) and ours
 * (in our CLI) capture the same database at the same time, each with its own slot, publication and topic prefix, and
 * write JsonConverter records with schemas. One database holds the fixture's schema and snapshot rows; both start,
 * both finish their snapshots, then the fixture's streaming script runs once (inserts, updates including key changes
 * and unchanged TOAST, deletes, a truncate, a multi-statement transaction, every column type with NULLs, NaN and
 * infinities). Three pipelines run on each side:
 *
 *   raw  the change events themselves (skipped.operations=none so the truncate is emitted; heartbeats every second)
 *   dfl  ExtractNewRecordState with its defaults
 *   rwr  ExtractNewRecordState, delete.tombstone.handling.mode=rewrite, add.fields=op,table,lsn,source.ts_ms,
 *        add.headers=db,op
 *
 * Per topic, in order, keys, values (schema and payload) and headers must be equal once each side's topic prefix is
 * replaced by PREFIX, except the fields of NATURE below, which differ between any two connectors by nature.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { runDifferential, type Props } from '../helpers/debezium-differential-run.ts'
import type { NatureField } from '../helpers/debezium-record-diff.ts'
import { applySql, DML_FIXTURE, SNAPSHOT_ROW_COUNTS } from '../connectors/debezium-postgres/fixtures/dml-fixture.ts'

const RUN = `dd${randomBytes(3).toString('hex')}`
const SNAPSHOT_ROWS = Object.values(SNAPSHOT_ROW_COUNTS).reduce((a, b) => a + b, 0)

const UNWRAP = { transforms: 'unwrap', 'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState' }
const PIPELINES: Record<string, Props> = {
  raw: { 'heartbeat.interval.ms': '1000' },
  dfl: { ...UNWRAP },
  rwr: {
    ...UNWRAP,
    'transforms.unwrap.delete.tombstone.handling.mode': 'rewrite',
    'transforms.unwrap.add.fields': 'op,table,lsn,source.ts_ms',
    'transforms.unwrap.add.headers': 'db,op'
  }
}

/** The snapshot's records are the first SNAPSHOT_ROW_COUNTS[table] of each table's topic (a snapshot reads in order). */
const isSnapshot = (_json: any, index: number, topic: string): boolean =>
  index < (SNAPSHOT_ROW_COUNTS[topic.replace(/^PREFIX\./, '')] ?? 0)

/**
 * The fields that differ between any two connectors by nature. Both stream the same WAL, so every streaming record's
 * lsn, txId, sequence and source times must be equal; the snapshot records carry each connector's own snapshot (its
 * slot's consistent point and its snapshot transaction) and its own reading time.
 */
const NATURE: Record<string, NatureField[]> = {
  raw: [
    { path: ['value', 'payload', 'ts_ms'], why: 'processing time' },
    { path: ['value', 'payload', 'ts_us'], why: 'processing time' },
    { path: ['value', 'payload', 'ts_ns'], why: 'processing time' },
    ...['ts_ms', 'ts_us', 'ts_ns'].map(f => ({ path: ['value', 'payload', 'source', f], why: 'snapshot reading time', when: isSnapshot })),
    ...['lsn', 'txId', 'sequence'].map(f => ({ path: ['value', 'payload', 'source', f], why: "the connector's own snapshot", when: isSnapshot }))
  ],
  dfl: [],
  rwr: [
    { path: ['value', 'payload', '__lsn'], why: "the connector's own snapshot", when: isSnapshot },
    { path: ['value', 'payload', '__source_ts_ms'], why: 'snapshot reading time', when: isSnapshot }
  ]
}
/** Headers whose values differ by nature: the id of the connector's run. */
const NATURE_HEADERS = new Set(['__debezium.context.runId'])

test('Debezium 3.6.1 and ours capture the same snapshot and streaming changes: equal record by record', { timeout: 300000 }, async () => {
  const { problems } = await runDifferential({
    run: RUN,
    pipelines: PIPELINES,
    nature: NATURE,
    natureHeaders: NATURE_HEADERS,
    setup: async db => { await applySql(db, DML_FIXTURE.schema); await applySql(db, DML_FIXTURE.snapshot) },
    snapshotRecords: () => SNAPSHOT_ROWS,
    streaming: async db => { await applySql(db, DML_FIXTURE.streaming) },
    // Debezium's raw pipeline writes 34 records for the streaming script (tombstones and the truncate included).
    expectedRecords: SNAPSHOT_ROWS + 34,
    heartbeatPipeline: 'raw'
  })
  assert.deepEqual(problems, [], `${problems.length} differences:\n${problems.join('\n')}`)
})
