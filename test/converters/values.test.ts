/** Expectations from the reference's table of outputs printed by Apache's own Values class. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BigDecimal, ConnectDate, SchemaBuilder, Schemas, Struct } from '../../src/api/index.ts'
import { convertToString, parseString } from '../../src/converters/values.ts'
import { SimpleHeaderConverter } from '../../src/converters/simple-header-converter.ts'

test('parseString infers Apache\'s schemas', () => {
  const cases: Array<[string, string | null, unknown]> = [
    ['42', 'int8', 42], ['-129', 'int16', -129], ['32768', 'int32', 32768], ['3000000000', 'int64', 3000000000],
    ['1.0', 'int8', 1], ['+5', 'int8', 5], ['007', 'int8', 7], [' 42 ', 'int8', 42],
    ['true', 'boolean', true], ['false', 'boolean', false],
    ['TRUE', 'string', 'TRUE'], ['NaN', 'string', 'NaN'], ['0x10', 'string', '0x10'], ['hello world', 'string', 'hello world'],
    ['abc,def', 'string', 'abc,def'], ['a:b', 'string', 'a:b'], ['"quoted"', 'string', '"quoted"'], ['', 'string', ''],
    ['1,2', 'int8', 1], ['12:34', 'int8', 12], ['[1,2', 'string', '[1,2'], ['{a:1}', 'string', '{a:1}'],
    ['2024-01-15T10:15:30Z', 'string', '2024-01-15T10:15:30Z']
  ]
  for (const [text, type, value] of cases) {
    const r = parseString(text)!
    assert.equal(r.schema?.type ?? null, type, text)
    assert.equal(r.value, value, text)
  }
  assert.equal(parseString('null'), null)
  const f = parseString('3.14')!
  assert.equal(f.schema!.type, 'float32')
  assert.equal(f.value, Math.fround(3.14))
})

test('parseString reads temporals, arrays and maps', () => {
  const d = parseString('2024-01-15')!
  assert.equal(d.schema!.name, 'org.apache.kafka.connect.data.Date')
  assert.equal((d.value as Date).getTime(), 1705276800000)
  assert.equal((parseString('10:15:30.123Z')!.value as Date).getTime(), 36930123)
  assert.equal((parseString('2024-01-15T10:15:30.123Z')!.value as Date).getTime(), 1705313730123)
  const arr = parseString('[1,2,3]')!
  assert.equal(arr.schema!.type, 'array')
  assert.equal(arr.schema!.valueSchema!.type, 'int8')
  assert.deepEqual(arr.value, [1, 2, 3])
  const widened = parseString('[1, 2.5]')!
  assert.equal(widened.schema!.valueSchema!.type, 'float32')
  const map = parseString('{"a":1,"b":2}')!
  assert.equal(map.schema!.keySchema!.type, 'string')
  assert.deepEqual(map.value, new Map([['a', 1], ['b', 2]]))
  assert.equal(parseString('[1,"a"]')!.schema!.valueSchema, undefined)
})

test('convertToString writes Apache\'s text', () => {
  const s = SchemaBuilder.struct().field('a', Schemas.INT32).field('b', Schemas.OPTIONAL_STRING)
    .field('c', SchemaBuilder.array(Schemas.STRING).build()).build()
  assert.equal(convertToString(s, new Struct(s).put('a', 1).put('c', ['x"y', 'z\\w'])), '{"a":1,"b":null,"c":["x\\"y","z\\\\w"]}')
  assert.equal(convertToString(null, new Map<string, unknown>([['k', 'v'], ['n', 1], ['l', [1, 2]], ['z', null]])), '{"k":"v","n":1,"l":[1,2],"z":null}')
  assert.equal(convertToString(null, ['a', 1, null]), '["a",1,null]')
  assert.equal(convertToString(null, BigDecimal.parse('12.30')), '12.30')
  assert.equal(convertToString(ConnectDate.SCHEMA, new Date(Date.UTC(2023, 10, 14))), '2023-11-14')
  assert.equal(convertToString(null, new Date(3723004)), '01:02:03.004Z')
  assert.equal(convertToString(null, new Date(1700000000123)), '2023-11-14T22:13:20.123Z')
  assert.equal(convertToString(null, Buffer.from([1, 2, 3])), 'AQID')
  assert.equal(convertToString(Schemas.FLOAT64, 1e10), '1.0E10')
  assert.equal(convertToString(null, null), null)
})

test('SimpleHeaderConverter round-trips typed header values', () => {
  const c = new SimpleHeaderConverter()
  assert.equal(c.fromConnectHeader('t', 'h', Schemas.INT32, 42)!.toString(), '42')
  assert.deepEqual(c.toConnectHeader('t', 'h', Buffer.from('42')), { schema: Schemas.INT8, value: 42 })
  assert.deepEqual(c.toConnectHeader('t', 'h', Buffer.from('plain text')), { schema: Schemas.STRING, value: 'plain text' })
  assert.deepEqual(c.toConnectHeader('t', 'h', null), { schema: null, value: null })
})
