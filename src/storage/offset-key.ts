/**
 * Keys and values of the source offsets file, byte for byte as Apache's internal JsonConverter (schemas.enable=false,
 * Jackson underneath) writes them:
 *
 *   key   = ["<connector>",{partition}]     e.g. ["local-file-source",{"filename":"test.txt"}]
 *   value = {offset}                        e.g. {"position":42}
 *
 * Output is compact, strings are escaped as Jackson escapes them (\b \t \n \f \r, other control characters and every
 * UTF-16 surrogate as \u00XX / \uD83D with upper-case hex; DEL, U+2028 and other non-ASCII stay raw UTF-8), and fields
 * keep the object's own order (Java uses its map's iteration order, which we cannot know, so lookups are structural:
 * see canonicalPartitionKey).
 *
 * Numbers follow the project's JsonConverter data model: an integral number (not -0, below 2^63 in magnitude) is a
 * Java Long and prints as plain digits; bigint is a Long too (it must fit in 64 bits, because Java would silently
 * truncate a wider integer when reading it back); any other number is a Java Double and prints as JDK 17's
 * Double.toString does ("0.1", "1.0E-5", "-0.0"), with NaN and the infinities as quoted strings, as Jackson writes them.
 * Reading keeps integers exact: beyond Number.MAX_SAFE_INTEGER they come back as bigint. A Double that happens to be
 * integral ("5.0") reads back as the number 5, so it is then indistinguishable from a Long 5; JS has one number type.
 */
import { DataError } from '../api/errors.ts'
import { javaDoubleToString } from '../java/number-format.ts'

/** What an offset or partition field may hold (Connect's primitive types; bytes are written as base64 strings). */
export type OffsetPrimitive = null | boolean | number | bigint | string

export interface DecodedOffsetKey {
  connector: string
  partition: Record<string, unknown>
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const TWO_POW_63 = 2 ** 63

// ---------------------------------------------------------------------------------------------------------- writing

const SHORT_ESCAPES: Record<number, string> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' }

/** A JSON string literal as Jackson's UTF8JsonGenerator writes it. */
export function jacksonString (s: string): string {
  let out = '"'
  let start = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const escape = SHORT_ESCAPES[c] ??
      (c < 0x20 || (c >= 0xd800 && c <= 0xdfff) ? '\\u' + c.toString(16).toUpperCase().padStart(4, '0') : undefined)
    if (escape !== undefined) {
      out += s.slice(start, i) + escape
      start = i + 1
    }
  }
  return out + s.slice(start) + '"'
}

function isPlainObject (value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** A Java Long is written as digits; every other number is a Java Double. */
function isLong (n: number): boolean {
  return Number.isInteger(n) && !Object.is(n, -0) && Math.abs(n) < TWO_POW_63
}

function numberJson (n: number): string {
  if (isLong(n)) return BigInt(n).toString()
  const text = javaDoubleToString(n)
  // Jackson's QUOTE_NON_NUMERIC_NUMBERS (on by default) writes NaN and the infinities as strings.
  return Number.isFinite(n) ? text : `"${text}"`
}

/**
 * JSON text of any value; objects' fields in their own order or sorted. Lenient on purpose: it also serves
 * canonicalPartitionKey, which must describe whatever a stored key holds. Validation happens before encoding.
 */
function jsonText (value: unknown, sortKeys: boolean): string {
  if (value === null || value === undefined) return 'null'
  switch (typeof value) {
    case 'string': return jacksonString(value)
    case 'boolean': return value ? 'true' : 'false'
    case 'bigint': return value.toString()
    case 'number': return numberJson(value)
  }
  // Connect's BYTES: Jackson writes binary as standard base64 with padding, which reads back as a string.
  if (value instanceof Uint8Array) return jacksonString(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'))
  if (Array.isArray(value)) return '[' + value.map(v => jsonText(v, sortKeys)).join(',') + ']'
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
    if (sortKeys) keys.sort()
    return '{' + keys.map(k => `${jacksonString(k)}:${jsonText(value[k], sortKeys)}`).join(',') + '}'
  }
  return jacksonString(String(value))
}

function describeType (value: unknown): string {
  if (Array.isArray(value)) return 'ARRAY'
  if (isPlainObject(value) || value instanceof Map) return 'MAP'
  if (typeof value === 'object' && value !== null) return `class ${(value as object).constructor?.name ?? 'Object'}`
  return typeof value
}

/**
 * Kafka's OffsetUtils.validateFormat: a map whose values are primitive. `undefined` counts as null (JS has no other
 * use for it here). `what` is 'partition' or 'offset', for the message. Reading skips the INT64 range check: a wider
 * integer in a file is kept exact rather than rejected.
 */
function validateOffsetMap (map: unknown, what: string, checkRange = true): asserts map is Record<string, unknown> {
  if (!isPlainObject(map)) throw new DataError(`Offsets must be specified as a Map, but the source ${what} is ${describeType(map)}`)
  for (const [field, value] of Object.entries(map)) {
    if (value === null || value === undefined || value instanceof Uint8Array) continue
    switch (typeof value) {
      case 'string':
      case 'boolean':
      case 'number':
        continue
      case 'bigint':
        if (checkRange && (value < INT64_MIN || value > INT64_MAX)) {
          throw new DataError(`Offsets may only contain primitive types as values, but field ${field} contains an integer outside the INT64 range: ${value}`)
        }
        continue
    }
    throw new DataError(`Offsets may only contain primitive types as values, but field ${field} contains ${describeType(value)}`)
  }
}

/** The stored key of a source partition: `["<connector>",{partition}]`. Throws DataError for non-primitive fields. */
export function encodeOffsetKey (connector: string, partition: Readonly<Record<string, unknown>>): Buffer {
  validateOffsetMap(partition, 'partition')
  return Buffer.from(`[${jacksonString(connector)},${jsonText(partition, false)}]`, 'utf8')
}

/** The stored value of a source offset: `{offset}`. Throws DataError for non-primitive fields. */
export function encodeOffsetValue (offset: Readonly<Record<string, unknown>>): Buffer {
  validateOffsetMap(offset, 'offset')
  return Buffer.from(jsonText(offset, false), 'utf8')
}

/**
 * A stable structural identity for a partition: the JSON of [connector, partition] with sorted fields, written exactly
 * as encoding would write each value, so a partition and its stored-then-decoded copy always agree (5 and 5n, a
 * Uint8Array and its base64 string, NaN and "NaN", whatever the field order).
 */
export function canonicalPartitionKey (connector: string, partition: Readonly<Record<string, unknown>>): string {
  return `[${jacksonString(connector)},${jsonText(partition, true)}]`
}

// ---------------------------------------------------------------------------------------------------------- reading

const MAX_DEPTH = 256
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * A strict JSON reader (RFC 8259, as Jackson reads by default) that keeps integers exact: integral numbers beyond
 * Number.MAX_SAFE_INTEGER become bigint. Field names are own properties even when named `__proto__`.
 * Throws SyntaxError with the character position.
 */
function parseJson (text: string): unknown {
  let i = 0
  const fail = (message: string): never => { throw new SyntaxError(`${message} at character ${i}`) }
  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(i)
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++
      else return
    }
  }
  const parseString = (): string => {
    i++ // opening quote
    let out = ''
    let start = i
    for (;;) {
      if (i >= text.length) fail('unterminated string')
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        out += text.slice(start, i++)
        return out
      }
      if (c < 0x20) fail('unescaped control character in a string')
      if (c !== 0x5c) {
        i++
        continue
      }
      out += text.slice(start, i)
      const e = text[i + 1]
      if (e === 'u') {
        const digits = text.slice(i + 2, i + 6)
        if (!/^[0-9a-fA-F]{4}$/.test(digits)) fail('bad \\u escape')
        out += String.fromCharCode(parseInt(digits, 16))
        i += 6
      } else {
        const simple = ({ b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\', '/': '/' } as Record<string, string>)[e ?? '']
        if (simple === undefined) fail('bad escape')
        out += simple
        i += 2
      }
      start = i
    }
  }
  const numberPattern = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y
  const parseValue = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail('nesting too deep')
    skipSpace()
    const c = text[i]
    if (c === '{') {
      i++
      const obj: Record<string, unknown> = {}
      skipSpace()
      if (text[i] === '}') { i++; return obj }
      for (;;) {
        skipSpace()
        if (text[i] !== '"') fail('expected a field name')
        const key = parseString()
        skipSpace()
        if (text[i] !== ':') fail('expected ":"')
        i++
        // defineProperty, not assignment: a "__proto__" field must stay data, never a prototype.
        Object.defineProperty(obj, key, { value: parseValue(depth + 1), enumerable: true, writable: true, configurable: true })
        skipSpace()
        if (text[i] === ',') { i++; continue }
        if (text[i] === '}') { i++; return obj }
        fail('expected "," or "}"')
      }
    }
    if (c === '[') {
      i++
      const arr: unknown[] = []
      skipSpace()
      if (text[i] === ']') { i++; return arr }
      for (;;) {
        arr.push(parseValue(depth + 1))
        skipSpace()
        if (text[i] === ',') { i++; continue }
        if (text[i] === ']') { i++; return arr }
        fail('expected "," or "]"')
      }
    }
    if (c === '"') return parseString()
    if (text.startsWith('true', i)) { i += 4; return true }
    if (text.startsWith('false', i)) { i += 5; return false }
    if (text.startsWith('null', i)) { i += 4; return null }
    numberPattern.lastIndex = i
    const m = numberPattern.exec(text)
    if (m === null) return fail('unexpected character')
    i += m[0].length
    if (m[1] !== undefined || m[2] !== undefined) return Number(m[0])
    const n = Number(m[0])
    // "-0" as an integer is a Long 0 in Java.
    if (Number.isSafeInteger(n)) return n === 0 ? 0 : n
    return BigInt(m[0])
  }
  const result = parseValue(0)
  skipSpace()
  if (i !== text.length) fail('unexpected data after the JSON value')
  return result
}

function parseBytes (buf: Buffer): unknown {
  return parseJson(utf8.decode(buf))
}

/**
 * The connector and partition of a stored key, or why it is not one (Apache ignores such keys with a warning, and a
 * `["name",null]` key silently). A partition's fields are returned as stored, nested values included.
 */
export function parseOffsetKey (buf: Buffer): { ok: true, key: DecodedOffsetKey } | { ok: false, reason: string, nullPartition: boolean } {
  let parsed: unknown
  try {
    parsed = parseBytes(buf)
  } catch (err) {
    return { ok: false, reason: `it is not valid UTF-8 JSON (${(err as Error).message})`, nullPartition: false }
  }
  const fail = (reason: string, nullPartition = false) => ({ ok: false as const, reason, nullPartition })
  if (!Array.isArray(parsed)) return fail(`expected a JSON array, found ${parsed === null ? 'null' : describeType(parsed)}`)
  if (parsed.length !== 2) return fail(`expected 2 elements, found ${parsed.length}`)
  const [connector, partition] = parsed as [unknown, unknown]
  if (typeof connector !== 'string') return fail(`expected the connector name as first element, found ${connector === null ? 'null' : describeType(connector)}`)
  if (partition === null) return fail('the partition is null', true)
  if (!isPlainObject(partition)) return fail(`expected a partition map as second element, found ${describeType(partition)}`)
  return { ok: true, key: { connector, partition } }
}

/** The connector and partition of a stored key, or null for keys that are not `["<connector>",{…}]`. */
export function decodeOffsetKey (buf: Buffer): DecodedOffsetKey | null {
  const result = parseOffsetKey(buf)
  return result.ok ? result.key : null
}

/**
 * A stored offset: its map, or null for the JSON `null` of a tombstone. Throws DataError for bytes that are not a
 * JSON map of primitive values (Apache then logs an error and hands the task a null offset).
 */
export function decodeOffsetValue (buf: Buffer): Record<string, unknown> | null {
  let parsed: unknown
  try {
    parsed = parseBytes(buf)
  } catch (err) {
    throw new DataError(`Stored offset is not valid UTF-8 JSON: ${(err as Error).message}`, { cause: err })
  }
  if (parsed === null) return null
  validateOffsetMap(parsed, 'offset', false)
  return parsed
}

/** What both offset stores keep per source partition, as far as lookups need it. */
export interface StoredPartitionOffset {
  /** null for keys that are not ["<connector>",{partition}] (the offsets file keeps them byte for byte). */
  connector: string | null
  partition: Record<string, unknown>
  /** The stored value bytes; null for a tombstone. */
  value: Buffer | null
  /** The decoded value; null for a tombstone or a value that cannot be decoded (Apache also reads null then). */
  offset: Record<string, unknown> | null
}

/** The offset of one partition of `connector` (a copy), looked up structurally; null when there is none. */
export function lookupOffset (entries: ReadonlyMap<string, StoredPartitionOffset>, connector: string,
  partition: Readonly<Record<string, unknown>>): Record<string, unknown> | null {
  const entry = entries.get(canonicalPartitionKey(connector, partition))
  return entry?.offset ? { ...entry.offset } : null
}

/**
 * Every partition of `connector` with an offset, in the store's order. Tombstoned partitions are left out, as Apache's
 * partition index leaves them out; a partition whose stored offset cannot be decoded is listed with a null offset.
 */
export function connectorOffsets (entries: ReadonlyMap<string, StoredPartitionOffset>, connector: string): Array<{ partition: Record<string, unknown>, offset: Record<string, unknown> | null }> {
  const result: Array<{ partition: Record<string, unknown>, offset: Record<string, unknown> | null }> = []
  for (const e of entries.values()) {
    if (e.connector !== connector || e.value === null) continue
    result.push({ partition: { ...e.partition }, offset: e.offset ? { ...e.offset } : null })
  }
  return result
}
