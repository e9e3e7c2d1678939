/**
 * Translates Java client settings from worker files (`producer.*`, `consumer.*`, `admin.*`) into librdkafka
 * properties. Java names that librdkafka spells the same pass through; renamed ones are translated; Java-only
 * settings that have no meaning here are dropped with a warning that names them; anything else is given to librdkafka,
 * which rejects unknown names — that rejection is turned into a ConfigError naming the worker key.
 */
import { ConfigError } from '../api/index.ts'

export type ClientKind = 'producer' | 'consumer' | 'admin'
export type ClientProps = Record<string, string | number | boolean>

export interface TranslatedClientConfig {
  /** Global librdkafka properties. */
  global: ClientProps
  /** Topic-level properties (auto.offset.reset must go here for node-rdkafka consumers). */
  topic: ClientProps
  /** Worker keys, as written, of each librdkafka property (for error messages). */
  origin: Map<string, string>
  /** Warnings about settings that were dropped. */
  warnings: string[]
}

type Translation = string | ((value: string, key: string) => Array<[string, string | number | boolean]>)

const ASSIGNORS: Record<string, string> = {
  'org.apache.kafka.clients.consumer.RangeAssignor': 'range',
  'org.apache.kafka.clients.consumer.RoundRobinAssignor': 'roundrobin',
  'org.apache.kafka.clients.consumer.CooperativeStickyAssignor': 'cooperative-sticky',
  range: 'range', roundrobin: 'roundrobin', 'cooperative-sticky': 'cooperative-sticky'
}

/** Java name → librdkafka name (or a function producing several properties). */
const RENAMED: Record<string, Translation> = {
  'sasl.mechanism': 'sasl.mechanisms',
  'buffer.memory': v => [['queue.buffering.max.kbytes', Math.max(1, Math.floor(Number(v) / 1024))]],
  'max.request.size': 'message.max.bytes',
  'delivery.timeout.ms': 'message.timeout.ms',
  'fetch.max.wait.ms': 'fetch.wait.max.ms',
  'receive.buffer.bytes': v => Number(v) === -1 ? [] : [['socket.receive.buffer.bytes', Number(v)]],
  'send.buffer.bytes': v => Number(v) === -1 ? [] : [['socket.send.buffer.bytes', Number(v)]],
  'partition.assignment.strategy': (v, key) => {
    const mapped = v.split(/\s*,\s*/).map(a => {
      const m = ASSIGNORS[a]
      if (!m) throw new ConfigError(`Invalid value ${v} for configuration ${key}: librdkafka supports RangeAssignor, RoundRobinAssignor and CooperativeStickyAssignor`)
      return m
    })
    return [['partition.assignment.strategy', mapped.join(',')]]
  },
  'security.protocol': v => [['security.protocol', v.toLowerCase()]]
}

/** Java-only settings with no librdkafka meaning: dropped, with a warning naming them. */
const IGNORED = new Set([
  'key.serializer', 'value.serializer', 'key.deserializer', 'value.deserializer', 'max.block.ms',
  'interceptor.classes', 'metric.reporters', 'metrics.num.samples', 'metrics.sample.window.ms', 'metrics.recording.level',
  'auto.include.jmx.reporter', 'partitioner.class', 'default.api.timeout.ms', 'allow.auto.create.topics'
])

/** Settings the runtime owns: a user value would break Connect's guarantees. */
const FORCED: Partial<Record<ClientKind, Set<string>>> = {
  consumer: new Set(['enable.auto.commit'])
}

const TOPIC_LEVEL = new Set(['auto.offset.reset'])

export function translateClientConfig (kind: ClientKind, settings: Readonly<Record<string, string>>, prefix: string): TranslatedClientConfig {
  const out: TranslatedClientConfig = { global: {}, topic: {}, origin: new Map(), warnings: [] }
  for (const [key, value] of Object.entries(settings)) {
    const workerKey = prefix + key
    if (IGNORED.has(key)) {
      out.warnings.push(`Ignoring ${workerKey}: it has no equivalent in librdkafka`)
      continue
    }
    if (FORCED[kind]?.has(key)) {
      out.warnings.push(`Ignoring ${workerKey}: Connect manages this setting itself`)
      continue
    }
    const t = RENAMED[key]
    const pairs: Array<[string, string | number | boolean]> = t === undefined ? [[key, value]] : typeof t === 'string' ? [[t, value]] : t(value, workerKey)
    for (const [k, v] of pairs) {
      if (TOPIC_LEVEL.has(k)) out.topic[k] = v
      else out.global[k] = v
      out.origin.set(k, workerKey)
    }
  }
  return out
}

/** librdkafka's "No such configuration property: x" → a ConfigError naming the worker key. */
export function explainClientConfigError (err: unknown, origin: ReadonlyMap<string, string>, where: string): Error {
  const message = err instanceof Error ? err.message : String(err)
  const m = /configuration property[^"']*["']?([\w.-]+)["']?/i.exec(message)
  const prop = m?.[1]
  const workerKey = prop ? origin.get(prop) : undefined
  if (workerKey) {
    return new ConfigError(`Unsupported or invalid Kafka client setting ${workerKey} in ${where}: ${message}`, { cause: err })
  }
  return new ConfigError(`Invalid Kafka client configuration in ${where}: ${message}`, { cause: err })
}
