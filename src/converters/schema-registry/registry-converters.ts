/**
 * The Schema Registry converters under the class names connector files use (Confluent's), each the registry
 * converter around its format.
 */
import { SchemaRegistryConverter } from './schema-registry-converter.ts'
import { AVRO_FORMAT_FACTORY } from './avro/avro-format.ts'
import { AVRO_UNSUPPORTED_KEYS } from './avro/avro-data-config.ts'
import { JsonSchemaFormatFactory } from './json-schema/json-schema-format.ts'
import { protobufFormatFactory } from './protobuf/protobuf-format.ts'
import { PROTOBUF_UNSUPPORTED_KEYS } from './protobuf/protobuf-data-config.ts'

export const AVRO_CONVERTER_CLASS = 'io.confluent.connect.avro.AvroConverter'
export const JSON_SCHEMA_CONVERTER_CLASS = 'io.confluent.connect.json.JsonSchemaConverter'
export const PROTOBUF_CONVERTER_CLASS = 'io.confluent.connect.protobuf.ProtobufConverter'

/** io.confluent.connect.avro.AvroConverter: Connect data as Avro, Confluent's AvroData mapping. */
export class AvroConverter extends SchemaRegistryConverter {
  constructor () { super(AVRO_FORMAT_FACTORY, AVRO_CONVERTER_CLASS, AVRO_UNSUPPORTED_KEYS) }
}

/** io.confluent.connect.protobuf.ProtobufConverter: Connect data as Protobuf messages, Confluent's ProtobufData mapping. */
export class ProtobufConverter extends SchemaRegistryConverter {
  constructor () { super(protobufFormatFactory, PROTOBUF_CONVERTER_CLASS, PROTOBUF_UNSUPPORTED_KEYS) }
}

/** io.confluent.connect.json.JsonSchemaConverter: Connect data as JSON text with a JSON Schema, Confluent's JsonSchemaData mapping. */
export class JsonSchemaConverter extends SchemaRegistryConverter {
  constructor () { super(JsonSchemaFormatFactory, JSON_SCHEMA_CONVERTER_CLASS) }
}
