/**
 * javaToString beyond what the StringConverter golden suite (test/converters/string) checks against Apache:
 * the deterministic byte-array text, plain JS objects, and Struct.toString using its field schemas.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SchemaBuilder, Schemas, Struct, javaByteArrayToString, javaClassName, javaDateToString, javaToString } from '../../src/api/index.ts'

test('byte arrays print as [B@ and a 31-bit hex hash of their content, like Java identity hashes in shape', () => {
  const text = javaToString(Buffer.from([1, 2, 3]))
  assert.match(text, /^\[B@[0-9a-f]{1,8}$/)
  assert.equal(javaToString(new Uint8Array([1, 2, 3])), text, 'the same bytes print the same')
  assert.notEqual(javaToString(Buffer.from([3, 2, 1])), text)
  // Arrays.hashCode: 31 * (31 * (31 * 1 + 1) + 2) + 3 = 30817; an empty array hashes to 1.
  assert.equal(javaByteArrayToString(new Uint8Array([1, 2, 3])), '[B@7861')
  assert.equal(javaByteArrayToString(new Uint8Array(0)), '[B@1')
  // Bytes count as signed, as Java's do, and the hash keeps to 31 bits.
  const big = javaByteArrayToString(Buffer.alloc(64, 0xff))
  assert.ok(parseInt(big.slice(3), 16) <= 0x7fffffff)
  assert.equal(javaToString([Buffer.from('a')], null, { bytes: b => Buffer.from(b).toString('utf8') }), '[a]', 'FileStreamSink writes bytes as text')
})

test('plain objects print as maps; numbers follow the schema, else Long for safe integers and Double for the rest', () => {
  assert.equal(javaToString({ a: 1, b: 'x', c: null }), '{a=1, b=x, c=null}')
  assert.equal(javaToString({ f: 0.1 }, SchemaBuilder.map(Schemas.STRING, Schemas.FLOAT32).build()), '{f=0.1}')
  assert.equal(javaToString(2 ** 60), '1.15292150460684698E18', 'an integral number beyond 2^53 cannot be an exact Long')
  assert.equal(javaToString(2n ** 60n), '1152921504606846976')
  assert.equal(javaToString(-0), '-0.0')
  assert.equal(javaToString(5, Schemas.FLOAT64), '5.0')
  assert.equal(javaToString(Math.fround(0.1)), '0.10000000149011612', 'without a schema a float32 value is a Double')
  assert.equal(javaToString(Math.fround(0.1), Schemas.FLOAT32), '0.1')
})

test('Struct.toString prints its fields by their schemas and skips nulls', () => {
  const schema = SchemaBuilder.struct().field('f', Schemas.FLOAT32).field('d', Schemas.OPTIONAL_FLOAT64).field('s', Schemas.OPTIONAL_STRING).build()
  const s = new Struct(schema).put('f', Math.fround(0.1)).put('d', 1e21)
  assert.equal(s.toString(), 'Struct{f=0.1,d=1.0E21}')
  assert.equal(String(s), s.toString())
  assert.equal(javaClassName(s), 'org.apache.kafka.connect.data.Struct')
})

test('java.util.Date text, Julian before the Gregorian cutover', () => {
  assert.equal(javaDateToString(new Date(0)), 'Thu Jan 01 00:00:00 UTC 1970')
  assert.equal(javaDateToString(new Date(-12219292800001)), 'Thu Oct 04 23:59:59 UTC 1582')
  assert.equal(javaDateToString(new Date(-62198755200000)), 'Fri Jan 03 00:00:00 UTC 2', '2 BC prints its era year')
})
