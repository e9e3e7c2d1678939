/**
 * SchemaBuilder and schema checks (Kafka's SchemaBuilder, ConnectSchema.equals and ConnectSchema.validateValue), with
 * Kafka's error messages.
 */
import { DataError } from './errors.ts'
import type { Field, Schema, SchemaType } from './schema.ts'

export class SchemaBuilderError extends DataError {
  constructor (message: string, options: { cause?: unknown } = {}) {
    super(message, options)
    this.name = 'SchemaBuilderError'
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

export class SchemaBuilder {
  readonly #s: Mutable<Schema> & { fields?: Field[] }
  readonly #set = new Set<string>()

  constructor (type: SchemaType) {
    if (!type) throw new SchemaBuilderError('type cannot be null')
    this.#s = { type, optional: false }
    if (type === 'struct') this.#s.fields = []
  }

  static int8 (): SchemaBuilder { return new SchemaBuilder('int8') }
  static int16 (): SchemaBuilder { return new SchemaBuilder('int16') }
  static int32 (): SchemaBuilder { return new SchemaBuilder('int32') }
  static int64 (): SchemaBuilder { return new SchemaBuilder('int64') }
  static float32 (): SchemaBuilder { return new SchemaBuilder('float32') }
  static float64 (): SchemaBuilder { return new SchemaBuilder('float64') }
  static bool (): SchemaBuilder { return new SchemaBuilder('boolean') }
  static string (): SchemaBuilder { return new SchemaBuilder('string') }
  static bytes (): SchemaBuilder { return new SchemaBuilder('bytes') }
  static struct (): SchemaBuilder { return new SchemaBuilder('struct') }

  static array (valueSchema: Schema | null): SchemaBuilder {
    if (!valueSchema) throw new SchemaBuilderError('valueSchema cannot be null.')
    const b = new SchemaBuilder('array')
    b.#s.valueSchema = valueSchema
    return b
  }

  static map (keySchema: Schema | null, valueSchema: Schema | null): SchemaBuilder {
    if (!keySchema) throw new SchemaBuilderError('keySchema cannot be null.')
    if (!valueSchema) throw new SchemaBuilderError('valueSchema cannot be null.')
    const b = new SchemaBuilder('map')
    b.#s.keySchema = keySchema
    b.#s.valueSchema = valueSchema
    return b
  }

  /** Each attribute may be set once (setting the same value again is allowed), as in Kafka. */
  #once<K extends 'optional' | 'name' | 'version' | 'doc' | 'defaultValue'> (key: K, label: string, value: Schema[K]): this {
    if (this.#set.has(key) && this.#s[key] !== value) throw new SchemaBuilderError(`Invalid SchemaBuilder call: ${label} has already been set.`)
    this.#set.add(key)
    const target: Record<string, unknown> = this.#s
    target[key] = value
    return this
  }

  optional (): this { return this.#once('optional', 'optional', true) }
  required (): this { return this.#once('optional', 'optional', false) }
  name (name: string): this { return this.#once('name', 'name', name) }
  version (version: number): this { return this.#once('version', 'version', version) }
  doc (doc: string): this { return this.#once('doc', 'doc', doc) }

  defaultValue (value: unknown): this {
    try {
      validateValue(this.#s, value)
    } catch (err) {
      throw new SchemaBuilderError('Invalid default value', { cause: err })
    }
    return this.#once('defaultValue', 'default', value)
  }

  parameter (key: string, value: string): this {
    this.#s.parameters = { ...(this.#s.parameters ?? {}), [key]: value }
    return this
  }

  parameters (params: Readonly<Record<string, string>>): this {
    if (Object.keys(params).length === 0) return this
    this.#s.parameters = { ...(this.#s.parameters ?? {}), ...params }
    return this
  }

  field (name: string, schema: Schema | null): this {
    if (this.#s.type !== 'struct') throw new SchemaBuilderError(`Cannot create fields on type ${this.#s.type.toUpperCase()}`)
    if (!name) throw new SchemaBuilderError('fieldName cannot be null.')
    if (!schema) throw new SchemaBuilderError(`fieldSchema for field ${name} cannot be null.`)
    const fields = this.#s.fields!
    if (fields.some(f => f.name === name)) throw new SchemaBuilderError(`Cannot create field because of field name duplication ${name}`)
    fields.push(Object.freeze({ name, index: fields.length, schema }))
    return this
  }

  build (): Schema {
    const s: Mutable<Schema> = { ...this.#s }
    if (s.fields) s.fields = Object.freeze([...s.fields])
    if (s.parameters) s.parameters = Object.freeze({ ...s.parameters })
    return Object.freeze(s)
  }
}

/** Kafka's ConnectSchema.equals: every attribute, fields (with index), inner schemas and parameters. */
export function schemaEquals (a: Schema | null | undefined, b: Schema | null | undefined): boolean {
  if (a === b) return true
  if (!a || !b) return false
  if (a.type !== b.type || a.optional !== b.optional || a.name !== b.name || a.version !== b.version || a.doc !== b.doc) return false
  if (!valueEquals(a.defaultValue ?? null, b.defaultValue ?? null)) return false
  if (JSON.stringify(a.parameters ?? null) !== JSON.stringify(b.parameters ?? null)) return false
  if (!schemaEquals(a.keySchema, b.keySchema) || !schemaEquals(a.valueSchema, b.valueSchema)) return false
  const fa = a.fields ?? []
  const fb = b.fields ?? []
  return fa.length === fb.length && fa.every((f, i) => f.name === fb[i]!.name && f.index === fb[i]!.index && schemaEquals(f.schema, fb[i]!.schema))
}

/** Deep equality for Connect values (Kafka's Objects.deepEquals). */
export function valueEquals (a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => valueEquals(v, b[i]))
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false
    for (const [k, v] of a) if (!b.has(k) || !valueEquals(v, b.get(k))) return false
    return true
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime()
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null &&
    typeof (a as { equals?: unknown }).equals === 'function') return (a as { equals: (o: unknown) => boolean }).equals(b)
  return false
}

const LOGICAL_CLASSES: Record<string, { check: (v: unknown) => boolean, javaClass: string }> = {
  'org.apache.kafka.connect.data.Decimal': { check: v => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'decimal', javaClass: 'java.math.BigDecimal' },
  'org.apache.kafka.connect.data.Date': { check: v => v instanceof Date, javaClass: 'java.util.Date' },
  'org.apache.kafka.connect.data.Time': { check: v => v instanceof Date, javaClass: 'java.util.Date' },
  'org.apache.kafka.connect.data.Timestamp': { check: v => v instanceof Date, javaClass: 'java.util.Date' }
}

const RANGES: Partial<Record<SchemaType, [bigint, bigint]>> = {
  int8: [-128n, 127n], int16: [-32768n, 32767n], int32: [-2147483648n, 2147483647n], int64: [-(2n ** 63n), 2n ** 63n - 1n]
}

function matchesType (type: SchemaType, value: unknown): boolean {
  switch (type) {
    case 'int8': case 'int16': case 'int32': case 'int64': {
      const range = RANGES[type]!
      const n = typeof value === 'bigint' ? value : typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : null
      return n !== null && n >= range[0] && n <= range[1]
    }
    case 'float32': case 'float64': return typeof value === 'number'
    case 'boolean': return typeof value === 'boolean'
    case 'string': return typeof value === 'string'
    case 'bytes': return value instanceof Uint8Array
    case 'array': return Array.isArray(value)
    case 'map': return value instanceof Map || (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype)
    case 'struct': return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'struct'
  }
}

function describe (value: unknown): string {
  if (typeof value === 'object' && value !== null) return `class ${(value as object).constructor?.name ?? 'Object'}`
  return typeof value
}

/** Kafka's ConnectSchema.validateValue, with its messages; `location` is "value" or `field: "<name>"`. */
export function validateValue (schema: Schema, value: unknown, location = 'value'): void {
  if (value === null || value === undefined) {
    if (!schema.optional) throw new DataError(`Invalid value: null used for required ${location}, schema type: ${schema.type.toUpperCase()}`)
    return
  }
  const logical = schema.name ? LOGICAL_CLASSES[schema.name] : undefined
  const ok = logical ? logical.check(value) : matchesType(schema.type, value)
  if (!ok) {
    throw new DataError(`Invalid Java object for schema${schema.name ? `["${schema.name}"]` : ''} with type ${schema.type.toUpperCase()}: ${describe(value)} for ${location}`)
  }
  switch (schema.type) {
    case 'struct': {
      const struct = value as { schema: Schema, validate: () => void }
      if (!schemaEquals(struct.schema, schema)) throw new DataError('Struct schemas do not match.')
      struct.validate()
      break
    }
    case 'array':
      if (!schema.valueSchema) throw new DataError(`No schema defined for element of array ${location}`)
      for (const v of value as unknown[]) validateValue(schema.valueSchema, v, `element of array ${location}`)
      break
    case 'map': {
      if (!schema.keySchema || !schema.valueSchema) throw new DataError(`No schema defined for key of map ${location}`)
      const entries = value instanceof Map ? [...value] : Object.entries(value as object)
      for (const [k, v] of entries) {
        validateValue(schema.keySchema, k, `key of map ${location}`)
        validateValue(schema.valueSchema, v, `value of map ${location}`)
      }
      break
    }
    default:
      break
  }
}
