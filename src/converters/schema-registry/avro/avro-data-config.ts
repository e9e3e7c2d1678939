/**
 * The Avro format's settings: Confluent's AvroDataConfig keys (and AbstractDataConfig's, which it extends) with
 * their defaults, plus the deserializer's avro.fail.on.trailing.data. Keys Confluent's converter accepts that this
 * format does not implement are listed in AVRO_UNSUPPORTED_KEYS with the reason, for the converter's validation.
 */
import { ConfigDef, ConfigError, type ConfigValueType, type ParsedConfig, type Validator } from '../../../api/index.ts'

export const CONNECT_META_DATA_CONFIG = 'connect.meta.data'
export const ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG = 'enhanced.avro.schema.support'
export const SCRUB_INVALID_NAMES_CONFIG = 'scrub.invalid.names'
export const SCHEMAS_CACHE_SIZE_CONFIG = 'schemas.cache.config'
export const IGNORE_DEFAULT_FOR_NULLABLES_CONFIG = 'ignore.default.for.nullables'
export const ALLOW_OPTIONAL_MAP_KEYS_CONFIG = 'allow.optional.map.keys'
export const FLATTEN_SINGLETON_UNIONS_CONFIG = 'flatten.singleton.unions'
export const GENERALIZED_SUM_TYPE_SUPPORT_CONFIG = 'generalized.sum.type.support'
export const DISCARD_TYPE_DOC_DEFAULT_CONFIG = 'discard.type.doc.default'
export const AVRO_FAIL_ON_TRAILING_DATA_CONFIG = 'avro.fail.on.trailing.data'

/** Accepts only `false`: the key exists in Confluent's converter but its `true` behaviour is not implemented here. */
function onlyFalse (reason: string): Validator {
  return {
    ensureValid (name: string, value: ConfigValueType): void {
      if (value === true) throw new ConfigError(`${name}=true is not supported by this Avro converter: ${reason}`)
    },
    toString: () => '[false]'
  }
}

const GENERALIZED_REASON = 'Confluent\'s generalized sum types (connect_union_*/connect.enum schemas shared with JSON Schema and Protobuf) are not implemented'
const DISCARD_REASON = 'the deprecated mode that keeps only field docs and defaults is not implemented'

export const AVRO_DATA_CONFIG_DEF = new ConfigDef()
  .define({ name: CONNECT_META_DATA_CONFIG, type: 'boolean', default: true, importance: 'low', documentation: 'Toggle for enabling/disabling connect converter to add its meta data to the output schema or not' })
  .define({ name: ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG, type: 'boolean', default: false, importance: 'medium', documentation: 'Toggle for enabling/disabling enhanced avro schema support: Enum symbol preservation and Package Name awareness' })
  .define({ name: SCRUB_INVALID_NAMES_CONFIG, type: 'boolean', default: false, importance: 'medium', documentation: 'Whether to scrub invalid names by replacing invalid characters with valid ones' })
  .define({ name: SCHEMAS_CACHE_SIZE_CONFIG, type: 'int', default: 1000, importance: 'low', documentation: 'Size of the converted schemas cache' })
  .define({ name: IGNORE_DEFAULT_FOR_NULLABLES_CONFIG, type: 'boolean', default: false, importance: 'medium', documentation: 'Whether to ignore the default for nullable fields when the value is null' })
  .define({ name: ALLOW_OPTIONAL_MAP_KEYS_CONFIG, type: 'boolean', default: false, importance: 'low', documentation: 'Allow optional string map key when converting from Connect Schema to Avro Schema.' })
  .define({ name: FLATTEN_SINGLETON_UNIONS_CONFIG, type: 'boolean', default: true, importance: 'low', documentation: 'Whether to flatten singleton unions' })
  .define({ name: GENERALIZED_SUM_TYPE_SUPPORT_CONFIG, type: 'boolean', default: false, importance: 'medium', validator: onlyFalse(GENERALIZED_REASON), documentation: 'Toggle for enabling/disabling generalized sum type support: interoperability of enum/union with other schema formats. Only false is supported.' })
  .define({ name: DISCARD_TYPE_DOC_DEFAULT_CONFIG, type: 'boolean', default: false, importance: 'low', validator: onlyFalse(DISCARD_REASON), documentation: 'Deprecated. Only Avro field doc and default will be retained during conversion of Avro and Connect schema. Only false is supported.' })
  .define({ name: AVRO_FAIL_ON_TRAILING_DATA_CONFIG, type: 'boolean', default: false, importance: 'low', documentation: 'Whether to fail when a payload has bytes left after the Avro value.' })

/**
 * Keys of Confluent's Avro serializer and deserializer that a Connect converter passes through but that only apply
 * to Java objects (reflection, generated classes, logical-type classes): refused, never ignored in silence.
 */
export const AVRO_UNSUPPORTED_KEYS: ReadonlyMap<string, string> = new Map([
  ['specific.avro.reader', 'generated Java classes (SpecificRecord) do not exist here; Connect data is always generic'],
  ['specific.avro.key.type', 'generated Java classes (SpecificRecord) do not exist here'],
  ['specific.avro.value.type', 'generated Java classes (SpecificRecord) do not exist here'],
  ['avro.reflection.allow.null', 'Java reflection-based Avro is not used by Connect converters'],
  ['avro.use.logical.type.converters', 'the Connect mapping converts logical types itself, as Confluent\'s converter does with this key unset'],
  ['avro.remove.java.properties', 'schemas written here never carry avro.java.string properties']
])

/** What the Avro mapping reads from its settings. */
export interface AvroDataOptions {
  readonly connectMetaData: boolean
  readonly enhancedSchemaSupport: boolean
  readonly scrubInvalidNames: boolean
  readonly ignoreDefaultForNullables: boolean
  readonly allowOptionalMapKeys: boolean
  readonly flattenSingletonUnions: boolean
  readonly failOnTrailingData: boolean
  /** Bounded as Confluent's schemaCacheSize(): at least 1. */
  readonly cacheSize: number
}

export const DEFAULT_AVRO_DATA_OPTIONS: AvroDataOptions = Object.freeze({
  connectMetaData: true,
  enhancedSchemaSupport: false,
  scrubInvalidNames: false,
  ignoreDefaultForNullables: false,
  allowOptionalMapKeys: false,
  flattenSingletonUnions: true,
  failOnTrailingData: false,
  cacheSize: 1000
})

export function avroDataOptions (config: ParsedConfig): AvroDataOptions {
  return {
    connectMetaData: config.boolean(CONNECT_META_DATA_CONFIG),
    enhancedSchemaSupport: config.boolean(ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG),
    scrubInvalidNames: config.boolean(SCRUB_INVALID_NAMES_CONFIG),
    ignoreDefaultForNullables: config.boolean(IGNORE_DEFAULT_FOR_NULLABLES_CONFIG),
    allowOptionalMapKeys: config.boolean(ALLOW_OPTIONAL_MAP_KEYS_CONFIG),
    flattenSingletonUnions: config.boolean(FLATTEN_SINGLETON_UNIONS_CONFIG),
    failOnTrailingData: config.boolean(AVRO_FAIL_ON_TRAILING_DATA_CONFIG),
    cacheSize: Math.max(1, config.int(SCHEMAS_CACHE_SIZE_CONFIG))
  }
}
