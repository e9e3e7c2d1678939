/**
 * The Protobuf format's settings: Confluent's ProtobufDataConfig keys (and AbstractDataConfig's, which it extends)
 * with their defaults, plus the Protobuf serializer's skip.known.types and reference.subject.name.strategy, which
 * decide the references a written schema lists. Keys Confluent's converter accepts that this format does not
 * implement are listed in PROTOBUF_UNSUPPORTED_KEYS with the reason, for the converter's validation.
 */
import { ConfigDef, ConfigError, type ConfigValueType, type ParsedConfig, type Validator } from '../../../api/index.ts'

export const ENHANCED_PROTOBUF_SCHEMA_SUPPORT_CONFIG = 'enhanced.protobuf.schema.support'
export const SCRUB_INVALID_NAMES_CONFIG = 'scrub.invalid.names'
export const INT_FOR_ENUMS_CONFIG = 'int.for.enums'
export const OPTIONAL_FOR_NULLABLES_CONFIG = 'optional.for.nullables'
export const OPTIONAL_FOR_PROTO2_CONFIG = 'optional.for.proto2'
export const WRAPPER_FOR_NULLABLES_CONFIG = 'wrapper.for.nullables'
export const WRAPPER_FOR_RAW_PRIMITIVES_CONFIG = 'wrapper.for.raw.primitives'
export const GENERATE_STRUCT_FOR_NULLS_CONFIG = 'generate.struct.for.nulls'
export const GENERATE_INDEX_FOR_UNIONS_CONFIG = 'generate.index.for.unions'
export const FLATTEN_UNIONS_CONFIG = 'flatten.unions'
export const GENERALIZED_SUM_TYPE_SUPPORT_CONFIG = 'generalized.sum.type.support'
export const IGNORE_DEFAULT_FOR_NULLABLES_CONFIG = 'ignore.default.for.nullables'
export const SCHEMAS_CACHE_SIZE_CONFIG = 'schemas.cache.config'
export const SKIP_KNOWN_TYPES_CONFIG = 'skip.known.types'
export const REFERENCE_SUBJECT_NAME_STRATEGY_CONFIG = 'reference.subject.name.strategy'

/** Confluent's default: a referenced file is registered under a subject named as its import path. */
export const DEFAULT_REFERENCE_SUBJECT_NAME_STRATEGY = 'io.confluent.kafka.serializers.subject.DefaultReferenceSubjectNameStrategy'

const onlyDefaultStrategy: Validator = {
  ensureValid (name: string, value: ConfigValueType): void {
    if (typeof value === 'string' && value !== DEFAULT_REFERENCE_SUBJECT_NAME_STRATEGY && value !== 'DefaultReferenceSubjectNameStrategy') {
      throw new ConfigError(`${name}=${value} is not supported by this Protobuf converter: only ${DEFAULT_REFERENCE_SUBJECT_NAME_STRATEGY} ` +
        '(the import path as subject) is implemented')
    }
  },
  toString: () => `[${DEFAULT_REFERENCE_SUBJECT_NAME_STRATEGY}]`
}

const bool = (name: string, dflt: boolean, documentation: string, importance: 'medium' | 'low' = 'medium'): Parameters<ConfigDef['define']>[0] =>
  ({ name, type: 'boolean', default: dflt, importance, documentation })

export const PROTOBUF_DATA_CONFIG_DEF = new ConfigDef()
  .define(bool(ENHANCED_PROTOBUF_SCHEMA_SUPPORT_CONFIG, false, 'Toggle for enabling/disabling enhanced protobuf schema support: package name preservation'))
  .define(bool(SCRUB_INVALID_NAMES_CONFIG, false, 'Whether to scrub invalid names by replacing invalid characters with valid ones'))
  .define(bool(INT_FOR_ENUMS_CONFIG, false, 'Whether to represent enums as integers'))
  .define(bool(OPTIONAL_FOR_NULLABLES_CONFIG, false, 'Whether nullable fields should be specified with an optional label'))
  .define(bool(OPTIONAL_FOR_PROTO2_CONFIG, true, 'Whether proto2 optionals are supported'))
  .define(bool(WRAPPER_FOR_NULLABLES_CONFIG, false, 'Whether nullable fields should use primitive wrapper messages'))
  .define(bool(WRAPPER_FOR_RAW_PRIMITIVES_CONFIG, true, 'Whether a wrapper message should be interpreted as a raw primitive at the root level'))
  .define(bool(GENERATE_STRUCT_FOR_NULLS_CONFIG, false, 'Whether to generate a default struct for null messages'))
  .define(bool(GENERATE_INDEX_FOR_UNIONS_CONFIG, true, 'Whether to suffix union names with an underscore followed by an index', 'low'))
  .define(bool(FLATTEN_UNIONS_CONFIG, false, 'Whether to flatten unions (oneofs)', 'low'))
  .define(bool(GENERALIZED_SUM_TYPE_SUPPORT_CONFIG, false, 'Toggle for enabling/disabling generalized sum type support: interoperability of enum/union with other schema formats'))
  .define(bool(IGNORE_DEFAULT_FOR_NULLABLES_CONFIG, false, 'Whether to ignore the default for nullable fields when the value is null'))
  .define({ name: SCHEMAS_CACHE_SIZE_CONFIG, type: 'int', default: 1000, importance: 'low', documentation: 'Size of the converted schemas cache' })
  .define(bool(SKIP_KNOWN_TYPES_CONFIG, true, 'Whether to skip known types when resolving schema dependencies: known imports (google/protobuf/*, google/type/*, confluent/*) are not registered as references', 'low'))
  .define({
    name: REFERENCE_SUBJECT_NAME_STRATEGY_CONFIG,
    type: 'class',
    default: DEFAULT_REFERENCE_SUBJECT_NAME_STRATEGY,
    importance: 'low',
    validator: onlyDefaultStrategy,
    documentation: 'Determines how to construct the subject name for referenced schemas. Only the default (the reference name is the subject) is supported.'
  })

/**
 * Keys Confluent's Protobuf converter passes to its serializer and deserializer that only apply to Java objects or
 * to behaviour not implemented here: refused, never ignored in silence.
 */
export const PROTOBUF_UNSUPPORTED_KEYS: ReadonlyMap<string, string> = new Map([
  ['specific.protobuf.key.type', 'generated Java classes do not exist here; Connect data is read as dynamic messages'],
  ['specific.protobuf.value.type', 'generated Java classes do not exist here; Connect data is read as dynamic messages'],
  ['derive.type', 'generated Java classes (java_outer_classname) do not exist here; Connect data is read as dynamic messages'],
  ['reference.lookup.only', 'referenced files are registered (or looked up) as auto.register.schemas says, like the schema itself']
])

/** What the Protobuf mapping reads from its settings. */
export interface ProtobufDataOptions {
  readonly enhancedSchemaSupport: boolean
  readonly scrubInvalidNames: boolean
  readonly intForEnums: boolean
  readonly optionalForNullables: boolean
  readonly optionalForProto2: boolean
  readonly wrapperForNullables: boolean
  readonly wrapperForRawPrimitives: boolean
  readonly generateStructForNulls: boolean
  readonly generateIndexForUnions: boolean
  readonly flattenUnions: boolean
  readonly generalizedSumTypeSupport: boolean
  readonly ignoreDefaultForNullables: boolean
  readonly skipKnownTypes: boolean
  /** Bounded as Confluent's schemaCacheSize(): at least 1. */
  readonly cacheSize: number
}

export const DEFAULT_PROTOBUF_DATA_OPTIONS: ProtobufDataOptions = Object.freeze({
  enhancedSchemaSupport: false,
  scrubInvalidNames: false,
  intForEnums: false,
  optionalForNullables: false,
  optionalForProto2: true,
  wrapperForNullables: false,
  wrapperForRawPrimitives: true,
  generateStructForNulls: false,
  generateIndexForUnions: true,
  flattenUnions: false,
  generalizedSumTypeSupport: false,
  ignoreDefaultForNullables: false,
  skipKnownTypes: true,
  cacheSize: 1000
})

export function protobufDataOptions (config: ParsedConfig): ProtobufDataOptions {
  return {
    enhancedSchemaSupport: config.boolean(ENHANCED_PROTOBUF_SCHEMA_SUPPORT_CONFIG),
    scrubInvalidNames: config.boolean(SCRUB_INVALID_NAMES_CONFIG),
    intForEnums: config.boolean(INT_FOR_ENUMS_CONFIG),
    optionalForNullables: config.boolean(OPTIONAL_FOR_NULLABLES_CONFIG),
    optionalForProto2: config.boolean(OPTIONAL_FOR_PROTO2_CONFIG),
    wrapperForNullables: config.boolean(WRAPPER_FOR_NULLABLES_CONFIG),
    wrapperForRawPrimitives: config.boolean(WRAPPER_FOR_RAW_PRIMITIVES_CONFIG),
    generateStructForNulls: config.boolean(GENERATE_STRUCT_FOR_NULLS_CONFIG),
    generateIndexForUnions: config.boolean(GENERATE_INDEX_FOR_UNIONS_CONFIG),
    flattenUnions: config.boolean(FLATTEN_UNIONS_CONFIG),
    generalizedSumTypeSupport: config.boolean(GENERALIZED_SUM_TYPE_SUPPORT_CONFIG),
    ignoreDefaultForNullables: config.boolean(IGNORE_DEFAULT_FOR_NULLABLES_CONFIG),
    skipKnownTypes: config.boolean(SKIP_KNOWN_TYPES_CONFIG),
    cacheSize: Math.max(1, config.int(SCHEMAS_CACHE_SIZE_CONFIG))
  }
}
