import { ConfigDef, Schemas, type HeaderConverter, type Schema, type SchemaAndValue } from '../api/index.ts'

const SIMPLE_HEADER_CONFIG_DEF = new ConfigDef()

/**
 * Kafka's default header converter. Strings and primitives are written as their UTF-8 text; bytes pass through.
 * Reading returns the text as an optional string (typed parsing of header values arrives with the full data model).
 */
export class SimpleHeaderConverter implements HeaderConverter {
  readonly kind = 'header_converter'

  configure (_configs: Readonly<Record<string, string>>): void {}

  fromConnectHeader (_topic: string, _key: string, _schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null
    if (Buffer.isBuffer(value)) return value
    return Buffer.from(String(value), 'utf8')
  }

  toConnectHeader (_topic: string, _key: string, value: Buffer | null): SchemaAndValue {
    if (value === null) return { schema: null, value: null }
    return { schema: Schemas.STRING, value: value.toString('utf8') }
  }

  config (): ConfigDef { return SIMPLE_HEADER_CONFIG_DEF }
}
