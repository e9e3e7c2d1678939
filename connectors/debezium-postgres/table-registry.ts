/**
 * The captured tables and their schemas: which tables the include/exclude lists capture, and for each the Connect
 * schemas and column mappings (built once per table structure, rebuilt when pgoutput announces a new structure).
 */
import type pg from 'pg'
import { columnMapping } from './column-mapping.ts'
import { listTables, readColumnInfo, readTableInfo, readTableInfoByOid } from './catalog.ts'
import type { PostgresConnectorConfig } from './config.ts'
import { TableSchemas } from './envelope.ts'
import type { RelationMessage } from './pgoutput-decoder.ts'
import type { ColumnInfo, ColumnMapping, TableInfo } from './table-info.ts'

export interface TableName { readonly schema: string, readonly table: string }

export class TableRegistry {
  readonly #db: pg.Client
  readonly #config: PostgresConnectorConfig
  readonly #byOid = new Map<number, TableSchemas | null>()

  constructor (db: pg.Client, config: PostgresConnectorConfig) {
    this.#db = db
    this.#config = config
  }

  /** Captured tables in Debezium's snapshot order (schema, then table name). */
  async capturedTables (client: pg.Client = this.#db): Promise<TableName[]> {
    const all = await listTables(client)
    return all
      .filter(t => this.#config.includeTable(t.schema, t.table))
      .sort((a, b) => a.schema < b.schema ? -1 : a.schema > b.schema ? 1 : a.table < b.table ? -1 : a.table > b.table ? 1 : 0)
  }

  includes (schema: string, table: string): boolean {
    return this.#config.includeTable(schema, table)
  }

  build (info: TableInfo): TableSchemas {
    const config = this.#config
    const columns: Array<{ name: string, mapping: ColumnMapping }> = []
    for (const column of info.columns) {
      if (!config.includeColumn(info.schema, info.table, column.name)) continue
      const mapping = columnMapping(column, config)
      // Debezium leaves out columns of types it cannot map (unless include.unknown.datatypes, which we refuse).
      if (mapping !== null) columns.push({ name: column.name, mapping })
    }
    return new TableSchemas(config.topicPrefix, info, columns)
  }

  /** The schemas of a captured table, read in `client`'s view (the snapshot's transaction). */
  async schemasFor (name: TableName, client: pg.Client = this.#db): Promise<TableSchemas> {
    const info = await readTableInfo(client, name.schema, name.table)
    if (info === null) throw new Error(`table ${name.schema}.${name.table} disappeared during the snapshot`)
    const schemas = this.build(info)
    this.#byOid.set(info.oid, schemas)
    return schemas
  }

  /** By relation OID (pgoutput's name for a table); null when the table is not captured. `refresh` re-reads the catalog. */
  async byOid (oid: number, refresh: boolean): Promise<TableSchemas | null> {
    if (!refresh && this.#byOid.has(oid)) return this.#byOid.get(oid)!
    const info = await readTableInfoByOid(this.#db, oid)
    const schemas = info === null || !this.includes(info.schema, info.table) ? null : this.build(info)
    this.#byOid.set(oid, schemas)
    return schemas
  }

  /**
   * The schemas a pgoutput Relation message announces, as Debezium builds them: the message's columns (names, types and
   * typmods as they were when the change was written, DDL since then notwithstanding); NOT NULL, defaults, comments and
   * the key from the current catalog, by column name (a column the catalog no longer has is optional, without default).
   */
  async byRelation (relation: RelationMessage): Promise<TableSchemas | null> {
    const current = await readTableInfoByOid(this.#db, relation.relationId)
    if (current === null || !this.includes(current.schema, current.table)) {
      this.#byOid.set(relation.relationId, null)
      return null
    }
    const columns: ColumnInfo[] = []
    for (const [i, column] of relation.columns.entries()) {
      const now = current.columns.find(c => c.name === column.name)
      if (now !== undefined && now.typeOid === column.typeOid && now.typeMod === column.typeMod) {
        columns.push(now)
        continue
      }
      columns.push(await readColumnInfo(this.#db, {
        name: column.name,
        position: now?.position ?? current.columns.length + i + 1,
        typeOid: column.typeOid,
        typeMod: column.typeMod,
        notNull: now?.notNull ?? false,
        defaultExpression: now?.defaultExpression,
        comment: now?.comment
      }))
    }
    const schemas = this.build({ ...current, columns })
    this.#byOid.set(relation.relationId, schemas)
    return schemas
  }

  cached (oid: number): TableSchemas | null | undefined {
    return this.#byOid.get(oid)
  }
}
