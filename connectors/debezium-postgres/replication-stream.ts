/**
 * A logical replication stream from a pgoutput slot, over node-postgres's replication connection
 * (`replication: 'database'`): creates slots (with an exported snapshot), streams decoded messages with their WAL
 * positions through a bounded queue, and reports to the server only the flush position the caller acknowledged, so the
 * slot's confirmed_flush_lsn never passes what the runner's flushed offsets cover (at-least-once).
 *
 * Lifecycle: connect() → [createSlot()] → start() → read() / for await … → acknowledge() … → stop().
 * An exported snapshot lives while this connection stays idle: use it elsewhere before calling start() or stop().
 */
import type { Duplex } from 'node:stream'
import pg from 'pg'
import { ConfigError, ConnectError, RetriableError } from '../../src/api/index.ts'
import { formatLsn, parseLsn, type Lsn } from './lsn.ts'
import {
  decodePgoutput, decodeReplicationFrame, encodeStandbyStatus, type PgoutputMessage, type RelationMessage
} from './pgoutput-decoder.ts'

/** The open transaction, from its Begin message. */
export interface TransactionContext {
  readonly xid: number
  /** The LSN of the commit record (the Commit message's commitLsn). */
  readonly finalLsn: Lsn
  /** Microseconds since the Unix epoch. */
  readonly commitTime: bigint
}

/** One pgoutput message and where it sits in the WAL. */
export interface MessageEvent {
  readonly kind: 'message'
  /**
   * The WAL position of the message (XLogData's walStart): a change's own record, a Begin's first record, a Commit's
   * end of the commit record (equal to its endLsn).
   */
  readonly walStart: Lsn
  readonly walEnd: Lsn
  /** Server clock when sent, microseconds since the Unix epoch. */
  readonly serverTime: bigint
  readonly message: PgoutputMessage
  /** The enclosing transaction, from Begin to Commit inclusive; undefined outside one. */
  readonly transaction: TransactionContext | undefined
  /** For insert, update and delete: the latest Relation message for the message's relation id. */
  readonly relation: RelationMessage | undefined
}

/**
 * The server has sent everything up to walEnd, and no transaction is open: once every event before this one is
 * flushed, acknowledging walEnd is safe (this is how an idle slot keeps up with WAL written for other tables).
 */
export interface KeepaliveEvent {
  readonly kind: 'keepalive'
  readonly walEnd: Lsn
  readonly serverTime: bigint
}

export type StreamEvent = MessageEvent | KeepaliveEvent

export interface ReplicationStreamOptions {
  /** How often a standby status update is sent unasked, ms (default 10000, as pg_recvlogical). */
  statusIntervalMs?: number
  /** Events held before the socket is paused (default 2048); reading resumes it at half. */
  maxQueue?: number
  /** How long stop() waits for the server to end the stream before dropping the connection, ms (default 5000). */
  stopTimeoutMs?: number
  /** Aborting stops the stream (as stop()). */
  signal?: AbortSignal
}

export interface CreatedSlot {
  readonly slotName: string
  /** The LSN from which the slot's changes follow the snapshot. */
  readonly consistentPoint: Lsn
  /** For SET TRANSACTION SNAPSHOT on another connection; null without exportSnapshot. */
  readonly snapshotName: string | null
}

export interface MessagesOptions {
  slot: string
  startLsn: Lsn
  publications: readonly string[]
  signal?: AbortSignal
  /** Yield null after this long without a message, ms (default 1000). */
  idleMs?: number
  /** Ask for pg_logical_emit_message() output ("messages" 'true', as Debezium asks). */
  messages?: boolean
}

export interface ReadOptions {
  /** At most this many events (default: all queued). */
  max?: number
  /** Wait at most this long for a first event, ms (default: until one comes or the stream ends). */
  timeoutMs?: number
  signal?: AbortSignal
}

/** What pg_replication_slots says of a slot. */
export interface SlotInfo {
  readonly slotName: string
  readonly plugin: string | null
  readonly slotType: string
  readonly database: string | null
  readonly active: boolean
  readonly activePid: number | null
  readonly restartLsn: Lsn | undefined
  readonly confirmedFlushLsn: Lsn | undefined
}

/** Anything that runs a parameterised query: a pg Client or Pool on a normal (not replication) connection. */
export interface Queryable {
  query (text: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>
}

/** The parts of node-postgres's Connection the stream uses, which @types/pg does not declare. */
interface WireConnection {
  readonly stream: Duplex & { pause (): void, resume (): void, destroy (err?: Error): void }
  on (event: 'copyData', listener: (msg: { chunk: Buffer }) => void): void
  on (event: 'replicationStart', listener: () => void): void
  removeAllListeners (event: string): void
  sendCopyFromChunk (chunk: Buffer): void
  endCopyFrom (): void
}

const SLOT_NAME = /^[a-z0-9_]{1,63}$/

/** Debezium's rule for slot.name (PostgreSQL's own): lower-case letters, digits and underscores, at most 63. */
export function checkSlotName (name: string): void {
  if (!SLOT_NAME.test(name)) {
    throw new ConfigError(`invalid replication slot name '${name}': use only lower-case letters, digits and underscores, at most 63 characters`)
  }
}

function quoteIdent (name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** The publication_names option: each name an identifier (so case is kept), the list a string literal. */
function publicationList (names: readonly string[]): string {
  if (names.length === 0) throw new ConfigError('no publication given for the replication stream')
  return `'${names.map(quoteIdent).join(',').replaceAll("'", "''")}'`
}

const nowMicros = (): bigint => BigInt(Date.now()) * 1000n

/** Resolves 'timeout' if `p` has not settled within ms. */
async function withTimeout (p: Promise<void>, ms: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'timeout'>(resolve => { timer = setTimeout(() => resolve('timeout'), ms) })
  try {
    return await Promise.race([p.then(() => 'done' as const), timedOut])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Turns what the server or the driver threw into a coded error naming the slot: a slot used by another process and
 * connection failures are retriable; a missing slot or publication, a refused login or a missing privilege are
 * configuration errors.
 */
export function replicationError (err: unknown, slot: string, doing: string): ConnectError {
  if (ConnectError.is(err)) return err
  const e = err as { code?: string, message?: string }
  const message = e.message ?? String(err)
  const code = typeof e.code === 'string' ? e.code : undefined
  const what = `${doing} (replication slot "${slot}")`
  if (code === '55006') {
    return new RetriableError(`${what}: the slot is in use by another connection: ${message}. Only one client may stream from a slot; stop the other one or use another slot.name`, { cause: err })
  }
  if (code === '42704' || code === '42710' || code === '42501' || code === '28000' || code === '28P01' ||
    code === '53400' || code === '55000' || code === '42602' || code === '3D000') {
    return new ConfigError(`${what}: ${message}`, { cause: err })
  }
  if (code === undefined || code.startsWith('08') || code.startsWith('57P') || code === '53300') {
    return new RetriableError(`${what}: ${message}`, { cause: err })
  }
  return new ConnectError(`${what}: ${message} (SQLSTATE ${code})`, { cause: err })
}

/** The slot as pg_replication_slots shows it, or undefined when there is none of that name. */
export async function readReplicationSlot (db: Queryable, name: string): Promise<SlotInfo | undefined> {
  const { rows } = await db.query(
    'select slot_name, plugin, slot_type, database, active, active_pid, restart_lsn::text as restart_lsn, ' +
    'confirmed_flush_lsn::text as confirmed_flush_lsn from pg_replication_slots where slot_name = $1', [name])
  const row = rows[0]
  if (row === undefined) return undefined
  const lsn = (v: unknown): Lsn | undefined => typeof v === 'string' ? parseLsn(v) : undefined
  return {
    slotName: String(row.slot_name),
    plugin: row.plugin === null ? null : String(row.plugin),
    slotType: String(row.slot_type),
    database: row.database === null ? null : String(row.database),
    active: row.active === true || row.active === 't',
    activePid: row.active_pid === null ? null : Number(row.active_pid),
    restartLsn: lsn(row.restart_lsn),
    confirmedFlushLsn: lsn(row.confirmed_flush_lsn)
  }
}

/**
 * Drops the slot if it exists. A slot still streaming to someone is a RetriableError, after waiting up to waitMs for
 * it to be released (a walsender exits shortly after its client goes, e.g. right after our own stop()).
 */
export async function dropReplicationSlot (db: Queryable, name: string, options: { waitMs?: number } = {}): Promise<boolean> {
  const deadline = Date.now() + (options.waitMs ?? 0)
  for (;;) {
    try {
      const { rows } = await db.query('select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1', [name])
      return rows.length > 0
    } catch (err) {
      const mapped = replicationError(err, name, 'cannot drop the slot')
      if (!mapped.retriable || Date.now() >= deadline) throw mapped
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }
}

type State = 'new' | 'connected' | 'streaming' | 'stopping' | 'closed'

export class ReplicationStream {
  private readonly client: pg.Client
  private readonly statusIntervalMs: number
  private readonly maxQueue: number
  private readonly stopTimeoutMs: number
  private state: State = 'new'
  private slot = ''
  private queue: StreamEvent[] = []
  private paused = false
  private failure: ConnectError | undefined
  private wake: (() => void) | undefined
  private statusTimer: NodeJS.Timeout | undefined
  private streaming: Promise<void> | undefined
  private stopping: Promise<void> | undefined
  private connecting: Promise<void> | undefined
  private readonly relations = new Map<number, RelationMessage>()
  private transaction: TransactionContext | undefined
  /** Highest walEnd received (reported as the write position). */
  private received: Lsn = 0n
  /** Highest LSN the caller acknowledged: the only flush position ever reported. */
  private flushed: Lsn = 0n
  private idle: Lsn = 0n
  /** The LSN of the last event queued, to tell a keepalive that says something new. */
  private lastQueued: Lsn = 0n
  private readonly onAbort = (): void => { void this.stop() }
  private readonly signal: AbortSignal | undefined

  /** `config`: node-postgres settings of the database to stream from; the stream adds replication: 'database'. */
  constructor (config: pg.ClientConfig, options: ReplicationStreamOptions = {}) {
    this.client = new pg.Client({ ...config, replication: 'database' } as pg.ClientConfig)
    // A dropped connection also rejects whatever is pending; the listener keeps it from being an uncaught 'error'.
    this.client.on('error', err => { this.fail(replicationError(err, this.slot, 'the replication connection failed')) })
    this.statusIntervalMs = options.statusIntervalMs ?? 10_000
    this.maxQueue = Math.max(1, options.maxQueue ?? 2048)
    this.stopTimeoutMs = options.stopTimeoutMs ?? 5000
    this.signal = options.signal
    this.signal?.addEventListener('abort', this.onAbort, { once: true })
  }

  private get wire (): WireConnection {
    return (this.client as unknown as { connection: WireConnection }).connection
  }

  /** The highest LSN acknowledged so far (0n before the first). */
  get acknowledgedLsn (): Lsn {
    return this.flushed
  }

  /** Events decoded and not yet read. */
  get backlog (): number {
    return this.queue.length
  }

  /** Whether the socket is paused because the backlog reached maxQueue. */
  get isPaused (): boolean {
    return this.paused
  }

  /** True once stop() was called (or start() failed): read() then returns []. */
  get closed (): boolean {
    return this.state === 'closed' || this.state === 'stopping'
  }

  /** Opens the replication connection (start() and createSlot() do it when needed). */
  connect (): Promise<void> {
    this.connecting ??= this.doConnect()
    return this.connecting
  }

  private async doConnect (): Promise<void> {
    if (this.stopping !== undefined || this.signal?.aborted === true) throw new RetriableError('the replication stream was stopped before it connected')
    try {
      await this.client.connect()
    } catch (err) {
      this.state = 'closed'
      throw replicationError(err, this.slot, 'cannot open a replication connection')
    }
    if (this.state === 'new') this.state = 'connected'
  }

  /**
   * CREATE_REPLICATION_SLOT … LOGICAL pgoutput. With exportSnapshot the snapshot name is returned, and the snapshot
   * stays usable (SET TRANSACTION SNAPSHOT elsewhere) until this stream's next command: start() or stop().
   */
  async createSlot (name: string, options: { exportSnapshot?: boolean } = {}): Promise<CreatedSlot> {
    checkSlotName(name)
    this.slot = name
    await this.connect()
    if (this.stopping !== undefined) throw new RetriableError(`cannot create replication slot "${name}": the stream was stopped`)
    if (this.state !== 'connected') throw new ConfigError(`cannot create replication slot "${name}": the stream is ${this.state}`)
    const snapshot = options.exportSnapshot === true ? 'EXPORT_SNAPSHOT' : 'NOEXPORT_SNAPSHOT'
    let rows: Array<Record<string, unknown>>
    try {
      rows = (await this.client.query(`CREATE_REPLICATION_SLOT ${quoteIdent(name)} LOGICAL pgoutput ${snapshot}`)).rows
    } catch (err) {
      throw replicationError(err, name, 'cannot create the slot')
    }
    const row = rows[0]
    if (row === undefined) throw new ConnectError(`CREATE_REPLICATION_SLOT "${name}" returned no row`)
    return {
      slotName: String(row.slot_name),
      consistentPoint: parseLsn(String(row.consistent_point)),
      snapshotName: typeof row.snapshot_name === 'string' ? row.snapshot_name : null
    }
  }

  /**
   * START_REPLICATION SLOT … LOGICAL startLsn with pgoutput protocol 1. The server starts at the later of startLsn
   * and the slot's confirmed_flush_lsn, and sends every transaction whose commit record is at or after it. Resolves
   * once the server streams; rejects with a coded error (a slot in use by another process is a RetriableError).
   */
  async start (slot: string, startLsn: Lsn, publicationNames: readonly string[], options: { messages?: boolean } = {}): Promise<void> {
    checkSlotName(slot)
    this.slot = slot
    await this.connect()
    if (this.stopping !== undefined) {
      await this.stopping
      return
    }
    if (this.state !== 'connected') throw new ConfigError(`cannot start streaming from replication slot "${slot}": the stream is ${this.state}`)
    const wire = this.wire
    const started = new Promise<void>(resolve => wire.on('replicationStart', resolve))
    wire.on('copyData', msg => { this.onFrame(msg.chunk) })
    const sql = `START_REPLICATION SLOT ${quoteIdent(slot)} LOGICAL ${formatLsn(startLsn)} ` +
      `("proto_version" '1', "publication_names" ${publicationList(publicationNames)}` +
      `${options.messages === true ? ', "messages" \'true\'' : ''})`
    this.state = 'streaming'
    let failedEarly: ConnectError | undefined
    // The query settles when the stream ends: after our CopyDone normally, at once when the server refuses.
    this.streaming = this.client.query(sql).then(() => {}, err => {
      const mapped = replicationError(err, slot, 'streaming failed')
      failedEarly = mapped
      this.fail(mapped)
    })
    await Promise.race([started, this.streaming])
    if (this.stopping !== undefined) {
      // stop() (or the signal) came while the server was starting: nothing to report, the stream is closed.
      await this.stopping
      return
    }
    if (failedEarly !== undefined) {
      await this.close()
      throw failedEarly
    }
    this.statusTimer = setInterval(() => { this.sendStatus(false) }, this.statusIntervalMs)
    this.statusTimer.unref()
  }

  private onFrame (chunk: Buffer): void {
    if (this.state !== 'streaming') return // draining after CopyDone
    try {
      // Decode now: the chunk is a view of the driver's buffer, which it reuses.
      const frame = decodeReplicationFrame(chunk)
      if (frame.walEnd > this.received) this.received = frame.walEnd
      if (frame.kind === 'keepalive') {
        if (frame.replyRequested) this.sendStatus(false)
        if (this.transaction === undefined && frame.walEnd > this.lastQueued) {
          const last = this.queue.at(-1)
          const event: KeepaliveEvent = { kind: 'keepalive', walEnd: frame.walEnd, serverTime: frame.serverTime }
          // Only the newest of consecutive keepalives matters.
          if (last?.kind === 'keepalive') this.queue[this.queue.length - 1] = event
          else this.push(event)
          this.lastQueued = frame.walEnd
        }
        return
      }
      const message = decodePgoutput(frame.data)
      let relation: RelationMessage | undefined
      switch (message.tag) {
        case 'begin':
          this.transaction = { xid: message.xid, finalLsn: message.finalLsn, commitTime: message.commitTime }
          break
        case 'relation':
          this.relations.set(message.relationId, message)
          break
        case 'insert': case 'update': case 'delete':
          relation = this.relations.get(message.relationId)
          if (relation === undefined) throw new ConnectError(`pgoutput sent a ${message.tag} for relation ${message.relationId} before its Relation message`)
          break
      }
      this.push({ kind: 'message', walStart: frame.walStart, walEnd: frame.walEnd, serverTime: frame.serverTime, message, transaction: this.transaction, relation })
      if (frame.walStart > this.lastQueued) this.lastQueued = frame.walStart
      if (message.tag === 'commit') this.transaction = undefined
    } catch (err) {
      this.fail(ConnectError.is(err) ? err : new ConnectError(`replication slot "${this.slot}": ${String(err)}`, { cause: err }))
      this.wire.stream.destroy()
    }
  }

  private push (event: StreamEvent): void {
    this.queue.push(event)
    if (!this.paused && this.queue.length >= this.maxQueue) {
      // Backpressure: the server blocks on a full socket; our status timer still writes, so it does not time us out.
      this.paused = true
      this.wire.stream.pause()
    }
    this.notify()
  }

  private notify (): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }

  private fail (err: ConnectError): void {
    if (this.failure === undefined && this.state !== 'stopping' && this.state !== 'closed') this.failure = err
    this.notify()
  }

  /**
   * Up to `max` queued events; waits (at most timeoutMs) when none is queued. Returns [] on timeout, on abort and
   * once the stream is closed and drained; throws the stream's failure once the events before it are read.
   */
  async read (options: ReadOptions = {}): Promise<StreamEvent[]> {
    if (this.wake !== undefined) throw new ConnectError('ReplicationStream.read() called while another read() waits')
    if (this.queue.length === 0 && this.failure === undefined && this.state === 'streaming' && options.signal?.aborted !== true) {
      await new Promise<void>(resolve => {
        const done = (): void => {
          clearTimeout(timer)
          options.signal?.removeEventListener('abort', done)
          if (this.wake === done) this.wake = undefined
          resolve()
        }
        const timer = options.timeoutMs === undefined ? undefined : setTimeout(done, options.timeoutMs)
        options.signal?.addEventListener('abort', done, { once: true })
        this.wake = done
      })
    }
    if (this.queue.length === 0) {
      if (this.failure !== undefined) throw this.failure
      return []
    }
    const max = options.max ?? this.queue.length
    const events = this.queue.length <= max ? this.queue : this.queue.slice(0, max)
    this.queue = this.queue.length <= max ? [] : this.queue.slice(max)
    if (this.paused && this.queue.length <= this.maxQueue / 2 && this.state === 'streaming') {
      this.paused = false
      this.wire.stream.resume()
    }
    return events
  }

  /**
   * start() then every message, with null after idleMs without one (and for each keepalive, which updates idleLsn),
   * so a caller can do periodic work; ends when the stream is stopped or the signal aborts, throws when it fails.
   * Leaving the loop does not stop the stream: call stop().
   */
  async * messages (options: MessagesOptions): AsyncGenerator<MessageEvent | null, void, undefined> {
    await this.start(options.slot, options.startLsn, options.publications, { messages: options.messages === true })
    const idleMs = options.idleMs ?? 1000
    for (;;) {
      if (options.signal?.aborted === true) return
      const events = await this.read({ timeoutMs: idleMs, ...(options.signal === undefined ? {} : { signal: options.signal }) })
      if (events.length === 0) {
        if (this.failure !== undefined) throw this.failure
        if (this.closed) return
        yield null
        continue
      }
      for (const event of events) {
        if (event.kind === 'message') {
          yield event
        } else {
          this.idle = event.walEnd
          yield null
        }
      }
    }
  }

  /**
   * The walEnd of the newest keepalive messages() has passed (0n before one): the server had sent everything before
   * it and no transaction was open, so once every message read before it is durably handled, it may be acknowledged.
   */
  get idleLsn (): Lsn {
    return this.idle
  }

  /** Every event until the stream is stopped (then the loop ends) or fails (then it throws). */
  async * [Symbol.asyncIterator] (): AsyncGenerator<StreamEvent, void, undefined> {
    for (;;) {
      const events = await this.read()
      if (events.length === 0) {
        // read() waits while streaming, so nothing read means stopped, failed or never started.
        if (this.failure !== undefined) throw this.failure
        return
      }
      yield * events
    }
  }

  /**
   * The caller has durably stored everything up to `lsn`: the server may let the slot's confirmed_flush_lsn move
   * there (never further), and a restart begins with the first transaction whose commit record is at or after it.
   * Acknowledge a Commit's endLsn (its event lsn) to mark that transaction done. Lower values than before are ignored.
   */
  acknowledge (lsn: Lsn): void {
    if (lsn <= this.flushed) return
    this.flushed = lsn
    this.sendStatus(false)
  }

  private sendStatus (replyRequested: boolean): void {
    if (this.state !== 'streaming') return
    // Write is what arrived; flush and apply only what the caller acknowledged (0 = not yet: the server ignores it).
    const write = this.received > this.flushed ? this.received : this.flushed
    try {
      this.wire.sendCopyFromChunk(encodeStandbyStatus(write, this.flushed, this.flushed, nowMicros(), replyRequested))
    } catch (err) {
      this.fail(replicationError(err, this.slot, 'cannot send a standby status update'))
    }
  }

  /**
   * Ends the stream within stopTimeoutMs: a last status update, CopyDone, then the connection is closed once the
   * server has ended the stream, or destroyed when it does not in time. Unread events are dropped; idempotent.
   */
  stop (): Promise<void> {
    this.stopping ??= this.doStop()
    return this.stopping
  }

  private async doStop (): Promise<void> {
    this.signal?.removeEventListener('abort', this.onAbort)
    if (this.state === 'new' && this.connecting !== undefined) {
      // Let a connection being opened finish (or cut it), so that it is closed, not left behind.
      if (await withTimeout(this.connecting.then(() => {}, () => {}), this.stopTimeoutMs) === 'timeout') this.wire.stream.destroy()
      await this.connecting.catch(() => {})
    }
    const wasStreaming = this.state === 'streaming'
    if (wasStreaming) this.sendStatus(false)
    if (this.state !== 'closed') this.state = 'stopping'
    clearInterval(this.statusTimer)
    this.queue = []
    this.notify()
    if (wasStreaming && this.failure === undefined) {
      try {
        this.wire.endCopyFrom()
      } catch {}
      // Keep reading (and dropping) so the server can finish sending and see our CopyDone.
      if (this.paused) this.wire.stream.resume()
      this.paused = false
    }
    await this.close()
  }

  private async close (): Promise<void> {
    clearInterval(this.statusTimer)
    if (this.state === 'new') {
      this.state = 'closed'
      return
    }
    this.state = 'stopping'
    try {
      const ended = (async (): Promise<void> => {
        if (this.streaming !== undefined) await this.streaming
        await this.client.end()
      })()
      if (await withTimeout(ended.then(() => {}, () => {}), this.stopTimeoutMs) === 'timeout') this.wire.stream.destroy()
    } finally {
      this.state = 'closed'
      this.wire.removeAllListeners('copyData')
      this.wire.removeAllListeners('replicationStart')
    }
  }
}
