/**
 * The user's note (kafka-connect-seed.md): a FileStreamSinkConnector with StringConverter created by curl. The body
 * is verbatim; the note's `-header` / `-data` are typeset `--header` / `--data` (curl reads `-header` as `-h`, its
 * help), the URL points at the test worker's port and the file into the test's directory. The file must fill with
 * the topic's records. Sink offsets (the consumer group) are then read, altered and reset through REST.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { readLines } from '../helpers/pipeline.ts'
import { http, startWorker } from '../helpers/rest.ts'
import { waitFor } from '../helpers/wait-for.ts'

const run = promisify(execFile)

test('the curl example of the user\'s note works and the file fills with the topic\'s records', async t => {
  const w = await startWorker(t)
  const output = join(w.dir, 'output.txt')
  const input = join(w.dir, 'input.txt')
  const lines = Array.from({ length: 50 }, (_, i) => `record ${i}`)
  await writeFile(input, lines.join('\n') + '\n')
  // Records into connect_topic, through a source connector created the same way.
  const src = await http(w.base, 'POST', '/connectors', { name: 'feed', config: { 'connector.class': 'FileStreamSource', file: input, topic: 'connect_topic' } })
  assert.equal(src.status, 201, src.text)
  await waitFor(async () => ((await http(w.base, 'GET', '/connectors/feed/topics')).body as { feed: { topics: string[] } }).feed.topics.length === 1, { what: 'connect_topic to exist' })

  const body = `{
     "name": "file_sink_connector",
     "config": {
         "connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",
         "topics": "connect_topic",
         "file": "${output}",
         "value.converter": "org.apache.kafka.connect.storage.StringConverter"
     }
}`
  const { stdout } = await run('curl', ['-s', '-w', '\n%{http_code}', '-X', 'POST', `${w.base}/connectors`,
    '--header', 'Accept: */*', '--header', 'Content-Type: application/json', '--data', body])
  const [json, code] = stdout.trim().split('\n')
  assert.equal(code, '201', stdout)
  assert.deepEqual(JSON.parse(json!), {
    name: 'file_sink_connector',
    config: {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
      topics: 'connect_topic',
      file: output,
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      name: 'file_sink_connector'
    },
    tasks: [{ connector: 'file_sink_connector', task: 0 }],
    type: 'sink'
  })
  await waitFor(async () => (await readLines(output)).length >= lines.length, { what: 'the sink file to fill', timeoutMs: 60000 })
  assert.deepEqual(await readLines(output), lines)

  await t.test('sink offsets: GET, then PATCH and DELETE only when STOPPED', async () => {
    // The committed offset reaches 50 at the next commit (offset.flush.interval.ms=500).
    await waitFor(async () => {
      const r = await http(w.base, 'GET', '/connectors/file_sink_connector/offsets')
      const offsets = (r.body as { offsets: Array<{ offset: { kafka_offset: number } }> }).offsets
      return offsets.length === 1 && offsets[0]!.offset.kafka_offset === lines.length
    }, { what: 'committed sink offset 50', timeoutMs: 30000 })
    assert.deepEqual((await http(w.base, 'GET', '/connectors/file_sink_connector/offsets')).body,
      { offsets: [{ partition: { kafka_topic: 'connect_topic', kafka_partition: 0 }, offset: { kafka_offset: lines.length } }] })
    assert.equal((await http(w.base, 'PUT', '/connectors/file_sink_connector/stop')).status, 204)
    const badPartition = await http(w.base, 'PATCH', '/connectors/file_sink_connector/offsets', { offsets: [{ partition: { kafka_topic: 'connect_topic' }, offset: { kafka_offset: 1 } }] })
    assert.equal(badPartition.status, 400)
    const alter = await http(w.base, 'PATCH', '/connectors/file_sink_connector/offsets', { offsets: [{ partition: { kafka_topic: 'connect_topic', kafka_partition: '0' }, offset: { kafka_offset: 45 } }] })
    assert.deepEqual(alter.body, { message: 'The offsets for this connector have been altered successfully' }, alter.text)
    assert.deepEqual((await http(w.base, 'GET', '/connectors/file_sink_connector/offsets')).body,
      { offsets: [{ partition: { kafka_topic: 'connect_topic', kafka_partition: 0 }, offset: { kafka_offset: 45 } }] })
    // Resumed from 45, the sink writes the last five records again.
    assert.equal((await http(w.base, 'PUT', '/connectors/file_sink_connector/resume')).status, 202)
    await waitFor(async () => (await readLines(output)).length === lines.length + 5, { what: 'five records again', timeoutMs: 60000 })
    assert.deepEqual((await readLines(output)).slice(lines.length), lines.slice(45))
    assert.equal((await http(w.base, 'PUT', '/connectors/file_sink_connector/stop')).status, 204)
    const reset = await http(w.base, 'DELETE', '/connectors/file_sink_connector/offsets')
    assert.deepEqual(reset.body, { message: 'The offsets for this connector have been reset successfully' }, reset.text)
    // No group offset API in node-rdkafka 3.6.1: a reset moves the group to the earliest offset (see README).
    assert.deepEqual((await http(w.base, 'GET', '/connectors/file_sink_connector/offsets')).body,
      { offsets: [{ partition: { kafka_topic: 'connect_topic', kafka_partition: 0 }, offset: { kafka_offset: 0 } }] })
  })
})
