/**
 * Pieces shared by the field SMTs: the $Key/$Value split, Kafka's common config keys and validators, and
 * SchemaUtil.copySchemaBasics.
 */
import { ConfigError, SchemaBuilder, newRecord, plugin } from '../../api/index.ts'
import type { AnyRecord, ConfigDef, ConfigKeyDef, ParsedConfig, PluginDescriptor, Schema, Struct, Transformation, Validator } from '../../api/index.ts'

export type Side = 'key' | 'value'

export function operatingSchema (record: AnyRecord, side: Side): Schema | null {
  return side === 'key' ? record.keySchema : record.valueSchema
}

export function operatingValue (record: AnyRecord, side: Side): unknown {
  return side === 'key' ? record.key : record.value
}

/** Kafka's $Key/$Value newRecord: only the operated-on half changes. */
export function withOperating<R extends AnyRecord> (record: R, side: Side, schema: Schema | null, value: unknown): R {
  // The cast is safe: both record kinds carry key/value and their schemas; newRecord keeps `kind`.
  const patch = side === 'key' ? { keySchema: schema, key: value } : { valueSchema: schema, value }
  return newRecord(record as AnyRecord, patch) as R
}

export const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default'

export const REPLACE_NULL_WITH_DEFAULT_KEY: ConfigKeyDef = {
  name: REPLACE_NULL_WITH_DEFAULT_CONFIG,
  type: 'boolean',
  default: true,
  importance: 'medium',
  documentation: 'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.'
}

/** Kafka's ConfigDef.NonEmptyList: its message does not use the usual "Invalid value" prefix. */
export const NonEmptyList: Validator = {
  ensureValid (name, value) {
    if (Array.isArray(value) && value.length === 0) {
      throw new ConfigError(`Configuration '${name}' must not be empty. Valid values include: any non-empty value`)
    }
  },
  toString () { return '' }
}

/** Parses with a ConfigDef and rethrows Kafka's single-problem message without our context decoration. */
export function parseConfig (def: ConfigDef, props: Readonly<Record<string, string>>): ParsedConfig {
  try {
    return def.parse(props)
  } catch (err) {
    if (err instanceof ConfigError && err.problems.length > 0) throw new ConfigError(err.problems[0]!, { problems: err.problems })
    throw err
  }
}

/** Kafka's SchemaUtil.copySchemaBasics: name, version, doc and parameters; never optional or default. */
export function copySchemaBasics (source: Schema, builder: SchemaBuilder = new SchemaBuilder(source.type)): SchemaBuilder {
  if (source.name !== undefined) builder.name(source.name)
  if (source.version !== undefined) builder.version(source.version)
  if (source.doc !== undefined) builder.doc(source.doc)
  if (source.parameters) builder.parameters(source.parameters)
  return builder
}

/** struct.get or struct.getWithoutDefault, per replace.null.with.default. */
export function fieldValue (struct: Struct, name: string, replaceNullWithDefault: boolean): unknown {
  return replaceNullWithDefault ? struct.get(name) : struct.getWithoutDefault(name)
}

/** Kafka's small per-instance schema cache (perf only): keyed by the input schema object. */
export class SchemaCache {
  #map = new WeakMap<Schema, Schema>()
  get (schema: Schema): Schema | undefined { return this.#map.get(schema) }
  set (schema: Schema, updated: Schema): void { this.#map.set(schema, updated) }
}

/** The `$Key` and `$Value` plugin descriptors of a transformation that comes in both variants (Kafka's nested classes). */
export function keyValueDescriptors (simpleName: string, Key: new () => Transformation, Value: new () => Transformation): Array<PluginDescriptor<'transformation'>> {
  const className = `org.apache.kafka.connect.transforms.${simpleName}`
  return [
    plugin({ kind: 'transformation', className: `${className}$Key`, version: '4.3.1', create: () => new Key() }),
    plugin({ kind: 'transformation', className: `${className}$Value`, version: '4.3.1', create: () => new Value() })
  ]
}
