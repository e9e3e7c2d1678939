/**
 * What a new user sees when the first start cannot work: a broker that refuses connections, and a REST port that
 * another process holds. Both run the real CLI.
 */
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { runCli, spawnCli } from '../helpers/cli.ts'
import { OutageProxy } from '../helpers/outage-proxy.ts'
import { removeDir } from '../helpers/remove-dir.ts'

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'first-contact-'))
  t.after(async () => { await removeDir(dir) })
  return dir
}

async function listen (host?: string): Promise<Server> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => { resolve() })
  })
  return server
}

function portOf (server: Server): number {
  return (server.address() as { port: number }).port
}

/** A local port nothing listens on: bound, then released. */
async function closedPort (): Promise<number> {
  const server = await listen('127.0.0.1')
  const port = portOf(server)
  await new Promise<void>(resolve => server.close(() => { resolve() }))
  return port
}

async function workerFile (dir: string, bootstrap: string, listeners: string): Promise<string> {
  const file = join(dir, 'worker.properties')
  await writeFile(file, [
    `bootstrap.servers=${bootstrap}`,
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.storage.StringConverter',
    `offset.storage.file.filename=${join(dir, 'connect.offsets')}`,
    `listeners=${listeners}`
  ].join('\n') + '\n')
  return file
}

test('a refused connection is reported at once, with progress, then exits 2 with the hints', async (t) => {
  const dir = await tempDir(t)
  const port = await closedPort()
  const worker = await workerFile(dir, `localhost:${port}`, 'http://127.0.0.1:0')
  // CONNECT_KAFKA_CHECK_TIMEOUT_MS shortens the 30 s start-up bound.
  const proc = spawnCli([worker], { env: { CONNECT_KAFKA_CHECK_TIMEOUT_MS: '7000' } })
  t.after(() => { proc.kill('SIGKILL') })
  proc.child.stdin!.end()
  // The REST server binds just before Kafka is tried: from there the refusal must be named within about 2 s, long
  // before the bound ends (the old probe said nothing until it gave up).
  await proc.waitForOutput(/REST server listening/)
  await proc.waitForOutput(new RegExp(`Connecting to Kafka at localhost:${port} \\(bootstrap\\.servers\\): connection refused; retrying for up to 7 s`), 3000)
  assert.equal(proc.child.exitCode, null, 'still retrying when the refusal is first reported')
  const { code } = await proc.exited
  assert.equal(code, 2)
  const out = proc.stdout + proc.stderr
  // Progress every few seconds, not at every retry (librdkafka retries about every second).
  const progress = out.match(/Still cannot connect to Kafka at localhost:\d+/g) ?? []
  assert.ok(progress.length >= 1 && progress.length <= 2, `progress lines: ${progress.length}\n${out}`)
  assert.match(proc.stderr, new RegExp(`Stopping due to error: Failed to connect to and describe Kafka cluster at localhost:${port} within 7 s: connection refused`))
  assert.match(proc.stderr, /Check bootstrap\.servers in .*worker\.properties/)
  assert.match(proc.stderr, /--embedded-broker/)
})

test('a broker that appears within the bound is used: the worker starts and says so', {
  skip: process.env.KAFKA_BOOTSTRAP_SERVERS ? false : 'needs the real broker (npm test -- test/cli)'
}, async (t) => {
  const dir = await tempDir(t)
  // A proxy to the real broker, not listening yet: its port refuses connections until up().
  const proxy = new OutageProxy()
  proxy.target = Number(process.env.KAFKA_BOOTSTRAP_SERVERS!.split(',')[0]!.split(':').pop())
  proxy.port = await closedPort()
  t.after(async () => { await proxy.down() })
  const worker = await workerFile(dir, `127.0.0.1:${proxy.port}`, 'http://127.0.0.1:0')
  const proc = spawnCli([worker], { env: { CONNECT_KAFKA_CHECK_TIMEOUT_MS: '60000' } })
  t.after(() => { proc.kill('SIGKILL') })
  await proc.waitForOutput(/connection refused; retrying for up to 60 s/)
  await proxy.up()
  await proc.waitForOutput(new RegExp(`Connected to Kafka at 127\\.0\\.0\\.1:${proxy.port} after [\\d.]+ s`), 30000)
  await proc.waitForOutput(/Kafka Connect started/, 30000)
  proc.kill('SIGTERM')
  assert.equal((await proc.exited).code, 143)
})

test('a host name that does not resolve is named as a DNS failure', async (t) => {
  const dir = await tempDir(t)
  const worker = await workerFile(dir, 'no-such-host.invalid:9092', 'http://127.0.0.1:0')
  const r = await runCli([worker], { env: { CONNECT_KAFKA_CHECK_TIMEOUT_MS: '2000' }, timeoutMs: 30000 })
  assert.equal(r.code, 2)
  assert.match(r.stderr, /Connecting to Kafka at no-such-host\.invalid:9092 \(bootstrap\.servers\): host name no-such-host\.invalid not found \(getaddrinfo ENOTFOUND\)/)
  assert.match(r.stderr, /Stopping due to error: Failed to connect to and describe Kafka cluster at no-such-host\.invalid:9092 within 2 s: host name no-such-host\.invalid not found/)
})

test('a REST port in use exits 2 naming the listener, with the hint', async (t) => {
  const dir = await tempDir(t)
  const taken = await listen()
  t.after(() => { taken.close() })
  const port = portOf(taken)
  const worker = await workerFile(dir, `127.0.0.1:${await closedPort()}`, `http://:${port}`)
  const r = await runCli([worker], { timeoutMs: 30000 })
  assert.equal(r.code, 2)
  assert.match(r.stderr, new RegExp(`Stopping due to error: Cannot bind the REST listener listeners=http://:${port}: port ${port} is already in use`))
  assert.match(r.stderr, /listeners=http:\/\/:0/)
  assert.match(r.stderr, /Stop the other process/)
  // Kafka was never tried: the port is the first problem reported.
  assert.doesNotMatch(r.stderr, /Connecting to Kafka/)
})
