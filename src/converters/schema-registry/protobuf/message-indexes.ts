/**
 * The message indexes that start a Protobuf payload in Confluent's wire format (MessageIndexes): which message of the
 * schema's file the bytes hold, as the path of its position among the messages at each nesting level. Written as a
 * zig-zag varint count and zig-zag varint indexes (Kafka's ByteUtils.writeVarint); the common [0] (the first
 * top-level message) is the single byte 0, and a count of 0 reads as [0].
 */
import { DataError } from '../../../api/index.ts'

const zigzag = (n: number): number => ((n << 1) ^ (n >> 31)) >>> 0

function writeVarint (out: number[], value: number): void {
  let v = zigzag(value)
  while ((v & ~0x7f) !== 0) {
    out.push((v & 0x7f) | 0x80)
    v >>>= 7
  }
  out.push(v)
}

export function encodeMessageIndexes (indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0])
  const out: number[] = []
  writeVarint(out, indexes.length)
  for (const i of indexes) writeVarint(out, i)
  return Buffer.from(out)
}

/** Kafka's ByteUtils.readVarint: at most 5 bytes, zig-zag decoded. */
function readVarint (buf: Uint8Array, at: { offset: number }): number {
  let value = 0
  for (let i = 0; i < 5; i++) {
    if (at.offset >= buf.length) throw new DataError('Invalid Protobuf payload: it ends inside its message indexes')
    const b = buf[at.offset++]!
    value |= (b & 0x7f) << (7 * i)
    if ((b & 0x80) === 0) return (value >>> 1) ^ -(value & 1)
  }
  throw new DataError('Invalid Protobuf payload: a message index varint is too long')
}

/** The indexes at the start of `payload` and where the message bytes begin. */
export function decodeMessageIndexes (payload: Uint8Array): { indexes: number[], offset: number } {
  const at = { offset: 0 }
  const count = readVarint(payload, at)
  if (count === 0) return { indexes: [0], offset: at.offset }
  if (count < 0 || count > payload.length) throw new DataError(`Invalid Protobuf payload: ${count} message indexes`)
  const indexes: number[] = []
  for (let i = 0; i < count; i++) indexes.push(readVarint(payload, at))
  return { indexes, offset: at.offset }
}
