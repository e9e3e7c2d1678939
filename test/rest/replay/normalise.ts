/**
 * What the replay compares: a recorded response after normalising exactly what must differ between two workers
 * (the values behind the scenario's placeholders, versions, commit and cluster ids, timestamps, and stack traces past
 * their first line), and a readable list of the differences that remain.
 */
import { VAR_NAMES, type RecordedResponse, type Step, type Vars } from './scenario.ts'

export interface Comparable {
  status: number
  contentType: string | null
  location: string | null
  body: unknown
}

/**
 * Apache's JSON beans, whose property order is fixed (Jackson: creator properties first); every other object is a
 * Java map (connector configs, the expand map, loggers, offset partitions), whose key order is HashMap order and
 * means nothing, so its keys are sorted before comparing.
 */
const BEANS: ReadonlyArray<readonly string[]> = [
  ['version', 'commit', 'kafka_cluster_id'],
  ['status', 'message'],
  ['error_code', 'message'],
  ['name', 'config', 'tasks', 'type'],
  ['name', 'connector', 'tasks', 'type'],
  ['state', 'worker_id'],
  ['state', 'worker_id', 'trace'],
  ['id', 'state', 'worker_id'],
  ['id', 'state', 'worker_id', 'trace'],
  // Since Kafka 4.1 (KIP-891) with the plugin's version.
  ['state', 'worker_id', 'version'],
  ['state', 'worker_id', 'version', 'trace'],
  ['id', 'state', 'worker_id', 'version'],
  ['id', 'state', 'worker_id', 'version', 'trace'],
  ['connector', 'task'],
  ['id', 'config'],
  ['name', 'error_count', 'groups', 'configs'],
  ['definition', 'value'],
  // ConfigKeyInfo: Kafka 4.3 serialises order_in_group where earlier versions had order (last).
  ['name', 'type', 'required', 'default_value', 'importance', 'documentation', 'group', 'order_in_group', 'width', 'display_name', 'dependents'],
  ['name', 'type', 'required', 'default_value', 'importance', 'documentation', 'group', 'width', 'display_name', 'dependents', 'order'],
  ['name', 'value', 'recommended_values', 'errors', 'visible'],
  ['class', 'type', 'version'],
  ['class', 'type'],
  ['level', 'last_modified'],
  ['partition', 'offset'],
  ['offsets'],
  ['message'],
  ['topics']
]
const BEAN_KEYS = new Set(BEANS.map(keys => [...keys].sort().join('\u0000')))

export function isBean (value: Record<string, unknown>): boolean {
  return BEAN_KEYS.has(Object.keys(value).sort().join('\u0000'))
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

function isObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Every runner-specific value, longest first, with the placeholder that replaces it. */
function replacements (vars: Vars): Array<[string, string]> {
  return VAR_NAMES.map(name => [vars[name], `<${name}>`] as [string, string])
    .filter(([value]) => value !== '')
    .sort((a, b) => b[0].length - a[0].length)
}

function replaceAll (text: string, reps: ReadonlyArray<[string, string]>): string {
  let out = text
  for (const [value, placeholder] of reps) out = out.split(value).join(placeholder)
  return out
}

/**
 * The first line of a stack trace, without the exception's class (Java's `org.apache.kafka.connect.errors.ConnectException: `
 * and our `ConnectError: ` name the same failure in two languages): the message is what users read.
 */
export function traceHead (trace: string): string {
  const first = trace.split('\n')[0]!.trim()
  return first.replace(/^[\w.$]*(?:Exception|Error)(?::\s*|$)/, '')
}

/**
 * Plugins only ours ships (issue 13: Confluent's Schema Registry converters and kafka-connect-datagen's connector;
 * issue 15: Debezium's PostgresConnector, JDBC sink and ExtractNewRecordState):
 * left out of plugin lists in messages and of recommended converter values, so the rest is compared. The
 * connector-plugins listings compare shared plugins only (`shared-plugins`), which names these.
 */
const OURS_ONLY_PLUGINS: ReadonlySet<string> = new Set([
  'io.confluent.connect.avro.AvroConverter', 'io.confluent.connect.json.JsonSchemaConverter',
  'io.confluent.connect.protobuf.ProtobufConverter', 'io.confluent.kafka.connect.datagen.DatagenConnector',
  'io.debezium.transforms.ExtractNewRecordState', 'io.debezium.connector.postgresql.PostgresConnector',
  'io.debezium.connector.jdbc.JdbcSinkConnector'
])
const OURS_ONLY_PLUGIN_DESC = /PluginDesc\{klass=class (io\.(?:confluent|debezium)\.[\w.]+), [^}]*\}, /g

function walk (value: unknown, reps: ReadonlyArray<[string, string]>, key: string | null, step: Step): Json {
  if (typeof value === 'string') {
    const text = replaceAll(value, reps).replace(OURS_ONLY_PLUGIN_DESC, (whole, cls: string) => OURS_ONLY_PLUGINS.has(cls) ? '' : whole)
    if (key === 'trace') return `<trace> ${traceHead(text)}`
    return text
  }
  if (Array.isArray(value)) {
    const items = key === 'recommended_values' ? value.filter(v => typeof v !== 'string' || !OURS_ONLY_PLUGINS.has(v)) : value
    return items.map(v => walk(v, reps, null, step))
  }
  if (isObject(value)) {
    const entries: Array<[string, Json]> = Object.entries(value).map(([k, v]) => [replaceAll(k, reps), walk(v, reps, k, step)])
    const out: Record<string, Json> = {}
    const bean = isBean(value)
    for (const [k, v] of bean ? entries : entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) out[k] = v
    if (bean) {
      // Values that identify the build or the cluster, not the behaviour.
      if ('kafka_cluster_id' in out) { out.kafka_cluster_id = '<kafka_cluster_id>'; out.version = '<version>'; out.commit = '<commit>' }
      if (('class' in out || 'worker_id' in out) && typeof out.version === 'string') out.version = '<version>'
      if ('last_modified' in out && typeof out.last_modified === 'number') out.last_modified = '<timestamp>'
      // The plugin versions of a connector config (KIP-891): Apache's plugins are 4.3.1, some of ours are this package's.
      if (typeof out.name === 'string' && out.name.endsWith('.plugin.version')) {
        if (typeof out.default_value === 'string') out.default_value = '<version>'
        if (typeof out.value === 'string') out.value = '<version>'
        if (Array.isArray(out.recommended_values)) out.recommended_values = out.recommended_values.map(() => '<version>')
      }
    }
    return out
  }
  return (value ?? null) as Json
}

/** A request's path or body with the placeholders put back. */
export function normaliseText (text: string, vars: Vars): string {
  return replaceAll(text, replacements(vars))
}

export function normalise (step: Step, response: RecordedResponse, vars: Vars): Comparable {
  const reps = replacements(vars)
  let body = walk(response.body, reps, null, step)
  if (step.compare === 'unordered-names' && Array.isArray(body)) body = [...body].sort()
  return {
    status: response.status,
    contentType: response.contentType === null ? null : response.contentType.toLowerCase().replace(/\s+/g, ''),
    location: response.location === null ? null : replaceAll(response.location, reps),
    body
  }
}

/**
 * For the steps that list what a worker ships (plugins, loggers), keeps only what both list, and says what was
 * left out: the sets differ by design (the JVM creates a logger for every Java class it loads; we have fewer
 * classes), so only the shared part can be compared, plus any logger of ours that has no Java-style name.
 */
export function shared (step: Step, apache: Comparable, ours: Comparable): { apache: Comparable, ours: Comparable, note: string | null } {
  if (step.compare === 'shared-plugins' && Array.isArray(apache.body) && Array.isArray(ours.body)) {
    const id = (p: unknown): string => `${String((p as { class?: unknown }).class)} (${String((p as { type?: unknown }).type)})`
    const a = new Set(apache.body.map(id))
    const o = new Set(ours.body.map(id))
    const onlyApache = [...a].filter(x => !o.has(x))
    const onlyOurs = [...o].filter(x => !a.has(x))
    return {
      apache: { ...apache, body: apache.body.filter(p => o.has(id(p))) },
      ours: { ...ours, body: ours.body.filter(p => a.has(id(p))) },
      note: `${a.size - onlyApache.length} plugins shared; only Apache: ${onlyApache.join(', ') || 'none'}; only ours: ${onlyOurs.join(', ') || 'none'}`
    }
  }
  if (step.compare === 'shared-loggers' && isObject(apache.body) && isObject(ours.body)) {
    const a = apache.body
    const o = ours.body
    const common = Object.keys(a).filter(k => k in o)
    // Ours must still answer to Java names (README): a logger of ours with a bare name is compared, and so differs.
    const bare = Object.keys(o).filter(k => !(k in a) && k !== 'root' && !k.includes('.'))
    const pick = (m: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> => Object.fromEntries(keys.map(k => [k, m[k]]))
    return {
      apache: { ...apache, body: pick(a, common) },
      ours: { ...ours, body: pick(o, [...common, ...bare]) },
      note: `${common.length} loggers shared (${common.join(', ')}); ${Object.keys(a).length - common.length} only in Apache, ${Object.keys(o).length - common.length} only in ours`
    }
  }
  return { apache, ours, note: null }
}

/** An identity for the elements of arrays compared as sets-with-order (configs, plugins, key infos). */
function identity (v: unknown): string | null {
  if (!isObject(v)) return null
  const value = v.value
  if (isObject(value) && typeof value.name === 'string') return value.name
  if (typeof v.name === 'string' && 'type' in v) return v.name
  if (typeof v.class === 'string') return `${v.class}/${String(v.type)}`
  return null
}

const show = (v: unknown): string => {
  const text = JSON.stringify(v)
  return text === undefined ? 'undefined' : text.length > 300 ? `${text.slice(0, 300)}…` : text
}

/** Every difference between two normalised values, one line each, with its JSON path. */
export function differences (apache: unknown, ours: unknown, path = '', out: string[] = []): string[] {
  if (Array.isArray(apache) && Array.isArray(ours)) {
    const ids = [...apache, ...ours].map(identity)
    if (ids.length > 0 && ids.every(id => id !== null)) {
      const a = new Map(apache.map(v => [identity(v)!, v]))
      const o = new Map(ours.map(v => [identity(v)!, v]))
      for (const [id, v] of a) if (!o.has(id)) out.push(`${path}[${id}]: only in Apache: ${show(v)}`)
      for (const [id, v] of o) if (!a.has(id)) out.push(`${path}[${id}]: only in ours: ${show(v)}`)
      const commonA = [...a.keys()].filter(id => o.has(id))
      const commonO = [...o.keys()].filter(id => a.has(id))
      if (commonA.join('\n') !== commonO.join('\n')) out.push(`${path}: order differs: Apache ${show(commonA)}, ours ${show(commonO)}`)
      for (const id of commonA) differences(a.get(id), o.get(id), `${path}[${id}]`, out)
      return out
    }
    for (let i = 0; i < Math.max(apache.length, ours.length); i++) {
      if (i >= apache.length) out.push(`${path}[${i}]: only in ours: ${show(ours[i])}`)
      else if (i >= ours.length) out.push(`${path}[${i}]: only in Apache: ${show(apache[i])}`)
      else differences(apache[i], ours[i], `${path}[${i}]`, out)
    }
    return out
  }
  if (isObject(apache) && isObject(ours)) {
    for (const k of Object.keys(apache)) if (!(k in ours)) out.push(`${path}.${k}: only in Apache: ${show(apache[k])}`)
    for (const k of Object.keys(ours)) if (!(k in apache)) out.push(`${path}.${k}: only in ours: ${show(ours[k])}`)
    const ka = Object.keys(apache).filter(k => k in ours)
    const ko = Object.keys(ours).filter(k => k in apache)
    if (ka.join('\n') !== ko.join('\n')) out.push(`${path}: property order differs: Apache ${show(ka)}, ours ${show(ko)}`)
    for (const k of ka) differences(apache[k], ours[k], `${path}.${k}`, out)
    return out
  }
  if (JSON.stringify(apache) !== JSON.stringify(ours)) out.push(`${path || '(value)'}: Apache ${show(apache)}, ours ${show(ours)}`)
  return out
}
