/** Registers the built-in plugins explicitly (no import side effects). */
import { definePlugins, plugin, type PluginManifest } from '../api/index.ts'
import { builtinConnectorManifests } from '../../connectors/index.ts'
import { JsonConverter } from '../converters/json/json-converter.ts'
import { ByteArrayConverter } from '../converters/byte-array-converter.ts'
import { BooleanConverter, DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter } from '../converters/number-converters.ts'
import { SimpleHeaderConverter } from '../converters/simple-header-converter.ts'
import { StringConverter } from '../converters/string-converter.ts'
import { AVRO_CONVERTER_CLASS, AvroConverter, JSON_SCHEMA_CONVERTER_CLASS, JsonSchemaConverter, PROTOBUF_CONVERTER_CLASS, ProtobufConverter } from '../converters/schema-registry/registry-converters.ts'
import { builtinTransformations } from '../transforms/index.ts'
import { builtinConfigProviders } from '../providers/index.ts'
import { PluginRegistry } from './registry.ts'
import { VERSION } from '../util/version.ts'

const converters: PluginManifest = definePlugins([
  plugin({ kind: 'converter', className: 'org.apache.kafka.connect.storage.StringConverter', version: VERSION, create: () => new StringConverter() }),
  plugin({ kind: 'header_converter', className: 'org.apache.kafka.connect.storage.StringConverter', version: VERSION, create: () => new StringConverter() }),
  plugin({ kind: 'converter', className: 'org.apache.kafka.connect.converters.ByteArrayConverter', version: VERSION, create: () => new ByteArrayConverter() }),
  plugin({ kind: 'header_converter', className: 'org.apache.kafka.connect.converters.ByteArrayConverter', version: VERSION, create: () => new ByteArrayConverter() }),
  plugin({ kind: 'converter', className: 'org.apache.kafka.connect.json.JsonConverter', version: VERSION, create: () => new JsonConverter() }),
  plugin({ kind: 'header_converter', className: 'org.apache.kafka.connect.json.JsonConverter', version: VERSION, create: () => new JsonConverter() }),
  plugin({ kind: 'header_converter', className: 'org.apache.kafka.connect.storage.SimpleHeaderConverter', version: VERSION, create: () => new SimpleHeaderConverter() })
])

// Confluent's Schema Registry converters: key/value converters, and header converters too (Confluent's are not).
const registryConverters: PluginManifest = definePlugins(([[AVRO_CONVERTER_CLASS, AvroConverter], [JSON_SCHEMA_CONVERTER_CLASS, JsonSchemaConverter], [PROTOBUF_CONVERTER_CLASS, ProtobufConverter]] as const).flatMap(([className, Impl]) =>
  (['converter', 'header_converter'] as const).map(kind => plugin({ kind, className, version: VERSION, create: () => new Impl() }))))

const NUMBER_CONVERTERS = { Short: ShortConverter, Integer: IntegerConverter, Long: LongConverter, Float: FloatConverter, Double: DoubleConverter, Boolean: BooleanConverter }

const numberConverters: PluginManifest = definePlugins(Object.entries(NUMBER_CONVERTERS).flatMap(([name, Impl]) => (['converter', 'header_converter'] as const).map(kind =>
  plugin({ kind, className: `org.apache.kafka.connect.converters.${name}Converter`, version: VERSION, create: () => new Impl() }))))

export function builtinRegistry (): PluginRegistry {
  const registry = new PluginRegistry()
  registry.registerManifest(converters)
  registry.registerManifest(numberConverters)
  registry.registerManifest(registryConverters)
  registry.registerManifest(builtinTransformations)
  registry.registerManifest(builtinConfigProviders)
  for (const manifest of builtinConnectorManifests) registry.registerManifest(manifest)
  return registry
}
