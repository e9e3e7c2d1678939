/**
 * The keys every connector accepts (Kafka's ConnectorConfig, SinkConnectorConfig and SourceConnectorConfig), and the
 * one validation path used at start-up (and later by the REST API): it collects every problem, never throws for bad
 * input.
 */
import {
  ConfigDef, ConfigError, NonEmptyStringWithoutControlChars, Range, ValidList, ValidString, PluginError,
  type ConfigValue, type PluginDescriptor, type Validator
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

/** The `predicate` and `negate` keys every transformation gets implicitly (Kafka's TransformationStage). */
function stageKeys (props: Readonly<Record<string, string>>, prefix: string, predicateAliases: readonly string[]): ConfigValue[] {
  const predicateKey = `${prefix}${TRANSFORM_PREDICATE_CONFIG}`
  const negateKey = `${prefix}${TRANSFORM_NEGATE_CONFIG}`
  const def = new ConfigDef()
    .define({ name: predicateKey, type: 'string', default: null, importance: 'medium', documentation: 'The alias of a predicate used to determine whether to apply this transformation.' })
    .define({ name: negateKey, type: 'boolean', default: false, importance: 'medium', documentation: 'Whether the configured predicate should be negated.' })
  const out = def.validate(props)
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

export { PluginError }
