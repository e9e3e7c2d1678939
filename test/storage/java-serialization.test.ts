import assert from 'node:assert/strict'
import { test } from 'node:test'
import { OffsetStoreError } from '../../src/api/errors.ts'
import { decodeOffsetsFile, encodeOffsetsFile, type OffsetsFileEntry } from '../../src/java/serialization.ts'

const FILE = '/var/lib/connect/connect.offsets'

function hex (s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex')
}

function ascii (s: string): string {
  return Buffer.from(s, 'utf8').toString('hex')
}

// The verified JDK 17 example of the reference (connect-runtime.md §6.2), byte for byte.
const KEY1 = '["local-file-source",{"filename":"test.txt"}]'
const VALUE1 = '{"position":42}'
const KEY2 = '["other",{"filename":"x"}]'
const JAVA_EXAMPLE = hex(`
  aced0005 73 72 0011 ${ascii('java.util.HashMap')} 0507dac1c31660d1 03 0002
  46 000a ${ascii('loadFactor')} 49 0009 ${ascii('threshold')} 78 70
  3f400000 0000000c 77 08 00000010 00000002
  75 72 0002 ${ascii('[B')} acf317f8060854e0 02 0000 78 70 0000002d ${ascii(KEY1)}
  75 71 007e0002 0000000f ${ascii(VALUE1)}
  75 71 007e0002 0000001a ${ascii(KEY2)}
  70
  78`)

function entries (...pairs: Array<[string, string | null]>): OffsetsFileEntry[] {
  return pairs.map(([k, v]) => [Buffer.from(k), v === null ? null : Buffer.from(v)])
}

function text (decoded: OffsetsFileEntry[]): Array<[string, string | null]> {
  return decoded.map(([k, v]) => [k.toString('utf8'), v === null ? null : v.toString('utf8')])
}

function assertCorrupt (buf: Buffer, pattern: RegExp): void {
  assert.throws(() => decodeOffsetsFile(buf, FILE), (err: unknown) => {
    assert.ok(err instanceof OffsetStoreError, String(err))
    assert.equal(err.code, 'CONNECT_ERR_OFFSET_STORE')
    assert.ok(err.message.includes(`'${FILE}'`), err.message)
    assert.match(err.message, pattern)
    return true
  })
}

test('decodes the JDK 17 example of the reference, tombstone included', () => {
  assert.deepEqual(text(decodeOffsetsFile(JAVA_EXAMPLE, FILE)), [[KEY1, VALUE1], [KEY2, null]])
})

test('encodes exactly the bytes Java wrote for the same entries', () => {
  assert.deepEqual(encodeOffsetsFile(entries([KEY1, VALUE1], [KEY2, null])), JAVA_EXAMPLE)
})

test('round trips: empty values, non-ASCII, binary bytes, large arrays, tombstones', () => {
  const original: OffsetsFileEntry[] = [
    [Buffer.from('["c",{"f":"café 🚀 日本"}]'), Buffer.from('{"position":1}')],
    [Buffer.from('["c",{"f":"empty"}]'), Buffer.alloc(0)],
    [Buffer.from([0, 1, 2, 0xff, 0x70, 0x71, 0x75, 0x78]), null],
    [Buffer.alloc(70000, 0x61), Buffer.alloc(300, 0x62)]
  ]
  const decoded = decodeOffsetsFile(encodeOffsetsFile(original), FILE)
  assert.deepEqual(decoded, original)
})

test('capacity and threshold are those of a HashMap filled with put()', () => {
  const header = (n: number): { threshold: number, capacity: number, size: number } => {
    const buf = encodeOffsetsFile(Array.from({ length: n }, (_, i) => [Buffer.from(`k${i}`), null] as OffsetsFileEntry))
    // threshold is the second HashMap field; the block with capacity and size follows it.
    return { threshold: buf.readInt32BE(67), capacity: buf.readInt32BE(73), size: buf.readInt32BE(77) }
  }
  // An empty new HashMap<>() has no table yet: threshold 0, capacity 16 (checked against JDK 17's output).
  assert.deepEqual(header(0), { threshold: 0, capacity: 16, size: 0 })
  assert.deepEqual(header(1), { threshold: 12, capacity: 16, size: 1 })
  assert.deepEqual(header(12), { threshold: 12, capacity: 16, size: 12 })
  assert.deepEqual(header(13), { threshold: 24, capacity: 32, size: 13 })
  assert.deepEqual(header(25), { threshold: 48, capacity: 64, size: 25 })
  assert.deepEqual(header(1000), { threshold: 1536, capacity: 2048, size: 1000 })
  assert.deepEqual(decodeOffsetsFile(encodeOffsetsFile([]), FILE), [])
  assert.deepEqual(encodeOffsetsFile([]), hex(`aced0005 73 72 0011 ${ascii('java.util.HashMap')} 0507dac1c31660d1 03 0002
    46 000a ${ascii('loadFactor')} 49 0009 ${ascii('threshold')} 78 70 3f400000 00000000 77 08 00000010 00000000 78`))
})

test('the same Buffer object twice is written as a back-reference to the earlier array, and read back', () => {
  const shared = Buffer.from('{"position":7}')
  const buf = encodeOffsetsFile([[Buffer.from('["c",{"f":"a"}]'), shared], [Buffer.from('["c",{"f":"b"}]'), shared]])
  // Handles: 0 HashMap class, 1 map, 2 [B class, 3 first key, 4 shared value, 5 second key.
  const ref = hex('71 007e0004')
  assert.equal(buf.subarray(buf.length - 6, buf.length - 1).toString('hex'), ref.toString('hex'))
  const decoded = decodeOffsetsFile(buf, FILE)
  assert.deepEqual(text(decoded), [['["c",{"f":"a"}]', '{"position":7}'], ['["c",{"f":"b"}]', '{"position":7}']])
})

test('reads back-references to earlier arrays, as Java writes one array object used twice', () => {
  const buf = Buffer.concat([
    JAVA_EXAMPLE.subarray(0, JAVA_EXAMPLE.indexOf(hex('75 71 007e0002 0000001a'))),
    hex('71 007e0003'), // second key = the first key's array (handle 3)
    hex('71 007e0004'), // its value = the first value's array (handle 4)
    hex('78')
  ])
  assert.deepEqual(text(decodeOffsetsFile(buf, FILE)), [[KEY1, VALUE1], [KEY1, VALUE1]])
})

test('accepts the capacity and size as TC_BLOCKDATALONG or split into several blocks', () => {
  const at = JAVA_EXAMPLE.indexOf(hex('77 08 00000010 00000002'))
  const rest = JAVA_EXAMPLE.subarray(at + 10)
  const long = Buffer.concat([JAVA_EXAMPLE.subarray(0, at), hex('7a 00000008 00000010 00000002'), rest])
  const split = Buffer.concat([JAVA_EXAMPLE.subarray(0, at), hex('77 04 00000010 77 04 00000002'), rest])
  assert.deepEqual(text(decodeOffsetsFile(long, FILE)), [[KEY1, VALUE1], [KEY2, null]])
  assert.deepEqual(text(decodeOffsetsFile(split, FILE)), [[KEY1, VALUE1], [KEY2, null]])
})

test('every truncation of a valid file is an error, never an empty map', () => {
  for (let len = 0; len < JAVA_EXAMPLE.length; len++) {
    assertCorrupt(JAVA_EXAMPLE.subarray(0, len), len === 0 ? /is empty \(0 bytes\)/ : new RegExp(`is truncated: it ends at byte ${len} `))
  }
})

test('a truncated error says what was being read', () => {
  const cut = JAVA_EXAMPLE.indexOf(Buffer.from(KEY1)) + 10
  assertCorrupt(JAVA_EXAMPLE.subarray(0, cut), /ends at byte \d+ while 45 more bytes of the key of entry 1 of 2 \(45 bytes\) were expected at byte \d+/)
})

test('garbage and foreign streams are rejected with the byte offset and what was expected', () => {
  const patch = (at: number, bytes: Buffer): Buffer => {
    const copy = Buffer.from(JAVA_EXAMPLE)
    bytes.copy(copy, at)
    return copy
  }
  assertCorrupt(Buffer.from('{"not":"java"}'), /at byte 0, expected the Java serialisation stream header aced0005, found 7b226e6f: this is not a Java serialised file/)
  assertCorrupt(hex('aced0005 74 0003 616263'), /at byte 4, expected TC_OBJECT \(a java.util.HashMap\), found TC_STRING \(0x74\)/)
  assertCorrupt(patch(8, Buffer.from('java.util.TreeMap')), /at byte 6, expected class java.util.HashMap, found class "java.util.TreeMap"/)
  assertCorrupt(patch(25, hex('0000000000000001')), /at byte 25, expected serialVersionUID 0507dac1c31660d1 for java.util.HashMap, found 0000000000000001/)
  assertCorrupt(patch(33, hex('02')), /at byte 33, expected class flags 0x03 for java.util.HashMap, found 0x02/)
  assertCorrupt(patch(36, Buffer.from('F\u0000\u000aloadFactoX')), /at byte 36, expected field F loadFactor in java.util.HashMap, found "F" "loadFactoX"/)
  const valueAt = JAVA_EXAMPLE.indexOf(hex('75 71 007e0002 0000000f'))
  assertCorrupt(patch(valueAt, hex('74')), new RegExp(`at byte ${valueAt}, expected the value of entry 1 of 2: a byte\\[\\] \\(TC_ARRAY\\), a back-reference \\(TC_REFERENCE\\) or TC_NULL, found TC_STRING`))
  assertCorrupt(patch(valueAt + 2, hex('007e0001')), new RegExp(`at byte ${valueAt + 1}, expected the class descriptor of \\[B, found a back-reference to a map, handle 0x7e0001`))
  assertCorrupt(patch(valueAt, hex('71 007e0009')), new RegExp(`at byte ${valueAt}, expected the value of entry 1 of 2 \\(a byte\\[\\]\\), found a back-reference to unknown handle 0x7e0009`))
  const firstKeyAt = JAVA_EXAMPLE.indexOf(hex('75 72 0002'))
  assertCorrupt(Buffer.concat([JAVA_EXAMPLE.subarray(0, firstKeyAt), hex('70 70 78')]).subarray(0),
    /expected the key of entry 1 of 2 to be a byte\[\], found null/)
  assertCorrupt(patch(JAVA_EXAMPLE.length - 1, hex('79')), /expected TC_ENDBLOCKDATA after 2 entries, found TC_RESET \(0x79\)/)
  assertCorrupt(Buffer.concat([JAVA_EXAMPLE, hex('00')]), new RegExp(`at byte ${JAVA_EXAMPLE.length}, expected the end of the file after the HashMap, found 1 more bytes`))
  assertCorrupt(patch(JAVA_EXAMPLE.indexOf(hex('77 08')), hex('77 09')), /expected 8 bytes of the HashMap capacity and size, found a block of 9 bytes/)
  assertCorrupt(patch(JAVA_EXAMPLE.indexOf(hex('77 08')) + 6, hex('ffffffff')), /illegal HashMap size -1/)
  assertCorrupt(patch(JAVA_EXAMPLE.indexOf(hex('3f400000')), hex('00000000')), /illegal HashMap load factor 0/)
})
