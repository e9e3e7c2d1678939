/**
 * Golden registry texts for representative Connect schemas, each checked against a documented fact of Confluent's
 * AvroData (the fact is named in each case's title). Schemas of these shapes were also run through Apicurio's fork of
 * AvroData (apicurio-registry-utils-converter 2.6.13.Final, Avro 1.12), which printed the same texts; that fork has
 * no scrubbing. Each text also reads back to the Connect schema it came from.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal, SchemaBuilder, Schemas, Struct, type Schema } from '../../../../src/api/index.ts'
import { DEFAULT_AVRO_DATA_OPTIONS, type AvroDataOptions } from '../../../../src/converters/schema-registry/avro/avro-data-config.ts'
import { AvroFormat } from '../../../../src/converters/schema-registry/avro/avro-format.ts'
import { schemaDiff } from '../corpus.ts'

function text (schema: Schema | null, options: Partial<AvroDataOptions> = {}): string {
  const format = new AvroFormat({ ...DEFAULT_AVRO_DATA_OPTIONS, ...options })
  const written = format.fromConnectSchema(schema)
  if (schema !== null && Object.keys(options).length === 0) {
    const d = schemaDiff(format.toConnectSchema(format.parse(written.text, [])), schema)
    assert.equal(d, null, 'reads back to the same Connect schema')
  }
  return written.text
}

const point = SchemaBuilder.struct().name('com.example.Point').field('x', Schemas.INT32).field('y', Schemas.INT32).build()

describe('Avro registry texts (Confluent AvroData facts)', () => {
  it('unnamed structs are io.confluent.connect.avro.ConnectDefault, then ConnectDefault2, 3... in order of conversion', () => {
    const inner = SchemaBuilder.struct().field('a', Schemas.INT32).build()
    const schema = SchemaBuilder.struct().field('inner', inner).field('opt', SchemaBuilder.struct().field('c', Schemas.BOOLEAN).optional().build()).build()
    assert.equal(text(schema), '{"type":"record","name":"ConnectDefault","namespace":"io.confluent.connect.avro","fields":[' +
      '{"name":"inner","type":{"type":"record","name":"ConnectDefault2","fields":[{"name":"a","type":"int"}]}},' +
      '{"name":"opt","type":["null",{"type":"record","name":"ConnectDefault3","fields":[{"name":"c","type":"boolean"}]}],"default":null}]}')
  })

  it('int8/int16 are Avro ints with connect.type; optional is ["null",T] with default null, or [T,"null"] when there is a default', () => {
    const schema = SchemaBuilder.struct().name('com.example.Small')
      .field('b', Schemas.INT8).field('s', SchemaBuilder.int16().optional().build()).field('d', SchemaBuilder.int8().optional().defaultValue(-7).build()).build()
    assert.equal(text(schema), '{"type":"record","name":"Small","namespace":"com.example","fields":[' +
      '{"name":"b","type":{"type":"int","connect.type":"int8"}},' +
      '{"name":"s","type":["null",{"type":"int","connect.type":"int16"}],"default":null},' +
      '{"name":"d","type":[{"type":"int","connect.default":-7,"connect.type":"int8"},"null"],"default":-7}],"connect.name":"com.example.Small"}')
  })

  it('Decimal is bytes with scale, precision (64 when connect.decimal.precision is absent) and logicalType decimal, plus the Connect metadata', () => {
    assert.equal(text(Decimal.schema(2)), '{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},' +
      '"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}')
    assert.equal(text(Decimal.builder(4).parameter('connect.decimal.precision', '20').build()),
      '{"type":"bytes","scale":4,"precision":20,"connect.version":1,"connect.parameters":{"scale":"4","connect.decimal.precision":"20"},' +
      '"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}')
  })

  it('a negative scale, which Avro\'s decimal refuses, keeps the legacy logicalType property', () => {
    assert.equal(text(Decimal.schema(-2)), '{"type":"bytes","scale":-2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"-2"},' +
      '"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}')
  })

  it('Date, Time and Timestamp are date, time-millis and timestamp-millis; defaults in their Avro form', () => {
    const schema = SchemaBuilder.struct().name('com.example.When')
      .field('d', ConnectDate.builder().defaultValue(new Date(10 * 86400000)).build()).field('t', ConnectTime.SCHEMA)
      .field('ts', ConnectTimestamp.builder().optional().defaultValue(new Date(5)).build()).build()
    assert.equal(text(schema), '{"type":"record","name":"When","namespace":"com.example","fields":[' +
      '{"name":"d","type":{"type":"int","connect.version":1,"connect.default":10,"connect.name":"org.apache.kafka.connect.data.Date","logicalType":"date"},"default":10},' +
      '{"name":"t","type":{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Time","logicalType":"time-millis"}},' +
      '{"name":"ts","type":[{"type":"long","connect.version":1,"connect.default":5,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"},"null"],"default":5}],' +
      '"connect.name":"com.example.When"}')
  })

  it('a map with non-string keys is an array of io.confluent.connect.avro.MapEntry {key, value}; string keys make an Avro map', () => {
    const schema = SchemaBuilder.struct().name('com.example.Maps')
      .field('by_id', SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build())
      .field('by_name', SchemaBuilder.map(Schemas.STRING, Schemas.OPTIONAL_INT64).build()).build()
    assert.equal(text(schema), '{"type":"record","name":"Maps","namespace":"com.example","fields":[' +
      '{"name":"by_id","type":{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[{"name":"key","type":"int"},{"name":"value","type":"string"}]}}},' +
      '{"name":"by_name","type":{"type":"map","values":["null","long"]}}],"connect.name":"com.example.Maps"}')
  })

  it('a named struct used twice is defined once and then referred to by name', () => {
    const schema = SchemaBuilder.struct().name('com.example.Line').field('points', SchemaBuilder.array(point).build()).field('labels', SchemaBuilder.map(Schemas.STRING, point).build()).build()
    assert.equal(text(schema), '{"type":"record","name":"Line","namespace":"com.example","fields":[' +
      '{"name":"points","type":{"type":"array","items":{"type":"record","name":"Point","fields":[{"name":"x","type":"int"},{"name":"y","type":"int"}],"connect.name":"com.example.Point"}}},' +
      '{"name":"labels","type":{"type":"map","values":"Point"}}],"connect.name":"com.example.Line"}')
  })

  it('doc, version and parameters are connect.doc, connect.version and connect.parameters on the type, not Avro docs', () => {
    const schema = SchemaBuilder.struct().name('com.example.meta.Documented').version(3).doc('A documented record').parameter('owner', 'team-a')
      .field('id', SchemaBuilder.int64().doc('the identifier').build())
      .field('code', SchemaBuilder.string().name('com.example.meta.Code').version(2).build()).build()
    assert.equal(text(schema), '{"type":"record","name":"Documented","namespace":"com.example.meta","fields":[' +
      '{"name":"id","type":{"type":"long","connect.doc":"the identifier"}},' +
      '{"name":"code","type":{"type":"string","connect.version":2,"connect.name":"com.example.meta.Code"}}],' +
      '"connect.doc":"A documented record","connect.version":3,"connect.parameters":{"owner":"team-a"},"connect.name":"com.example.meta.Documented"}')
  })

  it('defaults: connect.default on the type and the field default; bytes as ISO-8859-1 text; float32 as Float.toString (Avro 1.12)', () => {
    const p = SchemaBuilder.struct().name('com.example.P').field('x', Schemas.INT32).build()
    const schema = SchemaBuilder.struct().name('com.example.Defaults')
      .field('origin', SchemaBuilder.struct().name('com.example.P').field('x', Schemas.INT32).defaultValue(new Struct(p).put('x', 1)).build())
      .field('raw', SchemaBuilder.bytes().optional().defaultValue(Buffer.from([0xde, 0xad])).build())
      .field('f', SchemaBuilder.float32().defaultValue(Math.fround(0.1)).build())
      .field('tags', SchemaBuilder.array(Schemas.STRING).defaultValue([]).build()).build()
    assert.equal(text(schema), '{"type":"record","name":"Defaults","namespace":"com.example","fields":[' +
      '{"name":"origin","type":{"type":"record","name":"P","fields":[{"name":"x","type":"int"}],"connect.default":{"x":1},"connect.name":"com.example.P"},"default":{"x":1}},' +
      '{"name":"raw","type":[{"type":"bytes","connect.default":"Þ\u00ad"},"null"],"default":"Þ\u00ad"},' +
      '{"name":"f","type":{"type":"float","connect.default":0.1},"default":0.1},' +
      '{"name":"tags","type":{"type":"array","items":"string","connect.default":[]},"default":[]}],"connect.name":"com.example.Defaults"}')
  })

  it('a struct named io.confluent.connect.avro.Union is an Avro union of its fields\' types', () => {
    const u = SchemaBuilder.struct().name('io.confluent.connect.avro.Union').field('int', Schemas.OPTIONAL_INT32).field('string', Schemas.OPTIONAL_STRING)
      .field('Point', SchemaBuilder.struct().name('com.example.Point').field('x', Schemas.INT32).optional().build()).build()
    assert.equal(text(SchemaBuilder.struct().name('com.example.U').field('u', u).build()), '{"type":"record","name":"U","namespace":"com.example","fields":[' +
      '{"name":"u","type":["int","string",{"type":"record","name":"Point","fields":[{"name":"x","type":"int"}],"connect.name":"com.example.Point"}]}],"connect.name":"com.example.U"}')
  })

  it('an enum is a string with its symbols in parameters, and an Avro enum under enhanced.avro.schema.support', () => {
    const color = SchemaBuilder.string().name('com.example.Color').parameter('io.confluent.connect.avro.Enum', 'com.example.Color')
      .parameter('io.confluent.connect.avro.Enum.RED', 'RED').parameter('io.confluent.connect.avro.Enum.GREEN', 'GREEN').build()
    const params = '"connect.parameters":{"io.confluent.connect.avro.Enum":"com.example.Color","io.confluent.connect.avro.Enum.RED":"RED","io.confluent.connect.avro.Enum.GREEN":"GREEN"},"connect.name":"com.example.Color"'
    assert.equal(text(color), `{"type":"string",${params}}`)
    assert.equal(text(color, { enhancedSchemaSupport: true }), `{"type":"enum","name":"Color","namespace":"com.example","symbols":["RED","GREEN"],${params}}`)
  })

  it('connect.meta.data=false leaves out every connect.* property (logical types stay)', () => {
    const schema = SchemaBuilder.struct().name('com.example.Bare').version(2).doc('d').field('b', Schemas.INT8).field('m', Decimal.builder(2).defaultValue(new BigDecimal(150n, 2)).build()).build()
    assert.equal(text(schema, { connectMetaData: false }), '{"type":"record","name":"Bare","namespace":"com.example","fields":[{"name":"b","type":"int"},' +
      '{"name":"m","type":{"type":"bytes","scale":2,"precision":64,"logicalType":"decimal"},"default":"\\u0000\u0096"}]}')
  })

  it('scrub.invalid.names: each name part URL-encoded, invalid characters to _, x before a digit; connect.name keeps the original', () => {
    const schema = SchemaBuilder.struct().name('a.b-c').field('1st', Schemas.STRING).field('first name', Schemas.STRING).build()
    assert.equal(text(schema, { scrubInvalidNames: true }), '{"type":"record","name":"b_c","namespace":"a","fields":[' +
      '{"name":"x1st","type":"string"},{"name":"first_name","type":"string"}],"connect.name":"a.b-c"}')
  })

  it('schemaless data (a null Connect schema) has Confluent\'s io.confluent.connect.avro.Anything record', () => {
    const opt = (t: string): string => `{"name":"${t}","type":["null","${t}"],"default":null}`
    assert.equal(text(null), '{"type":"record","name":"Anything","namespace":"io.confluent.connect.avro","fields":[' +
      ['boolean', 'bytes', 'double', 'float', 'int', 'long', 'string'].map(opt).join(',') +
      ',{"name":"array","type":["null",{"type":"array","items":"Anything"}],"default":null},' +
      '{"name":"map","type":["null",{"type":"array","items":{"type":"record","name":"MapEntry","fields":[{"name":"key","type":"Anything"},{"name":"value","type":"Anything"}]}}],"default":null}]}')
  })
})
