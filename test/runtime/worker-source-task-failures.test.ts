/**
 * A source record Kafka refuses, through the real CLI on the real broker: a source plugin
 * (fixtures/misdirected-source.ts) sends some records to a topic whose name is invalid, or to a topic whose
 * max.message.bytes is smaller than the record (a refusal by the broker, in the delivery report). As in Apache
 * (KIP-779): under errors.tolerance=none the task is FAILED with the producer's error and the refused record's offset
 * is never committed; under all the record is skipped, the others arrive, the task keeps running and the source offset
 * moves past it.
 */
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import Kafka from 'node-rdkafka'
import { consumeAll, createTopic, kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'
import { spawnCli, type CliProcess } from '../helpers/cli.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { workerProperties } from '../helpers/worker-file.ts'

const PLUGIN = fileURLToPath(new URL('./fixtures/misdirected-source.ts', import.meta.url))

interface Run { cli: CliProcess, port: number, name: string }

async function startSource (t: TestContext, topic: string, connector: string[]): Promise<Run> {
  const dir = await mkdtemp(join(tmpdir(), 'source-failures-'))
  t.after(async () => { await removeDir(dir) })
  const name = uniqueTopic('misdirected')
  const worker = join(dir, 'worker.properties')
  const source = join(dir, 'source.properties')
  await writeFile(worker, workerProperties(dir, kafkaBootstrap(), ['offset.flush.interval.ms=300', `plugin.path=${PLUGIN}`]))
  await writeFile(source, [`name=${name}`, 'connector.class=test.MisdirectedSource', `topic=${topic}`, ...connector].join('\n') + '\n')
  const cli = spawnCli([worker, source])
  t.after(() => cli.kill('SIGKILL'))
  await cli.waitForOutput(/REST server listening at http:\/\/127\.0\.0\.1:\d+/)
  const port = Number(/REST server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(cli.stdout + cli.stderr)![1])
  return { cli, port, name }
}

async function get<T> (run: Run, path: string): Promise<T | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${run.port}/connectors/${run.name}${path}`)
    return res.ok ? await res.json() as T : null
  } catch {
    return null
  }
}

type Status = { tasks: Array<{ state: string, trace?: string }> }
type Offsets = { offsets: Array<{ partition: Record<string, unknown>, offset: { position?: number } }> }

const position = async (run: Run): Promise<number | undefined> => (await get<Offsets>(run, '/offsets'))?.offsets[0]?.offset.position

test('source, tolerance none: a record to an invalid topic fails the task with the producer\'s error; its offset is never committed', { timeout: 120000 }, async (t) => {
  const topic = uniqueTopic('source-refused-none')
  await createTopic(topic, 1)
  const run = await startSource(t, topic, ['count=10', 'misdirected=5'])
  const failed = await waitFor(async () => {
    const task = (await get<Status>(run, '/status'))?.tasks[0]
    return task?.state === 'FAILED' ? task : null
  }, { timeoutMs: 60000, what: 'the task to fail' })
  assert.match(failed.trace ?? '', /not a valid topic!/, `the trace names the topic: ${failed.trace}`)
  assert.match(failed.trace ?? '', /Unknown topic|[Ii]nvalid topic/, `the trace says what the producer answered: ${failed.trace}`)
  const committed = await position(run)
  assert.ok(committed === undefined || committed < 5, `source offset ${committed} is past the refused record 5`)
  run.cli.kill('SIGTERM')
  await run.cli.exited
})

/** A topic whose broker refuses records above `maxMessageBytes` (the topic's max.message.bytes). */
async function createSmallTopic (name: string, maxMessageBytes: number): Promise<void> {
  const admin = Kafka.AdminClient.create({ 'bootstrap.servers': kafkaBootstrap() })
  try {
    await new Promise<void>((resolve, reject) => admin.createTopic({ topic: name, num_partitions: 1, replication_factor: 1, config: { 'max.message.bytes': String(maxMessageBytes) } }, 30000, err => { if (err) reject(err); else resolve() }))
  } finally {
    admin.disconnect()
  }
}

async function skipsRefused (t: TestContext, prefix: string, misdirected: string[]): Promise<void> {
  const topic = uniqueTopic(prefix)
  await createTopic(topic, 1)
  const run = await startSource(t, topic, ['count=10', 'misdirected=5', 'errors.tolerance=all', 'errors.log.enable=true', ...misdirected])
  const arrived = await consumeAll(topic, 9, 60000)
  assert.deepEqual(arrived.map(m => m.value?.toString()), ['v0', 'v1', 'v2', 'v3', 'v4', 'v6', 'v7', 'v8', 'v9'])
  await waitFor(async () => (await position(run)) === 9, { timeoutMs: 30000, what: 'source offset 9 committed' })
  assert.equal((await get<Status>(run, '/status'))?.tasks[0]?.state, 'RUNNING')
  await run.cli.waitForOutput(/KAFKA_PRODUCE/)
  run.cli.kill('SIGTERM')
  await run.cli.exited
}

// librdkafka's produce() throws "Local: Unknown topic" (-188) at once for a topic name the cluster cannot have; Java's
// send() hands the InvalidTopicException to the callback, where KIP-779 skips it under tolerance all. RdKafkaProducer
// turns the throw into a refusal handed to the callback (this test found that it failed the task whatever the
// tolerance).
test('source, tolerance all: a record to an invalid topic is skipped; the others arrive, the task keeps running, the source offset moves past it', {
  timeout: 120000
}, async (t) => {
  await skipsRefused(t, 'source-invalid-all', [])
})

test('source, tolerance none: a record above the topic\'s max.message.bytes (refused by the broker) fails the task naming the refusal', { timeout: 120000 }, async (t) => {
  const topic = uniqueTopic('source-too-large-none')
  const small = `${topic}-small`
  await createTopic(topic, 1)
  await createSmallTopic(small, 1000)
  const run = await startSource(t, topic, ['count=10', 'misdirected=5', `misdirected.topic=${small}`, 'misdirected.bytes=5000'])
  const failed = await waitFor(async () => {
    const task = (await get<Status>(run, '/status'))?.tasks[0]
    return task?.state === 'FAILED' ? task : null
  }, { timeoutMs: 60000, what: 'the task to fail' })
  assert.match(failed.trace ?? '', new RegExp(small), `the trace names the topic: ${failed.trace}`)
  assert.match(failed.trace ?? '', /too large/i, `the trace says why: ${failed.trace}`)
  const committed = await position(run)
  assert.ok(committed === undefined || committed < 5, `source offset ${committed} is past the refused record 5`)
  run.cli.kill('SIGTERM')
  await run.cli.exited
})

test('source, tolerance all: a record above the topic\'s max.message.bytes is skipped; the others arrive, the task keeps running, the source offset moves past it', { timeout: 120000 }, async (t) => {
  const small = uniqueTopic('source-small')
  await createSmallTopic(small, 1000)
  await skipsRefused(t, 'source-too-large-all', [`misdirected.topic=${small}`, 'misdirected.bytes=5000'])
})
