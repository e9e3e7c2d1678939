/**
 * The PostgreSQL side: identifiers, reading a table's columns from the catalog, and the statements Debezium's
 * PostgreSQL dialect issues (CREATE TABLE with key columns first and a PRIMARY KEY, ALTER TABLE ... ADD COLUMN,
 * INSERT, INSERT ... ON CONFLICT DO UPDATE, UPDATE, DELETE, TRUNCATE). Every parameter is cast to the type of the
 * column it lands in, so a value's text is read as that column's type, whatever made the table.
 */
import type pg from 'pg'
import { DataError } from '../../src/api/index.ts'
import { columnTypeFor, defaultValueSql } from './column-types.ts'
import type { FieldView } from './sink-record-view.ts'

export interface ColumnDesc {
  name: string
  /**
   * The column's type by its catalog name, without modifiers ("pg_catalog"."varchar"): the cast its values get. The
   * length, precision or scale then applies as an assignment, which refuses a value too long where an explicit cast to
   * varchar(3) would cut it.
   */
  type: string
  nullable: boolean
}

export interface TableDesc {
  schema: string
  name: string
  columns: Map<string, ColumnDesc>
}

export interface TableRef { schema: string, name: string }

export function quoteIdent (name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

export function qualified (t: TableRef): string {
  return `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`
}

/** Splits a table name on dots outside double quotes, as Debezium's TableId.parseParts does. */
export function parseTableName (text: string): string[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  let wasQuoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '"') {
      if (quoted && text[i + 1] === '"') { current += '"'; i++; continue }
      quoted = !quoted
      wasQuoted = true
      continue
    }
    if (c === '.' && !quoted) { parts.push(wasQuoted ? current : current.trim()); current = ''; wasQuoted = false; continue }
    current += c
  }
  parts.push(wasQuoted ? current : current.trim())
  if (parts.some(p => p === '') || parts.length > 3) throw new DataError(`Failed to parse table name into TableId: ${text}`)
  return parts
}

/** PostgreSQL keeps the first 63 bytes of a name (NAMEDATALEN): so does the name it is looked up by. */
export function truncateIdentifier (name: string): string {
  if (Buffer.byteLength(name) <= 63) return name
  let out = ''
  for (const ch of name) {
    if (Buffer.byteLength(out + ch) > 63) break
    out += ch
  }
  return out
}

/** The table a resolved name designates: [catalog.]schema.table, or a bare name in the session's current schema. */
export function tableRef (name: string, quoteIdentifiers: boolean, currentSchema: string): TableRef {
  const parts = parseTableName(name).map(p => truncateIdentifier(quoteIdentifiers ? p : p.toLowerCase()))
  const table = parts[parts.length - 1]!
  const schema = parts.length >= 2 ? parts[parts.length - 2]! : currentSchema
  return { schema, name: table }
}

export function columnName (field: FieldView, quoteIdentifiers: boolean): string {
  return truncateIdentifier(quoteIdentifiers ? field.name : field.name.toLowerCase())
}

export async function readTable (client: pg.Client, ref: TableRef): Promise<TableDesc | null> {
  const found = await client.query<{ oid: number }>(
    `select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p', 'v', 'f', 'm')`, [ref.schema, ref.name])
  if (found.rows.length === 0) return null
  const cols = await client.query<{ name: string, type: string, nullable: boolean }>(
    `select a.attname as name, quote_ident(tn.nspname) || '.' || quote_ident(t.typname) as type, not a.attnotnull as nullable
       from pg_attribute a join pg_type t on t.oid = a.atttypid join pg_namespace tn on tn.oid = t.typnamespace
      where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped order by a.attnum`, [found.rows[0]!.oid])
  return { schema: ref.schema, name: ref.name, columns: new Map(cols.rows.map(c => [c.name, c])) }
}

function columnSpec (field: FieldView, quoteIdentifiers: boolean, forAlter: boolean): string {
  const type = columnTypeFor(field.schema, field.name)
  const def = defaultValueSql(field.schema, field.name)
  const notNull = field.isKey && !forAlter ? true : !field.schema.optional
  return `${quoteIdent(columnName(field, quoteIdentifiers))} ${type}${def === null ? '' : ` DEFAULT ${def}`} ${notNull ? 'NOT NULL' : 'NULL'}`
}

export function createTableSql (ref: TableRef, keys: readonly FieldView[], fields: readonly FieldView[], quoteIdentifiers: boolean): string {
  const specs = [...keys, ...fields].map(f => columnSpec(f, quoteIdentifiers, false))
  if (keys.length > 0) specs.push(`PRIMARY KEY(${keys.map(k => quoteIdent(columnName(k, quoteIdentifiers))).join(', ')})`)
  return `CREATE TABLE ${qualified(ref)} (${specs.join(', ')})`
}

export function alterTableSql (ref: TableRef, missing: readonly FieldView[], quoteIdentifiers: boolean): string {
  return `ALTER TABLE ${qualified(ref)} ${missing.map(f => `ADD COLUMN ${columnSpec(f, quoteIdentifiers, true)}`).join(', ')}`
}

/** A statement shape: its columns (keys first) and their casts, shared by every row of a run. */
export interface Shape {
  table: TableDesc
  keyColumns: string[]
  columns: string[]
  casts: string[]
}

function rowPlaceholders (casts: readonly string[], start: number): string {
  return `(${casts.map((c, i) => `$${start + i}::${c}`).join(',')})`
}

export function insertSql (shape: Shape, rows: number, upsert: boolean): string {
  const cols = shape.columns.map(quoteIdent).join(',')
  const values: string[] = []
  for (let r = 0; r < rows; r++) values.push(rowPlaceholders(shape.casts, r * shape.columns.length + 1))
  let sql = `INSERT INTO ${qualified(shape.table)} (${cols}) VALUES ${values.join(',')}`
  if (upsert) {
    const nonKey = shape.columns.filter(c => !shape.keyColumns.includes(c))
    sql += ` ON CONFLICT (${shape.keyColumns.map(quoteIdent).join(',')})`
    sql += nonKey.length === 0 ? ' DO NOTHING' : ` DO UPDATE SET ${nonKey.map(c => `${quoteIdent(c)}=EXCLUDED.${quoteIdent(c)}`).join(',')}`
  }
  return sql
}

/** UPDATE with the non-key columns set and the key columns matched; parameters in shape order (keys first). */
export function updateSql (shape: Shape): string {
  const sets: string[] = []
  const where: string[] = []
  shape.columns.forEach((c, i) => {
    const clause = `${quoteIdent(c)}=$${i + 1}::${shape.casts[i]!}`
    if (shape.keyColumns.includes(c)) where.push(clause)
    else sets.push(clause)
  })
  return `UPDATE ${qualified(shape.table)} SET ${sets.join(', ')}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`
}

export function deleteSql (shape: Shape): string {
  const where = shape.columns.map((c, i) => `${quoteIdent(c)}=$${i + 1}::${shape.casts[i]!}`)
  return `DELETE FROM ${qualified(shape.table)} WHERE ${where.join(' AND ')}`
}

export function truncateSql (ref: TableRef): string {
  return `TRUNCATE TABLE ${qualified(ref)}`
}
