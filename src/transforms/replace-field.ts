/**
 * ReplaceField (Kafka's ReplaceField$Key / $Value): keeps, drops and renames top-level fields.
 */
import { ConfigDef, ConfigError, SchemaBuilder, Struct, ValidList } from '../api/index.ts'
import type { AnyRecord, Schema, Transformation, Validator } from '../api/index.ts'
import {
  REPLACE_NULL_WITH_DEFAULT_CONFIG, REPLACE_NULL_WITH_DEFAULT_KEY, SchemaCache, copySchemaBasics, fieldValue, operatingSchema,
  operatingValue, parseConfig, withOperating, keyValueDescriptors } from './util/common.ts'
import type { Side } from './util/common.ts'
import { asJavaHashMap, mapSize, mapEntries, requireMap, requireStruct } from './util/requires.ts'

const PURPOSE = 'field replacement'

/** Java's String.split(":"): trailing empty strings are dropped, so "a:" is one part. */
export function javaSplitColon (s: string): string[] {
  const parts = s.split(':')
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop()
  if (parts.length === 1 && parts[0] === '' && s.length > 0) return []
  return parts
}

/** Kafka's renames validator; its message shows the whole list the way Java prints a List. */
export const COLON_PAIRS_VALIDATOR: Validator = {
  ensureValid (name, value) {
    if (!Array.isArray(value)) return
    for (const item of value) {
      if (javaSplitColon(item).length !== 2) {
        throw new ConfigError(`Invalid value [${value.join(', ')}] for configuration ${name}: Invalid rename mapping: ${item}`)
      }
    }
  },
  toString () { return 'list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>' }
}

export const REPLACE_FIELD_CONFIG_DEF = new ConfigDef()
  .define({ name: 'exclude', type: 'list', default: [], validator: ValidList.anyNonDuplicateValues(true, false), importance: 'medium', documentation: 'Fields to exclude. This takes precedence over the fields to include.' })
  .define({ name: 'include', type: 'list', default: [], validator: ValidList.anyNonDuplicateValues(true, false), importance: 'medium', documentation: 'Fields to include. If specified, only these fields will be used.' })
  .define({ name: 'renames', type: 'list', default: [], validator: COLON_PAIRS_VALIDATOR, importance: 'medium', documentation: 'Field rename mappings.' })
  .define(REPLACE_NULL_WITH_DEFAULT_KEY)

abstract class ReplaceField implements Transformation {
  readonly kind = 'transformation' as const
  protected abstract readonly side: Side
  #exclude = new Set<string>()
  #include = new Set<string>()
  #renames = new Map<string, string>()
  #reverseRenames = new Map<string, string>()
  #replaceNullWithDefault = true
  #cache = new SchemaCache()

  configure (configs: Readonly<Record<string, string>>): void {
    const config = parseConfig(REPLACE_FIELD_CONFIG_DEF, configs)
    this.#exclude = new Set(config.list('exclude'))
    this.#include = new Set(config.list('include'))
    this.#renames = new Map()
    this.#reverseRenames = new Map()
    for (const item of config.list('renames')) {
      const [from, to] = javaSplitColon(item) as [string, string]
      this.#renames.set(from, to)
      this.#reverseRenames.set(to, from)
    }
    this.#replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT_CONFIG)
    this.#cache = new SchemaCache()
  }

  #keep (name: string): boolean {
    return !this.#exclude.has(name) && (this.#include.size === 0 || this.#include.has(name))
  }

  #renamed (name: string): string { return this.#renames.get(name) ?? name }
  #reverseRenamed (name: string): string { return this.#reverseRenames.get(name) ?? name }

  apply<R extends AnyRecord> (record: R): R {
    const value = operatingValue(record, this.side)
    if (value === null || value === undefined) return record
    const schema = operatingSchema(record, this.side)
    if (!schema) {
      const original = requireMap(value, PURPOSE)
      const updated = new Map<unknown, unknown>()
      for (const [k, v] of mapEntries(original)) {
        if (this.#keep(String(k))) updated.set(this.#renamed(String(k)), v)
      }
      return withOperating(record, this.side, null, asJavaHashMap(updated, { kind: 'capacity', initialCapacity: mapSize(original) }))
    }
    const struct = requireStruct(value, PURPOSE, schema)
    let updatedSchema = this.#cache.get(struct.schema)
    if (!updatedSchema) {
      updatedSchema = this.#makeUpdatedSchema(struct.schema)
      this.#cache.set(struct.schema, updatedSchema)
    }
    const updated = new Struct(updatedSchema)
    for (const field of updatedSchema.fields ?? []) {
      updated.put(field.name, fieldValue(struct, this.#reverseRenamed(field.name), this.#replaceNullWithDefault))
    }
    return withOperating(record, this.side, updatedSchema, updated)
  }

  #makeUpdatedSchema (schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct())
    for (const field of schema.fields ?? []) if (this.#keep(field.name)) builder.field(this.#renamed(field.name), field.schema)
    return builder.build()
  }

  config (): ConfigDef { return REPLACE_FIELD_CONFIG_DEF }
  close (): void {}
}

export class ReplaceFieldKey extends ReplaceField { protected readonly side = 'key' as const }
export class ReplaceFieldValue extends ReplaceField { protected readonly side = 'value' as const }

export const descriptors = keyValueDescriptors('ReplaceField', ReplaceFieldKey, ReplaceFieldValue)
