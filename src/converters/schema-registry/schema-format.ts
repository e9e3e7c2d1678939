/**
 * What a Schema Registry converter needs from one serialization format (Avro, JSON Schema, Protobuf): the mapping
 * between Connect schemas and the format's schemas (Confluent's AvroData, JsonSchemaData, ProtobufData) and the
 * payload codec. The converter around it (schema-registry-converter.ts) owns the registry, the caches and the wire
 * format's 5-byte header; a format never talks to the registry.
 */
import type { ConfigDef, ParsedConfig, Schema } from '../../api/index.ts'

/** The registry's name for a format (`schemaType` in its API; absent means AVRO). */
export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF'

/** A schema another schema imports, as the registry links them: by name, registered under a subject and version. */
export interface SchemaReference {
  /** The name the referring schema uses (a Protobuf import path, an Avro full name, a JSON Schema $ref URL). */
  name: string
  subject: string
  version: number
}

/** A referenced schema's text, resolved from the registry (or, when writing, a schema to register first). */
export interface ResolvedReference {
  name: string
  /** The subject it is (to be) registered under; for writing, a format usually uses `name`. */
  subject: string
  schema: string
}

/** A format's schema, parsed once and used for every record written or read with it. */
export interface FormatSchema {
  /** The text registered in the registry (canonical for the format: the same Connect schema gives the same text). */
  readonly text: string
  /** What RecordNameStrategy names subjects after: an Avro record's full name, a Protobuf message's, a JSON title. */
  readonly recordName: string | null
  /** Schemas this one imports, to be registered before it (Protobuf's well-known and Confluent's meta imports). */
  readonly references: readonly ResolvedReference[]
}

export interface SchemaFormat<S extends FormatSchema = FormatSchema> {
  readonly type: SchemaType
  /**
   * Connect schema to the format's schema (AvroData.fromConnectSchema and its peers). Throws DataError. Null: the
   * schema for schemaless data, where the format has one (Avro's); a format without one throws DataError.
   */
  fromConnectSchema (schema: Schema | null): S
  /** A registry text (and the texts it references) to the format's schema. Throws DataError. */
  parse (text: string, references: readonly ResolvedReference[]): S
  /**
   * The Connect schema a reader gets for a format schema (AvroData.toConnectSchema and its peers); null for the
   * format's schema of schemaless data (Avro's Anything). `version`, when the converter knows it, is the schema's
   * version in the registry: Confluent's converters give it to a schema that names no version of its own.
   */
  toConnectSchema (schema: S, version?: number): Schema | null
  /**
   * A Connect value to the payload after the 5-byte header (for Protobuf: the message indexes, then the message).
   * `connectSchema` is null for schemaless data where the format allows it. Throws DataError.
   */
  serialize (schema: S, connectSchema: Schema | null, value: unknown): Buffer
  /**
   * Optional: the payload's Connect schema and value, where the payload itself may choose another schema than
   * `schema` (Protobuf's message indexes name one message of the file). When absent, deserialize() is used.
   */
  read? (schema: S, connectSchema: Schema | null, payload: Buffer): { schema: Schema | null, value: unknown }
  /** The payload after the 5-byte header to a Connect value of `connectSchema` (= toConnectSchema(schema)). */
  deserialize (schema: S, connectSchema: Schema | null, payload: Buffer): unknown
}

/** Creates a format from the converter's parsed settings (connect.meta.data, enhanced.avro.schema.support, ...). */
export interface SchemaFormatFactory {
  readonly type: SchemaType
  /** The format's own keys, merged with the registry keys every converter has. */
  readonly configDef: ConfigDef
  /**
   * Whether a null value with a schema is written as a payload (JSON `null`, or the schema's default), as
   * Confluent's JsonSchemaConverter does. Otherwise (Avro, Protobuf) a null value is written as null: a tombstone.
   */
  readonly writesNullValues?: boolean
  create (config: ParsedConfig, isKey: boolean): SchemaFormat
}
