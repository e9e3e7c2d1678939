/**
 * The secured REST API of a real connect-standalone on the real broker, set up the Apache way: an https listener
 * with a PKCS12 key store (its password from a config provider), BasicAuthSecurityRestExtension with the JAAS file
 * given by -Djava.security.auth.login.config in KAFKA_OPTS. curl with --cacert and -u gets in; no credentials is
 * 401; an oversized body 413; no secret reaches the output. Start-up refuses unknown REST extensions, JKS key stores
 * and empty credentials files with exit code 2.
 */
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { runCli, spawnCli } from '../helpers/cli.ts'
import { bootstrapServers } from '../helpers/rest.ts'
import { createTestPki, curl, header } from '../helpers/test-pki.ts'
import { removeDir } from '../helpers/remove-dir.ts'

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rest-sec-cli-'))
  t.after(async () => { await removeDir(dir) })
  return dir
}

function workerLines (dir: string): string[] {
  return [
    `bootstrap.servers=${bootstrapServers()}`,
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.storage.StringConverter',
    `offset.storage.file.filename=${join(dir, 'connect.offsets')}`
  ]
}

test('https + basic authentication on the real worker: curl --cacert -u works, 401 without credentials, 413 for a huge body', async t => {
  const dir = await tempDir(t)
  const pki = createTestPki(dir)
  const userPassword = 'Alice-Pw-91c3'
  await writeFile(join(dir, 'credentials.properties'), `alice=${userPassword}\n`)
  await writeFile(join(dir, 'jaas.conf'), [
    'KafkaConnect {',
    '  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required',
    `  file="${join(dir, 'credentials.properties')}";`,
    '};'
  ].join('\n') + '\n')
  await writeFile(join(dir, 'secrets.properties'), `p12.password=${pki.p12Password}\n`)
  const workerFile = join(dir, 'worker.properties')
  await writeFile(workerFile, [
    ...workerLines(dir),
    'listeners=https://127.0.0.1:0,http://127.0.0.1:0',
    'config.providers=file',
    'config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider',
    `listeners.https.ssl.keystore.location=${pki.serverP12}`,
    `listeners.https.ssl.keystore.password=\${file:${join(dir, 'secrets.properties')}:p12.password}`,
    'listeners.https.ssl.keystore.type=PKCS12',
    'rest.extension.classes=org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension',
    'rest.request.body.max.bytes=65536'
  ].join('\n') + '\n')
  const cli = spawnCli([workerFile], { env: { KAFKA_OPTS: `-Djava.security.auth.login.config=${join(dir, 'jaas.conf')}` } })
  t.after(async () => {
    cli.kill('SIGTERM')
    const timer = setTimeout(() => cli.kill('SIGKILL'), 20000)
    await cli.exited
    clearTimeout(timer)
  })
  await cli.waitForOutput(/Kafka Connect started/, 60000)
  const https = /REST server listening at (https:\/\/127\.0\.0\.1:\d+)\//.exec(cli.stderr)?.[1]
  const http = /REST server listening at (http:\/\/127\.0\.0\.1:\d+)\//.exec(cli.stderr)?.[1]
  assert.ok(https && http, cli.stderr)
  assert.match(cli.stderr, /REST https listeners: PKCS12 key store .*server\.p12, TLSv1\.2-TLSv1\.3 \(listeners\.https\.ssl\.\* settings\)/)
  assert.match(cli.stderr, /REST API basic authentication on: JAAS file .*jaas\.conf \(-Djava\.security\.auth\.login\.config in KAFKA_OPTS\), entry KafkaConnect/)
  const auth = ['--cacert', pki.caCert, '-u', `alice:${userPassword}`]

  const list = await curl([...auth, `${https}/connectors`])
  assert.equal(list.status, 200, `${list.stderr}\n${list.headers}`)
  assert.equal(list.body, '[]')
  const created = await curl([...auth, '-X', 'POST', '-H', 'Content-Type: application/json',
    '-d', JSON.stringify({ name: 'secured-sink', config: { 'connector.class': 'FileStreamSink', topics: `rest-sec-${Date.now()}`, file: join(dir, 'out.txt') } }),
    `${https}/connectors`])
  assert.equal(created.status, 201, created.body)
  assert.equal(header(created.headers, 'Location'), `${https}/connectors/secured-sink`)
  assert.equal((await curl([...auth, `${https}/connectors`])).body, '["secured-sink"]')

  for (const base of [https, http]) {
    const denied = await curl(['--cacert', pki.caCert, `${base}/connectors`])
    assert.equal(denied.status, 401, base)
    assert.deepEqual(JSON.parse(denied.body), { error_code: 401, message: 'User cannot access the resource.' })
  }
  assert.equal((await curl(['--cacert', pki.caCert, '-u', 'alice:wrong', `${https}/connectors/secured-sink`])).status, 401)

  const big = join(dir, 'big.json')
  await writeFile(big, JSON.stringify({ name: 'big', config: { 'connector.class': 'FileStreamSink', topics: 't', pad: 'x'.repeat(100 * 1024) } }))
  const tooBig = await curl([...auth, '-X', 'POST', '-H', 'Content-Type: application/json', '--data-binary', `@${big}`, `${https}/connectors`])
  assert.equal(tooBig.status, 413)
  assert.deepEqual(JSON.parse(tooBig.body), { error_code: 413, message: 'Request body larger than 65536 bytes (rest.request.body.max.bytes)' })
  assert.equal((await curl([...auth, `${https}/connectors`])).body, '["secured-sink"]', 'the oversized request created nothing')

  for (const secret of [userPassword, pki.p12Password, Buffer.from(`alice:${userPassword}`).toString('base64')]) {
    assert.ok(!cli.stderr.includes(secret) && !cli.stdout.includes(secret), `the output shows the secret ${secret}`)
  }
})

test('start-up refuses what the REST server cannot do, with exit code 2 and the key named', async t => {
  const dir = await tempDir(t)
  const pki = createTestPki(dir)
  const start = async (extra: string[], env: Record<string, string> = {}): Promise<{ code: number | null, stderr: string }> => {
    const file = join(dir, `worker-${Math.random().toString(36).slice(2)}.properties`)
    await writeFile(file, [...workerLines(dir), ...extra].join('\n') + '\n')
    return await runCli([file], { env, timeoutMs: 60000 })
  }

  const unknown = await start(['listeners=http://127.0.0.1:0', 'rest.extension.classes=com.example.AuditRestExtension'])
  assert.equal(unknown.code, 2, unknown.stderr)
  assert.match(unknown.stderr, /rest\.extension\.classes: unknown REST extension com\.example\.AuditRestExtension/)

  const jks = join(dir, 'server.jks')
  await writeFile(jks, Buffer.concat([Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 0]), Buffer.alloc(20)]))
  const jksRun = await start(['listeners=https://127.0.0.1:0', `ssl.keystore.location=${jks}`, `ssl.keystore.password=${pki.p12Password}`])
  assert.equal(jksRun.code, 2, jksRun.stderr)
  assert.match(jksRun.stderr, /ssl\.keystore\.location: it is a JKS key store, which Node\.js \(OpenSSL\) cannot read\. Convert it to PKCS12: keytool -importkeystore/)
  assert.ok(!jksRun.stderr.includes(pki.p12Password))

  const noStore = await start(['listeners=https://127.0.0.1:0'])
  assert.equal(noStore.code, 2)
  assert.match(noStore.stderr, /An https listener needs a key store: set ssl\.keystore\.location/)

  await writeFile(join(dir, 'empty.properties'), '')
  const empty = await start(['listeners=http://127.0.0.1:0', `rest.basic.auth.credentials.file=${join(dir, 'empty.properties')}`])
  assert.equal(empty.code, 2)
  assert.match(empty.stderr, /holds no user=password line/)

  const noJaas = await start(['listeners=http://127.0.0.1:0', 'rest.extension.classes=BasicAuthSecurityRestExtension'], { KAFKA_OPTS: '-Xmx1G' })
  assert.equal(noJaas.code, 2)
  assert.match(noJaas.stderr, /needs a JAAS file with a KafkaConnect entry/)

  const badHeaders = await start(['listeners=http://127.0.0.1:0', 'response.http.headers.config=sett X-Frame-Options: DENY'])
  assert.equal(badHeaders.code, 2)
  assert.match(badHeaders.stderr, /worker-\w+\.properties:\d+: Invalid value sett X-Frame-Options: DENY for configuration response\.http\.headers\.config: Invalid header config action: 'sett'/)
})
