/**
 * The order of a map Confluent's AvroData.toConnectData gives: Avro's reader fills a HashMap sized to the map (its
 * keys Utf8, hashed over their UTF-8 bytes), AvroData copies it into a new HashMap of the same size (String keys);
 * a map with other keys (an array of MapEntry records) goes straight into a HashMap of its size. A sink printing the
 * map (FileStreamSink) or a converter writing it on (JsonConverter) follows that order in Java, so the reader gives
 * its Map in it too.
 */
import { javaDoubleHash, javaFloatHash, javaHashMapOrder, javaLongHash, javaStringHash, type Schema } from '../../../api/index.ts'

/** org.apache.avro.util.Utf8.hashCode(): over the UTF-8 bytes, as signed bytes. */
export function utf8Hash (s: string): number {
  let h = 0
  for (const b of Buffer.from(s, 'utf8')) h = (Math.imul(h, 31) + ((b << 24) >> 24)) | 0
  return h
}

/** hashCode() of the Java object AvroData gives for a Connect key, or null where it is not predictable here. */
function keyHash (schema: Schema, key: unknown): number | null {
  if (key === null || key === undefined) return 0
  // Date, Time and Timestamp keys are java.util.Date: the hash of their millisecond time.
  if (key instanceof Date) return javaLongHash(key.getTime())
  switch (schema.type) {
    case 'string': return javaStringHash(key as string)
    case 'int8': case 'int16': case 'int32': return (key as number) | 0
    case 'int64': return javaLongHash(key as number | bigint)
    case 'float32': return javaFloatHash(key as number)
    case 'float64': return javaDoubleHash(key as number)
    case 'boolean': return key === true ? 1231 : 1237
    case 'bytes': {
      // A Decimal key is a BigDecimal, whose hash is not modelled here.
      if (!Buffer.isBuffer(key)) return null
      // ByteBuffer.hashCode(): from the last byte to the first.
      let h = 1
      for (let i = key.length - 1; i >= 0; i--) h = (Math.imul(31, h) + ((key[i]! << 24) >> 24)) | 0
      return h
    }
    // Struct, List and Map keys: hashes of whole Java objects (a Struct's includes its schema's).
    default: return null
  }
}

/** A string-keyed Avro map's entries (in the order read) as AvroData's HashMap iterates them. */
export function stringKeyedOrder<V> (entries: Array<[string, V]>): Array<[string, V]> {
  const creation = { kind: 'capacity', initialCapacity: entries.length } as const
  const avroOrder = javaHashMapOrder(entries, utf8Hash, creation)
  return javaHashMapOrder(avroOrder, javaStringHash, creation)
}

/** A MapEntry array's converted entries as AvroData's HashMap iterates them. */
export function entryKeyedOrder<V> (keySchema: Schema, entries: Array<[unknown, V]>): Array<[unknown, V]> {
  return javaHashMapOrder(entries, k => keyHash(keySchema, k), { kind: 'capacity', initialCapacity: entries.length })
}
