/**
 * Config keys of Debezium's JDBC sink connector (3.6), their defaults and Debezium's cross-key rules, for PostgreSQL
 * targets. Keys that only tune Debezium's own machinery (connection pool, Hibernate's batching, retry pacing) are
 * accepted and have no effect here; keys whose non-default values would change what is written and that this
 * connector does not implement are refused with a message naming them.
 */
import {
  ConfigDef, ConfigError, Password, Range, ValidString, invalidValueMessage, type ConfigValue, type ParsedConfig
} from '../../src/api/index.ts'
import { parseJdbcUrl, type PgTarget } from './jdbc-url.ts'

export const CONNECTION_PROVIDER = 'connection.provider'
export const CONNECTION_URL = 'connection.url'
export const CONNECTION_USERNAME = 'connection.username'
export const CONNECTION_PASSWORD = 'connection.password'
export const CONNECTION_POOL_MIN_SIZE = 'connection.pool.min_size'
export const CONNECTION_POOL_MAX_SIZE = 'connection.pool.max_size'
export const CONNECTION_POOL_TIMEOUT = 'connection.pool.timeout'
export const INSERT_MODE = 'insert.mode'
export const DELETE_ENABLED = 'delete.enabled'
export const TRUNCATE_ENABLED = 'truncate.enabled'
export const COLLECTION_NAME_FORMAT = 'collection.name.format'
/** Debezium 3's deprecated alias of collection.name.format. */
export const TABLE_NAME_FORMAT = 'table.name.format'
export const PRIMARY_KEY_MODE = 'primary.key.mode'
export const PRIMARY_KEY_FIELDS = 'primary.key.fields'
export const SCHEMA_EVOLUTION = 'schema.evolution'
export const QUOTE_IDENTIFIERS = 'quote.identifiers'
export const COLLECTION_NAMING_STRATEGY = 'collection.naming.strategy'
export const TABLE_NAMING_STRATEGY = 'table.naming.strategy'
export const COLUMN_NAMING_STRATEGY = 'column.naming.strategy'
export const COLLECTION_TABLE_FORMAT = 'collection.table.format'
export const USE_TIME_ZONE = 'use.time.zone'
/** Debezium's deprecated alias of use.time.zone. */
export const DATABASE_TIME_ZONE = 'database.time_zone'
export const POSTGRES_POSTGIS_SCHEMA = 'dialect.postgres.postgis.schema'
export const POSTGRES_UNNEST_INSERT = 'dialect.postgres.unnest.insert.enabled'
export const SQLSERVER_IDENTITY_INSERT = 'dialect.sqlserver.identity.insert'
export const BATCH_SIZE = 'batch.size'
export const FIELD_INCLUDE_LIST = 'field.include.list'
export const FIELD_EXCLUDE_LIST = 'field.exclude.list'
export const USE_REDUCTION_BUFFER = 'use.reduction.buffer'
export const FLUSH_MAX_RETRIES = 'flush.max.retries'
export const FLUSH_RETRY_DELAY_MS = 'flush.retry.delay.ms'
export const CONNECTION_RESTART_ON_ERRORS = 'connection.restart.on.errors'
export const CLOUDEVENTS_SCHEMA_NAME_PATTERN = 'cloud.events.schema.name.pattern'

/** The Debezium release whose JDBC sink this reproduces. */
export const JDBC_SINK_VERSION = '3.6.1.Final'

const DEFAULT_CONNECTION_PROVIDER = 'org.hibernate.c3p0.internal.C3P0ConnectionProvider'
const AGROAL_CONNECTION_PROVIDER = 'org.hibernate.agroal.internal.AgroalConnectionProvider'
const DEFAULT_COLLECTION_NAMING_STRATEGY = 'io.debezium.sink.naming.DefaultCollectionNamingStrategy'
const LEGACY_TABLE_NAMING_STRATEGY = 'io.debezium.connector.jdbc.naming.DefaultTableNamingStrategy'
const DEFAULT_COLUMN_NAMING_STRATEGY = 'io.debezium.sink.naming.DefaultColumnNamingStrategy'
const LEGACY_COLUMN_NAMING_STRATEGY = 'io.debezium.connector.jdbc.naming.DefaultColumnNamingStrategy'

export type InsertMode = 'insert' | 'upsert' | 'update'
export type PrimaryKeyMode = 'none' | 'kafka' | 'record_key' | 'record_value'

export const JDBC_SINK_CONFIG_DEF = new ConfigDef()
  .define({ name: CONNECTION_PROVIDER, type: 'class', default: AGROAL_CONNECTION_PROVIDER, importance: 'low', group: 'Connection', documentation: 'Accepted for compatibility: the connector holds one connection per task (pg), no pool.' })
  .define({ name: CONNECTION_URL, type: 'string', importance: 'high', group: 'Connection', documentation: 'Valid JDBC URL: jdbc:postgresql://host:port/database?params (sslmode, currentSchema, ...).' })
  .define({ name: CONNECTION_USERNAME, type: 'string', importance: 'high', group: 'Connection', documentation: 'Name of the database user to be used when connecting to the connection.' })
  .define({ name: CONNECTION_PASSWORD, type: 'password', default: null, importance: 'high', group: 'Connection', documentation: 'Password of the database user to be used when connecting to the connection.' })
  .define({ name: CONNECTION_POOL_MIN_SIZE, type: 'int', default: 5, importance: 'low', group: 'Connection', documentation: 'Accepted for compatibility; no pool.' })
  .define({ name: CONNECTION_POOL_MAX_SIZE, type: 'int', default: 32, importance: 'low', group: 'Connection', documentation: 'Accepted for compatibility; no pool.' })
  .define({ name: CONNECTION_POOL_TIMEOUT, type: 'long', default: 1800, importance: 'low', group: 'Connection', documentation: 'Accepted for compatibility; no pool.' })
  .define({ name: INSERT_MODE, type: 'string', default: 'insert', validator: ValidString.inCaseInsensitive('insert', 'upsert', 'update'), importance: 'low', group: 'Connector', documentation: "The insertion mode to use: 'insert' (INSERT), 'upsert' (INSERT ... ON CONFLICT DO UPDATE; needs primary.key.mode), 'update' (UPDATE ... WHERE key)." })
  .define({ name: DELETE_ENABLED, type: 'boolean', default: false, importance: 'low', group: 'Connector', documentation: 'Whether to treat `null` record values and `d` events as deletes. Requires primary.key.mode to be `record_key`.' })
  .define({ name: TRUNCATE_ENABLED, type: 'boolean', default: false, importance: 'low', group: 'Connector', documentation: 'Whether to process Debezium `t` events as TRUNCATE TABLE.' })
  .define({ name: COLLECTION_NAME_FORMAT, type: 'string', default: null, importance: 'medium', group: 'Connector', documentation: "A format string for the table, with '${topic}' (the topic, dots replaced by underscores) and '${source.<field>}' (a field of a Debezium event's source block) placeholders. Default ${topic}." })
  .define({ name: TABLE_NAME_FORMAT, type: 'string', default: null, importance: 'low', group: 'Connector', documentation: 'Deprecated alias of collection.name.format.' })
  .define({ name: PRIMARY_KEY_MODE, type: 'string', default: 'none', validator: ValidString.inCaseInsensitive('none', 'kafka', 'record_key', 'record_value', 'record_header'), importance: 'high', group: 'Connector', documentation: 'The primary key mode: none, kafka (__connect_topic, __connect_partition, __connect_offset), record_key, record_value.' })
  .define({ name: PRIMARY_KEY_FIELDS, type: 'string', default: null, importance: 'low', group: 'Connector', documentation: 'A comma-separated list of primary key field names, interpreted according to primary.key.mode.' })
  .define({ name: SCHEMA_EVOLUTION, type: 'string', default: 'none', validator: ValidString.inCaseInsensitive('none', 'basic'), importance: 'low', group: 'Connector', documentation: 'none, or basic: create missing tables and add missing columns.' })
  .define({ name: QUOTE_IDENTIFIERS, type: 'boolean', default: false, importance: 'low', group: 'Connector', documentation: 'When enabled, table and column names keep their case (quoted); otherwise they are lower-cased, as PostgreSQL folds unquoted names.' })
  .define({ name: COLLECTION_NAMING_STRATEGY, type: 'class', default: null, importance: 'low', group: 'Connector', documentation: `Only ${DEFAULT_COLLECTION_NAMING_STRATEGY} is supported.` })
  .define({ name: TABLE_NAMING_STRATEGY, type: 'class', default: null, importance: 'low', group: 'Connector', documentation: 'Deprecated alias of collection.naming.strategy.' })
  .define({ name: COLUMN_NAMING_STRATEGY, type: 'class', default: DEFAULT_COLUMN_NAMING_STRATEGY, importance: 'low', group: 'Connector', documentation: `Only ${DEFAULT_COLUMN_NAMING_STRATEGY} is supported.` })
  .define({ name: COLLECTION_TABLE_FORMAT, type: 'string', default: '${table}', importance: 'medium', group: 'Connector', documentation: 'Used by naming strategies other than the default one only; accepted.' })
  .define({ name: USE_TIME_ZONE, type: 'string', default: null, importance: 'medium', group: 'Connector', documentation: 'The timezone used when inserting temporal values. Defaults to UTC. As in Debezium, no PostgreSQL value changes with it.' })
  .define({ name: DATABASE_TIME_ZONE, type: 'string', default: null, importance: 'low', group: 'Connector', documentation: 'Deprecated alias of use.time.zone.' })
  .define({ name: POSTGRES_POSTGIS_SCHEMA, type: 'string', default: 'public', importance: 'low', group: 'Connector', documentation: 'Accepted; geometry types are not supported.' })
  .define({ name: POSTGRES_UNNEST_INSERT, type: 'boolean', default: false, importance: 'medium', group: 'Connector', documentation: 'Accepted: inserts are always written as multi-row statements.' })
  .define({ name: SQLSERVER_IDENTITY_INSERT, type: 'boolean', default: false, importance: 'low', group: 'Connector', documentation: 'SQL Server only; no effect on PostgreSQL.' })
  .define({ name: BATCH_SIZE, type: 'int', default: 500, validator: Range.atLeast(1), importance: 'medium', group: 'Connector', documentation: 'How many records to write together in one statement, at most.' })
  .define({ name: FIELD_INCLUDE_LIST, type: 'list', default: '', importance: 'medium', group: 'Filters', documentation: 'Fields to write, as <field> or <topic>:<field>.' })
  .define({ name: FIELD_EXCLUDE_LIST, type: 'list', default: '', importance: 'medium', group: 'Filters', documentation: 'Fields not to write, as <field> or <topic>:<field>.' })
  .define({ name: USE_REDUCTION_BUFFER, type: 'boolean', default: false, importance: 'medium', group: 'Connector', documentation: 'Accepted: the tables end the same either way.' })
  .define({ name: FLUSH_MAX_RETRIES, type: 'int', default: 5, importance: 'low', group: 'Connector', documentation: 'Accepted: a lost connection fails the batch as retriable, and the runtime redelivers it.' })
  .define({ name: FLUSH_RETRY_DELAY_MS, type: 'long', default: 1000, importance: 'low', group: 'Connector', documentation: 'Backoff before a batch that failed on a lost connection is written again.' })
  .define({ name: CONNECTION_RESTART_ON_ERRORS, type: 'boolean', default: false, importance: 'low', group: 'Connector', documentation: 'Accepted: a lost connection is always reopened for the next batch.' })
  .define({ name: CLOUDEVENTS_SCHEMA_NAME_PATTERN, type: 'string', default: '.*CloudEvents\\.Envelope$', importance: 'low', group: 'Connector', documentation: 'Records whose value schema name matches are refused (CloudEvents are not supported).' })

export interface JdbcSinkSettings {
  target: PgTarget
  user: string
  password: Password | null
  insertMode: InsertMode
  deleteEnabled: boolean
  truncateEnabled: boolean
  collectionNameFormat: string
  primaryKeyMode: PrimaryKeyMode
  primaryKeyFields: string[]
  schemaEvolution: 'none' | 'basic'
  quoteIdentifiers: boolean
  /**
   * Debezium's use.time.zone (default UTC). Validated, and without effect on PostgreSQL, as in Debezium: its temporal
   * values reach the driver as local date-times made in UTC or as offset date-times, which no zone changes.
   */
  timeZone: string
  batchSize: number
  retryDelayMs: number
  fieldFilter: (topic: string, field: string) => boolean
  cloudEventsPattern: RegExp
}

function splitList (text: string | null): string[] {
  return (text ?? '').split(',').map(s => s.trim()).filter(s => s !== '')
}

function fieldFilter (include: readonly string[], exclude: readonly string[]): (topic: string, field: string) => boolean {
  const list = exclude.length > 0 ? exclude : include
  if (list.length === 0) return () => true
  const including = exclude.length === 0
  // Debezium's entries are exact names, <field> or <topic>:<field>, not patterns.
  const entries = list.map(e => e.split(':').map(p => p.trim()))
  return (topic, field) => {
    for (const parts of entries) {
      if (parts.length === 1 && parts[0] === field) return including
      if (parts.length === 2 && parts[0] === topic && parts[1] === field) return including
    }
    return !including
  }
}

function validZone (zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** Every cross-key and unsupported-value problem, by key, with Debezium's wording where it has one. */
export function crossKeyProblems (props: Readonly<Record<string, string>>, config: ParsedConfig | null): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const add = (key: string, message: string): void => { out.set(key, [...(out.get(key) ?? []), message]) }
  const raw = (key: string): string | undefined => props[key]?.trim()
  const url = raw(CONNECTION_URL)
  if (url !== undefined) {
    try { parseJdbcUrl(url) } catch (err) { add(CONNECTION_URL, (err as Error).message) }
  }
  const insertMode = (raw(INSERT_MODE) ?? 'insert').toLowerCase()
  const pkModeRaw = raw(PRIMARY_KEY_MODE)
  const pkMode = (pkModeRaw ?? 'none').toLowerCase()
  if (insertMode === 'upsert' && pkModeRaw === undefined) {
    add(INSERT_MODE, raw(PRIMARY_KEY_FIELDS) === undefined
      ? `When using UPSERT, please define '${PRIMARY_KEY_MODE}' and '${PRIMARY_KEY_FIELDS}'.`
      : `When using UPSERT, please define '${PRIMARY_KEY_MODE}'.`)
  }
  // Debezium reads a missing primary.key.mode as record_key here (and then writes with none, deleting whole tables):
  // an explicit record_key is required.
  if (config?.boolean(DELETE_ENABLED) === true && pkMode !== 'record_key') {
    add(DELETE_ENABLED, `When '${DELETE_ENABLED}' is set to 'true', the '${PRIMARY_KEY_MODE}' option must be set to 'record_key'.`)
  }
  if (pkMode === 'record_header') add(PRIMARY_KEY_MODE, invalidValueMessage(PRIMARY_KEY_MODE, pkModeRaw, 'record_header is not supported by this connector'))
  if (splitList(raw(FIELD_INCLUDE_LIST) ?? null).length > 0 && splitList(raw(FIELD_EXCLUDE_LIST) ?? null).length > 0) {
    add(FIELD_EXCLUDE_LIST, 'Cannot define both column.exclude.list and column.include.list. Please specify only one.')
  }
  for (const key of [COLLECTION_NAMING_STRATEGY, TABLE_NAMING_STRATEGY]) {
    const v = raw(key)
    if (v !== undefined && v !== DEFAULT_COLLECTION_NAMING_STRATEGY && v !== LEGACY_TABLE_NAMING_STRATEGY && v !== 'DefaultCollectionNamingStrategy') {
      add(key, invalidValueMessage(key, v, `only ${DEFAULT_COLLECTION_NAMING_STRATEGY} is supported by this connector`))
    }
  }
  const column = raw(COLUMN_NAMING_STRATEGY)
  if (column !== undefined && column !== DEFAULT_COLUMN_NAMING_STRATEGY && column !== LEGACY_COLUMN_NAMING_STRATEGY && column !== 'DefaultColumnNamingStrategy') {
    add(COLUMN_NAMING_STRATEGY, invalidValueMessage(COLUMN_NAMING_STRATEGY, column, `only ${DEFAULT_COLUMN_NAMING_STRATEGY} is supported by this connector`))
  }
  for (const key of [USE_TIME_ZONE, DATABASE_TIME_ZONE]) {
    const v = raw(key)
    if (v !== undefined && !validZone(v)) add(key, invalidValueMessage(key, v, 'not a time zone (use an IANA name such as UTC or Europe/Paris)'))
  }
  for (const key of Object.keys(props)) {
    // Hibernate settings passed through by Debezium could change anything about the session: refused, not ignored.
    if (key.startsWith('hibernate.')) add(key, `${key}: Hibernate settings are not supported by this connector (it does not use Hibernate)`)
  }
  const provider = raw(CONNECTION_PROVIDER)
  if (provider !== undefined && provider !== AGROAL_CONNECTION_PROVIDER && provider !== DEFAULT_CONNECTION_PROVIDER) {
    add(CONNECTION_PROVIDER, invalidValueMessage(CONNECTION_PROVIDER, provider, 'only the default connection provider is supported'))
  }
  return out
}

/** Validation as /config/validate shows it: each key's own problems, then the cross-key ones on the key they concern. */
export function validateJdbcSink (props: Readonly<Record<string, string>>): ConfigValue[] {
  const values = JDBC_SINK_CONFIG_DEF.validate(props)
  let parsed: ParsedConfig | null = null
  try { parsed = JDBC_SINK_CONFIG_DEF.parse(props) } catch { parsed = null }
  const byName = new Map(values.map(v => [v.name, v]))
  for (const [key, problems] of crossKeyProblems(props, parsed)) {
    const existing = byName.get(key)
    if (existing) existing.errors.push(...problems)
    else values.push({ name: key, value: props[key], rawValue: props[key], recommendedValues: [], errors: problems, visible: true })
  }
  return values
}

/** Parses and checks a connector or task config; throws one ConfigError listing every problem. */
export function jdbcSinkSettings (props: Readonly<Record<string, string>>, context?: string): JdbcSinkSettings {
  const config = JDBC_SINK_CONFIG_DEF.parse(props, context)
  const problems = [...crossKeyProblems(props, config).values()].flat()
  if (problems.length > 0) {
    throw new ConfigError(problems.length === 1 ? problems[0]! : `${problems.length} configuration problems:\n  - ${problems.join('\n  - ')}`, { problems })
  }
  const target = parseJdbcUrl(config.string(CONNECTION_URL)!)
  return {
    target,
    user: config.string(CONNECTION_USERNAME)!,
    password: config.password(CONNECTION_PASSWORD) ?? (target.password === null ? null : new Password(target.password)),
    insertMode: config.string(INSERT_MODE)!.toLowerCase() as InsertMode,
    deleteEnabled: config.boolean(DELETE_ENABLED),
    truncateEnabled: config.boolean(TRUNCATE_ENABLED),
    collectionNameFormat: config.string(COLLECTION_NAME_FORMAT) ?? config.string(TABLE_NAME_FORMAT) ?? '${topic}',
    primaryKeyMode: config.string(PRIMARY_KEY_MODE)!.toLowerCase() as PrimaryKeyMode,
    primaryKeyFields: splitList(config.string(PRIMARY_KEY_FIELDS)),
    schemaEvolution: config.string(SCHEMA_EVOLUTION)!.toLowerCase() as 'none' | 'basic',
    quoteIdentifiers: config.boolean(QUOTE_IDENTIFIERS),
    timeZone: config.string(USE_TIME_ZONE) ?? config.string(DATABASE_TIME_ZONE) ?? 'UTC',
    batchSize: config.int(BATCH_SIZE),
    retryDelayMs: config.long(FLUSH_RETRY_DELAY_MS),
    fieldFilter: fieldFilter(config.list(FIELD_INCLUDE_LIST), config.list(FIELD_EXCLUDE_LIST)),
    cloudEventsPattern: new RegExp(`^(?:${config.string(CLOUDEVENTS_SCHEMA_NAME_PATTERN) ?? '.*CloudEvents\\.Envelope$'})$`)
  }
}
