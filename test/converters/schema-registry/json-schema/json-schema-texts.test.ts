/**
 * Golden registry texts: the JSON Schema our format registers for a Connect schema must be the text Confluent's
 * JsonSchemaConverter registers, byte for byte, so that both find one schema (and one id) in the registry. Each case
 * names the fact it checks. The first three texts are ones Confluent's converter registered (quoted in the 409 errors
 * of a public Debezium reproduction, playground repro-97960); the others follow from the facts of JsonSchemaData
 * (what it builds) and of the everit printer (key order), cross-checked where Confluent's documentation or tests show
 * the same shape.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, SchemaBuilder, Schemas, type Schema } from '../../../../src/api/index.ts'
import { DEFAULT_SETTINGS, type JsonSchemaSettings } from '../../../../src/converters/schema-registry/json-schema/json-schema-config.ts'
import { JsonSchemaFormat } from '../../../../src/converters/schema-registry/json-schema/json-schema-format.ts'

interface Golden {
  fact: string
  schema: Schema
  text: string
  settings?: Partial<JsonSchemaSettings>
}

const customers = SchemaBuilder.struct().name('server1.dbo.customers.Value')
  .field('id', Schemas.INT32).field('first_name', Schemas.STRING).field('email', Schemas.STRING).field('phone_number', Schemas.OPTIONAL_STRING)
  .build()

const source = SchemaBuilder.struct().name('io.debezium.connector.sqlserver.Source')
  .field('version', Schemas.STRING).field('connector', Schemas.STRING).field('name', Schemas.STRING).field('ts_ms', Schemas.INT64)
  .field('snapshot', SchemaBuilder.string().optional().name('io.debezium.data.Enum').version(1).parameter('allowed', 'true,last,false,incremental').defaultValue('false').build())
  .field('db', Schemas.STRING).field('sequence', Schemas.OPTIONAL_STRING).field('schema', Schemas.STRING).field('table', Schemas.STRING)
  .field('change_lsn', Schemas.OPTIONAL_STRING).field('commit_lsn', Schemas.OPTIONAL_STRING).field('event_serial_no', Schemas.OPTIONAL_INT64)
  .build()

const CASES: Golden[] = [
  {
    fact: 'registered by Confluent: title from the struct name, properties in HashMap order, connect.index and connect.type after type, optional as oneOf [null, T] with connect.index first',
    schema: customers,
    text: '{"type":"object","title":"server1.dbo.customers.Value","properties":{"phone_number":{"connect.index":3,"oneOf":[{"type":"null"},{"type":"string"}]},"id":{"type":"integer","connect.index":0,"connect.type":"int32"},"first_name":{"type":"string","connect.index":1},"email":{"type":"string","connect.index":2}}}'
  },
  {
    fact: 'registered by Confluent with object.additional.properties=false: "additionalProperties":false right after "type"',
    schema: customers,
    settings: { allowAdditionalProperties: false },
    text: '{"type":"object","additionalProperties":false,"title":"server1.dbo.customers.Value","properties":{"phone_number":{"connect.index":3,"oneOf":[{"type":"null"},{"type":"string"}]},"id":{"type":"integer","connect.index":0,"connect.type":"int32"},"first_name":{"type":"string","connect.index":1},"email":{"type":"string","connect.index":2}}}'
  },
  {
    fact: 'registered by Confluent: an optional field\'s title, default, connect.version and connect.parameters sit on the non-null branch, in that order',
    schema: source,
    text: '{"type":"object","title":"io.debezium.connector.sqlserver.Source","properties":{"schema":{"type":"string","connect.index":7},"sequence":{"connect.index":6,"oneOf":[{"type":"null"},{"type":"string"}]},"event_serial_no":{"connect.index":11,"oneOf":[{"type":"null"},{"type":"integer","connect.type":"int64"}]},"connector":{"type":"string","connect.index":1},"name":{"type":"string","connect.index":2},"commit_lsn":{"connect.index":10,"oneOf":[{"type":"null"},{"type":"string"}]},"change_lsn":{"connect.index":9,"oneOf":[{"type":"null"},{"type":"string"}]},"version":{"type":"string","connect.index":0},"ts_ms":{"type":"integer","connect.index":3,"connect.type":"int64"},"snapshot":{"connect.index":4,"oneOf":[{"type":"null"},{"type":"string","title":"io.debezium.data.Enum","default":"false","connect.version":1,"connect.parameters":{"allowed":"true,last,false,incremental"}}]},"db":{"type":"string","connect.index":5},"table":{"type":"string","connect.index":8}}}'
  },
  {
    fact: 'Decimal (decimal.format=BASE64): a string with connect.type bytes, the logical name as title, connect.version 1 and the scale parameter (the text Confluent\'s testConnectTypeAsBytes uses)',
    schema: Decimal.schema(2),
    text: '{"type":"string","title":"org.apache.kafka.connect.data.Decimal","connect.version":1,"connect.type":"bytes","connect.parameters":{"scale":"2"}}'
  },
  {
    fact: 'Decimal (decimal.format=NUMERIC): a number, still connect.type bytes',
    schema: Decimal.schema(2),
    settings: { decimalFormat: 'NUMERIC' },
    text: '{"type":"number","title":"org.apache.kafka.connect.data.Decimal","connect.version":1,"connect.type":"bytes","connect.parameters":{"scale":"2"}}'
  },
  {
    fact: 'Date and Time are integers with connect.type int32, Timestamp int64, each titled with its logical name',
    schema: SchemaBuilder.struct().name('T').field('d', ConnectDate.SCHEMA).field('t', ConnectTime.SCHEMA).field('ts', ConnectTimestamp.SCHEMA).build(),
    text: '{"type":"object","title":"T","properties":{"d":{"type":"integer","title":"org.apache.kafka.connect.data.Date","connect.index":0,"connect.version":1,"connect.type":"int32"},"t":{"type":"integer","title":"org.apache.kafka.connect.data.Time","connect.index":1,"connect.version":1,"connect.type":"int32"},"ts":{"type":"integer","title":"org.apache.kafka.connect.data.Timestamp","connect.index":2,"connect.version":1,"connect.type":"int64"}}}'
  },
  {
    fact: 'a map with string keys: an object with connect.type map before additionalProperties (as Confluent\'s data type documentation shows it)',
    schema: SchemaBuilder.map(Schemas.STRING, Schemas.INT64).build(),
    text: '{"type":"object","connect.type":"map","additionalProperties":{"type":"integer","connect.type":"int64"}}'
  },
  {
    fact: 'a map with other keys: an array of {key, value} objects, connect.type map, key index 0 and value index 1, "value" printed before "key" (HashMap order, as documented)',
    schema: SchemaBuilder.map(Schemas.INT32, Schemas.INT64).build(),
    text: '{"type":"array","connect.type":"map","items":{"type":"object","properties":{"value":{"type":"integer","connect.index":1,"connect.type":"int64"},"key":{"type":"integer","connect.index":0,"connect.type":"int32"}}}}'
  },
  {
    fact: 'an optional string key also makes the array form (JSON object keys cannot be null)',
    schema: SchemaBuilder.map(Schemas.OPTIONAL_STRING, Schemas.BOOLEAN).build(),
    text: '{"type":"array","connect.type":"map","items":{"type":"object","properties":{"value":{"type":"boolean","connect.index":1},"key":{"connect.index":0,"oneOf":[{"type":"null"},{"type":"string"}]}}}}'
  },
  {
    fact: 'an array of optional items: items is the oneOf; a top-level optional primitive is a bare oneOf',
    schema: SchemaBuilder.array(Schemas.OPTIONAL_STRING).build(),
    text: '{"type":"array","items":{"oneOf":[{"type":"null"},{"type":"string"}]}}'
  },
  {
    fact: 'int8/int16/float32 keep their Connect type in connect.type; a top-level optional is oneOf with no connect.index',
    schema: SchemaBuilder.int16().optional().build(),
    text: '{"oneOf":[{"type":"null"},{"type":"integer","connect.type":"int16"}]}'
  },
  {
    fact: 'doc as description, version as connect.version, parameters as connect.parameters; defaults as org.json prints them (2.0 as 2) and Jackson re-reads them (1.5E10 as 1.5E+10), bytes as base64',
    schema: SchemaBuilder.struct().name('M').version(3).doc('a doc').parameter('p1', 'v1').parameter('p2', 'v2')
      .field('i8', Schemas.INT8).field('f32', SchemaBuilder.float32().defaultValue(1.5).build())
      .field('f64', SchemaBuilder.float64().defaultValue(1.5e10).build()).field('d2', SchemaBuilder.float64().defaultValue(2.0).build())
      .field('b', SchemaBuilder.bytes().defaultValue(Buffer.from([1, 2, 255])).build()).build(),
    text: '{"type":"object","title":"M","description":"a doc","connect.version":3,"connect.parameters":{"p1":"v1","p2":"v2"},"properties":{"b":{"type":"string","default":"AQL/","connect.index":4,"connect.type":"bytes"},"f32":{"type":"number","default":1.5,"connect.index":1,"connect.type":"float32"},"f64":{"type":"number","default":1.5E+10,"connect.index":2,"connect.type":"float64"},"d2":{"type":"number","default":2,"connect.index":3,"connect.type":"float64"},"i8":{"type":"integer","connect.index":0,"connect.type":"int8"}}}'
  },
  {
    fact: 'container defaults: an array default in order, a map default\'s keys in HashMap order (org.json\'s JSONObject)',
    schema: SchemaBuilder.struct().name('O')
      .field('m', SchemaBuilder.map(Schemas.STRING, Schemas.STRING).defaultValue(new Map([['b', '2'], ['a', '1']])).build())
      .field('l', SchemaBuilder.array(Schemas.INT64).defaultValue([1, 2]).build()).build(),
    text: '{"type":"object","title":"O","properties":{"l":{"type":"array","default":[1,2],"connect.index":1,"items":{"type":"integer","connect.type":"int64"}},"m":{"type":"object","default":{"a":"1","b":"2"},"connect.index":0,"connect.type":"map","additionalProperties":{"type":"string"}}}}'
  },
  {
    fact: 'a JSON enum read earlier (io.confluent.connect.json.Enum parameters) is written back as "enum", symbols in HashSet order, its own parameters not repeated',
    schema: SchemaBuilder.string().parameter('io.confluent.connect.json.Enum', '').parameter('io.confluent.connect.json.Enum.one', 'one')
      .parameter('io.confluent.connect.json.Enum.two', 'two').parameter('io.confluent.connect.json.Enum.three', 'three').build(),
    text: '{"enum":["one","two","three"]}'
  },
  {
    fact: 'a union struct (io.confluent.connect.json.OneOf) is written as oneOf, each branch with its field index; the struct\'s own name is not written',
    schema: SchemaBuilder.struct().name('io.confluent.connect.json.OneOf')
      .field('io.confluent.connect.json.OneOf.field.0', Schemas.OPTIONAL_STRING).field('io.confluent.connect.json.OneOf.field.1', Schemas.OPTIONAL_INT32).build(),
    text: '{"oneOf":[{"type":"string","connect.index":0},{"type":"integer","connect.index":1,"connect.type":"int32"}]}'
  },
  {
    fact: 'an optional struct field: oneOf [null, object] with connect.index on the oneOf and the title on the object',
    schema: SchemaBuilder.struct().name('Outer').field('inner', SchemaBuilder.struct().name('Inner').field('x', Schemas.BOOLEAN).optional().build()).build(),
    text: '{"type":"object","title":"Outer","properties":{"inner":{"connect.index":0,"oneOf":[{"type":"null"},{"type":"object","title":"Inner","properties":{"x":{"type":"boolean","connect.index":0}}}]}}}'
  }
]

describe('JSON Schema format: registry texts', () => {
  for (const c of CASES) {
    it(c.fact, () => {
      const format = new JsonSchemaFormat({ ...DEFAULT_SETTINGS, ...c.settings })
      const written = format.fromConnectSchema(c.schema)
      assert.equal(written.text, c.text)
      assert.deepEqual(written.references, [])
      // RecordNameStrategy names the subject after the root's title (JsonSchema.name()).
      assert.equal(written.recordName, (JSON.parse(c.text) as { title?: string }).title ?? null)
      // The text reads back to the same Connect schema, which writes the same text.
      const read = format.toConnectSchema(format.parse(written.text, []))
      assert.equal(format.fromConnectSchema(read).text, c.text)
    })
  }

  it('writes no $schema: Confluent\'s converter writes none, and readers take such a schema as draft 7', () => {
    const format = new JsonSchemaFormat(DEFAULT_SETTINGS)
    for (const c of CASES) assert.ok(!format.fromConnectSchema(c.schema).text.includes('$schema'))
    assert.equal(format.parse(CASES[0]!.text, []).draft, 'draft7')
  })
})
