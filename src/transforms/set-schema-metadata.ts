/**
 * SetSchemaMetadata (Kafka's SetSchemaMetadata$Key / $Value): overrides the name and/or version of the key or value
 * schema, re-creating Struct values against the new schema.
 */
import { ConfigDef, ConfigError, DataError, Struct } from '../api/index.ts'
import type { AnyRecord, Schema, Transformation } from '../api/index.ts'
import { REPLACE_NULL_WITH_DEFAULT_CONFIG, REPLACE_NULL_WITH_DEFAULT_KEY, fieldValue, operatingSchema, operatingValue, parseConfig, withOperating, keyValueDescriptors } from './util/common.ts'
import type { Side } from './util/common.ts'

export const SET_SCHEMA_METADATA_CONFIG_DEF = new ConfigDef()
  .define({ name: 'schema.name', type: 'string', default: null, importance: 'high', documentation: 'Schema name to set.' })
  .define({ name: 'schema.version', type: 'int', default: null, importance: 'high', documentation: 'Schema version to set.' })
  .define(REPLACE_NULL_WITH_DEFAULT_KEY)

abstract class SetSchemaMetadata implements Transformation {
  readonly kind = 'transformation' as const
  protected abstract readonly side: Side
  #name: string | null = null
  #version: number | null = null
  #replaceNullWithDefault = true

  configure (configs: Readonly<Record<string, string>>): void {
    const config = parseConfig(SET_SCHEMA_METADATA_CONFIG_DEF, configs)
    this.#name = config.string('schema.name')
    const version = config.string('schema.version')
    this.#version = version === null ? null : config.int('schema.version')
    this.#replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT_CONFIG)
    if (this.#name === null && this.#version === null) throw new ConfigError('Neither schema name nor version configured')
  }

  apply<R extends AnyRecord> (record: R): R {
    const schema = operatingSchema(record, this.side)
    const value = operatingValue(record, this.side)
    if (!schema) {
      if (value === null || value === undefined) return record
      throw new DataError('Schema required for [updating schema metadata]')
    }
    // Kafka copies schema.fields() unconditionally, so every non-struct schema fails here.
    if (schema.type !== 'struct') throw new DataError('Cannot list fields on non-struct type')
    const updatedSchema: Schema = Object.freeze({
      ...schema,
      name: this.#name ?? schema.name,
      version: this.#version ?? schema.version
    })
    let updatedValue = value
    if (value instanceof Struct) {
      const struct = new Struct(updatedSchema)
      for (const field of updatedSchema.fields ?? []) struct.put(field.name, fieldValue(value, field.name, this.#replaceNullWithDefault))
      updatedValue = struct
    }
    return withOperating(record, this.side, updatedSchema, updatedValue)
  }

  config (): ConfigDef { return SET_SCHEMA_METADATA_CONFIG_DEF }
  close (): void {}
}

export class SetSchemaMetadataKey extends SetSchemaMetadata { protected readonly side = 'key' as const }
export class SetSchemaMetadataValue extends SetSchemaMetadata { protected readonly side = 'value' as const }

export const descriptors = keyValueDescriptors('SetSchemaMetadata', SetSchemaMetadataKey, SetSchemaMetadataValue)
