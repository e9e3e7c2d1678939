/**
 * Avro schemas as the Datagen connector reads them (names, references, defaults, comments) and the Connect schemas
 * AvroData.toConnectSchema gives for them (record names, docs, optional unions, general unions, enums, fixed,
 * logical types, connect.* attributes, field defaults).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BigDecimal, ConnectDate, ConnectTimestamp, Decimal, Schemas, Struct, schemaEquals } from '../../../src/api/index.ts'
import { AvroSchemaError, parseAvroSchema, parseAvroSchemaText, type AvroRecord } from '../../../connectors/datagen/avro-schema.ts'
import { toConnectSchema } from '../../../connectors/datagen/avro-to-connect.ts'

const record = (fields: unknown[], extra: Record<string, unknown> = {}): AvroRecord =>
  parseAvroSchema({ type: 'record', name: 'r', namespace: 'ns', ...extra, fields }) as AvroRecord

test('a record is a struct named after its full name; nested records inherit the namespace', () => {
  const schema = toConnectSchema(record([{ name: 'a', type: 'int' }, { name: 'inner', type: { type: 'record', name: 'in', fields: [{ name: 'b', type: 'string' }] } }]))
  assert.equal(schema.type, 'struct')
  assert.equal(schema.name, 'ns.r')
  assert.equal(schema.optional, false)
  assert.deepEqual(schema.fields!.map(f => [f.name, f.schema.type, f.schema.optional]), [['a', 'int32', false], ['inner', 'struct', false]])
  assert.equal(schema.fields![1]!.schema.name, 'ns.in')
  assert.ok(schemaEquals(schema.fields![0]!.schema, Schemas.INT32))
})

test('primitive types map to Connect types', () => {
  const types = ['boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']
  const schema = toConnectSchema(record(types.map(t => ({ name: `f_${t}`, type: t }))))
  assert.deepEqual(schema.fields!.map(f => f.schema.type), ['boolean', 'int32', 'int64', 'float32', 'float64', 'bytes', 'string'])
})

test('a union of null and a type is that type made optional (either order); a one-branch union is its branch', () => {
  const schema = toConnectSchema(record([
    { name: 'a', type: ['null', 'string'], default: null },
    { name: 'b', type: ['long', 'null'] },
    { name: 'c', type: ['int'] },
    { name: 'd', type: ['null', { type: 'record', name: 'sub', fields: [{ name: 'x', type: 'int' }] }] }
  ]))
  const [a, b, c, d] = schema.fields!.map(f => f.schema)
  assert.ok(schemaEquals(a, Schemas.OPTIONAL_STRING), 'a null default of an optional field is no Connect default')
  assert.ok(schemaEquals(b, Schemas.OPTIONAL_INT64))
  assert.ok(schemaEquals(c, Schemas.INT32))
  assert.equal(d!.type, 'struct')
  assert.equal(d!.optional, true)
  assert.equal(d!.name, 'ns.sub')
})

test('any other union is an io.confluent.connect.avro.Union struct with a field per branch', () => {
  const schema = toConnectSchema(record([{ name: 'u', type: ['null', 'int', 'string', { type: 'enum', name: 'e', symbols: ['A'] }] }]))
  const u = schema.fields![0]!.schema
  assert.equal(u.name, 'io.confluent.connect.avro.Union')
  assert.equal(u.optional, true)
  assert.deepEqual(u.fields!.map(f => [f.name, f.schema.type, f.schema.optional]), [['int', 'int32', true], ['string', 'string', true], ['e', 'string', true]])
})

test('an enum is a string with the io.confluent.connect.avro.Enum parameters, its doc and default as parameters', () => {
  const schema = toConnectSchema(record([{ name: 'e', type: { type: 'enum', name: 'Suit', doc: 'card suit', default: 'HEARTS', symbols: ['SPADES', 'HEARTS'] } }]))
  const e = schema.fields![0]!.schema
  assert.equal(e.type, 'string')
  assert.equal(e.name, 'ns.Suit')
  assert.deepEqual(e.parameters, {
    'io.confluent.connect.avro.enum.doc.Suit': 'card suit',
    'io.confluent.connect.avro.enum.default.Suit': 'HEARTS',
    'io.confluent.connect.avro.Enum': 'ns.Suit',
    'io.confluent.connect.avro.Enum.SPADES': 'SPADES',
    'io.confluent.connect.avro.Enum.HEARTS': 'HEARTS'
  })
})

test('record and field docs become parameters of the struct', () => {
  const schema = toConnectSchema(record([{ name: 'a', doc: 'the a', type: 'int' }, { name: 'b', type: 'int' }], { doc: 'a record' }))
  assert.deepEqual(schema.parameters, { 'io.confluent.connect.avro.record.doc': 'a record', 'io.confluent.connect.avro.field.doc.a': 'the a' })
  assert.equal(schema.doc, undefined)
})

test('fixed, decimal, date, time-millis and timestamp-millis', () => {
  const schema = toConnectSchema(record([
    { name: 'fx', type: { type: 'fixed', name: 'four', size: 4 } },
    { name: 'dec', type: { type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2 } },
    { name: 'dec64', type: { type: 'bytes', logicalType: 'decimal', precision: 64, scale: 1 } },
    { name: 'fdec', type: { type: 'fixed', name: 'f8', size: 8, logicalType: 'decimal', precision: 10, scale: 3 } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'tod', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'micros', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'bad', type: { type: 'bytes', logicalType: 'decimal', scale: 2 } }
  ]))
  const [fx, dec, dec64, fdec, day, tod, ts, micros, bad] = schema.fields!.map(f => f.schema)
  assert.equal(fx!.type, 'bytes')
  assert.equal(fx!.name, 'ns.four')
  assert.deepEqual(fx!.parameters, { 'connect.fixed.size': '4' })
  assert.equal(dec!.name, Decimal.schema(2).name)
  assert.deepEqual(dec!.parameters, { scale: '2', 'connect.decimal.precision': '4' })
  assert.deepEqual(dec64!.parameters, { scale: '1' }, 'the default precision (64) is not recorded')
  assert.deepEqual(fdec!.parameters, { scale: '3', 'connect.decimal.precision': '10', 'connect.fixed.size': '8' })
  assert.equal(fdec!.name, Decimal.schema(3).name, 'a decimal fixed keeps the Decimal name')
  assert.ok(schemaEquals(day, ConnectDate.SCHEMA))
  assert.equal(tod!.name, 'org.apache.kafka.connect.data.Time')
  assert.ok(schemaEquals(ts, ConnectTimestamp.SCHEMA))
  assert.ok(schemaEquals(micros, Schemas.INT64), 'logical types Connect does not know leave the type as it is')
  assert.ok(schemaEquals(bad, Schemas.BYTES), 'a decimal without precision is no decimal (Avro ignores it)')
})

test('arrays, maps, and arrays of io.confluent.connect.avro.MapEntry as maps with non-string keys', () => {
  const schema = toConnectSchema(record([
    { name: 'arr', type: { type: 'array', items: 'long' } },
    { name: 'm', type: { type: 'map', values: ['null', 'double'] } },
    { name: 'nm', type: { type: 'array', items: { type: 'record', name: 'MapEntry', namespace: 'io.confluent.connect.avro', fields: [{ name: 'key', type: 'int' }, { name: 'value', type: 'string' }] } } }
  ]))
  const [arr, m, nm] = schema.fields!.map(f => f.schema)
  assert.equal(arr!.type, 'array')
  assert.ok(schemaEquals(arr!.valueSchema, Schemas.INT64))
  assert.ok(schemaEquals(m!.keySchema, Schemas.STRING))
  assert.ok(schemaEquals(m!.valueSchema, Schemas.OPTIONAL_FLOAT64))
  assert.equal(nm!.type, 'map')
  assert.ok(schemaEquals(nm!.keySchema, Schemas.INT32))
  assert.ok(schemaEquals(nm!.valueSchema, Schemas.STRING))
})

test('connect.* attributes are read back: name, doc, version, parameters, type, default', () => {
  const schema = toConnectSchema(record([
    { name: 'b', type: { type: 'int', 'connect.type': 'int8' } },
    { name: 's', type: { type: 'int', 'connect.type': 'int16', 'connect.doc': 'small', 'connect.default': 7 } },
    { name: 'p', type: { type: 'string', 'connect.parameters': { k: 'v' }, 'avro.java.string': 'String' } }
  ], { 'connect.name': 'com.example.Renamed', 'connect.version': 3 }))
  assert.equal(schema.name, 'com.example.Renamed')
  assert.equal(schema.version, 3)
  const [b, s, p] = schema.fields!.map(f => f.schema)
  assert.equal(b!.type, 'int8')
  assert.equal(s!.type, 'int16')
  assert.equal(s!.doc, 'small')
  assert.equal(s!.defaultValue, 7)
  assert.deepEqual(p!.parameters, { k: 'v', 'avro.java.string': 'String' })
  assert.equal(toConnectSchema(record([], { 'connect.name': 'io.confluent.connect.avro.ConnectDefault' })).name, undefined)
})

test('field defaults become Connect defaults, flagged with io.confluent.connect.avro.field.default', () => {
  const schema = toConnectSchema(record([
    { name: 'i', type: 'int', default: 5 },
    { name: 's', type: 'string', default: 'x' },
    { name: 'by', type: 'bytes', default: '\u00ff' },
    { name: 'dec', type: { type: 'bytes', logicalType: 'decimal', precision: 5, scale: 2 }, default: '\u0004\u00d2' },
    { name: 'arr', type: { type: 'array', items: 'int' }, default: [1, 2] },
    { name: 'sub', type: { type: 'record', name: 'sub', fields: [{ name: 'x', type: 'int', default: 1 }] }, default: {} },
    { name: 'none', type: 'int' }
  ]))
  const [i, s, by, dec, arr, sub, none] = schema.fields!.map(f => f.schema)
  assert.equal(i!.defaultValue, 5)
  assert.deepEqual(i!.parameters, { 'io.confluent.connect.avro.field.default': 'true' })
  assert.equal(s!.defaultValue, 'x')
  assert.deepEqual(by!.defaultValue, Buffer.from([0xff]), 'bytes defaults are ISO-8859-1 strings')
  assert.ok((dec!.defaultValue as BigDecimal).equals(new BigDecimal(1234n, 2)))
  assert.deepEqual(arr!.defaultValue, [1, 2])
  assert.ok(sub!.defaultValue instanceof Struct)
  assert.equal((sub!.defaultValue as Struct).get('x'), 1)
  assert.equal(none!.defaultValue, undefined)
  assert.equal(none!.parameters, undefined)
})

test('schema text: comments are allowed, integers beyond 2^53 stay exact, references resolve by namespace', () => {
  const avro = parseAvroSchemaText(`// a comment
    { "type": "record", "name": "a.b.R", /* inline */ "fields": [
      { "name": "big", "type": { "type": "long", "arg.properties": { "options": [9007199254740993] } } },
      { "name": "self", "type": { "type": "enum", "name": "E", "symbols": ["X"] } },
      { "name": "again", "type": "E" },
      { "name": "full", "type": "a.b.E" }
    ] }`) as AvroRecord
  assert.equal(avro.fullName, 'a.b.R')
  const options = (avro.fields[0]!.type.props['arg.properties'] as { options: unknown[] }).options
  assert.equal(options[0], 9007199254740993n)
  assert.equal(avro.fields[1]!.type, avro.fields[2]!.type, 'a named type referenced again is the same schema')
  assert.equal(avro.fields[3]!.type, avro.fields[1]!.type)
})

test('invalid schemas are refused with Avro\'s reasons', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ type: 'record', name: 'r', fields: [{ name: 'a', type: 'Nope' }] }, /"Nope" is not a defined name/],
    [{ type: 'record', name: 'r', fields: [{ name: 'a', type: 'int' }, { name: 'a', type: 'int' }] }, /duplicate field a/],
    [{ type: 'record', name: 'r', fields: [{ name: 'a', type: 'int', default: 'x' }] }, /invalid default for field a/],
    [{ type: 'record', name: 'r', fields: [{ name: 'a', type: ['int', 'int'] }] }, /duplicate in union/],
    [{ type: 'record', name: 'r', fields: [{ name: 'a', type: ['int', ['string']] }] }, /nested union/],
    [{ type: 'record', name: '1r', fields: [] }, /illegal name/],
    [{ type: 'record', name: 'r' }, /record has no fields/],
    [{ type: 'enum', name: 'e', symbols: ['A', 'A'] }, /duplicate enum symbol/],
    [{ type: 'fixed', name: 'f' }, /invalid size/],
    [{ type: 'array' }, /no items/],
    [{ fields: [] }, /no type/],
    [{ type: 'record', name: 'r', fields: [{ name: 'a', type: 'r' }, { name: 'b', type: { type: 'record', name: 'r', fields: [] } }] }, /can't redefine/]
  ]
  for (const [json, re] of cases) assert.throws(() => parseAvroSchema(json), (err: Error) => err instanceof AvroSchemaError && re.test(err.message), re.source)
  assert.throws(() => parseAvroSchemaText('{"type": "record",'), /not valid JSON: .* at line 1/)
})

test('a recursive record and a standalone null cannot be mapped', () => {
  const recursive = record([{ name: 'next', type: ['null', 'r'] }])
  assert.throws(() => toConnectSchema(recursive), /recursive schemas are not supported: ns.r/)
  assert.throws(() => toConnectSchema(record([{ name: 'n', type: 'null' }])), /Standalone null schemas are not supported/)
})
