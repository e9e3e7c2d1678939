/**
 * Reads the JSON text of an Avro schema as Avro's Java parser does (Jackson with comments allowed): `//` and `/* *\/`
 * comments are skipped, and integers keep their exact value (beyond 2^53 they are bigints), because ranges and options
 * of `long` fields may need all 64 bits. Objects have no prototype, so a field named `__proto__` is only a field.
 */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue }

export class JsonTextError extends Error {}

export function parseJsonText (text: string): JsonValue {
  const reader = new Reader(text)
  reader.skipSpace()
  const value = reader.value()
  reader.skipSpace()
  if (reader.pos < text.length) reader.fail('unexpected text after the JSON value')
  return value
}

/** A sequence of JSON values separated by whitespace (an options file in Avro's JSON encoding). */
export function parseJsonValues (text: string): JsonValue[] {
  const reader = new Reader(text)
  const out: JsonValue[] = []
  reader.skipSpace()
  while (reader.pos < text.length) {
    out.push(reader.value())
    reader.skipSpace()
  }
  return out
}

class Reader {
  readonly text: string
  pos = 0

  constructor (text: string) { this.text = text }

  fail (what: string): never {
    const before = this.text.slice(0, this.pos)
    const line = before.split('\n').length
    const column = this.pos - before.lastIndexOf('\n')
    throw new JsonTextError(`${what} at line ${line}, column ${column}`)
  }

  skipSpace (): void {
    const t = this.text
    for (;;) {
      const c = t[this.pos]
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { this.pos++; continue }
      if (c === '/' && t[this.pos + 1] === '/') {
        const end = t.indexOf('\n', this.pos)
        this.pos = end === -1 ? t.length : end + 1
        continue
      }
      if (c === '/' && t[this.pos + 1] === '*') {
        const end = t.indexOf('*/', this.pos + 2)
        if (end === -1) this.fail('unterminated comment')
        this.pos = end + 2
        continue
      }
      return
    }
  }

  value (): JsonValue {
    const c = this.text[this.pos]
    if (c === '{') return this.object()
    if (c === '[') return this.array()
    if (c === '"') return this.string()
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number()
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) { this.pos += word.length; return v }
    }
    return this.fail(c === undefined ? 'unexpected end of the text' : `unexpected character '${c}'`)
  }

  object (): JsonValue {
    const out: Record<string, JsonValue> = Object.create(null) as Record<string, JsonValue>
    this.pos++
    this.skipSpace()
    if (this.text[this.pos] === '}') { this.pos++; return out }
    for (;;) {
      this.skipSpace()
      if (this.text[this.pos] !== '"') this.fail('expected a field name in double quotes')
      const key = this.string()
      this.skipSpace()
      if (this.text[this.pos] !== ':') this.fail("expected ':'")
      this.pos++
      this.skipSpace()
      out[key] = this.value()
      this.skipSpace()
      const c = this.text[this.pos++]
      if (c === '}') return out
      if (c !== ',') { this.pos--; this.fail("expected ',' or '}'") }
    }
  }

  array (): JsonValue {
    const out: JsonValue[] = []
    this.pos++
    this.skipSpace()
    if (this.text[this.pos] === ']') { this.pos++; return out }
    for (;;) {
      this.skipSpace()
      out.push(this.value())
      this.skipSpace()
      const c = this.text[this.pos++]
      if (c === ']') return out
      if (c !== ',') { this.pos--; this.fail("expected ',' or ']'") }
    }
  }

  string (): string {
    const t = this.text
    let out = ''
    let start = ++this.pos
    for (;;) {
      const c = t[this.pos]
      if (c === undefined) this.fail('unterminated string')
      if (c === '"') { out += t.slice(start, this.pos++); return out }
      if (c < ' ') this.fail('control character in a string')
      if (c !== '\\') { this.pos++; continue }
      out += t.slice(start, this.pos)
      const e = t[this.pos + 1]
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }
      if (e !== undefined && e in simple) {
        out += simple[e]
        this.pos += 2
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6))) {
        out += String.fromCharCode(parseInt(t.slice(this.pos + 2, this.pos + 6), 16))
        this.pos += 6
      } else {
        this.fail('invalid escape in a string')
      }
      start = this.pos
    }
  }

  number (): number | bigint {
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400))
    if (!m) this.fail('invalid number')
    this.pos += m[0].length
    if (m[1] === undefined && m[2] === undefined) {
      const n = Number(m[0])
      return Number.isSafeInteger(n) ? n : BigInt(m[0])
    }
    return Number(m[0])
  }
}
