/**
 * ValueToKey (Kafka's ValueToKey): replaces the record key with a Struct (or Map) of fields copied from the value.
 */
import { ConfigDef, DataError, SchemaBuilder, Struct, ValidList, newRecord, plugin } from '../api/index.ts'
import type { AnyRecord, Schema, Transformation } from '../api/index.ts'
import { REPLACE_NULL_WITH_DEFAULT_CONFIG, REPLACE_NULL_WITH_DEFAULT_KEY, SchemaCache, fieldValue, parseConfig } from './util/common.ts'
import { asJavaHashMap, mapGet, requireMap, requireStruct } from './util/requires.ts'

const PURPOSE = 'copying fields from value to key'

export const VALUE_TO_KEY_CONFIG_DEF = new ConfigDef()
  .define({ name: 'fields', type: 'list', validator: ValidList.anyNonDuplicateValues(false, false), importance: 'high', documentation: 'Field names on the record value to extract as the record key.' })
  .define(REPLACE_NULL_WITH_DEFAULT_KEY)

export class ValueToKey implements Transformation {
  readonly kind = 'transformation' as const
  #fields: string[] = []
  #replaceNullWithDefault = true
  #cache = new SchemaCache()

  configure (configs: Readonly<Record<string, string>>): void {
    const config = parseConfig(VALUE_TO_KEY_CONFIG_DEF, configs)
    this.#fields = config.list('fields')
    this.#replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT_CONFIG)
    this.#cache = new SchemaCache()
  }

  apply<R extends AnyRecord> (record: R): R {
    if (!record.valueSchema) {
      const value = requireMap(record.value, PURPOSE)
      const key = new Map<unknown, unknown>()
      for (const field of this.#fields) key.set(field, mapGet(value, field))
      // Kafka sizes the key map for the fields: new HashMap<>(fields.size()), whose table can be smaller than 16.
      return newRecord<AnyRecord>(record, { keySchema: null, key: asJavaHashMap(key, { kind: 'capacity', initialCapacity: this.#fields.length }) }) as R
    }
    const value = requireStruct(record.value, PURPOSE, record.valueSchema)
    let keySchema = this.#cache.get(value.schema)
    if (!keySchema) {
      keySchema = this.#keySchema(value.schema)
      this.#cache.set(value.schema, keySchema)
    }
    const key = new Struct(keySchema)
    for (const field of this.#fields) key.put(field, fieldValue(value, field, this.#replaceNullWithDefault))
    return newRecord<AnyRecord>(record, { keySchema, key }) as R
  }

  #keySchema (valueSchema: Schema): Schema {
    const builder = SchemaBuilder.struct()
    // Kafka 4.x builds the key schema from the distinct field names: a repeated name yields one key field.
    for (const name of new Set(this.#fields)) {
      const field = valueSchema.fields?.find(f => f.name === name)
      if (!field) throw new DataError(`Field does not exist: ${name}`)
      builder.field(name, field.schema)
    }
    return builder.build()
  }

  config (): ConfigDef { return VALUE_TO_KEY_CONFIG_DEF }
  close (): void {}
}

export const descriptors = [
  plugin({ kind: 'transformation', className: 'org.apache.kafka.connect.transforms.ValueToKey', version: '4.3.1', create: () => new ValueToKey() })
]
