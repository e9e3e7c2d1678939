/**
 * The iteration order of the HashMaps Apache builds when it reads a MAP (or a schemaless object): Java's hashCode()
 * and compareTo() of Connect values, and which keys Java's equals() merges.
 */
import {
  BigDecimal, javaDoubleHash, javaFloatHash, javaHashMapOrder, javaLongHash, javaStringHash, type Schema
} from '../../api/index.ts'

/**
 * Java's hashCode() of a Connect value of this schema, or null where Java's is an identity hash (byte[], Struct: a
 * Struct's hash includes its schema's, and ConnectSchema's includes the Type enum's identity hash, so a map keyed by
 * structs or byte arrays iterates in an order that changes from one JVM run to the next).
 */
export function javaHashCode (schema: Schema | null, value: unknown): number | null {
  if (value === null || value === undefined) return 0
  if (typeof value === 'string') return javaStringHash(value)
  switch (schema?.type) {
    case 'int8': case 'int16': case 'int32':
      // Connect's Date and Time are java.util.Dates: Date.hashCode is its epoch millis' Long hash.
      if (value instanceof Date) return javaLongHash(value.getTime())
      return typeof value === 'number' ? value | 0 : null
    case 'int64':
      if (value instanceof Date) return javaLongHash(value.getTime())
      return typeof value === 'number' || typeof value === 'bigint' ? javaLongHash(value) : null
    case 'boolean': return value === true ? 1231 : value === false ? 1237 : null
    case 'float32': return typeof value === 'number' ? javaFloatHash(value) : null
    case 'float64': return typeof value === 'number' ? javaDoubleHash(value) : null
    case 'bytes': return value instanceof BigDecimal ? bigDecimalHash(value) : null
    case 'array': {
      if (!Array.isArray(value)) return null
      // List.hashCode: 31 * h + element hash, from 1.
      let h = 1
      for (const e of value) {
        const eh = javaHashCode(schema.valueSchema ?? null, e)
        if (eh === null) return null
        h = (Math.imul(31, h) + eh) | 0
      }
      return h
    }
    case 'map': {
      if (!(value instanceof Map)) return null
      // Map.hashCode: the sum of key hash ^ value hash over the entries.
      let h = 0
      for (const [k, v] of value) {
        const kh = javaHashCode(schema.keySchema ?? null, k)
        const vh = javaHashCode(schema.valueSchema ?? null, v)
        if (kh === null || vh === null) return null
        h = (h + (kh ^ vh)) | 0
      }
      return h
    }
    default: return null
  }
}

/** BigDecimal.hashCode: 31 * unscaledValue.hashCode() + scale, BigInteger's hash over its 32-bit magnitude words. */
function bigDecimalHash (d: BigDecimal): number {
  let magnitude = d.unscaled < 0n ? -d.unscaled : d.unscaled
  const words: number[] = []
  while (magnitude > 0n) {
    words.unshift(Number(magnitude & 0xffffffffn))
    magnitude >>= 32n
  }
  let h = 0
  for (const w of words) h = (Math.imul(31, h) + w) | 0
  const signum = d.unscaled < 0n ? -1 : d.unscaled > 0n ? 1 : 0
  return (Math.imul(31, Math.imul(h, signum)) + d.scale) | 0
}

/**
 * compareTo() of two keys of one schema, which orders a HashMap bucket of 9+ colliding keys; null where the class is
 * not Comparable (lists, maps, byte[], Struct: Java then falls back to identity hashes).
 */
export function javaCompare (schema: Schema | null, a: unknown, b: unknown): number | null {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime())
  if (a instanceof BigDecimal && b instanceof BigDecimal) return compareDecimals(a, b)
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    if (schema?.type === 'float32' || schema?.type === 'float64') {
      // Double.compare / Float.compare: -0.0 below 0.0, NaN above everything.
      const x = Number(a)
      const y = Number(b)
      if (x < y) return -1
      if (x > y) return 1
      const rank = (v: number): number => Number.isNaN(v) ? 2 : Object.is(v, -0) ? 0 : 1
      return rank(x) - rank(y)
    }
    return a < b ? -1 : a > b ? 1 : 0
  }
  return null
}

function compareDecimals (a: BigDecimal, b: BigDecimal): number {
  const scale = Math.max(a.scale, b.scale)
  const x = a.unscaled * 10n ** BigInt(scale - a.scale)
  const y = b.unscaled * 10n ** BigInt(scale - b.scale)
  return x < y ? -1 : x > y ? 1 : 0
}

/**
 * What decides whether two map keys are one key in Java (equals()): primitives are themselves; lists, maps, dates and
 * decimals compare by value there, so they get a text of their value; byte[] and Struct keep their identity (a byte[]
 * compares by identity in Java too; equal Structs are not merged here).
 */
export function javaKeyIdentity (key: unknown): unknown {
  if (key === null || typeof key !== 'object') return key
  if (key instanceof Date || key instanceof BigDecimal || Array.isArray(key) || key instanceof Map) return `\u0000${valueText(key)}`
  return key
}

function valueText (v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v)
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v)
  if (v instanceof Date) return `D${v.getTime()}`
  if (v instanceof BigDecimal) return `B${v.unscaled}e${v.scale}`
  if (Array.isArray(v)) return `[${v.map(valueText).join(',')}]`
  // Map.equals ignores order: the entries' texts sorted.
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${valueText(k)}=${valueText(x)}`).sort().join(',')}}`
  return `#${identityOf(v as object)}`
}

const identities = new WeakMap<object, number>()
let nextIdentity = 0
function identityOf (o: object): number {
  let id = identities.get(o)
  if (id === undefined) identities.set(o, id = nextIdentity++)
  return id
}

export function inHashMapOrder<K> (map: Map<K, unknown>, keySchema: Schema | null): Map<K, unknown> {
  if (map.size < 2) return map
  return new Map(javaHashMapOrder([...map], k => javaHashCode(keySchema, k)))
}

/**
 * A Java HashMap filled with `pairs` in their order, as a Map in the HashMap's iteration order: keys Java deems equal
 * (lists, maps, dates, decimals by value) but JavaScript does not are merged as put() merges them, the first key keeping
 * its place and the last value winning. What converters reading Connect maps from arrays of entries return.
 */
export function javaHashMapOf (keySchema: Schema, pairs: Iterable<readonly [unknown, unknown]>): Map<unknown, unknown> {
  const entries: Array<[unknown, unknown]> = []
  const positions = new Map<unknown, number>()
  for (const [key, value] of pairs) {
    const identity = javaKeyIdentity(key)
    const at = positions.get(identity)
    if (at === undefined) {
      positions.set(identity, entries.length)
      entries.push([key, value])
    } else {
      entries[at]![1] = value
    }
  }
  if (entries.length < 2) return new Map(entries)
  return new Map(javaHashMapOrder(entries, k => javaHashCode(keySchema, k), { kind: 'default' }, (a, b) => javaCompare(keySchema, a, b)))
}
