/**
 * Apache Kafka 4.3's own quick-start files, unchanged apart from paths and bootstrap.servers: the worker uses
 * JsonConverter with schemas enabled, the connectors use the pruned aliases.
 */
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { consumeAll, createTopic, kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'
import { spawnCli } from '../helpers/cli.ts'
import { readLines } from '../helpers/pipeline.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { removeDir } from '../helpers/remove-dir.ts'

test('Apache\'s connect-standalone.properties and file quick-start connectors run unchanged', { timeout: 180000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'apache-qs-'))
  t.after(async () => { await removeDir(dir) })
  const topic = uniqueTopic('connect-test')
  await createTopic(topic, 1)
  // config/connect-standalone.properties from Apache Kafka 4.3, comments dropped; bootstrap and paths changed.
  await writeFile(join(dir, 'connect-standalone.properties'), [
    `bootstrap.servers=${kafkaBootstrap()}`,
    'key.converter=org.apache.kafka.connect.json.JsonConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable=true',
    'value.converter.schemas.enable=true',
    'listeners=http://127.0.0.1:0',
    `offset.storage.file.filename=${join(dir, 'connect.offsets')}`,
    'offset.flush.interval.ms=10000',
    '#plugin.path='
  ].join('\n') + '\n')
  await writeFile(join(dir, 'connect-file-source.properties'),
    `name=local-file-source\nconnector.class=FileStreamSource\ntasks.max=1\nfile=${join(dir, 'test.txt')}\ntopic=${topic}\n`)
  await writeFile(join(dir, 'connect-file-sink.properties'),
    `name=local-file-sink\nconnector.class=FileStreamSink\ntasks.max=1\nfile=${join(dir, 'test.sink.txt')}\ntopics=${topic}\n`)
  const lines = ['foo', 'bar', 'héllo 🚀', 'quote " and \\ backslash']
  await writeFile(join(dir, 'test.txt'), lines.join('\n') + '\n')

  const cli = spawnCli([join(dir, 'connect-standalone.properties'), join(dir, 'connect-file-source.properties'), join(dir, 'connect-file-sink.properties')])
  t.after(() => cli.kill('SIGKILL'))
  const out = await waitFor(async () => { const l = await readLines(join(dir, 'test.sink.txt')); return l.length >= lines.length ? l : null },
    { timeoutMs: 60000, what: 'the sink file' })
  assert.deepEqual(out, lines)

  // The bytes in Kafka are JsonConverter's envelope, as Apache writes them (emoji as escaped surrogates).
  const records = await consumeAll(topic, lines.length, 30000)
  assert.equal(records[0]!.value!.toString(), '{"schema":{"type":"string","optional":false},"payload":"foo"}')
  assert.equal(records[2]!.value!.toString(), '{"schema":{"type":"string","optional":false},"payload":"héllo \\uD83D\\uDE80"}')
  assert.equal(records[0]!.key, null)
  cli.kill('SIGTERM')
  assert.equal((await cli.exited).code, 143)
})
