/**
 * Struct: a value of a STRUCT schema, validated on put (Kafka's org.apache.kafka.connect.data.Struct).
 */
import { DataError } from './errors.ts'
import { javaToString } from '../java/to-string.ts'
import type { Field, Schema } from './schema.ts'
import { schemaEquals, validateValue, valueEquals } from './schema-builder.ts'

const FIELD_INDEX = new WeakMap<Schema, Map<string, Field>>()

export class Struct {
  readonly kind = 'struct' as const
  readonly schema: Schema
  readonly #values: unknown[]

  constructor (schema: Schema) {
    if (schema.type !== 'struct') throw new DataError(`Not a struct schema: Schema{${schema.type.toUpperCase()}}`)
    this.schema = schema
    this.#values = new Array((schema.fields ?? []).length).fill(null)
  }

  #field (name: string): Field {
    // Schemas are immutable (SchemaBuilder freezes them), so a name index built once per schema object serves every
    // Struct of it: a linear search per get/put was the largest single cost of SMT chains in the profile.
    let index = FIELD_INDEX.get(this.schema)
    if (index === undefined) {
      index = new Map((this.schema.fields ?? []).map(f => [f.name, f]))
      FIELD_INDEX.set(this.schema, index)
    }
    const field = index.get(name)
    if (!field) throw new DataError(`${name} is not a valid field name`)
    return field
  }

  put (name: string, value: unknown): this {
    const field = this.#field(name)
    validateValue(field.schema, value, `field: "${name}"`)
    this.#values[field.index] = value ?? null
    return this
  }

  /** The stored value, or the field's default when nothing (null) is stored. */
  get (name: string): unknown {
    const field = this.#field(name)
    const v = this.#values[field.index]
    return v === null || v === undefined ? field.schema.defaultValue ?? null : v
  }

  getWithoutDefault (name: string): unknown {
    return this.#values[this.#field(name).index] ?? null
  }

  validate (): void {
    for (const field of this.schema.fields ?? []) {
      const v = this.#values[field.index]
      if ((v === null || v === undefined) && (field.schema.optional || (field.schema.defaultValue ?? null) !== null)) continue
      validateValue(field.schema, v, `field: "${field.name}"`)
    }
  }

  equals (other: unknown): boolean {
    return other instanceof Struct && schemaEquals(this.schema, other.schema) && valueEquals(this.#values, other.#values)
  }

  /** Java's rendering: non-null fields only, no spaces: Struct{id=42,name=x}. */
  toString (): string {
    return javaToString(this, this.schema)
  }
}

/** Java's String.valueOf for Connect values without a schema (lists and maps use ", " separators); see javaToString. */
export function javaString (v: unknown): string {
  return javaToString(v)
}
