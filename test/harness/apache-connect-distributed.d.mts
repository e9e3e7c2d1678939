// Types of apache-connect-distributed.mjs, for the TypeScript tests.
import type { ApacheConnectExit } from './apache-connect.mjs'

export interface ApacheConnectDistributedOptions {
  /** Directory for the worker file and logs; the caller creates and removes it. */
  dir: string
  /**
   * Worker settings over the harness's defaults (bootstrap.servers, a fresh group.id and internal topic names,
   * replication factors 1, StringConverter keys and values, offset.flush.interval.ms 1000, plugin.discovery
   * service_load); listeners is the harness's.
   */
  workerProps?: Record<string, string>
  /** Health timeout (default 180000 ms). */
  timeoutMs?: number
  /** Replaces Apache's default -Xms256M -Xmx2G. */
  heapOpts?: string[]
  /** Extra JVM options (where KAFKA_OPTS goes). */
  extraJvmOptions?: string[]
}

export interface ConnectorStatus {
  name: string
  connector: { state: string, worker_id: string, trace?: string }
  tasks: Array<{ id: number, state: string, worker_id: string, trace?: string }>
  type?: string
}

export interface ApacheConnectDistributed {
  restUrl: string
  port: number
  logFile: string
  jvmLogFile: string
  workerFile: string
  /** Every worker setting it was started with (defaults included). */
  workerProps: Record<string, string>
  /** Its internal topics (created by the worker unless they existed). */
  topics: { config: string, status: string, offset: string }
  pid: number
  startupMs: number
  exited: Promise<ApacheConnectExit>
  describe (): string
  /** Null while the worker runs; else why not: the JVM exited, or a connector or task FAILED (with its trace). */
  failure (): Promise<string | null>
  /** POST /connectors, then waits until the connector and its tasks are RUNNING (default 60000 ms). */
  createConnector (config: Record<string, string>, options?: { timeoutMs?: number }): Promise<ConnectorStatus>
  /** PUT /connectors/<name>/stop, then waits until it is STOPPED with no tasks (default 60000 ms). */
  stopConnector (name: string, options?: { timeoutMs?: number }): Promise<ConnectorStatus>
  /** GET /connectors/<name>/offsets (answered for a STOPPED connector). */
  connectorOffsets (name: string): Promise<{ offsets: Array<{ partition: Record<string, unknown>, offset: Record<string, unknown> | null }> }>
  /** DELETE /connectors/<name>/offsets (a STOPPED connector): its source offsets become tombstones. */
  resetConnectorOffsets (name: string, options?: { timeoutMs?: number }): Promise<{ message?: string }>
  deleteConnector (name: string, options?: { timeoutMs?: number }): Promise<void>
  /** SIGTERM, SIGKILL after timeoutMs (default 30000); safe to call twice. */
  stop (options?: { timeoutMs?: number }): Promise<ApacheConnectExit>
}

export declare function startApacheConnectDistributed (options: ApacheConnectDistributedOptions): Promise<ApacheConnectDistributed>

/** A REST call with an optional JSON body, without keep-alive; body is the parsed JSON or null. */
export declare function restRequest (method: string, url: string, body?: unknown, timeoutMs?: number): Promise<{ status: number | undefined, body: unknown, text: string }>
