/**
 * Apache Kafka Connect's standalone offsets file (a Java-serialised HashMap<byte[], byte[]>) as JSON, for the offsets
 * interop tests of issue 15: read the file Apache+Debezium wrote, write one for Apache to resume from. Uses the same
 * codec as our worker's store (src/java/serialization.ts) and keeps each key and value's exact text as well, since
 * JSON.parse would round int64 offsets (LSNs and ts_usec are still below 2^53, but the text is what both sides store).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { decodeOffsetsFile, encodeOffsetsFile } from '../../src/java/serialization.ts'

export interface ApacheOffset {
  /** The connector's name (the first element of the stored key). */
  connector: string
  /** The source partition, e.g. {"server": "dbz"}. */
  partition: Record<string, unknown>
  /** The source offset; null for a tombstone (a deleted offset). */
  offset: Record<string, unknown> | null
  /** The stored bytes as text: `["<connector>",{partition}]` and the offset's JSON (or null). */
  keyText: string
  valueText: string | null
}

/** The entries of an offsets file (a path or its bytes), in stream order. */
export function readApacheOffsets (file: string | Buffer): ApacheOffset[] {
  const bytes = typeof file === 'string' ? readFileSync(file) : file
  return decodeOffsetsFile(bytes, typeof file === 'string' ? file : '(offsets bytes)').map(([key, value]) => {
    const keyText = key.toString('utf8')
    const parsed: unknown = JSON.parse(keyText)
    if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string') {
      throw new Error(`Not a source offset key: ${keyText}`)
    }
    const valueText = value?.toString('utf8') ?? null
    return {
      connector: parsed[0],
      partition: parsed[1] as Record<string, unknown>,
      offset: valueText == null ? null : JSON.parse(valueText) as Record<string, unknown> | null,
      keyText,
      valueText
    }
  })
}

/** The offset Debezium (or anyone) stored for `connector` and `partition`, or undefined. */
export function findApacheOffset (entries: readonly ApacheOffset[], connector: string, partition: Record<string, unknown>): ApacheOffset | undefined {
  const keyText = JSON.stringify([connector, partition])
  return entries.find(e => e.keyText === keyText)
}

/**
 * Writes an offsets file Apache's FileOffsetBackingStore loads: keys `["<connector>",{partition}]` and values as
 * JsonConverter (schemas off) writes them. A `valueText`/`keyText` given verbatim wins over the objects, so numbers
 * keep the exact text they were read with.
 */
export function writeApacheOffsets (file: string, entries: ReadonlyArray<Pick<ApacheOffset, 'connector' | 'partition' | 'offset'> & Partial<Pick<ApacheOffset, 'keyText' | 'valueText'>>>): void {
  const encoded = entries.map(e => {
    const key = Buffer.from(e.keyText ?? JSON.stringify([e.connector, e.partition]), 'utf8')
    const valueText = e.valueText !== undefined ? e.valueText : (e.offset == null ? null : JSON.stringify(e.offset))
    return [key, valueText == null ? null : Buffer.from(valueText, 'utf8')] as const
  })
  writeFileSync(file, encodeOffsetsFile(encoded))
}
