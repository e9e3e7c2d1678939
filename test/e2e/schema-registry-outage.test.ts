/**
 * The registry stopped mid-run: a source (the evolving test source) and a FileStreamSink, both with AvroConverter
 * and a large errors.retry.timeout, against a registry of this test's own. While it is down, the source meets a
 * schema its converter has not registered yet and the sink records whose schema id it has not read yet: both must
 * call the registry, get a RetriableError and retry, the tasks staying RUNNING, the log naming the retried error but
 * never the registry's credentials. Once the registry is back, every record arrives, each once.
 */
import assert from 'node:assert/strict'
import { appendFile, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { Headers } from '../../src/api/index.ts'
import { AvroConverter } from '../../src/converters/schema-registry/registry-converters.ts'
import { createTopic, kafkaBootstrap, produceMessages, uniqueTopic, type TestMessage } from '../harness/kafka.ts'
import { startSchemaRegistry, type SchemaRegistry } from '../harness/schema-registry.mjs'
import { spawnCli } from '../helpers/cli.ts'
import { readLines } from '../helpers/pipeline.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { writeWorkerFile } from '../helpers/worker-file.ts'
import { USER_SCHEMAS, userOf } from './fixtures/evolving-source.ts'

const PLUGIN = join(import.meta.dirname, 'fixtures', 'evolving-source.ts')
const SECRET = 'outage-s3cret-pw'

let registry: SchemaRegistry
before(async () => { registry = await startSchemaRegistry() })
after(async () => { await registry?.stop() })

test('a registry stopped mid-run: source and sink retry while it is down and lose nothing once it is back', { timeout: 300000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sr-outage-'))
  t.after(async () => { await removeDir(dir) })
  const topic = uniqueTopic('sr-outage')
  await createTopic(topic, 1)
  const input = join(dir, 'in.txt')
  const output = join(dir, 'out.txt')
  const withUserInfo = registry.ccompatUrl.replace('http://', `http://outage-user:${SECRET}@`)
  const converter = [
    'value.converter=io.confluent.connect.avro.AvroConverter', `value.converter.schema.registry.url=${withUserInfo}`,
    'value.converter.basic.auth.credentials.source=URL',
    // Retried by the worker for up to 10 minutes, at most 1 s apart, so the records go as soon as it is back.
    'errors.retry.timeout=600000', 'errors.retry.delay.max.ms=1000'
  ]
  const src = `outage-src-${topic}`
  const sink = `outage-sink-${topic}`
  await writeFile(join(dir, 'src.properties'), [`name=${src}`, 'connector.class=test.EvolvingSource', `file=${input}`, `topic=${topic}`, ...converter].join('\n') + '\n')
  await writeFile(join(dir, 'sink.properties'), [`name=${sink}`, 'connector.class=FileStreamSink', `file=${output}`, `topics=${topic}`, ...converter].join('\n') + '\n')
  const worker = await writeWorkerFile(dir, kafkaBootstrap(), [`plugin.path=${PLUGIN}`])
  // DEBUG: the worker logs each retry of a stage with the error (Apache does so at DEBUG too).
  const cli = spawnCli([worker, join(dir, 'src.properties'), join(dir, 'sink.properties')], { env: { CONNECT_LOG_LEVEL: 'DEBUG' } })
  t.after(() => { cli.kill('SIGKILL') })
  await cli.waitForOutput(/REST server listening at http:\/\/\S+\//)
  const rest = /REST server listening at (http:\/\/[^/\s]+)\//.exec(cli.stdout + cli.stderr)![1]!
  const state = async (name: string): Promise<string | undefined> =>
    (await (await fetch(`${rest}/connectors/${name}/status`)).json() as { tasks: Array<{ state: string }> }).tasks[0]?.state

  // Up: v1 records registered and read.
  await appendFile(input, '1 1\n1 2\n1 3\n')
  await waitFor(async () => (await readLines(output)).length >= 3, { timeoutMs: 60000, what: 'the first records in the sink file' })

  // Records of schema v2, which the sink's converter has not met, written by another converter while the registry
  // is up (the registry gives them the id v2 will have).
  const writer = new AvroConverter()
  writer.configure({ 'schema.registry.url': registry.ccompatUrl }, false)
  const direct: TestMessage[] = []
  for (const id of [101, 102]) direct.push({ key: String(id), value: (await writer.fromConnectData(topic, Headers.EMPTY, USER_SCHEMAS[2]!, userOf(2, id)))!, partition: 0 })
  writer.close()

  const before = (cli.stdout + cli.stderr).length
  const logSince = (): string => (cli.stdout + cli.stderr).slice(before)
  await registry.restart({
    whileDown: async () => {
      await appendFile(input, '2 4\n2 5\n2 6\n')
      await produceMessages(topic, direct)
      // Both converters ask the registry, are refused a connection and retry, more than once each.
      const retries = (stage: string, task: string): number => logSince().split('\n').filter(l => l.includes(`[${task}|task-0]`) && l.includes(`Retrying stage ${stage}`) && l.includes('unreachable')).length
      await waitFor(() => retries('VALUE_CONVERTER', src) >= 2 && retries('VALUE_CONVERTER', sink) >= 2, { timeoutMs: 60000, what: 'retries of both converters while the registry is down' })
        .catch((err: Error) => { throw new Error(`${err.message}; log:\n${logSince().slice(-4000)}`) })
      assert.equal(await state(src), 'RUNNING')
      assert.equal(await state(sink), 'RUNNING')
      assert.equal((await readLines(output)).length, 3, 'nothing new read while the registry is down')
    }
  })

  // v2 leaves email null on even ids, which the writer writes as the field's default.
  const expected = [1, 2, 3].map(id => `Struct{id=${id},name=user-${id}}`).concat(
    [4, 5, 6, 101, 102].map(id => `Struct{id=${id},name=user-${id},email=${id % 2 === 1 ? `u${id}@example.com` : 'none'}}`))
  await waitFor(async () => (await readLines(output)).length >= expected.length, { timeoutMs: 120000, what: `${expected.length} records in the sink file` })
  const lines = await readLines(output)
  assert.deepEqual([...lines].sort(), [...expected].sort(), 'every record, each once')
  assert.equal(await state(src), 'RUNNING')
  assert.equal(await state(sink), 'RUNNING')

  const log = cli.stdout + cli.stderr
  assert.match(log, /Retrying stage VALUE_CONVERTER \(attempt \d+\) in \d+ ms after: Schema Registry at http:\/\/127\.0\.0\.1:\d+\/apis\/ccompat\/v7 is unreachable to register a schema under subject/)
  assert.ok(!log.includes(SECRET), 'the registry password is never logged')
  assert.ok(!log.includes('outage-user'), 'nor its user name')
})
