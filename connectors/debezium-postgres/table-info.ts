/**
 * What the connector knows of a captured table, read from the catalog (pg_class, pg_attribute, pg_type, pg_index).
 * Snapshot and streaming share it: both see column values as PostgreSQL's text output (the snapshot reads rows in
 * text format; pgoutput sends text), so one mapping per column turns either into Connect values.
 */
import type { Schema } from '../../src/api/index.ts'

export interface ColumnInfo {
  /** attname */
  readonly name: string
  /** attnum: 1-based position in the table. */
  readonly position: number
  /** atttypid: for a domain, the domain's own OID (see baseTypeOid). */
  readonly typeOid: number
  /** pg_type.typname, e.g. 'int4', 'numeric', '_text' (an array), or a user type's name such as an enum's. */
  readonly typeName: string
  /** The namespace of the type (e.g. 'pg_catalog', or the schema of a user enum). */
  readonly typeSchema: string
  /** atttypmod: -1 when none (e.g. numeric(10,2) has one, numeric has none). */
  readonly typeMod: number
  /** pg_type.typtype: 'b' base, 'e' enum, 'd' domain, 'c' composite, 'r' range. */
  readonly typeType: string
  /** For a domain: the base type's OID, name and typmod (Debezium maps a domain as its base type). */
  readonly baseTypeOid?: number | undefined
  readonly baseTypeName?: string | undefined
  readonly baseTypeMod?: number | undefined
  /** For an array (typcategory 'A'): the element type's OID and name, e.g. 23 / 'int4' for '_int4'. */
  readonly elementTypeOid?: number | undefined
  readonly elementTypeName?: string | undefined
  /** For an array: the element type's typtype ('d' for an array of a domain, which Debezium does not map). */
  readonly elementTypeType?: string | undefined
  /** For an enum (or an array of one): the labels in their sort order. */
  readonly enumValues?: readonly string[] | undefined
  /** attnotnull */
  readonly notNull: boolean
  /** pg_get_expr(adbin): the default expression as PostgreSQL prints it, e.g. `'abc'::text`, `nextval('t_id_seq'::regclass)`. */
  readonly defaultExpression?: string | undefined
  /**
   * A stored generated column (attgenerated 's'): in the snapshot, but pgoutput (PostgreSQL 15) does not send it, and
   * Debezium's schema of streamed events has no such field.
   */
  readonly generated?: boolean | undefined
  /** The column's comment (pg_description): Debezium puts it in the field schema's doc with include.schema.comments. */
  readonly comment?: string | undefined
}

export interface TableInfo {
  /** oid of pg_class: pgoutput's Relation messages name tables by it. */
  readonly oid: number
  readonly schema: string
  readonly table: string
  /** In attnum order, dropped columns left out. */
  readonly columns: readonly ColumnInfo[]
  /** Primary key column names in key order (empty when the table has none). */
  readonly primaryKey: readonly string[]
  /** relreplident: 'd' default, 'f' full, 'n' nothing, 'i' index. */
  readonly replicaIdentity: string
}

/** How one column's values become Connect values, fixed per column and per connector configuration. */
export interface ColumnMapping {
  /** The column's Connect schema (optional unless NOT NULL; default value from the column's literal default). */
  readonly schema: Schema
  /** PostgreSQL's text output of a non-null value → the Connect value for `schema`. Throws DataError naming the column. */
  fromText (text: string): unknown
  /**
   * When present, what streaming emits instead of fromText: Debezium's pgoutput reader differs from its snapshot for a
   * few types (a `name` column streams as null).
   */
  fromStreamingText? (text: string): unknown
  /**
   * The value Debezium emits for a TOASTed column that an UPDATE left unchanged (pgoutput's 'u' marker):
   * unavailable.value.placeholder ('__debezium_unavailable_value') in the column's type (string, bytes, arrays of them).
   */
  unchangedToast (): unknown
}
