import assert from 'node:assert/strict'
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { DataError, OffsetStoreError } from '../../src/api/errors.ts'
import { FileOffsetBackingStore } from '../../src/storage/file-offset-backing-store.ts'
import { decodeOffsetsFile, encodeOffsetsFile, type OffsetsFileEntry } from '../../src/java/serialization.ts'

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'offsets-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

function entries (...pairs: Array<[string, string | null]>): OffsetsFileEntry[] {
  return pairs.map(([k, v]) => [Buffer.from(k), v === null ? null : Buffer.from(v)])
}

async function fileEntries (file: string): Promise<Array<[string, string | null]>> {
  return decodeOffsetsFile(await readFile(file), file).map(([k, v]) => [k.toString('utf8'), v === null ? null : v.toString('utf8')])
}

function collectingLogger (): { warn (msg: string): void, messages: string[] } {
  const messages: string[] = []
  return { messages, warn: (msg: string) => { messages.push(msg) } }
}

test('a missing file is an empty store, and the first write creates parent directories', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'nested', 'deeper', 'connect.offsets')
  const store = new FileOffsetBackingStore(file)
  await store.start()
  assert.equal(store.get('c', { filename: 'a' }), null)
  assert.deepEqual(store.getAll('c'), [])
  await store.set('c', [{ partition: { filename: 'a' }, offset: { position: 1 } }])
  assert.deepEqual(await fileEntries(file), [['["c",{"filename":"a"}]', '{"position":1}']])
  await store.stop()
})

test('round trip through the file: structural lookups, bigint offsets, other connectors', async (t) => {
  const file = join(await tempDir(t), 'connect.offsets')
  const store = new FileOffsetBackingStore(file)
  await store.start()
  await store.set('jdbc', [
    { partition: { table: 'orders', db: 'shop' }, offset: { ts: 9223372036854775807n, id: 7, note: 'caf\u00e9 \u{1F680}' } },
    { partition: { table: 'items', db: 'shop' }, offset: { ts: 1, ratio: 0.5, done: true, none: null } }
  ])
  await store.set('file', [{ partition: { filename: '/tmp/a' }, offset: { position: 12 } }])
  await store.stop()

  const reread = new FileOffsetBackingStore(file)
  await reread.start()
  assert.deepEqual(reread.get('jdbc', { db: 'shop', table: 'orders' }), { ts: 9223372036854775807n, id: 7, note: 'caf\u00e9 \u{1F680}' })
  assert.deepEqual(reread.get('jdbc', { db: 'shop', table: 'items' }), { ts: 1, ratio: 0.5, done: true, none: null })
  assert.deepEqual(reread.get('file', { filename: '/tmp/a' }), { position: 12 })
  assert.equal(reread.get('file', { filename: '/tmp/b' }), null)
  assert.equal(reread.get('other', { filename: '/tmp/a' }), null)
  assert.deepEqual(reread.getAll('jdbc').map(e => e.partition), [{ table: 'orders', db: 'shop' }, { table: 'items', db: 'shop' }])
  assert.deepEqual(reread.getAll('file'), [{ partition: { filename: '/tmp/a' }, offset: { position: 12 } }])
})

test('get answers with what a restart would read, and callers cannot change the stored offsets', async (t) => {
  const file = join(await tempDir(t), 'connect.offsets')
  const store = new FileOffsetBackingStore(file)
  const offset = { position: 5n, raw: new Uint8Array([1, 2]), odd: NaN }
  await store.set('c', [{ partition: { f: 'a' }, offset }])
  const got = store.get('c', { f: 'a' })!
  assert.deepEqual(got, { position: 5, raw: 'AQI=', odd: 'NaN' })
  got.position = 99
  offset.position = 99n
  assert.deepEqual(store.get('c', { f: 'a' }), { position: 5, raw: 'AQI=', odd: 'NaN' })
  // A bytes partition field is stored as base64, and found both ways (Apache's byte-exact lookup finds it too).
  await store.set('c', [{ partition: { id: new Uint8Array([1, 2]) }, offset: { position: 1 } }])
  assert.deepEqual(store.get('c', { id: new Uint8Array([1, 2]) }), { position: 1 })
  assert.deepEqual(store.get('c', { id: 'AQI=' }), { position: 1 })
  assert.deepEqual(store.getAll('c')[1], { partition: { id: 'AQI=' }, offset: { position: 1 } })
})

test('an update keeps the stored key bytes, whatever the field order of the new partition', async (t) => {
  const file = join(await tempDir(t), 'connect.offsets')
  await writeFile(file, encodeOffsetsFile(entries(['["jdbc",{"table":"orders","db":"shop"}]', '{"id":1}'])))
  const store = new FileOffsetBackingStore(file)
  await store.start()
  await store.set('jdbc', [{ partition: { db: 'shop', table: 'orders' }, offset: { id: 2 } }])
  assert.deepEqual(await fileEntries(file), [['["jdbc",{"table":"orders","db":"shop"}]', '{"id":2}']])
  assert.deepEqual(store.getAll('jdbc'), [{ partition: { table: 'orders', db: 'shop' }, offset: { id: 2 } }])
})

test('tombstones are kept as null values, as Apache keeps them, and leave getAll', async (t) => {
  const file = join(await tempDir(t), 'connect.offsets')
  const store = new FileOffsetBackingStore(file)
  await store.set('c', [{ partition: { filename: 'a' }, offset: { position: 5 } }, { partition: { filename: 'b' }, offset: { position: 6 } }])
  await store.set('c', [{ partition: { filename: 'a' }, offset: null }, { partition: { filename: 'never' }, offset: null }])
  assert.equal(store.get('c', { filename: 'a' }), null)
  assert.deepEqual(store.getAll('c'), [{ partition: { filename: 'b' }, offset: { position: 6 } }])
  assert.deepEqual(await fileEntries(file), [
    ['["c",{"filename":"a"}]', null],
    ['["c",{"filename":"b"}]', '{"position":6}'],
    ['["c",{"filename":"never"}]', null]
  ])
  const reread = new FileOffsetBackingStore(file)
  await reread.start()
  assert.equal(reread.get('c', { filename: 'a' }), null)
  assert.deepEqual(reread.getAll('c'), [{ partition: { filename: 'b' }, offset: { position: 6 } }])
})

test('entries Apache ignores are kept byte for byte; unreadable offsets read as null with a warning', async (t) => {
  const file = join(await tempDir(t), 'connect.offsets')
  const stored: OffsetsFileEntry[] = [
    [Buffer.from('junk'), Buffer.from('kept as is')],
    [Buffer.from('["c",null]'), Buffer.from('{"x":1}')],
    [Buffer.from([0xff, 0xfe]), null],
    [Buffer.from('["c",{"f":"bad"}]'), Buffer.from('{"nested":{"x":1}}')],
    [Buffer.from('["c",{"f":"ok"}]'), Buffer.from('{"position":1}')]
  ]
  await writeFile(file, encodeOffsetsFile(stored))
  const logger = collectingLogger()
  const store = new FileOffsetBackingStore(file, { logger })
  await store.start()
  assert.equal(logger.messages.length, 3, logger.messages.join('\n'))
  assert.match(logger.messages[0]!, /whose key is not \["<connector>",\{partition\}\]: it is not valid UTF-8 JSON .*Key: junk/)
  assert.match(logger.messages[1]!, /whose key is not .*not valid UTF-8 JSON/)
  assert.match(logger.messages[2]!, /Cannot decode the stored offset of \["c",\{"f":"bad"\}\].*field nested contains MAP/)
  assert.equal(store.get('c', { f: 'bad' }), null)
  assert.deepEqual(store.getAll('c'), [{ partition: { f: 'bad' }, offset: null }, { partition: { f: 'ok' }, offset: { position: 1 } }])
  await store.set('c', [{ partition: { f: 'ok' }, offset: { position: 2 } }])
  const after = decodeOffsetsFile(await readFile(file), file)
  assert.deepEqual(after, [...stored.slice(0, 4), [Buffer.from('["c",{"f":"ok"}]'), Buffer.from('{"position":2}')]])
})

test('byte-different keys of the same partition are all kept and all updated', async (t) => {
  const file = join(await tempDir(t), 'connect.offsets')
  await writeFile(file, encodeOffsetsFile(entries(['["c",{"a":1,"b":2}]', '{"p":1}'], ['["c",{"b":2,"a":1}]', '{"p":2}'])))
  const logger = collectingLogger()
  const store = new FileOffsetBackingStore(file, { logger })
  await store.start()
  assert.match(logger.messages.join('\n'), /holds 2 differently written keys for the same partition/)
  assert.deepEqual(store.get('c', { b: 2, a: 1 }), { p: 1 })
  await store.set('c', [{ partition: { a: 1, b: 2 }, offset: { p: 3 } }])
  assert.deepEqual(await fileEntries(file), [['["c",{"a":1,"b":2}]', '{"p":3}'], ['["c",{"b":2,"a":1}]', '{"p":3}']])
})

test('a truncated file stops start-up with a clear error instead of resetting offsets', async (t) => {
  const file = join(await tempDir(t), 'connect.offsets')
  const full = encodeOffsetsFile(entries(['["c",{"filename":"a"}]', '{"position":10}']))
  await writeFile(file, full.subarray(0, full.length - 5))
  const store = new FileOffsetBackingStore(file)
  await assert.rejects(store.start(), (err: unknown) => {
    assert.ok(err instanceof OffsetStoreError)
    assert.ok(err.message.includes(`Offsets file '${file}' is truncated: it ends at byte ${full.length - 5}`), err.message)
    assert.match(err.message, /move it away to start from scratch, or restore a backup/)
    assert.ok(err.cause instanceof OffsetStoreError)
    return true
  })
  // The file is left alone for the operator.
  assert.deepEqual(await readFile(file), full.subarray(0, full.length - 5))
  await writeFile(file, '')
  await assert.rejects(new FileOffsetBackingStore(file).start(), /is empty \(0 bytes\).*move it away/)
})

test('a file that is not a Java stream is rejected naming the problem', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect.offsets')
  await writeFile(file, '{"not":"java"}')
  await assert.rejects(new FileOffsetBackingStore(file).start(),
    /Offsets file '.*connect\.offsets' is not a valid offsets file: at byte 0, expected the Java serialisation stream header.*move it away/)
  await assert.rejects(new FileOffsetBackingStore(dir).start(), (err: unknown) =>
    err instanceof OffsetStoreError && err.message.startsWith(`Cannot read the source offsets file '${dir}'`))
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

test('two sets without awaiting in between both land, and stop waits for them', async (t) => {
  const file = join(await tempDir(t), 'connect.offsets')
  const store = new FileOffsetBackingStore(file)
  const first = store.set('a', [{ partition: { p: 1 }, offset: { o: 1 } }])
  const second = store.set('b', [{ partition: { p: 2 }, offset: { o: 2 } }])
  const third = store.set('a', [{ partition: { p: 1 }, offset: { o: 3 } }])
  await store.stop()
  assert.deepEqual(await fileEntries(file), [['["a",{"p":1}]', '{"o":3}'], ['["b",{"p":2}]', '{"o":2}']])
  await Promise.all([first, second, third])
})

test('a failed write is an OffsetStoreError, leaves no temporary file, and the offsets stay for the next write', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect.offsets')
  await mkdir(file) // a directory where the file should be: rename fails
  const store = new FileOffsetBackingStore(file)
  await assert.rejects(store.set('c', [{ partition: { f: 'a' }, offset: { position: 1 } }]), (err: unknown) =>
    err instanceof OffsetStoreError && err.message.startsWith(`Cannot write the source offsets file '${file}'`))
  assert.deepEqual(await readdir(dir), ['connect.offsets'])
  assert.deepEqual(store.get('c', { f: 'a' }), { position: 1 })
  await rm(file, { recursive: true })
  await store.set('c', [{ partition: { f: 'b' }, offset: { position: 2 } }])
  assert.deepEqual(await fileEntries(file), [['["c",{"f":"a"}]', '{"position":1}'], ['["c",{"f":"b"}]', '{"position":2}']])
})

test('an invalid offset rejects the whole set() and changes nothing', async (t) => {
  const file = join(await tempDir(t), 'connect.offsets')
  const store = new FileOffsetBackingStore(file)
  await assert.rejects(store.set('c', [
    { partition: { f: 'a' }, offset: { position: 1 } },
    { partition: { f: 'b' }, offset: { nested: { x: 1 } } }
  ]), (err: unknown) => err instanceof DataError && /^Offsets may only contain primitive types as values, but field nested contains MAP$/.test(err.message))
  await assert.rejects(store.set('c', [{ partition: { f: ['x'] }, offset: { position: 1 } }]), /but field f contains ARRAY/)
  assert.equal(store.get('c', { f: 'a' }), null)
  await assert.rejects(stat(file), { code: 'ENOENT' })
})

test('rewrites keep the file mode and write through a symlink', async (t) => {
  const dir = await tempDir(t)
  const real = join(dir, 'real.offsets')
  const link = join(dir, 'connect.offsets')
  await writeFile(real, encodeOffsetsFile([]))
  await chmod(real, 0o600)
  await symlink(real, link)
  const store = new FileOffsetBackingStore(link)
  await store.start()
  await store.set('c', [{ partition: { f: 'a' }, offset: { position: 1 } }])
  assert.ok((await lstat(link)).isSymbolicLink())
  assert.equal((await stat(real)).mode & 0o777, 0o600)
  assert.deepEqual(await fileEntries(real), [['["c",{"f":"a"}]', '{"position":1}']])
  assert.deepEqual((await readdir(dir)).sort(), ['connect.offsets', 'real.offsets'])
})

test('temporary files left by writes a SIGKILL interrupted are removed at start, with a warning; the file is kept', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'connect.offsets')
  const first = new FileOffsetBackingStore(file)
  await first.start()
  await first.set('c', [{ partition: { filename: 'a' }, offset: { position: 7 } }])
  await first.stop()
  // What a kill between open() and rename() leaves: a partial copy named after the file, the pid and a counter.
  await writeFile(join(dir, 'connect.offsets.tmp-4242-17'), 'partial')
  await writeFile(join(dir, 'connect.offsets.tmp-4243-1'), '')
  await writeFile(join(dir, 'connect.offsets.tmp-notes'), 'not ours')
  await writeFile(join(dir, 'other.offsets.tmp-4242-3'), 'another file\'s')
  const logger = collectingLogger()
  const store = new FileOffsetBackingStore(file, { logger })
  await store.start()
  assert.deepEqual((await readdir(dir)).sort(), ['connect.offsets', 'connect.offsets.tmp-notes', 'other.offsets.tmp-4242-3'])
  assert.deepEqual(store.get('c', { filename: 'a' }), { position: 7 })
  assert.equal(logger.messages.length, 1)
  assert.match(logger.messages[0]!, /^Removed 2 temporary file\(s\) an interrupted write of the source offsets file '.*connect\.offsets' left behind \(connect\.offsets\.tmp-4242-17, connect\.offsets\.tmp-4243-1\)/)
  await store.stop()
})
