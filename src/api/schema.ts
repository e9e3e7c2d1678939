/**
 * The Connect data model's schema, in the shape the runtime needs today: primitive types plus the container types.
 * The full model (SchemaBuilder, Struct validation, logical types) builds on this same interface.
 */
export type SchemaType =
  'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'boolean' | 'string' | 'bytes' | 'array' | 'map' | 'struct'

export interface Field {
  readonly name: string
  readonly index: number
  readonly schema: Schema
}

export interface Schema {
  readonly type: SchemaType
  readonly optional: boolean
  readonly defaultValue?: unknown
  readonly name?: string | undefined
  readonly version?: number | undefined
  readonly doc?: string | undefined
  readonly parameters?: Readonly<Record<string, string>> | undefined
  readonly fields?: readonly Field[] | undefined
  readonly keySchema?: Schema | undefined
  readonly valueSchema?: Schema | undefined
}

function primitive (type: SchemaType, optional: boolean): Schema {
  return Object.freeze({ type, optional })
}

/** Kafka's Schema.*_SCHEMA constants. */
export const Schemas = Object.freeze({
  INT8: primitive('int8', false),
  INT16: primitive('int16', false),
  INT32: primitive('int32', false),
  INT64: primitive('int64', false),
  FLOAT32: primitive('float32', false),
  FLOAT64: primitive('float64', false),
  BOOLEAN: primitive('boolean', false),
  STRING: primitive('string', false),
  BYTES: primitive('bytes', false),
  OPTIONAL_INT8: primitive('int8', true),
  OPTIONAL_INT16: primitive('int16', true),
  OPTIONAL_INT32: primitive('int32', true),
  OPTIONAL_INT64: primitive('int64', true),
  OPTIONAL_FLOAT32: primitive('float32', true),
  OPTIONAL_FLOAT64: primitive('float64', true),
  OPTIONAL_BOOLEAN: primitive('boolean', true),
  OPTIONAL_STRING: primitive('string', true),
  OPTIONAL_BYTES: primitive('bytes', true)
})

export interface SchemaAndValue {
  readonly schema: Schema | null
  readonly value: unknown
}

export const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null })
