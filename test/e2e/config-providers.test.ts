/**
 * Connector configs with config provider variables on the real broker: the connector and its tasks receive the
 * resolved values, while REST, the persisted configs and the logs only ever show the variables.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { createTopic, produceMessages, uniqueTopic } from '../harness/kafka.ts'
import { readLines } from '../helpers/pipeline.ts'
import { http, startWorker } from '../helpers/rest.ts'
import { waitFor } from '../helpers/wait-for.ts'

const SECRET = 's3cr3t-from-a-file'

test('a connector\'s password comes from a file provider; REST and the logs show only the variable', { timeout: 120000 }, async t => {
  const w = await startWorker(t, {
    extraWorker: [
      'config.providers=file',
      'config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider',
      `plugin.path=${join(import.meta.dirname, 'fixtures', 'password-check-sink.ts')}`
    ]
  })
  const creds = join(w.dir, 'creds.properties')
  await writeFile(creds, `password=${SECRET}\noutput=${join(w.dir, 'out.txt')}\n`)
  const variable = `\${file:${creds}:password}`
  const topic = uniqueTopic('providers')
  await createTopic(topic, 1)
  const config = {
    'connector.class': 'com.example.PasswordCheckSink', topics: topic, password: variable,
    'expected.sha256': createHash('sha256').update(SECRET).digest('hex')
  }
  const created = await http(w.base, 'POST', '/connectors', { name: 'checked', config })
  assert.equal(created.status, 201, created.text)
  const status = await waitFor(async () => {
    const r = await http(w.base, 'GET', '/connectors/checked/status')
    const s = r.body as { connector: { state: string }, tasks: Array<{ state: string, trace?: string }> }
    return s.tasks?.[0]?.state === 'RUNNING' || s.tasks?.[0]?.state === 'FAILED' || s.connector?.state === 'FAILED' ? s : null
  }, { what: 'the connector and its task to start' })
  assert.equal(status.connector.state, 'RUNNING', JSON.stringify(status))
  assert.equal(status.tasks[0]!.state, 'RUNNING', 'the task got the resolved password too')
  for (const path of ['/connectors/checked', '/connectors/checked/config', '/connectors/checked/tasks', '/connectors?expand=info']) {
    const r = await http(w.base, 'GET', path)
    assert.ok(!r.text.includes(SECRET), `${path} leaks the secret`)
    assert.ok(r.text.includes(variable.replace(/\\/g, '')), `${path} shows the variable: ${r.text}`)
  }
  const persisted = await readFile(join(w.dir, 'connect.offsets.connectors.json'), 'utf8')
  assert.ok(!persisted.includes(SECRET) && persisted.includes(variable), 'the persisted config keeps the variable')

  // A FileStreamSink whose file comes from the provider writes there.
  const sink = await http(w.base, 'POST', '/connectors', { name: 'to-file', config: { 'connector.class': 'FileStreamSink', topics: topic, file: `\${file:${creds}:output}` } })
  assert.equal(sink.status, 201, sink.text)
  await produceMessages(topic, [{ value: 'resolved' }])
  await waitFor(async () => (await readLines(join(w.dir, 'out.txt'))).includes('resolved'), { what: 'the record in the provider-named file' })
  await w.stop()
  assert.ok(!(w.cli.stdout + w.cli.stderr).includes(SECRET), 'the logs never show the secret')
})
