/**
 * The batch consume addon against node-rdkafka's own consume, on the real broker: the same records, read through both
 * paths, must come out identical (keys, values, nulls, empty values, headers, large values, offsets, timestamps), and
 * the addon must be the path the worker uses here (npm install builds it).
 */
import { strict as assert } from 'node:assert'
import { before, test } from 'node:test'
import Kafka from 'node-rdkafka'
import { batchConsumeProblem, consumeBatch, loadBatchConsume, type BatchMessage } from '../../src/kafka/batch-consume.ts'

// The addon is opt-in (CONNECT_BATCH_CONSUME=on); this file tests it directly.
process.env.CONNECT_BATCH_CONSUME = 'on'
import { createTopic, kafkaBootstrap, produceMessages, uniqueTopic, type TestMessage } from '../harness/kafka.ts'

const addon = loadBatchConsume()
const topic = uniqueTopic('batch-consume')
const big = Buffer.alloc(200 * 1024, 7)
big.write('start', 0)

const MESSAGES: TestMessage[] = [
  { key: 'k1', value: 'plain', partition: 0 },
  { key: null, value: 'no key', partition: 0 },
  { key: 'tombstone', value: null, partition: 1 },
  { key: 'empty', value: '', partition: 1 },
  { key: Buffer.from([0, 1, 2, 0]), value: Buffer.from([0xff, 0, 0xfe, 0]), partition: 2 },
  { key: 'ключ', value: 'значение ✓', partition: 2, headers: [{ key: 'h1', value: 'one' }, { key: 'h1', value: 'again' }, { key: 'ünï', value: 'x' }] },
  { key: 'big', value: big, partition: 0, headers: [{ key: 'empty', value: '' }] }
]

function rawConsumer (group: string): Kafka.KafkaConsumer {
  return new Kafka.KafkaConsumer({ 'bootstrap.servers': kafkaBootstrap(), 'group.id': group, 'enable.auto.commit': false }, { 'auto.offset.reset': 'earliest' })
}

async function connected (c: Kafka.KafkaConsumer): Promise<Kafka.KafkaConsumer> {
  await new Promise<void>((resolve, reject) => c.connect({ timeout: 30000 }, err => { if (err) reject(err); else resolve() }))
  return c
}

async function disconnect (c: Kafka.KafkaConsumer): Promise<void> {
  await new Promise<void>(resolve => c.disconnect(() => resolve()))
}

/** Reads until `count` messages came through `take`, or fails after 30 s. */
async function readAll (take: () => Promise<Kafka.Message[]>, count: number): Promise<Kafka.Message[]> {
  const out: Kafka.Message[] = []
  const deadline = Date.now() + 30000
  while (out.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${out.length} of ${count} messages arrived`)
    out.push(...await take())
  }
  return out.sort((a, b) => a.partition - b.partition || a.offset - b.offset)
}

/** What both paths must agree on (node-rdkafka gives headers as [{ name: Buffer }]). */
function comparable (m: Kafka.Message): unknown {
  return {
    topic: m.topic,
    partition: m.partition,
    offset: m.offset,
    key: m.key ?? null,
    value: m.value,
    size: m.size,
    timestamp: m.timestamp,
    headers: (m.headers ?? []).map(h => Object.entries(h).map(([k, v]) => [k, v === null ? null : Buffer.from(v as Buffer)]))
  }
}

before(async () => {
  assert.ok(addon !== null, `the batch consume addon must be built and load here: ${batchConsumeProblem() ?? ''}`)
  await createTopic(topic, 3)
  await produceMessages(topic, MESSAGES)
})

test('the addon reads exactly what node-rdkafka\'s consume reads: keys, values, nulls, empty values, headers, 200 KB values, offsets, timestamps', async () => {
  const viaRdkafka = await connected(rawConsumer(uniqueTopic('g-rd')))
  const viaAddon = await connected(rawConsumer(uniqueTopic('g-batch')))
  try {
    const parts = [0, 1, 2].map(partition => ({ topic, partition, offset: 0 }))
    viaRdkafka.assign(parts)
    viaAddon.assign(parts)
    const expected = await readAll(async () => await new Promise((resolve, reject) => {
      viaRdkafka.consume(100, (err, ms) => { if (err) reject(err); else resolve(ms) })
    }), MESSAGES.length)
    const actual = await readAll(async () => await consumeBatch(addon!, viaAddon, 100, 200), MESSAGES.length)
    assert.equal(actual.length, MESSAGES.length)
    assert.deepEqual(actual.map(comparable), expected.map(comparable))
    // What node-rdkafka does not say: the kind of timestamp.
    for (const m of actual as BatchMessage[]) assert.equal(m.timestampType, 'CreateTime')
    const tombstone = actual.find(m => m.key?.toString() === 'tombstone')!
    assert.equal(tombstone.value, null)
    assert.equal(actual.find(m => m.key?.toString() === 'empty')!.value!.length, 0)
    assert.equal(actual.find(m => m.key === null)!.value!.toString(), 'no key')
  } finally {
    await disconnect(viaRdkafka)
    await disconnect(viaAddon)
  }
})

test('a topic with LogAppendTime timestamps: the records say so, with the broker\'s time', async () => {
  const logAppend = uniqueTopic('batch-consume-lat')
  const admin = Kafka.AdminClient.create({ 'bootstrap.servers': kafkaBootstrap() })
  await new Promise<void>((resolve, reject) => admin.createTopic({
    topic: logAppend, num_partitions: 1, replication_factor: 1, config: { 'message.timestamp.type': 'LogAppendTime' }
  }, 30000, err => { if (err) reject(err); else resolve() }))
  admin.disconnect()
  await createTopic(logAppend, 1)
  const before = Date.now()
  await produceMessages(logAppend, [{ key: 'a', value: 'b' }])
  const c = await connected(rawConsumer(uniqueTopic('g-lat')))
  try {
    c.assign([{ topic: logAppend, partition: 0, offset: 0 }])
    const [m] = await readAll(async () => await consumeBatch(addon!, c, 10, 200), 1) as BatchMessage[]
    assert.equal(m!.timestampType, 'LogAppendTime')
    assert.ok(m!.timestamp! >= before - 1000 && m!.timestamp! <= Date.now() + 1000, `broker time ${m!.timestamp} near ${before}`)
  } finally {
    await disconnect(c)
  }
})

test('consuming through a disconnected consumer fails with librdkafka\'s state error, and the process lives', async () => {
  const c = await connected(rawConsumer(uniqueTopic('g-closed')))
  await disconnect(c)
  await assert.rejects(consumeBatch(addon!, c, 10, 50), (err: Error & { code?: number }) => {
    assert.match(err.message, /not connected/)
    assert.equal(err.code, Kafka.CODES.ERRORS.ERR__STATE)
    return true
  })
})

