/**
 * Connect values to the values avsc encodes, and back, following Confluent's AvroData.fromConnectData and
 * toConnectData: logical types to their Avro form, struct defaults for null fields (unless
 * ignore.default.for.nullables), non-string-key maps as MapEntry records, Confluent's union structs, and schemaless
 * data (a null Connect schema) in the io.confluent.connect.avro.Anything record.
 *
 * avsc runs with wrapUnions, so a union value is null or { branch name: value } and the branch is always chosen here,
 * as Java's writer chooses it from the datum's class; longs are bigints (a custom long type), read back as numbers
 * when they fit 2^53, as the rest of the value model has them.
 */
import {
  ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, DECIMAL_LOGICAL_NAME, DATE_LOGICAL_NAME,
  TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME, Struct, javaHashMapOrder, javaStringHash, schemaEquals, type BigDecimal, type Schema, type SchemaType
} from '../../../api/index.ts'
import type { AvroDataOptions } from './avro-data-config.ts'
import * as N from './avro-data-names.ts'
import { doScrubName } from './avro-data-names.ts'
import { fullName, isNamed, type AvroRecord, type AvroSchema, type AvroUnion } from './avro-schema.ts'
import { isUnionSchema } from './from-connect-schema.ts'
import { toConnectLogical } from './to-connect-schema.ts'
import { entryKeyedOrder, stringKeyedOrder } from './java-map-order.ts'

type AvscValue = unknown
type Obj = Record<string, unknown>

const BRANCH_NAMES = new WeakMap<AvroSchema, string>()

/** The name avsc gives a union branch: a named type's full name, otherwise the type's name. */
export function branchName (s: AvroSchema): string {
  let name = BRANCH_NAMES.get(s)
  if (name === undefined) {
    name = isNamed(s) ? fullName(s) : s.type
    BRANCH_NAMES.set(s, name)
  }
  return name
}

const BRANCH_INDEXES = new WeakMap<AvroUnion, Map<string, number>>()

function branchIndex (union: AvroUnion, branch: string): number {
  let indexes = BRANCH_INDEXES.get(union)
  if (indexes === undefined) {
    indexes = new Map(union.types.map((t, i) => [branchName(t), i]))
    BRANCH_INDEXES.set(union, indexes)
  }
  return indexes.get(branch) ?? -1
}

// Module-level copies: the hot path compares names on every value.
const DECIMAL = DECIMAL_LOGICAL_NAME
const LOGICAL_TO_AVRO: ReadonlyMap<string, (schema: Schema, value: unknown) => unknown> = new Map<string, (schema: Schema, value: unknown) => unknown>([
  [DECIMAL_LOGICAL_NAME, (s, v) => {
    if ((v as BigDecimal | null)?.kind !== 'decimal') throw new DataError(`Invalid type for Decimal, expected BigDecimal but was ${describe(v)}`)
    return Decimal.fromLogical(s, v as BigDecimal)
  }],
  [DATE_LOGICAL_NAME, (s, v) => ConnectDate.fromLogical(s, asDate('Date', v))],
  [TIME_LOGICAL_NAME, (s, v) => ConnectTime.fromLogical(s, asDate('Time', v))],
  [TIMESTAMP_LOGICAL_NAME, (s, v) => ConnectTimestamp.fromLogical(s, asDate('Timestamp', v))]
])

function asDate (type: string, v: unknown): Date {
  if (!(v instanceof Date)) throw new DataError(`Invalid type for ${type}, expected Date but was ${describe(v)}`)
  return v
}

/** A logical value (Decimal, Date, Time, Timestamp) in its Avro form; other values as they are. */
function toAvroLogical (schema: Schema, value: unknown): unknown {
  const convert = LOGICAL_TO_AVRO.get(schema.name!)
  return convert === undefined ? value : convert(schema, value)
}

const FIELDS_BY_NAME = new WeakMap<AvroRecord, Map<string, AvroRecord['fields'][number]>>()

function fieldsByName (record: AvroRecord): Map<string, AvroRecord['fields'][number]> {
  let byName = FIELDS_BY_NAME.get(record)
  if (byName === undefined) {
    byName = new Map(record.fields.map(f => [f.name, f]))
    FIELDS_BY_NAME.set(record, byName)
  }
  return byName
}

const RANGES: Partial<Record<SchemaType, [number, number]>> = { int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647] }

function describe (v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'object') return `class ${(v as object).constructor?.name ?? 'Object'}`
  return typeof v
}

function invalid (type: string, v: unknown): never {
  throw new DataError(`Invalid type for ${type.toUpperCase()}: ${describe(v)}`)
}

/** The non-null member of a union that holds a value of a (non-union) Connect schema. */
function member (avro: AvroUnion): AvroSchema {
  const m = avro.types.find(t => t.type !== 'null')
  if (!m) throw new DataError('An optional schema should have an Avro Union type with a non-null member')
  return m
}

function mapEntries (v: unknown): Array<[unknown, unknown]> {
  if (v instanceof Map) return [...v.entries()]
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Struct)) return Object.entries(v)
  return invalid('map', v)
}

function asLong (v: unknown): bigint {
  if (typeof v === 'bigint' && v >= -(2n ** 63n) && v < 2n ** 63n) return v
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v)
  return invalid('int64', v)
}

export function fromLong (v: bigint | number): number | bigint {
  if (typeof v === 'number') return v
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
}

export class AvroValues {
  readonly #o: AvroDataOptions

  constructor (options: AvroDataOptions) {
    this.#o = options
  }

  /** Connect value of `schema` (null: schemaless) to the avsc value of `avro`. */
  fromConnect (schema: Schema | null, avro: AvroSchema, value: unknown): AvscValue {
    if (schema === null) return this.#anything(value, false)
    if (value === null || value === undefined) {
      if (!schema.optional) throw new DataError('Found null value for non-optional schema')
      return null
    }
    if (avro.type === 'union' && !isUnionSchema(schema)) {
      const m = member(avro)
      return { [branchName(m)]: this.fromConnect(schema, m, value) }
    }
    const v = schema.name === undefined ? value : toAvroLogical(schema, value)
    switch (schema.type) {
      case 'int8': case 'int16': case 'int32': {
        const [lo, hi] = RANGES[schema.type]!
        const n = typeof v === 'bigint' ? Number(v) : v
        if (typeof n !== 'number' || !Number.isInteger(n) || n < lo || n > hi) invalid(schema.type, v)
        return n
      }
      case 'int64': return asLong(v)
      case 'float32': case 'float64': return typeof v === 'number' ? v : invalid(schema.type, v)
      case 'boolean': return typeof v === 'boolean' ? v : invalid(schema.type, v)
      case 'string':
        if (typeof v !== 'string') invalid(schema.type, v)
        if (avro.type === 'enum' && !avro.symbols.includes(v)) throw new DataError(`Invalid enum symbol ${v} for ${fullName(avro)}`)
        return v
      case 'bytes': {
        if (!(v instanceof Uint8Array)) invalid(schema.type, v)
        const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength)
        if (avro.type === 'fixed') {
          if (schema.name === DECIMAL) return padToFixedSize(bytes, avro.size)
          if (bytes.length !== avro.size) throw new DataError(`Fixed ${fullName(avro)} needs ${avro.size} bytes, got ${bytes.length}`)
        }
        return bytes
      }
      case 'array': {
        if (!Array.isArray(v)) invalid(schema.type, v)
        if (avro.type !== 'array') throw new DataError(`Avro schema ${avro.type} does not hold an array`)
        return v.map(e => this.fromConnect(schema.valueSchema!, avro.items, e))
      }
      case 'map': {
        const entries = mapEntries(v)
        const key = schema.keySchema!
        if (avro.type === 'map' && key.type === 'string' && (!key.optional || this.#o.allowOptionalMapKeys)) {
          // AvroData puts the entries in a new HashMap<String, Object>, which the writer walks in its order.
          const ordered: Array<[string, unknown]> = []
          for (const [k, e] of javaHashMapOrder(entries, k => typeof k === 'string' ? javaStringHash(k) : null)) {
            if (typeof k !== 'string') invalid('string', k)
            ordered.push([k, this.fromConnect(schema.valueSchema!, avro.values, e)])
          }
          return orderedObject(ordered)
        }
        if (avro.type !== 'array' || avro.items.type !== 'record') throw new DataError(`Avro schema ${avro.type} does not hold a map`)
        const entry = avro.items
        const [k, e] = [entry.fields[0]!, entry.fields[1]!]
        return entries.map(([key0, val]) => ({ [N.KEY_FIELD]: this.fromConnect(key, k.schema, key0), [N.VALUE_FIELD]: this.fromConnect(schema.valueSchema!, e.schema, val) }))
      }
      case 'struct': {
        if (!(v instanceof Struct)) invalid(schema.type, v)
        if (!schemaEquals(v.schema, schema)) throw new DataError('Mismatching struct schema')
        const withoutDefault = this.#o.ignoreDefaultForNullables
        if (isUnionSchema(schema)) {
          if (avro.type !== 'union') throw new DataError('A union struct needs an Avro union')
          const members = avro.types.filter(t => t.type !== 'null')
          const fields = schema.fields ?? []
          for (let i = 0; i < fields.length; i++) {
            const fv = withoutDefault ? v.getWithoutDefault(fields[i]!.name) : v.get(fields[i]!.name)
            if (fv !== null && fv !== undefined) {
              const m = members[i]
              if (!m) throw new DataError('Union struct has more fields than its Avro union has members')
              return { [branchName(m)]: this.fromConnect(fields[i]!.schema, m, fv) }
            }
          }
          if (!schema.optional) throw new DataError('Found null value for non-optional schema')
          return null
        }
        if (avro.type !== 'record') throw new DataError(`Avro schema ${avro.type} does not hold a struct`)
        const out: Obj = {}
        for (const field of schema.fields ?? []) {
          const name = this.#o.scrubInvalidNames ? doScrubName(field.name) : field.name
          const avroField = fieldsByName(avro).get(name)
          if (!avroField) throw new DataError(`No Avro field ${name} in ${fullName(avro)}`)
          out[name] = this.fromConnect(field.schema, avroField.schema, withoutDefault ? v.getWithoutDefault(field.name) : v.get(field.name))
        }
        // A registry schema (use.latest.version) may have fields the struct lacks: the codec writes their defaults.
        if (avro.fields.length !== (schema.fields ?? []).length) {
          for (const f of avro.fields) {
            if (!(f.name in out) && f.defaultValue === undefined) throw new DataError(`Avro field ${f.name} of ${fullName(avro)} has no default and no value in the Connect struct`)
          }
        }
        return out
      }
    }
  }

  /** avsc value of `avro` to the Connect value of `schema` (null: schemaless). */
  toConnect (schema: Schema | null, avro: AvroSchema, value: AvscValue): unknown {
    if (schema === null) return this.#fromAnything(value)
    if (value === null || value === undefined) {
      if (!schema.optional) throw new DataError('Found null value for non-optional schema')
      return null
    }
    if (avro.type === 'union') {
      let branch = ''
      for (const key in value as Obj) { branch = key; break }
      const inner = (value as Obj)[branch]
      const index = branchIndex(avro, branch)
      if (index < 0) throw new DataError(`Unknown union branch ${branch}`)
      const m = avro.types[index]!
      if (isUnionSchema(schema)) {
        const fieldIndex = avro.types.slice(0, index).filter(t => t.type !== 'null').length
        const field = schema.fields?.[fieldIndex]
        if (!field) throw new DataError('Did not find matching union field for data')
        return new Struct(schema).put(field.name, this.toConnect(field.schema, m, inner))
      }
      return this.toConnect(schema, m, inner)
    }
    let converted: unknown
    switch (schema.type) {
      // An Avro int read as INT8/INT16 is narrowed as Java's byteValue()/shortValue() narrow it.
      case 'int8': converted = ((value as number) << 24) >> 24; break
      case 'int16': converted = ((value as number) << 16) >> 16; break
      case 'int32': case 'float32': case 'float64': case 'boolean': case 'string':
        converted = value
        break
      case 'int64': converted = fromLong(value as bigint); break
      case 'bytes': converted = Buffer.from(value as Buffer); break
      case 'array': {
        if (avro.type !== 'array') throw new DataError(`Avro ${avro.type} is not an array`)
        converted = (value as unknown[]).map(e => this.toConnect(schema.valueSchema!, avro.items, e))
        break
      }
      case 'map': {
        const key = schema.keySchema!
        if (avro.type === 'map') {
          // In the order AvroData's HashMap gives (java-map-order.ts); avsc's object holds integer-like keys ascending
          // rather than as read, which only matters for two such keys in one bucket.
          converted = new Map(stringKeyedOrder(Object.entries(value as Obj)).map(([k, e]) => [k, this.toConnect(schema.valueSchema!, avro.values, e)]))
        } else if (avro.type === 'array' && avro.items.type === 'record') {
          const [k, e] = [avro.items.fields.find(f => f.name === N.KEY_FIELD)!, avro.items.fields.find(f => f.name === N.VALUE_FIELD)!]
          converted = new Map(entryKeyedOrder(key, (value as Obj[]).map(entry => [this.toConnect(key, k.schema, entry[N.KEY_FIELD]), this.toConnect(schema.valueSchema!, e.schema, entry[N.VALUE_FIELD])])))
        } else {
          throw new DataError(`Avro ${avro.type} is not a map`)
        }
        break
      }
      case 'struct': {
        if (avro.type !== 'record') throw new DataError(`Avro ${avro.type} is not a record`)
        const struct = new Struct(schema)
        for (const field of schema.fields ?? []) {
          const name = this.#o.scrubInvalidNames ? doScrubName(field.name) : field.name
          const avroField = fieldsByName(avro).get(name)
          if (!avroField) throw new DataError(`No Avro field ${name} in ${fullName(avro)}`)
          struct.put(field.name, this.toConnect(field.schema, avroField.schema, (value as Obj)[name]))
        }
        converted = struct
        break
      }
    }
    return toConnectLogical(schema, converted)
  }

  /** Schemaless data as Confluent's Anything record: one member set by the value's type. */
  #anything (value: unknown, inContainer: boolean): AvscValue {
    const record: Obj = { boolean: null, bytes: null, double: null, float: null, int: null, long: null, string: null, array: null, map: null }
    const set = (field: string, branch: string, v: unknown): Obj => { record[field] = { [branch]: v }; return record }
    if (value === null || value === undefined) return inContainer ? record : null
    if (typeof value === 'boolean') return set('boolean', 'boolean', value)
    if (typeof value === 'bigint') return set('long', 'long', asLong(value))
    // A JavaScript number has no Java class: integers go as long, as JsonConverter reads them, the rest as double.
    if (typeof value === 'number') return Number.isInteger(value) ? set('long', 'long', BigInt(value)) : set('double', 'double', value)
    if (typeof value === 'string') return set('string', 'string', value)
    if (Array.isArray(value)) return set('array', 'array', value.map(e => this.#anything(e, true)))
    if (value instanceof Map || (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)) {
      return set('map', 'array', mapEntries(value).map(([k, v]) => ({ key: this.#anything(k, true), value: this.#anything(v, true) })))
    }
    throw new DataError(`Unknown Java type for schemaless data: ${describe(value)}`)
  }

  #fromAnything (value: unknown): unknown {
    if (value === null || value === undefined) return null
    const record = value as Obj
    const pick = (field: string): unknown => {
      const v = record[field]
      return v === null || v === undefined ? undefined : Object.values(v as Obj)[0]
    }
    for (const field of ['boolean', 'bytes', 'double', 'float', 'int', 'long', 'string']) {
      const v = pick(field)
      if (v === undefined) continue
      if (field === 'long') return fromLong(v as bigint)
      if (field === 'bytes') return Buffer.from(v as Buffer)
      return v
    }
    const array = pick('array')
    if (array !== undefined) return (array as unknown[]).map(e => this.#fromAnything(e))
    const map = pick('map')
    if (map !== undefined) return new Map((map as Obj[]).map(e => [this.#fromAnything(e.key), this.#fromAnything(e.value)]))
    return null
  }
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]{0,9})$/

/**
 * An object whose keys avsc's map writer (Object.keys) sees in the given order. JavaScript lists integer-like keys
 * first, whatever the insertion order, so such maps go through a proxy that lists the keys as given.
 */
function orderedObject (entries: ReadonlyArray<[string, unknown]>): Obj {
  const out: Obj = Object.create(null) as Obj
  for (const [k, v] of entries) out[k] = v
  if (!entries.some(([k]) => ARRAY_INDEX.test(k))) return out
  const keys = entries.map(([k]) => k)
  return new Proxy(out, { ownKeys: () => keys })
}

/** Sign-extends a decimal's minimal two's-complement bytes to a fixed size (AvroData.padToFixedSize). */
function padToFixedSize (unscaled: Buffer, size: number): Buffer {
  if (unscaled.length === size) return unscaled
  if (unscaled.length > size) throw new DataError(`Unscaled value byte array length ${unscaled.length} is greater than fixed size ${size}`)
  const padded = Buffer.alloc(size, unscaled.length > 0 && (unscaled[0]! & 0x80) !== 0 ? 0xff : 0)
  unscaled.copy(padded, size - unscaled.length)
  return padded
}

/** Confluent's schema for schemaless data (AvroData.ANYTHING_SCHEMA), built once. */
export function anythingSchema (): AvroRecord {
  const opt = (t: AvroSchema): AvroSchema => ({ type: 'union', types: [{ type: 'null', props: new Map() }, t] })
  const p = (type: 'boolean' | 'bytes' | 'double' | 'float' | 'int' | 'long' | 'string'): AvroSchema => ({ type, props: new Map() })
  const anything: AvroRecord = { type: 'record', name: 'Anything', namespace: N.NAMESPACE, doc: null, aliases: [], props: new Map(), fields: [] }
  const entry: AvroRecord = { type: 'record', name: N.MAP_ENTRY_TYPE_NAME, namespace: N.NAMESPACE, doc: null, aliases: [], props: new Map(), fields: [] }
  const field = (name: string, schema: AvroSchema, dflt: null | undefined): AvroRecord['fields'][number] =>
    ({ name, schema, doc: null, defaultValue: dflt, order: 'ascending', aliases: [], props: new Map() })
  entry.fields.push(field(N.KEY_FIELD, anything, undefined), field(N.VALUE_FIELD, anything, undefined))
  for (const t of ['boolean', 'bytes', 'double', 'float', 'int', 'long', 'string'] as const) anything.fields.push(field(t, opt(p(t)), null))
  anything.fields.push(field('array', opt({ type: 'array', items: anything, props: new Map() }), null))
  anything.fields.push(field('map', opt({ type: 'array', items: entry, props: new Map() }), null))
  return anything
}
