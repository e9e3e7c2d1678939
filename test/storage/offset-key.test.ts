import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DataError } from '../../src/api/errors.ts'
import {
  canonicalPartitionKey, decodeOffsetKey, decodeOffsetValue, encodeOffsetKey, encodeOffsetValue, jacksonString, parseOffsetKey
} from '../../src/storage/offset-key.ts'

test('keys and values are the compact JSON Apache writes', () => {
  assert.equal(encodeOffsetKey('local-file-source', { filename: 'test.txt' }).toString(), '["local-file-source",{"filename":"test.txt"}]')
  assert.equal(encodeOffsetValue({ position: 42 }).toString(), '{"position":42}')
  assert.equal(encodeOffsetValue({}).toString(), '{}')
  assert.equal(encodeOffsetKey('c', { b: 1, a: 2 }).toString(), '["c",{"b":1,"a":2}]')
})

test('bytes match Apache 4.3.1 JsonConverter output for strings, numbers, bytes and null', () => {
  // Expected text printed by org.apache.kafka.connect.json.JsonConverter (schemas.enable=false) for the same list
  // ["conn", LinkedHashMap] on JDK 17.
  const partition = {
    s: 'a\u0001b\u001f "q" \\ / \u{1F680} \u007f \u00e9 \u2028 \b\t\n\f\r',
    l: 9223372036854775807n,
    i: 5,
    d: 0.1,
    e: 1e-5,
    z: -0,
    n: NaN,
    big: 1e21,
    b: true,
    nul: null,
    bytes: new Uint8Array([1, 2, 3, 255])
  }
  const expected = '["conn",{"s":"a\\u0001b\\u001F \\"q\\" \\\\ / \\uD83D\\uDE80 \u007f \u00e9 \u2028 \\b\\t\\n\\f\\r",' +
    '"l":9223372036854775807,"i":5,"d":0.1,"e":1.0E-5,"z":-0.0,"n":"NaN","big":1.0E21,"b":true,"nul":null,"bytes":"AQID/w=="}]'
  assert.equal(encodeOffsetKey('conn', partition).toString('utf8'), expected)
})

test('Jackson string escaping', () => {
  assert.equal(jacksonString('\u0000\u001f\u007f'), '"\\u0000\\u001F\u007f"')
  assert.equal(jacksonString('\ud800'), '"\\uD800"')
  assert.equal(jacksonString('plain'), '"plain"')
})

test('undefined fields are written as null', () => {
  assert.equal(encodeOffsetValue({ a: undefined }).toString(), '{"a":null}')
})

test('offset and partition values must be primitive', () => {
  const rejects = (fn: () => unknown, pattern: RegExp): void => {
    assert.throws(fn, (err: unknown) => {
      assert.ok(err instanceof DataError, String(err))
      assert.match(err.message, pattern)
      return true
    })
  }
  rejects(() => encodeOffsetValue({ ok: 1, nested: { x: 1 } }), /^Offsets may only contain primitive types as values, but field nested contains MAP$/)
  rejects(() => encodeOffsetValue({ list: [1] }), /but field list contains ARRAY$/)
  rejects(() => encodeOffsetValue({ when: new Date(0) }), /but field when contains class Date$/)
  rejects(() => encodeOffsetValue({ f: () => 1 }), /but field f contains function$/)
  rejects(() => encodeOffsetKey('c', { m: new Map() }), /but field m contains MAP$/)
  rejects(() => encodeOffsetValue({ huge: 2n ** 63n }), /field huge contains an integer outside the INT64 range: 9223372036854775808/)
  rejects(() => encodeOffsetValue({ tiny: -(2n ** 63n) - 1n }), /outside the INT64 range/)
  rejects(() => encodeOffsetValue([] as unknown as Record<string, unknown>), /^Offsets must be specified as a Map, but the source offset is ARRAY$/)
  assert.equal(encodeOffsetValue({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).toString(), '{"min":-9223372036854775808,"max":9223372036854775807}')
})

test('integers beyond 2^53 survive both ways as bigint', () => {
  const offset = { ts: 9007199254740993n, max: 9223372036854775807n, small: 42, negative: -9007199254740993n }
  const bytes = encodeOffsetValue(offset)
  assert.equal(bytes.toString(), '{"ts":9007199254740993,"max":9223372036854775807,"small":42,"negative":-9007199254740993}')
  assert.deepEqual(decodeOffsetValue(bytes), offset)
  // Safe integers come back as numbers, whatever type they were written from.
  assert.deepEqual(decodeOffsetValue(encodeOffsetValue({ n: 5n })), { n: 5 })
  // Integral numbers that are not Longs are Doubles, so they round trip as numbers.
  assert.equal(encodeOffsetValue({ d: 2 ** 70 }).toString(), '{"d":1.1805916207174113E21}')
  assert.deepEqual(decodeOffsetValue(encodeOffsetValue({ d: 2 ** 70 })), { d: 2 ** 70 })
  // Wider than a Long in a file: kept exact, not truncated as Java would.
  assert.deepEqual(decodeOffsetValue(Buffer.from('{"x":12345678901234567890}')), { x: 12345678901234567890n })
})

test('decoding values: doubles, -0, tombstones, whitespace, and what is rejected', () => {
  assert.deepEqual(decodeOffsetValue(Buffer.from(' { "a" : 1.5 , "b" : -0 , "c" : 1E2, "d": "x", "e": false, "f": null } ')),
    { a: 1.5, b: 0, c: 100, d: 'x', e: false, f: null })
  assert.ok(Object.is((decodeOffsetValue(Buffer.from('{"z":-0.0}')) as Record<string, unknown>).z, -0))
  assert.equal(decodeOffsetValue(Buffer.from('null')), null)
  for (const bad of ['', '{', '{"a":01}', '{"a":1,}', '{"a":NaN}', "{'a':1}", '{"a":"\u0001"}', '{"a":"\\x"}', '{"a":"\\u12"}', '{} {}']) {
    assert.throws(() => decodeOffsetValue(Buffer.from(bad)), (err: unknown) => err instanceof DataError && /not valid UTF-8 JSON/.test(err.message), bad)
  }
  assert.throws(() => decodeOffsetValue(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])), /not valid UTF-8 JSON/)
  assert.throws(() => decodeOffsetValue(Buffer.from('[1]')), /Offsets must be specified as a Map/)
  assert.throws(() => decodeOffsetValue(Buffer.from('{"a":{"b":1}}')), /but field a contains MAP/)
  assert.throws(() => decodeOffsetValue(Buffer.from('['.repeat(10000))), /nesting too deep/)
})

test('a "__proto__" field is data, not a prototype', () => {
  const value = decodeOffsetValue(Buffer.from('{"__proto__":1}'))!
  assert.equal(Object.getPrototypeOf(value), Object.prototype)
  assert.deepEqual(Object.keys(value), ['__proto__'])
  const key = decodeOffsetKey(Buffer.from('["c",{"__proto__":{"polluted":true}}]'))!
  assert.equal(Object.getPrototypeOf(key.partition), Object.prototype)
  assert.deepEqual(Object.keys(key.partition), ['__proto__'])
  assert.equal((key.partition as { polluted?: unknown }).polluted, undefined)
  assert.equal(({} as { polluted?: unknown }).polluted, undefined)
})

test('decodeOffsetKey accepts only ["<connector>",{partition}]', () => {
  assert.deepEqual(decodeOffsetKey(Buffer.from('["local-file-source",{"filename":"test.txt"}]')),
    { connector: 'local-file-source', partition: { filename: 'test.txt' } })
  assert.deepEqual(decodeOffsetKey(Buffer.from('["c",{"f":"\\uD83D\\uDE80 caf\u00e9","n":{"nested":[1]}}]')),
    { connector: 'c', partition: { f: '\u{1F680} café', n: { nested: [1] } } })
  for (const bad of ['not json', '{"a":1}', '["c"]', '["c",{},1]', '[1,{}]', '["c",[1]]', '["c","x"]', 'null']) {
    assert.equal(decodeOffsetKey(Buffer.from(bad)), null, bad)
  }
  const nullPartition = parseOffsetKey(Buffer.from('["c",null]'))
  assert.deepEqual(nullPartition, { ok: false, reason: 'the partition is null', nullPartition: true })
  const notList = parseOffsetKey(Buffer.from('{"a":1}'))
  assert.deepEqual(notList, { ok: false, reason: 'expected a JSON array, found MAP', nullPartition: false })
})

test('canonical partition keys are structural', () => {
  const key = (connector: string, partition: Record<string, unknown>): string => canonicalPartitionKey(connector, partition)
  assert.equal(key('c', { a: 1, b: 'x' }), key('c', { b: 'x', a: 1 }))
  assert.equal(key('c', { a: 5 }), key('c', { a: 5n }))
  assert.equal(key('c', { a: new Uint8Array([1, 2]) }), key('c', { a: 'AQI=' }))
  assert.equal(key('c', { a: NaN }), key('c', { a: 'NaN' }))
  assert.equal(key('c', { a: undefined }), key('c', { a: null }))
  assert.notEqual(key('c', { a: 5 }), key('c', { a: '5' }))
  assert.notEqual(key('c', { a: 0 }), key('c', { a: -0 }))
  assert.notEqual(key('c', { a: 1 }), key('d', { a: 1 }))
  assert.notEqual(key('c', { a: 1 }), key('c', { a: 1, b: null }))
  // A partition and its stored-then-decoded copy always agree.
  for (const partition of [{ a: 9007199254740993n, b: 0.1, c: -0, d: 1e300, e: '\u0001', f: true, g: null }, { z: 1, y: 2, 10: 3 }]) {
    const decoded = decodeOffsetKey(encodeOffsetKey('c', partition))!
    assert.equal(canonicalPartitionKey(decoded.connector, decoded.partition), key('c', partition))
  }
  // Nested values in stored keys are described too (sorted at every level).
  assert.equal(key('c', { n: { b: 1, a: [{ y: 1, x: 2 }] } }), key('c', { n: { a: [{ x: 2, y: 1 }], b: 1 } }))
})
