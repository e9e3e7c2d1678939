/**
 * The task of our Debezium-compatible PostgreSQL source. A reader fills a bounded queue that poll() drains:
 *
 *   1. the slot: created (with an exported snapshot) when missing, and the publication per publication.autocreate.mode;
 *   2. the snapshot, when snapshot.mode and the stored offset call for one: every captured table read in one
 *      transaction on the slot's exported snapshot, as 'r' events;
 *   3. streaming from the slot, from the stored offset's commit LSN, as c/u/d(/t) events.
 *
 * At-least-once: the slot's confirmed flush LSN only moves in commit(), which the runtime calls after the offsets
 * file was written, and only to the commit LSN of the offset read back from that file.
 */
import type pg from 'pg'
import { ConfigError, DataError, isRetriable, RetriableError, SourceTask, type OffsetMap, type SourceRecord } from '../../src/api/index.ts'
import { ChangeEventFactory } from './change-event-factory.ts'
import { parsePostgresConnectorConfig, POSTGRES_CONNECTOR_VERSION, type PostgresConnectorConfig } from './config.ts'
import { connect, quoteIdent, sessionConfigOf } from './connection.ts'
import { readOffset, snapshotFinished, snapshotOffset, type DebeziumOffset } from './debezium-offset.ts'
import { nowMicros, type SnapshotMarker, type SourceInfo } from './envelope.ts'
import { parseLsn } from './lsn.ts'
import { RecordQueue } from './record-queue.ts'
import { SnapshotReader } from './snapshot-reader.ts'
import { StreamingReader } from './streaming-reader.ts'
import { TableRegistry } from './table-registry.ts'

export class PostgresSourceTask extends SourceTask {
  #config!: PostgresConnectorConfig
  #partition!: OffsetMap
  #queue!: RecordQueue
  #abort = new AbortController()
  #reader: Promise<void> | null = null
  #db: pg.Client | null = null
  #streaming: StreamingReader | null = null
  #lastQueued: OffsetMap | null = null
  /** The client settings that reached the server (TLS or not, for sslmode=prefer), for every other connection. */
  #sessionConfig: pg.ClientConfig | undefined
  #log = (message: string): void => { console.info(`[${this.#config.topicPrefix}] ${message}`) }

  version (): string { return POSTGRES_CONNECTOR_VERSION }

  async start (props: Readonly<Record<string, string>>): Promise<void> {
    this.#config = parsePostgresConnectorConfig(props)
    this.#partition = { server: this.#config.topicPrefix }
    this.#queue = new RecordQueue(this.#config.maxQueueSize)
    this.#abort = new AbortController()
    const stored = readOffset(this.context.offsetStorageReader().offset(this.#partition) as Record<string, unknown> | null)
    this.#db = await connect(this.#config)
    this.#sessionConfig = sessionConfigOf(this.#db)
    try {
      await this.#checkServer(this.#db)
    } catch (err) {
      await this.#db.end().catch(() => {})
      this.#db = null
      throw err
    }
    const signal = this.#abort.signal
    this.#reader = this.#run(stored, signal).catch((err: unknown) => {
      if (!signal.aborted) this.#queue.fail(err instanceof Error ? err : new Error(String(err)))
    })
  }

  async poll (signal: AbortSignal): Promise<SourceRecord[] | null> {
    return await this.#queue.take(this.#config.maxBatchSize, this.#config.pollIntervalMs, signal)
  }

  /** After the runtime wrote the offsets file: acknowledge to the slot what that file now holds. */
  async commit (): Promise<void> {
    const streaming = this.#streaming
    if (streaming === null) return
    const flushed = readOffset(this.context.offsetStorageReader().offset(this.#partition) as Record<string, unknown> | null)
    if (flushed === null || flushed.snapshot !== null) return
    const lsn = flushed.lsnCommit ?? flushed.lsnProc
    // Never past what the file holds: Debezium, resuming from it, refuses a slot whose restart LSN passed the stored
    // lsn_proc. While the captured tables are idle, heartbeats carry the server's keepalive position into the file.
    if (lsn !== null) await streaming.acknowledge(lsn)
  }

  async stop (): Promise<void> {
    this.#abort.abort()
    const streaming = this.#streaming
    this.#streaming = null
    await streaming?.stop().catch(() => {})
    await this.#reader
    const db = this.#db
    this.#db = null
    if (db !== null) {
      if (this.#config.slotDropOnStop) {
        await db.query('select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1 and not active', [this.#config.slotName]).catch(() => {})
      }
      await db.end().catch(() => {})
    }
  }

  async #checkServer (db: pg.Client): Promise<void> {
    const { rows } = await db.query<{ wal_level: string, version: string }>("select current_setting('wal_level') as wal_level, current_setting('server_version_num') as version")
    if (rows[0]!.wal_level !== 'logical') {
      throw new ConfigError(`PostgreSQL at ${this.#config.hostname}:${this.#config.port} has wal_level=${rows[0]!.wal_level}; logical decoding needs wal_level=logical (postgresql.conf, then a restart)`)
    }
    if (Number(rows[0]!.version) < 100000) throw new ConfigError('PostgreSQL 10 or newer is needed for pgoutput')
  }

  #wantsSnapshot (stored: DebeziumOffset | null, slotExists: boolean): boolean {
    switch (this.#config.snapshotMode) {
      case 'always': return true
      case 'no_data': return false
      case 'initial': case 'initial_only': return stored === null || !snapshotFinished(stored)
      case 'when_needed': return stored === null || !snapshotFinished(stored) || !slotExists
    }
  }

  /**
   * Runs the reader; on a retriable failure (the server restarting, the network) waits and starts over from the last
   * record it queued, with fresh connections, as Debezium's task restarts on a retriable error.
   */
  async #run (stored: DebeziumOffset | null, signal: AbortSignal): Promise<void> {
    let resume = stored
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#runOnce(resume, signal)
        return
      } catch (err) {
        if (signal.aborted || !isRetriable(err)) throw err
        const waitMs = Math.min(30000, 500 * 2 ** Math.min(attempt - 1, 6))
        this.#warn(`${(err as Error).message}; retrying in ${waitMs} ms (attempt ${attempt})`)
        const streaming = this.#streaming
        this.#streaming = null
        await streaming?.stop().catch(() => {})
        await this.#db?.end().catch(() => {})
        this.#db = null
        await new Promise<void>(resolve => {
          const timer = setTimeout(done, waitMs)
          function done (): void { clearTimeout(timer); signal.removeEventListener('abort', done); resolve() }
          signal.addEventListener('abort', done, { once: true })
        })
        if (signal.aborted) return
        // Start again after what is already queued (or was polled); a snapshot interrupted midway starts over.
        const last = this.#lastQueued === null ? null : readOffset(this.#lastQueued as Record<string, unknown>)
        resume = last !== null && snapshotFinished(last) ? last : stored
      }
    }
  }

  async #runOnce (stored: DebeziumOffset | null, signal: AbortSignal): Promise<void> {
    const config = this.#config
    this.#db ??= await connect(config, this.#sessionConfig)
    const db = this.#db
    const tables = new TableRegistry(db, config)
    await this.#ensurePublication(db, tables)
    let slot = await this.#slotState(db)
    if (slot !== null && (stored === null || !snapshotFinished(stored)) && this.#wantsSnapshot(stored, true)) {
      // A snapshot that never finished (killed midway, or no offsets) starts over. Nothing was acknowledged from the
      // slot (that begins with streaming), so it is recreated: the new snapshot then sits exactly at its consistent
      // point again, where a fresh view would show rows newer than the changes streamed from the old slot's point.
      const dropped = await db.query('select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1 and not active', [config.slotName])
      if (dropped.rowCount !== 1) throw new RetriableError(`replication slot ${config.slotName} is in use by another connection; it is recreated for the snapshot once free`)
      this.#log(`Snapshot not finished in the stored offsets: replication slot ${config.slotName} dropped, to be created again for a consistent snapshot`)
      slot = null
    }
    if (stored !== null && stored.snapshot === null && slot !== null && stored.lsnCommit !== null && slot.confirmedFlush !== null && slot.confirmedFlush > (stored.lsnCommit ?? 0n) && config.snapshotMode !== 'when_needed') {
      // The slot is ahead of the offsets: changes between them are gone from the slot. Debezium warns the same way.
      this.#warn(`replication slot ${config.slotName} confirmed LSN ${slot.confirmedFlush} is ahead of the stored offset's ${stored.lsnCommit}; changes in between cannot be streamed again`)
    }
    // One factory for the snapshot and the stream: one runId per run, as Debezium's.
    const factory = new ChangeEventFactory({ tombstonesOnDelete: config.tombstonesOnDelete, extendedHeaders: config.extendedHeadersEnabled, logicalName: config.topicPrefix })
    const streaming = new StreamingReader(config, tables, factory, this.#partition, this.#sessionConfig)
    this.#streaming = streaming
    // Slot creation must come before the snapshot so that the snapshot and the stream meet exactly.
    const created = slot === null ? await streaming.createSlot() : null
    if (created !== null && stored !== null && snapshotFinished(stored) && config.snapshotMode !== 'always' && config.snapshotMode !== 'when_needed') {
      this.#warn(`replication slot ${config.slotName} did not exist although offsets were stored: it was created now, so changes made ` +
        'since the stored offset and before now are not captured (snapshot.mode=when_needed takes a new snapshot in this case)')
    }
    let resume: DebeziumOffset | null = stored
    if (this.#wantsSnapshot(stored, slot !== null)) {
      const end = await this.#snapshot(tables, factory, created?.snapshotName ?? null, created?.consistentPoint ?? slot?.confirmedFlush ?? null, signal)
      resume = end
    }
    if (signal.aborted) return
    if (config.snapshotMode === 'initial_only') {
      this.#log('snapshot.mode=initial_only: the snapshot is complete; not streaming')
      return
    }
    await streaming.run(resume, created?.consistentPoint ?? slot?.confirmedFlush ?? null, (records) => this.#put(records, signal), signal)
  }

  async #put (records: SourceRecord[], signal: AbortSignal): Promise<void> {
    if (records.length === 0) return
    await this.#queue.put(records, signal)
    this.#lastQueued = records[records.length - 1]!.sourceOffset
  }

  #warn (message: string): void {
    console.warn(`[${this.#config.topicPrefix}] ${message}`)
  }

  async #ensurePublication (db: pg.Client, tables: TableRegistry): Promise<void> {
    const config = this.#config
    const name = config.publicationName
    const { rows } = await db.query<{ puballtables: boolean }>('select puballtables from pg_publication where pubname = $1', [name])
    if (rows.length > 0) return
    // As Debezium: a publication it creates publishes only the operations not skipped (when skipped.operations is set),
    // so transactions of skipped operations only never reach the slot's reader (nor move source.sequence).
    const publish = config.publicationPublishOption === undefined ? '' : ` WITH (publish = '${config.publicationPublishOption}')`
    switch (config.publicationAutocreateMode) {
      case 'disabled':
        throw new ConfigError(`publication.name: the publication ${name} does not exist and publication.autocreate.mode=disabled; create it (CREATE PUBLICATION ${quoteIdent(name)} FOR ALL TABLES) or change the mode`)
      case 'all_tables':
        await db.query(`CREATE PUBLICATION ${quoteIdent(name)} FOR ALL TABLES${publish}`)
        return
      case 'no_tables':
        await db.query(`CREATE PUBLICATION ${quoteIdent(name)}${publish}`)
        return
      case 'filtered': {
        const captured = await tables.capturedTables()
        if (captured.length === 0) throw new ConfigError(`publication.autocreate.mode=filtered: no table matches the include/exclude lists, so publication ${name} would be empty`)
        await db.query(`CREATE PUBLICATION ${quoteIdent(name)} FOR TABLE ${captured.map(t => `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`).join(', ')}${publish}`)
      }
    }
  }

  async #slotState (db: pg.Client): Promise<{ confirmedFlush: bigint | null, active: boolean } | null> {
    const { rows } = await db.query<{ plugin: string, confirmed: string | null, active: boolean, database: string }>(
      'select plugin, confirmed_flush_lsn::text as confirmed, active, database from pg_replication_slots where slot_name = $1', [this.#config.slotName])
    if (rows.length === 0) return null
    const row = rows[0]!
    if (row.plugin !== 'pgoutput') throw new ConfigError(`slot.name: replication slot ${this.#config.slotName} exists with plugin ${row.plugin}; this connector decodes pgoutput only`)
    if (row.database !== this.#config.dbname) throw new ConfigError(`slot.name: replication slot ${this.#config.slotName} belongs to database ${row.database}, not ${this.#config.dbname}`)
    return { confirmedFlush: row.confirmed === null ? null : parseLsn(row.confirmed), active: row.active }
  }

  /** Emits every captured table's rows; returns the offset the stream starts from (the snapshot's last). */
  async #snapshot (tables: TableRegistry, factory: ChangeEventFactory, exported: string | null, slotLsn: bigint | null, signal: AbortSignal): Promise<DebeziumOffset> {
    const config = this.#config
    // A connection of its own: the snapshot transaction stays open while the catalog connection answers questions.
    const client = await connect(config, this.#sessionConfig)
    try {
      const reader = new SnapshotReader(client)
      await reader.begin(exported)
      const lsn = slotLsn ?? parseLsn((await client.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]!.lsn)
      const captured = await tables.capturedTables(client)
      const targets = []
      for (const t of captured) targets.push(await tables.schemasFor(t, client))
      this.#log(`Snapshot of ${targets.length} tables at LSN ${lsn}${exported ? ` on the slot's exported snapshot ${exported}` : ''}`)
      const tsUsec = nowMicros()
      const txId = reader.txId
      let batch: SourceRecord[] = []
      let pending: { table: typeof targets[number], row: Parameters<ChangeEventFactory['read']>[2], marker: SnapshotMarker } | null = null
      let rows = 0
      const flushPending = (last: boolean): void => {
        if (pending === null) return
        const marker: SnapshotMarker = last ? 'last' : pending.marker
        const source: SourceInfo = {
          version: POSTGRES_CONNECTOR_VERSION,
          serverName: config.topicPrefix,
          db: config.dbname,
          schema: pending.table.table.schema,
          table: pending.table.table.table,
          tsUs: nowMicros(),
          snapshot: marker,
          txId,
          lsn,
          lastCommitLsn: null
        }
        const offset = snapshotOffset({ tsUsec, txId, lsn, last })
        batch.push(factory.read(pending.table, { partition: this.#partition, offset, source }, pending.row))
        pending = null
      }
      for await (const r of reader.rows(targets, config.snapshotFetchSize, signal)) {
        // One row of lookahead: the very last row of the snapshot is only known once the reader ends.
        flushPending(false)
        const first = rows === 0
        const marker: SnapshotMarker = first ? 'first' : r.lastInTable ? 'last_in_data_collection' : r.firstInTable ? 'first_in_data_collection' : 'true'
        pending = { table: r.table, row: r.row, marker }
        rows++
        if (batch.length >= config.maxBatchSize) {
          await this.#put(batch, signal)
          batch = []
        }
      }
      if (signal.aborted) throw new DataError('snapshot interrupted by stop')
      flushPending(true)
      if (batch.length > 0) await this.#put(batch, signal)
      await reader.commit()
      this.#log(`Snapshot finished: ${rows} rows from ${targets.length} tables`)
      return readOffset(snapshotOffset({ tsUsec, txId, lsn, last: true }) as Record<string, unknown>)!
    } finally {
      await client.end().catch(() => {})
    }
  }
}

