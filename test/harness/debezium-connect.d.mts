// Types of debezium-connect.mjs, for the TypeScript tests.
import type { ApacheConnect, ApacheConnectOptions } from './apache-connect.mjs'

export declare const DEBEZIUM_VERSION: string
export declare const DEBEZIUM_JDBC_VERSION: string
export declare function resolveDebeziumPluginPath (): string

/** startApacheConnect with Debezium on plugin.path, JsonConverter (schemas on) and offsets flushed every second by default. */
export declare function startDebeziumConnect (options: ApacheConnectOptions): Promise<ApacheConnect>

export interface DebeziumPostgresPropsOptions {
  name: string
  /** postgresql://user:password@host:port/database */
  url: string
  topicPrefix: string
  slotName: string
  /** Merged last. */
  extra?: Record<string, string>
}

/** A Debezium PostgresConnector configuration (pgoutput, its own slot, topics created with one partition). */
export declare function debeziumPostgresProps (options: DebeziumPostgresPropsOptions): Record<string, string>

export interface CapturedRecord {
  topic: string
  partition: number
  offset: number
  timestamp: number | undefined
  /** Parsed JSON (JSON.parse: int64 values beyond 2^53 are rounded); null for a null key. */
  key: any
  /** Parsed JSON; null for a tombstone. */
  value: any
  /** The exact text of the key and value, or null. */
  keyText: string | null
  valueText: string | null
  headers: Array<{ key: string, value: string | null }>
}

export interface WaitOptions {
  timeoutMs?: number
  what?: string
  /** Checked on each round: a non-null answer (say, ApacheConnect.failure) ends the wait at once with that message. */
  failure?: () => Promise<string | null>
}

export interface TopicCapture {
  /** Every record read so far, in arrival order (per partition in offset order). */
  readonly records: CapturedRecord[]
  waitFor (condition: (records: CapturedRecord[]) => boolean, options?: WaitOptions): Promise<CapturedRecord[]>
  waitForCount (count: number, options?: WaitOptions): Promise<CapturedRecord[]>
  /** Resolves once no record (other than those `ignore` accepts) arrived for quietMs (default 3000). */
  waitForQuiet (options?: { quietMs?: number, timeoutMs?: number, failure?: () => Promise<string | null>, ignore?: (record: CapturedRecord) => boolean }): Promise<CapturedRecord[]>
  close (): Promise<void>
}

/** Reads every topic matching `match` (RegExp, or a name prefix) from the beginning, in the background. */
export declare function openTopicCapture (options: { match: RegExp | string, bootstrap?: string }): Promise<TopicCapture>
