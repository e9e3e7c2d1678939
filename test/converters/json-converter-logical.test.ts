/**
 * JsonConverter with Struct and the logical types, against the reference's worked examples (printed by Apache 4.x's
 * own JsonConverter).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  BigDecimal, ConnectDate, ConnectTimestamp, Decimal, Headers, SchemaBuilder, Schemas, Struct
} from '../../src/api/index.ts'
import { JsonConverter } from '../../src/converters/json/json-converter.ts'

function converter (configs: Record<string, string>): JsonConverter {
  const c = new JsonConverter()
  c.configure(configs, false)
  return c
}

const order = SchemaBuilder.struct().name('com.example.Order').version(1)
  .field('id', Schemas.INT32)
  .field('name', Schemas.OPTIONAL_STRING)
  .field('price', Decimal.schema(2))
  .field('created', ConnectTimestamp.SCHEMA)
  .field('tags', SchemaBuilder.array(Schemas.STRING).build())
  .field('attrs', SchemaBuilder.map(Schemas.STRING, Schemas.INT32).optional().build())
  .field('status', SchemaBuilder.string().optional().defaultValue('NEW').build())
  .build()

const value = new Struct(order).put('id', 42).put('name', 'Café 😀').put('price', BigDecimal.parse('12.34'))
  .put('created', new Date(1700000000123)).put('tags', ['a', 'b']).put('attrs', new Map([['qty', 3]]))

test('a Struct with Decimal and Timestamp fields serialises byte for byte as Apache (example 1)', () => {
  const bytes = converter({}).fromConnectData('t', Headers.EMPTY, order, value)!
  assert.equal(bytes.toString('utf8'),
    '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"},' +
    '{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"price"},' +
    '{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"created"},' +
    '{"type":"array","items":{"type":"string","optional":false},"optional":false,"field":"tags"},' +
    '{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":true,"field":"attrs"},' +
    '{"type":"string","optional":true,"default":"NEW","field":"status"}],"optional":false,"name":"com.example.Order","version":1},' +
    '"payload":{"id":42,"name":"Café \\uD83D\\uDE00","price":"BNI=","created":1700000000123,"tags":["a","b"],"attrs":{"qty":3},"status":"NEW"}}')
})

test('plain JSON with NUMERIC decimals and no default replacement (example 2)', () => {
  const bytes = converter({ 'schemas.enable': 'false', 'decimal.format': 'NUMERIC', 'replace.null.with.default': 'false' })
    .fromConnectData('t', Headers.EMPTY, order, value)!
  assert.equal(bytes.toString('utf8'), '{"id":42,"name":"Café \\uD83D\\uDE00","price":12.34,"created":1700000000123,"tags":["a","b"],"attrs":{"qty":3},"status":null}')
})

test('logical values read back as BigDecimal and Date; errors use Apache\'s words', () => {
  const c = converter({})
  const dec = c.toConnectData('t', Headers.EMPTY, Buffer.from('{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":"AJY="}')).value
  assert.ok(dec instanceof BigDecimal)
  assert.equal(dec.toString(), '1.50')
  const numeric = c.toConnectData('t', Headers.EMPTY, Buffer.from('{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":1.5}')).value
  assert.equal(String(numeric), '1.5')
  const date = c.toConnectData('t', Headers.EMPTY, Buffer.from('{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1},"payload":19676}')).value
  assert.ok(date instanceof Date)
  assert.equal(date.getTime(), 19676 * 86400000)
  assert.throws(() => c.toConnectData('t', Headers.EMPTY, Buffer.from('{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1},"payload":"x"}')),
    /Invalid type for Date, underlying representation should be integer but was STRING/)
  assert.throws(() => c.fromConnectData('t', Headers.EMPTY, Decimal.schema(2), 1.5), /Invalid type for Decimal, expected BigDecimal but was class java\.lang\.Double/)
  assert.throws(() => c.fromConnectData('t', Headers.EMPTY, ConnectDate.SCHEMA, new Date(1)), /should not have any time fields set to non-zero values/)
  assert.equal(converter({ 'schemas.enable': 'false' }).fromConnectData('t', Headers.EMPTY, Decimal.schema(0), BigDecimal.parse('-1'))!.toString(), '"/w=="')
})
