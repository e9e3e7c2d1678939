/**
 * Where record failures go: the log (errors.log.enable) and a dead-letter queue topic
 * (errors.deadletterqueue.topic.name). Both see the record as it was when it failed: for a sink, the consumed Kafka
 * record (original bytes); for a source, the SourceRecord the task returned.
 */
import type { SinkRecord, SourceRecord } from '../../api/index.ts'
import type { DeadLetterRecord } from '../../kafka/dead-letter-queue.ts'
import type { Logger } from '../../util/logger.ts'
import type { ErrorReporter, ProcessingFailure } from './retry-with-tolerance-operator.ts'

/** A record as consumed from Kafka, before any conversion: what a sink's failure reports carry. */
export interface ConsumedRecord {
  readonly kind: 'consumed'
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly timestamp: number | null
  readonly timestampType: 'CreateTime' | 'LogAppendTime' | 'NoTimestampType'
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: ReadonlyArray<{ key: string, value: Buffer | null }>
}

export function isConsumedRecord (r: unknown): r is ConsumedRecord {
  return typeof r === 'object' && r !== null && (r as { kind?: unknown }).kind === 'consumed'
}

/** "topic=t partition=0 offset=42" or, for a source record, its topic and source partition/offset. */
export function recordCoordinates (record: unknown): string {
  if (isConsumedRecord(record)) return `topic=${record.topic} partition=${record.partition} offset=${record.offset}`
  const r = record as SourceRecord | SinkRecord | null
  if (r?.kind === 'sink') return `topic=${r.originalTopic} partition=${r.originalKafkaPartition} offset=${r.originalKafkaOffset}`
  if (r?.kind === 'source') return `topic=${r.topic} sourcePartition=${javaMapText(r.sourcePartition)} sourceOffset=${javaMapText(r.sourceOffset)}`
  // A raw consumed message (node-rdkafka's), when nothing will report the record beyond its coordinates.
  const m = record as { topic?: unknown, partition?: unknown, offset?: unknown } | null
  if (typeof m?.topic === 'string') return `topic=${m.topic} partition=${String(m.partition)} offset=${String(m.offset)}`
  return 'unknown'
}

/** The Java class name an error would have in Apache, for DLQ headers and logs. */
export function javaExceptionClass (err: Error): string {
  switch (err.name) {
    case 'DataError': return 'org.apache.kafka.connect.errors.DataException'
    case 'RetriableError': return 'org.apache.kafka.connect.errors.RetriableException'
    case 'ConfigError': return 'org.apache.kafka.common.config.ConfigException'
    case 'ConnectError': return 'org.apache.kafka.connect.errors.ConnectException'
    case 'SchemaBuilderError': return 'org.apache.kafka.connect.errors.SchemaBuilderException'
    default: return err.name || 'Error'
  }
}

function javaMapText (m: Readonly<Record<string, unknown>> | null): string {
  if (m === null) return 'null'
  return `{${Object.entries(m).map(([k, v]) => `${k}=${String(v)}`).join(', ')}}`
}

function valueText (v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (Buffer.isBuffer(v)) return `[B@${v.length.toString(16)}`
  if (typeof v === 'object') {
    try { return JSON.stringify(v, (_k, x: unknown) => typeof x === 'bigint' ? x.toString() : x instanceof Map ? Object.fromEntries(x) : x) } catch { return String(v) }
  }
  return String(v)
}

/** Kafka's LogReporter: one ERROR line per failure, with the record's details when errors.log.include.messages. */
export class LogReporter implements ErrorReporter {
  readonly #taskId: string
  readonly #includeMessages: boolean
  readonly #logger: Logger

  constructor (taskId: string, includeMessages: boolean, logger: Logger) {
    this.#taskId = taskId
    this.#includeMessages = includeMessages
    this.#logger = logger
  }

  report (failure: ProcessingFailure, record: unknown): void {
    this.#logger.error(this.message(failure, record), failure.error)
  }

  message (failure: ProcessingFailure, record: unknown): string {
    let details = ''
    if (this.#includeMessages && record !== null && record !== undefined) {
      if (isConsumedRecord(record)) {
        const ts = record.timestampType === 'NoTimestampType' ? '' : `, timestamp=${String(record.timestamp)}, timestampType=${record.timestampType}`
        details = `, where consumed record is {topic='${record.topic}', partition=${record.partition}, offset=${record.offset}${ts}}`
      } else {
        const r = record as SourceRecord
        details = `, where source record is = SourceRecord{sourcePartition=${javaMapText(r.sourcePartition)}, sourceOffset=${javaMapText(r.sourceOffset)}} ` +
          `ConnectRecord{topic='${r.topic}', kafkaPartition=${String(r.kafkaPartition)}, key=${valueText(r.key)}, keySchema=${schemaText(r.keySchema)}, ` +
          `value=${valueText(r.value)}, valueSchema=${schemaText(r.valueSchema)}, timestamp=${String(r.timestamp)}, headers=ConnectHeaders(headers=${[...r.headers].map(h => `${h.key}=${valueText(h.value)}`).join(', ')})}`
      }
    }
    return `Error encountered in task ${this.#taskId}. Executing stage '${failure.stage}' with class '${failure.executingClass}'${details}.`
  }
}

function schemaText (s: SourceRecord['keySchema']): string {
  return s === null ? 'null' : `Schema{${s.name !== undefined ? `${s.name}:` : ''}${s.type.toUpperCase()}}`
}

/** What the DLQ reporter needs from a producer: a send whose completion it can wait for. */
export interface DeadLetterSender {
  send (topic: string, record: DeadLetterRecord): Promise<void>
  close? (timeoutMs: number): Promise<void>
}

export interface DeadLetterQueueOptions {
  topic: string
  contextHeaders: boolean
  connector: string
  task: number
  /** Renders a record that has no original bytes (a source record, or a sink record a task made). */
  serialize?: (record: SourceRecord | SinkRecord) => SerializedRecord | Promise<SerializedRecord>
}

const HEADER_PREFIX = '__connect.errors.'
const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8')

export interface SerializedRecord { key: Buffer | null, value: Buffer | null }

/**
 * Kafka's DeadLetterQueueReporter: writes the failed record's original bytes and headers to the DLQ topic, plus the
 * `__connect.errors.*` context headers when asked. Sends are tracked so a sink commits an offset only after the DLQ
 * write of every earlier failed record finished.
 */
export class DeadLetterQueueReporter implements ErrorReporter {
  readonly #o: DeadLetterQueueOptions
  readonly #sender: DeadLetterSender
  readonly #logger: Logger
  readonly #pending = new Set<Promise<void>>()
  produced = 0
  failed = 0

  constructor (options: DeadLetterQueueOptions, sender: DeadLetterSender, logger: Logger) {
    this.#o = options
    this.#sender = sender
    this.#logger = logger
  }

  report (failure: ProcessingFailure, record: unknown): Promise<void> {
    const sent = this.#toDeadLetter(failure, record).then(dlq => this.#sender.send(this.#o.topic, dlq)).then(
      () => { this.produced++ },
      (err: unknown) => {
        // As in Apache: logged, not retried beyond the producer's own retries, and the task goes on.
        this.failed++
        this.#logger.error(`Could not produce message to dead letter queue. topic=${this.#o.topic}`, err)
      })
    this.#pending.add(sent)
    void sent.finally(() => this.#pending.delete(sent))
    return sent
  }

  get hasPending (): boolean { return this.#pending.size > 0 }

  /** Resolves when every DLQ write started so far has finished. */
  async awaitPending (): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending])
  }

  // Async because a converter may wait for a Schema Registry to serialise a record the task made itself.
  async #toDeadLetter (failure: ProcessingFailure, record: unknown): Promise<DeadLetterRecord> {
    let out: DeadLetterRecord
    let topic = ''
    let partition: number | null = null
    let offset: number | null = null
    if (isConsumedRecord(record)) {
      out = { key: record.key, value: record.value, timestamp: record.timestamp, headers: [...record.headers] }
      topic = record.topic
      partition = record.partition
      offset = record.offset
    } else {
      const r = record as SourceRecord | SinkRecord
      let bytes: { key: Buffer | null, value: Buffer | null } = { key: null, value: null }
      try {
        if (this.#o.serialize) bytes = await this.#o.serialize(r)
      } catch (err) {
        // The record may be exactly what cannot be converted: keep its context headers, say why the bytes are absent.
        this.#logger.warn(`Could not serialise the failed record for the dead letter queue topic=${this.#o.topic}; writing it without key and value`, err)
      }
      out = { key: bytes.key, value: bytes.value, timestamp: r.timestamp, headers: [] }
      topic = r.kind === 'sink' ? r.originalTopic : r.topic
      partition = r.kind === 'sink' ? r.originalKafkaPartition : r.kafkaPartition
      if (r.kind === 'sink') offset = r.originalKafkaOffset
    }
    if (this.#o.contextHeaders) {
      const add = (name: string, value: string | null): void => { out.headers.push({ key: HEADER_PREFIX + name, value: value === null ? null : utf8(value) }) }
      add('topic', topic)
      if (partition !== null) add('partition', String(partition))
      if (offset !== null) add('offset', String(offset))
      if ((record as SourceRecord).kind === 'source') {
        // Beyond Apache (source DLQ): where the record came from in the source system.
        const r = record as SourceRecord
        add('source.partition', JSON.stringify(r.sourcePartition, bigintSafe))
        add('source.offset', JSON.stringify(r.sourceOffset, bigintSafe))
      }
      add('connector.name', this.#o.connector)
      add('task.id', String(this.#o.task))
      add('stage', failure.stage)
      add('class.name', failure.executingClass)
      add('exception.class.name', javaExceptionClass(failure.error))
      add('exception.message', failure.error.message === '' ? null : failure.error.message)
      add('exception.stacktrace', failure.error.stack ?? `${failure.error.name}: ${failure.error.message}`)
    }
    return out
  }
}

const bigintSafe = (_k: string, v: unknown): unknown => typeof v === 'bigint' ? v.toString() : v
