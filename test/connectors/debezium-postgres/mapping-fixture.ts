/**
 * The tables and rows the column mapping tests read back: all_types is the differential fixture's table with its
 * snapshot rows (1-3) and streamed rows (11-13); extras adds defaults, domains, more arrays and types. Debezium 3.6.1's
 * output for exactly these rows is in column-mapping.debezium-3.6.1.json and column-mapping-modes.debezium-3.6.1.json.
 */
import assert from 'node:assert/strict'
import type pg from 'pg'
import { readTableInfo } from '../../../connectors/debezium-postgres/catalog.ts'
import { columnMapping, type ColumnMappingOptions } from '../../../connectors/debezium-postgres/column-mapping.ts'
import type { ColumnInfo, ColumnMapping, TableInfo } from '../../../connectors/debezium-postgres/table-info.ts'
import { SchemaBuilder, Struct } from '../../../src/api/index.ts'
import { JsonConverter } from '../../../src/converters/json/json-converter.ts'

export const ALL_TYPES_COLUMNS = `id, c_smallint, c_integer, c_bigint, c_numeric, c_numeric_10_2, c_numeric_8, c_decimal_6_3, c_real, c_double,
  c_money, c_boolean, c_char, c_varchar, c_varchar_nolen, c_text, c_bytea, c_date, c_time, c_time_3, c_timetz, c_timestamp,
  c_timestamp_3, c_timestamptz, c_interval, c_uuid, c_json, c_jsonb, c_xml, c_inet, c_cidr, c_macaddr, c_macaddr8, c_bit,
  c_bit1, c_varbit, c_enum, c_int_array, c_text_array, c_point, c_tsrange, c_tstzrange, c_daterange, c_int4range,
  c_numrange, c_oid`
export const NULLS = Array.from({ length: 45 }, () => 'null').join(', ')

export const ALL_TYPES_DDL = `
    create type mood as enum ('sad', 'ok', 'happy');
    create table all_types (
      id serial primary key, c_smallint smallint, c_integer integer, c_bigint bigint, c_smallserial smallserial,
      c_bigserial bigserial, c_numeric numeric, c_numeric_10_2 numeric(10, 2), c_numeric_8 numeric(8), c_decimal_6_3 decimal(6, 3),
      c_real real, c_double double precision, c_money money, c_boolean boolean, c_char char(5), c_varchar varchar(20),
      c_varchar_nolen varchar, c_text text, c_bytea bytea, c_date date, c_time time, c_time_3 time(3), c_timetz timetz,
      c_timestamp timestamp, c_timestamp_3 timestamp(3), c_timestamptz timestamptz, c_interval interval, c_uuid uuid,
      c_json json, c_jsonb jsonb, c_xml xml, c_inet inet, c_cidr cidr, c_macaddr macaddr, c_macaddr8 macaddr8, c_bit bit(4),
      c_bit1 bit(1), c_varbit bit varying(8), c_enum mood, c_int_array integer[], c_text_array text[], c_point point,
      c_tsrange tsrange, c_tstzrange tstzrange, c_daterange daterange, c_int4range int4range, c_numrange numrange, c_oid oid)`

export const ALL_TYPES_ROWS = `insert into all_types (${ALL_TYPES_COLUMNS}) values
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
    (13, ${NULLS})`

export const EXTRAS_DDL = `
create extension if not exists citext;
create domain positive_int as integer check (value > 0);
create domain short_text as varchar(10) not null;
create domain num83 as numeric(8,3);
create table extras (
  id serial primary key,
  c_default_int integer not null default 42,
  c_default_neg integer default -7,
  c_default_text text default 'it''s',
  c_default_varchar varchar(10) default 'abc',
  c_default_bool boolean default true,
  c_default_numeric numeric(10,2) default 12.5,
  c_default_var_numeric numeric default 1.5,
  c_default_float8 float8 default 2.5,
  c_default_float4 real default 0.1,
  c_default_int8 bigint default 9007199254740993,
  c_default_date date default '2024-01-02',
  c_default_curdate date default current_date,
  c_default_now timestamptz default now(),
  c_default_tstz timestamptz(3) default '2024-01-02 03:04:05.5+02',
  c_default_ts timestamp default '2024-01-02 03:04:05',
  c_default_ts_now timestamp default now(),
  c_default_time time default '10:00',
  c_default_timetz timetz default '10:00+02',
  c_default_interval interval default '1 day 02:00:00',
  c_default_uuid uuid default gen_random_uuid(),
  c_default_uuid_lit uuid default 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
  c_default_enum mood default 'ok',
  c_default_jsonb jsonb default '{"a": 1}',
  c_default_bit bit(3) default B'101',
  c_default_bit1 bit(1) default B'1',
  c_default_null integer default null,
  c_default_money money default 5,
  c_default_char char(3) default 'x',
  c_default_upper text default upper('abc'),
  c_default_user text default current_user,
  c_domain positive_int default 5,
  c_domain_text short_text default 'dom',
  c_domain_numeric num83,
  c_enum_array mood[],
  c_numeric_array numeric(5,2)[],
  c_var_numeric_array numeric[],
  c_tstz_array timestamptz[],
  c_ts_array timestamp[],
  c_time_array time[],
  c_timetz_array timetz[],
  c_date_array date[],
  c_bytea_array bytea[],
  c_bool_array boolean[],
  c_float_array float8[],
  c_uuid_array uuid[],
  c_json_array jsonb[],
  c_multi int[][],
  c_citext citext,
  c_box box,
  c_interval_array interval[],
  c_domain_array positive_int[],
  c_tstz0 timestamptz(0),
  c_tstz3 timestamptz(3),
  c_time0 time(0),
  c_ts0 timestamp(0),
  c_huge numeric,
  c_varbit_nolen varbit,
  c_name name,
  c_char1 "char",
  c_commented text,
  c_int2_array smallint[],
  c_int8_array bigint[],
  c_text_array2 varchar(5)[]
);
comment on column extras.c_commented is 'a comment';
`

/** Two rows of extras with the given ids: one of values, one of empty values (the defaults fill the rest). */
export function extrasRows (id1: number, id2: number): string {
  return `insert into extras (id, c_default_int, c_domain_numeric, c_enum_array, c_numeric_array, c_var_numeric_array, c_tstz_array, c_ts_array, c_time_array, c_timetz_array, c_date_array, c_bytea_array, c_bool_array, c_float_array, c_uuid_array, c_json_array, c_multi, c_citext, c_box, c_interval_array, c_domain_array, c_tstz0, c_tstz3, c_time0, c_ts0, c_huge, c_varbit_nolen, c_name, c_char1, c_commented, c_int2_array, c_int8_array, c_text_array2) values
 (${id1}, 1, 12345.678, '{sad,happy,NULL}', '{1.5,NULL,-2.25}', '{1.50,0,NULL,-1e-3}', '{"2024-01-01 10:00:00.123456+02",NULL}', '{"2024-01-01 10:00:00.123456"}', '{"10:00:00.123456","24:00:00"}', '{"10:00:00.123456+02"}', '{2024-02-29,infinity,NULL}', '{"\\\\x0102",NULL}', '{t,f,NULL}', '{1.5,NaN,-Infinity,NULL}', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', '{"{\\"a\\": 1}",null}', '{{1,2},{3,4}}', 'MiXeD', '((1,1),(0,0))', '{"1 day"}', '{1,2}', '2024-01-01 10:00:00.6+00', '2024-01-01 10:00:00.123+00', '10:00:00', '2024-01-01 10:00:00', 123456789012345678901234567890.123456789012345678901234567890, B'1011', 'a name', 'z', 'commented', '{1,NULL,-32768}', '{9223372036854775807,NULL}', '{"a b","",NULL}'),
 (${id2}, 2, null, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '', null, null, null, '0044-03-15 12:00:00+00 BC', '10000-01-01 00:00:00+00', '23:59:59', '0001-01-01 00:00:00 BC', 0.000, B'', '', '', null, '{}', '{}', '{}');`
}

/** Creates both tables with their rows (extras rows 1 and 2). */
export async function createMappingFixture (db: pg.Client): Promise<void> {
  await db.query(ALL_TYPES_DDL)
  await db.query(ALL_TYPES_ROWS)
  await db.query(EXTRAS_DDL)
  await db.query(extrasRows(1, 2))
}

export async function table (db: pg.Client, name: string): Promise<TableInfo> {
  const info = await readTableInfo(db, 'public', name)
  assert.ok(info, `table ${name}`)
  return info
}

/**
 * The rows' mapped values as JsonConverter writes the struct of the mapped columns (schema and payload), by id.
 * `streaming` reads them as the streaming reader does (fromStreamingText where a mapping has one).
 */
export async function mappedJson (db: pg.Client, info: TableInfo, where: string, options: ColumnMappingOptions = {}, streaming = false): Promise<Map<number, { schema: { fields: unknown[] }, payload: Record<string, unknown> }>> {
  const mapped = info.columns.map(column => ({ column, mapping: columnMapping(column, options) }))
    .filter(m => m.mapping !== null) as Array<{ column: ColumnInfo, mapping: ColumnMapping }>
  const builder = SchemaBuilder.struct().optional()
  for (const { column, mapping } of mapped) builder.field(column.name, mapping.schema)
  const schema = builder.build()
  const converter = new JsonConverter()
  converter.configure({ 'schemas.enable': 'true' }, false)
  const { rows } = await db.query(`select * from ${info.table} where ${where} order by id`)
  const out = new Map<number, { schema: { fields: unknown[] }, payload: Record<string, unknown> }>()
  for (const row of rows as Array<Record<string, string | null>>) {
    const struct = new Struct(schema)
    for (const { column, mapping } of mapped) {
      const text = row[column.name]
      const read = streaming && mapping.fromStreamingText ? mapping.fromStreamingText.bind(mapping) : mapping.fromText.bind(mapping)
      struct.put(column.name, text === null || text === undefined ? null : read(text))
    }
    out.set(Number(row.id), JSON.parse(converter.fromConnectData('t', undefined as never, schema, struct)!.toString()))
  }
  return out
}
