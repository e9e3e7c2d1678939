/**
 * Keys and values of the offsets file, written as Apache writes them: through JsonConverter with schemas.enable=false
 * (key = ["<connector>",{partition}], value = {offset}). Reading goes through the same converter, which keeps
 * integers beyond 2^53 exact (bigint).
 */
import { DataError, Headers } from '../api/index.ts'
import { JsonConverter } from '../converters/json-converter.ts'

export type OffsetValue = string | number | bigint | boolean | null
export type OffsetRecord = Record<string, OffsetValue>

const converter = new JsonConverter()
converter.configure({ 'schemas.enable': 'false' }, false)

/** Kafka's rule (OffsetUtils.validateFormat): offset and partition values must be primitive. */
function checkPrimitive (map: Readonly<Record<string, unknown>>): void {
  for (const [field, value] of Object.entries(map)) {
    if (value === null || ['string', 'number', 'bigint', 'boolean'].includes(typeof value)) continue
    throw new DataError(`Offsets may only contain primitive types as values, but field ${field} contains ${Array.isArray(value) ? 'a list' : typeof value}`)
  }
}

function write (value: unknown): Buffer {
  return converter.fromConnectData('', Headers.EMPTY, null, value) ?? Buffer.from('null')
}

function read (bytes: Buffer): unknown {
  const plain = (v: unknown): unknown => v instanceof Map ? Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)])) : Array.isArray(v) ? v.map(plain) : v
  return plain(converter.toConnectData('', Headers.EMPTY, bytes).value)
}

export function encodeOffsetKey (connector: string, partition: Readonly<Record<string, unknown>>): Buffer {
  checkPrimitive(partition)
  return write([connector, partition])
}

export function encodeOffsetValue (offset: Readonly<Record<string, unknown>>): Buffer {
  checkPrimitive(offset)
  return write(offset)
}

function isPlainObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v)
}

/** The connector and partition of a stored key, or null for keys that are not ["<connector>",{…}] (Apache skips those). */
export function decodeOffsetKey (buf: Buffer): { connector: string, partition: OffsetRecord } | null {
  let parsed: unknown
  try { parsed = read(buf) } catch { return null }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || !isPlainObject(parsed[1])) return null
  return { connector: parsed[0], partition: parsed[1] as OffsetRecord }
}

export function decodeOffsetValue (buf: Buffer): OffsetRecord | null {
  const parsed = read(buf)
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
