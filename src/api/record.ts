/**
 * Records flowing through the pipeline. They are frozen: a transformation returns a new record built with
 * `newRecord`, so no stage can mutate a record another stage (or the offset tracker) still holds.
 */
import { Headers } from './headers.ts'
import type { Schema } from './schema.ts'

/** A source partition or offset: string keys, primitive values (Kafka's rule for offsets). */
export type OffsetMap = Readonly<Record<string, string | number | bigint | boolean | null>>

export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}

export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number
  readonly metadata?: string
}

export type TimestampType = 'NoTimestampType' | 'CreateTime' | 'LogAppendTime'

export interface ConnectRecord {
  readonly topic: string
  /** null lets the producer choose (the partitioner). */
  readonly kafkaPartition: number | null
  readonly keySchema: Schema | null
  readonly key: unknown
  readonly valueSchema: Schema | null
  readonly value: unknown
  /** Milliseconds since the epoch, or null. */
  readonly timestamp: number | null
  readonly headers: Headers
}

export interface SourceRecord extends ConnectRecord {
  readonly kind: 'source'
  readonly sourcePartition: OffsetMap | null
  readonly sourceOffset: OffsetMap | null
}

export interface SinkRecord extends ConnectRecord {
  readonly kind: 'sink'
  readonly kafkaOffset: number
  readonly timestampType: TimestampType
  /** Where the record was read from, even if an SMT renamed the topic (Kafka 3.6+ originalTopic()). */
  readonly originalTopic: string
  readonly originalKafkaPartition: number
  readonly originalKafkaOffset: number
}

export interface SourceRecordInit {
  sourcePartition?: OffsetMap | null
  sourceOffset?: OffsetMap | null
  topic: string
  kafkaPartition?: number | null
  keySchema?: Schema | null
  key?: unknown
  valueSchema?: Schema | null
  value?: unknown
  timestamp?: number | null
  headers?: Headers
}

export function sourceRecord (init: SourceRecordInit): SourceRecord {
  return Object.freeze({
    kind: 'source',
    sourcePartition: init.sourcePartition ?? null,
    sourceOffset: init.sourceOffset ?? null,
    topic: init.topic,
    kafkaPartition: init.kafkaPartition ?? null,
    keySchema: init.keySchema ?? null,
    key: init.key ?? null,
    valueSchema: init.valueSchema ?? null,
    value: init.value ?? null,
    timestamp: init.timestamp ?? null,
    headers: init.headers ?? Headers.EMPTY
  })
}

export interface SinkRecordInit {
  topic: string
  kafkaPartition: number
  kafkaOffset: number
  keySchema?: Schema | null
  key?: unknown
  valueSchema?: Schema | null
  value?: unknown
  timestamp?: number | null
  timestampType?: TimestampType
  headers?: Headers
}

export function sinkRecord (init: SinkRecordInit): SinkRecord {
  return Object.freeze({
    kind: 'sink',
    topic: init.topic,
    kafkaPartition: init.kafkaPartition,
    kafkaOffset: init.kafkaOffset,
    keySchema: init.keySchema ?? null,
    key: init.key ?? null,
    valueSchema: init.valueSchema ?? null,
    value: init.value ?? null,
    timestamp: init.timestamp ?? null,
    timestampType: init.timestampType ?? 'NoTimestampType',
    headers: init.headers ?? Headers.EMPTY,
    originalTopic: init.topic,
    originalKafkaPartition: init.kafkaPartition,
    originalKafkaOffset: init.kafkaOffset
  })
}

type Patch<R> = Partial<Omit<R, 'kind' | 'originalTopic' | 'originalKafkaPartition' | 'originalKafkaOffset'>>

const SOURCE_FIELDS = new Set(['kind', 'sourcePartition', 'sourceOffset', 'topic', 'kafkaPartition', 'keySchema', 'key', 'valueSchema', 'value', 'timestamp', 'headers'])
const SINK_FIELDS = new Set(['kind', 'topic', 'kafkaPartition', 'kafkaOffset', 'keySchema', 'key', 'valueSchema', 'value', 'timestamp', 'timestampType', 'headers', 'originalTopic', 'originalKafkaPartition', 'originalKafkaOffset'])

/**
 * The only way to "modify" a record: a frozen copy with the patch applied (Kafka's newRecord). The same result as
 * `Object.freeze({ ...record, ...patch })` for records made by sourceRecord/sinkRecord, field by field: every
 * transformation calls this for every record, and copying named fields is several times faster than spreading.
 */
export function newRecord<R extends SourceRecord | SinkRecord> (record: R, patch: Patch<R>): R {
  const p = patch as Record<string, unknown>
  let out: Record<string, unknown>
  let extra = 0
  for (const k in p) if (!(record.kind === 'source' ? SOURCE_FIELDS : SINK_FIELDS).has(k)) extra++
  if (record.kind === 'source') {
    const r = record as SourceRecord
    out = {
      kind: 'source',
      sourcePartition: 'sourcePartition' in p ? p.sourcePartition : r.sourcePartition,
      sourceOffset: 'sourceOffset' in p ? p.sourceOffset : r.sourceOffset,
      topic: 'topic' in p ? p.topic : r.topic,
      kafkaPartition: 'kafkaPartition' in p ? p.kafkaPartition : r.kafkaPartition,
      keySchema: 'keySchema' in p ? p.keySchema : r.keySchema,
      key: 'key' in p ? p.key : r.key,
      valueSchema: 'valueSchema' in p ? p.valueSchema : r.valueSchema,
      value: 'value' in p ? p.value : r.value,
      timestamp: 'timestamp' in p ? p.timestamp : r.timestamp,
      headers: 'headers' in p ? p.headers : r.headers
    }
  } else {
    const r = record as SinkRecord
    out = {
      kind: 'sink',
      topic: 'topic' in p ? p.topic : r.topic,
      kafkaPartition: 'kafkaPartition' in p ? p.kafkaPartition : r.kafkaPartition,
      kafkaOffset: 'kafkaOffset' in p ? p.kafkaOffset : r.kafkaOffset,
      keySchema: 'keySchema' in p ? p.keySchema : r.keySchema,
      key: 'key' in p ? p.key : r.key,
      valueSchema: 'valueSchema' in p ? p.valueSchema : r.valueSchema,
      value: 'value' in p ? p.value : r.value,
      timestamp: 'timestamp' in p ? p.timestamp : r.timestamp,
      timestampType: 'timestampType' in p ? p.timestampType : r.timestampType,
      headers: 'headers' in p ? p.headers : r.headers,
      originalTopic: 'originalTopic' in p ? p.originalTopic : r.originalTopic,
      originalKafkaPartition: 'originalKafkaPartition' in p ? p.originalKafkaPartition : r.originalKafkaPartition,
      originalKafkaOffset: 'originalKafkaOffset' in p ? p.originalKafkaOffset : r.originalKafkaOffset
    }
  }
  // Anything beyond a record's own fields is kept, as a spread would keep it.
  if (extra > 0) for (const k in p) if (!(k in out)) out[k] = p[k]
  return Object.freeze(out) as R
}
