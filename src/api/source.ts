/**
 * Source connectors and tasks (Kafka's source package).
 */
import { Connector, type ConnectorBase, type Task } from './connector.ts'
import type { PluginMetrics } from './plugin-metrics.ts'
import type { OffsetMap, SourceRecord } from './record.ts'

/** Read access to the committed offsets of this connector's source partitions. */
export interface OffsetStorageReader {
  offset (partition: OffsetMap): OffsetMap | null
  offsets (partitions: readonly OffsetMap[]): Map<OffsetMap, OffsetMap | null>
}

export interface SourceTaskContext {
  configs (): Readonly<Record<string, string>>
  offsetStorageReader (): OffsetStorageReader
  /** The task's own metrics (KIP-877), tagged with its connector and task; absent in runtimes without metrics. */
  readonly pluginMetrics?: PluginMetrics
}

/** What Kafka acknowledged for a record (Kafka's RecordMetadata). */
export interface RecordMetadata {
  readonly topic: string
  readonly partition: number
  readonly offset: number
  readonly timestamp: number | null
}

export interface SourceTaskBase extends Task {
  initialize (context: SourceTaskContext): void
  /**
   * Returns the next batch, or null/[] when nothing is available. When nothing is available it should wait a little
   * (the runtime calls it again at once), and it must return promptly once `signal` is aborted.
   */
  poll (signal: AbortSignal): SourceRecord[] | null | Promise<SourceRecord[] | null>
  /** Called after every offset flush, even an empty one. */
  commit? (): void | Promise<void>
  /** Called per record once Kafka acknowledged it; metadata is null when the record was dropped (e.g. filtered). */
  commitRecord? (record: SourceRecord, metadata: RecordMetadata | null): void
}

export abstract class SourceTask implements SourceTaskBase {
  #context: SourceTaskContext | undefined

  initialize (context: SourceTaskContext): void { this.#context = context }

  protected get context (): SourceTaskContext {
    if (!this.#context) throw new Error('SourceTask used before initialize()')
    return this.#context
  }

  abstract version (): string
  abstract start (props: Readonly<Record<string, string>>): void | Promise<void>
  abstract poll (signal: AbortSignal): SourceRecord[] | null | Promise<SourceRecord[] | null>
  abstract stop (): void | Promise<void>
}

export interface SourceConnectorBase extends ConnectorBase<SourceTaskBase> {
  readonly kind: 'source'
}

export abstract class SourceConnector extends Connector<SourceTaskBase> implements SourceConnectorBase {
  readonly kind = 'source' as const
}
