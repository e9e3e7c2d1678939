/**
 * Flatten (Kafka's Flatten$Key / $Value): nested structs or maps become one level, names joined with `delimiter`.
 * Arrays are kept as they are; a schema'd MAP field is an error, as in Apache.
 */
import { ConfigDef, DataError, SchemaBuilder, Struct } from '../api/index.ts'
import type { AnyRecord, Schema, Transformation } from '../api/index.ts'
import { SchemaCache, copySchemaBasics, operatingSchema, operatingValue, parseConfig, withOperating, keyValueDescriptors } from './util/common.ts'
import type { Side } from './util/common.ts'
import { isMapValue, javaClassOf, mapEntries, requireMap, requireStruct } from './util/requires.ts'

const DELIMITER_CONFIG = 'delimiter'
const PURPOSE = 'flattening'

export const FLATTEN_CONFIG_DEF = new ConfigDef()
  .define({ name: DELIMITER_CONFIG, type: 'string', default: '.', importance: 'medium', documentation: 'Delimiter to insert between field names from the input record when generating field names for the output record' })

const LEAF_TYPES = new Set(['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string', 'bytes', 'array'])

abstract class Flatten implements Transformation {
  readonly kind = 'transformation' as const
  protected abstract readonly side: Side
  #delimiter = '.'
  #cache = new SchemaCache()

  configure (configs: Readonly<Record<string, string>>): void {
    this.#delimiter = parseConfig(FLATTEN_CONFIG_DEF, configs).string(DELIMITER_CONFIG) ?? '.'
    this.#cache = new SchemaCache()
  }

  #name (prefix: string, name: string): string {
    return prefix === '' ? name : prefix + this.#delimiter + name
  }

  apply<R extends AnyRecord> (record: R): R {
    const schema = operatingSchema(record, this.side)
    const value = operatingValue(record, this.side)
    if (value === null || value === undefined) return record
    if (!schema) {
      const out = new Map<unknown, unknown>()
      this.#flattenMap(requireMap(value, PURPOSE), '', out)
      return withOperating(record, this.side, null, out)
    }
    const struct = requireStruct(value, PURPOSE, schema)
    let updated = this.#cache.get(schema)
    if (!updated) {
      const builder = copySchemaBasics(schema, SchemaBuilder.struct())
      this.#buildSchema(schema, '', builder, schema.optional, null)
      updated = builder.build()
      this.#cache.set(schema, updated)
    }
    const out = new Struct(updated)
    this.#flattenStruct(struct, '', out)
    return withOperating(record, this.side, updated, out)
  }

  #flattenMap (map: Map<unknown, unknown> | Record<string, unknown>, prefix: string, out: Map<unknown, unknown>): void {
    for (const [key, v] of mapEntries(map)) {
      const name = this.#name(prefix, String(key))
      if (v === null || v === undefined) { out.set(name, null); continue }
      if (v instanceof Struct) {
        throw new DataError(`Flatten transformation does not support class org.apache.kafka.connect.data.Struct for record without schemas (for field ${name}).`)
      }
      if (isMapValue(v)) { this.#flattenMap(v, name, out); continue }
      const cls = javaClassOf(v)
      if (cls === 'java.util.Date' || cls === 'java.math.BigDecimal' || cls === 'java.lang.Object') {
        throw new DataError(`Flatten transformation was passed a value of type class ${cls} which is not supported by Connect's data API`)
      }
      out.set(name, v)
    }
  }

  #buildSchema (schema: Schema, prefix: string, builder: SchemaBuilder, optional: boolean, defaultStruct: Struct | null): void {
    for (const field of schema.fields ?? []) {
      const name = this.#name(prefix, field.name)
      const fieldOptional = optional || field.schema.optional
      const parentDefault = defaultStruct ? defaultStruct.get(field.name) : null
      if (LEAF_TYPES.has(field.schema.type)) {
        const b = copySchemaBasics(field.schema, field.schema.type === 'array' ? SchemaBuilder.array(field.schema.valueSchema!) : new SchemaBuilder(field.schema.type))
        if (fieldOptional) b.optional()
        const def = field.schema.defaultValue ?? parentDefault ?? null
        if (def !== null) b.defaultValue(def)
        builder.field(name, b.build())
      } else if (field.schema.type === 'struct') {
        this.#buildSchema(field.schema, name, builder, fieldOptional, (field.schema.defaultValue as Struct | undefined) ?? (parentDefault as Struct | null) ?? null)
      } else {
        throw new DataError(`Flatten transformation does not support ${field.schema.type.toUpperCase()} for record with schemas (for field ${name}).`)
      }
    }
  }

  #flattenStruct (struct: Struct | null, prefix: string, out: Struct): void {
    const schema = struct?.schema
    if (!schema) return
    for (const field of schema.fields ?? []) {
      const name = this.#name(prefix, field.name)
      const v = struct.getWithoutDefault(field.name)
      if (field.schema.type === 'struct') this.#flattenStruct(v as Struct | null, name, out)
      else out.put(name, v)
    }
  }

  config (): ConfigDef { return FLATTEN_CONFIG_DEF }
  close (): void {}
}

export class FlattenKey extends Flatten { protected readonly side = 'key' as const }
export class FlattenValue extends Flatten { protected readonly side = 'value' as const }

export const descriptors = keyValueDescriptors('Flatten', FlattenKey, FlattenValue)
