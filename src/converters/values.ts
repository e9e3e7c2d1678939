/**
 * Kafka's Values.convertToString and Values.parseString, which SimpleHeaderConverter uses to write header values as
 * text and to infer a schema when reading them back. Dates use UTC (Apache uses the JVM's default time zone, which is
 * UTC in the usual container).
 */
import {
  BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, Schemas, Struct,
  type Schema, type SchemaAndValue, type SchemaType
} from '../api/index.ts'
import { javaDoubleToString, javaFloatToString } from '../api/java-number-format.ts'

const MILLIS_PER_DAY = 86400000
const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

function dateText (d: Date): string {
  const ms = d.getTime()
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  if (ms < MILLIS_PER_DAY) return time
  if (ms % MILLIS_PER_DAY === 0) return date
  return `${date}T${time}`
}

function append (schema: Schema | null, value: unknown, embedded: boolean): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return embedded ? `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : value
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (typeof value === 'number') {
    if (schema?.type === 'float32') return javaFloatToString(value)
    if (schema?.type === 'float64' || !Number.isInteger(value)) return javaDoubleToString(value)
    return String(value)
  }
  if (value instanceof BigDecimal) return value.toString()
  if (value instanceof Uint8Array) {
    const b64 = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
    return embedded ? `"${b64}"` : b64
  }
  if (value instanceof Date) return dateText(value)
  if (Array.isArray(value)) return `[${value.map(v => append(schema?.valueSchema ?? null, v, true)).join(',')}]`
  if (value instanceof Struct) {
    return `{${(value.schema.fields ?? []).map(f => `${append(Schemas.STRING, f.name, true)}:${append(f.schema, value.get(f.name), true)}`).join(',')}}`
  }
  if (value instanceof Map || Object.getPrototypeOf(value) === Object.prototype) {
    const entries = value instanceof Map ? [...value] : Object.entries(value as object)
    return `{${entries.map(([k, v]) => `${append(schema?.keySchema ?? null, k, true)}:${append(schema?.valueSchema ?? null, v, true)}`).join(',')}}`
  }
  throw new DataError(`Failed to serialize unexpected value type ${(value as object).constructor?.name ?? typeof value}: ${String(value)}`)
}

export function convertToString (schema: Schema | null, value: unknown): string | null {
  return value === null || value === undefined ? null : append(schema, value, false)
}

// ---- parseString ---------------------------------------------------------------------------------------------

const DELIMITERS = new Set([':', ',', '{', '}', '[', ']', '"'])

/** Splits into delimiter tokens and the text between them; a delimiter after an odd run of backslashes is text. */
function tokenize (text: string): string[] {
  const tokens: string[] = []
  let current = ''
  let backslashes = 0
  for (const c of text) {
    if (DELIMITERS.has(c) && backslashes % 2 === 0) {
      if (current !== '') tokens.push(current)
      tokens.push(c)
      current = ''
    } else {
      current += c
    }
    backslashes = c === '\\' ? backslashes + 1 : 0
  }
  if (current !== '') tokens.push(current)
  return tokens
}

class Parser {
  readonly tokens: string[]
  pos = 0
  constructor (tokens: string[]) { this.tokens = tokens }
  peek (): string | undefined { return this.tokens[this.pos] }
  next (): string {
    const t = this.tokens[this.pos++]
    if (t === undefined) throw new Error('no more tokens')
    return t
  }

  /** Skips whitespace-only tokens. */
  nextNonBlank (): string {
    let t = this.next()
    while (t.trim() === '') t = this.next()
    return t
  }
}

const NUMERIC_ORDER: SchemaType[] = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64']

function parseNumber (token: string): SchemaAndValue | null {
  let d: BigDecimal
  try { d = BigDecimal.parse(token.trim().replace(/^\+/, '')) } catch { return null }
  const isIntegral = d.scale <= 0 || d.unscaled % (10n ** BigInt(d.scale)) === 0n
  if (isIntegral) {
    const n = d.scale <= 0 ? d.unscaled * 10n ** BigInt(-d.scale) : d.unscaled / 10n ** BigInt(d.scale)
    if (n >= -128n && n <= 127n) return { schema: Schemas.INT8, value: Number(n) }
    if (n >= -32768n && n <= 32767n) return { schema: Schemas.INT16, value: Number(n) }
    if (n >= -2147483648n && n <= 2147483647n) return { schema: Schemas.INT32, value: Number(n) }
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return { schema: Schemas.INT64, value: Number.isSafeInteger(Number(n)) ? Number(n) : n }
    return { schema: Decimal.schema(0), value: new BigDecimal(n, 0) }
  }
  const double = Number(d.toString())
  if (Number.isFinite(Math.fround(double))) return { schema: Schemas.FLOAT32, value: Math.fround(double) }
  if (Number.isFinite(double)) return { schema: Schemas.FLOAT64, value: double }
  return { schema: Decimal.schema(d.scale), value: d }
}

function parseTemporal (text: string): SchemaAndValue | null {
  const t = text.trim()
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t)
  if (m) return { schema: ConnectDate.SCHEMA, value: new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)) }
  m = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/.exec(t)
  if (m) return { schema: ConnectTime.SCHEMA, value: new Date(((+m[1]! * 60 + +m[2]!) * 60 + +m[3]!) * 1000 + +m[4]!) }
  m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/.exec(t)
  if (m) return { schema: ConnectTimestamp.SCHEMA, value: new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!)) }
  return null
}

/** Common schema of parsed elements: numeric types widen; anything else must match exactly; else null. */
function commonSchema (schemas: Array<Schema | null>): Schema | null {
  const present = schemas.filter((s): s is Schema => s !== null)
  if (present.length === 0) return null
  let common = present[0]!
  for (const s of present.slice(1)) {
    if (s.type === common.type && s.name === common.name) continue
    const a = NUMERIC_ORDER.indexOf(common.type)
    const b = NUMERIC_ORDER.indexOf(s.type)
    if (a === -1 || b === -1 || common.name || s.name) return null
    common = b > a ? s : common
  }
  return present.length < schemas.length ? Object.freeze({ ...common, optional: true }) : common
}

function widen (schema: Schema | null, value: unknown): unknown {
  if (schema === null || value === null) return value
  if (schema.type === 'float32' || schema.type === 'float64') return Number(value)
  if (schema.type === 'int64' && typeof value === 'number') return value
  return value
}

function parseValue (p: Parser, embedded: boolean): SchemaAndValue {
  const token = p.nextNonBlank()
  if (token === '"' && embedded) {
    // Quoted strings end at the next unescaped quote; escapes are kept as written (as Apache does).
    let text = ''
    for (let t = p.next(); t !== '"'; t = p.next()) text += t
    return parseTemporal(text) ?? { schema: Schemas.STRING, value: text }
  }
  if (token === '[') {
    const items: SchemaAndValue[] = []
    if (p.peek()?.trim() === '') p.next()
    if (p.peek() === ']') { p.next(); return { schema: arraySchema(null), value: [] } }
    for (;;) {
      items.push(parseValue(p, true))
      const sep = p.nextNonBlank()
      if (sep === ']') break
      if (sep !== ',') throw new Error(`unexpected ${sep}`)
    }
    const elem = commonSchema(items.map(i => i.schema))
    return { schema: arraySchema(elem), value: items.map(i => widen(elem, i.value)) }
  }
  if (token === '{') {
    const entries: Array<[SchemaAndValue, SchemaAndValue]> = []
    if (p.peek()?.trim() === '') p.next()
    if (p.peek() === '}') { p.next(); return { schema: mapSchema(null, null), value: new Map() } }
    for (;;) {
      const k = parseValue(p, true)
      if (p.nextNonBlank() !== ':') throw new Error('expected :')
      const v = parseValue(p, true)
      entries.push([k, v])
      const sep = p.nextNonBlank()
      if (sep === '}') break
      if (sep !== ',') throw new Error(`unexpected ${sep}`)
    }
    const ks = commonSchema(entries.map(e => e[0].schema))
    const vs = commonSchema(entries.map(e => e[1].schema))
    return { schema: mapSchema(ks, vs), value: new Map(entries.map(([k, v]) => [widen(ks, k.value), widen(vs, v.value)])) }
  }
  if (DELIMITERS.has(token)) throw new Error(`unexpected ${token}`)
  const trimmed = token.trim()
  if (embedded && trimmed === 'null') return { schema: null, value: null }
  if (embedded && (trimmed === 'true' || trimmed === 'false')) return { schema: Schemas.BOOLEAN, value: trimmed === 'true' }
  if (/^[0-9+-]/.test(trimmed)) {
    const n = parseNumber(trimmed)
    if (n) return n
  }
  throw new Error(`not a value: ${trimmed}`)
}

function arraySchema (elem: Schema | null): Schema {
  // Apache builds an array schema whose element schema may be null when the elements disagree.
  return Object.freeze({ type: 'array', optional: false, valueSchema: elem ?? undefined }) as Schema
}

function mapSchema (k: Schema | null, v: Schema | null): Schema {
  return Object.freeze({ type: 'map', optional: false, keySchema: k ?? undefined, valueSchema: v ?? undefined }) as Schema
}

/** Kafka's Values.parseString: infers a schema from text. Returns null for the literal `null`. */
export function parseString (text: string): SchemaAndValue | null {
  if (text === '') return { schema: Schemas.STRING, value: '' }
  if (text === 'null') return null
  if (text === 'true' || text === 'false') return { schema: Schemas.BOOLEAN, value: text === 'true' }
  const tokens = tokenize(text)
  const first = tokens[0]!.trim()
  if (first === '[' || first === '{') {
    try {
      const p = new Parser(tokens)
      const result = parseValue(p, false)
      while (p.peek() !== undefined && p.peek()!.trim() === '') p.next()
      if (p.peek() === undefined) return result
    } catch {}
    return { schema: Schemas.STRING, value: text }
  }
  if (/^\d/.test(first)) {
    const temporal = tokens.length === 1 ? parseTemporal(text) : parseTemporal(text.trim())
    if (temporal) return temporal
  }
  if (/^[0-9+-]/.test(first)) {
    // Trailing tokens after a number are dropped, as Apache does ("12:34" reads as 12).
    const n = parseNumber(first)
    if (n) return n
  }
  return { schema: Schemas.STRING, value: text }
}
