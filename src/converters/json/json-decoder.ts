/**
 * A JSON tree to Connect data, as Apache's JsonConverter reads it: the envelope's schema (asConnectSchema) and the
 * value (convertToConnect), with Apache's lax coercions.
 */
import { DataError, Struct, type Schema } from '../../api/index.ts'
import { decodeBase64 } from './base64.ts'
import { inHashMapOrder, javaHashMapOf } from './java-map-order.ts'
import { doubleValue, floatValue, int64Value, integerPart, isSmallInteger } from './json-number.ts'
import { JsonNumber, MISSING, isObjectNode, nodeType, type JsonNode, type JsonObject } from '../../util/json-reader.ts'
import { LOGICAL_TYPES } from './logical-types.ts'
import { PRIMITIVE_SCHEMAS, SCHEMA_TYPES_BY_JSON_NAME, type MutableSchema } from './schema-types.ts'

/** Reads schemas and values for one configuration of the converter. */
export class JsonDecoder {
  readonly #replaceNullWithDefault: boolean

  constructor (replaceNullWithDefault: boolean) {
    this.#replaceNullWithDefault = replaceNullWithDefault
  }

  /** Apache's asConnectSchema. JSON null is the schemaless schema. */
  toConnectSchema (node: JsonNode): Schema | null {
    if (node === null) return null
    const typeNode = isObjectNode(node) ? node.get('type') : undefined
    if (typeof typeNode !== 'string') throw new DataError('Schema must contain \'type\' field')
    const type = SCHEMA_TYPES_BY_JSON_NAME.get(typeNode)
    if (type === undefined) throw new DataError(`Unknown schema type: ${typeNode}`)
    const json = node as JsonObject
    const schema: MutableSchema = { type, optional: false }
    switch (type) {
      case 'array': {
        const items = json.get('items')
        if (items === undefined || items === null) throw new DataError('Array schema did not specify the element type')
        schema.valueSchema = this.toConnectSchema(items)!
        break
      }
      case 'map': {
        if (!json.has('keys')) throw new DataError('Map schema did not specify the key type')
        if (!json.has('values')) throw new DataError('Map schema did not specify the value type')
        // Both are parsed before SchemaBuilder.map rejects a JSON null, as in Apache.
        const keySchema = this.toConnectSchema(json.get('keys')!)
        const valueSchema = this.toConnectSchema(json.get('values')!)
        if (keySchema === null) throw new DataError('keySchema cannot be null.')
        if (valueSchema === null) throw new DataError('valueSchema cannot be null.')
        schema.keySchema = keySchema
        schema.valueSchema = valueSchema
        break
      }
      case 'struct': {
        const fields = json.get('fields')
        if (!Array.isArray(fields)) throw new DataError('Struct schema\'s "fields" argument is not an array.')
        const out: Array<{ name: string, index: number, schema: Schema }> = []
        for (const field of fields) {
          const name = isObjectNode(field) ? field.get('field') : undefined
          if (typeof name !== 'string') throw new DataError('Struct schema\'s field name not specified properly')
          const fieldSchema = this.toConnectSchema(field)!
          if (name === '') throw new DataError('fieldName cannot be null.')
          if (out.some(f => f.name === name)) throw new DataError(`Cannot create field because of field name duplication ${name}`)
          out.push(Object.freeze({ name, index: out.length, schema: fieldSchema }))
        }
        schema.fields = Object.freeze(out)
        break
      }
    }
    // optional only for JSON true; name, version and doc only when of the right JSON type; unknown keys are ignored.
    schema.optional = json.get('optional') === true
    const name = json.get('name')
    if (typeof name === 'string') schema.name = name
    const version = json.get('version')
    if (version instanceof JsonNumber && version.integral) schema.version = Number(BigInt.asIntN(32, BigInt(version.text)))
    const doc = json.get('doc')
    if (typeof doc === 'string') schema.doc = doc
    const parameters = json.get('parameters')
    if (isObjectNode(parameters) && parameters.size > 0) {
      const params: Record<string, string> = {}
      for (const [k, v] of parameters) {
        if (typeof v !== 'string') throw new DataError('Schema parameters must have string values.')
        Object.defineProperty(params, k, { value: v, enumerable: true, writable: true, configurable: true })
      }
      schema.parameters = Object.freeze(params)
    }
    if (json.has('default')) {
      // The default is read against the schema built so far, so a JSON null default of a required schema fails.
      // (Apache also fails on every STRUCT default here, a SchemaBuilder identity quirk; we accept them.)
      const defaultValue = this.toConnect(schema, json.get('default')!)
      if (defaultValue !== null) schema.defaultValue = defaultValue
    }
    const keys = Object.keys(schema)
    const primitive = PRIMITIVE_SCHEMAS[type]
    if (primitive !== undefined && keys.length === 2) return primitive[schema.optional ? 1 : 0]
    return Object.freeze(schema)
  }

  /** Apache's convertToConnect, with its lax coercions. `node` null is JSON null or an absent struct field. */
  toConnect (schema: Schema | null, node: JsonNode | undefined): unknown {
    if (schema === null) return this.#toConnectSchemaless(node)
    if (node === null) {
      if (schema.defaultValue != null && this.#replaceNullWithDefault) return schema.defaultValue
      if (schema.optional) return null
      throw new DataError(`Invalid null value for required ${schema.type.toUpperCase()} field`)
    }
    if (schema.name != null) {
      const codec = LOGICAL_TYPES.get(schema.name)
      if (codec !== undefined) return codec.toConnect(schema, node)
    }
    const number = node instanceof JsonNumber ? node : null
    switch (schema.type) {
      case 'boolean': return node === true
      // Non-numbers read as 0; fractions are truncated and out-of-range values wrap, as Java's narrowing does.
      case 'int8': return number === null ? 0 : isSmallInteger(number) ? (Number(number.text) << 24) >> 24 : Number(BigInt.asIntN(8, integerPart(number)))
      case 'int16': return number === null ? 0 : isSmallInteger(number) ? (Number(number.text) << 16) >> 16 : Number(BigInt.asIntN(16, integerPart(number)))
      case 'int32': return number === null ? 0 : isSmallInteger(number) ? Number(number.text) | 0 : Number(BigInt.asIntN(32, integerPart(number)))
      case 'int64': return number === null ? 0 : isSmallInteger(number) ? Number(number.text) + 0 : int64Value(integerPart(number))
      case 'float32': return number === null ? 0 : floatValue(number)
      case 'float64': return number === null ? 0 : doubleValue(number)
      case 'string': return typeof node === 'string' ? node : null
      case 'bytes':
        if (typeof node !== 'string') return null
        try {
          return decodeBase64(node)
        } catch (err) {
          throw new DataError('Invalid bytes field', { cause: err })
        }
      case 'array': {
        // Jackson iterates an object's values and a scalar as empty.
        const elements = Array.isArray(node) ? node : isObjectNode(node) ? [...node.values()] : []
        const elementSchema = schema.valueSchema ?? null
        return elements.map(e => this.toConnect(elementSchema, e))
      }
      case 'map': {
        const keySchema = schema.keySchema ?? null
        const valueSchema = schema.valueSchema ?? null
        const out = new Map<unknown, unknown>()
        if (keySchema === null || keySchema.type === 'string') {
          if (!isObjectNode(node)) throw new DataError(`Maps with string fields should be encoded as JSON objects, but found ${nodeType(node)}`)
          for (const [k, v] of node) out.set(k, this.toConnect(valueSchema, v))
          return inHashMapOrder(out, keySchema)
        }
        if (!Array.isArray(node)) throw new DataError(`Maps with non-string fields should be encoded as JSON array of tuples, but found ${nodeType(node)}`)
        const pairs = node.map((entry): [unknown, unknown] => {
          if (!Array.isArray(entry)) throw new DataError(`Found invalid map entry instead of array tuple: ${nodeType(entry)}`)
          if (entry.length !== 2) throw new DataError(`Found invalid map entry, expected length 2 but found :${entry.length}`)
          return [this.toConnect(keySchema, entry[0]!), this.toConnect(valueSchema, entry[1]!)]
        })
        return javaHashMapOf(keySchema, pairs)
      }
      case 'struct': {
        if (!isObjectNode(node)) throw new DataError(`Structs should be encoded as JSON objects, but found ${nodeType(node)}`)
        const out = new Struct(schema)
        for (const field of schema.fields ?? []) {
          out.put(field.name, this.toConnect(field.schema, node.has(field.name) ? node.get(field.name)! : null))
        }
        return out
      }
    }
    throw new DataError(`Unknown schema type: ${String(schema.type)}`)
  }

  /** Schemaless reading: integral numbers are INT64, other numbers FLOAT64, objects Maps. */
  #toConnectSchemaless (node: JsonNode | undefined): unknown {
    if (node === null || node === MISSING) return null
    if (typeof node === 'boolean' || typeof node === 'string') return node
    if (node instanceof JsonNumber) return node.integral ? int64Value(BigInt(node.text)) : doubleValue(node)
    if (Array.isArray(node)) return node.map(e => this.#toConnectSchemaless(e))
    const out = new Map<string, unknown>()
    for (const [k, v] of node) out.set(k, this.#toConnectSchemaless(v))
    return inHashMapOrder(out, null)
  }
}
