/**
 * Renders a record value as one line, the way Apache's FileStreamSinkTask prints it (Java's String.valueOf).
 *
 * Bytes are the exception: Java prints `[B@1b6d3586`, which is useless; we write the bytes as they are.
 */
export function renderValue (value: unknown): string {
  if (value === null || value === undefined) return 'null'
  switch (typeof value) {
    case 'string': return value
    case 'number': return renderNumber(value)
    case 'bigint':
    case 'boolean': return String(value)
    default: break
  }
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('utf8')
  if (Array.isArray(value)) return `[${value.map(renderValue).join(', ')}]`
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${renderValue(k)}=${renderValue(v)}`).join(', ')}}`
  if (value instanceof Date) return value.toString()
  const proto = Object.getPrototypeOf(value) as object | null
  if (proto !== null && proto !== Object.prototype && typeof (value as { toString?: unknown }).toString === 'function' &&
    (value as { toString: () => string }).toString !== Object.prototype.toString) {
    // Data-model objects (e.g. Struct) carry their own Java-compatible rendering.
    return (value as { toString: () => string }).toString()
  }
  return `{${Object.entries(value).map(([k, v]) => `${k}=${renderValue(v)}`).join(', ')}}`
}

/** Java's Double.toString for non-integers and large magnitudes; integers print as integers (Java's Long). */
function renderNumber (n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e7) return String(n)
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity'
  const abs = Math.abs(n)
  if (abs >= 1e-3 && abs < 1e7) return Number.isInteger(n) ? `${n}.0` : String(n)
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string]
  return `${mantissa.includes('.') ? mantissa : mantissa + '.0'}E${exponent.replace('+', '')}`
}
