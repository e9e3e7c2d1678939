/**
 * The REST server's security on real sockets, in-process (no broker): exact binding, https listeners (PKCS12, PEM,
 * inline encrypted key, mixed with http), TLS versions, client certificates (required / requested), basic
 * authentication, CORS, response.http.headers.config, the request body limit (declared, streamed, 100-continue)
 * and error bodies without stack traces. Requests go through curl where a user would use it.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { ConnectError } from '../../src/api/index.ts'
import { parseListener, WORKER_CONFIG_DEF } from '../../src/config/worker-config.ts'
import { createConnectorSchema } from '../../src/rest/request-schemas.ts'
import { restSecurityFromWorkerConfig } from '../../src/config/worker-config.ts'
import { RestServer, type BoundListener } from '../../src/rest/rest-server.ts'
import { curl, createTestPki, header, type TestPki } from '../helpers/test-pki.ts'

const BASE_WORKER = { 'key.converter': 'StringConverter', 'value.converter': 'StringConverter', 'offset.storage.file.filename': '/tmp/unused' }

interface Started { server: RestServer, bound: readonly BoundListener[], url: (protocol?: string) => string }

/** A RestServer with a few routes, secured from worker settings exactly as the CLI does it. */
async function startServer (t: TestContext, worker: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const config = WORKER_CONFIG_DEF.parse({ ...BASE_WORKER, ...worker })
  const listeners = config.list('listeners').map(parseListener)
  const security = await restSecurityFromWorkerConfig(config, listeners, env)
  const server = new RestServer({
    listeners,
    ...(security.tls ? { tls: security.tls } : {}),
    authenticator: security.authenticator,
    cors: security.cors,
    responseHeaders: security.responseHeaders,
    maxBodyBytes: security.maxBodyBytes
  })
  server.router
    .add('GET', '/connectors', () => ({ status: 200, body: ['a'] }))
    .add('POST', '/connectors', req => ({ status: 201, body: { name: (req.body as { name: string }).name } }), { body: createConnectorSchema })
    .add('GET', '/connectors/{name}', req => ({ status: 200, body: { name: req.params.name } }))
    .add('POST', '/connectors/{name}/tasks', () => { throw new ConnectError('Kafka Connect in standalone mode does not support externally setting task configurations.') })
    .add('GET', '/boom', () => { const o = undefined as unknown as { x: { y: number } }; return { status: 200, body: o.x.y } })
    .add('GET', '/boom-raw', () => { throw { secret: 'not an Error' } })
  const bound = await server.start()
  t.after(async () => { await server.stop(1000) })
  const url = (protocol?: string): string => {
    const b = bound.find(x => protocol === undefined || x.listener.protocol === protocol)!
    return `${b.listener.protocol}://127.0.0.1:${b.port}`
  }
  return { server, bound, url }
}

async function tempDir (t: TestContext, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

/** Resolves 'connected' or the connection error's code. */
async function tryConnect (host: string, port: number): Promise<string> {
  return await new Promise(resolve => {
    const socket = connect({ host, port, timeout: 5000 })
    socket.once('connect', () => { socket.destroy(); resolve('connected') })
    socket.once('timeout', () => { socket.destroy(); resolve('ETIMEDOUT') })
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
  })
}

const nonLoopbackIPv4 = Object.values(networkInterfaces()).flat().filter(i => i && i.family === 'IPv4' && !i.internal).map(i => i!.address)

test('a listener bound to 127.0.0.1 is reachable there and on no other local address', async t => {
  const { bound } = await startServer(t, { listeners: 'http://127.0.0.1:0' })
  const port = bound[0]!.port
  assert.equal(bound[0]!.host, '127.0.0.1')
  assert.equal(await tryConnect('127.0.0.1', port), 'connected')
  // Linux routes all of 127/8 to lo: 127.0.0.2 is a local address the server is not bound to.
  assert.equal(await tryConnect('127.0.0.2', port), 'ECONNREFUSED')
  const viaCurl = await curl([`http://127.0.0.2:${port}/connectors`])
  assert.equal(viaCurl.code, 7, `curl should fail to connect: ${viaCurl.stderr}`)
  t.diagnostic(nonLoopbackIPv4.length > 0 ? `non-loopback addresses checked: ${nonLoopbackIPv4.join(', ')}` : 'this machine has no non-loopback IPv4 address')
  for (const address of nonLoopbackIPv4) assert.equal(await tryConnect(address, port), 'ECONNREFUSED', address)
  assert.notEqual(await tryConnect('::1', port), 'connected', 'nor on the IPv6 loopback')
  assert.equal((await curl([`http://127.0.0.1:${port}/connectors`])).status, 200)

  await t.test('bound to 127.0.0.2 only: not reachable on 127.0.0.1', async t2 => {
    const other = await startServer(t2, { listeners: 'http://127.0.0.2:0' })
    assert.equal(await tryConnect('127.0.0.2', other.bound[0]!.port), 'connected')
    assert.equal(await tryConnect('127.0.0.1', other.bound[0]!.port), 'ECONNREFUSED')
  })
  await t.test('an empty host binds every interface', async t2 => {
    const all = await startServer(t2, { listeners: 'http://:0' })
    for (const address of ['127.0.0.1', '127.0.0.2', ...nonLoopbackIPv4]) assert.equal(await tryConnect(address, all.bound[0]!.port), 'connected', address)
  })
})

test('https listeners: PKCS12 (unprefixed ssl.*), PEM file and inline encrypted key (listeners.https.*), mixed with http', async t => {
  const dir = await tempDir(t, 'rest-https-')
  const pki: TestPki = createTestPki(dir)
  const ca = ['--cacert', pki.caCert]

  await t.test('PKCS12 under the unprefixed ssl.* keys, next to an http listener', async t2 => {
    const s = await startServer(t2, {
      listeners: 'https://127.0.0.1:0,http://127.0.0.1:0',
      'ssl.keystore.location': pki.serverP12,
      'ssl.keystore.password': pki.p12Password,
      'ssl.key.password': pki.p12Password
    })
    assert.deepEqual(s.bound.map(b => b.url.replace(/:\d+\/$/, '')), ['https://127.0.0.1', 'http://127.0.0.1'])
    const https = await curl([...ca, `${s.url('https')}/connectors`])
    assert.equal(https.status, 200, https.stderr)
    assert.equal(https.body, '["a"]')
    assert.equal((await curl([`${s.url('http')}/connectors`])).status, 200)
    // Host names in the certificate are checked: it names 127.0.0.1 and localhost, signed by the test CA.
    assert.equal((await curl([...ca, `https://localhost:${s.bound[0]!.port}/connectors`])).status, 200)
    const untrusted = await curl([`${s.url('https')}/connectors`])
    assert.equal(untrusted.code, 60, 'curl refuses a certificate it has no CA for')
    const plainToTls = await curl([`http://127.0.0.1:${s.bound[0]!.port}/connectors`])
    assert.notEqual(plainToTls.status, 200)
    assert.equal((await curl([...ca, `https://127.0.0.1:${s.bound[1]!.port}/connectors`])).code, 35, 'TLS to the http listener fails')
  })

  await t.test('PEM file under listeners.https.* (the unprefixed keys are then ignored)', async t2 => {
    const s = await startServer(t2, {
      listeners: 'https://127.0.0.1:0',
      'listeners.https.ssl.keystore.type': 'PEM',
      'listeners.https.ssl.keystore.location': pki.serverPem,
      'ssl.keystore.location': '/no/such/keystore.p12'
    })
    assert.equal((await curl([...ca, `${s.url()}/connectors`])).status, 200)
  })

  await t.test('inline PEM chain and encrypted key with ssl.key.password; TLS 1.3 only', async t2 => {
    const s = await startServer(t2, {
      listeners: 'https://127.0.0.1:0',
      'listeners.https.ssl.keystore.type': 'PEM',
      'listeners.https.ssl.keystore.certificate.chain': await readFile(pki.serverCert, 'utf8'),
      'listeners.https.ssl.keystore.key': await readFile(pki.serverKeyEncrypted, 'utf8'),
      'listeners.https.ssl.key.password': pki.keyPassword,
      'listeners.https.ssl.enabled.protocols': 'TLSv1.3'
    })
    assert.equal((await curl([...ca, '--tlsv1.3', `${s.url()}/connectors`])).status, 200)
    const old = await curl([...ca, '--tlsv1.2', '--tls-max', '1.2', `${s.url()}/connectors`])
    assert.equal(old.code, 35, `a TLS 1.2 client is refused: ${old.stderr}`)
  })

  await t.test('ssl.client.auth=required: only a certificate from the trust store gets in', async t2 => {
    const s = await startServer(t2, {
      listeners: 'https://127.0.0.1:0',
      'ssl.keystore.location': pki.serverP12,
      'ssl.keystore.password': pki.p12Password,
      'ssl.truststore.location': pki.trustP12,
      'ssl.truststore.password': pki.trustPassword,
      'ssl.truststore.type': 'PKCS12',
      'ssl.client.auth': 'required'
    })
    assert.equal((await curl([...ca, '--cert', pki.clientCert, '--key', pki.clientKey, `${s.url()}/connectors`])).status, 200)
    assert.notEqual((await curl([...ca, `${s.url()}/connectors`])).status, 200, 'no certificate')
    assert.notEqual((await curl([...ca, '--cert', pki.rogueCert, '--key', pki.rogueKey, `${s.url()}/connectors`])).status, 200, 'untrusted certificate')
  })

  await t.test('ssl.client.auth=requested: no certificate is fine, an untrusted one is not', async t2 => {
    const s = await startServer(t2, {
      listeners: 'https://127.0.0.1:0',
      'ssl.keystore.location': pki.serverP12,
      'ssl.keystore.password': pki.p12Password,
      'ssl.truststore.location': pki.caCert,
      'ssl.client.auth': 'requested'
    })
    assert.equal((await curl([...ca, `${s.url()}/connectors`])).status, 200)
    assert.equal((await curl([...ca, '--cert', pki.clientCert, '--key', pki.clientKey, `${s.url()}/connectors`])).status, 200)
    assert.notEqual((await curl([...ca, '--cert', pki.rogueCert, '--key', pki.rogueKey, `${s.url()}/connectors`])).status, 200)
  })
})

test('basic authentication (Apache\'s extension, JAAS file from KAFKA_OPTS): curl -u, 401 without or with wrong credentials', async t => {
  const dir = await tempDir(t, 'rest-basic-')
  const pki = createTestPki(dir)
  await writeFile(join(dir, 'credentials.properties'), 'alice=s3cret-pw\nbob=pw:with:colons\n')
  await writeFile(join(dir, 'jaas.conf'), `KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="${join(dir, 'credentials.properties')}";\n};\n`)
  const s = await startServer(t, {
    listeners: 'https://127.0.0.1:0',
    'ssl.keystore.location': pki.serverP12,
    'ssl.keystore.password': pki.p12Password,
    'rest.extension.classes': 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension',
    'response.http.headers.config': 'set X-Frame-Options: DENY, "add Cache-Control: no-cache, no-store"'
  }, { KAFKA_OPTS: `-Xmx1G -Djava.security.auth.login.config=${join(dir, 'jaas.conf')}` })
  const ca = ['--cacert', pki.caCert]
  const base = s.url()

  const ok = await curl([...ca, '-u', 'alice:s3cret-pw', `${base}/connectors`])
  assert.equal(ok.status, 200, ok.stderr)
  assert.equal(ok.body, '["a"]')
  assert.equal(header(ok.headers, 'X-Frame-Options'), 'DENY')
  assert.equal(header(ok.headers, 'Cache-Control'), 'no-cache, no-store')
  assert.equal((await curl([...ca, '-u', 'bob:pw:with:colons', `${base}/connectors`])).status, 200)

  for (const [what, args] of [
    ['no credentials', []],
    ['a wrong password', ['-u', 'alice:wrong']],
    ['an unknown user', ['-u', 'mallory:s3cret-pw']],
    ['another scheme', ['-H', 'Authorization: Bearer s3cret-pw']],
    ['invalid base64 (Apache: 500)', ['-H', 'Authorization: Basic !!!']]
  ] as const) {
    const r = await curl([...ca, ...args, `${base}/connectors`])
    assert.equal(r.status, 401, what)
    assert.deepEqual(JSON.parse(r.body), { error_code: 401, message: 'User cannot access the resource.' }, what)
    assert.equal(header(r.headers, 'Content-Type'), 'application/json')
    assert.equal(header(r.headers, 'WWW-Authenticate'), 'Basic realm="Kafka Connect", charset="UTF-8"')
    assert.equal(header(r.headers, 'X-Frame-Options'), 'DENY', 'the header rules apply to errors too')
  }
  // As in Apache (a JAX-RS filter runs after matching): unknown paths and methods answer 404/405 to anyone, and the
  // internal task-config endpoint is not authenticated (it refuses every request in standalone mode).
  assert.equal((await curl([...ca, `${base}/nope`])).status, 404)
  assert.equal((await curl([...ca, '-X', 'DELETE', `${base}/connectors`])).status, 405)
  const internal = await curl([...ca, '-X', 'POST', '-H', 'Content-Type: application/json', '-d', '[]', `${base}/connectors/x/tasks`])
  assert.equal(internal.status, 500)
  assert.match(internal.body, /does not support externally setting task configurations/)
  // OPTIONS needs credentials like any request, and answers as JAX-RS does.
  assert.equal((await curl([...ca, '-X', 'OPTIONS', `${base}/connectors`])).status, 401)
  const options = await curl([...ca, '-u', 'alice:s3cret-pw', '-X', 'OPTIONS', `${base}/connectors`])
  assert.equal(options.status, 200)
  assert.equal(header(options.headers, 'Allow'), 'HEAD,POST,GET,OPTIONS')
  assert.equal(header(options.headers, 'Content-Type'), 'text/plain')
  assert.equal(options.body, 'HEAD, POST, GET, OPTIONS')
  // A body is not read before the request is authenticated.
  const big = join(dir, 'big.json')
  await writeFile(big, JSON.stringify({ name: 'x', config: { pad: 'x'.repeat(3 * 1024 * 1024) } }))
  const unauthBig = await curl([...ca, '-X', 'POST', '-H', 'Content-Type: application/json', '--data-binary', `@${big}`, `${base}/connectors`])
  assert.equal(unauthBig.status, 401)
})

test('CORS: allowed origins echoed, preflights answered (without credentials when basic authentication is on)', async t => {
  const dir = await tempDir(t, 'rest-cors-')
  await writeFile(join(dir, 'users.properties'), 'alice=secret\n')
  const s = await startServer(t, {
    listeners: 'http://127.0.0.1:0',
    'access.control.allow.origin': 'http://good\\.example, http://other\\.example',
    'access.control.allow.methods': 'GET,PUT,DELETE',
    'rest.basic.auth.credentials.file': join(dir, 'users.properties')
  })
  const base = s.url()
  const good = await curl(['-u', 'alice:secret', '-H', 'Origin: http://good.example', `${base}/connectors`])
  assert.equal(good.status, 200)
  assert.equal(header(good.headers, 'Access-Control-Allow-Origin'), 'http://good.example')
  assert.equal(header(good.headers, 'Vary'), 'Origin')
  assert.equal(header(good.headers, 'Access-Control-Allow-Credentials'), undefined)
  const evil = await curl(['-u', 'alice:secret', '-H', 'Origin: http://evil.example', `${base}/connectors`])
  assert.equal(evil.status, 200, 'served, but without CORS headers: the browser refuses it')
  assert.equal(header(evil.headers, 'Access-Control-Allow-Origin'), undefined)
  assert.equal(header((await curl([`${base}/connectors`])).headers, 'Vary'), 'Origin')

  const preflight = await curl(['-X', 'OPTIONS', '-H', 'Origin: http://other.example', '-H', 'Access-Control-Request-Method: PUT', '-H', 'Access-Control-Request-Headers: authorization,content-type', `${base}/connectors/x`])
  assert.equal(preflight.status, 200, 'a browser sends no credentials with a preflight')
  assert.equal(header(preflight.headers, 'Access-Control-Allow-Origin'), 'http://other.example')
  assert.equal(header(preflight.headers, 'Access-Control-Allow-Methods'), 'GET,PUT,DELETE')
  assert.equal(header(preflight.headers, 'Access-Control-Allow-Headers'), 'Content-Type,Authorization')
  assert.equal(header(preflight.headers, 'Access-Control-Max-Age'), '60')
  const evilPreflight = await curl(['-X', 'OPTIONS', '-H', 'Origin: http://evil.example', '-H', 'Access-Control-Request-Method: PUT', `${base}/connectors`])
  assert.equal(header(evilPreflight.headers, 'Access-Control-Allow-Origin'), undefined)
  assert.equal((await curl(['-X', 'OPTIONS', '-H', 'Origin: http://good.example', '-H', 'Access-Control-Request-Method: GET', `${base}/nope`])).status, 404)
  const noCredentials = await curl(['-H', 'Origin: http://good.example', `${base}/connectors`])
  assert.equal(noCredentials.status, 401, 'an ordinary cross-origin request still needs credentials')
  assert.equal(header(noCredentials.headers, 'Access-Control-Allow-Origin'), 'http://good.example', 'so that the page can read the 401')
})

test('request bodies are capped while they stream in: 413 with the Connect error body', async t => {
  const dir = await tempDir(t, 'rest-body-')
  const s = await startServer(t, { listeners: 'http://127.0.0.1:0' })
  const base = s.url()
  const body = (bytes: number): string => JSON.stringify({ name: 'x', config: { pad: 'x'.repeat(bytes - 30) } })

  // Just under the default 1 MiB is fine.
  const fits = join(dir, 'fits.json')
  await writeFile(fits, body(1024 * 1024 - 100))
  const ok = await curl(['-X', 'POST', '-H', 'Content-Type: application/json', '--data-binary', `@${fits}`, `${base}/connectors`])
  assert.equal(ok.status, 201, ok.body)

  // curl announces a large body and waits for 100 Continue, which never comes: the answer is 413 at once.
  const big = join(dir, 'big.json')
  await writeFile(big, body(2 * 1024 * 1024))
  const tooBig = await curl(['-v', '-X', 'POST', '-H', 'Content-Type: application/json', '--data-binary', `@${big}`, `${base}/connectors`])
  assert.equal(tooBig.status, 413, tooBig.stderr)
  assert.deepEqual(JSON.parse(tooBig.body), { error_code: 413, message: 'Request body larger than 1048576 bytes (rest.request.body.max.bytes)' })
  assert.doesNotMatch(tooBig.stderr, /HTTP\/1\.1 100 Continue/)
  // Without Expect, the declared length is enough.
  const declared = await curl(['-X', 'POST', '-H', 'Expect:', '-H', 'Content-Type: application/json', '--data-binary', `@${big}`, `${base}/connectors`])
  assert.equal(declared.status, 413)

  // A chunked body with no length: the 413 comes while the client is still sending, so nothing was buffered whole.
  const answer = await new Promise<{ status: number, body: string, endedRequest: boolean }>((resolve, reject) => {
    let ended = false
    const req = httpRequest(`${base}/connectors`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, res => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => { text += d })
      res.on('end', () => { resolve({ status: res.statusCode!, body: text, endedRequest: ended }); req.destroy() })
    })
    req.on('error', reject)
    req.write('{"name":"x","config":{"pad":"')
    const chunk = 'y'.repeat(64 * 1024)
    for (let sent = 0; sent < 1.5 * 1024 * 1024; sent += chunk.length) req.write(chunk)
    // The request is never ended: the server must answer without the rest of the body.
    setTimeout(() => { ended = true; req.end('"}}') }, 20000).unref()
  })
  assert.equal(answer.status, 413)
  assert.equal(answer.endedRequest, false)
  assert.equal((JSON.parse(answer.body) as { error_code: number }).error_code, 413)

  await t.test('rest.request.body.max.bytes sets the limit', async t2 => {
    const small = await startServer(t2, { listeners: 'http://127.0.0.1:0', 'rest.request.body.max.bytes': '100' })
    const r = await curl(['-X', 'POST', '-H', 'Content-Type: application/json', '-d', body(150), `${small.url()}/connectors`])
    assert.deepEqual(JSON.parse(r.body), { error_code: 413, message: 'Request body larger than 100 bytes (rest.request.body.max.bytes)' })
    assert.equal((await curl(['-X', 'POST', '-H', 'Content-Type: application/json', '-d', '{"name":"a","config":{}}', `${small.url()}/connectors`])).status, 201)
  })
})

test('an internal error answers 500 with the Connect error body and no stack trace', async t => {
  const s = await startServer(t, { listeners: 'http://127.0.0.1:0' })
  const r = await curl([`${s.url()}/boom`])
  assert.equal(r.status, 500)
  const parsed = JSON.parse(r.body) as Record<string, unknown>
  assert.deepEqual(Object.keys(parsed), ['error_code', 'message'])
  assert.equal(parsed.error_code, 500)
  assert.match(String(parsed.message), /Cannot read properties of undefined/)
  assert.doesNotMatch(r.body, /\bat |\.ts:\d+|node_modules|TypeError/)
  const raw = await curl([`${s.url()}/boom-raw`])
  assert.equal(raw.status, 500)
  assert.deepEqual(Object.keys(JSON.parse(raw.body) as object), ['error_code', 'message'])
})
