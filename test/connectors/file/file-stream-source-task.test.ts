/**
 * FileStreamSourceTask driven directly with an in-memory offset reader: line terminators, partial lines, multi-byte
 * UTF-8 with byte positions, resuming, batch.size, very long lines, and prompt stop/abort.
 */
import assert from 'node:assert/strict'
import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { ConfigError, ConnectError, type OffsetMap, type SourceRecord, type SourceTaskContext } from '../../../src/api/index.ts'
import { FILENAME_FIELD, FileStreamSourceTask, POSITION_FIELD } from '../../../connectors/file/file-stream-source-task.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { openFdsTo } from '../../helpers/open-fds.ts'

/** An in-memory offset store keyed by the partition's JSON. */
class MemoryOffsets {
  readonly #map = new Map<string, OffsetMap>()
  set (partition: OffsetMap, offset: OffsetMap): void { this.#map.set(JSON.stringify(partition), offset) }
  context (props: Record<string, string>): SourceTaskContext {
    return {
      configs: () => props,
      offsetStorageReader: () => ({
        offset: partition => this.#map.get(JSON.stringify(partition)) ?? null,
        offsets: partitions => new Map(partitions.map(p => [p, this.#map.get(JSON.stringify(p)) ?? null]))
      })
    }
  }
}

interface Setup {
  file: string
  task: FileStreamSourceTask
  offsets: MemoryOffsets
}

async function setup (t: TestContext, content: string | Buffer | null, extra: Record<string, string> = {}, offsets = new MemoryOffsets()): Promise<Setup> {
  const dir = await mkdtemp(join(tmpdir(), 'file-source-task-'))
  const file = join(dir, 'input.txt')
  if (content !== null) await writeFile(file, content)
  const props = { file, topic: 'lines', ...extra }
  const task = new FileStreamSourceTask()
  task.initialize(offsets.context(props))
  task.start(props)
  t.after(async () => {
    await task.stop()
    await rm(dir, { recursive: true, force: true })
  })
  return { file, task, offsets }
}

/** An already-aborted signal: a poll that finds nothing returns at once instead of idling. */
function noWait (): AbortSignal {
  return AbortSignal.abort()
}

const live = new AbortController().signal

async function pollOnce (task: FileStreamSourceTask): Promise<SourceRecord[]> {
  return (await task.poll(noWait())) ?? []
}

/** Polls until `count` records arrived (or the timeout passed). */
async function pollAll (task: FileStreamSourceTask, count: number): Promise<SourceRecord[]> {
  const out: SourceRecord[] = []
  await waitFor(async () => {
    out.push(...await pollOnce(task))
    return out.length >= count
  }, { timeoutMs: 10000, intervalMs: 1, what: `${count} records` })
  return out
}

const values = (records: readonly SourceRecord[]): unknown[] => records.map(r => r.value)
const positions = (records: readonly SourceRecord[]): unknown[] => records.map(r => r.sourceOffset?.[POSITION_FIELD])


test('lines ending in \\n, \\r\\n and a lone \\r each become a record', async t => {
  const { file, task } = await setup(t, 'one\ntwo\r\nthree\rfour\n\nsix\n')
  const records = await pollAll(task, 6)
  assert.deepEqual(values(records), ['one', 'two', 'three', 'four', '', 'six'])
  assert.deepEqual(positions(records), [4, 9, 15, 20, 21, 25])
  for (const r of records) {
    assert.equal(r.topic, 'lines')
    assert.deepEqual(r.sourcePartition, { [FILENAME_FIELD]: file })
    assert.equal(r.kafkaPartition, null)
    assert.equal(r.valueSchema?.type, 'string')
  }
  assert.deepEqual(await pollOnce(task), [])
})

test('a trailing line without terminator is emitted only once its newline arrives', async t => {
  const { file, task } = await setup(t, 'first\npart')
  assert.deepEqual(values(await pollOnce(task)), ['first'])
  assert.deepEqual(await pollOnce(task), [])
  await appendFile(file, 'ial')
  assert.deepEqual(await pollOnce(task), [])
  await appendFile(file, '\nnext\n')
  const records = await pollAll(task, 2)
  assert.deepEqual(values(records), ['partial', 'next'])
  assert.deepEqual(positions(records), [14, 19])
})

test('a lone \\r at the end of the data is held until the next byte', async t => {
  const { file, task } = await setup(t, 'a\r')
  assert.deepEqual(await pollOnce(task), [], 'the \\r may be the first half of \\r\\n')
  await appendFile(file, '\n')
  const crlf = await pollOnce(task)
  assert.deepEqual(values(crlf), ['a'])
  assert.deepEqual(positions(crlf), [3])

  await appendFile(file, 'b\r')
  assert.deepEqual(await pollOnce(task), [])
  await appendFile(file, 'c\n')
  const lone = await pollAll(task, 2)
  assert.deepEqual(values(lone), ['b', 'c'])
  assert.deepEqual(positions(lone), [5, 7])
})

test('multi-byte UTF-8: values are decoded and position counts bytes', async t => {
  const { task } = await setup(t, 'héllo\n日本語\n😀 ok\r\n')
  const records = await pollAll(task, 3)
  assert.deepEqual(values(records), ['héllo', '日本語', '😀 ok'])
  assert.equal(records[0]!.sourceOffset?.[POSITION_FIELD], 7)
  assert.deepEqual(positions(records), [7, 7 + 10, 7 + 10 + 9])
  assert.equal(Buffer.byteLength('héllo\n日本語\n😀 ok\r\n'), 26)
})

test('a multi-byte character split across appends is decoded whole', async t => {
  const bytes = Buffer.from('日本\n')
  const { file, task } = await setup(t, bytes.subarray(0, 4))
  assert.deepEqual(await pollOnce(task), [])
  await appendFile(file, bytes.subarray(4))
  const records = await pollAll(task, 1)
  assert.deepEqual(values(records), ['日本'])
  assert.deepEqual(positions(records), [7])
})

test('resuming from a stored byte position yields exactly the remaining lines', async t => {
  const content = 'héllo\n日本語\n😀\nzürich\n'
  const offsets = new MemoryOffsets()
  const dir = await mkdtemp(join(tmpdir(), 'file-source-resume-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'input.txt')
  await writeFile(file, content)

  // First run reads two lines; its last offset is what the runtime would have stored.
  const first = new FileStreamSourceTask()
  first.initialize(offsets.context({ file, topic: 't' }))
  first.start({ file, topic: 't', 'batch.size': '2' })
  const firstBatch = await pollOnce(first)
  await first.stop()
  assert.deepEqual(values(firstBatch), ['héllo', '日本語'])
  const last = firstBatch.at(-1)!
  offsets.set(last.sourcePartition!, last.sourceOffset!)
  assert.equal(last.sourceOffset![POSITION_FIELD], Buffer.byteLength('héllo\n日本語\n'))

  const second = new FileStreamSourceTask()
  second.initialize(offsets.context({ file, topic: 't' }))
  second.start({ file, topic: 't' })
  t.after(() => second.stop())
  const rest = await pollAll(second, 2)
  assert.deepEqual(values(rest), ['😀', 'zürich'])
  assert.deepEqual(positions(rest), [Buffer.byteLength(content) - 8, Buffer.byteLength(content)])
  assert.deepEqual(await pollOnce(second), [])
})

test('a stored bigint position is accepted, a non-numeric one is refused', async t => {
  const offsets = new MemoryOffsets()
  const dir = await mkdtemp(join(tmpdir(), 'file-source-offset-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'input.txt')
  await writeFile(file, 'ab\ncd\n')

  offsets.set({ [FILENAME_FIELD]: file }, { [POSITION_FIELD]: 3n })
  const task = new FileStreamSourceTask()
  task.initialize(offsets.context({}))
  task.start({ file, topic: 't' })
  t.after(() => task.stop())
  assert.deepEqual(values(await pollAll(task, 1)), ['cd'])

  offsets.set({ [FILENAME_FIELD]: file }, { [POSITION_FIELD]: 'three' })
  const bad = new FileStreamSourceTask()
  bad.initialize(offsets.context({}))
  bad.start({ file, topic: 't' })
  t.after(() => bad.stop())
  await assert.rejects(bad.poll(noWait()), (err: unknown) =>
    err instanceof ConnectError && err.message === `Offset position is the incorrect type for file '${file}': "three"`)
})

test('batch.size caps the records of one poll', async t => {
  const lines = Array.from({ length: 10 }, (_, i) => `line-${i}`)
  const { task } = await setup(t, lines.join('\n') + '\n', { 'batch.size': '3' })
  const sizes: number[] = []
  const all: SourceRecord[] = []
  while (all.length < 10) {
    const batch = await pollOnce(task)
    assert.ok(batch.length > 0, 'every poll before the end returns records')
    sizes.push(batch.length)
    all.push(...batch)
  }
  assert.deepEqual(sizes, [3, 3, 3, 1])
  assert.deepEqual(values(all), lines)
})

test('an invalid batch.size or a missing topic fails start', () => {
  const task = new FileStreamSourceTask()
  assert.throws(() => task.start({ file: 'x', topic: 't', 'batch.size': '0' }), (err: unknown) =>
    err instanceof ConfigError && err.message === 'Invalid value 0 for configuration batch.size: Value must be at least 1')
  assert.throws(() => task.start({ file: 'x' }), /Missing required configuration "topic"/)
})

test('a very long line arrives intact', async t => {
  const long = 'x'.repeat(3 * 1024 * 1024 - 7) + 'é日😀'
  const { task } = await setup(t, `short\n${long}\nafter\n`)
  const records = await pollAll(task, 3)
  assert.equal(records.length, 3)
  assert.equal(records[0]!.value, 'short')
  assert.equal((records[1]!.value as string).length, long.length)
  assert.ok(records[1]!.value === long, 'the long line is identical')
  assert.equal(records[2]!.value, 'after')
  assert.equal(records[2]!.sourceOffset?.[POSITION_FIELD], 6 + Buffer.byteLength(long) + 1 + 6)
})

test('a missing file is waited for, and read once it appears', async t => {
  const warnings: string[] = []
  t.mock.method(console, 'warn', (msg: string) => { warnings.push(msg) })
  const { file, task } = await setup(t, null)
  assert.equal(await task.poll(noWait()), null)
  assert.ok(warnings.some(w => w.includes(`Couldn't find file ${file}`)), warnings.join('\n'))
  await writeFile(file, 'appeared\n')
  assert.deepEqual(values(await pollAll(task, 1)), ['appeared'])
})

/** Starts a poll that is waiting (for the missing file) and returns it once the task is known to be idle. */
async function pendingPoll (t: TestContext, signal: AbortSignal): Promise<{ task: FileStreamSourceTask, poll: Promise<SourceRecord[] | null> }> {
  let warned = false
  t.mock.method(console, 'warn', () => { warned = true })
  const { task } = await setup(t, null)
  const poll = Promise.resolve(task.poll(signal))
  await waitFor(() => warned, { timeoutMs: 5000, intervalMs: 1, what: 'the task to wait for its file' })
  return { task, poll }
}

/** Resolves with the poll's result, or 'timeout' if it did not settle within `ms` (well below the 1 s idle wait). */
async function settlesWithin<T> (promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>(resolve => { timer = setTimeout(() => resolve('timeout'), ms) })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

test('stop() makes a pending poll return promptly', async t => {
  const { task, poll } = await pendingPoll(t, live)
  await task.stop()
  assert.equal(await settlesWithin(poll, 500), null)
  assert.equal(await task.poll(live), null, 'a stopped task returns null at once')
})

test('aborting the signal makes a pending poll return promptly', async t => {
  const controller = new AbortController()
  const { poll } = await pendingPoll(t, controller.signal)
  controller.abort()
  assert.equal(await settlesWithin(poll, 500), null)
})

test('stop() during an idle wait on an existing file ends the poll and closes the file', async t => {
  const { file, task } = await setup(t, 'only\n')
  assert.deepEqual(values(await pollOnce(task)), ['only'])
  const before = await openFdsTo(file)
  if (before === null) return t.skip('no /proc/self/fd')
  assert.equal(before, 1, 'the task holds the file open')
  const poll = Promise.resolve(task.poll(live))
  await task.stop()
  assert.equal(await poll, null)
  await waitFor(async () => await openFdsTo(file) === 0, { timeoutMs: 5000, intervalMs: 5, what: 'the file to be closed' })
})

test('stop() while the file is being opened leaves no file open', async t => {
  const { file, task } = await setup(t, 'data\n')
  if (await openFdsTo(file) === null) return t.skip('no /proc/self/fd')
  const poll = Promise.resolve(task.poll(live))
  await task.stop()
  assert.equal(await poll, null)
  await waitFor(async () => await openFdsTo(file) === 0, { timeoutMs: 5000, intervalMs: 5, what: 'the file to be closed' })
})

// Beyond Apache: a rotated file is followed as `tail -F` follows it. Apache keeps reading the renamed-away file (or,
// after a restart, applies the old byte position to the new file and silently skips its first lines).
test('a file replaced under its name (rotation by rename) is read from its start once the old one is read to its end', async t => {
  const { file, task } = await setup(t, 'one\ntwo\nunterminated')
  const first = await pollAll(task, 2)
  assert.deepEqual(first.map(r => r.value), ['one', 'two'])
  await rename(file, `${file}.1`)
  await writeFile(file, 'new-a\nnew-b\n')
  const next = await pollAll(task, 3)
  assert.deepEqual(next.map(r => r.value), ['unterminated', 'new-a', 'new-b'], 'the old last line, then the new file from its start')
  assert.deepEqual(next.map(r => r.sourceOffset), [{ [POSITION_FIELD]: 0 }, { [POSITION_FIELD]: 6 }, { [POSITION_FIELD]: 12 }], 'positions count in the new file')
})

test('a file truncated in place (copytruncate) is read again from its start', async t => {
  const { file, task } = await setup(t, 'aaaa\nbbbb\ncccc\n')
  assert.equal((await pollAll(task, 3)).length, 3)
  await truncate(file, 0)
  await appendFile(file, 'x\n')
  const next = await pollAll(task, 1)
  assert.deepEqual(next.map(r => [r.value, r.sourceOffset]), [['x', { [POSITION_FIELD]: 2 }]])
})

test('a stored position past the end of the file (replaced while stopped) reads the file from its start', async t => {
  const offsets = new MemoryOffsets()
  const dir = await mkdtemp(join(tmpdir(), 'file-source-task-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  offsets.set({ [FILENAME_FIELD]: join(dir, 'input.txt') }, { [POSITION_FIELD]: 1000 })
  await writeFile(join(dir, 'input.txt'), 'fresh\nlines\n')
  const props = { file: join(dir, 'input.txt'), topic: 'lines' }
  const task = new FileStreamSourceTask()
  task.initialize(offsets.context(props))
  task.start(props)
  t.after(() => task.stop())
  assert.deepEqual((await pollAll(task, 2)).map(r => r.value), ['fresh', 'lines'])
})
