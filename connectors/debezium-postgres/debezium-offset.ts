/**
 * The source partition and offset in Debezium's shape, so that an offsets file written by Apache Connect running
 * Debezium resumes here and ours resumes there: partition {"server": topic.prefix}; offset with ts_usec, txId, lsn
 * (Java longs), and while snapshotting snapshot/last_snapshot_record/snapshot_completed, while streaming lsn_proc,
 * lsn_commit and messageType.
 */
import type { OffsetMap } from '../../src/api/index.ts'

export const SNAPSHOT_INITIAL = 'INITIAL'

export interface DebeziumOffset {
  readonly tsUsec: bigint | null
  readonly txId: bigint | null
  readonly lsn: bigint | null
  readonly lsnProc: bigint | null
  readonly lsnCommit: bigint | null
  readonly messageType: string | null
  /** Snapshot kind (e.g. 'INITIAL') while a snapshot runs; null once streaming. */
  readonly snapshot: string | null
  readonly lastSnapshotRecord: boolean
  readonly snapshotCompleted: boolean
}

function long (v: unknown): bigint | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'bigint') return v
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v))
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v)
  return null
}

/** Debezium 1.x/2.x wrote snapshot: true; 3.x writes the snapshot kind. */
function snapshotOf (v: unknown): string | null {
  if (v === true) return SNAPSHOT_INITIAL
  if (typeof v === 'string' && v !== '' && v !== 'false') return v
  return null
}

export function readOffset (offset: Readonly<Record<string, unknown>> | null): DebeziumOffset | null {
  if (offset === null) return null
  return {
    tsUsec: long(offset.ts_usec),
    txId: long(offset.txId),
    lsn: long(offset.lsn),
    lsnProc: long(offset.lsn_proc),
    lsnCommit: long(offset.lsn_commit),
    messageType: typeof offset.messageType === 'string' ? offset.messageType : null,
    snapshot: snapshotOf(offset.snapshot),
    lastSnapshotRecord: offset.last_snapshot_record === true,
    snapshotCompleted: offset.snapshot_completed === true
  }
}

/** Whether a stored offset says the snapshot finished (its last record was stored) or never ran. */
export function snapshotFinished (offset: DebeziumOffset): boolean {
  return offset.snapshot === null || offset.lastSnapshotRecord || offset.snapshotCompleted
}

/** JSON numbers in the offsets file: a number when it is exact, else a bigint (written as a Java long all the same). */
function num (v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
}

export function snapshotOffset (o: { tsUsec: bigint, txId: bigint, lsn: bigint, last: boolean }): OffsetMap {
  return {
    last_snapshot_record: o.last,
    lsn: num(o.lsn),
    txId: num(o.txId),
    ts_usec: num(o.tsUsec),
    snapshot: SNAPSHOT_INITIAL,
    snapshot_completed: o.last
  }
}

export function streamingOffset (o: { tsUsec: bigint, txId: bigint | null, lsn: bigint, lsnProc: bigint | null, lsnCommit: bigint | null, messageType: string }): OffsetMap {
  const out: Record<string, number | bigint | string | null> = {}
  if (o.lsnProc !== null) out.lsn_proc = num(o.lsnProc)
  out.messageType = o.messageType
  if (o.lsnCommit !== null) out.lsn_commit = num(o.lsnCommit)
  out.lsn = num(o.lsn)
  if (o.txId !== null) out.txId = num(o.txId)
  out.ts_usec = num(o.tsUsec)
  return out
}
