/**
 * Java's `toString()` of Connect values, as Apache's StringConverter (`value.toString()`) and FileStreamSinkTask
 * (`String.valueOf(value)`) print them: `1.0E21`, `{a=1, b=x}`, `[1, 2]`, `Struct{a=1,b=x}`, `123.45`,
 * `Tue Nov 14 22:13:20 UTC 2023`.
 *
 * A JS value does not say which Java class it had, so the schema decides where there is one (a FLOAT32 field prints
 * as Float.toString, an INT64 as Long); without one, a safe integer is a Long and any other number a Double, as
 * JsonConverter reads schemaless JSON numbers.
 */
import { javaDoubleToString, javaFloatToString } from './number-format.ts'
import type { Schema } from '../api/schema.ts'

export interface JavaToStringOptions {
  /**
   * How a byte array prints. Java prints `[B@` and the array's identity hash, which differs from run to run;
   * the default is the same shape with a hash of the content (see javaByteArrayToString).
   */
  readonly bytes?: (bytes: Uint8Array) => string
}

/** Java's `String.valueOf(value)` for a Connect value of the given schema (null: decided by the JS value). */
export function javaToString (value: unknown, schema: Schema | null = null, options: JavaToStringOptions = {}): string {
  if (value === null || value === undefined) return 'null'
  switch (typeof value) {
    case 'string': return value
    case 'number': return javaNumberToString(value, schema)
    case 'bigint': return value.toString()
    case 'boolean': return value ? 'true' : 'false'
    default: return javaObjectToString(value as object, schema, options)
  }
}

function javaNumberToString (n: number, schema: Schema | null): string {
  switch (schema?.type) {
    case 'float32': return javaFloatToString(n)
    case 'float64': return javaDoubleToString(n)
    case 'int8': case 'int16': case 'int32': case 'int64':
      // An integer schema's value is an integer; BigInt keeps a (malformed) huge one out of exponent notation.
      return Number.isSafeInteger(n) ? String(n) : Number.isInteger(n) ? BigInt(n).toString() : String(n)
    default:
      // Schemaless: a Long prints as an integer. An integral JS number beyond 2^53 cannot have come from an exact
      // Long (those read as bigint), so it is a Double, as are -0 and every fraction.
      return Number.isSafeInteger(n) && !Object.is(n, -0) ? String(n) : javaDoubleToString(n)
  }
}

function javaObjectToString (value: object, schema: Schema | null, options: JavaToStringOptions): string {
  if (value instanceof Uint8Array) return (options.bytes ?? javaByteArrayToString)(value)
  if (Array.isArray(value)) {
    const items = schema?.valueSchema ?? null
    let out = '['
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ', ') + javaToString(value[i], items, options)
    return out + ']'
  }
  if (value instanceof Map) {
    const keys = schema?.keySchema ?? null
    const values = schema?.valueSchema ?? null
    let out = '{'
    let first = true
    for (const [k, v] of value as Map<unknown, unknown>) {
      out += (first ? '' : ', ') + javaToString(k, keys, options) + '=' + javaToString(v, values, options)
      first = false
    }
    return out + '}'
  }
  if (value instanceof Date) return javaDateToString(value)
  if (isStruct(value)) return structToString(value, options)
  const proto = Object.getPrototypeOf(value) as unknown
  if (proto === Object.prototype || proto === null) {
    // A plain object is how connectors written in JS give a schemaless map.
    const values = schema?.valueSchema ?? null
    return `{${Object.entries(value).map(([k, v]) => `${k}=${javaToString(v, values, options)}`).join(', ')}}`
  }
  // BigDecimal and other data-model classes carry their own Java rendering.
  return String(value)
}

interface StructLike {
  readonly kind: 'struct'
  readonly schema: Schema
  getWithoutDefault (name: string): unknown
}

// Duck-typed so that struct.ts can use this module without an import cycle.
function isStruct (value: object): value is StructLike {
  return (value as { kind?: unknown }).kind === 'struct' && typeof (value as { getWithoutDefault?: unknown }).getWithoutDefault === 'function'
}

/** Struct.toString: the fields that hold a value (defaults are not applied), no spaces: Struct{a=1,b=x}. */
function structToString (struct: StructLike, options: JavaToStringOptions): string {
  let out = 'Struct{'
  let first = true
  for (const field of struct.schema.fields ?? []) {
    const v = struct.getWithoutDefault(field.name)
    if (v === null || v === undefined) continue
    out += (first ? '' : ',') + field.name + '=' + javaToString(v, field.schema, options)
    first = false
  }
  return out + '}'
}

/**
 * A byte array as Java prints it, `[B@` and a hex hash. Java's hash is the array's identity hash, new in every run;
 * ours is Arrays.hashCode of the content, kept to 31 bits and printed unpadded as HotSpot's identity hashes are, so
 * the text has Java's shape and the same bytes always print the same.
 */
export function javaByteArrayToString (bytes: Uint8Array): string {
  let h = 1
  for (let i = 0; i < bytes.length; i++) h = (Math.imul(h, 31) + ((bytes[i]! << 24) >> 24)) | 0
  return `[B@${(h & 0x7fffffff).toString(16)}`
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const MS_PER_DAY = 86400000
/** 1582-10-15T00:00:00Z: java.util.Date switches from the Julian to the Gregorian calendar here. */
const GREGORIAN_CUTOVER = -12219292800000
const pad2 = (n: number): string => n < 10 ? `0${n}` : String(n)

/**
 * java.util.Date.toString(): `EEE MMM dd HH:mm:ss zzz yyyy`. Apache prints it in the JVM's default zone; we print
 * UTC, which is what a worker started with TZ=UTC (or -Duser.timezone=UTC) prints. Dates before 1582-10-15 are in
 * the Julian calendar and years before 1 AD print as the year of their era (2 BC prints 2), as Java's do.
 */
export function javaDateToString (date: Date): string {
  const ms = date.getTime()
  if (Number.isNaN(ms)) return 'Invalid Date'
  const days = Math.floor(ms / MS_PER_DAY)
  const msOfDay = ms - days * MS_PER_DAY
  let year: number, month: number, day: number
  if (ms >= GREGORIAN_CUTOVER) {
    year = date.getUTCFullYear()
    month = date.getUTCMonth()
    day = date.getUTCDate()
  } else {
    // Julian calendar from the Julian day number (the epoch is JDN 2440588).
    const c = days + 2440588 + 32082
    const d = Math.floor((4 * c + 3) / 1461)
    const e = c - Math.floor(1461 * d / 4)
    const m = Math.floor((5 * e + 2) / 153)
    day = e - Math.floor((153 * m + 2) / 5) + 1
    month = m + 2 - 12 * Math.floor(m / 10)
    const astronomical = d - 4800 + Math.floor(m / 10)
    year = astronomical > 0 ? astronomical : 1 - astronomical
  }
  const weekday = DAYS[(((days + 4) % 7) + 7) % 7]!
  const hours = Math.floor(msOfDay / 3600000)
  const minutes = Math.floor(msOfDay / 60000) % 60
  const seconds = Math.floor(msOfDay / 1000) % 60
  return `${weekday} ${MONTHS[month]!} ${pad2(day)} ${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)} UTC ${year}`
}

/**
 * The Java class of a Connect value, as `value.getClass().getName()` gives it (for messages worded like Apache's).
 * The schema decides where there is one (INT8 is a Byte, a Timestamp a java.util.Date); without one, the JS value
 * decides as JsonConverter's schemaless reading would have made it (an integer is a Long, a map a HashMap).
 */
export function javaClassName (value: unknown, schema: Schema | null = null): string {
  if (schema !== null) {
    switch (schema.name) {
      case 'org.apache.kafka.connect.data.Decimal': return 'java.math.BigDecimal'
      case 'org.apache.kafka.connect.data.Date':
      case 'org.apache.kafka.connect.data.Time':
      case 'org.apache.kafka.connect.data.Timestamp': return 'java.util.Date'
    }
    switch (schema.type) {
      case 'int8': return 'java.lang.Byte'
      case 'int16': return 'java.lang.Short'
      case 'int32': return 'java.lang.Integer'
      case 'int64': return 'java.lang.Long'
      case 'float32': return 'java.lang.Float'
      case 'float64': return 'java.lang.Double'
      case 'boolean': return 'java.lang.Boolean'
      case 'string': return 'java.lang.String'
      case 'bytes': return '[B'
      case 'array': return 'java.util.ArrayList'
      case 'map': return 'java.util.HashMap'
      case 'struct': return 'org.apache.kafka.connect.data.Struct'
    }
  }
  switch (typeof value) {
    case 'string': return 'java.lang.String'
    case 'boolean': return 'java.lang.Boolean'
    case 'bigint': return 'java.lang.Long'
    case 'number': return Number.isSafeInteger(value) && !Object.is(value, -0) ? 'java.lang.Long' : 'java.lang.Double'
    case 'object': {
      if (value === null) return 'null'
      if (value instanceof Uint8Array) return '[B'
      if (Array.isArray(value)) return 'java.util.ArrayList'
      if (value instanceof Map) return 'java.util.HashMap'
      if (value instanceof Date) return 'java.util.Date'
      if (isStruct(value)) return 'org.apache.kafka.connect.data.Struct'
      if ((value as { kind?: unknown }).kind === 'decimal') return 'java.math.BigDecimal'
      const proto = Object.getPrototypeOf(value) as unknown
      if (proto === Object.prototype || proto === null) return 'java.util.HashMap'
      return (value as { constructor?: { name?: string } }).constructor?.name ?? 'java.lang.Object'
    }
    default: return typeof value
  }
}
