/**
 * TimestampRouter (Kafka's org.apache.kafka.connect.transforms.TimestampRouter): rewrites the topic from a template
 * holding ${topic} and ${timestamp}, the timestamp written by java.text.SimpleDateFormat (see util/simple-date-format.ts).
 */
import { ConfigDef, DataError, newRecord, plugin, javaString } from '../api/index.ts'
import type { AnyRecord, Schema, Transformation } from '../api/index.ts'
import { SimpleDateFormat } from './util/simple-date-format.ts'

export { SimpleDateFormat }

/** Java's ConnectSchema.toString. */
function schemaString (schema: Schema | null): string {
  if (!schema) return 'null'
  return schema.name ? `Schema{${schema.name}:${schema.type.toUpperCase()}}` : `Schema{${schema.type.toUpperCase()}}`
}

const offsetString = (m: Readonly<Record<string, unknown>> | null): string =>
  m === null ? 'null' : `{${Object.entries(m).map(([k, v]) => `${k}=${javaString(v)}`).join(', ')}}`

/** Java's SourceRecord/SinkRecord toString, used in Kafka's error messages. */
export function javaRecordString (r: AnyRecord): string {
  const head = r.kind === 'source'
    ? `SourceRecord{sourcePartition=${offsetString(r.sourcePartition)}, sourceOffset=${offsetString(r.sourceOffset)}}`
    : `SinkRecord{kafkaOffset=${r.kafkaOffset}, timestampType=${r.timestampType}, originalTopic=${r.originalTopic}, originalKafkaPartition=${r.originalKafkaPartition}, originalKafkaOffset=${r.originalKafkaOffset}}`
  const headers = r.headers.toArray().map(h => `ConnectHeader(key=${h.key}, value=${javaString(h.value)}, schema=${schemaString(h.schema)})`).join(', ')
  return `${head} ConnectRecord{topic='${r.topic}', kafkaPartition=${r.kafkaPartition ?? 'null'}, key=${javaString(r.key)}, keySchema=${schemaString(r.keySchema)}, ` +
    `value=${javaString(r.value)}, valueSchema=${schemaString(r.valueSchema)}, timestamp=${r.timestamp ?? 'null'}, headers=ConnectHeaders(headers=${headers})}`
}

export class TimestampRouter implements Transformation {
  readonly kind = 'transformation'
  static readonly CONFIG_DEF = new ConfigDef()
    .define({ name: 'topic.format', type: 'string', default: '${topic}-${timestamp}', importance: 'high', documentation: 'Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively.' })
    .define({ name: 'timestamp.format', type: 'string', default: 'yyyyMMdd', importance: 'high', documentation: 'Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.' })

  #topicFormat = ''
  #pattern: string | null = null
  #format: SimpleDateFormat | null = null

  configure (configs: Readonly<Record<string, string>>): void {
    const config = TimestampRouter.CONFIG_DEF.parse(configs)
    this.#topicFormat = config.string('topic.format')!
    this.#pattern = config.string('timestamp.format')!
    this.#format = null
  }

  apply<R extends AnyRecord> (record: R): R {
    if (this.#pattern === null) throw new Error('TimestampRouter is not configured')
    if (record.timestamp === null) throw new DataError(`Timestamp missing on record: ${javaRecordString(record)}`)
    // Kafka builds the SimpleDateFormat lazily (a ThreadLocal), so an invalid pattern fails the first record with
    // the IllegalArgumentException message ("Illegal pattern character 'b'"), not configure(); so does this.
    this.#format ??= new SimpleDateFormat(this.#pattern)
    // Literal replacement of every occurrence, topic first (so a topic containing "${timestamp}" is expanded too).
    const topic = this.#topicFormat.split('${topic}').join(record.topic).split('${timestamp}').join(this.#format.format(record.timestamp))
    return newRecord(record, { topic } as Partial<R>)
  }

  config (): ConfigDef { return TimestampRouter.CONFIG_DEF }
}

export const descriptors = [
  plugin({ kind: 'transformation', className: 'org.apache.kafka.connect.transforms.TimestampRouter', version: '4.3.1', create: () => new TimestampRouter() })
]
