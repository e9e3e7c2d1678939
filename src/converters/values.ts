/**
 * Kafka's Values.convertToString and Values.parseString, which SimpleHeaderConverter uses to write header values as
 * text and to infer a schema when reading them back, and InsertHeader uses to type its literal. parseString follows
 * Apache 4.3.1's tokenizer and recursive parser step by step (test/converters/values/golden.jsonl holds what the real
 * classes return), because its results depend on details such as which tokens are skipped as blank, when a failed
 * array or map falls back to text and how element schemas merge. Dates use UTC (Apache uses the JVM's default time
 * zone, which is UTC in the usual container).
 */
import {
  BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, Schemas, Struct,
  DATE_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME,
  type Schema, type SchemaAndValue, type SchemaType
} from '../api/index.ts'
import { javaDoubleToString, javaFloatToString } from '../java/number-format.ts'
import { javaDigit, javaTrim } from '../java/chars.ts'

const MILLIS_PER_DAY = 86400000
const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

function dateText (d: Date): string {
  const ms = d.getTime()
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  // Values.dateFormatFor: anything before one day after the epoch (negative times included) prints as a time.
  if (ms < MILLIS_PER_DAY) return time
  if (ms % MILLIS_PER_DAY === 0) return date
  return `${date}T${time}`
}

/**
 * Java's Number.toString of a value whose schema does not say its type. `parsed` marks the elements of an array or map
 * that parseString left without an element schema (Apache's arrayOfNull and mapOfNull schemas, which only it builds):
 * a fractional number there that a float holds exactly was parsed as a Float (a Double only when a float overflows).
 */
function untypedNumberText (value: number, parsed: boolean): string {
  const integral = Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 2 ** 63
  if (integral) return String(value)
  if (parsed && Math.fround(value) === value) return javaFloatToString(value)
  // -0, fractions and integral values beyond a long can only be a Float or Double in Java.
  return javaDoubleToString(value)
}

/** Whether the values under a container schema are parseString's raw elements (no element schema). */
const rawElements = (schema: Schema | null, part: 'keySchema' | 'valueSchema'): boolean =>
  schema !== null && (schema.type === 'array' || schema.type === 'map') && schema[part] === undefined

function append (schema: Schema | null, value: unknown, embedded: boolean, parsed = false): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return embedded ? `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : value
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (typeof value === 'number') {
    if (schema?.type === 'float32') return javaFloatToString(value)
    if (schema?.type === 'float64') return javaDoubleToString(value)
    if (schema !== null && schema.type !== 'array' && schema.type !== 'map' && schema.type !== 'struct') return String(value)
    return untypedNumberText(value, parsed)
  }
  if (value instanceof BigDecimal) return value.toString()
  if (value instanceof Uint8Array) {
    const b64 = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
    return embedded ? `"${b64}"` : b64
  }
  if (value instanceof Date) return dateText(value)
  if (Array.isArray(value)) {
    const raw = rawElements(schema, 'valueSchema')
    return `[${value.map(v => append(schema?.valueSchema ?? null, v, true, raw)).join(',')}]`
  }
  if (value instanceof Struct) {
    return `{${(value.schema.fields ?? []).map(f => `${append(Schemas.STRING, f.name, true)}:${append(f.schema, value.get(f.name), true)}`).join(',')}}`
  }
  if (value instanceof Map || Object.getPrototypeOf(value) === Object.prototype) {
    const entries = value instanceof Map ? [...value] : Object.entries(value as object)
    const rawKeys = rawElements(schema, 'keySchema')
    const rawValues = rawElements(schema, 'valueSchema')
    return `{${entries.map(([k, v]) => `${append(schema?.keySchema ?? null, k, true, rawKeys)}:${append(schema?.valueSchema ?? null, v, true, rawValues)}`).join(',')}}`
  }
  throw new DataError(`Failed to serialize unexpected value type ${(value as object).constructor?.name ?? typeof value}: ${String(value)}`)
}

export function convertToString (schema: Schema | null, value: unknown): string | null {
  return value === null || value === undefined ? null : append(schema, value, false)
}

// ---- Java helpers ----------------------------------------------------------------------------------------------

/** Kafka's Utils.isBlank. */
const isBlank = (s: string): boolean => javaTrim(s) === ''

class NumberFormatError extends Error {}

/** new BigDecimal(String): Java's grammar, with non-ASCII decimal digits and its exponent and scale limits. */
function parseJavaBigDecimal (s: string): BigDecimal {
  let i = 0
  let negative = false
  if (s[0] === '-' || s[0] === '+') { negative = s[0] === '-'; i++ }
  let digits = ''
  let fraction = 0
  let dot = false
  let exponent = 0n
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const d = javaDigit(c)
    if (d >= 0) {
      digits += String(d)
      if (dot) fraction++
    } else if (c === 0x2e && !dot) {
      dot = true
    } else if (c === 0x65 || c === 0x45) {
      exponent = parseExponent(s, i + 1)
      break
    } else {
      throw new NumberFormatError(`Character ${s[i]} is neither a decimal digit number, decimal point, nor "e" notation exponential mark.`)
    }
  }
  if (digits === '') throw new NumberFormatError('No digits found.')
  const scale = BigInt(fraction) - exponent
  if (scale > 2147483647n || scale < -2147483648n) throw new NumberFormatError('Scale out of range.')
  const unscaled = BigInt(digits)
  return new BigDecimal(negative ? -unscaled : unscaled, Number(scale))
}

function parseExponent (s: string, start: number): bigint {
  let i = start
  let negative = false
  if (s[i] === '-' || s[i] === '+') { negative = s[i] === '-'; i++ }
  if (i >= s.length) throw new NumberFormatError('No exponent digits.')
  let text = ''
  for (; i < s.length; i++) {
    const d = javaDigit(s.charCodeAt(i))
    if (d < 0) throw new NumberFormatError('Not a digit.')
    text += String(d)
  }
  // Java skips leading zeros, then refuses more than ten digits, then an exponent beyond an int.
  text = text.replace(/^0+(?=.{10})/, '')
  if (text.length > 10) throw new NumberFormatError('Too many nonzero exponent digits.')
  const value = negative ? -BigInt(text) : BigInt(text)
  if (value !== BigInt.asIntN(32, value)) throw new NumberFormatError('Exponent overflow.')
  return value
}

const decimalDigits = (n: bigint): number => (n < 0n ? -n : n).toString().length

/** Sign of |d| - 10^power, for a non-zero d, without building huge powers of ten. */
function compareAbsToPowerOfTen (d: BigDecimal, power: number): number {
  const adjusted = decimalDigits(d.unscaled) - 1 - d.scale
  if (adjusted !== power) return adjusted > power ? 1 : -1
  const abs = d.unscaled < 0n ? -d.unscaled : d.unscaled
  // Same adjusted exponent: abs has (power + scale + 1) digits, so this power of ten is small.
  const exp = power + d.scale
  return exp >= 0 ? (abs > 10n ** BigInt(exp) ? 1 : abs === 10n ** BigInt(exp) ? 0 : -1) : 1
}

/** BigDecimal.doubleValue(): correctly rounded. */
const decimalToDouble = (d: BigDecimal): number => Number(`${d.unscaled}e${-d.scale}`)

/** Exact sign of d - x, for a finite double x. */
function compareDecimalToDouble (d: BigDecimal, x: number): number {
  // x = m * 2^e exactly.
  const buf = new DataView(new ArrayBuffer(8))
  buf.setFloat64(0, x)
  const bits = buf.getBigUint64(0)
  const biasedExp = Number((bits >> 52n) & 0x7ffn)
  let m = bits & ((1n << 52n) - 1n)
  let e: number
  if (biasedExp === 0) e = -1074
  else { m |= 1n << 52n; e = biasedExp - 1075 }
  if (bits >> 63n === 1n) m = -m
  // Compare U * 10^-s with m * 2^e after multiplying both by 10^max(s,0) * 2^max(-e,0).
  const s = d.scale
  let left = d.unscaled * (s < 0 ? 10n ** BigInt(-s) : 1n)
  let right = m * (s > 0 ? 10n ** BigInt(s) : 1n)
  if (e < 0) left <<= BigInt(-e)
  else right <<= BigInt(e)
  return left > right ? 1 : left < right ? -1 : 0
}

const F32 = new Float32Array(1)
const U32 = new Uint32Array(F32.buffer)
const FLOAT_MAX = 3.4028234663852886e38

/** The float after f (a finite float >= 0). */
function nextFloatUp (f: number): number {
  F32[0] = f
  U32[0]! += 1
  return F32[0]!
}

/**
 * BigDecimal.floatValue(): correctly rounded. Math.fround(double) rounds twice, which goes wrong only when the double
 * lands exactly halfway between two floats (or on the overflow threshold); then the exact decimal decides.
 */
function decimalToFloat (d: BigDecimal, asDouble: number): number {
  if (asDouble < 0) return -decimalToFloat(new BigDecimal(-d.unscaled, d.scale), -asDouble)
  const f = Math.fround(asDouble)
  if (f === asDouble || !Number.isFinite(asDouble)) return f
  // The floats either side of the double; past the largest float the next one up is 2^128 (infinity).
  let lo: number
  let hi: number
  if (asDouble > FLOAT_MAX) {
    lo = FLOAT_MAX
    hi = 2 ** 128
  } else if (f < asDouble) {
    lo = f
    hi = nextFloatUp(f)
  } else {
    hi = f
    F32[0] = f
    U32[0]! -= 1
    lo = F32[0]!
  }
  const mid = (lo + hi) / 2
  if (asDouble !== mid) return f
  const c = compareDecimalToDouble(d, mid)
  if (c === 0) return f
  const up = c > 0 ? hi : lo
  return up === 2 ** 128 ? Infinity : up
}

// ---- SimpleDateFormat's lenient parsing of Values' three ISO patterns -------------------------------------------

const GREGORIAN_CUTOVER_MS = -12219292800000 // 1582-10-15T00:00:00Z
const floorDiv = (a: number, b: number): number => Math.floor(a / b)

/** Days from 1970-01-01 to the first of a (normalised) month, in the Gregorian or Julian calendar. */
function daysFromEpoch (year: number, month0: number, julian: boolean): number {
  const y = year + floorDiv(month0, 12)
  const m = ((month0 % 12) + 12) % 12 + 1
  const a = floorDiv(14 - m, 12)
  const yy = y + 4800 - a
  const mm = m + 12 * a - 3
  const jdn = 1 + floorDiv(153 * mm + 2, 5) + 365 * yy + floorDiv(yy, 4) +
    (julian ? -32083 : -floorDiv(yy, 100) + floorDiv(yy, 400) - 32045)
  return jdn - 2440588
}

interface CalendarFields { year: number, month: number, day: number, hour: number, minute: number, second: number, milli: number }

/** GregorianCalendar (lenient, UTC) from its fields: Julian before the 1582 cutover, as Java's default calendar. */
function calendarMillis (f: CalendarFields): number {
  const timeOfDay = ((f.hour * 60 + f.minute) * 60 + f.second) * 1000 + f.milli
  const at = (julian: boolean): number => (daysFromEpoch(f.year, f.month, julian) + f.day - 1) * MILLIS_PER_DAY + timeOfDay
  if (f.year < 1582) return at(true)
  const gregorian = at(false)
  return gregorian - timeOfDay >= GREGORIAN_CUTOVER_MS ? gregorian : at(true)
}

/**
 * DecimalFormat.parse as SimpleDateFormat uses it for a numeric field (integer only, no grouping), after skipping
 * spaces and tabs; returns Number.intValue() and the end, or null when no number is there.
 */
function parseDateNumber (text: string, start: number): [number, number] | null {
  let i = start
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++
  if (i >= text.length) return null
  let negative = false
  if (text[i] === '-') { negative = true; i++ }
  if (text.startsWith('NaN', i) && !negative) return [0, i + 3]
  if (text[i] === '\u221e') return [negative ? -2147483648 : 2147483647, i + 1]
  let digits = ''
  for (; i < text.length; i++) {
    const d = javaDigit(text.charCodeAt(i))
    if (d < 0) break
    digits += String(d)
  }
  if (digits === '') return null
  let value = BigInt(digits)
  // An exponent is read even by an integer-only format.
  const exp = /^E(-?)(\d+)/.exec(text.slice(i))
  if (exp) {
    const e = Number(exp[2]) * (exp[1] === '-' ? -1 : 1)
    if (Math.abs(e) <= 400) {
      value = e >= 0 ? value * 10n ** BigInt(e) : value / 10n ** BigInt(-e)
      i += exp[0].length
    }
  }
  if (negative) value = -value
  // A long is cut to an int; a larger number was a Double, which saturates.
  if (value >= -(2n ** 63n) && value < 2n ** 63n) return [Number(BigInt.asIntN(32, value)), i]
  return [value < 0n ? -2147483648 : 2147483647, i]
}

type DateField = keyof CalendarFields
const PATTERNS: Record<string, Array<DateField | string>> = {
  date: ['year', '-', 'month', '-', 'day'],
  time: ['hour', ':', 'minute', ':', 'second', '.', 'milli', 'Z'],
  timestamp: ['year', '-', 'month', '-', 'day', 'T', 'hour', ':', 'minute', ':', 'second', '.', 'milli', 'Z']
}
const FIELDS = new Set(['year', 'month', 'day', 'hour', 'minute', 'second', 'milli'])

/** SimpleDateFormat(pattern).parse(text, pos): lenient, trailing text ignored; null when a field or literal fails. */
function parseDatePattern (text: string, pattern: Array<DateField | string>): Date | null {
  const f: CalendarFields = { year: 1970, month: 0, day: 1, hour: 0, minute: 0, second: 0, milli: 0 }
  let pos = 0
  for (const element of pattern) {
    if (FIELDS.has(element)) {
      const n = parseDateNumber(text, pos)
      if (n === null) return null
      f[element as DateField] = element === 'month' ? n[0] - 1 : n[0]
      pos = n[1]
    } else {
      if (text[pos] !== element) return null
      pos++
    }
  }
  return new Date(calendarMillis(f))
}

/** Values.parseAsTemporal: the length picks the pattern. */
function parseAsTemporal (token: string): SchemaAndValue | null {
  const text = token.replaceAll('\\:', ':')
  let schema: Schema
  let pattern: Array<DateField | string>
  if (text.length === 13) { schema = ConnectTime.SCHEMA; pattern = PATTERNS.time! } else if (text.length === 24) { schema = ConnectTimestamp.SCHEMA; pattern = PATTERNS.timestamp! } else if (text.length === 10) { schema = ConnectDate.SCHEMA; pattern = PATTERNS.date! } else return null
  const date = parseDatePattern(text, pattern)
  return date === null ? null : { schema, value: date }
}

// ---- Tokenizer (Values.Parser) ---------------------------------------------------------------------------------

const DELIMITER_CODES = new Set([...':,{}[]"'].map(c => c.charCodeAt(0)))

class Parser {
  readonly original: string
  #index = 0
  #nextToken: string | null = null
  #previousToken: string | null = null

  constructor (original: string) { this.original = original }

  position (): number { return this.#index }
  mark (): number { return this.#index - (this.#nextToken?.length ?? 0) }
  rewindTo (position: number): void {
    this.#index = position
    this.#nextToken = null
    this.#previousToken = null
  }

  hasNext (): boolean { return this.#nextToken !== null || this.#index < this.original.length }
  previous (): string | null { return this.#previousToken }

  next (): string {
    if (this.#nextToken !== null) {
      this.#previousToken = this.#nextToken
      this.#nextToken = null
    } else {
      this.#previousToken = this.#consumeNextToken()
    }
    return this.#previousToken
  }

  /** The raw text of the next n tokens, or null (and nothing consumed) if there are fewer. */
  nextN (n: number): string | null {
    const start = this.mark()
    for (let i = 0; i < n; i++) {
      if (!this.hasNext()) {
        this.rewindTo(start)
        return null
      }
      this.next()
    }
    return this.original.substring(start, this.position())
  }

  /** A delimiter alone, or the text up to the next delimiter; a backslash escapes the character after it. */
  #consumeNextToken (): string {
    const s = this.original
    const start = this.#index
    let escaped = false
    for (; this.#index < s.length; this.#index++) {
      const c = s.charCodeAt(this.#index)
      if (c === 0x5c) {
        escaped = !escaped
      } else if (DELIMITER_CODES.has(c) && !escaped) {
        if (start < this.#index) return s.substring(start, this.#index)
        this.#index++
        return s.substring(start, start + 1)
      } else {
        escaped = false
      }
    }
    return s.substring(start, this.#index)
  }

  /** Consumes the next token if, trimmed, it is `expected`; blank tokens before it are skipped either way. */
  canConsume (expected: string): boolean {
    if (this.#nextToken === null) {
      if (!this.hasNext()) return false
      this.#nextToken = this.#consumeNextToken()
    }
    while (isBlank(this.#nextToken) && this.#index < this.original.length) this.#nextToken = this.#consumeNextToken()
    if (javaTrim(this.#nextToken) === expected) {
      this.#nextToken = null
      return true
    }
    return false
  }
}

// ---- Values.ValueParser ----------------------------------------------------------------------------------------

/** Kafka's DataException inside the parser: a failed array or map turns back into text. */
class ParseError extends Error {}

const NUMERIC_ORDER: SchemaType[] = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64']

/** Values.mergeSchemas: numbers widen (logical types too, as Apache does), equal types keep the newer schema. */
function mergeSchemas (previous: Schema, next: Schema): Schema | null {
  if (previous.type !== next.type) {
    const a = NUMERIC_ORDER.indexOf(previous.type)
    const b = NUMERIC_ORDER.indexOf(next.type)
    if (a === -1 || b === -1) return null
    return b > a ? next : previous
  }
  if (previous.optional === next.optional) return previous.optional ? previous : next
  return null
}

class SchemaMerger {
  common: Schema | null = null
  compatible = true
  merge (latest: SchemaAndValue | null): void {
    if (latest === null || latest.schema === null || !this.compatible) return
    if (this.common === null) {
      this.common = latest.schema
    } else {
      this.common = mergeSchemas(this.common, latest.schema)
      this.compatible = this.common !== null
    }
  }
}

const isNumber = (v: unknown): v is number | bigint => typeof v === 'number' || typeof v === 'bigint'

/** Number.longValue() of a parsed number. */
function longValue (value: unknown): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number') return BigInt(Math.trunc(value))
  if (value instanceof BigDecimal) return value.scale <= 0 ? value.unscaled * 10n ** BigInt(-value.scale) : value.unscaled / 10n ** BigInt(value.scale)
  throw new ParseError(`Unable to convert ${String(value)} to a number`)
}

const toInt = (value: unknown): number => Number(BigInt.asIntN(32, longValue(value)))

/** Values.convertTo(toSchema, null, value), as parseString uses it to give every element the merged schema. */
function convertTo (schema: Schema, value: unknown): unknown {
  if (value === null) {
    if (schema.optional) return null
    throw new ParseError('Unable to convert a null value to a schema that requires a value')
  }
  switch (schema.type) {
    case 'int16':
    case 'int8': return typeof value === 'number' ? value : toInt(value)
    case 'int32':
      if (schema.name === DATE_LOGICAL_NAME) return value instanceof Date ? value : ConnectDate.toLogical(schema, toInt(value))
      if (schema.name === TIME_LOGICAL_NAME) {
        if (value instanceof Date) return value
        try { return ConnectTime.toLogical(schema, toInt(value)) } catch (err) { throw new ParseError((err as Error).message) }
      }
      return toInt(value)
    case 'int64': {
      if (schema.name === TIMESTAMP_LOGICAL_NAME) return value instanceof Date ? value : new Date(Number(longValue(value)))
      if (typeof value === 'bigint') return value
      const n = longValue(value)
      return Number.isSafeInteger(Number(n)) ? Number(n) : n
    }
    case 'float32':
      if (!isNumber(value) && !(value instanceof BigDecimal)) throw new ParseError(`Unable to convert ${String(value)} to a number`)
      return Math.fround(Number(value instanceof BigDecimal ? decimalToDouble(value) : value))
    case 'float64':
      if (!isNumber(value) && !(value instanceof BigDecimal)) throw new ParseError(`Unable to convert ${String(value)} to a number`)
      return Number(value instanceof BigDecimal ? decimalToDouble(value) : value)
    case 'array':
      if (Array.isArray(value)) return value
      break
    case 'map':
      if (value instanceof Map) return value
      break
    default:
      return value
  }
  throw new ParseError(`Unable to convert ${String(value)} to ${schema.type}`)
}

/** Java's equals/hashCode identity of a parsed map key (LinkedHashMap keeps one entry per equal key). */
function keyIdentity (schema: Schema | null, value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (value instanceof Date) return `date:${value.getTime()}`
  if (value instanceof BigDecimal) return `decimal:${value.unscaled}:${value.scale}`
  if (typeof value === 'number' || typeof value === 'bigint') return `${schema?.type ?? 'number'}:${Object.is(value, -0) ? '-0' : String(value)}`
  if (typeof value === 'string') return `string:${value}`
  if (typeof value === 'boolean') return `boolean:${value}`
  if (Array.isArray(value)) return `list:[${value.map(v => keyIdentity(schema?.valueSchema ?? null, v)).join(',')}]`
  if (value instanceof Map) return `map:{${[...value].map(([k, v]) => `${keyIdentity(schema?.keySchema ?? null, k)}=${keyIdentity(schema?.valueSchema ?? null, v)}`).join(',')}}`
  return String(value)
}

/** An insertion-ordered map with Java key equality. */
function linkedMap (entries: Array<[unknown, unknown]>, keySchema: Schema | null, keySchemas?: Array<Schema | null>): Map<unknown, unknown> {
  const index = new Map<string, number>()
  const out: Array<[unknown, unknown]> = []
  entries.forEach(([k, v], i) => {
    const id = keyIdentity(keySchema ?? keySchemas?.[i] ?? null, k)
    const at = index.get(id)
    if (at === undefined) {
      index.set(id, out.length)
      out.push([k, v])
    } else {
      out[at]![1] = v
    }
  })
  return new Map(out)
}

const ARRAY_OF_NULL: Schema = Object.freeze({ type: 'array', optional: false })
const MAP_OF_NULL: Schema = Object.freeze({ type: 'map', optional: false })
const arrayOf = (elem: Schema): Schema => Object.freeze({ type: 'array', optional: false, valueSchema: elem })
const mapOf = (k: Schema, v: Schema | null): Schema =>
  Object.freeze(v === null ? { type: 'map', optional: false, keySchema: k } : { type: 'map', optional: false, keySchema: k, valueSchema: v })

const TRUE_SV: SchemaAndValue = Object.freeze({ schema: Schemas.BOOLEAN, value: true })
const FALSE_SV: SchemaAndValue = Object.freeze({ schema: Schemas.BOOLEAN, value: false })

/** Values.parseAsNumber: the narrowest integer, else float32, float64 or a Decimal, as Apache decides. */
function parseAsNumber (token: string): SchemaAndValue {
  const decimal = parseJavaBigDecimal(token)
  const exact = parseAsExactDecimal(decimal)
  if (exact !== null) return exact
  const d = decimalToDouble(decimal)
  const f = decimalToFloat(decimal, d)
  if (Number.isFinite(f) && decimal.scale !== 0) return { schema: Schemas.FLOAT32, value: f }
  if (Number.isFinite(d) && decimal.scale !== 0) return { schema: Schemas.FLOAT64, value: d }
  return { schema: Decimal.schema(decimal.scale), value: decimal }
}

function parseAsExactDecimal (d: BigDecimal): SchemaAndValue | null {
  if (d.unscaled !== 0n && (compareAbsToPowerOfTen(d, 19) > 0 || compareAbsToPowerOfTen(d, 0) < 0)) return null
  let n: bigint
  if (d.scale <= 0) {
    n = d.unscaled * 10n ** BigInt(-d.scale)
  } else {
    const p = 10n ** BigInt(d.scale)
    if (d.unscaled % p !== 0n) return null
    n = d.unscaled / p
  }
  if (n < -(2n ** 63n) || n >= 2n ** 63n) return null
  if (n >= -128n && n <= 127n) return { schema: Schemas.INT8, value: Number(n) }
  if (n >= -32768n && n <= 32767n) return { schema: Schemas.INT16, value: Number(n) }
  if (n >= -2147483648n && n <= 2147483647n) return { schema: Schemas.INT32, value: Number(n) }
  return { schema: Schemas.INT64, value: Number.isSafeInteger(Number(n)) ? Number(n) : n }
}

class ValueParser {
  readonly #p: Parser
  constructor (parser: Parser) { this.#p = parser }

  #canParseSingleTokenLiteral (embedded: boolean, literal: string): boolean {
    const start = this.#p.mark()
    // At the top level the literal must be the whole text: "true}" is a string.
    if (this.#p.canConsume(literal) && (embedded || !this.#p.hasNext())) return true
    this.#p.rewindTo(start)
    return false
  }

  parse (embedded: boolean): SchemaAndValue | null {
    const p = this.#p
    if (!p.hasNext()) return null
    if (embedded && p.canConsume('"')) return this.#parseQuotedString()
    if (this.#canParseSingleTokenLiteral(embedded, 'null')) return null
    if (this.#canParseSingleTokenLiteral(embedded, 'true')) return TRUE_SV
    if (this.#canParseSingleTokenLiteral(embedded, 'false')) return FALSE_SV
    const start = p.mark()
    try {
      if (p.canConsume('[')) return this.#parseArray()
      if (p.canConsume('{')) return this.#parseMap()
    } catch (err) {
      if (!(err instanceof ParseError)) throw err
      p.rewindTo(start)
    }
    const token = p.next()
    if (isBlank(token)) return { schema: Schemas.STRING, value: token }
    return this.#parseNextToken(embedded, javaTrim(token))
  }

  #parseNextToken (embedded: boolean, token: string): SchemaAndValue {
    const first = token.charCodeAt(0)
    const firstIsDigit = javaDigit(first) >= 0
    if (firstIsDigit) {
      // Temporal types are more restrictive, so they come first.
      const temporal = this.#parseMultipleTokensAsTemporal(token)
      if (temporal !== null) return temporal
    }
    if (firstIsDigit || first === 0x2b || first === 0x2d) {
      try {
        return parseAsNumber(token)
      } catch (err) {
        if (!(err instanceof NumberFormatError)) throw err
      }
    }
    if (embedded) throw new ParseError('Failed to parse embedded value')
    return { schema: Schemas.STRING, value: this.#p.original }
  }

  /** A time or timestamp is split by its unescaped colons into five tokens. */
  #parseMultipleTokensAsTemporal (token: string): SchemaAndValue | null {
    const p = this.#p
    const position = p.mark()
    const remainder = p.nextN(4)
    if (remainder !== null) {
      const temporal = parseAsTemporal(token + remainder)
      if (temporal !== null) return temporal
    }
    p.rewindTo(position)
    return parseAsTemporal(token)
  }

  #parseQuotedString (): SchemaAndValue {
    const p = this.#p
    let content = ''
    // Blank tokens before the closing quote are skipped by canConsume, as in Apache (`" "` reads as "").
    while (p.hasNext()) {
      if (p.canConsume('"')) break
      content += p.next()
    }
    return parseAsTemporal(content) ?? { schema: Schemas.STRING, value: content }
  }

  #parseArray (): SchemaAndValue {
    const p = this.#p
    const result: unknown[] = []
    const merger = new SchemaMerger()
    while (p.hasNext()) {
      if (p.canConsume(']')) {
        if (merger.common === null) return { schema: ARRAY_OF_NULL, value: result }
        const elem = merger.common
        return { schema: arrayOf(elem), value: result.map(v => convertTo(elem, v)) }
      }
      if (p.canConsume(',')) throw new ParseError(`Unable to parse an empty array element: ${p.original}`)
      const element = this.parse(true)
      merger.merge(element)
      result.push(element === null ? null : element.value)
      const position = p.mark()
      if (p.canConsume(']')) p.rewindTo(position)
      else if (!p.canConsume(',')) throw new ParseError("Array elements missing ',' delimiter")
    }
    if (p.previous() === ',') throw new ParseError(`Array is missing element after ',': ${p.original}`)
    throw new ParseError(`Array is missing terminating ']': ${p.original}`)
  }

  #parseMap (): SchemaAndValue {
    const p = this.#p
    const entries: Array<[unknown, unknown]> = []
    const rawKeySchemas: Array<Schema | null> = []
    const keys = new SchemaMerger()
    const values = new SchemaMerger()
    while (p.hasNext()) {
      if (p.canConsume('}')) {
        const raw = linkedMap(entries, null, rawKeySchemas)
        const ks = keys.common
        const vs = values.common
        if (ks !== null && vs !== null) {
          return { schema: mapOf(ks, vs), value: linkedMap([...raw].map(([k, v]) => [convertTo(ks, k), convertTo(vs, v)]), ks) }
        }
        if (ks !== null) return { schema: mapOf(ks, null), value: linkedMap([...raw].map(([k, v]) => [convertTo(ks, k), v]), ks) }
        return { schema: MAP_OF_NULL, value: raw }
      }
      if (p.canConsume(',')) throw new ParseError(`Unable to parse a map entry with no key or value: ${p.original}`)
      const key = this.parse(true)
      if (key === null || key.value === null) throw new ParseError(`Map entry may not have a null key: ${p.original}`)
      if (!p.canConsume(':')) throw new ParseError(`Map entry is missing ':' at ${p.position()} in ${p.original}`)
      const value = this.parse(true)
      entries.push([key.value, value === null ? null : value.value])
      rawKeySchemas.push(key.schema)
      // The comma between entries is optional, as in Apache.
      p.canConsume(',')
      keys.merge(key)
      values.merge(value)
    }
    if (p.previous() === ',') throw new ParseError(`Map is missing element after ',': ${p.original}`)
    throw new ParseError(`Map is missing terminating '}': ${p.original}`)
  }
}

/**
 * Kafka's Values.parseString: infers a schema from text. Returns null where Apache returns null (the text `null`,
 * blanks around it allowed); SimpleHeaderConverter and InsertHeader turn that into a null header.
 */
export function parseString (text: string): SchemaAndValue | null {
  if (text === '') return { schema: Schemas.STRING, value: '' }
  return new ValueParser(new Parser(text)).parse(false)
}

