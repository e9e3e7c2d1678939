/**
 * Debezium's change-event envelope for PostgreSQL: the key, value and envelope schemas of a table and the `source`
 * block, named and versioned as Debezium 3 names them, so that converters (JsonConverter with schemas, Avro through a
 * registry) write the same bytes and subjects as Debezium's.
 */
import { SchemaBuilder, Struct, type Schema } from '../../src/api/index.ts'
import type { ColumnMapping, TableInfo } from './table-info.ts'

export const SOURCE_SCHEMA_NAME = 'io.debezium.connector.postgresql.Source'
export const ENUM_LOGICAL_NAME = 'io.debezium.data.Enum'
/** Envelope.SCHEMA_VERSION in Debezium 3 (2 since ts_us/ts_ns joined ts_ms). */
export const ENVELOPE_SCHEMA_VERSION = 2
export const CONNECTOR_NAME = 'postgresql'

/** SnapshotRecord's values, lower-cased, in Debezium's declaration order (the `allowed` parameter lists them so). */
export const SNAPSHOT_MARKERS = ['true', 'first', 'first_in_data_collection', 'last_in_data_collection', 'last', 'false', 'incremental'] as const
export type SnapshotMarker = typeof SNAPSHOT_MARKERS[number]

export type Operation = 'r' | 'c' | 'u' | 'd' | 't'

const SNAPSHOT_SCHEMA = SchemaBuilder.string().name(ENUM_LOGICAL_NAME).version(1)
  .parameters({ allowed: SNAPSHOT_MARKERS.join(',') }).defaultValue('false').optional().build()

export const SOURCE_SCHEMA: Schema = SchemaBuilder.struct().name(SOURCE_SCHEMA_NAME).version(1)
  .field('version', SchemaBuilder.string().build())
  .field('connector', SchemaBuilder.string().build())
  .field('name', SchemaBuilder.string().build())
  .field('ts_ms', SchemaBuilder.int64().build())
  .field('snapshot', SNAPSHOT_SCHEMA)
  .field('db', SchemaBuilder.string().build())
  .field('sequence', SchemaBuilder.string().optional().build())
  .field('ts_us', SchemaBuilder.int64().optional().build())
  .field('ts_ns', SchemaBuilder.int64().optional().build())
  .field('schema', SchemaBuilder.string().build())
  .field('table', SchemaBuilder.string().build())
  .field('txId', SchemaBuilder.int64().optional().build())
  .field('lsn', SchemaBuilder.int64().optional().build())
  .field('xmin', SchemaBuilder.int64().optional().build())
  .field('origin', SchemaBuilder.string().optional().build())
  .field('origin_lsn', SchemaBuilder.int64().optional().build())
  .build()

export const TRANSACTION_BLOCK_SCHEMA: Schema = SchemaBuilder.struct().optional().name('event.block').version(1)
  .field('id', SchemaBuilder.string().build())
  .field('total_order', SchemaBuilder.int64().build())
  .field('data_collection_order', SchemaBuilder.int64().build())
  .build()

/** What the `source` block says of one event. */
export interface SourceInfo {
  readonly version: string
  /** topic.prefix */
  readonly serverName: string
  readonly db: string
  readonly schema: string
  readonly table: string
  /** Commit time (streaming) or read time (snapshot), in microseconds since the epoch. */
  readonly tsUs: bigint
  readonly snapshot: SnapshotMarker
  readonly txId: number | bigint | null
  readonly lsn: number | bigint | null
  /** LSN of the last commit processed before this event; with `lsn` it makes `sequence`. */
  readonly lastCommitLsn: number | bigint | null
  readonly origin?: string | null
  readonly originLsn?: number | bigint | null
}

export function sourceStruct (info: SourceInfo): Struct {
  const s = new Struct(SOURCE_SCHEMA)
    .put('version', info.version)
    .put('connector', CONNECTOR_NAME)
    .put('name', info.serverName)
    .put('ts_ms', info.tsUs / 1000n)
    .put('snapshot', info.snapshot)
    .put('db', info.db)
    // Jackson's rendering of a List<String> of the two LSNs (null when unknown), which Debezium puts here.
    .put('sequence', JSON.stringify([info.lastCommitLsn === null ? null : String(info.lastCommitLsn), info.lsn === null ? null : String(info.lsn)]))
    .put('ts_us', info.tsUs)
    .put('ts_ns', info.tsUs * 1000n)
    .put('schema', info.schema)
    .put('table', info.table)
  if (info.txId !== null) s.put('txId', info.txId)
  if (info.lsn !== null) s.put('lsn', info.lsn)
  if (info.origin != null) s.put('origin', info.origin)
  if (info.originLsn != null) s.put('origin_lsn', info.originLsn)
  return s
}

/** The schemas of one captured table, built once per table structure. */
export class TableSchemas {
  readonly table: TableInfo
  /** Captured columns (after column.include/exclude.list) with their mappings, in table order. */
  readonly columns: ReadonlyArray<{ readonly name: string, readonly mapping: ColumnMapping }>
  readonly topic: string
  readonly keySchema: Schema | null
  readonly valueSchema: Schema
  readonly envelopeSchema: Schema
  readonly keyColumns: readonly string[]

  constructor (topicPrefix: string, table: TableInfo, columns: ReadonlyArray<{ readonly name: string, readonly mapping: ColumnMapping }>) {
    this.table = table
    this.columns = columns
    const base = `${topicPrefix}.${table.schema}.${table.table}`
    this.topic = base
    const byName = new Map(columns.map(c => [c.name, c.mapping]))
    // A key column left out by column.exclude.list is still in the key (Debezium keys on the table's primary key).
    this.keyColumns = table.primaryKey.filter(k => byName.has(k))
    if (this.keyColumns.length > 0) {
      const key = SchemaBuilder.struct().name(`${base}.Key`)
      for (const k of this.keyColumns) key.field(k, byName.get(k)!.schema)
      this.keySchema = key.build()
    } else {
      this.keySchema = null
    }
    const value = SchemaBuilder.struct().name(`${base}.Value`).optional()
    for (const c of columns) value.field(c.name, c.mapping.schema)
    this.valueSchema = value.build()
    this.envelopeSchema = SchemaBuilder.struct().name(`${base}.Envelope`).version(ENVELOPE_SCHEMA_VERSION)
      .field('before', this.valueSchema)
      .field('after', this.valueSchema)
      .field('source', SOURCE_SCHEMA)
      .field('transaction', TRANSACTION_BLOCK_SCHEMA)
      .field('op', SchemaBuilder.string().build())
      .field('ts_ms', SchemaBuilder.int64().optional().build())
      .field('ts_us', SchemaBuilder.int64().optional().build())
      .field('ts_ns', SchemaBuilder.int64().optional().build())
      .build()
  }

  /** A row struct from a column name → Connect value map (columns missing from it stay null). */
  row (values: ReadonlyMap<string, unknown>): Struct {
    const s = new Struct(this.valueSchema)
    for (const c of this.columns) {
      const v = values.get(c.name)
      if (v !== undefined && v !== null) s.put(c.name, v)
    }
    return s
  }

  key (values: ReadonlyMap<string, unknown>): Struct | null {
    if (this.keySchema === null) return null
    const s = new Struct(this.keySchema)
    for (const k of this.keyColumns) s.put(k, values.get(k) ?? null)
    return s
  }

  envelope (op: Operation, before: Struct | null, after: Struct | null, source: Struct, nowUs: bigint): Struct {
    const e = new Struct(this.envelopeSchema)
      .put('source', source)
      .put('op', op)
      .put('ts_ms', nowUs / 1000n)
      .put('ts_us', nowUs)
      .put('ts_ns', nowUs * 1000n)
    if (before !== null) e.put('before', before)
    if (after !== null) e.put('after', after)
    return e
  }
}

/** Wall-clock time in microseconds since the epoch (what Debezium's Instant.now() gives on Linux). */
export function nowMicros (): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000))
}
