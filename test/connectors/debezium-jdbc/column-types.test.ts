/**
 * Column types and value texts without a database: the mapping Debezium's PostgreSQL dialect applies, and temporal
 * values of any year (as java.time reads Debezium's numbers), which a JavaScript Date cannot hold.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BigDecimal, Decimal, SchemaBuilder, Schemas, Struct, type Schema } from '../../../src/api/index.ts'
import { bindValue, columnTypeFor, defaultValueSql } from '../../../connectors/debezium-jdbc/column-types.ts'

const named = (type: 'int32' | 'int64' | 'string', name: string, params: Record<string, string> = {}): Schema => {
  let b = type === 'int32' ? SchemaBuilder.int32() : type === 'int64' ? SchemaBuilder.int64() : SchemaBuilder.string()
  b = b.name(name).optional()
  for (const [k, v] of Object.entries(params)) b = b.parameter(k, v)
  return b.build()
}

test('column types follow Debezium\'s PostgreSQL dialect', () => {
  assert.equal(columnTypeFor(Schemas.INT8, 'f'), 'smallint')
  assert.equal(columnTypeFor(Schemas.FLOAT32, 'f'), 'real')
  assert.equal(columnTypeFor(Decimal.builder(2).parameter('connect.decimal.precision', '50').build(), 'f'), 'numeric(38,2)')
  assert.equal(columnTypeFor(Decimal.schema(3), 'f'), 'numeric(38,3)')
  assert.equal(columnTypeFor(named('int64', 'io.debezium.time.MicroTime'), 'f'), 'time(6)')
  assert.equal(columnTypeFor(named('int64', 'io.debezium.time.MicroTimestamp', { '__debezium.source.column.scale': '3' }), 'f'), 'timestamp(3)')
  assert.equal(columnTypeFor(named('string', 'io.debezium.time.ZonedTimestamp'), 'f'), 'timestamp(6) with time zone')
  assert.equal(columnTypeFor(named('string', 'io.debezium.data.Json', { '__debezium.source.column.type': 'JSONB' }), 'f'), 'jsonb')
  assert.equal(columnTypeFor(SchemaBuilder.array(Schemas.OPTIONAL_STRING).build(), 'f'), 'text[]')
  assert.throws(() => columnTypeFor(SchemaBuilder.struct().name('x.Nested').build(), 'nested'), /Field 'nested': failed to resolve column type for schema: STRUCT/)
})

test('temporal values of any year, with PostgreSQL\'s BC suffix; 24:00:00 kept', () => {
  const micro = named('int64', 'io.debezium.time.MicroTimestamp')
  assert.equal(bindValue(micro, 1700000000123456, 'f'), '2023-11-14 22:13:20.123456000')
  assert.equal(bindValue(micro, -1, 'f'), '1969-12-31 23:59:59.999999000')
  // The Postgres connector's timestamp 'infinity': java.time reads year 294247, PostgreSQL stores it.
  assert.equal(bindValue(micro, 9223372036825200000n, 'f'), '294247-01-10 04:00:25.200000000')
  assert.equal(bindValue(micro, -62135596800000001n, 'f'), '0001-12-31 23:59:59.999999000 BC')
  const date = named('int32', 'io.debezium.time.Date')
  assert.equal(bindValue(date, -719162, 'f'), '0001-01-01')
  assert.equal(bindValue(date, -719163, 'f'), '0001-12-31 BC')
  assert.equal(bindValue(date, 2932896, 'f'), '9999-12-31')
  assert.equal(bindValue(named('int64', 'io.debezium.time.MicroTime'), 86400000000, 'f'), '24:00:00.000000000')
  assert.throws(() => bindValue(named('int64', 'io.debezium.time.MicroTime'), 86400000001, 'f'), /out of range/)
  assert.equal(bindValue(named('int64', 'io.debezium.time.NanoTimestamp'), 1700000000123456789n, 'f'), '2023-11-14 22:13:20.123456789')
  assert.equal(bindValue(named('int64', 'io.debezium.time.MicroDuration'), 90061000001, 'f'), '90061.000001 seconds')
})

test('numbers, decimals, bits, points and defaults', () => {
  assert.equal(bindValue(Schemas.FLOAT64, Number.NaN, 'f'), 'NaN')
  assert.equal(bindValue(Schemas.FLOAT64, -Infinity, 'f'), '-Infinity')
  assert.equal(bindValue(Schemas.INT64, 9223372036854775807n, 'f'), '9223372036854775807')
  assert.equal(bindValue(Decimal.schema(2), new BigDecimal(-12345n, 2), 'f'), '-123.45')
  const vsd = SchemaBuilder.struct().name('io.debezium.data.VariableScaleDecimal').field('scale', Schemas.INT32).field('value', Schemas.BYTES).build()
  assert.equal(bindValue(vsd, new Struct(vsd).put('scale', 3).put('value', Buffer.from([0x30, 0x39])), 'f'), '12.345')
  const bits = SchemaBuilder.bytes().name('io.debezium.data.Bits').parameter('length', '4').build()
  assert.equal(bindValue(bits, Buffer.from([0b1010]), 'f'), '1010')
  const point = SchemaBuilder.struct().name('io.debezium.data.geometry.Point').field('x', Schemas.FLOAT64).field('y', Schemas.FLOAT64).build()
  assert.equal(bindValue(point, new Struct(point).put('x', 1.5).put('y', -2.25), 'f'), '(1.5,-2.25)')
  assert.equal(defaultValueSql(SchemaBuilder.string().defaultValue("it's").build(), 'f'), "'it''s'")
  assert.equal(defaultValueSql(SchemaBuilder.int32().defaultValue(0).build(), 'f'), '0')
  assert.equal(defaultValueSql(SchemaBuilder.bool().defaultValue(false).build(), 'f'), 'FALSE')
  assert.equal(defaultValueSql(Schemas.OPTIONAL_STRING, 'f'), null)
})
