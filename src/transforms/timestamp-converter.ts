/**
 * TimestampConverter (Kafka's TimestampConverter$Key / $Value): converts a whole key/value or one top-level field
 * between string (SimpleDateFormat, UTC), unix (epoch in a chosen precision) and the Date/Time/Timestamp logical types.
 * Everything goes through epoch milliseconds, so sub-millisecond precision is lost, as in Kafka.
 */
import {
  ConfigDef, ConfigError, ConnectDate, ConnectError, ConnectTime, ConnectTimestamp, DataError, SchemaBuilder, Schemas, Struct,
  ValidString, newRecord, DATE_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME
} from '../api/index.ts'
import type { AnyRecord, Schema, Transformation } from '../api/index.ts'
import { SimpleDateFormat, UnsupportedZoneNameError } from './util/simple-date-format.ts'
import { javaClassName } from './header-from.ts'
import { keyValueDescriptors } from './util/common.ts'
import { asJavaHashMap } from './util/requires.ts'

type TimestampType = 'string' | 'unix' | 'Date' | 'Time' | 'Timestamp'
const DAY = 86400000
const LONG_MAX = 2n ** 63n - 1n
const LONG_MIN = -(2n ** 63n)
const PURPOSE = 'converting timestamp formats'

const saturate = (v: bigint): bigint => v > LONG_MAX ? LONG_MAX : v < LONG_MIN ? LONG_MIN : v
// int64 values are numbers when exact, bigint beyond 2^53.
const toInt64 = (v: bigint): number | bigint => v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v

function typeSchema (type: TimestampType, optional: boolean): Schema {
  switch (type) {
    case 'string': return optional ? Schemas.OPTIONAL_STRING : Schemas.STRING
    case 'unix': return optional ? Schemas.OPTIONAL_INT64 : Schemas.INT64
    case 'Date': return optional ? ConnectDate.builder().optional().build() : ConnectDate.SCHEMA
    case 'Time': return optional ? ConnectTime.builder().optional().build() : ConnectTime.SCHEMA
    case 'Timestamp': return optional ? ConnectTimestamp.builder().optional().build() : ConnectTimestamp.SCHEMA
  }
}

function schemaType (schema: Schema): TimestampType {
  if (schema.name === TIMESTAMP_LOGICAL_NAME) return 'Timestamp'
  if (schema.name === DATE_LOGICAL_NAME) return 'Date'
  if (schema.name === TIME_LOGICAL_NAME) return 'Time'
  if (schema.type === 'string') return 'string'
  if (schema.type === 'int64') return 'unix'
  const text = schema.name ? `Schema{${schema.name}:${schema.type.toUpperCase()}}` : `Schema{${schema.type.toUpperCase()}}`
  throw new ConnectError(`Schema ${text} does not correspond to a known timestamp type format`)
}

/**
 * The timestamp kind of a schemaless value; Kafka takes only a Long as unix time. A JS number carries no Java class:
 * int64 values are numbers while exact and bigints beyond 2^53, so an integral number outside the safe range can only
 * have been a Double (refused, as Kafka refuses it). A safe integer is taken as a Long, although the same number may
 * stand for an Integer, Short, Byte or an integral Double that Kafka refuses (the README lists this).
 */
function valueType (value: unknown): TimestampType {
  if (value instanceof Date) return 'Timestamp'
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))) return 'unix'
  if (typeof value === 'string') return 'string'
  const javaClass = typeof value === 'number' ? 'java.lang.Double' : javaClassName(value)
  throw new DataError(`TimestampConverter does not support class ${javaClass} objects as timestamps`)
}

const REPLACE_NULL_DOC = 'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.'

abstract class TimestampConverter implements Transformation {
  readonly kind = 'transformation'
  static readonly CONFIG_DEF = new ConfigDef()
    .define({ name: 'field', type: 'string', default: '', importance: 'high', documentation: 'The field containing the timestamp, or empty if the entire value is a timestamp' })
    .define({ name: 'target.type', type: 'string', importance: 'high', validator: ValidString.in('string', 'unix', 'Date', 'Time', 'Timestamp'), documentation: 'The desired timestamp representation: string, unix, Date, Time, or Timestamp' })
    .define({ name: 'format', type: 'string', default: '', importance: 'medium', documentation: 'A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string.' })
    .define({ name: 'unix.precision', type: 'string', default: 'milliseconds', importance: 'low', validator: ValidString.in('nanoseconds', 'microseconds', 'milliseconds', 'seconds'), documentation: 'The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. Used to generate the output when type=unix or used to parse the input if the input is a Long.Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components.' })
    .define({ name: 'replace.null.with.default', type: 'boolean', default: true, importance: 'medium', documentation: REPLACE_NULL_DOC })

  #field = ''
  #type: TimestampType = 'unix'
  #format: SimpleDateFormat | null = null
  #precision = 'milliseconds'
  #replaceNullWithDefault = true

  protected abstract operating (record: AnyRecord): { schema: Schema | null, value: unknown }
  protected abstract patch (schema: Schema | null, value: unknown): Partial<AnyRecord>

  configure (configs: Readonly<Record<string, string>>): void {
    const config = TimestampConverter.CONFIG_DEF.parse(configs)
    this.#field = config.string('field')!
    this.#type = config.string('target.type') as TimestampType
    const pattern = config.string('format')!
    this.#precision = config.string('unix.precision')!
    this.#replaceNullWithDefault = config.boolean('replace.null.with.default')
    if (this.#type === 'string' && pattern.trim() === '') {
      throw new ConfigError('TimestampConverter requires format option to be specified when using string timestamps')
    }
    this.#format = null
    if (pattern.trim() !== '') {
      try {
        this.#format = new SimpleDateFormat(pattern)
      } catch (err) {
        // Kafka passes the exception as the "value" of ConfigException(name, value), hence this odd wording.
        throw new ConfigError(`Invalid value java.lang.IllegalArgumentException: ${(err as Error).message} for configuration TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${pattern}`)
      }
    }
  }

  apply<R extends AnyRecord> (record: R): R {
    const { schema, value } = this.operating(record)
    if (schema) return newRecord(record, this.patch(...this.#withSchema(schema, value)) as Partial<R>)
    if (value === null || value === undefined) return newRecord(record, this.patch(null, null) as Partial<R>)
    if (this.#field === '') return newRecord(record, this.patch(null, this.#convert(value, valueType(value))) as Partial<R>)
    if (!(value instanceof Map) && !(typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)) {
      throw new DataError(`Only Map objects supported in absence of schema for [${PURPOSE}], found: ${javaClassName(value)}`)
    }
    const updated = value instanceof Map ? new Map(value) : new Map<unknown, unknown>(Object.entries(value as object))
    const current = updated.get(this.#field) ?? null
    updated.set(this.#field, current === null ? null : this.#convert(current, valueType(current)))
    return newRecord(record, this.patch(null, asJavaHashMap(updated, { kind: 'copy', sourceSize: value instanceof Map ? value.size : Object.keys(value as object).length })) as Partial<R>)
  }

  #withSchema (schema: Schema, value: unknown): [Schema, unknown] {
    if (this.#field === '') {
      const from = schemaType(schema)
      return [typeSchema(this.#type, schema.optional), value === null || value === undefined ? null : this.#convert(value, from)]
    }
    const fields = schema.fields ?? []
    const builder = SchemaBuilder.struct()
    if (schema.name !== undefined) builder.name(schema.name)
    if (schema.version !== undefined) builder.version(schema.version)
    if (schema.doc !== undefined) builder.doc(schema.doc)
    if (schema.parameters) builder.parameters(schema.parameters)
    if (schema.optional) builder.optional()
    for (const f of fields) builder.field(f.name, f.name === this.#field ? typeSchema(this.#type, f.schema.optional) : f.schema)
    const updatedSchema = builder.build()
    if (value === null || value === undefined) return [updatedSchema, null]
    if (!(value instanceof Struct)) throw new DataError(`Only Struct objects supported for [${PURPOSE}], found: ${javaClassName(value)}`)
    const updated = new Struct(updatedSchema)
    for (const f of fields) {
      const v = this.#replaceNullWithDefault ? value.get(f.name) : value.getWithoutDefault(f.name)
      updated.put(f.name, f.name === this.#field && v !== null ? this.#convert(v, schemaType(f.schema)) : v)
    }
    return [updatedSchema, updated]
  }

  #convert (value: unknown, from: TimestampType): unknown {
    return this.#toType(this.#toRaw(value, from))
  }

  #toRaw (value: unknown, from: TimestampType): number {
    switch (from) {
      case 'string': {
        if (typeof value !== 'string') throw new DataError(`Expected string timestamp to be a String, but found class ${javaClassName(value)}`)
        // Kafka dereferences a null format here (schemaless string input without `format`).
        if (!this.#format) throw new TypeError('Cannot invoke "java.text.SimpleDateFormat.parse(String)" because "config.format" is null')
        let ms
        try {
          ms = this.#format.parse(value)
        } catch (err) {
          // A zone name Java would switch the formatter to, or a date beyond a JS Date: refused, never approximated.
          if (err instanceof UnsupportedZoneNameError || err instanceof RangeError) {
            throw new DataError(`Could not parse timestamp: value (${value}) with pattern (${this.#format.pattern}): ${err.message}`)
          }
          throw err
        }
        if (typeof ms !== 'number') throw new DataError(`Could not parse timestamp: value (${value}) does not match pattern (${this.#format.pattern})`)
        return ms
      }
      case 'unix': {
        if (typeof value !== 'number' && typeof value !== 'bigint') throw new DataError(`Expected Unix timestamp to be a Long, but found class ${javaClassName(value)}`)
        const v = BigInt(value)
        // BigInt division truncates toward zero, as Java's TimeUnit conversions do.
        const ms = this.#precision === 'seconds' ? saturate(v * 1000n) : this.#precision === 'microseconds' ? v / 1000n : this.#precision === 'nanoseconds' ? v / 1000000n : v
        return Number(ms)
      }
      default:
        if (!(value instanceof Date)) throw new DataError(`Expected ${from} to be a java.util.Date, but found class ${javaClassName(value)}`)
        return value.getTime()
    }
  }

  #toType (ms: number): unknown {
    switch (this.#type) {
      case 'string': return this.#format!.format(ms)
      case 'unix': {
        const v = BigInt(ms)
        if (this.#precision === 'seconds') return toInt64(v / 1000n)
        if (this.#precision === 'microseconds') return toInt64(saturate(v * 1000n))
        if (this.#precision === 'nanoseconds') return toInt64(saturate(v * 1000000n))
        return ms
      }
      case 'Date': return new Date(Math.floor(ms / DAY) * DAY)
      case 'Time': return new Date(((ms % DAY) + DAY) % DAY)
      case 'Timestamp': return new Date(ms)
    }
  }

  config (): ConfigDef { return TimestampConverter.CONFIG_DEF }
}

export class TimestampConverterKey extends TimestampConverter {
  protected operating (record: AnyRecord): { schema: Schema | null, value: unknown } { return { schema: record.keySchema, value: record.key } }
  protected patch (schema: Schema | null, value: unknown): Partial<AnyRecord> { return { keySchema: schema, key: value } }
}

export class TimestampConverterValue extends TimestampConverter {
  protected operating (record: AnyRecord): { schema: Schema | null, value: unknown } { return { schema: record.valueSchema, value: record.value } }
  protected patch (schema: Schema | null, value: unknown): Partial<AnyRecord> { return { valueSchema: schema, value } }
}

export const descriptors = keyValueDescriptors('TimestampConverter', TimestampConverterKey, TimestampConverterValue)
