/**
 * Proves the differential peer: Apicurio's AvroConverter in Apache Kafka Connect 4.3.1, configured by
 * apicurioConverterProps, writes Confluent-framed Avro (magic byte 0, a 4-byte big-endian id that the registry's
 * Confluent API resolves, no headers) and reads Confluent-framed Avro whose schema was registered through that API.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import avsc from 'avsc'
import { startApacheConnect, type ApacheConnect } from './apache-connect.mjs'
import { apicurioConverterProps, resolveApicurioConverterPluginPath } from './apicurio-converter.mjs'
import { consumeAll, createTopic, produceMessages, uniqueTopic } from './kafka.ts'
import { registryRequest, schemaRegistryUrl } from './schema-registry.mjs'
import { removeDir } from '../helpers/remove-dir.ts'
import { waitFor } from '../helpers/wait-for.ts'

const LINE_RECORD = { type: 'record', name: 'ConnectDefault', namespace: 'io.confluent.connect.avro', fields: [{ name: 'line', type: 'string' }] }

let dir: string
let connect: ApacheConnect | undefined
let registry: string
const written = uniqueTopic('peer-writes')
const framedByHand = uniqueTopic('peer-reads')
let handId: number

/** Confluent's framing: magic byte 0, the id as a big-endian int32, then the Avro binary. */
function frame (id: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(5)
  header.writeInt32BE(id, 1)
  return Buffer.concat([header, payload])
}

before(async () => {
  registry = schemaRegistryUrl()
  dir = mkdtempSync(join(tmpdir(), 'apicurio-peer-'))
  writeFileSync(join(dir, 'in.txt'), 'alpha\nbeta\n')
  await createTopic(written, 1)
  await createTopic(framedByHand, 1)

  // One schema under two more subjects: Apicurio's global ids (one per version) and content ids (one per schema
  // text) part ways, so the test sees which one the peer writes.
  const schema = { schema: JSON.stringify(LINE_RECORD) }
  for (const s of [`${written}-spare-a`, `${written}-spare-b`]) {
    const res = await registryRequest('POST', `${registry}/apis/ccompat/v7/subjects/${s}/versions`, schema)
    assert.equal(res.status, 200, res.text)
  }
  // A record framed as Confluent's serializer frames it, with the id from Confluent's API.
  const registered = await registryRequest('POST', `${registry}/apis/ccompat/v7/subjects/${framedByHand}-value/versions`, schema)
  assert.equal(registered.status, 200, registered.text)
  handId = registered.body.id
  await produceMessages(framedByHand, [{ value: frame(handId, avsc.Type.forSchema(LINE_RECORD as avsc.Schema).toBuffer({ line: 'gamma' })) }])

  const hoist = { transforms: 'hoist', 'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value', 'transforms.hoist.field': 'line' }
  connect = await startApacheConnect({
    dir,
    workerProps: {
      'plugin.path': resolveApicurioConverterPluginPath(),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      ...apicurioConverterProps(registry),
      'offset.flush.interval.ms': '500'
    },
    connectorProps: [
      { name: 'peer-source', 'connector.class': 'FileStreamSource', file: join(dir, 'in.txt'), topic: written, ...hoist },
      { name: 'peer-sink-own', 'connector.class': 'FileStreamSink', file: join(dir, 'own.txt'), topics: written },
      { name: 'peer-sink-framed', 'connector.class': 'FileStreamSink', file: join(dir, 'framed.txt'), topics: framedByHand }
    ]
  })
})

after(async () => {
  await connect?.stop()
  if (dir) await removeDir(dir)
})

const readLines = (file: string): string[] => {
  try { return readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean) } catch { return [] }
}

test('the peer writes magic byte 0, the 4-byte content id the ccompat API resolves, the Avro binary, no headers', async () => {
  const records = await consumeAll(written, 2, 60000)
  const type = avsc.Type.forSchema(LINE_RECORD as avsc.Schema)
  const meta = await registryRequest('GET', `${registry}/apis/registry/v2/groups/default/artifacts/${written}-value/meta`)
  assert.equal(meta.status, 200, meta.text)
  assert.notEqual(meta.body.globalId, meta.body.contentId, 'the registry holds distinct global and content ids here')
  const latest = await registryRequest('GET', `${registry}/apis/ccompat/v7/subjects/${written}-value/versions/latest`)
  assert.equal(latest.status, 200, latest.text)

  assert.deepEqual(records.map(r => r.headers), [[], []])
  for (const [i, line] of ['alpha', 'beta'].entries()) {
    const value = records[i]!.value!
    assert.equal(value[0], 0, 'magic byte')
    const id = value.readInt32BE(1)
    assert.equal(id, meta.body.contentId, 'the id is the content id')
    assert.equal(id, latest.body.id, 'the ccompat API names the same id for the subject')
    const byId = await registryRequest('GET', `${registry}/apis/ccompat/v7/schemas/ids/${id}`)
    assert.equal(byId.status, 200, byId.text)
    assert.deepEqual(JSON.parse(byId.body.schema), LINE_RECORD)
    assert.deepEqual(value.subarray(5), type.toBuffer({ line }), 'the payload is plain Avro binary')
  }
})

test('the peer reads back its own records and records framed as Confluent frames them', async () => {
  await waitFor(() => readLines('own.txt').length >= 2 && readLines('framed.txt').length >= 1, {
    timeoutMs: 60000, what: `the sinks' files (${connect?.describe()})`
  })
  assert.deepEqual(readLines('own.txt'), ['Struct{line=alpha}', 'Struct{line=beta}'])
  assert.deepEqual(readLines('framed.txt'), ['Struct{line=gamma}'])
  assert.equal(await connect!.failure(), null)
})
