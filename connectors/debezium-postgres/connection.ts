/**
 * Connections to the captured database, as Debezium's settings describe them. Every session fixes the settings that
 * shape PostgreSQL's text output (dates, time zone, intervals, floats, bytea), because the connector reads every value
 * as text, in the snapshot and in pgoutput's stream alike, and maps that text once.
 */
import { readFileSync } from 'node:fs'
import type { ConnectionOptions } from 'node:tls'
import pg from 'pg'
import { ConfigError, RetriableError } from '../../src/api/index.ts'
import type { PostgresConnectorConfig } from './config.ts'

/** Text output settings of every session the connector opens (the walsender runs pgoutput's output functions with them). */
export const SESSION_OPTIONS = '-c DateStyle=ISO,MDY -c TimeZone=UTC -c IntervalStyle=postgres -c extra_float_digits=1 -c bytea_output=hex'

/** Values stay PostgreSQL's text: no type parsing in the client. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value }

function readPem (path: string | undefined, key: string): string | undefined {
  if (path === undefined || path === '') return undefined
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    throw new ConfigError(`${key}: cannot read ${path}: ${(err as Error).message}`, { cause: err })
  }
}

/** node-postgres TLS options for database.sslmode; null for no TLS, 'prefer' for TLS with a plain fallback. */
function tlsFor (config: PostgresConnectorConfig): ConnectionOptions | false {
  const ca = readPem(config.sslRootCert, 'database.sslrootcert')
  const cert = readPem(config.sslCert, 'database.sslcert')
  const key = readPem(config.sslKey, 'database.sslkey')
  const base: ConnectionOptions = { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), ...(config.sslPassword ? { passphrase: config.sslPassword } : {}) }
  switch (config.sslmode) {
    case 'disable': return false
    case 'allow': case 'prefer': case 'require': return { ...base, rejectUnauthorized: false }
    // verify-ca checks the chain, not the host name.
    case 'verify-ca': return { ...base, rejectUnauthorized: true, checkServerIdentity: () => undefined }
    case 'verify-full': return { ...base, rejectUnauthorized: true }
  }
}

export function clientConfig (config: PostgresConnectorConfig, extra: pg.ClientConfig = {}): pg.ClientConfig {
  const ssl = tlsFor(config)
  return {
    host: config.hostname,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.dbname,
    options: SESSION_OPTIONS,
    application_name: 'connect-standalone-debezium',
    connectionTimeoutMillis: 30000,
    types: RAW_TEXT,
    ...(ssl === false ? {} : { ssl }),
    ...extra
  }
}

const NO_TLS = /does not support SSL|SSL off|The server does not support SSL connections/i

const SESSION_CONFIG = new WeakMap<pg.Client, pg.ClientConfig>()

/** The settings a connected client was opened with: others opened with them reach the server the same way. */
export function sessionConfigOf (client: pg.Client): pg.ClientConfig | undefined {
  return SESSION_CONFIG.get(client)
}

/**
 * Opens a client; `session`, when given, is a working configuration from sessionConfigOf (no TLS negotiation again).
 * With sslmode prefer/allow a server without TLS is reached without it. Connection failures are
 * RetriableError naming the server (never the password); authentication failures are ConfigError.
 */
export async function connect (config: PostgresConnectorConfig, session?: pg.ClientConfig): Promise<pg.Client> {
  const what = `PostgreSQL at ${config.hostname}:${config.port}/${config.dbname} as ${config.user}`
  const attempt = async (cfg: pg.ClientConfig): Promise<pg.Client> => {
    const client = new pg.Client(cfg)
    SESSION_CONFIG.set(client, cfg)
    // An idle connection's error (the server restarting) must not crash the process; its next query fails instead.
    client.on('error', () => {})
    try {
      await client.connect()
      // database.initial.statements run on every (non-replication) connection, as Debezium runs them on its JDBC ones.
      for (const statement of config.initialStatements) await client.query(statement)
      return client
    } catch (err) {
      await client.end().catch(() => {})
      throw err
    }
  }
  try {
    try {
      return await attempt(session ?? clientConfig(config))
    } catch (err) {
      if (session === undefined && (config.sslmode === 'prefer' || config.sslmode === 'allow') && NO_TLS.test((err as Error).message)) {
        return await attempt({ ...clientConfig(config), ssl: false })
      }
      throw err
    }
  } catch (err) {
    const e = err as Error & { code?: string }
    // 28P01 invalid password, 28000 invalid authorization, 3D000 no such database, 42501 insufficient privilege.
    if (e.code === '28P01' || e.code === '28000' || e.code === '3D000' || e.code === '42501') {
      throw new ConfigError(`Cannot connect to ${what}: ${e.message}`, { cause: err })
    }
    throw new RetriableError(`Cannot connect to ${what}: ${e.message}`, { cause: err })
  }
}

/** Double-quoted identifier. */
export function quoteIdent (name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/** Single-quoted literal. */
export function quoteLiteral (value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}
