/**
 * FileStreamSink to special files through the real CLI on the real broker: a sink to /dev/null or to a FIFO (with a
 * reader) commits its group's offsets, and logs no sync error (fsync fails on such files; it used to fail every commit,
 * so each restart re-delivered everything).
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { RdKafkaGroupOffsets } from '../../../src/kafka/consumer-group-offsets.ts'
import { createTopic, kafkaBootstrap, produceMessages, uniqueTopic } from '../../harness/kafka.ts'
import { spawnCli } from '../../helpers/cli.ts'
import { waitFor } from '../../helpers/wait-for.ts'
import { removeDir } from '../../helpers/remove-dir.ts'

async function runSinkTo (t: TestContext, dir: string, file: string): Promise<string> {
  const topic = uniqueTopic('file-sink-special')
  const name = `sink-${topic}`
  await createTopic(topic)
  await produceMessages(topic, ['a', 'b', 'c'].map(value => ({ value })))
  await writeFile(join(dir, 'worker.properties'), [
    `bootstrap.servers=${kafkaBootstrap()}`,
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.storage.StringConverter',
    'listeners=http://127.0.0.1:0',
    `offset.storage.file.filename=${join(dir, 'connect.offsets')}`,
    'offset.flush.interval.ms=300'
  ].join('\n') + '\n')
  await writeFile(join(dir, 'sink.properties'), `name=${name}\nconnector.class=FileStreamSink\ntopics=${topic}\nfile=${file}\n`)
  const cli = spawnCli([join(dir, 'worker.properties'), join(dir, 'sink.properties')])
  t.after(() => cli.kill('SIGKILL'))
  const offsets = new RdKafkaGroupOffsets({ 'bootstrap.servers': kafkaBootstrap() })
  await waitFor(async () => (await offsets.list(`connect-${name}`, [topic])).some(o => o.partition === 0 && o.offset === 3),
    { timeoutMs: 60000, intervalMs: 200, what: `offset 3 committed for connect-${name}; output:\n${cli.stderr.slice(-2000)}` })
  cli.kill('SIGTERM')
  await cli.exited
  return cli.stdout + cli.stderr
}

test('a FileStreamSink to /dev/null commits its offsets and logs no sync error', { timeout: 90000 }, async t => {
  const dir = await mkdtemp(join(tmpdir(), 'file-sink-devnull-'))
  t.after(() => removeDir(dir))
  const output = await runSinkTo(t, dir, '/dev/null')
  assert.doesNotMatch(output, /EINVAL|datasync|fsync/i)
})

test('a FileStreamSink to a FIFO commits its offsets and its reader gets every record', { timeout: 90000 }, async t => {
  const dir = await mkdtemp(join(tmpdir(), 'file-sink-fifo-'))
  t.after(() => removeDir(dir))
  const fifo = join(dir, 'pipe')
  execFileSync('mkfifo', [fifo])
  let text = ''
  const reader = createReadStream(fifo, 'utf8').on('data', d => { text += String(d) })
  t.after(() => reader.destroy())
  const ended = new Promise<void>(resolve => reader.on('end', () => resolve()))
  const output = await runSinkTo(t, dir, fifo)
  await ended
  assert.equal(text, 'a\nb\nc\n')
  assert.doesNotMatch(output, /EINVAL|datasync|fsync/i)
})
