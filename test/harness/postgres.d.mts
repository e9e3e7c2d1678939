// Types of postgres.mjs, for the TypeScript tests (the module is plain JavaScript so that run-tests.mjs and
// benchmarks, run by plain `node`, can use it too).

export declare const POSTGRES_USER: string
export declare const POSTGRES_PASSWORD: string
export declare const POSTGRES_DATABASE: string

export interface PostgresOptions {
  /** TCP port on 127.0.0.1 (default: a free one). */
  port?: number
  /** Readiness timeout (default 60000 ms). */
  timeoutMs?: number
  /** Extra postgresql.conf settings. */
  settings?: Record<string, string>
  /** Keep the data directory on stop (also POSTGRES_KEEP_DATA=1). */
  keepData?: boolean
}

export interface Postgres {
  host: string
  port: number
  user: string
  password: string
  database: string
  /** postgresql://user:password@127.0.0.1:port/postgres */
  connectionString: string
  /** jdbc:postgresql://127.0.0.1:port/postgres */
  jdbcUrl: string
  /** e.g. '15' */
  version: string
  dir: string
  logFile: string
  startupMs: number
  pid: number
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null, error?: Error }>
  describe (): string
  /** Creates a database and returns its connection string. */
  createDatabase (name: string): Promise<string>
  /** Fast shutdown, SIGKILL after timeoutMs (default 20000); removes the directory. */
  stop (options?: { timeoutMs?: number }): Promise<void>
}

export declare function findPostgresBin (): string
export declare function startPostgres (options?: PostgresOptions): Promise<Postgres>
/** The connection string `npm test` passes in POSTGRES_URL; throws saying how to get one when unset. */
export declare function postgresUrl (): string
