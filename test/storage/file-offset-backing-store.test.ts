import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { OffsetStoreError } from '../../src/api/index.ts'
import { FileOffsetBackingStore } from '../../src/storage/file-offset-backing-store.ts'
import { decodeOffsetsFile, encodeOffsetsFile } from '../../src/storage/java-serialization.ts'

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'offsets-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

test('a missing file is an empty store, and the first write creates parent directories', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'nested', 'deeper', 'connect.offsets')
  const store = new FileOffsetBackingStore(file)
  await store.start()
  assert.equal(store.get('c', { filename: 'a' }), null)
  await store.set('c', [{ partition: { filename: 'a' }, offset: { position: 1 } }])
  const entries = decodeOffsetsFile(await readFile(file), file)
  assert.deepEqual(entries.map(([k, v]) => [k.toString(), v?.toString()]), [['["c",{"filename":"a"}]', '{"position":1}']])
})

test('a truncated file stops start-up with a clear error instead of resetting offsets', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect.offsets')
  const full = encodeOffsetsFile([[Buffer.from('["c",{"filename":"a"}]'), Buffer.from('{"position":10}')]])
  await writeFile(file, full.subarray(0, full.length - 5))
  const store = new FileOffsetBackingStore(file)
  await assert.rejects(store.start(), (err: unknown) => {
    assert.ok(err instanceof OffsetStoreError)
    assert.match(err.message, /connect\.offsets' is corrupt at byte \d+: the file ends early \(truncated/)
    assert.match(err.message, /Move it away to start from scratch, or restore a backup/)
    return true
  })
})

test('a file that is not a Java stream is rejected naming the problem', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect.offsets')
  await writeFile(file, '{"not":"java"}')
  await assert.rejects(new FileOffsetBackingStore(file).start(), /not a Java serialisation stream/)
})

test('writes are atomic: no temporary file is left, and concurrent sets all land', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect.offsets')
  const store = new FileOffsetBackingStore(file)
  await store.start()
  await Promise.all(Array.from({ length: 20 }, async (_, i) =>
    await store.set(`conn-${i % 3}`, [{ partition: { filename: `f${i}` }, offset: { position: i } }])))
  assert.deepEqual(await readdir(dir), ['connect.offsets'])
  const reread = new FileOffsetBackingStore(file)
  await reread.start()
  for (let i = 0; i < 20; i++) assert.deepEqual(reread.get(`conn-${i % 3}`, { filename: `f${i}` }), { position: i })
  assert.equal(reread.getAll('conn-1').length, 7)
})

test('tombstones are kept as null entries, as Apache keeps them', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect.offsets')
  const store = new FileOffsetBackingStore(file)
  await store.set('c', [{ partition: { filename: 'a' }, offset: { position: 5 } }])
  await store.set('c', [{ partition: { filename: 'a' }, offset: null }])
  assert.equal(store.get('c', { filename: 'a' }), null)
  const entries = decodeOffsetsFile(await readFile(file), file)
  assert.equal(entries.length, 1)
  assert.equal(entries[0]![1], null)
})

test('offset values must be primitive', async (t) => {
  const dir = await tempDir(t)
  const store = new FileOffsetBackingStore(join(dir, 'connect.offsets'))
  await assert.rejects(store.set('c', [{ partition: { filename: 'a' }, offset: { nested: { x: 1 } } }]),
    /Offsets may only contain primitive types as values, but field nested contains/)
})
