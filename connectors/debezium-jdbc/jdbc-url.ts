/**
 * Reads a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database?key=value&...) into what `pg` needs, with
 * PgJDBC's defaults: port 5432, sslmode prefer, the database named after the user when the path is empty. Parameters
 * that would change what is written or where are honoured (sslmode and its files, currentSchema) or refused; those
 * that only tune PgJDBC itself (statement caches, batch rewriting, fetch sizes) are accepted and have no effect.
 */
import { ConfigError } from '../../src/api/index.ts'

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full'

export interface PgTarget {
  host: string
  port: number
  /** Null: the user's name, as PgJDBC and libpq default it. */
  database: string | null
  /** From the URL's user/password parameters; connection.username/password win over them. */
  user: string | null
  password: string | null
  sslMode: SslMode
  sslRootCert: string | null
  sslCert: string | null
  sslKey: string | null
  /** PgJDBC's currentSchema: the search_path of the session, so unqualified tables live there. */
  currentSchema: string | null
  applicationName: string | null
  /** Milliseconds; PgJDBC's connectTimeout is in seconds (default 10). */
  connectTimeoutMs: number
  /** PgJDBC's options: command-line options sent at start-up (e.g. -c search_path=x). */
  options: string | null
}

const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']

/** PgJDBC parameters that tune the driver only: nothing written changes with them. */
const DRIVER_ONLY = new Set([
  'reWriteBatchedInserts', 'prepareThreshold', 'preparedStatementCacheQueries', 'preparedStatementCacheSizeMiB',
  'defaultRowFetchSize', 'binaryTransfer', 'binaryTransferEnable', 'binaryTransferDisable', 'logUnclosedConnections',
  'assumeMinServerVersion', 'tcpKeepAlive', 'socketTimeout', 'loginTimeout', 'cancelSignalTimeout', 'readOnly',
  'stringtype', 'sslfactory', 'sslpassword', 'sslhostnameverifier', 'gssEncMode', 'sendBufferSize', 'receiveBufferSize',
  'loggerLevel', 'loggerFile', 'disableColumnSanitiser', 'autosave', 'cleanupSavepoints', 'hideUnprivilegedObjects',
  'quoteReturningIdentifiers', 'adaptiveFetch', 'maxResultBuffer'
])

function fail (url: string, message: string): never {
  // The URL may hold a password: never echo it.
  throw new ConfigError(`Invalid value ${url.replace(/password=[^&]*/gi, 'password=[hidden]')} for configuration connection.url: ${message}`)
}

export function parseJdbcUrl (url: string): PgTarget {
  const prefix = 'jdbc:postgresql:'
  if (!url.startsWith(prefix)) fail(url, 'only PostgreSQL targets are supported: the URL must start with jdbc:postgresql:')
  let rest = url.slice(prefix.length)
  let query = ''
  const q = rest.indexOf('?')
  if (q >= 0) { query = rest.slice(q + 1); rest = rest.slice(0, q) }
  let host = 'localhost'
  let port = 5432
  let database: string | null
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2)
    const authority = slash >= 0 ? rest.slice(2, slash) : rest.slice(2)
    database = slash >= 0 ? rest.slice(slash + 1) : ''
    if (authority.includes(',')) fail(url, 'several hosts (PgJDBC failover) are not supported; name one host')
    if (authority !== '') {
      const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority)
      if (m === null) fail(url, `cannot read the host and port '${authority}'`)
      host = m[1]!.replace(/^\[|\]$/g, '')
      if (m[2] !== undefined) port = Number(m[2])
      if (port < 1 || port > 65535) fail(url, `port ${m[2]} is out of range`)
    }
  } else {
    database = rest.startsWith('/') ? rest.slice(1) : rest
  }
  database = database === '' ? null : decodeURIComponent(database)

  const target: PgTarget = {
    host, port, database, user: null, password: null, sslMode: 'prefer', sslRootCert: null, sslCert: null, sslKey: null,
    currentSchema: null, applicationName: null, connectTimeoutMs: 10000, options: null
  }
  let ssl: boolean | null = null
  for (const pair of query.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const key = decodeURIComponent(eq >= 0 ? pair.slice(0, eq) : pair)
    const value = decodeURIComponent(eq >= 0 ? pair.slice(eq + 1) : '')
    switch (key) {
      case 'user': target.user = value; break
      case 'password': target.password = value; break
      case 'sslmode':
        if (!(SSL_MODES as readonly string[]).includes(value)) fail(url, `sslmode must be one of ${SSL_MODES.join(', ')}`)
        target.sslMode = value as SslMode
        break
      case 'ssl': ssl = value === '' || value.toLowerCase() === 'true'; break
      case 'sslrootcert': target.sslRootCert = value; break
      case 'sslcert': target.sslCert = value; break
      case 'sslkey': target.sslKey = value; break
      case 'currentSchema': target.currentSchema = value; break
      case 'ApplicationName': target.applicationName = value; break
      case 'options': target.options = value; break
      case 'connectTimeout': {
        if (!/^\d+$/.test(value)) fail(url, 'connectTimeout must be a whole number of seconds')
        target.connectTimeoutMs = Number(value) === 0 ? 0 : Number(value) * 1000
        break
      }
      default:
        if (!DRIVER_ONLY.has(key)) fail(url, `the URL parameter '${key}' is not supported by this connector`)
    }
  }
  // PgJDBC: ssl=true without an sslmode means verify-full; ssl=false means disable.
  if (ssl === true && !/(^|&)sslmode=/.test(query)) target.sslMode = 'verify-full'
  if (ssl === false && !/(^|&)sslmode=/.test(query)) target.sslMode = 'disable'
  return target
}
