import { ConfigDef, DataError, Schemas, type Converter, type HeaderConverter, type Headers, type Schema, type SchemaAndValue } from '../api/index.ts'

const BYTE_ARRAY_CONFIG_DEF = new ConfigDef()

/** Kafka's ByteArrayConverter: a pass-through for bytes. */
export class ByteArrayConverter implements Converter, HeaderConverter {
  kind = 'converter' as 'converter' & 'header_converter'

  configure (_configs: Readonly<Record<string, string>>, _isKey = false): void {}

  fromConnectData (_topic: string, _headers: Headers, schema: Schema | null, value: unknown): Buffer | null {
    if (schema !== null && schema.type !== 'bytes') {
      throw new DataError(`Invalid schema type for ByteArrayConverter: ${schema.type.toUpperCase()}`)
    }
    if (value === null || value === undefined) return null
    if (Buffer.isBuffer(value)) return value
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    throw new DataError(`ByteArrayConverter is not compatible with objects of type ${typeName(value)}`)
  }

  toConnectData (_topic: string, _headers: Headers, value: Buffer | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_BYTES, value }
  }

  fromConnectHeader (topic: string, _key: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, undefined as unknown as Headers, schema, value)
  }

  toConnectHeader (topic: string, _key: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, undefined as unknown as Headers, value)
  }

  config (): ConfigDef { return BYTE_ARRAY_CONFIG_DEF }
}

function typeName (value: unknown): string {
  if (typeof value === 'object' && value !== null) return value.constructor?.name ?? 'Object'
  return typeof value
}
