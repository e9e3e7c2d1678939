/**
 * The column mapping against the real PostgreSQL server: rows of every mapped type are read back as text (every type
 * parser returns the raw string, as the snapshot and pgoutput see values), mapped, and written with JsonConverter
 * (schemas on). The all_types table and its rows are the differential fixture's; their expected schemas and values
 * are Debezium 3.6.1's real output for the same rows (column-mapping.debezium-3.6.1.json: snapshot rows 1-3, streamed
 * rows 11-13); the extras table's (defaults, domains, arrays, more types) are in column-mapping-modes.debezium-3.6.1.json.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, test } from 'node:test'
import pg from 'pg'
import { columnMapping, type ColumnMappingOptions } from '../../../connectors/debezium-postgres/column-mapping.ts'
import type { ColumnMapping, TableInfo } from '../../../connectors/debezium-postgres/table-info.ts'
import { BigDecimal } from '../../../src/api/index.ts'
import { postgresUrl } from '../../harness/postgres.mjs'
import { createMappingFixture, extrasRows, mappedJson, table as readTable } from './mapping-fixture.ts'

const DB = `column_mapping_${process.pid}`
const dbUrl = (db: string): string => { const u = new URL(postgresUrl()); u.pathname = `/${db}`; return u.toString() }
const RAW_TEXT = { getTypeParser: () => (v: string) => v }
let admin: pg.Client
let db: pg.Client

const EXPECTED = JSON.parse(readFileSync(new URL('./column-mapping.debezium-3.6.1.json', import.meta.url), 'utf8')) as {
  schema: Array<Record<string, unknown>>
  rows: Record<string, { after: Record<string, unknown> }>
}

before(async () => {
  admin = new pg.Client({ connectionString: dbUrl('postgres') })
  await admin.connect()
  await admin.query(`drop database if exists ${DB}`)
  await admin.query(`create database ${DB}`)
  db = new pg.Client({ connectionString: dbUrl(DB), types: RAW_TEXT })
  await db.connect()
  await createMappingFixture(db)
})

after(async () => {
  await db?.end()
  await admin?.query(`drop database if exists ${DB}`)
  await admin?.end()
})

const table = async (name: string): Promise<TableInfo> => await readTable(db, name)

function mappingOf (info: TableInfo, column: string, options: ColumnMappingOptions = {}): ColumnMapping | null {
  const c = info.columns.find(c => c.name === column)
  assert.ok(c, `column ${column}`)
  return columnMapping(c, options)
}

test('every column of the fixture maps to the schema Debezium 3.6.1 gave it', async () => {
  const row = (await mappedJson(db, await table('all_types'), 'id = 1')).get(1)
  assert.deepEqual(row!.schema.fields, EXPECTED.schema)
})

for (const id of ['1', '2', '3', '11', '12', '13']) {
  test(`row ${id} (${Number(id) > 10 ? 'streamed' : 'snapshot'}): every value as Debezium 3.6.1 emitted it`, async () => {
    const row = (await mappedJson(db, await table('all_types'), `id = ${id}`, {}, Number(id) > 10)).get(Number(id))
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

const MODES = JSON.parse(readFileSync(new URL('./column-mapping-modes.debezium-3.6.1.json', import.meta.url), 'utf8')) as {
  modes: Record<string, {
    options: ColumnMappingOptions
    tables: Record<string, { schema: Array<Record<string, unknown>>, rows: Record<string, Record<string, unknown>> }>
  }>
}

/**
 * Columns whose values are the time (or randomness) of the insert: Debezium's recorded values cannot be ours, by
 * nature (current_date alone changes at midnight UTC between recording and any later run).
 */
const VOLATILE_COLUMNS = new Set(['c_default_curdate', 'c_default_now', 'c_default_ts_now', 'c_default_uuid'])

for (const [mode, { options, tables }] of Object.entries(MODES.modes)) {
  test(`${JSON.stringify(options)}: schemas and values as Debezium 3.6.1's (${Object.keys(tables).join(', ')})`, async () => {
    for (const [name, expected] of Object.entries(tables)) {
      const ids = Object.keys(expected.rows)
      // all_types rows above 10 are Debezium's streamed ones.
      const snapshot = await mappedJson(db, await table(name), `id in (${ids.join(', ')})`, options)
      const streamed = await mappedJson(db, await table(name), `id in (${ids.join(', ')})`, options, true)
      assert.deepEqual(snapshot.get(Number(ids[0]))!.schema.fields, expected.schema, `${mode} ${name} schema`)
      for (const id of ids) {
        const payload = (Number(id) > 10 ? streamed : snapshot).get(Number(id))!.payload
        for (const [column, value] of Object.entries(expected.rows[id]!)) {
          if (!VOLATILE_COLUMNS.has(column)) assert.deepEqual(payload[column], value, `${mode} ${name}#${id}.${column}`)
        }
      }
    }
  })
}

test('generated defaults are Debezium placeholders; literal ones are read as the column reads values', async () => {
  const info = await table('extras')
  const defaultOf = (column: string): unknown => mappingOf(info, column)!.schema.defaultValue
  assert.equal(defaultOf('id'), 0)
  assert.equal(defaultOf('c_default_int'), 42)
  assert.equal(defaultOf('c_default_neg'), -7)
  assert.equal(defaultOf('c_default_text'), 'it') // Debezium's literal pattern stops at the doubled quote
  assert.equal(defaultOf('c_default_user'), 'CURRENT_USER')
  assert.equal(defaultOf('c_default_upper'), '')
  assert.deepEqual(defaultOf('c_default_numeric'), new BigDecimal(1250n, 2))
  assert.equal(defaultOf('c_default_var_numeric'), undefined)
  assert.equal(defaultOf('c_default_int8'), 9007199254740993n)
  assert.equal(defaultOf('c_default_curdate'), 0)
  assert.equal(defaultOf('c_default_now'), '1970-01-01T00:00:00.000000Z')
  assert.equal(defaultOf('c_default_uuid'), '00000000-0000-0000-0000-000000000000')
  assert.equal(defaultOf('c_default_uuid_lit'), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')
  assert.equal(defaultOf('c_default_null'), undefined)
  assert.equal(defaultOf('c_default_money'), undefined)
  assert.equal(defaultOf('c_default_timetz'), undefined)
  assert.equal(defaultOf('c_domain'), undefined)
  assert.equal(defaultOf('c_default_enum'), 'ok')
})

test('arrays: NULL and quoted elements, a NULL in required elements nulls the value, further dimensions become nulls', async () => {
  const info = await table('extras')
  assert.deepEqual(mappingOf(info, 'c_text_array2')!.fromText('{"a b","",NULL,"NULL"}'), ['a b', '', null, 'NULL'])
  assert.deepEqual(mappingOf(info, 'c_multi')!.fromText('{{1,2},{3,4}}'), [null, null])
  const warnings: string[] = []
  assert.equal(mappingOf(info, 'c_enum_array', { warn: w => warnings.push(w) })!.fromText('{sad,NULL}'), null)
  assert.match(warnings[0]!, /c_enum_array/)
  assert.deepEqual(mappingOf(info, 'c_enum_array')!.fromText('{sad,ok}'), ['sad', 'ok'])
  assert.deepEqual(mappingOf(info, 'c_int8_array')!.fromText('{9223372036854775807,1,NULL}'), [9223372036854775807n, 1, null])
})

test('types Debezium does not map are dropped, or kept as their text in bytes with include.unknown.datatypes', async () => {
  const info = await table('extras')
  for (const column of ['c_box', 'c_interval_array', 'c_domain_array']) assert.equal(mappingOf(info, column), null, column)
  const box = mappingOf(info, 'c_box', { includeUnknownDatatypes: true })!
  assert.equal(box.schema.type, 'bytes')
  assert.deepEqual(box.fromText('(1,1),(0,0)'), Buffer.from('(1,1),(0,0)'))
  assert.equal(mappingOf(info, 'c_box', { includeUnknownDatatypes: true, binaryHandlingMode: 'hex' })!.fromText('(1,1),(0,0)'), Buffer.from('(1,1),(0,0)').toString('hex'))
  // Arrays of unmapped elements and of domains stay dropped.
  assert.equal(mappingOf(info, 'c_interval_array', { includeUnknownDatatypes: true }), null)
})

test('a name column streams as null (Debezium\'s pgoutput reader knows no name type); comments only with include.schema.comments', async () => {
  const info = await table('extras')
  const name = mappingOf(info, 'c_name')!
  assert.equal(name.fromText('a name'), 'a name')
  assert.equal(name.fromStreamingText!('a name'), null)
  assert.equal(mappingOf(info, 'c_text_array2')!.fromStreamingText, undefined)
  assert.equal(mappingOf(info, 'c_commented')!.schema.doc, undefined)
  assert.equal(mappingOf(info, 'c_commented', { includeSchemaComments: true })!.schema.doc, 'a comment')
})

test('unchanged TOAST values: the placeholder in the column\'s type', async () => {
  const info = await table('all_types')
  const extras = await table('extras')
  const toast = (t: TableInfo, column: string, options: ColumnMappingOptions = {}): unknown => mappingOf(t, column, options)!.unchangedToast()
  assert.equal(toast(info, 'c_text'), '__debezium_unavailable_value')
  assert.equal(toast(info, 'c_jsonb'), '__debezium_unavailable_value')
  assert.equal(toast(info, 'c_text', { unavailableValuePlaceholder: 'gone' }), 'gone')
  assert.deepEqual(toast(info, 'c_bytea'), Buffer.from('__debezium_unavailable_value'))
  assert.equal(toast(info, 'c_bytea', { binaryHandlingMode: 'hex' }), '__debezium_unavailable_value')
  assert.equal(toast(info, 'c_bytea', { binaryHandlingMode: 'base64' }), null)
  assert.deepEqual(toast(info, 'c_text_array'), ['__debezium_unavailable_value'])
  assert.deepEqual(toast(info, 'c_int_array'), [...Buffer.from('__debezium_unavailable_value')])
  assert.deepEqual(toast(extras, 'c_bytea_array'), [Buffer.from('__debezium_unavailable_value')])
  // java.util.UUID.nameUUIDFromBytes of the placeholder's bytes (computed with Java).
  assert.deepEqual(toast(extras, 'c_uuid_array'), ['b68a35a7-17ad-35b3-af2a-ae46edb4545a'])
  assert.equal(toast(info, 'c_numeric'), null)
  // unavailable.value.placeholder=hex:0102
  assert.deepEqual(toast(info, 'c_bytea', { unavailableValuePlaceholderBytes: Uint8Array.of(1, 2) }), Buffer.from([1, 2]))
})

test('the second extras rows stream as they snapshot (but the name column)', async () => {
  await db.query(extrasRows(101, 102))
  const info = await table('extras')
  const snapshot = await mappedJson(db, info, 'id in (1, 2)')
  const streamed = await mappedJson(db, info, 'id in (101, 102)', {}, true)
  for (const [a, b] of [[1, 101], [2, 102]] as const) {
    const x: Record<string, unknown> = { ...snapshot.get(a)!.payload, id: 0, c_name: null }
    const y: Record<string, unknown> = { ...streamed.get(b)!.payload, id: 0 }
    for (const volatile of VOLATILE_COLUMNS) { delete x[volatile]; delete y[volatile] }
    assert.deepEqual(y, x)
  }
})

test('hstore (json and map modes, in HashMap order), ltree, and their arrays and TOAST stand-ins as Debezium 3.6.1\'s', async () => {
  await db.query(`
    create extension if not exists hstore;
    create extension if not exists ltree;
    create table kv (id integer primary key, h hstore, ha hstore[], l ltree, la ltree[])`)
  await db.query(`insert into kv values (1, 'a=>1, "b c"=>"x\\"y", n=>NULL, zz=>"é"', array['k=>v'::hstore, NULL], 'Top.Science.Astronomy', '{a.b,c}')`)
  const info = await table('kv')
  const json = (await mappedJson(db, info, 'id = 1')).get(1)!
  assert.deepEqual(json.payload, { id: 1, h: '{"zz":"é","a":"1","b c":"x\\"y","n":null}', ha: ['{"k":"v"}', null], l: 'Top.Science.Astronomy', la: ['a.b', 'c'] })
  assert.deepEqual(json.schema.fields.slice(1), [
    { type: 'string', optional: true, name: 'io.debezium.data.Json', version: 1, field: 'h' },
    { type: 'array', items: { type: 'string', optional: true, name: 'io.debezium.data.Json', version: 1 }, optional: true, field: 'ha' },
    { type: 'string', optional: true, name: 'io.debezium.data.Ltree', version: 1, field: 'l' },
    { type: 'array', items: { type: 'string', optional: true, name: 'io.debezium.data.Ltree', version: 1 }, optional: true, field: 'la' }
  ])
  const map = (await mappedJson(db, info, 'id = 1', { hstoreHandlingMode: 'map' })).get(1)!
  assert.equal(JSON.stringify(map.payload.h), '{"zz":"é","a":"1","b c":"x\\"y","n":null}')
  assert.deepEqual(map.payload.ha, [{ k: 'v' }, null])
  assert.deepEqual(map.schema.fields[1], { type: 'map', keys: { type: 'string', optional: false }, values: { type: 'string', optional: true }, optional: true, field: 'h' })
  // TOAST stand-ins (Debezium's, for an update that left TOASTed hstore values unchanged).
  assert.equal(mappingOf(info, 'h')!.unchangedToast(), '{"__debezium_unavailable_value":"__debezium_unavailable_value"}')
  assert.deepEqual(mappingOf(info, 'h', { hstoreHandlingMode: 'map' })!.unchangedToast(), new Map([['__debezium_unavailable_value', '__debezium_unavailable_value']]))
  assert.equal(mappingOf(info, 'h', { unavailableValuePlaceholderBytes: Uint8Array.of(1, 2, 255) })!.unchangedToast(), '{"\\u0001\\u0002\ufffd":"\\u0001\\u0002\ufffd"}')
})

test('unchanged TOAST stand-ins with unavailable.value.placeholder=hex:0102ff, as Debezium 3.6.1 emitted them', async () => {
  const info = await table('all_types')
  const extras = await table('extras')
  const options = { unavailableValuePlaceholder: 'hex:0102ff', unavailableValuePlaceholderBytes: Uint8Array.of(1, 2, 255) }
  assert.equal(mappingOf(info, 'c_text', options)!.unchangedToast(), '\u0001\u0002\ufffd')
  assert.equal(mappingOf(info, 'c_bytea', { ...options, binaryHandlingMode: 'hex' })!.unchangedToast(), '\u0001\u0002\ufffd')
  assert.deepEqual(mappingOf(info, 'c_int_array', options)!.unchangedToast(), [1, 2, -1])
  assert.deepEqual(mappingOf(extras, 'c_uuid_array', options)!.unchangedToast(), ['4f989b1a-c8e4-3ab1-9569-6571104cfb67'])
  assert.deepEqual(mappingOf(extras, 'c_date_array', options)!.unchangedToast(), [1, 2, -1])
  assert.equal(mappingOf(extras, 'c_float_array', options)!.unchangedToast(), null)
  assert.equal(mappingOf(info, 'c_numeric', { decimalHandlingMode: 'string' })!.unchangedToast(), '__debezium_unavailable_value')
})

const MISC = JSON.parse(readFileSync(new URL('./column-mapping-misc.debezium-3.6.1.json', import.meta.url), 'utf8')) as {
  modes: Record<string, {
    options: ColumnMappingOptions
    snapshot: { schema: Array<Record<string, unknown>>, after: Record<string, unknown> }
    streaming: { schema: Array<Record<string, unknown>>, after: Record<string, unknown> }
  }>
}

test('timestamp[] before 1582 in the Julian calendar, infinite dates (snapshot vs streaming), tsvector, domains over arrays, generated columns, more defaults: as Debezium 3.6.1\'s', async () => {
  await db.query(`
    create domain int_list as integer[];
    create table misc (
      id integer primary key, small integer default 3, g integer generated always as (small * 2) stored, ts_arr timestamp[],
      tstz_arr timestamptz(0)[], ts3_arr timestamp(3)[], time3_arr time(3)[], tsv tsvector, tsv_arr tsvector[], char_arr "char"[],
      oid_arr oid[], mac8_arr macaddr8[], range_arr int4range[], citext_arr citext[], dom_arr int_list, bpchar_arr char(3)[],
      num_inf numeric, num10_inf numeric(10,2), f4 real, f4_arr real[], b1 bit(1), vb1 varbit(1), vb varbit, iv interval,
      iv6 interval second(3), m money, d_num numeric default 1.5, d_num_neg numeric(6,2) default -1.5, d_bool boolean default false,
      d_bit1 bit(1) default B'0', d_vb varbit default B'01', d_float real default 'NaN', d_date date default 'infinity',
      d_ts timestamp default 'epoch', d_time time default '24:00', d_iv interval default '-1 mon 2 days -00:00:03.5',
      d_text text default 'a''b', d_jsonb jsonb default '[]', d_xml xml default '<x/>')`)
  for (const id of [1, 2]) {
    await db.query(`insert into misc (id, small, ts_arr, tstz_arr, ts3_arr, time3_arr, tsv, tsv_arr, char_arr, oid_arr, mac8_arr,
      range_arr, citext_arr, dom_arr, bpchar_arr, num_inf, num10_inf, f4, f4_arr, b1, vb1, vb, iv, iv6, m) values
      (${id}, 5, '{"1500-03-01 10:00:00","0044-03-15 12:00:00 BC","2024-01-01 10:00:00.123456"}', '{"2024-01-01 10:00:00.6+02"}',
      '{"2024-01-01 10:00:00.123"}', '{"10:00:00.123","23:59:59.999"}', 'a fat cat sat on a mat', array['a:1 b'::tsvector], '{a,b}',
      '{1,4294967295}', '{08:00:2b:01:02:03:04:05}', '{"[1,5)",empty}', '{MiXeD,NULL}', '{1,2,NULL}', '{ab,"a c"}', 'Infinity', 12.5,
      1.1, '{3.4028235e38,1e-45,-0}', B'1', B'0', B'10110011101', '-1 years +2 mons -3 days +04:05:06.000001', '1.5 seconds',
      '-$1,234.56')`)
  }
  const info = await table('misc')
  assert.equal(info.columns.find(c => c.name === 'g')!.generated, true)
  assert.equal(info.columns.find(c => c.name === 'small')!.generated, undefined)
  for (const [mode, expected] of Object.entries(MISC.modes)) {
    const snapshot = (await mappedJson(db, info, 'id = 1', expected.options)).get(1)!
    assert.deepEqual(snapshot.schema.fields, expected.snapshot.schema, `${mode} snapshot schema`)
    assert.deepEqual(snapshot.payload, expected.snapshot.after, `${mode} snapshot`)
    // Streaming: Debezium's schema lacks the generated column, which pgoutput does not send.
    const streamed = (await mappedJson(db, info, 'id = 2', expected.options, true)).get(2)!
    assert.deepEqual(streamed.schema.fields.filter(f => (f as { field: string }).field !== 'g'), expected.streaming.schema, `${mode} streaming schema`)
    const { g: _g, ...payload } = streamed.payload
    assert.deepEqual(payload, expected.streaming.after, `${mode} streaming`)
  }
})

test('dates before the Gregorian reform and BC: java.sql.Date/Timestamp readings in the snapshot and arrays, java.time while streaming, as Debezium 3.6.1\'s', async () => {
  const CAL = JSON.parse(readFileSync(new URL('./column-mapping-calendar.debezium-3.6.1.json', import.meta.url), 'utf8')) as {
    modes: Record<string, { options: ColumnMappingOptions, snapshot: Record<string, unknown>, streaming: Record<string, unknown> }>
  }
  await db.query('create table cal (id integer primary key, d1 date, d2 date, d3 date, d_arr date[], tstz_arr timestamptz[], ts_arr timestamp[], tstz timestamptz, ts timestamp)')
  for (const id of [1, 2]) {
    await db.query(`insert into cal values (${id}, '1500-03-01', '0044-03-15 BC', '1582-10-14', '{1500-03-01,"0044-03-15 BC",1582-10-14,0001-01-01}',
      '{"1500-03-01 10:00:00+00","0044-03-15 12:00:00+00 BC"}', '{"0001-01-01 00:00:00 BC","1582-10-14 00:00:00"}', '1500-03-01 10:00:00+00', '1500-03-01 10:00:00')`)
  }
  const info = await table('cal')
  for (const [mode, expected] of Object.entries(CAL.modes)) {
    assert.deepEqual((await mappedJson(db, info, 'id = 1', expected.options)).get(1)!.payload, expected.snapshot, `${mode} snapshot`)
    assert.deepEqual((await mappedJson(db, info, 'id = 2', expected.options, true)).get(2)!.payload, expected.streaming, `${mode} streaming`)
  }
})

test('int2vector and oidvector are empty arrays whatever the value, as Debezium 3.6.1 writes int2vector', () => {
  for (const [typeName, elementTypeName, elementType] of [['int2vector', 'int2', 'int16'], ['oidvector', 'oid', 'int64']] as const) {
    const m = columnMapping({ name: 'v', position: 1, typeOid: 22, typeName, typeSchema: 'pg_catalog', typeMod: -1, typeType: 'b', notNull: false, elementTypeOid: 21, elementTypeName })
    assert.ok(m !== null, typeName)
    assert.equal(m.schema.type, 'array')
    assert.equal(m.schema.valueSchema?.type, elementType)
    assert.deepEqual(m.fromText('1 2'), [])
  }
})
