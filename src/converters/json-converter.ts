/**
 * Kafka's JsonConverter (org.apache.kafka.connect.json.JsonConverter): Connect data to JSON bytes and back, with the
 * {"schema":…,"payload":…} envelope when schemas.enable=true.
 *
 * Output is byte-identical to Apache's, which writes through Jackson: compact, keys in a fixed order, Jackson's string
 * escaping (control characters as upper-case \u00XX, supplementary characters as two escaped surrogates) and Java's
 * Double.toString/Float.toString for floating-point numbers. Reading mirrors Jackson's tree model as Apache configures
 * it (leading zeros allowed, exact decimals, trailing content ignored) and Apache's lax coercions ("12" read as an
 * INT64 is 0, 1 read as a BOOLEAN is false), so a record that Apache accepts yields the same value here.
 *
 * Data model mapping: INT8/16/32 are numbers, INT64 a number when it is a safe integer and a bigint otherwise (both
 * are accepted when writing), FLOAT32/64 numbers, BYTES Buffers (any Uint8Array when writing), ARRAY arrays, MAP
 * Maps (plain objects are accepted when writing), STRUCT plain objects keyed by field name. Schemaless integral
 * numbers are INT64 and other numbers FLOAT64, as Java's Long and Double.
 */
import {
  BigDecimal, ConfigDef, ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, Headers, Schemas, Struct, ValidString,
  javaDoubleHash, javaFloatHash, javaHashMapOrder, javaLongHash, javaStringHash,
  DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME, schemaEquals,
  type Converter, type HeaderConverter, type Schema, type SchemaAndValue, type SchemaType
} from '../api/index.ts'
import { javaDoubleToString, javaFloatToString } from '../api/java-number-format.ts'

export const SCHEMAS_ENABLE_CONFIG = 'schemas.enable'
export const SCHEMAS_CACHE_SIZE_CONFIG = 'schemas.cache.size'
export const SCHEMA_CONTENT_CONFIG = 'schema.content'
export const DECIMAL_FORMAT_CONFIG = 'decimal.format'
export const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default'
export const CONVERTER_TYPE_CONFIG = 'converter.type'

export type DecimalFormat = 'BASE64' | 'NUMERIC'

export const JSON_CONVERTER_CONFIG_DEF = new ConfigDef()
  .define({
    name: CONVERTER_TYPE_CONFIG,
    type: 'string',
    // Required, as in Apache: configure() sets it from how it is called (key, value, or header when neither).
    validator: ValidString.in('key', 'value', 'header'),
    importance: 'low',
    documentation: 'How this converter will be used.'
  })
  .define({
    name: SCHEMAS_ENABLE_CONFIG,
    type: 'boolean',
    default: true,
    importance: 'high',
    group: 'Schemas',
    orderInGroup: 0,
    width: 'medium',
    displayName: 'Enable Schemas',
    documentation: 'Include schemas within each of the serialized values and keys.'
  })
  .define({
    name: SCHEMAS_CACHE_SIZE_CONFIG,
    type: 'int',
    default: 1000,
    importance: 'high',
    group: 'Schemas',
    orderInGroup: 1,
    width: 'medium',
    displayName: 'Schema Cache Size',
    documentation: 'The maximum number of schemas that can be cached in this converter instance.'
  })
  .define({
    name: SCHEMA_CONTENT_CONFIG,
    type: 'string',
    default: null,
    importance: 'high',
    group: 'Schemas',
    orderInGroup: 2,
    width: 'medium',
    displayName: 'Schema Content',
    documentation: 'When set, this is used as the schema for all messages, and the schemas within each of the message will be ignored.' +
      'Otherwise, the schema will be included in the content of each message. This configuration applies only \'schemas.enable\' is true, ' +
      'and it exclusively affects the sink connector.'
  })
  .define({
    name: DECIMAL_FORMAT_CONFIG,
    type: 'string',
    default: 'BASE64',
    validator: ValidString.inCaseInsensitive('NUMERIC', 'BASE64'),
    importance: 'low',
    group: 'Serialization',
    orderInGroup: 0,
    width: 'medium',
    displayName: 'Decimal Format',
    documentation: 'Controls which format this converter will serialize decimals in. This value is case insensitive and can be either ' +
      '\'BASE64\' (default) or \'NUMERIC\''
  })
  .define({
    name: REPLACE_NULL_WITH_DEFAULT_CONFIG,
    type: 'boolean',
    default: true,
    importance: 'low',
    group: 'Serialization',
    orderInGroup: 1,
    width: 'medium',
    displayName: 'Replace null with default',
    documentation: 'Whether to replace fields that have a default value and that are null to the default value. When set to true, ' +
      'the default value is used, otherwise null is used.'
  })

// ------------------------------------------------------------------------------------------------ JSON tree

/** A JSON number kept as its text, so int64 and big values stay exact and integral/fractional stay distinct. */
class JsonNumber {
  readonly text: string
  /** No fraction and no exponent: Jackson's integral node types. */
  readonly integral: boolean
  constructor (text: string, integral: boolean) {
    this.text = text
    this.integral = integral
  }
}

/** Jackson's tree as we need it; objects are Maps (insertion order, duplicate keys keep the first position). */
type JsonNode = null | boolean | string | JsonNumber | JsonNode[] | JsonObject
type JsonObject = Map<string, JsonNode>
/** Jackson's MissingNode: what empty input parses to. */
const MISSING = undefined

function isObjectNode (node: JsonNode | undefined): node is JsonObject {
  return node instanceof Map
}

/** Jackson's JsonNodeType names, which appear in Apache's error messages. */
function nodeType (node: JsonNode | undefined): string {
  if (node === MISSING) return 'MISSING'
  if (node === null) return 'NULL'
  if (typeof node === 'boolean') return 'BOOLEAN'
  if (typeof node === 'string') return 'STRING'
  if (node instanceof JsonNumber) return 'NUMBER'
  return Array.isArray(node) ? 'ARRAY' : 'OBJECT'
}

// Jackson's StreamReadConstraints defaults, which Apache does not change.
const MAX_NESTING_DEPTH = 1000
const MAX_NUMBER_DIGITS = 1000
const INT_MIN = -(2 ** 31)
const INT_MAX = 2 ** 31 - 1

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const NUMBER = /-?(\d+)(?:\.(\d+))?(?:[eE][+-]?(\d+))?/y
const STRING_SPECIAL = /["\\\u0000-\u001f]/g
const IDENTIFIER_PART = /[\p{L}\p{N}\p{M}\p{Pc}\p{Sc}]/u
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }

/**
 * A JSON reader over one text, the way Apache's ObjectMapper.readTree reads: standard JSON plus leading zeros in
 * numbers. Throws SyntaxError on malformed input. (A class rather than closures: one is made per record.)
 */
class JsonReader {
  readonly text: string
  pos = 0
  depth = 0

  constructor (text: string) { this.text = text }

  fail (what: string): never { throw new SyntaxError(`${what} at position ${this.pos}`) }

  skipWhitespace (): void {
    const text = this.text
    for (;;) {
      const c = text.charCodeAt(this.pos)
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++
      else return
    }
  }

  /**
   * A string value, or an object's field name (`name`): Jackson decodes the \u escapes of a name into UTF-8 and
   * refuses a surrogate escape that is not half of a pair there, while a string value may hold one.
   */
  readString (name = false): string {
    const text = this.text
    let pos = this.pos + 1 // opening quote
    let out = ''
    let surrogate = false
    for (;;) {
      STRING_SPECIAL.lastIndex = pos
      const m = STRING_SPECIAL.exec(text)
      if (m === null) { this.pos = pos; return this.fail('unterminated string') }
      out += text.slice(pos, m.index)
      pos = m.index
      const c = text[pos]
      if (c === '"') {
        this.pos = pos + 1
        if (surrogate && name && UNPAIRED_SURROGATE.test(out)) return this.fail('unpaired surrogate escape in a field name')
        return out
      }
      this.pos = pos
      if (c !== '\\') return this.fail('unescaped control character in string')
      const e = text[pos + 1]
      if (e === 'u') {
        const hex = text.slice(pos + 2, pos + 6)
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return this.fail('bad \\u escape')
        const unit = parseInt(hex, 16)
        if (unit >= 0xd800 && unit <= 0xdfff) surrogate = true
        out += String.fromCharCode(unit)
        pos += 6
      } else {
        const decoded = e === undefined ? undefined : ESCAPES[e]
        if (decoded === undefined) return this.fail('unrecognized character escape')
        out += decoded
        pos += 2
      }
    }
  }

  readNumber (root: boolean): JsonNumber {
    const text = this.text
    NUMBER.lastIndex = this.pos
    const m = NUMBER.exec(text)
    if (m === null) return this.fail('bad number')
    this.pos += m[0].length
    const next = text[this.pos]
    if (next === '.' || next === 'e' || next === 'E') return this.fail('bad number')
    const intDigits = m[1]!.length
    const fracDigits = m[2]?.length ?? 0
    const expDigits = m[3]?.length ?? 0
    if (intDigits + fracDigits + expDigits > MAX_NUMBER_DIGITS) return this.fail('number too long')
    if (m[3] !== undefined) {
      // BigDecimal's limits: the exponent and the resulting scale must both fit in an int.
      const exp = Number(m[0].slice(m[0].search(/[eE]/) + 1))
      const scale = fracDigits - exp
      if (exp < INT_MIN || exp > INT_MAX || scale < INT_MIN || scale > INT_MAX) return this.fail('number out of range')
    }
    if (root && next !== undefined && next !== ' ' && next !== '\t' && next !== '\n' && next !== '\r') {
      return this.fail('expected space separating root-level values')
    }
    return new JsonNumber(m[0], m[2] === undefined && m[3] === undefined)
  }

  readLiteral<T> (word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) return this.fail('unrecognized token')
    this.pos += word.length
    const next = this.text[this.pos]
    // Jackson rejects "truex" but not "true]": a literal must not run into identifier characters.
    if (next !== undefined && next >= '0' && next !== ']' && next !== '}' && IDENTIFIER_PART.test(next)) return this.fail('unrecognized token')
    return value
  }

  readValue (root: boolean): JsonNode {
    this.skipWhitespace()
    const text = this.text
    const c = text[this.pos]
    switch (c) {
      case '{': {
        if (++this.depth > MAX_NESTING_DEPTH) return this.fail('nesting too deep')
        this.pos++
        const obj: JsonObject = new Map()
        this.skipWhitespace()
        if (text[this.pos] === '}') {
          this.pos++
          this.depth--
          return obj
        }
        for (;;) {
          this.skipWhitespace()
          if (text[this.pos] !== '"') return this.fail('expected a field name')
          const key = this.readString(true)
          this.skipWhitespace()
          if (text[this.pos] !== ':') return this.fail('expected ":"')
          this.pos++
          obj.set(key, this.readValue(false))
          this.skipWhitespace()
          const sep = text[this.pos++]
          if (sep === '}') {
            this.depth--
            return obj
          }
          if (sep !== ',') return this.fail('expected "," or "}"')
        }
      }
      case '[': {
        if (++this.depth > MAX_NESTING_DEPTH) return this.fail('nesting too deep')
        this.pos++
        const arr: JsonNode[] = []
        this.skipWhitespace()
        if (text[this.pos] === ']') {
          this.pos++
          this.depth--
          return arr
        }
        for (;;) {
          arr.push(this.readValue(false))
          this.skipWhitespace()
          const sep = text[this.pos++]
          if (sep === ']') {
            this.depth--
            return arr
          }
          if (sep !== ',') return this.fail('expected "," or "]"')
        }
      }
      case '"': return this.readString()
      case 't': return this.readLiteral('true', true)
      case 'f': return this.readLiteral('false', false)
      case 'n': return this.readLiteral('null', null)
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.readNumber(root)
        return this.fail(c === undefined ? 'unexpected end of input' : 'unexpected character')
    }
  }
}

/** UTF-8 bytes as text, without a leading byte order mark; throws TypeError on malformed UTF-8. */
function jsonText (bytes: Uint8Array): string {
  const text = utf8.decode(bytes)
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/**
 * Reads one JSON value as Apache's ObjectMapper.readTree does: anything after the first value is ignored (except
 * that a top-level number must end at whitespace), empty input gives MISSING. Throws SyntaxError on malformed input.
 */
function readJson (bytes: Uint8Array): JsonNode | undefined {
  const reader = new JsonReader(jsonText(bytes))
  reader.skipWhitespace()
  if (reader.pos >= reader.text.length) return MISSING
  return reader.readValue(true)
}

/** What the envelope of a schemas.enable=true record starts with when written compactly, as Apache writes it. */
const ENVELOPE_START = '{"schema":'
const ENVELOPE_PAYLOAD = ',"payload":'
const ENVELOPE_START_BYTES = Buffer.from(ENVELOPE_START)
const ENVELOPE_PAYLOAD_BYTES = Buffer.from(ENVELOPE_PAYLOAD)

// ------------------------------------------------------------------------------------------------ JSON text

const PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/

/** A JSON string exactly as Jackson's UTF-8 generator writes it. */
function jsonString (s: string): string {
  if (PLAIN_STRING.test(s)) return `"${s}"`
  let out = '"'
  let start = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    let escaped: string
    if (c === 0x22) escaped = '\\"'
    else if (c === 0x5c) escaped = '\\\\'
    else if (c === 0x08) escaped = '\\b'
    else if (c === 0x09) escaped = '\\t'
    else if (c === 0x0a) escaped = '\\n'
    else if (c === 0x0c) escaped = '\\f'
    else if (c === 0x0d) escaped = '\\r'
    // Other control characters, and every surrogate: Jackson escapes supplementary characters as two \uXXXX.
    else if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) escaped = '\\u' + c.toString(16).toUpperCase().padStart(4, '0')
    else continue
    out += s.slice(start, i) + escaped
    start = i + 1
  }
  return out + s.slice(start) + '"'
}

// ------------------------------------------------------------------------------------------------ Jackson base64

const BASE64_VALUES = new Int8Array(128).fill(-1)
for (let i = 0; i < 64; i++) BASE64_VALUES['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i
const BASE64_PADDING = -2
BASE64_VALUES[0x3d] = BASE64_PADDING

/**
 * Jackson's default base64 reader (MIME-NO-LINEFEEDS): the text is trimmed, whitespace may precede each 4-character
 * group but nothing may split one, padding is required, and a padded group may be followed by more groups.
 */
function decodeBase64 (input: string): Buffer {
  const s = input.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
  const out: number[] = []
  const value = (i: number): number => {
    const c = s.charCodeAt(i)
    return c < 128 ? BASE64_VALUES[c]! : -1
  }
  const invalid = (): never => { throw new Error('broken base64') }
  let i = 0
  for (;;) {
    while (i < s.length && s.charCodeAt(i) <= 0x20) i++
    if (i >= s.length) break
    const a = value(i++)
    if (a < 0 || i >= s.length) invalid()
    const b = value(i++)
    if (b < 0 || i >= s.length) invalid()
    let bits = (a << 6) | b
    const c = value(i++)
    if (c < 0) {
      if (c !== BASE64_PADDING || i >= s.length || value(i++) !== BASE64_PADDING) invalid()
      out.push(bits >> 4)
      continue
    }
    bits = (bits << 6) | c
    if (i >= s.length) invalid()
    const d = value(i++)
    if (d < 0) {
      if (d !== BASE64_PADDING) invalid()
      bits >>= 2
      out.push(bits >> 8, bits & 0xff)
      continue
    }
    bits = (bits << 6) | d
    out.push(bits >> 16, (bits >> 8) & 0xff, bits & 0xff)
  }
  return Buffer.from(out)
}

// ------------------------------------------------------------------------------------------------ numbers

function parseDecimal (n: JsonNumber): { negative: boolean, digits: string, exp10: number } {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(n.text)!
  const frac = m[3] ?? ''
  return { negative: m[1] === '-', digits: m[2]! + frac, exp10: Number(m[4] ?? 0) - frac.length }
}

/**
 * The integer part of a number, exact modulo 2^64. Apache only ever narrows it (intValue, longValue), and
 * 10^64 is a multiple of 2^64, so larger exponents need not be expanded.
 */
function integerPart (n: JsonNumber): bigint {
  if (n.integral) return BigInt(n.text)
  const { negative, digits, exp10 } = parseDecimal(n)
  let value: bigint
  if (exp10 >= 64) value = 0n
  else if (exp10 >= 0) value = BigInt(digits) * 10n ** BigInt(exp10)
  else if (-exp10 >= digits.length) value = 0n
  else value = BigInt(digits.slice(0, digits.length + exp10))
  return negative ? -value : value
}

function isZero (n: JsonNumber): boolean {
  return !/[1-9]/.test(n.text.replace(/[eE].*$/, ''))
}

/** Java's doubleValue() of the node: correctly rounded, and a zero decimal is +0.0 (BigDecimal has no -0). */
function doubleValue (n: JsonNumber): number {
  return isZero(n) ? 0 : Number(n.text)
}

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/** The float32 next to the finite float `f`, upwards or downwards; 2^128 stands in above the largest float. */
function adjacentFloat (f: number, up: boolean): number {
  if (f === 0) return up ? 2 ** -149 : -(2 ** -149)
  f32[0] = f
  u32[0]! += (f > 0) === up ? 1 : -1
  return Number.isFinite(f32[0]!) ? f32[0]! : Math.sign(f) * 2 ** 128
}

/**
 * Java's floatValue() of the node: the decimal rounded once, directly to float32. Rounding through a double first
 * differs when the double lands exactly on a midpoint between two floats; those cases are settled exactly.
 */
function floatValue (n: JsonNumber): number {
  if (isZero(n)) return 0
  const d = Number(n.text)
  const f = Math.fround(d)
  if (f === d || !Number.isFinite(d)) return f
  // The two floats around d (beyond the largest float, 2^128 plays the upper one).
  const [a, b] = Number.isFinite(f) ? [f, adjacentFloat(f, d > f)] : [Math.sign(f) * 2 ** 128, Math.sign(f) * 3.4028234663852886e38]
  const mid = (a + b) / 2
  if (mid !== d) return f
  const cmp = compareDecimalWithDouble(n, mid)
  // An exact tie is what fround did with d: ties to even.
  if (cmp === 0) return f
  const pick = cmp > 0 ? Math.max(a, b) : Math.min(a, b)
  return Math.abs(pick) === 2 ** 128 ? Math.sign(pick) * Infinity : pick
}

/** Sign of (decimal - double), both exact. */
function compareDecimalWithDouble (n: JsonNumber, x: number): number {
  const { negative, digits, exp10 } = parseDecimal(n)
  // x = mantissa × 2^exp2 exactly.
  let exp2 = 0
  let mantissa = Math.abs(x)
  while (!Number.isInteger(mantissa)) { mantissa *= 2; exp2-- }
  let lhs = BigInt(digits) * (negative ? -1n : 1n)
  let rhs = BigInt(mantissa) * (x < 0 ? -1n : 1n)
  if (exp10 >= 0) lhs *= 10n ** BigInt(exp10)
  else rhs *= 10n ** BigInt(-exp10)
  if (exp2 >= 0) rhs <<= BigInt(exp2)
  else lhs <<= BigInt(-exp2)
  return lhs > rhs ? 1 : lhs < rhs ? -1 : 0
}

/**
 * An integral number of at most 15 digits: exact as a double, so the narrowing above can use JavaScript's 32-bit
 * integer operations (the same wrap-around as BigInt.asIntN for such values) instead of BigInt arithmetic.
 */
function isSmallInteger (n: JsonNumber): boolean {
  return n.integral && n.text.length <= 15
}

function int64Value (n: bigint): number | bigint {
  const wrapped = BigInt.asIntN(64, n)
  const asNumber = Number(wrapped)
  return Number.isSafeInteger(asNumber) ? asNumber : wrapped
}

const INT_RANGES: Record<'int8' | 'int16' | 'int32', number> = { int8: 2 ** 7, int16: 2 ** 15, int32: 2 ** 31 }
const INT64_LIMIT = 2n ** 63n

// ------------------------------------------------------------------------------------------------ helpers

/** The Java class Apache would see for a value, for messages worded like Apache's ("class java.lang.String"). */
function javaClassName (value: unknown): string {
  switch (typeof value) {
    case 'string': return 'java.lang.String'
    case 'boolean': return 'java.lang.Boolean'
    case 'bigint': return 'java.lang.Long'
    case 'number': return Number.isInteger(value) && !Object.is(value, -0) ? 'java.lang.Long' : 'java.lang.Double'
    case 'object':
      if (value === null) return 'null'
      if (value instanceof Uint8Array) return '[B'
      if (Array.isArray(value)) return 'java.util.ArrayList'
      if (value instanceof Map || isPlainObject(value)) return 'java.util.HashMap'
      if (value instanceof Set) return 'java.util.HashSet'
      if (value instanceof Date) return 'java.util.Date'
      return value.constructor?.name ?? 'Object'
    default: return typeof value
  }
}

function isPlainObject (value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

function invalidType (type: SchemaType, value: unknown): never {
  throw new DataError(`Invalid type for ${type.toUpperCase()}: class ${javaClassName(value)}`)
}

/** Apache's ConnectSchema.schemaType for schemaless values. */
function schemalessType (value: unknown): SchemaType {
  switch (typeof value) {
    case 'string': return 'string'
    case 'boolean': return 'boolean'
    case 'bigint': return 'int64'
    case 'number':
      // Integral numbers are Java Longs; -0 and integers beyond the long range can only be doubles.
      return Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 2 ** 63 ? 'int64' : 'float64'
    case 'object':
      if (value instanceof Uint8Array) return 'bytes'
      if (Array.isArray(value)) return 'array'
      if (value instanceof Map || isPlainObject(value)) return 'map'
  }
  throw new DataError(`Java class class ${javaClassName(value)} does not have corresponding schema type.`)
}

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

const JSON_TYPE_NAMES: Record<SchemaType, string> = {
  boolean: 'boolean', int8: 'int8', int16: 'int16', int32: 'int32', int64: 'int64', float32: 'float', float64: 'double',
  bytes: 'bytes', string: 'string', array: 'array', map: 'map', struct: 'struct'
}
const SCHEMA_TYPES_BY_JSON_NAME = new Map(Object.entries(JSON_TYPE_NAMES).map(([type, name]) => [name, type as SchemaType]))
const PRIMITIVE_SCHEMAS: Partial<Record<SchemaType, readonly [Schema, Schema]>> = {
  int8: [Schemas.INT8, Schemas.OPTIONAL_INT8],
  int16: [Schemas.INT16, Schemas.OPTIONAL_INT16],
  int32: [Schemas.INT32, Schemas.OPTIONAL_INT32],
  int64: [Schemas.INT64, Schemas.OPTIONAL_INT64],
  float32: [Schemas.FLOAT32, Schemas.OPTIONAL_FLOAT32],
  float64: [Schemas.FLOAT64, Schemas.OPTIONAL_FLOAT64],
  boolean: [Schemas.BOOLEAN, Schemas.OPTIONAL_BOOLEAN],
  string: [Schemas.STRING, Schemas.OPTIONAL_STRING],
  bytes: [Schemas.BYTES, Schemas.OPTIONAL_BYTES]
}

type MutableSchema = { -readonly [K in keyof Schema]: Schema[K] }

/**
 * Extension point for logical types (Decimal, Date, Time, Timestamp), which the data model does not have yet. Apache
 * consults its codec by schema name before the base type in both directions; register one per logical name here.
 * Until then a logical schema travels as its base type (a Decimal as its raw bytes, a Timestamp as epoch millis).
 */
interface LogicalTypeCodec {
  toJson (schema: Schema, value: unknown, decimalFormat: DecimalFormat): string
  toConnect (schema: Schema, node: JsonNode | undefined): unknown
}
const LOGICAL_TYPES = new Map<string, LogicalTypeCodec>()

function logicalTypeError (name: string, expected: string, value: unknown): never {
  throw new DataError(`Invalid type for ${name}, expected ${expected} but was class ${javaClassName(value)}`)
}

LOGICAL_TYPES.set(DECIMAL_LOGICAL_NAME, {
  toJson (schema, value, format) {
    if (!(value instanceof BigDecimal)) return logicalTypeError('Decimal', 'BigDecimal', value)
    // NUMERIC writes BigDecimal.toString() and does not check the scale; BASE64 writes the unscaled bytes.
    if (format === 'NUMERIC') return value.toString()
    return `"${Decimal.fromLogical(schema, value).toString('base64')}"`
  },
  toConnect (schema, node) {
    if (node instanceof JsonNumber) return BigDecimal.parse(node.text)
    if (typeof node === 'string') {
      let bytes: Buffer
      try { bytes = decodeBase64(node) } catch (err) { throw new DataError('Invalid bytes for Decimal field', { cause: err }) }
      return Decimal.toLogical(schema, bytes)
    }
    throw new DataError(`Invalid type for Decimal, underlying representation should be numeric or bytes but was ${nodeType(node)}`)
  }
})

function temporalCodec (name: string, logical: { fromLogical: (s: Schema, d: Date) => number, toLogical: (s: Schema, n: number) => Date }, requireInt: boolean): LogicalTypeCodec {
  return {
    toJson (schema, value) {
      if (!(value instanceof Date)) return logicalTypeError(name, 'Date', value)
      return String(logical.fromLogical(schema, value))
    },
    toConnect (schema, node) {
      const ok = node instanceof JsonNumber && node.integral &&
        (!requireInt || (BigInt(node.text) >= -(2n ** 31n) && BigInt(node.text) < 2n ** 31n))
      if (!ok) throw new DataError(`Invalid type for ${name}, underlying representation should be ${requireInt ? 'integer' : 'integral'} but was ${nodeType(node)}`)
      return logical.toLogical(schema, Number((node as JsonNumber).text))
    }
  }
}
LOGICAL_TYPES.set(DATE_LOGICAL_NAME, temporalCodec('Date', ConnectDate, true))
LOGICAL_TYPES.set(TIME_LOGICAL_NAME, temporalCodec('Time', ConnectTime, true))
LOGICAL_TYPES.set(TIMESTAMP_LOGICAL_NAME, temporalCodec('Timestamp', ConnectTimestamp, false))

// ------------------------------------------------------------------------------------------------ converter

/** Kafka's JsonConverter, usable as key/value converter and as header converter. */
export class JsonConverter implements Converter, HeaderConverter {
  kind = 'converter' as 'converter' & 'header_converter'
  #schemasEnabled = true
  #replaceNullWithDefault = true
  #decimalFormat: DecimalFormat = 'BASE64'
  /** The schema.content schema: every message is a bare payload of this schema. */
  #fixedSchema: Schema | null = null
  /** JSON text of frozen schemas (frozen ones cannot change under the cache). */
  #schemaJsonCache = new WeakMap<Schema, string>()
  /**
   * Reading: the Connect schema of each envelope "schema" JSON text seen (at most schemas.cache.size), as Apache's
   * cache of converted schemas; the last one used is tried first, by comparing bytes in place.
   */
  #schemasByText = new Map<string, Schema | null>()
  #schemaCacheSize = 1000
  #lastSchemaBytes: Buffer | null = null
  #lastSchema: Schema | null = null

  /**
   * `isKey` set: configured as key or value converter (Apache's configure(map, isKey), which overrides
   * converter.type). Absent: configured as header converter (converter.type defaults to "header").
   */
  configure (configs: Readonly<Record<string, string>>, isKey?: boolean): void {
    const props: Record<string, string> = { ...configs }
    if (isKey !== undefined) props[CONVERTER_TYPE_CONFIG] = isKey ? 'key' : 'value'
    else props[CONVERTER_TYPE_CONFIG] ??= 'header'
    const parsed = JSON_CONVERTER_CONFIG_DEF.parse(props, `${props[CONVERTER_TYPE_CONFIG]} converter`)
    this.#schemasEnabled = parsed.boolean(SCHEMAS_ENABLE_CONFIG)
    this.#replaceNullWithDefault = parsed.boolean(REPLACE_NULL_WITH_DEFAULT_CONFIG)
    this.#decimalFormat = parsed.string(DECIMAL_FORMAT_CONFIG)!.toUpperCase() as DecimalFormat
    this.#schemaJsonCache = new WeakMap()
    this.#schemaCacheSize = parsed.int(SCHEMAS_CACHE_SIZE_CONFIG)
    this.#schemasByText = new Map()
    this.#lastSchemaBytes = null
    this.#lastSchema = null
    this.#fixedSchema = null
    const content = parsed.string(SCHEMA_CONTENT_CONFIG)
    if (content !== null && content !== '') {
      let node: JsonNode | undefined
      try {
        node = readJson(Buffer.from(content, 'utf8'))
      } catch (err) {
        throw new DataError('Failed to parse schema in converter config due to serialization error: ', { cause: err })
      }
      this.#fixedSchema = node === MISSING ? null : this.#toConnectSchema(node)
    }
  }

  config (): ConfigDef { return JSON_CONVERTER_CONFIG_DEF }

  /** The decimal.format setting, for the Decimal codec once logical types exist. */
  get decimalFormat (): DecimalFormat { return this.#decimalFormat }

  fromConnectData (_topic: string, _headers: Headers, schema: Schema | null, value: unknown): Buffer | null {
    schema ??= null
    // Only a null schema with a null value is a tombstone; an optional schema with a null value writes JSON null.
    if (schema === null && (value === null || value === undefined)) return null
    const payload = this.#toJson(schema, value)
    const text = this.#schemasEnabled
      ? `{"schema":${schema === null ? 'null' : this.#schemaJson(schema)},"payload":${payload}}`
      : payload
    return Buffer.from(text, 'utf8')
  }

  toConnectData (_topic: string, _headers: Headers, value: Buffer | null): SchemaAndValue {
    if (value === null || value === undefined) return { schema: null, value: null }
    if (this.#schemasEnabled && this.#fixedSchema === null && this.#schemaCacheSize > 0) {
      const fast = this.#readEnvelope(value)
      if (fast !== null) return fast
    }
    let node: JsonNode | undefined
    try {
      node = readJson(value)
    } catch (err) {
      // Apache's message ends with the colon: Jackson's detail is only in the cause.
      throw new DataError('Converting byte[] to Kafka Connect data failed due to serialization error: ', { cause: err })
    }
    if (!this.#schemasEnabled) return { schema: null, value: this.#toConnect(null, node) }
    if (this.#fixedSchema !== null) return { schema: this.#fixedSchema, value: this.#toConnect(this.#fixedSchema, node) }
    if (!isObjectNode(node) || node.size !== 2 || !node.has('schema') || !node.has('payload')) {
      throw new DataError('JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. ' +
        'If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.')
    }
    const schema = this.#toConnectSchema(node.get('schema')!)
    return { schema, value: this.#toConnect(schema, node.get('payload')!) }
  }

  /**
   * The common case of toConnectData with schemas enabled: a compact {"schema":…,"payload":…} envelope whose schema
   * was seen before. The schema's bytes are compared in place with the last schema's instead of being decoded,
   * parsed and converted again (a JSON value ends where its own text says, so equal bytes at the same place are the
   * same schema), and only the payload is decoded. Returns null for anything else (other layouts, a byte order mark,
   * unseen invalid schemas, any error), which the general path then reads, or rejects with its usual error.
   */
  #readEnvelope (bytes: Buffer): SchemaAndValue | null {
    if (bytes.length < ENVELOPE_START_BYTES.length + ENVELOPE_PAYLOAD_BYTES.length ||
      bytes.compare(ENVELOPE_START_BYTES, 0, ENVELOPE_START_BYTES.length, 0, ENVELOPE_START_BYTES.length) !== 0) return null
    try {
      let schema: Schema | null
      let text: string
      let reader: JsonReader
      const last = this.#lastSchemaBytes
      const at = ENVELOPE_START_BYTES.length
      if (last !== null && bytes.length > at + last.length && bytes.compare(last, 0, last.length, at, at + last.length) === 0) {
        schema = this.#lastSchema
        // Valid UTF-8 splits cleanly after the ASCII schema and key: decoding the rest alone accepts what decoding
        // the whole would.
        text = utf8.decode(bytes.subarray(at + last.length))
        reader = new JsonReader(text)
      } else {
        text = utf8.decode(bytes)
        reader = new JsonReader(text)
        reader.pos = ENVELOPE_START.length
        const start = reader.pos
        reader.depth = 1
        const node = reader.readValue(false)
        const key = text.slice(start, reader.pos)
        const cached = this.#schemasByText.get(key)
        if (cached !== undefined) {
          schema = cached
        } else {
          schema = this.#toConnectSchema(node)
          if (this.#schemasByText.size >= this.#schemaCacheSize) this.#schemasByText.delete(this.#schemasByText.keys().next().value!)
          this.#schemasByText.set(key, schema)
        }
        this.#lastSchemaBytes = Buffer.from(key, 'utf8')
        this.#lastSchema = schema
      }
      if (!text.startsWith(ENVELOPE_PAYLOAD, reader.pos)) return null
      reader.pos += ENVELOPE_PAYLOAD.length
      reader.depth = 1
      const payload = reader.readValue(false)
      reader.skipWhitespace()
      if (text.charCodeAt(reader.pos) !== 0x7d) return null
      return { schema, value: this.#toConnect(schema, payload) }
    } catch {
      return null
    }
  }

  fromConnectHeader (topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, Headers.EMPTY, schema, value)
  }

  toConnectHeader (topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, Headers.EMPTY, value)
  }

  close (): void {}

  // -------------------------------------------------------------------------------------------- Connect -> JSON

  /** Apache's asJsonSchema: keys in Jackson insertion order type, items/keys/values/fields, optional, name, … */
  #schemaJson (schema: Schema): string {
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
        out += `,"fields":[${(schema.fields ?? []).map(f => `${this.#schemaJson(f.schema).slice(0, -1)},"field":${jsonString(f.name)}}`).join(',')}]`
        break
    }
    out += `,"optional":${schema.optional === true}`
    if (schema.name != null) out += `,"name":${jsonString(schema.name)}`
    if (schema.version != null) out += `,"version":${schema.version}`
    if (schema.doc != null) out += `,"doc":${jsonString(schema.doc)}`
    if (schema.parameters != null) {
      out += `,"parameters":{${Object.entries(schema.parameters).map(([k, v]) => `${jsonString(k)}:${jsonString(v)}`).join(',')}}`
    }
    if (schema.defaultValue != null) out += `,"default":${this.#toJson(schema, schema.defaultValue)}`
    out += '}'
    if (Object.isFrozen(schema)) this.#schemaJsonCache.set(schema, out)
    return out
  }

  #optionalSchemaJson (schema: Schema | undefined): string {
    return schema == null ? 'null' : this.#schemaJson(schema)
  }

  /** Apache's convertToJson: the JSON text of a value, nulls resolved against the schema's default and optionality. */
  #toJson (schema: Schema | null, value: unknown): string {
    if (value === null || value === undefined) {
      if (schema === null) return 'null'
      if (schema.defaultValue != null && this.#replaceNullWithDefault) return this.#toJson(schema, schema.defaultValue)
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
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + this.#toJson(elementSchema, value[i])
        return out + ']'
      }
      case 'map': {
        const entries = mapEntries(type, value)
        const keySchema = schema?.keySchema ?? null
        const valueSchema = schema?.valueSchema ?? null
        const objectMode = keySchema !== null ? keySchema.type === 'string' : entries.every(([k]) => typeof k === 'string')
        if (!objectMode) return `[${entries.map(([k, v]) => `[${this.#toJson(keySchema, k)},${this.#toJson(valueSchema, v)}]`).join(',')}]`
        // Keys become text; an optional null key becomes "null", and a repeated text keeps its first position.
        const fields = new Map<string, string>()
        for (const [k, v] of entries) fields.set(this.#mapKeyText(keySchema, k), this.#toJson(valueSchema, v))
        return `{${[...fields].map(([k, v]) => `${jsonString(k)}:${v}`).join(',')}}`
      }
      case 'struct': {
        if (schema === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) return invalidType(type, value)
        if (value instanceof Struct && !schemaEquals(value.schema, schema)) throw new DataError('Mismatching schema.')
        return `{${(schema.fields ?? []).map(f => `${jsonString(f.name)}:${this.#toJson(f.schema, structField(value, f.name))}`).join(',')}}`
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

  // -------------------------------------------------------------------------------------------- JSON -> Connect

  /** Apache's asConnectSchema. JSON null is the schemaless schema. */
  #toConnectSchema (node: JsonNode): Schema | null {
    if (node === null) return null
    const typeNode = isObjectNode(node) ? node.get('type') : undefined
    if (typeof typeNode !== 'string') throw new DataError('Schema must contain \'type\' field')
    const type = SCHEMA_TYPES_BY_JSON_NAME.get(typeNode)
    if (type === undefined) throw new DataError(`Unknown schema type: ${typeNode}`)
    const json = node as JsonObject
    const schema: MutableSchema = { type, optional: false }
    switch (type) {
      case 'array': {
        const items = json.get('items')
        if (items === undefined || items === null) throw new DataError('Array schema did not specify the element type')
        schema.valueSchema = this.#toConnectSchema(items)!
        break
      }
      case 'map': {
        if (!json.has('keys')) throw new DataError('Map schema did not specify the key type')
        if (!json.has('values')) throw new DataError('Map schema did not specify the value type')
        // Both are parsed before SchemaBuilder.map rejects a JSON null, as in Apache.
        const keySchema = this.#toConnectSchema(json.get('keys')!)
        const valueSchema = this.#toConnectSchema(json.get('values')!)
        if (keySchema === null) throw new DataError('keySchema cannot be null.')
        if (valueSchema === null) throw new DataError('valueSchema cannot be null.')
        schema.keySchema = keySchema
        schema.valueSchema = valueSchema
        break
      }
      case 'struct': {
        const fields = json.get('fields')
        if (!Array.isArray(fields)) throw new DataError('Struct schema\'s "fields" argument is not an array.')
        const out: Array<{ name: string, index: number, schema: Schema }> = []
        for (const field of fields) {
          const name = isObjectNode(field) ? field.get('field') : undefined
          if (typeof name !== 'string') throw new DataError('Struct schema\'s field name not specified properly')
          const fieldSchema = this.#toConnectSchema(field)!
          if (name === '') throw new DataError('fieldName cannot be null.')
          if (out.some(f => f.name === name)) throw new DataError(`Cannot create field because of field name duplication ${name}`)
          out.push(Object.freeze({ name, index: out.length, schema: fieldSchema }))
        }
        schema.fields = Object.freeze(out)
        break
      }
    }
    // optional only for JSON true; name, version and doc only when of the right JSON type; unknown keys are ignored.
    schema.optional = json.get('optional') === true
    const name = json.get('name')
    if (typeof name === 'string') schema.name = name
    const version = json.get('version')
    if (version instanceof JsonNumber && version.integral) schema.version = Number(BigInt.asIntN(32, BigInt(version.text)))
    const doc = json.get('doc')
    if (typeof doc === 'string') schema.doc = doc
    const parameters = json.get('parameters')
    if (isObjectNode(parameters) && parameters.size > 0) {
      const params: Record<string, string> = {}
      for (const [k, v] of parameters) {
        if (typeof v !== 'string') throw new DataError('Schema parameters must have string values.')
        Object.defineProperty(params, k, { value: v, enumerable: true, writable: true, configurable: true })
      }
      schema.parameters = Object.freeze(params)
    }
    if (json.has('default')) {
      // The default is read against the schema built so far, so a JSON null default of a required schema fails.
      // (Apache also fails on every STRUCT default here, a SchemaBuilder identity quirk; we accept them.)
      const defaultValue = this.#toConnect(schema, json.get('default')!)
      if (defaultValue !== null) schema.defaultValue = defaultValue
    }
    const keys = Object.keys(schema)
    const primitive = PRIMITIVE_SCHEMAS[type]
    if (primitive !== undefined && keys.length === 2) return primitive[schema.optional ? 1 : 0]
    return Object.freeze(schema)
  }

  /** Apache's convertToConnect, with its lax coercions. `node` null is JSON null or an absent struct field. */
  #toConnect (schema: Schema | null, node: JsonNode | undefined): unknown {
    if (schema === null) return this.#toConnectSchemaless(node)
    if (node === null) {
      if (schema.defaultValue != null && this.#replaceNullWithDefault) return schema.defaultValue
      if (schema.optional) return null
      throw new DataError(`Invalid null value for required ${schema.type.toUpperCase()} field`)
    }
    if (schema.name != null) {
      const codec = LOGICAL_TYPES.get(schema.name)
      if (codec !== undefined) return codec.toConnect(schema, node)
    }
    const number = node instanceof JsonNumber ? node : null
    switch (schema.type) {
      case 'boolean': return node === true
      // Non-numbers read as 0; fractions are truncated and out-of-range values wrap, as Java's narrowing does.
      case 'int8': return number === null ? 0 : isSmallInteger(number) ? (Number(number.text) << 24) >> 24 : Number(BigInt.asIntN(8, integerPart(number)))
      case 'int16': return number === null ? 0 : isSmallInteger(number) ? (Number(number.text) << 16) >> 16 : Number(BigInt.asIntN(16, integerPart(number)))
      case 'int32': return number === null ? 0 : isSmallInteger(number) ? Number(number.text) | 0 : Number(BigInt.asIntN(32, integerPart(number)))
      case 'int64': return number === null ? 0 : isSmallInteger(number) ? Number(number.text) + 0 : int64Value(integerPart(number))
      case 'float32': return number === null ? 0 : floatValue(number)
      case 'float64': return number === null ? 0 : doubleValue(number)
      case 'string': return typeof node === 'string' ? node : null
      case 'bytes':
        if (typeof node !== 'string') return null
        try {
          return decodeBase64(node)
        } catch (err) {
          throw new DataError('Invalid bytes field', { cause: err })
        }
      case 'array': {
        // Jackson iterates an object's values and a scalar as empty.
        const elements = Array.isArray(node) ? node : isObjectNode(node) ? [...node.values()] : []
        const elementSchema = schema.valueSchema ?? null
        return elements.map(e => this.#toConnect(elementSchema, e))
      }
      case 'map': {
        const keySchema = schema.keySchema ?? null
        const valueSchema = schema.valueSchema ?? null
        const out = new Map<unknown, unknown>()
        if (keySchema === null || keySchema.type === 'string') {
          if (!isObjectNode(node)) throw new DataError(`Maps with string fields should be encoded as JSON objects, but found ${nodeType(node)}`)
          for (const [k, v] of node) out.set(k, this.#toConnect(valueSchema, v))
          return inHashMapOrder(out, keySchema)
        }
        if (!Array.isArray(node)) throw new DataError(`Maps with non-string fields should be encoded as JSON array of tuples, but found ${nodeType(node)}`)
        // Keys Java compares by value (lists, maps, dates, decimals) but JavaScript by identity are merged here, as a
        // HashMap's put() merges them: the first key keeps its place, the last value wins.
        const entries: Array<[unknown, unknown]> = []
        const positions = new Map<unknown, number>()
        for (const entry of node) {
          if (!Array.isArray(entry)) throw new DataError(`Found invalid map entry instead of array tuple: ${nodeType(entry)}`)
          if (entry.length !== 2) throw new DataError(`Found invalid map entry, expected length 2 but found :${entry.length}`)
          const key = this.#toConnect(keySchema, entry[0]!)
          const value = this.#toConnect(valueSchema, entry[1]!)
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
      case 'struct': {
        if (!isObjectNode(node)) throw new DataError(`Structs should be encoded as JSON objects, but found ${nodeType(node)}`)
        const out = new Struct(schema)
        for (const field of schema.fields ?? []) {
          out.put(field.name, this.#toConnect(field.schema, node.has(field.name) ? node.get(field.name)! : null))
        }
        return out
      }
    }
    throw new DataError(`Unknown schema type: ${String(schema.type)}`)
  }

  /** Schemaless reading: integral numbers are INT64, other numbers FLOAT64, objects Maps. */
  #toConnectSchemaless (node: JsonNode | undefined): unknown {
    if (node === null || node === MISSING) return null
    if (typeof node === 'boolean' || typeof node === 'string') return node
    if (node instanceof JsonNumber) return node.integral ? int64Value(BigInt(node.text)) : doubleValue(node)
    if (Array.isArray(node)) return node.map(e => this.#toConnectSchemaless(e))
    const out = new Map<string, unknown>()
    for (const [k, v] of node) out.set(k, this.#toConnectSchemaless(v))
    return inHashMapOrder(out, null)
  }
}

/**
 * Java's hashCode() of a Connect value of this schema, or null where Java's is an identity hash (byte[], Struct: a
 * Struct's hash includes its schema's, and ConnectSchema's includes the Type enum's identity hash, so a map keyed by
 * structs or byte arrays iterates in an order that changes from one JVM run to the next).
 */
function javaHashCode (schema: Schema | null, value: unknown): number | null {
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
function javaCompare (schema: Schema | null, a: unknown, b: unknown): number | null {
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
function javaKeyIdentity (key: unknown): unknown {
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

function inHashMapOrder<K> (map: Map<K, unknown>, keySchema: Schema | null): Map<K, unknown> {
  if (map.size < 2) return map
  return new Map(javaHashMapOrder([...map], k => javaHashCode(keySchema, k)))
}
