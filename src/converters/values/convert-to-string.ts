// Values.convertToString: a value (with its schema, if any) as the text SimpleHeaderConverter writes.

import { BigDecimal, DataError, Schemas, Struct, type Schema } from '../../api/index.ts'
import { javaDoubleToString, javaFloatToString } from '../../java/number-format.ts'

export const MILLIS_PER_DAY = 86400000
const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

function dateText (d: Date): string {
  const ms = d.getTime()
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  // Values.dateFormatFor: anything before one day after the epoch (negative times included) prints as a time.
  if (ms < MILLIS_PER_DAY) return time
  if (ms % MILLIS_PER_DAY === 0) return date
  return `${date}T${time}`
}

/**
 * Java's Number.toString of a value whose schema does not say its type. `parsed` marks the elements of an array or map
 * that parseString left without an element schema (Apache's arrayOfNull and mapOfNull schemas, which only it builds):
 * a fractional number there that a float holds exactly was parsed as a Float (a Double only when a float overflows).
 */
function untypedNumberText (value: number, parsed: boolean): string {
  const integral = Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 2 ** 63
  if (integral) return String(value)
  if (parsed && Math.fround(value) === value) return javaFloatToString(value)
  // -0, fractions and integral values beyond a long can only be a Float or Double in Java.
  return javaDoubleToString(value)
}

/** Whether the values under a container schema are parseString's raw elements (no element schema). */
const rawElements = (schema: Schema | null, part: 'keySchema' | 'valueSchema'): boolean =>
  schema !== null && (schema.type === 'array' || schema.type === 'map') && schema[part] === undefined

function append (schema: Schema | null, value: unknown, embedded: boolean, parsed = false): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return embedded ? `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : value
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (typeof value === 'number') {
    if (schema?.type === 'float32') return javaFloatToString(value)
    if (schema?.type === 'float64') return javaDoubleToString(value)
    if (schema !== null && schema.type !== 'array' && schema.type !== 'map' && schema.type !== 'struct') return String(value)
    return untypedNumberText(value, parsed)
  }
  if (value instanceof BigDecimal) return value.toString()
  if (value instanceof Uint8Array) {
    const b64 = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
    return embedded ? `"${b64}"` : b64
  }
  if (value instanceof Date) return dateText(value)
  if (Array.isArray(value)) {
    const raw = rawElements(schema, 'valueSchema')
    return `[${value.map(v => append(schema?.valueSchema ?? null, v, true, raw)).join(',')}]`
  }
  if (value instanceof Struct) {
    return `{${(value.schema.fields ?? []).map(f => `${append(Schemas.STRING, f.name, true)}:${append(f.schema, value.get(f.name), true)}`).join(',')}}`
  }
  if (value instanceof Map || Object.getPrototypeOf(value) === Object.prototype) {
    const entries = value instanceof Map ? [...value] : Object.entries(value as object)
    const rawKeys = rawElements(schema, 'keySchema')
    const rawValues = rawElements(schema, 'valueSchema')
    return `{${entries.map(([k, v]) => `${append(schema?.keySchema ?? null, k, true, rawKeys)}:${append(schema?.valueSchema ?? null, v, true, rawValues)}`).join(',')}}`
  }
  throw new DataError(`Failed to serialize unexpected value type ${(value as object).constructor?.name ?? typeof value}: ${String(value)}`)
}

export function convertToString (schema: Schema | null, value: unknown): string | null {
  return value === null || value === undefined ? null : append(schema, value, false)
}
