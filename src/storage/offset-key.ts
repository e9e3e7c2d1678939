/**
 * Keys and values of the offsets file, as Apache's internal JsonConverter (schemas.enable=false) writes them:
 * key = ["<connector>",{partition}], value = {offset}, compact JSON with Jackson's string escaping. Integers beyond
 * 2^53 are read as bigint so no offset ever loses precision.
 */
import { DataError } from '../api/index.ts'
import { jacksonString, parseJsonExact } from '../util/json.ts'

export { parseJsonExact }

export type OffsetValue = string | number | bigint | boolean | null
export type OffsetRecord = Record<string, OffsetValue>

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
