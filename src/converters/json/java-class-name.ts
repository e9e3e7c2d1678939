/**
 * How Apache would see a JavaScript value as a Java object, for error messages worded like Apache's and for the
 * schemaless type of a value.
 */
import { DataError, type SchemaType } from '../../api/index.ts'

/** The Java class Apache would see for a value, for messages worded like Apache's ("class java.lang.String"). */
export function javaClassName (value: unknown): string {
  switch (typeof value) {
    case 'string': return 'java.lang.String'
    case 'boolean': return 'java.lang.Boolean'
    case 'bigint': return 'java.lang.Long'
    case 'number': return Number.isInteger(value) && !Object.is(value, -0) ? 'java.lang.Long' : 'java.lang.Double'
    case 'object':
      if (value === null) return 'null'
      if (value instanceof Uint8Array) return '[B'
      if (Array.isArray(value)) return 'java.util.ArrayList'
      if (value instanceof Map || isPlainObject(value)) return 'java.util.HashMap'
      if (value instanceof Set) return 'java.util.HashSet'
      if (value instanceof Date) return 'java.util.Date'
      return value.constructor?.name ?? 'Object'
    default: return typeof value
  }
}

export function isPlainObject (value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

export function invalidType (type: SchemaType, value: unknown): never {
  throw new DataError(`Invalid type for ${type.toUpperCase()}: class ${javaClassName(value)}`)
}

/** Apache's ConnectSchema.schemaType for schemaless values. */
export function schemalessType (value: unknown): SchemaType {
  switch (typeof value) {
    case 'string': return 'string'
    case 'boolean': return 'boolean'
    case 'bigint': return 'int64'
    case 'number':
      // Integral numbers are Java Longs; -0 and integers beyond the long range can only be doubles.
      return Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 2 ** 63 ? 'int64' : 'float64'
    case 'object':
      if (value instanceof Uint8Array) return 'bytes'
      if (Array.isArray(value)) return 'array'
      if (value instanceof Map || isPlainObject(value)) return 'map'
  }
  throw new DataError(`Java class class ${javaClassName(value)} does not have corresponding schema type.`)
}
