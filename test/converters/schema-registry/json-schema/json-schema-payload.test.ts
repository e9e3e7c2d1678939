/**
 * Payloads: the JSON text after the 5-byte header, as Confluent's serializer writes the tree JsonSchemaData builds
 * (Jackson: int64 exact, Float/Double.toString digits, non-finite numbers quoted, bytes as base64, Decimal as base64
 * or an exact number), the reader's side, validation against the schema (json.fail.invalid.schema), Jackson's pretty
 * printer (json.indent.output), and the format's settings.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { BigDecimal, ConnectDate, ConnectTimestamp, Decimal, SchemaBuilder, Schemas, Struct, type Schema } from '../../../../src/api/index.ts'
import {
  DEFAULT_SETTINGS, JSON_SCHEMA_CONFIG_DEF, JSON_SCHEMA_UNSUPPORTED_KEYS, jsonSchemaSettings, type JsonSchemaSettings
} from '../../../../src/converters/schema-registry/json-schema/json-schema-config.ts'
import { JsonSchemaFormat, JsonSchemaFormatFactory } from '../../../../src/converters/schema-registry/json-schema/json-schema-format.ts'
import { valueDiff } from '../corpus.ts'

function io (schema: Schema, settings: Partial<JsonSchemaSettings> = {}): { write: (v: unknown) => string, read: (json: string) => unknown, format: JsonSchemaFormat } {
  const format = new JsonSchemaFormat({ ...DEFAULT_SETTINGS, ...settings })
  const written = format.fromConnectSchema(schema)
  const parsed = format.parse(written.text, [])
  const readSchema = format.toConnectSchema(parsed)
  return {
    format,
    write: v => format.serialize(written, schema, v).toString('utf8'),
    read: json => format.deserialize(parsed, readSchema, Buffer.from(json, 'utf8'))
  }
}

describe('JSON Schema format: payloads', () => {
  it('int64 beyond 2^53 is written and read exactly', () => {
    const { write, read } = io(SchemaBuilder.array(Schemas.INT64).build())
    const text = write([9223372036854775807n, -9223372036854775808n, 2 ** 53 + 2, 1])
    assert.equal(text, '[9223372036854775807,-9223372036854775808,9007199254740994,1]')
    // Beyond 2^53 a value reads as a bigint (src/api's INT64 model), below as a number.
    assert.deepEqual(read(text), [9223372036854775807n, -9223372036854775808n, 9007199254740994n, 1])
  })

  it('floats with Java\'s Float/Double.toString digits; NaN and Infinity quoted, as Jackson writes them', () => {
    const s = SchemaBuilder.struct().field('f', Schemas.FLOAT32).field('d', SchemaBuilder.array(Schemas.FLOAT64).build()).build()
    assert.equal(io(s).write(new Struct(s).put('f', 0.1).put('d', [100, 1e21, 1e-7, 0.1 + 0.2, -0, Number.NaN, -Infinity])),
      '{"f":0.1,"d":[100.0,1.0E21,1.0E-7,0.30000000000000004,-0.0,"NaN","-Infinity"]}')
  })

  it('fractions are read as exact decimals, then rounded once to the field\'s type', () => {
    const s = SchemaBuilder.struct().field('f', Schemas.FLOAT32).field('d', Schemas.FLOAT64).field('i', Schemas.INT32).build()
    const v = io(s).read('{"f":0.1,"d":1e400,"i":3.9}') as Struct
    assert.equal(v.get('f'), Math.fround(0.1))
    assert.equal(v.get('d'), Infinity)
    assert.equal(v.get('i'), 3)
  })

  it('bytes as base64; Decimal as base64 of the unscaled bytes, or with decimal.format=NUMERIC a number keeping its scale (testFromConnect*Decimal)', () => {
    const s = SchemaBuilder.struct().field('b', Schemas.BYTES).field('d', Decimal.schema(2)).build()
    const value = new Struct(s).put('b', Buffer.from([0, 255])).put('d', new BigDecimal(156n, 2))
    const base64 = io(s)
    assert.equal(base64.write(value), '{"b":"AP8=","d":"AJw="}')
    assert.equal(valueDiff(base64.read('{"b":"AP8=","d":"AJw="}'), value), null)
    const numeric = io(SchemaBuilder.struct().field('d', Decimal.schema(4)).build(), { decimalFormat: 'NUMERIC' })
    const d4 = SchemaBuilder.struct().field('d', Decimal.schema(4)).build()
    assert.equal(numeric.write(new Struct(d4).put('d', new BigDecimal(15600n, 4))), '{"d":1.5600}')
    assert.equal(((numeric.read('{"d":1.5600}') as Struct).get('d') as BigDecimal).scale, 4)
    // Either form is read whatever decimal.format says.
    assert.equal(valueDiff((io(SchemaBuilder.struct().field('d', Decimal.schema(2)).build()).read('{"d":1.56}') as Struct).get('d'), new BigDecimal(156n, 2)), null)
  })

  it('Date as days, Time as milliseconds of the day, Timestamp as epoch milliseconds', () => {
    const s = SchemaBuilder.struct().field('date', ConnectDate.SCHEMA).field('ts', ConnectTimestamp.SCHEMA).build()
    const v = new Struct(s).put('date', new Date(86400000 * 3)).put('ts', new Date(1600000000123))
    const { write, read } = io(s)
    assert.equal(write(v), '{"date":3,"ts":1600000000123}')
    assert.equal(valueDiff(read('{"date":3,"ts":1600000000123}'), v), null)
    assert.throws(() => read('{"date":"3","ts":1}'), /Invalid type for Date, underlying representation should be integer but was STRING/)
  })

  it('struct fields in field order; a required field left null is left out (testFromConnectRecordWithMissingNonoptional)', () => {
    const s = SchemaBuilder.struct().name('Record').field('int8', Schemas.INT8).field('string', Schemas.STRING).build()
    assert.equal(io(s).write(new Struct(s).put('int8', 12)), '{"int8":12}')
  })

  it('a null with a default writes the default, or null with ignore.default.for.nullables (testFromConnectRecordIgnoreDefaultForNullables)', () => {
    const s = SchemaBuilder.struct().field('int8', Schemas.INT8).field('string', SchemaBuilder.string().optional().defaultValue('default-string').build()).build()
    assert.equal(io(s).write(new Struct(s).put('int8', 12)), '{"int8":12,"string":"default-string"}')
    assert.equal(io(s, { ignoreDefaultForNullables: true }).write(new Struct(s).put('int8', 12)), '{"int8":12,"string":null}')
  })

  it('maps: string keys as an object, other keys as [{"key","value"}] entries; read back in java.util.HashMap order', () => {
    const strings = io(SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
    assert.equal(strings.write(new Map([['b', 1], ['a', 2]])), '{"b":1,"a":2}')
    assert.deepEqual([...(strings.read('{"b":1,"a":2}') as Map<string, number>).keys()], ['a', 'b'])
    const ints = io(SchemaBuilder.map(Schemas.INT32, Schemas.OPTIONAL_STRING).build())
    assert.equal(ints.write(new Map([[2, 'x'], [1, null]])), '[{"key":2,"value":"x"},{"key":1,"value":null}]')
    assert.deepEqual([...(ints.read('[{"key":2,"value":"x"},{"key":1,"value":null}]') as Map<number, string>)], [[1, null], [2, 'x']])
    assert.throws(() => ints.read('{"1":"x"}'), /Maps with non-string fields should be encoded as JSON array of objects, but found OBJECT/)
    assert.throws(() => strings.read('[]'), /Maps with string fields should be encoded as JSON objects, but found ARRAY/)
    assert.throws(() => ints.read('[{"key":1}]'), /Found invalid map entry, expected length 2 but found :1/)
  })

  it('strings escaped as Jackson escapes them; text read as UTF-8', () => {
    const { write, read } = io(Schemas.STRING)
    assert.equal(write('a"b\\c\n\u0001é😀'), '"a\\"b\\\\c\\n\\u0001é\\uD83D\\uDE00"')
    assert.equal(read('"é\\u00e9"'), 'éé')
  })

  it('refuses values of the wrong type with Confluent\'s messages', () => {
    assert.throws(() => io(Schemas.INT32).write('1'), /Invalid type for INT32: class java.lang.String/)
    assert.throws(() => io(Schemas.BYTES).write('x'), /Invalid type for bytes type: class java.lang.String/)
    assert.throws(() => io(Decimal.schema(2)).write(1.5), /Invalid type for Decimal, expected BigDecimal but was class java.lang.Double/)
    const a = SchemaBuilder.struct().name('A').field('x', Schemas.INT32).build()
    const b = SchemaBuilder.struct().name('B').field('x', Schemas.INT32).build()
    assert.throws(() => io(a).write(new Struct(b).put('x', 1)), /Mismatching schema\./)
    assert.throws(() => io(Schemas.STRING).read('{'), /Invalid JSON payload/)
    assert.throws(() => io(SchemaBuilder.struct().field('x', Schemas.INT32).build()).read('[1]'), /Structs should be encoded as JSON objects, but found ARRAY/)
    assert.throws(() => io(Schemas.INT32).read('null'), /Invalid null value for required INT32 field/)
    assert.throws(() => new JsonSchemaFormat(DEFAULT_SETTINGS).fromConnectSchema(null), /needs a schema/)
  })

  it('json.indent.output writes Jackson\'s default pretty printer\'s layout', () => {
    const s = SchemaBuilder.struct().field('a', Schemas.INT32).field('l', SchemaBuilder.array(SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build()).build())
      .field('e', SchemaBuilder.array(Schemas.INT32).build()).field('m', SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build()).build()
    const text = io(s, { indentOutput: true }).write(new Struct(s).put('a', 1).put('l', [new Map([['k', 1]])]).put('e', []).put('m', new Map()))
    assert.equal(text, '{\n  "a" : 1,\n  "l" : [ {\n    "k" : 1\n  } ],\n  "e" : [ ],\n  "m" : { }\n}')
  })
})

describe('JSON Schema format: validation (json.fail.invalid.schema)', () => {
  const text = '{"type":"object","properties":{"n":{"type":"integer","maximum":5,"connect.index":0},"s":{"type":"string","minLength":2,"connect.index":1}},"required":["n"]}'

  it('is off by default: a payload the schema forbids is read', () => {
    const format = new JsonSchemaFormat(DEFAULT_SETTINGS)
    const parsed = format.parse(text, [])
    assert.equal((format.deserialize(parsed, format.toConnectSchema(parsed), Buffer.from('{"n":9}')) as Struct).get('n'), 9)
  })

  it('checks what is written and what is read, with the schema compiled once', () => {
    const format = new JsonSchemaFormat({ ...DEFAULT_SETTINGS, failInvalidSchema: true })
    const parsed = format.parse(text, [])
    const schema = format.toConnectSchema(parsed)
    assert.throws(() => format.serialize(parsed, schema, new Struct(schema).put('n', 9).put('s', 'ok')), /Validation error in JSON, Error report:\n#\/n: must be <= 5/)
    assert.throws(() => format.deserialize(parsed, schema, Buffer.from('{"s":"x"}')), /#: must have required property 'n'\n#\/s: must NOT have fewer than 2 characters/)
    assert.equal(format.serialize(parsed, schema, new Struct(schema).put('n', 5)).toString(), '{"n":5}')
    assert.equal(parsed.validator(false), parsed.validator(false))
  })

  it('validates against the draft the schema names, with its references; ignore.modern.dialects reads 2019-09/2020-12 as draft 7', () => {
    const format = new JsonSchemaFormat({ ...DEFAULT_SETTINGS, failInvalidSchema: true })
    const check = (schemaText: string, payload: string, refs: Array<{ name: string, subject: string, schema: string }> = []): boolean => {
      const parsed = format.parse(schemaText, refs)
      try {
        format.deserialize(parsed, format.toConnectSchema(parsed), Buffer.from(payload))
        return true
      } catch (err) {
        if (/Error report/.test((err as Error).message)) return false
        throw err
      }
    }
    const modern = '{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"a":{"$ref":"#/$defs/A"}},"$defs":{"A":{"type":"string"}}}'
    assert.equal(check(modern, '{"a":"x"}'), true)
    assert.equal(check(modern, '{"a":1}'), false)
    assert.equal(check('{"$schema":"https://json-schema.org/draft/2019-09/schema","type":"object","properties":{"a":{"type":"string"}}}', '{"a":1}'), false)
    assert.equal(check('{"$schema":"http://json-schema.org/draft-04/schema#","type":"object","properties":{"a":{"type":"string"}}}', '{"a":1}'), false)
    const refs = [{ name: 'other.json', subject: 'other', schema: '{"type":"object","properties":{"x":{"type":"number"}}}' }]
    assert.equal(check('{"type":"object","properties":{"p":{"$ref":"other.json"}}}', '{"p":{"x":"no"}}', refs), false)
    assert.equal(check('{"type":"object","properties":{"p":{"$ref":"other.json"}}}', '{"p":{"x":1}}', refs), true)
  })
})

describe('JSON Schema format: settings', () => {
  it('parses JsonSchemaDataConfig\'s and the serializer\'s keys with their defaults', () => {
    assert.deepEqual(jsonSchemaSettings(JSON_SCHEMA_CONFIG_DEF.parse({})), DEFAULT_SETTINGS)
    const s = jsonSchemaSettings(JSON_SCHEMA_CONFIG_DEF.parse({ 'decimal.format': 'numeric', 'schemas.cache.config': '0', 'json.fail.invalid.schema': 'true', 'object.additional.properties': 'false' }))
    assert.equal(s.decimalFormat, 'NUMERIC')
    assert.equal(s.schemaCacheSize, 1)
    assert.equal(s.failInvalidSchema, true)
    assert.equal(s.allowAdditionalProperties, false)
    assert.throws(() => JSON_SCHEMA_CONFIG_DEF.parse({ 'decimal.format': 'text' }), /String must be one of \(case insensitive\): BASE64, NUMERIC/)
    // Keys with no effect in a converter (there as here) are accepted.
    assert.doesNotThrow(() => JSON_SCHEMA_CONFIG_DEF.parse({ 'json.fail.unknown.properties': 'false', 'json.write.dates.iso8601': 'true', 'json.schema.spec.version': 'draft_2020_12', 'json.oneof.for.nullables': 'false' }))
    assert.equal(JsonSchemaFormatFactory.create(JSON_SCHEMA_CONFIG_DEF.parse({}), false).type, 'JSON')
  })

  it('refuses what it cannot honour, with the reason, and accepts those keys at their defaults', () => {
    assert.deepEqual([...JSON_SCHEMA_UNSUPPORTED_KEYS.keys()], ['preserve.additional.properties', 'validation.rules.execution'])
    assert.throws(() => JSON_SCHEMA_CONFIG_DEF.parse({ 'preserve.additional.properties': 'true' }), /preserve.additional.properties: not supported: .*Variant/)
    assert.throws(() => JSON_SCHEMA_CONFIG_DEF.parse({ 'validation.rules.execution': 'AFTER_DOMAIN_RULES' }), /not supported: inline validation/)
    assert.doesNotThrow(() => JSON_SCHEMA_CONFIG_DEF.parse({ 'preserve.additional.properties': 'false', 'validation.rules.execution': 'disabled' }))
    const errors = JSON_SCHEMA_CONFIG_DEF.validate({ 'preserve.additional.properties': 'true' }).find(v => v.name === 'preserve.additional.properties')!.errors
    assert.equal(errors.length, 1)
  })

  it('bounds its schema caches by schemas.cache.config', () => {
    const format = new JsonSchemaFormat({ ...DEFAULT_SETTINGS, schemaCacheSize: 2 })
    const schemas = [1, 2, 3].map(i => SchemaBuilder.struct().name(`S${i}`).build())
    const first = format.fromConnectSchema(schemas[0]!)
    assert.equal(format.fromConnectSchema(schemas[0]!), first)
    format.fromConnectSchema(schemas[1]!)
    format.fromConnectSchema(schemas[2]!)
    assert.notEqual(format.fromConnectSchema(schemas[0]!), first)
    const parsed = format.parse(first.text, [])
    assert.equal(format.toConnectSchema(parsed), format.toConnectSchema(parsed))
  })
})
