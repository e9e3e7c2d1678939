/**
 * Connect data to JSON text, as Apache's JsonConverter writes it: the value (convertToJson) and, for the envelope,
 * its schema (asJsonSchema).
 */
import { DataError, Struct, schemaEquals, type Schema, type SchemaType } from '../../api/index.ts'
import { javaDoubleToString, javaFloatToString } from '../../java/number-format.ts'
import { invalidType, isPlainObject, javaClassName, schemalessType } from './java-class-name.ts'
import { INT64_LIMIT, INT_RANGES } from './json-number.ts'
import { jsonString } from './json-writer.ts'
import { LOGICAL_TYPES, type DecimalFormat } from './logical-types.ts'
import { JSON_TYPE_NAMES } from './schema-types.ts'

/** Entries of a MAP value: a Map (any key type) or a plain object (string keys). */
function mapEntries (type: SchemaType, value: unknown): Array<[unknown, unknown]> {
  if (value instanceof Map) return [...value as Map<unknown, unknown>]
  if (isPlainObject(value)) return Object.entries(value)
  return invalidType(type, value)
}

/**
 * A STRUCT value's field. Besides Struct, a plain object or a Map keyed by field name is accepted, since connectors
 * written in JS produce those; a missing field reads as null.
 */
function structField (value: object, name: string): unknown {
  // Apache serialises Struct fields with getWithoutDefault: a null field is resolved against its own schema.
  if (value instanceof Struct) return value.getWithoutDefault(name)
  if (value instanceof Map) return (value as Map<unknown, unknown>).get(name)
  return Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined
}

/** Writes values and schemas for one configuration of the converter; it caches the JSON of frozen schemas. */
export class JsonEncoder {
  readonly #replaceNullWithDefault: boolean
  readonly #decimalFormat: DecimalFormat
  /** JSON text of frozen schemas (frozen ones cannot change under the cache). */
  readonly #schemaJsonCache = new WeakMap<Schema, string>()

  constructor (replaceNullWithDefault: boolean, decimalFormat: DecimalFormat) {
    this.#replaceNullWithDefault = replaceNullWithDefault
    this.#decimalFormat = decimalFormat
  }

  /** Apache's asJsonSchema: keys in Jackson insertion order type, items/keys/values/fields, optional, name, … */
  schemaJson (schema: Schema): string {
    const cached = this.#schemaJsonCache.get(schema)
    if (cached !== undefined) return cached
    const typeName = JSON_TYPE_NAMES[schema.type]
    if (typeName === undefined) throw new DataError(`Couldn't translate unsupported schema type ${String(schema.type)}.`)
    let out = `{"type":"${typeName}"`
    switch (schema.type) {
      case 'array':
        out += `,"items":${this.#optionalSchemaJson(schema.valueSchema)}`
        break
      case 'map':
        out += `,"keys":${this.#optionalSchemaJson(schema.keySchema)},"values":${this.#optionalSchemaJson(schema.valueSchema)}`
        break
      case 'struct':
        // Each field is its schema's object with "field" appended as the last key.
        out += `,"fields":[${(schema.fields ?? []).map(f => `${this.schemaJson(f.schema).slice(0, -1)},"field":${jsonString(f.name)}}`).join(',')}]`
        break
    }
    out += `,"optional":${schema.optional === true}`
    if (schema.name != null) out += `,"name":${jsonString(schema.name)}`
    if (schema.version != null) out += `,"version":${schema.version}`
    if (schema.doc != null) out += `,"doc":${jsonString(schema.doc)}`
    if (schema.parameters != null) {
      out += `,"parameters":{${Object.entries(schema.parameters).map(([k, v]) => `${jsonString(k)}:${jsonString(v)}`).join(',')}}`
    }
    if (schema.defaultValue != null) out += `,"default":${this.toJson(schema, schema.defaultValue)}`
    out += '}'
    if (Object.isFrozen(schema)) this.#schemaJsonCache.set(schema, out)
    return out
  }

  #optionalSchemaJson (schema: Schema | undefined): string {
    return schema == null ? 'null' : this.schemaJson(schema)
  }

  /** Apache's convertToJson: the JSON text of a value, nulls resolved against the schema's default and optionality. */
  toJson (schema: Schema | null, value: unknown): string {
    if (value === null || value === undefined) {
      if (schema === null) return 'null'
      if (schema.defaultValue != null && this.#replaceNullWithDefault) return this.toJson(schema, schema.defaultValue)
      if (schema.optional) return 'null'
      throw new DataError('Conversion error: null value for field that is required and has no default value')
    }
    if (schema?.name != null) {
      const codec = LOGICAL_TYPES.get(schema.name)
      if (codec !== undefined) return codec.toJson(schema, value, this.#decimalFormat)
    }
    const type = schema === null ? schemalessType(value) : schema.type
    switch (type) {
      case 'int8':
      case 'int16':
      case 'int32': {
        if (typeof value !== 'number' || !Number.isInteger(value)) return invalidType(type, value)
        const limit = INT_RANGES[type]
        if (value < -limit || value >= limit) throw new DataError(`Invalid value for ${type.toUpperCase()}: ${value} is out of range`)
        return String(value)
      }
      case 'int64':
        if (typeof value === 'bigint') {
          if (value < -INT64_LIMIT || value >= INT64_LIMIT) throw new DataError(`Invalid value for INT64: ${value} is out of range`)
          return value.toString()
        }
        if (typeof value !== 'number' || !Number.isInteger(value)) return invalidType(type, value)
        if (Math.abs(value) >= 2 ** 63 && value !== -(2 ** 63)) throw new DataError(`Invalid value for INT64: ${value} is out of range`)
        return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString()
      case 'float32':
      case 'float64': {
        if (typeof value !== 'number') return invalidType(type, value)
        const text = type === 'float32' ? javaFloatToString(value) : javaDoubleToString(value)
        // Jackson quotes the non-numeric values (QUOTE_NON_NUMERIC_NUMBERS).
        return Number.isFinite(value) ? text : `"${text}"`
      }
      case 'boolean':
        return typeof value === 'boolean' ? String(value) : invalidType(type, value)
      case 'string':
        return typeof value === 'string' ? jsonString(value) : invalidType(type, value)
      case 'bytes':
        // Apache words this one differently from the other types.
        if (!(value instanceof Uint8Array)) throw new DataError(`Invalid type for bytes type: class ${javaClassName(value)}`)
        return `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"`
      case 'array': {
        if (!Array.isArray(value)) return invalidType(type, value)
        const elementSchema = schema?.valueSchema ?? null
        let out = '['
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + this.toJson(elementSchema, value[i])
        return out + ']'
      }
      case 'map': {
        const entries = mapEntries(type, value)
        const keySchema = schema?.keySchema ?? null
        const valueSchema = schema?.valueSchema ?? null
        const objectMode = keySchema !== null ? keySchema.type === 'string' : entries.every(([k]) => typeof k === 'string')
        if (!objectMode) return `[${entries.map(([k, v]) => `[${this.toJson(keySchema, k)},${this.toJson(valueSchema, v)}]`).join(',')}]`
        // Keys become text; an optional null key becomes "null", and a repeated text keeps its first position.
        const fields = new Map<string, string>()
        for (const [k, v] of entries) fields.set(this.#mapKeyText(keySchema, k), this.toJson(valueSchema, v))
        return `{${[...fields].map(([k, v]) => `${jsonString(k)}:${v}`).join(',')}}`
      }
      case 'struct': {
        if (schema === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) return invalidType(type, value)
        if (value instanceof Struct && !schemaEquals(value.schema, schema)) throw new DataError('Mismatching schema.')
        return `{${(schema.fields ?? []).map(f => `${jsonString(f.name)}:${this.toJson(f.schema, structField(value, f.name))}`).join(',')}}`
      }
    }
    throw new DataError(`Couldn't convert ${String(value)} to JSON.`)
  }

  /** The object key for a map key in object mode: the key's JSON node as text (Jackson's asText). */
  #mapKeyText (keySchema: Schema | null, key: unknown): string {
    if (key === null || key === undefined) {
      if (keySchema === null) return 'null'
      if (keySchema.defaultValue != null && this.#replaceNullWithDefault) return this.#mapKeyText(keySchema, keySchema.defaultValue)
      if (keySchema.optional) return 'null'
      throw new DataError('Conversion error: null value for field that is required and has no default value')
    }
    return typeof key === 'string' ? key : invalidType('string', key)
  }
}
