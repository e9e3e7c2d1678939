/**
 * Connector-level options end to end on the real broker: converter overrides, topics.regex, and the console
 * variants (stdin source, stdout sink).
 */
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { consumeAll, createTopic, kafkaBootstrap, produceMessages, uniqueTopic } from '../harness/kafka.ts'
import { spawnCli } from '../helpers/cli.ts'
import { readLines } from '../helpers/pipeline.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { workerProperties } from '../helpers/worker-file.ts'
import { removeDir } from '../helpers/remove-dir.ts'

async function worker (t: TestContext, extra: string[] = []): Promise<{ dir: string, worker: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'options-'))
  t.after(async () => { await removeDir(dir) })
  const workerFile = join(dir, 'worker.properties')
  await writeFile(workerFile, workerProperties(dir, kafkaBootstrap(), [
    ...extra
  ]))
  return { dir, worker: workerFile }
}

test('a connector-level value.converter overrides the worker\'s, with only the connector\'s own settings', { timeout: 120000 }, async (t) => {
  const { dir, worker: workerFile } = await worker(t)
  const topic = uniqueTopic('override')
  await createTopic(topic, 1)
  await writeFile(join(dir, 'in.txt'), 'alpha\nbeta "quoted"\n')
  await writeFile(join(dir, 'source.properties'), [
    'name=override-source', 'connector.class=FileStreamSource', `file=${join(dir, 'in.txt')}`, `topic=${topic}`,
    'value.converter=org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable=false'
  ].join('\n') + '\n')
  const cli = spawnCli([workerFile, join(dir, 'source.properties')])
  t.after(() => cli.kill('SIGKILL'))
  const records = await consumeAll(topic, 2, 60000)
  assert.deepEqual(records.map(r => r.value?.toString()), ['"alpha"', '"beta \\"quoted\\""'])
  cli.kill('SIGTERM')
  assert.equal((await cli.exited).code, 143)
})

test('a sink with topics.regex reads every matching topic and none other', { timeout: 120000 }, async (t) => {
  const { dir, worker: workerFile } = await worker(t)
  const prefix = uniqueTopic('rx')
  const [a, b, other] = [`${prefix}-a1`, `${prefix}-b2`, `${prefix}-c3`]
  for (const topic of [a, b, other]) await createTopic(topic, 1)
  await produceMessages(a, [{ value: 'from-a-1' }, { value: 'from-a-2' }])
  await produceMessages(b, [{ value: 'from-b-1' }])
  await produceMessages(other, [{ value: 'from-other' }])
  await writeFile(join(dir, 'sink.properties'), [
    'name=regex-sink', 'connector.class=FileStreamSink', `file=${join(dir, 'out.txt')}`, // Java regex syntax (\\d) that librdkafka's POSIX patterns would not understand; in a properties file the
    // backslash itself must be escaped, as with Apache.
    `topics.regex=${prefix}-[ab]\\\\d`
  ].join('\n') + '\n')
  const cli = spawnCli([workerFile, join(dir, 'sink.properties')])
  t.after(() => cli.kill('SIGKILL'))
  const out = await waitFor(async () => { const l = await readLines(join(dir, 'out.txt')); return l.length >= 3 ? l : null }, { timeoutMs: 60000, what: 'three lines' }).catch((err: Error) => assert.fail(`${err.message}\n${cli.stderr.slice(-3000)}`))
  assert.deepEqual([...out].sort(), ['from-a-1', 'from-a-2', 'from-b-1'])
  cli.kill('SIGTERM')
  assert.equal((await cli.exited).code, 143)
  assert.deepEqual([...await readLines(join(dir, 'out.txt'))].sort(), ['from-a-1', 'from-a-2', 'from-b-1'])
})

test('console source and sink: stdin → Kafka → stdout', { timeout: 120000 }, async (t) => {
  const { dir, worker: workerFile } = await worker(t)
  const topic = uniqueTopic('console')
  await createTopic(topic, 1)
  await writeFile(join(dir, 'console-source.properties'), `name=console-source\nconnector.class=FileStreamSource\ntopic=${topic}\n`)
  await writeFile(join(dir, 'console-sink.properties'), `name=console-sink\nconnector.class=FileStreamSink\ntopics=${topic}\n`)
  const cli = spawnCli([workerFile, join(dir, 'console-source.properties'), join(dir, 'console-sink.properties')])
  t.after(() => cli.kill('SIGKILL'))
  await cli.waitForOutput(/Kafka Connect started/)
  cli.child.stdin!.write('typed line one\ntyped línea dos\n')
  await waitFor(() => cli.stdout.includes('typed línea dos\n'), { timeoutMs: 60000, what: 'stdin lines on stdout' })
  assert.equal(cli.stdout, 'typed line one\ntyped línea dos\n')
  cli.kill('SIGTERM')
  assert.equal((await cli.exited).code, 143)
})

test('a sink started before its topic exists receives the records once the topic is created', { timeout: 120000 }, async (t) => {
  const { dir, worker: workerFile } = await worker(t)
  const topic = uniqueTopic('late-topic')
  const output = join(dir, 'out.txt')
  await writeFile(join(dir, 'sink.properties'), ['name=late-sink', 'connector.class=FileStreamSink', `file=${output}`, `topics=${topic}`].join('\n') + '\n')
  const cli = spawnCli([workerFile, join(dir, 'sink.properties')])
  t.after(() => cli.kill('SIGKILL'))
  await cli.waitForOutput(/Waiting for topics that do not exist yet/)
  await createTopic(topic, 2)
  await produceMessages(topic, [{ value: 'a', partition: 0 }, { value: 'b', partition: 1 }])
  await waitFor(async () => (await readLines(output)).length === 2, { timeoutMs: 60000, what: 'both records in the sink file' })
  assert.deepEqual((await readLines(output)).sort(), ['a', 'b'])
})

/** Kafka's Utils.murmur2, which the Java producer's default partitioner applies to a record's key bytes. */
function murmur2 (data: Buffer): number {
  const m = 0x5bd1e995
  let h = (0x9747b28c ^ data.length) | 0
  const full = data.length & ~3
  for (let i = 0; i < full; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)
    k = Math.imul(k, m)
    k ^= k >>> 24
    k = Math.imul(k, m)
    h = Math.imul(h, m) ^ k
  }
  const rest = data.length & 3
  if (rest >= 3) h ^= data[full + 2]! << 16
  if (rest >= 2) h ^= data[full + 1]! << 8
  if (rest >= 1) h = Math.imul(h ^ data[full]!, m)
  h ^= h >>> 13
  h = Math.imul(h, m)
  h ^= h >>> 15
  return h
}

test('keyed records land on the partition Java\'s producer would choose (murmur2), not librdkafka\'s CRC32 default', { timeout: 120000 }, async (t) => {
  const { dir, worker: workerFile } = await worker(t)
  const topic = uniqueTopic('keyed')
  await createTopic(topic, 4)
  const lines = Array.from({ length: 40 }, (_, i) => `key-${i}`)
  await writeFile(join(dir, 'in.txt'), lines.join('\n') + '\n')
  await writeFile(join(dir, 'source.properties'), [
    'name=keyed-source', 'connector.class=FileStreamSource', `file=${join(dir, 'in.txt')}`, `topic=${topic}`,
    'transforms=hoist,tokey,extract',
    'transforms.hoist.type=org.apache.kafka.connect.transforms.HoistField$Value', 'transforms.hoist.field=line',
    'transforms.tokey.type=org.apache.kafka.connect.transforms.ValueToKey', 'transforms.tokey.fields=line',
    'transforms.extract.type=org.apache.kafka.connect.transforms.ExtractField$Key', 'transforms.extract.field=line',
    'value.converter=org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable=false'
  ].join('\n') + '\n')
  const cli = spawnCli([workerFile, join(dir, 'source.properties')])
  t.after(() => cli.kill('SIGKILL'))
  const records = await consumeAll(topic, lines.length, 60000)
  assert.equal(records.length, lines.length)
  const partitions = new Set<number>()
  for (const r of records) {
    const key = r.key!
    assert.equal(r.partition, (murmur2(key) & 0x7fffffff) % 4, `key ${key.toString()}`)
    partitions.add(r.partition)
  }
  assert.ok(partitions.size > 1, 'the keys spread over several partitions')
})
