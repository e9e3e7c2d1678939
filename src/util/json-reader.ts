/**
 * The one JSON reader, in two dialects:
 *
 * - `jackson` (the default) reads as Apache's ObjectMapper.readTree does for JsonConverter: standard JSON plus
 *   leading zeros in numbers, Jackson's StreamReadConstraints, objects as Maps (a repeated key keeps its first
 *   position and takes the last value), anything after the first value left to the caller. Errors are terse: the
 *   converter only ever shows them as the cause of Apache's own message.
 * - `file` reads connector files: RFC 8259 as written (no leading zeros, no limits on numbers, a literal must be the
 *   whole word), every object member kept in order with the offsets of its key and value (duplicates too, since the
 *   file's rules look at each), and errors worded for the person editing the file, with an offset the caller turns
 *   into a line and column.
 *
 * Both dialects share the grammar and the string decoding; what differs is kept apart in small branches so that
 * the converter's hot path (one reader per record) pays only for a flag test.
 */

/** A JSON number kept as its text, so int64 and big values stay exact and integral/fractional stay distinct. */
export class JsonNumber {
  readonly text: string
  /** No fraction and no exponent: Jackson's integral node types. */
  readonly integral: boolean
  constructor (text: string, integral: boolean) {
    this.text = text
    this.integral = integral
  }
}

/** Jackson's tree as we need it; objects are Maps (insertion order, duplicate keys keep the first position). */
export type JsonNode = null | boolean | string | JsonNumber | JsonNode[] | JsonObject
export type JsonObject = Map<string, JsonNode>
/** Jackson's MissingNode: what empty input parses to. */
export const MISSING = undefined

/** One member of an object read in the `file` dialect, with where its key and its value start in the text. */
export interface JsonMember {
  key: string
  keyOffset: number
  value: JsonFileNode
  valueOffset: number
}

/** An object read in the `file` dialect: its members in order, repeated keys included. */
export class JsonMembers {
  readonly members: JsonMember[] = []
}

/** A value read in the `file` dialect. */
export type JsonFileNode = null | boolean | string | JsonNumber | JsonFileNode[] | JsonMembers

export type JsonDialect = 'jackson' | 'file'

/** A malformed text in the `file` dialect: the message says what is wrong and `offset` where (a UTF-16 index). */
export class JsonSyntaxError extends SyntaxError {
  readonly offset: number
  constructor (reason: string, offset: number) {
    super(reason)
    this.offset = offset
  }
}

export function isObjectNode (node: JsonNode | undefined): node is JsonObject {
  return node instanceof Map
}

/** Jackson's JsonNodeType names, which appear in Apache's error messages. */
export function nodeType (node: JsonNode | undefined): string {
  if (node === MISSING) return 'MISSING'
  if (node === null) return 'NULL'
  if (typeof node === 'boolean') return 'BOOLEAN'
  if (typeof node === 'string') return 'STRING'
  if (node instanceof JsonNumber) return 'NUMBER'
  return Array.isArray(node) ? 'ARRAY' : 'OBJECT'
}

// Jackson's StreamReadConstraints defaults, which Apache does not change; the file dialect keeps only the depth.
const MAX_NESTING_DEPTH = 1000
const MAX_NUMBER_DIGITS = 1000
const INT_MIN = -(2 ** 31)
const INT_MAX = 2 ** 31 - 1

export const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const NUMBER = /-?(\d+)(?:\.(\d+))?(?:[eE][+-]?(\d+))?/y
const STRICT_NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y
/** What a person would see as one token: a number or a word, for the file dialect's messages. */
const WORD = /[A-Za-z0-9_$+.-]+/y
const STRING_SPECIAL = /["\\\u0000-\u001f]/g
const IDENTIFIER_PART = /[\p{L}\p{N}\p{M}\p{Pc}\p{Sc}]/u
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }

/** A character for a message: itself when printable, its code point otherwise. */
function showChar (c: string): string {
  const code = c.charCodeAt(0)
  return code >= 0x20 && code !== 0x7f ? `'${c}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}

/**
 * A JSON reader over one text. Throws SyntaxError on malformed input (JsonSyntaxError in the
 * `file` dialect). (A class rather than closures: the
 * converter makes one per record.)
 */
export class JsonReader {
  readonly text: string
  pos = 0
  depth = 0
  readonly #file: boolean

  constructor (text: string, dialect: JsonDialect = 'jackson') {
    this.text = text
    this.#file = dialect === 'file'
  }

  /**
   * Jackson's errors are plain SyntaxErrors ending with the offset, as the converter has always shown them as a
   * cause; the file dialect's callers place the offset as a line and column.
   */
  fail (reason: string, offset = this.pos): never {
    if (!this.#file) throw new SyntaxError(`${reason} at position ${offset}`)
    throw new JsonSyntaxError(reason, offset)
  }

  skipWhitespace (): void {
    const text = this.text
    for (;;) {
      const c = text.charCodeAt(this.pos)
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++
      else return
    }
  }

  /** The file dialect's error for a character that cannot start what is `expected` here. */
  #unexpected (expected: string): never {
    const c = this.text[this.pos]
    if (c === undefined) return this.fail(`unexpected end of file, expected ${expected}`)
    if (c === '/') return this.fail(`comments are not allowed in JSON; expected ${expected}`)
    if (c === '\'') return this.fail(`strings and keys must use double quotes; expected ${expected}`)
    return this.fail(`unexpected character ${showChar(c)}, expected ${expected}`)
  }

  /**
   * A string value, or an object's field name (`name`): Jackson decodes the \u escapes of a name into UTF-8 and
   * refuses a surrogate escape that is not half of a pair there, while a string value may hold one.
   */
  readString (name = false): string {
    const text = this.text
    const start = this.pos
    let pos = start + 1 // opening quote
    let out = ''
    let surrogate = false
    for (;;) {
      STRING_SPECIAL.lastIndex = pos
      const m = STRING_SPECIAL.exec(text)
      if (m === null) {
        this.pos = pos
        return this.fail('unterminated string', this.#file ? start : pos)
      }
      out += text.slice(pos, m.index)
      pos = m.index
      const c = text[pos]!
      if (c === '"') {
        this.pos = pos + 1
        if (surrogate && name && !this.#file && UNPAIRED_SURROGATE.test(out)) return this.fail('unpaired surrogate escape in a field name')
        return out
      }
      this.pos = pos
      if (c !== '\\') {
        if (!this.#file) return this.fail('unescaped control character in string')
        return this.fail(c === '\n' || c === '\r'
          ? 'line break inside a string (unterminated string, or write \\n)'
          : `control character ${showChar(c)} must be escaped in a string`)
      }
      const e = text[pos + 1]
      if (e === 'u') {
        const hex = text.slice(pos + 2, pos + 6)
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return this.fail(this.#file ? `invalid \\u escape '\\u${hex}' in string` : 'bad \\u escape')
        const unit = parseInt(hex, 16)
        if (unit >= 0xd800 && unit <= 0xdfff) surrogate = true
        out += String.fromCharCode(unit)
        pos += 6
      } else {
        const decoded = e === undefined ? undefined : ESCAPES[e]
        if (decoded === undefined) {
          if (!this.#file) return this.fail('unrecognized character escape')
          return e === undefined ? this.fail('unterminated string', start) : this.fail(`invalid escape '\\${e}' in string`)
        }
        out += decoded
        pos += 2
      }
    }
  }

  readNumber (root: boolean): JsonNumber {
    if (this.#file) return this.#readStrictNumber()
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

  /** RFC 8259's number, which must be the whole token: `01` or `1.` is reported as the token the reader sees. */
  #readStrictNumber (): JsonNumber {
    const text = this.text
    STRICT_NUMBER.lastIndex = this.pos
    const m = STRICT_NUMBER.exec(text)
    WORD.lastIndex = this.pos
    const token = WORD.exec(text)?.[0] ?? text[this.pos]!
    if (m === null || m[0] !== token) return this.fail(`invalid number '${token}'`)
    this.pos += token.length
    return new JsonNumber(token, !/[.eE]/.test(token))
  }

  readLiteral<T> (word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) return this.fail('unrecognized token')
    this.pos += word.length
    const next = this.text[this.pos]
    // Jackson rejects "truex" but not "true]": a literal must not run into identifier characters.
    if (next !== undefined && next >= '0' && next !== ']' && next !== '}' && IDENTIFIER_PART.test(next)) return this.fail('unrecognized token')
    return value
  }

  /** The file dialect's true, false or null, which must be the whole word. */
  #readWord (): JsonFileNode {
    WORD.lastIndex = this.pos
    const word = WORD.exec(this.text)?.[0]
    if (word === 'true' || word === 'false' || word === 'null') {
      this.pos += word.length
      return word === 'null' ? null : word === 'true'
    }
    if (word !== undefined) return this.fail(`unrecognized token '${word}', expected a value`)
    return this.#unexpected('a value')
  }

  /**
   * The value at the current position. In the `file` dialect the result is a JsonFileNode (objects as JsonMembers);
   * readFileJson() gives it that type.
   */
  readValue (root: boolean): JsonNode {
    this.skipWhitespace()
    const text = this.text
    const c = text[this.pos]
    if (this.#file && this.depth > MAX_NESTING_DEPTH) return this.fail(`nesting deeper than ${MAX_NESTING_DEPTH} levels`)
    switch (c) {
      case '{': {
        if (++this.depth > MAX_NESTING_DEPTH && !this.#file) return this.fail('nesting too deep')
        if (this.#file) return this.#readMembers() as unknown as JsonNode
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
        if (++this.depth > MAX_NESTING_DEPTH && !this.#file) return this.fail('nesting too deep')
        this.pos++
        const arr: JsonNode[] = []
        this.skipWhitespace()
        if (text[this.pos] === ']') {
          this.pos++
          this.depth--
          return arr
        }
        for (;;) {
          if (this.#file) {
            this.skipWhitespace()
            if (text[this.pos] === ']') return this.fail('trailing comma before \']\'')
          }
          arr.push(this.readValue(false))
          this.skipWhitespace()
          if (this.#file) {
            if (text[this.pos] !== ',' && text[this.pos] !== ']') return this.#unexpected('\',\' or \']\'')
          }
          const sep = text[this.pos++]
          if (sep === ']') {
            this.depth--
            return arr
          }
          if (sep !== ',') return this.fail('expected "," or "]"')
        }
      }
      case '"': return this.readString()
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.readNumber(root)
    if (this.#file) return this.#readWord() as JsonNode
    switch (c) {
      case 't': return this.readLiteral('true', true)
      case 'f': return this.readLiteral('false', false)
      case 'n': return this.readLiteral('null', null)
    }
    return this.fail(c === undefined ? 'unexpected end of input' : 'unexpected character')
  }

  /** The file dialect's object, at its opening brace (depth already counted). */
  #readMembers (): JsonMembers {
    const text = this.text
    this.pos++
    const obj = new JsonMembers()
    this.skipWhitespace()
    if (text[this.pos] === '}') {
      this.pos++
      this.depth--
      return obj
    }
    for (;;) {
      this.skipWhitespace()
      if (text[this.pos] !== '"') {
        if (text[this.pos] === '}') return this.fail('trailing comma before \'}\'')
        return this.#unexpected('a double-quoted key')
      }
      const keyOffset = this.pos
      const key = this.readString(true)
      this.skipWhitespace()
      if (text[this.pos] !== ':') return this.#unexpected(`':' after key "${key}"`)
      this.pos++
      this.skipWhitespace()
      const valueOffset = this.pos
      const value = this.readValue(false) as JsonFileNode
      obj.members.push({ key, keyOffset, value, valueOffset })
      this.skipWhitespace()
      const sep = text[this.pos]
      if (sep === '}') {
        this.pos++
        this.depth--
        return obj
      }
      if (sep !== ',') return this.#unexpected('\',\' or \'}\'')
      this.pos++
    }
  }
}

/** UTF-8 bytes as text, without a leading byte order mark; throws TypeError on malformed UTF-8. */
export function jsonText (bytes: Uint8Array): string {
  const text = utf8.decode(bytes)
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/**
 * Reads one JSON value as Apache's ObjectMapper.readTree does: anything after the first value is ignored (except
 * that a top-level number must end at whitespace), empty input gives MISSING. Throws SyntaxError on malformed input.
 */
export function readJson (bytes: Uint8Array): JsonNode | undefined {
  const reader = new JsonReader(jsonText(bytes))
  reader.skipWhitespace()
  if (reader.pos >= reader.text.length) return MISSING
  return reader.readValue(true)
}

/**
 * Reads a whole text in the `file` dialect: exactly one value, surrounded by whitespace only; `offset` is where the
 * value starts. Throws JsonSyntaxError, whose offset the caller turns into a line and column.
 */
export function readFileJson (text: string): { value: JsonFileNode, offset: number } {
  const reader = new JsonReader(text, 'file')
  reader.skipWhitespace()
  const offset = reader.pos
  const value = reader.readValue(true) as JsonFileNode
  reader.skipWhitespace()
  if (reader.pos < text.length) reader.fail('unexpected content after the end of the JSON value')
  return { value, offset }
}
