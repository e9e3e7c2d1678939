/**
 * The exact subset of Java object serialisation (protocol version 5) that Apache Kafka Connect's standalone offsets
 * file uses: one java.util.HashMap<byte[], byte[]> written by ObjectOutputStream. Reading accepts what JDKs write
 * (including back-references to identical arrays); anything else is reported with its byte position.
 */
import { OffsetStoreError } from '../api/index.ts'

const STREAM_MAGIC = 0xaced
const STREAM_VERSION = 5
const TC_NULL = 0x70
const TC_REFERENCE = 0x71
const TC_CLASSDESC = 0x72
const TC_OBJECT = 0x73
const TC_ARRAY = 0x75
const TC_BLOCKDATA = 0x77
const TC_ENDBLOCKDATA = 0x78
const TC_BLOCKDATALONG = 0x7a
const BASE_HANDLE = 0x7e0000
const HASHMAP_CLASS = 'java.util.HashMap'
const HASHMAP_UID = Buffer.from('0507dac1c31660d1', 'hex')
const BYTE_ARRAY_CLASS = '[B'
const BYTE_ARRAY_UID = Buffer.from('acf317f8060854e0', 'hex')

export type OffsetsFileEntry = [Buffer, Buffer | null]

class Reader {
  readonly #buf: Buffer
  readonly #file: string
  pos = 0
  readonly handles: Array<{ kind: 'class', name: string } | { kind: 'array', value: Buffer } | { kind: 'object' }> = []

  constructor (buf: Buffer, file: string) {
    this.#buf = buf
    this.#file = file
  }

  fail (what: string): never {
    throw new OffsetStoreError(`Offsets file '${this.#file}' is corrupt at byte ${this.pos}: ${what}. ` +
      'Move it away to start from scratch, or restore a backup.')
  }

  need (n: number): void {
    if (this.pos + n > this.#buf.length) this.fail(`the file ends early (truncated; ${this.#buf.length} bytes)`)
  }

  u8 (): number { this.need(1); return this.#buf[this.pos++]! }
  u16 (): number { this.need(2); const v = this.#buf.readUInt16BE(this.pos); this.pos += 2; return v }
  i32 (): number { this.need(4); const v = this.#buf.readInt32BE(this.pos); this.pos += 4; return v }
  bytes (n: number): Buffer { this.need(n); const v = this.#buf.subarray(this.pos, this.pos + n); this.pos += n; return Buffer.from(v) }
  utf (): string { return this.bytes(this.u16()).toString('utf8') }
  get done (): boolean { return this.pos >= this.#buf.length }
}

/** Reads a class descriptor (new or by reference) and returns its class name. */
function readClassDesc (r: Reader, expected: string): void {
  const tag = r.u8()
  if (tag === TC_REFERENCE) {
    const h = r.handles[r.i32() - BASE_HANDLE]
    if (!h || h.kind !== 'class' || h.name !== expected) r.fail(`expected a reference to the ${expected} class descriptor`)
    return
  }
  if (tag !== TC_CLASSDESC) r.fail(`expected a class descriptor for ${expected}, found tag 0x${tag.toString(16)}`)
  const name = r.utf()
  if (name !== expected) r.fail(`expected class ${expected}, found ${name}`)
  r.bytes(8) // serialVersionUID: Java checks it against its own class; the layout is what matters here
  r.handles.push({ kind: 'class', name })
  r.u8() // flags
  const fields = r.u16()
  for (let i = 0; i < fields; i++) {
    const type = String.fromCharCode(r.u8())
    r.utf()
    if (type === 'L' || type === '[') {
      // Object field type names are strings (TC_STRING 0x74) or references.
      const t = r.u8()
      if (t === 0x74) r.utf()
      else if (t === TC_REFERENCE) r.i32()
      else r.fail('unexpected field type descriptor')
    }
  }
  if (r.u8() !== TC_ENDBLOCKDATA) r.fail('expected the end of the class annotation')
  if (r.u8() !== TC_NULL) r.fail(`${expected} must have no serialisable superclass`)
}

function readByteArrayOrNull (r: Reader): Buffer | null {
  const tag = r.u8()
  if (tag === TC_NULL) return null
  if (tag === TC_REFERENCE) {
    const h = r.handles[r.i32() - BASE_HANDLE]
    if (!h || h.kind !== 'array') r.fail('reference to something that is not a byte array')
    return h.value
  }
  if (tag !== TC_ARRAY) r.fail(`expected a byte[] or null, found tag 0x${tag.toString(16)}`)
  readClassDesc(r, BYTE_ARRAY_CLASS)
  const handle = r.handles.length
  r.handles.push({ kind: 'object' })
  const len = r.i32()
  if (len < 0) r.fail('negative array length')
  const value = r.bytes(len)
  r.handles[handle] = { kind: 'array', value }
  return value
}

export function decodeOffsetsFile (buf: Buffer, file: string): OffsetsFileEntry[] {
  const r = new Reader(buf, file)
  if (r.u16() !== STREAM_MAGIC || r.u16() !== STREAM_VERSION) r.fail('not a Java serialisation stream (bad magic number)')
  if (r.u8() !== TC_OBJECT) r.fail('expected a serialised object')
  readClassDesc(r, HASHMAP_CLASS)
  r.handles.push({ kind: 'object' })
  r.need(8)
  r.bytes(4) // loadFactor
  r.i32() // threshold
  // HashMap.writeObject's custom data: block data with capacity and size, then the entries as objects.
  const blockTag = r.u8()
  const blockLen = blockTag === TC_BLOCKDATA ? r.u8() : blockTag === TC_BLOCKDATALONG ? r.i32() : r.fail('expected the HashMap capacity and size')
  if (blockLen < 8) r.fail('HashMap header block is too short')
  r.i32() // capacity: Java recomputes it on read
  const size = r.i32()
  if (size < 0) r.fail('negative HashMap size')
  r.bytes(blockLen - 8)
  const entries: OffsetsFileEntry[] = []
  for (let i = 0; i < size; i++) {
    const key = readByteArrayOrNull(r) ?? r.fail('null key')
    entries.push([key, readByteArrayOrNull(r)])
  }
  if (r.u8() !== TC_ENDBLOCKDATA) r.fail('expected the end of the HashMap data')
  if (!r.done) r.fail('unexpected data after the HashMap')
  return entries
}

function utf (s: string): Buffer {
  const b = Buffer.from(s, 'utf8')
  const out = Buffer.alloc(2 + b.length)
  out.writeUInt16BE(b.length, 0)
  b.copy(out, 2)
  return out
}

/** Writes entries the way JDK 17's ObjectOutputStream writes a HashMap<byte[], byte[]>. */
export function encodeOffsetsFile (entries: readonly OffsetsFileEntry[]): Buffer {
  let capacity = 16
  while (entries.length > capacity * 0.75) capacity *= 2
  const parts: Buffer[] = []
  const header = Buffer.alloc(4)
  header.writeUInt16BE(STREAM_MAGIC, 0)
  header.writeUInt16BE(STREAM_VERSION, 2)
  parts.push(header, Buffer.from([TC_OBJECT, TC_CLASSDESC]), utf(HASHMAP_CLASS), HASHMAP_UID,
    Buffer.from([0x03, 0x00, 0x02, 0x46]), utf('loadFactor'), Buffer.from([0x49]), utf('threshold'),
    Buffer.from([TC_ENDBLOCKDATA, TC_NULL]))
  const fields = Buffer.alloc(8)
  fields.writeFloatBE(0.75, 0)
  fields.writeInt32BE(capacity * 0.75, 4)
  const block = Buffer.alloc(10)
  block[0] = TC_BLOCKDATA
  block[1] = 8
  block.writeInt32BE(capacity, 2)
  block.writeInt32BE(entries.length, 6)
  parts.push(fields, block)
  let classWritten = false
  let nextHandle = BASE_HANDLE + 2
  const arrayClassHandle = BASE_HANDLE + 2
  const writeArray = (value: Buffer | null): void => {
    if (value === null) { parts.push(Buffer.from([TC_NULL])); return }
    if (!classWritten) {
      parts.push(Buffer.from([TC_ARRAY, TC_CLASSDESC]), utf(BYTE_ARRAY_CLASS), BYTE_ARRAY_UID, Buffer.from([0x02, 0x00, 0x00, TC_ENDBLOCKDATA, TC_NULL]))
      classWritten = true
      nextHandle++
    } else {
      const ref = Buffer.alloc(6)
      ref[0] = TC_ARRAY
      ref[1] = TC_REFERENCE
      ref.writeInt32BE(arrayClassHandle, 2)
      parts.push(ref)
    }
    nextHandle++
    const len = Buffer.alloc(4)
    len.writeInt32BE(value.length, 0)
    parts.push(len, value)
  }
  for (const [key, value] of entries) {
    writeArray(key)
    writeArray(value)
  }
  parts.push(Buffer.from([TC_ENDBLOCKDATA]))
  return Buffer.concat(parts)
}
