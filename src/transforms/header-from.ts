/**
 * HeaderFrom (Kafka's HeaderFrom$Key / HeaderFrom$Value): moves or copies top-level fields of the key or value into
 * appended headers. Schemaless data must be a map, schema'd data a Struct; a null key/value is an error, as in Kafka.
 */
import { ConfigDef, ConfigError, DataError, SchemaBuilder, Struct, ValidString, newRecord } from '../api/index.ts'
import type { AnyRecord, Schema, Transformation, Validator } from '../api/index.ts'
import { keyValueDescriptors } from './util/common.ts'
import { asJavaHashMap } from './util/requires.ts'

// Kafka's transforms.util.NonEmptyListValidator; Java prints the empty list as "[]".
const NON_EMPTY_LIST: Validator = {
  ensureValid (name, value) {
    if (Array.isArray(value) && value.length === 0) throw new ConfigError(`Invalid value [] for configuration ${name}: Empty list`)
  },
  toString () { return 'non-empty list' }
}

/** Java class name of a Connect value, for Kafka's Requirements messages. */
export function javaClassName (v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return 'java.lang.String'
  if (typeof v === 'boolean') return 'java.lang.Boolean'
  if (typeof v === 'bigint') return 'java.lang.Long'
  if (typeof v === 'number') return Number.isInteger(v) ? (v >= -(2 ** 31) && v < 2 ** 31 ? 'java.lang.Integer' : 'java.lang.Long') : 'java.lang.Double'
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return '[B'
  if (v instanceof Date) return 'java.util.Date'
  if (v instanceof Struct) return 'org.apache.kafka.connect.data.Struct'
  if (Array.isArray(v)) return 'java.util.ArrayList'
  return 'java.util.HashMap'
}

function isMapLike (v: unknown): v is Map<unknown, unknown> | Record<string, unknown> {
  return v instanceof Map || (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Struct) && !(v instanceof Date) && !(v instanceof Uint8Array) && Object.getPrototypeOf(v) === Object.prototype)
}

const REPLACE_NULL_DOC = 'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.'

abstract class HeaderFrom implements Transformation {
  readonly kind = 'transformation'
  static readonly CONFIG_DEF = new ConfigDef()
    .define({ name: 'fields', type: 'list', importance: 'high', validator: NON_EMPTY_LIST, documentation: 'Field names in the record whose values are to be copied or moved to headers.' })
    .define({ name: 'headers', type: 'list', importance: 'high', validator: NON_EMPTY_LIST, documentation: 'Header names, in the same order as the field names listed in the fields configuration property.' })
    .define({ name: 'operation', type: 'string', importance: 'high', validator: ValidString.in('move', 'copy'), documentation: 'Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value).' })
    .define({ name: 'replace.null.with.default', type: 'boolean', default: true, importance: 'medium', documentation: REPLACE_NULL_DOC })

  #fields: string[] = []
  #headers: string[] = []
  #move = false
  #replaceNullWithDefault = true
  // Kafka caches the moved schema per input schema; frozen schemas make a WeakMap safe.
  readonly #moveSchemas = new WeakMap<Schema, Schema>()

  protected abstract operating (record: AnyRecord): { schema: Schema | null, value: unknown }
  protected abstract patch (schema: Schema | null, value: unknown): Partial<AnyRecord>

  configure (configs: Readonly<Record<string, string>>): void {
    const config = HeaderFrom.CONFIG_DEF.parse(configs)
    this.#fields = config.list('fields')
    this.#headers = config.list('headers')
    if (this.#fields.length !== this.#headers.length) throw new ConfigError("'fields' config must have the same number of elements as 'headers' config.")
    this.#move = config.string('operation') === 'move'
    this.#replaceNullWithDefault = config.boolean('replace.null.with.default')
  }

  apply<R extends AnyRecord> (record: R): R {
    const { schema, value } = this.operating(record)
    const purpose = `header ${this.#move ? 'move' : 'copy'}`
    let headers = record.headers
    if (schema) {
      if (!(value instanceof Struct)) throw new DataError(`Only Struct objects supported for [${purpose}], found: ${javaClassName(value)}`)
      const read = (name: string): unknown => this.#replaceNullWithDefault ? value.get(name) : value.getWithoutDefault(name)
      let updatedSchema = schema
      let updated: Struct = value
      if (this.#move) {
        updatedSchema = this.#moveSchema(schema)
        updated = new Struct(updatedSchema)
        for (const field of updatedSchema.fields ?? []) updated.put(field.name, read(field.name))
      }
      this.#fields.forEach((name, i) => {
        const field = (schema.fields ?? []).find(f => f.name === name)
        // Kafka dereferences the missing field and fails with this NullPointerException.
        if (!field) throw new TypeError('Cannot invoke "org.apache.kafka.connect.data.Field.schema()" because the return value of "org.apache.kafka.connect.data.Schema.field(String)" is null')
        headers = headers.with(this.#headers[i]!, read(name), field.schema)
      })
      return newRecord(record, { ...this.patch(updatedSchema, updated), headers } as Partial<R>)
    }
    if (!isMapLike(value)) throw new DataError(`Only Map objects supported in absence of schema for [${purpose}], found: ${javaClassName(value)}`)
    const original = value instanceof Map ? value : new Map<unknown, unknown>(Object.entries(value))
    const updated = new Map(original)
    this.#fields.forEach((name, i) => {
      if (this.#move) updated.delete(name)
      headers = headers.with(this.#headers[i]!, original.get(name) ?? null, null)
    })
    return newRecord(record, { ...this.patch(null, asJavaHashMap(updated, { kind: 'copy', sourceSize: original.size })), headers } as Partial<R>)
  }

  #moveSchema (schema: Schema): Schema {
    let moved = this.#moveSchemas.get(schema)
    if (!moved) {
      // Kafka's SchemaUtil.copySchemaBasics: name, version, doc and parameters only (not optional or default).
      const builder = SchemaBuilder.struct()
      if (schema.name !== undefined) builder.name(schema.name)
      if (schema.version !== undefined) builder.version(schema.version)
      if (schema.doc !== undefined) builder.doc(schema.doc)
      if (schema.parameters) builder.parameters(schema.parameters)
      for (const field of schema.fields ?? []) if (!this.#fields.includes(field.name)) builder.field(field.name, field.schema)
      moved = builder.build()
      this.#moveSchemas.set(schema, moved)
    }
    return moved
  }

  config (): ConfigDef { return HeaderFrom.CONFIG_DEF }
}

export class HeaderFromKey extends HeaderFrom {
  protected operating (record: AnyRecord): { schema: Schema | null, value: unknown } { return { schema: record.keySchema, value: record.key } }
  protected patch (schema: Schema | null, value: unknown): Partial<AnyRecord> { return { keySchema: schema, key: value } }
}

export class HeaderFromValue extends HeaderFrom {
  protected operating (record: AnyRecord): { schema: Schema | null, value: unknown } { return { schema: record.valueSchema, value: record.value } }
  protected patch (schema: Schema | null, value: unknown): Partial<AnyRecord> { return { valueSchema: schema, value } }
}

export const descriptors = keyValueDescriptors('HeaderFrom', HeaderFromKey, HeaderFromValue)
