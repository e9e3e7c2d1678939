/**
 * Java client security settings against a real secured Apache Kafka broker, started by this file alone (the default
 * `npm test` broker stays PLAINTEXT-only): SASL_PLAINTEXT and SASL_SSL with SCRAM-SHA-256/512 and PLAIN users created
 * at format time, SSL with and without client certificates, and a listener whose certificate names another host.
 * The worker files are written the way Apache users write them; the CLI moves lines file → Kafka → file over
 * SCRAM and over mutual TLS, and a wrong password stops start-up with exit code 2 within seconds. No secret may show
 * up in the output.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, test, type TestContext } from 'node:test'
import Kafka from 'node-rdkafka'
import { ConfigError } from '../../src/api/index.ts'
import { translateWorkerClientConfig } from '../../src/kafka/client-config.ts'
import { checkKafkaCluster } from '../../src/kafka/cluster-probe.ts'
import { createLogger } from '../../src/util/logger.ts'
import { startKafkaBroker, type KafkaBroker } from '../harness/kafka-broker.mjs'
import { runCli, spawnCli, type CliProcess } from '../helpers/cli.ts'
import { pipelineFiles, readLines, type PipelineFiles } from '../helpers/pipeline.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { makeTlsFixtures, type TlsFixtures } from './tls-fixtures.ts'

const SCRAM = 'org.apache.kafka.common.security.scram.ScramLoginModule'
const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule'
const USER = 'alice'
const SECRET = 'alice-secret-7'
/** A user the broker knows but authorizes for nothing. */
const NOBODY = 'nobody'
const NOBODY_SECRET = 'nobody-secret-3'
const logger = createLogger('security-test')

let broker: KafkaBroker
let fx: TlsFixtures

before(async () => {
  fx = await makeTlsFixtures()
  const tls = (listener: string, pemFile: string, clientAuth: string): Record<string, string> => ({
    [`listener.name.${listener}.ssl.keystore.type`]: 'PEM',
    [`listener.name.${listener}.ssl.keystore.location`]: pemFile,
    [`listener.name.${listener}.ssl.truststore.type`]: 'PEM',
    [`listener.name.${listener}.ssl.truststore.location`]: fx.caFile,
    [`listener.name.${listener}.ssl.client.auth`]: clientAuth
  })
  const sasl = (listener: string): Record<string, string> => ({
    [`listener.name.${listener}.sasl.enabled.mechanisms`]: 'SCRAM-SHA-256,SCRAM-SHA-512,PLAIN',
    [`listener.name.${listener}.scram-sha-256.sasl.jaas.config`]: `${SCRAM} required;`,
    [`listener.name.${listener}.scram-sha-512.sasl.jaas.config`]: `${SCRAM} required;`,
    [`listener.name.${listener}.plain.sasl.jaas.config`]: `${PLAIN} required user_${USER}="${SECRET}";`
  })
  broker = await startKafkaBroker({
    heap: '384m',
    extraListeners: [{ name: 'SASL_PLAINTEXT' }, { name: 'SASL_SSL' }, { name: 'SSL' }, { name: 'MTLS', protocol: 'SSL' }, { name: 'WRONGHOST', protocol: 'SSL' }],
    scramCredentials: [
      { mechanism: 'SCRAM-SHA-256', name: USER, password: SECRET },
      { mechanism: 'SCRAM-SHA-512', name: USER, password: SECRET },
      { mechanism: 'SCRAM-SHA-256', name: NOBODY, password: NOBODY_SECRET }
    ],
    serverProperties: {
      // Authorization, so that which user a client logs in as shows: everyone here is a super user but NOBODY.
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'super.users': `User:ANONYMOUS;User:${USER};User:CN=connect-client`,
      ...sasl('sasl_plaintext'),
      ...sasl('sasl_ssl'),
      ...tls('sasl_ssl', fx.brokerPemFile, 'none'),
      ...tls('ssl', fx.brokerPemFile, 'none'),
      ...tls('mtls', fx.brokerPemFile, 'required'),
      ...tls('wronghost', fx.wrongHostPemFile, 'none')
    }
  })
})

after(async () => {
  await broker?.stop()
  await fx?.cleanup()
})

/** The start-up check of the CLI, in process: translation, librdkafka validation, one metadata round trip. */
async function probe (listener: string, worker: Record<string, string>, timeoutMs = 20000): Promise<void> {
  await checkKafkaCluster({
    bootstrap: broker.listeners[listener]!,
    producer: translateWorkerClientConfig('producer', worker),
    consumer: translateWorkerClientConfig('consumer', worker),
    where: 'worker.properties',
    logger,
    timeoutMs
  })
}

const scram = (mechanism: string, password = SECRET): Record<string, string> => ({
  'sasl.mechanism': mechanism,
  'sasl.jaas.config': `${SCRAM} required username="${USER}" password="${password}";`
})

async function rejection (p: Promise<unknown>): Promise<{ error: Error, ms: number }> {
  const started = Date.now()
  try {
    await p
  } catch (error) {
    assert.ok(error instanceof Error)
    return { error, ms: Date.now() - started }
  }
  assert.fail('expected a rejection')
}

test('SASL: SCRAM-SHA-256 and PLAIN over SASL_PLAINTEXT, SCRAM-SHA-512 over SASL_SSL with a keytool trust store', async () => {
  await probe('SASL_PLAINTEXT', { 'security.protocol': 'SASL_PLAINTEXT', ...scram('SCRAM-SHA-256') })
  await probe('SASL_PLAINTEXT', { 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': `${PLAIN} required username="${USER}" password="${SECRET}";` })
  await probe('SASL_SSL', {
    'security.protocol': 'SASL_SSL',
    ...scram('SCRAM-SHA-512'),
    'ssl.truststore.location': fx.truststoreJavaDefault,
    'ssl.truststore.password': fx.password
  })
})

test('SSL: PEM, inline PEM, JKS (two CAs too) and PKCS12 trust stores; host name checks on by default, off with an empty algorithm', async () => {
  await probe('SSL', { 'security.protocol': 'SSL', 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': fx.caFile })
  await probe('SSL', { 'security.protocol': 'SSL', 'ssl.truststore.type': 'PEM', 'ssl.truststore.certificates': fx.caPem.replace(/\n/g, ' ') })
  await probe('SSL', { 'security.protocol': 'SSL', 'ssl.truststore.location': fx.truststoreJks, 'ssl.truststore.password': fx.password })
  await probe('SSL', { 'security.protocol': 'SSL', 'ssl.truststore.type': 'PKCS12', 'ssl.truststore.location': fx.truststoreJavaDefault, 'ssl.truststore.password': fx.password })
  // A trust store with several CAs, the broker's not first: every certificate reaches librdkafka.
  const twoCas = join(fx.dir, 'two-cas.jks')
  const run = (cmd: string, args: string[]): Promise<void> => new Promise((resolve, reject) =>
    execFile(cmd, args, { cwd: fx.dir }, err => { if (err) reject(err); else resolve() }))
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'other-ca.key', '-out', 'other-ca.pem', '-days', '2', '-subj', '/CN=Other CA'])
  await run('keytool', ['-importcert', '-noprompt', '-alias', 'aaa-other', '-file', 'other-ca.pem', '-keystore', twoCas, '-storetype', 'JKS', '-storepass', fx.password])
  await run('keytool', ['-importcert', '-noprompt', '-alias', 'zzz-ca', '-file', fx.caFile, '-keystore', twoCas, '-storetype', 'JKS', '-storepass', fx.password])
  await probe('SSL', { 'security.protocol': 'SSL', 'ssl.truststore.location': twoCas, 'ssl.truststore.password': fx.password })
  const trust = { 'security.protocol': 'SSL', 'ssl.truststore.location': fx.truststoreJks, 'ssl.truststore.password': fx.password }
  const { error, ms } = await rejection(probe('WRONGHOST', trust))
  assert.match(error.message, /certificate verify failed/)
  assert.match(error.message, /ssl\.endpoint\.identification\.algorithm/)
  assert.ok(ms < 10000, `host name failure took ${ms} ms`)
  await probe('WRONGHOST', { ...trust, 'ssl.endpoint.identification.algorithm': '' })
})

test('mutual TLS: keytool PKCS12 key store, PEM key store file, inline PEM with an encrypted key; none at all is refused at once', async () => {
  const trust = { 'security.protocol': 'SSL', 'ssl.truststore.location': fx.truststoreJavaDefault, 'ssl.truststore.password': fx.password }
  await probe('MTLS', { ...trust, 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': fx.keystorePkcs12, 'ssl.keystore.password': fx.password, 'ssl.key.password': fx.password })
  await probe('MTLS', { ...trust, 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': fx.clientPemFile })
  await probe('MTLS', {
    ...trust,
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.key': fx.clientEncryptedKeyPem,
    'ssl.keystore.certificate.chain': fx.clientCertPem,
    'ssl.key.password': fx.password
  })
  const { error, ms } = await rejection(probe('MTLS', trust))
  assert.match(error.message, /Failed to connect to and describe Kafka cluster at 127\.0\.0\.1:\d+ with the producer settings of worker\.properties: .*(alert|certificate)/i)
  assert.match(error.message, /ssl\.keystore/)
  assert.ok(ms < 10000, `missing client certificate took ${ms} ms`)
})

test('a wrong SCRAM password (producer or consumer settings) and TLS against a plaintext listener fail fast with librdkafka\'s reason', async () => {
  const bad = await rejection(probe('SASL_PLAINTEXT', { 'security.protocol': 'SASL_PLAINTEXT', ...scram('SCRAM-SHA-256', 'wrong-password') }))
  assert.match(bad.error.message, /SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256/)
  assert.match(bad.error.message, /check sasl\.mechanism and the credentials in sasl\.jaas\.config/)
  assert.ok(!bad.error.message.includes('wrong-password'))
  assert.ok(bad.ms < 10000, `took ${bad.ms} ms`)
  const tlsToPlain = await rejection(probe('PLAINTEXT', { 'security.protocol': 'SSL', 'ssl.truststore.location': fx.caFile }))
  assert.match(tlsToPlain.error.message, /connecting to a PLAINTEXT broker listener/)
  assert.ok(tlsToPlain.ms < 10000, `took ${tlsToPlain.ms} ms`)
  // The consumer's settings are checked too when they differ from the producer's.
  const consumer = await rejection(probe('SASL_PLAINTEXT', {
    'security.protocol': 'SASL_PLAINTEXT',
    ...scram('SCRAM-SHA-256'),
    'consumer.security.protocol': 'SASL_PLAINTEXT',
    'consumer.sasl.mechanism': 'SCRAM-SHA-512',
    'consumer.sasl.jaas.config': `${SCRAM} required username="${USER}" password="consumer-wrong";`
  }))
  assert.match(consumer.error.message, /with the consumer settings of worker\.properties: SASL authentication error/)
  // A trust store password that does not open the store is caught before any connection.
  assert.throws(() => translateWorkerClientConfig('producer', { 'security.protocol': 'SSL', 'ssl.truststore.location': fx.truststoreJks, 'ssl.truststore.password': 'nope' }),
    (err: unknown) => err instanceof ConfigError && /ssl\.truststore\.password/.test(err.message) && !err.message.includes('nope'))
})

/** Runs the CLI on a file → Kafka → file pipeline until every line arrived, then stops it; returns its output. */
async function runPipeline (t: TestContext, files: PipelineFiles, lines: readonly string[]): Promise<CliProcess> {
  const cli = spawnCli([files.worker, files.source, files.sink])
  t.after(() => cli.kill('SIGKILL'))
  await cli.waitForOutput(/Kafka Connect started/)
  const out = await waitFor(async () => { const l = await readLines(files.output); return l.length >= lines.length ? l : null },
    { timeoutMs: 60000, what: 'the lines in the sink file' })
  assert.deepEqual(out, lines)
  cli.kill('SIGTERM')
  assert.equal((await cli.exited).code, 143, cli.stderr.slice(-2000))
  return cli
}

async function createTopicOn (bootstrap: string, topic: string): Promise<void> {
  const admin = Kafka.AdminClient.create({ 'bootstrap.servers': bootstrap, 'client.id': 'security-test-admin' })
  try {
    await new Promise<void>((resolve, reject) => admin.createTopic({ topic, num_partitions: 1, replication_factor: 1 }, 30000, err => { if (err) reject(err); else resolve() }))
  } finally {
    admin.disconnect()
  }
}

const NO_REST = 'listeners=http://127.0.0.1:0'

test('CLI over SASL_PLAINTEXT/SCRAM-SHA-256: the security settings written once, unprefixed, with the JAAS line from a file provider', { timeout: 120000 }, async (t) => {
  const topic = `sec-scram-${Date.now().toString(36)}`
  await createTopicOn(broker.bootstrapServers, topic)
  const files = await pipelineFiles(t, { bootstrap: broker.listeners.SASL_PLAINTEXT!, topic, extraWorker: '' })
  const secrets = join(files.dir, 'kafka-secrets.properties')
  await writeFile(secrets, `jaas=${SCRAM} required username="${USER}" password="${SECRET}";\n`)
  await writeFile(files.worker, (await readFile(files.worker, 'utf8')) + [
    NO_REST,
    'config.providers=file',
    'config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider',
    'security.protocol=SASL_PLAINTEXT',
    'sasl.mechanism=SCRAM-SHA-256',
    `sasl.jaas.config=\${file:${secrets}:jaas}`
  ].join('\n') + '\n')
  const lines = Array.from({ length: 200 }, (_, i) => `scram line ${i}`)
  await writeFile(files.input, lines.join('\n') + '\n')
  const cli = await runPipeline(t, files, lines)
  assert.ok(!cli.stderr.includes(SECRET) && !cli.stdout.includes(SECRET), 'the password is not in the output')
})

test('CLI: a source connector\'s producer.override.sasl.jaas.config logs its producer in as another user', { timeout: 120000 }, async (t) => {
  const topic = `sec-override-${Date.now().toString(36)}`
  await createTopicOn(broker.bootstrapServers, topic)
  // The worker's own producer is NOBODY, who may not write; its consumer is alice. Only the override makes lines arrive.
  const files = await pipelineFiles(t, {
    bootstrap: broker.listeners.SASL_PLAINTEXT!,
    topic,
    extraWorker: [NO_REST, 'security.protocol=SASL_PLAINTEXT', 'sasl.mechanism=SCRAM-SHA-256',
      `sasl.jaas.config=${SCRAM} required username="${NOBODY}" password="${NOBODY_SECRET}";`,
      'consumer.security.protocol=SASL_PLAINTEXT', 'consumer.sasl.mechanism=SCRAM-SHA-256',
      `consumer.sasl.jaas.config=${SCRAM} required username="${USER}" password="${SECRET}";`].join('\n')
  })
  await writeFile(files.source, (await readFile(files.source, 'utf8')) +
    `producer.override.sasl.jaas.config=${SCRAM} required username="${USER}" password="${SECRET}";\n`)
  const lines = Array.from({ length: 50 }, (_, i) => `override line ${i}`)
  await writeFile(files.input, lines.join('\n') + '\n')
  const cli = await runPipeline(t, files, lines)
  assert.ok(!cli.stderr.includes(SECRET) && !cli.stderr.includes(NOBODY_SECRET), 'no password in the output')
})

test('CLI: a wrong producer.override password fails the task at once with the SASL reason, not after the 30 s connect timeout', { timeout: 120000 }, async (t) => {
  const topic = `sec-override-bad-${Date.now().toString(36)}`
  // The worker's own settings are right (start-up passes); only the connector's override is wrong.
  const files = await pipelineFiles(t, {
    bootstrap: broker.listeners.SASL_PLAINTEXT!,
    topic,
    extraWorker: [NO_REST, 'security.protocol=SASL_PLAINTEXT', 'sasl.mechanism=SCRAM-SHA-256',
      `sasl.jaas.config=${SCRAM} required username="${USER}" password="${SECRET}";`].join('\n')
  })
  await writeFile(files.source, (await readFile(files.source, 'utf8')) +
    `producer.override.sasl.jaas.config=${SCRAM} required username="${USER}" password="override-wrong";\n`)
  await writeFile(files.input, 'a line\n')
  const cli = spawnCli([files.worker, files.source])
  t.after(async () => { cli.kill('SIGKILL'); await cli.exited })
  await cli.waitForOutput(/Kafka Connect started/)
  // Well inside node-rdkafka's 30 s connect timeout, which is all a task client had before.
  await cli.waitForOutput(new RegExp(`Failed to connect to and describe Kafka cluster at 127\\.0\\.0\\.1:\\d+ with the producer settings of connector ${topic}-source \\(producer\\.override\\.\\*\\): SASL authentication error`), 15000)
  assert.match(cli.stderr, /check sasl\.mechanism and the credentials in sasl\.jaas\.config/)
  assert.ok(!cli.stderr.includes('override-wrong') && !cli.stderr.includes(SECRET), 'no password in the output')
})

test('CLI over mutual TLS, Apache style (producer./consumer./unprefixed): JKS trust store, PKCS12 key store', { timeout: 120000 }, async (t) => {
  const topic = `sec-mtls-${Date.now().toString(36)}`
  await createTopicOn(broker.bootstrapServers, topic)
  const tls = [
    'security.protocol=SSL',
    `ssl.truststore.location=${fx.truststoreJks}`,
    `ssl.truststore.password=${fx.password}`,
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.location=${fx.keystorePkcs12}`,
    `ssl.keystore.password=${fx.password}`,
    `ssl.key.password=${fx.password}`,
    'ssl.endpoint.identification.algorithm=https'
  ]
  const files = await pipelineFiles(t, {
    bootstrap: broker.listeners.MTLS!,
    topic,
    extraWorker: [NO_REST, ...tls, ...tls.map(l => `producer.${l}`), ...tls.map(l => `consumer.${l}`)].join('\n')
  })
  const lines = Array.from({ length: 200 }, (_, i) => `tls line ${i}`)
  await writeFile(files.input, lines.join('\n') + '\n')
  const cli = await runPipeline(t, files, lines)
  assert.ok(!cli.stderr.includes(fx.password), 'the store password is not in the output')
})

test('CLI: wrong credentials stop start-up with exit code 2 and a clear message within seconds', { timeout: 60000 }, async (t) => {
  const files = await pipelineFiles(t, {
    bootstrap: broker.listeners.SASL_PLAINTEXT!,
    topic: 'unused',
    extraWorker: [NO_REST, 'security.protocol=SASL_PLAINTEXT', 'sasl.mechanism=SCRAM-SHA-256',
      `sasl.jaas.config=${SCRAM} required username="${USER}" password="not-${SECRET}";`].join('\n')
  })
  const started = Date.now()
  const r = await runCli([files.worker, files.source], { timeoutMs: 30000 })
  const ms = Date.now() - started
  assert.equal(r.code, 2, r.stderr)
  assert.match(r.stderr, /Stopping due to error: Failed to connect to and describe Kafka cluster at 127\.0\.0\.1:\d+ with the producer settings of .*worker\.properties: SASL authentication error/)
  assert.ok(!r.stderr.includes(`not-${SECRET}`))
  assert.ok(ms < 15000, `exit after ${ms} ms`)

  // Without a trust store the broker's certificate cannot be verified: the same, for TLS.
  const tlsFiles = await pipelineFiles(t, { bootstrap: broker.listeners.SSL!, topic: 'unused', extraWorker: [NO_REST, 'security.protocol=SSL'].join('\n') })
  const tlsRun = await runCli([tlsFiles.worker], { timeoutMs: 30000 })
  assert.equal(tlsRun.code, 2, tlsRun.stderr)
  assert.match(tlsRun.stderr, /certificate verify failed/)
})
