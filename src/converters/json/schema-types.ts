/**
 * The schema type names of the JSON envelope, which both directions of the schema codec use, and the shared
 * primitive schemas that a plain JSON schema reads as.
 */
import { Schemas, type Schema, type SchemaType } from '../../api/index.ts'

export const JSON_TYPE_NAMES: Record<SchemaType, string> = {
  boolean: 'boolean', int8: 'int8', int16: 'int16', int32: 'int32', int64: 'int64', float32: 'float', float64: 'double',
  bytes: 'bytes', string: 'string', array: 'array', map: 'map', struct: 'struct'
}
export const SCHEMA_TYPES_BY_JSON_NAME = new Map(Object.entries(JSON_TYPE_NAMES).map(([type, name]) => [name, type as SchemaType]))
export const PRIMITIVE_SCHEMAS: Partial<Record<SchemaType, readonly [Schema, Schema]>> = {
  int8: [Schemas.INT8, Schemas.OPTIONAL_INT8],
  int16: [Schemas.INT16, Schemas.OPTIONAL_INT16],
  int32: [Schemas.INT32, Schemas.OPTIONAL_INT32],
  int64: [Schemas.INT64, Schemas.OPTIONAL_INT64],
  float32: [Schemas.FLOAT32, Schemas.OPTIONAL_FLOAT32],
  float64: [Schemas.FLOAT64, Schemas.OPTIONAL_FLOAT64],
  boolean: [Schemas.BOOLEAN, Schemas.OPTIONAL_BOOLEAN],
  string: [Schemas.STRING, Schemas.OPTIONAL_STRING],
  bytes: [Schemas.BYTES, Schemas.OPTIONAL_BYTES]
}

export type MutableSchema = { -readonly [K in keyof Schema]: Schema[K] }
