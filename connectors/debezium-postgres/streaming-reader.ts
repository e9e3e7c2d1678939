/**
 * Streaming from the replication slot: pgoutput messages in commit order become Debezium change events with
 * Debezium's offsets (lsn, lsn_proc, lsn_commit, txId, ts_usec, messageType), plus heartbeats.
 *
 * Resuming: the stream starts at the stored commit LSN, so the server re-sends every transaction that committed
 * after it, whole. Events of the one transaction the stored offset is in the middle of (same txId, LSN not after the
 * stored one) were already emitted and are skipped. Records that one message expands into (a key change: delete,
 * tombstone, create) carry the previous offset but the last, so a crash between them replays the message instead of
 * losing its tail.
 */
import type pg from 'pg'
import { newRecord, Schemas, SchemaBuilder, Struct, sourceRecord, type OffsetMap, type SourceRecord } from '../../src/api/index.ts'
import { type UNCHANGED_TOAST, type ChangeContext, type ChangeEventFactory, type RowImage } from './change-event-factory.ts'
import type { PostgresConnectorConfig } from './config.ts'
import { clientConfig } from './connection.ts'
import { streamingOffset, type DebeziumOffset } from './debezium-offset.ts'
import { POSTGRES_CONNECTOR_VERSION } from './config.ts'
import type { SourceInfo } from './envelope.ts'
import { nowMicros } from './envelope.ts'
import type { PgoutputMessage, RelationMessage, Tuple } from './pgoutput-decoder.ts'
import { ReplicationStream } from './replication-stream.ts'
import type { TableRegistry } from './table-registry.ts'

const HEARTBEAT_KEY_SCHEMA = SchemaBuilder.struct().name('io.debezium.connector.common.ServerNameKey').version(1)
  .field('serverName', Schemas.STRING).build()
const HEARTBEAT_VALUE_SCHEMA = SchemaBuilder.struct().name('io.debezium.connector.common.Heartbeat').version(1)
  .field('ts_ms', Schemas.INT64).build()

const MESSAGE_TYPES = { insert: 'INSERT', update: 'UPDATE', delete: 'DELETE', truncate: 'TRUNCATE' } as const

export class StreamingReader {
  readonly #config: PostgresConnectorConfig
  readonly #tables: TableRegistry
  readonly #factory: ChangeEventFactory
  readonly #partition: OffsetMap
  readonly #stream: ReplicationStream
  readonly #relations = new Map<number, RelationMessage>()
  #flushingAllowed = false
  #lastHeartbeat = Date.now()

  // Position in the stream.
  #xid: bigint | null = null
  #commitTime = 0n
  #lastCommitLsn: bigint | null = null
  /**
   * The commit LSN of the last transaction read (or of the resumed offset): the first half of source.sequence. Unlike
   * #lastCommitLsn, idle heartbeats do not move it, as Debezium's do not.
   */
  #sequenceCommitLsn: bigint | null = null
  #offset: OffsetMap | null = null
  #skip: { txId: bigint, lsn: bigint } | null = null
  #inTransaction = false
  /** walStart of the last message handled. */
  #position = 0n

  constructor (config: PostgresConnectorConfig, tables: TableRegistry, factory: ChangeEventFactory, partition: OffsetMap, session?: pg.ClientConfig) {
    this.#config = config
    this.#tables = tables
    this.#factory = factory
    this.#partition = partition
    this.#stream = new ReplicationStream(session ?? clientConfig(config), { statusIntervalMs: config.statusUpdateIntervalMs })
  }

  /** Creates the slot with an exported snapshot; the snapshot stays importable until the stream starts. */
  async createSlot (): Promise<{ consistentPoint: bigint, snapshotName: string | null }> {
    await this.#connect()
    return await this.#stream.createSlot(this.#config.slotName, { exportSnapshot: true })
  }

  #connected = false
  async #connect (): Promise<void> {
    if (this.#connected) return
    await this.#stream.connect()
    this.#connected = true
  }

  async acknowledge (lsn: bigint): Promise<void> {
    if (!this.#flushingAllowed) return
    await this.#stream.acknowledge(lsn)
  }

  async stop (): Promise<void> {
    await this.#stream.stop()
  }

  async run (resume: DebeziumOffset | null, slotLsn: bigint | null, put: (records: SourceRecord[]) => Promise<void>, signal: AbortSignal): Promise<void> {
    const config = this.#config
    let startLsn = slotLsn ?? 0n
    if (resume !== null) {
      this.#lastCommitLsn = resume.lsnCommit
      this.#sequenceCommitLsn = resume.lsnCommit
      startLsn = resume.lsnCommit ?? resume.lsn ?? startLsn
      if (resume.snapshot === null && resume.txId !== null && resume.lsn !== null && resume.messageType !== 'COMMIT') {
        this.#skip = { txId: resume.txId, lsn: resume.lsn }
      }
    }
    await this.#connect()
    console.info(`[${config.topicPrefix}] Streaming from slot ${config.slotName} at LSN ${startLsn}`)
    const heartbeatMs = config.heartbeatIntervalMs
    const idleWaitMs = heartbeatMs > 0 ? Math.min(heartbeatMs, 1000) : 1000
    // Logical decoding messages too (pg_logical_emit_message), as Debezium asks for them and emits them.
    for await (const item of this.#stream.messages({ slot: config.slotName, startLsn, publications: [config.publicationName], signal, idleMs: idleWaitMs, messages: true })) {
      if (signal.aborted) break
      this.#flushingAllowed = true
      const out: SourceRecord[] = []
      if (item !== null) await this.#handle(item.walStart, item.message, out)
      if (heartbeatMs > 0 && Date.now() - this.#lastHeartbeat >= heartbeatMs) {
        const offset = this.#idleOffset()
        if (offset !== null) out.push(this.#heartbeat(offset))
      }
      if (out.length > 0) await put(out)
    }
  }

  /**
   * The offset a heartbeat carries. Between transactions the server's last keepalive position (everything before it
   * was sent and read) moves it forward, so heartbeats let the slot release the WAL of other tables and databases
   * while the captured ones are idle. The slot is only told a position once the offsets file holds it: Debezium,
   * resuming from our file, refuses a slot whose restart LSN passed the stored lsn_proc.
   */
  #idleOffset (): OffsetMap | null {
    const idle = this.#stream.idleLsn
    if (this.#inTransaction || idle <= this.#position || idle <= (this.#lastCommitLsn ?? 0n)) return this.#offset
    this.#position = idle
    this.#lastCommitLsn = idle
    this.#offset = streamingOffset({ tsUsec: this.#commitTime === 0n ? nowMicros() : this.#commitTime, txId: this.#xid, lsn: idle, lsnProc: idle, lsnCommit: idle, messageType: 'COMMIT' })
    return this.#offset
  }

  #heartbeat (offset: OffsetMap): SourceRecord {
    this.#lastHeartbeat = Date.now()
    return sourceRecord({
      sourcePartition: this.#partition,
      sourceOffset: offset,
      topic: this.#config.heartbeatTopic,
      keySchema: HEARTBEAT_KEY_SCHEMA,
      key: new Struct(HEARTBEAT_KEY_SCHEMA).put('serverName', this.#config.topicPrefix),
      valueSchema: HEARTBEAT_VALUE_SCHEMA,
      value: new Struct(HEARTBEAT_VALUE_SCHEMA).put('ts_ms', BigInt(Date.now()))
    })
  }

  #image (relation: RelationMessage, tuple: Tuple): RowImage {
    const row = new Map<string, string | null | typeof UNCHANGED_TOAST>()
    for (let i = 0; i < relation.columns.length; i++) row.set(relation.columns[i]!.name, tuple[i] ?? null)
    return row
  }

  /** A key-only old tuple ('K') carries values for the key columns only; the others are not part of the image. */
  #keyImage (relation: RelationMessage, tuple: Tuple): RowImage {
    const row = new Map<string, string | null | typeof UNCHANGED_TOAST>()
    for (let i = 0; i < relation.columns.length; i++) if (relation.columns[i]!.isKey) row.set(relation.columns[i]!.name, tuple[i] ?? null)
    return row
  }

  async #handle (walStart: bigint, message: PgoutputMessage, out: SourceRecord[]): Promise<void> {
    if (walStart > this.#position) this.#position = walStart
    switch (message.tag) {
      case 'begin':
        this.#inTransaction = true
        this.#xid = BigInt(message.xid)
        this.#commitTime = message.commitTime
        if (this.#skip !== null && this.#skip.txId !== this.#xid) this.#skip = null
        return
      case 'commit':
        this.#inTransaction = false
        this.#skip = null
        this.#lastCommitLsn = walStart
        this.#sequenceCommitLsn = walStart
        this.#offset = streamingOffset({ tsUsec: message.commitTime, txId: this.#xid, lsn: walStart, lsnProc: walStart, lsnCommit: walStart, messageType: 'COMMIT' })
        return
      case 'relation':
        this.#relations.set(message.relationId, message)
        // Built from the message, not from the catalog as it is now: DDL may have run since this change was written.
        await this.#tables.byRelation(message)
        return
      case 'insert': case 'update': case 'delete': case 'truncate':
        await this.#change(walStart, message, out)
        return
      case 'message': {
        // A non-transactional message stands alone, as its own commit (Debezium: no txId, and it is the last commit).
        const txId = message.transactional ? this.#xid : null
        if (!message.transactional) {
          this.#lastCommitLsn = walStart
          this.#sequenceCommitLsn = walStart
        } else if (this.#skip !== null && this.#xid === this.#skip.txId && walStart <= this.#skip.lsn) return
        this.#skip = null
        const offset = streamingOffset({ tsUsec: this.#commitTime, txId, lsn: walStart, lsnProc: walStart, lsnCommit: this.#lastCommitLsn, messageType: 'MESSAGE' })
        this.#offset = offset
        const mode = this.#config.binaryHandlingMode
        const content = mode === 'base64' ? message.content.toString('base64')
          : mode === 'base64-url-safe' ? message.content.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
            : mode === 'hex' ? message.content.toString('hex') : message.content
        const ctx = this.#context('', '', walStart, offset)
        out.push(this.#factory.message(this.#config.topicPrefix, { ...ctx, source: { ...ctx.source, txId } }, message.prefix, content))
        return
      }
      default:
    }
  }

  async #change (walStart: bigint, message: Extract<PgoutputMessage, { tag: 'insert' | 'update' | 'delete' | 'truncate' }>, out: SourceRecord[]): Promise<void> {
    if (this.#skip !== null && this.#xid === this.#skip.txId && walStart <= this.#skip.lsn) return
    this.#skip = null
    const previous = this.#offset
    const offset = streamingOffset({ tsUsec: this.#commitTime, txId: this.#xid, lsn: walStart, lsnProc: walStart, lsnCommit: this.#lastCommitLsn, messageType: MESSAGE_TYPES[message.tag] })
    this.#offset = offset
    const records: SourceRecord[] = []
    if (message.tag === 'truncate') {
      if (this.#config.skippedOperations.includes('t')) return
      for (const oid of message.relationIds) {
        const table = await this.#tables.byOid(oid, false)
        if (table === null) continue
        records.push(this.#factory.truncate(table, this.#context(table.table.schema, table.table.table, walStart, offset)))
      }
    } else {
      const relation = this.#relations.get(message.relationId)
      const table = await this.#tables.byOid(message.relationId, false)
      if (relation === undefined || table === null) return
      const ctx = this.#context(table.table.schema, table.table.table, walStart, offset)
      if (message.tag === 'insert') {
        if (!this.#config.skippedOperations.includes('c')) records.push(this.#factory.create(table, ctx, this.#image(relation, message.newTuple)))
      } else if (message.tag === 'update') {
        if (!this.#config.skippedOperations.includes('u')) {
          const old = message.oldTuple === undefined ? null : message.oldKind === 'K' ? this.#keyImage(relation, message.oldTuple) : this.#image(relation, message.oldTuple)
          records.push(...this.#factory.update(table, ctx, old, this.#image(relation, message.newTuple)))
        }
      } else if (!this.#config.skippedOperations.includes('d')) {
        const old = message.oldKind === 'K' ? this.#keyImage(relation, message.oldTuple) : this.#image(relation, message.oldTuple)
        records.push(...this.#factory.delete(table, ctx, old))
      }
    }
    if (records.length > 1 && previous !== null) {
      for (let i = 0; i < records.length - 1; i++) records[i] = newRecord(records[i]!, { sourceOffset: previous })
    }
    out.push(...records)
  }

  #context (schema: string, table: string, lsn: bigint, offset: OffsetMap): ChangeContext {
    const source: SourceInfo = {
      version: POSTGRES_CONNECTOR_VERSION,
      serverName: this.#config.topicPrefix,
      db: this.#config.dbname,
      schema,
      table,
      tsUs: this.#commitTime === 0n ? nowMicros() : this.#commitTime,
      snapshot: 'false',
      txId: this.#xid,
      lsn,
      lastCommitLsn: this.#sequenceCommitLsn
    }
    return { partition: this.#partition, offset, source }
  }
}
