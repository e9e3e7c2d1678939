// The JDBC reference of issue 15 runs here: Debezium's JdbcSinkConnector in Apache Kafka Connect 4.3.1 applies Debezium
// change events (as Debezium's Postgres connector writes them with JsonConverter) from the real broker to a table of
// the real PostgreSQL server, and sinkWithDebezium returns once its consumer group has committed the whole topic.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import pg from 'pg'
import { sinkWithDebezium } from './debezium-connect.mjs'
import { createTopic, produceMessages } from './kafka.ts'
import type { TestMessage } from './kafka.ts'
import { postgresUrl } from './postgres.mjs'

const RUN = `dbzs${randomBytes(3).toString('hex')}`
const TOPIC = `${RUN}.public.items`

const KEY_SCHEMA = { type: 'struct', fields: [{ type: 'int32', optional: false, field: 'id' }], optional: false, name: `${TOPIC}.Key` }
const ROW_SCHEMA = {
  type: 'struct',
  fields: [{ type: 'int32', optional: false, field: 'id' }, { type: 'string', optional: true, field: 'name' }, { type: 'int32', optional: true, field: 'qty' }],
  optional: true,
  name: `${TOPIC}.Value`
}
const SOURCE_SCHEMA = {
  type: 'struct',
  fields: ['version', 'connector', 'name', 'db', 'schema', 'table'].map(field => ({ type: 'string', optional: false, field }))
    .concat([{ type: 'int64', optional: false, field: 'ts_ms' }]),
  optional: false,
  name: 'io.debezium.connector.postgresql.Source'
}
const ENVELOPE_SCHEMA = {
  type: 'struct',
  fields: [{ ...ROW_SCHEMA, field: 'before' }, { ...ROW_SCHEMA, field: 'after' }, { ...SOURCE_SCHEMA, field: 'source' },
    { type: 'string', optional: false, field: 'op' }, { type: 'int64', optional: true, field: 'ts_ms' }],
  optional: false,
  name: `${TOPIC}.Envelope`,
  version: 2
}

type Row = { id: number, name: string | null, qty: number | null }

function change (op: string, id: number, before: Row | null, after: Row | null): TestMessage {
  const source = { version: '3.6.1.Final', connector: 'postgresql', name: RUN, db: RUN, schema: 'public', table: 'items', ts_ms: 1700000000000 }
  return {
    key: JSON.stringify({ schema: KEY_SCHEMA, payload: { id } }),
    value: JSON.stringify({ schema: ENVELOPE_SCHEMA, payload: { before, after, source, op, ts_ms: 1700000000001 } })
  }
}

test('Debezium\'s JDBC sink in Apache Kafka Connect applies change events to PostgreSQL', { timeout: 300000 }, async () => {
  const admin = new pg.Client({ connectionString: postgresUrl() })
  await admin.connect()
  await admin.query(`create database ${RUN}`)
  const url = new URL(postgresUrl())
  url.pathname = `/${RUN}`
  try {
    await createTopic(TOPIC)
    await produceMessages(TOPIC, [
      change('r', 1, null, { id: 1, name: 'one', qty: 1 }),
      change('r', 2, null, { id: 2, name: 'two', qty: 2 }),
      change('c', 3, null, { id: 3, name: 'three', qty: null }),
      change('u', 1, null, { id: 1, name: 'uno', qty: 10 }),
      change('d', 2, { id: 2, name: null, qty: null }, null),
      { key: JSON.stringify({ schema: KEY_SCHEMA, payload: { id: 2 } }), value: null }
    ])
    await sinkWithDebezium({
      url: url.toString(),
      name: RUN,
      topics: [TOPIC],
      extra: { 'insert.mode': 'upsert', 'delete.enabled': 'true', 'primary.key.mode': 'record_key', 'schema.evolution': 'basic' }
    })
    const db = new pg.Client({ connectionString: url.toString() })
    await db.connect()
    try {
      // The default table.name.format is the topic with dots turned into underscores.
      const { rows } = await db.query(`select id, name, qty from "${RUN}_public_items" order by id`)
      assert.deepEqual(rows, [{ id: 1, name: 'uno', qty: 10 }, { id: 3, name: 'three', qty: null }])
    } finally {
      await db.end()
    }
  } finally {
    await admin.query(`drop database if exists ${RUN} with (force)`)
    await admin.end()
  }
})
