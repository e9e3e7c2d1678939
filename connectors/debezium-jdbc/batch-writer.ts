/**
 * Applies one put() batch inside the caller's transaction, in record order: consecutive records for the same table
 * and statement shape run as one statement (multi-row INSERT for insert and upsert, so `batch.size` rows per round
 * trip), updates and deletes row by row. Tables are created and columns added under schema.evolution=basic, in the
 * same transaction, so a batch that fails leaves neither rows nor DDL behind. A statement that fails is taken apart
 * under a savepoint to name the record (topic, partition, offset) and the column that PostgreSQL refused.
 */
import type pg from 'pg'
import { ConnectError, DataError, type SinkRecord } from '../../src/api/index.ts'
import { bindValue, columnTypeFor, type BoundValue } from './column-types.ts'
import type { JdbcSinkSettings } from './config.ts'
import {
  alterTableSql, columnName, createTableSql, deleteSql, insertSql, qualified, quoteIdent, readTable, tableRef, truncateSql, updateSql,
  type Shape, type TableDesc, type TableRef
} from './postgres-dialect.ts'
import { describeRecord, viewRecord, type FieldView } from './sink-record-view.ts'

/** PostgreSQL's limit on the parameters of one statement. */
const MAX_PARAMS = 65535

interface Row { record: SinkRecord, fields: FieldView[], values: BoundValue[] }

interface Run {
  kind: 'insert' | 'upsert' | 'update' | 'delete'
  shape: Shape
  signature: string
  rows: Row[]
  keys: Set<string>
}

/** True for errors that mean the connection, not the data: the batch can be written again on a new connection. */
export function isConnectionError (err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return code.startsWith('08') || ['57P01', '57P02', '57P03', '53300', '40001', '40P01', '55006', '25P03'].includes(code)
  }
  // Node socket errors (ECONNREFUSED, ECONNRESET, ...) and pg's own ("Connection terminated ...").
  return typeof code === 'string' || /connection|terminated|timeout|ECONN|socket|not queryable/i.test(String((err as Error).message))
}

export class BatchWriter {
  readonly #client: pg.Client
  readonly #settings: JdbcSinkSettings
  readonly #currentSchema: string
  /** Tables as last read; dropped when a transaction rolls back (its DDL went with it). */
  readonly #tables: Map<string, TableDesc>
  #run: Run | null = null
  #savepoints = 0

  constructor (client: pg.Client, settings: JdbcSinkSettings, currentSchema: string, tables: Map<string, TableDesc>) {
    this.#client = client
    this.#settings = settings
    this.#currentSchema = currentSchema
    this.#tables = tables
  }

  async write (records: readonly SinkRecord[]): Promise<void> {
    for (const record of records) {
      let view
      try {
        view = viewRecord(record, this.#settings)
      } catch (err) {
        throw withRecord(err, record)
      }
      if (view.kind === 'skip') continue
      if (view.kind === 'truncate') {
        if (!this.#settings.truncateEnabled) continue
        await this.#flush()
        const ref = tableRef(view.tableName, this.#settings.quoteIdentifiers, this.#currentSchema)
        if (await this.#table(ref) !== null) await this.#client.query(truncateSql(ref))
        continue
      }
      if (view.kind === 'delete') {
        if (!this.#settings.deleteEnabled) continue
        const ref = tableRef(view.tableName, this.#settings.quoteIdentifiers, this.#currentSchema)
        // Nothing to delete from a table that does not exist (a tombstone carries no columns to create it with).
        const table = await this.#table(ref)
        if (table === null || view.keyFields.length === 0) continue
        await this.#add('delete', table, view.keyFields, [], record)
        continue
      }
      const ref = tableRef(view.tableName, this.#settings.quoteIdentifiers, this.#currentSchema)
      const table = await this.#ensureTable(ref, view.keyFields, view.fields, record)
      const mode = this.#settings.insertMode
      if (mode === 'upsert' && view.keyFields.length === 0) {
        throw new DataError(`Cannot write to table ${table.name} with no key fields defined (${describeRecord(record)})`)
      }
      if (mode === 'update' && view.fields.length === 0) continue
      await this.#add(mode, table, view.keyFields, view.fields, record)
    }
    await this.#flush()
  }

  async #table (ref: TableRef): Promise<TableDesc | null> {
    const id = `${ref.schema}\u0000${ref.name}`
    const cached = this.#tables.get(id)
    if (cached !== undefined) return cached
    const read = await readTable(this.#client, ref)
    if (read !== null) this.#tables.set(id, read)
    return read
  }

  async #ensureTable (ref: TableRef, keys: FieldView[], fields: FieldView[], record: SinkRecord): Promise<TableDesc> {
    const quote = this.#settings.quoteIdentifiers
    let table = await this.#table(ref)
    const id = `${ref.schema}\u0000${ref.name}`
    if (table === null) {
      if (this.#settings.schemaEvolution === 'none') {
        throw new DataError(`Cannot create table ${ref.schema}.${ref.name} because schema evolution is disabled (${describeRecord(record)})`)
      }
      await this.#flush()
      await this.#ddl(createTableSql(ref, keys, fields, quote), record)
    } else {
      const missing = [...keys, ...fields].filter(f => !table!.columns.has(columnName(f, quote)))
      if (missing.length === 0) return table
      for (const f of missing) {
        if (!f.schema.optional && (f.schema.defaultValue ?? null) === null) {
          throw new DataError(`Cannot ALTER table '${ref.schema}.${ref.name}' because field '${f.name}' is not optional but has no default value (${describeRecord(record)})`)
        }
      }
      if (this.#settings.schemaEvolution === 'none') {
        throw new DataError(`Cannot alter table ${ref.schema}.${ref.name} because schema evolution is disabled: missing column(s) ${missing.map(f => f.name).join(', ')} (${describeRecord(record)})`)
      }
      await this.#flush()
      await this.#ddl(alterTableSql(ref, missing, quote), record)
    }
    this.#tables.delete(id)
    table = await this.#table(ref)
    if (table === null) throw new ConnectError(`Table ${ref.schema}.${ref.name} is missing right after it was created`)
    return table
  }

  async #ddl (sql: string, record: SinkRecord): Promise<void> {
    try {
      await this.#client.query(sql)
    } catch (err) {
      if (isConnectionError(err)) throw err
      throw new DataError(`${(err as Error).message} while running: ${sql} (${describeRecord(record)})`, { cause: err })
    }
  }

  async #add (kind: Run['kind'], table: TableDesc, keys: FieldView[], fields: FieldView[], record: SinkRecord): Promise<void> {
    const all = [...keys, ...fields]
    const quote = this.#settings.quoteIdentifiers
    const columns = all.map(f => columnName(f, quote))
    const signature = `${kind}\u0000${table.schema}\u0000${table.name}\u0000${columns.join('\u0000')}`
    const values = all.map(f => bindValue(f.schema, f.value, f.name))
    const keyText = kind === 'upsert' ? JSON.stringify(values.slice(0, keys.length), (_, v: unknown) => Buffer.isBuffer(v) ? v.toString('hex') : v) : ''
    let run = this.#run
    const perRow = kind === 'update' || kind === 'delete'
    if (run !== null && (run.signature !== signature || perRow || run.rows.length >= this.#settings.batchSize ||
        (run.rows.length + 1) * columns.length > MAX_PARAMS || (kind === 'upsert' && run.keys.has(keyText)))) {
      await this.#flush()
      run = null
    }
    if (run === null) {
      const casts = all.map((f, i) => table.columns.get(columns[i]!)?.type ?? columnTypeFor(f.schema, f.name))
      run = { kind, shape: { table, keyColumns: columns.slice(0, keys.length), columns, casts }, signature, rows: [], keys: new Set() }
      this.#run = run
    }
    run.rows.push({ record, fields: all, values })
    if (kind === 'upsert') run.keys.add(keyText)
    if (perRow) await this.#flush()
  }

  async #flush (): Promise<void> {
    const run = this.#run
    this.#run = null
    if (run === null || run.rows.length === 0) return
    const sql = run.kind === 'update' ? updateSql(run.shape) : run.kind === 'delete' ? deleteSql(run.shape) : insertSql(run.shape, run.rows.length, run.kind === 'upsert')
    const params = run.rows.flatMap(r => r.values)
    if (run.kind === 'update' || run.kind === 'delete') {
      try {
        await this.#client.query(sql, params)
      } catch (err) {
        if (isConnectionError(err)) throw err
        throw await this.#explain(err, run, run.rows[0]!, false)
      }
      return
    }
    const savepoint = `dbz_run_${++this.#savepoints}`
    await this.#client.query(`SAVEPOINT ${savepoint}`)
    try {
      await this.#client.query(sql, params)
      await this.#client.query(`RELEASE SAVEPOINT ${savepoint}`)
    } catch (err) {
      if (isConnectionError(err)) throw err
      await this.#client.query(`ROLLBACK TO SAVEPOINT ${savepoint}`)
      // Row by row, to find the record PostgreSQL refuses.
      const one = insertSql(run.shape, 1, run.kind === 'upsert')
      for (const row of run.rows) {
        try {
          await this.#client.query(one, row.values)
        } catch (rowErr) {
          if (isConnectionError(rowErr)) throw rowErr
          await this.#client.query(`ROLLBACK TO SAVEPOINT ${savepoint}`)
          throw await this.#explain(rowErr, run, row, true)
        }
      }
      throw await this.#explain(err, run, run.rows[0]!, true)
    }
  }

  /** A DataError naming the record and, when one value alone does not fit its column, that column. */
  async #explain (err: unknown, run: Run, row: Row, inSavepoint: boolean): Promise<Error> {
    const pgErr = err as { message: string, column?: string, code?: string }
    let column = pgErr.column
    if (column === undefined && inSavepoint && typeof pgErr.code === 'string' && pgErr.code.startsWith('22')) {
      // Each value on its own into an empty copy of the table's columns (types and modifiers, no constraints), as an
      // assignment: the first that fails is the column to blame.
      const probe = `dbz_probe_${++this.#savepoints}`
      await this.#client.query(`SAVEPOINT ${probe}`)
      try {
        await this.#client.query(`CREATE TEMP TABLE ${probe} AS SELECT * FROM ${qualified(run.shape.table)} WITH NO DATA`)
        for (let i = 0; i < run.shape.columns.length && column === undefined; i++) {
          const sp = `${probe}_${i}`
          await this.#client.query(`SAVEPOINT ${sp}`)
          try {
            await this.#client.query(`INSERT INTO pg_temp.${probe} (${quoteIdent(run.shape.columns[i]!)}) VALUES ($1::${run.shape.casts[i]!})`, [row.values[i]])
            await this.#client.query(`RELEASE SAVEPOINT ${sp}`)
          } catch {
            await this.#client.query(`ROLLBACK TO SAVEPOINT ${sp}`)
            column = run.shape.columns[i]
          }
        }
      } finally {
        await this.#client.query(`ROLLBACK TO SAVEPOINT ${probe}`)
      }
    }
    const where = `${run.shape.table.schema}.${run.shape.table.name}${column === undefined ? '' : ` column '${column}'`}`
    return new DataError(`Failed to ${run.kind} a record of ${describeRecord(row.record)} into ${where}: ${pgErr.message}`, { cause: err })
  }
}

function withRecord (err: unknown, record: SinkRecord): Error {
  if (err instanceof Error && err.message.includes(`offset ${record.kafkaOffset}`)) return err
  const message = err instanceof Error ? err.message : String(err)
  return new DataError(`${message} (${describeRecord(record)})`, { cause: err })
}
