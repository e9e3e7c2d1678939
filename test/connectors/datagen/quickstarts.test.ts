/**
 * The bundled quickstart schemas: each parses, maps to Connect and generates values valid for its schema; the four
 * most used keep kafka-connect-datagen's record names, field names and types (what downstream consumers rely on),
 * and their annotations shape the data as theirs do.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type BigDecimal, type Struct, validateValue, type Schema } from '../../../src/api/index.ts'
import { parseAvroSchema } from '../../../connectors/datagen/avro-schema.ts'
import { toConnectSchema } from '../../../connectors/datagen/avro-to-connect.ts'
import { Prng } from '../../../connectors/datagen/prng.ts'
import { QUICKSTARTS } from '../../../connectors/datagen/quickstart/index.ts'
import { RandomGenerator } from '../../../connectors/datagen/random-generator.ts'

function generate (name: string, n: number): { schema: Schema, values: Struct[] } {
  const quickstart = QUICKSTARTS.get(name)!
  const avro = parseAvroSchema(quickstart.schema)
  const schema = toConnectSchema(avro)
  const generator = new RandomGenerator(avro, schema, new Prng(11n))
  return { schema, values: Array.from({ length: n }, () => generator.generate() as Struct) }
}

const shape = (schema: Schema): unknown => ({
  name: schema.name,
  fields: schema.fields!.map(f => [f.name, f.schema.type, f.schema.optional, ...(f.schema.fields ? [shape(f.schema)] : [])])
})

test('every quickstart generates values valid for its schema, with its key field present', () => {
  assert.ok(QUICKSTARTS.size >= 23)
  for (const [name, quickstart] of QUICKSTARTS) {
    const { schema, values } = generate(name, 300)
    for (const v of values) validateValue(schema, v)
    assert.ok(schema.fields!.some(f => f.name === quickstart.keyField), `${name}: key field ${quickstart.keyField}`)
  }
})

test('users, pageviews, orders and clickstream keep the original names and types', () => {
  assert.deepEqual(shape(generate('users', 1).schema), {
    name: 'ksql.users',
    fields: [['registertime', 'int64', false], ['userid', 'string', false], ['regionid', 'string', false], ['gender', 'string', false]]
  })
  assert.deepEqual(shape(generate('pageviews', 1).schema), {
    name: 'ksql.pageviews', fields: [['viewtime', 'int64', false], ['userid', 'string', false], ['pageid', 'string', false]]
  })
  assert.deepEqual(shape(generate('orders', 1).schema), {
    name: 'ksql.orders',
    fields: [
      ['ordertime', 'int64', false], ['orderid', 'int32', false], ['itemid', 'string', false], ['orderunits', 'float64', false],
      ['address', 'struct', false, { name: 'ksql.address', fields: [['city', 'string', false], ['state', 'string', false], ['zipcode', 'int64', false]] }]
    ]
  })
  assert.deepEqual(shape(generate('clickstream', 1).schema), {
    name: 'clickstream.events',
    fields: ['ip', 'userid', 'remote_user', 'time', '_time', 'request', 'status', 'bytes', 'referrer', 'agent']
      .map(f => [f, f === 'userid' ? 'int32' : f === '_time' ? 'int64' : 'string', false])
  })
})

test('the annotations shape the data as in kafka-connect-datagen', () => {
  const users = generate('users', 500).values
  for (const u of users) {
    const t = u.get('registertime') as number
    assert.ok(t >= 1487715775521 && t < 1519273364600)
    assert.match(u.get('userid') as string, /^User_[1-9]$/)
    assert.match(u.get('regionid') as string, /^Region_[1-9]$/)
  }
  assert.deepEqual(new Set(users.map(u => u.get('gender'))), new Set(['MALE', 'FEMALE', 'OTHER']))
  assert.equal(new Set(users.map(u => u.get('userid'))).size, 9)

  assert.deepEqual(generate('pageviews', 4).values.map(p => p.get('viewtime')), [1, 11, 21, 31])
  assert.ok(generate('pageviews', 200).values.every(p => /^Page_[1-9][0-9]$/.test(p.get('pageid') as string)))

  const orders = generate('orders', 200).values
  assert.deepEqual(orders.slice(0, 3).map(o => o.get('orderid')), [0, 1, 2])
  for (const o of orders) {
    assert.match(o.get('itemid') as string, /^Item_[1-9][0-9]{0,2}$/)
    const units = o.get('orderunits') as number
    assert.ok(units >= 0.1 && units < 10)
    const address = o.get('address') as Struct
    assert.match(address.get('city') as string, /^City_[1-9]{0,2}$/)
    const zip = address.get('zipcode') as number
    assert.ok(zip >= 10000 && zip < 99999)
  }

  const clicks = generate('clickstream', 300).values
  assert.deepEqual(clicks.slice(0, 3).map(c => [c.get('time'), c.get('_time')]), [['1', 1], ['11', 11], ['21', 21]])
  for (const c of clicks) {
    assert.match(c.get('ip') as string, /^(111|222|122|233)\.\d+\.\d+\.\d+$/)
    const userid = c.get('userid') as number
    assert.ok(userid >= -1 && userid < 40)
    assert.ok(['200', '302', '404', '405', '406', '407'].includes(c.get('status') as string))
  }

  const purchases = generate('purchases', 200).values
  assert.ok(purchases.every(p => { const d = p.get('price_per_unit') as BigDecimal; return d.scale === 2 && d.unscaled >= 1000n && d.unscaled < 5000n }))
  const stores = generate('stores', 200).values
  assert.equal(new Set(stores.map(s => `${String(s.get('store_id'))} ${String(s.get('city'))}`)).size, 7)
  assert.ok(generate('campaign_finance', 100).values.every(c => /^[A-Z][1-9]{8}$/.test(c.get('candidate_id') as string)))
  const games = generate('gaming_games', 3).values
  assert.deepEqual(games.map(g => g.get('created_date')), [0, 1, 2].map(i => new Date(1609459200000 + i * 100000)))
  const pizzas = generate('pizza_orders_completed', 100).values
  assert.ok(pizzas.every(p => { const days = (p.get('date') as Date).getTime() / 86400000; return Number.isInteger(days) && days >= 18000 && days < 19000 }))
  assert.deepEqual(pizzas.slice(0, 2).map(p => p.get('store_order_id')), [1000, 1002])
  const trades = generate('stock_trades', 1).schema
  assert.equal(trades.parameters?.['io.confluent.connect.avro.record.doc'], 'Defines a hypothetical stock trade using some known test stock symbols.')
})
