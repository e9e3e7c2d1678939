/**
 * A JSON tree (as Confluent's deserializer reads a payload: exact decimals for fractions) to a Connect value of the
 * given schema, as JsonSchemaData.toConnectData converts it. Its leniency is kept, since a record Confluent's converter
 * accepts must not fail here: a number where a string is expected reads as null, a non-number as 0, a non-boolean as
 * false, a missing or null field as its default (else null, even when required), a union takes the first branch the
 * JSON's type fits or the struct branch sharing most property names.
 */
import {
  BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, Struct,
  DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME,
  type Schema
} from '../../../api/index.ts'
import { decodeBase64 } from '../../json/base64.ts'
import { inHashMapOrder, javaHashMapOf } from '../../json/java-map-order.ts'
import { doubleValue, floatValue, int64Value, integerPart } from '../../json/json-number.ts'
import { JsonNumber, isObjectNode, nodeType, type JsonNode, type JsonObject } from '../../../util/json-reader.ts'
import { GENERALIZED_TYPE_UNION, GENERALIZED_TYPE_UNION_FIELD_PREFIX, JSON_TYPE_ONE_OF, KEY_FIELD, VALUE_FIELD, isUnionSchema } from './names.ts'

/** Java's int-typed *Value() of a node: narrowed from its integer part; 0 for a node that is not a number. */
function narrowed (node: JsonNode, bits: number): number {
  return node instanceof JsonNumber ? Number(BigInt.asIntN(bits, integerPart(node))) : 0
}

function isInt (node: JsonNode): boolean {
  if (!(node instanceof JsonNumber) || !node.integral) return false
  const n = BigInt(node.text)
  return n >= -(2n ** 31n) && n < 2n ** 31n
}

export class JsonToConnect {
  /** JsonSchemaData.toConnectData; `undefined` is a missing property. */
  toConnect (schema: Schema, node: JsonNode | undefined): unknown {
    if (node === undefined || node === null) {
      if (schema.defaultValue !== undefined && schema.defaultValue !== null) return schema.defaultValue
      if (node === undefined || schema.optional) return null
      throw new DataError(`Invalid null value for required ${schema.type.toUpperCase()} field`)
    }
    if (schema.name !== undefined) {
      const logical = this.#logical(schema, node)
      if (logical !== undefined) return logical
    }
    switch (schema.type) {
      case 'boolean': return node === true
      case 'int8': return narrowed(node, 8)
      case 'int16': return narrowed(node, 16)
      case 'int32': return narrowed(node, 32)
      case 'int64': return node instanceof JsonNumber ? int64Value(integerPart(node)) : 0
      case 'float32': return node instanceof JsonNumber ? floatValue(node) : 0
      case 'float64': return node instanceof JsonNumber ? doubleValue(node) : 0
      case 'string': return typeof node === 'string' ? node : null
      case 'bytes':
        if (typeof node === 'string') {
          try {
            return decodeBase64(node)
          } catch (err) {
            throw new DataError('Invalid bytes field', { cause: err })
          }
        }
        // Java reads the node's decimal value into the field instead, which no BYTES field accepts.
        throw new DataError(`Invalid Java object for schema with type BYTES: class java.math.BigDecimal (the JSON was ${nodeType(node)})`)
      case 'array': {
        // Jackson iterates an object's values, and a scalar as empty.
        const elements = Array.isArray(node) ? node : isObjectNode(node) ? [...node.values()] : []
        const element = schema.valueSchema!
        return elements.map(e => this.toConnect(element, e))
      }
      case 'map': return this.#map(schema, node)
      case 'struct': return isUnionSchema(schema) ? this.#union(schema, node) : this.#struct(schema, node)
    }
    throw new DataError(`Unknown schema type: ${String(schema.type)}`)
  }

  #logical (schema: Schema, node: JsonNode): unknown {
    switch (schema.name) {
      case DECIMAL_LOGICAL_NAME:
        if (node instanceof JsonNumber) return BigDecimal.parse(node.text)
        if (typeof node === 'string') {
          try {
            return Decimal.toLogical(schema, decodeBase64(node))
          } catch (err) {
            throw new DataError('Invalid bytes for Decimal field', { cause: err })
          }
        }
        throw new DataError(`Invalid type for Decimal, underlying representation should be numeric or bytes but was ${nodeType(node)}`)
      case DATE_LOGICAL_NAME:
        if (!isInt(node)) throw new DataError(`Invalid type for Date, underlying representation should be integer but was ${nodeType(node)}`)
        return ConnectDate.toLogical(schema, Number((node as JsonNumber).text))
      case TIME_LOGICAL_NAME:
        if (!isInt(node)) throw new DataError(`Invalid type for Time, underlying representation should be integer but was ${nodeType(node)}`)
        return ConnectTime.toLogical(schema, Number((node as JsonNumber).text))
      case TIMESTAMP_LOGICAL_NAME:
        if (!(node instanceof JsonNumber) || !node.integral) {
          throw new DataError(`Invalid type for Timestamp, underlying representation should be integral but was ${nodeType(node)}`)
        }
        return ConnectTimestamp.toLogical(schema, BigInt.asIntN(64, BigInt(node.text)))
      default:
        return undefined
    }
  }

  #map (schema: Schema, node: JsonNode): Map<unknown, unknown> {
    const keySchema = schema.keySchema!
    const valueSchema = schema.valueSchema!
    if (keySchema.type === 'string' && !keySchema.optional) {
      if (!isObjectNode(node)) throw new DataError(`Maps with string fields should be encoded as JSON objects, but found ${nodeType(node)}`)
      const out = new Map<unknown, unknown>()
      for (const [k, v] of node) out.set(k, this.toConnect(valueSchema, v))
      // Confluent reads into a HashMap: its iteration order is what a sink sees.
      return inHashMapOrder(out, keySchema)
    }
    if (!Array.isArray(node)) throw new DataError(`Maps with non-string fields should be encoded as JSON array of objects, but found ${nodeType(node)}`)
    const pairs = node.map((entry): [unknown, unknown] => {
      if (!isObjectNode(entry)) throw new DataError(`Found invalid map entry instead of object: ${nodeType(entry)}`)
      if (entry.size !== 2) throw new DataError(`Found invalid map entry, expected length 2 but found :${entry.size}`)
      return [this.toConnect(keySchema, entry.get(KEY_FIELD)), this.toConnect(valueSchema, entry.get(VALUE_FIELD))]
    })
    return javaHashMapOf(keySchema, pairs)
  }

  #struct (schema: Schema, node: JsonNode): Struct {
    if (!isObjectNode(node)) throw new DataError(`Structs should be encoded as JSON objects, but found ${nodeType(node)}`)
    const result = new Struct(schema)
    for (const field of schema.fields ?? []) {
      const value = this.toConnect(field.schema, node.get(field.name))
      if (value !== null) result.put(field.name, value)
    }
    return result
  }

  #union (schema: Schema, node: JsonNode): Struct {
    const generalized = schema.parameters !== undefined && Object.hasOwn(schema.parameters, GENERALIZED_TYPE_UNION)
    const prefix = generalized ? GENERALIZED_TYPE_UNION_FIELD_PREFIX : `${JSON_TYPE_ONE_OF}.field.`
    let best = 0
    let match: NonNullable<Schema['fields']>[number] | undefined
    for (const field of schema.fields ?? []) {
      if (fitsSimpleSchema(field.schema, node)) return new Struct(schema).put(`${prefix}${field.index}`, this.toConnect(field.schema, node))
      const score = structMatch(field.schema, node)
      if (score > best) {
        best = score
        match = field
      }
    }
    if (match !== undefined) return new Struct(schema).put(`${prefix}${match.index}`, this.toConnect(match.schema, node))
    throw new DataError('Did not find matching oneof field for data')
  }
}

/** Whether the JSON's type is the branch's (never for a struct branch, which structMatch scores instead). */
function fitsSimpleSchema (schema: Schema, node: JsonNode): boolean {
  switch (schema.type) {
    case 'int8': case 'int16': case 'int32': case 'int64': return node instanceof JsonNumber && node.integral
    case 'float32': case 'float64': return node instanceof JsonNumber
    case 'boolean': return typeof node === 'boolean'
    case 'string': return typeof node === 'string'
    // A binary node never comes out of parsing text; a fractional number is read as a decimal.
    case 'bytes': return node instanceof JsonNumber && !node.integral
    case 'array': return Array.isArray(node)
    case 'map': return Array.isArray(node) || isObjectNode(node)
    case 'struct': return false
  }
}

/** How many of the struct's field names the object has, counting matches in nested structs too. */
function structMatch (schema: Schema, node: JsonNode | undefined): number {
  if (schema.type !== 'struct' || !isObjectNode(node)) return 0
  let score = 0
  for (const field of schema.fields ?? []) {
    if (!(node as JsonObject).has(field.name)) continue
    score += 1 + structMatch(field.schema, node.get(field.name))
  }
  return score
}
