/**
 * A Connect value to a JSON tree, as Confluent's JsonSchemaData.fromConnectData builds the Jackson tree its
 * serializer then writes: numbers keep their Java text (Float/Double.toString, int64 exact), bytes are base64
 * strings, maps with required string keys are objects and other maps arrays of {"key","value"} objects, a union
 * struct writes its one set field, and `undefined` stands for the Java null that makes a struct leave a field out.
 */
import {
  BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, Struct, schemaEquals,
  DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME,
  type Schema
} from '../../../api/index.ts'
import { javaDoubleToString, javaFloatToString } from '../../../java/number-format.ts'
import { invalidType, isPlainObject, javaClassName } from '../../json/java-class-name.ts'
import { INT64_LIMIT, INT_RANGES } from '../../json/json-number.ts'
import { JsonNumber, type JsonNode, type JsonObject } from '../../../util/json-reader.ts'
import type { DecimalFormat } from './json-schema-config.ts'
import { isUnionSchema } from './names.ts'

export interface ToJsonOptions {
  readonly decimalFormat: DecimalFormat
  readonly ignoreDefaultForNullables: boolean
}

const integral = (text: string): JsonNumber => new JsonNumber(text, true)
const fractional = (text: string): JsonNumber => new JsonNumber(text, false)

/** Jackson writes a non-finite float as a quoted string (QUOTE_NON_NUMERIC_NUMBERS). */
function floatNode (text: string, value: number): JsonNode {
  return Number.isFinite(value) ? fractional(text) : text
}

function decimalNode (value: BigDecimal): JsonNumber {
  const text = value.toString()
  return new JsonNumber(text, !/[.eE]/.test(text))
}

function structField (value: object, name: string, ignoreDefault: boolean): unknown {
  if (value instanceof Struct) return ignoreDefault ? value.getWithoutDefault(name) : value.get(name)
  // Connectors written in JavaScript may hand a plain object or a Map keyed by field name (as JsonConverter allows).
  if (value instanceof Map) return (value as Map<unknown, unknown>).get(name)
  return Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined
}

function logicalToJson (schema: Schema, value: unknown, options: ToJsonOptions): JsonNode | null {
  switch (schema.name) {
    case DECIMAL_LOGICAL_NAME:
      if (!(value instanceof BigDecimal)) throw new DataError(`Invalid type for Decimal, expected BigDecimal but was class ${javaClassName(value)}`)
      return options.decimalFormat === 'NUMERIC' ? decimalNode(value) : Decimal.fromLogical(schema, value).toString('base64')
    case DATE_LOGICAL_NAME:
      if (!(value instanceof Date)) throw new DataError(`Invalid type for Date, expected Date but was class ${javaClassName(value)}`)
      return integral(String(ConnectDate.fromLogical(schema, value)))
    case TIME_LOGICAL_NAME:
      if (!(value instanceof Date)) throw new DataError(`Invalid type for Time, expected Date but was class ${javaClassName(value)}`)
      return integral(String(ConnectTime.fromLogical(schema, value)))
    case TIMESTAMP_LOGICAL_NAME:
      if (!(value instanceof Date)) throw new DataError(`Invalid type for Timestamp, expected Date but was class ${javaClassName(value)}`)
      return integral(String(ConnectTimestamp.fromLogical(schema, value)))
    default:
      return null
  }
}

/**
 * JsonSchemaData.fromConnectData. Returns `undefined` for Java's null (a null value of a required schema without a
 * default), `null` for a JSON null.
 */
export function connectToJson (schema: Schema, value: unknown, options: ToJsonOptions): JsonNode | undefined {
  if (value === null || value === undefined) {
    if (schema.defaultValue != null && !options.ignoreDefaultForNullables) return connectToJson(schema, schema.defaultValue, options)
    return schema.optional ? null : undefined
  }
  if (schema.name !== undefined) {
    const logical = logicalToJson(schema, value, options)
    if (logical !== null) return logical
  }
  switch (schema.type) {
    case 'int8': case 'int16': case 'int32': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return invalidType(schema.type, value)
      const limit = INT_RANGES[schema.type]
      if (value < -limit || value >= limit) return invalidType(schema.type, value)
      return integral(String(value))
    }
    case 'int64':
      if (typeof value === 'bigint') {
        if (value < -INT64_LIMIT || value >= INT64_LIMIT) return invalidType(schema.type, value)
        return integral(value.toString())
      }
      if (typeof value !== 'number' || !Number.isInteger(value) || (Math.abs(value) >= 2 ** 63 && value !== -(2 ** 63))) return invalidType(schema.type, value)
      return integral(Number.isSafeInteger(value) ? String(value) : BigInt(value).toString())
    case 'float32':
      if (typeof value !== 'number') return invalidType(schema.type, value)
      return floatNode(javaFloatToString(value), value)
    case 'float64':
      if (typeof value !== 'number') return invalidType(schema.type, value)
      return floatNode(javaDoubleToString(value), value)
    case 'boolean':
      return typeof value === 'boolean' ? value : invalidType(schema.type, value)
    case 'string':
      return typeof value === 'string' ? value : invalidType(schema.type, value)
    case 'bytes':
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
      if (value instanceof BigDecimal) return decimalNode(value)
      throw new DataError(`Invalid type for bytes type: class ${javaClassName(value)}`)
    case 'array': {
      if (!Array.isArray(value)) return invalidType(schema.type, value)
      const element = schema.valueSchema!
      // An element that converts to Java's null is added as a JSON null (ArrayNode.add(null)).
      return value.map(v => connectToJson(element, v, options) ?? null)
    }
    case 'map':
      return mapToJson(schema, value, options)
    case 'struct':
      return structToJson(schema, value, options)
  }
  throw new DataError('Couldn\'t convert value to JSON.')
}

function mapToJson (schema: Schema, value: unknown, options: ToJsonOptions): JsonNode {
  let entries: Array<[unknown, unknown]>
  if (value instanceof Map) entries = [...value as Map<unknown, unknown>]
  else if (isPlainObject(value)) entries = Object.entries(value)
  else return invalidType(schema.type, value)
  const keySchema = schema.keySchema!
  const valueSchema = schema.valueSchema!
  // Object mode only for a required string key: an optional one may be null, which no JSON object key can hold.
  if (keySchema.type === 'string' && !keySchema.optional) {
    const obj: JsonObject = new Map()
    for (const [k, v] of entries) {
      const key = connectToJson(keySchema, k, options)
      if (typeof key !== 'string') throw new DataError('Map key must be a string in a map with string keys, but was null')
      obj.set(key, connectToJson(valueSchema, v, options) ?? null)
    }
    return obj
  }
  return entries.map(([k, v]) => new Map<string, JsonNode>([
    ['key', connectToJson(keySchema, k, options) ?? null],
    ['value', connectToJson(valueSchema, v, options) ?? null]
  ]))
}

function structToJson (schema: Schema, value: unknown, options: ToJsonOptions): JsonNode | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) return invalidType(schema.type, value)
  if (value instanceof Struct && !schemaEquals(value.schema, schema)) throw new DataError('Mismatching schema.')
  const fields = schema.fields ?? []
  if (isUnionSchema(schema)) {
    // A union is held as a struct with one field per branch: the first field set is the value.
    for (const field of fields) {
      const v = structField(value, field.name, options.ignoreDefaultForNullables)
      if (v !== null && v !== undefined) return connectToJson(field.schema, v, options)
    }
    return connectToJson(schema, null, options)
  }
  const obj: JsonObject = new Map()
  for (const field of fields) {
    const node = connectToJson(field.schema, structField(value, field.name, options.ignoreDefaultForNullables), options)
    // Java's null (a required field left null) leaves the property out.
    if (node !== undefined) obj.set(field.name, node)
  }
  return obj
}
