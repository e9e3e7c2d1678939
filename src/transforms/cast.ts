/**
 * Cast (Kafka's Cast$Key / $Value): casts the whole key or value, or named top-level fields of a Struct or Map, to
 * another primitive type, with Java's narrowing and parsing rules (300L to int8 is 44, "1e3" to float64 is 1000.0,
 * "yes" to boolean is false), so a pipeline moved from Apache writes the same values.
 */
import {
  BigDecimal, ConfigDef, ConfigError, ConnectDate, ConnectTime, ConnectTimestamp, DataError, SchemaBuilder, Struct,
  DATE_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME, javaHashMapOrder, javaStringHash
} from '../api/index.ts'
import type { AnyRecord, Schema, SchemaType, Transformation, Validator } from '../api/index.ts'
import { javaDoubleToString, javaFloatToString } from '../java/number-format.ts'
import { convertToString } from '../converters/values.ts'
import {
  REPLACE_NULL_WITH_DEFAULT_CONFIG, REPLACE_NULL_WITH_DEFAULT_KEY, SchemaCache, copySchemaBasics, fieldValue, operatingSchema,
  operatingValue, parseConfig, withOperating, keyValueDescriptors } from './util/common.ts'
import type { Side } from './util/common.ts'
import { asJavaHashMap, mapSize, javaClassOf, mapGet, requireMap, requireStruct, toMap } from './util/requires.ts'
import { javaSplitColon } from './replace-field.ts'

const PURPOSE = 'cast types'
const SPEC_CONFIG = 'spec'
/** The key under which a whole-value cast is kept, as Kafka's WHOLE_VALUE_CAST (no field can be named null). */
const WHOLE_VALUE = Symbol('whole value')

type CastType = 'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'boolean' | 'string'

/** Kafka's Schema.Type names, as valueOf() accepts them. */
const SCHEMA_TYPE_NAMES: Record<string, SchemaType> = {
  INT8: 'int8', INT16: 'int16', INT32: 'int32', INT64: 'int64', FLOAT32: 'float32', FLOAT64: 'float64', BOOLEAN: 'boolean',
  STRING: 'string', BYTES: 'bytes', ARRAY: 'array', MAP: 'map', STRUCT: 'struct'
}
const OUTPUT_TYPES = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string'] as const
const INPUT_TYPES = [...OUTPUT_TYPES, 'bytes'] as const
const typeList = (types: readonly string[]): string => `[${types.map(t => t.toUpperCase()).join(', ')}]`

/** Kafka's parseFieldTypes: `field:type` pairs, or one bare type for the whole value. Throws Kafka's messages. */
function parseSpec (mappings: readonly string[]): Map<string | typeof WHOLE_VALUE, CastType> {
  const casts = new Map<string | typeof WHOLE_VALUE, CastType>()
  let wholeValue = false
  for (const mapping of mappings) {
    const parts = javaSplitColon(mapping)
    if (parts.length > 2) {
      // Sic: Kafka reports this under ReplaceField's key name.
      throw new ConfigError(`Invalid value [${mappings.join(', ')}] for configuration renames: Invalid rename mapping: ${mapping}`)
    }
    const typeText = (parts.length === 1 ? parts[0]! : parts[1] ?? '').trim()
    const type = SCHEMA_TYPE_NAMES[typeText.toUpperCase()]
    if (type === undefined) {
      throw new ConfigError(`Invalid value java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type.${typeText.toUpperCase()} for configuration Invalid type found in casting spec: ${typeText}`)
    }
    if (!(OUTPUT_TYPES as readonly string[]).includes(type)) {
      throw new ConfigError(`Cast transformation does not support casting to ${type.toUpperCase()}; supported types are ${typeList(OUTPUT_TYPES)}`)
    }
    if (parts.length === 1) {
      wholeValue = true
      casts.set(WHOLE_VALUE, type as CastType)
    } else {
      casts.set(parts[0]!.trim(), type as CastType)
    }
  }
  if (wholeValue && mappings.length > 1) {
    throw new ConfigError('Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec')
  }
  return casts
}

const SPEC_VALIDATOR: Validator = {
  ensureValid (_name, value) {
    if (!Array.isArray(value) || value.length === 0) throw new ConfigError('Must specify at least one field to cast.')
    parseSpec(value)
  },
  toString () { return 'list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>' }
}

export const CAST_CONFIG_DEF = new ConfigDef()
  .define({
    name: SPEC_CONFIG,
    type: 'list',
    validator: SPEC_VALIDATOR,
    importance: 'high',
    documentation: 'List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string.'
  })
  .define(REPLACE_NULL_WITH_DEFAULT_KEY)

// ---- Java's numeric conversions ----------------------------------------------------------------------------------

/** What a value is in Java terms, which decides how it narrows and prints. */
type NumberKind = 'integral' | 'float32' | 'float64' | 'decimal'

interface JavaNumber { kind: NumberKind, value: number | bigint | BigDecimal }

function asJavaNumber (value: unknown, cls: string): JavaNumber | null {
  if (value instanceof BigDecimal) return { kind: 'decimal', value }
  if (typeof value === 'bigint') return { kind: 'integral', value }
  if (typeof value !== 'number') return null
  if (cls === 'java.lang.Float') return { kind: 'float32', value }
  if (cls === 'java.lang.Double') return { kind: 'float64', value }
  return { kind: 'integral', value }
}

/** Java's (long) of a double or float: truncation toward zero, saturating, NaN to 0. */
function doubleToLong (d: number): bigint {
  if (Number.isNaN(d)) return 0n
  if (d >= 2 ** 63) return 2n ** 63n - 1n
  if (d <= -(2 ** 63)) return -(2n ** 63n)
  return BigInt(Math.trunc(d))
}

/** Java's (int) of a double or float. */
function doubleToInt (d: number): number {
  if (Number.isNaN(d)) return 0
  if (d >= 2 ** 31) return 2147483647
  if (d <= -(2 ** 31)) return -2147483648
  return Math.trunc(d) | 0
}

/** BigDecimal's integer part (toBigInteger: truncation toward zero). */
function decimalIntegerPart (d: BigDecimal): bigint {
  return d.scale <= 0 ? d.unscaled * 10n ** BigInt(-d.scale) : d.unscaled / 10n ** BigInt(d.scale)
}

/** Number.intValue() (byteValue and shortValue narrow this further, as Java's do). */
function intValue (n: JavaNumber): number {
  switch (n.kind) {
    case 'integral': return Number(BigInt.asIntN(32, BigInt(n.value as number | bigint)))
    case 'decimal': return Number(BigInt.asIntN(32, decimalIntegerPart(n.value as BigDecimal)))
    default: return doubleToInt(n.value as number)
  }
}

function longValue (n: JavaNumber): bigint {
  switch (n.kind) {
    case 'integral': return BigInt.asIntN(64, BigInt(n.value as number | bigint))
    case 'decimal': return BigInt.asIntN(64, decimalIntegerPart(n.value as BigDecimal))
    default: return doubleToLong(n.value as number)
  }
}

function doubleValue (n: JavaNumber): number {
  return n.kind === 'decimal' ? Number((n.value as BigDecimal).toString()) : Number(n.value)
}

/** int64 values stay plain numbers while exact, as elsewhere in the data model. */
const int64Value = (v: bigint): number | bigint => Number.isSafeInteger(Number(v)) ? Number(v) : v

const INTEGER_TEXT = /^[+-]?[0-9]+$/
const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  int8: [-128n, 127n], int16: [-32768n, 32767n], int32: [-(2n ** 31n), 2n ** 31n - 1n], int64: [-(2n ** 63n), 2n ** 63n - 1n]
}

/** Byte/Short/Integer/Long.parseXxx: strict, no whitespace, no fraction. */
function parseJavaInteger (text: string, type: 'int8' | 'int16' | 'int32' | 'int64'): bigint {
  const [min, max] = INTEGER_RANGES[type]!
  if (!INTEGER_TEXT.test(text)) throw outOfRange(text)
  const v = BigInt(text)
  if (v < min || v > max) throw outOfRange(text)
  return v
}

const DECIMAL_FLOAT_TEXT = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/
const HEX_FLOAT_TEXT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)[fFdD]?$/

/** Float/Double.parseXxx: Java's trim (every char up to U+0020), decimal or hexadecimal syntax, f/d suffix. */
function parseJavaDouble (text: string): number {
  const t = text.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
  if (DECIMAL_FLOAT_TEXT.test(t)) return Number(t.replace(/[fFdD]$/, ''))
  const hex = HEX_FLOAT_TEXT.exec(t)
  if (hex && (hex[2] !== '' || (hex[3] ?? '') !== '')) {
    const digits = `${hex[2]}${hex[3] ?? ''}`
    const value = Number(BigInt(`0x${digits === '' ? '0' : digits}`)) * 2 ** (Number(hex[4]) - 4 * (hex[3] ?? '').length)
    return hex[1] === '-' ? -value : value
  }
  throw outOfRange(text)
}

const outOfRange = (value: string): DataError => new DataError(`Value (${value}) was out of range for requested data type`)

function unexpected (cls: string): DataError {
  return new DataError(`Unexpected type in Cast transformation: class ${cls}`)
}

function castToInteger (value: unknown, cls: string, type: 'int8' | 'int16' | 'int32' | 'int64'): number | bigint {
  const n = asJavaNumber(value, cls)
  if (n) {
    if (type === 'int64') return int64Value(longValue(n))
    const i = intValue(n)
    return type === 'int8' ? (i << 24) >> 24 : type === 'int16' ? (i << 16) >> 16 : i
  }
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'string') {
    const v = parseJavaInteger(value, type)
    return type === 'int64' ? int64Value(v) : Number(v)
  }
  throw unexpected(cls)
}

function castToFloat (value: unknown, cls: string, type: 'float32' | 'float64'): number {
  const n = asJavaNumber(value, cls)
  let d: number
  if (n) d = doubleValue(n)
  else if (typeof value === 'boolean') d = value ? 1 : 0
  else if (typeof value === 'string') d = parseJavaDouble(value)
  else throw unexpected(cls)
  return type === 'float32' ? Math.fround(d) : d
}

function castToBoolean (value: unknown, cls: string): boolean {
  const n = asJavaNumber(value, cls)
  if (n) return longValue(n) !== 0n
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') return value.toLowerCase() === 'true'
  throw unexpected(cls)
}

function castToString (value: unknown, cls: string): string {
  if (value instanceof Date || value instanceof Uint8Array) return convertToString(null, value)!
  const n = asJavaNumber(value, cls)
  if (n) {
    if (n.kind === 'float32') return javaFloatToString(n.value as number)
    if (n.kind === 'float64') return javaDoubleToString(n.value as number)
    return String(n.value)
  }
  if (typeof value === 'boolean' || typeof value === 'string') return String(value)
  return String(value)
}

/** Kafka's ConnectSchema.schemaType(value.getClass()) for schemaless values. */
function inferredType (value: unknown): SchemaType | null {
  switch (javaClassOf(value)) {
    case 'java.lang.Long': return 'int64'
    case 'java.lang.Double': return 'float64'
    case 'java.lang.Boolean': return 'boolean'
    case 'java.lang.String': return 'string'
    case '[B': return 'bytes'
    case 'java.util.ArrayList': return 'array'
    case 'java.util.HashMap': return 'map'
    case 'org.apache.kafka.connect.data.Struct': return 'struct'
    default: return null
  }
}

/** Date, Time and Timestamp become their int/long encodings before a cast to anything but string. */
function encodeLogical (schema: Schema, value: unknown): unknown {
  if (!(value instanceof Date)) return value
  switch (schema.name) {
    case DATE_LOGICAL_NAME: return ConnectDate.fromLogical(schema, value)
    case TIME_LOGICAL_NAME: return ConnectTime.fromLogical(schema, value)
    case TIMESTAMP_LOGICAL_NAME: return ConnectTimestamp.fromLogical(schema, value)
    default: return value
  }
}

/** Kafka's castValueToType. */
export function castValue (schema: Schema | null, value: unknown, target: CastType): unknown {
  if (value === null || value === undefined) return null
  const type = schema ? schema.type : inferredType(value)
  if (type === null) {
    throw new DataError(`Cast transformation was passed a value of type class ${javaClassOf(value)} which is not supported by Connect's data API`)
  }
  if (!(INPUT_TYPES as readonly string[]).includes(type)) {
    throw new DataError(`Cast transformation does not support casting from ${type.toUpperCase()}; supported types are ${typeList(INPUT_TYPES)}`)
  }
  let v: unknown = value
  let cls = javaClassOf(value, schema)
  if (schema?.name !== undefined && target !== 'string') {
    v = encodeLogical(schema, value)
    if (v !== value) cls = typeof v === 'number' && schema.name !== TIMESTAMP_LOGICAL_NAME ? 'java.lang.Integer' : 'java.lang.Long'
  }
  try {
    switch (target) {
      case 'int8': case 'int16': case 'int32': case 'int64': return castToInteger(v, cls, target)
      case 'float32': case 'float64': return castToFloat(v, cls, target)
      case 'boolean': return castToBoolean(v, cls)
      case 'string': return castToString(v, cls)
    }
  } catch (err) {
    if (err instanceof DataError) throw err
    throw outOfRange(String(v))
  }
}

function builderFor (type: CastType): SchemaBuilder {
  return new SchemaBuilder(type)
}

abstract class Cast implements Transformation {
  readonly kind = 'transformation' as const
  protected abstract readonly side: Side
  #casts = new Map<string | typeof WHOLE_VALUE, CastType>()
  #wholeValue: CastType | undefined
  #schemalessCasts: Array<[string, CastType]> = []
  #replaceNullWithDefault = true
  #cache = new SchemaCache()

  configure (configs: Readonly<Record<string, string>>): void {
    const config = parseConfig(CAST_CONFIG_DEF, configs)
    this.#casts = parseSpec(config.list(SPEC_CONFIG))
    this.#wholeValue = this.#casts.get(WHOLE_VALUE)
    const fields = [...this.#casts].filter((e): e is [string, CastType] => typeof e[0] === 'string')
    this.#schemalessCasts = javaHashMapOrder(fields, javaStringHash)
    this.#replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT_CONFIG)
    this.#cache = new SchemaCache()
  }

  apply<R extends AnyRecord> (record: R): R {
    const schema = operatingSchema(record, this.side)
    const value = operatingValue(record, this.side)
    if (value === null || value === undefined) return record
    if (!schema) return this.#applySchemaless(record, value)
    const updatedSchema = this.#updatedSchema(schema)
    if (this.#wholeValue !== undefined) return withOperating(record, this.side, updatedSchema, castValue(schema, value, this.#wholeValue))
    const struct = requireStruct(value, PURPOSE, schema)
    const updated = new Struct(updatedSchema)
    for (const field of struct.schema.fields ?? []) {
      const original = fieldValue(struct, field.name, this.#replaceNullWithDefault)
      const target = this.#casts.get(field.name)
      updated.put(field.name, target === undefined ? original : castValue(field.schema, original, target))
    }
    return withOperating(record, this.side, updatedSchema, updated)
  }

  #applySchemaless<R extends AnyRecord> (record: R, value: unknown): R {
    if (this.#wholeValue !== undefined) return withOperating(record, this.side, null, castValue(null, value, this.#wholeValue))
    const original = requireMap(value, PURPOSE)
    const updated = toMap(original)
    // Every spec field is put, so a field missing from the map is added as null, as Kafka does; in the order of
    // Kafka's HashMap of the spec, which decides the order of the new keys within a bucket.
    for (const [field, target] of this.#schemalessCasts) updated.set(field, castValue(null, mapGet(original, field), target))
    return withOperating(record, this.side, null, asJavaHashMap(updated, { kind: 'copy', sourceSize: mapSize(original) }))
  }

  #updatedSchema (schema: Schema): Schema {
    const cached = this.#cache.get(schema)
    if (cached) return cached
    let builder: SchemaBuilder
    const type = this.#wholeValue ?? 'struct'
    if (this.#wholeValue !== undefined) {
      builder = copySchemaBasics(schema, builderFor(this.#wholeValue))
    } else {
      builder = copySchemaBasics(schema, SchemaBuilder.struct())
      for (const field of schema.fields ?? []) {
        const target = this.#casts.get(field.name)
        if (target === undefined) { builder.field(field.name, field.schema); continue }
        // A cast field gets a fresh primitive schema: only optional and the (cast) default survive.
        const fieldBuilder = builderFor(target)
        if (field.schema.optional) fieldBuilder.optional()
        if (field.schema.defaultValue !== undefined && field.schema.defaultValue !== null) {
          fieldBuilder.defaultValue(castValue(field.schema, field.schema.defaultValue, target))
        }
        builder.field(field.name, fieldBuilder.build())
      }
    }
    if (schema.optional) builder.optional()
    if (schema.defaultValue !== undefined && schema.defaultValue !== null) {
      builder.defaultValue(castValue(schema, schema.defaultValue, type as CastType))
    }
    const updated = builder.build()
    this.#cache.set(schema, updated)
    return updated
  }

  config (): ConfigDef { return CAST_CONFIG_DEF }
  close (): void {}
}

export class CastKey extends Cast { protected readonly side = 'key' as const }
export class CastValue extends Cast { protected readonly side = 'value' as const }

export const descriptors = keyValueDescriptors('Cast', CastKey, CastValue)
