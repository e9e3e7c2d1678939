/**
 * Debezium's values that are more than a parse of one text: the geometric point (io.debezium.data.geometry.Point, with
 * its WKB) and the stand-ins for TOASTed values an UPDATE left unchanged (UnchangedToastedPlaceholder).
 */
import { createHash } from 'node:crypto'
import { DataError, SchemaBuilder, Struct, type Schema } from '../../src/api/index.ts'
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
    default:
      if (column.elementTypeName !== undefined) value = null
      // bytea (and unknown types) rendered as base64 get null from Debezium; as hex, the placeholder.
      else if (binaryMode === 'base64' || binaryMode === 'base64-url-safe') value = null
      else if (binaryMode === 'bytes') value = bytes
      else if (schema.type === 'string') value = placeholder
      else value = null
  }
  return () => Array.isArray(value) ? [...value as unknown[]] : value
}
