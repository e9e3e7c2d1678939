/**
 * The JSON Schema format's own keys: Confluent's JsonSchemaDataConfig (with AbstractDataConfig's) and the keys its
 * JSON Schema serializer and deserializer read, which JsonSchemaConverter passes them the same properties. Keys that
 * only shape Java classes (schemas derived from POJOs, typed deserialization) have no effect in a converter, there as
 * here: they are accepted and documented as such. A value we cannot honour is refused by the key's validator, with the
 * reason, so /config/validate and start-up say why instead of ignoring it.
 */
import { ConfigDef, ConfigError, ValidString, invalidValueMessage, type ConfigValueType, type ParsedConfig, type Validator } from '../../../api/index.ts'

// AbstractDataConfig
export const GENERALIZED_SUM_TYPE_SUPPORT_CONFIG = 'generalized.sum.type.support'
export const IGNORE_DEFAULT_FOR_NULLABLES_CONFIG = 'ignore.default.for.nullables'
export const SCHEMAS_CACHE_SIZE_CONFIG = 'schemas.cache.config'
export const SCHEMAS_CACHE_SIZE_DEFAULT = 1000
// JsonSchemaDataConfig
export const OBJECT_ADDITIONAL_PROPERTIES_CONFIG = 'object.additional.properties'
export const USE_OPTIONAL_FOR_NON_REQUIRED_CONFIG = 'use.optional.for.nonrequired'
export const IGNORE_MODERN_DIALECTS_CONFIG = 'ignore.modern.dialects'
export const DECIMAL_FORMAT_CONFIG = 'decimal.format'
export const FLATTEN_SINGLETON_UNIONS_CONFIG = 'flatten.singleton.unions'
export const PRESERVE_ADDITIONAL_PROPERTIES_CONFIG = 'preserve.additional.properties'
// KafkaJsonSchemaSerializerConfig / KafkaJsonSchemaDeserializerConfig
export const FAIL_INVALID_SCHEMA_CONFIG = 'json.fail.invalid.schema'
export const FAIL_UNKNOWN_PROPERTIES_CONFIG = 'json.fail.unknown.properties'
export const VALIDATE_BEFORE_DOMAIN_RULES_CONFIG = 'json.validate.before.domain.rules'
export const WRITE_DATES_AS_ISO8601_CONFIG = 'json.write.dates.iso8601'
export const SCHEMA_SPEC_VERSION_CONFIG = 'json.schema.spec.version'
export const SCHEMA_SCAN_PACKAGES_CONFIG = 'json.schema.scan.packages'
export const JSON_ENVELOPE_DETECTION_CONFIG = 'json.envelope.detection'
export const ONEOF_FOR_NULLABLES_CONFIG = 'json.oneof.for.nullables'
export const DEFAULT_PROPERTY_INCLUSION_CONFIG = 'json.default.property.inclusion'
export const JSON_INDENT_OUTPUT_CONFIG = 'json.indent.output'
export const VALIDATION_RULES_EXECUTION_CONFIG = 'validation.rules.execution'
export const JSON_KEY_TYPE_CONFIG = 'json.key.type'
export const JSON_VALUE_TYPE_CONFIG = 'json.value.type'
export const TYPE_PROPERTY_CONFIG = 'type.property'
export const TYPE_ALLOWED_PACKAGES_CONFIG = 'json.type.allowed.packages'

/** A key whose non-default values we refuse, and why. */
interface UnsupportedKey {
  readonly reason: string
  /** Whether a raw value is one we can honour (the default's meaning). */
  readonly accepts: (raw: string) => boolean
}

const isFalse = (raw: string): boolean => raw.trim().toLowerCase() === 'false'

const UNSUPPORTED: ReadonlyMap<string, UnsupportedKey> = new Map([
  [PRESERVE_ADDITIONAL_PROPERTIES_CONFIG, {
    reason: 'keeping undeclared properties needs Confluent\'s Variant logical type (io.confluent.connect.schema.ConnectVariant), which this runtime\'s data model does not have',
    accepts: isFalse
  }],
  [VALIDATION_RULES_EXECUTION_CONFIG, {
    reason: 'inline validation (CHECK) rules of data contracts are not supported',
    accepts: (raw: string) => raw.trim().toUpperCase() === 'DISABLED'
  }]
])

/**
 * Keys refused unless set to their default (false, DISABLED), with the reason. They are in the format's ConfigDef,
 * whose validators refuse them; the map is for the converter's documentation and its own checks.
 */
export const JSON_SCHEMA_UNSUPPORTED_KEYS: ReadonlyMap<string, string> = new Map([...UNSUPPORTED].map(([k, v]) => [k, v.reason]))

function refuseUnless (entry: UnsupportedKey, inner?: Validator): Validator {
  return {
    ensureValid (name: string, value: ConfigValueType) {
      inner?.ensureValid(name, value)
      if (value !== null && !entry.accepts(String(value))) {
        throw new ConfigError(invalidValueMessage(name, value, `not supported: ${entry.reason}`))
      }
    },
    toString: () => inner?.toString() ?? ''
  }
}

const unsupported = (key: string): UnsupportedKey => UNSUPPORTED.get(key)!

/** Documents keys that only affect Java classes, so have no effect in a converter (Confluent's included). */
const NO_EFFECT = ' No effect in a converter, which reads and writes JSON trees (as in Confluent\'s JsonSchemaConverter).'

export const JSON_SCHEMA_CONFIG_DEF: ConfigDef = new ConfigDef()
  .define({ name: GENERALIZED_SUM_TYPE_SUPPORT_CONFIG, type: 'boolean', default: false, importance: 'medium', documentation: 'Toggle for enabling/disabling generalized sum type support: interoperability of enum/union with other schema formats' })
  .define({ name: IGNORE_DEFAULT_FOR_NULLABLES_CONFIG, type: 'boolean', default: false, importance: 'medium', documentation: 'Whether to ignore the default for nullable fields when the value is null' })
  .define({ name: SCHEMAS_CACHE_SIZE_CONFIG, type: 'int', default: SCHEMAS_CACHE_SIZE_DEFAULT, importance: 'low', documentation: 'Size of the converted schemas cache' })
  .define({ name: OBJECT_ADDITIONAL_PROPERTIES_CONFIG, type: 'boolean', default: true, importance: 'medium', documentation: 'Whether to allow additional properties for object schemas.' })
  .define({ name: USE_OPTIONAL_FOR_NON_REQUIRED_CONFIG, type: 'boolean', default: false, importance: 'medium', documentation: 'Whether to set non-required properties to be optional.' })
  .define({ name: IGNORE_MODERN_DIALECTS_CONFIG, type: 'boolean', default: false, importance: 'low', documentation: 'Whether to ignore modern dialects of JSON Schema after draft 7, in which case draft 7 will be used.' })
  .define({
    name: DECIMAL_FORMAT_CONFIG,
    type: 'string',
    default: 'BASE64',
    validator: ValidString.inCaseInsensitive('BASE64', 'NUMERIC'),
    importance: 'low',
    documentation: 'Controls which format this converter will serialize decimals in. This value is case insensitive and can be either \'BASE64\' (default) or \'NUMERIC\''
  })
  .define({ name: FLATTEN_SINGLETON_UNIONS_CONFIG, type: 'boolean', default: true, importance: 'low', documentation: 'Whether to flatten singleton unions' })
  .define({
    name: PRESERVE_ADDITIONAL_PROPERTIES_CONFIG,
    type: 'boolean',
    default: false,
    validator: refuseUnless(unsupported(PRESERVE_ADDITIONAL_PROPERTIES_CONFIG)),
    importance: 'medium',
    documentation: 'When true, Confluent\'s converter preserves undeclared JSON properties permitted by the schema. Only false is supported here.'
  })
  .define({ name: FAIL_INVALID_SCHEMA_CONFIG, type: 'boolean', default: false, importance: 'medium', documentation: 'Whether to fail serialization (and deserialization) if the payload does not match the schema' })
  .define({ name: FAIL_UNKNOWN_PROPERTIES_CONFIG, type: 'boolean', default: true, importance: 'low', documentation: 'Whether to fail if unknown JSON properties are encountered when binding Java classes.' + NO_EFFECT })
  .define({ name: VALIDATE_BEFORE_DOMAIN_RULES_CONFIG, type: 'boolean', default: false, importance: 'low', documentation: 'Whether to validate the JSON message against the schema before running domain rules instead of after. Without rules the order makes no difference.' })
  .define({ name: WRITE_DATES_AS_ISO8601_CONFIG, type: 'boolean', default: false, importance: 'medium', documentation: 'Whether to write Java dates as ISO 8601 strings.' + NO_EFFECT + ' Connect\'s Date, Time and Timestamp are written as numbers.' })
  .define({
    name: SCHEMA_SPEC_VERSION_CONFIG,
    type: 'string',
    default: 'draft_7',
    validator: ValidString.inCaseInsensitive('draft_4', 'draft_6', 'draft_7', 'draft_2019_09', 'draft_2020_12'),
    importance: 'medium',
    documentation: 'The specification version for JSON schemas derived from Java objects.' + NO_EFFECT + ' Schemas from Connect schemas carry no $schema and are read as draft 7.'
  })
  .define({ name: SCHEMA_SCAN_PACKAGES_CONFIG, type: 'list', default: '', importance: 'low', documentation: 'Packages to scan for Jackson annotations when deriving schemas from objects.' + NO_EFFECT })
  .define({ name: JSON_ENVELOPE_DETECTION_CONFIG, type: 'boolean', default: true, importance: 'low', documentation: 'Whether the serializer detects a schema/payload envelope in the object it is given.' + NO_EFFECT })
  .define({ name: ONEOF_FOR_NULLABLES_CONFIG, type: 'boolean', default: true, importance: 'medium', documentation: 'Whether JSON schemas derived from Java objects use oneOf for nullable fields.' + NO_EFFECT + ' Optional Connect fields are always oneOf [null, T].' })
  .define({ name: DEFAULT_PROPERTY_INCLUSION_CONFIG, type: 'string', default: null, importance: 'medium', documentation: 'Jackson\'s property inclusion for Java objects.' + NO_EFFECT })
  .define({ name: JSON_INDENT_OUTPUT_CONFIG, type: 'boolean', default: false, importance: 'low', documentation: 'Whether JSON output should be indented ("pretty-printed"), as Jackson\'s default pretty printer does' })
  .define({
    name: VALIDATION_RULES_EXECUTION_CONFIG,
    type: 'string',
    default: 'DISABLED',
    validator: refuseUnless(unsupported(VALIDATION_RULES_EXECUTION_CONFIG), ValidString.inCaseInsensitive('DISABLED', 'BEFORE_DOMAIN_RULES', 'AFTER_DOMAIN_RULES')),
    importance: 'medium',
    documentation: 'When to execute inline validation (CHECK constraint) rules attached to the schema. Only DISABLED is supported here.'
  })
  .define({ name: JSON_KEY_TYPE_CONFIG, type: 'class', default: 'java.lang.Object', importance: 'medium', documentation: 'Classname of the type that the message key should be deserialized to.' + NO_EFFECT })
  .define({ name: JSON_VALUE_TYPE_CONFIG, type: 'class', default: 'java.lang.Object', importance: 'medium', documentation: 'Classname of the type that the message value should be deserialized to.' + NO_EFFECT })
  .define({ name: TYPE_PROPERTY_CONFIG, type: 'string', default: 'javaType', importance: 'medium', documentation: 'Property on the JSON Schema that contains the fully-qualified classname.' + NO_EFFECT })
  .define({ name: TYPE_ALLOWED_PACKAGES_CONFIG, type: 'list', default: '*', importance: 'medium', documentation: 'Package prefixes whose classes may be resolved from the schema\'s javaType property.' + NO_EFFECT })

export type DecimalFormat = 'BASE64' | 'NUMERIC'

/** The settings the format reads, parsed once. */
export interface JsonSchemaSettings {
  readonly generalizedSumTypeSupport: boolean
  readonly ignoreDefaultForNullables: boolean
  readonly schemaCacheSize: number
  readonly allowAdditionalProperties: boolean
  readonly useOptionalForNonRequired: boolean
  readonly ignoreModernDialects: boolean
  readonly decimalFormat: DecimalFormat
  readonly flattenSingletonUnions: boolean
  readonly failInvalidSchema: boolean
  readonly indentOutput: boolean
}

export const DEFAULT_SETTINGS: JsonSchemaSettings = Object.freeze({
  generalizedSumTypeSupport: false,
  ignoreDefaultForNullables: false,
  schemaCacheSize: SCHEMAS_CACHE_SIZE_DEFAULT,
  allowAdditionalProperties: true,
  useOptionalForNonRequired: false,
  ignoreModernDialects: false,
  decimalFormat: 'BASE64',
  flattenSingletonUnions: true,
  failInvalidSchema: false,
  indentOutput: false
})

export function jsonSchemaSettings (config: ParsedConfig): JsonSchemaSettings {
  return Object.freeze({
    generalizedSumTypeSupport: config.boolean(GENERALIZED_SUM_TYPE_SUPPORT_CONFIG),
    ignoreDefaultForNullables: config.boolean(IGNORE_DEFAULT_FOR_NULLABLES_CONFIG),
    // AbstractDataConfig.schemaCacheSize: at least 1.
    schemaCacheSize: Math.max(1, config.int(SCHEMAS_CACHE_SIZE_CONFIG)),
    allowAdditionalProperties: config.boolean(OBJECT_ADDITIONAL_PROPERTIES_CONFIG),
    useOptionalForNonRequired: config.boolean(USE_OPTIONAL_FOR_NON_REQUIRED_CONFIG),
    ignoreModernDialects: config.boolean(IGNORE_MODERN_DIALECTS_CONFIG),
    decimalFormat: (config.string(DECIMAL_FORMAT_CONFIG) ?? 'BASE64').toUpperCase() as DecimalFormat,
    flattenSingletonUnions: config.boolean(FLATTEN_SINGLETON_UNIONS_CONFIG),
    failInvalidSchema: config.boolean(FAIL_INVALID_SCHEMA_CONFIG),
    indentOutput: config.boolean(JSON_INDENT_OUTPUT_CONFIG)
  })
}
