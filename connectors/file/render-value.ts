import { javaDoubleToString, javaFloatToString, type Schema } from '../../src/api/index.ts'

/**
 * Renders a record value as one line, the way Apache's FileStreamSinkTask prints it (Java's String.valueOf).
 * The schema, when there is one, tells a Java float from a double and an int64 from a float64.
 *
 * Bytes are the exception: Java prints `[B@1b6d3586`, which is useless; we write the bytes as they are.
 */
export function renderValue (value: unknown, schema: Schema | null = null): string {
  if (value === null || value === undefined) return 'null'
  switch (typeof value) {
    case 'string': return value
    case 'number': return renderNumber(value, schema)
    case 'bigint':
    case 'boolean': return String(value)
    default: break
  }
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('utf8')
  if (Array.isArray(value)) return `[${value.map(v => renderValue(v, schema?.valueSchema ?? null)).join(', ')}]`
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${renderValue(k, schema?.keySchema ?? null)}=${renderValue(v, schema?.valueSchema ?? null)}`).join(', ')}}`
  if (value instanceof Date) return value.toString()
  const proto = Object.getPrototypeOf(value) as object | null
  if (proto !== null && proto !== Object.prototype && typeof (value as { toString?: unknown }).toString === 'function' &&
    (value as { toString: () => string }).toString !== Object.prototype.toString) {
    // Data-model objects (e.g. Struct) carry their own Java-compatible rendering.
    return (value as { toString: () => string }).toString()
  }
  return `{${Object.entries(value).map(([k, v]) => `${k}=${renderValue(v)}`).join(', ')}}`
}

/** Integers print as Java's Long does; floating-point values as Java's Double.toString (Float.toString for FLOAT32). */
function renderNumber (n: number, schema: Schema | null): string {
  if (schema?.type === 'float32') return javaFloatToString(n)
  if (schema?.type === 'float64' || !Number.isInteger(n)) return javaDoubleToString(n)
  return String(n)
}
