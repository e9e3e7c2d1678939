/**
 * The REST security settings without a server: JAAS files and KAFKA_OPTS, Authorization headers and JAAS control
 * flags, response.http.headers.config rules (Apache's messages), CORS decisions, the https key material rules
 * (all-or-nothing listeners.https. prefix, key store formats, JKS refused with the keytool conversion, protocols)
 * and rest.extension.classes. Certificates are made with openssl in a temp dir.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { ConfigError } from '../../src/api/index.ts'
import { WORKER_CONFIG_DEF } from '../../src/config/worker-config.ts'
import { BasicAuthenticator, loadBasicAuthenticator, parseBasicAuthorization, PROPERTY_FILE_LOGIN_MODULE, type BasicAuthSettings } from '../../src/rest/basic-auth.ts'
import { CorsPolicy } from '../../src/rest/cors.ts'
import { jaasPathFromJvmOptions, parseJaasFile } from '../../src/java/jaas.ts'
import { applyHeaderRules, csvSplit, parseResponseHeaderRules, type OutgoingHeaders } from '../../src/rest/response-headers.ts'
import { basicAuthExtensionListed } from '../../src/rest/rest-security.ts'
import { restTlsSettings } from '../../src/rest/tls-options.ts'
import { createTestPki, type TestPki } from '../helpers/test-pki.ts'

const basic = (userPass: string): string => `Basic ${Buffer.from(userPass).toString('base64')}`

test('JAAS files: entries, flags, quoted and unquoted options, comments; errors give the line, never a value', () => {
  const jaas = parseJaasFile([
    '// the Kafka clients\' entry is ignored',
    'KafkaClient { org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p"; };',
    '/* Connect',
    '   REST */',
    'KafkaConnect {',
    `  ${PROPERTY_FILE_LOGIN_MODULE} REQUIRED`,
    '    file="/etc/connect/credentials.properties" debug=true;',
    `  ${PROPERTY_FILE_LOGIN_MODULE} sufficient file="/with \\"quote\\".properties";`,
    '};'
  ].join('\n'), 'jaas.conf')
  assert.deepEqual([...jaas.keys()], ['KafkaClient', 'KafkaConnect'])
  const modules = jaas.get('KafkaConnect')!
  assert.equal(modules.length, 2)
  assert.equal(modules[0]!.flag, 'required')
  assert.deepEqual([...modules[0]!.options], [['file', '/etc/connect/credentials.properties'], ['debug', 'true']])
  assert.equal(modules[1]!.options.get('file'), '/with "quote".properties')

  assert.throws(() => parseJaasFile('KafkaConnect {\n  x.Module mandatory file="a";\n};', 'j.conf'), /j\.conf:2: invalid control flag 'mandatory'/)
  assert.throws(() => parseJaasFile('KafkaConnect {\n  x.Module required password="hunter2"\n}', 'j.conf'), (err: Error) => {
    assert.match(err.message, /^j\.conf:3: expected/)
    assert.doesNotMatch(err.message, /hunter2/)
    return true
  })
  assert.throws(() => parseJaasFile('KafkaConnect { x.M required file="open', 'j.conf'), /j\.conf:1: unterminated quoted value/)
})

test('the JAAS path comes from KAFKA_OPTS as the JVM reads -Djava.security.auth.login.config', () => {
  assert.equal(jaasPathFromJvmOptions(undefined), null)
  assert.equal(jaasPathFromJvmOptions('-Xmx1G'), null)
  assert.equal(jaasPathFromJvmOptions('-Xmx1G -Djava.security.auth.login.config=/etc/kafka/jaas.conf -Dx=y'), '/etc/kafka/jaas.conf')
  assert.equal(jaasPathFromJvmOptions('-Djava.security.auth.login.config=/a -Djava.security.auth.login.config==/b'), '/b')
  assert.equal(jaasPathFromJvmOptions('-Djava.security.auth.login.config="/q/jaas.conf"'), '/q/jaas.conf')
  assert.equal(jaasPathFromJvmOptions('-Djava.security.auth.login.config=file:///etc/my%20jaas.conf'), '/etc/my jaas.conf')
})

test('Authorization headers are read as Apache\'s filter reads them', () => {
  assert.deepEqual(parseBasicAuthorization(basic('alice:secret')), { username: 'alice', password: 'secret' })
  assert.deepEqual(parseBasicAuthorization(`basic ${Buffer.from('bob:pw:with:colons').toString('base64')}`), { username: 'bob', password: 'pw:with:colons' })
  assert.deepEqual(parseBasicAuthorization(basic('carol:')), { username: 'carol', password: '' })
  assert.deepEqual(parseBasicAuthorization(`Basic ${Buffer.from('dave:x').toString('base64').replace(/=+$/, '')}`), { username: 'dave', password: 'x' })
  for (const bad of [undefined, '', 'Basic', ' Basic YTpi', 'Bearer abc', basic(':secret'), basic('nocolon'), 'Basic !!!', 'Basic YTpi=x']) {
    assert.equal(parseBasicAuthorization(bad), null, String(bad))
  }
})

test('credentials files and JAAS control flags', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'rest-auth-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  await writeFile(join(dir, 'a.properties'), '# users\nalice=secret\nbob : pw:with:colons\n')
  await writeFile(join(dir, 'b.properties'), 'carol=other\n')
  await writeFile(join(dir, 'empty.properties'), '# nobody\n')
  const settings: BasicAuthSettings = { extensionEnabled: true, jaasConfigFile: null, credentialsFile: null, kafkaOpts: undefined }

  const direct = await loadBasicAuthenticator({ ...settings, extensionEnabled: false, credentialsFile: join(dir, 'a.properties') })
  assert.ok(direct instanceof BasicAuthenticator)
  assert.equal(direct.authenticate(basic('alice:secret')), true)
  assert.equal(direct.authenticate(basic('bob:pw:with:colons')), true)
  assert.equal(direct.authenticate(basic('alice:Secret')), false)
  assert.equal(direct.authenticate(basic('alice:secret ')), false)
  assert.equal(direct.authenticate(basic('mallory:secret')), false)
  assert.equal(direct.authenticate(undefined), false)
  assert.equal(await loadBasicAuthenticator({ ...settings, extensionEnabled: false }), null)

  const jaasFile = async (body: string): Promise<string> => {
    const path = join(dir, `jaas-${Math.random().toString(36).slice(2)}.conf`)
    await writeFile(path, `KafkaConnect {\n${body}\n};\n`)
    return path
  }
  const withFlags = async (a: string, b: string): Promise<BasicAuthenticator> => {
    const path = await jaasFile(`${PROPERTY_FILE_LOGIN_MODULE} ${a} file="${join(dir, 'a.properties')}";\n${PROPERTY_FILE_LOGIN_MODULE} ${b} file="${join(dir, 'b.properties')}";`)
    return (await loadBasicAuthenticator({ ...settings, kafkaOpts: `-Djava.security.auth.login.config=${path}` }))!
  }
  const both = await withFlags('required', 'required')
  assert.equal(both.authenticate(basic('alice:secret')), false, 'a user must pass both required modules')
  const either = await withFlags('sufficient', 'sufficient')
  assert.equal(either.authenticate(basic('alice:secret')), true)
  assert.equal(either.authenticate(basic('carol:other')), true)
  assert.equal(either.authenticate(basic('carol:secret')), false)
  const optional = await withFlags('required', 'optional')
  assert.equal(optional.authenticate(basic('alice:secret')), true)
  assert.equal(optional.authenticate(basic('carol:other')), false)
  const requisite = await withFlags('requisite', 'sufficient')
  assert.equal(requisite.authenticate(basic('carol:other')), false)

  // rest.basic.auth.jaas.config.file wins over KAFKA_OPTS.
  const good = await jaasFile(`${PROPERTY_FILE_LOGIN_MODULE} required file="${join(dir, 'a.properties')}";`)
  const viaKey = await loadBasicAuthenticator({ ...settings, jaasConfigFile: good, kafkaOpts: '-Djava.security.auth.login.config=/no/such/file' })
  assert.equal(viaKey!.authenticate(basic('alice:secret')), true)

  const fails = async (s: Partial<BasicAuthSettings>, re: RegExp): Promise<void> => {
    await assert.rejects(loadBasicAuthenticator({ ...settings, ...s }), (err: Error) => {
      assert.ok(err instanceof ConfigError, String(err))
      assert.match(err.message, re)
      assert.doesNotMatch(err.message, /secret/)
      return true
    })
  }
  await fails({}, /needs a JAAS file with a KafkaConnect entry: set rest\.basic\.auth\.jaas\.config\.file/)
  await fails({ kafkaOpts: `-Djava.security.auth.login.config=${join(dir, 'none.conf')}` }, /Cannot read the JAAS configuration file .*none\.conf \(-Djava\.security\.auth\.login\.config in KAFKA_OPTS\)/)
  await fails({ jaasConfigFile: await jaasFile('') }, /has no KafkaConnect entry with a login module/)
  await fails({ jaasConfigFile: await jaasFile('com.example.LdapLoginModule required url="ldap://x";') }, /uses the login module com\.example\.LdapLoginModule, which connect-standalone cannot run/)
  await fails({ jaasConfigFile: await jaasFile(`${PROPERTY_FILE_LOGIN_MODULE} required;`) }, /needs the option file=/)
  await fails({ jaasConfigFile: await jaasFile(`${PROPERTY_FILE_LOGIN_MODULE} required file="${join(dir, 'missing.properties')}";`) }, /Cannot read the credentials file .*missing\.properties/)
  await fails({ jaasConfigFile: await jaasFile(`${PROPERTY_FILE_LOGIN_MODULE} required file="${join(dir, 'empty.properties')}";`) }, /holds no user=password line\. Apache lets every request through/)
  await fails({ credentialsFile: join(dir, 'a.properties'), jaasConfigFile: good }, /Set either rest\.basic\.auth\.credentials\.file or rest\.basic\.auth\.jaas\.config\.file/)
  await fails({ extensionEnabled: false, jaasConfigFile: good }, /rest\.extension\.classes does not list/)
})

test('rest.extension.classes: Apache\'s basic auth extension by any of its names; anything else stops start-up naming the class', () => {
  assert.equal(basicAuthExtensionListed([]), false)
  assert.equal(basicAuthExtensionListed(['org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension']), true)
  assert.equal(basicAuthExtensionListed(['BasicAuthSecurityRestExtension']), true)
  assert.equal(basicAuthExtensionListed(['BasicAuthSecurity']), true)
  assert.throws(() => basicAuthExtensionListed(['BasicAuthSecurity', 'com.example.AuditExtension']),
    /Invalid value BasicAuthSecurity,com\.example\.AuditExtension for configuration rest\.extension\.classes: unknown REST extension com\.example\.AuditExtension/)
})

test('response.http.headers.config: Jetty\'s CSV with quotes, Apache\'s validation messages, set/add/setDate/addDate', () => {
  assert.deepEqual(csvSplit('set A: 1, "add B: x, y" ,setDate C: 0'), ['set A: 1', 'add B: x, y', 'setDate C: 0'])
  assert.deepEqual(csvSplit('"a \\"q\\" b", c'), ['a "q" b', 'c'])
  const rules = parseResponseHeaderRules('set X-Frame-Options: DENY, "add Cache-Control: no-cache, no-store", add Cache-Control: private, setDate Expires: 60000, set Content-Security-Policy: default-src https://x.example')
  const headers: OutgoingHeaders = { 'x-frame-options': 'SAMEORIGIN' }
  applyHeaderRules(rules, headers, Date.UTC(2026, 0, 2, 3, 4, 5))
  assert.deepEqual(headers, {
    'X-Frame-Options': 'DENY',
    'Cache-Control': ['no-cache, no-store', 'private'],
    Expires: 'Fri, 02 Jan 2026 03:05:05 GMT',
    'Content-Security-Policy': 'default-src https://x.example'
  })
  assert.deepEqual(parseResponseHeaderRules('  '), [])
  const invalid = (value: string, message: string): void => {
    assert.throws(() => WORKER_CONFIG_DEF.parse({ 'key.converter': 'x', 'value.converter': 'y', 'offset.storage.file.filename': 'o', 'response.http.headers.config': value }),
      (err: Error) => { assert.equal(err.message, `Invalid value ${value} for configuration response.http.headers.config: ${message}`); return true })
  }
  invalid('set', "Invalid format of header config 'set'. Expected: '[action] [header name]:[header value]'")
  invalid('put X: y', "Invalid header config action: 'put'. Expected one of [set, add, setDate, addDate]")
  invalid('set X y', "Invalid format of header name and header value pair 'X y'. Expected: '[header name]:[header value]'")
  invalid('set X:', "Invalid format of header name and header value pair 'X:'. Expected: '[header name]:[header value]'")
  invalid('set X Y: z', "Invalid header name 'X Y'. The '[header name]' cannot contain whitespace")
  invalid('setDate Expires: soon', "The value of the setDate rule for Expires must be a number of milliseconds, not 'soon'")
})

test('CORS: Jetty 12 CrossOriginHandler decisions', () => {
  const cors = new CorsPolicy('http://good\\.example, https://.*\\.corp\\.example', '')
  assert.equal(cors.allows('http://good.example'), true)
  assert.equal(cors.allows('https://ui.corp.example'), true)
  assert.equal(cors.allows('http://good.example.evil'), false, 'patterns match the whole origin')
  assert.equal(cors.allows('http://evil.example http://good.example'), true, 'a space-separated Origin list')
  assert.deepEqual(cors.headers('GET', {}), { Vary: 'Origin' })
  assert.deepEqual(cors.headers('GET', { origin: 'http://evil.example' }), { Vary: 'Origin' })
  assert.deepEqual(cors.headers('GET', { origin: 'http://good.example' }), { Vary: 'Origin', 'Access-Control-Allow-Origin': 'http://good.example' })
  assert.deepEqual(cors.headers('OPTIONS', { origin: 'http://good.example', 'access-control-request-method': 'PUT' }), {
    Vary: 'Origin',
    'Access-Control-Allow-Origin': 'http://good.example',
    'Access-Control-Allow-Methods': 'GET,POST,HEAD',
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Max-Age': '60'
  })
  const any = new CorsPolicy('*', 'GET, PUT,DELETE', ['Authorization'])
  const preflight = any.headers('OPTIONS', { origin: 'null', 'access-control-request-method': 'DELETE' })
  assert.equal(preflight['Access-Control-Allow-Origin'], 'null', 'the origin is echoed, never *')
  assert.equal(preflight['Access-Control-Allow-Methods'], 'GET,PUT,DELETE')
  assert.equal(preflight['Access-Control-Allow-Headers'], 'Content-Type,Authorization')
  assert.throws(() => new CorsPolicy('http://(unclosed', ''), /Invalid value http:\/\/\(unclosed for configuration access\.control\.allow\.origin: Invalid regex/)
})

test('https key material: prefix all-or-nothing, PKCS12/PEM/inline, JKS refused with the conversion, client auth, protocols; no secret in any error', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'rest-tls-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const pki: TestPki = createTestPki(dir)
  const secretFree = (fn: () => unknown, re: RegExp): void => {
    assert.throws(fn, (err: Error) => {
      assert.ok(err instanceof ConfigError, String(err))
      assert.match(err.message, re)
      for (const s of [pki.p12Password, pki.keyPassword, pki.trustPassword, 'PRIVATE KEY']) assert.ok(!err.message.includes(s), `${err.message} shows a secret`)
      return true
    })
  }
  const p12 = { 'ssl.keystore.location': pki.serverP12, 'ssl.keystore.password': pki.p12Password }

  // The unprefixed ssl.* settings apply while no listeners.https.* key exists; Apache's default type JKS may hold PKCS12.
  const unprefixed = restTlsSettings({ ...p12, 'ssl.keystore.type': 'JKS' })
  assert.equal(unprefixed.prefix, '')
  assert.ok(unprefixed.options.pfx)
  assert.equal(unprefixed.options.minVersion, 'TLSv1.2')
  assert.equal(unprefixed.options.maxVersion, 'TLSv1.3')
  assert.match(unprefixed.summary, /PKCS12 key store .*server\.p12, TLSv1\.2-TLSv1\.3 \(unprefixed ssl\.\* settings\)/)
  // One listeners.https. key and only those count.
  secretFree(() => restTlsSettings({ ...p12, 'listeners.https.ssl.client.auth': 'none' }), /An https listener needs a key store: set listeners\.https\.ssl\.keystore\.location/)
  const prefixed = restTlsSettings({ 'ssl.keystore.location': '/unused', 'listeners.https.ssl.keystore.location': pki.serverPem })
  assert.equal(prefixed.prefix, 'listeners.https.')
  assert.match(String(prefixed.options.cert), /BEGIN CERTIFICATE[\s\S]*BEGIN CERTIFICATE/)
  assert.match(prefixed.summary, /PEM key store .*server\.pem/)

  const inline = restTlsSettings({
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.certificate.chain': readFileSync(pki.serverCert, 'utf8').replace(/\n/g, ' '),
    'ssl.keystore.key': readFileSync(pki.serverKeyEncrypted, 'utf8'),
    'ssl.key.password': pki.keyPassword
  })
  assert.equal(inline.options.passphrase, pki.keyPassword)
  secretFree(() => restTlsSettings({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.certificate.chain': readFileSync(pki.serverCert, 'utf8'), 'ssl.keystore.key': readFileSync(pki.serverKeyEncrypted, 'utf8') }),
    /Cannot load the private key .*needs ssl\.key\.password/)
  secretFree(() => restTlsSettings({ 'ssl.keystore.certificate.chain': readFileSync(pki.serverCert, 'utf8'), 'ssl.keystore.key': readFileSync(pki.serverKey, 'utf8') }),
    /ssl\.keystore\.certificate\.chain and ssl\.keystore\.key need ssl\.keystore\.type=PEM/)
  secretFree(() => restTlsSettings({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': readFileSync(pki.serverKey, 'utf8') }), /the private key needs its certificate chain/)
  secretFree(() => restTlsSettings({ ...p12, 'ssl.keystore.password': 'wrong' }), /Cannot open the PKCS12 key store \(ssl\.keystore\.location\): wrong password \(check ssl\.keystore\.password\)/)
  secretFree(() => restTlsSettings({ 'ssl.keystore.location': join(dir, 'nope.p12') }), /Invalid value .*nope\.p12 for configuration ssl\.keystore\.location: cannot read the file: no such file/)
  const jks = join(dir, 'server.jks')
  await writeFile(jks, Buffer.concat([Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 0]), Buffer.alloc(20)]))
  secretFree(() => restTlsSettings({ 'listeners.https.ssl.keystore.location': jks, 'listeners.https.ssl.keystore.password': pki.p12Password }),
    /Invalid value .*server\.jks for configuration listeners\.https\.ssl\.keystore\.location: it is a JKS key store, which Node\.js \(OpenSSL\) cannot read\. Convert it to PKCS12: keytool -importkeystore -srckeystore .*server\.jks -destkeystore server\.p12 -deststoretype PKCS12/)
  secretFree(() => restTlsSettings({ ...p12, 'ssl.keystore.type': 'BCFKS' }), /Invalid value BCFKS for configuration ssl\.keystore\.type/)
  const mismatched = join(dir, 'mismatch.pem')
  await writeFile(mismatched, readFileSync(pki.serverCert, 'utf8') + readFileSync(pki.clientKey, 'utf8'))
  secretFree(() => restTlsSettings({ 'ssl.keystore.location': mismatched }), /The private key does not belong to the certificate/)

  // Client authentication needs a trust store: PEM, PKCS12 (with its password checked) or inline PEM.
  secretFree(() => restTlsSettings({ ...p12, 'ssl.client.auth': 'required' }), /ssl\.client\.auth=required needs .* set ssl\.truststore\.location/)
  secretFree(() => restTlsSettings({ ...p12, 'ssl.client.auth': 'always' }), /Invalid value always for configuration ssl\.client\.auth: String must be one of: required, requested, none/)
  const required = restTlsSettings({ ...p12, 'ssl.client.auth': 'required', 'ssl.truststore.location': pki.caCert })
  assert.equal(required.clientAuth, 'required')
  assert.equal(required.options.requestCert, true)
  assert.equal(required.options.rejectUnauthorized, true)
  const requested = restTlsSettings({ ...p12, 'ssl.client.auth': 'REQUESTED', 'ssl.truststore.location': pki.trustP12, 'ssl.truststore.password': pki.trustPassword })
  assert.equal(requested.clientAuth, 'requested')
  assert.equal(requested.options.rejectUnauthorized, false)
  assert.match(String((requested.options.ca as string[])[0]), /BEGIN CERTIFICATE/)
  secretFree(() => restTlsSettings({ ...p12, 'ssl.client.auth': 'required', 'ssl.truststore.location': pki.trustP12, 'ssl.truststore.password': 'wrong' }),
    /Cannot read the PKCS12 trust store .*trust\.p12 \(ssl\.truststore\.location\): .*\(check ssl\.truststore\.password\)/)
  const inlineTrust = restTlsSettings({ ...p12, 'ssl.client.auth': 'required', 'ssl.truststore.type': 'PEM', 'ssl.truststore.certificates': readFileSync(pki.caCert, 'utf8') })
  assert.equal((inlineTrust.options.ca as string[]).length, 1)

  // Protocols: ssl.enabled.protocols and ssl.protocol (a cap, as SSLContext.getInstance) → min/max versions.
  const v13 = restTlsSettings({ ...p12, 'ssl.enabled.protocols': 'TLSv1.3' })
  assert.deepEqual([v13.options.minVersion, v13.options.maxVersion], ['TLSv1.3', 'TLSv1.3'])
  const capped = restTlsSettings({ ...p12, 'ssl.protocol': 'TLSv1.2' })
  assert.deepEqual([capped.options.minVersion, capped.options.maxVersion], ['TLSv1.2', 'TLSv1.2'])
  const gap = restTlsSettings({ ...p12, 'ssl.enabled.protocols': 'TLSv1.1, TLSv1.3' })
  assert.match(gap.warnings.join('\n'), /not a contiguous range: Node\.js negotiates every version from TLSv1\.1 to TLSv1\.3/)
  secretFree(() => restTlsSettings({ ...p12, 'ssl.enabled.protocols': 'TLSv1.3', 'ssl.protocol': 'TLSv1.2' }), /leave no protocol to negotiate/)
  secretFree(() => restTlsSettings({ ...p12, 'ssl.enabled.protocols': 'SSLv3' }), /unsupported protocol SSLv3/)
  // Cipher suites: Java names translated, OpenSSL names kept, unknown Java names refused.
  const ciphers = restTlsSettings({ ...p12, 'ssl.cipher.suites': 'TLS_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,ECDHE-ECDSA-AES256-GCM-SHA384' })
  assert.equal(ciphers.options.ciphers, 'TLS_AES_128_GCM_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384')
  secretFree(() => restTlsSettings({ ...p12, 'ssl.cipher.suites': 'TLS_RSA_WITH_NULL_SHA' }), /no OpenSSL name known for TLS_RSA_WITH_NULL_SHA/)
  assert.match(restTlsSettings({ ...p12, 'ssl.provider': 'SunJSSE' }).warnings.join('\n'), /Ignoring ssl\.provider: it is a Java setting/)
})
