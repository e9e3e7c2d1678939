/**
 * The logical types Decimal, Date, Time and Timestamp (Kafka's org.apache.kafka.connect.data), identified by schema
 * name only. Decimal values are exact: an unscaled bigint plus a scale, as Java's BigDecimal.
 */
import { DataError } from './errors.ts'
import type { Schema } from './schema.ts'
import { SchemaBuilder } from './schema-builder.ts'

export const DECIMAL_LOGICAL_NAME = 'org.apache.kafka.connect.data.Decimal'
export const DATE_LOGICAL_NAME = 'org.apache.kafka.connect.data.Date'
export const TIME_LOGICAL_NAME = 'org.apache.kafka.connect.data.Time'
export const TIMESTAMP_LOGICAL_NAME = 'org.apache.kafka.connect.data.Timestamp'
export const DECIMAL_SCALE_FIELD = 'scale'
const MILLIS_PER_DAY = 86400000

/** An exact decimal: unscaled × 10^-scale (Java's BigDecimal). */
export class BigDecimal {
  readonly kind = 'decimal' as const
  readonly unscaled: bigint
  readonly scale: number

  constructor (unscaled: bigint, scale: number) {
    this.unscaled = unscaled
    this.scale = scale
  }

  /** Parses decimal text keeping its scale ("1.50" has scale 2), as new BigDecimal(String) does. */
  static parse (text: string): BigDecimal {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim())
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new DataError(`Not a decimal number: ${text}`)
    const frac = m[3] ?? ''
    const unscaled = BigInt(`${m[1]}${m[2] || '0'}${frac}`)
    return new BigDecimal(unscaled, frac.length - Number(m[4] ?? 0))
  }

  equals (other: unknown): boolean {
    return other instanceof BigDecimal && other.unscaled === this.unscaled && other.scale === this.scale
  }

  /** Java's BigDecimal.toString: plain unless the adjusted exponent is below -6 or the scale is negative. */
  toString (): string {
    const negative = this.unscaled < 0n
    const digits = (negative ? -this.unscaled : this.unscaled).toString()
    const adjusted = -this.scale + (digits.length - 1)
    let body: string
    if (this.scale >= 0 && adjusted >= -6) {
      if (this.scale === 0) body = digits
      else if (digits.length > this.scale) body = `${digits.slice(0, digits.length - this.scale)}.${digits.slice(digits.length - this.scale)}`
      else body = `0.${'0'.repeat(this.scale - digits.length)}${digits}`
    } else {
      body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
      body += `E${adjusted >= 0 ? '+' : ''}${adjusted}`
    }
    return (negative ? '-' : '') + body
  }
}

/** Minimal big-endian two's-complement bytes of a bigint (Java's BigInteger.toByteArray). */
export function bigintToBytes (n: bigint): Buffer {
  const bytes: number[] = []
  let v = n
  for (;;) {
    const byte = Number(v & 0xffn)
    bytes.unshift(byte)
    v >>= 8n
    if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break
  }
  return Buffer.from(bytes)
}

export function bytesToBigint (bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw new DataError('Zero length BigInteger')
  let v = 0n
  for (const b of bytes) v = (v << 8n) | BigInt(b)
  return (bytes[0]! & 0x80) !== 0 ? v - (1n << BigInt(bytes.length * 8)) : v
}

export const Decimal = {
  builder (scale: number): SchemaBuilder {
    return SchemaBuilder.bytes().name(DECIMAL_LOGICAL_NAME).parameter(DECIMAL_SCALE_FIELD, String(scale)).version(1)
  },
  schema (scale: number): Schema { return Decimal.builder(scale).build() },
  scale (schema: Schema): number {
    const text = schema.parameters?.[DECIMAL_SCALE_FIELD]
    if (text === undefined) throw new DataError('Invalid Decimal schema: scale parameter not found.')
    const n = Number(text)
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n)) throw new DataError(`Invalid scale parameter found in Decimal schema: ${text}`)
    return n
  },
  fromLogical (schema: Schema, value: BigDecimal): Buffer {
    const scale = Decimal.scale(schema)
    if (value.scale !== scale) {
      throw new DataError(`Decimal value has mismatching scale for given Decimal schema. Schema has scale ${scale}, value has scale ${value.scale}.`)
    }
    return bigintToBytes(value.unscaled)
  },
  toLogical (schema: Schema, bytes: Uint8Array): BigDecimal {
    return new BigDecimal(bytesToBigint(bytes), Decimal.scale(schema))
  }
}

export const ConnectDate = {
  builder (): SchemaBuilder { return SchemaBuilder.int32().name(DATE_LOGICAL_NAME).version(1) },
  SCHEMA: SchemaBuilder.int32().name(DATE_LOGICAL_NAME).version(1).build(),
  fromLogical (schema: Schema, value: Date): number {
    if (schema.name !== DATE_LOGICAL_NAME) throw new DataError('Requested conversion of Date object but the schema does not match.')
    const ms = value.getTime()
    if (ms % MILLIS_PER_DAY !== 0) throw new DataError('Kafka Connect Date type should not have any time fields set to non-zero values.')
    return ms / MILLIS_PER_DAY
  },
  toLogical (schema: Schema, days: number): Date {
    if (schema.name !== DATE_LOGICAL_NAME) throw new DataError('Requested conversion of Date object but the schema does not match.')
    return new Date(days * MILLIS_PER_DAY)
  }
}

export const ConnectTime = {
  builder (): SchemaBuilder { return SchemaBuilder.int32().name(TIME_LOGICAL_NAME).version(1) },
  SCHEMA: SchemaBuilder.int32().name(TIME_LOGICAL_NAME).version(1).build(),
  fromLogical (schema: Schema, value: Date): number {
    if (schema.name !== TIME_LOGICAL_NAME) throw new DataError('Requested conversion of Time object but the schema does not match.')
    const ms = value.getTime()
    if (ms < 0 || ms > MILLIS_PER_DAY) throw new DataError('Kafka Connect Time type should not have any date fields set to non-zero values.')
    return ms
  },
  toLogical (schema: Schema, millis: number): Date {
    if (schema.name !== TIME_LOGICAL_NAME) throw new DataError('Requested conversion of Time object but the schema does not match.')
    if (millis < 0 || millis > MILLIS_PER_DAY) throw new DataError('Time values must use number of milliseconds greater than 0 and less than 86400000')
    return new Date(millis)
  }
}

export const ConnectTimestamp = {
  builder (): SchemaBuilder { return SchemaBuilder.int64().name(TIMESTAMP_LOGICAL_NAME).version(1) },
  SCHEMA: SchemaBuilder.int64().name(TIMESTAMP_LOGICAL_NAME).version(1).build(),
  fromLogical (schema: Schema, value: Date): number {
    if (schema.name !== TIMESTAMP_LOGICAL_NAME) throw new DataError('Requested conversion of Timestamp object but the schema does not match.')
    return value.getTime()
  },
  toLogical (schema: Schema, millis: number | bigint): Date {
    if (schema.name !== TIMESTAMP_LOGICAL_NAME) throw new DataError('Requested conversion of Timestamp object but the schema does not match.')
    return new Date(Number(millis))
  }
}
