/**
 * A task's error handling: the operator and reporters its connector's error-handling settings (errors.*, parsed
 * with the connector's config, see ConnectorConfig.errors) call for.
 */
import type { ErrorHandlingConfig } from '../../config/connector-config.ts'
import type { Converter, SinkRecord, SourceRecord } from '../../api/index.ts'
import type { Logger } from '../../util/logger.ts'
import { DeadLetterQueueReporter, LogReporter, recordCoordinates, type DeadLetterSender, type SerializedRecord } from './error-reporters.ts'
import { RetryWithToleranceOperator, type ErrorReporter } from './retry-with-tolerance-operator.ts'

/** The settings a task's error handling is opened with: its connector's typed errors.* settings. */
export type ErrorHandlingSettings = ErrorHandlingConfig

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
  serialize?: ((record: SourceRecord | SinkRecord) => SerializedRecord | Promise<SerializedRecord>) | undefined
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
export function serializeWithConverters (keyConverter: Converter, valueConverter: Converter): (record: SourceRecord | SinkRecord) => Promise<SerializedRecord> {
  return async r => ({
    key: await keyConverter.fromConnectData(r.topic, r.headers, r.keySchema, r.key),
    value: await valueConverter.fromConnectData(r.topic, r.headers, r.valueSchema, r.value)
  })
}
