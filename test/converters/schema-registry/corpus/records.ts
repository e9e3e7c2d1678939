/**
 * Records shaped like real topics (users, pageviews, orders, CDC envelopes) and the defaults that trip encoders:
 * falsy defaults (0, false, '', empty bytes, empty containers), defaults on optional fields, defaults in nested records.
 */
import { BigDecimal, ConnectTimestamp, Decimal, SchemaBuilder, Schemas } from '../../../../src/api/index.ts'
import { bytes, struct, type CorpusEntry } from './entry.ts'

const entries: CorpusEntry[] = []

const users = SchemaBuilder.struct().name('ksql.users')
  .field('registertime', Schemas.INT64).field('userid', Schemas.STRING).field('regionid', Schemas.STRING).field('gender', Schemas.STRING).build()
entries.push({
  name: 'datagen users',
  schema: users,
  values: [struct(users, { registertime: 1493819497170, userid: 'User_1', regionid: 'Region_5', gender: 'MALE' }), struct(users, { registertime: 1502434161173, userid: 'User_9', regionid: 'Region_3', gender: 'OTHER' })]
})

const pageviews = SchemaBuilder.struct().name('ksql.pageviews').field('viewtime', Schemas.INT64).field('userid', Schemas.STRING).field('pageid', Schemas.STRING).build()
entries.push({ name: 'datagen pageviews', schema: pageviews, values: [struct(pageviews, { viewtime: 1, userid: 'User_2', pageid: 'Page_55' })] })

const orderAddress = SchemaBuilder.struct().name('ksql.address').field('city', Schemas.STRING).field('state', Schemas.STRING).field('zipcode', Schemas.INT64).build()
const orders = SchemaBuilder.struct().name('ksql.orders')
  .field('ordertime', Schemas.INT64).field('orderid', Schemas.INT32).field('itemid', Schemas.STRING).field('orderunits', Schemas.FLOAT64).field('address', orderAddress).build()
entries.push({
  name: 'datagen orders with a nested address',
  schema: orders,
  values: [struct(orders, { ordertime: 1560070133853, orderid: 0, itemid: 'Item_184', orderunits: 6.8, address: struct(orderAddress, { city: 'City_', state: 'State_4', zipcode: 12345 }) })]
})

const row = SchemaBuilder.struct().name('dbserver1.inventory.customers.Value').optional()
  .field('id', Schemas.INT32).field('first_name', Schemas.STRING).field('email', Schemas.OPTIONAL_STRING)
  .field('balance', Decimal.builder(2).optional().build()).build()
const source = SchemaBuilder.struct().name('io.debezium.connector.mysql.Source')
  .field('version', Schemas.STRING).field('connector', Schemas.STRING).field('ts_ms', Schemas.INT64)
  .field('snapshot', SchemaBuilder.string().optional().defaultValue('false').build()).build()
const envelope = SchemaBuilder.struct().name('dbserver1.inventory.customers.Envelope').version(1)
  .field('before', row).field('after', row).field('source', source).field('op', Schemas.STRING).field('ts_ms', Schemas.OPTIONAL_INT64).build()
entries.push({
  name: 'CDC envelope with before/after rows',
  schema: envelope,
  values: [
    struct(envelope, { before: null, after: struct(row, { id: 1001, first_name: 'Sally', email: 'sally@example.com', balance: new BigDecimal(12345n, 2) }), source: struct(source, { version: '2.5', connector: 'mysql', ts_ms: 1700000000000, snapshot: 'true' }), op: 'c', ts_ms: 1700000000001 }),
    struct(envelope, { before: struct(row, { id: 1001, first_name: 'Sally' }), after: null, source: struct(source, { version: '2.5', connector: 'mysql', ts_ms: 1 }), op: 'd' })
  ],
  tags: ['decimal', 'defaults']
})

const falsy = SchemaBuilder.struct().name('com.example.FalsyDefaults')
  .field('zero', SchemaBuilder.int32().defaultValue(0).build())
  .field('long_zero', SchemaBuilder.int64().defaultValue(0).build())
  .field('no', SchemaBuilder.bool().defaultValue(false).build())
  .field('empty', SchemaBuilder.string().defaultValue('').build())
  .field('no_bytes', SchemaBuilder.bytes().defaultValue(bytes()).build())
  .field('zero_double', SchemaBuilder.float64().defaultValue(0).build())
  .field('no_items', SchemaBuilder.array(Schemas.STRING).defaultValue([]).build())
  .field('no_entries', SchemaBuilder.map(Schemas.STRING, Schemas.INT32).defaultValue(new Map()).build())
  .build()
entries.push({
  name: 'falsy defaults: 0, false, empty string, bytes, array and map',
  schema: falsy,
  values: [
    struct(falsy, { zero: 0, long_zero: 0, no: false, empty: '', no_bytes: bytes(), zero_double: 0, no_items: [], no_entries: new Map() }),
    struct(falsy, { zero: 1, long_zero: -1, no: true, empty: 'x', no_bytes: bytes(1), zero_double: 1.5, no_items: ['a'], no_entries: new Map([['a', 1]]) })
  ],
  tags: ['defaults']
})

const optionalDefaults = SchemaBuilder.struct().name('com.example.OptionalDefaults')
  .field('opt_int', SchemaBuilder.int32().optional().defaultValue(10).build())
  .field('opt_string', SchemaBuilder.string().optional().defaultValue('fallback').build())
  .field('opt_bool', SchemaBuilder.bool().optional().defaultValue(true).build())
  .field('opt_bytes', SchemaBuilder.bytes().optional().defaultValue(bytes(0xde, 0xad)).build())
  .build()
entries.push({
  name: 'optional fields with non-null defaults, set and null',
  schema: optionalDefaults,
  values: [
    struct(optionalDefaults, { opt_int: 1, opt_string: 's', opt_bool: false, opt_bytes: bytes(1) }),
    struct(optionalDefaults, {})
  ],
  tags: ['defaults']
})

const inner = SchemaBuilder.struct().name('com.example.InnerDefaults').field('level', SchemaBuilder.string().defaultValue('info').build()).field('count', SchemaBuilder.int32().defaultValue(1).build()).build()
const outer = SchemaBuilder.struct().name('com.example.OuterDefaults').field('inner', inner).field('list', SchemaBuilder.array(inner).build()).build()
entries.push({
  name: 'defaults inside nested records and arrays of records',
  schema: outer,
  values: [struct(outer, { inner: struct(inner, { level: 'warn', count: 2 }), list: [struct(inner, { level: 'info', count: 1 })] })],
  tags: ['defaults']
})

const event = SchemaBuilder.struct().name('com.example.events.Click').doc('A click on a page')
  .field('id', Schemas.STRING).field('at', ConnectTimestamp.SCHEMA).field('x', Schemas.INT32).field('y', Schemas.INT32)
  .field('attributes', SchemaBuilder.map(Schemas.STRING, Schemas.STRING).build())
  .field('referrer', Schemas.OPTIONAL_STRING).build()
entries.push({
  name: 'click event with timestamp and attributes map',
  schema: event,
  values: [struct(event, { id: 'e1', at: new Date(1700000000000), x: 10, y: 20, attributes: new Map([['browser', 'firefox'], ['lang', 'de']]), referrer: null })],
  tags: ['timestamp', 'schema-meta']
})

const wide = SchemaBuilder.struct().name('com.example.Wide')
for (let i = 0; i < 60; i++) wide.field(`f${i}`, i % 3 === 0 ? Schemas.OPTIONAL_STRING : i % 3 === 1 ? Schemas.INT32 : Schemas.FLOAT64)
const wideSchema = wide.build()
const wideValue = (seed: number): unknown => struct(wideSchema, Object.fromEntries(wideSchema.fields!.map((f, i) => [f.name, i % 3 === 0 ? (seed % 2 === 0 ? null : `s${i}`) : i % 3 === 1 ? i * seed : i / (seed + 1)])))
entries.push({ name: 'wide struct with 60 fields', schema: wideSchema, values: [wideValue(1), wideValue(2)] })

const tree = SchemaBuilder.struct().name('com.example.Tree').field('label', Schemas.STRING)
  .field('children', SchemaBuilder.array(SchemaBuilder.struct().name('com.example.Leaf').field('label', Schemas.STRING).field('weight', Schemas.OPTIONAL_FLOAT64).build()).build()).build()
const leaf = tree.fields![1]!.schema.valueSchema!
entries.push({
  name: 'tree with leaf array',
  schema: tree,
  values: [struct(tree, { label: 'root', children: [struct(leaf, { label: 'a', weight: 0.5 }), struct(leaf, { label: 'b' })] })]
})

const keyOnly = SchemaBuilder.struct().name('com.example.Key').field('id', Schemas.INT64).build()
entries.push({ name: 'record key with one int64 field', schema: keyOnly, values: [struct(keyOnly, { id: 1 }), struct(keyOnly, { id: 2n ** 63n - 1n })], tags: ['int64-big'] })

const compositeKey = SchemaBuilder.struct().name('com.example.CompositeKey').field('tenant', Schemas.STRING).field('id', Schemas.INT32).field('day', SchemaBuilder.int32().name('org.apache.kafka.connect.data.Date').version(1).build()).build()
entries.push({ name: 'composite key with a date', schema: compositeKey, values: [struct(compositeKey, { tenant: 't', id: 1, day: new Date(86400000 * 19700) })], tags: ['date'] })

const sensor = SchemaBuilder.struct().name('com.example.iot.Reading')
  .field('device', Schemas.STRING).field('temperature', Schemas.FLOAT32).field('humidity', Schemas.OPTIONAL_FLOAT32)
  .field('samples', SchemaBuilder.array(Schemas.FLOAT64).build()).field('battery', Schemas.INT8).field('flags', Schemas.INT16).build()
entries.push({
  name: 'sensor reading with float32, int8 and int16',
  schema: sensor,
  values: [struct(sensor, { device: 'd-1', temperature: 21.5, humidity: null, samples: [1.1, 2.2, 3.3], battery: 99, flags: 0x7fff })],
  tags: ['float32', 'int8', 'int16']
})

const binary = SchemaBuilder.struct().name('com.example.Blob').field('sha256', Schemas.BYTES).field('content', Schemas.OPTIONAL_BYTES).field('chunks', SchemaBuilder.array(Schemas.BYTES).build()).build()
entries.push({
  name: 'binary fields and arrays of bytes',
  schema: binary,
  values: [struct(binary, { sha256: Buffer.alloc(32, 7), content: Buffer.from('hello, wörld'), chunks: [bytes(0), bytes(255, 254)] }), struct(binary, { sha256: bytes(), content: null, chunks: [] })]
})

const unicode = SchemaBuilder.struct().name('com.example.Unicode').field('text', Schemas.STRING).field('by_lang', SchemaBuilder.map(Schemas.STRING, Schemas.STRING).build()).build()
entries.push({
  name: 'unicode text and map keys',
  schema: unicode,
  values: [struct(unicode, { text: 'Zażółć gęślą jaźń — 𝄞 — \u0000 nul', by_lang: new Map([['日本語', 'こんにちは'], ['emoji 🎉', '✓'], ['ελληνικά', 'γειά']]) })]
})

export const RECORD_ENTRIES: readonly CorpusEntry[] = entries
