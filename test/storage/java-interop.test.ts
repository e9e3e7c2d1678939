/**
 * The offsets file against the real JDK classes (javac and java must be on PATH): a file written by
 * ObjectOutputStream, as Apache's FileOffsetBackingStore writes it, is resumed by our store, and a file our store
 * wrote is read back by ObjectInputStream with the same entries.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { FileOffsetBackingStore } from '../../src/storage/file-offset-backing-store.ts'
import { decodeOffsetsFile, encodeOffsetsFile, type OffsetsFileEntry } from '../../src/java/serialization.ts'

const SOURCE = fileURLToPath(new URL('./java/OffsetsFileTool.java', import.meta.url))

type TextEntries = Array<[string, string | null]>

function toLines (entries: ReadonlyArray<readonly [Buffer, Buffer | null]>): string {
  return entries.map(([k, v]) => `${k.toString('base64')} ${v === null ? '-null-' : v.toString('base64')}\n`).join('')
}

function bytes (entries: TextEntries): OffsetsFileEntry[] {
  return entries.map(([k, v]) => [Buffer.from(k), v === null ? null : Buffer.from(v)])
}

/** Sorted like the tool's output, so the comparison ignores HashMap order. */
function sorted (entries: ReadonlyArray<readonly [Buffer, Buffer | null]>): string[] {
  return toLines(entries).split('\n').filter(Boolean).sort()
}

/** byte[] contents actually written (not back-references): the first has the [B descriptor, later ones refer to it. */
function arraysWritten (file: Buffer): number {
  const count = (needle: string): number => file.toString('hex').split(needle).length - 1
  return count('7572' + '0002' + Buffer.from('[B').toString('hex')) + count('7571007e0002')
}

test('the offsets file against JDK 17 serialisation', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'offsets-java-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  execFileSync('javac', ['-d', dir, SOURCE])

  const javaWrite = (file: string, entries: TextEntries | OffsetsFileEntry[]): void => {
    const raw = entries.map(([k, v]) => [Buffer.from(k), v === null ? null : Buffer.from(v)] as const)
    execFileSync('java', ['-cp', dir, 'OffsetsFileTool', 'write', file], { input: toLines(raw) })
  }
  const javaRead = (file: string): string[] =>
    execFileSync('java', ['-cp', dir, 'OffsetsFileTool', 'read', file]).toString().split('\n').filter(Boolean)

  await t.test('a file written by Java is resumed: Apache keys, structural lookups, tombstones, big integers, non-ASCII', async () => {
    const file = join(dir, 'from-java.offsets')
    const written: TextEntries = [
      ['["local-file-source",{"filename":"test.txt"}]', '{"position":42}'],
      // Same value bytes: one Java array object, written as a back-reference.
      ['["local-file-source",{"filename":"copy.txt"}]', '{"position":42}'],
      ['["jdbc",{"table":"orders","db":"shop"}]', '{"ts":9007199254740993,"id":7}'],
      ['["other",{"filename":"x"}]', null],
      // Jackson writes non-ASCII as raw UTF-8 but escapes surrogates.
      ['["unicode",{"filename":"caf\u00e9 \\uD83D\\uDE80 \u65e5\u672c.txt"}]', '{"position":5}'],
      ['not a connect key', '{"x":1}']
    ]
    javaWrite(file, written)
    const raw = await readFile(file)
    assert.ok(arraysWritten(raw) < 11, 'the Java file should contain a back-reference to an identical array')
    assert.deepEqual(sorted(decodeOffsetsFile(raw, file)), sorted(bytes(written)))

    const warnings: string[] = []
    const store = new FileOffsetBackingStore(file, { logger: { warn: msg => { warnings.push(msg) } } })
    await store.start()
    assert.deepEqual(store.get('local-file-source', { filename: 'test.txt' }), { position: 42 })
    assert.deepEqual(store.get('local-file-source', { filename: 'copy.txt' }), { position: 42 })
    assert.deepEqual(store.get('jdbc', { db: 'shop', table: 'orders' }), { ts: 9007199254740993n, id: 7 })
    assert.equal(store.get('other', { filename: 'x' }), null)
    assert.deepEqual(store.get('unicode', { filename: 'caf\u00e9 \u{1F680} \u65e5\u672c.txt' }), { position: 5 })
    assert.equal(store.get('local-file-source', { filename: 'nope' }), null)
    assert.equal(warnings.length, 1)
    assert.match(warnings[0]!, /Key: not a connect key/)
  })

  await t.test('a file our store wrote is read by Java with the same entries, Java\'s key bytes kept', async () => {
    const file = join(dir, 'round-trip.offsets')
    javaWrite(file, [
      ['["jdbc",{"table":"orders","db":"shop"}]', '{"id":1}'],
      ['junk', 'kept as is'],
      ['["gone",{"f":"x"}]', null]
    ])
    const store = new FileOffsetBackingStore(file)
    await store.start()
    await store.set('jdbc', [{ partition: { db: 'shop', table: 'orders' }, offset: { id: 2 } }])
    await store.set('local-file-source', [
      { partition: { filename: 'test.txt' }, offset: { position: 9223372036854775807n } },
      { partition: { filename: 'gone.txt' }, offset: null }
    ])
    await store.set('\u00fcn\u00ef', [{ partition: { filename: 'a\u0001b "q" \u{1F680}' }, offset: { position: 3, done: true, note: 'x', r: 0.25 } }])
    // Enough entries for Java's table to grow twice (capacity 64).
    await store.set('many', Array.from({ length: 30 }, (_, i) => ({ partition: { n: i }, offset: { o: i } })))
    await store.stop()

    assert.deepEqual(javaRead(file), sorted(bytes([
      ['["jdbc",{"table":"orders","db":"shop"}]', '{"id":2}'],
      ['junk', 'kept as is'],
      ['["gone",{"f":"x"}]', null],
      ['["local-file-source",{"filename":"test.txt"}]', '{"position":9223372036854775807}'],
      ['["local-file-source",{"filename":"gone.txt"}]', null],
      ['["\u00fcn\u00ef",{"filename":"a\\u0001b \\"q\\" \\uD83D\\uDE80"}]', '{"position":3,"done":true,"note":"x","r":0.25}'],
      ...Array.from({ length: 30 }, (_, i): [string, string] => [`["many",{"n":${i}}]`, `{"o":${i}}`])
    ])))

    // Java's own rewrite of our file is what our store then resumes from.
    const rewritten = join(dir, 'rewritten.offsets')
    javaWrite(rewritten, decodeOffsetsFile(await readFile(file), file))
    const again = new FileOffsetBackingStore(rewritten)
    await again.start()
    assert.deepEqual(again.get('local-file-source', { filename: 'test.txt' }), { position: 9223372036854775807n })
    assert.deepEqual(again.get('\u00fcn\u00ef', { filename: 'a\u0001b "q" \u{1F680}' }), { position: 3, done: true, note: 'x', r: 0.25 })
    assert.deepEqual(again.get('many', { n: 29 }), { o: 29 })
    assert.equal(again.getAll('many').length, 30)
  })

  await t.test('our encoding is byte-identical to Java\'s where HashMap order cannot differ', async () => {
    const single: TextEntries = [['["local-file-source",{"filename":"test.txt"}]', '{"position":42}']]
    const tombstone: TextEntries = [['["c",{"f":"a"}]', null]]
    for (const entries of [[], single, tombstone]) {
      const file = join(dir, 'exact.offsets')
      javaWrite(file, entries)
      assert.deepEqual(encodeOffsetsFile(bytes(entries)), await readFile(file))
    }
    // With more entries only the order may differ: same header (capacity, threshold, size), same length.
    for (const n of [12, 13, 25]) {
      const entries: TextEntries = Array.from({ length: n }, (_, i) => [`["c",{"n":${i}}]`, i % 4 === 0 ? null : `{"o":${i}}`])
      const file = join(dir, `exact-${n}.offsets`)
      javaWrite(file, entries)
      const java = await readFile(file)
      const ours = encodeOffsetsFile(bytes(entries))
      assert.equal(ours.length, java.length)
      assert.deepEqual(ours.subarray(0, 81), java.subarray(0, 81))
      assert.deepEqual(sorted(decodeOffsetsFile(java, file)), sorted(bytes(entries)))
    }
  })

  await t.test('Java reads our back-references to a shared array', async () => {
    const shared = Buffer.from('{"position":1}')
    const file = join(dir, 'shared.offsets')
    const entries: OffsetsFileEntry[] = [[Buffer.from('["c",{"f":"a"}]'), shared], [Buffer.from('["c",{"f":"b"}]'), shared]]
    await writeFile(file, encodeOffsetsFile(entries))
    assert.equal(arraysWritten(await readFile(file)), 3)
    assert.deepEqual(javaRead(file), sorted(entries))
  })
})
