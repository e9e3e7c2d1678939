/**
 * The one connector validation path of the REST API (POST /connectors, PUT and PATCH .../config and
 * PUT /connector-plugins/{plugin}/config/validate), answering Apache's ConfigInfos shape. It starts from
 * validateConnectorConfig (the start-up checks) and adds the definition of every key: the connector framework's
 * keys, the connector's own ConfigDef, each transformation and predicate under `transforms.<alias>.` /
 * `predicates.<alias>.` (Apache's "enriched" ConfigDef), and the connector's own converters under their prefixes.
 */
import { hasVariables } from '../config/config-transformer.ts'
import {
  ConfigDef, ConfigError, Password, PluginError, parseType, ErrorCode,
  type ConfigKeyDef, type ConfigValue, type ConfigValueType, type PluginDescriptor
} from '../api/index.ts'
import { BadRequestError } from '../rest/errors.ts'
import {
  CONNECTOR_CLASS_CONFIG, HEADER_CONVERTER_CLASS_CONFIG, KEY_CONVERTER_CLASS_CONFIG, PREDICATES_CONFIG,
  SINK_CONNECTOR_CONFIG_DEF, SOURCE_CONNECTOR_CONFIG_DEF, TRANSFORMS_CONFIG, VALUE_CONVERTER_CLASS_CONFIG,
  validateConnectorConfig
} from '../config/connector-config.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import { javaHashMapOrder, javaStringHash } from '../java/hash-map.ts'
import type { WorkerConverterSettings } from './connector-converters.ts'
import type { ConfigInfo, ConfigInfos, ConfigKeyInfo, ConfigValueInfo } from '../rest/entities.ts'

// The REST bodies this file builds are the REST layer's entities.
export type { ConfigInfo, ConfigInfos, ConfigKeyInfo, ConfigValueInfo } from '../rest/entities.ts'

/** The plugin versions a framework listing shows (KIP-891): the connector's, and the converters' when known. */
export interface FrameworkVersions { connector: string, key: string | null, value: string | null, header: string | null }

/**
 * Keys of Apache 4.3's connector framework definition that our start-up definitions (src/config/connector-config.ts)
 * do not have, because a worker here has one version of each plugin and no exactly-once support: each goes right
 * after the key named. They are listed and validated like the others, and otherwise ignored.
 */
function versionKeys (kind: 'source' | 'sink', versions: FrameworkVersions): Array<{ after: string, key: ConfigKeyDef }> {
  const version = (name: string, of: string, value: string | null, importance: 'medium' | 'low', orderInGroup: number, width: 'short' | 'medium', displayName: string): ConfigKeyDef => ({
    name, type: 'string', default: value, importance, group: 'Common', orderInGroup, width, displayName, recommendedValues: value === null ? [] : [value],
    documentation: `The version of the ${of} plugin to use; this worker has exactly one version of each plugin.`
  })
  const keys = [
    { after: CONNECTOR_CLASS_CONFIG, key: version('connector.plugin.version', 'connector', versions.connector, 'medium', 3, 'medium', 'Connector version') },
    { after: KEY_CONVERTER_CLASS_CONFIG, key: version('key.converter.plugin.version', 'key converter', versions.key, 'low', 7, 'short', 'Key converter version') },
    { after: VALUE_CONVERTER_CLASS_CONFIG, key: version('value.converter.plugin.version', 'value converter', versions.value, 'low', 9, 'short', 'Value converter version') },
    { after: HEADER_CONVERTER_CLASS_CONFIG, key: version('header.converter.plugin.version', 'header converter', versions.header, 'low', 11, 'short', 'Header converter version') }
  ]
  if (kind === 'source') {
    keys.push({
      after: 'transaction.boundary',
      key: {
        name: 'transaction.boundary.interval.ms', type: 'long', default: null, importance: 'low', group: 'Exactly Once Support',
        orderInGroup: 4, width: 'short', displayName: 'Transaction boundary interval',
        documentation: 'Accepted for compatibility; standalone mode has no exactly-once source support and ignores it.'
      }
    })
  }
  return keys
}

/**
 * The framework keys of a connector kind as Apache 4.3 lists them (its order, the version keys included), each with
 * the layout (group, order, width, display name) its definition carries. `overrides` replaces keys by name (the
 * worker-aware converter defaults of validation).
 */
export function frameworkKeys (kind: 'source' | 'sink', versions: FrameworkVersions, overrides: ReadonlyMap<string, ConfigKeyDef> = new Map()): ConfigKeyDef[] {
  const def = kind === 'sink' ? SINK_CONNECTOR_CONFIG_DEF : SOURCE_CONNECTOR_CONFIG_DEF
  const extra = versionKeys(kind, versions)
  const out: ConfigKeyDef[] = []
  for (const k of def.keys()) {
    out.push(overrides.get(k.name) ?? k)
    for (const e of extra) if (e.after === k.name) out.push(overrides.get(e.key.name) ?? e.key)
  }
  return out
}

interface KeyEntry { key: ConfigKeyDef }

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

/**
 * A key's definition as Apache's REST API shows it, with the layout its definition carries; a key without layout
 * shows Apache's defaults (order -1, width NONE, its name as display name).
 */
export function configKeyInfo (key: ConfigKeyDef): ConfigKeyInfo {
  return {
    name: key.name,
    type: key.type.toUpperCase(),
    required: isRequired(key),
    default_value: defaultToString(key),
    importance: key.importance.toUpperCase(),
    documentation: key.documentation,
    group: key.group ?? null,
    order_in_group: key.orderInGroup ?? -1,
    width: (key.width ?? 'none').toUpperCase(),
    display_name: key.displayName ?? key.name,
    dependents: [...(key.dependents ?? [])]
  }
}

const byJavaOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

function aliasList (value: string | undefined): string[] {
  return value === undefined || value.trim() === '' ? [] : [...new Set(value.trim().split(/\s*,\s*/))]
}

/**
 * Kafka's ConfigDef.embed as the enrichment uses it: keys renamed under `prefix` (their display name stays the plain
 * name), grouped as `group`, numbered in order from `startOrder`.
 */
function embedKeys (def: ConfigDef, prefix: string, group: string, startOrder: number): ConfigKeyDef[] {
  let order = startOrder
  return def.keys().map(k => ({ ...k, name: prefix + k.name, displayName: k.displayName ?? k.name, group: k.group ? `${group}: ${k.group}` : group, orderInGroup: order++ }))
}

/**
 * The definitions that apply to a connector config, in Apache's order: the framework keys (with the worker-aware
 * converter keys of `overrides`), then each transformation's and predicate's keys under their prefix: its type, its
 * version, its own keys, and for a transformation `negate` and `predicate`.
 */
export function enrichedKeys (props: Readonly<Record<string, string>>, descriptor: PluginDescriptor<'source' | 'sink'>, registry: PluginRegistry,
  versions: FrameworkVersions = { connector: descriptor.version, key: null, value: null, header: null }, overrides: ReadonlyMap<string, ConfigKeyDef> = new Map()): KeyEntry[] {
  const entries: KeyEntry[] = []
  const seen = new Set<string>()
  const add = (key: ConfigKeyDef): void => {
    if (seen.has(key.name)) return
    seen.add(key.name)
    entries.push({ key })
  }
  for (const k of frameworkKeys(descriptor.kind, versions, overrides)) add(k)

  const enrich = (listKey: string, kind: 'transformation' | 'predicate', label: string, groupLabel: string): void => {
    const title = kind === 'transformation' ? 'Transformation' : 'Predicate'
    for (const alias of aliasList(props[listKey])) {
      const prefix = `${listKey}.${alias}.`
      const group = `${groupLabel}: ${alias}`
      const type = props[`${prefix}type`]?.trim()
      const plugin = type ? registry.find(type, [kind]) : undefined
      add({
        name: `${prefix}type`, type: 'class', importance: 'high', documentation: `Class for the '${alias}' ${label}.`,
        group, orderInGroup: 0, width: 'long', displayName: `${title} type for ${alias}`,
        recommendedValues: registry.list([kind]).map(p => p.descriptor.className).sort(byJavaOrder)
      })
      add({
        name: `${prefix}plugin.version`, type: 'string', default: plugin?.version ?? null, importance: 'high',
        documentation: `The version of the '${alias}' ${label} plugin; this worker has exactly one version of each plugin.`,
        group, orderInGroup: 1, width: 'long', displayName: `${title} version for ${alias}`,
        recommendedValues: plugin ? [plugin.version] : []
      })
      const child = new ConfigDef()
      if (plugin) {
        try {
          for (const k of plugin.create().config().keys()) child.define(k)
        } catch {
          // A plugin whose config() throws contributes no keys; its type key reports the problem at start.
        }
      }
      if (kind === 'transformation') {
        if (!child.has('negate')) child.define({ name: 'negate', type: 'boolean', default: false, importance: 'medium', documentation: 'Whether the configured predicate should be negated.' })
        if (!child.has('predicate')) child.define({ name: 'predicate', type: 'string', default: null, importance: 'medium', documentation: 'The alias of a predicate used to determine whether to apply this transformation.' })
      }
      for (const k of embedKeys(child, prefix, group, 2)) add(k)
    }
  }
  enrich(TRANSFORMS_CONFIG, 'transformation', 'transformation', 'Transforms')
  enrich(PREDICATES_CONFIG, 'predicate', 'predicate', 'Predicates')
  return entries
}

const CONVERTER_KEYS: ReadonlyArray<readonly [string, 'converter' | 'header_converter', 'keyConverter' | 'valueConverter' | 'headerConverter', 'key' | 'value' | 'header']> = [
  [KEY_CONVERTER_CLASS_CONFIG, 'converter', 'keyConverter', 'key'],
  [VALUE_CONVERTER_CLASS_CONFIG, 'converter', 'valueConverter', 'value'],
  [HEADER_CONVERTER_CLASS_CONFIG, 'header_converter', 'headerConverter', 'header']
]

/**
 * The keys of each converter the connector config sets, under its prefix (their display name stays the plain name),
 * with their values; listed in the order of a java.util.HashMap of the plain names, as Apache's come.
 */
function converterKeys (props: Readonly<Record<string, string>>, registry: PluginRegistry): Array<{ prefix: string, keys: ConfigKeyDef[], values: ConfigValue[] }> {
  const out: Array<{ prefix: string, keys: ConfigKeyDef[], values: ConfigValue[] }> = []
  for (const [key, kind] of CONVERTER_KEYS) {
    const name = props[key]?.trim()
    if (!name) continue
    const plugin = registry.find(name, [kind]) as PluginDescriptor<'converter' | 'header_converter'> | undefined
    if (!plugin) continue
    const prefix = `${key}.`
    let def: ConfigDef
    try { def = plugin.create().config() } catch { continue }
    const sub: Record<string, string> = {}
    for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) sub[k.slice(prefix.length)] = v
    // Apache tells a converter whether it converts keys, values or headers through converter.type.
    if (def.has('converter.type')) sub['converter.type'] = key === KEY_CONVERTER_CLASS_CONFIG ? 'key' : key === VALUE_CONVERTER_CLASS_CONFIG ? 'value' : 'header'
    const ordered = javaHashMapOrder(def.keys().map(k => [k.name, k] as const), javaStringHash).map(([, k]) => k)
    const values = new Map(def.validate(sub).map(v => [v.name, v]))
    out.push({
      prefix,
      keys: ordered.map(k => ({ ...k, name: prefix + k.name, displayName: k.displayName ?? k.name })),
      values: ordered.map(k => ({ ...values.get(k.name)!, name: prefix + k.name }))
    })
  }
  return out
}

/**
 * The worker-aware parts of Apache's validation: the versions of the plugins the connector would use, and the
 * converter keys with the worker's converters as defaults and every converter as recommended value.
 */
function workerAware (props: Readonly<Record<string, string>>, descriptor: PluginDescriptor<'source' | 'sink'>, registry: PluginRegistry,
  worker: WorkerConverterSettings | undefined): { versions: FrameworkVersions, overrides: Map<string, ConfigKeyDef>, resolved: Map<string, string> } {
  const versions: FrameworkVersions = { connector: descriptor.version, key: null, value: null, header: null }
  const overrides = new Map<string, ConfigKeyDef>()
  const resolved = new Map<string, string>()
  const def = descriptor.kind === 'sink' ? SINK_CONNECTOR_CONFIG_DEF : SOURCE_CONNECTOR_CONFIG_DEF
  for (const [key, kind, workerKey, which] of CONVERTER_KEYS) {
    const own = props[key]?.trim()
    const fallback = worker?.[workerKey].className
    const workerPlugin = fallback ? registry.find(fallback, [kind]) : undefined
    const plugin = own ? registry.find(own, [kind]) : workerPlugin
    if (plugin) {
      versions[which] = plugin.version
      resolved.set(key, plugin.className)
    }
    const base = def.get(key)
    if (base && worker) {
      overrides.set(key, {
        ...base,
        default: workerPlugin?.className ?? fallback ?? null,
        recommendedValues: registry.list([kind]).map(p => p.descriptor.className).sort(byJavaOrder)
      })
    }
  }
  return { versions, overrides, resolved }
}

export interface ConnectorConfigCheck {
  infos: ConfigInfos
  descriptor: PluginDescriptor<'source' | 'sink'>
  /** Keys whose values are PASSWORD-typed: never shown through the REST API. */
  passwordKeys: Set<string>
}

/** Java's Map.toString of a HashMap for the "contains no connector type" message (HashMap iteration order). */
function mapToString (props: Readonly<Record<string, string>>): string {
  const entries = javaHashMapOrder(Object.entries(props), javaStringHash)
  return `{${entries.map(([k, v]) => `${k}=${v}`).join(', ')}}`
}

/** Apache's message for an unknown connector class, which lists every connector plugin as Java's PluginDesc prints. */
function unknownConnectorMessage (name: string, registry: PluginRegistry): string {
  const connectors = registry.list(['sink', 'source']).map(p => p.descriptor)
    .sort((a, b) => byJavaOrder(a.className, b.className) || byJavaOrder(a.version, b.version))
  // Every plugin here is loaded from this process's modules: "classpath" is where Apache's built-ins come from.
  const desc = (d: PluginDescriptor): string =>
    `PluginDesc{klass=class ${d.className}, name='${d.className}', version='${d.version}', encodedVersion=${d.version}, type=${d.kind}, typeName='${d.kind}', location='classpath'}`
  return `Failed to find any class that implements Connector and which name matches ${name}, available connectors are: ${connectors.map(desc).join(', ')}`
}

/**
 * Validates a connector config and describes every key. Throws BadRequestError when there is no `connector.class`
 * or when it names no known connector (400, as Apache 4.3). With the worker's converters, the converter keys show
 * them as defaults, as Apache's validation does.
 */
export function checkConnectorConfig (props: Readonly<Record<string, string>>, registry: PluginRegistry, worker?: WorkerConverterSettings): ConnectorConfigCheck {
  const connectorClass = props[CONNECTOR_CLASS_CONFIG]
  if (connectorClass === undefined || connectorClass.trim() === '') {
    throw new BadRequestError(`Connector config ${mapToString(props)} contains no connector type`)
  }
  let descriptor: PluginDescriptor<'source' | 'sink'>
  try {
    descriptor = registry.resolveConnector(connectorClass.trim())
  } catch (err) {
    if (err instanceof PluginError && err.code !== ErrorCode.PLUGIN_NOT_FOUND) throw err
    throw new BadRequestError(unknownConnectorMessage(connectorClass.trim(), registry), { cause: err })
  }
  const base = validateConnectorConfig(props, registry)
  const byName = new Map<string, ConfigValue>()
  for (const v of base.values) {
    const existing = byName.get(v.name)
    if (existing) existing.errors.push(...v.errors.filter(e => !existing.errors.includes(e)))
    else byName.set(v.name, { ...v, errors: [...v.errors] })
  }

  const aware = workerAware(props, descriptor, registry, worker)
  const entries = enrichedKeys(props, descriptor, registry, aware.versions, aware.overrides)
  // The connector's own keys (Apache appends them after the enriched framework keys).
  const ownDef = descriptor.create().config()
  const seen = new Set(entries.map(e => e.key.name))
  for (const k of ownDef.keys()) if (!seen.has(k.name)) { entries.push({ key: k }); seen.add(k.name) }

  // Values for the keys that validateConnectorConfig does not compute (versions, transformations, predicates).
  const enrichedDef = new ConfigDef()
  for (const e of entries) if (!byName.has(e.key.name)) enrichedDef.define(e.key)
  for (const v of enrichedDef.validate(props)) byName.set(v.name, v)

  const converters = converterKeys(props, registry)
  for (const c of converters) {
    for (const k of c.keys) if (!seen.has(k.name)) { entries.push({ key: k }); seen.add(k.name) }
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
    configs.push({ definition: null, value: valueInfo(v, undefined, undefined) })
  }
  for (const e of entries) {
    const v = byName.get(e.key.name)
    const value = v ?? { name: e.key.name, value: undefined, rawValue: props[e.key.name], recommendedValues: [], errors: [], visible: true }
    const info = valueInfo(value, e.key, e.key.recommendedValues)
    // A CLASS value names the class it resolved to, as Java prints a Class.
    const className = aware.resolved.get(e.key.name)
    if (className !== undefined && info.errors.length === 0) info.value = className
    configs.push({ definition: configKeyInfo(e.key), value: info })
  }
  const groups: string[] = []
  for (const c of configs) {
    const g = c.definition?.group
    if (g && !groups.includes(g)) groups.push(g)
  }
  const errorCount = configs.reduce((n, c) => n + c.value.errors.length, 0)
  return { infos: { name: connectorClass, error_count: errorCount, groups, configs }, descriptor, passwordKeys }
}

/**
 * A key's value as Apache shows it: its parsed value in text form, or null when it is missing or does not parse.
 * A value that does not parse, or a missing required one, is also checked by the key's validator with no value
 * (Kafka's ConfigDef does, so a Range adds "Value must be non-null").
 */
function valueInfo (v: ConfigValue, key: ConfigKeyDef | undefined, recommended: readonly string[] | undefined): ConfigValueInfo {
  const type = key?.type ?? 'string'
  let value: string | null
  const errors = [...v.errors]
  if (v.value === undefined && errors.length > 0) {
    let parsed: ConfigValueType | undefined
    if (v.rawValue !== undefined) {
      try { parsed = parseType(v.name, v.rawValue, type) } catch { parsed = undefined }
    }
    value = parsed === undefined ? null : valueToString(parsed, type)
    if (parsed === undefined && key?.validator) {
      try {
        key.validator.ensureValid(key.name, null)
      } catch (err) {
        if (err instanceof ConfigError) errors.push(...err.problems.filter(p => !errors.includes(p)))
      }
    }
  } else {
    value = valueToString(v.value, type)
  }
  if (value !== null && v.name.endsWith(URL_WITH_CREDENTIALS_KEY)) value = hideUrlCredentials(value)
  return {
    name: v.name,
    value,
    recommended_values: v.recommendedValues.length > 0 ? [...v.recommendedValues] : [...(recommended ?? [])],
    errors,
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

/**
 * A copy of `config` with PASSWORD-typed values replaced by `[hidden]`, unless the value is a config provider
 * variable (`${file:/creds:password}`): that says where the secret lives, not what it is, and shows as written.
 */
export function redact (config: Readonly<Record<string, string>>, passwordKeys: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(config)) {
    out[k] = passwordKeys.has(k) && !hasVariables(v) ? Password.HIDDEN : k.endsWith(URL_WITH_CREDENTIALS_KEY) ? hideUrlCredentials(v) : v
  }
  return out
}

/**
 * A Schema Registry URL may carry its Basic auth credentials (basic.auth.credentials.source=URL, Confluent's
 * default): shown without them, as `http://[hidden]@host`.
 */
const URL_WITH_CREDENTIALS_KEY = 'schema.registry.url'
export function hideUrlCredentials (value: string): string {
  return value.replace(/(\w+:\/\/)[^/@\s,]*@/g, `$1${Password.HIDDEN}@`)
}
