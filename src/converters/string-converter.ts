import { ConfigDef, DataError, Schemas, decodeUtf8Java, type Converter, type HeaderConverter, type Headers, type Schema, type SchemaAndValue } from '../api/index.ts'

export const ENCODING_CONFIG = 'converter.encoding'

export const STRING_CONVERTER_CONFIG_DEF = new ConfigDef().define({
  name: ENCODING_CONFIG,
  type: 'string',
  default: 'UTF8',
  importance: 'high',
  documentation: 'The name of the Java character set to use for encoding strings as byte arrays.'
})

/** Java charset names (and their aliases) that Node can encode and decode without loss. */
const CHARSETS: Record<string, BufferEncoding> = {
  utf8: 'utf8', 'utf-8': 'utf8',
  'iso-8859-1': 'latin1', iso8859_1: 'latin1', latin1: 'latin1', 'iso-latin-1': 'latin1',
  'us-ascii': 'ascii', ascii: 'ascii',
  'utf-16le': 'utf16le', utf_16le: 'utf16le', unicodelittleunmarked: 'utf16le'
}

export function nodeEncoding (charset: string, key: string): BufferEncoding {
  const enc = CHARSETS[charset.toLowerCase()]
  if (!enc) {
    throw new DataError(`Invalid value ${charset} for configuration ${key}: unsupported character set (supported: UTF-8, ISO-8859-1, US-ASCII, UTF-16LE)`)
  }
  return enc
}

/** Kafka's StringConverter: values are written with toString(), read back as optional strings. */
export class StringConverter implements Converter, HeaderConverter {
  kind = 'converter' as 'converter' & 'header_converter'
  #encoding: BufferEncoding = 'utf8'

  configure (configs: Readonly<Record<string, string>>, isKey = false): void {
    const parsed = STRING_CONVERTER_CONFIG_DEF.parse(configs, isKey ? 'key converter' : 'value converter')
    this.#encoding = nodeEncoding(parsed.string(ENCODING_CONFIG) ?? 'UTF8', ENCODING_CONFIG)
  }

  fromConnectData (_topic: string, _headers: Headers, _schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null
    return Buffer.from(typeof value === 'string' ? value : String(value), this.#encoding)
  }

  toConnectData (_topic: string, _headers: Headers, value: Buffer | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_STRING, value: value === null ? null : this.#encoding === 'utf8' ? decodeUtf8Java(value) : value.toString(this.#encoding) }
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
