/**
 * WorkerSinkTask's failure paths, through the real CLI on the real broker, with a sink plugin that misbehaves on
 * purpose (fixtures/misbehaving-sink.ts, loaded through plugin.path). Expected behaviours are Apache's WorkerSinkTask:
 * - put() throwing a RetriableException: the same batch is delivered again after context.timeout(), and no offset
 *   is committed past it meanwhile;
 * - put() throwing anything else: the task is FAILED with the exception in its trace, nothing past the last flushed
 *   batch is committed;
 * - preCommit() returning fewer offsets than were put: only those are committed to the group;
 * - the errant record reporter: the record goes to the dead-letter queue (tolerance all) and delivery goes on, or the
 *   task fails once put() returns (tolerance none).
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { RdKafkaGroupOffsets } from '../../src/kafka/consumer-group-offsets.ts'
import { consumeAll, createTopic, kafkaBootstrap, produceMessages, uniqueTopic } from '../harness/kafka.ts'
import { spawnCli, type CliProcess } from '../helpers/cli.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { workerProperties } from '../helpers/worker-file.ts'

const PLUGIN = fileURLToPath(new URL('./fixtures/misbehaving-sink.ts', import.meta.url))

interface Run { cli: CliProcess, port: number, output: string, dir: string, name: string }

interface TaskStatus { state: string, trace?: string }

async function lines (file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter(l => l !== '')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

/** Starts the CLI with one misbehaving sink on `topic`; resolves once its REST server listens. */
async function startSink (t: TestContext, topic: string, connector: string[]): Promise<Run> {
  const dir = await mkdtemp(join(tmpdir(), 'sink-failures-'))
  t.after(async () => { await removeDir(dir) })
  const name = uniqueTopic('misbehaving')
  const output = join(dir, 'out.txt')
  const worker = join(dir, 'worker.properties')
  const sink = join(dir, 'sink.properties')
  await writeFile(worker, workerProperties(dir, kafkaBootstrap(), ['offset.flush.interval.ms=300', `plugin.path=${PLUGIN}`]))
  await writeFile(sink, [`name=${name}`, 'connector.class=test.MisbehavingSink', `topics=${topic}`, `file=${output}`, ...connector].join('\n') + '\n')
  const cli = spawnCli([worker, sink])
  t.after(() => cli.kill('SIGKILL'))
  await cli.waitForOutput(/REST server listening at http:\/\/127\.0\.0\.1:\d+/)
  const m = /REST server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(cli.stdout + cli.stderr)
  return { cli, port: Number(m![1]), output, dir, name }
}

async function taskStatus (run: Run): Promise<TaskStatus | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${run.port}/connectors/${run.name}/status`)
    if (!res.ok) return null
    return ((await res.json()) as { tasks: TaskStatus[] }).tasks[0] ?? null
  } catch {
    return null
  }
}

const groupOffsets = (): RdKafkaGroupOffsets => new RdKafkaGroupOffsets({ 'bootstrap.servers': kafkaBootstrap() })

async function committed (run: Run, topic: string): Promise<Array<{ partition: number, offset: number }>> {
  return (await groupOffsets().list(`connect-${run.name}`, [topic])).map(o => ({ partition: o.partition, offset: o.offset }))
}

async function stop (run: Run): Promise<void> {
  run.cli.kill('SIGTERM')
  const { code } = await run.cli.exited
  assert.equal(code, 143, run.cli.stdout + run.cli.stderr)
}

test('put() throwing RetriableError: the same batch is delivered again after context.timeout(), nothing is committed past it meanwhile, every record is written once', { timeout: 120000 }, async (t) => {
  const topic = uniqueTopic('put-retriable')
  await createTopic(topic, 1)
  await produceMessages(topic, Array.from({ length: 20 }, (_, i) => ({ value: `v${i}`, partition: 0 })))
  const run = await startSink(t, topic, ['mode=retriable', 'fail.times=2', 'timeout.ms=1500'])
  // While put() keeps failing, the group has no committed offset (the loop must not commit the unwritten batch).
  await waitFor(async () => (await lines(`${run.output}.attempts`)).length >= 2, { timeoutMs: 60000, what: 'two put() attempts' })
  assert.deepEqual(await committed(run, topic), [], 'nothing committed while put() fails')
  await waitFor(async () => (await lines(run.output)).length >= 20, { timeoutMs: 60000, what: '20 records written' })
  assert.deepEqual(await lines(run.output), Array.from({ length: 20 }, (_, i) => `0:${i}:v${i}`))
  const attempts = (await lines(`${run.output}.attempts`)).map(l => l.split(' ').map(Number) as [number, number, number])
  assert.ok(attempts.length >= 3, `three put() calls at least: ${JSON.stringify(attempts)}`)
  // Attempts 2 and 3 redeliver attempt 1's batch: the same first offset and the same size.
  assert.deepEqual(attempts.slice(0, 3).map(([, n, first]) => [n, first]), [[attempts[0]![1], 0], [attempts[0]![1], 0], [attempts[0]![1], 0]])
  for (const i of [1, 2]) {
    const gap = attempts[i]![0] - attempts[i - 1]![0]
    assert.ok(gap >= 1400, `put() attempt ${i + 1} came ${gap} ms after the previous one; context.timeout() asked for 1500`)
  }
  await run.cli.waitForOutput(/RetriableException from SinkTask/)
  await waitFor(async () => (await committed(run, topic))[0]?.offset === 20, { timeoutMs: 30000, what: 'offset 20 committed' })
  const status = await taskStatus(run)
  assert.equal(status?.state, 'RUNNING')
  await stop(run)
})

test('put() throwing a non-retriable error: the task is FAILED with the error in its trace; the committed offset stays at the last written batch', { timeout: 120000 }, async (t) => {
  const topic = uniqueTopic('put-fatal')
  await createTopic(topic, 1)
  const run = await startSink(t, topic, ['mode=fatal'])
  await produceMessages(topic, Array.from({ length: 10 }, (_, i) => ({ value: `v${i}`, partition: 0 })))
  await waitFor(async () => (await lines(run.output)).length >= 10, { timeoutMs: 60000, what: '10 records written' })
  await waitFor(async () => (await committed(run, topic))[0]?.offset === 10, { timeoutMs: 30000, what: 'offset 10 committed' })
  await produceMessages(topic, [{ value: 'boom', partition: 0 }, ...Array.from({ length: 5 }, (_, i) => ({ value: `w${i}`, partition: 0 }))])
  const failed = await waitFor(async () => {
    const s = await taskStatus(run)
    return s?.state === 'FAILED' ? s : null
  }, { timeoutMs: 60000, what: 'the task to fail' })
  assert.match(failed.trace ?? '', /Exiting WorkerSinkTask due to unrecoverable exception: put\(\) met the record boom and gave up/, `trace: ${failed.trace}`)
  await stop(run)
  assert.deepEqual(await lines(run.output), Array.from({ length: 10 }, (_, i) => `0:${i}:v${i}`))
  assert.deepEqual(await committed(run, topic), [{ partition: 0, offset: 10 }])
})

test('preCommit() returning fewer offsets than were put: only those are committed, while running and at stop', { timeout: 120000 }, async (t) => {
  const topic = uniqueTopic('precommit-fewer')
  await createTopic(topic, 2)
  await produceMessages(topic, [0, 1].flatMap(p => Array.from({ length: 10 }, (_, i) => ({ value: `p${p}-${i}`, partition: p }))))
  const run = await startSink(t, topic, ['mode=precommit-partition-0'])
  await waitFor(async () => (await lines(run.output)).length >= 20, { timeoutMs: 60000, what: '20 records written' })
  await waitFor(async () => (await committed(run, topic))[0]?.offset === 10, { timeoutMs: 30000, what: 'partition 0 committed' })
  assert.deepEqual(await committed(run, topic), [{ partition: 0, offset: 10 }], 'partition 1 was put but preCommit() left it out')
  await stop(run)
  assert.deepEqual(await committed(run, topic), [{ partition: 0, offset: 10 }], 'the commit at stop goes through preCommit() too')
})

test('errant record reporter, tolerance all: put() does not wait for the reports, yet no offset past a reported record is committed before the dead-letter queue has it; the rest is written', { timeout: 120000 }, async (t) => {
  const topic = uniqueTopic('errant-all')
  const dlq = `${topic}-dlq`
  await createTopic(topic, 1)
  const values = Array.from({ length: 10 }, (_, i) => i === 3 || i === 7 ? `bad${i}` : `v${i}`)
  await produceMessages(topic, values.map(value => ({ value, partition: 0 })))
  const run = await startSink(t, topic, [
    'mode=errant', 'errant.await=false', 'errors.tolerance=all', `errors.deadletterqueue.topic.name=${dlq}`,
    'errors.deadletterqueue.topic.replication.factor=1', 'errors.deadletterqueue.context.headers.enable=true',
    // The dead-letter producer holds each record 5 s before sending it: a commit that did not wait for the reports
    // would come long before they are in the topic.
    'producer.override.linger.ms=5000'
  ])
  const first = await waitFor(async () => (await committed(run, topic))[0]?.offset, { timeoutMs: 60000, intervalMs: 20, what: 'a committed offset' })
  const owed = values.slice(0, first).filter(v => v.startsWith('bad'))
  const early = await consumeAll(dlq, owed.length, 1000).catch((err: unknown) => { throw new Error(`offset ${first} was committed before the dead-letter queue had ${owed.join(', ')}: ${String(err)}`) })
  assert.deepEqual(early.map(d => d.value?.toString()), owed)
  await waitFor(async () => (await committed(run, topic))[0]?.offset === 10, { timeoutMs: 60000, what: 'offset 10 committed' })
  const dead = await consumeAll(dlq, 2, 5000)
  assert.deepEqual(dead.map(d => d.value?.toString()), ['bad3', 'bad7'])
  const headers = dead.map(d => new Map(d.headers.map(h => [h.key, h.value.toString()])))
  assert.deepEqual(headers.map(h => h.get('__connect.errors.offset')), ['3', '7'])
  assert.deepEqual(headers.map(h => h.get('__connect.errors.stage')), ['TASK_PUT', 'TASK_PUT'])
  assert.deepEqual(headers.map(h => h.get('__connect.errors.exception.message')), ['the record bad3 is unusable', 'the record bad7 is unusable'])
  assert.deepEqual(await lines(run.output), values.map((v, i) => `0:${i}:${v}`).filter(l => !l.includes('bad')))
  assert.equal((await taskStatus(run))?.state, 'RUNNING')
  await stop(run)
})

test('errant record reporter, tolerance none: the task fails once put() returns, naming the record; nothing past it is committed', { timeout: 120000 }, async (t) => {
  const topic = uniqueTopic('errant-none')
  await createTopic(topic, 1)
  // errors.log.enable gives the task a reporter under tolerance none.
  const run = await startSink(t, topic, ['mode=errant', 'errors.log.enable=true'])
  await produceMessages(topic, Array.from({ length: 5 }, (_, i) => ({ value: `v${i}`, partition: 0 })))
  await waitFor(async () => (await committed(run, topic))[0]?.offset === 5, { timeoutMs: 60000, what: 'offset 5 committed' })
  await produceMessages(topic, [{ value: 'v5', partition: 0 }, { value: 'bad6', partition: 0 }, { value: 'v7', partition: 0 }])
  const failed = await waitFor(async () => {
    const s = await taskStatus(run)
    return s?.state === 'FAILED' ? s : null
  }, { timeoutMs: 60000, what: 'the task to fail' })
  assert.match(failed.trace ?? '', /Tolerance exceeded in error handler/)
  assert.match(failed.trace ?? '', /offset=6/)
  await stop(run)
  assert.deepEqual(await committed(run, topic), [{ partition: 0, offset: 5 }])
})
