/**
 * Reading schemas another producer registered (no connect.* properties): the Connect schema a reader gets, as
 * Confluent's AvroData.toConnectSchema gives it. The expected schemas below were also what Apicurio's fork of AvroData
 * (apicurio-registry-utils-converter 2.6.13.Final) printed for the same texts, except where a case says otherwise.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, SchemaBuilder, Schemas, Struct, type Schema } from '../../../../src/api/index.ts'
import { DEFAULT_AVRO_DATA_OPTIONS, type AvroDataOptions } from '../../../../src/converters/schema-registry/avro/avro-data-config.ts'
import { AvroFormat } from '../../../../src/converters/schema-registry/avro/avro-format.ts'
import { schemaDiff, valueDiff } from '../corpus.ts'

function read (text: string, options: Partial<AvroDataOptions> = {}, version?: number): Schema | null {
  const format = new AvroFormat({ ...DEFAULT_AVRO_DATA_OPTIONS, ...options })
  return format.toConnectSchema(format.parse(text, []), version)
}

function same (actual: Schema | null, expected: Schema): void {
  const d = schemaDiff(actual, expected)
  assert.equal(d, null, d ?? '')
}

const FLAG = 'io.confluent.connect.avro.field.default'
const ENUM = 'io.confluent.connect.avro.Enum'

describe('Avro schemas from other producers', () => {
  it('record and field docs become parameters; a field default without connect.default is flagged', () => {
    const actual = read('{"type":"record","name":"User","namespace":"com.acme","doc":"A user","fields":[{"name":"id","type":"long","doc":"the id"},' +
      '{"name":"name","type":"string","default":"anon"},{"name":"age","type":"int","default":0},{"name":"email","type":["null","string"],"default":null},' +
      '{"name":"nick","type":["string","null"],"default":"x"},{"name":"score","type":"float","default":1.5},{"name":"raw","type":"bytes","default":"\\u0001ÿ"}]}')
    const flagged = (b: SchemaBuilder, v: unknown): Schema => b.parameter(FLAG, 'true').defaultValue(v).build()
    same(actual, SchemaBuilder.struct().name('com.acme.User').parameter('io.confluent.connect.avro.record.doc', 'A user')
      .parameter('io.confluent.connect.avro.field.doc.id', 'the id')
      .field('id', Schemas.INT64)
      .field('name', flagged(SchemaBuilder.string(), 'anon'))
      .field('age', flagged(SchemaBuilder.int32(), 0))
      .field('email', Schemas.OPTIONAL_STRING)
      // A union's own default is not carried over: only connect.default would give the optional field one.
      .field('nick', Schemas.OPTIONAL_STRING)
      .field('score', flagged(SchemaBuilder.float32(), 1.5))
      .field('raw', flagged(SchemaBuilder.bytes(), Buffer.from([1, 255])))
      .build())
  })

  it('logical types: date, time-millis, timestamp-millis, decimal (bytes or fixed, precision kept unless 64); others stay primitive', () => {
    const actual = read('{"type":"record","name":"L","fields":[{"name":"d","type":{"type":"int","logicalType":"date"}},' +
      '{"name":"t","type":{"type":"int","logicalType":"time-millis"}},{"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}},' +
      '{"name":"us","type":{"type":"long","logicalType":"timestamp-micros"}},{"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},' +
      '{"name":"dec64","type":{"type":"bytes","logicalType":"decimal","precision":64,"scale":3}},{"name":"u","type":{"type":"string","logicalType":"uuid"}},' +
      '{"name":"fx","type":{"type":"fixed","name":"Money","size":8,"logicalType":"decimal","precision":18,"scale":4}}]}')
    // Apicurio's older fork fails on the last field (a named fixed decimal); Confluent's AvroData ignores a decimal fixed's name.
    same(actual, SchemaBuilder.struct().name('L')
      .field('d', ConnectDate.SCHEMA).field('t', ConnectTime.SCHEMA).field('ts', ConnectTimestamp.SCHEMA).field('us', Schemas.INT64)
      .field('dec', Decimal.builder(2).parameter('connect.decimal.precision', '10').build())
      .field('dec64', Decimal.schema(3)).field('u', Schemas.STRING)
      .field('fx', Decimal.builder(4).parameter('connect.decimal.precision', '18').parameter('connect.fixed.size', '8').build())
      .build())
  })

  it('an enum is a string named after it, with its symbols, doc and default in parameters', () => {
    same(read('{"type":"record","name":"E","namespace":"n","fields":[{"name":"suit","type":{"type":"enum","name":"Suit","doc":"card suit","symbols":["SPADES","HEARTS"],"default":"SPADES"},"default":"HEARTS"}]}'),
      SchemaBuilder.struct().name('n.E').field('suit', SchemaBuilder.string().name('n.Suit')
        .parameter('io.confluent.connect.avro.enum.doc.Suit', 'card suit').parameter('io.confluent.connect.avro.enum.default.Suit', 'SPADES')
        .parameter(ENUM, 'n.Suit').parameter(`${ENUM}.SPADES`, 'SPADES').parameter(`${ENUM}.HEARTS`, 'HEARTS').parameter(FLAG, 'true')
        .defaultValue('HEARTS').build()).build())
    same(read('{"type":"enum","name":"Color","namespace":"com.acme","symbols":["RED","GREEN"]}'),
      SchemaBuilder.string().name('com.acme.Color').parameter(ENUM, 'com.acme.Color').parameter(`${ENUM}.RED`, 'RED').parameter(`${ENUM}.GREEN`, 'GREEN').build())
  })

  it('a fixed is bytes named after it with connect.fixed.size', () => {
    same(read('{"type":"record","name":"F","fields":[{"name":"md5","type":{"type":"fixed","name":"MD5","namespace":"h","size":16}}]}'),
      SchemaBuilder.struct().name('F').field('md5', SchemaBuilder.bytes().name('h.MD5').parameter('connect.fixed.size', '16').build()).build())
  })

  it('unions other than [null, T] are io.confluent.connect.avro.Union structs: one optional field per member, records by short name', () => {
    const inner = SchemaBuilder.struct().name('com.acme.Inner').field('a', Schemas.INT32).optional().build()
    same(read('{"type":"record","name":"U","namespace":"com.acme","fields":[{"name":"v","type":["null","int","string",{"type":"record","name":"Inner","fields":[{"name":"a","type":"int"}]}],"default":null},{"name":"w","type":["long","boolean"]}]}'),
      SchemaBuilder.struct().name('com.acme.U')
        .field('v', SchemaBuilder.struct().name('io.confluent.connect.avro.Union').optional().parameter(FLAG, 'true').field('int', Schemas.OPTIONAL_INT32).field('string', Schemas.OPTIONAL_STRING).field('Inner', inner).build())
        .field('w', SchemaBuilder.struct().name('io.confluent.connect.avro.Union').field('long', Schemas.OPTIONAL_INT64).field('boolean', Schemas.OPTIONAL_BOOLEAN).build())
        .build())
    same(read('["int","string"]'), SchemaBuilder.struct().name('io.confluent.connect.avro.Union').field('int', Schemas.OPTIONAL_INT32).field('string', Schemas.OPTIONAL_STRING).build())
    // Under enhanced.avro.schema.support a record member's field is its full name.
    const enhanced = read('["null","string",{"type":"record","name":"Inner","namespace":"com.acme","fields":[{"name":"a","type":"int"}]}]', { enhancedSchemaSupport: true })
    assert.deepEqual(enhanced?.fields?.map(f => f.name), ['string', 'com.acme.Inner'])
  })

  it('a singleton union is its member (flatten.singleton.unions, default true) or a union struct when that is off', () => {
    const text = '{"type":"record","name":"S","fields":[{"name":"a","type":["int"]}]}'
    same(read(text), SchemaBuilder.struct().name('S').field('a', Schemas.INT32).build())
    // The older behaviour, which Apicurio's fork still has.
    same(read(text, { flattenSingletonUnions: false }), SchemaBuilder.struct().name('S').field('a', SchemaBuilder.struct().name('io.confluent.connect.avro.Union').field('int', Schemas.OPTIONAL_INT32).build()).build())
  })

  it('container and record defaults, named type references, avro* properties as parameters', () => {
    const n = SchemaBuilder.struct().name('N').field('x', SchemaBuilder.int32().parameter(FLAG, 'true').defaultValue(5).build()).parameter(FLAG, 'true')
    const nested = n.defaultValue(new Struct(n.build()).put('x', 7)).build()
    same(read('{"type":"record","name":"C","fields":[{"name":"tags","type":{"type":"array","items":"string"},"default":["a"]},' +
      '{"name":"m","type":{"type":"map","values":"long"},"default":{"k":1}},{"name":"nested","type":{"type":"record","name":"N","fields":[{"name":"x","type":"int","default":5}]},"default":{"x":7}}]}'),
    SchemaBuilder.struct().name('C')
      .field('tags', SchemaBuilder.array(Schemas.STRING).parameter(FLAG, 'true').defaultValue(['a']).build())
      .field('m', SchemaBuilder.map(Schemas.STRING, Schemas.INT64).parameter(FLAG, 'true').defaultValue(new Map([['k', 1]])).build())
      .field('nested', nested).build())
    const pt = SchemaBuilder.struct().name('a.b.Pt').field('x', Schemas.INT32)
    same(read('{"type":"record","name":"R","namespace":"a.b","fields":[{"name":"one","type":{"type":"record","name":"Pt","fields":[{"name":"x","type":"int"}]}},{"name":"two","type":"Pt"},{"name":"three","type":["null","a.b.Pt"],"default":null}]}'),
      SchemaBuilder.struct().name('a.b.R').field('one', pt.build()).field('two', pt.build()).field('three', SchemaBuilder.struct().name('a.b.Pt').field('x', Schemas.INT32).optional().build()).build())
    same(read('{"type":"record","name":"P","fields":[{"name":"s","type":{"type":"string","avro.java.string":"String"}},{"name":"i","type":{"type":"int","connect.type":"int16"}}],"avro.codegen":"x"}'),
      SchemaBuilder.struct().name('P').parameter('avro.codegen', 'x').field('s', SchemaBuilder.string().parameter('avro.java.string', 'String').build()).field('i', Schemas.INT16).build())
  })

  it('top-level primitives and maps; a ConnectDefault name is not kept', () => {
    same(read('"string"'), Schemas.STRING)
    same(read('{"type":"map","values":["null","double"]}'), SchemaBuilder.map(Schemas.STRING, Schemas.OPTIONAL_FLOAT64).build())
    same(read('{"type":"record","name":"ConnectDefault","namespace":"io.confluent.connect.avro","fields":[{"name":"a","type":"int"}]}'),
      SchemaBuilder.struct().field('a', Schemas.INT32).build())
  })

  it('the registry version is the schema\'s version when it names none; a logical type\'s own version must agree', () => {
    assert.equal(read('{"type":"record","name":"V","fields":[{"name":"a","type":"int"}]}', {}, 4)?.version, 4)
    assert.equal(read('{"type":"record","name":"V","fields":[{"name":"a","type":"int"}],"connect.version":2}', {}, 4)?.version, 2)
    assert.throws(() => read('{"type":"int","logicalType":"date"}', {}, 3), /Mismatched versions: version already added to SchemaBuilder \(1\) differs from version in source schema \(3\)/)
  })

  it('refuses what Connect cannot hold: a standalone null, an unknown connect.type, a recursive record', () => {
    assert.throws(() => read('"null"'), (e: unknown) => e instanceof DataError && /Standalone null schemas/.test((e as Error).message))
    assert.throws(() => read('{"type":"int","connect.type":"int128"}'), /Connect type annotation for Avro int field is null/)
    assert.throws(() => read('{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"],"default":null}]}'), /Recursive Avro schemas are not supported/)
  })

  it('reads values written by another producer with such a schema', () => {
    const format = new AvroFormat()
    const schema = format.parse('{"type":"record","name":"R","fields":[{"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":5,"scale":2}},' +
      '{"name":"u","type":["null","int","string"]},{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}},{"name":"f","type":{"type":"fixed","name":"F","size":2}}]}', [])
    const connect = format.toConnectSchema(schema)!
    // d = 1.50 (unscaled 150: 0x00 0x96), u = union branch 2 "hi", e = symbol 1, f = 0xbeef
    const value = format.deserialize(schema, connect, Buffer.from('0400960404686902beef', 'hex')) as Struct
    assert.equal(valueDiff(value.get('d'), new BigDecimal(150n, 2)), null)
    assert.equal((value.get('u') as Struct).get('string'), 'hi')
    assert.equal(value.get('e'), 'B')
    assert.deepEqual(value.get('f'), Buffer.from([0xbe, 0xef]))
    // An int annotated int8 holding 300 reads as Java's (byte) 300 = 44.
    const small = format.parse('{"type":"int","connect.type":"int8"}', [])
    assert.equal(format.deserialize(small, format.toConnectSchema(small), Buffer.from('d804', 'hex')), 44)
  })
})
