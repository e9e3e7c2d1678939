import { ConfigDef, DataError, Schemas, decodeUtf8Java, type HeaderConverter, type Schema, type SchemaAndValue } from '../api/index.ts'
import { convertToString, parseString } from './values.ts'

const SIMPLE_HEADER_CONFIG_DEF = new ConfigDef()

/**
 * Kafka's default header converter: values are written as Values.convertToString text (UTF-8) and read back with
 * Values.parseString's type inference ("42" → INT8, "true" → BOOLEAN, "2024-01-15" → Date, …).
 */
export class SimpleHeaderConverter implements HeaderConverter {
  readonly kind = 'header_converter'

  configure (_configs: Readonly<Record<string, string>>): void {}

  fromConnectHeader (_topic: string, _key: string, schema: Schema | null, value: unknown): Buffer | null {
    const text = convertToString(schema, value)
    return text === null ? null : Buffer.from(text, 'utf8')
  }

  toConnectHeader (topic: string, key: string, value: Buffer | null): SchemaAndValue {
    if (value === null) return { schema: null, value: null }
    try {
      // Java's new String(bytes, UTF_8): a byte-order mark stays, malformed bytes become U+FFFD as Java counts them.
      return parseString(decodeUtf8Java(value)) ?? { schema: null, value: null }
    } catch (err) {
      if (err instanceof DataError) throw new DataError(`Failed to deserialize value for header '${key}' on topic '${topic}'`, { cause: err })
      // Apache logs and falls back to the raw bytes.
      return { schema: Schemas.BYTES, value }
    }
  }

  config (): ConfigDef { return SIMPLE_HEADER_CONFIG_DEF }
}
