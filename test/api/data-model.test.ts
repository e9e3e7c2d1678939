import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, SchemaBuilder, Schemas, Struct,
  bigintToBytes, bytesToBigint, schemaEquals, validateValue
} from '../../src/api/index.ts'

test('SchemaBuilder builds frozen schemas and enforces Kafka\'s rules with its messages', () => {
  const s = SchemaBuilder.struct().name('com.example.Order').version(1)
    .field('id', Schemas.INT32)
    .field('name', Schemas.OPTIONAL_STRING)
    .build()
  assert.deepEqual(s.fields!.map(f => [f.name, f.index, f.schema.type]), [['id', 0, 'int32'], ['name', 1, 'string']])
  assert.ok(Object.isFrozen(s))
  assert.throws(() => SchemaBuilder.int32().name('a').name('b'), /Invalid SchemaBuilder call: name has already been set\./)
  assert.throws(() => SchemaBuilder.int32().field('x', Schemas.INT32), /Cannot create fields on type INT32/)
  assert.throws(() => SchemaBuilder.struct().field('x', Schemas.INT32).field('x', Schemas.INT32), /Cannot create field because of field name duplication x/)
  assert.throws(() => SchemaBuilder.array(null), /valueSchema cannot be null\./)
  assert.throws(() => SchemaBuilder.map(null, Schemas.INT32), /keySchema cannot be null\./)
  assert.throws(() => SchemaBuilder.string().defaultValue(5), /Invalid default value/)
  assert.equal(SchemaBuilder.string().defaultValue('d').build().defaultValue, 'd')
  assert.equal(SchemaBuilder.int8().parameters({}).build().parameters, undefined)
})

test('schemaEquals compares every attribute', () => {
  const a = SchemaBuilder.struct().field('x', Schemas.INT32).build()
  const b = SchemaBuilder.struct().field('x', Schemas.INT32).build()
  const c = SchemaBuilder.struct().field('x', Schemas.INT64).build()
  assert.ok(schemaEquals(a, b))
  assert.ok(!schemaEquals(a, c))
  assert.ok(!schemaEquals(Schemas.INT32, Schemas.OPTIONAL_INT32))
})

test('validateValue checks types and ranges with Kafka\'s messages', () => {
  assert.throws(() => validateValue(Schemas.INT32, null), /Invalid value: null used for required value, schema type: INT32/)
  assert.throws(() => validateValue(Schemas.INT8, 300), /Invalid Java object for schema with type INT8/)
  assert.throws(() => validateValue(Schemas.STRING, 1), /Invalid Java object for schema with type STRING: number for value/)
  validateValue(Schemas.INT64, 2n ** 62n)
  validateValue(SchemaBuilder.array(Schemas.STRING).build(), ['a', 'b'])
  assert.throws(() => validateValue(SchemaBuilder.array(Schemas.STRING).build(), ['a', 1]), /for element of array value/)
  validateValue(SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build(), new Map([['a', 1]]))
})

test('Struct validates on put, applies defaults on get, renders like Java', () => {
  const schema = SchemaBuilder.struct()
    .field('id', Schemas.INT32)
    .field('status', SchemaBuilder.string().optional().defaultValue('NEW').build())
    .field('tags', SchemaBuilder.array(Schemas.STRING).optional().build())
    .build()
  const s = new Struct(schema).put('id', 42).put('tags', ['a', 'b'])
  assert.equal(s.get('status'), 'NEW')
  assert.equal(s.getWithoutDefault('status'), null)
  assert.equal(s.toString(), 'Struct{id=42,tags=[a, b]}')
  assert.throws(() => s.put('nope', 1), /nope is not a valid field name/)
  assert.throws(() => s.put('id', 'x'), /Invalid Java object for schema with type INT32: string for field: "id"/)
  assert.throws(() => new Struct(schema).validate(), /Invalid value: null used for required field: "id"/)
  assert.ok(s.equals(new Struct(schema).put('id', 42).put('tags', ['a', 'b'])))
  assert.throws(() => new Struct(Schemas.INT32), DataError)
})

test('Decimal uses minimal two\'s-complement bytes and checks the scale', () => {
  const cases: Array<[bigint, string]> = [[0n, '00'], [-1n, 'ff'], [128n, '0080'], [1234n, '04d2'], [-129n, 'ff7f'], [127n, '7f']]
  for (const [n, hex] of cases) {
    assert.equal(bigintToBytes(n).toString('hex'), hex)
    assert.equal(bytesToBigint(Buffer.from(hex, 'hex')), n)
  }
  const schema = Decimal.schema(2)
  assert.deepEqual(schema.parameters, { scale: '2' })
  assert.equal(Decimal.fromLogical(schema, BigDecimal.parse('12.34')).toString('base64'), 'BNI=')
  assert.throws(() => Decimal.fromLogical(schema, BigDecimal.parse('1.5')), /Schema has scale 2, value has scale 1\./)
  assert.equal(Decimal.toLogical(schema, Buffer.from('04d2', 'hex')).toString(), '12.34')
  assert.equal(BigDecimal.parse('0.0000001').toString(), '1E-7')
  assert.equal(BigDecimal.parse('1.2E+3').toString(), '1.2E+3')
  assert.equal(BigDecimal.parse('-0.05').toString(), '-0.05')
})

test('Date, Time and Timestamp convert like Kafka\'s logical types', () => {
  assert.equal(ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date(Date.UTC(1970, 0, 11))), 10)
  assert.throws(() => ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date(1)), /should not have any time fields set/)
  assert.equal(ConnectTime.fromLogical(ConnectTime.SCHEMA, new Date(3600000)), 3600000)
  assert.throws(() => ConnectTime.toLogical(ConnectTime.SCHEMA, -1), /greater than 0 and less than 86400000/)
  assert.equal(ConnectTimestamp.fromLogical(ConnectTimestamp.SCHEMA, new Date(1700000000123)), 1700000000123)
  assert.throws(() => ConnectTimestamp.fromLogical(ConnectDate.SCHEMA, new Date(0)), /Timestamp object but the schema does not match/)
})
