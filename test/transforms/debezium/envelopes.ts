// Hand-built Debezium Postgres change events (the shapes Debezium 3.6's PostgresConnector emits for a table
// public.t(id int primary key, name text, qty int default 5)), for the ExtractNewRecordState unit tests.
import { type Headers, SchemaBuilder, Schemas, Struct, sourceRecord } from '../../../src/api/index.ts'
import type { Schema, SourceRecord } from '../../../src/api/index.ts'

export const KEY_SCHEMA: Schema = SchemaBuilder.struct().name('dbz.public.t.Key').field('id', Schemas.INT32).build()

export const ROW_SCHEMA: Schema = SchemaBuilder.struct().name('dbz.public.t.Value').optional()
  .field('id', Schemas.INT32)
  .field('name', Schemas.OPTIONAL_STRING)
  .field('qty', SchemaBuilder.int32().optional().defaultValue(5).build())
  .field('route', Schemas.OPTIONAL_STRING)
  .build()

export const SOURCE_SCHEMA: Schema = SchemaBuilder.struct().name('io.debezium.connector.postgresql.Source')
  .field('version', Schemas.STRING)
  .field('connector', Schemas.STRING)
  .field('name', Schemas.STRING)
  .field('ts_ms', Schemas.INT64)
  .field('snapshot', SchemaBuilder.string().optional().name('io.debezium.data.Enum').version(1).parameter('allowed', 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental').defaultValue('false').build())
  .field('db', Schemas.STRING)
  .field('sequence', Schemas.OPTIONAL_STRING)
  .field('ts_us', Schemas.OPTIONAL_INT64)
  .field('ts_ns', Schemas.OPTIONAL_INT64)
  .field('schema', Schemas.STRING)
  .field('table', Schemas.STRING)
  .field('txId', Schemas.OPTIONAL_INT64)
  .field('lsn', Schemas.OPTIONAL_INT64)
  .field('xmin', Schemas.OPTIONAL_INT64)
  .build()

export const TX_SCHEMA: Schema = SchemaBuilder.struct().name('event.block').version(1).optional()
  .field('id', Schemas.STRING)
  .field('total_order', Schemas.INT64)
  .field('data_collection_order', Schemas.INT64)
  .build()

export const ENVELOPE_SCHEMA: Schema = SchemaBuilder.struct().name('dbz.public.t.Envelope').version(2)
  .field('before', ROW_SCHEMA)
  .field('after', ROW_SCHEMA)
  .field('source', SOURCE_SCHEMA)
  .field('transaction', TX_SCHEMA)
  .field('op', Schemas.STRING)
  .field('ts_ms', Schemas.OPTIONAL_INT64)
  .field('ts_us', Schemas.OPTIONAL_INT64)
  .field('ts_ns', Schemas.OPTIONAL_INT64)
  .build()

export interface Row { id: number, name?: string | null, qty?: number | null, route?: string | null }

export function row (r: Row): Struct {
  return new Struct(ROW_SCHEMA).put('id', r.id).put('name', r.name ?? null).put('qty', r.qty ?? null).put('route', r.route ?? null)
}

export function source (snapshot: string, lsn: number): Struct {
  return new Struct(SOURCE_SCHEMA).put('version', '3.6.1.Final').put('connector', 'postgresql').put('name', 'dbz')
    .put('ts_ms', 1700000000000).put('snapshot', snapshot).put('db', 'inventory').put('sequence', `["${lsn - 8}","${lsn}"]`)
    .put('ts_us', 1700000000000000).put('ts_ns', 1700000000000000000).put('schema', 'public').put('table', 't')
    .put('txId', 771).put('lsn', lsn).put('xmin', null)
}

export function key (id: number): Struct { return new Struct(KEY_SCHEMA).put('id', id) }

export interface EventInit {
  op: 'r' | 'c' | 'u' | 'd' | 't'
  before?: Row | null
  after?: Row | null
  lsn?: number
  tx?: boolean
  headers?: Headers
}

/** A change event on topic dbz.public.t, keyed by the row's id (a truncate has no key). */
export function event (e: EventInit): SourceRecord {
  const value = new Struct(ENVELOPE_SCHEMA)
    .put('before', e.before ? row(e.before) : null)
    .put('after', e.after ? row(e.after) : null)
    .put('source', source(e.op === 'r' ? 'true' : 'false', e.lsn ?? 24023128))
    .put('transaction', e.tx ? new Struct(TX_SCHEMA).put('id', '771:24023128').put('total_order', 2).put('data_collection_order', 1) : null)
    .put('op', e.op).put('ts_ms', 1700000000123).put('ts_us', 1700000000123456).put('ts_ns', 1700000000123456789)
  const id = e.after?.id ?? e.before?.id
  return sourceRecord({
    sourcePartition: { server: 'dbz' },
    sourceOffset: { lsn: e.lsn ?? 24023128 },
    topic: 'dbz.public.t',
    keySchema: id === undefined ? null : KEY_SCHEMA,
    key: id === undefined ? null : key(id),
    valueSchema: ENVELOPE_SCHEMA,
    value,
    timestamp: 1700000000200,
    headers: e.headers
  })
}

/** The tombstone Debezium sends after a delete. */
export function tombstone (id: number): SourceRecord {
  return sourceRecord({ sourcePartition: { server: 'dbz' }, sourceOffset: { lsn: 1 }, topic: 'dbz.public.t', keySchema: KEY_SCHEMA, key: key(id), valueSchema: null, value: null, timestamp: 1700000000200 })
}

export const HEARTBEAT_SCHEMA: Schema = SchemaBuilder.struct().name('io.debezium.connector.common.Heartbeat').version(1).field('ts_ms', Schemas.INT64).build()

export function heartbeat (): SourceRecord {
  const keySchema = SchemaBuilder.struct().name('io.debezium.connector.common.ServerNameKey').version(1).field('serverName', Schemas.STRING).build()
  return sourceRecord({
    sourcePartition: { server: 'dbz' },
    sourceOffset: { lsn: 1 },
    topic: '__debezium-heartbeat.dbz',
    keySchema,
    key: new Struct(keySchema).put('serverName', 'dbz'),
    valueSchema: HEARTBEAT_SCHEMA,
    value: new Struct(HEARTBEAT_SCHEMA).put('ts_ms', 1700000000000)
  })
}
