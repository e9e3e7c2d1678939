// Types of schema-registry.mjs, for the TypeScript tests (the module is plain JavaScript so that run-tests.mjs and
// benchmarks, run by plain `node`, can use it too).

export declare const APICURIO_VERSION: string

export type CompatibilityLevel = 'NONE' | 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE'

export interface SchemaRegistryOptions {
  /** Global compatibility level, set once started (default BACKWARD, Confluent's default; Apicurio's own is NONE). */
  compatibility?: CompatibilityLevel
  /** HTTP port on 127.0.0.1 (default: a free one). */
  port?: number
  /** -Xmx (default '128m'). */
  heap?: string
  /** Readiness timeout (default 60000 ms). */
  timeoutMs?: number
  /** Keep the database and log directory on stop (also SCHEMA_REGISTRY_KEEP_DATA=1). */
  keepData?: boolean
}

export interface SchemaRegistry {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string
  /** Confluent's API: `${url}/apis/ccompat/v7`, what schema.registry.url names. */
  ccompatUrl: string
  /** Apicurio's own API: `${url}/apis/registry/v2`, what Apicurio's serdes and converters name. */
  apicurioUrl: string
  port: number
  /** The current registry process (a restart changes it). */
  readonly pid: number
  /** Temporary directory holding the H2 database and the log. */
  dir: string
  logFile: string
  /** From spawning the JVM to ready with its compatibility set. */
  startupMs: number
  /** Resolves when the current registry process ends. */
  readonly exited: Promise<{ code: number | null, signal: NodeJS.Signals | null, error?: Error }>
  /** The tail of the registry's log, for assertion messages. */
  describe (): string
  /**
   * Stops the registry in order and starts it again on the same port and database (ids, subjects and compatibility
   * survive); `whileDown` runs while it is stopped. Resolves once it is ready again.
   */
  restart (options?: { whileDown?: () => Promise<void>, timeoutMs?: number }): Promise<void>
  /** SIGTERM, SIGKILL after timeoutMs (default 30000); removes the directory. Safe to call twice. */
  stop (options?: { timeoutMs?: number }): Promise<void>
}

export declare function startSchemaRegistry (options?: SchemaRegistryOptions): Promise<SchemaRegistry>

/** PUT <ccompatUrl>/config with { compatibility: level }. */
export declare function setGlobalCompatibility (ccompatUrl: string, level: CompatibilityLevel): Promise<void>

/** One HTTP request without keep-alive, JSON body (Confluent's content type); body in the answer is parsed JSON or null. */
export declare function registryRequest (method: string, url: string, body?: unknown, timeoutMs?: number): Promise<{ status: number | undefined, body: any, text: string }>

/** SCHEMA_REGISTRY_URL's base URL (set by `npm test` for the files that need it); throws when unset. */
export declare function schemaRegistryUrl (): string

/** `${schemaRegistryUrl()}/apis/ccompat/v7`. */
export declare function schemaRegistryCcompatUrl (): string
