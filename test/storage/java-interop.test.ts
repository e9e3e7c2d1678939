/**
 * The offsets file against the real Java classes: a file written by ObjectOutputStream (as Apache's
 * FileOffsetBackingStore writes it) is resumed by our store, and a file our store wrote is read back by Java's
 * ObjectInputStream with the same entries.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { before, after, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { FileOffsetBackingStore } from '../../src/storage/file-offset-backing-store.ts'

let dir = ''
const SOURCE = fileURLToPath(new URL('./java/OffsetsFileTool.java', import.meta.url))

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'offsets-java-'))
  execFileSync('javac', ['-d', dir, SOURCE])
})
after(async () => { await rm(dir, { recursive: true, force: true }) })

function javaWrite (file: string, entries: Array<[string, string | null]>): void {
  const input = entries.map(([k, v]) => `${Buffer.from(k).toString('base64')} ${v === null ? '-null-' : Buffer.from(v).toString('base64')}`).join('\n') + '\n'
  execFileSync('java', ['-cp', dir, 'OffsetsFileTool', 'write', file], { input })
}

function javaRead (file: string): Map<string, string | null> {
  const out = execFileSync('java', ['-cp', dir, 'OffsetsFileTool', 'read', file]).toString()
  const map = new Map<string, string | null>()
  for (const line of out.split('\n').filter(Boolean)) {
    const [k, v] = line.split(' ') as [string, string]
    map.set(Buffer.from(k, 'base64').toString('utf8'), v === '-null-' ? null : Buffer.from(v, 'base64').toString('utf8'))
  }
  return map
}

test('a file written by Java is resumed: structural lookups, tombstones, big integers, non-ASCII', async () => {
  const file = join(dir, 'from-java.offsets')
  javaWrite(file, [
    ['["local-file-source",{"filename":"test.txt"}]', '{"position":42}'],
    ['["jdbc",{"table":"orders","db":"shop"}]', '{"ts":9007199254740993,"id":7}'],
    ['["other",{"filename":"x"}]', null],
    ['["unicode",{"filename":"caf\\u00E9 \\uD83D\\uDE80.txt"}]', '{"position":5}'],
    ['not a connect key', '{"x":1}']
  ])
  const store = new FileOffsetBackingStore(file)
  await store.start()
  assert.deepEqual(store.get('local-file-source', { filename: 'test.txt' }), { position: 42 })
  // Field order does not matter for lookups.
  assert.deepEqual(store.get('jdbc', { db: 'shop', table: 'orders' }), { ts: 9007199254740993n, id: 7 })
  assert.equal(store.get('other', { filename: 'x' }), null)
  assert.deepEqual(store.get('unicode', { filename: 'café 🚀.txt' }), { position: 5 })
  assert.equal(store.get('local-file-source', { filename: 'nope' }), null)
})

test('a file written by our store is read by Java with the same entries, keeping Java\'s key bytes', async () => {
  const file = join(dir, 'round-trip.offsets')
  javaWrite(file, [['["jdbc",{"table":"orders","db":"shop"}]', '{"id":1}'], ['junk', 'kept as is']])
  const store = new FileOffsetBackingStore(file)
  await store.start()
  await store.set('jdbc', [{ partition: { db: 'shop', table: 'orders' }, offset: { id: 2 } }])
  await store.set('local-file-source', [
    { partition: { filename: 'test.txt' }, offset: { position: 9223372036854775807n } },
    { partition: { filename: 'gone.txt' }, offset: null }
  ])
  await store.set('ünï', [{ partition: { filename: 'a\u0001b "q" 🚀' }, offset: { position: 3, done: true, note: 'x' } }])
  await store.stop()
  const read = javaRead(file)
  assert.deepEqual(read, new Map<string, string | null>([
    ['junk', 'kept as is'],
    // Java looks keys up byte for byte: the stored key keeps Java's field order.
    ['["jdbc",{"table":"orders","db":"shop"}]', '{"id":2}'],
    ['["local-file-source",{"filename":"test.txt"}]', '{"position":9223372036854775807}'],
    ['["local-file-source",{"filename":"gone.txt"}]', null],
    ['["ünï",{"filename":"a\\u0001b \\"q\\" \\uD83D\\uDE80"}]', '{"position":3,"done":true,"note":"x"}']
  ]))

  // And our own store reads back what it wrote.
  const again = new FileOffsetBackingStore(file)
  await again.start()
  assert.deepEqual(again.get('local-file-source', { filename: 'test.txt' }), { position: 9223372036854775807n })
  assert.deepEqual(again.get('ünï', { filename: 'a\u0001b "q" 🚀' }), { position: 3, done: true, note: 'x' })
})
