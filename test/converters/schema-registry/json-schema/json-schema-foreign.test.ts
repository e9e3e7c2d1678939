/**
 * Schemas another producer registered (no connect.* properties): the Connect schema and values a reader gets must be
 * the ones Confluent's JsonSchemaData gives. Each case names the fact; several are the inputs of Confluent's own
 * JsonSchemaDataTest / JsonSchemaConverterTest, with the outcome those tests assert.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { SchemaBuilder, Schemas, Struct, type Schema } from '../../../../src/api/index.ts'
import { DEFAULT_SETTINGS, type JsonSchemaSettings } from '../../../../src/converters/schema-registry/json-schema/json-schema-config.ts'
import { JsonSchemaFormat } from '../../../../src/converters/schema-registry/json-schema/json-schema-format.ts'
import type { ResolvedReference } from '../../../../src/converters/schema-registry/schema-format.ts'
import { schemaDiff, valueDiff } from '../corpus.ts'

const ONE_OF = 'io.confluent.connect.json.OneOf'
const ENUM = 'io.confluent.connect.json.Enum'

function read (text: string, settings: Partial<JsonSchemaSettings> = {}, references: ResolvedReference[] = []): { format: JsonSchemaFormat, schema: Schema, value: (json: string) => unknown } {
  const format = new JsonSchemaFormat({ ...DEFAULT_SETTINGS, ...settings })
  const parsed = format.parse(text, references)
  const schema = format.toConnectSchema(parsed)
  return { format, schema, value: (json: string) => format.deserialize(parsed, schema, Buffer.from(json)) }
}

const same = (actual: Schema, expected: Schema): void => assert.equal(schemaDiff(actual, expected), null)

describe('JSON Schema format: schemas from other producers', () => {
  it('integer is INT64, number FLOAT64; properties without connect.index come in java.util.HashMap order (objectschema.json)', () => {
    const { schema, value } = read('{"type":"object","properties":{"int64":{"type":"integer"},"float64":{"type":"number"},"boolean":{"type":"boolean"},"string":{"type":"string"},"array":{"type":"array","items":{"type":"string"}}}}')
    same(schema, SchemaBuilder.struct().field('boolean', Schemas.BOOLEAN).field('string', Schemas.STRING)
      .field('array', SchemaBuilder.array(Schemas.STRING).build()).field('int64', Schemas.INT64).field('float64', Schemas.FLOAT64).build())
    const v = value('{"int64":9223372036854775807,"float64":0.1,"boolean":true,"string":"s","array":["a"]}') as Struct
    assert.equal(v.get('int64'), 9223372036854775807n)
    assert.equal(v.get('float64'), 0.1)
  })

  it('"type": ["null", "string"] with a null default is an optional string (keyvalue.json); a missing property reads as null', () => {
    const { schema, value } = read('{"type":"object","properties":{"key":{"type":"integer"},"value":{"type":["null","string"],"default":null}}}')
    same(schema, SchemaBuilder.struct().field('value', Schemas.OPTIONAL_STRING).field('key', Schemas.INT64).build())
    assert.equal((value('{"key":1}') as Struct).get('value'), null)
  })

  it('"required" does not make fields optional unless use.optional.for.nonrequired (testNumericFormats)', () => {
    const text = '{"title":"numerics with format","type":"object","properties":{"id":{"type":"integer","format":"int32"},"num":{"type":"number","format":"double"}},"required":["id"],"additionalProperties":false}'
    const plain = read(text).schema
    assert.equal(plain.name, 'numerics with format')
    assert.equal(plain.fields!.find(f => f.name === 'id')!.schema.type, 'int64')
    assert.ok(plain.fields!.every(f => !f.schema.optional))
    const lenient = read(text, { useOptionalForNonRequired: true }).schema
    assert.equal(lenient.fields!.find(f => f.name === 'id')!.schema.optional, false)
    assert.equal(lenient.fields!.find(f => f.name === 'num')!.schema.optional, true)
  })

  it('a format next to "type": [null, number] keeps the field optional (testOptionalNumericFormats, testOptionalStringFormats)', () => {
    const { schema } = read('{"type":"object","properties":{"id":{"format":"int32","type":["null","number"]},"str":{"format":"uuid","type":["null","string"]}}}')
    assert.deepEqual(schema.fields!.map(f => [f.name, f.schema.type, f.schema.optional]), [['str', 'string', true], ['id', 'float64', true]])
  })

  it('oneOf of several types is a union struct with one optional field per branch; a value takes the first branch its JSON type fits (testToConnectUnion*)', () => {
    const { schema, value } = read('{"oneOf":[{"type":"string"},{"type":"integer","connect.type":"int32"},{"type":"number"}]}')
    same(schema, SchemaBuilder.struct().name(ONE_OF).field(`${ONE_OF}.field.0`, Schemas.OPTIONAL_STRING)
      .field(`${ONE_OF}.field.1`, Schemas.OPTIONAL_INT32).field(`${ONE_OF}.field.2`, Schemas.OPTIONAL_FLOAT64).build())
    assert.equal(valueDiff(value('12'), new Struct(schema).put(`${ONE_OF}.field.1`, 12)), null)
    assert.equal(valueDiff(value('1.5'), new Struct(schema).put(`${ONE_OF}.field.2`, 1.5)), null)
    assert.equal(valueDiff(value('"x"'), new Struct(schema).put(`${ONE_OF}.field.0`, 'x')), null)
    assert.throws(() => value('true'), /Did not find matching oneof field for data/)
  })

  it('with generalized.sum.type.support the union is connect_union_N with the Union parameter (testToConnectUnionWithGeneralizedSumTypeSupport)', () => {
    const { schema } = read('{"oneOf":[{"type":"integer","connect.type":"int8"},{"type":"integer","connect.type":"int16"}]}', { generalizedSumTypeSupport: true })
    same(schema, SchemaBuilder.struct().name('connect_union_0').parameter('org.apache.kafka.connect.data.Union', 'connect_union_0')
      .field('connect_union_field_0', Schemas.OPTIONAL_INT8).field('connect_union_field_1', Schemas.OPTIONAL_INT16).build())
  })

  it('a union of objects picks the branch sharing most property names (testToConnectUnionDifferentStruct)', () => {
    const { schema, value } = read('{"oneOf":[{"type":"object","title":"A","properties":{"a":{"type":"integer"},"b":{"type":"string"}}},{"type":"object","title":"C","properties":{"c":{"type":"integer"},"d":{"type":"string"}}}]}')
    const v = value('{"c":1,"d":"x"}') as Struct
    assert.equal(v.get(`${ONE_OF}.field.0`), null)
    assert.equal((v.get(`${ONE_OF}.field.1`) as Struct).get('d'), 'x')
    assert.equal(schema.fields![1]!.schema.name, 'C')
  })

  it('a title next to an anyOf of objects: the union\'s own name wins (testCombinedSchemaTitleAndObject)', () => {
    const { schema } = read('{"title":"Product Identifier","type":"object","anyOf":[{"type":"object","properties":{"keycode":{"type":"string"}}},{"type":"object","properties":{"itemCode":{"type":"string"}}}]}')
    assert.equal(schema.name, ONE_OF)
  })

  it('a single-branch oneOf is flattened, unless flatten.singleton.unions=false (testToConnectSingletonUnion)', () => {
    same(read('{"oneOf":[{"type":"string"}]}').schema, Schemas.STRING)
    same(read('{"oneOf":[{"type":"string"}]}', { flattenSingletonUnions: false }).schema,
      SchemaBuilder.struct().name(ONE_OF).field(`${ONE_OF}.field.0`, Schemas.OPTIONAL_STRING).build())
  })

  it('enum and const are strings with the symbols as parameters (testToConnectEnum, testToConnectConst); with "type" the const is ignored', () => {
    same(read('{"enum":["one","two","three"]}').schema, SchemaBuilder.string().parameter(ENUM, '')
      .parameter(`${ENUM}.one`, 'one').parameter(`${ENUM}.two`, 'two').parameter(`${ENUM}.three`, 'three').build())
    same(read('{"const":"one"}').schema, SchemaBuilder.string().parameter(ENUM, '').parameter(`${ENUM}.one`, 'one').build())
    same(read('{"enum":["a",null]}', { generalizedSumTypeSupport: true }).schema, SchemaBuilder.string()
      .parameter('org.apache.kafka.connect.data.Enum', '').parameter('org.apache.kafka.connect.data.Enum.a', '0').parameter('org.apache.kafka.connect.data.Enum.<NULL>', '1').build())
    same(read('{"const":"money","type":"string"}').schema, Schemas.STRING)
    same(read('{"const":123,"type":"integer"}').schema, Schemas.INT64)
    same(read('{"type":"integer","enum":[1,2,3]}').schema, Schemas.INT64)
    same(read('{"type":"string","enum":["x","y"]}').schema, SchemaBuilder.string().parameter(ENUM, '').parameter(`${ENUM}.x`, 'x').parameter(`${ENUM}.y`, 'y').build())
  })

  it('allOf merges its objects\' properties into one unnamed struct; other allOfs take their combined, enum or typed part', () => {
    const { schema } = read('{"allOf":[{"$ref":"#/definitions/Base"},{"type":"object","properties":{"extra":{"type":"boolean"}},"required":["extra"]}],"title":"Dropped","definitions":{"Base":{"type":"object","properties":{"id":{"type":"string"}}}}}')
    same(schema, SchemaBuilder.struct().field('id', Schemas.STRING).field('extra', Schemas.BOOLEAN).build())
    same(read('{"allOf":[{"$ref":"#/definitions/N"}],"definitions":{"N":{"type":"integer","connect.type":"int64"}}}').schema, Schemas.INT64)
  })

  it('$ref within the document (definitions and $defs) and to a referenced schema by its name', () => {
    const { schema } = read('{"type":"object","properties":{"a":{"$ref":"#/definitions/P"},"b":{"$ref":"#/$defs/P"},"c":{"$ref":"other.json"}},"definitions":{"P":{"type":"string","title":"P"}}}',
      {}, [{ name: 'other.json', subject: 'other', schema: '{"type":"object","title":"Other","properties":{"x":{"type":"number"}}}' }])
    assert.deepEqual(schema.fields!.map(f => [f.name, f.schema.type, f.schema.name]), [['a', 'string', 'P'], ['b', 'string', 'P'], ['c', 'struct', 'Other']])
  })

  it('an optional $ref (oneOf [null, $ref]) and anyOf [$ref, array, null] are optional (testOptionalReferencedSchema, testOptionalObjectOrArray)', () => {
    const ref = read('{"type":"object","properties":{"node":{"oneOf":[{"type":"null","title":"Not included"},{"$ref":"#/definitions/N"}]}},"definitions":{"N":{"type":"object","properties":{"id":{"type":"string"}}}}}').schema
    assert.equal(ref.fields![0]!.schema.optional, true)
    assert.equal(ref.fields![0]!.schema.type, 'struct')
    const either = read('{"type":"object","properties":{"m":{"anyOf":[{"$ref":"#/definitions/M"},{"type":"array","items":{"$ref":"#/definitions/M"}},{"type":"null"}]}},"definitions":{"M":{"type":"object","properties":{"id":{"type":"string"}}}}}').schema
    assert.equal(either.fields![0]!.schema.optional, true)
    assert.equal(either.fields![0]!.schema.name, ONE_OF)
  })

  it('a definition used twice: the second use carries io.confluent.connect.json.Id', () => {
    const { schema } = read('{"type":"object","properties":{"from":{"$ref":"#/definitions/A","connect.index":0},"to":{"$ref":"#/definitions/A","connect.index":1}},"definitions":{"A":{"type":"object","title":"A","properties":{"s":{"type":"string"}}}}}')
    assert.equal(schema.fields![0]!.schema.parameters, undefined)
    assert.deepEqual(schema.fields![1]!.schema.parameters, { 'io.confluent.connect.json.Id': '#id1' })
  })

  it('a recursive schema is refused (Confluent builds a self-referencing Connect schema, which this data model cannot hold)', () => {
    assert.throws(() => read('{"type":"object","title":"Node","properties":{"next":{"$ref":"#"}}}'), /Recursive JSON schemas are not supported/)
  })

  it('an object without connect.type map is a struct, even with only additionalProperties (its values dropped, as Confluent drops them)', () => {
    const { schema, value } = read('{"type":"object","additionalProperties":{"type":"string"}}')
    same(schema, SchemaBuilder.struct().build())
    assert.equal((value('{"a":"x"}') as Struct).schema.fields!.length, 0)
  })

  it('"type" arrays and modern dialects: ["array","null"] with a stray "required" is an optional array (testAnyOfWithArray)', () => {
    const { schema } = read('{"$defs":{"review":{"properties":{"created_on":{"type":["string","null"]}},"required":[],"type":"object"}},"$schema":"https://json-schema.org/draft/2020-12/schema","properties":{"change_operation":{"type":"string"},"reviews":{"items":{"$ref":"#/$defs/review"},"required":[],"type":["array","null"]}}}')
    const reviews = schema.fields!.find(f => f.name === 'reviews')!.schema
    assert.equal(reviews.type, 'array')
    assert.equal(reviews.optional, true)
    assert.equal(reviews.valueSchema!.fields![0]!.schema.optional, true)
  })

  it('the registry version names a top-level schema that has no connect.version; connect.version wins', () => {
    const format = new JsonSchemaFormat(DEFAULT_SETTINGS)
    assert.equal(format.toConnectSchema(format.parse('{"type":"object","properties":{}}', []), 4).version, 4)
    assert.equal(format.toConnectSchema(format.parse('{"type":"object","connect.version":2,"properties":{}}', []), 4).version, 2)
  })

  it('refuses what Confluent refuses: items as a tuple or absent, unknown connect.type, true/false/not schemas, a struct default', () => {
    assert.throws(() => read('{"type":"array"}'), /Array schema did not specify the items type/)
    assert.throws(() => read('{"type":"array","items":[{"type":"string"}]}'), /Array schema did not specify the items type/)
    assert.throws(() => read('{"type":"integer","connect.type":"int128"}'), /Unsupported type int128/)
    assert.throws(() => read('{}'), /Unsupported schema type org\.everit\.json\.schema\.EmptySchema/)
    assert.throws(() => read('{"not":{"type":"string"}}'), /NotSchema/)
    assert.throws(() => read('{"type":"object","properties":{"a":{"type":"string"}},"default":{"a":"x"}}'), /Invalid default value/)
    assert.throws(() => read('{"type":"string","default":null}'), /Invalid null value for required STRING field/)
    assert.throws(() => read('{"type":"strin"}'), /unknown type: \[strin\]/)
    assert.throws(() => read('{"type":"object"'), /Invalid JSON schema/)
  })

  it('values with Confluent\'s leniency: a wrong JSON type reads as null / 0 / false, a missing field as its default, extra properties are dropped', () => {
    const { schema, value } = read('{"type":"object","properties":{"s":{"type":"string","connect.index":0},"i":{"type":"integer","connect.type":"int32","connect.index":1},"b":{"type":"boolean","connect.index":2},"d":{"type":"integer","default":7,"connect.index":3},"i8":{"type":"integer","connect.type":"int8","connect.index":4}}}')
    const v = value('{"s":5,"i":"x","b":"true","extra":1,"i8":300}') as Struct
    assert.equal(v.get('s'), null)
    assert.equal(v.get('i'), 0)
    assert.equal(v.get('b'), false)
    assert.equal(v.get('d'), 7)
    // (byte) 300, as Java narrows it.
    assert.equal(v.get('i8'), 44)
    assert.equal(schema.fields!.length, 5)
  })
})
