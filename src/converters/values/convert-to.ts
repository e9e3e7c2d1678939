// Values.convertTo, and the Java key equality of the maps parseString builds.

import { BigDecimal, ConnectDate, ConnectTime, DATE_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME, type Schema } from '../../api/index.ts'
import { ParseError } from './parse-error.ts'
import { decimalToDouble } from './parse-java-big-decimal.ts'

const isNumber = (v: unknown): v is number | bigint => typeof v === 'number' || typeof v === 'bigint'

/** Number.longValue() of a parsed number. */
function longValue (value: unknown): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number') return BigInt(Math.trunc(value))
  if (value instanceof BigDecimal) return value.scale <= 0 ? value.unscaled * 10n ** BigInt(-value.scale) : value.unscaled / 10n ** BigInt(value.scale)
  throw new ParseError(`Unable to convert ${String(value)} to a number`)
}

const toInt = (value: unknown): number => Number(BigInt.asIntN(32, longValue(value)))

/** Values.convertTo(toSchema, null, value), as parseString uses it to give every element the merged schema. */
export function convertTo (schema: Schema, value: unknown): unknown {
  if (value === null) {
    if (schema.optional) return null
    throw new ParseError('Unable to convert a null value to a schema that requires a value')
  }
  switch (schema.type) {
    case 'int16':
    case 'int8': return typeof value === 'number' ? value : toInt(value)
    case 'int32':
      if (schema.name === DATE_LOGICAL_NAME) return value instanceof Date ? value : ConnectDate.toLogical(schema, toInt(value))
      if (schema.name === TIME_LOGICAL_NAME) {
        if (value instanceof Date) return value
        try { return ConnectTime.toLogical(schema, toInt(value)) } catch (err) { throw new ParseError((err as Error).message) }
      }
      return toInt(value)
    case 'int64': {
      if (schema.name === TIMESTAMP_LOGICAL_NAME) return value instanceof Date ? value : new Date(Number(longValue(value)))
      if (typeof value === 'bigint') return value
      const n = longValue(value)
      return Number.isSafeInteger(Number(n)) ? Number(n) : n
    }
    case 'float32':
      if (!isNumber(value) && !(value instanceof BigDecimal)) throw new ParseError(`Unable to convert ${String(value)} to a number`)
      return Math.fround(Number(value instanceof BigDecimal ? decimalToDouble(value) : value))
    case 'float64':
      if (!isNumber(value) && !(value instanceof BigDecimal)) throw new ParseError(`Unable to convert ${String(value)} to a number`)
      return Number(value instanceof BigDecimal ? decimalToDouble(value) : value)
    case 'array':
      if (Array.isArray(value)) return value
      break
    case 'map':
      if (value instanceof Map) return value
      break
    default:
      return value
  }
  throw new ParseError(`Unable to convert ${String(value)} to ${schema.type}`)
}

/** Java's equals/hashCode identity of a parsed map key (LinkedHashMap keeps one entry per equal key). */
function keyIdentity (schema: Schema | null, value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (value instanceof Date) return `date:${value.getTime()}`
  if (value instanceof BigDecimal) return `decimal:${value.unscaled}:${value.scale}`
  if (typeof value === 'number' || typeof value === 'bigint') return `${schema?.type ?? 'number'}:${Object.is(value, -0) ? '-0' : String(value)}`
  if (typeof value === 'string') return `string:${value}`
  if (typeof value === 'boolean') return `boolean:${value}`
  if (Array.isArray(value)) return `list:[${value.map(v => keyIdentity(schema?.valueSchema ?? null, v)).join(',')}]`
  if (value instanceof Map) return `map:{${[...value].map(([k, v]) => `${keyIdentity(schema?.keySchema ?? null, k)}=${keyIdentity(schema?.valueSchema ?? null, v)}`).join(',')}}`
  return String(value)
}

/** An insertion-ordered map with Java key equality. */
export function linkedMap (entries: Array<[unknown, unknown]>, keySchema: Schema | null, keySchemas?: Array<Schema | null>): Map<unknown, unknown> {
  const index = new Map<string, number>()
  const out: Array<[unknown, unknown]> = []
  entries.forEach(([k, v], i) => {
    const id = keyIdentity(keySchema ?? keySchemas?.[i] ?? null, k)
    const at = index.get(id)
    if (at === undefined) {
      index.set(id, out.length)
      out.push([k, v])
    } else {
      out[at]![1] = v
    }
  })
  return new Map(out)
}
