/**
 * FileStreamSinkTask: one rendered value per line, appended; flush() leaves the data on disk; stop() closes the file.
 * Special files (/dev/null, a FIFO) have nothing to sync: flush() and so every commit must still succeed there.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { ConnectError, sinkRecord, type SinkRecord } from '../../../src/api/index.ts'
import { FileStreamSinkTask } from '../../../connectors/file/file-stream-sink-task.ts'
import { openFdsTo } from '../../helpers/open-fds.ts'

async function tempFile (t: TestContext, content?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'file-sink-task-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'out.txt')
  if (content !== undefined) await writeFile(file, content)
  return file
}

let offset = 0
function rec (value: unknown): SinkRecord {
  return sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: offset++, value })
}


async function startTask (t: TestContext, file: string): Promise<FileStreamSinkTask> {
  const task = new FileStreamSinkTask()
  await task.start({ file })
  t.after(() => task.stop())
  return task
}

test('values are written one per line, rendered like Java', async t => {
  const file = await tempFile(t)
  const task = await startTask(t, file)
  await task.put([
    rec('plain'),
    rec(42),
    rec(null),
    rec(9007199254740993n),
    rec(true),
    rec(['a', 'b']),
    rec(new Map([['k', 'v']])),
    rec(0.5),
    rec('日本語 😀')
  ])
  await task.flush([])
  assert.equal(await readFile(file, 'utf8'), 'plain\n42\nnull\n9007199254740993\ntrue\n[a, b]\n{k=v}\n0.5\n日本語 😀\n')
})

test('flush() leaves every batch on disk, appended to existing content', async t => {
  const file = await tempFile(t, 'existing\n')
  const task = await startTask(t, file)
  await task.put([rec('one'), rec('two')])
  await task.put([])
  await task.put([rec('three')])
  await task.flush([{ topic: 't', partition: 0, offset: 3 }])
  assert.equal(await readFile(file, 'utf8'), 'existing\none\ntwo\nthree\n')
  const committed = await task.preCommit([{ topic: 't', partition: 0, offset: 3 }])
  assert.deepEqual(committed, [{ topic: 't', partition: 0, offset: 3 }])
})

test('the file is created when it does not exist', async t => {
  const file = await tempFile(t)
  const task = await startTask(t, file)
  await task.put([rec('x')])
  await task.flush([])
  assert.equal(await readFile(file, 'utf8'), 'x\n')
})

test('stop() closes the file after writing everything', async t => {
  const file = await tempFile(t)
  const task = new FileStreamSinkTask()
  await task.start({ file })
  await task.put([rec('last')])
  const open = await openFdsTo(file)
  if (open !== null) assert.equal(open, 1, 'the task holds the file open')
  await task.stop()
  assert.equal(await readFile(file, 'utf8'), 'last\n')
  if (open !== null) assert.equal(await openFdsTo(file), 0, 'the file is closed')
  await task.stop()
})

test('an unwritable file fails start with a ConnectError naming it', async t => {
  const file = join(await tempFile(t), 'no-such-dir', 'out.txt')
  const task = new FileStreamSinkTask()
  await assert.rejects(task.start({ file }), (err: unknown) =>
    err instanceof ConnectError && err.message === `Couldn't find or create file '${file}' for FileStreamSinkTask`)
})

test('a sink to /dev/null commits: flush() does not sync a character device', async t => {
  const task = await startTask(t, '/dev/null')
  await task.put([rec('gone'), rec('too')])
  await task.flush([{ topic: 't', partition: 0, offset: 2 }])
  assert.deepEqual(await task.preCommit([{ topic: 't', partition: 0, offset: 2 }]), [{ topic: 't', partition: 0, offset: 2 }])
  await task.stop()
})

test('a sink to a FIFO commits and its reader gets every line', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'file-sink-fifo-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const fifo = join(dir, 'pipe')
  execFileSync('mkfifo', [fifo])
  // The reader opens first (a FIFO's writer waits for one), and reads until the writer closes.
  const received = new Promise<string>((resolve, reject) => {
    let text = ''
    createReadStream(fifo, 'utf8').on('data', d => { text += String(d) }).on('end', () => resolve(text)).on('error', reject)
  })
  const task = new FileStreamSinkTask()
  await task.start({ file: fifo })
  let stopped = false
  t.after(async () => { if (!stopped) await task.stop() })
  await task.put([rec('one'), rec('two')])
  await task.flush([{ topic: 't', partition: 0, offset: 2 }])
  assert.deepEqual(await task.preCommit([{ topic: 't', partition: 0, offset: 2 }]), [{ topic: 't', partition: 0, offset: 2 }])
  await task.stop()
  stopped = true
  assert.equal(await received, 'one\ntwo\n')
})
