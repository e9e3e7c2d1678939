/**
 * errors.tolerance, retries and dead-letter queues end to end on the real broker.
 */
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { consumeAll, createTopic, kafkaBootstrap, produceMessages, uniqueTopic } from '../harness/kafka.ts'
import { ROOT, spawnCli, type CliProcess } from '../helpers/cli.ts'
import { readLines } from '../helpers/pipeline.ts'
import { javaConsume } from '../harness/java-consumer.mjs'
import { waitFor } from '../helpers/wait-for.ts'
import { removeDir } from '../helpers/remove-dir.ts'

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

interface Setup { dir: string, worker: string, port: number }

async function setup (t: TestContext, extra: string[] = []): Promise<Setup> {
  const dir = await mkdtemp(join(tmpdir(), 'errors-'))
  t.after(async () => { await removeDir(dir) })
  const port = await freePort()
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, [
    `bootstrap.servers=${kafkaBootstrap()}`,
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.storage.StringConverter',
    `offset.storage.file.filename=${join(dir, 'connect.offsets')}`,
    'offset.flush.interval.ms=500',
    `listeners=http://127.0.0.1:${port}`,
    ...extra
  ].join('\n') + '\n')
  return { dir, worker, port }
}

async function status (port: number, name: string): Promise<{ connector: { state: string }, tasks: Array<{ id: number, state: string, trace?: string }> } | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/connectors/${name}/status`)
    return res.ok ? await res.json() as never : null
  } catch {
    return null
  }
}

function start (t: TestContext, args: string[]): CliProcess {
  const cli = spawnCli(args)
  t.after(() => cli.kill('SIGKILL'))
  return cli
}

test('sink, tolerance all: one bad record among 10,000 goes to the DLQ with Apache\'s headers, the rest arrive, the task keeps running', { timeout: 180000 }, async (t) => {
  const s = await setup(t)
  const topic = uniqueTopic('tol-all')
  const dlq = `${topic}-dlq`
  await createTopic(topic, 1)
  const messages = Array.from({ length: 10000 }, (_, i) => ({ key: `k${i}`, value: i === 4321 ? '{"broken": ' : `{"n":${i}}`, partition: 0 }))
  messages[4321] = { ...messages[4321]!, headers: [{ key: 'trace-id', value: 'abc' }] } as typeof messages[number]
  await produceMessages(topic, messages)
  const output = join(s.dir, 'out.txt')
  const sink = join(s.dir, 'sink.properties')
  await writeFile(sink, [
    'name=tol-all', 'connector.class=FileStreamSink', `file=${output}`, `topics=${topic}`,
    'value.converter=org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable=false',
    'errors.tolerance=all', `errors.deadletterqueue.topic.name=${dlq}`, 'errors.deadletterqueue.topic.replication.factor=1',
    'errors.deadletterqueue.context.headers.enable=true', 'errors.log.enable=true'
  ].join('\n') + '\n')
  const cli = start(t, [s.worker, sink])
  await waitFor(async () => (await readLines(output)).length >= 9999, { timeoutMs: 120000, what: '9,999 lines in the sink file' })
  const lines = await readLines(output)
  assert.equal(lines.length, 9999)
  assert.equal(lines[4321], '{n=4322}')
  const [dead] = await consumeAll(dlq, 1, 60000)
  assert.equal(dead!.key?.toString(), 'k4321')
  assert.equal(dead!.value?.toString(), '{"broken": ')
  const h = new Map(dead!.headers.map(x => [x.key, x.value.toString()]))
  assert.equal(h.get('trace-id'), 'abc', 'the original headers go along')
  assert.equal(h.get('__connect.errors.topic'), topic)
  assert.equal(h.get('__connect.errors.partition'), '0')
  assert.equal(h.get('__connect.errors.offset'), '4321')
  assert.equal(h.get('__connect.errors.connector.name'), 'tol-all')
  assert.equal(h.get('__connect.errors.task.id'), '0')
  assert.equal(h.get('__connect.errors.stage'), 'VALUE_CONVERTER')
  assert.equal(h.get('__connect.errors.class.name'), 'org.apache.kafka.connect.json.JsonConverter')
  assert.equal(h.get('__connect.errors.exception.class.name'), 'org.apache.kafka.connect.errors.DataException')
  assert.match(h.get('__connect.errors.exception.message') ?? '', /Converting byte\[\] to Kafka Connect data failed due to serialization error/)
  assert.ok(h.has('__connect.errors.exception.stacktrace'))
  const st = await waitFor(async () => await status(s.port, 'tol-all'), { what: 'status' })
  assert.equal(st.tasks[0]!.state, 'RUNNING')
  await cli.waitForOutput(/Error encountered in task tol-all-0\. Executing stage 'VALUE_CONVERTER' with class 'org\.apache\.kafka\.connect\.json\.JsonConverter'/)
})

test('sink, tolerance none: the task fails with the record\'s coordinates in its trace, and nothing from it on is committed', { timeout: 180000 }, async (t) => {
  const s = await setup(t)
  const topic = uniqueTopic('tol-none')
  await createTopic(topic, 1)
  const output = join(s.dir, 'out.txt')
  const sink = join(s.dir, 'sink.properties')
  await writeFile(sink, [
    'name=tol-none', 'connector.class=FileStreamSink', `file=${output}`, `topics=${topic}`,
    'value.converter=org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable=false'
  ].join('\n') + '\n')
  const cli = start(t, [s.worker, sink])
  // The 60 good records first, delivered and committed, so there is a committed offset to check afterwards (with all
  // 100 in one batch nothing would be put or committed, and an empty list of offsets proves nothing).
  const { RdKafkaGroupOffsets } = await import('../../src/kafka/consumer-group-offsets.ts')
  const groupOffsets = new RdKafkaGroupOffsets({ 'bootstrap.servers': kafkaBootstrap() })
  await produceMessages(topic, Array.from({ length: 60 }, (_, i) => ({ value: `${i}`, partition: 0 })))
  await waitFor(async () => (await readLines(output)).length >= 60, { timeoutMs: 120000, what: '60 lines in the sink file' })
  await waitFor(async () => (await groupOffsets.list('connect-tol-none', [topic]))[0]?.offset === 60, { timeoutMs: 60000, what: 'offset 60 committed' })
  await produceMessages(topic, Array.from({ length: 40 }, (_, i) => ({ value: i === 0 ? 'not json' : `${60 + i}`, partition: 0 })))
  const failed = await waitFor(async () => {
    const st = await status(s.port, 'tol-none')
    return st?.tasks[0]?.state === 'FAILED' ? st.tasks[0] : null
  }, { timeoutMs: 120000, what: 'the task to fail' })
  assert.match(failed.trace ?? '', /Tolerance exceeded in error handler \(stage VALUE_CONVERTER, class org\.apache\.kafka\.connect\.json\.JsonConverter, record topic=\S+ partition=0 offset=60\)/)
  cli.kill('SIGTERM')
  await cli.exited
  // No record at or after the bad one was written, and the group's committed offset is not past it.
  assert.deepEqual(await readLines(output), Array.from({ length: 60 }, (_, i) => `${i}`))
  assert.deepEqual(await groupOffsets.list('connect-tol-none', [topic]), [{ topic, partition: 0, offset: 60 }])
})

test('a transformation that throws RetriableError twice is retried under errors.retry.timeout; the record arrives once', { timeout: 120000 }, async (t) => {
  const s = await setup(t, [])
  const plugin = join(s.dir, 'flaky.ts')
  await writeFile(plugin, `
import { ConfigDef, RetriableError, definePlugins, plugin } from ${JSON.stringify(join(ROOT, 'src/api/index.ts'))}
let calls = 0
class Flaky {
  readonly kind = 'transformation'
  configure () {}
  config () { return new ConfigDef() }
  apply (r: any) { calls++; if (calls <= 2) throw new RetriableError('temporarily unavailable ' + calls); return r }
}
export default definePlugins([plugin({ kind: 'transformation', className: 'test.Flaky', version: '1', create: () => new Flaky() })])
`)
  await writeFile(s.worker, `plugin.path=${plugin}\n`, { flag: 'a' })
  const topic = uniqueTopic('retry')
  await createTopic(topic, 1)
  const input = join(s.dir, 'in.txt')
  await writeFile(input, 'only line\n')
  const source = join(s.dir, 'source.properties')
  await writeFile(source, [
    'name=retry-src', 'connector.class=FileStreamSource', `file=${input}`, `topic=${topic}`,
    'transforms=flaky', 'transforms.flaky.type=test.Flaky', 'errors.retry.timeout=30000', 'errors.retry.delay.max.ms=1000'
  ].join('\n') + '\n')
  const cli = start(t, [s.worker, source])
  const records = await consumeAll(topic, 1, 60000)
  assert.deepEqual(records.map(r => r.value?.toString()), ['only line'])
  // Still exactly one after the worker flushed and stopped.
  cli.kill('SIGTERM')
  assert.equal((await cli.exited).code, 143)
  await assert.rejects(consumeAll(topic, 2, 3000))
})

test('beyond Apache: a source record that fails its transformation goes to the DLQ with the error headers', { timeout: 120000 }, async (t) => {
  const s = await setup(t)
  const topic = uniqueTopic('src-dlq')
  const dlq = `${topic}-dlq`
  await createTopic(topic, 1)
  const input = join(s.dir, 'in.txt')
  await writeFile(input, '1\nnot a number\n3\n')
  const source = join(s.dir, 'source.properties')
  await writeFile(source, [
    'name=src-dlq', 'connector.class=FileStreamSource', `file=${input}`, `topic=${topic}`,
    'transforms=cast', 'transforms.cast.type=org.apache.kafka.connect.transforms.Cast$Value', 'transforms.cast.spec=int32',
    'value.converter=org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable=false',
    'errors.tolerance=all', 'errors.deadletterqueue.source.enable=true', `errors.deadletterqueue.topic.name=${dlq}`,
    'errors.deadletterqueue.topic.replication.factor=1', 'errors.deadletterqueue.context.headers.enable=true'
  ].join('\n') + '\n')
  start(t, [s.worker, source])
  const good = await consumeAll(topic, 2, 60000)
  assert.deepEqual(good.map(r => r.value?.toString()), ['1', '3'])
  const [dead] = await consumeAll(dlq, 1, 60000)
  assert.equal(dead!.value?.toString(), '"not a number"', 'the record as the connector produced it, in the connector\'s converter')
  const h = new Map(dead!.headers.map(x => [x.key, x.value.toString()]))
  assert.equal(h.get('__connect.errors.stage'), 'TRANSFORMATION')
  assert.equal(h.get('__connect.errors.class.name'), 'org.apache.kafka.connect.transforms.Cast$Value')
  assert.equal(h.get('__connect.errors.connector.name'), 'src-dlq')
  assert.equal(h.get('__connect.errors.exception.message'), 'Value (not a number) was out of range for requested data type')
  assert.equal(h.get('__connect.errors.source.partition'), JSON.stringify({ filename: input }))
})

async function flakyPlugin (dir: string, failures: number): Promise<string> {
  const plugin = join(dir, `fails-${failures}.ts`)
  await writeFile(plugin, `
import { ConfigDef, definePlugins, plugin } from ${JSON.stringify(join(ROOT, 'src/api/index.ts'))}
let calls = 0
class FailsFirst {
  readonly kind = 'transformation'
  configure () {}
  config () { return new ConfigDef() }
  apply (r: any) { calls++; if (calls <= ${failures}) throw new Error('downstream unavailable (call ' + calls + ')'); return r }
}
export default definePlugins([plugin({ kind: 'transformation', className: 'test.FailsFirst', version: '1', create: () => new FailsFirst() })])
`)
  return plugin
}

test('beyond Apache: errors.task.restart.* restarts a failed task with backoff until it runs, and gives up after max attempts', { timeout: 180000 }, async (t) => {
  const s = await setup(t)
  await writeFile(s.worker, `plugin.path=${await flakyPlugin(s.dir, 2)}\n`, { flag: 'a' })
  const topic = uniqueTopic('auto-restart')
  await createTopic(topic, 1)
  const input = join(s.dir, 'in.txt')
  await writeFile(input, 'first\n')
  const source = join(s.dir, 'source.properties')
  await writeFile(source, [
    'name=auto', 'connector.class=FileStreamSource', `file=${input}`, `topic=${topic}`,
    'transforms=f', 'transforms.f.type=test.FailsFirst',
    'errors.task.restart.max.attempts=3', 'errors.task.restart.backoff.initial.ms=200', 'errors.task.restart.backoff.max.ms=2000'
  ].join('\n') + '\n')
  const cli = start(t, [s.worker, source])
  // Two failures, two automatic restarts, then the record goes through.
  const records = await consumeAll(topic, 1, 60000)
  assert.deepEqual(records.map(r => r.value?.toString()), ['first'])
  await cli.waitForOutput(/Task auto-0 failed; restarting it automatically in 200 ms \(attempt 1 of 3\)/)
  await cli.waitForOutput(/Task auto-0 failed; restarting it automatically in 400 ms \(attempt 2 of 3\)/)
  const st = await waitFor(async () => { const x = await status(s.port, 'auto'); return x?.tasks[0]?.state === 'RUNNING' ? x : null }, { what: 'RUNNING after the restarts' })
  assert.equal(st.tasks[0]!.state, 'RUNNING')

  // A task that keeps failing: FAILED for good after max attempts, saying so.
  const res = await fetch(`http://127.0.0.1:${s.port}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'always', config: { 'connector.class': 'FileStreamSource', file: input, topic: `${topic}-always`, transforms: 'cast', 'transforms.cast.type': 'org.apache.kafka.connect.transforms.Cast$Value', 'transforms.cast.spec': 'int8', 'errors.task.restart.max.attempts': '2', 'errors.task.restart.backoff.initial.ms': '100' } })
  })
  assert.equal(res.status, 201)
  const failed = await waitFor(async () => {
    const x = await status(s.port, 'always')
    return x?.tasks[0]?.state === 'FAILED' && /gave up after 2 attempts/.test(x.tasks[0].trace ?? '') ? x.tasks[0] : null
  }, { timeoutMs: 60000, what: 'FAILED after two automatic restarts' })
  assert.match(failed.trace ?? '', /Value \(first\) was out of range/)
  await cli.waitForOutput(/Task always-0 failed 2 times in a row; not restarting it again/)
})

// Apache's sink task converts the key, then the value, then the headers, and stops at the first failing stage: a
// record whose key and headers both fail is reported at KEY_CONVERTER. The DLQ copy keeps the record's empty value
// empty (not null), as Kafka's Java consumer sees it.
test('sink: a record failing its key and its headers is reported at KEY_CONVERTER, as in Apache; the DLQ keeps empty values empty', { timeout: 180000 }, async (t) => {
  const s = await setup(t)
  const topic = uniqueTopic('stage-order')
  const dlq = `${topic}-dlq`
  await createTopic(topic, 1)
  await produceMessages(topic, [
    { key: '{bad key', value: 'both bad', headers: [{ key: 'h', value: '{bad header' }], partition: 0 },
    { key: '"fine"', value: '', headers: [{ key: 'h', value: '{bad header' }], partition: 0 },
    { key: '"fine"', value: 'last', headers: [{ key: 'h', value: '1' }], partition: 0 }
  ])
  const output = join(s.dir, 'out.txt')
  const sink = join(s.dir, 'sink.properties')
  await writeFile(sink, [
    'name=stage-order', 'connector.class=FileStreamSink', `file=${output}`, `topics=${topic}`,
    'key.converter=org.apache.kafka.connect.json.JsonConverter', 'key.converter.schemas.enable=false',
    'header.converter=org.apache.kafka.connect.json.JsonConverter', 'header.converter.schemas.enable=false',
    'errors.tolerance=all', `errors.deadletterqueue.topic.name=${dlq}`, 'errors.deadletterqueue.topic.replication.factor=1',
    'errors.deadletterqueue.context.headers.enable=true'
  ].join('\n') + '\n')
  start(t, [s.worker, sink])
  await waitFor(async () => (await readLines(output)).length >= 1, { timeoutMs: 120000, what: 'the good record in the sink file' })
  assert.deepEqual(await readLines(output), ['last'])
  const dead = await javaConsume(kafkaBootstrap(), dlq, 2, 60000)
  const stage = (i: number): string | undefined => dead[i]!.headers.find(h => h.key === '__connect.errors.stage')?.value?.toString()
  assert.equal(stage(0), 'KEY_CONVERTER', 'key and headers fail: the key is reported')
  assert.equal(stage(1), 'HEADER_CONVERTER', 'only the headers fail')
  assert.deepEqual(dead[1]!.value, Buffer.alloc(0), 'the empty value reaches the DLQ empty, not null')
  assert.equal(dead[0]!.value?.toString(), 'both bad')
})
