/**
 * A Connect schema to the JSON Schema text Confluent's JsonSchemaConverter registers (JsonSchemaData.fromConnectSchema,
 * then the schema library's printer, then Jackson's canonical rewrite). The same Connect schema gives the same text as
 * Confluent's, key order included, so both converters find one registered schema:
 *  - keys come in the printer's order: a schema's own keyword first ("type", or "enum"), then title, description,
 *    default, then the connect.* properties, then items / additionalProperties / properties; a oneOf puts its
 *    connect.index before "oneOf";
 *  - the connect.* properties, the "properties" of an object, the keys of connect.parameters and of object defaults and
 *    an enum's symbols come in java.util.HashMap / HashSet order, since Confluent keeps them in those;
 *  - numbers in defaults are printed as org.json prints them (trailing fraction zeros dropped) and read back by
 *    Jackson as exact decimals (so 1.5E10 becomes 1.5E+10);
 *  - no "$schema": Confluent writes none, and readers take such a schema as draft 7.
 */
import { BigDecimal, DataError, DECIMAL_LOGICAL_NAME, javaHashMapOrder, javaStringHash, type Schema } from '../../../api/index.ts'
import { JsonNumber, type JsonNode, type JsonObject } from '../../../util/json-reader.ts'
import { connectToJson, type ToJsonOptions } from './connect-to-json.ts'
import type { JsonSchemaSettings } from './json-schema-config.ts'
import { num } from './json-text.ts'
import {
  CONNECT_INDEX_PROP, CONNECT_PARAMETERS_PROP, CONNECT_TYPE_BYTES, CONNECT_TYPE_MAP, CONNECT_TYPE_PROP, CONNECT_VERSION_PROP,
  GENERALIZED_TYPE_ENUM, JSON_TYPE_ENUM, KEY_FIELD, NAMESPACE, NULL_MARKER, VALUE_FIELD, isUnionSchema
} from './names.ts'

/** One schema as the printer sees it (the everit schema kinds Confluent builds). */
interface Raw {
  kind: 'boolean' | 'integer' | 'number' | 'string' | 'enum' | 'null' | 'array' | 'object' | 'oneOf'
  enumValues?: Array<string | null>
  items?: Raw
  properties?: Array<[string, Raw]>
  noAdditionalProperties?: boolean
  additionalPropertiesSchema?: Raw
  subschemas?: Raw[]
  title?: string
  description?: string
  default?: JsonNode
  /** connect.* properties in insertion order (printed in HashMap order). */
  unprocessed: Array<[string, JsonNode]>
}

const NULL_RAW: Raw = { kind: 'null', unprocessed: [] }

type Entry<V> = [string, V]
const byStringHash = (k: string | null): number => k === null ? 0 : javaStringHash(k)

/** A HashMap filled by put() from empty, in the order given. */
function hashMapOrder<V> (entries: Array<Entry<V>>): Array<Entry<V>> {
  return javaHashMapOrder(entries, byStringHash)
}

export class FromConnectSchema {
  readonly #settings: JsonSchemaSettings
  readonly #toJson: ToJsonOptions

  constructor (settings: JsonSchemaSettings) {
    this.#settings = settings
    this.#toJson = { decimalFormat: settings.decimalFormat, ignoreDefaultForNullables: settings.ignoreDefaultForNullables }
  }

  /** The schema's JSON tree, keys in Confluent's order. */
  toJsonTree (schema: Schema): JsonObject {
    return print(this.#raw(schema, null, false))
  }

  #raw (schema: Schema, index: number | null, ignoreOptional: boolean): Raw {
    let raw: Raw
    const unprocessed: Array<[string, JsonNode]> = []
    switch (schema.type) {
      case 'int8': case 'int16': case 'int32': case 'int64':
        raw = { kind: 'integer', unprocessed }
        unprocessed.push([CONNECT_TYPE_PROP, schema.type])
        break
      case 'float32': case 'float64':
        raw = { kind: 'number', unprocessed }
        unprocessed.push([CONNECT_TYPE_PROP, schema.type])
        break
      case 'boolean':
        raw = { kind: 'boolean', unprocessed }
        break
      case 'string': {
        const params = schema.parameters ?? {}
        if (Object.hasOwn(params, GENERALIZED_TYPE_ENUM) || Object.hasOwn(params, JSON_TYPE_ENUM)) {
          const prefix = `${this.#settings.generalizedSumTypeSupport ? GENERALIZED_TYPE_ENUM : JSON_TYPE_ENUM}.`
          const symbols = Object.keys(params).filter(k => k.startsWith(prefix)).map(k => k.slice(prefix.length))
          raw = { kind: 'enum', enumValues: symbols.map(s => s === NULL_MARKER ? null : s), unprocessed }
        } else {
          raw = { kind: 'string', unprocessed }
        }
        break
      }
      case 'bytes':
        raw = { kind: schema.name === DECIMAL_LOGICAL_NAME && this.#settings.decimalFormat === 'NUMERIC' ? 'number' : 'string', unprocessed }
        unprocessed.push([CONNECT_TYPE_PROP, CONNECT_TYPE_BYTES])
        break
      case 'array':
        raw = { kind: 'array', items: this.#raw(schema.valueSchema!, null, false), unprocessed }
        break
      case 'map': {
        const keySchema = schema.keySchema!
        if (keySchema.type === 'string' && !keySchema.optional) {
          raw = { kind: 'object', additionalPropertiesSchema: this.#raw(schema.valueSchema!, null, false), unprocessed }
        } else {
          const entry: Raw = {
            kind: 'object',
            properties: [[KEY_FIELD, this.#raw(keySchema, 0, false)], [VALUE_FIELD, this.#raw(schema.valueSchema!, 1, false)]],
            unprocessed: []
          }
          raw = { kind: 'array', items: entry, unprocessed }
        }
        unprocessed.push([CONNECT_TYPE_PROP, CONNECT_TYPE_MAP])
        break
      }
      case 'struct':
        if (isUnionSchema(schema)) {
          const branches = (schema.fields ?? []).map(f => this.#raw({ ...f.schema, optional: false }, f.index, true))
          raw = { kind: 'oneOf', subschemas: schema.optional ? [NULL_RAW, ...branches] : branches, unprocessed }
        } else if (schema.optional) {
          raw = { kind: 'oneOf', subschemas: [NULL_RAW, this.#raw({ ...schema, optional: false }, null, false)], unprocessed }
        } else {
          raw = {
            kind: 'object',
            properties: (schema.fields ?? []).map(f => [f.name, this.#raw(f.schema, f.index, false)]),
            noAdditionalProperties: !this.#settings.allowAdditionalProperties,
            unprocessed
          }
        }
        break
      default:
        throw new DataError(`Unsupported type ${String(schema.type)}`)
    }
    if (raw.kind !== 'oneOf') {
      if (schema.name !== undefined) raw.title = schema.name
      if (schema.version !== undefined) unprocessed.push([CONNECT_VERSION_PROP, num(String(schema.version))])
      if (schema.doc !== undefined) raw.description = schema.doc
      if (schema.parameters !== undefined) {
        // Confluent's own parameters (an enum's symbols) are written as JSON Schema; the rest as connect.parameters.
        const kept = Object.entries(schema.parameters).filter(([k]) => !k.startsWith(NAMESPACE))
        // Collected into a HashMap, which org.json copies into one sized for it before printing.
        if (kept.length > 0) unprocessed.push([CONNECT_PARAMETERS_PROP, new Map(javaHashMapOrder(hashMapOrder(kept), byStringHash, { kind: 'capacity', initialCapacity: kept.length }))])
      }
      if (schema.defaultValue !== undefined && schema.defaultValue !== null) raw.default = this.#defaultNode(schema)
      if (!ignoreOptional && schema.optional) {
        raw = { kind: 'oneOf', subschemas: [NULL_RAW, raw], unprocessed: [] }
      }
    }
    if (index !== null) raw.unprocessed.push([CONNECT_INDEX_PROP, num(String(index))])
    return raw
  }

  #defaultNode (schema: Schema): JsonNode {
    const node = connectToJson(schema, schema.defaultValue, this.#toJson)
    return orgJsonRoundTrip(node ?? null)
  }
}

/**
 * A default value as it comes out of Confluent's pipeline: the Jackson tree converted to org.json values (objects
 * become HashMaps), printed by org.json, and read back by Jackson with exact decimals.
 */
function orgJsonRoundTrip (node: JsonNode): JsonNode {
  if (node instanceof JsonNumber) return orgJsonNumber(node.text)
  if (Array.isArray(node)) return node.map(orgJsonRoundTrip)
  if (node instanceof Map) return new Map(hashMapOrder([...node].map(([k, v]) => [k, orgJsonRoundTrip(v)])))
  return node
}

function orgJsonNumber (text: string): JsonNumber {
  let t = text
  // org.json's numberToString drops trailing zeros of a plain fraction ("1.50" -> "1.5", "2.0" -> "2").
  if (t.includes('.') && !/[eE]/.test(t)) t = t.replace(/0+$/, '').replace(/\.$/, '')
  if (!/[.eE]/.test(t)) return new JsonNumber(BigInt(t).toString(), true)
  return new JsonNumber(BigDecimal.parse(t).toString(), false)
}

/** The printer's key order for one schema. */
function print (raw: Raw): JsonObject {
  const out: JsonObject = new Map()
  switch (raw.kind) {
    case 'boolean': case 'integer': case 'number': case 'string': case 'null':
      out.set('type', raw.kind)
      break
    case 'enum':
      // The printer takes the symbols from a HashSet.
      out.set('enum', javaHashMapOrder(raw.enumValues!.map(v => [v, v] as [string | null, string | null]), byStringHash).map(([v]) => v))
      break
    case 'array':
      out.set('type', 'array')
      break
    case 'object':
      out.set('type', 'object')
      if (raw.noAdditionalProperties === true) out.set('additionalProperties', false)
      break
    case 'oneOf':
      break
  }
  if (raw.title !== undefined) out.set('title', raw.title)
  if (raw.description !== undefined) out.set('description', raw.description)
  if (raw.default !== undefined) out.set('default', raw.default)
  if (raw.unprocessed.length > 0) {
    // A HashMap filled in order, then copied by the schema's constructor (a smaller table for so few keys).
    const ordered = javaHashMapOrder(hashMapOrder(raw.unprocessed), byStringHash, { kind: 'copy', sourceSize: raw.unprocessed.length })
    for (const [k, v] of ordered) out.set(k, v)
  }
  switch (raw.kind) {
    case 'array':
      out.set('items', print(raw.items!))
      break
    case 'object':
      if (raw.additionalPropertiesSchema !== undefined) out.set('additionalProperties', print(raw.additionalPropertiesSchema))
      if (raw.properties !== undefined && raw.properties.length > 0) {
        out.set('properties', new Map(hashMapOrder(raw.properties).map(([k, v]) => [k, print(v)])))
      }
      break
    case 'oneOf':
      out.set('oneOf', raw.subschemas!.map(print))
      break
    default:
      break
  }
  return out
}
