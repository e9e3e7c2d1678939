import { ConfigDef, Schemas, javaToString, type Converter, type HeaderConverter, type Headers, type Schema, type SchemaAndValue } from '../api/index.ts'
import { javaCharset, type JavaCharset } from '../java/charset.ts'

export const ENCODING_CONFIG = 'converter.encoding'

export const STRING_CONVERTER_CONFIG_DEF = new ConfigDef().define({
  name: ENCODING_CONFIG,
  type: 'string',
  default: 'UTF8',
  importance: 'high',
  documentation: 'The name of the Java character set to use for encoding strings as byte arrays.'
})

// ES2024's String.prototype.isWellFormed (Node 20 has it; the project's lib setting predates it).
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed (): boolean }).isWellFormed()

/**
 * Kafka's StringConverter: a value is written as Java's `value.toString()` (javaToString: `1.0E21`, `{a=1}`,
 * `Struct{a=1}`, Java's Date text) in the configured Java charset; bytes are read back as an optional string.
 */
export class StringConverter implements Converter, HeaderConverter {
  kind = 'converter' as 'converter' & 'header_converter'
  #serializer: JavaCharset = javaCharset('UTF8')
  #deserializer: JavaCharset = this.#serializer
  // UTF-8 writes take the inline path below: strings are this converter's hot path.
  #utf8Writes = true

  configure (configs: Readonly<Record<string, string>>, isKey = false): void {
    const parsed = STRING_CONVERTER_CONFIG_DEF.parse(configs, isKey ? 'key converter' : 'value converter')
    const encoding = parsed.string(ENCODING_CONFIG) ?? 'UTF8'
    // Kafka's StringSerializer/StringDeserializer read `key.`/`value.` prefixed encodings before the one the
    // converter hands them, and resolve the charset at configure time, the serializer's first.
    const prefix = isKey ? 'key' : 'value'
    this.#serializer = javaCharset(configs[`${prefix}.serializer.encoding`] ?? encoding)
    this.#deserializer = javaCharset(configs[`${prefix}.deserializer.encoding`] ?? encoding)
    this.#utf8Writes = this.#serializer.name === 'UTF-8'
  }

  fromConnectData (_topic: string, _headers: Headers, schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null
    const text = typeof value === 'string' ? value : javaToString(value, schema)
    // Java writes a lone surrogate as '?' where Node would write U+FFFD: only strings that have one leave this path.
    if (this.#utf8Writes && isWellFormed(text)) return Buffer.from(text, 'utf8')
    return this.#serializer.encode(text)
  }

  toConnectData (_topic: string, _headers: Headers, value: Buffer | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_STRING, value: value === null ? null : this.#deserializer.decode(value) }
  }

  fromConnectHeader (topic: string, _key: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, EMPTY_HEADERS, schema, value)
  }

  toConnectHeader (topic: string, _key: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, EMPTY_HEADERS, value)
  }

  config (): ConfigDef { return STRING_CONVERTER_CONFIG_DEF }
}

// The header variants do not look at record headers; an empty placeholder avoids building one per call.
const EMPTY_HEADERS = undefined as unknown as Headers
