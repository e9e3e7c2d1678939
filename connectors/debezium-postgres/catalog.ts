/**
 * Reads what the connector needs of a table from PostgreSQL's catalog (pg_class, pg_namespace, pg_attribute, pg_type,
 * pg_attrdef, pg_index, pg_enum, pg_description) in the client's current view: inside the snapshot's transaction it
 * sees the snapshot's catalog. Domains resolve to their root base type (Debezium maps a domain as that type), arrays
 * name their element type, enums list their labels in sort order.
 *
 * Every value is read as text and converted here, so the queries work whatever type parsers the client uses.
 */
import { ConnectError } from '../../src/api/index.ts'
import type { ColumnInfo, TableInfo } from './table-info.ts'

/** What the catalog reader needs of a pg client (pg.Client, pg.PoolClient). */
export interface CatalogClient {
  query (text: string, values?: unknown[]): Promise<{ rows: unknown[] }>
}

/** A user table: its OID and name. */
export interface TableRef {
  readonly oid: number
  readonly schema: string
  readonly table: string
}

type Row = Record<string, string | null>

async function rows (client: CatalogClient, text: string, values: unknown[]): Promise<Row[]> {
  try {
    const result = await client.query(text, values)
    return result.rows as Row[]
  } catch (err) {
    throw new ConnectError(`Catalog query failed: ${(err as Error).message}`, { cause: err, retriable: true })
  }
}

const num = (v: string | null | undefined): number => Number(v)
const str = (v: string | null | undefined): string => v ?? ''

/** Plain and partitioned tables; Debezium's snapshot and filters see both. */
const TABLE_KINDS = "('r', 'p')"

/**
 * User tables of every schema but PostgreSQL's own (pg_catalog, information_schema, pg_toast*, pg_temp*), by schema
 * and name. The include/exclude lists (and table.ignore.builtin) filter them further.
 */
export async function listTables (client: CatalogClient): Promise<TableRef[]> {
  const result = await rows(client, `
    select c.oid::text as oid, n.nspname::text as schema, c.relname::text as table
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ${TABLE_KINDS} and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'
    order by n.nspname, c.relname`, [])
  return result.map(r => ({ oid: num(r.oid), schema: str(r.schema), table: str(r.table) }))
}

/** The table by schema and name, or null when there is none. */
export async function readTableInfo (client: CatalogClient, schema: string, table: string): Promise<TableInfo | null> {
  const found = await rows(client, `
    select c.oid::text as oid from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = $1 and c.relname = $2 and c.relkind in ${TABLE_KINDS}`, [schema, table])
  return found.length === 0 ? null : await readTableInfoByOid(client, num(found[0]!.oid))
}

interface TypeRow {
  oid: number
  name: string
  schema: string
  type: string
  element: number
  base: number
  typmod: number
  notNull: boolean
}

async function readTypes (client: CatalogClient, oids: number[]): Promise<Map<number, TypeRow>> {
  const result = await rows(client, `
    select t.oid::text as oid, t.typname::text as name, n.nspname::text as schema, t.typtype::text as type,
      t.typelem::text as element, t.typbasetype::text as base, t.typtypmod::text as typmod, t.typnotnull::text as notnull,
      t.typcategory::text as category
    from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
    where t.oid::text = any (string_to_array($1, ','))`, [oids.join(',')])
  return new Map(result.map(r => [num(r.oid), {
    oid: num(r.oid),
    name: str(r.name),
    schema: str(r.schema),
    type: str(r.type),
    // typelem is also set on fixed-length types such as point and name; only category A types are arrays.
    element: r.category === 'A' ? num(r.element) : 0,
    base: num(r.base),
    typmod: num(r.typmod),
    notNull: r.notnull === 'true'
  }]))
}

/** Type rows by OID, loading on demand (domains chain through their bases, arrays to their elements). */
class TypeCache {
  readonly #client: CatalogClient
  readonly #types = new Map<number, TypeRow>()

  constructor (client: CatalogClient) {
    this.#client = client
  }

  async load (oids: number[]): Promise<void> {
    const missing = [...new Set(oids)].filter(o => o !== 0 && !this.#types.has(o))
    if (missing.length === 0) return
    for (const [oid, row] of await readTypes(this.#client, missing)) this.#types.set(oid, row)
  }

  async get (oid: number): Promise<TypeRow> {
    await this.load([oid])
    const t = this.#types.get(oid)
    if (t === undefined) throw new ConnectError(`Type ${oid} is not in pg_type`)
    return t
  }
}

async function enumLabels (client: CatalogClient, typeOid: number): Promise<string[]> {
  const result = await rows(client, `
    select enumlabel::text as label from pg_catalog.pg_enum where enumtypid = $1::text::oid order by enumsortorder`, [String(typeOid)])
  return result.map(r => str(r.label))
}

async function columnInfo (client: CatalogClient, types: TypeCache, r: Row): Promise<ColumnInfo> {
  const own = await types.get(num(r.typid))
  let root = own
  let domainTypmod = -1
  let domainNotNull = false
  // A domain over a domain: the root base type, with the nearest typmod a domain on the way sets.
  while (root.type === 'd') {
    if (domainTypmod === -1 && root.typmod !== -1) domainTypmod = root.typmod
    domainNotNull ||= root.notNull
    root = await types.get(root.base)
  }
  const element = root.element !== 0 ? await types.get(root.element) : undefined
  const enumType = root.type === 'e' ? root : element?.type === 'e' ? element : undefined
  const info: ColumnInfo = {
    name: str(r.name),
    position: num(r.position),
    typeOid: own.oid,
    typeName: own.name,
    typeSchema: own.schema,
    typeMod: num(r.typmod),
    typeType: own.type,
    ...(own.type === 'd' ? { baseTypeOid: root.oid, baseTypeName: root.name, baseTypeMod: domainTypmod } : {}),
    ...(element !== undefined ? { elementTypeOid: element.oid, elementTypeName: element.name, elementTypeType: element.type } : {}),
    ...(enumType !== undefined ? { enumValues: await enumLabels(client, enumType.oid) } : {}),
    // As pgjdbc's getColumns: a NOT NULL domain makes the column NOT NULL.
    notNull: r.notnull === 'true' || domainNotNull,
    ...(r.generated === 'true' ? { generated: true } : {}),
    ...(r.default_expr !== null && r.default_expr !== undefined ? { defaultExpression: r.default_expr } : {}),
    ...(r.comment !== null && r.comment !== undefined ? { comment: r.comment } : {})
  }
  return info
}

/**
 * One column from what a pgoutput Relation message says of it (name, type OID, typmod) and what the caller knows of
 * it otherwise (NOT NULL, default, comment): the column as it was when the change was written, whatever DDL ran since.
 */
export async function readColumnInfo (client: CatalogClient, column: { name: string, position: number, typeOid: number, typeMod: number, notNull: boolean, defaultExpression?: string | undefined, comment?: string | undefined }): Promise<ColumnInfo> {
  const types = new TypeCache(client)
  return await columnInfo(client, types, {
    name: column.name,
    position: String(column.position),
    typid: String(column.typeOid),
    typmod: String(column.typeMod),
    notnull: String(column.notNull),
    generated: 'false',
    default_expr: column.defaultExpression ?? null,
    comment: column.comment ?? null
  })
}

/**
 * The table by relation OID (pgoutput's Relation messages name tables by it), or null when there is no such table.
 * Reading again after a schema change (a new Relation message) gives the new structure.
 */
export async function readTableInfoByOid (client: CatalogClient, oid: number): Promise<TableInfo | null> {
  const oidText = String(oid)
  const table = await rows(client, `
    select c.oid::text as oid, n.nspname::text as schema, c.relname::text as table, c.relreplident::text as replident
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where c.oid = $1::text::oid and c.relkind in ${TABLE_KINDS}`, [oidText])
  if (table.length === 0) return null
  const columnRows = await rows(client, `
    select a.attnum::text as position, a.attname::text as name, a.atttypid::text as typid, a.atttypmod::text as typmod,
      a.attnotnull::text as notnull, (a.attgenerated <> '')::text as generated, pg_catalog.pg_get_expr(d.adbin, d.adrelid) as default_expr,
      pg_catalog.col_description(a.attrelid, a.attnum) as comment
    from pg_catalog.pg_attribute a
    left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where a.attrelid = $1::text::oid and a.attnum > 0 and not a.attisdropped
    order by a.attnum`, [oidText])
  // The primary key; without one, as Debezium (JdbcConnection's unique-index fallback over pgjdbc's getIndexInfo,
  // which orders unique indexes by name): the columns of the first unique index by name (expression parts skipped).
  const keyRows = await rows(client, `
    with key_index as (
      select i.indkey from pg_catalog.pg_index i join pg_catalog.pg_class ic on ic.oid = i.indexrelid
      where i.indrelid = $1::text::oid and (i.indisprimary or i.indisunique)
      order by i.indisprimary desc, ic.relname limit 1)
    select a.attname::text as name
    from key_index i
    cross join lateral unnest(i.indkey::int2[]) with ordinality as k(attnum, ord)
    join pg_catalog.pg_attribute a on a.attrelid = $1::text::oid and a.attnum = k.attnum
    order by k.ord`, [oidText])
  const types = new TypeCache(client)
  await types.load(columnRows.map(r => num(r.typid)))
  const columns: ColumnInfo[] = []
  for (const r of columnRows) columns.push(await columnInfo(client, types, r))
  const t = table[0]!
  return {
    oid: num(t.oid),
    schema: str(t.schema),
    table: str(t.table),
    columns,
    primaryKey: keyRows.map(r => str(r.name)),
    replicaIdentity: str(t.replident)
  }
}
