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

/** Reads every topic matching `match` (RegExp, name prefix or predicate) from the beginning, in the background. */
export declare function openTopicCapture (options: { match: RegExp | string | ((topic: string) => boolean), bootstrap?: string }): Promise<TopicCapture>

/** Resolves once the worker's log matches `line`; rejects when the worker fails or after timeoutMs (default 120000). */
export declare function waitForLogLine (connect: ApacheConnect, line: RegExp, options?: { timeoutMs?: number }): Promise<void>

/** Drops a replication slot (if it exists) once no walsender holds it. */
export declare function dropReplicationSlot (url: string, slotName: string, options?: { timeoutMs?: number }): Promise<void>

export interface CaptureWithDebeziumOptions {
  /** postgresql://user:password@host:port/database */
  url: string
  /** The connector's name; also the topic prefix unless topicPrefix is given. Topics must be new to the broker. */
  name: string
  topicPrefix?: string
  /** Default <name>_slot; publication.name defaults to <name>_pub. */
  slotName?: string
  /** Connector properties merged over debeziumPostgresProps. */
  extra?: Record<string, string>
  workerProps?: Record<string, string>
  /** Runs once Debezium streams (after its snapshot): apply the streaming DML here. */
  afterSnapshot?: () => Promise<unknown>
  /** Waited for (on the data records) before the quiet period. */
  until?: (records: CapturedRecord[]) => boolean
  /** Default 3000 ms without a new data record. */
  quietMs?: number
  /** For each wait (default 180000). */
  timeoutMs?: number
  /** Leave the replication slot (default: dropped). */
  keepSlot?: boolean
  /** Worker directory (kept); default a temporary one, removed. */
  dir?: string
}

export interface DebeziumCapture {
  /** Data (and transaction) topic records, per partition in offset order. */
  records: CapturedRecord[]
  heartbeats: CapturedRecord[]
  /** The Apache offsets file's bytes after the worker stopped, or null. */
  offsets: Buffer | null
  startupMs: number
  /** The worker's log. */
  log: string
}

/** The reference run of the differential tests: Debezium on a database, snapshot, afterSnapshot(), everything it wrote. */
export declare function captureWithDebezium (options: CaptureWithDebeziumOptions): Promise<DebeziumCapture>

/** A Debezium JdbcSinkConnector configuration writing `topics` into the database of `url` (postgresql://...). */
export declare function debeziumJdbcSinkProps (options: { name: string, url: string, topics: string[], extra?: Record<string, string> }): Record<string, string>

/** True once consumer group `group` committed the end of every partition of `topics`. */
export declare function groupCaughtUp (group: string, topics: string[], options?: { bootstrap?: string }): Promise<boolean>

/** Debezium's JDBC sink consumes `topics` into the database of `url` until caught up, then stops. */
export declare function sinkWithDebezium (options: {
  url: string
  name: string
  topics: string[]
  extra?: Record<string, string>
  workerProps?: Record<string, string>
  timeoutMs?: number
  dir?: string
}): Promise<{ startupMs: number, log: string }>
