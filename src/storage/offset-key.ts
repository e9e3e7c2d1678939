/**
 * Keys and values of the offsets file, as Apache's internal JsonConverter (schemas.enable=false) writes them:
 * key = ["<connector>",{partition}], value = {offset}, compact JSON with Jackson's string escaping. Integers beyond
 * 2^53 are read as bigint so no offset ever loses precision.
 */
import { DataError } from '../api/index.ts'

export type OffsetValue = string | number | bigint | boolean | null
export type OffsetRecord = Record<string, OffsetValue>

/** Jackson's escaping: control characters as \u00XX (upper case), supplementary characters as escaped surrogates. */
export function jacksonString (s: string): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x22) out += '\\"'
    else if (c === 0x5c) out += '\\\\'
    else if (c < 0x20) {
      out += c === 0x08 ? '\\b' : c === 0x09 ? '\\t' : c === 0x0a ? '\\n' : c === 0x0c ? '\\f' : c === 0x0d ? '\\r' : '\\u' + c.toString(16).toUpperCase().padStart(4, '0')
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\\u' + c.toString(16).toUpperCase()
    else out += s[i]
  }
  return out + '"'
}

function primitiveJson (field: string, value: unknown): string {
  if (value === null || value === undefined) return 'null'
  switch (typeof value) {
    case 'string': return jacksonString(value)
    case 'boolean': return String(value)
    case 'bigint': return value.toString()
    case 'number':
      if (Number.isInteger(value)) return String(value)
      if (!Number.isFinite(value)) return jacksonString(String(value))
      return String(value)
    default:
      throw new DataError(`Offsets may only contain primitive types as values, but field ${field} contains ${Array.isArray(value) ? 'a list' : typeof value}`)
  }
}

export function encodeMap (map: Readonly<Record<string, unknown>>): string {
  return '{' + Object.entries(map).map(([k, v]) => `${jacksonString(k)}:${primitiveJson(k, v)}`).join(',') + '}'
}

export function encodeOffsetKey (connector: string, partition: Readonly<Record<string, unknown>>): Buffer {
  return Buffer.from(`[${jacksonString(connector)},${encodeMap(partition)}]`, 'utf8')
}

export function encodeOffsetValue (offset: Readonly<Record<string, unknown>>): Buffer {
  return Buffer.from(encodeMap(offset), 'utf8')
}

/** A small JSON reader that keeps integers exact (bigint beyond 2^53). Throws SyntaxError on bad input. */
export function parseJsonExact (text: string): unknown {
  let i = 0
  const ws = (): void => { while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++ }
  const fail = (msg: string): never => { throw new SyntaxError(`${msg} at position ${i}`) }
  const value = (): unknown => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      const obj: Record<string, unknown> = {}
      ws()
      if (text[i] === '}') { i++; return obj }
      for (;;) {
        ws()
        if (text[i] !== '"') fail('expected a field name')
        const k = str()
        ws()
        if (text[i++] !== ':') fail('expected ":"')
        obj[k] = value()
        ws()
        if (text[i] === ',') { i++; continue }
        if (text[i] === '}') { i++; return obj }
        fail('expected "," or "}"')
      }
    }
    if (c === '[') {
      i++
      const arr: unknown[] = []
      ws()
      if (text[i] === ']') { i++; return arr }
      for (;;) {
        arr.push(value())
        ws()
        if (text[i] === ',') { i++; continue }
        if (text[i] === ']') { i++; return arr }
        fail('expected "," or "]"')
      }
    }
    if (c === '"') return str()
    if (text.startsWith('true', i)) { i += 4; return true }
    if (text.startsWith('false', i)) { i += 5; return false }
    if (text.startsWith('null', i)) { i += 4; return null }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (!m) fail('unexpected character')
    i += m![0].length
    if (m![1] === undefined && m![2] === undefined) {
      const n = Number(m![0])
      return Number.isSafeInteger(n) ? n : BigInt(m![0])
    }
    return Number(m![0])
  }
  const str = (): string => {
    const start = i
    i++
    let out = ''
    for (;;) {
      const c = text[i]
      if (c === undefined) { i = start; fail('unterminated string') }
      if (c === '"') { i++; return out }
      if (c === '\\') {
        const e = text[i + 1]
        if (e === 'u') { out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)); i += 6; continue }
        out += ({ b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\', '/': '/' } as Record<string, string>)[e ?? ''] ?? fail('bad escape')
        i += 2
        continue
      }
      out += c
      i++
    }
  }
  const result = value()
  ws()
  if (i !== text.length) fail('unexpected data after the JSON value')
  return result
}

function isPlainObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The connector and partition of a stored key, or null for keys that are not ["<connector>",{…}] (Apache skips those). */
export function decodeOffsetKey (buf: Buffer): { connector: string, partition: OffsetRecord } | null {
  let parsed: unknown
  try { parsed = parseJsonExact(buf.toString('utf8')) } catch { return null }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || !isPlainObject(parsed[1])) return null
  return { connector: parsed[0], partition: parsed[1] as OffsetRecord }
}

export function decodeOffsetValue (buf: Buffer): OffsetRecord | null {
  const parsed = parseJsonExact(buf.toString('utf8'))
  if (parsed === null) return null
  if (!isPlainObject(parsed)) throw new DataError('Stored offset is not a JSON object')
  return parsed as OffsetRecord
}

/** Structural identity of a partition (sorted fields): lookups must not depend on field order. */
export function canonicalPartitionKey (connector: string, partition: Readonly<Record<string, unknown>>): string {
  const fields = Object.keys(partition).sort().map(k => {
    const v = partition[k]
    return [k, typeof v === 'bigint' ? { bigint: v.toString() } : typeof v === 'number' && Number.isInteger(v) ? { int: String(v) } : v]
  })
  return JSON.stringify([connector, fields])
}
