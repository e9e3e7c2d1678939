import { javaToString, type Schema } from '../../src/api/index.ts'

const BYTES_AS_TEXT = { bytes: (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8') }

/**
 * Renders a record value as one line, the way Apache's FileStreamSinkTask prints it (Java's String.valueOf; see
 * javaToString). The schema, when there is one, tells a Java float from a double and an int64 from a float64.
 *
 * Bytes are the exception: Java prints `[B@1b6d3586`, which is useless; we write the bytes as they are.
 */
export function renderValue (value: unknown, schema: Schema | null = null): string {
  return typeof value === 'string' ? value : javaToString(value, schema, BYTES_AS_TEXT)
}
