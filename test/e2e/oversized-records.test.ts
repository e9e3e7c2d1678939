/**
 * A source record larger than the producer's limit (max.request.size): librdkafka refuses it inside produce(), not in
 * a delivery report, and that refusal must still follow errors.tolerance (KIP-779): skipped and reported under `all`,
 * the task failed under `none`, both with a message naming the size and the setting to raise.
 */
import assert from 'node:assert/strict'
import { appendFile, mkdtemp, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { consumeAll, createTopic, kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'
import { spawnCli, type CliProcess } from '../helpers/cli.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { workerProperties } from '../helpers/worker-file.ts'

async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

interface Setup { dir: string, worker: string, port: number, input: string, topic: string }

async function setup (t: TestContext, prefix: string): Promise<Setup> {
  const dir = await mkdtemp(join(tmpdir(), 'oversized-'))
  t.after(async () => { await removeDir(dir) })
  const port = await freePort()
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, workerProperties(dir, kafkaBootstrap(), [`listeners=http://127.0.0.1:${port}`]))
  const topic = uniqueTopic(prefix)
  await createTopic(topic, 1)
  return { dir, worker, port, input: join(dir, 'in.txt'), topic }
}

async function taskOf (port: number, name: string): Promise<{ state: string, trace?: string } | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/connectors/${name}/status`)
    if (!res.ok) return null
    const body = await res.json() as { tasks: Array<{ state: string, trace?: string }> }
    return body.tasks[0] ?? null
  } catch {
    return null
  }
}

function start (t: TestContext, args: string[]): CliProcess {
  const cli = spawnCli(args)
  t.after(() => cli.kill('SIGKILL'))
  return cli
}

/** 20,000 bytes: twice the producer.override.max.request.size the tests set. */
const BIG = 'x'.repeat(20000)
const REFUSAL = /The record is 20,000 bytes, more than the producer's max\.request\.size \(10,000\): raise producer\.override\.max\.request\.size \(and the topic's max\.message\.bytes\)/

test('tolerance all: a line above producer.override.max.request.size is skipped and reported with its size and the setting; the rest arrive, the task runs, and a restart does not read it again', { timeout: 180000 }, async (t) => {
  const s = await setup(t, 'oversized-all')
  const dlq = `${s.topic}-dlq`
  await writeFile(s.input, ['one', 'two', BIG, 'three', 'four'].join('\n') + '\n')
  const source = join(s.dir, 'source.properties')
  await writeFile(source, [
    'name=big-all', 'connector.class=FileStreamSource', `file=${s.input}`, `topic=${s.topic}`,
    'producer.override.max.request.size=10000',
    'errors.tolerance=all', 'errors.log.enable=true',
    // The dead-letter queue's producer has the same limit: its refusal of the same record is reported, not fatal.
    'errors.deadletterqueue.source.enable=true', `errors.deadletterqueue.topic.name=${dlq}`,
    'errors.deadletterqueue.topic.replication.factor=1', 'errors.deadletterqueue.context.headers.enable=true'
  ].join('\n') + '\n')
  const cli = start(t, [s.worker, source])
  const records = await consumeAll(s.topic, 4, 60000)
  assert.deepEqual(records.map(r => r.value?.toString()), ['one', 'two', 'three', 'four'])
  await cli.waitForOutput(/Error encountered in task big-all-0\. Executing stage 'KAFKA_PRODUCE'/)
  await cli.waitForOutput(REFUSAL)
  // Which record, in the source's terms.
  await cli.waitForOutput(new RegExp(`sourcePartition=\\{filename=${s.input.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\}`))
  await cli.waitForOutput(/Could not produce message to dead letter queue\. topic=\S+-dlq[\s\S]*bytes, more than the producer's max\.request\.size \(10,000\)/)
  const task = await waitFor(async () => await taskOf(s.port, 'big-all'), { what: 'the task status' })
  assert.equal(task.state, 'RUNNING')
  // A line after the refused one is still sent: the task did not stop at it.
  await appendFile(s.input, 'five\n')
  const more = await consumeAll(s.topic, 5, 60000)
  assert.equal(more[4]!.value?.toString(), 'five')
  cli.kill('SIGTERM')
  await cli.exited

  // Restarted, it goes on after the last line: the refused record's offset was committed with the others.
  await appendFile(s.input, 'six\n')
  const again = start(t, [s.worker, source])
  const all = await consumeAll(s.topic, 6, 60000)
  assert.deepEqual(all.map(r => r.value?.toString()), ['one', 'two', 'three', 'four', 'five', 'six'])
  await assert.rejects(consumeAll(s.topic, 7, 3000), 'nothing is sent twice')
  assert.doesNotMatch(again.stdout + again.stderr, /The record is 20,000 bytes/, 'the refused line is not read again')
})

test('tolerance none: a line above producer.override.max.request.size fails the task with its size and the setting in the trace', { timeout: 180000 }, async (t) => {
  const s = await setup(t, 'oversized-none')
  await writeFile(s.input, ['before', BIG, 'after'].join('\n') + '\n')
  const source = join(s.dir, 'source.properties')
  await writeFile(source, [
    'name=big-none', 'connector.class=FileStreamSource', `file=${s.input}`, `topic=${s.topic}`,
    'producer.override.max.request.size=10000'
  ].join('\n') + '\n')
  const cli = start(t, [s.worker, source])
  const failed = await waitFor(async () => {
    const task = await taskOf(s.port, 'big-none')
    return task?.state === 'FAILED' ? task : null
  }, { timeoutMs: 60000, what: 'the task to fail' })
  assert.match(failed.trace ?? '', REFUSAL)
  assert.match(failed.trace ?? '', /topic=\S+ sourcePartition=\{filename=\S+in\.txt\} sourceOffset=\{position=\d+\}/, 'the record is named by its source offset')
  // The refused record is not waited for at the stop (it never will be acknowledged): no offset.flush.timeout.ms wait.
  assert.doesNotMatch(cli.stdout + cli.stderr, /records were not acknowledged within offset\.flush\.timeout\.ms/)
  const records = await consumeAll(s.topic, 1, 60000)
  assert.deepEqual(records.map(r => r.value?.toString()), ['before'])
  cli.kill('SIGTERM')
  await cli.exited
  await assert.rejects(consumeAll(s.topic, 2, 3000), 'nothing after the refused record was sent')

  // Restarted, it goes on from the refused record: 'before' was committed, the refused record was not.
  const again = start(t, [s.worker, source])
  const failedAgain = await waitFor(async () => {
    const task = await taskOf(s.port, 'big-none')
    return task?.state === 'FAILED' ? task : null
  }, { timeoutMs: 60000, what: 'the task to fail again after a restart' })
  assert.match(failedAgain.trace ?? '', REFUSAL)
  again.kill('SIGTERM')
  await again.exited
  await assert.rejects(consumeAll(s.topic, 2, 3000), '\'before\' is not sent again')
})

test('beyond Apache: with errors.log.enable off, a tolerated refusal still warns with the size and the setting, at most once per 10 s', { timeout: 180000 }, async (t) => {
  const s = await setup(t, 'oversized-warn')
  await writeFile(s.input, ['one', BIG, BIG, 'two'].join('\n') + '\n')
  const source = join(s.dir, 'source.properties')
  await writeFile(source, [
    'name=big-warn', 'connector.class=FileStreamSource', `file=${s.input}`, `topic=${s.topic}`,
    'producer.override.max.request.size=10000', 'errors.tolerance=all'
  ].join('\n') + '\n')
  const cli = start(t, [s.worker, source])
  const records = await consumeAll(s.topic, 2, 60000)
  assert.deepEqual(records.map(r => r.value?.toString()), ['one', 'two'])
  // 'two' was sent after both refusals were handled (in order): the log holds all it will say about them.
  await cli.waitForOutput(/Skipped a record the producer refused/)
  const output = cli.stdout + cli.stderr
  const warnings = output.match(/WARN .*Skipped a record the producer refused, as errors\.tolerance=all asks: .*/g) ?? []
  assert.equal(warnings.length, 1, output.slice(-3000))
  assert.match(warnings[0]!, REFUSAL)
  assert.match(warnings[0]!, /record topic=\S+ sourcePartition=\{filename=\S+in\.txt\} sourceOffset=\{position=20005\}/)
  assert.doesNotMatch(output, /Error encountered in task/, 'no log reporter without errors.log.enable')
})
