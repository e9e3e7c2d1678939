/**
 * A field of the change event that add.fields / add.headers copy into the flattened record: `op`, `ts_ms`, a source
 * field (`lsn`, `table`, `source.ts_ms`), a transaction field (`transaction.id`, or bare `id`), optionally renamed
 * with `:`. Parsing and lookups follow Debezium 3.6's FieldReference, including its quirks (a name that is not in the
 * named struct is looked up at the envelope's top level; a missing field adds nothing).
 */
import { DataError, ConfigError, SchemaBuilder, Struct, javaTrim } from '../../api/index.ts'
import type { Field, Schema } from '../../api/index.ts'
import { copySchemaBasics } from '../util/common.ts'

/** Java's String.split on a one-character literal: trailing empty strings are removed, "" gives [""]. */
export function javaSplit (s: string, separator: string): string[] {
  if (s === '') return ['']
  const parts = s.split(separator)
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  return parts
}

/** Which struct of the envelope holds an unqualified name. */
function structOf (field: string): string | null {
  switch (field) {
    case 'id':
    case 'data_collection_order':
    case 'total_order':
      return 'transaction'
    case 'op':
    case 'ts_ms':
    case 'ts_us':
    case 'ts_ns':
      return null
    case 'updateDescription': // MongoDB's; kept so the same names resolve the same way
      return 'updateDescription'
    default:
      return 'source'
  }
}

const FIELD_INDEX = new WeakMap<Schema, Map<string, Field>>()

/** A struct schema's field by name, through an index built once per (immutable) schema: this runs per record. */
export function fieldOf (schema: Schema, name: string): Field | undefined {
  let index = FIELD_INDEX.get(schema)
  if (index === undefined) {
    index = new Map((schema.fields ?? []).map(f => [f.name, f]))
    FIELD_INDEX.set(schema, index)
  }
  return index.get(name)
}

export class FieldReference {
  /** The envelope struct holding the field, or null for the envelope's own fields (op, ts_ms, ...). */
  readonly struct: string | null
  readonly field: string
  /** The name in the outgoing record, e.g. __op or __source_ts_ms. */
  readonly newField: string

  constructor (prefix: string, spec: string) {
    const parts = javaSplit(spec, ':')
    const splits = javaSplit(parts[0] ?? '', '.')
    if (splits.length === 0) throw new ConfigError(`Unexpected field name: ${spec}`)
    this.field = splits.length === 1 ? splits[0]! : (splits[1] ?? '')
    this.struct = splits.length === 1 ? structOf(this.field) : splits[0]!
    if (parts.length === 1) this.newField = prefix + (splits.length === 1 ? this.field : `${this.struct ?? ''}_${this.field}`)
    else if (parts.length === 2) this.newField = prefix + parts[1]!
    else throw new ConfigError(`Unexpected field name: ${spec}`)
  }

  /** Debezium splits the raw value on commas and trims each entry (Java's trim). */
  static fromConfiguration (prefix: string, value: string): FieldReference[] {
    if (value === '') return []
    return javaSplit(value, ',').map(s => new FieldReference(prefix, javaTrim(s)))
  }

  // Schemas are immutable, so the copy made for one envelope schema serves all its records (Debezium copies per record).
  readonly #schemas = new WeakMap<Schema, Schema | null>()

  /** The field's schema, copied (name, version, doc, parameters) and made optional; null when the field is absent. */
  schemaIn (envelopeSchema: Schema): Schema | null {
    let schema = this.#schemas.get(envelopeSchema)
    if (schema === undefined) {
      schema = this.#copySchema(envelopeSchema)
      this.#schemas.set(envelopeSchema, schema)
    }
    return schema
  }

  #copySchema (envelopeSchema: Schema): Schema | null {
    let parent = envelopeSchema
    if (this.struct !== null) {
      const holder = fieldOf(envelopeSchema, this.struct)
      // Debezium dereferences the missing struct field and fails with a NullPointerException.
      if (!holder) throw new DataError(`Field '${this.struct}' does not exist in schema ${envelopeSchema.name ?? ''}`)
      parent = holder.schema
    }
    const found = fieldOf(parent, this.field) ?? fieldOf(envelopeSchema, this.field)
    if (!found) return null
    return copySchemaBasics(found.schema, new SchemaBuilder(found.schema.type)).optional().build()
  }

  /** The field's value, without the schema default; null when the holding struct is null (e.g. no transaction). */
  valueIn (envelope: Struct): unknown {
    const parent = this.struct !== null ? envelope.getWithoutDefault(this.struct) : envelope
    if (parent === null || parent === undefined) return null
    if (!(parent instanceof Struct)) throw new DataError(`Field '${this.struct ?? ''}' is not a struct`)
    return fieldOf(parent.schema, this.field) ? parent.getWithoutDefault(this.field) : envelope.getWithoutDefault(this.field)
  }
}
