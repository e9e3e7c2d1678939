/**
 * The settings every Schema Registry converter takes (Confluent's AbstractKafkaSchemaSerDeConfig and the client's
 * SchemaRegistryClientConfig), with Confluent's names and defaults. Keys Confluent has and we do not support are
 * defined too, with a validator that refuses any value but the default and says why: a setting that would change
 * what is written is never ignored in silence.
 */
import { ConfigDef, ConfigError, ValidString, invalidValueMessage, type ConfigValueType, type Validator } from '../../api/index.ts'
import { JaasParseError, parseJaasConfig } from '../../java/jaas.ts'

export const SCHEMA_REGISTRY_URL_CONFIG = 'schema.registry.url'
export const BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = 'basic.auth.credentials.source'
export const USER_INFO_CONFIG = 'basic.auth.user.info'
/** Confluent's deprecated spelling of basic.auth.user.info, still read. */
export const SCHEMA_REGISTRY_USER_INFO_CONFIG = 'schema.registry.basic.auth.user.info'
export const BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG = 'bearer.auth.credentials.source'
export const BEARER_AUTH_TOKEN_CONFIG = 'bearer.auth.token'
export const BEARER_AUTH_LOGICAL_CLUSTER_CONFIG = 'bearer.auth.logical.cluster'
export const BEARER_AUTH_IDENTITY_POOL_ID_CONFIG = 'bearer.auth.identity.pool.id'
export const AUTO_REGISTER_SCHEMAS_CONFIG = 'auto.register.schemas'
export const USE_LATEST_VERSION_CONFIG = 'use.latest.version'
export const LATEST_COMPATIBILITY_STRICT_CONFIG = 'latest.compatibility.strict'
export const NORMALIZE_SCHEMAS_CONFIG = 'normalize.schemas'
export const USE_SCHEMA_ID_CONFIG = 'use.schema.id'
export const ID_COMPATIBILITY_STRICT_CONFIG = 'id.compatibility.strict'
export const KEY_SUBJECT_NAME_STRATEGY_CONFIG = 'key.subject.name.strategy'
export const VALUE_SUBJECT_NAME_STRATEGY_CONFIG = 'value.subject.name.strategy'
export const MAX_SCHEMAS_PER_SUBJECT_CONFIG = 'max.schemas.per.subject'
export const LATEST_CACHE_SIZE_CONFIG = 'latest.cache.size'
export const LATEST_CACHE_TTL_CONFIG = 'latest.cache.ttl.sec'
export const HTTP_CONNECT_TIMEOUT_MS_CONFIG = 'http.connect.timeout.ms'
export const HTTP_READ_TIMEOUT_MS_CONFIG = 'http.read.timeout.ms'
export const MAX_RETRIES_CONFIG = 'max.retries'
export const RETRIES_WAIT_MS_CONFIG = 'retries.wait.ms'
export const RETRIES_MAX_WAIT_MS_CONFIG = 'retries.max.wait.ms'
export const SASL_JAAS_CONFIG = 'sasl.jaas.config'
/** Request headers sent to the registry: request.header.<Name>=<value>. */
export const REQUEST_HEADER_PREFIX = 'request.header.'
/** TLS towards an https registry: schema.registry.ssl.<Kafka's ssl.* key>. */
export const SCHEMA_REGISTRY_SSL_PREFIX = 'schema.registry.'

const STRATEGY_PACKAGE = 'io.confluent.kafka.serializers.subject.'
export type SubjectNameStrategy = 'TopicNameStrategy' | 'RecordNameStrategy' | 'TopicRecordNameStrategy'
const STRATEGIES: readonly SubjectNameStrategy[] = ['TopicNameStrategy', 'RecordNameStrategy', 'TopicRecordNameStrategy']

/** Confluent's class names of the subject name strategies (their simple names are accepted too). */
const strategyValidator: Validator = {
  ensureValid (name, value) {
    if (typeof value === 'string' && subjectNameStrategy(value) === null) {
      throw new ConfigError(invalidValueMessage(name, value, `Class ${value} could not be found: supported subject name strategies are ${STRATEGIES.map(s => STRATEGY_PACKAGE + s).join(', ')}`))
    }
  },
  toString () { return STRATEGIES.map(s => STRATEGY_PACKAGE + s).join(', ') }
}

export function subjectNameStrategy (value: string): SubjectNameStrategy | null {
  const simple = value.trim().startsWith(STRATEGY_PACKAGE) ? value.trim().slice(STRATEGY_PACKAGE.length) : value.trim()
  return (STRATEGIES as readonly string[]).includes(simple) ? simple as SubjectNameStrategy : null
}

/**
 * A Confluent key this runner does not implement: any value other than `allowed` (the default, or null when unset)
 * is refused, naming the key and saying why.
 */
export function notSupported (reason: string, ...allowed: Array<string | null>): Validator {
  return {
    ensureValid (name, value: ConfigValueType) {
      if (value === null || value === undefined) return
      const text = Array.isArray(value) ? value.join(',') : String(value)
      if (allowed.includes(text)) return
      throw new ConfigError(invalidValueMessage(name, value, `not supported by connect-standalone: ${reason}`))
    },
    toString () { return allowed.filter(a => a !== null).join(', ') }
  }
}

const GROUP = 'Schema Registry'

/** The keys every Schema Registry converter has, whatever its format. */
export const SCHEMA_REGISTRY_CONFIG_DEF = new ConfigDef()
  .define({ name: SCHEMA_REGISTRY_URL_CONFIG, type: 'list', importance: 'high', group: GROUP, documentation: 'Comma-separated list of URLs of Schema Registry instances (Confluent\'s API: Confluent Schema Registry, Apicurio at /apis/ccompat/v7, Karapace); tried in order.' })
  .define({ name: BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, type: 'string', default: 'URL', validator: ValidString.in('URL', 'USER_INFO', 'SASL_INHERIT'), importance: 'medium', group: GROUP, documentation: 'Where the Basic auth credentials come from: URL (user info in schema.registry.url), USER_INFO (basic.auth.user.info) or SASL_INHERIT (the username and password of sasl.jaas.config given to the converter).' })
  .define({ name: USER_INFO_CONFIG, type: 'password', default: '', importance: 'medium', group: GROUP, documentation: 'Basic auth user info, {username}:{password}, used with basic.auth.credentials.source=USER_INFO.' })
  .define({ name: SCHEMA_REGISTRY_USER_INFO_CONFIG, type: 'password', default: '', importance: 'low', group: GROUP, documentation: 'Deprecated spelling of basic.auth.user.info.' })
  .define({ name: BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, type: 'string', default: 'STATIC_TOKEN', validator: notSupported('only STATIC_TOKEN (bearer.auth.token) is implemented; OAuth client credentials flows are not', 'STATIC_TOKEN'), importance: 'medium', group: GROUP, documentation: 'Where the bearer token comes from; STATIC_TOKEN only.' })
  .define({ name: BEARER_AUTH_TOKEN_CONFIG, type: 'password', default: '', importance: 'medium', group: GROUP, documentation: 'A static bearer token sent as Authorization: Bearer <token>; takes precedence over Basic auth when set.' })
  .define({ name: BEARER_AUTH_LOGICAL_CLUSTER_CONFIG, type: 'string', default: null, importance: 'low', group: GROUP, documentation: 'Sent as the target-sr-cluster request header (Confluent Cloud).' })
  .define({ name: BEARER_AUTH_IDENTITY_POOL_ID_CONFIG, type: 'string', default: null, importance: 'low', group: GROUP, documentation: 'Sent as the Confluent-Identity-Pool-Id request header (Confluent Cloud).' })
  .define({ name: AUTO_REGISTER_SCHEMAS_CONFIG, type: 'boolean', default: true, importance: 'medium', group: GROUP, documentation: 'Register the schema of the data written when the registry does not have it yet; when false, a schema must already be registered under the subject.' })
  .define({ name: USE_LATEST_VERSION_CONFIG, type: 'boolean', default: false, importance: 'medium', group: GROUP, documentation: 'Write with the latest version registered under the subject instead of the data\'s own schema (set auto.register.schemas=false with it).' })
  .define({ name: LATEST_COMPATIBILITY_STRICT_CONFIG, type: 'boolean', default: true, importance: 'low', group: GROUP, documentation: 'With use.latest.version: check that the latest version is backward compatible with the data\'s schema before writing with it.' })
  .define({ name: NORMALIZE_SCHEMAS_CONFIG, type: 'boolean', default: false, importance: 'low', group: GROUP, documentation: 'Ask the registry to normalize schemas when registering or looking them up.' })
  .define({ name: USE_SCHEMA_ID_CONFIG, type: 'int', default: -1, importance: 'low', group: GROUP, documentation: 'Write with this schema id (its schema is read from the registry) instead of registering; -1: off.' })
  .define({ name: ID_COMPATIBILITY_STRICT_CONFIG, type: 'boolean', default: true, importance: 'low', group: GROUP, documentation: 'With use.schema.id: check that the schema with that id is backward compatible with the data\'s schema.' })
  .define({ name: KEY_SUBJECT_NAME_STRATEGY_CONFIG, type: 'class', default: `${STRATEGY_PACKAGE}TopicNameStrategy`, validator: strategyValidator, importance: 'medium', group: GROUP, documentation: 'How the subject of a key schema is named: TopicNameStrategy (<topic>-key), RecordNameStrategy (<record name>) or TopicRecordNameStrategy (<topic>-<record name>).' })
  .define({ name: VALUE_SUBJECT_NAME_STRATEGY_CONFIG, type: 'class', default: `${STRATEGY_PACKAGE}TopicNameStrategy`, validator: strategyValidator, importance: 'medium', group: GROUP, documentation: 'How the subject of a value schema is named: TopicNameStrategy (<topic>-value), RecordNameStrategy or TopicRecordNameStrategy.' })
  .define({ name: MAX_SCHEMAS_PER_SUBJECT_CONFIG, type: 'int', default: 1000, importance: 'low', group: GROUP, documentation: 'The most schemas kept per subject in the id caches.' })
  .define({ name: LATEST_CACHE_SIZE_CONFIG, type: 'int', default: 1000, importance: 'low', group: GROUP, documentation: 'The most subjects whose latest version is kept (use.latest.version).' })
  .define({ name: LATEST_CACHE_TTL_CONFIG, type: 'int', default: -1, importance: 'low', group: GROUP, documentation: 'Seconds a latest version is kept before it is read again; -1: for good.' })
  .define({ name: HTTP_CONNECT_TIMEOUT_MS_CONFIG, type: 'int', default: 60000, importance: 'low', group: GROUP, documentation: 'How long a connection to the registry may take.' })
  .define({ name: HTTP_READ_TIMEOUT_MS_CONFIG, type: 'int', default: 60000, importance: 'low', group: GROUP, documentation: 'How long an answer from the registry may take once connected.' })
  .define({ name: MAX_RETRIES_CONFIG, type: 'int', default: 3, importance: 'low', group: GROUP, documentation: 'Retries of a registry call that failed to connect or got 5xx, 408 or 429, before the record fails with a retriable error (errors.retry.* then applies).' })
  .define({ name: RETRIES_WAIT_MS_CONFIG, type: 'int', default: 1000, importance: 'low', group: GROUP, documentation: 'The wait before the first such retry, doubled for each next one (with jitter).' })
  .define({ name: RETRIES_MAX_WAIT_MS_CONFIG, type: 'int', default: 20000, importance: 'low', group: GROUP, documentation: 'The longest wait between such retries.' })
  .define({ name: SASL_JAAS_CONFIG, type: 'password', default: null, importance: 'low', group: GROUP, documentation: 'With basic.auth.credentials.source=SASL_INHERIT: the JAAS line whose username and password are used.' })
  .define({ name: 'context.name.strategy', type: 'class', default: 'io.confluent.kafka.serializers.context.NullContextNameStrategy', validator: notSupported('schema contexts are not implemented', 'io.confluent.kafka.serializers.context.NullContextNameStrategy'), importance: 'low', group: GROUP, documentation: 'Not supported: only the default context.' })
  .define({ name: 'use.latest.with.metadata', type: 'string', default: null, validator: notSupported('data contracts (metadata) are not implemented'), importance: 'low', group: GROUP, documentation: 'Not supported.' })
  .define({ name: 'rule.executors', type: 'list', default: null, validator: notSupported('data contract rules are not implemented'), importance: 'low', group: GROUP, documentation: 'Not supported.' })
  .define({ name: 'rule.actions', type: 'list', default: null, validator: notSupported('data contract rules are not implemented'), importance: 'low', group: GROUP, documentation: 'Not supported.' })
  .define({ name: 'proxy.host', type: 'string', default: null, validator: notSupported('HTTP proxies are not implemented', ''), importance: 'low', group: GROUP, documentation: 'Not supported.' })
  .define({ name: 'proxy.port', type: 'int', default: null, validator: notSupported('HTTP proxies are not implemented', '-1'), importance: 'low', group: GROUP, documentation: 'Not supported.' })
  .define({ name: 'key.schema.id.serializer', type: 'class', default: null, validator: notSupported('only the 5-byte prefix wire format is written', 'io.confluent.kafka.serializers.schema.id.PrefixSchemaIdSerializer'), importance: 'low', group: GROUP, documentation: 'Not supported: schema ids go in the 5-byte prefix.' })
  .define({ name: 'value.schema.id.serializer', type: 'class', default: null, validator: notSupported('only the 5-byte prefix wire format is written', 'io.confluent.kafka.serializers.schema.id.PrefixSchemaIdSerializer'), importance: 'low', group: GROUP, documentation: 'Not supported: schema ids go in the 5-byte prefix.' })
  .define({ name: 'key.schema.id.deserializer', type: 'class', default: null, validator: notSupported('only the 5-byte prefix wire format is read', 'io.confluent.kafka.serializers.schema.id.PrefixSchemaIdDeserializer', 'io.confluent.kafka.serializers.schema.id.DualSchemaIdDeserializer'), importance: 'low', group: GROUP, documentation: 'Not supported: schema ids are read from the 5-byte prefix.' })
  .define({ name: 'value.schema.id.deserializer', type: 'class', default: null, validator: notSupported('only the 5-byte prefix wire format is read', 'io.confluent.kafka.serializers.schema.id.PrefixSchemaIdDeserializer', 'io.confluent.kafka.serializers.schema.id.DualSchemaIdDeserializer'), importance: 'low', group: GROUP, documentation: 'Not supported: schema ids are read from the 5-byte prefix.' })

/** The Authorization header for the settings (bearer first, then Basic), or null (none, or URL user info). */
export function authorizationHeader (config: { string (name: string): string | null }, where: string): string | null {
  const token = config.string(BEARER_AUTH_TOKEN_CONFIG) ?? ''
  if (token !== '') return `Bearer ${token}`
  const source = config.string(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG)
  if (source === 'USER_INFO') {
    const info = (config.string(USER_INFO_CONFIG) || config.string(SCHEMA_REGISTRY_USER_INFO_CONFIG)) ?? ''
    if (info === '') throw new ConfigError(`${BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG}=USER_INFO needs ${USER_INFO_CONFIG} ({username}:{password}) in ${where}`)
    if (!info.includes(':')) throw new ConfigError(`Invalid value [hidden] for configuration ${USER_INFO_CONFIG}: expected {username}:{password} (${where})`)
    return `Basic ${Buffer.from(info, 'utf8').toString('base64')}`
  }
  if (source === 'SASL_INHERIT') {
    const jaas = config.string(SASL_JAAS_CONFIG) ?? ''
    let options: Map<string, string> | undefined
    try {
      options = jaas === '' ? undefined : parseJaasConfig(jaas)[0]?.options
    } catch (err) {
      if (!(err instanceof JaasParseError)) throw err
      throw new ConfigError(`Invalid value [hidden] for configuration ${SASL_JAAS_CONFIG}: ${err.message} (${where})`)
    }
    const user = options?.get('username')
    const password = options?.get('password')
    if (typeof user !== 'string' || typeof password !== 'string') {
      throw new ConfigError(`${BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG}=SASL_INHERIT needs ${SASL_JAAS_CONFIG} with username and password options in ${where}`)
    }
    return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`
  }
  return null
}
