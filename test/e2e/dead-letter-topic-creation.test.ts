/**
 * The dead-letter queue's topic on a broker that does not create topics itself (auto.create.topics.enable=false, as
 * production clusters usually run): the worker creates it, with one partition and the configured replication factor
 * (errors.deadletterqueue.topic.replication.factor), as Apache does. The harness broker auto-creates topics, which
 * would hide a worker that never creates the topic, so this test starts a broker of its own.
 */
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test, type TestContext } from 'node:test'
import Kafka from 'node-rdkafka'
import { startKafkaBroker, type KafkaBroker } from '../harness/kafka-broker.mjs'
import { consumeAll, createTopic, produceMessages, uniqueTopic } from '../harness/kafka.ts'
import { spawnCli } from '../helpers/cli.ts'
import { readLines } from '../helpers/pipeline.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { removeDir } from '../helpers/remove-dir.ts'

let broker: KafkaBroker
const savedBootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS

before(async () => {
  broker = await startKafkaBroker({ serverProperties: { 'auto.create.topics.enable': 'false' } })
  // The harness helpers (createTopic, produceMessages, consumeAll) talk to the broker named here.
  process.env.KAFKA_BOOTSTRAP_SERVERS = broker.bootstrapServers
}, { timeout: 120000 })

after(async () => {
  if (savedBootstrap === undefined) delete process.env.KAFKA_BOOTSTRAP_SERVERS
  else process.env.KAFKA_BOOTSTRAP_SERVERS = savedBootstrap
  await broker?.stop()
})

/** The topic's partitions and each one's replica count, or null when the broker does not know it. */
async function topicLayout (topic: string): Promise<number[] | null> {
  const producer = new Kafka.Producer({ 'bootstrap.servers': broker.bootstrapServers })
  await new Promise<void>((resolve, reject) => producer.connect({ timeout: 10000 }, err => { if (err) reject(err); else resolve() }))
  try {
    const md = await new Promise<Kafka.Metadata>((resolve, reject) => producer.getMetadata({ timeout: 10000 }, (err, data) => { if (err) reject(err); else resolve(data) }))
    const found = md.topics.find(x => x.name === topic)
    return found ? found.partitions.map(p => p.replicas.length) : null
  } finally {
    await new Promise<void>(resolve => producer.disconnect(() => resolve()))
  }
}

async function runSink (t: TestContext, topic: string, dlq: string, replicationFactor: number): Promise<{ cli: ReturnType<typeof spawnCli>, output: string, port: () => number }> {
  const dir = await mkdtemp(join(tmpdir(), 'dlq-create-'))
  t.after(async () => { await removeDir(dir) })
  const worker = join(dir, 'worker.properties')
  const sink = join(dir, 'sink.properties')
  const output = join(dir, 'out.txt')
  await writeFile(worker, [
    `bootstrap.servers=${broker.bootstrapServers}`,
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable=false',
    `offset.storage.file.filename=${join(dir, 'connect.offsets')}`,
    'offset.flush.interval.ms=500',
    'listeners=http://127.0.0.1:0'
  ].join('\n') + '\n')
  await writeFile(sink, [
    `name=${topic}`, 'connector.class=FileStreamSink', `topics=${topic}`, `file=${output}`,
    'errors.tolerance=all', `errors.deadletterqueue.topic.name=${dlq}`, `errors.deadletterqueue.topic.replication.factor=${replicationFactor}`
  ].join('\n') + '\n')
  const cli = spawnCli([worker, sink])
  t.after(() => cli.kill('SIGKILL'))
  await cli.waitForOutput(/REST server listening at http:\/\/127\.0\.0\.1:\d+/)
  const port = Number(/REST server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(cli.stdout + cli.stderr)![1])
  return { cli, output, port: () => port }
}

test('auto-create off: the worker creates the dead-letter topic (1 partition, the configured replication factor) and the bad record lands in it', { timeout: 120000 }, async (t) => {
  const topic = uniqueTopic('dlq-create')
  const dlq = `${topic}-dlq`
  await createTopic(topic, 1)
  assert.equal(await topicLayout(dlq), null, 'no dead-letter topic before the worker starts')
  await produceMessages(topic, [{ value: '{"n":1}', partition: 0 }, { value: 'not json', partition: 0 }, { value: '{"n":3}', partition: 0 }])
  const run = await runSink(t, topic, dlq, 1)
  await waitFor(async () => (await readLines(run.output)).length >= 2, { timeoutMs: 60000, what: 'the two good records in the sink file' })
  assert.deepEqual(await topicLayout(dlq), [1], 'one partition with one replica')
  const [dead] = await consumeAll(dlq, 1, 30000)
  assert.equal(dead!.value?.toString(), 'not json')
  run.cli.kill('SIGTERM')
  await run.cli.exited
})

test('auto-create off, replication factor 2 on a one-broker cluster: the task fails saying the dead-letter topic could not be created', { timeout: 120000 }, async (t) => {
  const topic = uniqueTopic('dlq-rf2')
  const dlq = `${topic}-dlq`
  await createTopic(topic, 1)
  const run = await runSink(t, topic, dlq, 2)
  const failed = await waitFor(async () => {
    const res = await fetch(`http://127.0.0.1:${run.port()}/connectors/${topic}/status`).catch(() => null)
    if (!res?.ok) return null
    const task = ((await res.json()) as { tasks: Array<{ state: string, trace?: string }> }).tasks[0]
    return task?.state === 'FAILED' ? task : null
  }, { timeoutMs: 60000, what: 'the task to fail' })
  assert.match(failed.trace ?? '', new RegExp(`Could not initialize dead letter queue with topic=${dlq}`))
  assert.match(failed.trace ?? '', /[Rr]eplication factor/)
  assert.equal(await topicLayout(dlq), null, 'no dead-letter topic was created with fewer replicas than asked for')
  run.cli.kill('SIGTERM')
  await run.cli.exited
})
