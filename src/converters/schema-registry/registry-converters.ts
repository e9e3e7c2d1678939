/**
 * The Schema Registry converters under the class names connector files use (Confluent's), each the registry
 * converter around its format.
 */
import { SchemaRegistryConverter } from './schema-registry-converter.ts'
import { AVRO_FORMAT_FACTORY } from './avro/avro-format.ts'

export const AVRO_CONVERTER_CLASS = 'io.confluent.connect.avro.AvroConverter'

/** io.confluent.connect.avro.AvroConverter: Connect data as Avro, Confluent's AvroData mapping. */
export class AvroConverter extends SchemaRegistryConverter {
  constructor () { super(AVRO_FORMAT_FACTORY, AVRO_CONVERTER_CLASS) }
}
