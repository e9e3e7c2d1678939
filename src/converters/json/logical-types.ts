/**
 * The JSON form of Connect's logical types (Decimal, Date, Time, Timestamp), both directions.
 */
import {
  BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal,
  DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME,
  type Schema
} from '../../api/index.ts'
import { decodeBase64 } from './base64.ts'
import { javaClassName } from './java-class-name.ts'
import { JsonNumber, nodeType, type JsonNode } from '../../util/json-reader.ts'

export type DecimalFormat = 'BASE64' | 'NUMERIC'

/**
 * How one logical type is written and read. Apache consults its codec by schema name before the base type in both
 * directions, so a schema whose name has no codec here travels as its base type.
 */
export interface LogicalTypeCodec {
  toJson (schema: Schema, value: unknown, decimalFormat: DecimalFormat): string
  toConnect (schema: Schema, node: JsonNode | undefined): unknown
}
export const LOGICAL_TYPES = new Map<string, LogicalTypeCodec>()

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
