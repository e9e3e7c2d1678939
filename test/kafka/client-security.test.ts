/**
 * Java client security settings → librdkafka, without a broker: SASL (JAAS → username/password, OAUTHBEARER), the
 * protocol gate, unprefixed settings reaching every client, PEM/PKCS12/JKS key and trust stores made by openssl and
 * keytool, the errors for what cannot be translated, and that no secret ever appears in a message.
 * (test/kafka/security.test.ts proves the same settings against a real secured broker.)
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createHash, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { ConfigError } from '../../src/api/index.ts'
import {
  JAVA_RECONNECT_DEFAULTS, explainClientConfigError, translateClientConfig, translateWorkerClientConfig as translateWithDefaults, workerClientSettings
} from '../../src/kafka/client-config.ts'
import { jksTrustedCertificates, pkcs12TrustedCertificates, sniffStoreFormat } from '../../src/java/keystores.ts'
import { makeTlsFixtures, type TlsFixtures } from './tls-fixtures.ts'

type ProducerCtor = new (config: Record<string, unknown>) => unknown
const rdkafka = createRequire(import.meta.url)('node-rdkafka') as { Producer: ProducerCtor }

const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule'
const SCRAM = 'org.apache.kafka.common.security.scram.ScramLoginModule'
const SECRET = 'alice-s3cret'

let fx: TlsFixtures
before(async () => { fx = await makeTlsFixtures() })
after(async () => { await fx?.cleanup() })

/**
 * The worker translation without the reconnect backoff every client gets (Java's defaults; test/kafka/client-config
 * covers them), so that each case compares only the security settings it is about.
 */
function translateWorkerClientConfig (...args: Parameters<typeof translateWithDefaults>): ReturnType<typeof translateWithDefaults> {
  const out = translateWithDefaults(...args)
  const global = { ...out.global }
  for (const [k, v] of Object.entries(JAVA_RECONNECT_DEFAULTS)) if (global[k] === v) delete global[k]
  return { ...out, global }
}

function fingerprints (pem: string): string[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map(m => new X509Certificate(m[0]).fingerprint256)
}
const caFingerprint = (): string => new X509Certificate(fx.caPem).fingerprint256

function errorOf (fn: () => unknown): Error {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof Error)
    return err
  }
  assert.fail('expected an error')
}

test('SCRAM and PLAIN: sasl.jaas.config becomes sasl.username / sasl.password', () => {
  for (const [mechanism, module] of [['SCRAM-SHA-256', SCRAM], ['SCRAM-SHA-512', SCRAM], ['PLAIN', PLAIN]] as const) {
    const out = translateWorkerClientConfig('producer', {
      'producer.security.protocol': 'SASL_SSL',
      'producer.sasl.mechanism': mechanism,
      'producer.sasl.jaas.config': `${module} required username="alice" password="${SECRET}";`
    })
    assert.deepEqual(out.global, { 'security.protocol': 'sasl_ssl', 'sasl.mechanisms': mechanism, 'sasl.username': 'alice', 'sasl.password': SECRET })
    assert.equal(out.origin.get('sasl.password'), 'producer.sasl.jaas.config')
    assert.deepEqual(out.warnings, [])
    assert.doesNotThrow(() => new rdkafka.Producer(out.global))
  }
})

test('unprefixed security settings reach every client that has none of its own; a client with its own keeps Apache\'s view', () => {
  const worker = {
    'security.protocol': 'SASL_PLAINTEXT',
    'sasl.mechanism': 'SCRAM-SHA-256',
    'sasl.jaas.config': `${SCRAM} required username="alice" password="${SECRET}";`,
    'consumer.security.protocol': 'SASL_PLAINTEXT',
    'consumer.sasl.mechanism': 'PLAIN',
    'consumer.sasl.jaas.config': `${PLAIN} required username="bob" password="bob-pw";`,
    'producer.linger.ms': '5'
  }
  const producer = translateWorkerClientConfig('producer', worker)
  assert.deepEqual(producer.global, { 'linger.ms': '5', 'security.protocol': 'sasl_plaintext', 'sasl.mechanisms': 'SCRAM-SHA-256', 'sasl.username': 'alice', 'sasl.password': SECRET })
  assert.equal(producer.origin.get('sasl.username'), 'sasl.jaas.config')
  const consumer = translateWorkerClientConfig('consumer', worker)
  assert.deepEqual(consumer.global, { 'security.protocol': 'sasl_plaintext', 'sasl.mechanisms': 'PLAIN', 'sasl.username': 'bob', 'sasl.password': 'bob-pw' })
  assert.equal(consumer.origin.get('sasl.username'), 'consumer.sasl.jaas.config')
  // Admin clients follow the same rule.
  assert.equal(translateWorkerClientConfig('admin', worker).global['sasl.username'], 'alice')
  assert.deepEqual(workerClientSettings('consumer', { 'ssl.truststore.location': '/x', 'consumer.ssl.keystore.type': 'PEM' }).settings, { 'ssl.keystore.type': 'PEM' })
})

test('like the Java client, SASL settings need a SASL_* protocol and SSL settings SSL/SASL_SSL', () => {
  // Unprefixed ssl.* may be the REST server's HTTPS settings: with PLAINTEXT they are not even read.
  const out = translateWorkerClientConfig('producer', {
    'ssl.keystore.location': '/nonexistent/rest.jks',
    'ssl.keystore.password': 'x',
    'ssl.client.auth': 'required'
  })
  assert.deepEqual(out.global, {})
  assert.deepEqual(out.warnings, [])
  const sasl = translateWorkerClientConfig('producer', { 'producer.sasl.jaas.config': `${PLAIN} required username="a" password="${SECRET}";` })
  assert.deepEqual(sasl.global, {})
  assert.deepEqual(sasl.warnings, ['Ignoring producer.sasl.jaas.config: security.protocol is not set (PLAINTEXT), which does not use SASL (as in the Java client)'])
  const explicit = translateWorkerClientConfig('producer', { 'producer.security.protocol': 'ssl', 'producer.sasl.mechanism': 'PLAIN' })
  assert.deepEqual(explicit.warnings, ['Ignoring producer.sasl.mechanism: producer.security.protocol is SSL, which does not use SASL (as in the Java client)'])
  assert.ok(!sasl.warnings[0]!.includes(SECRET))
  const ssl = translateWorkerClientConfig('producer', { 'producer.security.protocol': 'SSL', 'producer.ssl.truststore.location': fx.caFile })
  assert.deepEqual(ssl.global, { 'security.protocol': 'ssl', 'ssl.ca.location': fx.caFile })
})

test('connector overrides (no protocol of their own) are translated in full, on top of the worker\'s protocol', () => {
  const out = translateClientConfig('producer', { 'sasl.jaas.config': `${SCRAM} required username="conn" password="${SECRET}";` }, 'producer.override.')
  assert.deepEqual(out.global, { 'sasl.username': 'conn', 'sasl.password': SECRET })
  assert.equal(out.origin.get('sasl.password'), 'producer.override.sasl.jaas.config')
})

test('security.protocol is validated like Java\'s (case-insensitive)', () => {
  assert.equal(translateWorkerClientConfig('consumer', { 'consumer.security.protocol': 'sasl_ssl' }).global['security.protocol'], 'sasl_ssl')
  const err = errorOf(() => translateWorkerClientConfig('consumer', { 'security.protocol': 'TLS' }))
  assert.ok(err instanceof ConfigError)
  assert.equal(err.message, 'Invalid value TLS for configuration security.protocol: String must be one of (case insensitive): PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL')
})

test('JAAS values that cannot be used are ConfigErrors naming the worker key, with the value hidden', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ 'sasl.jaas.config': `${PLAIN} required username="a" password="${SECRET}"` }, /^Invalid value \[hidden\] for configuration producer\.sasl\.jaas\.config: JAAS config entry not terminated by semi-colon$/],
    [{ 'sasl.jaas.config': `${PLAIN} required username="a";` }, /needs both username and password/],
    [{ 'sasl.jaas.config': `${SCRAM} required username="a" password="${SECRET}" tokenauth="true";` }, /delegation tokens/],
    [{ 'sasl.jaas.config': `com.example.MyLogin required password="${SECRET}";` }, /the login module com\.example\.MyLogin cannot be translated/],
    [{ 'sasl.jaas.config': `${PLAIN} required username="a" password="b"; ${PLAIN} required username="a" password="b";` }, /holds 2 login modules/],
    [{ 'sasl.client.callback.handler.class': 'com.example.Handler' }, /^Invalid value com\.example\.Handler for configuration producer\.sasl\.client\.callback\.handler\.class: custom SASL classes/],
    [{ 'sasl.mechanism': 'OAUTHBEARER', 'sasl.jaas.config': `${PLAIN} required username="a" password="${SECRET}";` }, /needs org\.apache\.kafka\.common\.security\.oauthbearer\.OAuthBearerLoginModule/]
  ]
  for (const [settings, re] of cases) {
    const err = errorOf(() => translateWorkerClientConfig('producer', Object.fromEntries(Object.entries({ 'security.protocol': 'SASL_SSL', ...settings }).map(([k, v]) => [`producer.${k}`, v]))))
    assert.ok(err instanceof ConfigError, err.message)
    assert.match(err.message, re)
    assert.ok(!err.message.includes(SECRET), err.message)
  }
})

test('OAUTHBEARER: client credentials (KIP-768 and 4.1 names) and unsecured tokens', () => {
  const base = {
    'producer.security.protocol': 'SASL_SSL',
    'producer.sasl.mechanism': 'OAUTHBEARER',
    'producer.sasl.login.callback.handler.class': 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler',
    'producer.sasl.oauthbearer.token.endpoint.url': 'https://idp.example/token'
  }
  const jaas = translateWorkerClientConfig('producer', {
    ...base,
    'producer.sasl.jaas.config': `org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId="connect" clientSecret="${SECRET}" scope="kafka" extension_logicalCluster="lkc-1";`
  })
  assert.deepEqual(jaas.global, {
    'security.protocol': 'sasl_ssl',
    'sasl.mechanisms': 'OAUTHBEARER',
    'sasl.oauthbearer.method': 'oidc',
    'sasl.oauthbearer.token.endpoint.url': 'https://idp.example/token',
    'sasl.oauthbearer.client.id': 'connect',
    'sasl.oauthbearer.client.secret': SECRET,
    'sasl.oauthbearer.scope': 'kafka',
    'sasl.oauthbearer.extensions': 'logicalCluster=lkc-1'
  })
  // This node-rdkafka build has no libcurl, so librdkafka itself refuses OIDC: the error names the worker key.
  // (errorOf fails the test if the constructor does not throw, so a build that gains OIDC shows up here.)
  assert.match(explainClientConfigError(errorOf(() => new rdkafka.Producer(jaas.global)), jaas.origin, 'w.properties').message,
    /^Unsupported or invalid Kafka client setting producer\.sasl\.oauthbearer\.token\.endpoint\.url in w\.properties: .*not supported in this build/)
  const named = translateWorkerClientConfig('producer', {
    ...base,
    'producer.sasl.jaas.config': 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
    'producer.sasl.oauthbearer.client.credentials.client.id': 'connect',
    'producer.sasl.oauthbearer.client.credentials.client.secret': SECRET,
    'producer.sasl.login.refresh.buffer.seconds': '300'
  })
  assert.equal(named.global['sasl.oauthbearer.client.secret'], SECRET)
  assert.deepEqual(named.warnings, ['Ignoring producer.sasl.login.refresh.buffer.seconds: it has no equivalent in librdkafka'])
  const unsecured = translateWorkerClientConfig('producer', {
    'producer.security.protocol': 'SASL_PLAINTEXT',
    'producer.sasl.mechanism': 'OAUTHBEARER',
    'producer.sasl.jaas.config': 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="admin" unsecuredLoginLifetimeSeconds="60";'
  })
  assert.deepEqual(unsecured.global, {
    'security.protocol': 'sasl_plaintext',
    'sasl.mechanisms': 'OAUTHBEARER',
    'enable.sasl.oauthbearer.unsecure.jwt': true,
    'sasl.oauthbearer.config': 'principal=admin lifeSeconds=60'
  })
  assert.doesNotThrow(() => new rdkafka.Producer(unsecured.global))
  const file = errorOf(() => translateWorkerClientConfig('producer', { ...base, 'producer.sasl.oauthbearer.token.endpoint.url': 'file:///tmp/token' }))
  assert.match(file.message, /producer\.sasl\.oauthbearer\.token\.endpoint\.url: librdkafka fetches tokens over http\(s\) only/)
})

test('trust stores: PEM file, inline PEM, and Java\'s JKS/PKCS12 stores read into PEM', async () => {
  const ssl = (extra: Record<string, string>): ReturnType<typeof translateWorkerClientConfig> =>
    translateWorkerClientConfig('consumer', { 'security.protocol': 'SSL', ...extra })
  assert.deepEqual(ssl({ 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': fx.caFile }).global, { 'security.protocol': 'ssl', 'ssl.ca.location': fx.caFile })
  // Properties continuation lines lose the PEM line breaks; the PEM is re-wrapped.
  const flattened = fx.caPem.replace(/\n/g, ' ')
  const inline = ssl({ 'ssl.truststore.type': 'PEM', 'ssl.truststore.certificates': flattened })
  assert.deepEqual(fingerprints(String(inline.global['ssl.ca.pem'])), [caFingerprint()])
  for (const [file, type] of [[fx.truststoreJavaDefault, undefined], [fx.truststoreJavaDefault, 'PKCS12'], [fx.truststoreJks, 'JKS'], [fx.truststoreJks, undefined]] as const) {
    const out = ssl({ 'ssl.truststore.location': file, 'ssl.truststore.password': fx.password, ...(type ? { 'ssl.truststore.type': type } : {}) })
    assert.deepEqual(fingerprints(String(out.global['ssl.ca.pem'])), [caFingerprint()], `${file} ${type}`)
    assert.equal(out.origin.get('ssl.ca.pem'), 'ssl.truststore.location')
    assert.doesNotThrow(() => new rdkafka.Producer(out.global))
  }
  // Java reads a JKS trust store without a password (no integrity check); so do we.
  assert.deepEqual(fingerprints(String(ssl({ 'ssl.truststore.location': fx.truststoreJks }).global['ssl.ca.pem'])), [caFingerprint()])
  const wrong = errorOf(() => ssl({ 'ssl.truststore.location': fx.truststoreJavaDefault, 'ssl.truststore.password': 'nope' }))
  assert.ok(wrong instanceof ConfigError)
  assert.equal(wrong.message, `Cannot read the PKCS12 trust store ${fx.truststoreJavaDefault} (ssl.truststore.location): Keystore was tampered with, or password was incorrect (check ssl.truststore.password)`)
  const missing = errorOf(() => ssl({ 'ssl.truststore.location': join(fx.dir, 'nope.jks') }))
  assert.equal(missing.message, `Invalid value ${join(fx.dir, 'nope.jks')} for configuration ssl.truststore.location: cannot read the file: no such file`)
  const noPem = join(fx.dir, 'empty.pem')
  await writeFile(noPem, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')
  assert.match(errorOf(() => ssl({ 'ssl.truststore.location': noPem })).message, /the PEM file holds no certificate/)
})

test('key stores: PKCS12 goes to librdkafka as it is, PEM files and inline PEM too; JKS is refused with the keytool command', () => {
  const ssl = (extra: Record<string, string>): ReturnType<typeof translateWorkerClientConfig> =>
    translateWorkerClientConfig('producer', { 'producer.security.protocol': 'SSL', ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`producer.${k}`, v])) })
  const p12 = ssl({ 'ssl.keystore.location': fx.keystorePkcs12, 'ssl.keystore.password': fx.password, 'ssl.keystore.type': 'PKCS12', 'ssl.key.password': fx.password })
  assert.deepEqual(p12.global, { 'security.protocol': 'ssl', 'ssl.keystore.location': fx.keystorePkcs12, 'ssl.keystore.password': fx.password })
  assert.doesNotThrow(() => new rdkafka.Producer(p12.global))
  // Java's default type (JKS) reads PKCS12 files as well: the content decides.
  assert.equal(ssl({ 'ssl.keystore.location': fx.keystorePkcs12, 'ssl.keystore.password': fx.password }).global['ssl.keystore.location'], fx.keystorePkcs12)
  const pemFile = ssl({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': fx.clientPemFile })
  assert.deepEqual(pemFile.global, { 'security.protocol': 'ssl', 'ssl.key.location': fx.clientPemFile, 'ssl.certificate.location': fx.clientPemFile })
  assert.doesNotThrow(() => new rdkafka.Producer(pemFile.global))
  const inline = ssl({
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.key': fx.clientEncryptedKeyPem.replace(/\n/g, ' '),
    'ssl.keystore.certificate.chain': fx.clientCertPem.replace(/\n/g, ' '),
    'ssl.key.password': fx.password
  })
  assert.equal(inline.global['ssl.key.password'], fx.password)
  assert.match(String(inline.global['ssl.key.pem']), /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/)
  assert.deepEqual(fingerprints(String(inline.global['ssl.certificate.pem'])), fingerprints(fx.clientCertPem))
  assert.doesNotThrow(() => new rdkafka.Producer(inline.global))

  const jks = errorOf(() => ssl({ 'ssl.keystore.location': fx.keystoreJks, 'ssl.keystore.password': fx.password }))
  assert.ok(jks instanceof ConfigError)
  assert.match(jks.message, new RegExp(`^Invalid value ${fx.keystoreJks.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} for configuration producer\\.ssl\\.keystore\\.location: it is a JKS key store, which librdkafka cannot read\\. Convert it to PKCS12 \\(keytool -importkeystore `))
  assert.ok(!jks.message.includes(fx.password))
  assert.match(errorOf(() => ssl({ 'ssl.keystore.key': fx.clientKeyPem, 'ssl.keystore.certificate.chain': fx.clientCertPem })).message,
    /^producer\.ssl\.keystore\.key and producer\.ssl\.keystore\.certificate\.chain need producer\.ssl\.keystore\.type=PEM$/)
  assert.match(errorOf(() => ssl({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': fx.clientKeyPem })).message, /certificate\.chain is not/)
})

test('SSL settings without a librdkafka meaning: defaults pass silently, other values warn, Java classes fail', () => {
  const out = translateWorkerClientConfig('producer', {
    'security.protocol': 'SSL',
    'ssl.protocol': 'TLSv1.3',
    'ssl.enabled.protocols': 'TLSv1.2, TLSv1.3',
    'ssl.keymanager.algorithm': 'SunX509',
    'ssl.trustmanager.algorithm': 'PKIX',
    'ssl.endpoint.identification.algorithm': ''
  })
  assert.deepEqual(out.global, { 'security.protocol': 'ssl', 'ssl.endpoint.identification.algorithm': 'none' })
  assert.deepEqual(out.warnings, [])
  const tls12 = translateWorkerClientConfig('producer', { 'security.protocol': 'SSL', 'ssl.protocol': 'TLSv1.2', 'ssl.endpoint.identification.algorithm': 'HTTPS' })
  assert.deepEqual(tls12.warnings, ['Ignoring ssl.protocol: it has no equivalent in librdkafka (OpenSSL negotiates TLS by itself)'])
  assert.equal(tls12.global['ssl.endpoint.identification.algorithm'], 'https')
  assert.match(errorOf(() => translateWorkerClientConfig('producer', { 'security.protocol': 'SSL', 'ssl.cipher.suites': 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' })).message,
    /^Invalid value TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 for configuration ssl\.cipher\.suites: Java \(IANA\) cipher suite names cannot be translated/)
  assert.equal(translateWorkerClientConfig('producer', { 'security.protocol': 'SSL', 'ssl.cipher.suites': 'ECDHE-ECDSA-AES256-GCM-SHA384, ECDHE-RSA-AES256-GCM-SHA384' }).global['ssl.cipher.suites'],
    'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384')
  assert.match(errorOf(() => translateWorkerClientConfig('producer', { 'security.protocol': 'SSL', 'ssl.engine.factory.class': 'com.example.Engine' })).message, /custom SSL engine factory/)
  assert.match(errorOf(() => translateWorkerClientConfig('producer', { 'security.protocol': 'SSL', 'ssl.endpoint.identification.algorithm': 'ldaps' })).message, /https \(host name verification\) or an empty value/)
})

test('librdkafka\'s own names pass through, and its rejections name the worker key', () => {
  const out = translateWorkerClientConfig('producer', { 'security.protocol': 'SSL', 'ssl.ca.location': fx.caFile, 'ssl.no.such': 'x' })
  assert.equal(out.global['ssl.ca.location'], fx.caFile)
  const err = errorOf(() => new rdkafka.Producer(out.global))
  const explained = explainClientConfigError(err, out.origin, 'worker.properties')
  assert.match(explained.message, /^Unsupported or invalid Kafka client setting ssl\.no\.such in worker\.properties/)
})

test('store readers: keytool JKS/JCEKS/PKCS12 and openssl PKCS12 (AES, 3DES)', async () => {
  const run = (cmd: string, args: string[]): Promise<void> => new Promise((resolve, reject) =>
    execFile(cmd, args, { cwd: fx.dir }, err => { if (err) reject(err); else resolve() }))
  await run('keytool', ['-importcert', '-noprompt', '-alias', 'ca', '-file', 'ca.pem', '-keystore', 'ts.jceks', '-storetype', 'JCEKS', '-storepass', fx.password])
  await run('openssl', ['pkcs12', '-export', '-nokeys', '-in', 'ca.pem', '-out', 'ts-aes.p12', '-passout', `pass:${fx.password}`])
  await run('openssl', ['pkcs12', '-export', '-nokeys', '-in', 'ca.pem', '-out', 'ts-3des.p12', '-passout', `pass:${fx.password}`,
    '-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'])
  const ca = createHash('sha256').update(new X509Certificate(fx.caPem).raw).digest('hex')
  const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
  for (const f of ['truststore.jks', 'truststore-jks.jks', 'ts.jceks', 'ts-aes.p12', 'ts-3des.p12', 'client.p12', 'client-openssl.p12']) {
    const bytes = readFileSync(join(fx.dir, f))
    const format = sniffStoreFormat(bytes)
    const certs = format === 'pkcs12' ? pkcs12TrustedCertificates(bytes, fx.password) : jksTrustedCertificates(bytes, fx.password)
    // A key store's own certificate belongs to its key; only the CA is a trust anchor.
    assert.deepEqual(certs.map(sha), [ca], f)
    assert.throws(() => format === 'pkcs12' ? pkcs12TrustedCertificates(bytes, 'wrong') : jksTrustedCertificates(bytes, 'wrong'), /password was incorrect/, f)
  }
  assert.equal(sniffStoreFormat(readFileSync(join(fx.dir, 'client.jks'))), 'jks')
  assert.equal(sniffStoreFormat(readFileSync(fx.caFile)), 'pem')
})

// An openssl without its legacy provider cannot make the RC2 store: the test is then reported as skipped, not passed.
test('store readers: a legacy RC2 PKCS12 store is refused with the openssl command that converts it', async t => {
  const made = await new Promise<boolean>(resolve => execFile('openssl',
    ['pkcs12', '-export', '-legacy', '-nokeys', '-in', 'ca.pem', '-out', 'ts-rc2.p12', '-passout', `pass:${fx.password}`],
    { cwd: fx.dir }, err => resolve(err === null)))
  if (!made) return t.skip('this openssl cannot write a legacy RC2 PKCS12 store')
  const rc2 = readFileSync(join(fx.dir, 'ts-rc2.p12'))
  assert.throws(() => pkcs12TrustedCertificates(rc2, fx.password), /legacy RC2\/RC4 encryption .*\(openssl pkcs12 -legacy/)
})
