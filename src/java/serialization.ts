/**
 * The exact subset of Java object serialisation (protocol version 5) used by Apache Kafka Connect's standalone
 * offsets file: a single `ObjectOutputStream.writeObject` of a `java.util.HashMap<byte[], byte[]>`.
 *
 * Reading accepts everything a JDK writes for such a map: the HashMap class descriptor, the capacity/size block, byte
 * arrays (the `[B` class descriptor once, then back-references to it), back-references to an earlier identical array
 * object, and null values. Anything else is reported with the file name, the byte offset and what was expected,
 * because a file we only half understand must never be rewritten (that would lose offsets).
 *
 * Writing produces the bytes JDK 17's ObjectOutputStream produces for a `HashMap` filled by `put` (as Apache does),
 * so Java reads our files back, and a single-entry file is byte-identical to Java's.
 */
import { OffsetStoreError } from '../api/errors.ts'

/** One stored mapping: the key bytes and the value bytes, or null for a tombstone. */
export type OffsetsFileEntry = [Buffer, Buffer | null]

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
/** Handles (back-reference targets) are numbered from here, in the order objects appear in the stream. */
const BASE_WIRE_HANDLE = 0x7e0000
const SC_WRITE_METHOD = 0x01
const SC_SERIALIZABLE = 0x02

const HASHMAP_CLASS = 'java.util.HashMap'
const HASHMAP_SUID = Buffer.from('0507dac1c31660d1', 'hex')
const HASHMAP_FLAGS = SC_WRITE_METHOD | SC_SERIALIZABLE
// HashMap's serialisable fields, in the order Java writes them (primitive fields sorted by name).
const HASHMAP_FIELDS: ReadonlyArray<readonly [string, string]> = [['F', 'loadFactor'], ['I', 'threshold']]
const BYTE_ARRAY_CLASS = '[B'
const BYTE_ARRAY_SUID = Buffer.from('acf317f8060854e0', 'hex')
const BYTE_ARRAY_FLAGS = SC_SERIALIZABLE

/** HashMap's defaults: Apache creates the map with `new HashMap<>()` and fills it with `put`. */
const DEFAULT_CAPACITY = 16
const LOAD_FACTOR = 0.75

type Handle =
  | { kind: 'class', name: string }
  | { kind: 'map' }
  | { kind: 'array', value: Buffer }

function hex (n: number, width = 2): string {
  return '0x' + n.toString(16).padStart(width, '0')
}

function describeTag (tag: number): string {
  const names: Record<number, string> = {
    [TC_NULL]: 'TC_NULL',
    [TC_REFERENCE]: 'TC_REFERENCE',
    [TC_CLASSDESC]: 'TC_CLASSDESC',
    [TC_OBJECT]: 'TC_OBJECT',
    [0x74]: 'TC_STRING',
    [TC_ARRAY]: 'TC_ARRAY',
    [0x76]: 'TC_CLASS',
    [TC_BLOCKDATA]: 'TC_BLOCKDATA',
    [TC_ENDBLOCKDATA]: 'TC_ENDBLOCKDATA',
    [0x79]: 'TC_RESET',
    [TC_BLOCKDATALONG]: 'TC_BLOCKDATALONG',
    [0x7b]: 'TC_EXCEPTION',
    [0x7c]: 'TC_LONGSTRING',
    [0x7d]: 'TC_PROXYCLASSDESC',
    [0x7e]: 'TC_ENUM'
  }
  const name = names[tag]
  return name === undefined ? `byte ${hex(tag)}` : `${name} (${hex(tag)})`
}

class StreamReader {
  readonly #buf: Buffer
  readonly #file: string
  pos = 0
  readonly handles: Handle[] = []

  constructor (buf: Buffer, file: string) {
    this.#buf = buf
    this.#file = file
  }

  /** Fails at `at` (the start of the element that is wrong), naming what was expected there. */
  fail (at: number, message: string): never {
    throw new OffsetStoreError(`Offsets file '${this.#file}' is not a valid offsets file: at byte ${at}, ${message}`)
  }

  #need (n: number, what: string): void {
    if (this.pos + n > this.#buf.length) {
      throw new OffsetStoreError(`Offsets file '${this.#file}' is truncated: it ends at byte ${this.#buf.length} ` +
        `while ${n} more byte${n === 1 ? '' : 's'} of ${what} were expected at byte ${this.pos}`)
    }
  }

  get atEnd (): boolean { return this.pos >= this.#buf.length }

  u8 (what: string): number {
    this.#need(1, what)
    return this.#buf[this.pos++]!
  }

  u16 (what: string): number {
    this.#need(2, what)
    const v = this.#buf.readUInt16BE(this.pos)
    this.pos += 2
    return v
  }

  i32 (what: string): number {
    this.#need(4, what)
    const v = this.#buf.readInt32BE(this.pos)
    this.pos += 4
    return v
  }

  f32 (what: string): number {
    this.#need(4, what)
    const v = this.#buf.readFloatBE(this.pos)
    this.pos += 4
    return v
  }

  /** A copy, so entries do not pin the whole file buffer in memory. */
  bytes (n: number, what: string): Buffer {
    this.#need(n, what)
    const v = Buffer.from(this.#buf.subarray(this.pos, this.pos + n))
    this.pos += n
    return v
  }

  /** Java's writeUTF: a u16 length and modified UTF-8. Only ASCII names are accepted here, so latin1 is exact. */
  utf (what: string): string {
    const len = this.u16(`the length of ${what}`)
    return this.bytes(len, what).toString('latin1')
  }

  /** Resolves a TC_REFERENCE operand (the tag has been read), failing unless the handle is of `kind`. */
  reference<K extends Handle['kind']> (tagAt: number, kind: K, what: string): Extract<Handle, { kind: K }> {
    const handle = this.i32(`a back-reference handle to ${what}`)
    const target = this.handles[handle - BASE_WIRE_HANDLE]
    if (target === undefined || target.kind !== kind) {
      this.fail(tagAt, `expected ${what}, found a back-reference to ${target === undefined ? 'unknown handle' : `a ${target.kind}, handle`} ${hex(handle, 6)}`)
    }
    return target as Extract<Handle, { kind: K }>
  }
}

/**
 * Reads a class descriptor, new (TC_CLASSDESC) or a back-reference to one already read, and checks that it is exactly
 * the expected class with the expected layout: the layout decides how the rest of the stream is read.
 */
function readClassDesc (r: StreamReader, name: string, suid: Buffer, flags: number,
  fields: ReadonlyArray<readonly [string, string]>): void {
  const at = r.pos
  const tag = r.u8(`the class descriptor of ${name}`)
  if (tag === TC_REFERENCE) {
    const target = r.reference(at, 'class', `the class descriptor of ${name}`)
    if (target.name !== name) r.fail(at, `expected the class descriptor of ${name}, found a back-reference to ${target.name}`)
    return
  }
  if (tag !== TC_CLASSDESC) r.fail(at, `expected the class descriptor of ${name} (TC_CLASSDESC or TC_REFERENCE), found ${describeTag(tag)}`)
  const nameAt = r.pos
  const found = r.utf('a class name')
  if (found !== name) r.fail(nameAt, `expected class ${name}, found class ${JSON.stringify(found)}`)
  // Java assigns the descriptor's handle before reading the rest of it.
  r.handles.push({ kind: 'class', name })
  const suidAt = r.pos
  const foundSuid = r.bytes(8, `the serialVersionUID of ${name}`)
  // Java itself rejects a mismatching serialVersionUID (InvalidClassException).
  if (!foundSuid.equals(suid)) r.fail(suidAt, `expected serialVersionUID ${suid.toString('hex')} for ${name}, found ${foundSuid.toString('hex')}`)
  const flagsAt = r.pos
  const foundFlags = r.u8(`the flags of ${name}`)
  if (foundFlags !== flags) r.fail(flagsAt, `expected class flags ${hex(flags)} for ${name}, found ${hex(foundFlags)}`)
  const countAt = r.pos
  const count = r.u16(`the field count of ${name}`)
  if (count !== fields.length) r.fail(countAt, `expected ${fields.length} serialisable fields in ${name}, found ${count}`)
  for (const [type, fieldName] of fields) {
    const fieldAt = r.pos
    const foundType = String.fromCharCode(r.u8(`a field type of ${name}`))
    const foundName = r.utf(`a field name of ${name}`)
    if (foundType !== type || foundName !== fieldName) {
      r.fail(fieldAt, `expected field ${type} ${fieldName} in ${name}, found ${JSON.stringify(foundType)} ${JSON.stringify(foundName)}`)
    }
  }
  const annotationAt = r.pos
  const annotation = r.u8(`the end of the class annotation of ${name}`)
  if (annotation !== TC_ENDBLOCKDATA) r.fail(annotationAt, `expected TC_ENDBLOCKDATA ending the class annotation of ${name}, found ${describeTag(annotation)}`)
  const superAt = r.pos
  const superTag = r.u8(`the superclass descriptor of ${name}`)
  // HashMap's superclass AbstractMap is not serialisable, and arrays have none.
  if (superTag !== TC_NULL) r.fail(superAt, `expected TC_NULL (no serialisable superclass of ${name}), found ${describeTag(superTag)}`)
}

/**
 * Reads `n` bytes of primitive data from the block-data segments of HashMap.writeObject. Java writes the 8 bytes of
 * capacity and size as one TC_BLOCKDATA; longer or split segments are accepted as Java's reader accepts them.
 */
function readBlockData (r: StreamReader, n: number, what: string): Buffer {
  const parts: Buffer[] = []
  let have = 0
  while (have < n) {
    const at = r.pos
    const tag = r.u8(what)
    let len: number
    if (tag === TC_BLOCKDATA) len = r.u8(`the length of a block of ${what}`)
    else if (tag === TC_BLOCKDATALONG) len = r.i32(`the length of a block of ${what}`)
    else r.fail(at, `expected ${what} as TC_BLOCKDATA or TC_BLOCKDATALONG, found ${describeTag(tag)}`)
    if (len < 0) r.fail(at, `negative block data length ${len}`)
    // Java would fail on leftover primitive data when it then reads the first entry (OptionalDataException).
    if (have + len > n) r.fail(at, `expected ${n - have} bytes of ${what}, found a block of ${len} bytes`)
    parts.push(r.bytes(len, what))
    have += len
  }
  return Buffer.concat(parts)
}

function readByteArrayOrNull (r: StreamReader, what: string): Buffer | null {
  const at = r.pos
  const tag = r.u8(what)
  if (tag === TC_NULL) return null
  // The same byte[] object written twice: Java writes a back-reference to the first copy.
  if (tag === TC_REFERENCE) return r.reference(at, 'array', `${what} (a byte[])`).value
  if (tag !== TC_ARRAY) r.fail(at, `expected ${what}: a byte[] (TC_ARRAY), a back-reference (TC_REFERENCE) or TC_NULL, found ${describeTag(tag)}`)
  readClassDesc(r, BYTE_ARRAY_CLASS, BYTE_ARRAY_SUID, BYTE_ARRAY_FLAGS, [])
  const lengthAt = r.pos
  const length = r.i32(`the length of ${what}`)
  if (length < 0) r.fail(lengthAt, `negative array length ${length} for ${what}`)
  const value = r.bytes(length, `${what} (${length} bytes)`)
  // Java assigns the array's handle before its contents, but a byte[] holds no objects, so the number is the same.
  r.handles.push({ kind: 'array', value })
  return value
}

/**
 * Decodes an offsets file into its entries, in stream order. `file` only names the file in error messages. Throws
 * OffsetStoreError for a truncated file or anything outside the subset Java writes for a HashMap<byte[], byte[]>.
 */
export function decodeOffsetsFile (buf: Buffer, file: string): OffsetsFileEntry[] {
  const r: StreamReader = new StreamReader(buf, file)
  if (buf.length === 0) {
    throw new OffsetStoreError(`Offsets file '${file}' is empty (0 bytes): a write was probably interrupted`)
  }
  const magic = r.u16('the stream header')
  const version = r.u16('the stream header')
  if (magic !== STREAM_MAGIC || version !== STREAM_VERSION) {
    r.fail(0, `expected the Java serialisation stream header aced0005, found ${buf.subarray(0, 4).toString('hex')}: this is not a Java serialised file`)
  }
  const objectAt = r.pos
  const objectTag = r.u8('the serialised java.util.HashMap')
  if (objectTag !== TC_OBJECT) r.fail(objectAt, `expected TC_OBJECT (a java.util.HashMap), found ${describeTag(objectTag)}`)
  readClassDesc(r, HASHMAP_CLASS, HASHMAP_SUID, HASHMAP_FLAGS, HASHMAP_FIELDS)
  r.handles.push({ kind: 'map' })
  const loadFactorAt = r.pos
  const loadFactor = r.f32('the HashMap loadFactor field')
  // HashMap.readObject rejects these (InvalidObjectException).
  if (!(loadFactor > 0)) r.fail(loadFactorAt, `illegal HashMap load factor ${loadFactor}`)
  r.i32('the HashMap threshold field') // recomputed by Java on read, like the capacity
  const header = readBlockData(r, 8, 'the HashMap capacity and size')
  const sizeAt = r.pos - 4
  const size = header.readInt32BE(4)
  if (size < 0) r.fail(sizeAt, `illegal HashMap size ${size}`)
  const entries: OffsetsFileEntry[] = []
  for (let i = 0; i < size; i++) {
    const keyAt = r.pos
    const key = readByteArrayOrNull(r, `the key of entry ${i + 1} of ${size}`)
    if (key === null) r.fail(keyAt, `expected the key of entry ${i + 1} of ${size} to be a byte[], found null (Connect never writes a null key)`)
    entries.push([key, readByteArrayOrNull(r, `the value of entry ${i + 1} of ${size}`)])
  }
  const endAt = r.pos
  const end = r.u8('TC_ENDBLOCKDATA ending the HashMap')
  if (end !== TC_ENDBLOCKDATA) r.fail(endAt, `expected TC_ENDBLOCKDATA after ${size} entries, found ${describeTag(end)}`)
  // Apache writes exactly one object; anything after it means the file is not what it seems.
  if (!r.atEnd) r.fail(r.pos, `expected the end of the file after the HashMap, found ${buf.length - r.pos} more bytes`)
  return entries
}

class StreamWriter {
  readonly #chunks: Buffer[] = []

  u8 (...values: number[]): void { this.#chunks.push(Buffer.from(values)) }

  u16 (v: number): void {
    const b = Buffer.alloc(2)
    b.writeUInt16BE(v)
    this.#chunks.push(b)
  }

  i32 (v: number): void {
    const b = Buffer.alloc(4)
    b.writeInt32BE(v)
    this.#chunks.push(b)
  }

  f32 (v: number): void {
    const b = Buffer.alloc(4)
    b.writeFloatBE(v)
    this.#chunks.push(b)
  }

  raw (b: Buffer): void { this.#chunks.push(b) }

  utf (s: string): void {
    const b = Buffer.from(s, 'latin1')
    this.u16(b.length)
    this.raw(b)
  }

  classDesc (name: string, suid: Buffer, flags: number, fields: ReadonlyArray<readonly [string, string]>): void {
    this.u8(TC_CLASSDESC)
    this.utf(name)
    this.raw(suid)
    this.u8(flags)
    this.u16(fields.length)
    for (const [type, fieldName] of fields) {
      this.u8(type.charCodeAt(0))
      this.utf(fieldName)
    }
    this.u8(TC_ENDBLOCKDATA, TC_NULL)
  }

  toBuffer (): Buffer { return Buffer.concat(this.#chunks) }
}

/** The table size a `new HashMap<>()` has after `size` puts: it doubles whenever size exceeds 0.75 × capacity. */
function hashMapCapacity (size: number): number {
  let capacity = DEFAULT_CAPACITY
  while (size > capacity * LOAD_FACTOR) capacity *= 2
  return capacity
}

/**
 * Encodes entries as JDK 17's ObjectOutputStream writes a HashMap<byte[], byte[]> built by `put`. Entries are written
 * in the given order (Java's order depends on identity hash codes, and its reader does not care). Passing the same
 * Buffer object twice produces a back-reference, as Java does for the same array object.
 */
export function encodeOffsetsFile (entries: ReadonlyArray<readonly [Buffer, Buffer | null]>): Buffer {
  const w = new StreamWriter()
  w.u16(STREAM_MAGIC)
  w.u16(STREAM_VERSION)
  w.u8(TC_OBJECT)
  w.classDesc(HASHMAP_CLASS, HASHMAP_SUID, HASHMAP_FLAGS, HASHMAP_FIELDS)
  let nextHandle = BASE_WIRE_HANDLE + 2 // 0x7e0000 is the HashMap descriptor, 0x7e0001 the map
  const capacity = hashMapCapacity(entries.length)
  w.f32(LOAD_FACTOR)
  // An empty `new HashMap<>()` has no table yet, so its threshold field is still 0 (capacity() reports 16).
  w.i32(entries.length === 0 ? 0 : capacity * LOAD_FACTOR)
  w.u8(TC_BLOCKDATA, 8)
  w.i32(capacity)
  w.i32(entries.length)
  let byteArrayClassHandle = -1
  const written = new Map<Buffer, number>()
  const writeArray = (value: Buffer | null): void => {
    if (value === null) {
      w.u8(TC_NULL)
      return
    }
    const previous = written.get(value)
    if (previous !== undefined) {
      w.u8(TC_REFERENCE)
      w.i32(previous)
      return
    }
    w.u8(TC_ARRAY)
    if (byteArrayClassHandle < 0) {
      byteArrayClassHandle = nextHandle++
      w.classDesc(BYTE_ARRAY_CLASS, BYTE_ARRAY_SUID, BYTE_ARRAY_FLAGS, [])
    } else {
      w.u8(TC_REFERENCE)
      w.i32(byteArrayClassHandle)
    }
    written.set(value, nextHandle++)
    w.i32(value.length)
    w.raw(value)
  }
  for (const [key, value] of entries) {
    writeArray(key)
    writeArray(value)
  }
  w.u8(TC_ENDBLOCKDATA)
  return w.toBuffer()
}
