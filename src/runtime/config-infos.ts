/**
 * The one connector validation path of the REST API (POST /connectors, PUT and PATCH .../config and
 * PUT /connector-plugins/{plugin}/config/validate), answering Apache's ConfigInfos shape. It starts from
 * validateConnectorConfig (the start-up checks) and adds the definition of every key: the connector framework's
 * keys, the connector's own ConfigDef, each transformation and predicate under `transforms.<alias>.` /
 * `predicates.<alias>.` (Apache's "enriched" ConfigDef), and the connector's own converters under their prefixes.
 */
import {
  BadRequestError, ConfigDef, Password, PluginError, parseType, ErrorCode,
  type ConfigKeyDef, type ConfigValue, type ConfigValueType, type PluginDescriptor, type PluginKind
} from '../api/index.ts'
import {
  CONNECTOR_CLASS_CONFIG, HEADER_CONVERTER_CLASS_CONFIG, KEY_CONVERTER_CLASS_CONFIG, PREDICATES_CONFIG,
  SINK_CONNECTOR_CONFIG_DEF, SOURCE_CONNECTOR_CONFIG_DEF, TRANSFORMS_CONFIG, VALUE_CONVERTER_CLASS_CONFIG,
  validateConnectorConfig
} from '../config/connector-config.ts'
import type { PluginRegistry } from '../plugins/registry.ts'

/** Jackson property order of Apache's ConfigKeyInfo. */
export interface ConfigKeyInfo {
  name: string
  type: string
  required: boolean
  default_value: string | null
  importance: string
  documentation: string | null
  group: string | null
  width: string
  display_name: string
  dependents: string[]
  order: number
}

export interface ConfigValueInfo {
  name: string
  value: string | null
  recommended_values: string[]
  errors: string[]
  visible: boolean
}

export interface ConfigInfo { definition: ConfigKeyInfo | null, value: ConfigValueInfo }

export interface ConfigInfos {
  name: string
  error_count: number
  groups: string[]
  configs: ConfigInfo[]
}

/**
 * Apache's order, width and display name of the framework keys (ConnectorConfig, SinkConnectorConfig), which the
 * start-up ConfigDefs do not carry. Keys not listed show Apache's defaults (order -1, width NONE, name as display).
 */
const FRAMEWORK_LAYOUT: Readonly<Record<string, { order: number, width: string, display: string }>> = {
  name: { order: 1, width: 'MEDIUM', display: 'Connector name' },
  'connector.class': { order: 2, width: 'LONG', display: 'Connector class' },
  'tasks.max': { order: 3, width: 'SHORT', display: 'Tasks max' },
  'key.converter': { order: 4, width: 'SHORT', display: 'Key converter class' },
  'value.converter': { order: 5, width: 'SHORT', display: 'Value converter class' },
  'header.converter': { order: 6, width: 'SHORT', display: 'Header converter class' },
  transforms: { order: 7, width: 'LONG', display: 'Transforms' },
  predicates: { order: 8, width: 'LONG', display: 'Predicates' },
  'config.action.reload': { order: 9, width: 'MEDIUM', display: 'Reload Action' },
  'errors.retry.timeout': { order: 1, width: 'MEDIUM', display: 'Retry Timeout for Errors' },
  'errors.retry.delay.max.ms': { order: 2, width: 'MEDIUM', display: 'Maximum Delay Between Retries for Errors' },
  'errors.tolerance': { order: 3, width: 'SHORT', display: 'Error Tolerance' },
  'errors.log.enable': { order: 4, width: 'SHORT', display: 'Log Errors' },
  'errors.log.include.messages': { order: 5, width: 'SHORT', display: 'Log Error Details' },
  topics: { order: 4, width: 'LONG', display: 'Topics' },
  'topics.regex': { order: 4, width: 'LONG', display: 'Topics regex' },
  'errors.deadletterqueue.topic.name': { order: 6, width: 'MEDIUM', display: 'Dead Letter Queue Topic Name' },
  'errors.deadletterqueue.topic.replication.factor': { order: 7, width: 'MEDIUM', display: 'Dead Letter Queue Topic Replication Factor' },
  'errors.deadletterqueue.context.headers.enable': { order: 8, width: 'MEDIUM', display: 'Enable Error Context Headers' }
}

interface KeyEntry { key: ConfigKeyDef, framework: boolean }

function isRequired (key: ConfigKeyDef): boolean {
  return !('default' in key) || key.default === undefined
}

/** Kafka's ConfigDef.convertToString for a parsed value. */
export function valueToString (value: ConfigValueType | undefined, type: ConfigKeyDef['type']): string | null {
  if (value === undefined || value === null) return null
  if (value instanceof Password || type === 'password') return Password.HIDDEN
  if (Array.isArray(value)) return value.join(',')
  return String(value)
}

function defaultToString (key: ConfigKeyDef): string | null {
  if (isRequired(key) || key.default === null) return null
  let value: ConfigValueType
  try {
    value = typeof key.default === 'string' ? parseType(key.name, key.default, key.type) : key.default as ConfigValueType
  } catch {
    value = String(key.default)
  }
  return valueToString(value, key.type)
}

export function configKeyInfo (key: ConfigKeyDef, framework = false): ConfigKeyInfo {
  const layout = framework ? FRAMEWORK_LAYOUT[key.name] : undefined
  return {
    name: key.name,
    type: key.type.toUpperCase(),
    required: isRequired(key),
    default_value: defaultToString(key),
    importance: key.importance.toUpperCase(),
    documentation: key.documentation,
    group: key.group ?? null,
    width: (key.width ?? layout?.width ?? 'none').toUpperCase(),
    display_name: key.displayName ?? layout?.display ?? key.name,
    dependents: [...(key.dependents ?? [])],
    order: key.orderInGroup ?? layout?.order ?? -1
  }
}

function aliasList (value: string | undefined): string[] {
  return value === undefined || value.trim() === '' ? [] : [...new Set(value.trim().split(/\s*,\s*/))]
}

/**
 * Kafka's ConfigDef.embed as the enrichment uses it: keys renamed under `prefix`, grouped as `group`, numbered in
 * order from `startOrder`.
 */
function embedKeys (def: ConfigDef, prefix: string, group: string, startOrder: number): ConfigKeyDef[] {
  let order = startOrder
  return def.keys().map(k => ({ ...k, name: prefix + k.name, group: k.group ? `${group}: ${k.group}` : group, orderInGroup: order++ }))
}

/** The definitions that apply to a connector config, in Apache's order, plus the group names in order. */
export function enrichedKeys (props: Readonly<Record<string, string>>, descriptor: PluginDescriptor<'source' | 'sink'>, registry: PluginRegistry): KeyEntry[] {
  const entries: KeyEntry[] = []
  const seen = new Set<string>()
  const add = (key: ConfigKeyDef, framework = false): void => {
    if (seen.has(key.name)) return
    seen.add(key.name)
    entries.push({ key, framework })
  }
  const frameworkDef = descriptor.kind === 'sink' ? SINK_CONNECTOR_CONFIG_DEF : SOURCE_CONNECTOR_CONFIG_DEF
  for (const k of frameworkDef.keys()) add(k, true)

  const enrich = (listKey: string, kind: 'transformation' | 'predicate', label: string, groupLabel: string): void => {
    for (const alias of aliasList(props[listKey])) {
      const prefix = `${listKey}.${alias}.`
      const group = `${groupLabel}: ${alias}`
      add({
        name: `${prefix}type`, type: 'class', importance: 'high', documentation: `Class for the '${alias}' ${label}.`,
        group, orderInGroup: 0, width: 'long', displayName: `${kind === 'transformation' ? 'Transformation' : 'Predicate'} type for ${alias}`,
        recommendedValues: registry.list([kind]).map(p => p.descriptor.className)
      })
      const child = new ConfigDef()
      if (kind === 'transformation') {
        child.define({ name: 'predicate', type: 'string', default: '', importance: 'medium', documentation: 'The alias of a predicate used to determine whether to apply this transformation.' })
        child.define({ name: 'negate', type: 'boolean', default: false, importance: 'medium', documentation: 'Whether the configured predicate should be negated.' })
      }
      const type = props[`${prefix}type`]?.trim()
      const plugin = type ? registry.find(type, [kind]) : undefined
      if (plugin) {
        try {
          for (const k of plugin.create().config().keys()) {
            if (!child.has(k.name)) child.define(k)
          }
        } catch {
          // A plugin whose config() throws contributes no keys; its type key reports the problem at start.
        }
      }
      for (const k of embedKeys(child, prefix, group, 1)) add(k)
    }
  }
  enrich(TRANSFORMS_CONFIG, 'transformation', 'transformation', 'Transforms')
  enrich(PREDICATES_CONFIG, 'predicate', 'predicate', 'Predicates')
  return entries
}

function converterKeys (props: Readonly<Record<string, string>>, registry: PluginRegistry): Array<{ prefix: string, keys: ConfigKeyDef[], values: ConfigValue[] }> {
  const out: Array<{ prefix: string, keys: ConfigKeyDef[], values: ConfigValue[] }> = []
  for (const [key, kind] of [[KEY_CONVERTER_CLASS_CONFIG, 'converter'], [VALUE_CONVERTER_CLASS_CONFIG, 'converter'], [HEADER_CONVERTER_CLASS_CONFIG, 'header_converter']] as Array<[string, PluginKind]>) {
    const name = props[key]?.trim()
    if (!name) continue
    const plugin = registry.find(name, [kind]) as PluginDescriptor<'converter' | 'header_converter'> | undefined
    if (!plugin) continue
    const prefix = `${key}.`
    let def: ConfigDef
    try { def = plugin.create().config() } catch { continue }
    const sub: Record<string, string> = {}
    for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) sub[k.slice(prefix.length)] = v
    // Apache tells a converter whether it converts keys or values through converter.type.
    if (kind === 'converter' && def.has('converter.type')) sub['converter.type'] = key === KEY_CONVERTER_CLASS_CONFIG ? 'key' : 'value'
    const values = def.validate(sub).map(v => ({ ...v, name: prefix + v.name }))
    out.push({ prefix, keys: def.keys().map(k => ({ ...k, name: prefix + k.name })), values })
  }
  return out
}

export interface ConnectorConfigCheck {
  infos: ConfigInfos
  descriptor: PluginDescriptor<'source' | 'sink'>
  /** Keys whose values are PASSWORD-typed: never shown through the REST API. */
  passwordKeys: Set<string>
}

/** Java's Map.toString for the "contains no connector type" message. */
function mapToString (props: Readonly<Record<string, string>>): string {
  return `{${Object.entries(props).map(([k, v]) => `${k}=${v}`).join(', ')}}`
}

/**
 * Validates a connector config and describes every key. Throws BadRequestError when there is no `connector.class`,
 * and PluginError (500, as Apache) when it names no known connector.
 */
export function checkConnectorConfig (props: Readonly<Record<string, string>>, registry: PluginRegistry): ConnectorConfigCheck {
  const connectorClass = props[CONNECTOR_CLASS_CONFIG]
  if (connectorClass === undefined || connectorClass.trim() === '') {
    throw new BadRequestError(`Connector config ${mapToString(props)} contains no connector type`)
  }
  let descriptor: PluginDescriptor<'source' | 'sink'>
  try {
    descriptor = registry.resolveConnector(connectorClass.trim())
  } catch (err) {
    if (err instanceof PluginError) throw err
    throw new PluginError((err as Error).message, { cause: err }, ErrorCode.PLUGIN_NOT_FOUND)
  }
  const base = validateConnectorConfig(props, registry)
  const byName = new Map<string, ConfigValue>()
  for (const v of base.values) {
    const existing = byName.get(v.name)
    if (existing) existing.errors.push(...v.errors.filter(e => !existing.errors.includes(e)))
    else byName.set(v.name, { ...v, errors: [...v.errors] })
  }

  const entries = enrichedKeys(props, descriptor, registry)
  // The connector's own keys (Apache appends them after the enriched framework keys).
  const ownDef = descriptor.create().config()
  const seen = new Set(entries.map(e => e.key.name))
  for (const k of ownDef.keys()) if (!seen.has(k.name)) { entries.push({ key: k, framework: false }); seen.add(k.name) }

  // Values for the enriched transform/predicate keys that validateConnectorConfig does not compute.
  const enrichedDef = new ConfigDef()
  for (const e of entries) if (!byName.has(e.key.name)) enrichedDef.define(e.key)
  for (const v of enrichedDef.validate(props)) byName.set(v.name, v)

  const converters = converterKeys(props, registry)
  for (const c of converters) {
    for (const k of c.keys) if (!seen.has(k.name)) { entries.push({ key: k, framework: false }); seen.add(k.name) }
    for (const v of c.values) {
      const existing = byName.get(v.name)
      if (existing) existing.errors.push(...v.errors.filter(e => !existing.errors.includes(e)))
      else byName.set(v.name, v)
    }
  }

  const passwordKeys = new Set(entries.filter(e => e.key.type === 'password').map(e => e.key.name))
  const configs: ConfigInfo[] = []
  // Values with no definition come first, as Apache's generateResult lists them.
  for (const v of byName.values()) {
    if (seen.has(v.name)) continue
    configs.push({ definition: null, value: valueInfo(v, 'string', undefined) })
  }
  for (const e of entries) {
    const v = byName.get(e.key.name)
    const value = v ?? { name: e.key.name, value: undefined, rawValue: props[e.key.name], recommendedValues: [], errors: [], visible: true }
    configs.push({ definition: configKeyInfo(e.key, e.framework), value: valueInfo(value, e.key.type, e.key.recommendedValues) })
  }
  const groups: string[] = []
  for (const e of entries) {
    const g = e.key.group
    if (g && !groups.includes(g) && !converters.some(c => e.key.name.startsWith(c.prefix))) groups.push(g)
  }
  const errorCount = configs.reduce((n, c) => n + c.value.errors.length, 0)
  return { infos: { name: connectorClass, error_count: errorCount, groups, configs }, descriptor, passwordKeys }
}

function valueInfo (v: ConfigValue, type: ConfigKeyDef['type'], recommended: readonly string[] | undefined): ConfigValueInfo {
  const value = v.errors.length > 0 && v.value === undefined
    ? (v.rawValue === undefined ? null : type === 'password' ? Password.HIDDEN : v.rawValue.trim())
    : valueToString(v.value, type)
  return {
    name: v.name,
    value,
    recommended_values: v.recommendedValues.length > 0 ? [...v.recommendedValues] : [...(recommended ?? [])],
    errors: [...v.errors],
    visible: v.visible
  }
}

/** Apache's 400 message for an invalid connector config. */
export function invalidConfigMessage (infos: ConfigInfos): string {
  const lines = [`Connector configuration is invalid and contains the following ${infos.error_count} error(s):`]
  for (const c of infos.configs) for (const e of c.value.errors) lines.push(e)
  lines.push('You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`')
  return lines.join('\n')
}

/** The PASSWORD-typed keys of a config, for redaction (best effort when the config no longer resolves). */
export function passwordKeysOf (props: Readonly<Record<string, string>>, registry: PluginRegistry): Set<string> {
  try {
    return checkConnectorConfig(props, registry).passwordKeys
  } catch {
    return new Set()
  }
}

/** A copy of `config` with PASSWORD-typed values replaced by `[hidden]`. */
export function redact (config: Readonly<Record<string, string>>, passwordKeys: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(config)) out[k] = passwordKeys.has(k) ? Password.HIDDEN : v
  return out
}
