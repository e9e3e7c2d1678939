// Types of apache-connect.mjs, for the TypeScript tests (the module itself is plain JavaScript so that scripts run by
// plain `node`, such as benchmarks, can use it too).

export declare const CONNECT_VERSION: string
export declare const APACHE_HEAP_OPTS: readonly string[]
export declare const APACHE_JVM_PERFORMANCE_OPTS: readonly string[]
export declare const APACHE_JMX_OPTS: readonly string[]

export interface ApacheConnectOptions {
  /** Directory for the worker file, connector files, offsets and logs; the caller creates and removes it. */
  dir: string
  /** Worker settings. bootstrap.servers and offset.storage.file.filename have defaults; listeners is the harness's. */
  workerProps?: Record<string, string>
  /** Connector files passed as they are. */
  connectorFiles?: string[]
  /** Connector configurations, written as properties files into `dir`. */
  connectorProps?: Array<Record<string, string>>
  /** Readiness timeout (default 180000 ms). */
  timeoutMs?: number
  /** Replaces Apache's default -Xms256M -Xmx2G. */
  heapOpts?: string[]
  /** Extra JVM options (where KAFKA_OPTS goes). */
  extraJvmOptions?: string[]
}

export interface ApacheConnectExit {
  code: number | null
  signal: NodeJS.Signals | null
  error?: Error
}

export interface ApacheConnect {
  /** e.g. http://127.0.0.1:41234 */
  restUrl: string
  port: number
  /** The worker's log4j2 log. */
  logFile: string
  /** The JVM's stdout and stderr. */
  jvmLogFile: string
  workerFile: string
  connectorFiles: string[]
  offsetsFile: string
  pid: number
  /** From spawning the JVM to ready. */
  startupMs: number
  exited: Promise<ApacheConnectExit>
  /** Tails of the log and JVM output, for assertion messages. */
  describe (): string
  /** Null while the worker runs; else why not: the JVM exited, or a connector or task FAILED (with its trace). */
  failure (): Promise<string | null>
  /** SIGTERM, SIGKILL after timeoutMs (default 30000); safe to call twice. */
  stop (options?: { timeoutMs?: number }): Promise<ApacheConnectExit>
}

export declare function startApacheConnect (options: ApacheConnectOptions): Promise<ApacheConnect>

/** A java.util.Properties file (text) holding exactly `props`, with an optional leading comment. */
export declare function javaProperties (props: Record<string, string>, comment?: string): string

/** GET a URL without keep-alive; body is the parsed JSON or null. */
export declare function restGet (url: string, timeoutMs?: number): Promise<{ status: number | undefined, body: unknown, text: string }>

/** A loopback port that was free a moment ago. */
export declare function freePort (): Promise<number>
