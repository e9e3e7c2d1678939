/**
 * Debezium's values that are more than a parse of one text: the geometric point (io.debezium.data.geometry.Point, with
 * its WKB) and the stand-ins for TOASTed values an UPDATE left unchanged (UnchangedToastedPlaceholder).
 */
import { createHash } from 'node:crypto'
import { DataError, javaHashMapOrder, javaStringHash, SchemaBuilder, Struct, type Schema } from '../../src/api/index.ts'
import type { ColumnInfo } from './table-info.ts'

/** io.debezium.data.geometry.Point's schema: x and y required, wkb and srid optional. */
export function pointBuilder (): SchemaBuilder {
  return SchemaBuilder.struct().name('io.debezium.data.geometry.Point').version(1).doc('Geometry (POINT)')
    .field('x', SchemaBuilder.float64().build())
    .field('y', SchemaBuilder.float64().build())
    .field('wkb', SchemaBuilder.bytes().optional().build())
    .field('srid', SchemaBuilder.int32().optional().build())
}

/** A point's text "(x,y)" → the Point struct: x, y, and the 21-byte little-endian WKB of a 2D point; no srid. */
export function pointValue (text: string, schema: Schema): Struct {
  const m = /^\(\s*([^,]+?)\s*,\s*([^)]+?)\s*\)$/.exec(text)
  if (!m) throw new DataError(`Not a point: ${text}`)
  const x = Number(m[1])
  const y = Number(m[2])
  if (Number.isNaN(x) && m[1] !== 'NaN') throw new DataError(`Not a point: ${text}`)
  if (Number.isNaN(y) && m[2] !== 'NaN') throw new DataError(`Not a point: ${text}`)
  const wkb = Buffer.alloc(21)
  wkb.writeUInt8(1, 0)
  wkb.writeInt32LE(1, 1)
  wkb.writeDoubleLE(x, 5)
  wkb.writeDoubleLE(y, 13)
  return new Struct(schema).put('wkb', wkb).put('x', x).put('y', y)
}

/** java.util.UUID.nameUUIDFromBytes: the MD5-based (version 3) UUID of the bytes. */
export function uuidV3 (bytes: Uint8Array): string {
  const md5 = createHash('md5').update(bytes).digest()
  md5[6] = (md5[6]! & 0x0f) | 0x30
  md5[8] = (md5[8]! & 0x3f) | 0x80
  const hex = md5.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * The value Debezium emits for a TOASTed column an UPDATE left unchanged. By the column's type name: text-like arrays
 * hold the placeholder once, bytea arrays its bytes, int4/date arrays and int8 arrays its bytes as numbers, uuid arrays
 * the version-3 UUID of its bytes; otherwise a string column gets the placeholder and a bytes column its bytes. Where
 * Debezium has no stand-in (base64 bytea renderings, numeric, other arrays) the value is null.
 */
export function unchangedToastValue (column: ColumnInfo, schema: Schema, placeholderBytes: Uint8Array, binaryMode: string | null): () => unknown {
  const bytes = Buffer.from(placeholderBytes)
  // new String(bytes): UTF-8, malformed input replaced.
  const placeholder = new TextDecoder().decode(bytes)
  // Java bytes are signed.
  const numbers = [...bytes].map(b => (b << 24) >> 24)
  let value: unknown
  switch (column.typeName) {
    case '_text': case '_varchar': case '_bpchar': case '_json': case '_jsonb':
      value = [placeholder]
      break
    case '_bytea':
      value = schema.valueSchema?.type === 'bytes' ? [bytes] : [placeholder]
      break
    case '_int4': case '_date':
      value = numbers
      break
    case '_int8':
      value = numbers
      break
    case '_uuid':
      value = [uuidV3(bytes)]
      break
    case 'hstore':
      value = schema.type === 'map' ? new Map([[placeholder, placeholder]]) : hstoreJson([[placeholder, placeholder]])
      break
    default:
      if (column.elementTypeName !== undefined) value = null
      // bytea (and unknown types) rendered as base64 get null from Debezium; as hex, the placeholder.
      else if (binaryMode === 'base64' || binaryMode === 'base64-url-safe') value = null
      else if (binaryMode === 'bytes') value = bytes
      else if (schema.type === 'string') value = placeholder
      else value = null
  }
  return () => Array.isArray(value) ? [...value as unknown[]] : value instanceof Map ? new Map(value) : value
}

/**
 * An hstore's text ("k"=>"v", "n"=>NULL) as pgjdbc's HStoreConverter.fromString reads it, in the iteration order of
 * the java.util.HashMap it fills.
 */
export function parseHstore (text: string): Array<[string, string | null]> {
  const entries = new Map<string, string | null>()
  let pos = 0
  const quoted = (from: number): [string, number] => {
    let value = ''
    let i = from + 1
    for (; i < text.length; i++) {
      let ch = text[i]!
      if (ch === '"') break
      if (ch === '\\') ch = text[++i] ?? ''
      value += ch
    }
    return [value, i]
  }
  while (pos < text.length) {
    const start = text.indexOf('"', pos)
    if (start < 0) throw new DataError(`Not an hstore: ${text}`)
    const [key, keyEnd] = quoted(start)
    pos = keyEnd + 3
    let value: string | null
    if (text[pos] === 'N') {
      value = null
      pos += 4
    } else {
      const [v, end] = quoted(pos)
      value = v
      pos = end
    }
    pos++
    entries.set(key, value)
  }
  return javaHashMapOrder([...entries], javaStringHash)
}

/** Jackson's JSON object of string fields, as Debezium writes an hstore in hstore.handling.mode=json. */
export function hstoreJson (entries: ReadonlyArray<readonly [string, string | null]>): string {
  // JSON.stringify escapes as Jackson does but for the hex digits of \u escapes, which Jackson writes in upper case.
  const str = (s: string): string => JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, (_, hex: string) => `\\u00${hex.toUpperCase()}`)
  return `{${entries.map(([k, v]) => `${str(k)}:${v === null ? 'null' : str(v)}`).join(',')}}`
}
