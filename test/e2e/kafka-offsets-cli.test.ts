/**
 * The CLI with offset.storage.topic on the real broker: a FileStreamSource stopped halfway resumes in a fresh runner
 * on another "machine" (a new directory, no local files) with nothing lost or repeated; and the REST offsets
 * endpoints behave the same on the offsets file and on the offsets topic.
 */
import assert from 'node:assert/strict'
import { appendFile, mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import Kafka from 'node-rdkafka'
import { runCli, spawnCli, type CliProcess } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { http } from '../helpers/rest.ts'
import { javaPartition } from '../helpers/java-murmur2.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { topicConfig } from '../../src/kafka/topic-cleanup-policy.ts'
import { consumeAll, createTopic, kafkaBootstrap, produceMessages, uniqueTopic } from '../harness/kafka.ts'

const SOURCE_CLASS = 'org.apache.kafka.connect.file.FileStreamSourceConnector'

async function tempDir (t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  t.after(async () => { await removeDir(dir) })
  return dir
}

async function deleteTopics (topics: readonly string[]): Promise<void> {
  const admin = Kafka.AdminClient.create({ 'bootstrap.servers': kafkaBootstrap(), 'client.id': 'test-offsets-cleanup' })
  for (const topic of topics) await new Promise<void>(resolve => { admin.deleteTopic(topic, 10000, () => { resolve() }) })
  admin.disconnect()
}

/** Starts a runner in `dir` with the given offsets store lines; resolves with its REST base once it started. */
async function startRunner (t: TestContext, dir: string, store: string[], connectorFiles: string[], options: string[] = []): Promise<{ cli: CliProcess, base: string, stop: () => Promise<void> }> {
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, [
    `bootstrap.servers=${kafkaBootstrap()}`,
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.storage.StringConverter',
    'listeners=http://127.0.0.1:0',
    'offset.flush.interval.ms=500',
    ...store
  ].join('\n') + '\n')
  const cli = spawnCli([...options, worker, ...connectorFiles], { cwd: dir })
  const stop = async (): Promise<void> => {
    cli.kill('SIGTERM')
    const timer = setTimeout(() => { cli.kill('SIGKILL') }, 30000)
    await cli.exited
    clearTimeout(timer)
  }
  t.after(stop)
  await cli.waitForOutput(/Kafka Connect started/, 90000)
  const m = /REST server listening at (http:\/\/[^/\s]+)\//.exec(cli.stderr)
  assert.ok(m, `no REST address in the output:\n${cli.stderr}`)
  return { cli, base: m[1]!, stop }
}

async function sourcePosition (base: string, name: string): Promise<number | null> {
  const r = await http(base, 'GET', `/connectors/${name}/offsets`)
  const offsets = (r.body as { offsets?: Array<{ offset: { position?: number } }> }).offsets ?? []
  return offsets[0]?.offset.position ?? null
}

test('a source stopped halfway resumes on another machine from the offsets topic: nothing lost, nothing repeated', { timeout: 150000 }, async (t) => {
  const offsetsTopic = uniqueTopic('connect-offsets')
  const dataTopic = uniqueTopic('resume-data')
  t.after(async () => { await deleteTopics([offsetsTopic, dataTopic]) })
  await createTopic(dataTopic, 1)
  const shared = await tempDir(t, 'offsets-input-')
  const input = join(shared, 'input.txt')
  const lines = Array.from({ length: 400 }, (_, i) => `line ${i + 1} ${'x'.repeat(i % 37)}`)
  const half = lines.slice(0, 200)
  await writeFile(input, half.map(l => `${l}\n`).join(''))
  // A further offset.storage.* key is a config of the topic created, as in Apache distributed.
  const store = [`offset.storage.topic=${offsetsTopic}`, 'offset.storage.replication.factor=1', 'offset.storage.partitions=5', 'offset.storage.min.compaction.lag.ms=1234']
  const connector = (dir: string): string => join(dir, 'source.properties')
  const writeConnector = async (dir: string): Promise<void> => {
    await writeFile(connector(dir), `name=resume-source\nconnector.class=${SOURCE_CLASS}\nfile=${input}\ntopic=${dataTopic}\n`)
  }

  // Machine A sends the first half, then stops.
  const machineA = await tempDir(t, 'machine-a-')
  await writeConnector(machineA)
  const a = await startRunner(t, machineA, [...store, 'connector.configs.persist=false'], [connector(machineA)])
  const halfBytes = Buffer.byteLength(half.map(l => `${l}\n`).join(''))
  await waitFor(async () => await sourcePosition(a.base, 'resume-source') === halfBytes, { timeoutMs: 60000, what: 'the first half\'s offset in the topic' })
  assert.deepEqual(await topicConfig(offsetsTopic, 'min.compaction.lag.ms', { 'bootstrap.servers': kafkaBootstrap() }), { kind: 'value', value: '1234' })
  assert.doesNotMatch(a.cli.stderr, /offset\.storage\.min\.compaction\.lag\.ms' was supplied but isn't a known config/)
  await a.stop()
  assert.deepEqual((await readdir(machineA)).sort(), ['source.properties', 'worker.properties'], 'machine A kept no local state')

  // The rest of the file arrives; machine B has nothing but its config files and the offsets topic.
  await appendFile(input, lines.slice(200).map(l => `${l}\n`).join(''))
  const machineB = await tempDir(t, 'machine-b-')
  await writeConnector(machineB)
  const b = await startRunner(t, machineB, [...store, 'connector.configs.persist=false'], [connector(machineB)])
  const allBytes = Buffer.byteLength(lines.map(l => `${l}\n`).join(''))
  await waitFor(async () => await sourcePosition(b.base, 'resume-source') === allBytes, { timeoutMs: 60000, what: 'the whole file\'s offset' })
  const records = await consumeAll(dataTopic, lines.length)
  assert.deepEqual(records.map(r => r.value?.toString()), lines, 'every line once, in order')
  assert.equal(await topicSize(dataTopic, 1), lines.length, 'no line sent twice')
  await b.stop()
})

for (const kind of ['file', 'topic'] as const) {
  test(`REST offsets endpoints of a source connector on the offsets ${kind}: GET, PATCH (the task resumes from it), DELETE`, { timeout: 150000 }, async (t) => {
    const dir = await tempDir(t, `rest-offsets-${kind}-`)
    const dataTopic = uniqueTopic('rest-offsets-data')
    const offsetsTopic = uniqueTopic('rest-offsets')
    t.after(async () => { await deleteTopics(kind === 'topic' ? [dataTopic, offsetsTopic] : [dataTopic]) })
    await createTopic(dataTopic, 1)
    const input = join(dir, 'input.txt')
    await writeFile(input, 'one\ntwo\n')
    await writeFile(join(dir, 'source.properties'), `name=src\nconnector.class=${SOURCE_CLASS}\nfile=${input}\ntopic=${dataTopic}\n`)
    const store = kind === 'file'
      ? [`offset.storage.file.filename=${join(dir, 'connect.offsets')}`]
      : [`offset.storage.topic=${offsetsTopic}`, 'offset.storage.replication.factor=1', 'offset.storage.partitions=3']
    const w = await startRunner(t, dir, store, [join(dir, 'source.properties')])
    const partition = { filename: input }
    await waitFor(async () => await sourcePosition(w.base, 'src') === 8, { timeoutMs: 60000, what: 'the offset of both lines' })

    assert.equal((await http(w.base, 'PUT', '/connectors/src/stop')).status, 204)
    assert.deepEqual((await http(w.base, 'GET', '/connectors/src/offsets')).body, { offsets: [{ partition, offset: { position: 8 } }] })
    const alter = await http(w.base, 'PATCH', '/connectors/src/offsets', { offsets: [{ partition, offset: { position: 4 } }] })
    assert.deepEqual(alter.body, { message: 'The offsets for this connector have been altered successfully' })
    assert.deepEqual((await http(w.base, 'GET', '/connectors/src/offsets')).body, { offsets: [{ partition, offset: { position: 4 } }] })
    // Resuming from position 4 sends "two" again.
    assert.equal((await http(w.base, 'PUT', '/connectors/src/resume')).status, 202)
    await waitFor(async () => (await consumeAll(dataTopic, 3, 5000)).length === 3, { timeoutMs: 60000, what: 'the re-sent line' })
    assert.deepEqual((await consumeAll(dataTopic, 3)).map(r => r.value?.toString()), ['one', 'two', 'two'])
    await waitFor(async () => await sourcePosition(w.base, 'src') === 8, { timeoutMs: 60000, what: 'the offset after the re-sent line' })
    assert.equal((await http(w.base, 'PUT', '/connectors/src/stop')).status, 204)

    if (kind === 'topic') {
      // Another runner (or Apache) writes this connector's offset: GET reads the topic to its end first, as Apache.
      const key = `["src",{"filename":${JSON.stringify(input)}}]`
      // In the partition Java's partitioner chooses (the test producer's own partitioner hashes differently).
      await produceMessages(offsetsTopic, [{ key, value: '{"position":6}', partition: javaPartition(key, 3) }])
      assert.deepEqual((await http(w.base, 'GET', '/connectors/src/offsets')).body, { offsets: [{ partition, offset: { position: 6 } }] })
    }
    const reset = await http(w.base, 'DELETE', '/connectors/src/offsets')
    assert.deepEqual(reset.body, { message: 'The offsets for this connector have been reset successfully' })
    assert.deepEqual((await http(w.base, 'GET', '/connectors/src/offsets')).body, { offsets: [] })
    if (kind === 'topic') {
      const all = await consumeAll(offsetsTopic, await topicSize(offsetsTopic, 3))
      assert.equal(all.filter(r => r.key?.toString().startsWith('["src",')).at(-1)?.value, null, 'the reset is a tombstone in the topic')
    }
    await w.stop()
  })
}

test('the CLI refuses an offsets topic that is not compacted: exit code 3 and Apache\'s message naming the topic', { timeout: 60000 }, async (t) => {
  const dir = await tempDir(t, 'offsets-delete-')
  const topic = uniqueTopic('offsets-not-compacted')
  t.after(async () => { await deleteTopics([topic]) })
  await createTopic(topic, 1)
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, [
    `bootstrap.servers=${kafkaBootstrap()}`, 'key.converter=StringConverter', 'value.converter=StringConverter',
    'listeners=http://127.0.0.1:0', `offset.storage.topic=${topic}`, 'connector.configs.persist=false'
  ].join('\n') + '\n')
  const r = await runCli([worker], { cwd: dir, timeoutMs: 45000 })
  assert.equal(r.code, 3, r.stderr)
  assert.match(r.stderr, new RegExp(`Topic '${topic}' supplied via the 'offset.storage.topic' property is required to have 'cleanup.policy=compact'.*'cleanup.policy=delete'`))
})

test('on the embedded broker the offsets topic works too (created by the broker, in memory)', { timeout: 120000 }, async (t) => {
  const dir = await tempDir(t, 'offsets-embedded-')
  const input = join(dir, 'input.txt')
  await writeFile(input, 'one\ntwo\nthree\n')
  await writeFile(join(dir, 'source.properties'), `name=emb\nconnector.class=FileStreamSource\nfile=${input}\ntopic=emb-data\n`)
  const w = await startRunner(t, dir, ['offset.storage.topic=connect-offsets', 'connector.configs.persist=false'], [join(dir, 'source.properties')], ['--embedded-broker'])
  assert.match(w.cli.stderr, /Finished reading offsets topic connect-offsets/)
  await waitFor(async () => await sourcePosition(w.base, 'emb') === 14, { timeoutMs: 60000, what: 'the offset of the three lines' })
  await w.stop()
})

/** How many records the topic's partitions hold (the sum of their high watermarks). */
async function topicSize (topic: string, partitions: number): Promise<number> {
  const consumer = new Kafka.KafkaConsumer({ 'bootstrap.servers': kafkaBootstrap(), 'group.id': 'test-offsets-watermark', 'enable.auto.commit': false }, {})
  await new Promise<void>((resolve, reject) => { consumer.connect({ timeout: 10000 }, err => { if (err) reject(err); else resolve() }) })
  try {
    const highs = await Promise.all(Array.from({ length: partitions }, async (_, p) => await new Promise<number>((resolve, reject) => {
      consumer.queryWatermarkOffsets(topic, p, 10000, (err, w) => { if (err) reject(err); else resolve(w.highOffset) })
    })))
    return highs.reduce((a, b) => a + b, 0)
  } finally {
    await new Promise<void>(resolve => { consumer.disconnect(() => { resolve() }) })
  }
}
