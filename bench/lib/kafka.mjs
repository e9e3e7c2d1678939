// The benchmark's own Kafka clients (node-rdkafka): topic creation, record counting by watermark offsets, and
// filling the sinks' input topics.
import { createRequire } from 'node:module'

const Kafka = createRequire(import.meta.url)('node-rdkafka')

export const LIBRDKAFKA_VERSION = Kafka.librdkafkaVersion

const delay = ms => new Promise(resolve => setTimeout(resolve, ms))

function connect (client, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    client.connect({ timeout: timeoutMs }, err => (err ? reject(err) : resolve(client)))
  })
}

function disconnect (client) {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, 5000)
    client.disconnect(() => { clearTimeout(timer); resolve() })
  })
}

/** Admin + watermark client for one broker. */
export async function openKafka (bootstrapServers) {
  const admin = Kafka.AdminClient.create({ 'bootstrap.servers': bootstrapServers, 'client.id': 'bench-admin' })
  // Not subscribed to anything: only used for ListOffsets queries, which go straight to the partition leader.
  const probe = await connect(new Kafka.KafkaConsumer({
    'bootstrap.servers': bootstrapServers, 'group.id': 'bench-watermarks', 'client.id': 'bench-watermarks', 'enable.auto.commit': false
  }, {}))

  const createTopic = (topic, partitions = 1) => new Promise((resolve, reject) => {
    admin.createTopic({ topic, num_partitions: partitions, replication_factor: 1 }, 30000, err => (err ? reject(err) : resolve()))
  })

  const deleteTopic = topic => new Promise((resolve, reject) => {
    admin.deleteTopic(topic, 30000, err => (err ? reject(err) : resolve()))
  })

  /** Records in partition 0 of `topic` (high watermark - low watermark); 0 while the topic is unknown. */
  const count = topic => new Promise(resolve => {
    probe.queryWatermarkOffsets(topic, 0, 5000, (err, offsets) => resolve(err ? 0 : offsets.highOffset - offsets.lowOffset))
  })

  return {
    createTopic,
    deleteTopic,
    count,
    async close () {
      admin.disconnect()
      await disconnect(probe)
    }
  }
}

/**
 * Watches `topic` until it holds `expected` records; resolves { firstMs, lastMs } (performance.now() when the first
 * record and the last one were seen), rejects after `timeoutMs`. `isAlive()` returning false aborts the wait.
 */
export async function watchTopic (kafka, topic, expected, { timeoutMs, intervalMs = 20, isAlive = () => true, describe = () => '', onFirst = () => {} }) {
  const deadline = performance.now() + timeoutMs
  let firstMs = null
  let seen = 0
  for (;;) {
    seen = await kafka.count(topic)
    const now = performance.now()
    if (seen > 0 && firstMs === null) { firstMs = now; onFirst() }
    if (seen >= expected) return { firstMs, lastMs: now, seen }
    if (now > deadline) throw new Error(`timeout: ${topic} holds ${seen} of ${expected} records after ${(timeoutMs / 1000).toFixed(0)} s\n${describe()}`)
    const alive = isAlive()
    if (alive !== true) throw new Error(`the worker ${alive} while ${topic} held ${seen} of ${expected} records\n${describe()}`)
    await delay(intervalMs)
  }
}

/**
 * Produces `count` records made by `make(i)` -> { value, headers? } into `topic` (record i to partition i % partitions,
 * partition 0 by default), as fast as the client allows, and resolves once all were delivered.
 */
export async function fillTopic (bootstrapServers, topic, count, make, partitions = 1) {
  const producer = await connect(new Kafka.Producer({
    'bootstrap.servers': bootstrapServers, 'client.id': 'bench-fill', acks: 'all', 'enable.idempotence': true,
    dr_cb: true, 'linger.ms': 20, 'batch.size': 1000000
  }, {}))
  producer.setPollInterval(10)
  let delivered = 0
  let failed = null
  producer.on('delivery-report', err => { if (err) failed ??= err; delivered++ })
  for (let i = 0; i < count; i++) {
    const { value, headers } = make(i)
    for (;;) {
      try {
        producer.produce(topic, i % partitions, value, null, null, null, headers)
        break
      } catch (err) {
        if (err.code !== Kafka.CODES.ERRORS.ERR__QUEUE_FULL) throw err
        producer.poll()
        await delay(5)
      }
    }
  }
  const deadline = Date.now() + 120000
  while (delivered < count) {
    if (failed) throw failed
    if (Date.now() > deadline) throw new Error(`filling ${topic}: only ${delivered} of ${count} records delivered within 120 s`)
    await delay(20)
  }
  await new Promise(resolve => producer.flush(10000, resolve))
  await disconnect(producer)
  if (failed) throw failed
}

/**
 * Reads partition 0 of `topic` from the beginning until `count` records were seen, calling `onMessage(message)` for
 * each (node-rdkafka's message: value, key, offset, headers...); rejects after `timeoutMs`. Not measured: the
 * benchmark checks what a run wrote with it, after the run.
 */
export async function readTopic (bootstrapServers, topic, count, onMessage, { timeoutMs = 120000 } = {}) {
  const consumer = await connect(new Kafka.KafkaConsumer({
    'bootstrap.servers': bootstrapServers, 'group.id': `bench-read-${process.pid}-${Date.now()}`, 'client.id': 'bench-read',
    'enable.auto.commit': false, 'fetch.queue.backoff.ms': 10
  }, {}))
  try {
    consumer.assign([{ topic, partition: 0, offset: 0 }])
    consumer.setDefaultConsumeTimeout(200)
    const deadline = Date.now() + timeoutMs
    let seen = 0
    while (seen < count) {
      if (Date.now() > deadline) throw new Error(`reading ${topic}: only ${seen} of ${count} records within ${timeoutMs / 1000} s`)
      const messages = await new Promise((resolve, reject) => consumer.consume(5000, (err, batch) => (err ? reject(err) : resolve(batch))))
      for (const message of messages) {
        if (seen >= count) break
        onMessage(message)
        seen++
      }
    }
    return seen
  } finally {
    await disconnect(consumer)
  }
}
