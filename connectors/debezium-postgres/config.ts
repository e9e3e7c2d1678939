/**
 * Config keys of the Debezium-compatible PostgreSQL source, with Debezium 3.6's names, defaults and validation rules
 * (PostgresConnectorConfig, RelationalDatabaseConnectorConfig, CommonConnectorConfig). A rule Debezium checks reports
 * Debezium's wording ("The 'slot.name' value is invalid: ..."), so answers found for Debezium's messages apply; a value
 * that does not parse at all reports the framework's (Kafka's) wording. Debezium keys this connector does not
 * implement are classified in unsupported-keys.ts: ignored when harmless, refused by name when they change the output.
 */
import {
  ConfigDef, ConfigError, javaHashMapOrder, javaStringHash, type ConfigValue, type ConfigValueType, type ConnectorProps,
  type Validator
} from '../../src/api/index.ts'
import { RegexListError, TableFilter, splitRegexList, toJsRegex } from './table-filter.ts'
import { checkOtherKey } from './unsupported-keys.ts'

/** The Debezium release whose keys and output the connector reproduces, reported as its version. */
export const POSTGRES_CONNECTOR_VERSION = '3.6.1.Final'

export const HOSTNAME_CONFIG = 'database.hostname'
export const PORT_CONFIG = 'database.port'
export const USER_CONFIG = 'database.user'
export const PASSWORD_CONFIG = 'database.password'
export const DBNAME_CONFIG = 'database.dbname'
export const SSLMODE_CONFIG = 'database.sslmode'
export const SSLROOTCERT_CONFIG = 'database.sslrootcert'
export const SSLCERT_CONFIG = 'database.sslcert'
export const SSLKEY_CONFIG = 'database.sslkey'
export const SSLPASSWORD_CONFIG = 'database.sslpassword'
export const INITIAL_STATEMENTS_CONFIG = 'database.initial.statements'
export const TOPIC_PREFIX_CONFIG = 'topic.prefix'
export const PLUGIN_NAME_CONFIG = 'plugin.name'
export const SLOT_NAME_CONFIG = 'slot.name'
export const SLOT_DROP_ON_STOP_CONFIG = 'slot.drop.on.stop'
export const PUBLICATION_NAME_CONFIG = 'publication.name'
export const PUBLICATION_AUTOCREATE_MODE_CONFIG = 'publication.autocreate.mode'
export const SCHEMA_INCLUDE_LIST_CONFIG = 'schema.include.list'
export const SCHEMA_EXCLUDE_LIST_CONFIG = 'schema.exclude.list'
export const TABLE_INCLUDE_LIST_CONFIG = 'table.include.list'
export const TABLE_EXCLUDE_LIST_CONFIG = 'table.exclude.list'
export const COLUMN_INCLUDE_LIST_CONFIG = 'column.include.list'
export const COLUMN_EXCLUDE_LIST_CONFIG = 'column.exclude.list'
export const TABLE_IGNORE_BUILTIN_CONFIG = 'table.ignore.builtin'
export const SNAPSHOT_MODE_CONFIG = 'snapshot.mode'
export const SNAPSHOT_FETCH_SIZE_CONFIG = 'snapshot.fetch.size'
export const DECIMAL_HANDLING_MODE_CONFIG = 'decimal.handling.mode'
export const TIME_PRECISION_MODE_CONFIG = 'time.precision.mode'
export const BINARY_HANDLING_MODE_CONFIG = 'binary.handling.mode'
export const INTERVAL_HANDLING_MODE_CONFIG = 'interval.handling.mode'
export const TOMBSTONES_ON_DELETE_CONFIG = 'tombstones.on.delete'
export const SKIPPED_OPERATIONS_CONFIG = 'skipped.operations'
export const HEARTBEAT_INTERVAL_MS_CONFIG = 'heartbeat.interval.ms'
export const TOPIC_HEARTBEAT_PREFIX_CONFIG = 'topic.heartbeat.prefix'
export const TOPIC_HEARTBEAT_NAME_CONFIG = 'topic.heartbeat.name'
export const MAX_BATCH_SIZE_CONFIG = 'max.batch.size'
export const MAX_QUEUE_SIZE_CONFIG = 'max.queue.size'
export const POLL_INTERVAL_MS_CONFIG = 'poll.interval.ms'
export const STATUS_UPDATE_INTERVAL_MS_CONFIG = 'status.update.interval.ms'
export const UNAVAILABLE_VALUE_PLACEHOLDER_CONFIG = 'unavailable.value.placeholder'
export const EXTENDED_HEADERS_ENABLED_CONFIG = 'extended.headers.enabled'

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const
export const PLUGIN_NAMES = ['decoderbufs', 'pgoutput'] as const
export const PUBLICATION_AUTOCREATE_MODES = ['disabled', 'all_tables', 'filtered', 'no_tables'] as const
/** Every value Debezium accepts, in its enum's order; SUPPORTED_SNAPSHOT_MODES are those this connector runs. */
export const SNAPSHOT_MODES = ['always', 'initial', 'no_data', 'initial_only', 'when_needed', 'configuration_based', 'custom'] as const
export const SUPPORTED_SNAPSHOT_MODES = ['initial', 'initial_only', 'no_data', 'always', 'when_needed'] as const
export const DECIMAL_HANDLING_MODES = ['precise', 'string', 'double'] as const
export const TIME_PRECISION_MODES = ['adaptive', 'adaptive_time_microseconds', 'isostring', 'connect', 'microseconds', 'nanoseconds'] as const
export const BINARY_HANDLING_MODES = ['bytes', 'base64', 'base64-url-safe', 'hex'] as const
export const INTERVAL_HANDLING_MODES = ['numeric', 'string'] as const
export const SKIPPABLE_OPERATIONS = ['r', 'c', 'u', 'd', 't'] as const

export type SslMode = typeof SSL_MODES[number]
export type SnapshotMode = typeof SUPPORTED_SNAPSHOT_MODES[number]
export type PublicationAutocreateMode = typeof PUBLICATION_AUTOCREATE_MODES[number]
export type DecimalHandlingMode = typeof DECIMAL_HANDLING_MODES[number]
export type TimePrecisionMode = typeof TIME_PRECISION_MODES[number]
export type BinaryHandlingMode = typeof BINARY_HANDLING_MODES[number]
export type IntervalHandlingMode = typeof INTERVAL_HANDLING_MODES[number]
export type SkippableOperation = typeof SKIPPABLE_OPERATIONS[number]

export const DEFAULT_UNAVAILABLE_VALUE_PLACEHOLDER = '__debezium_unavailable_value'
export const DEFAULT_HEARTBEAT_TOPIC_PREFIX = '__debezium-heartbeat'
/** Debezium's PostgreSQL default for snapshot.fetch.size (rows per fetch while snapshotting). */
export const DEFAULT_SNAPSHOT_FETCH_SIZE = 10240

// ---- Debezium's validation rules ----------------------------------------------------------------------------

/** Debezium's wording for a value problem (Field.validationOutput). */
export function invalid (key: string, problem: string): string {
  return `The '${key}' value is invalid: ${problem}`
}

function rule (describe: string, check: (name: string, value: ConfigValueType) => string | undefined): Validator {
  return {
    ensureValid (name, value) {
      const problem = check(name, value)
      if (problem !== undefined) throw new ConfigError(invalid(name, problem))
    },
    toString () { return describe }
  }
}

const text = (value: ConfigValueType): string => Array.isArray(value) ? value.join(',') : String(value)

/** Field.required(): a value with something besides blanks. */
const required = (also?: Validator): Validator => rule(also === undefined ? 'non-blank string' : String(also), (name, value) => {
  if (typeof value === 'string' && value.trim() === '') return 'A value is required'
  also?.ensureValid(name, value)
  return undefined
})

// Both CommonConnectorConfig.TOPIC_NAME_PATTERN and RelationalDatabaseConnectorConfig.HOSTNAME_PATTERN.
const NAME_CHARS = /^[a-zA-Z0-9_.-]+$/
const nameChars = (what: 'topic' | 'host'): Validator => rule('alphanumerics, underscores, hyphens and dots', (_name, value) => {
  const s = text(value)
  if (what === 'host' && s.trim() === '') return undefined
  if (!NAME_CHARS.test(s)) return `${s} has invalid format (only the underscore, hyphen, dot and alphanumeric characters are allowed)`
  return undefined
})

/** Debezium's enum message: the values listed in the order of the Java HashSet it keeps them in. */
function mustBeOneOf (values: readonly string[]): string {
  return `Value must be one of ${javaHashMapOrder(values.map(v => [v, null] as const), javaStringHash).map(([v]) => v).join(', ')}`
}

/** Debezium's enum validator: one of the values, ignoring case and surrounding blanks. */
function oneOf (values: readonly string[]): Validator {
  const message = mustBeOneOf(values)
  return rule(`[${values.join(', ')}] (case insensitive)`, (_name, value) => values.includes(text(value).trim().toLowerCase()) ? undefined : message)
}

const positive = rule('[1,...]', (_name, value) => typeof value === 'number' && value > 0 ? undefined : 'A positive, non-zero integer value is expected')
const positiveQueue = rule('[1,...], larger than max.batch.size', (_name, value) => typeof value === 'number' && value > 0 ? undefined : 'A positive queue size is required')
const nonNegative = rule('[0,...]', (_name, value) => typeof value === 'number' && value >= 0 ? undefined : 'An non-negative integer is expected')
// poll.interval.ms is a LONG that Debezium checks as a positive INT.
const positiveInt = rule('[1,...,2147483647]', (_name, value) =>
  typeof value === 'number' && value > 0 && value <= 2147483647 ? undefined : 'A positive, non-zero integer value is expected')

const slotName = rule('[a-z0-9_]{1,63}', (_name, value) => /^[a-z0-9_]{1,63}$/.test(text(value))
  ? undefined
  : 'Valid replication slot name must contain only digits, lowercase characters and underscores with length <= 63')

const regexList = rule('comma-separated regular expressions', (_name, value) => {
  try {
    for (const p of splitRegexList(text(value))) toJsRegex(p)
  } catch (err) {
    if (err instanceof RegexListError) return `A comma-separated list of valid regular expressions is expected, but ${err.message}`
    throw err
  }
  return undefined
})

const pluginName = rule('[pgoutput]', (name, value) => {
  const v = text(value).trim().toLowerCase()
  if (!(PLUGIN_NAMES as readonly string[]).includes(v)) return mustBeOneOf(PLUGIN_NAMES)
  if (v !== 'pgoutput') {
    return `${v} is not supported by this connector, which streams with PostgreSQL's built-in pgoutput plugin only: set ${name}=pgoutput ` +
      '(Debezium\'s default, decoderbufs, needs a server extension and gives different events)'
  }
  return undefined
})

const snapshotMode = rule(`[${SUPPORTED_SNAPSHOT_MODES.join(', ')}]`, (_name, value) => {
  const v = text(value).trim().toLowerCase()
  if (!(SNAPSHOT_MODES as readonly string[]).includes(v)) {
    const hint = v === 'never' ? " ('never' was replaced by 'no_data' in Debezium 2.6 and removed in 3.3)" : v === 'exported' ? " ('exported' is no longer a Debezium mode: use 'initial')" : ''
    return mustBeOneOf(SNAPSHOT_MODES) + hint
  }
  if (!(SUPPORTED_SNAPSHOT_MODES as readonly string[]).includes(v)) {
    return `${v} is not supported by this connector (supported: ${SUPPORTED_SNAPSHOT_MODES.join(', ')})`
  }
  return undefined
})

// CommonConnectorConfig.validateSkippedOperation.
const skippedOperations = rule('r, c, u, d, t or none', (_name, value) => {
  const operations = text(value)
  if (operations === 'none') return undefined
  let none = false
  let some = false
  for (const op of operations.split(',')) {
    const o = op.trim()
    if (o === 'none') none = true
    else if ((SKIPPABLE_OPERATIONS as readonly string[]).includes(o)) some = true
    else return 'Invalid operation'
  }
  return none && some ? "'none' cannot be specified with other skipped operation types" : undefined
})

const placeholder = rule('a string, or hex: and hexadecimal octets', (_name, value) => {
  const s = text(value)
  if (s.startsWith('hex:') && !/^([0-9a-fA-F]{2})*$/.test(s.slice(4))) return 'the text after hex: must be hexadecimal octets'
  return undefined
})

const optionalTopic = rule('a topic name', (name, value) => {
  if (text(value) === '') return undefined
  nameChars('topic').ensureValid(name, value)
  return undefined
})

// ---- The definition -----------------------------------------------------------------------------------------

const CONNECTION = 'Connection'
const FILTERS = 'Filters'
const EVENTS = 'Events'
const ADVANCED = 'Advanced'

export const postgresConnectorConfigDef = new ConfigDef()
  .define({ name: TOPIC_PREFIX_CONFIG, type: 'string', validator: required(nameChars('topic')), importance: 'high', group: CONNECTION, documentation: 'Names the connector: its topics are topic.prefix.schema.table and its source partition is {"server": topic.prefix}; letters, digits, `_`, `-` and `.` only' })
  .define({ name: HOSTNAME_CONFIG, type: 'string', validator: required(nameChars('host')), importance: 'high', group: CONNECTION, documentation: 'Host name or IP address of the PostgreSQL server (letters, digits, `_`, `-` and `.` only, as Debezium)' })
  .define({ name: PORT_CONFIG, type: 'int', default: 5432, importance: 'high', group: CONNECTION, documentation: 'Port of the PostgreSQL server' })
  .define({ name: USER_CONFIG, type: 'string', validator: required(), importance: 'high', group: CONNECTION, documentation: 'User to connect as; it needs the REPLICATION attribute (and CREATE on the database for publication.autocreate.mode other than disabled)' })
  .define({ name: PASSWORD_CONFIG, type: 'password', default: null, importance: 'high', group: CONNECTION, documentation: 'Password of the user' })
  .define({ name: DBNAME_CONFIG, type: 'string', validator: required(), importance: 'high', group: CONNECTION, documentation: 'Database to capture' })
  .define({ name: SSLMODE_CONFIG, type: 'string', default: 'prefer', validator: oneOf(SSL_MODES), importance: 'medium', group: CONNECTION, documentation: 'TLS to the server, as libpq\'s sslmode: disable, allow, prefer (try TLS, fall back to plain), require (TLS, no certificate check), verify-ca (check the certificate against database.sslrootcert), verify-full (also check the host name)' })
  .define({ name: SSLROOTCERT_CONFIG, type: 'string', default: null, importance: 'medium', group: CONNECTION, documentation: 'PEM file of the certificate authorities the server certificate is checked against' })
  .define({ name: SSLCERT_CONFIG, type: 'string', default: null, importance: 'medium', group: CONNECTION, documentation: 'PEM file of the client certificate' })
  .define({ name: SSLKEY_CONFIG, type: 'string', default: null, importance: 'medium', group: CONNECTION, documentation: 'PEM file of the client private key' })
  .define({ name: SSLPASSWORD_CONFIG, type: 'password', default: null, importance: 'medium', group: CONNECTION, documentation: 'Password of the client private key' })
  .define({ name: INITIAL_STATEMENTS_CONFIG, type: 'string', default: null, importance: 'low', group: CONNECTION, documentation: 'SQL statements run on every new connection, separated by `;` (`;;` for a semicolon inside a statement); for session settings' })
  .define({ name: PLUGIN_NAME_CONFIG, type: 'string', default: 'decoderbufs', validator: pluginName, importance: 'medium', group: CONNECTION, documentation: 'Logical decoding plugin. Only `pgoutput` is supported, and as Debezium defaults to decoderbufs it must be set' })
  .define({ name: SLOT_NAME_CONFIG, type: 'string', default: 'debezium', validator: slotName, importance: 'medium', group: CONNECTION, documentation: 'Replication slot to stream from, created when missing (lower-case letters, digits and `_`, at most 63)' })
  .define({ name: SLOT_DROP_ON_STOP_CONFIG, type: 'boolean', default: false, importance: 'medium', group: CONNECTION, documentation: 'Drop the slot when the connector stops in order (its position is then lost; for tests)' })
  .define({ name: PUBLICATION_NAME_CONFIG, type: 'string', default: 'dbz_publication', importance: 'medium', group: CONNECTION, documentation: 'Publication pgoutput streams' })
  .define({ name: PUBLICATION_AUTOCREATE_MODE_CONFIG, type: 'string', default: 'all_tables', validator: oneOf(PUBLICATION_AUTOCREATE_MODES), importance: 'medium', group: CONNECTION, documentation: 'When the publication is missing: all_tables creates it FOR ALL TABLES, filtered for the captured tables, no_tables empty, disabled fails' })
  .define({ name: SCHEMA_INCLUDE_LIST_CONFIG, type: 'list', default: null, validator: regexList, importance: 'high', group: FILTERS, documentation: 'Regular expressions (comma-separated; a backslash before a comma keeps it in the expression) matching the whole schema name, ignoring case: only these schemas are captured' })
  .define({ name: SCHEMA_EXCLUDE_LIST_CONFIG, type: 'list', default: null, validator: regexList, importance: 'medium', group: FILTERS, documentation: 'Regular expressions of schemas not captured; not with schema.include.list' })
  .define({ name: TABLE_INCLUDE_LIST_CONFIG, type: 'list', default: null, validator: regexList, importance: 'high', group: FILTERS, documentation: 'Regular expressions matching the whole `schema.table`, ignoring case: only these tables are captured' })
  .define({ name: TABLE_EXCLUDE_LIST_CONFIG, type: 'list', default: null, validator: regexList, importance: 'medium', group: FILTERS, documentation: 'Regular expressions of `schema.table` not captured; not with table.include.list' })
  .define({ name: COLUMN_INCLUDE_LIST_CONFIG, type: 'list', default: null, validator: regexList, importance: 'medium', group: FILTERS, documentation: 'Regular expressions matching the whole `schema.table.column`, ignoring case: only these columns are in the events' })
  .define({ name: COLUMN_EXCLUDE_LIST_CONFIG, type: 'list', default: null, validator: regexList, importance: 'medium', group: FILTERS, documentation: 'Regular expressions of `schema.table.column` left out of the events; not with column.include.list' })
  .define({ name: TABLE_IGNORE_BUILTIN_CONFIG, type: 'boolean', default: true, importance: 'low', group: FILTERS, documentation: 'Never capture pg_catalog, information_schema, pg_temp* schemas nor spatial_ref_sys tables' })
  .define({ name: SNAPSHOT_MODE_CONFIG, type: 'string', default: 'initial', validator: snapshotMode, importance: 'medium', group: EVENTS, documentation: 'initial (snapshot when there is no offset, then stream), initial_only (snapshot, then stop), no_data (stream only), always (snapshot at every start), when_needed (snapshot when there is no offset or the slot cannot resume it)' })
  .define({ name: SNAPSHOT_FETCH_SIZE_CONFIG, type: 'int', default: DEFAULT_SNAPSHOT_FETCH_SIZE, validator: nonNegative, importance: 'medium', group: EVENTS, documentation: 'Rows read per round trip while snapshotting' })
  .define({ name: DECIMAL_HANDLING_MODE_CONFIG, type: 'string', default: 'precise', validator: oneOf(DECIMAL_HANDLING_MODES), importance: 'medium', group: EVENTS, documentation: 'numeric/decimal as precise (Connect Decimal, or VariableScaleDecimal without a scale), double, or string' })
  .define({ name: TIME_PRECISION_MODE_CONFIG, type: 'string', default: 'adaptive', validator: oneOf(TIME_PRECISION_MODES), importance: 'medium', group: EVENTS, documentation: 'Temporal types as adaptive (precision of the column), adaptive_time_microseconds, connect (Connect Date/Time/Timestamp, milliseconds), isostring, microseconds or nanoseconds' })
  .define({ name: BINARY_HANDLING_MODE_CONFIG, type: 'string', default: 'bytes', validator: oneOf(BINARY_HANDLING_MODES), importance: 'low', group: EVENTS, documentation: 'bytea as bytes, base64, base64-url-safe or hex text' })
  .define({ name: INTERVAL_HANDLING_MODE_CONFIG, type: 'string', default: 'numeric', validator: oneOf(INTERVAL_HANDLING_MODES), importance: 'low', group: EVENTS, documentation: 'interval as numeric (io.debezium.time.MicroDuration, approximate microseconds) or string (ISO 8601)' })
  .define({ name: TOMBSTONES_ON_DELETE_CONFIG, type: 'boolean', default: true, importance: 'medium', group: EVENTS, documentation: 'Follow each delete event with a tombstone (null value), so compaction can remove the key' })
  .define({ name: SKIPPED_OPERATIONS_CONFIG, type: 'list', default: 't', validator: skippedOperations, importance: 'low', group: EVENTS, documentation: 'Operations not written while streaming: c, u, d, t (truncate), or none. As in Debezium, truncates are skipped unless this is set' })
  .define({ name: UNAVAILABLE_VALUE_PLACEHOLDER_CONFIG, type: 'string', default: DEFAULT_UNAVAILABLE_VALUE_PLACEHOLDER, validator: placeholder, importance: 'medium', group: EVENTS, documentation: 'Value given to an unchanged TOASTed column the server did not send (`hex:` then hexadecimal octets for bytes)' })
  .define({ name: EXTENDED_HEADERS_ENABLED_CONFIG, type: 'boolean', default: true, importance: 'low', group: EVENTS, documentation: 'Add Debezium\'s context headers (__debezium.context.connectorLogicalName, taskId, connectorName, runId) to each record' })
  .define({ name: HEARTBEAT_INTERVAL_MS_CONFIG, type: 'int', default: 0, validator: nonNegative, importance: 'medium', group: ADVANCED, documentation: 'Write a heartbeat record (and let the slot advance) at this interval when there are no changes; 0 disables heartbeats' })
  .define({ name: TOPIC_HEARTBEAT_PREFIX_CONFIG, type: 'string', default: DEFAULT_HEARTBEAT_TOPIC_PREFIX, validator: nameChars('topic'), importance: 'low', group: ADVANCED, documentation: 'Heartbeats go to the topic topic.heartbeat.prefix.topic.prefix' })
  .define({ name: TOPIC_HEARTBEAT_NAME_CONFIG, type: 'string', default: null, validator: optionalTopic, importance: 'low', group: ADVANCED, documentation: 'Full heartbeat topic name, instead of the prefixed one' })
  .define({ name: MAX_BATCH_SIZE_CONFIG, type: 'int', default: 2048, validator: positive, importance: 'medium', group: ADVANCED, documentation: 'Most records returned by one poll' })
  .define({ name: MAX_QUEUE_SIZE_CONFIG, type: 'int', default: 8192, validator: positiveQueue, importance: 'medium', group: ADVANCED, documentation: 'Most records read ahead of the poll; must be larger than max.batch.size' })
  .define({ name: POLL_INTERVAL_MS_CONFIG, type: 'long', default: 500, validator: positiveInt, importance: 'medium', group: ADVANCED, documentation: 'How long a poll waits for changes before returning none' })
  .define({ name: STATUS_UPDATE_INTERVAL_MS_CONFIG, type: 'int', default: 10000, validator: positive, importance: 'medium', group: ADVANCED, documentation: 'Interval of the standby status updates sent to the server on the replication connection' })

// ---- Parsed form --------------------------------------------------------------------------------------------

export interface PostgresConnectorConfig {
  hostname: string
  port: number
  user: string
  /** '' when not set. */
  password: string
  dbname: string
  sslmode: SslMode
  sslRootCert?: string
  sslCert?: string
  sslKey?: string
  sslPassword?: string
  /** database.initial.statements, split as Debezium splits them. */
  initialStatements: string[]
  topicPrefix: string
  pluginName: 'pgoutput'
  slotName: string
  slotDropOnStop: boolean
  publicationName: string
  publicationAutocreateMode: PublicationAutocreateMode
  snapshotMode: SnapshotMode
  snapshotFetchSize: number
  decimalHandlingMode: DecimalHandlingMode
  timePrecisionMode: TimePrecisionMode
  binaryHandlingMode: BinaryHandlingMode
  intervalHandlingMode: IntervalHandlingMode
  tombstonesOnDelete: boolean
  /** Operations not written while streaming (default: truncates), without repeats. */
  skippedOperations: readonly SkippableOperation[]
  /**
   * The `publish` option of a publication the connector creates (or alters, in filtered mode), e.g.
   * 'insert,update,delete': Debezium sets it only when skipped.operations is configured and skips something.
   */
  publicationPublishOption: string | undefined
  heartbeatIntervalMs: number
  heartbeatTopicsPrefix: string
  /** topic.heartbeat.name, or `<topic.heartbeat.prefix>.<topic.prefix>`. */
  heartbeatTopic: string
  maxBatchSize: number
  maxQueueSize: number
  pollIntervalMs: number
  statusUpdateIntervalMs: number
  unavailableValuePlaceholder: string
  /** The placeholder for bytes columns: the `hex:` octets, or the text's UTF-8 bytes. */
  unavailableValuePlaceholderBytes: Uint8Array
  extendedHeadersEnabled: boolean
  /** schema.include.list / schema.exclude.list alone. */
  includeSchema (schema: string): boolean
  /** Whether the table is captured (schema and table lists, table.ignore.builtin). */
  includeTable (schema: string, table: string): boolean
  /** Whether a column of a captured table is in its events. */
  includeColumn (schema: string, table: string, column: string): boolean
  /** Whether a column list is set. */
  columnsFiltered: boolean
}

/** Splits database.initial.statements on `;`, `;;` standing for a semicolon (Debezium's JdbcConnection rule). */
export function splitStatements (statements: string): string[] {
  const out: string[] = []
  let current = ''
  for (let i = 0; i < statements.length; i++) {
    const c = statements[i]
    if (c !== ';') { current += c; continue }
    if (i === statements.length - 1) break
    if (statements[i + 1] === ';') { current += ';'; i++; continue }
    if (current.trim() !== '') out.push(current.trim())
    current = ''
  }
  if (current.trim() !== '') out.push(current.trim())
  return out
}

const REQUIRED_KEYS = [TOPIC_PREFIX_CONFIG, HOSTNAME_CONFIG, USER_CONFIG, DBNAME_CONFIG]

const INT_EXPECTED = 'An integer is expected'
const LONG_EXPECTED = 'A long value is expected'
const BOOLEAN_EXPECTED = "Either 'true' or 'false' is expected"
const POSITIVE_EXPECTED = 'A positive, non-zero integer value is expected'
const NON_NEGATIVE_EXPECTED = 'An non-negative integer is expected'
/**
 * What Debezium reports for a value that is not of the key's type: its type check, then the key's own validator on
 * the same text (checked against Debezium 3.6.1's /config/validate).
 */
const NOT_OF_TYPE: Readonly<Record<string, readonly string[]>> = {
  [PORT_CONFIG]: [INT_EXPECTED, INT_EXPECTED],
  [SNAPSHOT_FETCH_SIZE_CONFIG]: [INT_EXPECTED, NON_NEGATIVE_EXPECTED],
  [HEARTBEAT_INTERVAL_MS_CONFIG]: [INT_EXPECTED, NON_NEGATIVE_EXPECTED],
  [MAX_BATCH_SIZE_CONFIG]: [INT_EXPECTED, POSITIVE_EXPECTED],
  [MAX_QUEUE_SIZE_CONFIG]: [INT_EXPECTED],
  [POLL_INTERVAL_MS_CONFIG]: [LONG_EXPECTED, POSITIVE_EXPECTED],
  [STATUS_UPDATE_INTERVAL_MS_CONFIG]: [INT_EXPECTED, POSITIVE_EXPECTED],
  [SLOT_DROP_ON_STOP_CONFIG]: [BOOLEAN_EXPECTED],
  [TABLE_IGNORE_BUILTIN_CONFIG]: [BOOLEAN_EXPECTED, BOOLEAN_EXPECTED],
  [TOMBSTONES_ON_DELETE_CONFIG]: [BOOLEAN_EXPECTED, BOOLEAN_EXPECTED],
  [EXTENDED_HEADERS_ENABLED_CONFIG]: [BOOLEAN_EXPECTED, BOOLEAN_EXPECTED]
}
const isTypeError = (error: string): boolean => /^Invalid value .* for configuration .*: (Not a number of type|Expected value to be either true or false)/.test(error)

const MUTUALLY_EXCLUSIVE: ReadonlyArray<readonly [string, string]> = [
  [SCHEMA_INCLUDE_LIST_CONFIG, SCHEMA_EXCLUDE_LIST_CONFIG],
  [TABLE_INCLUDE_LIST_CONFIG, TABLE_EXCLUDE_LIST_CONFIG],
  [COLUMN_INCLUDE_LIST_CONFIG, COLUMN_EXCLUDE_LIST_CONFIG]
]

/**
 * Every problem, per key, for the connector's validate() (PUT .../config/validate): each key by its own rule, then
 * Debezium's cross-key rules, then the Debezium keys this connector does not implement (refused ones appended as
 * values of their own). Never throws for bad input.
 */
export function validatePostgresConnectorConfig (props: ConnectorProps): ConfigValue[] {
  const values = postgresConnectorConfigDef.validate(props)
  const byName = new Map(values.map(v => [v.name, v]))
  // Debezium's words for a missing value and for one not of the key's type.
  for (const key of REQUIRED_KEYS) {
    const raw = props[key]
    if (raw !== undefined && raw.trim() !== '') continue
    const v = byName.get(key)!
    v.errors = [invalid(key, 'A value is required')]
    if (key === TOPIC_PREFIX_CONFIG && raw !== undefined) v.errors.push(invalid(key, `${raw} has invalid format (only the underscore, hyphen, dot and alphanumeric characters are allowed)`))
  }
  for (const [key, problems] of Object.entries(NOT_OF_TYPE)) {
    const v = byName.get(key)!
    if (v.errors.length === 1 && isTypeError(v.errors[0]!)) v.errors = problems.map(p => invalid(key, p))
  }
  // Debezium reports both lists as set whenever both keys are present, on the exclude list.
  for (const [include, exclude] of MUTUALLY_EXCLUSIVE) {
    if (props[include] !== undefined && props[exclude] !== undefined) byName.get(exclude)!.errors.push(invalid(exclude, `"${include}" is already specified`))
  }
  // CommonConnectorConfig.validateMaxQueueSize: checked whenever both are integers, even a queue size already refused.
  const int = (key: string, fallback: number): number | undefined => {
    const raw = props[key]?.trim()
    return raw === undefined ? fallback : /^[+-]?\d+$/.test(raw) ? Number(raw) : undefined
  }
  const queue = int(MAX_QUEUE_SIZE_CONFIG, 8192)
  const batch = int(MAX_BATCH_SIZE_CONFIG, 2048)
  if (queue !== undefined && batch !== undefined && queue <= batch) {
    byName.get(MAX_QUEUE_SIZE_CONFIG)!.errors.push(invalid(MAX_QUEUE_SIZE_CONFIG, 'Must be larger than the maximum batch size'))
  }
  for (const [key, raw] of Object.entries(props)) {
    if (raw === undefined || byName.has(key)) continue
    const verdict = checkOtherKey(key, raw)
    if (verdict?.kind === 'refused') values.push({ name: key, value: raw, rawValue: raw, recommendedValues: [], errors: [verdict.message], visible: true })
  }
  return values
}

/** The keys Debezium would use that this connector accepts and ignores as harmless, with why (for a log line). */
export function ignoredKeys (props: ConnectorProps): Array<{ key: string, why: string }> {
  const out: Array<{ key: string, why: string }> = []
  for (const [key, raw] of Object.entries(props)) {
    if (raw === undefined || postgresConnectorConfigDef.has(key)) continue
    const verdict = checkOtherKey(key, raw)
    if (verdict?.kind === 'ignored' && verdict.why !== 'the default') out.push({ key, why: verdict.why })
  }
  return out
}

/**
 * The connector's settings, or one ConfigError listing every problem (each naming its key; secrets never shown),
 * as Debezium's task refuses to start on any validation problem.
 */
export function parsePostgresConnectorConfig (props: ConnectorProps, context?: string): PostgresConnectorConfig {
  const problems = validatePostgresConnectorConfig(props).flatMap(v => v.errors)
  if (problems.length > 0) {
    const where = context !== undefined ? ` in ${context}` : ''
    const message = problems.length === 1
      ? `${problems[0]}${context !== undefined ? ` (${context})` : ''}`
      : `${problems.length} configuration problems${where}:\n  - ${problems.join('\n  - ')}`
    throw new ConfigError(message, { problems })
  }
  const c = postgresConnectorConfigDef.parse(props, context)
  const str = (key: string): string | undefined => c.string(key) ?? undefined
  const lower = <T extends string>(key: string): T => c.string(key)!.toLowerCase() as T
  const raw = (key: string): string | undefined => props[key] === undefined ? undefined : c.list(key).join(',')
  const filter = new TableFilter({
    schemaIncludeList: raw(SCHEMA_INCLUDE_LIST_CONFIG),
    schemaExcludeList: raw(SCHEMA_EXCLUDE_LIST_CONFIG),
    tableIncludeList: raw(TABLE_INCLUDE_LIST_CONFIG),
    tableExcludeList: raw(TABLE_EXCLUDE_LIST_CONFIG),
    columnIncludeList: raw(COLUMN_INCLUDE_LIST_CONFIG),
    columnExcludeList: raw(COLUMN_EXCLUDE_LIST_CONFIG),
    ignoreBuiltin: c.boolean(TABLE_IGNORE_BUILTIN_CONFIG)
  })
  const skipped = c.list(SKIPPED_OPERATIONS_CONFIG).map(s => s.trim())
  const skippedOperations: SkippableOperation[] = skipped.length === 1 && skipped[0]!.toLowerCase() === 'none' ? [] : [...new Set(skipped as SkippableOperation[])]
  const publish = ([['c', 'insert'], ['u', 'update'], ['d', 'delete'], ['t', 'truncate']] as const).filter(([op]) => !skippedOperations.includes(op)).map(([, name]) => name)
  const topicPrefix = c.string(TOPIC_PREFIX_CONFIG)!
  const heartbeatTopicsPrefix = c.string(TOPIC_HEARTBEAT_PREFIX_CONFIG)!
  const heartbeatName = str(TOPIC_HEARTBEAT_NAME_CONFIG) ?? ''
  const placeholderText = c.string(UNAVAILABLE_VALUE_PLACEHOLDER_CONFIG)!
  const config: PostgresConnectorConfig = {
    hostname: c.string(HOSTNAME_CONFIG)!,
    port: c.int(PORT_CONFIG),
    user: c.string(USER_CONFIG)!,
    password: c.password(PASSWORD_CONFIG)?.value() ?? '',
    dbname: c.string(DBNAME_CONFIG)!,
    sslmode: lower(SSLMODE_CONFIG),
    initialStatements: splitStatements(str(INITIAL_STATEMENTS_CONFIG) ?? ''),
    topicPrefix,
    pluginName: 'pgoutput',
    slotName: c.string(SLOT_NAME_CONFIG)!,
    slotDropOnStop: c.boolean(SLOT_DROP_ON_STOP_CONFIG),
    publicationName: c.string(PUBLICATION_NAME_CONFIG)!,
    publicationAutocreateMode: lower(PUBLICATION_AUTOCREATE_MODE_CONFIG),
    snapshotMode: lower(SNAPSHOT_MODE_CONFIG),
    snapshotFetchSize: c.int(SNAPSHOT_FETCH_SIZE_CONFIG),
    decimalHandlingMode: lower(DECIMAL_HANDLING_MODE_CONFIG),
    timePrecisionMode: lower(TIME_PRECISION_MODE_CONFIG),
    binaryHandlingMode: lower(BINARY_HANDLING_MODE_CONFIG),
    intervalHandlingMode: lower(INTERVAL_HANDLING_MODE_CONFIG),
    tombstonesOnDelete: c.boolean(TOMBSTONES_ON_DELETE_CONFIG),
    // As Debezium's determineSkippedOperations: 'none' (any case) skips nothing.
    skippedOperations,
    publicationPublishOption: props[SKIPPED_OPERATIONS_CONFIG] === undefined || skippedOperations.length === 0 ? undefined : publish.join(','),
    heartbeatIntervalMs: c.int(HEARTBEAT_INTERVAL_MS_CONFIG),
    heartbeatTopicsPrefix,
    heartbeatTopic: heartbeatName !== '' ? heartbeatName : `${heartbeatTopicsPrefix}.${topicPrefix}`,
    maxBatchSize: c.int(MAX_BATCH_SIZE_CONFIG),
    maxQueueSize: c.int(MAX_QUEUE_SIZE_CONFIG),
    pollIntervalMs: c.long(POLL_INTERVAL_MS_CONFIG),
    statusUpdateIntervalMs: c.int(STATUS_UPDATE_INTERVAL_MS_CONFIG),
    unavailableValuePlaceholder: placeholderText,
    unavailableValuePlaceholderBytes: placeholderText.startsWith('hex:')
      ? Uint8Array.from(Buffer.from(placeholderText.slice(4), 'hex'))
      : new TextEncoder().encode(placeholderText),
    extendedHeadersEnabled: c.boolean(EXTENDED_HEADERS_ENABLED_CONFIG),
    includeSchema: schema => filter.includeSchema(schema),
    includeTable: (schema, table) => filter.includeTable(schema, table),
    includeColumn: (schema, table, column) => filter.includeColumn(schema, table, column),
    columnsFiltered: filter.columnsFiltered
  }
  const optional: Array<[keyof PostgresConnectorConfig, string | undefined]> = [
    ['sslRootCert', str(SSLROOTCERT_CONFIG)], ['sslCert', str(SSLCERT_CONFIG)], ['sslKey', str(SSLKEY_CONFIG)],
    ['sslPassword', c.password(SSLPASSWORD_CONFIG)?.value()]
  ]
  for (const [field, value] of optional) if (value !== undefined && value !== '') Object.assign(config, { [field]: value })
  return config
}
