/**
 * Kafka's ShortConverter, IntegerConverter, LongConverter, FloatConverter, DoubleConverter and BooleanConverter:
 * fixed-size big-endian bytes. Number converters ignore the schema, as Apache's do; the value must be a number of
 * the converter's type (int64 may be a bigint).
 */
import {
  ConfigDef, DataError, Schemas,
  type Converter, type HeaderConverter, type Headers, type Schema, type SchemaAndValue
} from '../api/index.ts'

const NO_CONFIG = new ConfigDef()

interface NumberCodec {
  readonly typeName: string
  readonly size: number
  readonly schema: Schema
  write (value: unknown, buf: Buffer): boolean
  read (buf: Buffer): unknown
}

function describe (value: unknown): string {
  if (typeof value === 'bigint') return 'class java.lang.Long'
  if (typeof value === 'number') return Number.isInteger(value) ? 'class java.lang.Long' : 'class java.lang.Double'
  if (typeof value === 'string') return 'class java.lang.String'
  if (typeof value === 'boolean') return 'class java.lang.Boolean'
  return `class ${(value as object)?.constructor?.name ?? typeof value}`
}

const intIn = (min: number, max: number) => (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max

abstract class FixedSizeConverter implements Converter, HeaderConverter {
  kind = 'converter' as 'converter' & 'header_converter'
  protected abstract readonly codec: NumberCodec

  configure (_configs: Readonly<Record<string, string>>, _isKey = false): void {}
  config (): ConfigDef { return NO_CONFIG }

  fromConnectData (_topic: string, _headers: Headers, schema: Schema | null, value: unknown): Buffer | null {
    this.checkSchema(schema)
    if (value === null || value === undefined) return null
    const buf = Buffer.alloc(this.codec.size)
    if (!this.codec.write(value, buf)) throw this.serializeError(value)
    return buf
  }

  toConnectData (_topic: string, _headers: Headers, value: Buffer | null): SchemaAndValue {
    if (value === null) return { schema: this.codec.schema, value: null }
    if (value.length !== this.codec.size) throw this.deserializeError(value)
    return { schema: this.codec.schema, value: this.codec.read(value) }
  }

  fromConnectHeader (topic: string, _key: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, undefined as unknown as Headers, schema, value)
  }

  toConnectHeader (topic: string, _key: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, undefined as unknown as Headers, value)
  }

  protected checkSchema (_schema: Schema | null): void {}

  protected serializeError (value: unknown): DataError {
    return new DataError(`Failed to serialize to ${this.codec.typeName} (was ${describe(value)}): `)
  }

  protected deserializeError (value: Buffer): DataError {
    return new DataError(`Failed to deserialize ${this.codec.typeName}: `, {
      cause: new Error(`Size of data received by ${this.codec.typeName === 'float' || this.codec.typeName === 'double' ? 'Deserializer' : `${this.codec.typeName[0]!.toUpperCase()}${this.codec.typeName.slice(1)}Deserializer`} is not ${this.codec.size} (${value.length})`)
    })
  }
}

export class ShortConverter extends FixedSizeConverter {
  protected readonly codec: NumberCodec = {
    typeName: 'short', size: 2, schema: Schemas.OPTIONAL_INT16,
    write: (v, b) => { if (!intIn(-32768, 32767)(v)) return false; b.writeInt16BE(v); return true },
    read: b => b.readInt16BE(0)
  }
}

export class IntegerConverter extends FixedSizeConverter {
  protected readonly codec: NumberCodec = {
    typeName: 'integer', size: 4, schema: Schemas.OPTIONAL_INT32,
    write: (v, b) => { if (!intIn(-2147483648, 2147483647)(v)) return false; b.writeInt32BE(v); return true },
    read: b => b.readInt32BE(0)
  }
}

export class LongConverter extends FixedSizeConverter {
  protected readonly codec: NumberCodec = {
    typeName: 'long', size: 8, schema: Schemas.OPTIONAL_INT64,
    write: (v, b) => {
      const n = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : null
      if (n === null || n < -(2n ** 63n) || n >= 2n ** 63n) return false
      b.writeBigInt64BE(n)
      return true
    },
    read: b => { const n = b.readBigInt64BE(0); return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n }
  }
}

export class FloatConverter extends FixedSizeConverter {
  protected readonly codec: NumberCodec = {
    typeName: 'float', size: 4, schema: Schemas.OPTIONAL_FLOAT32,
    write: (v, b) => { if (typeof v !== 'number') return false; b.writeFloatBE(v); return true },
    read: b => b.readFloatBE(0)
  }
}

export class DoubleConverter extends FixedSizeConverter {
  protected readonly codec: NumberCodec = {
    typeName: 'double', size: 8, schema: Schemas.OPTIONAL_FLOAT64,
    // Java's doubleToLongBits canonicalises NaN.
    write: (v, b) => { if (typeof v !== 'number') return false; b.writeDoubleBE(Number.isNaN(v) ? NaN : v); return true },
    read: b => b.readDoubleBE(0)
  }
}

export class BooleanConverter extends FixedSizeConverter {
  protected readonly codec: NumberCodec = {
    typeName: 'boolean', size: 1, schema: Schemas.OPTIONAL_BOOLEAN,
    write: (v, b) => { if (typeof v !== 'boolean') return false; b[0] = v ? 1 : 0; return true },
    read: b => {
      if (b[0] !== 0 && b[0] !== 1) throw new DataError('Failed to deserialize boolean: ')
      return b[0] === 1
    }
  }

  protected override checkSchema (schema: Schema | null): void {
    if (schema !== null && schema.type !== 'boolean') throw new DataError(`Invalid schema type for BooleanConverter: ${schema.type.toUpperCase()}`)
  }

  protected override serializeError (value: unknown): DataError {
    return new DataError(`BooleanConverter is not compatible with objects of type ${describe(value)}`)
  }

  protected override deserializeError (_value: Buffer): DataError {
    return new DataError('Failed to deserialize boolean: ')
  }
}
