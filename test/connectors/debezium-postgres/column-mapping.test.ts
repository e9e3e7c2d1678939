/**
 * The column mapping against the real PostgreSQL server: rows of every mapped type are read back as text (every type
 * parser returns the raw string, as the snapshot and pgoutput see values), mapped, and written with JsonConverter
 * (schemas on). The all_types table and its rows are the differential fixture's; their expected schemas and values
 * are Debezium 3.6.1's real output for the same rows (column-mapping.debezium-3.6.1.json: snapshot rows 1-3, streamed
 * rows 11-13). The other expectations (defaults, domains, arrays, modes) follow Debezium's source.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, test } from 'node:test'
import pg from 'pg'
import { readTableInfo } from '../../../connectors/debezium-postgres/catalog.ts'
import { columnMapping, type ColumnMappingOptions } from '../../../connectors/debezium-postgres/column-mapping.ts'
import type { ColumnInfo, ColumnMapping, TableInfo } from '../../../connectors/debezium-postgres/table-info.ts'
import { BigDecimal, SchemaBuilder, Struct } from '../../../src/api/index.ts'
import { JsonConverter } from '../../../src/converters/json/json-converter.ts'
import { postgresUrl } from '../../harness/postgres.mjs'

const DB = `column_mapping_${process.pid}`
const dbUrl = (db: string): string => { const u = new URL(postgresUrl()); u.pathname = `/${db}`; return u.toString() }
const RAW_TEXT = { getTypeParser: () => (v: string) => v }
let admin: pg.Client
let db: pg.Client

const EXPECTED = JSON.parse(readFileSync(new URL('./column-mapping.debezium-3.6.1.json', import.meta.url), 'utf8')) as {
  schema: Array<Record<string, unknown>>
  rows: Record<string, { after: Record<string, unknown> }>
}

const ALL_TYPES_COLUMNS = `id, c_smallint, c_integer, c_bigint, c_numeric, c_numeric_10_2, c_numeric_8, c_decimal_6_3, c_real, c_double,
  c_money, c_boolean, c_char, c_varchar, c_varchar_nolen, c_text, c_bytea, c_date, c_time, c_time_3, c_timetz, c_timestamp,
  c_timestamp_3, c_timestamptz, c_interval, c_uuid, c_json, c_jsonb, c_xml, c_inet, c_cidr, c_macaddr, c_macaddr8, c_bit,
  c_bit1, c_varbit, c_enum, c_int_array, c_text_array, c_point, c_tsrange, c_tstzrange, c_daterange, c_int4range,
  c_numrange, c_oid`
const NULLS = Array.from({ length: 45 }, () => 'null').join(', ')

before(async () => {
  admin = new pg.Client({ connectionString: dbUrl('postgres') })
  await admin.connect()
  await admin.query(`drop database if exists ${DB}`)
  await admin.query(`create database ${DB}`)
  db = new pg.Client({ connectionString: dbUrl(DB), types: RAW_TEXT })
  await db.connect()
  await db.query(`
    create type mood as enum ('sad', 'ok', 'happy');
    create table all_types (
      id serial primary key, c_smallint smallint, c_integer integer, c_bigint bigint, c_smallserial smallserial,
      c_bigserial bigserial, c_numeric numeric, c_numeric_10_2 numeric(10, 2), c_numeric_8 numeric(8), c_decimal_6_3 decimal(6, 3),
      c_real real, c_double double precision, c_money money, c_boolean boolean, c_char char(5), c_varchar varchar(20),
      c_varchar_nolen varchar, c_text text, c_bytea bytea, c_date date, c_time time, c_time_3 time(3), c_timetz timetz,
      c_timestamp timestamp, c_timestamp_3 timestamp(3), c_timestamptz timestamptz, c_interval interval, c_uuid uuid,
      c_json json, c_jsonb jsonb, c_xml xml, c_inet inet, c_cidr cidr, c_macaddr macaddr, c_macaddr8 macaddr8, c_bit bit(4),
      c_bit1 bit(1), c_varbit bit varying(8), c_enum mood, c_int_array integer[], c_text_array text[], c_point point,
      c_tsrange tsrange, c_tstzrange tstzrange, c_daterange daterange, c_int4range int4range, c_numrange numrange, c_oid oid)`)
  await db.query(`insert into all_types (${ALL_TYPES_COLUMNS}) values
    (1, 32767, 2147483647, 9223372036854775807, 12345678901234567890.123456789, 12345678.91, 12345678, 123.456,
     3.14159, 2.718281828459045, 1234.56, true, 'ab', 'varchar ü', 'no length', 'text with ''quotes'' and ☃',
     '\\x00010203ff'::bytea, '2024-02-29', '13:45:30.123456', '13:45:30.123', '13:45:30.5+02:00',
     '2024-02-29 13:45:30.123456', '2024-02-29 13:45:30.123', '2024-02-29 13:45:30.123456+02:00',
     '1 year 2 months 3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1, "b": [true, null]}',
     '{"b": [true, null], "a": 1}', '<a><b>x</b></a>', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03',
     '08:00:2b:01:02:03:04:05', B'1010', B'1', B'101', 'happy', '{1,2,3}', '{"x","y z",NULL}', '(1.5,-2.25)',
     '[2024-01-01 00:00,2024-02-01 12:30)', '[2024-01-01 00:00+00,2024-02-01 12:30+00)', '[2024-01-01,2024-02-01)',
     '[1,10)', '(1.5,2.5]', 4294967295),
    (2, -32768, -2147483648, -9223372036854775808, -0.000000001, -0.01, -99999999, -999.999,
     'NaN', '-Infinity', -0.01, false, 'abcde', '', '', '', ''::bytea, '1970-01-01', '00:00:00', '23:59:59.999',
     '00:00:00-11:30', '1970-01-01 00:00:00', '1969-12-31 23:59:59.999', '1970-01-01 00:00:00+00',
     '-1 days -00:00:01', '00000000-0000-0000-0000-000000000000', '[]', '{}', '<empty/>', '::1', '2001:db8::/32',
     'ff:ff:ff:ff:ff:ff', 'ff:ff:ff:ff:ff:ff:ff:ff', B'0000', B'0', B'', 'sad', '{}', '{}', '(0,0)', 'empty', 'empty',
     'empty', 'empty', 'empty', 0),
    (3, ${NULLS}),
    (11, 1, 2, 3, 0, 0, 0, 0, 'Infinity', 'NaN', 0, true, 'x', 'y', 'z', repeat('t', 100), '\\xdeadbeef'::bytea,
     'infinity', '24:00:00', '00:00:00.001', '12:00:00+14', 'infinity', '-infinity', 'infinity', '0',
     'ffffffff-ffff-ffff-ffff-ffffffffffff', '"just a string"', 'null', '<?xml version="1.0"?><r/>', '10.1.2.3',
     '10.1.2.0/24', '00:00:00:00:00:00', '00:00:00:00:00:00:00:00', B'1111', B'1', B'11111111', 'ok', '{-1,0,NULL}',
     '{"{braces}","comma,here","quote\\"d"}', '(-1e10,1e-10)', '(,)', '[2024-01-01 00:00+00,)', '[,2024-01-01)',
     '(,5]', '[0,)', 1),
    (12, 0, 0, 0, 'NaN', 'NaN', 99999999, 999.999, '-Infinity', 'Infinity', 92233720368547758.07, null, null, null, null,
     null, null, '-infinity', null, null, null, '-infinity', 'infinity', '-infinity', '178000000 years', null, null,
     null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
    (13, ${NULLS})`)
})

after(async () => {
  await db?.end()
  await admin?.query(`drop database if exists ${DB}`)
  await admin?.end()
})

async function table (name: string): Promise<TableInfo> {
  const info = await readTableInfo(db, 'public', name)
  assert.ok(info, `table ${name}`)
  return info
}

function mappings (info: TableInfo, options: ColumnMappingOptions = {}): Array<{ column: ColumnInfo, mapping: ColumnMapping | null }> {
  return info.columns.map(column => ({ column, mapping: columnMapping(column, options) }))
}

function mappingOf (info: TableInfo, column: string, options: ColumnMappingOptions = {}): ColumnMapping | null {
  const c = info.columns.find(c => c.name === column)
  assert.ok(c, `column ${column}`)
  return columnMapping(c, options)
}

/** The rows' mapped values as JsonConverter writes the struct of the mapped columns (schema and payload). */
async function asJson (info: TableInfo, where: string, options: ColumnMappingOptions = {}): Promise<Array<{ schema: { fields: unknown[] }, payload: Record<string, unknown> }>> {
  const mapped = mappings(info, options).filter(m => m.mapping !== null) as Array<{ column: ColumnInfo, mapping: ColumnMapping }>
  const builder = SchemaBuilder.struct().optional()
  for (const { column, mapping } of mapped) builder.field(column.name, mapping.schema)
  const schema = builder.build()
  const converter = new JsonConverter()
  converter.configure({ 'schemas.enable': 'true' }, false)
  const { rows } = await db.query(`select * from ${info.table} where ${where} order by id`)
  return rows.map((row: Record<string, string | null>) => {
    const struct = new Struct(schema)
    for (const { column, mapping } of mapped) {
      const text = row[column.name]
      struct.put(column.name, text === null || text === undefined ? null : mapping.fromText(text))
    }
    return JSON.parse(converter.fromConnectData('t', undefined as never, schema, struct)!.toString())
  })
}

test('every column of the fixture maps to the schema Debezium 3.6.1 gave it', async () => {
  const [row] = await asJson(await table('all_types'), 'id = 1')
  assert.deepEqual(row!.schema.fields, EXPECTED.schema)
})

for (const id of ['1', '2', '3', '11', '12', '13']) {
  test(`row ${id}: every value as Debezium 3.6.1 emitted it`, async () => {
    const [row] = await asJson(await table('all_types'), `id = ${id}`)
    const expected = EXPECTED.rows[id]!.after
    for (const name of Object.keys(expected)) assert.deepEqual(row!.payload[name], expected[name], `column ${name}`)
    assert.deepEqual(Object.keys(row!.payload).sort(), Object.keys(expected).sort())
  })
}

test('extreme integers stay exact (int64 beyond 2^53 as bigint), float4 as float32', async () => {
  const info = await table('all_types')
  assert.equal(mappingOf(info, 'c_bigint')!.fromText('9223372036854775807'), 9223372036854775807n)
  assert.equal(mappingOf(info, 'c_bigint')!.fromText('-9223372036854775808'), -9223372036854775808n)
  assert.equal(mappingOf(info, 'c_bigint')!.fromText('42'), 42)
  assert.equal(mappingOf(info, 'c_oid')!.fromText('4294967295'), 4294967295)
  assert.equal(mappingOf(info, 'c_real')!.fromText('3.14159'), Math.fround(3.14159))
  assert.throws(() => mappingOf(info, 'c_smallint')!.fromText('32768'), (err: Error) => err.name === 'DataError' && /c_smallint/.test(err.message))
  assert.deepEqual(mappingOf(info, 'c_numeric_10_2')!.fromText('12345678.91'), new BigDecimal(1234567891n, 2))
  // A NaN numeric in precise mode: Debezium warns and emits null.
  const warnings: string[] = []
  assert.equal(mappingOf(info, 'c_numeric', { warn: m => warnings.push(m) })!.fromText('NaN'), null)
  assert.match(warnings[0]!, /c_numeric/)
})
