/**
 * Reads the captured tables inside one snapshot transaction: the slot's exported snapshot when the slot was just
 * created (so that streaming from the slot continues exactly where the snapshot's view ends), else a fresh
 * REPEATABLE READ view. Rows come through a cursor in batches of snapshot.fetch.size, as text.
 */
import type pg from 'pg'
import { quoteIdent, quoteLiteral } from './connection.ts'
import type { RowImage } from './change-event-factory.ts'
import type { TableSchemas } from './envelope.ts'

export interface SnapshotRow {
  readonly table: TableSchemas
  readonly row: RowImage
  readonly firstInTable: boolean
  readonly lastInTable: boolean
}

export class SnapshotReader {
  readonly #client: pg.Client
  #txId: bigint | null = null

  constructor (client: pg.Client) {
    this.#client = client
  }

  /** Opens the snapshot transaction; `exportedSnapshot` is the name CREATE_REPLICATION_SLOT ... EXPORT_SNAPSHOT gave. */
  async begin (exportedSnapshot: string | null): Promise<void> {
    if (exportedSnapshot !== null) {
      // SET TRANSACTION SNAPSHOT must come first in a REPEATABLE READ transaction.
      await this.#client.query('BEGIN ISOLATION LEVEL REPEATABLE READ')
      await this.#client.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(exportedSnapshot)}`)
    } else {
      await this.#client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    }
    const { rows } = await this.#client.query<{ txid: string }>(
      "select (case pg_is_in_recovery() when 't' then 0 else txid_current() end)::text as txid")
    this.#txId = BigInt(rows[0]!.txid)
  }

  /** txid_current() of the snapshot transaction: what Debezium's snapshot offsets and source blocks carry. */
  get txId (): bigint {
    if (this.#txId === null) throw new Error('snapshot transaction not begun')
    return this.#txId
  }

  /** Row counts per table are not needed: lookahead of one batch tells the last row of each table. */
  async * rows (tables: readonly TableSchemas[], fetchSize: number, signal: AbortSignal): AsyncGenerator<SnapshotRow> {
    for (const table of tables) {
      const columns = table.columns.map(c => quoteIdent(c.name))
      const select = `SELECT ${columns.length > 0 ? columns.join(', ') : '1'} FROM ${quoteIdent(table.table.schema)}.${quoteIdent(table.table.table)}`
      await this.#client.query(`DECLARE debezium_snapshot NO SCROLL CURSOR FOR ${select}`)
      // The next FETCH runs on the server while this batch's rows are turned into records (the two cores overlap).
      let prefetch: Promise<unknown[][]> | null = null
      try {
        let batch = await this.#fetch(fetchSize)
        let first = true
        while (batch.length > 0) {
          if (signal.aborted) return
          prefetch = batch.length < fetchSize ? null : this.#fetch(fetchSize)
          // Kept from being an unhandled rejection when the consumer stops early; awaited below as usual.
          prefetch?.catch(() => {})
          const toRow = (values: unknown[]): Map<string, string | null> => {
            const row = new Map<string, string | null>()
            for (let c = 0; c < table.columns.length; c++) row.set(table.columns[c]!.name, values[c] as string | null)
            return row
          }
          for (let i = 0; i < batch.length - 1; i++) {
            yield { table, row: toRow(batch[i]!), firstInTable: first, lastInTable: false }
            first = false
          }
          // The batch's last row is the table's last only when nothing follows: known once the next FETCH answered.
          const next = prefetch === null ? [] : await prefetch
          prefetch = null
          yield { table, row: toRow(batch[batch.length - 1]!), firstInTable: first, lastInTable: next.length === 0 }
          first = false
          batch = next
        }
      } finally {
        if (prefetch !== null) await prefetch.catch(() => {})
        if (!signal.aborted) await this.#client.query('CLOSE debezium_snapshot')
      }
    }
  }

  async #fetch (n: number): Promise<unknown[][]> {
    const result = await this.#client.query({ text: `FETCH FORWARD ${n} FROM debezium_snapshot`, rowMode: 'array' })
    return result.rows as unknown[][]
  }

  async commit (): Promise<void> {
    await this.#client.query('COMMIT')
  }
}
