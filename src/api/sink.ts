/**
 * Sink connectors and tasks (Kafka's sink package).
 */
import { Connector, type ConnectorBase, type Task } from './connector.ts'
import type { PluginMetrics } from './plugin-metrics.ts'
import type { SinkRecord, TopicPartition, TopicPartitionOffset } from './record.ts'

export interface SinkTaskContext {
  configs (): Readonly<Record<string, string>>
  /** Rewinds (or skips) a partition: the next records delivered start at this offset. */
  offset (tp: TopicPartition, offset: number): void
  /** Backoff before the batch is redelivered after put() threw a RetriableError. */
  timeout (ms: number): void
  assignment (): readonly TopicPartition[]
  pause (...partitions: TopicPartition[]): void
  resume (...partitions: TopicPartition[]): void
  /** Asks for an offset commit (flush then commit) as soon as possible. */
  requestCommit (): void
  /**
   * Kafka's errantRecordReporter(): where a task sends a record it cannot process (the connector's DLQ and error
   * log, under its errors.tolerance). Null when the connector has neither a DLQ topic nor errors.log.enable.
   */
  errantRecordReporter? (): ErrantRecordReporter | null
  /** The task's own metrics (KIP-877), tagged with its connector and task; absent in runtimes without metrics. */
  readonly pluginMetrics?: PluginMetrics
}

export interface ErrantRecordReporter {
  /** Resolves once the record was written to the DLQ (if there is one). */
  report (record: SinkRecord, error: Error): Promise<void>
}

export interface SinkTaskBase extends Task {
  initialize (context: SinkTaskContext): void
  /** Delivers a batch. Throw RetriableError to have the same batch redelivered after context.timeout(). */
  put (records: readonly SinkRecord[]): void | Promise<void>
  /** Makes everything delivered up to these offsets durable. */
  flush? (offsets: readonly TopicPartitionOffset[]): void | Promise<void>
  /** Returns the offsets safe to commit; the default flushes and returns its input. */
  preCommit? (offsets: readonly TopicPartitionOffset[]): readonly TopicPartitionOffset[] | Promise<readonly TopicPartitionOffset[]>
  open? (partitions: readonly TopicPartition[]): void | Promise<void>
  close? (partitions: readonly TopicPartition[]): void | Promise<void>
}

export abstract class SinkTask implements SinkTaskBase {
  #context: SinkTaskContext | undefined

  initialize (context: SinkTaskContext): void { this.#context = context }

  protected get context (): SinkTaskContext {
    if (!this.#context) throw new Error('SinkTask used before initialize()')
    return this.#context
  }

  abstract version (): string
  abstract start (props: Readonly<Record<string, string>>): void | Promise<void>
  abstract put (records: readonly SinkRecord[]): void | Promise<void>
  abstract stop (): void | Promise<void>

  flush (_offsets: readonly TopicPartitionOffset[]): void | Promise<void> {}

  async preCommit (offsets: readonly TopicPartitionOffset[]): Promise<readonly TopicPartitionOffset[]> {
    await this.flush(offsets)
    return offsets
  }

  open (_partitions: readonly TopicPartition[]): void | Promise<void> {}
  close (_partitions: readonly TopicPartition[]): void | Promise<void> {}
}

export interface SinkConnectorBase extends ConnectorBase<SinkTaskBase> {
  readonly kind: 'sink'
}

export abstract class SinkConnector extends Connector<SinkTaskBase> implements SinkConnectorBase {
  readonly kind = 'sink' as const
}
