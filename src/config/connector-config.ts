/**
 * The keys every connector accepts (Kafka's ConnectorConfig, SinkConnectorConfig and SourceConnectorConfig), the
 * one validation path used at start-up (and later by the REST API): it collects every problem, never throws for bad
 * input, and the typed view the runtime reads a connector's settings from (parseConnectorConfig), driven by the
 * same definitions, so each key's default and type are written once.
 */
import {
  ConfigDef, ConfigError, NonEmptyStringWithoutControlChars, Range, ValidList, ValidString, PluginError,
  type ConfigValue, type ParsedConfig, type PluginDescriptor, type Validator
} from '../api/index.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import { compileJavaRegex } from '../java/pattern.ts'

export const NAME_CONFIG = 'name'
export const CONNECTOR_CLASS_CONFIG = 'connector.class'
export const TASKS_MAX_CONFIG = 'tasks.max'
export const TASKS_MAX_ENFORCE_CONFIG = 'tasks.max.enforce'
export const KEY_CONVERTER_CLASS_CONFIG = 'key.converter'
export const VALUE_CONVERTER_CLASS_CONFIG = 'value.converter'
export const HEADER_CONVERTER_CLASS_CONFIG = 'header.converter'
export const TRANSFORMS_CONFIG = 'transforms'
export const PREDICATES_CONFIG = 'predicates'
export const TRANSFORM_PREDICATE_CONFIG = 'predicate'
export const TRANSFORM_NEGATE_CONFIG = 'negate'
export const CONFIG_RELOAD_ACTION_CONFIG = 'config.action.reload'
export const ERRORS_RETRY_TIMEOUT_CONFIG = 'errors.retry.timeout'
export const ERRORS_RETRY_MAX_DELAY_CONFIG = 'errors.retry.delay.max.ms'
export const ERRORS_TOLERANCE_CONFIG = 'errors.tolerance'
export const ERRORS_LOG_ENABLE_CONFIG = 'errors.log.enable'
export const ERRORS_LOG_INCLUDE_MESSAGES_CONFIG = 'errors.log.include.messages'
export const TOPICS_CONFIG = 'topics'
export const TOPICS_REGEX_CONFIG = 'topics.regex'
export const DLQ_TOPIC_NAME_CONFIG = 'errors.deadletterqueue.topic.name'
export const DLQ_TOPIC_REPLICATION_FACTOR_CONFIG = 'errors.deadletterqueue.topic.replication.factor'
export const DLQ_CONTEXT_HEADERS_ENABLE_CONFIG = 'errors.deadletterqueue.context.headers.enable'
/** Beyond Apache: source connectors may send records that fail conversion or transformation to a DLQ too. */
export const DLQ_SOURCE_ENABLE_CONFIG = 'errors.deadletterqueue.source.enable'
/** Beyond Apache: failed tasks restart on their own, with exponential backoff, when max attempts > 0. */
export const TASK_RESTART_MAX_ATTEMPTS_CONFIG = 'errors.task.restart.max.attempts'
export const TASK_RESTART_BACKOFF_INITIAL_MS_CONFIG = 'errors.task.restart.backoff.initial.ms'
export const TASK_RESTART_BACKOFF_MAX_MS_CONFIG = 'errors.task.restart.backoff.max.ms'

/**
 * Apache's rule for connector names (non-empty, no control characters) plus one of ours: `.` and `..` are refused.
 * Apache accepts them, but HTTP clients (curl, browsers, fetch, Node's URL) remove such segments from a path, so
 * /connectors/.. reaches /, and the connector could never be read, changed or deleted through the REST API while it
 * came back at every start. Any other name is addressable, percent-encoded (a `/` as %2F), and stays accepted.
 */
export const ConnectorName: Validator = {
  ensureValid (name, value) {
    NonEmptyStringWithoutControlChars.ensureValid(name, value)
    if (value === '.' || value === '..') {
      throw new ConfigError(`Invalid value ${value} for configuration ${name}: a connector cannot be named '.' or '..', ` +
        'because HTTP clients remove such segments from URL paths, so the REST API (/connectors/<name>) could never reach it; choose another name')
    }
  },
  toString () { return `${NonEmptyStringWithoutControlChars.toString()}, not '.' or '..'` }
}

export const COMMON_CONNECTOR_CONFIG_DEF = new ConfigDef()
  .define({ name: NAME_CONFIG, type: 'string', validator: ConnectorName, importance: 'high', group: 'Common', orderInGroup: 1, width: 'medium', displayName: 'Connector name', documentation: 'Globally unique name to use for this connector.' })
  .define({ name: CONNECTOR_CLASS_CONFIG, type: 'string', importance: 'high', group: 'Common', orderInGroup: 2, width: 'long', displayName: 'Connector class', documentation: 'Name or alias of the class for this connector.' })
  .define({ name: TASKS_MAX_CONFIG, type: 'int', default: 1, validator: Range.atLeast(1), importance: 'high', group: 'Common', orderInGroup: 4, width: 'short', displayName: 'Tasks max', documentation: 'Maximum number of tasks to use for this connector.' })
  .define({ name: TASKS_MAX_ENFORCE_CONFIG, type: 'boolean', default: true, importance: 'low', group: 'Common', orderInGroup: 5, width: 'short', displayName: 'Enforce tasks max', documentation: '(Deprecated) Whether to enforce that the tasks.max property is respected by the connector.' })
  .define({ name: KEY_CONVERTER_CLASS_CONFIG, type: 'class', default: null, importance: 'low', group: 'Common', orderInGroup: 6, width: 'short', displayName: 'Key converter class', documentation: 'Converter for record keys; overrides the worker\'s.' })
  .define({ name: VALUE_CONVERTER_CLASS_CONFIG, type: 'class', default: null, importance: 'low', group: 'Common', orderInGroup: 8, width: 'short', displayName: 'Value converter class', documentation: 'Converter for record values; overrides the worker\'s.' })
  .define({ name: HEADER_CONVERTER_CLASS_CONFIG, type: 'class', default: null, importance: 'low', group: 'Common', orderInGroup: 10, width: 'short', displayName: 'Header converter class', documentation: 'HeaderConverter for record headers; overrides the worker\'s.' })
  .define({ name: TRANSFORMS_CONFIG, type: 'list', default: [], importance: 'low', group: 'Transforms', orderInGroup: 12, width: 'long', displayName: 'Transforms', documentation: 'Aliases for the transformations to be applied to records.' })
  .define({ name: PREDICATES_CONFIG, type: 'list', default: [], importance: 'low', group: 'Predicates', orderInGroup: 13, width: 'long', displayName: 'Predicates', documentation: 'Aliases for the predicates used by transformations.' })
  .define({ name: CONFIG_RELOAD_ACTION_CONFIG, type: 'string', default: 'restart', validator: ValidString.in('none', 'restart'), importance: 'low', group: 'Common', orderInGroup: 14, width: 'medium', displayName: 'Reload Action', documentation: 'The action to take when a config provider value changes.' })
  .define({ name: ERRORS_RETRY_TIMEOUT_CONFIG, type: 'long', default: 0, importance: 'medium', group: 'Error Handling', orderInGroup: 1, width: 'medium', displayName: 'Retry Timeout for Errors', documentation: 'The maximum duration in milliseconds that a failed operation will be reattempted.' })
  .define({ name: ERRORS_RETRY_MAX_DELAY_CONFIG, type: 'long', default: 60000, importance: 'medium', group: 'Error Handling', orderInGroup: 2, width: 'medium', displayName: 'Maximum Delay Between Retries for Errors', documentation: 'The maximum duration in milliseconds between consecutive retry attempts.' })
  .define({ name: ERRORS_TOLERANCE_CONFIG, type: 'string', default: 'none', validator: ValidString.in('none', 'all'), importance: 'medium', group: 'Error Handling', orderInGroup: 3, width: 'short', displayName: 'Error Tolerance', documentation: 'Behavior for tolerating errors during connector operation.' })
  .define({ name: ERRORS_LOG_ENABLE_CONFIG, type: 'boolean', default: false, importance: 'medium', group: 'Error Handling', orderInGroup: 4, width: 'short', displayName: 'Log Errors', documentation: 'If true, write each error and the details of the failed operation and problematic record to the log.' })
  .define({ name: ERRORS_LOG_INCLUDE_MESSAGES_CONFIG, type: 'boolean', default: false, importance: 'medium', group: 'Error Handling', orderInGroup: 5, width: 'short', displayName: 'Log Error Details', documentation: 'Whether to include the record in the log.' })
  .define({ name: TASK_RESTART_MAX_ATTEMPTS_CONFIG, type: 'int', default: 0, validator: Range.atLeast(0), importance: 'medium', group: 'Error Handling', documentation: 'connect-standalone only: how many times in a row a failed task is restarted automatically (0: never, as in Apache). The count starts again once a restarted task has run for errors.task.restart.backoff.max.ms.' })
  .define({ name: TASK_RESTART_BACKOFF_INITIAL_MS_CONFIG, type: 'long', default: 1000, validator: Range.atLeast(0), importance: 'low', group: 'Error Handling', documentation: 'connect-standalone only: the wait before the first automatic task restart; it doubles with each further attempt.' })
  .define({ name: TASK_RESTART_BACKOFF_MAX_MS_CONFIG, type: 'long', default: 60000, validator: Range.atLeast(0), importance: 'low', group: 'Error Handling', documentation: 'connect-standalone only: the longest wait between automatic task restarts.' })

export const SINK_CONNECTOR_CONFIG_DEF = new ConfigDef()
  .merge(COMMON_CONNECTOR_CONFIG_DEF)
  // As in Kafka 4.x: a repeated topic is refused ('Configuration 'topics' values must not be duplicated.').
  .define({ name: TOPICS_CONFIG, type: 'list', default: '', validator: ValidList.anyNonDuplicateValues(true, false), importance: 'high', group: 'Common', orderInGroup: 4, width: 'long', displayName: 'Topics', documentation: 'List of topics to consume, separated by commas.' })
  .define({ name: TOPICS_REGEX_CONFIG, type: 'string', default: '', importance: 'high', group: 'Common', orderInGroup: 4, width: 'long', displayName: 'Topics regex', documentation: 'Regular expression giving topics to consume.' })
  .define({ name: DLQ_TOPIC_NAME_CONFIG, type: 'string', default: '', importance: 'medium', group: 'Error Handling', orderInGroup: 6, width: 'medium', displayName: 'Dead Letter Queue Topic Name', documentation: 'The name of the topic to be used as the dead letter queue.' })
  .define({ name: DLQ_TOPIC_REPLICATION_FACTOR_CONFIG, type: 'short', default: 3, importance: 'medium', group: 'Error Handling', orderInGroup: 7, width: 'medium', displayName: 'Dead Letter Queue Topic Replication Factor', documentation: 'Replication factor used to create the dead letter queue topic when it doesn\'t already exist.' })
  .define({ name: DLQ_CONTEXT_HEADERS_ENABLE_CONFIG, type: 'boolean', default: false, importance: 'medium', group: 'Error Handling', orderInGroup: 8, width: 'medium', displayName: 'Enable Error Context Headers', documentation: 'If true, add headers containing error context to the messages written to the dead letter queue.' })

export const SOURCE_CONNECTOR_CONFIG_DEF = new ConfigDef()
  .merge(COMMON_CONNECTOR_CONFIG_DEF)
  .define({ name: 'topic.creation.groups', type: 'list', default: [], importance: 'low', group: 'Topic Creation', orderInGroup: 1, width: 'long', displayName: 'Topic Creation Groups', documentation: 'Groups of configurations for topics created by source connectors.' })
  .define({ name: 'exactly.once.support', type: 'string', default: 'requested', validator: ValidString.inCaseInsensitive('requested', 'required'), importance: 'medium', group: 'Exactly Once Support', orderInGroup: 2, width: 'short', displayName: 'Exactly once support', documentation: 'Accepted for compatibility; standalone mode ignores it (as Apache does).' })
  .define({ name: 'transaction.boundary', type: 'string', default: 'poll', validator: ValidString.inCaseInsensitive('poll', 'interval', 'connector'), importance: 'medium', group: 'Exactly Once Support', orderInGroup: 3, width: 'short', displayName: 'Transaction Boundary', documentation: 'Accepted for compatibility; standalone mode ignores it (as Apache does).' })
  .define({ name: 'offsets.storage.topic', type: 'string', default: null, importance: 'low', group: 'offsets.topic', orderInGroup: 1, width: 'long', displayName: 'Offsets topic', documentation: 'No effect in standalone mode.' })
  .define({ name: DLQ_SOURCE_ENABLE_CONFIG, type: 'boolean', default: false, importance: 'medium', group: 'Error Handling', documentation: 'connect-standalone only: send source records that fail conversion or transformation to errors.deadletterqueue.topic.name (with the __connect.errors.* headers when errors.deadletterqueue.context.headers.enable), as sink connectors do.' })
  .define({ name: DLQ_TOPIC_NAME_CONFIG, type: 'string', default: '', importance: 'medium', group: 'Error Handling', orderInGroup: 6, width: 'medium', displayName: 'Dead Letter Queue Topic Name', documentation: 'connect-standalone only, with errors.deadletterqueue.source.enable: the dead letter queue topic for source records.' })
  .define({ name: DLQ_TOPIC_REPLICATION_FACTOR_CONFIG, type: 'short', default: 3, importance: 'medium', group: 'Error Handling', orderInGroup: 7, width: 'medium', displayName: 'Dead Letter Queue Topic Replication Factor', documentation: 'Replication factor used to create the dead letter queue topic when it doesn\'t already exist.' })
  .define({ name: DLQ_CONTEXT_HEADERS_ENABLE_CONFIG, type: 'boolean', default: false, importance: 'medium', group: 'Error Handling', orderInGroup: 8, width: 'medium', displayName: 'Enable Error Context Headers', documentation: 'If true, add headers containing error context to the messages written to the dead letter queue.' })

/** Result of validating a connector config: every problem by key, plus what resolved. */
export interface ConnectorValidation {
  connectorClass: string | undefined
  descriptor: PluginDescriptor<'source' | 'sink'> | undefined
  values: ConfigValue[]
  errorCount: number
}

/** The first global problem (no class at all) is reported on connector.class. */
export function validateConnectorConfig (props: Readonly<Record<string, string>>, registry: PluginRegistry): ConnectorValidation {
  const connectorClass = props[CONNECTOR_CLASS_CONFIG]
  const values: ConfigValue[] = []
  let descriptor: PluginDescriptor<'source' | 'sink'> | undefined
  const extra = (name: string, error: string): void => {
    const existing = values.find(v => v.name === name)
    if (existing) existing.errors.push(error)
    else values.push({ name, value: props[name], rawValue: props[name], recommendedValues: [], errors: [error], visible: true })
  }

  if (connectorClass === undefined || connectorClass.trim() === '') {
    values.push(...COMMON_CONNECTOR_CONFIG_DEF.validate(props))
    return { connectorClass, descriptor, values, errorCount: countErrors(values) }
  }
  try {
    descriptor = registry.resolveConnector(connectorClass.trim())
  } catch (err) {
    values.push(...COMMON_CONNECTOR_CONFIG_DEF.validate(props).filter(v => v.name !== CONNECTOR_CLASS_CONFIG))
    extra(CONNECTOR_CLASS_CONFIG, (err as Error).message)
    return { connectorClass, descriptor, values, errorCount: countErrors(values) }
  }

  const connector = descriptor.create()
  const frameworkDef = descriptor.kind === 'sink' ? SINK_CONNECTOR_CONFIG_DEF : SOURCE_CONNECTOR_CONFIG_DEF
  values.push(...frameworkDef.validate(props))
  const own = connector.validate ? connector.validate(props) : connector.config().validate(props)
  for (const v of own) {
    const existing = values.find(x => x.name === v.name)
    if (existing) existing.errors.push(...v.errors.filter(e => !existing.errors.includes(e)))
    else values.push(v)
  }

  if (descriptor.kind === 'sink') {
    const topics = (props[TOPICS_CONFIG] ?? '').trim()
    const regex = (props[TOPICS_REGEX_CONFIG] ?? '').trim()
    if (topics !== '' && regex !== '') {
      const msg = 'topics and topics.regex are mutually exclusive options, but both are set.'
      extra(TOPICS_CONFIG, msg)
      extra(TOPICS_REGEX_CONFIG, msg)
    } else if (topics === '' && regex === '') {
      const msg = 'Must configure one of topics or topics.regex'
      extra(TOPICS_CONFIG, msg)
      extra(TOPICS_REGEX_CONFIG, msg)
    }
    if (regex !== '') {
      // Apache validates it with RegexValidator (java.util.regex.Pattern); the consumer then matches whole topic names.
      try { compileJavaRegex(TOPICS_REGEX_CONFIG, regex) } catch (err) { extra(TOPICS_REGEX_CONFIG, (err as Error).message) }
    }
  }

  // CLASS-typed keys must resolve now, so a typo fails before anything starts.
  for (const [key, kinds] of [
    [KEY_CONVERTER_CLASS_CONFIG, ['converter']],
    [VALUE_CONVERTER_CLASS_CONFIG, ['converter']],
    [HEADER_CONVERTER_CLASS_CONFIG, ['header_converter']]
  ] as const) {
    const name = props[key]?.trim()
    if (name) {
      try { registry.resolve(name, kinds, key) } catch (err) { extra(key, (err as Error).message) }
    }
  }
  const predicateAliases = aliasList(props[PREDICATES_CONFIG])
  for (const [listKey, kind] of [[TRANSFORMS_CONFIG, 'transformation'], [PREDICATES_CONFIG, 'predicate']] as const) {
    const aliases = aliasList(props[listKey])
    if (new Set(aliases).size !== aliases.length) extra(listKey, `Invalid value ${props[listKey]} for configuration ${listKey}: Duplicate alias provided.`)
    for (const alias of aliases) {
      const prefix = `${listKey}.${alias}.`
      if (kind === 'transformation') values.push(...stageKeys(props, prefix, predicateAliases))
      const typeKey = `${prefix}type`
      const type = props[typeKey]?.trim()
      if (!type) { extra(typeKey, `Missing required configuration "${typeKey}" which has no default value.`); continue }
      let plugin: PluginDescriptor<'transformation' | 'predicate'>
      try { plugin = registry.resolve(type, [kind], typeKey) } catch (err) { extra(typeKey, (err as Error).message); continue }
      values.push(...embeddedValidation(plugin, props, prefix, `${listKey === TRANSFORMS_CONFIG ? 'Transforms' : 'Predicates'}: ${alias}`, extra))
    }
  }
  return { connectorClass, descriptor, values, errorCount: countErrors(values) }
}

function aliasList (value: string | undefined): string[] {
  return value === undefined || value.trim() === '' ? [] : value.trim().split(/\s*,\s*/)
}

/** The `predicate` and `negate` keys every transformation gets implicitly (Kafka's TransformationStage), under `prefix`. */
function transformationStageDef (prefix: string): ConfigDef {
  return new ConfigDef()
    .define({ name: `${prefix}${TRANSFORM_PREDICATE_CONFIG}`, type: 'string', default: null, importance: 'medium', documentation: 'The alias of a predicate used to determine whether to apply this transformation.' })
    .define({ name: `${prefix}${TRANSFORM_NEGATE_CONFIG}`, type: 'boolean', default: false, importance: 'medium', documentation: 'Whether the configured predicate should be negated.' })
}

/** The stage keys validated, with the cross-key problems Kafka reports on them. */
function stageKeys (props: Readonly<Record<string, string>>, prefix: string, predicateAliases: readonly string[]): ConfigValue[] {
  const predicateKey = `${prefix}${TRANSFORM_PREDICATE_CONFIG}`
  const negateKey = `${prefix}${TRANSFORM_NEGATE_CONFIG}`
  const out = transformationStageDef(prefix).validate(props)
  const predicate = props[predicateKey]?.trim()
  if (props[negateKey] !== undefined && (predicate === undefined || predicate === '')) {
    out[1]!.errors.push(`Config '${negateKey}' was provided but there is no config '${predicateKey}' defining a predicate to be negated.`)
  }
  // Apache finds an undefined alias only when the task starts (the task then fails); we report it here, per key.
  if (predicate && !predicateAliases.includes(predicate)) {
    out[0]!.errors.push(`Invalid value ${predicate} for configuration ${predicateKey}: Predicate alias ${predicate} is not defined in ${PREDICATES_CONFIG} (${predicateAliases.length === 0 ? 'none are' : `defined: ${predicateAliases.join(', ')}`})`)
  }
  return out
}

/**
 * A transformation's or predicate's own keys, validated under its prefix (Kafka's ConnectorConfig enrichment). When
 * they are all valid, the plugin is also configured once, so that cross-key problems that only configure() sees
 * fail validation rather than the task later; such an error is reported on the `type` key.
 */
function embeddedValidation (
  plugin: PluginDescriptor<'transformation' | 'predicate'>, props: Readonly<Record<string, string>>, prefix: string, group: string,
  extra: (name: string, error: string) => void
): ConfigValue[] {
  let instance: { config: () => ConfigDef, configure: (c: Readonly<Record<string, string>>) => void, close?: () => void }
  try { instance = plugin.create() } catch (err) { extra(`${prefix}type`, (err as Error).message); return [] }
  const def = instance.config().embed(prefix, group)
  // The implicit stage keys mask a plugin's own keys of the same name, as in Kafka.
  const out = def.validate(props).filter(v => v.name !== `${prefix}${TRANSFORM_PREDICATE_CONFIG}` && v.name !== `${prefix}${TRANSFORM_NEGATE_CONFIG}`)
  if (out.every(v => v.errors.length === 0)) {
    const own: Record<string, string> = {}
    for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) own[k.slice(prefix.length)] = v
    try { instance.configure(own) } catch (err) { extra(`${prefix}type`, (err as Error).message) }
    try { instance.close?.() } catch { /* a validation instance has nothing worth reporting at close */ }
  }
  return out
}

function countErrors (values: readonly ConfigValue[]): number {
  return values.reduce((n, v) => n + v.errors.length, 0)
}

/** Throws one ConfigError listing every problem (start-up path). */
export function ensureValidConnectorConfig (props: Readonly<Record<string, string>>, registry: PluginRegistry, where: string): PluginDescriptor<'source' | 'sink'> {
  const result = validateConnectorConfig(props, registry)
  const problems = result.values.flatMap(v => v.errors.map(e => e.includes(v.name) ? e : `${v.name}: ${e}`))
  if (result.connectorClass === undefined || result.connectorClass.trim() === '') {
    problems.unshift(`Connector config ${where} contains no connector type (set "${CONNECTOR_CLASS_CONFIG}")`)
  }
  if (problems.length > 0 || !result.descriptor) {
    const unique = [...new Set(problems)]
    throw new ConfigError(unique.length === 1
      ? `${unique[0]} (${where})`
      : `Connector configuration is invalid and contains the following ${unique.length} error(s) (${where}):\n  - ${unique.join('\n  - ')}`,
    { problems: unique })
  }
  return result.descriptor
}

// ---- The typed view (Apache's ConnectorConfig / SinkConnectorConfig / SourceConnectorConfig getters) ----------------

/** A connector's error-handling settings (errors.*). */
export interface ErrorHandlingConfig {
  tolerance: 'none' | 'all'
  retryTimeoutMs: number
  retryDelayMaxMs: number
  logEnable: boolean
  logIncludeMessages: boolean
  /** The DLQ topic, or null when there is none (sources: only with errors.deadletterqueue.source.enable). */
  dlqTopic: string | null
  dlqReplicationFactor: number
  dlqContextHeaders: boolean
}

/** Beyond Apache: automatic restarts of failed tasks (errors.task.restart.*). */
export interface TaskRestartPolicyConfig {
  maxAttempts: number
  initialBackoffMs: number
  maxBackoffMs: number
}

/** A connector's own converter (`key.converter` and its `key.converter.*` settings, prefix removed). */
export interface ConverterConfig { className: string, props: Record<string, string> }

export interface PredicateConfig {
  alias: string
  /** The `type` as written: resolving it (and its error) belongs to whoever creates the plugin. */
  type: string
  /** The predicate's own settings, prefix removed. */
  props: Record<string, string>
}

export interface TransformationConfig {
  alias: string
  type: string
  props: Record<string, string>
  /** The alias of the predicate that guards it, checked to be one of `predicates`. */
  predicate: string | null
  negate: boolean
}

/** `transforms` in order and the `predicates` they may name. */
export interface TransformationChainConfig {
  transformations: TransformationConfig[]
  predicates: PredicateConfig[]
}

/** The framework keys the runtime reads; ConnectorConfig.parse parses exactly these (name and class are the herder's). */
const COMMON_RUNTIME_KEYS = [
  TASKS_MAX_CONFIG, TASKS_MAX_ENFORCE_CONFIG, KEY_CONVERTER_CLASS_CONFIG, VALUE_CONVERTER_CLASS_CONFIG, HEADER_CONVERTER_CLASS_CONFIG,
  TRANSFORMS_CONFIG, PREDICATES_CONFIG, CONFIG_RELOAD_ACTION_CONFIG, ERRORS_RETRY_TIMEOUT_CONFIG, ERRORS_RETRY_MAX_DELAY_CONFIG,
  ERRORS_TOLERANCE_CONFIG, ERRORS_LOG_ENABLE_CONFIG, ERRORS_LOG_INCLUDE_MESSAGES_CONFIG,
  TASK_RESTART_MAX_ATTEMPTS_CONFIG, TASK_RESTART_BACKOFF_INITIAL_MS_CONFIG, TASK_RESTART_BACKOFF_MAX_MS_CONFIG
]
const DLQ_KEYS = [DLQ_TOPIC_NAME_CONFIG, DLQ_TOPIC_REPLICATION_FACTOR_CONFIG, DLQ_CONTEXT_HEADERS_ENABLE_CONFIG]
const TOPIC_CREATION_GROUPS_CONFIG = 'topic.creation.groups'

/** The definitions of `names`, taken from `def`: defaults, types and validators stay where they are defined. */
function pick (def: ConfigDef, names: readonly string[]): ConfigDef {
  const out = new ConfigDef()
  for (const name of names) {
    const key = def.get(name)
    if (!key) throw new Error(`Configuration ${name} is not defined`)
    out.define(key)
  }
  return out
}

const SINK_RUNTIME_DEF = pick(SINK_CONNECTOR_CONFIG_DEF, [...COMMON_RUNTIME_KEYS, TOPICS_CONFIG, TOPICS_REGEX_CONFIG, ...DLQ_KEYS])
const SOURCE_RUNTIME_DEF = pick(SOURCE_CONNECTOR_CONFIG_DEF, [...COMMON_RUNTIME_KEYS, TOPIC_CREATION_GROUPS_CONFIG, DLQ_SOURCE_ENABLE_CONFIG, ...DLQ_KEYS])
const RESTART_DEF = pick(COMMON_CONNECTOR_CONFIG_DEF, [TASK_RESTART_MAX_ATTEMPTS_CONFIG, TASK_RESTART_BACKOFF_INITIAL_MS_CONFIG, TASK_RESTART_BACKOFF_MAX_MS_CONFIG])
const TOPICS_DEF = pick(SINK_CONNECTOR_CONFIG_DEF, [TOPICS_CONFIG, TOPICS_REGEX_CONFIG])
const CHAIN_DEF = pick(COMMON_CONNECTOR_CONFIG_DEF, [TRANSFORMS_CONFIG, PREDICATES_CONFIG])

function restartPolicyOf (c: ParsedConfig): TaskRestartPolicyConfig {
  return {
    maxAttempts: c.int(TASK_RESTART_MAX_ATTEMPTS_CONFIG),
    initialBackoffMs: c.long(TASK_RESTART_BACKOFF_INITIAL_MS_CONFIG),
    maxBackoffMs: c.long(TASK_RESTART_BACKOFF_MAX_MS_CONFIG)
  }
}

/** errors.task.restart.* alone (the restart policy's tests). */
export function taskRestartPolicyConfig (props: Readonly<Record<string, string>>): TaskRestartPolicyConfig {
  return restartPolicyOf(RESTART_DEF.parse(props))
}

function chainOf (c: ParsedConfig, props: Readonly<Record<string, string>>): TransformationChainConfig {
  const predicates = c.list(PREDICATES_CONFIG).map(alias => {
    const prefix = `${PREDICATES_CONFIG}.${alias}.`
    return { alias, type: props[`${prefix}type`] ?? '', props: c.originalsWithPrefix(prefix) }
  })
  const transformations = c.list(TRANSFORMS_CONFIG).map(alias => {
    const prefix = `${TRANSFORMS_CONFIG}.${alias}.`
    const predicateKey = `${prefix}${TRANSFORM_PREDICATE_CONFIG}`
    const negateKey = `${prefix}${TRANSFORM_NEGATE_CONFIG}`
    const stage = transformationStageDef(prefix).parse(props)
    const predicate = stage.string(predicateKey) || null
    if (props[negateKey] !== undefined && predicate === null) {
      throw new ConfigError(`Config '${negateKey}' was provided but there is no config '${predicateKey}' defining a predicate to be negated.`)
    }
    if (predicate !== null && !predicates.some(p => p.alias === predicate)) {
      throw new ConfigError(`Invalid value ${predicate} for configuration ${predicateKey}: Predicate alias ${predicate} is not defined in ${PREDICATES_CONFIG}`)
    }
    return { alias, type: props[`${prefix}type`] ?? '', props: c.originalsWithPrefix(prefix), predicate, negate: stage.boolean(negateKey) }
  })
  return { transformations, predicates }
}

/** `transforms` and `predicates` alone (the chain's tests, the dry run). */
export function transformationChainConfig (props: Readonly<Record<string, string>>): TransformationChainConfig {
  return chainOf(CHAIN_DEF.parse(props), props)
}

function topicsOf (c: ParsedConfig): { topics: string[], topicsRegex: string } {
  return { topics: [...new Set(c.list(TOPICS_CONFIG).filter(t => t !== ''))], topicsRegex: c.string(TOPICS_REGEX_CONFIG) ?? '' }
}

/**
 * A sink's `topics` and `topics.regex` alone. The offsets endpoints read them from the config as stored, whose other
 * keys may still hold provider variables that would not parse.
 */
export function sinkTopicsConfig (props: Readonly<Record<string, string>>): { topics: string[], topicsRegex: string } {
  return topicsOf(TOPICS_DEF.parse(props))
}

function converterOf (c: ParsedConfig, key: string): ConverterConfig | null {
  const className = c.string(key)
  return className ? { className, props: c.originalsWithPrefix(`${key}.`) } : null
}

/**
 * A connector's settings as the runtime uses them, parsed once from its (resolved) config by the framework
 * definitions. Parsing throws a ConfigError naming every bad key; a config that passed validation parses.
 */
export abstract class ConnectorConfig {
  readonly tasksMax: number
  /** tasks.max.enforce: a connector that generates more task configs than tasks.max fails. */
  readonly enforceTasksMax: boolean
  readonly reloadAction: 'none' | 'restart'
  readonly errors: ErrorHandlingConfig
  readonly restartPolicy: TaskRestartPolicyConfig
  readonly transformationChain: TransformationChainConfig
  /** The connector's own converters; null where the worker's apply. */
  readonly keyConverter: ConverterConfig | null
  readonly valueConverter: ConverterConfig | null
  readonly headerConverter: ConverterConfig | null
  abstract readonly kind: 'source' | 'sink'
  readonly #parsed: ParsedConfig

  protected constructor (parsed: ParsedConfig, props: Readonly<Record<string, string>>, dlqWanted: boolean) {
    this.#parsed = parsed
    this.tasksMax = parsed.int(TASKS_MAX_CONFIG)
    this.enforceTasksMax = parsed.boolean(TASKS_MAX_ENFORCE_CONFIG)
    this.reloadAction = parsed.string(CONFIG_RELOAD_ACTION_CONFIG) === 'none' ? 'none' : 'restart'
    const dlqTopic = parsed.string(DLQ_TOPIC_NAME_CONFIG) ?? ''
    this.errors = {
      tolerance: parsed.string(ERRORS_TOLERANCE_CONFIG) === 'all' ? 'all' : 'none',
      retryTimeoutMs: parsed.long(ERRORS_RETRY_TIMEOUT_CONFIG),
      retryDelayMaxMs: parsed.long(ERRORS_RETRY_MAX_DELAY_CONFIG),
      logEnable: parsed.boolean(ERRORS_LOG_ENABLE_CONFIG),
      logIncludeMessages: parsed.boolean(ERRORS_LOG_INCLUDE_MESSAGES_CONFIG),
      dlqTopic: dlqWanted && dlqTopic !== '' ? dlqTopic : null,
      dlqReplicationFactor: parsed.int(DLQ_TOPIC_REPLICATION_FACTOR_CONFIG),
      dlqContextHeaders: parsed.boolean(DLQ_CONTEXT_HEADERS_ENABLE_CONFIG)
    }
    this.restartPolicy = restartPolicyOf(parsed)
    this.transformationChain = chainOf(parsed, props)
    this.keyConverter = converterOf(parsed, KEY_CONVERTER_CLASS_CONFIG)
    this.valueConverter = converterOf(parsed, VALUE_CONVERTER_CLASS_CONFIG)
    this.headerConverter = converterOf(parsed, HEADER_CONVERTER_CLASS_CONFIG)
  }

  /** The settings under `prefix` as written, prefix removed (`producer.override.`, `consumer.override.`). */
  originalsWithPrefix (prefix: string): Record<string, string> {
    return this.#parsed.originalsWithPrefix(prefix)
  }
}

/** The error-handling settings of a connector that sets none (the definitions' defaults): fail on the first error. */
export function defaultErrorHandlingConfig (): ErrorHandlingConfig {
  return SourceConnectorConfig.parse({}).errors
}

/** The sink's or the source's typed config, by the connector's kind. */
export function parseConnectorConfig (props: Readonly<Record<string, string>>, kind: 'sink'): SinkConnectorConfig
export function parseConnectorConfig (props: Readonly<Record<string, string>>, kind: 'source'): SourceConnectorConfig
export function parseConnectorConfig (props: Readonly<Record<string, string>>, kind: 'source' | 'sink'): SinkConnectorConfig | SourceConnectorConfig
export function parseConnectorConfig (props: Readonly<Record<string, string>>, kind: 'source' | 'sink'): SinkConnectorConfig | SourceConnectorConfig {
  return kind === 'sink' ? SinkConnectorConfig.parse(props) : SourceConnectorConfig.parse(props)
}

export class SinkConnectorConfig extends ConnectorConfig {
  readonly kind = 'sink'
  /** `topics`, without repeats or empty entries; [] when the connector subscribes by `topics.regex`. */
  readonly topics: string[]
  /** `topics.regex` as written (Java's Pattern syntax); '' when unset. */
  readonly topicsRegex: string

  private constructor (parsed: ParsedConfig, props: Readonly<Record<string, string>>) {
    super(parsed, props, true)
    const { topics, topicsRegex } = topicsOf(parsed)
    this.topics = topics
    this.topicsRegex = topicsRegex
  }

  static parse (props: Readonly<Record<string, string>>): SinkConnectorConfig {
    return new SinkConnectorConfig(SINK_RUNTIME_DEF.parse(props), props)
  }
}

export class SourceConnectorConfig extends ConnectorConfig {
  readonly kind = 'source'
  readonly topicCreationGroups: string[]
  /** Beyond Apache: errors.deadletterqueue.source.enable. */
  readonly dlqSourceEnable: boolean

  private constructor (parsed: ParsedConfig, props: Readonly<Record<string, string>>) {
    super(parsed, props, parsed.boolean(DLQ_SOURCE_ENABLE_CONFIG))
    this.topicCreationGroups = parsed.list(TOPIC_CREATION_GROUPS_CONFIG)
    this.dlqSourceEnable = parsed.boolean(DLQ_SOURCE_ENABLE_CONFIG)
  }

  static parse (props: Readonly<Record<string, string>>): SourceConnectorConfig {
    return new SourceConnectorConfig(SOURCE_RUNTIME_DEF.parse(props), props)
  }
}

export { PluginError }

/** A sink connector's consumer group: its `consumer.override.group.id` when set, else Apache's `connect-<name>`. */
export function sinkGroupId (name: string, config: Readonly<Record<string, string>>): string {
  return config['consumer.override.group.id']?.trim() || `connect-${name}`
}
