/**
 * End to end on the real broker: the CLI runs DatagenConnector with quickstart=users, iterations=N and JsonConverter;
 * the topic holds exactly N records whose keys are the userid field and whose values carry the ksql.users schema, and
 * a second run with the same random.seed writes the same records.
 */
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { consumeAll, createTopic, kafkaBootstrap, uniqueTopic, type ConsumedMessage } from '../../harness/kafka.ts'
import { spawnCli } from '../../helpers/cli.ts'
import { removeDir } from '../../helpers/remove-dir.ts'
import { writeWorkerFile } from '../../helpers/worker-file.ts'

const N = 40

async function run (t: TestContext, seed: string): Promise<ConsumedMessage[]> {
  const dir = await mkdtemp(join(tmpdir(), 'datagen-cli-'))
  t.after(async () => { await removeDir(dir) })
  const topic = uniqueTopic('datagen-users')
  await createTopic(topic, 1)
  const worker = await writeWorkerFile(dir, kafkaBootstrap(), ['value.converter=org.apache.kafka.connect.json.JsonConverter'])
  const connector = join(dir, 'datagen.properties')
  await writeFile(connector, [
    'name=datagen-users',
    'connector.class=DatagenConnector',
    `kafka.topic=${topic}`,
    'quickstart=users',
    `iterations=${N}`,
    'max.interval=5',
    `random.seed=${seed}`,
    'tasks.max=1'
  ].join('\n') + '\n')
  const cli = spawnCli([worker, connector])
  t.after(() => cli.kill('SIGKILL'))
  const messages = await consumeAll(topic, N, 60000).catch((err: Error) => assert.fail(`${err.message}\n${cli.stderr.slice(-3000)}`))
  // The task then idles: nothing beyond N is written.
  await cli.waitForOutput(new RegExp(`generated the configured ${N} messages`))
  await assert.rejects(consumeAll(topic, N + 1, 3000), new RegExp(`${N} of ${N + 1} messages`))
  assert.match(await fetchStatus(cli.stderr + cli.stdout), /RUNNING/)
  cli.kill('SIGTERM')
  await cli.exited
  return messages
}

/** The connector's status from the REST port the CLI logged. */
async function fetchStatus (output: string): Promise<string> {
  const port = /REST server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]
  assert.ok(port, `the CLI logs its REST port:\n${output.slice(-2000)}`)
  const res = await fetch(`http://127.0.0.1:${port}/connectors/datagen-users/status`)
  return await res.text()
}

test('quickstart=users with iterations=N writes N users records; the same seed writes the same records', { timeout: 240000 }, async (t) => {
  const first = await run(t, '42')
  assert.equal(first.length, N)
  for (const m of first) {
    const value = JSON.parse(m.value!.toString()) as { schema: { name: string, fields: Array<{ field: string, type: string }> }, payload: Record<string, unknown> }
    assert.equal(value.schema.name, 'ksql.users')
    assert.deepEqual(value.schema.fields.map(f => [f.field, f.type]), [['registertime', 'int64'], ['userid', 'string'], ['regionid', 'string'], ['gender', 'string']])
    assert.match(value.payload.userid as string, /^User_[1-9]$/)
    assert.equal(m.key!.toString(), value.payload.userid)
    assert.ok(['MALE', 'FEMALE', 'OTHER'].includes(value.payload.gender as string))
    assert.deepEqual(m.headers.map(h => h.key), ['task.generation', 'task.id', 'current.iteration'])
  }
  assert.deepEqual(first.map(m => m.headers[2]!.value.toString()), Array.from({ length: N }, (_, i) => String(i)))

  const second = await run(t, '42')
  assert.deepEqual(second.map(m => [m.key?.toString(), m.value?.toString()]), first.map(m => [m.key?.toString(), m.value?.toString()]))
})
