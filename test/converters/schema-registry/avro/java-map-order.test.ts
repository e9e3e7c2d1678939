/**
 * The order of maps the Avro reader gives is the order Confluent's AvroData gives in Java. Expected orders were
 * printed by Java 17 with org.apache.avro:avro 1.12.1: string keys encoded in the given order, read with
 * GenericDatumReader and copied into new HashMap<>(size) as AvroData does; other keys put into new HashMap<>(size) in
 * the given order (AvroData's MapEntry path). Keys 'Aa' and 'BB' share a String hash.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConnectTimestamp, Schemas } from '../../../../src/api/index.ts'
import { entryKeyedOrder, stringKeyedOrder, utf8Hash } from '../../../../src/converters/schema-registry/avro/java-map-order.ts'

const strings = (keys: string[]): string[] => stringKeyedOrder(keys.map((k, i) => [k, i] as [string, number])).map(([k]) => k)
const others = (schema: Parameters<typeof entryKeyedOrder>[0], keys: unknown[]): unknown[] => entryKeyedOrder(schema, keys.map((k, i) => [k, i] as [unknown, number])).map(([k]) => k)

test('string keys come in the order of AvroData\'s HashMap (Avro\'s Utf8-keyed map copied into a String-keyed one)', () => {
  assert.deepEqual(strings(['browser', 'lang']), ['lang', 'browser'])
  assert.deepEqual(strings(['lang', 'browser']), ['lang', 'browser'])
  assert.deepEqual(strings(['ελληνικά', '日本語', 'emoji 🎉']), ['日本語', 'ελληνικά', 'emoji 🎉'])
  assert.deepEqual(strings(Array.from({ length: 20 }, (_, i) => `key-${i}`)),
    ['key-18', 'key-17', 'key-19', 'key-14', 'key-13', 'key-16', 'key-15', 'key-1', 'key-10', 'key-0', 'key-12', 'key-11', 'key-5', 'key-4', 'key-3', 'key-2', 'key-9', 'key-8', 'key-7', 'key-6'])
  assert.deepEqual(strings(['a', 'b', 'c', 'Aa', 'BB', 'zz']), ['Aa', 'BB', 'zz', 'a', 'b', 'c'])
})

test('Utf8.hashCode hashes UTF-8 bytes as signed bytes (String.hashCode for ASCII)', () => {
  assert.equal(utf8Hash('lang'), 3314158)
  assert.notEqual(utf8Hash('日本語'), utf8Hash('ελληνικά'))
  assert.equal(utf8Hash('é'), (31 * -61 + -87) | 0)
})

test('other keys come in the order of new HashMap<>(size) filled in the order read', () => {
  assert.deepEqual(others(Schemas.INT32, [1, -1]), [-1, 1])
  assert.deepEqual(others(Schemas.INT32, [100, 3, -7, 64, 0]), [64, 0, 3, 100, -7])
  assert.deepEqual(others(Schemas.INT64, [2n ** 40n, -5, 7, 9223372036854775807n]), [2n ** 40n, 9223372036854775807n, -5, 7])
  assert.deepEqual(others(Schemas.BOOLEAN, [true, false]), [false, true])
  assert.deepEqual(others(Schemas.FLOAT64, [0.5, -1.5, 2.0, 1e300]), [0.5, -1.5, 2.0, 1e300])
  assert.deepEqual(others(Schemas.FLOAT32, [1.5, -2.25, 3]), [1.5, -2.25, 3])
  assert.deepEqual(others(Schemas.BYTES, [Buffer.from([0]), Buffer.from([1, 2]), Buffer.alloc(0), Buffer.from([0xff, 7])]).map(b => [...(b as Buffer)]),
    [[1, 2], [], [0xff, 7], [0]])
  assert.deepEqual(others(ConnectTimestamp.SCHEMA, [new Date(0), new Date(86400000 * 19000), new Date(-86400000)]).map(d => (d as Date).getTime()),
    [0, -86400000, 1641600000000])
})
