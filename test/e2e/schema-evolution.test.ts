/**
 * Schema evolution through the worker, with AvroConverter against the real registry (global compatibility BACKWARD):
 * a compatible change registers a new version and the sink keeps reading; an incompatible one fails the source task
 * with a message naming the subject and its latest version, or, under errors.tolerance=all, skips the record, logs it
 * and (beyond Apache: a source DLQ) writes it to the dead letter queue with that message. A sink whose records cannot
 * be read (unknown id, another converter's bytes, a schema of another format) sends them to its DLQ under
 * errors.tolerance=all, as Apache does with any converter failure.
 */
import assert from 'node:assert/strict'
import { appendFile, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { Headers } from '../../src/api/index.ts'
import { AvroConverter, ProtobufConverter } from '../../src/converters/schema-registry/registry-converters.ts'
import { consumeAll, createTopic, kafkaBootstrap, produceMessages, uniqueTopic } from '../harness/kafka.ts'
import { registryRequest, schemaRegistryCcompatUrl } from '../harness/schema-registry.mjs'
import { spawnCli, type CliProcess } from '../helpers/cli.ts'
import { readLines } from '../helpers/pipeline.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { writeWorkerFile } from '../helpers/worker-file.ts'
import { USER_SCHEMAS, userOf } from './fixtures/evolving-source.ts'

const PLUGIN = join(import.meta.dirname, 'fixtures', 'evolving-source.ts')
const AVRO = 'io.confluent.connect.avro.AvroConverter'
// Connector names differ per run: a sink's consumer group is connect-<name>, and a group a killed run left behind
// would hold the next run's first rebalance until its session times out.
const RUN = `${process.pid}-${Date.now().toString(36)}`
const SRC = `evo-src-${RUN}`
const SINK = `evo-sink-${RUN}`
const TOLERANT = `evo-tolerant-${RUN}`
const UNREADABLE = `unreadable-sink-${RUN}`

interface Run { dir: string, cli: CliProcess, rest: string, url: string }

/** A worker with the evolving source on plugin.path and the given connectors (name -> settings). */
async function startWorker (t: TestContext, connectors: Record<string, Record<string, string>>): Promise<Run> {
  const url = schemaRegistryCcompatUrl()
  const dir = await mkdtemp(join(tmpdir(), 'sr-evolution-'))
  t.after(async () => { await removeDir(dir) })
  const files = []
  for (const [name, props] of Object.entries(connectors)) {
    const file = join(dir, `${name}.properties`)
    const all = { name, 'value.converter': AVRO, 'value.converter.schema.registry.url': url, ...props }
    await writeFile(file, Object.entries(all).map(([k, v]) => `${k}=${v.replace(/\{dir\}/g, dir)}`).join('\n') + '\n')
    files.push(file)
  }
  const worker = await writeWorkerFile(dir, kafkaBootstrap(), [`plugin.path=${PLUGIN}`])
  const cli = spawnCli([worker, ...files])
  t.after(() => { cli.kill('SIGKILL') })
  await cli.waitForOutput(/REST server listening at http:\/\/\S+\//)
  const rest = /REST server listening at (http:\/\/[^/\s]+)\//.exec(cli.stdout + cli.stderr)![1]!
  return { dir, cli, rest, url }
}

interface TaskStatus { state: string, trace?: string }
async function taskStatus (run: Run, name: string): Promise<TaskStatus | null> {
  const res = await fetch(`${run.rest}/connectors/${name}/status`)
  if (!res.ok) return null
  return (await res.json() as { tasks: TaskStatus[] }).tasks[0] ?? null
}

async function subjectVersions (url: string, subject: string): Promise<number[]> {
  const res = await registryRequest('GET', `${url}/subjects/${subject}/versions`)
  return res.status === 200 ? res.body : []
}

test('a compatible change registers version 2 and the sink keeps reading; an incompatible one fails the source task naming subject and version', { timeout: 180000 }, async (t) => {
  const topic = uniqueTopic('evolution')
  await createTopic(topic, 1)
  const run = await startWorker(t, {
    [SRC]: { 'connector.class': 'test.EvolvingSource', file: '{dir}/in.txt', topic },
    [SINK]: { 'connector.class': 'FileStreamSink', file: '{dir}/out.txt', topics: topic }
  })
  const input = join(run.dir, 'in.txt')
  const output = join(run.dir, 'out.txt')
  const subject = `${topic}-value`

  await appendFile(input, '1 1\n1 2\n')
  await waitFor(async () => (await readLines(output)).length >= 2, { timeoutMs: 60000, what: 'the v1 records in the sink file' })
  assert.deepEqual(await subjectVersions(run.url, subject), [1])

  await appendFile(input, '2 3\n2 4\n')
  await waitFor(async () => (await readLines(output)).length >= 4, { timeoutMs: 60000, what: 'the v2 records in the sink file' })
  assert.deepEqual(await readLines(output), [
    'Struct{id=1,name=user-1}', 'Struct{id=2,name=user-2}',
    'Struct{id=3,name=user-3,email=u3@example.com}', 'Struct{id=4,name=user-4,email=none}'
  ])
  assert.deepEqual(await subjectVersions(run.url, subject), [1, 2], 'a new version for the compatible change')

  await appendFile(input, '3 5\n')
  const failed = await waitFor(async () => { const s = await taskStatus(run, SRC); return s?.state === 'FAILED' ? s : null }, { timeoutMs: 60000, what: 'the source task to fail' })
  assert.match(failed.trace ?? '', /Tolerance exceeded in error handler \(stage VALUE_CONVERTER, class io\.confluent\.connect\.avro\.AvroConverter/)
  assert.ok((failed.trace ?? '').includes(`incompatible with an earlier schema for subject "${subject}" (version 2)`), failed.trace)
  assert.equal((await taskStatus(run, SINK))?.state, 'RUNNING', 'the sink is not affected')
  assert.deepEqual(await subjectVersions(run.url, subject), [1, 2], 'nothing registered for the incompatible schema')
  await assert.rejects(consumeAll(topic, 5, 5000), /4 of 5 messages/, 'the record of the incompatible schema was not written')
  assert.equal((await readLines(output)).length, 4)
})

test('errors.tolerance=all: the source skips the incompatible record, logs it and writes it to its DLQ naming subject and version; later records go through', { timeout: 180000 }, async (t) => {
  const topic = uniqueTopic('evolution-tolerant')
  const dlq = `${topic}-dlq`
  await createTopic(topic, 1)
  const run = await startWorker(t, {
    [TOLERANT]: {
      'connector.class': 'test.EvolvingSource', file: '{dir}/in.txt', topic,
      'errors.tolerance': 'all', 'errors.log.enable': 'true', 'errors.log.include.messages': 'true',
      'errors.deadletterqueue.source.enable': 'true', 'errors.deadletterqueue.topic.name': dlq, 'errors.deadletterqueue.topic.replication.factor': '1', 'errors.deadletterqueue.context.headers.enable': 'true'
    }
  })
  const subject = `${topic}-value`
  await appendFile(join(run.dir, 'in.txt'), '1 1\n3 2\n2 3\n')
  const records = await consumeAll(topic, 2, 60000)
  assert.deepEqual(records.map(r => r.key?.toString()), ['1', '3'], 'the incompatible record (id 2) is skipped, the next one written')
  assert.deepEqual(await subjectVersions(run.url, subject), [1, 2])

  const [dead] = await consumeAll(dlq, 1, 60000)
  const h = new Map(dead!.headers.map(x => [x.key, x.value.toString()]))
  assert.equal(h.get('__connect.errors.stage'), 'VALUE_CONVERTER')
  assert.equal(h.get('__connect.errors.class.name'), AVRO)
  assert.ok(h.get('__connect.errors.exception.message')?.includes(`incompatible with an earlier schema for subject "${subject}" (version 1)`), h.get('__connect.errors.exception.message'))
  assert.equal(h.get('__connect.errors.source.offset'), JSON.stringify({ line: 2 }))
  assert.equal(dead!.value, null, 'a record that cannot be converted has no value to write')

  // Kafka's LogReporter line, then the error naming subject and version.
  await run.cli.waitForOutput(new RegExp(`Error encountered in task ${TOLERANT}-0\\. Executing`), 30000)
  await run.cli.waitForOutput(/Executing stage 'VALUE_CONVERTER' with class 'io\.confluent\.connect\.avro\.AvroConverter', where source record is/, 30000)
  assert.ok((run.cli.stdout + run.cli.stderr).includes(`subject "${subject}" (version 1)`), 'the log names subject and version')
  assert.equal((await taskStatus(run, TOLERANT))?.state, 'RUNNING')
})

test('a sink under errors.tolerance=all sends the records it cannot read (unknown id, not the wire format, a Protobuf schema) to its DLQ and reads the rest', { timeout: 180000 }, async (t) => {
  const url = schemaRegistryCcompatUrl()
  const topic = uniqueTopic('unreadable')
  const dlq = `${topic}-dlq`
  await createTopic(topic, 1)
  const avro = new AvroConverter()
  avro.configure({ 'schema.registry.url': url }, false)
  const proto = new ProtobufConverter()
  proto.configure({ 'schema.registry.url': url }, false)
  t.after(() => { avro.close(); proto.close() })
  const good = (id: number): Promise<Buffer | null> => Promise.resolve(avro.fromConnectData(topic, Headers.EMPTY, USER_SCHEMAS[1]!, userOf(1, id)))
  const first = (await good(1))!
  const unknownId = Buffer.from(first)
  unknownId.writeInt32BE(2000000000, 1)
  const notFramed = Buffer.from('{"id":2,"name":"user-2"}')
  const protobuf = (await proto.fromConnectData(`${topic}-proto`, Headers.EMPTY, USER_SCHEMAS[1]!, userOf(1, 3)))!
  const values = [first, unknownId, notFramed, protobuf, (await good(5))!]
  await produceMessages(topic, values.map((value, i) => ({ key: String(i + 1), value, partition: 0 })))

  const run = await startWorker(t, {
    [UNREADABLE]: {
      'connector.class': 'FileStreamSink', file: '{dir}/out.txt', topics: topic, 'consumer.override.auto.offset.reset': 'earliest',
      'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': dlq, 'errors.deadletterqueue.topic.replication.factor': '1',
      'errors.deadletterqueue.context.headers.enable': 'true'
    }
  })
  const output = join(run.dir, 'out.txt')
  await waitFor(async () => (await readLines(output)).length >= 2, { timeoutMs: 60000, what: 'the readable records in the sink file' })
  assert.deepEqual(await readLines(output), ['Struct{id=1,name=user-1}', 'Struct{id=5,name=user-5}'])

  const dead = await consumeAll(dlq, 3, 60000)
  assert.deepEqual(dead.map(d => d.value), [unknownId, notFramed, protobuf], 'the original bytes')
  const messages = dead.map(d => {
    const h = new Map(d.headers.map(x => [x.key, x.value.toString()]))
    assert.equal(h.get('__connect.errors.stage'), 'VALUE_CONVERTER')
    assert.equal(h.get('__connect.errors.class.name'), AVRO)
    assert.equal(h.get('__connect.errors.topic'), topic)
    return h.get('__connect.errors.exception.message') ?? ''
  })
  assert.match(messages[0]!, /Schema with id 2000000000 not found/)
  assert.match(messages[1]!, /Unknown magic byte!/)
  assert.match(messages[2]!, /is a PROTOBUF schema, but this value converter \(io\.confluent\.connect\.avro\.AvroConverter\) reads AVRO/)
  assert.equal((await taskStatus(run, UNREADABLE))?.state, 'RUNNING')
})
