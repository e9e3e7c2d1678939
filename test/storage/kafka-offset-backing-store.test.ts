/**
 * KafkaOffsetBackingStore on the real broker: source offsets in a compacted topic, byte for byte as Apache Connect
 * distributed's KafkaOffsetBackingStore writes them, in the partitions Java's murmur2 partitioner chooses.
 */
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import Kafka from 'node-rdkafka'
import { OffsetStoreError } from '../../src/api/errors.ts'
import { KafkaBasedLog } from '../../src/kafka/kafka-based-log.ts'
import { topicCleanupPolicy } from '../../src/kafka/topic-cleanup-policy.ts'
import { KafkaOffsetBackingStore, type OffsetLog, type OffsetLogRecord } from '../../src/storage/kafka-offset-backing-store.ts'
import { encodeOffsetKey, encodeOffsetValue } from '../../src/storage/offset-key.ts'
import { createLogger } from '../../src/util/logger.ts'
import { consumeAll, createTopic, kafkaBootstrap, produceMessages, uniqueTopic } from '../harness/kafka.ts'
import { javaMurmur2, javaPartition } from '../helpers/java-murmur2.ts'
import { waitFor } from '../helpers/wait-for.ts'

const PARTITIONS = 5

function openStore (t: TestContext, topic: string, partitions = PARTITIONS): KafkaOffsetBackingStore {
  const bootstrap = kafkaBootstrap()
  const store = new KafkaOffsetBackingStore(new KafkaBasedLog({
    topic,
    partitions,
    replicationFactor: 1,
    setting: 'offset.storage.topic',
    purpose: 'source connector offsets',
    producer: { 'bootstrap.servers': bootstrap },
    consumer: { 'bootstrap.servers': bootstrap },
    logger: createLogger('KafkaBasedLog'),
    clientId: `test-offsets-${Math.random().toString(36).slice(2, 8)}`,
    readTimeoutMs: 30000
  }))
  t.after(async () => { await store.stop() })
  return store
}

async function deleteTopic (topic: string): Promise<void> {
  const admin = Kafka.AdminClient.create({ 'bootstrap.servers': kafkaBootstrap(), 'client.id': 'test-offsets-cleanup' })
  await new Promise<void>(resolve => { admin.deleteTopic(topic, 10000, () => { resolve() }) })
  admin.disconnect()
}

function offsetsTopic (t: TestContext, prefix = 'offsets'): string {
  const topic = uniqueTopic(prefix)
  t.after(async () => { await deleteTopic(topic) })
  return topic
}

test('the hand-written murmur2 gives Java\'s hashes (the values Kafka\'s own Utils test expects)', () => {
  const known: Array<[string, number]> = [['21', -973932308], ['foobar', -790332482], ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829], ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971], ['abc', 479470107]]
  for (const [text, hash] of known) assert.equal(javaMurmur2(Buffer.from(text)), hash, text)
})

test('offsets round-trip through the topic as Apache writes them: key and value bytes, murmur2 partitions', { timeout: 60000 }, async (t) => {
  const topic = offsetsTopic(t)
  const store = openStore(t, topic)
  await store.start()
  assert.deepEqual(await topicCleanupPolicy(topic, { 'bootstrap.servers': kafkaBootstrap() }), { kind: 'policies', policies: ['compact'] }, 'created compacted')

  const entries = [
    { partition: { filename: '/data/in.txt' }, offset: { position: 42 } },
    { partition: { filename: '/data/other.txt' }, offset: { position: 7 } },
    { partition: { db: 'shop', table: 'orders' }, offset: { lsn: '0/16B3748', txId: 9007199254740993n, snapshot: false } }
  ]
  await store.set('file-source', entries)
  assert.deepEqual(store.get('file-source', { filename: '/data/in.txt' }), { position: 42 })
  assert.deepEqual(store.get('file-source', { table: 'orders', db: 'shop' }), { lsn: '0/16B3748', txId: 9007199254740993n, snapshot: false }, 'structural lookup')
  assert.equal(store.get('other-connector', { filename: '/data/in.txt' }), null)
  assert.equal(store.getAll('file-source').length, 3)

  const records = await consumeAll(topic, 3)
  const expected = [
    ['["file-source",{"filename":"/data/in.txt"}]', '{"position":42}'],
    ['["file-source",{"filename":"/data/other.txt"}]', '{"position":7}'],
    ['["file-source",{"db":"shop","table":"orders"}]', '{"lsn":"0/16B3748","txId":9007199254740993,"snapshot":false}']
  ]
  for (const [i, [keyText, valueText]] of expected.entries()) {
    const key = Buffer.from(keyText!, 'utf8')
    assert.deepEqual(key, encodeOffsetKey('file-source', entries[i]!.partition), 'offset-key.ts writes the hand-written bytes')
    const record = records.find(r => r.key?.equals(key))
    assert.ok(record, `a record keyed ${keyText}`)
    assert.equal(record.value?.toString('utf8'), valueText)
    assert.deepEqual(record.value, encodeOffsetValue(entries[i]!.offset))
    assert.equal(record.partition, javaPartition(key, PARTITIONS), `${keyText} in the partition Java's partitioner chooses`)
    assert.deepEqual(record.headers, [], 'no headers, as Apache')
  }
})

test('a null offset is written as a tombstone (null value) and removes the partition', { timeout: 60000 }, async (t) => {
  const topic = offsetsTopic(t)
  const store = openStore(t, topic)
  await store.start()
  await store.set('src', [{ partition: { p: 1 }, offset: { o: 1 } }, { partition: { p: 2 }, offset: { o: 2 } }])
  await store.set('src', [{ partition: { p: 1 }, offset: null }])
  assert.equal(store.get('src', { p: 1 }), null)
  assert.deepEqual(store.getAll('src'), [{ partition: { p: 2 }, offset: { o: 2 } }])
  const records = await consumeAll(topic, 3)
  const tombstone = records.filter(r => r.key?.toString() === '["src",{"p":1}]').at(-1)
  assert.ok(tombstone)
  assert.equal(tombstone.value, null, 'a null value, not an empty one')
})

test('two stores sharing one topic see each other\'s writes, and a restart reads everything back', { timeout: 90000 }, async (t) => {
  const topic = offsetsTopic(t)
  const a = openStore(t, topic)
  const b = openStore(t, topic)
  await a.start()
  await b.start()
  await a.set('conn-a', [{ partition: { file: 'a' }, offset: { position: 10 } }])
  await b.set('conn-b', [{ partition: { file: 'b' }, offset: { position: 20 } }])
  // In the background, without being asked...
  await waitFor(() => b.get('conn-a', { file: 'a' })?.position === 10, { what: 'b reads a\'s offset in the background' })
  await waitFor(() => a.get('conn-b', { file: 'b' })?.position === 20, { what: 'a reads b\'s offset in the background' })
  // ...and for certain after readToEnd (what the REST endpoints do).
  await a.set('conn-a', [{ partition: { file: 'a' }, offset: { position: 11 } }, { partition: { file: 'gone' }, offset: { position: 1 } }])
  await a.set('conn-a', [{ partition: { file: 'gone' }, offset: null }])
  await b.readToEnd()
  assert.deepEqual(b.getAll('conn-a'), [{ partition: { file: 'a' }, offset: { position: 11 } }])

  await a.stop()
  await b.stop()
  const restarted = openStore(t, topic)
  await restarted.start()
  assert.deepEqual(restarted.getAll('conn-a'), [{ partition: { file: 'a' }, offset: { position: 11 } }])
  assert.deepEqual(restarted.getAll('conn-b'), [{ partition: { file: 'b' }, offset: { position: 20 } }])
  assert.equal(restarted.get('conn-a', { file: 'gone' }), null, 'the tombstone wins over the earlier offset')
})

test('records written by Java (other field order, junk keys) are read, and updated under Java\'s key bytes', { timeout: 60000 }, async (t) => {
  const topic = offsetsTopic(t)
  await createCompactedTopic(topic, 3)
  const javaKey = '["jdbc",{"table":"t","db":"d"}]'
  await produceMessages(topic, [
    { key: javaKey, value: '{"id":5}', partition: javaPartition(Buffer.from(javaKey), 3) },
    { key: 'not json', value: '{"x":1}' },
    { key: '["jdbc",null]', value: '{"x":1}' }
  ])
  const store = openStore(t, topic, 3)
  await store.start()
  assert.deepEqual(store.get('jdbc', { db: 'd', table: 't' }), { id: 5 })
  await store.set('jdbc', [{ partition: { db: 'd', table: 't' }, offset: { id: 6 } }])
  const records = await consumeAll(topic, 4)
  const last = records.find(r => r.value?.toString() === '{"id":6}')
  assert.equal(last?.key?.toString(), javaKey, 'written under the key bytes Java looks up')
  assert.equal(last?.partition, javaPartition(Buffer.from(javaKey), 3))
})

test('an existing topic that is not compacted is refused, naming the topic and the setting', { timeout: 60000 }, async (t) => {
  const topic = offsetsTopic(t, 'offsets-delete')
  await createTopic(topic, 1)
  const store = openStore(t, topic)
  await assert.rejects(store.start(), (err: Error) => {
    assert.ok(err instanceof OffsetStoreError, String(err))
    assert.match(err.message, new RegExp(`Topic '${topic}' supplied via the 'offset.storage.topic' property is required to have 'cleanup.policy=compact'`))
    assert.match(err.message, /found the topic currently has 'cleanup.policy=delete'/)
    return true
  })
})

test('a topic the cluster cannot create fails start-up with the topic and the settings to change', { timeout: 60000 }, async (t) => {
  const topic = offsetsTopic(t)
  const store = new KafkaOffsetBackingStore(new KafkaBasedLog({
    topic,
    partitions: 1,
    replicationFactor: 3,
    setting: 'offset.storage.topic',
    purpose: 'source connector offsets',
    producer: { 'bootstrap.servers': kafkaBootstrap() },
    consumer: { 'bootstrap.servers': kafkaBootstrap() },
    logger: createLogger('KafkaBasedLog'),
    clientId: 'test-offsets-rf3'
  }))
  await assert.rejects(store.start(), (err: Error) => {
    assert.ok(err instanceof OffsetStoreError, String(err))
    assert.match(err.message, new RegExp(`'${topic}'`))
    assert.match(err.message, /offset\.storage\.replication\.factor/)
    return true
  })
})

/** A compacted topic, as Apache distributed would have created it. */
async function createCompactedTopic (topic: string, partitions: number): Promise<void> {
  const admin = Kafka.AdminClient.create({ 'bootstrap.servers': kafkaBootstrap(), 'client.id': 'test-offsets-compact' })
  try {
    await new Promise<void>((resolve, reject) => {
      admin.createTopic({ topic, num_partitions: partitions, replication_factor: 1, config: { 'cleanup.policy': 'compact' } }, 10000, err => { if (err) reject(err); else resolve() })
    })
  } finally {
    admin.disconnect()
  }
}

/** An OffsetLog whose deliveries and read-backs the test hands out one by one, in any order Kafka could produce. */
class ScriptedLog implements OffsetLog {
  readonly topic = 'scripted-offsets'
  read: (record: OffsetLogRecord) => void = () => {}
  readonly sent: Array<{ key: Buffer, value: Buffer | null, deliver: (offset: number) => void, fail: (err: Error) => void }> = []
  async start (onRecord: (record: OffsetLogRecord) => void): Promise<void> { this.read = onRecord }
  async readToEnd (): Promise<void> {}
  async send (key: Buffer, value: Buffer | null): Promise<{ partition: number, offset: number }> {
    return await new Promise((resolve, reject) => {
      this.sent.push({ key, value, deliver: offset => { resolve({ partition: 0, offset }) }, fail: reject })
    })
  }

  async stop (): Promise<void> {}
}

test('memory never goes back to an older offset of its own while its writes travel, and then follows the topic', async () => {
  const log = new ScriptedLog()
  const store = new KafkaOffsetBackingStore(log)
  await store.start()
  const p = { file: 'f' }
  const position = (): unknown => store.get('c', p)?.position
  const flush = async (): Promise<void> => { await new Promise(resolve => setImmediate(resolve)) }
  const first = store.set('c', [{ partition: p, offset: { position: 1 } }])
  const second = store.set('c', [{ partition: p, offset: { position: 2 } }])
  assert.equal(position(), 2)
  // The first write is delivered and read back while the second is still travelling: memory stays at 2.
  log.sent[0]!.deliver(0)
  await first
  log.read({ key: log.sent[0]!.key, value: log.sent[0]!.value, partition: 0, offset: 0 })
  assert.equal(position(), 2, 'not back to 1')
  log.sent[1]!.deliver(1)
  await second
  log.read({ key: log.sent[1]!.key, value: log.sent[1]!.value, partition: 0, offset: 1 })
  // Another writer's later record wins now that every own write was read back.
  log.read({ key: log.sent[1]!.key, value: Buffer.from('{"position":3}'), partition: 0, offset: 2 })
  assert.equal(position(), 3)
  // Read back before its delivery report arrived: once reported, later records of others count again.
  const third = store.set('c', [{ partition: p, offset: { position: 5 } }])
  log.read({ key: log.sent[2]!.key, value: log.sent[2]!.value, partition: 0, offset: 3 })
  assert.equal(position(), 5)
  log.sent[2]!.deliver(3)
  await third
  await flush()
  log.read({ key: log.sent[2]!.key, value: Buffer.from('{"position":6}'), partition: 0, offset: 4 })
  assert.equal(position(), 6)
  // A write that fails: memory falls back to what the topic holds, and the error names the topic.
  const failed = store.set('c', [{ partition: p, offset: { position: 9 } }])
  assert.equal(position(), 9)
  log.sent[3]!.fail(new Error('Broker: Topic authorization failed'))
  await assert.rejects(failed, (err: Error) => err instanceof OffsetStoreError && /scripted-offsets/.test(err.message) && /authorization/.test(err.message))
  assert.equal(position(), 6)
  // A tombstone read from the topic removes the partition.
  log.read({ key: log.sent[0]!.key, value: null, partition: 0, offset: 5 })
  assert.equal(store.get('c', p), null)
  assert.deepEqual(store.getAll('c'), [])
  await store.stop()
})
