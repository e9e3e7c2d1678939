// The converter around a format, against the real registry (Apicurio's Confluent API): wire format, subjects, caches,
// errors. The format here is a small port that writes Avro strings and ints (real Avro schemas, so the registry's
// compatibility rules apply); the real formats have their own tests.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { after, before, test } from 'node:test'
import { ConfigDef, DataError, Headers, RetriableError, Schemas, isRetriable, type Schema } from '../../../src/api/index.ts'
import { SchemaRegistryConverter } from '../../../src/converters/schema-registry/schema-registry-converter.ts'
import type { FormatSchema, SchemaFormat, SchemaFormatFactory } from '../../../src/converters/schema-registry/schema-format.ts'
import { schemaRegistryCcompatUrl } from '../../harness/schema-registry.mjs'

const zigzag = (n: number): number => (n << 1) ^ (n >> 31)
function varint (n: number): number[] {
  const out: number[] = []
  let v = zigzag(n) >>> 0
  while (v > 0x7f) { out.push((v & 0x7f) | 0x80); v >>>= 7 }
  out.push(v)
  return out
}
function readVarint (b: Buffer, at: number): [number, number] {
  let v = 0; let shift = 0; let i = at
  for (;;) { const byte = b[i++]!; v |= (byte & 0x7f) << shift; if (byte < 0x80) break; shift += 7 }
  return [(v >>> 1) ^ -(v & 1), i]
}

/** Avro "string" and "int" only. */
const tinyAvro: SchemaFormatFactory = {
  type: 'AVRO',
  configDef: new ConfigDef(),
  create (): SchemaFormat {
    const of = (text: string): FormatSchema => ({ text, recordName: null, references: [] })
    return {
      type: 'AVRO',
      fromConnectSchema (schema: Schema | null) {
        if (schema?.type === 'string') return of('"string"')
        if (schema?.type === 'int32') return of('"int"')
        throw new DataError(`tiny format: no ${schema?.type ?? 'schemaless'} data`)
      },
      parse: text => of(text),
      toConnectSchema: s => s.text === '"string"' ? Schemas.STRING : Schemas.INT32,
      serialize (s, _c, value) {
        if (s.text === '"int"') return Buffer.from(varint(value as number))
        const bytes = Buffer.from(String(value), 'utf8')
        return Buffer.concat([Buffer.from(varint(bytes.length)), bytes])
      },
      deserialize (s, _c, payload) {
        const [n, at] = readVarint(payload, 0)
        return s.text === '"int"' ? n : payload.subarray(at, at + n).toString('utf8')
      }
    }
  }
}

let url: string
let run = 0
const topic = (): string => `converter-test-${process.pid}-${Date.now()}-${run++}`
const converters: SchemaRegistryConverter[] = []
function converter (props: Record<string, string> = {}, isKey = false): SchemaRegistryConverter {
  const c = new SchemaRegistryConverter(tinyAvro, 'io.confluent.connect.avro.AvroConverter')
  c.configure({ 'schema.registry.url': url, 'max.retries': '0', ...props }, isKey)
  converters.push(c)
  return c
}

before(() => { url = schemaRegistryCcompatUrl() })
after(() => { for (const c of converters) c.close() })

test('writes magic byte 0, the registered id and the payload, and reads it back; the registry is asked once per schema', async () => {
  const c = converter()
  const t = topic()
  const first = await c.fromConnectData(t, Headers.EMPTY, Schemas.STRING, 'hello')
  assert.ok(first !== null)
  assert.equal(first[0], 0)
  const id = first.readInt32BE(1)
  const registered = await (await fetch(`${url}/schemas/ids/${id}`)).json() as { schema: string }
  assert.equal(registered.schema, '"string"')
  // (GET /subjects is paged by Apicurio: ask for the subject itself.)
  assert.deepEqual(await (await fetch(`${url}/subjects/${t}-value/versions`)).json(), [1], `subject ${t}-value registered`)
  const afterFirst = c.registryRequests
  for (let i = 0; i < 1000; i++) {
    const bytes = c.fromConnectData(t, Headers.EMPTY, Schemas.STRING, `v${i}`)
    assert.ok(bytes instanceof Buffer, 'a known schema converts synchronously')
  }
  assert.equal(c.registryRequests, afterFirst, 'no registry call per record')

  const reader = converter()
  const back = await reader.toConnectData(t, Headers.EMPTY, first)
  assert.deepEqual(back, { schema: Schemas.STRING, value: 'hello' })
  const readerCalls = reader.registryRequests
  const again = reader.toConnectData(t, Headers.EMPTY, first)
  assert.ok(!(again instanceof Promise))
  assert.equal(reader.registryRequests, readerCalls)
})

test('records of a new schema converted at once share one registration', async () => {
  const c = converter()
  const t = topic()
  const all = await Promise.all(Array.from({ length: 50 }, (_, i) => c.fromConnectData(t, Headers.EMPTY, Schemas.STRING, `r${i}`)))
  assert.equal(new Set(all.map(b => b!.readInt32BE(1))).size, 1)
  assert.equal(c.registryRequests, 1)
})

test('null is a tombstone whatever the schema; keys go to <topic>-key', async () => {
  const c = converter({}, true)
  const t = topic()
  assert.equal(c.fromConnectData(t, Headers.EMPTY, Schemas.OPTIONAL_STRING, null), null)
  assert.deepEqual(c.toConnectData(t, Headers.EMPTY, null), { schema: null, value: null })
  await c.fromConnectData(t, Headers.EMPTY, Schemas.STRING, 'k')
  assert.deepEqual(await (await fetch(`${url}/subjects/${t}-key/versions`)).json(), [1], `subject ${t}-key registered`)
})

test('an incompatible schema is a DataError naming the subject and its latest version, not retriable', async () => {
  const c = converter()
  const t = topic()
  await c.fromConnectData(t, Headers.EMPTY, Schemas.STRING, 'first')
  await assert.rejects(async () => await c.fromConnectData(t, Headers.EMPTY, Schemas.INT32, 7), (err: unknown) => {
    assert.ok(err instanceof DataError, String(err))
    assert.match(err.message, new RegExp(`incompatible with an earlier schema for subject "${t}-value" \\(version 1\\)`))
    assert.equal(isRetriable(err), false)
    return true
  })
})

test('auto.register.schemas=false: an unregistered schema is a DataError saying so; a registered one is found', async () => {
  const t = topic()
  const c = converter({ 'auto.register.schemas': 'false' })
  await assert.rejects(async () => await c.fromConnectData(t, Headers.EMPTY, Schemas.STRING, 'x'), /not registered under subject .*-value, and auto.register.schemas=false/)
  const id = (await converter().fromConnectData(t, Headers.EMPTY, Schemas.STRING, 'x'))!.readInt32BE(1)
  const bytes = await c.fromConnectData(t, Headers.EMPTY, Schemas.STRING, 'x')
  assert.equal(bytes!.readInt32BE(1), id)
})

test('bytes not in wire format and unknown ids are DataErrors that say what was found', async () => {
  const c = converter()
  assert.throws(() => c.toConnectData('t', Headers.EMPTY, Buffer.from('{"a":1}')), /Unknown magic byte!.*first byte 123/)
  assert.throws(() => c.toConnectData('t', Headers.EMPTY, Buffer.from([0, 1])), /Unknown magic byte!.*2 bytes/)
  await assert.rejects(async () => await c.toConnectData('t', Headers.EMPTY, Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 2, 0x61])),
    (err: unknown) => err instanceof DataError && /Schema with id 2147483632 not found/.test(err.message))
})

test('an unreachable registry is a RetriableError naming the URL without credentials', async () => {
  const server: Server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise<void>(resolve => server.close(() => resolve()))
  const c = converter({ 'schema.registry.url': `http://alice:s3cret@127.0.0.1:${port}` })
  await assert.rejects(async () => await c.fromConnectData('t', Headers.EMPTY, Schemas.STRING, 'x'), (err: unknown) => {
    assert.ok(err instanceof RetriableError, String(err))
    assert.match(err.message, new RegExp(`Schema Registry at http://127.0.0.1:${port} is unreachable.*ECONNREFUSED`))
    assert.doesNotMatch(err.message, /s3cret|alice/)
    return true
  })
})

test('a registry answering 5xx is retried by the client, then a RetriableError; 401 is not retriable', async () => {
  let status = 503
  let hits = 0
  let auth = ''
  const server = createServer((req, res) => {
    hits++
    auth = req.headers.authorization ?? ''
    res.writeHead(status, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ error_code: status === 401 ? 40101 : 50001, message: status === 401 ? 'Unauthorized' : 'store unavailable' }))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  after(() => new Promise<void>(resolve => server.close(() => resolve())))
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  const c = converter({ 'schema.registry.url': base, 'max.retries': '2', 'retries.wait.ms': '1', 'basic.auth.credentials.source': 'USER_INFO', 'basic.auth.user.info': 'bob:pw' })
  await assert.rejects(async () => await c.fromConnectData('t', Headers.EMPTY, Schemas.STRING, 'x'), (err: unknown) => err instanceof RetriableError && /HTTP 503: store unavailable \(3 attempts\)/.test(err.message))
  assert.equal(hits, 3)
  assert.equal(auth, `Basic ${Buffer.from('bob:pw').toString('base64')}`)
  status = 401
  await assert.rejects(async () => await c.fromConnectData('t2', Headers.EMPTY, Schemas.STRING, 'x'), (err: unknown) => !isRetriable(err) && /HTTP 401 \(error_code 40101\): Unauthorized/.test((err as Error).message))
})

test('configuration: unsupported Confluent keys are refused with a reason; secrets stay out of messages', () => {
  const c = new SchemaRegistryConverter(tinyAvro, 'io.confluent.connect.avro.AvroConverter')
  assert.throws(() => c.configure({ 'schema.registry.url': 'http://h', 'bearer.auth.credentials.source': 'OAUTHBEARER' }, false),
    /bearer\.auth\.credentials\.source: not supported by connect-standalone: only STATIC_TOKEN/)
  assert.throws(() => c.configure({ 'schema.registry.url': 'http://h', 'value.subject.name.strategy': 'com.example.Mine' }, false),
    /Class com\.example\.Mine could not be found: supported subject name strategies are io\.confluent\.kafka\.serializers\.subject\.TopicNameStrategy/)
  assert.throws(() => c.configure({}, false), /Missing required configuration "schema\.registry\.url"/)
  assert.throws(() => c.configure({ 'schema.registry.url': 'http://h', 'basic.auth.credentials.source': 'USER_INFO', 'basic.auth.user.info': 'nocolon' }, false),
    (err: unknown) => /Invalid value \[hidden\] for configuration basic\.auth\.user\.info/.test((err as Error).message) && !(err as Error).message.includes('nocolon'))
  const validated = c.config().validate({ 'schema.registry.url': 'http://h', 'proxy.host': 'proxy', 'basic.auth.user.info': 'u:p' })
  assert.match(validated.find(v => v.name === 'proxy.host')!.errors.join(), /HTTP proxies are not implemented/)
  assert.equal(c.config().get('basic.auth.user.info')!.type, 'password')
  assert.equal(c.config().get('bearer.auth.token')!.type, 'password')
})

test('RecordNameStrategy needs a named schema and says so', async () => {
  const c = converter({ 'value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.RecordNameStrategy' })
  assert.throws(() => c.fromConnectData('t', Headers.EMPTY, Schemas.STRING, 'x'), /RecordNameStrategy names subjects after the record's name/)
})

test('mock://<scope> is an in-process registry shared by the converters naming that scope, as Confluent\'s', async () => {
  const scope = `mock://test-${process.pid}-${Date.now()}`
  const writer = converter({ 'schema.registry.url': scope })
  const bytes = await writer.fromConnectData('t', Headers.EMPTY, Schemas.STRING, 'hi')
  assert.equal(bytes![0], 0)
  const reader = converter({ 'schema.registry.url': scope })
  assert.deepEqual(await reader.toConnectData('t', Headers.EMPTY, bytes), { schema: Schemas.STRING, value: 'hi' })
  const other = converter({ 'schema.registry.url': `${scope}-other` })
  await assert.rejects(async () => await other.toConnectData('t', Headers.EMPTY, bytes), /Schema with id 1 not found/)
  assert.throws(() => converter({ 'schema.registry.url': `${scope},${url}` }), /cannot mix mock:\/\/ and real registry URLs/)
})

test('null values: Avro and Protobuf write a tombstone, JSON Schema writes the payload of an optional schema (Confluent\'s JsonSchemaConverter)', async () => {
  const { AvroConverter, JsonSchemaConverter, ProtobufConverter } = await import('../../../src/converters/schema-registry/registry-converters.ts')
  const t = topic()
  for (const Impl of [AvroConverter, ProtobufConverter]) {
    const c = new Impl()
    c.configure({ 'schema.registry.url': url }, false)
    converters.push(c)
    assert.equal(c.fromConnectData(t, Headers.EMPTY, Schemas.OPTIONAL_STRING, null), null)
  }
  const json = new JsonSchemaConverter()
  json.configure({ 'schema.registry.url': url }, false)
  converters.push(json)
  assert.equal(json.fromConnectData(t, Headers.EMPTY, null, null), null)
  const bytes = await json.fromConnectData(t, Headers.EMPTY, Schemas.OPTIONAL_STRING, null)
  assert.ok(bytes !== null && bytes[0] === 0)
  assert.equal(bytes.subarray(5).toString('utf8'), 'null')
  const back = await json.toConnectData(t, Headers.EMPTY, bytes)
  assert.equal(back.value, null)
  // The reader's schema carries the registry's version, as Confluent's readers give it.
  assert.deepEqual({ ...back.schema }, { type: 'string', optional: true, version: 1 })
})
