/**
 * The catalog reader against the real PostgreSQL server: user tables of every non-system schema, a table by name and
 * by relation OID, domains resolved to their root type, arrays to their element, enum labels in sort order, the
 * primary key in key order, replica identity, defaults and comments, and a re-read after ALTER TABLE.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import pg from 'pg'
import { listTables, readTableInfo, readTableInfoByOid } from '../../../connectors/debezium-postgres/catalog.ts'
import { columnMapping } from '../../../connectors/debezium-postgres/column-mapping.ts'
import { postgresUrl } from '../../harness/postgres.mjs'

const DB = `catalog_${process.pid}`
const dbUrl = (db: string): string => { const u = new URL(postgresUrl()); u.pathname = `/${db}`; return u.toString() }
let admin: pg.Client
let db: pg.Client
// The reader must not depend on the client's type parsers: this client keeps pg's defaults, `raw` returns text.
let raw: pg.Client

before(async () => {
  admin = new pg.Client({ connectionString: dbUrl('postgres') })
  await admin.connect()
  await admin.query(`drop database if exists ${DB}`)
  await admin.query(`create database ${DB}`)
  db = new pg.Client({ connectionString: dbUrl(DB) })
  await db.connect()
  raw = new pg.Client({ connectionString: dbUrl(DB), types: { getTypeParser: () => (v: string) => v } })
  await raw.connect()
  await db.query(`
    create schema inventory;
    create type inventory.color as enum ('red', 'green', 'blue');
    alter type inventory.color add value 'amber' before 'green';
    create domain positive_int as integer check (value > 0);
    create domain price as numeric(8, 3) not null;
    create domain cheap_price as price;
    create table inventory.items (
      region text not null,
      id integer not null,
      name varchar(40) default 'unnamed',
      qty positive_int,
      cost cheap_price,
      color inventory.color,
      colors inventory.color[],
      tags text[],
      prices numeric(6, 2)[],
      stamp timestamptz(3),
      dropped_later integer,
      primary key (id, region)
    );
    comment on column inventory.items.name is 'the display name';
    alter table inventory.items drop column dropped_later;
    alter table inventory.items replica identity full;
    create table public.plain (id serial primary key, note text);
    create table public.nokey (v integer);
    create table public.parted (id integer, at date) partition by range (at);
    create view public.a_view as select 1 as x;
  `)
})

after(async () => {
  await db?.end()
  await raw?.end()
  await admin?.query(`drop database if exists ${DB}`)
  await admin?.end()
})

test('listTables: user tables of every non-system schema, ordered by schema and name; no views', async () => {
  const tables = await listTables(raw)
  assert.deepEqual(tables.map(t => `${t.schema}.${t.table}`), ['inventory.items', 'public.nokey', 'public.parted', 'public.plain'])
  for (const t of tables) assert.ok(Number.isInteger(t.oid) && t.oid > 0)
})

test('a table by name: columns in order without dropped ones, key in key order, replica identity', async () => {
  for (const client of [db, raw]) {
    const info = await readTableInfo(client, 'inventory', 'items')
    assert.ok(info)
    assert.equal(info.schema, 'inventory')
    assert.equal(info.table, 'items')
    assert.deepEqual(info.primaryKey, ['id', 'region'])
    assert.equal(info.replicaIdentity, 'f')
    assert.deepEqual(info.columns.map(c => c.name), ['region', 'id', 'name', 'qty', 'cost', 'color', 'colors', 'tags', 'prices', 'stamp'])
    assert.deepEqual(info.columns.map(c => c.position), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    const byName = new Map(info.columns.map(c => [c.name, c]))
    assert.equal(byName.get('region')!.notNull, true)
    assert.equal(byName.get('name')!.notNull, false)
    assert.equal(byName.get('name')!.typeName, 'varchar')
    assert.equal(byName.get('name')!.typeMod, 44)
    assert.equal(byName.get('name')!.defaultExpression, "'unnamed'::character varying")
    assert.equal(byName.get('name')!.comment, 'the display name')
    assert.equal(byName.get('id')!.defaultExpression, undefined)
    // Domains: their own name, the root base type and the nearest typmod; a NOT NULL domain makes the column NOT NULL.
    const qty = byName.get('qty')!
    assert.equal(qty.typeName, 'positive_int')
    assert.equal(qty.typeType, 'd')
    assert.equal(qty.baseTypeName, 'int4')
    assert.equal(qty.baseTypeMod, -1)
    const cost = byName.get('cost')!
    assert.equal(cost.baseTypeName, 'numeric')
    assert.equal(cost.baseTypeMod, ((8 << 16) | 3) + 4)
    assert.equal(cost.notNull, true)
    // Enums and arrays of them: labels in sort order (amber was added before green).
    assert.deepEqual(byName.get('color')!.enumValues, ['red', 'amber', 'green', 'blue'])
    assert.equal(byName.get('color')!.typeSchema, 'inventory')
    const colors = byName.get('colors')!
    assert.equal(colors.typeName, '_color')
    assert.equal(colors.elementTypeName, 'color')
    assert.deepEqual(colors.enumValues, ['red', 'amber', 'green', 'blue'])
    assert.equal(byName.get('tags')!.elementTypeName, 'text')
    assert.equal(byName.get('tags')!.elementTypeOid, 25)
    assert.equal(byName.get('prices')!.typeMod, ((6 << 16) | 2) + 4)
    assert.equal(byName.get('stamp')!.typeMod, 3)
    assert.equal(byName.get('region')!.elementTypeName, undefined)
  }
})

test('mapped columns of the catalog: domain as its base type, the comment as doc, the literal default', async () => {
  const info = (await readTableInfo(raw, 'inventory', 'items'))!
  const byName = new Map(info.columns.map(c => [c.name, c]))
  assert.equal(columnMapping(byName.get('qty')!)!.schema.type, 'int32')
  const cost = columnMapping(byName.get('cost')!)!.schema
  assert.equal(cost.name, 'org.apache.kafka.connect.data.Decimal')
  assert.deepEqual(cost.parameters, { scale: '3', 'connect.decimal.precision': '8' })
  assert.equal(cost.optional, false)
  const name = columnMapping(byName.get('name')!, { includeSchemaComments: true })!.schema
  assert.equal(name.doc, 'the display name')
  assert.equal(name.defaultValue, 'unnamed')
  assert.equal(columnMapping(byName.get('colors')!)!.schema.valueSchema!.parameters!.allowed, 'red,amber,green,blue')
})

test('by relation OID, null for an unknown OID or a view, and a re-read after ALTER TABLE sees the new structure', async () => {
  const plain = (await readTableInfo(raw, 'public', 'plain'))!
  const byOid = (await readTableInfoByOid(raw, plain.oid))!
  assert.deepEqual(byOid, plain)
  assert.equal(plain.columns[0]!.defaultExpression, "nextval('plain_id_seq'::regclass)")
  assert.equal(plain.replicaIdentity, 'd')
  assert.equal(await readTableInfoByOid(raw, 4294967295), null)
  const view = await db.query("select 'public.a_view'::regclass::oid::int8 as oid")
  assert.equal(await readTableInfoByOid(raw, Number(view.rows[0].oid)), null)
  assert.equal(await readTableInfo(raw, 'public', 'missing'), null)

  await db.query('alter table public.plain add column added numeric(5, 1) default 1.5, alter column note set not null')
  const altered = (await readTableInfoByOid(raw, plain.oid))!
  assert.deepEqual(altered.columns.map(c => c.name), ['id', 'note', 'added'])
  assert.equal(altered.columns[1]!.notNull, true)
  assert.equal(altered.columns[2]!.defaultExpression, '1.5')
  const nokey = (await readTableInfo(raw, 'public', 'nokey'))!
  assert.deepEqual(nokey.primaryKey, [])
})
