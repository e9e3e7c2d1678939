/**
 * Decoder of the messages of PostgreSQL's built-in logical decoding plugin, pgoutput, protocol version 1, and of the
 * replication protocol frames that carry them (XLogData, primary keepalive) and our standby status update.
 *
 * Column values stay exactly as the server printed them (text output): the connector maps them itself, so that a
 * timestamp keeps its microseconds and a numeric all its digits. Pure functions over Buffers; every malformed input
 * is a DataError naming the byte offset. Decoded messages hold copies (strings, copied Buffers), never views of the
 * input, whose memory the pg driver reuses.
 */
import { DataError } from '../../src/api/index.ts'
import type { Lsn } from './lsn.ts'

/** Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01T00:00:00Z). */
export const PG_EPOCH_OFFSET_MICROS = 946_684_800_000_000n

/** pgoutput's 'u': a TOASTed value an UPDATE (or a DELETE's old tuple) left unchanged and the server did not send. */
export const UNCHANGED_TOAST: unique symbol = Symbol('unchanged-toast')
export type UnchangedToast = typeof UNCHANGED_TOAST

/** One column of a tuple: text output, null, or the unchanged-TOAST marker; in the relation's column order. */
export type TupleValue = string | null | UnchangedToast
export type Tuple = readonly TupleValue[]

export interface BeginMessage {
  readonly tag: 'begin'
  /** The LSN of the transaction's commit record (the Commit message's commitLsn). */
  readonly finalLsn: Lsn
  /** Commit time, microseconds since the Unix epoch. */
  readonly commitTime: bigint
  readonly xid: number
}

export interface CommitMessage {
  readonly tag: 'commit'
  readonly flags: number
  /** The LSN of the commit record. */
  readonly commitLsn: Lsn
  /** The end of the commit record: acknowledging it marks the whole transaction as processed. */
  readonly endLsn: Lsn
  /** Microseconds since the Unix epoch. */
  readonly commitTime: bigint
}

export interface OriginMessage {
  readonly tag: 'origin'
  readonly originLsn: Lsn
  readonly name: string
}

export interface RelationColumn {
  /** Part of the replica identity (the key pgoutput sends in 'K' tuples). */
  readonly isKey: boolean
  readonly name: string
  readonly typeOid: number
  readonly typeMod: number
}

export interface RelationMessage {
  readonly tag: 'relation'
  readonly relationId: number
  /** The schema; pgoutput sends '' for pg_catalog. */
  readonly schema: string
  readonly name: string
  /** relreplident: 'd' default, 'n' nothing, 'f' full, 'i' index. */
  readonly replicaIdentity: 'd' | 'n' | 'f' | 'i'
  readonly columns: readonly RelationColumn[]
}

export interface TypeMessage {
  readonly tag: 'type'
  readonly typeOid: number
  readonly schema: string
  readonly name: string
}

export interface InsertMessage {
  readonly tag: 'insert'
  readonly relationId: number
  readonly newTuple: Tuple
}

export interface UpdateMessage {
  readonly tag: 'update'
  readonly relationId: number
  /**
   * 'K': the old replica identity key (the key changed; non-key columns are null), 'O': the whole old row
   * (REPLICA IDENTITY FULL), undefined: no old tuple sent (key unchanged, identity default or index).
   */
  readonly oldKind: 'K' | 'O' | undefined
  readonly oldTuple: Tuple | undefined
  readonly newTuple: Tuple
}

export interface DeleteMessage {
  readonly tag: 'delete'
  readonly relationId: number
  /** 'K': the replica identity key only (other columns null); 'O': the whole old row (REPLICA IDENTITY FULL). */
  readonly oldKind: 'K' | 'O'
  readonly oldTuple: Tuple
}

export interface TruncateMessage {
  readonly tag: 'truncate'
  readonly cascade: boolean
  readonly restartIdentity: boolean
  readonly relationIds: readonly number[]
}

/** pg_logical_emit_message() output (sent only when the stream asked for messages). */
export interface LogicalMessage {
  readonly tag: 'message'
  readonly transactional: boolean
  readonly lsn: Lsn
  readonly prefix: string
  readonly content: Buffer
}

export type PgoutputMessage = BeginMessage | CommitMessage | OriginMessage | RelationMessage | TypeMessage |
InsertMessage | UpdateMessage | DeleteMessage | TruncateMessage | LogicalMessage

/** XLogData ('w'): one pgoutput message and the WAL positions around it. */
export interface XLogData {
  readonly kind: 'xlogdata'
  readonly walStart: Lsn
  readonly walEnd: Lsn
  /** Server clock when sent, microseconds since the Unix epoch. */
  readonly serverTime: bigint
  readonly data: Buffer
}

/** Primary keepalive ('k'). */
export interface PrimaryKeepalive {
  readonly kind: 'keepalive'
  readonly walEnd: Lsn
  readonly serverTime: bigint
  readonly replyRequested: boolean
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** A cursor over one message that reports where and why the message is malformed. */
class Reader {
  private offset = 0
  private readonly buf: Buffer
  private readonly what: string

  constructor (buf: Buffer, what: string) {
    this.buf = buf
    this.what = what
  }

  fail (reason: string, at = this.offset): never {
    throw new DataError(`malformed ${this.what}: ${reason} at offset ${at} (message length ${this.buf.length})`)
  }

  private need (n: number, field: string): void {
    if (this.offset + n > this.buf.length) this.fail(`truncated ${field} (needs ${n} bytes, ${this.buf.length - this.offset} left)`)
  }

  byte (field: string): number {
    this.need(1, field)
    return this.buf[this.offset++]!
  }

  int16 (field: string): number {
    this.need(2, field)
    const v = this.buf.readInt16BE(this.offset)
    this.offset += 2
    return v
  }

  int32 (field: string): number {
    this.need(4, field)
    const v = this.buf.readInt32BE(this.offset)
    this.offset += 4
    return v
  }

  uint32 (field: string): number {
    this.need(4, field)
    const v = this.buf.readUInt32BE(this.offset)
    this.offset += 4
    return v
  }

  uint64 (field: string): bigint {
    this.need(8, field)
    const v = this.buf.readBigUInt64BE(this.offset)
    this.offset += 8
    return v
  }

  int64 (field: string): bigint {
    this.need(8, field)
    const v = this.buf.readBigInt64BE(this.offset)
    this.offset += 8
    return v
  }

  /** A PostgreSQL timestamp (microseconds since 2000-01-01) as microseconds since the Unix epoch. */
  timestamp (field: string): bigint {
    return this.int64(field) + PG_EPOCH_OFFSET_MICROS
  }

  text (length: number, field: string): string {
    const start = this.offset
    this.need(length, field)
    this.offset += length
    try {
      return utf8.decode(this.buf.subarray(start, start + length))
    } catch {
      this.fail(`${field} is not valid UTF-8`, start)
    }
  }

  /** A NUL-terminated string. */
  cstring (field: string): string {
    const end = this.buf.indexOf(0, this.offset)
    if (end < 0) this.fail(`unterminated ${field}`)
    const s = this.text(end - this.offset, field)
    this.offset++
    return s
  }

  bytes (length: number, field: string): Buffer {
    this.need(length, field)
    const copy = Buffer.from(this.buf.subarray(this.offset, this.offset + length))
    this.offset += length
    return copy
  }

  rest (): Buffer {
    const view = this.buf.subarray(this.offset)
    this.offset = this.buf.length
    return view
  }

  end (): void {
    if (this.offset !== this.buf.length) this.fail(`${this.buf.length - this.offset} unexpected trailing bytes`)
  }

  get position (): number {
    return this.offset
  }
}

/** Decodes one pgoutput (protocol version 1) message: the payload of an XLogData frame. */
export function decodePgoutput (buf: Buffer): PgoutputMessage {
  const r: Reader = new Reader(buf, 'pgoutput message')
  const tag = r.byte('message tag')
  let message: PgoutputMessage
  switch (tag) {
    case 0x42: // B
      message = { tag: 'begin', finalLsn: r.uint64('final LSN'), commitTime: r.timestamp('commit time'), xid: r.uint32('xid') }
      break
    case 0x43: // C
      message = { tag: 'commit', flags: r.byte('flags'), commitLsn: r.uint64('commit LSN'), endLsn: r.uint64('end LSN'), commitTime: r.timestamp('commit time') }
      break
    case 0x4f: // O
      message = { tag: 'origin', originLsn: r.uint64('origin LSN'), name: r.cstring('origin name') }
      break
    case 0x52: // R
      message = relation(r)
      break
    case 0x59: // Y
      message = { tag: 'type', typeOid: r.uint32('type OID'), schema: r.cstring('type schema'), name: r.cstring('type name') }
      break
    case 0x49: { // I
      const relationId = r.uint32('relation id')
      expectByte(r, 0x4e, "'N' before the new tuple")
      message = { tag: 'insert', relationId, newTuple: tuple(r) }
      break
    }
    case 0x55: // U
      message = update(r)
      break
    case 0x44: { // D
      const relationId = r.uint32('relation id')
      const at = r.position
      const kind = r.byte("'K' or 'O'")
      if (kind !== 0x4b && kind !== 0x4f) r.fail(`expected 'K' or 'O', got ${describeByte(kind)}`, at)
      message = { tag: 'delete', relationId, oldKind: kind === 0x4b ? 'K' : 'O', oldTuple: tuple(r) }
      break
    }
    case 0x54: { // T
      const count = r.int32('relation count')
      if (count < 0) r.fail(`negative relation count ${count}`, r.position - 4)
      const options = r.byte('options')
      const relationIds: number[] = []
      for (let i = 0; i < count; i++) relationIds.push(r.uint32('relation id'))
      message = { tag: 'truncate', cascade: (options & 1) !== 0, restartIdentity: (options & 2) !== 0, relationIds }
      break
    }
    case 0x4d: { // M
      const flags = r.byte('flags')
      const lsn = r.uint64('message LSN')
      const prefix = r.cstring('prefix')
      const length = r.int32('content length')
      if (length < 0) r.fail(`negative content length ${length}`, r.position - 4)
      message = { tag: 'message', transactional: (flags & 1) !== 0, lsn, prefix, content: r.bytes(length, 'content') }
      break
    }
    default:
      r.fail(`unknown message tag ${describeByte(tag)} (protocol version 1 has B C O R Y I U D T M)`, 0)
  }
  r.end()
  return message
}

function relation (r: Reader): RelationMessage {
  const relationId = r.uint32('relation id')
  const schema = r.cstring('schema name')
  const name = r.cstring('relation name')
  const at = r.position
  const identity = String.fromCharCode(r.byte('replica identity'))
  if (identity !== 'd' && identity !== 'n' && identity !== 'f' && identity !== 'i') r.fail(`unknown replica identity ${describeByte(identity.charCodeAt(0))}`, at)
  const count = r.int16('column count')
  if (count < 0) r.fail(`negative column count ${count}`, r.position - 2)
  const columns: RelationColumn[] = []
  for (let i = 0; i < count; i++) {
    const flags = r.byte('column flags')
    columns.push({ isKey: (flags & 1) !== 0, name: r.cstring('column name'), typeOid: r.uint32('column type OID'), typeMod: r.int32('column type modifier') })
  }
  return { tag: 'relation', relationId, schema, name, replicaIdentity: identity, columns }
}

function update (r: Reader): UpdateMessage {
  const relationId = r.uint32('relation id')
  const at = r.position
  const kind = r.byte("'K', 'O' or 'N'")
  if (kind === 0x4e) return { tag: 'update', relationId, oldKind: undefined, oldTuple: undefined, newTuple: tuple(r) }
  if (kind !== 0x4b && kind !== 0x4f) r.fail(`expected 'K', 'O' or 'N', got ${describeByte(kind)}`, at)
  const oldTuple = tuple(r)
  expectByte(r, 0x4e, "'N' before the new tuple")
  return { tag: 'update', relationId, oldKind: kind === 0x4b ? 'K' : 'O', oldTuple, newTuple: tuple(r) }
}

function tuple (r: Reader): Tuple {
  const count = r.int16('tuple column count')
  if (count < 0) r.fail(`negative tuple column count ${count}`, r.position - 2)
  const values: TupleValue[] = []
  for (let i = 0; i < count; i++) {
    const at = r.position
    const kind = r.byte('tuple column kind')
    switch (kind) {
      case 0x6e: // n
        values.push(null)
        break
      case 0x75: // u
        values.push(UNCHANGED_TOAST)
        break
      case 0x74: { // t
        const length = r.int32('value length')
        if (length < 0) r.fail(`negative value length ${length}`, r.position - 4)
        values.push(r.text(length, `value of column ${i + 1}`))
        break
      }
      case 0x62: // b: only with the binary option, which we never ask for
        r.fail(`binary value of column ${i + 1} (the stream must not ask for binary)`, at)
        break
      default:
        r.fail(`unknown tuple column kind ${describeByte(kind)} for column ${i + 1}`, at)
    }
  }
  return values
}

function expectByte (r: Reader, expected: number, what: string): void {
  const at = r.position
  const b = r.byte(what)
  if (b !== expected) r.fail(`expected ${what}, got ${describeByte(b)}`, at)
}

function describeByte (b: number): string {
  return b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `0x${b.toString(16).padStart(2, '0')}`
}

/** Decodes one CopyData payload of a START_REPLICATION stream: XLogData or a primary keepalive. */
export function decodeReplicationFrame (buf: Buffer): XLogData | PrimaryKeepalive {
  const r: Reader = new Reader(buf, 'replication frame')
  const tag = r.byte('frame tag')
  if (tag === 0x77) { // w
    return { kind: 'xlogdata', walStart: r.uint64('WAL start'), walEnd: r.uint64('WAL end'), serverTime: r.timestamp('server time'), data: r.rest() }
  }
  if (tag === 0x6b) { // k
    const frame: PrimaryKeepalive = { kind: 'keepalive', walEnd: r.uint64('WAL end'), serverTime: r.timestamp('server time'), replyRequested: r.byte('reply flag') !== 0 }
    r.end()
    return frame
  }
  return r.fail(`unknown frame tag ${describeByte(tag)} (expected 'w' XLogData or 'k' keepalive)`, 0)
}

/**
 * A standby status update ('r'): the positions we received, flushed and applied, and our clock (microseconds since
 * the Unix epoch; written as microseconds since 2000-01-01, as the protocol wants).
 */
export function encodeStandbyStatus (write: Lsn, flush: Lsn, apply: Lsn, clockMicros: bigint, replyRequested = false): Buffer {
  const buf = Buffer.alloc(34)
  buf[0] = 0x72
  buf.writeBigUInt64BE(write, 1)
  buf.writeBigUInt64BE(flush, 9)
  buf.writeBigUInt64BE(apply, 17)
  buf.writeBigInt64BE(clockMicros - PG_EPOCH_OFFSET_MICROS, 25)
  buf[33] = replyRequested ? 1 : 0
  return buf
}
