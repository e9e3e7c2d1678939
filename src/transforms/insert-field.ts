/**
 * InsertField (Kafka's InsertField$Key / $Value): adds the record's topic, partition, offset (sink only), timestamp
 * and/or a static string to the key or value.
 */
import { ConfigDef, ConfigError, ConnectTimestamp, SchemaBuilder, Schemas, Struct } from '../api/index.ts'
import type { AnyRecord, Schema, Transformation } from '../api/index.ts'
import {
  REPLACE_NULL_WITH_DEFAULT_CONFIG, REPLACE_NULL_WITH_DEFAULT_KEY, SchemaCache, copySchemaBasics, fieldValue, operatingSchema,
  operatingValue, parseConfig, withOperating, keyValueDescriptors } from './util/common.ts'
import type { Side } from './util/common.ts'
import { asJavaHashMap, mapSize, requireMap, requireSinkRecord, requireStruct, toMap } from './util/requires.ts'

const PURPOSE = 'field insertion'
const OPTIONALITY_DOC = 'Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).'

export const INSERT_FIELD_CONFIG_DEF = new ConfigDef()
  .define({ name: 'topic.field', type: 'string', default: null, importance: 'medium', documentation: `Field name for Kafka topic. ${OPTIONALITY_DOC}` })
  .define({ name: 'partition.field', type: 'string', default: null, importance: 'medium', documentation: `Field name for Kafka partition. ${OPTIONALITY_DOC}` })
  .define({ name: 'offset.field', type: 'string', default: null, importance: 'medium', documentation: `Field name for Kafka offset - only applicable to sink connectors.<br/>${OPTIONALITY_DOC}` })
  .define({ name: 'timestamp.field', type: 'string', default: null, importance: 'medium', documentation: `Field name for record timestamp. ${OPTIONALITY_DOC}` })
  .define({ name: 'static.field', type: 'string', default: null, importance: 'medium', documentation: `Field name for static data field. ${OPTIONALITY_DOC}` })
  .define({ name: 'static.value', type: 'string', default: null, importance: 'medium', documentation: 'Static field value, if field name configured.' })
  .define(REPLACE_NULL_WITH_DEFAULT_KEY)

interface InsertionSpec { readonly name: string, readonly optional: boolean }

/** Kafka's InsertionSpec.parse: a trailing `!` makes the field required, a trailing `?` (or nothing) optional. */
function parseSpec (spec: string | null): InsertionSpec | null {
  if (spec === null) return null
  if (spec.endsWith('?')) return { name: spec.slice(0, -1), optional: true }
  if (spec.endsWith('!')) return { name: spec.slice(0, -1), optional: false }
  return { name: spec, optional: true }
}

abstract class InsertField implements Transformation {
  readonly kind = 'transformation' as const
  protected abstract readonly side: Side
  #topic: InsertionSpec | null = null
  #partition: InsertionSpec | null = null
  #offset: InsertionSpec | null = null
  #timestamp: InsertionSpec | null = null
  #static: InsertionSpec | null = null
  #staticValue: string | null = null
  #replaceNullWithDefault = true
  #cache = new SchemaCache()

  configure (configs: Readonly<Record<string, string>>): void {
    const config = parseConfig(INSERT_FIELD_CONFIG_DEF, configs)
    this.#topic = parseSpec(config.string('topic.field'))
    this.#partition = parseSpec(config.string('partition.field'))
    this.#offset = parseSpec(config.string('offset.field'))
    this.#timestamp = parseSpec(config.string('timestamp.field'))
    this.#static = parseSpec(config.string('static.field'))
    this.#staticValue = config.string('static.value')
    this.#replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT_CONFIG)
    if (this.#static && this.#staticValue === null) {
      // Kafka prints the InsertionSpec object itself, identity hash included.
      throw new ConfigError('Invalid value null for configuration static.value: No value specified for static field: ' +
        `org.apache.kafka.connect.transforms.InsertField$InsertionSpec@${(Math.random() * 0x7fffffff >>> 0).toString(16)}`)
    }
    if (!this.#topic && !this.#partition && !this.#offset && !this.#timestamp && !this.#static) {
      throw new ConfigError('No field insertion configured')
    }
    this.#cache = new SchemaCache()
  }

  apply<R extends AnyRecord> (record: R): R {
    const value = operatingValue(record, this.side)
    // Tombstones pass through untouched (KAFKA-8523).
    if (value === null || value === undefined) return record
    const schema = operatingSchema(record, this.side)
    return schema ? this.#applyWithSchema(record, schema, value) : this.#applySchemaless(record, value)
  }

  #applySchemaless<R extends AnyRecord> (record: R, value: unknown): R {
    const original = requireMap(value, PURPOSE)
    const updated = toMap(original)
    if (this.#topic) updated.set(this.#topic.name, record.topic)
    if (this.#partition && record.kafkaPartition !== null) updated.set(this.#partition.name, record.kafkaPartition)
    if (this.#offset) updated.set(this.#offset.name, requireSinkRecord(record, PURPOSE).kafkaOffset)
    if (this.#timestamp && record.timestamp !== null) updated.set(this.#timestamp.name, record.timestamp)
    if (this.#static) updated.set(this.#static.name, this.#staticValue)
    return withOperating(record, this.side, null, asJavaHashMap(updated, { kind: 'copy', sourceSize: mapSize(original) }))
  }

  #applyWithSchema<R extends AnyRecord> (record: R, schema: Schema, value: unknown): R {
    const struct = requireStruct(value, PURPOSE, schema)
    let updatedSchema = this.#cache.get(struct.schema)
    if (!updatedSchema) {
      updatedSchema = this.#makeUpdatedSchema(struct.schema)
      this.#cache.set(struct.schema, updatedSchema)
    }
    const updated = new Struct(updatedSchema)
    for (const field of struct.schema.fields ?? []) updated.put(field.name, fieldValue(struct, field.name, this.#replaceNullWithDefault))
    if (this.#topic) updated.put(this.#topic.name, record.topic)
    if (this.#partition && record.kafkaPartition !== null) updated.put(this.#partition.name, record.kafkaPartition)
    if (this.#offset) updated.put(this.#offset.name, requireSinkRecord(record, PURPOSE).kafkaOffset)
    if (this.#timestamp && record.timestamp !== null) updated.put(this.#timestamp.name, new Date(record.timestamp))
    if (this.#static) updated.put(this.#static.name, this.#staticValue)
    return withOperating(record, this.side, updatedSchema, updated)
  }

  #makeUpdatedSchema (schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct())
    for (const field of schema.fields ?? []) builder.field(field.name, field.schema)
    const add = (spec: InsertionSpec | null, required: Schema, optional: Schema): void => {
      if (spec) builder.field(spec.name, spec.optional ? optional : required)
    }
    add(this.#topic, Schemas.STRING, Schemas.OPTIONAL_STRING)
    add(this.#partition, Schemas.INT32, Schemas.OPTIONAL_INT32)
    add(this.#offset, Schemas.INT64, Schemas.OPTIONAL_INT64)
    add(this.#timestamp, ConnectTimestamp.SCHEMA, ConnectTimestamp.builder().optional().build())
    add(this.#static, Schemas.STRING, Schemas.OPTIONAL_STRING)
    return builder.build()
  }

  config (): ConfigDef { return INSERT_FIELD_CONFIG_DEF }
  close (): void {}
}

export class InsertFieldKey extends InsertField { protected readonly side = 'key' as const }
export class InsertFieldValue extends InsertField { protected readonly side = 'value' as const }

export const descriptors = keyValueDescriptors('InsertField', InsertFieldKey, InsertFieldValue)

