/**
 * The pgoutput decoder and the LSN helpers over hand-built buffers: every message kind of protocol version 1, the
 * replication frames, and malformed input (truncation, unknown tags, bad UTF-8, trailing bytes), each a DataError
 * naming the offset. The same messages from a real server are checked in replication-stream.test.ts.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConnectError } from '../../../src/api/index.ts'
import { formatLsn, lsnFromNumber, lsnToNumber, parseLsn } from '../../../connectors/debezium-postgres/lsn.ts'
import {
  decodePgoutput, decodeReplicationFrame, encodeStandbyStatus, PG_EPOCH_OFFSET_MICROS, UNCHANGED_TOAST
} from '../../../connectors/debezium-postgres/pgoutput-decoder.ts'

/** Builds a message from parts: numbers as [value, width] big-endian, strings NUL-terminated, Buffers as they are. */
function msg (...parts: Array<string | Buffer | [number | bigint, 1 | 2 | 4 | 8]>): Buffer {
  return Buffer.concat(parts.map(p => {
    if (typeof p === 'string') return Buffer.from(`${p}\0`)
    if (Buffer.isBuffer(p)) return p
    const [v, w] = p
    const b = Buffer.alloc(w)
    if (w === 1) b.writeUInt8(Number(v))
    else if (w === 2) b.writeUInt16BE(Number(v))
    else if (w === 4) b.writeUInt32BE(Number(v))
    else b.writeBigUInt64BE(BigInt(v))
    return b
  }))
}
const tag = (c: string): Buffer => Buffer.from(c)
const text = (s: string): Buffer => { const v = Buffer.from(s); return Buffer.concat([tag('t'), msg([v.length, 4]), v]) }

function assertDataError (fn: () => unknown, offset: number, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(ConnectError.is(err) && err.code === 'CONNECT_ERR_DATA', `not a DataError: ${String(err)}`)
    assert.match(err.message, new RegExp(`at offset ${offset}\\b`))
    assert.match(err.message, pattern)
    return true
  })
}

test('LSNs: text round trip in the server spelling, numbers as Debezium stores them', () => {
  assert.equal(parseLsn('16/B374D848'), 0x16B374D848n)
  assert.equal(parseLsn('0/0'), 0n)
  assert.equal(parseLsn('ffffffff/ffffffff'), 0xFFFFFFFFFFFFFFFFn)
  assert.equal(formatLsn(0x16B374D848n), '16/B374D848')
  assert.equal(formatLsn(0x100000000n), '1/0')
  for (const s of ['0/1', '1/0', 'A/B', '16/B374D848', 'FFFFFFFF/FFFFFFFF']) assert.equal(formatLsn(parseLsn(s)), s)
  assert.equal(lsnToNumber(0x16B374D848n), 97500059720)
  assert.equal(lsnFromNumber(97500059720), 0x16B374D848n)
  assert.equal(lsnFromNumber('97500059720'), 0x16B374D848n)
  for (const bad of ['', '16', '16/', '/1', '123456789/0', '1/G', ' 1/0', '1/0 ']) assert.throws(() => parseLsn(bad), /invalid LSN/)
  assert.throws(() => lsnToNumber(1n << 53n), /too large/)
  assert.throws(() => lsnFromNumber(1.5), /invalid LSN/)
  assert.throws(() => lsnFromNumber(-1), /outside/)
  assert.throws(() => formatLsn(-1n), /outside/)
})

test('begin, commit, origin, type, relation', () => {
  const t = 1_000_000n // 1 s after 2000-01-01, microseconds
  assert.deepEqual(decodePgoutput(msg(tag('B'), [0x16B374D848n, 8], [t, 8], [0xFFFFFFF0, 4])),
    { tag: 'begin', finalLsn: 0x16B374D848n, commitTime: t + PG_EPOCH_OFFSET_MICROS, xid: 0xFFFFFFF0 })
  assert.deepEqual(decodePgoutput(msg(tag('C'), [0, 1], [10n, 8], [20n, 8], [t, 8])),
    { tag: 'commit', flags: 0, commitLsn: 10n, endLsn: 20n, commitTime: t + PG_EPOCH_OFFSET_MICROS })
  assert.deepEqual(decodePgoutput(msg(tag('O'), [5n, 8], 'upstream')), { tag: 'origin', originLsn: 5n, name: 'upstream' })
  assert.deepEqual(decodePgoutput(msg(tag('Y'), [16400, 4], 'public', 'mood')), { tag: 'type', typeOid: 16400, schema: 'public', name: 'mood' })
  assert.deepEqual(decodePgoutput(msg(tag('R'), [16384, 4], 'public', 'tëst', tag('f'), [2, 2],
    [1, 1], 'id', [23, 4], [0xFFFFFFFF, 4], [0, 1], 'amount', [1700, 4], [(10 << 16 | 2) + 4, 4])), {
    tag: 'relation',
    relationId: 16384,
    schema: 'public',
    name: 'tëst',
    replicaIdentity: 'f',
    columns: [
      { isKey: true, name: 'id', typeOid: 23, typeMod: -1 },
      { isKey: false, name: 'amount', typeOid: 1700, typeMod: (10 << 16 | 2) + 4 }
    ]
  })
})

test('insert, update (none, K, O), delete (K, O) with text, null and unchanged TOAST; truncate; message', () => {
  const row = Buffer.concat([msg([3, 2]), text('1'), tag('n'), tag('u')])
  const values = ['1', null, UNCHANGED_TOAST]
  assert.deepEqual(decodePgoutput(msg(tag('I'), [7, 4], tag('N'), row)), { tag: 'insert', relationId: 7, newTuple: values })
  assert.deepEqual(decodePgoutput(msg(tag('U'), [7, 4], tag('N'), row)),
    { tag: 'update', relationId: 7, oldKind: undefined, oldTuple: undefined, newTuple: values })
  const key = Buffer.concat([msg([3, 2]), text('0'), tag('n'), tag('n')])
  assert.deepEqual(decodePgoutput(msg(tag('U'), [7, 4], tag('K'), key, tag('N'), row)),
    { tag: 'update', relationId: 7, oldKind: 'K', oldTuple: ['0', null, null], newTuple: values })
  assert.deepEqual(decodePgoutput(msg(tag('U'), [7, 4], tag('O'), row, tag('N'), row)),
    { tag: 'update', relationId: 7, oldKind: 'O', oldTuple: values, newTuple: values })
  assert.deepEqual(decodePgoutput(msg(tag('D'), [7, 4], tag('K'), key)), { tag: 'delete', relationId: 7, oldKind: 'K', oldTuple: ['0', null, null] })
  assert.deepEqual(decodePgoutput(msg(tag('D'), [7, 4], tag('O'), row)), { tag: 'delete', relationId: 7, oldKind: 'O', oldTuple: values })
  assert.deepEqual(decodePgoutput(msg(tag('I'), [7, 4], tag('N'), msg([2, 2]), text(''), text('€ 1.50'))),
    { tag: 'insert', relationId: 7, newTuple: ['', '€ 1.50'] })
  assert.deepEqual(decodePgoutput(msg(tag('T'), [2, 4], [3, 1], [7, 4], [8, 4])),
    { tag: 'truncate', cascade: true, restartIdentity: true, relationIds: [7, 8] })
  assert.deepEqual(decodePgoutput(msg(tag('T'), [1, 4], [0, 1], [7, 4])), { tag: 'truncate', cascade: false, restartIdentity: false, relationIds: [7] })
  const m = decodePgoutput(msg(tag('M'), [1, 1], [99n, 8], 'app', [3, 4], Buffer.from([0, 1, 2])))
  assert.deepEqual(m, { tag: 'message', transactional: true, lsn: 99n, prefix: 'app', content: Buffer.from([0, 1, 2]) })
})

test('decoded values are copies: reusing the input buffer changes nothing', () => {
  const input = msg(tag('M'), [0, 1], [1n, 8], 'p', [2, 4], Buffer.from([7, 8]))
  const m = decodePgoutput(input)
  input.fill(0)
  assert.deepEqual(m.tag === 'message' && [...m.content], [7, 8])
})

test('malformed messages are DataErrors naming the offset', () => {
  assertDataError(() => decodePgoutput(Buffer.alloc(0)), 0, /truncated message tag/)
  assertDataError(() => decodePgoutput(msg(tag('S'), [1, 4])), 0, /unknown message tag 'S'/)
  assertDataError(() => decodePgoutput(msg(tag('B'), [1n, 8], [2n, 8])), 17, /truncated xid/)
  assertDataError(() => decodePgoutput(msg(tag('B'), [1n, 8], [2n, 8], [3, 4], [0, 1])), 21, /1 unexpected trailing bytes/)
  assertDataError(() => decodePgoutput(Buffer.concat([msg(tag('R'), [1, 4]), Buffer.from('public')])), 5, /unterminated schema name/)
  assertDataError(() => decodePgoutput(msg(tag('R'), [1, 4], 'public', 't', tag('x'), [0, 2])), 14, /unknown replica identity 'x'/)
  assertDataError(() => decodePgoutput(msg(tag('R'), [1, 4], 'public', 't', tag('d'), [1, 2], [1, 1], 'id', [23, 4])), 25, /truncated column type modifier/)
  assertDataError(() => decodePgoutput(msg(tag('I'), [7, 4], tag('X'))), 5, /expected 'N' before the new tuple, got 'X'/)
  assertDataError(() => decodePgoutput(msg(tag('I'), [7, 4], tag('N'), [1, 2], tag('b'), [1, 4], [0, 1])), 8, /binary value of column 1/)
  assertDataError(() => decodePgoutput(msg(tag('I'), [7, 4], tag('N'), [2, 2], tag('n'), tag('q'))), 9, /unknown tuple column kind 'q' for column 2/)
  assertDataError(() => decodePgoutput(msg(tag('I'), [7, 4], tag('N'), [1, 2], tag('t'), [10, 4], Buffer.from('abc'))), 13, /truncated value of column 1 \(needs 10 bytes, 3 left\)/)
  assertDataError(() => decodePgoutput(msg(tag('I'), [7, 4], tag('N'), [1, 2], tag('t'), [0xFFFFFFFF, 4])), 9, /negative value length -1/)
  assertDataError(() => decodePgoutput(msg(tag('I'), [7, 4], tag('N'), [1, 2], tag('t'), [2, 4], Buffer.from([0xC3, 0x28]))), 13, /value of column 1 is not valid UTF-8/)
  assertDataError(() => decodePgoutput(msg(tag('I'), [7, 4], tag('N'), [0xFFFF, 2])), 6, /negative tuple column count -1/)
  assertDataError(() => decodePgoutput(msg(tag('U'), [7, 4], tag('Z'))), 5, /expected 'K', 'O' or 'N', got 'Z'/)
  assertDataError(() => decodePgoutput(msg(tag('U'), [7, 4], tag('K'), [0, 2], tag('O'))), 8, /expected 'N' before the new tuple, got 'O'/)
  assertDataError(() => decodePgoutput(msg(tag('D'), [7, 4], tag('N'), [0, 2])), 5, /expected 'K' or 'O', got 'N'/)
  assertDataError(() => decodePgoutput(msg(tag('T'), [2, 4], [0, 1], [7, 4])), 10, /truncated relation id/)
  assertDataError(() => decodePgoutput(msg(tag('M'), [0, 1], [1n, 8], 'p', [5, 4], Buffer.from('ab'))), 16, /truncated content/)
  assertDataError(() => decodePgoutput(Buffer.from([0x00])), 0, /unknown message tag 0x00/)
})

test('replication frames: XLogData, keepalive; our standby status update', () => {
  const payload = msg(tag('C'), [0, 1], [1n, 8], [2n, 8], [3n, 8])
  const w = decodeReplicationFrame(Buffer.concat([msg(tag('w'), [0x10n, 8], [0x20n, 8], [5n, 8]), payload]))
  assert.equal(w.kind, 'xlogdata')
  assert.ok(w.kind === 'xlogdata' && w.walStart === 0x10n && w.walEnd === 0x20n && w.serverTime === 5n + PG_EPOCH_OFFSET_MICROS)
  assert.ok(w.kind === 'xlogdata' && w.data.equals(payload))
  assert.deepEqual(decodeReplicationFrame(msg(tag('k'), [0x30n, 8], [6n, 8], [1, 1])),
    { kind: 'keepalive', walEnd: 0x30n, serverTime: 6n + PG_EPOCH_OFFSET_MICROS, replyRequested: true })
  assertDataError(() => decodeReplicationFrame(msg(tag('k'), [0x30n, 8], [6n, 8])), 17, /truncated reply flag/)
  assertDataError(() => decodeReplicationFrame(msg(tag('w'), [0x30n, 8])), 9, /truncated WAL end/)
  assertDataError(() => decodeReplicationFrame(msg(tag('x'))), 0, /unknown frame tag 'x'/)

  const status = encodeStandbyStatus(0x30n, 0x20n, 0x10n, PG_EPOCH_OFFSET_MICROS + 7n, true)
  assert.deepEqual(status, msg(tag('r'), [0x30n, 8], [0x20n, 8], [0x10n, 8], [7n, 8], [1, 1]))
})
