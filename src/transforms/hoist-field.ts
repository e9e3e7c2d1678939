/**
 * HoistField (Kafka's HoistField$Key / $Value): wraps the whole key or value in a single-field Struct (schema'd) or
 * Map (schemaless).
 */
import { ConfigDef, SchemaBuilder, Struct } from '../api/index.ts'
import type { AnyRecord, Transformation } from '../api/index.ts'
import { SchemaCache, operatingSchema, operatingValue, parseConfig, withOperating, keyValueDescriptors } from './util/common.ts'
import type { Side } from './util/common.ts'

const FIELD_CONFIG = 'field'

export const HOIST_FIELD_CONFIG_DEF = new ConfigDef()
  .define({ name: FIELD_CONFIG, type: 'string', importance: 'medium', documentation: 'Field name for the single field that will be created in the resulting Struct or Map.' })

abstract class HoistField implements Transformation {
  readonly kind = 'transformation' as const
  protected abstract readonly side: Side
  #field = ''
  #cache = new SchemaCache()

  configure (configs: Readonly<Record<string, string>>): void {
    this.#field = parseConfig(HOIST_FIELD_CONFIG_DEF, configs).string(FIELD_CONFIG) ?? ''
    this.#cache = new SchemaCache()
  }

  apply<R extends AnyRecord> (record: R): R {
    const schema = operatingSchema(record, this.side)
    const value = operatingValue(record, this.side)
    if (!schema) return withOperating(record, this.side, null, new Map([[this.#field, value]]))
    let updated = this.#cache.get(schema)
    if (!updated) {
      updated = SchemaBuilder.struct().field(this.#field, schema).build()
      this.#cache.set(schema, updated)
    }
    return withOperating(record, this.side, updated, new Struct(updated).put(this.#field, value))
  }

  config (): ConfigDef { return HOIST_FIELD_CONFIG_DEF }
  close (): void {}
}

export class HoistFieldKey extends HoistField { protected readonly side = 'key' as const }
export class HoistFieldValue extends HoistField { protected readonly side = 'value' as const }

export const descriptors = keyValueDescriptors('HoistField', HoistFieldKey, HoistFieldValue)

