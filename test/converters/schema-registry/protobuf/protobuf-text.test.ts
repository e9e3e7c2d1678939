/**
 * Golden .proto texts for Connect schemas, each checked against a fact of Confluent's ProtobufData (named in the
 * test) and its ProtobufSchemaUtils layout: syntax, package, imports, then the message; fields, oneofs, nested messages
 * and enums in that order after blank lines; nested lines indented by two spaces per level.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, SchemaBuilder, Schemas, type Schema } from '../../../../src/api/index.ts'
import { ProtobufFormat } from '../../../../src/converters/schema-registry/protobuf/protobuf-format.ts'
import { DEFAULT_PROTOBUF_DATA_OPTIONS, type ProtobufDataOptions } from '../../../../src/converters/schema-registry/protobuf/protobuf-data-config.ts'

const S = SchemaBuilder
const TAG = 'io.confluent.connect.protobuf.Tag'
const ENUM = 'io.confluent.connect.protobuf.Enum'

function written (schema: Schema, options: Partial<ProtobufDataOptions> = {}): { text: string, name: string | null, refs: string[] } {
  const w = new ProtobufFormat({ ...DEFAULT_PROTOBUF_DATA_OPTIONS, ...options }).fromConnectSchema(schema)
  return { text: w.text, name: w.recordName, refs: w.references.map(r => r.name) }
}

const meta = (indent: string, ...params: Array<[string, string, boolean?]>): string =>
  `[(confluent.field_meta) = {\n${indent}  params: [\n` +
  params.map(([k, v, valueFirst], i) => `${indent}    {\n${indent}      ${valueFirst === true ? `value: "${v}",\n${indent}      key: "${k}"` : `key: "${k}",\n${indent}      value: "${v}"`}\n${indent}    }${i < params.length - 1 ? ',' : ''}\n`).join('') +
  `${indent}  ]\n${indent}}]`

describe('Protobuf schema text from Connect schemas (Confluent golden facts)', () => {
  it('an unnamed struct is message ConnectDefault1 without package, fields numbered from 1 by position', () => {
    // DEFAULT_SCHEMA_NAME + ++index; proto3; FieldDescriptor.Type names in lower case.
    const schema = S.struct().field('i', Schemas.INT32).field('l', Schemas.INT64).field('f', Schemas.FLOAT32).field('d', Schemas.FLOAT64)
      .field('b', Schemas.BOOLEAN).field('s', Schemas.STRING).field('y', Schemas.BYTES).build()
    const w = written(schema)
    assert.equal(w.name, 'ConnectDefault1')
    assert.equal(w.text, 'syntax = "proto3";\n\nmessage ConnectDefault1 {\n  int32 i = 1;\n  int64 l = 2;\n  float f = 3;\n  double d = 4;\n' +
      '  bool b = 5;\n  string s = 6;\n  bytes y = 7;\n}\n')
  })

  it('the namespace is the package; int8/int16 are int32 with connect.type metadata; a reused struct is nested once', () => {
    // splitName; CONNECT_TYPE_PROP params in confluent.field_meta; FromConnectContext.contains; "Message" suffix
    // when a type is named as its field; unnamed nested structs take the next ConnectDefault number.
    const address = S.struct().name('com.acme.Address').field('street', Schemas.STRING).build()
    const schema = S.struct().name('com.acme.Customer').field('tiny', Schemas.INT8).field('small', Schemas.OPTIONAL_INT16)
      .field('home', address).field('work', address).field('item', S.struct().name('com.acme.item').field('sku', Schemas.STRING).build())
      .field('inner', S.struct().field('x', Schemas.INT32).build()).build()
    const w = written(schema)
    assert.equal(w.name, 'com.acme.Customer')
    assert.equal(w.text, `syntax = "proto3";\npackage com.acme;\n\nmessage Customer {\n  int32 tiny = 1 ${meta('  ', ['connect.type', 'int8'])};\n` +
      `  int32 small = 2 ${meta('  ', ['connect.type', 'int16'])};\n  Address home = 3;\n  Address work = 4;\n  itemMessage item = 5;\n` +
      '  ConnectDefault1 inner = 6;\n\n  message Address {\n    string street = 1;\n  }\n  message itemMessage {\n    string sku = 1;\n  }\n' +
      '  message ConnectDefault1 {\n    int32 x = 1;\n  }\n}\n')
  })

  it('arrays are repeated fields of their element type', () => {
    const schema = S.struct().name('Orders').field('ids', S.array(Schemas.INT64).build())
      .field('lines', S.array(S.struct().name('Line').field('qty', Schemas.INT32).build()).build()).field('flags', S.array(Schemas.INT16).optional().build()).build()
    assert.equal(written(schema).text, 'syntax = "proto3";\n\nmessage Orders {\n  repeated int64 ids = 1;\n  repeated Line lines = 2;\n' +
      `  repeated int32 flags = 3 ${meta('  ', ['connect.type', 'int16'])};\n\n  message Line {\n    int32 qty = 1;\n  }\n}\n`)
  })

  it('maps are repeated XEntry messages (key = 1, value = 2) nested in the message; non-string keys allowed', () => {
    // mapDefinitionFromConnectSchema; toMapEntry ("my_counts" gives MyCountsEntry); the map's ConnectDefault number is
    // taken before its value struct's; a nested blank line inside a nested message is indented to two spaces.
    const schema = S.struct().name('Maps').field('a', S.map(Schemas.STRING, Schemas.STRING).build())
      .field('b', S.map(Schemas.INT64, S.struct().field('v', Schemas.STRING).build()).build())
      .field('c', S.map(Schemas.STRING, Schemas.INT32).name('my_counts').build()).build()
    assert.equal(written(schema).text, 'syntax = "proto3";\n\nmessage Maps {\n  repeated ConnectDefault1Entry a = 1;\n  repeated ConnectDefault2Entry b = 2;\n' +
      '  repeated MyCountsEntry c = 3;\n\n  message ConnectDefault1Entry {\n    string key = 1;\n    string value = 2;\n  }\n' +
      '  message ConnectDefault2Entry {\n    int64 key = 1;\n    ConnectDefault3 value = 2;\n  \n    message ConnectDefault3 {\n      string v = 1;\n    }\n  }\n' +
      '  message MyCountsEntry {\n    string key = 1;\n    int32 value = 2;\n  }\n}\n')
  })

  it('struct keys and values of a map are messages nested in the entry', () => {
    const schema = S.struct().field('m', S.map(S.struct().field('k', Schemas.INT32).build(), S.struct().field('v', Schemas.INT32).build()).build())
      .field('after', S.struct().field('z', Schemas.INT32).build()).build()
    assert.equal(written(schema).text, 'syntax = "proto3";\n\nmessage ConnectDefault1 {\n  repeated ConnectDefault2Entry m = 1;\n  ConnectDefault5 after = 2;\n\n' +
      '  message ConnectDefault2Entry {\n    ConnectDefault3 key = 1;\n    ConnectDefault4 value = 2;\n  \n    message ConnectDefault3 {\n      int32 k = 1;\n    }\n' +
      '    message ConnectDefault4 {\n      int32 v = 1;\n    }\n  }\n  message ConnectDefault5 {\n    int32 z = 1;\n  }\n}\n')
  })

  it('logical types import their files in first-use order; Decimal carries precision and scale, value first', () => {
    // PROTOBUF_*_TYPE/LOCATION; PRECISION/SCALE params in a HashMap (precision iterates first); ProtobufSchema's
    // toOption writes precision and scale entries value first "for backward compatibility".
    const schema = S.struct().name('Logical').field('price', Decimal.builder(2).parameter('connect.decimal.precision', '10').build())
      .field('day', ConnectDate.SCHEMA).field('tod', ConnectTime.SCHEMA).field('at', ConnectTimestamp.SCHEMA).field('amount', Decimal.schema(0)).build()
    const w = written(schema)
    assert.equal(w.text, 'syntax = "proto3";\n\nimport "confluent/type/decimal.proto";\nimport "google/type/date.proto";\nimport "google/type/timeofday.proto";\n' +
      `import "google/protobuf/timestamp.proto";\n\nmessage Logical {\n  confluent.type.Decimal price = 1 ${meta('  ', ['precision', '10', true], ['scale', '2', true])};\n` +
      '  google.type.Date day = 2;\n  google.type.TimeOfDay tod = 3;\n  google.protobuf.Timestamp at = 4;\n' +
      `  confluent.type.Decimal amount = 5 ${meta('  ', ['scale', '0', true])};\n}\n`)
    // skip.known.types (the default): every one of these imports is a known type, none is registered.
    assert.deepEqual(w.refs, [])
    assert.deepEqual(written(schema, { skipKnownTypes: false }).refs,
      ['confluent/type/decimal.proto', 'google/type/date.proto', 'google/type/timeofday.proto', 'google/protobuf/timestamp.proto'])
  })

  it('Confluent\'s enum encoding becomes a nested enum, its union encoding a oneof after the fields', () => {
    // PROTOBUF_TYPE_ENUM params; a union struct named io.confluent.connect.protobuf.Union.<name> becomes oneof <name>
    // with its members' Tag numbers; oneofs are written after the fields and before nested types.
    const union = S.struct().name('io.confluent.connect.protobuf.Union.payment')
      .field('card', S.string().optional().parameter(TAG, '3').build()).field('iban', S.string().optional().parameter(TAG, '4').build()).optional().build()
    const color = S.string().name('Color').parameter(ENUM, 'Color').parameter(`${ENUM}.RED`, '0').parameter(`${ENUM}.GREEN`, '1').parameter(TAG, '2').optional().build()
    const schema = S.struct().name('shop.Order').field('payment_0', union).field('id', S.string().parameter(TAG, '1').build()).field('color', color)
      .field('note', S.string().optional().parameter(TAG, '5').build()).build()
    assert.equal(written(schema).text, 'syntax = "proto3";\npackage shop;\n\nmessage Order {\n  string id = 1;\n  Color color = 2;\n  string note = 5;\n\n' +
      '  oneof payment {\n    string card = 3;\n    string iban = 4;\n  }\n\n  enum Color {\n    RED = 0;\n    GREEN = 1;\n  }\n}\n')
  })

  it('wrapper.for.nullables: optional primitives are google.protobuf wrapper messages', () => {
    const schema = S.struct().name('W').field('a', Schemas.OPTIONAL_INT32).field('b', Schemas.OPTIONAL_STRING).field('c', Schemas.INT64)
      .field('d', Schemas.OPTIONAL_INT8).field('e', Schemas.OPTIONAL_BYTES).build()
    assert.equal(written(schema, { wrapperForNullables: true }).text, 'syntax = "proto3";\n\nimport "google/protobuf/wrappers.proto";\n\nmessage W {\n' +
      '  google.protobuf.Int32Value a = 1;\n  google.protobuf.StringValue b = 2;\n  int64 c = 3;\n' +
      `  google.protobuf.Int32Value d = 4 ${meta('  ', ['connect.type', 'int8'])};\n  google.protobuf.BytesValue e = 5;\n}\n`)
  })

  it('optional.for.nullables: optional fields (structs too) get the proto3 optional label, repeated ones do not', () => {
    const schema = S.struct().name('O').field('a', Schemas.OPTIONAL_INT32).field('b', Schemas.STRING).field('c', S.array(Schemas.STRING).optional().build())
      .field('s', S.struct().name('Sub').field('x', Schemas.BOOLEAN).optional().build()).build()
    assert.equal(written(schema, { optionalForNullables: true }).text, 'syntax = "proto3";\n\nmessage O {\n  optional int32 a = 1;\n  string b = 2;\n' +
      '  repeated string c = 3;\n  optional Sub s = 4;\n\n  message Sub {\n    bool x = 1;\n  }\n}\n')
  })

  it('a Tag parameter fixes the field number; fields without one are numbered 1, 2, ... in order', () => {
    const schema = S.struct().name('T').field('a', S.int32().parameter(TAG, '5').build()).field('b', Schemas.STRING)
      .field('c', S.string().parameter(TAG, '9').build()).field('d', Schemas.BOOLEAN).build()
    assert.equal(written(schema).text, 'syntax = "proto3";\n\nmessage T {\n  int32 a = 5;\n  string b = 1;\n  string c = 9;\n  bool d = 2;\n}\n')
  })

  it('scrub.invalid.names: URL-encoded, then [^A-Za-z0-9_] to _, an x before a leading digit or _', () => {
    const schema = S.struct().name('my-ns.1st record').field('first-name', Schemas.STRING).field('_x', Schemas.INT32).field('ok', Schemas.INT32).build()
    const w = written(schema, { scrubInvalidNames: true })
    assert.equal(w.name, 'my_ns.x1st_record')
    assert.equal(w.text, 'syntax = "proto3";\npackage my_ns;\n\nmessage x1st_record {\n  string first_name = 1;\n  int32 x_x = 2;\n  int32 ok = 3;\n}\n')
    assert.throws(() => written(schema), /Invalid protobuf schema definition: .*"my-ns" is not a valid identifier/)
  })

  it('a primitive is the wrapper message of google/protobuf/wrappers.proto, which is the schema', () => {
    // descriptorFromConnectSchema: INT8/16/32 Int32Value, INT64 Int64Value, ..., BYTES BytesValue.
    const w = written(Schemas.STRING)
    assert.equal(w.name, 'google.protobuf.StringValue')
    assert.match(w.text, /^syntax = "proto3";\npackage google\.protobuf;\n\noption java_package = "com\.google\.protobuf";\n/)
    assert.match(w.text, /\nmessage StringValue {\n {2}string value = 1 \[json_name = "value"\];\n}\n/)
    for (const [schema, name] of [[Schemas.INT8, 'Int32Value'], [Schemas.INT16, 'Int32Value'], [Schemas.INT64, 'Int64Value'], [Schemas.FLOAT32, 'FloatValue'],
      [Schemas.FLOAT64, 'DoubleValue'], [Schemas.BOOLEAN, 'BoolValue'], [Schemas.OPTIONAL_BYTES, 'BytesValue'], [Decimal.schema(2), 'BytesValue'], [ConnectDate.SCHEMA, 'Int32Value']] as const) {
      assert.equal(written(schema).name, `google.protobuf.${name}`)
    }
  })

  it('refuses what Confluent refuses: array and map roots, arrays of arrays, a null schema', () => {
    assert.throws(() => written(S.array(Schemas.INT32).build()), /Unsupported root schema of type ARRAY/)
    assert.throws(() => written(S.map(Schemas.STRING, Schemas.INT32).build()), /Unsupported root schema of type MAP/)
    assert.throws(() => written(S.struct().field('a', S.array(S.array(Schemas.INT32).build()).build()).build()), /Array cannot be nested/)
    assert.throws(() => new ProtobufFormat(DEFAULT_PROTOBUF_DATA_OPTIONS).fromConnectSchema(null), /Protobuf needs a schema/)
  })
})
