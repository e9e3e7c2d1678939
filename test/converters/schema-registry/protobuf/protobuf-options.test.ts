/**
 * The ProtobufDataConfig settings, each as Confluent's ProtobufData applies it: on the written text, on the Connect
 * schema read back, and on values.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { SchemaBuilder, Schemas, Struct, type Schema } from '../../../../src/api/index.ts'
import { ProtobufFormat, protobufFormatFactory } from '../../../../src/converters/schema-registry/protobuf/protobuf-format.ts'
import {
  DEFAULT_PROTOBUF_DATA_OPTIONS, PROTOBUF_DATA_CONFIG_DEF, PROTOBUF_UNSUPPORTED_KEYS, type ProtobufDataOptions
} from '../../../../src/converters/schema-registry/protobuf/protobuf-data-config.ts'
import { assertConnectEqual } from '../connect-equals.ts'

const S = SchemaBuilder
const TAG = 'io.confluent.connect.protobuf.Tag'
const fmt = (options: Partial<ProtobufDataOptions> = {}): ProtobufFormat => new ProtobufFormat({ ...DEFAULT_PROTOBUF_DATA_OPTIONS, ...options })
const tagged = (b: SchemaBuilder, n: number): Schema => b.parameter(TAG, String(n)).build()

/** Writes `value` with the schema made from `schema`, reads it back: the Connect schema and value a reader gets. */
function through (format: ProtobufFormat, schema: Schema, value: unknown): { schema: Schema, value: unknown, text: string } {
  const written = format.fromConnectSchema(schema)
  const parsed = format.parse(written.text, written.references)
  const got = format.read(parsed, format.toConnectSchema(parsed), format.serialize(written, schema, value))
  return { ...got, text: written.text }
}

const FLAT = S.struct().name('Flat').field('a', Schemas.OPTIONAL_INT32).field('b', Schemas.STRING).field('c', Schemas.OPTIONAL_STRING).build()

describe('Protobuf format settings', () => {
  it('the ConfigDef has Confluent\'s keys and defaults; unsupported keys are listed with a reason', () => {
    const parsed = PROTOBUF_DATA_CONFIG_DEF.parse({})
    const format = protobufFormatFactory.create(parsed, false) as ProtobufFormat
    assert.deepEqual(format.options, DEFAULT_PROTOBUF_DATA_OPTIONS)
    assert.equal(protobufFormatFactory.type, 'PROTOBUF')
    const set = (protobufFormatFactory.create(PROTOBUF_DATA_CONFIG_DEF.parse({ 'wrapper.for.nullables': 'true', 'schemas.cache.config': '0' }), false) as ProtobufFormat).options
    assert.equal(set.wrapperForNullables, true)
    assert.equal(set.cacheSize, 1)
    assert.throws(() => PROTOBUF_DATA_CONFIG_DEF.parse({ 'reference.subject.name.strategy': 'com.example.Mine' }), /only io\.confluent\.kafka\.serializers\.subject\.DefaultReferenceSubjectNameStrategy/)
    for (const key of ['specific.protobuf.value.type', 'derive.type']) assert.ok((PROTOBUF_UNSUPPORTED_KEYS.get(key) ?? '').length > 10, key)
  })

  it('default: proto3 fields read back optional, a null scalar as its default', () => {
    const got = through(fmt(), FLAT, new Struct(FLAT).put('b', 'x'))
    assert.ok(got.schema.fields!.every(f => f.schema.optional))
    assert.deepEqual([0, 'x', ''], ['a', 'b', 'c'].map(f => (got.value as Struct).get(f)))
  })

  it('optional.for.nullables: optional fields keep their nulls, required ones read back required', () => {
    const format = fmt({ optionalForNullables: true })
    const expected = S.struct().name('Flat').field('a', tagged(S.int32().optional(), 1)).field('b', tagged(S.string(), 2)).field('c', tagged(S.string().optional(), 3)).build()
    const got = through(format, FLAT, new Struct(FLAT).put('a', 0).put('b', 'x'))
    assertConnectEqual(got, { schema: expected, value: new Struct(expected).put('a', 0).put('b', 'x') })
  })

  it('wrapper.for.nullables: optional primitives are wrapper messages, so null and 0 stay apart', () => {
    const format = fmt({ wrapperForNullables: true })
    const expected = S.struct().name('Flat').field('a', tagged(S.int32().optional(), 1)).field('b', tagged(S.string(), 2)).field('c', tagged(S.string().optional(), 3)).build()
    const got = through(format, FLAT, new Struct(FLAT).put('a', 0).put('b', 'x'))
    assertConnectEqual(got, { schema: expected, value: new Struct(expected).put('a', 0).put('b', 'x') })
    // Without the setting a reader sees the wrapper as a struct named after it.
    const plain = fmt().toConnectSchema(fmt().parse(got.text, []))
    assert.equal(plain.fields![0]!.schema.name, 'Int32Value')
  })

  it('wrapper.for.nullables: a wrapper-typed oneof member is marked, and wrapped again when written', () => {
    const text = 'syntax = "proto3";\nimport "google/protobuf/wrappers.proto";\nmessage M {\n  oneof v {\n    string s = 1;\n    google.protobuf.StringValue w = 2;\n  }\n}\n'
    const format = fmt({ wrapperForNullables: true })
    const parsed = format.parse(text, [])
    const schema = format.toConnectSchema(parsed)
    const union = schema.fields![0]!.schema
    assert.equal(union.fields![0]!.schema.parameters?.['io.confluent.connect.protobuf.Wrapper'], undefined)
    assert.equal(union.fields![1]!.schema.parameters?.['io.confluent.connect.protobuf.Wrapper'], 'true')
    const value = new Struct(schema).put('v_0', new Struct(union).put('w', ''))
    const bytes = format.serialize(parsed, schema, value)
    assert.equal(bytes.toString('hex'), '001200', 'the empty string is wrapped: a present, empty StringValue')
    assertConnectEqual(format.read(parsed, schema, bytes), { schema, value })
    assert.match(format.fromConnectSchema(schema).text, /oneof v {\n {4}string s = 1;\n {4}google\.protobuf\.StringValue w = 2;\n {2}}/)
  })

  const ENUM_TEXT = 'syntax = "proto3";\npackage p;\nmessage E {\n  Kind kind = 1;\n  enum Kind {\n    A = 0;\n    B = 3;\n  }\n}\n'

  it('int.for.enums: an enum reads back as INT32 with its symbols, and is written back as the enum', () => {
    const format = fmt({ intForEnums: true })
    const parsed = format.parse(ENUM_TEXT, [])
    const schema = format.toConnectSchema(parsed)
    const kind = schema.fields![0]!.schema
    assert.equal(kind.type, 'int32')
    assert.deepEqual(kind.parameters, { 'io.confluent.connect.protobuf.Enum': 'Kind', 'io.confluent.connect.protobuf.Enum.A': '0', 'io.confluent.connect.protobuf.Enum.B': '3', [TAG]: '1' })
    const bytes = format.serialize(parsed, schema, new Struct(schema).put('kind', 3))
    assert.equal(bytes.toString('hex'), '000803')
    assert.equal((format.read(parsed, schema, bytes).value as Struct).get('kind'), 3)
    assert.throws(() => format.serialize(parsed, schema, new Struct(schema).put('kind', 4)), /4 is not a number of enum E\.Kind/)
  })

  it('enhanced.protobuf.schema.support: full names for messages, enums, unions and maps', () => {
    const text = 'syntax = "proto3";\npackage p;\nmessage M {\n  N n = 1;\n  map<string, int32> my_map = 2;\n  E e = 3;\n  oneof u {\n    int32 x = 4;\n  }\n  message N {\n    int32 y = 1;\n  }\n  enum E {\n    Z = 0;\n  }\n}\n'
    const format = fmt({ enhancedSchemaSupport: true })
    const schema = format.toConnectSchema(format.parse(text, []))
    assert.deepEqual(schema.fields!.map(f => [f.name, f.schema.name]),
      [['u_0', 'io.confluent.connect.protobuf.Union.p.M.u'], ['n', 'p.M.N'], ['my_map', 'p.M.my_map'], ['e', 'p.M.E']])
    assert.equal(schema.name, 'p.M')
  })

  it('flatten.unions and generate.index.for.unions=false: how a oneof appears', () => {
    const text = 'syntax = "proto3";\nmessage M {\n  int32 a = 1;\n  oneof u {\n    string s = 2;\n    int64 l = 3;\n  }\n  oneof w {\n    bool b = 4;\n  }\n}\n'
    const names = (options: Partial<ProtobufDataOptions>): string[] => fmt(options).toConnectSchema(fmt(options).parse(text, [])).fields!.map(f => f.name)
    assert.deepEqual(names({}), ['u_0', 'w_1', 'a'])
    assert.deepEqual(names({ generateIndexForUnions: false }), ['u', 'w', 'a'])
    assert.deepEqual(names({ flattenUnions: true }), ['s', 'l', 'b', 'a'])
    const format = fmt({ flattenUnions: true })
    const parsed = format.parse(text, [])
    const schema = format.toConnectSchema(parsed)
    const got = format.read(parsed, schema, Buffer.from('0018052001', 'hex')).value as Struct
    assert.deepEqual([got.get('s'), got.get('l'), got.get('b'), got.get('a')], [null, 5, true, 0])
  })

  it('generalized.sum.type.support: Connect\'s generic enum and union parameters', () => {
    const text = 'syntax = "proto3";\nmessage M {\n  K k = 1;\n  oneof u {\n    string s = 2;\n  }\n  enum K {\n    X = 0;\n  }\n}\n'
    const format = fmt({ generalizedSumTypeSupport: true })
    const parsed = format.parse(text, [])
    const schema = format.toConnectSchema(parsed)
    assert.equal(schema.fields![0]!.schema.name, 'u')
    assert.equal(schema.fields![0]!.schema.parameters?.['org.apache.kafka.connect.data.Union'], 'u')
    assert.equal(schema.fields![1]!.schema.parameters?.['org.apache.kafka.connect.data.Enum.X'], '0')
    assert.equal(format.fromConnectSchema(schema).text, 'syntax = "proto3";\n\nmessage M {\n  K k = 1;\n\n  oneof u {\n    string s = 2;\n  }\n\n  enum K {\n    X = 0;\n  }\n}\n')
  })

  it('generate.struct.for.nulls: an absent message field reads back as a struct of defaults', () => {
    const schema = S.struct().name('O').field('inner', S.struct().name('I').field('n', Schemas.INT32).optional().build()).build()
    const value = new Struct(schema)
    assert.equal((through(fmt(), schema, value).value as Struct).get('inner'), null)
    const inner = (through(fmt({ generateStructForNulls: true }), schema, value).value as Struct).get('inner') as Struct
    assert.equal(inner.get('n'), 0)
  })

  it('optional.for.proto2: an absent proto2 optional scalar reads back null (or its default when false)', () => {
    const text = 'syntax = "proto2";\nmessage P {\n  optional int32 a = 1 [default = 7];\n  required string b = 2;\n}\n'
    const read = (optionalForProto2: boolean): unknown[] => {
      const format = fmt({ optionalForProto2 })
      const parsed = format.parse(text, [])
      const v = format.read(parsed, format.toConnectSchema(parsed), Buffer.from('00120178', 'hex')).value as Struct
      return [v.get('a'), v.get('b')]
    }
    assert.deepEqual(read(true), [null, 'x'])
    assert.deepEqual(read(false), [7, 'x'])
  })

  it('wrapper.for.raw.primitives=false: a primitive reads back as the wrapper struct', () => {
    const written = fmt().fromConnectSchema(Schemas.STRING)
    const format = fmt({ wrapperForRawPrimitives: false })
    const parsed = format.parse(written.text, [])
    const got = format.read(parsed, format.toConnectSchema(parsed), fmt().serialize(written, Schemas.STRING, 'hi'))
    assert.equal(got.schema.name, 'StringValue')
    assert.equal((got.value as Struct).get('value'), 'hi')
  })

  it('ignore.default.for.nullables: a null optional field with a default is written as null', () => {
    const schema = S.struct().name('D').field('n', S.int32().optional().defaultValue(5).build()).build()
    const value = new Struct(schema)
    const options = { wrapperForNullables: true }
    assert.equal((through(fmt(options), schema, value).value as Struct).get('n'), 5)
    assert.equal((through(fmt({ ...options, ignoreDefaultForNullables: true }), schema, value).value as Struct).get('n'), null)
  })
})
