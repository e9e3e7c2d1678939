/**
 * A connector's error-handling settings (errors.*), read once per task from its config, and the operator and
 * reporters they call for.
 */
import { ConfigError } from '../../api/index.ts'
import {
  DLQ_CONTEXT_HEADERS_ENABLE_CONFIG, DLQ_SOURCE_ENABLE_CONFIG, DLQ_TOPIC_NAME_CONFIG, DLQ_TOPIC_REPLICATION_FACTOR_CONFIG,
  ERRORS_LOG_ENABLE_CONFIG, ERRORS_LOG_INCLUDE_MESSAGES_CONFIG, ERRORS_RETRY_MAX_DELAY_CONFIG, ERRORS_RETRY_TIMEOUT_CONFIG,
  ERRORS_TOLERANCE_CONFIG
} from '../../config/connector-config.ts'
import type { Converter, SinkRecord, SourceRecord } from '../../api/index.ts'
import type { Logger } from '../../util/logger.ts'
import { DeadLetterQueueReporter, LogReporter, recordCoordinates, type DeadLetterSender } from './error-reporters.ts'
import { RetryWithToleranceOperator, type ErrorPolicy, type ErrorReporter, type Tolerance } from './retry-with-tolerance-operator.ts'

export interface ErrorHandlingSettings extends ErrorPolicy {
  logEnable: boolean
  logIncludeMessages: boolean
  /** The DLQ topic, or null when there is none (sources: only with errors.deadletterqueue.source.enable). */
  dlqTopic: string | null
  dlqReplicationFactor: number
  dlqContextHeaders: boolean
}

function bool (v: string | undefined, fallback: boolean): boolean {
  if (v === undefined) return fallback
  return v.trim().toLowerCase() === 'true'
}

function num (cfg: Readonly<Record<string, string>>, key: string, fallback: number): number {
  const raw = cfg[key]
  if (raw === undefined || raw.trim() === '') return fallback
  const n = Number(raw.trim())
  // Validation ran before; a value that gets here unparsable is a programming error worth a clear message anyway.
  if (!Number.isFinite(n)) throw new ConfigError(`Invalid value ${raw} for configuration ${key}: Not a number of type LONG`)
  return n
}

export function errorHandlingSettings (cfg: Readonly<Record<string, string>>, kind: 'source' | 'sink'): ErrorHandlingSettings {
  const tolerance = (cfg[ERRORS_TOLERANCE_CONFIG]?.trim().toLowerCase() ?? 'none') as Tolerance
  const topic = cfg[DLQ_TOPIC_NAME_CONFIG]?.trim() ?? ''
  const dlqWanted = kind === 'sink' || bool(cfg[DLQ_SOURCE_ENABLE_CONFIG], false)
  return {
    tolerance: tolerance === 'all' ? 'all' : 'none',
    retryTimeoutMs: num(cfg, ERRORS_RETRY_TIMEOUT_CONFIG, 0),
    retryDelayMaxMs: num(cfg, ERRORS_RETRY_MAX_DELAY_CONFIG, 60000),
    logEnable: bool(cfg[ERRORS_LOG_ENABLE_CONFIG], false),
    logIncludeMessages: bool(cfg[ERRORS_LOG_INCLUDE_MESSAGES_CONFIG], false),
    dlqTopic: dlqWanted && topic !== '' ? topic : null,
    dlqReplicationFactor: num(cfg, DLQ_TOPIC_REPLICATION_FACTOR_CONFIG, 3),
    dlqContextHeaders: bool(cfg[DLQ_CONTEXT_HEADERS_ENABLE_CONFIG], false)
  }
}

export interface TaskErrorHandling {
  operator: RetryWithToleranceOperator
  /** The DLQ reporter, whose pending writes gate offset commits; null without a DLQ. */
  deadLetters: DeadLetterQueueReporter | null
  deadLetterSender: DeadLetterSender | null
  /** Kafka's rule for a sink's errant record reporter: there is somewhere to report to. */
  errantReporting: boolean
}

export interface TaskErrorHandlingOptions {
  settings: ErrorHandlingSettings
  connector: string
  task: number
  logger: Logger
  signal: AbortSignal
  createDeadLetterSender?: ((topic: string, replicationFactor: number) => Promise<DeadLetterSender>) | undefined
  /** Renders a failed record that has no original bytes, for the DLQ. */
  serialize?: ((record: SourceRecord | SinkRecord) => { key: Buffer | null, value: Buffer | null }) | undefined
}

/** A task's error operator with its reporters: the log reporter and, when configured, the DLQ (opened here). */
export async function openTaskErrorHandling (o: TaskErrorHandlingOptions): Promise<TaskErrorHandling> {
  const { settings } = o
  const reporters: ErrorReporter[] = []
  if (settings.logEnable) reporters.push(new LogReporter(`${o.connector}-${o.task}`, settings.logIncludeMessages, o.logger))
  let deadLetters: DeadLetterQueueReporter | null = null
  let deadLetterSender: DeadLetterSender | null = null
  if (settings.dlqTopic !== null && o.createDeadLetterSender) {
    deadLetterSender = await o.createDeadLetterSender(settings.dlqTopic, settings.dlqReplicationFactor)
    deadLetters = new DeadLetterQueueReporter({
      topic: settings.dlqTopic, contextHeaders: settings.dlqContextHeaders, connector: o.connector, task: o.task, serialize: o.serialize
    }, deadLetterSender, o.logger)
    reporters.push(deadLetters)
  }
  return {
    operator: new RetryWithToleranceOperator(settings, reporters, o.logger, recordCoordinates, o.signal),
    deadLetters,
    deadLetterSender,
    errantReporting: settings.logEnable || settings.dlqTopic !== null
  }
}

/**
 * How a dead-letter queue writes a record that has no original bytes (one the task made itself, or a source record):
 * with the task's key and value converters, as Apache does.
 */
export function serializeWithConverters (keyConverter: Converter, valueConverter: Converter): (record: SourceRecord | SinkRecord) => { key: Buffer | null, value: Buffer | null } {
  return r => ({
    key: keyConverter.fromConnectData(r.topic, r.headers, r.keySchema, r.key),
    value: valueConverter.fromConnectData(r.topic, r.headers, r.valueSchema, r.value)
  })
}
