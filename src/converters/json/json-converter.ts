/**
 * Kafka's JsonConverter (org.apache.kafka.connect.json.JsonConverter): Connect data to JSON bytes and back, with the
 * {"schema":…,"payload":…} envelope when schemas.enable=true.
 *
 * Output is byte-identical to Apache's, which writes through Jackson: compact, keys in a fixed order, Jackson's string
 * escaping (control characters as upper-case \u00XX, supplementary characters as two escaped surrogates) and Java's
 * Double.toString/Float.toString for floating-point numbers. Reading mirrors Jackson's tree model as Apache configures
 * it (leading zeros allowed, exact decimals, trailing content ignored) and Apache's lax coercions ("12" read as an
 * INT64 is 0, 1 read as a BOOLEAN is false), so a record that Apache accepts yields the same value here.
 *
 * Data model mapping: INT8/16/32 are numbers, INT64 a number when it is a safe integer and a bigint otherwise (both
 * are accepted when writing), FLOAT32/64 numbers, BYTES Buffers (any Uint8Array when writing), ARRAY arrays, MAP
 * Maps (plain objects are accepted when writing), STRUCT plain objects keyed by field name. Schemaless integral
 * numbers are INT64 and other numbers FLOAT64, as Java's Long and Double.
 */
import {
  ConfigDef, DataError, Headers, ValidString,
  type Converter, type HeaderConverter, type Schema, type SchemaAndValue
} from '../../api/index.ts'
import { JsonDecoder } from './json-decoder.ts'
import { JsonEncoder } from './json-encoder.ts'
import { JsonReader, MISSING, isObjectNode, readJson, utf8, type JsonNode } from '../../util/json-reader.ts'
import type { DecimalFormat } from './logical-types.ts'

export type { DecimalFormat } from './logical-types.ts'

export const SCHEMAS_ENABLE_CONFIG = 'schemas.enable'
export const SCHEMAS_CACHE_SIZE_CONFIG = 'schemas.cache.size'
export const SCHEMA_CONTENT_CONFIG = 'schema.content'
export const DECIMAL_FORMAT_CONFIG = 'decimal.format'
export const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default'
export const CONVERTER_TYPE_CONFIG = 'converter.type'

export const JSON_CONVERTER_CONFIG_DEF = new ConfigDef()
  .define({
    name: CONVERTER_TYPE_CONFIG,
    type: 'string',
    // Required, as in Apache: configure() sets it from how it is called (key, value, or header when neither).
    validator: ValidString.in('key', 'value', 'header'),
    importance: 'low',
    documentation: 'How this converter will be used.'
  })
  .define({
    name: SCHEMAS_ENABLE_CONFIG,
    type: 'boolean',
    default: true,
    importance: 'high',
    group: 'Schemas',
    orderInGroup: 0,
    width: 'medium',
    displayName: 'Enable Schemas',
    documentation: 'Include schemas within each of the serialized values and keys.'
  })
  .define({
    name: SCHEMAS_CACHE_SIZE_CONFIG,
    type: 'int',
    default: 1000,
    importance: 'high',
    group: 'Schemas',
    orderInGroup: 1,
    width: 'medium',
    displayName: 'Schema Cache Size',
    documentation: 'The maximum number of schemas that can be cached in this converter instance.'
  })
  .define({
    name: SCHEMA_CONTENT_CONFIG,
    type: 'string',
    default: null,
    importance: 'high',
    group: 'Schemas',
    orderInGroup: 2,
    width: 'medium',
    displayName: 'Schema Content',
    documentation: 'When set, this is used as the schema for all messages, and the schemas within each of the message will be ignored.' +
      'Otherwise, the schema will be included in the content of each message. This configuration applies only \'schemas.enable\' is true, ' +
      'and it exclusively affects the sink connector.'
  })
  .define({
    name: DECIMAL_FORMAT_CONFIG,
    type: 'string',
    default: 'BASE64',
    validator: ValidString.inCaseInsensitive('NUMERIC', 'BASE64'),
    importance: 'low',
    group: 'Serialization',
    orderInGroup: 0,
    width: 'medium',
    displayName: 'Decimal Format',
    documentation: 'Controls which format this converter will serialize decimals in. This value is case insensitive and can be either ' +
      '\'BASE64\' (default) or \'NUMERIC\''
  })
  .define({
    name: REPLACE_NULL_WITH_DEFAULT_CONFIG,
    type: 'boolean',
    default: true,
    importance: 'low',
    group: 'Serialization',
    orderInGroup: 1,
    width: 'medium',
    displayName: 'Replace null with default',
    documentation: 'Whether to replace fields that have a default value and that are null to the default value. When set to true, ' +
      'the default value is used, otherwise null is used.'
  })

/** What the envelope of a schemas.enable=true record starts with when written compactly, as Apache writes it. */
const ENVELOPE_START = '{"schema":'
const ENVELOPE_PAYLOAD = ',"payload":'
const ENVELOPE_START_BYTES = Buffer.from(ENVELOPE_START)
const ENVELOPE_PAYLOAD_BYTES = Buffer.from(ENVELOPE_PAYLOAD)

/** Kafka's JsonConverter, usable as key/value converter and as header converter. */
export class JsonConverter implements Converter, HeaderConverter {
  kind = 'converter' as 'converter' & 'header_converter'
  #schemasEnabled = true
  #decimalFormat: DecimalFormat = 'BASE64'
  #encoder = new JsonEncoder(true, 'BASE64')
  #decoder = new JsonDecoder(true)
  /** The schema.content schema: every message is a bare payload of this schema. */
  #fixedSchema: Schema | null = null
  /**
   * Reading: the Connect schema of each envelope "schema" JSON text seen (at most schemas.cache.size), as Apache's
   * cache of converted schemas; the last one used is tried first, by comparing bytes in place.
   */
  #schemasByText = new Map<string, Schema | null>()
  #schemaCacheSize = 1000
  #lastSchemaBytes: Buffer | null = null
  #lastSchema: Schema | null = null

  /**
   * `isKey` set: configured as key or value converter (Apache's configure(map, isKey), which overrides
   * converter.type). Absent: configured as header converter (converter.type defaults to "header").
   */
  configure (configs: Readonly<Record<string, string>>, isKey?: boolean): void {
    const props: Record<string, string> = { ...configs }
    if (isKey !== undefined) props[CONVERTER_TYPE_CONFIG] = isKey ? 'key' : 'value'
    else props[CONVERTER_TYPE_CONFIG] ??= 'header'
    const parsed = JSON_CONVERTER_CONFIG_DEF.parse(props, `${props[CONVERTER_TYPE_CONFIG]} converter`)
    this.#schemasEnabled = parsed.boolean(SCHEMAS_ENABLE_CONFIG)
    const replaceNullWithDefault = parsed.boolean(REPLACE_NULL_WITH_DEFAULT_CONFIG)
    this.#decimalFormat = parsed.string(DECIMAL_FORMAT_CONFIG)!.toUpperCase() as DecimalFormat
    this.#encoder = new JsonEncoder(replaceNullWithDefault, this.#decimalFormat)
    this.#decoder = new JsonDecoder(replaceNullWithDefault)
    this.#schemaCacheSize = parsed.int(SCHEMAS_CACHE_SIZE_CONFIG)
    this.#schemasByText = new Map()
    this.#lastSchemaBytes = null
    this.#lastSchema = null
    this.#fixedSchema = null
    const content = parsed.string(SCHEMA_CONTENT_CONFIG)
    if (content !== null && content !== '') {
      let node: JsonNode | undefined
      try {
        node = readJson(Buffer.from(content, 'utf8'))
      } catch (err) {
        throw new DataError('Failed to parse schema in converter config due to serialization error: ', { cause: err })
      }
      this.#fixedSchema = node === MISSING ? null : this.#decoder.toConnectSchema(node)
    }
  }

  config (): ConfigDef { return JSON_CONVERTER_CONFIG_DEF }

  /** The decimal.format setting, as configured (upper-cased). */
  get decimalFormat (): DecimalFormat { return this.#decimalFormat }

  fromConnectData (_topic: string, _headers: Headers, schema: Schema | null, value: unknown): Buffer | null {
    schema ??= null
    // Only a null schema with a null value is a tombstone; an optional schema with a null value writes JSON null.
    if (schema === null && (value === null || value === undefined)) return null
    const payload = this.#encoder.toJson(schema, value)
    const text = this.#schemasEnabled
      ? `{"schema":${schema === null ? 'null' : this.#encoder.schemaJson(schema)},"payload":${payload}}`
      : payload
    return Buffer.from(text, 'utf8')
  }

  toConnectData (_topic: string, _headers: Headers, value: Buffer | null): SchemaAndValue {
    if (value === null || value === undefined) return { schema: null, value: null }
    if (this.#schemasEnabled && this.#fixedSchema === null && this.#schemaCacheSize > 0) {
      const fast = this.#readEnvelope(value)
      if (fast !== null) return fast
    }
    let node: JsonNode | undefined
    try {
      node = readJson(value)
    } catch (err) {
      // Apache's message ends with the colon: Jackson's detail is only in the cause.
      throw new DataError('Converting byte[] to Kafka Connect data failed due to serialization error: ', { cause: err })
    }
    if (!this.#schemasEnabled) return { schema: null, value: this.#decoder.toConnect(null, node) }
    if (this.#fixedSchema !== null) return { schema: this.#fixedSchema, value: this.#decoder.toConnect(this.#fixedSchema, node) }
    if (!isObjectNode(node) || node.size !== 2 || !node.has('schema') || !node.has('payload')) {
      throw new DataError('JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. ' +
        'If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.')
    }
    const schema = this.#decoder.toConnectSchema(node.get('schema')!)
    return { schema, value: this.#decoder.toConnect(schema, node.get('payload')!) }
  }

  /**
   * The common case of toConnectData with schemas enabled: a compact {"schema":…,"payload":…} envelope whose schema
   * was seen before. The schema's bytes are compared in place with the last schema's instead of being decoded,
   * parsed and converted again (a JSON value ends where its own text says, so equal bytes at the same place are the
   * same schema), and only the payload is decoded. Returns null for anything else (other layouts, a byte order mark,
   * unseen invalid schemas, any error), which the general path then reads, or rejects with its usual error.
   */
  #readEnvelope (bytes: Buffer): SchemaAndValue | null {
    if (bytes.length < ENVELOPE_START_BYTES.length + ENVELOPE_PAYLOAD_BYTES.length ||
      bytes.compare(ENVELOPE_START_BYTES, 0, ENVELOPE_START_BYTES.length, 0, ENVELOPE_START_BYTES.length) !== 0) return null
    try {
      let schema: Schema | null
      let text: string
      let reader: JsonReader
      const last = this.#lastSchemaBytes
      const at = ENVELOPE_START_BYTES.length
      if (last !== null && bytes.length > at + last.length && bytes.compare(last, 0, last.length, at, at + last.length) === 0) {
        schema = this.#lastSchema
        // Valid UTF-8 splits cleanly after the ASCII schema and key: decoding the rest alone accepts what decoding
        // the whole would.
        text = utf8.decode(bytes.subarray(at + last.length))
        reader = new JsonReader(text)
      } else {
        text = utf8.decode(bytes)
        reader = new JsonReader(text)
        reader.pos = ENVELOPE_START.length
        const start = reader.pos
        reader.depth = 1
        const node = reader.readValue(false)
        const key = text.slice(start, reader.pos)
        const cached = this.#schemasByText.get(key)
        if (cached !== undefined) {
          schema = cached
        } else {
          schema = this.#decoder.toConnectSchema(node)
          if (this.#schemasByText.size >= this.#schemaCacheSize) this.#schemasByText.delete(this.#schemasByText.keys().next().value!)
          this.#schemasByText.set(key, schema)
        }
        this.#lastSchemaBytes = Buffer.from(key, 'utf8')
        this.#lastSchema = schema
      }
      if (!text.startsWith(ENVELOPE_PAYLOAD, reader.pos)) return null
      reader.pos += ENVELOPE_PAYLOAD.length
      reader.depth = 1
      const payload = reader.readValue(false)
      reader.skipWhitespace()
      if (text.charCodeAt(reader.pos) !== 0x7d) return null
      return { schema, value: this.#decoder.toConnect(schema, payload) }
    } catch {
      return null
    }
  }

  fromConnectHeader (topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, Headers.EMPTY, schema, value)
  }

  toConnectHeader (topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, Headers.EMPTY, value)
  }

  close (): void {}
}
