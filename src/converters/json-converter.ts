/**
 * Kafka's JsonConverter (org.apache.kafka.connect.json.JsonConverter): Connect data ⇄ JSON bytes, with the
 * {"schema":…,"payload":…} envelope when schemas.enable=true. Output text follows Jackson's exact rules (key order,
 * escaping, Java number text) so the bytes in Kafka match Apache's.
 */
import {
  ConfigDef, DataError, ValidString,
  type Converter, type HeaderConverter, type Headers, type Schema, type SchemaAndValue, type SchemaType
} from '../api/index.ts'
import { jacksonString, parseJsonExact } from '../util/json.ts'
import { javaDoubleToString, javaFloatToString } from './java-number-format.ts'

export const SCHEMAS_ENABLE_CONFIG = 'schemas.enable'
export const SCHEMAS_CACHE_SIZE_CONFIG = 'schemas.cache.size'
export const DECIMAL_FORMAT_CONFIG = 'decimal.format'
export const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default'
export const CONVERTER_TYPE_CONFIG = 'converter.type'

export const JSON_CONVERTER_CONFIG_DEF = new ConfigDef()
  .define({ name: SCHEMAS_ENABLE_CONFIG, type: 'boolean', default: true, importance: 'high', documentation: 'Include schemas within each of the serialized values and keys.' })
  .define({ name: SCHEMAS_CACHE_SIZE_CONFIG, type: 'int', default: 1000, importance: 'high', documentation: 'The maximum number of schemas that can be cached in this converter instance.' })
  .define({ name: DECIMAL_FORMAT_CONFIG, type: 'string', default: 'BASE64', validator: ValidString.inCaseInsensitive('BASE64', 'NUMERIC'), importance: 'low', documentation: 'Controls which format this converter will serialize decimals in.' })
  .define({ name: REPLACE_NULL_WITH_DEFAULT_CONFIG, type: 'boolean', default: true, importance: 'low', documentation: 'Whether to replace fields that have a default value and that are null to the default value.' })
  .define({ name: CONVERTER_TYPE_CONFIG, type: 'string', default: null, validator: ValidString.inCaseInsensitive('key', 'value', 'header'), importance: 'low', documentation: 'How this converter will be used.' })

const JSON_TYPE: Record<SchemaType, string> = {
  int8: 'int8', int16: 'int16', int32: 'int32', int64: 'int64', float32: 'float', float64: 'double',
  boolean: 'boolean', string: 'string', bytes: 'bytes', array: 'array', map: 'map', struct: 'struct'
}
const FROM_JSON_TYPE: Record<string, SchemaType> = Object.fromEntries(Object.entries(JSON_TYPE).map(([k, v]) => [v, k as SchemaType]))

export class JsonConverter implements Converter, HeaderConverter {
  kind = 'converter' as 'converter' & 'header_converter'
  #schemasEnabled = true
  #replaceNullWithDefault = true

  configure (configs: Readonly<Record<string, string>>, _isKey = false): void {
    const parsed = JSON_CONVERTER_CONFIG_DEF.parse(configs, 'JsonConverter')
    this.#schemasEnabled = parsed.boolean(SCHEMAS_ENABLE_CONFIG)
    this.#replaceNullWithDefault = parsed.boolean(REPLACE_NULL_WITH_DEFAULT_CONFIG)
  }

  config (): ConfigDef { return JSON_CONVERTER_CONFIG_DEF }

  fromConnectData (_topic: string, _headers: Headers, schema: Schema | null, value: unknown): Buffer | null {
    // Only a null schema with a null value is a tombstone.
    if (schema === null && (value === null || value === undefined)) return null
    const payload = this.#toJson(schema, value) ?? 'null'
    const text = this.#schemasEnabled ? `{"schema":${schema === null ? 'null' : this.#schemaJson(schema)},"payload":${payload}}` : payload
    return Buffer.from(text, 'utf8')
  }

  toConnectData (_topic: string, _headers: Headers, value: Buffer | null): SchemaAndValue {
    if (value === null) return { schema: null, value: null }
    let node: unknown
    try {
      node = value.length === 0 ? undefined : parseJsonExact(value.toString('utf8'))
    } catch (err) {
      throw new DataError(`Converting byte[] to Kafka Connect data failed due to serialization error: ${(err as Error).message}`, { cause: err })
    }
    if (this.#schemasEnabled) {
      if (!isObject(node) || Object.keys(node).length !== 2 || !('schema' in node) || !('payload' in node)) {
        throw new DataError('JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.')
      }
      const schema = node.schema === null ? null : this.#connectSchema(node.schema)
      return { schema, value: this.#toConnect(schema, node.payload) }
    }
    return { schema: null, value: this.#toConnect(null, node) }
  }

  fromConnectHeader (topic: string, _key: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, undefined as unknown as Headers, schema, value)
  }

  toConnectHeader (topic: string, _key: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, undefined as unknown as Headers, value)
  }

  #schemaJson (schema: Schema): string {
    let out = `{"type":${jacksonString(JSON_TYPE[schema.type])}`
    if (schema.type === 'array') out += `,"items":${this.#schemaJson(schema.valueSchema!)}`
    if (schema.type === 'map') out += `,"keys":${this.#schemaJson(schema.keySchema!)},"values":${this.#schemaJson(schema.valueSchema!)}`
    if (schema.type === 'struct') {
      out += `,"fields":[${(schema.fields ?? []).map(f => this.#schemaJson(f.schema).slice(0, -1) + `,"field":${jacksonString(f.name)}}`).join(',')}]`
    }
    out += `,"optional":${schema.optional}`
    if (schema.name != null) out += `,"name":${jacksonString(schema.name)}`
    if (schema.version != null) out += `,"version":${schema.version}`
    if (schema.doc != null) out += `,"doc":${jacksonString(schema.doc)}`
    if (schema.parameters != null) out += `,"parameters":{${Object.entries(schema.parameters).map(([k, v]) => `${jacksonString(k)}:${jacksonString(v)}`).join(',')}}`
    if (schema.defaultValue !== undefined && schema.defaultValue !== null) out += `,"default":${this.#toJson(schema, schema.defaultValue)}`
    return out + '}'
  }

  /** JSON text of a value, or undefined for a schemaless null at the top level. */
  #toJson (schema: Schema | null, value: unknown): string | undefined {
    if (value === null || value === undefined) {
      if (schema === null) return undefined
      if (schema.defaultValue !== undefined && schema.defaultValue !== null && this.#replaceNullWithDefault) return this.#toJson(schema, schema.defaultValue)
      if (schema.optional) return 'null'
      throw new DataError('Conversion error: null value for field that is required and has no default value')
    }
    const type = schema?.type ?? inferType(value)
    const invalid = (): never => { throw new DataError(`Invalid type for ${type.toUpperCase()}: ${typeName(value)}`) }
    switch (type) {
      case 'int8': case 'int16': case 'int32': case 'int64':
        if (typeof value === 'bigint') return value.toString()
        if (typeof value !== 'number' || !Number.isInteger(value)) return invalid()
        return String(value)
      case 'float32':
      case 'float64': {
        if (typeof value !== 'number') return invalid()
        const text = type === 'float32' ? javaFloatToString(value) : javaDoubleToString(value)
        return Number.isFinite(value) ? text : jacksonString(text)
      }
      case 'boolean': return typeof value === 'boolean' ? String(value) : invalid()
      case 'string': return typeof value === 'string' ? jacksonString(value) : invalid()
      case 'bytes':
        if (!(value instanceof Uint8Array)) return invalid()
        return `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"`
      case 'array':
        if (!Array.isArray(value)) return invalid()
        return `[${value.map(v => this.#toJson(schema?.valueSchema ?? null, v) ?? 'null').join(',')}]`
      case 'map': {
        const entries: Array<[unknown, unknown]> = value instanceof Map ? [...value] : isObject(value) ? Object.entries(value) : invalid()
        const objectMode = schema ? schema.keySchema?.type === 'string' : entries.every(([k]) => typeof k === 'string')
        const vs = schema?.valueSchema ?? null
        if (objectMode) return `{${entries.map(([k, v]) => `${jacksonString(String(k))}:${this.#toJson(vs, v) ?? 'null'}`).join(',')}}`
        return `[${entries.map(([k, v]) => `[${this.#toJson(schema?.keySchema ?? null, k) ?? 'null'},${this.#toJson(vs, v) ?? 'null'}]`).join(',')}]`
      }
      case 'struct': {
        if (!schema || !isObject(value)) return invalid()
        const get = (name: string): unknown => value instanceof Map ? value.get(name) : (value as Record<string, unknown>)[name]
        return `{${(schema.fields ?? []).map(f => `${jacksonString(f.name)}:${this.#toJson(f.schema, get(f.name)) ?? 'null'}`).join(',')}}`
      }
    }
  }

  #connectSchema (node: unknown): Schema {
    if (!isObject(node) || typeof node.type !== 'string') throw new DataError('Schema must contain \'type\' field')
    const type = FROM_JSON_TYPE[node.type]
    if (!type) throw new DataError(`Unknown schema type: ${node.type}`)
    const schema: { -readonly [K in keyof Schema]: Schema[K] } = { type, optional: node.optional === true }
    if (type === 'array') {
      if (node.items == null) throw new DataError('Array schema did not specify the element type')
      schema.valueSchema = this.#connectSchema(node.items)
    }
    if (type === 'map') {
      if (!('keys' in node)) throw new DataError('Map schema did not specify the key type')
      if (!('values' in node)) throw new DataError('Map schema did not specify the value type')
      schema.keySchema = this.#connectSchema(node.keys)
      schema.valueSchema = this.#connectSchema(node.values)
    }
    if (type === 'struct') {
      if (!Array.isArray(node.fields)) throw new DataError('Struct schema\'s "fields" argument is not an array.')
      schema.fields = node.fields.map((f: unknown, index: number) => {
        if (!isObject(f) || typeof f.field !== 'string') throw new DataError('Struct schema\'s field name not specified properly')
        return { name: f.field, index, schema: this.#connectSchema(f) }
      })
    }
    if (typeof node.name === 'string') schema.name = node.name
    if (typeof node.version === 'number' && Number.isInteger(node.version)) schema.version = node.version
    if (typeof node.doc === 'string') schema.doc = node.doc
    if (isObject(node.parameters)) {
      const params: Record<string, string> = {}
      for (const [k, v] of Object.entries(node.parameters)) {
        if (typeof v !== 'string') throw new DataError('Schema parameters must have string values.')
        params[k] = v
      }
      schema.parameters = params
    }
    if ('default' in node && node.default !== null) schema.defaultValue = this.#toConnect(schema, node.default)
    return schema
  }

  #toConnect (schema: Schema | null, node: unknown): unknown {
    if (node === null || node === undefined) {
      if (schema === null) return null
      if (schema.defaultValue !== undefined && schema.defaultValue !== null && this.#replaceNullWithDefault) return schema.defaultValue
      if (schema.optional) return null
      throw new DataError(`Invalid null value for required ${schema.type.toUpperCase()} field`)
    }
    if (schema === null) {
      if (Array.isArray(node)) return node.map(v => this.#toConnect(null, v))
      if (isObject(node)) return new Map(Object.entries(node).map(([k, v]) => [k, this.#toConnect(null, v)]))
      return node
    }
    switch (schema.type) {
      case 'boolean': return node === true
      case 'int8': case 'int16': case 'int32':
        return typeof node === 'number' ? Math.trunc(node) : typeof node === 'bigint' ? Number(BigInt.asIntN(32, node)) : 0
      case 'int64':
        return typeof node === 'number' ? Math.trunc(node) : typeof node === 'bigint' ? node : 0
      case 'float32': case 'float64':
        return typeof node === 'number' ? node : typeof node === 'bigint' ? Number(node) : 0
      case 'string': return typeof node === 'string' ? node : null
      case 'bytes':
        if (typeof node !== 'string') return null
        return Buffer.from(node, 'base64')
      case 'array':
        if (!Array.isArray(node)) throw new DataError(`Arrays should be encoded as JSON arrays, but found ${jsonType(node)}`)
        return node.map(v => this.#toConnect(schema.valueSchema ?? null, v))
      case 'map':
        if (schema.keySchema?.type === 'string') {
          if (!isObject(node)) throw new DataError(`Maps with string fields should be encoded as JSON objects, but found ${jsonType(node)}`)
          return new Map(Object.entries(node).map(([k, v]) => [k, this.#toConnect(schema.valueSchema ?? null, v)]))
        }
        if (!Array.isArray(node)) throw new DataError(`Maps with non-string fields should be encoded as JSON array of tuples, but found ${jsonType(node)}`)
        return new Map(node.map(entry => {
          if (!Array.isArray(entry)) throw new DataError(`Found invalid map entry instead of array tuple: ${jsonType(entry)}`)
          if (entry.length !== 2) throw new DataError(`Found invalid map entry, expected length 2 but found :${entry.length}`)
          return [this.#toConnect(schema.keySchema ?? null, entry[0]), this.#toConnect(schema.valueSchema ?? null, entry[1])]
        }))
      case 'struct': {
        if (!isObject(node)) throw new DataError(`Structs should be encoded as JSON objects, but found ${jsonType(node)}`)
        const out: Record<string, unknown> = {}
        for (const f of schema.fields ?? []) out[f.name] = this.#toConnect(f.schema, node[f.name])
        return out
      }
    }
  }
}

function isObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)
}

function inferType (value: unknown): SchemaType {
  if (typeof value === 'string') return 'string'
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'bigint') return 'int64'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64'
  if (value instanceof Uint8Array) return 'bytes'
  if (Array.isArray(value)) return 'array'
  if (value instanceof Map || isObject(value)) return 'map'
  throw new DataError(`Java class ${typeName(value)} does not have corresponding schema type.`)
}

function typeName (value: unknown): string {
  if (typeof value === 'object' && value !== null) return `class ${value.constructor?.name ?? 'Object'}`
  return typeof value
}

function jsonType (node: unknown): string {
  if (Array.isArray(node)) return 'ARRAY'
  if (isObject(node)) return 'OBJECT'
  if (typeof node === 'string') return 'STRING'
  if (typeof node === 'boolean') return 'BOOLEAN'
  return 'NUMBER'
}
