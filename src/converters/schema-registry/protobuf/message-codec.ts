/**
 * The Protobuf binary encoding of a message, on protobufjs's Reader and Writer, with protobuf-java's choices so the
 * bytes equal what Confluent's converter writes (a DynamicMessage's toByteArray): fields in number order; a singular
 * field without presence left out when it holds its default (0, -0 kept for floats, false, "", empty bytes, the first
 * enum value); repeated scalars packed as the field says; a message with presence written even when empty. Reading
 * accepts packed and unpacked repeated scalars alike, skips unknown fields, merges a repeated singular message and
 * keeps the last member of a oneof, as protobuf-java does. 64-bit values are bigints, as Java's long (uint64 and
 * fixed64 read as signed).
 */
import protobuf from 'protobufjs'
import { DataError } from '../../../api/index.ts'
import type { FieldInfo, MessageInfo, ScalarKind } from './proto-descriptor.ts'

/** A message's set fields by number: scalars, bigints for 64-bit kinds, enum numbers, ProtoMessages, arrays. */
export class ProtoMessage {
  readonly info: MessageInfo
  readonly values = new Map<number, unknown>()

  constructor (info: MessageInfo) {
    this.info = info
  }

  has (field: FieldInfo): boolean {
    return this.values.has(field.number)
  }

  /** protobuf-java's getField: the value, or the field's default ([] for repeated, an empty message for messages). */
  get (field: FieldInfo): unknown {
    const v = this.values.get(field.number)
    if (v !== undefined) return v
    if (field.repeated) return []
    return field.kind === 'message' ? new ProtoMessage(field.messageType!) : field.defaultValue
  }

  set (field: FieldInfo, value: unknown): this {
    this.values.set(field.number, value)
    return this
  }
}

const MAX_DEPTH = 100
const WIRE_VARINT = 0
const WIRE_FIXED64 = 1
const WIRE_BYTES = 2
const WIRE_START_GROUP = 3
const WIRE_END_GROUP = 4
const WIRE_FIXED32 = 5

function wireType (field: FieldInfo): number {
  switch (field.kind) {
    case 'double': case 'fixed64': case 'sfixed64': return WIRE_FIXED64
    case 'float': case 'fixed32': case 'sfixed32': return WIRE_FIXED32
    case 'string': case 'bytes': return WIRE_BYTES
    case 'message': return field.delimited ? WIRE_START_GROUP : WIRE_BYTES
    default: return WIRE_VARINT
  }
}

const packable = (field: FieldInfo): boolean => field.kind !== 'message' && field.kind !== 'string' && field.kind !== 'bytes'

function isDefault (field: FieldInfo, v: unknown): boolean {
  switch (field.kind) {
    case 'float': case 'double': return Object.is(v, 0)
    case 'string': return v === ''
    case 'bytes': return (v as Uint8Array).length === 0
    case 'bool': return v === false
    case 'enum': return v === field.defaultValue
    case 'message': return false
    default: return v === 0 || v === 0n
  }
}

/** A bigint as the {low, high} bits protobufjs's writer takes for 64-bit values. */
function bits (v: unknown): protobuf.Long {
  const n = BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(v as number))
  return { low: Number(n & 0xffffffffn) | 0, high: Number(n >> 32n) | 0, unsigned: false } as unknown as protobuf.Long
}

function writeScalar (w: protobuf.Writer, kind: ScalarKind | 'enum', v: unknown): void {
  switch (kind) {
    case 'int32': case 'enum': w.int32(v as number); break
    case 'sint32': w.sint32(v as number); break
    case 'sfixed32': w.sfixed32(v as number); break
    case 'uint32': w.uint32((v as number) >>> 0); break
    case 'fixed32': w.fixed32((v as number) >>> 0); break
    case 'int64': w.int64(bits(v)); break
    case 'uint64': w.uint64(bits(v)); break
    case 'sint64': w.sint64(bits(v)); break
    case 'fixed64': w.fixed64(bits(v)); break
    case 'sfixed64': w.sfixed64(bits(v)); break
    case 'float': w.float(v as number); break
    case 'double': w.double(v as number); break
    case 'bool': w.bool(v as boolean); break
    case 'string': w.string(v as string); break
    case 'bytes': w.bytes(v as Uint8Array); break
  }
}

function writeOne (w: protobuf.Writer, field: FieldInfo, v: unknown): void {
  if (field.kind === 'message') {
    if (field.delimited) {
      w.uint32((field.number << 3 | WIRE_START_GROUP) >>> 0)
      writeFields(w, v as ProtoMessage)
      w.uint32((field.number << 3 | WIRE_END_GROUP) >>> 0)
    } else {
      writeFields(w.uint32((field.number << 3 | WIRE_BYTES) >>> 0).fork(), v as ProtoMessage)
      w.ldelim()
    }
    return
  }
  writeScalar(w.uint32((field.number << 3 | wireType(field)) >>> 0), field.kind, v)
}

function writeFields (w: protobuf.Writer, message: ProtoMessage): void {
  for (const field of message.info.fieldsByNumber) {
    const v = message.values.get(field.number)
    if (v === undefined || v === null) continue
    if (field.repeated) {
      const list = v as unknown[]
      if (list.length === 0) continue
      if (field.packed && packable(field)) {
        w.uint32((field.number << 3 | WIRE_BYTES) >>> 0).fork()
        for (const x of list) writeScalar(w, field.kind as ScalarKind | 'enum', x)
        w.ldelim()
      } else {
        for (const x of list) writeOne(w, field, x)
      }
    } else if (field.hasPresence || !isDefault(field, v)) {
      writeOne(w, field, v)
    }
  }
}

export function encodeMessage (message: ProtoMessage): Buffer {
  const w = protobuf.Writer.create()
  writeFields(w, message)
  const out = w.finish()
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength)
}

function long (v: unknown): bigint {
  if (typeof v === 'number') return BigInt(v)
  const l = v as { low: number, high: number }
  return BigInt.asIntN(64, (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0))
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true })

function readScalar (r: protobuf.Reader, kind: ScalarKind | 'enum'): unknown {
  switch (kind) {
    case 'int32': case 'enum': return r.int32()
    case 'sint32': return r.sint32()
    case 'sfixed32': return r.sfixed32()
    case 'uint32': return r.uint32()
    case 'fixed32': return r.fixed32()
    case 'int64': return long(r.int64())
    case 'uint64': return long(r.uint64())
    case 'sint64': return long(r.sint64())
    case 'fixed64': return long(r.fixed64())
    case 'sfixed64': return long(r.sfixed64())
    case 'float': return r.float()
    case 'double': return r.double()
    case 'bool': return r.bool()
    case 'string': {
      // protobuf-java refuses invalid UTF-8 in proto3 strings (proto2 ones it would decode with replacements).
      const bytes = r.bytes()
      try {
        return STRICT_UTF8.decode(bytes)
      } catch {
        throw new DataError('Protocol message had invalid UTF-8.')
      }
    }
    case 'bytes': return Buffer.from(r.bytes())
  }
}

function readFields (r: protobuf.Reader, message: ProtoMessage, end: number, group: number, depth: number): void {
  if (depth > MAX_DEPTH) throw new DataError('Protocol message had too many levels of nesting.')
  while (r.pos < end) {
    const tag = r.uint32()
    const number = tag >>> 3
    const wire = tag & 7
    if (wire === WIRE_END_GROUP) {
      if (number === group) return
      throw new DataError('Protocol message end-group tag did not match expected tag.')
    }
    const field = message.info.byNumber.get(number)
    const expected = field === undefined ? -1 : wireType(field)
    if (field === undefined || (wire !== expected && !(field.repeated && packable(field) && wire === WIRE_BYTES))) {
      r.skipType(wire)
      continue
    }
    if (field.repeated) {
      let list = message.values.get(number) as unknown[] | undefined
      if (list === undefined) message.values.set(number, list = [])
      if (wire === WIRE_BYTES && packable(field)) {
        const packedEnd = r.uint32() + r.pos
        while (r.pos < packedEnd) list.push(readScalar(r, field.kind as ScalarKind | 'enum'))
      } else {
        list.push(readOne(r, field, undefined, depth))
      }
    } else {
      message.values.set(number, readOne(r, field, message.values.get(number), depth))
      // Setting one member of a oneof clears the others.
      for (const other of field.oneof?.fields ?? []) if (other !== field) message.values.delete(other.number)
    }
  }
  if (r.pos > end) throw new DataError('While parsing a protocol message, the input ended unexpectedly in the middle of a field.')
  if (group !== 0) throw new DataError('Protocol message end-group tag did not match expected tag.')
}

function readOne (r: protobuf.Reader, field: FieldInfo, previous: unknown, depth: number): unknown {
  if (field.kind !== 'message') return readScalar(r, field.kind)
  // A singular message met twice is merged into the first, as protobuf-java's parser does.
  const sub = previous instanceof ProtoMessage ? previous : new ProtoMessage(field.messageType!)
  if (field.delimited) readFields(r, sub, r.len, field.number, depth + 1)
  else {
    const length = r.uint32()
    readFields(r, sub, r.pos + length, 0, depth + 1)
  }
  return sub
}

export function decodeMessage (info: MessageInfo, bytes: Uint8Array): ProtoMessage {
  const message = new ProtoMessage(info)
  try {
    readFields(protobuf.Reader.create(bytes), message, bytes.length, 0, 0)
  } catch (err) {
    if (err instanceof DataError) throw err
    throw new DataError(`Invalid Protobuf message ${info.fullName}: ${(err as Error).message}`, { cause: err })
  }
  return message
}
