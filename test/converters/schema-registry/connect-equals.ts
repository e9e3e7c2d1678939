/**
 * Deep equality for Connect schemas and values, for the Schema Registry formats' round-trip tests. It follows Kafka's
 * ConnectSchema.equals / Struct.equals (src/api schemaEquals, valueEquals) with three allowances those lack, because
 * a round trip through a format may legitimately change the JavaScript representation but not the Java value:
 *  - an INT64 read back as a number equals the same bigint (src/api's value model allows both);
 *  - NaN equals NaN (Java's Double.equals), while 0 and -0 differ (as there);
 *  - a map written as a plain object equals the Map read back.
 * connectDiff names the first difference by path, so a failing corpus entry says where it broke.
 */
import assert from 'node:assert/strict'
import { BigDecimal, Struct, type Schema } from '../../../src/api/index.ts'

function numberEquals (a: number | bigint, b: number | bigint): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const x = typeof a === 'number' ? (Number.isInteger(a) ? BigInt(a) : null) : a
    const y = typeof b === 'number' ? (Number.isInteger(b) ? BigInt(b) : null) : b
    return x !== null && y !== null && x === y
  }
  if (Number.isNaN(a) && Number.isNaN(b)) return true
  return Object.is(a, b)
}

function mapEntries (v: unknown): Array<[unknown, unknown]> | null {
  if (v instanceof Map) return [...v.entries()]
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) return Object.entries(v)
  return null
}

const show = (v: unknown): string => {
  if (typeof v === 'bigint') return `${v}n`
  if (v instanceof Uint8Array) return `bytes[${Buffer.from(v).toString('hex')}]`
  if (v instanceof Date) return `Date(${v.getTime()})`
  if (v instanceof BigDecimal) return `BigDecimal(${v.unscaled}, scale ${v.scale})`
  if (v instanceof Struct) return String(v)
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v)
  try { return JSON.stringify(v) ?? String(v) } catch { return String(v) }
}

/** The first difference between two Connect values, as "path: a vs b", or null when equal. */
export function valueDiff (a: unknown, b: unknown, path = 'value'): string | null {
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    return numberEquals(a, b) ? null : `${path}: ${show(a)} vs ${show(b)}`
  }
  if (a === b) return null
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a ?? null) === (b ?? null) ? null : `${path}: ${show(a)} vs ${show(b)}`
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0 ? null : `${path}: ${show(a)} vs ${show(b)}`
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime() ? null : `${path}: ${show(a)} vs ${show(b)}`
  if (a instanceof BigDecimal && b instanceof BigDecimal) return a.equals(b) ? null : `${path}: ${show(a)} vs ${show(b)}`
  if (a instanceof Struct && b instanceof Struct) {
    const s = schemaDiff(a.schema, b.schema, `${path}.schema`)
    if (s) return s
    for (const f of a.schema.fields ?? []) {
      const d = valueDiff(a.getWithoutDefault(f.name), b.getWithoutDefault(f.name), `${path}.${f.name}`)
      if (d) return d
    }
    return null
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} vs ${b.length}`
    for (let i = 0; i < a.length; i++) {
      const d = valueDiff(a[i], b[i], `${path}[${i}]`)
      if (d) return d
    }
    return null
  }
  const ea = mapEntries(a)
  const eb = mapEntries(b)
  if (ea && eb) {
    if (ea.length !== eb.length) return `${path}: map size ${ea.length} vs ${eb.length}`
    // Keys may be structs or bytes (compared by content, as Java's HashMap compares them by equals).
    const left = [...eb]
    for (const [k, v] of ea) {
      const i = left.findIndex(([k2]) => valueDiff(k, k2) === null)
      if (i < 0) return `${path}: key ${show(k)} missing`
      const d = valueDiff(v, left[i]![1], `${path}[${show(k)}]`)
      if (d) return d
      left.splice(i, 1)
    }
    return null
  }
  return `${path}: ${show(a)} vs ${show(b)}`
}

/** The first difference between two Connect schemas (Kafka's ConnectSchema.equals attributes), or null. */
export function schemaDiff (a: Schema | null | undefined, b: Schema | null | undefined, path = 'schema'): string | null {
  if (a === b) return null
  if (!a || !b) return `${path}: ${a ? 'schema' : 'null'} vs ${b ? 'schema' : 'null'}`
  for (const key of ['type', 'optional', 'name', 'version', 'doc'] as const) {
    if (a[key] !== b[key]) return `${path}.${key}: ${show(a[key])} vs ${show(b[key])}`
  }
  const pa = a.parameters ?? null
  const pb = b.parameters ?? null
  const sortKeys = (p: Readonly<Record<string, string>> | null): string =>
    JSON.stringify(p && Object.fromEntries(Object.entries(p).sort(([x], [y]) => x < y ? -1 : x > y ? 1 : 0)))
  if (sortKeys(pa) !== sortKeys(pb)) return `${path}.parameters: ${sortKeys(pa)} vs ${sortKeys(pb)}`
  const d = valueDiff(a.defaultValue ?? null, b.defaultValue ?? null, `${path}.defaultValue`)
  if (d) return d
  const k = schemaDiff(a.keySchema, b.keySchema, `${path}.keySchema`) ?? schemaDiff(a.valueSchema, b.valueSchema, `${path}.valueSchema`)
  if (k) return k
  const fa = a.fields ?? []
  const fb = b.fields ?? []
  if (fa.length !== fb.length) return `${path}.fields: ${fa.map(f => f.name).join(',')} vs ${fb.map(f => f.name).join(',')}`
  for (let i = 0; i < fa.length; i++) {
    const x = fa[i]!
    const y = fb[i]!
    if (x.name !== y.name || x.index !== y.index) return `${path}.fields[${i}]: ${x.name}@${x.index} vs ${y.name}@${y.index}`
    const f = schemaDiff(x.schema, y.schema, `${path}.${x.name}`)
    if (f) return f
  }
  return null
}

export function connectSchemaEquals (a: Schema | null | undefined, b: Schema | null | undefined): boolean {
  return schemaDiff(a, b) === null
}

export function connectValueEquals (a: unknown, b: unknown): boolean {
  return valueDiff(a, b) === null
}

/**
 * The value a format reads back when its writer replaces a null field by the field's default, as Confluent's AvroData
 * does (Struct.get) unless ignore.default.for.nullables: every null field that has a default takes it, at any depth.
 */
export function withStructDefaults (schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (schema.type === 'struct' && value instanceof Struct) {
    const out = new Struct(schema)
    for (const f of schema.fields ?? []) out.put(f.name, withStructDefaults(f.schema, value.get(f.name)))
    return out
  }
  if (schema.type === 'array' && Array.isArray(value)) return value.map(v => withStructDefaults(schema.valueSchema!, v))
  if (schema.type === 'map' && value instanceof Map) {
    return new Map([...value].map(([k, v]) => [withStructDefaults(schema.keySchema!, k), withStructDefaults(schema.valueSchema!, v)]))
  }
  return value
}

/** Asserts equal schemas and (when given) values, failing with the first difference's path. */
export function assertConnectEqual (actual: { schema?: Schema | null, value?: unknown }, expected: { schema?: Schema | null, value?: unknown }, label = ''): void {
  const prefix = label ? `${label}: ` : ''
  if ('schema' in expected) {
    const d = schemaDiff(actual.schema, expected.schema)
    if (d) assert.fail(`${prefix}schemas differ at ${d}`)
  }
  if ('value' in expected) {
    const d = valueDiff(actual.value, expected.value)
    if (d) assert.fail(`${prefix}values differ at ${d}`)
  }
}
