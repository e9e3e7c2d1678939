/**
 * Kafka's ShortConverter, IntegerConverter, LongConverter, FloatConverter, DoubleConverter and BooleanConverter:
 * fixed-size big-endian bytes.
 *
 * Apache's number converters cast the value to their serializer's class, so a value of another Java class fails
 * ("Failed to serialize to short (was class java.lang.Integer): "), whatever its number. Where there is a schema it
 * says which class Apache would have (INT8 is a Byte, FLOAT64 a Double, a Timestamp a java.util.Date), and we refuse
 * exactly what Apache refuses. Without a schema a JS number does not say whether it was a Short, an Integer or a
 * Long (Cast makes schemaless Integers, JsonConverter schemaless Longs), so a number that fits is accepted.
 */
import {
  ConfigDef, DataError, Schemas, javaClassName,
  type Converter, type HeaderConverter, type Headers, type Schema, type SchemaAndValue
} from '../api/index.ts'

const NO_CONFIG = new ConfigDef()

interface NumberCodec {
  readonly typeName: string
  /** The serializer's Java class: with a schema, only values of it are written. */
  readonly javaClass: string
  readonly size: number
  readonly schema: Schema
  /** Writes a value without a schema (or of javaClass); false: the value is not of this type. */
  write (value: unknown, buf: Buffer): boolean
  read (buf: Buffer): unknown
  /** The deserializer's name in its size message ("Deserializer" for Float and Double, as Kafka's say). */
  readonly deserializerName: string
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
    if ((schema !== null && javaClassName(value, schema) !== this.codec.javaClass) || !this.codec.write(value, buf)) {
      throw this.serializeError(javaClassName(value, schema))
    }
    return buf
  }

  toConnectData (_topic: string, _headers: Headers, value: Buffer | null): SchemaAndValue {
    if (value === null) return { schema: this.codec.schema, value: null }
    if (value.length !== this.codec.size) {
      throw this.deserializeError(`Size of data received by ${this.codec.deserializerName} is not ${this.codec.size}`)
    }
    return { schema: this.codec.schema, value: this.codec.read(value) }
  }

  fromConnectHeader (topic: string, _key: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, undefined as unknown as Headers, schema, value)
  }

  toConnectHeader (topic: string, _key: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, undefined as unknown as Headers, value)
  }

  protected checkSchema (_schema: Schema | null): void {}

  protected serializeError (javaClass: string): DataError {
    // Apache's cast fails first on Number itself for values that are no number at all.
    const target = /^java\.lang\.(Byte|Short|Integer|Long|Float|Double)$|^java\.math\.BigDecimal$/.test(javaClass) ? this.codec.javaClass : 'java.lang.Number'
    return new DataError(`Failed to serialize to ${this.codec.typeName} (was class ${javaClass}): `, {
      cause: new Error(`class ${javaClass} cannot be cast to class ${target}`)
    })
  }

  protected deserializeError (cause: string): DataError {
    return new DataError(`Failed to deserialize ${this.codec.typeName}: `, { cause: new Error(cause) })
  }
}

export class ShortConverter extends FixedSizeConverter {
  protected readonly codec: NumberCodec = {
    typeName: 'short', javaClass: 'java.lang.Short', size: 2, schema: Schemas.OPTIONAL_INT16, deserializerName: 'ShortDeserializer',
    write: (v, b) => { if (!intIn(-32768, 32767)(v)) return false; b.writeInt16BE(v); return true },
    read: b => b.readInt16BE(0)
  }
}

export class IntegerConverter extends FixedSizeConverter {
  protected readonly codec: NumberCodec = {
    typeName: 'integer', javaClass: 'java.lang.Integer', size: 4, schema: Schemas.OPTIONAL_INT32, deserializerName: 'IntegerDeserializer',
    write: (v, b) => { if (!intIn(-2147483648, 2147483647)(v)) return false; b.writeInt32BE(v); return true },
    read: b => b.readInt32BE(0)
  }
}

export class LongConverter extends FixedSizeConverter {
  protected readonly codec: NumberCodec = {
    typeName: 'long', javaClass: 'java.lang.Long', size: 8, schema: Schemas.OPTIONAL_INT64, deserializerName: 'LongDeserializer',
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
    typeName: 'float', javaClass: 'java.lang.Float', size: 4, schema: Schemas.OPTIONAL_FLOAT32, deserializerName: 'Deserializer',
    write: (v, b) => { if (typeof v !== 'number') return false; b.writeFloatBE(v); return true },
    read: b => b.readFloatBE(0)
  }
}

export class DoubleConverter extends FixedSizeConverter {
  protected readonly codec: NumberCodec = {
    typeName: 'double', javaClass: 'java.lang.Double', size: 8, schema: Schemas.OPTIONAL_FLOAT64, deserializerName: 'Deserializer',
    // Java's doubleToLongBits canonicalises NaN.
    write: (v, b) => { if (typeof v !== 'number') return false; b.writeDoubleBE(Number.isNaN(v) ? NaN : v); return true },
    read: b => b.readDoubleBE(0)
  }
}

export class BooleanConverter extends FixedSizeConverter {
  protected readonly codec: NumberCodec = {
    typeName: 'boolean', javaClass: 'java.lang.Boolean', size: 1, schema: Schemas.OPTIONAL_BOOLEAN, deserializerName: 'BooleanDeserializer',
    write: (v, b) => { if (typeof v !== 'boolean') return false; b[0] = v ? 1 : 0; return true },
    read: b => {
      if (b[0] !== 0 && b[0] !== 1) throw this.deserializeError(`Unexpected byte received by BooleanDeserializer: ${(b[0]! << 24) >> 24}`)
      return b[0] === 1
    }
  }

  protected override checkSchema (schema: Schema | null): void {
    if (schema !== null && schema.type !== 'boolean') throw new DataError(`Invalid schema type for BooleanConverter: ${schema.type.toUpperCase()}`)
  }

  protected override serializeError (javaClass: string): DataError {
    return new DataError(`BooleanConverter is not compatible with objects of type class ${javaClass}`)
  }
}
