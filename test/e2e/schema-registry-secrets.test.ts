/**
 * Schema Registry credentials never leave the worker: a connector whose converters carry basic.auth.user.info, a
 * bearer.auth.token and user info in schema.registry.url runs against the real registry, and every REST answer that
 * shows its config (config, info, tasks, validate) shows [hidden] (the URL as http://[hidden]@host); a task failing
 * on an unreachable registry or on malformed user info says so without them; the worker's whole output, at DEBUG,
 * never holds one.
 */
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { consumeAll, createTopic, kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'
import { schemaRegistryCcompatUrl } from '../harness/schema-registry.mjs'
import { spawnCli } from '../helpers/cli.ts'
import { http } from '../helpers/rest.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { writeWorkerFile } from '../helpers/worker-file.ts'

const AVRO = 'io.confluent.connect.avro.AvroConverter'
const SECRETS = {
  urlUser: 'url-user-7f3a',
  urlPassword: 'url-pass-91c2',
  userInfo: 'info-user-5d1e:info-pass-2b8f',
  bearer: 'bearer-tok-6e4c0a',
  deadPassword: 'dead-pass-3a9d',
  malformed: 'malformed-secret-4c7b'
}
const secretParts = Object.values(SECRETS).flatMap(s => s.split(':'))

/** A loopback port with nothing listening (bound, then closed). */
async function closedPort (): Promise<number> {
  const srv = createServer()
  await new Promise<void>(resolve => srv.listen(0, '127.0.0.1', resolve))
  const port = (srv.address() as { port: number }).port
  await new Promise(resolve => srv.close(resolve))
  return port
}

function assertNoSecret (text: string, where: string): void {
  for (const s of secretParts) assert.ok(!text.includes(s), `${where} holds a secret (${s.slice(0, 4)}...)`)
}

test('credentials of the registry converters show as [hidden] in every REST answer and never reach the log', { timeout: 180000 }, async (t) => {
  const registry = schemaRegistryCcompatUrl()
  const dir = await mkdtemp(join(tmpdir(), 'sr-secrets-'))
  t.after(async () => { await removeDir(dir) })
  const topic = uniqueTopic('sr-secrets')
  await createTopic(topic, 1)
  const input = join(dir, 'in.txt')
  await writeFile(input, 'one\ntwo\n')
  const worker = await writeWorkerFile(dir, kafkaBootstrap())
  const cli = spawnCli([worker], { env: { CONNECT_LOG_LEVEL: 'DEBUG' } })
  t.after(() => { cli.kill('SIGKILL') })
  await cli.waitForOutput(/Kafka Connect started/)
  const rest = /REST server listening at (http:\/\/[^/\s]+)\//.exec(cli.stdout + cli.stderr)![1]!

  const withUserInfo = registry.replace('http://', `http://${SECRETS.urlUser}:${SECRETS.urlPassword}@`)
  const config = {
    'connector.class': 'FileStreamSource', file: input, topic,
    // HoistField: a struct value, so the value converter registers a record schema.
    transforms: 'hoist', 'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value', 'transforms.hoist.field': 'line',
    'key.converter': AVRO, 'key.converter.schema.registry.url': registry, 'key.converter.bearer.auth.token': SECRETS.bearer,
    'value.converter': AVRO, 'value.converter.schema.registry.url': withUserInfo,
    'value.converter.basic.auth.credentials.source': 'USER_INFO', 'value.converter.basic.auth.user.info': SECRETS.userInfo
  }
  assert.throws(() => { assertNoSecret(JSON.stringify(config), 'the config itself') }, /holds a secret/)
  const created = await http(rest, 'PUT', '/connectors/sr-secrets/config', config)
  assert.equal(created.status, 201, created.text)
  assertNoSecret(created.text, 'the PUT answer')

  // It runs against the registry with those settings (Apicurio ignores the credentials).
  const records = await consumeAll(topic, 2, 60000)
  for (const r of records) assert.equal(r.value![0], 0, 'magic byte')

  const shown = (await http(rest, 'GET', '/connectors/sr-secrets/config')).body as Record<string, string>
  assert.equal(shown['value.converter.basic.auth.user.info'], '[hidden]')
  assert.equal(shown['key.converter.bearer.auth.token'], '[hidden]')
  assert.equal(shown['value.converter.schema.registry.url'], registry.replace('http://', 'http://[hidden]@'))
  assert.equal(shown['key.converter.schema.registry.url'], registry, 'a URL without user info shows as it is')
  for (const path of ['/connectors/sr-secrets/config', '/connectors/sr-secrets', '/connectors?expand=info', '/connectors/sr-secrets/tasks']) {
    const res = await http(rest, 'GET', path)
    assert.equal(res.status, 200, `${path}: ${res.text}`)
    assertNoSecret(res.text, path)
  }

  const validated = await http(rest, 'PUT', '/connector-plugins/FileStreamSource/config/validate', { ...config, name: 'sr-secrets' })
  assert.equal(validated.status, 200, validated.text)
  assertNoSecret(validated.text, 'config/validate')
  const values = new Map((validated.body as { configs: Array<{ value: { name: string, value: string | null } }> }).configs.map(c => [c.value.name, c.value.value]))
  assert.equal(values.get('value.converter.basic.auth.user.info'), '[hidden]')
  assert.equal(values.get('key.converter.bearer.auth.token'), '[hidden]')
  assert.equal(values.get('value.converter.schema.registry.url'), registry.replace('http://', 'http://[hidden]@'))

  // Failures say what went wrong without the credentials: an unreachable registry, malformed user info.
  const dead = `http://127.0.0.1:${await closedPort()}/apis/ccompat/v7`
  const failing = {
    'sr-secrets-dead': { ...config, topic: `${topic}-dead`, 'value.converter.schema.registry.url': dead.replace('http://', `http://carol:${SECRETS.deadPassword}@`), 'value.converter.basic.auth.credentials.source': 'URL', 'value.converter.max.retries': '0' },
    'sr-secrets-malformed': { ...config, topic: `${topic}-malformed`, 'value.converter.basic.auth.user.info': SECRETS.malformed }
  }
  for (const [name, c] of Object.entries(failing)) {
    const res = await http(rest, 'PUT', `/connectors/${name}/config`, c)
    assertNoSecret(res.text, `PUT ${name}`)
  }
  const traces: Record<string, string> = {}
  for (const name of Object.keys(failing)) {
    traces[name] = await waitFor(async () => {
      const st = (await http(rest, 'GET', `/connectors/${name}/status`)).body as { connector: { state: string, trace?: string }, tasks: Array<{ state: string, trace?: string }> }
      const trace = st.tasks?.[0]?.state === 'FAILED' ? st.tasks[0].trace : st.connector?.state === 'FAILED' ? st.connector.trace : undefined
      return trace
    }, { timeoutMs: 60000, what: `${name} to fail` })
    assertNoSecret(traces[name], `${name}'s status trace`)
  }
  assert.match(traces['sr-secrets-dead']!, new RegExp(`Schema Registry at ${dead.replace(/[./]/g, '\\$&')} is unreachable`))
  assert.match(traces['sr-secrets-malformed']!, /Invalid value \[hidden\] for configuration basic\.auth\.user\.info: expected \{username\}:\{password\}/)

  cli.kill('SIGTERM')
  await cli.exited
  assertNoSecret(cli.stdout + cli.stderr, 'the worker\'s output')
})
