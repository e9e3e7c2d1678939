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
      try {
        let batch = await this.#fetch(fetchSize)
        let first = true
        while (batch.length > 0) {
          if (signal.aborted) return
          const next = batch.length < fetchSize ? [] : await this.#fetch(fetchSize)
          for (let i = 0; i < batch.length; i++) {
            const values = batch[i]!
            const row = new Map<string, string | null>()
            for (let c = 0; c < table.columns.length; c++) row.set(table.columns[c]!.name, values[c] as string | null)
            yield { table, row, firstInTable: first, lastInTable: i === batch.length - 1 && next.length === 0 }
            first = false
          }
          batch = next
        }
      } finally {
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
