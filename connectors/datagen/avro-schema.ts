/**
 * Avro schemas as the generator reads them: parsed from their JSON form with the Avro specification's rules (names
 * and namespaces, references to named types, unions, field defaults checked against their type), keeping every other
 * attribute (`arg.properties`, `logicalType`, `connect.*`) in `props`. A named type referenced twice is one object,
 * so generator state attached to a schema (an iteration) is shared the way Avro's Java parser shares it.
 */
import { parseJsonText, JsonTextError } from './json-text.ts'

export type AvroPrimitiveType = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string'
export type AvroProps = Readonly<Record<string, unknown>>

/** The logical types Connect's Avro mapping knows; others leave the underlying type as it is. */
export type AvroLogical =
  | { readonly kind: 'decimal', readonly precision: number, readonly scale: number }
  | { readonly kind: 'date' | 'time-millis' | 'timestamp-millis' }

interface Common {
  readonly props: AvroProps
  readonly logical: AvroLogical | null
}
export interface AvroPrimitive extends Common { readonly type: AvroPrimitiveType }
interface Named extends Common {
  readonly name: string
  readonly namespace: string | null
  readonly fullName: string
  readonly doc: string | null
}
export interface AvroField {
  readonly name: string
  readonly type: AvroSchema
  readonly doc: string | null
  readonly hasDefault: boolean
  readonly default: unknown
  readonly props: AvroProps
}
export interface AvroRecord extends Named { readonly type: 'record', readonly fields: readonly AvroField[] }
export interface AvroEnum extends Named { readonly type: 'enum', readonly symbols: readonly string[], readonly default: string | null }
export interface AvroFixed extends Named { readonly type: 'fixed', readonly size: number }
export interface AvroArray extends Common { readonly type: 'array', readonly items: AvroSchema }
export interface AvroMap extends Common { readonly type: 'map', readonly values: AvroSchema }
export interface AvroUnion extends Common { readonly type: 'union', readonly types: readonly AvroSchema[] }
export type AvroSchema = AvroPrimitive | AvroRecord | AvroEnum | AvroFixed | AvroArray | AvroMap | AvroUnion
export type AvroNamed = AvroRecord | AvroEnum | AvroFixed

export class AvroSchemaError extends Error {}

const PRIMITIVES = new Set<string>(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'])
const SCHEMA_RESERVED = new Set(['doc', 'fields', 'items', 'name', 'namespace', 'size', 'symbols', 'values', 'type', 'aliases', 'default'])
const FIELD_RESERVED = new Set(['default', 'doc', 'name', 'order', 'type', 'aliases'])
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/
const INT_MIN = -2147483648
const INT_MAX = 2147483647

type Json = unknown
type JsonObject = Readonly<Record<string, unknown>>

/** Parses the text of a schema (comments allowed, as Avro's Java parser allows them). */
export function parseAvroSchemaText (text: string): AvroSchema {
  let json: unknown
  try {
    json = parseJsonText(text)
  } catch (err) {
    if (err instanceof JsonTextError) throw new AvroSchemaError(`not valid JSON: ${err.message}`)
    throw err
  }
  return parseAvroSchema(json)
}

/** Parses a schema already read from JSON (or written as a JavaScript object). */
export function parseAvroSchema (json: Json): AvroSchema {
  return new Parser().parse(json, null)
}

function isObject (v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function own (o: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined
}

function show (v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => typeof x === 'bigint' ? Number(x) : x) ?? String(v)
}

function propsOf (o: JsonObject, reserved: ReadonlySet<string>): AvroProps {
  const props: Record<string, unknown> = {}
  for (const key of Object.keys(o)) if (!reserved.has(key)) props[key] = o[key]
  return Object.freeze(props)
}

function integral (v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v
  return null
}

/** The logical type of a schema, or null when absent, unknown, or invalid (Avro ignores invalid ones). */
function logicalOf (type: string, props: AvroProps, fixedSize?: number): AvroLogical | null {
  const name = props.logicalType
  if (typeof name !== 'string') return null
  const lower = name.toLowerCase()
  if (lower === 'decimal' && (type === 'bytes' || type === 'fixed')) {
    const precision = integral(props.precision)
    const scale = props.scale === undefined ? 0 : integral(props.scale)
    if (precision === null || precision <= 0 || scale === null || scale < 0 || scale > precision) return null
    // A fixed of n bytes holds at most floor(log10(2^(8n-1) - 1)) digits.
    if (fixedSize !== undefined && precision > Math.floor(Math.log10(2) * (8 * fixedSize - 1))) return null
    return { kind: 'decimal', precision, scale }
  }
  if (lower === 'date' && type === 'int') return { kind: 'date' }
  if (lower === 'time-millis' && type === 'int') return { kind: 'time-millis' }
  if (lower === 'timestamp-millis' && type === 'long') return { kind: 'timestamp-millis' }
  return null
}

class Parser {
  readonly #names = new Map<string, AvroNamed>()

  parse (json: Json, space: string | null): AvroSchema {
    if (typeof json === 'string') return this.#reference(json, space)
    if (Array.isArray(json)) return this.#union(json, space)
    if (!isObject(json)) throw new AvroSchemaError(`not a schema: ${show(json)}`)
    const type = own(json, 'type')
    if (typeof type !== 'string') throw new AvroSchemaError(`no type: ${show(json)}`)
    if (PRIMITIVES.has(type)) {
      const props = propsOf(json, SCHEMA_RESERVED)
      return Object.freeze({ type: type as AvroPrimitiveType, props, logical: logicalOf(type, props) })
    }
    switch (type) {
      case 'record': case 'error': case 'enum': case 'fixed': return this.#named(json, type, space)
      case 'array': {
        const items = own(json, 'items')
        if (items === undefined) throw new AvroSchemaError(`array has no items type: ${show(json)}`)
        return Object.freeze({ type, items: this.parse(items, space), props: propsOf(json, SCHEMA_RESERVED), logical: null })
      }
      case 'map': {
        const values = own(json, 'values')
        if (values === undefined) throw new AvroSchemaError(`map has no values type: ${show(json)}`)
        return Object.freeze({ type, values: this.parse(values, space), props: propsOf(json, SCHEMA_RESERVED), logical: null })
      }
      default:
        // {"type": "SomeRecord"}: a reference to a named type, with attributes Avro keeps on the referenced schema.
        return this.#reference(type, space)
    }
  }

  #reference (name: string, space: string | null): AvroSchema {
    if (PRIMITIVES.has(name)) return Object.freeze({ type: name as AvroPrimitiveType, props: Object.freeze({}), logical: null })
    const found = (!name.includes('.') && space !== null ? this.#names.get(`${space}.${name}`) : undefined) ?? this.#names.get(name)
    if (found === undefined) throw new AvroSchemaError(`"${name}" is not a defined name`)
    return found
  }

  #union (members: readonly unknown[], space: string | null): AvroUnion {
    const types: AvroSchema[] = []
    const seen = new Set<string>()
    for (const member of members) {
      const schema = this.parse(member, space)
      if (schema.type === 'union') throw new AvroSchemaError(`nested union: ${show(members)}`)
      const key = 'fullName' in schema ? schema.fullName : schema.type
      if (seen.has(key)) throw new AvroSchemaError(`duplicate in union: ${key}`)
      seen.add(key)
      types.push(schema)
    }
    return Object.freeze({ type: 'union', types: Object.freeze(types), props: Object.freeze({}), logical: null })
  }

  #named (json: JsonObject, type: 'record' | 'error' | 'enum' | 'fixed', space: string | null): AvroNamed {
    const rawName = own(json, 'name')
    if (typeof rawName !== 'string') throw new AvroSchemaError(`no name in schema: ${show(json)}`)
    const rawSpace = own(json, 'namespace')
    if (rawSpace !== undefined && rawSpace !== null && typeof rawSpace !== 'string') throw new AvroSchemaError(`namespace must be a string: ${show(rawSpace)}`)
    let name = rawName
    let namespace: string | null = rawSpace === undefined ? space : (rawSpace === '' ? null : rawSpace as string | null)
    const dot = rawName.lastIndexOf('.')
    if (dot >= 0) {
      name = rawName.slice(dot + 1)
      namespace = rawName.slice(0, dot) === '' ? null : rawName.slice(0, dot)
    }
    for (const part of [name, ...(namespace === null ? [] : namespace.split('.'))]) {
      if (!NAME_RE.test(part)) throw new AvroSchemaError(`illegal name: ${namespace === null ? name : `${namespace}.${name}`}`)
    }
    const fullName = namespace === null ? name : `${namespace}.${name}`
    if (PRIMITIVES.has(fullName)) throw new AvroSchemaError(`schemas may not be named after primitives: ${fullName}`)
    if (this.#names.has(fullName)) throw new AvroSchemaError(`can't redefine: ${fullName}`)
    const rawDoc = own(json, 'doc')
    const doc = typeof rawDoc === 'string' ? rawDoc : null
    const props = propsOf(json, SCHEMA_RESERVED)

    if (type === 'enum') {
      const symbols = own(json, 'symbols')
      if (!Array.isArray(symbols)) throw new AvroSchemaError(`enum has no symbols: ${fullName}`)
      const seen = new Set<string>()
      for (const s of symbols) {
        if (typeof s !== 'string' || !NAME_RE.test(s)) throw new AvroSchemaError(`illegal enum symbol in ${fullName}: ${show(s)}`)
        if (seen.has(s)) throw new AvroSchemaError(`duplicate enum symbol in ${fullName}: ${s}`)
        seen.add(s)
      }
      const rawDefault = own(json, 'default')
      if (rawDefault !== undefined && (typeof rawDefault !== 'string' || !seen.has(rawDefault))) {
        throw new AvroSchemaError(`the default of enum ${fullName} must be one of its symbols: ${show(rawDefault)}`)
      }
      const schema: AvroEnum = Object.freeze({
        type, name, namespace, fullName, doc, props, logical: null, symbols: Object.freeze([...symbols as string[]]), default: (rawDefault as string | undefined) ?? null
      })
      this.#names.set(fullName, schema)
      return schema
    }
    if (type === 'fixed') {
      const size = integral(own(json, 'size'))
      if (size === null || size < 0) throw new AvroSchemaError(`invalid size for fixed ${fullName}: ${show(own(json, 'size'))}`)
      const schema: AvroFixed = Object.freeze({ type, name, namespace, fullName, doc, props, logical: logicalOf(type, props, size), size })
      this.#names.set(fullName, schema)
      return schema
    }
    const rawFields = own(json, 'fields')
    if (!Array.isArray(rawFields)) throw new AvroSchemaError(`record has no fields: ${fullName}`)
    // Registered before its fields are read, so a field may refer to the record itself.
    const fields: AvroField[] = []
    const record: AvroRecord = { type: 'record', name, namespace, fullName, doc, props, logical: null, fields }
    this.#names.set(fullName, record)
    const fieldNames = new Set<string>()
    for (const f of rawFields) {
      if (!isObject(f)) throw new AvroSchemaError(`not a field in record ${fullName}: ${show(f)}`)
      const fieldName = own(f, 'name')
      if (typeof fieldName !== 'string') throw new AvroSchemaError(`no field name in record ${fullName}: ${show(f)}`)
      if (!NAME_RE.test(fieldName)) throw new AvroSchemaError(`illegal field name in record ${fullName}: ${fieldName}`)
      if (fieldNames.has(fieldName)) throw new AvroSchemaError(`duplicate field ${fieldName} in record ${fullName}`)
      fieldNames.add(fieldName)
      const fieldType = own(f, 'type')
      if (fieldType === undefined) throw new AvroSchemaError(`no type for field ${fieldName} in record ${fullName}`)
      const schema = this.parse(fieldType, namespace)
      const hasDefault = Object.prototype.hasOwnProperty.call(f, 'default')
      const dflt = own(f, 'default')
      if (hasDefault && !isValidDefault(schema, dflt)) {
        throw new AvroSchemaError(`invalid default for field ${fieldName} in record ${fullName}: ${show(dflt)} is not a ${describe(schema)}`)
      }
      const fieldDoc = own(f, 'doc')
      fields.push(Object.freeze({ name: fieldName, type: schema, doc: typeof fieldDoc === 'string' ? fieldDoc : null, hasDefault, default: dflt, props: propsOf(f, FIELD_RESERVED) }))
    }
    Object.freeze(fields)
    return Object.freeze(record)
  }
}

function describe (schema: AvroSchema): string {
  if (schema.type === 'union') return `[${schema.types.map(describe).join(', ')}]`
  return 'fullName' in schema ? `${schema.type} ${schema.fullName}` : schema.type
}

/** Avro's check of a default value against its schema (a union's default belongs to its first branch). */
export function isValidDefault (schema: AvroSchema, v: unknown): boolean {
  switch (schema.type) {
    case 'null': return v === null
    case 'boolean': return typeof v === 'boolean'
    case 'int': return typeof v === 'number' && Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX
    case 'long': return (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'bigint' && BigInt.asIntN(64, v) === v)
    case 'float': case 'double': return typeof v === 'number' || typeof v === 'bigint'
    case 'bytes': case 'string': case 'fixed': return typeof v === 'string'
    case 'enum': return typeof v === 'string' && schema.symbols.includes(v)
    case 'array': return Array.isArray(v) && v.every(e => isValidDefault(schema.items, e))
    case 'map': return isObject(v) && Object.keys(v).every(k => isValidDefault(schema.values, v[k]))
    case 'record':
      return isObject(v) && schema.fields.every(f => Object.prototype.hasOwnProperty.call(v, f.name) ? isValidDefault(f.type, v[f.name]) : f.hasDefault)
    case 'union': return schema.types.length > 0 && isValidDefault(schema.types[0]!, v)
  }
}
