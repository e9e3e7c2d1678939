/**
 * Avro payloads: bytes checked against the Avro specification's binary encoding, the settings that change what is
 * written (ignore.default.for.nullables, allow.optional.map.keys, scrub.invalid.names, enhanced.avro.schema.support),
 * schemaless data, the errors Confluent's AvroData raises, the format's settings and schema texts it refuses.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { BigDecimal, ConfigError, ConnectDate, DataError, Decimal, SchemaBuilder, Schemas, Struct, type Schema } from '../../../../src/api/index.ts'
import {
  AVRO_DATA_CONFIG_DEF, AVRO_UNSUPPORTED_KEYS, DEFAULT_AVRO_DATA_OPTIONS, avroDataOptions, type AvroDataOptions
} from '../../../../src/converters/schema-registry/avro/avro-data-config.ts'
import { AVRO_FORMAT_FACTORY, AvroFormat } from '../../../../src/converters/schema-registry/avro/avro-format.ts'
import { valueDiff } from '../corpus.ts'
import { SCHEMALESS_VALUES } from './golden-cases.ts'

function format (options: Partial<AvroDataOptions> = {}): AvroFormat {
  return new AvroFormat({ ...DEFAULT_AVRO_DATA_OPTIONS, ...options })
}

function hex (schema: Schema, value: unknown, options: Partial<AvroDataOptions> = {}): string {
  const f = format(options)
  return f.serialize(f.fromConnectSchema(schema), schema, value).toString('hex')
}

function roundTrip (schema: Schema | null, value: unknown, options: Partial<AvroDataOptions> = {}): { schema: Schema | null, value: unknown } {
  const f = format(options)
  const written = f.fromConnectSchema(schema)
  const read = f.parse(written.text, [])
  const connect = f.toConnectSchema(read)
  return { schema: connect, value: f.deserialize(read, connect, f.serialize(written, schema, value)) }
}

describe('Avro payloads', () => {
  it('encode as the Avro specification says (zig-zag varints, length-prefixed bytes, union index, map blocks)', () => {
    assert.equal(hex(Schemas.INT8, -1), '01')
    assert.equal(hex(Schemas.OPTIONAL_INT32, 5), '020a') // union branch 1 ("int"), then 5
    assert.equal(hex(Schemas.OPTIONAL_INT32, null), '00')
    assert.equal(hex(Decimal.schema(2), new BigDecimal(150n, 2)), '040096') // 2 bytes: 0x00 0x96, two's complement of 150
    assert.equal(hex(Decimal.schema(0), new BigDecimal(-1n, 0)), '02ff')
    assert.equal(hex(ConnectDate.SCHEMA, new Date(86400000)), '02')
    assert.equal(hex(Schemas.INT64, 2n ** 63n - 1n), 'feffffffffffffffff01')
    assert.equal(hex(SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build(), new Map([[1, 'a']])), '0202026100') // one MapEntry {1, "a"}
    // A map's entries in Java HashMap order (as AvroData fills one): "a" (bucket 1), "b" then "2" (bucket 2), "10" (15).
    assert.equal(hex(SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build(), new Map([['b', 1], ['10', 2], ['2', 3], ['a', 4]])), '080261080262020232060431300400')
  })

  it('a union struct writes the branch of its first non-null field, and reads back into that field', () => {
    const u = SchemaBuilder.struct().name('io.confluent.connect.avro.Union').field('int', Schemas.OPTIONAL_INT32).field('string', Schemas.OPTIONAL_STRING).build()
    assert.equal(hex(u, new Struct(u).put('string', 'x')), '020278')
    const back = roundTrip(u, new Struct(u).put('int', 3))
    assert.equal((back.value as Struct).get('int'), 3)
    assert.equal((back.value as Struct).get('string'), null)
  })

  it('a null field with a default is written as the default, unless ignore.default.for.nullables', () => {
    const s = SchemaBuilder.struct().name('D').field('a', SchemaBuilder.int32().optional().defaultValue(7).build()).build()
    assert.equal(hex(s, new Struct(s)), '000e') // branch 0 (int: the default comes first), 7
    assert.equal(hex(s, new Struct(s), { ignoreDefaultForNullables: true }), '02')
  })

  it('allow.optional.map.keys writes a map with optional string keys as an Avro map', () => {
    const s = SchemaBuilder.map(Schemas.OPTIONAL_STRING, Schemas.INT32).build()
    assert.equal(format().fromConnectSchema(s).text.includes('MapEntry'), true)
    assert.equal(format({ allowOptionalMapKeys: true }).fromConnectSchema(s).text, '{"type":"map","values":"int"}')
    assert.equal(hex(s, new Map([['k', 1]]), { allowOptionalMapKeys: true }), '02026b0200')
  })

  it('scrub.invalid.names: values go through the scrubbed field names', () => {
    const s = SchemaBuilder.struct().name('my-record').field('first-name', Schemas.STRING).build()
    const back = roundTrip(s, new Struct(s).put('first-name', 'Ann'), { scrubInvalidNames: true })
    assert.equal(back.schema?.name, 'my-record')
    assert.deepEqual(back.schema?.fields?.map(f => f.name), ['first_name'])
    assert.equal((back.value as Struct).get('first_name'), 'Ann')
  })

  it('enhanced.avro.schema.support: enum values are symbols, an unknown one refused', () => {
    const color = SchemaBuilder.string().name('com.example.Color').parameter('io.confluent.connect.avro.Enum', 'com.example.Color')
      .parameter('io.confluent.connect.avro.Enum.RED', 'RED').parameter('io.confluent.connect.avro.Enum.GREEN', 'GREEN').build()
    assert.equal(hex(color, 'GREEN', { enhancedSchemaSupport: true }), '02')
    assert.equal(roundTrip(color, 'GREEN', { enhancedSchemaSupport: true }).value, 'GREEN')
    assert.throws(() => hex(color, 'BLUE', { enhancedSchemaSupport: true }), (e: unknown) => e instanceof DataError && /BLUE/.test((e as Error).message))
  })

  it('schemaless data goes through the Anything record and reads back with a null schema', () => {
    for (const value of SCHEMALESS_VALUES) {
      const back = roundTrip(null, value)
      assert.equal(back.schema, null)
      assert.equal(valueDiff(back.value, value), null, String(value))
    }
    // AvroData has no schemaless bytes (its Java type check knows no byte[]).
    assert.throws(() => roundTrip(null, Buffer.from([1])), /Unknown Java type for schemaless data/)
  })

  it('refuses values Confluent\'s AvroData refuses', () => {
    const s = SchemaBuilder.struct().name('R').field('a', Schemas.INT32).build()
    assert.throws(() => hex(Schemas.INT32, null), /Found null value for non-optional schema/)
    assert.throws(() => hex(Schemas.INT32, 'x'), /Invalid type for INT32/)
    assert.throws(() => hex(Schemas.INT8, 128), /Invalid type for INT8/)
    assert.throws(() => hex(Decimal.schema(2), new BigDecimal(1n, 3)), /mismatching scale/)
    assert.throws(() => hex(s, new Struct(SchemaBuilder.struct().name('Other').field('a', Schemas.INT32).build()).put('a', 1)), /Mismatching struct schema/)
  })

  it('against a registry schema with more fields (use.latest.version), missing fields take their Avro defaults', () => {
    const f = format()
    const s = SchemaBuilder.struct().name('R').field('a', Schemas.INT32).build()
    const latest = f.parse('{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":"x"},' +
      '{"name":"c","type":"long","default":9223372036854775807}]}', [])
    assert.equal(f.serialize(latest, s, new Struct(s).put('a', 1)).toString('hex'), '020278feffffffffffffffff01')
    const strict = f.parse('{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}', [])
    assert.throws(() => f.serialize(strict, s, new Struct(s).put('a', 1)), /Avro field b of R has no default and no value in the Connect struct/)
  })

  it('malformed payloads are data errors; trailing bytes only with avro.fail.on.trailing.data', () => {
    const f = format()
    const fs = f.fromConnectSchema(Schemas.STRING)
    assert.throws(() => f.deserialize(fs, Schemas.STRING, Buffer.from('0a6869', 'hex')), (e: unknown) => e instanceof DataError)
    assert.equal(f.deserialize(fs, Schemas.STRING, Buffer.from('0268ff', 'hex')), 'h')
    const strict = format({ failOnTrailingData: true })
    assert.throws(() => strict.deserialize(strict.fromConnectSchema(Schemas.STRING), Schemas.STRING, Buffer.from('0268ff', 'hex')), /1 bytes left after the value/)
  })
})

describe('Avro schema texts refused', () => {
  it('two different non-string maps make two MapEntry records of one name, which Avro refuses to print (as Confluent fails)', () => {
    const s = SchemaBuilder.struct().name('Two').field('a', SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build()).field('b', SchemaBuilder.map(Schemas.INT64, Schemas.STRING).build()).build()
    assert.throws(() => format().fromConnectSchema(s), /Can't redefine: io.confluent.connect.avro.MapEntry/)
  })

  it('parse errors: bad JSON, undefined names, invalid names, references resolved first', () => {
    const f = format()
    assert.throws(() => f.parse('{"type":', []), (e: unknown) => e instanceof DataError)
    assert.throws(() => f.parse('{"type":"record","name":"R","fields":[{"name":"a","type":"Missing"}]}', []), /Undefined name: "Missing"/)
    assert.throws(() => f.parse('{"type":"record","name":"my-record","fields":[]}', []), /Illegal character in: my-record/)
    const withRef = f.parse('{"type":"record","name":"R","namespace":"x","fields":[{"name":"a","type":"x.Ref"}]}',
      [{ name: 'x.Ref', subject: 'ref', schema: '{"type":"record","name":"Ref","namespace":"x","fields":[{"name":"v","type":"int"}]}' }])
    assert.equal(withRef.recordName, 'x.R')
    assert.equal(f.toConnectSchema(withRef)?.fields?.[0]?.schema.name, 'x.Ref')
  })
})

describe('Avro format settings', () => {
  it('AvroDataConfig\'s keys with Confluent\'s defaults', () => {
    const parsed = AVRO_DATA_CONFIG_DEF.parse({})
    assert.deepEqual(avroDataOptions(parsed), DEFAULT_AVRO_DATA_OPTIONS)
    assert.deepEqual(AVRO_DATA_CONFIG_DEF.names().sort(), ['allow.optional.map.keys', 'avro.fail.on.trailing.data', 'connect.meta.data', 'discard.type.doc.default',
      'enhanced.avro.schema.support', 'flatten.singleton.unions', 'generalized.sum.type.support', 'ignore.default.for.nullables', 'schemas.cache.config', 'scrub.invalid.names'])
    const o = avroDataOptions(AVRO_DATA_CONFIG_DEF.parse({ 'connect.meta.data': 'false', 'scrub.invalid.names': 'true', 'schemas.cache.config': '0' }))
    assert.equal(o.connectMetaData, false)
    assert.equal(o.scrubInvalidNames, true)
    assert.equal(o.cacheSize, 1) // Confluent's schemaCacheSize(): at least 1
    assert.ok(AVRO_FORMAT_FACTORY.create(parsed, false) instanceof AvroFormat)
  })

  it('keys whose true behaviour is not implemented accept only false, with a reason', () => {
    for (const key of ['generalized.sum.type.support', 'discard.type.doc.default']) {
      const problems = AVRO_DATA_CONFIG_DEF.validate({ [key]: 'true' }).find(v => v.name === key)?.errors ?? []
      assert.equal(problems.length, 1, key)
      assert.match(problems[0]!, /is not supported by this Avro converter/)
      assert.throws(() => AVRO_DATA_CONFIG_DEF.parse({ [key]: 'true' }), ConfigError)
      assert.doesNotThrow(() => AVRO_DATA_CONFIG_DEF.parse({ [key]: 'false' }))
    }
    assert.ok(AVRO_UNSUPPORTED_KEYS.has('specific.avro.reader'))
    for (const reason of AVRO_UNSUPPORTED_KEYS.values()) assert.ok(reason.length > 20)
  })
})
