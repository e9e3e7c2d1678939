/**
 * Test helpers for the real Apache Kafka broker that `npm test` (test/harness/run-tests.mjs) starts and announces in
 * KAFKA_BOOTSTRAP_SERVERS. Clients are node-rdkafka, the same library the worker uses.
 */
import { randomBytes } from 'node:crypto'
import Kafka from 'node-rdkafka'

// librdkafka's RD_KAFKA_OFFSET_BEGINNING; node-rdkafka's typings do not export the constant.
const OFFSET_BEGINNING = -2

export interface TestHeader { key: string, value: string | Buffer }

export interface TestMessage {
  key?: string | Buffer | null
  value: string | Buffer | null
  /** Without one, librdkafka's partitioner picks (by key hash; keyless messages are spread). */
  partition?: number
  headers?: TestHeader[]
}

export interface ConsumedMessage {
  key: Buffer | null
  value: Buffer | null
  partition: number
  offset: number
  timestamp: number | undefined
  headers: Array<{ key: string, value: Buffer }>
}

/** The real broker's bootstrap servers. */
export function kafkaBootstrap (): string {
  const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS
  if (!bootstrap) {
    throw new Error('KAFKA_BOOTSTRAP_SERVERS is not set. Run the tests with `npm test` (or `npm test -- <path>`), ' +
      'which starts a real Apache Kafka broker and sets it; or point it at a broker yourself.')
  }
  return bootstrap
}

/** A topic name no other test (or earlier run against the same broker) uses. */
export function uniqueTopic (prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`
}

function clientConfig (clientId: string): { 'bootstrap.servers': string, 'client.id': string } {
  return { 'bootstrap.servers': kafkaBootstrap(), 'client.id': clientId }
}

// node-rdkafka sends a zero-length Buffer with no memory behind it as NULL; a zero-length view of allocated memory goes
// out as empty (see src/kafka/rdkafka-client.ts), so '' stays an empty value here too.
const EMPTY = Buffer.alloc(1).subarray(0, 0)

function asBuffer (data: string | Buffer | null | undefined): Buffer | null {
  if (data == null) return null
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  return bytes.length === 0 ? EMPTY : bytes
}

/**
 * Creates a topic (replication factor 1) and waits until the broker serves all its partitions, so producers and
 * consumers started right after never see UNKNOWN_TOPIC_OR_PARTITION. An existing topic with the same partition
 * count is accepted.
 */
export async function createTopic (name: string, partitions = 1, timeoutMs = 30000): Promise<void> {
  const admin = Kafka.AdminClient.create(clientConfig('test-harness-admin'))
  try {
    await new Promise<void>((resolve, reject) => {
      admin.createTopic({ topic: name, num_partitions: partitions, replication_factor: 1 }, timeoutMs, (err) => {
        if (err && err.code !== Kafka.CODES.ERRORS.ERR_TOPIC_ALREADY_EXISTS) reject(new Error(`Creating topic ${name}: ${err.message}`))
        else resolve()
      })
    })
  } finally {
    admin.disconnect()
  }
  await waitForPartitions(name, partitions, timeoutMs)
}

async function waitForPartitions (topic: string, partitions: number, timeoutMs: number): Promise<void> {
  const producer = new Kafka.Producer(clientConfig('test-harness-metadata'))
  await new Promise<void>((resolve, reject) => producer.connect({ timeout: timeoutMs }, err => { if (err) reject(err); else resolve() }))
  try {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const metadata = await new Promise<Kafka.Metadata | null>(resolve =>
        producer.getMetadata({ topic, timeout: 5000 }, (err, data) => resolve(err ? null : data)))
      const found = metadata?.topics.find(t => t.name === topic)
      if (found && found.partitions.length > 0 && found.partitions.every(p => p.leader >= 0)) {
        if (found.partitions.length !== partitions) {
          throw new Error(`Topic ${topic} exists with ${found.partitions.length} partitions, not ${partitions}`)
        }
        return
      }
      if (Date.now() > deadline) throw new Error(`Topic ${topic} has no leader for all ${partitions} partitions after ${timeoutMs} ms`)
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  } finally {
    await new Promise<void>(resolve => producer.disconnect(() => resolve()))
  }
}

/** Produces the messages in order (acks=all) and resolves once Kafka acknowledged every one. */
export async function produceMessages (topic: string, messages: readonly TestMessage[], timeoutMs = 30000): Promise<void> {
  const producer = new Kafka.Producer({
    ...clientConfig('test-harness-producer'),
    dr_cb: true,
    'enable.idempotence': true
  }, { acks: -1, 'message.timeout.ms': timeoutMs })
  await new Promise<void>((resolve, reject) => producer.connect({ timeout: timeoutMs }, err => { if (err) reject(err); else resolve() }))
  try {
    const delivered = new Promise<void>((resolve, reject) => {
      let pending = messages.length
      if (pending === 0) resolve()
      producer.on('delivery-report', (err, report) => {
        if (err) reject(new Error(`Producing to ${topic} (message ${String(report?.opaque)}): ${err.message}`))
        else if (--pending === 0) resolve()
      })
    })
    producer.setPollInterval(10)
    messages.forEach((m, i) => {
      const headers = m.headers?.map(h => ({ [h.key]: h.value }))
      producer.produce(topic, m.partition ?? null, asBuffer(m.value), asBuffer(m.key), null, i, headers)
    })
    await delivered
  } finally {
    await new Promise<void>(resolve => producer.disconnect(() => resolve()))
  }
}

/**
 * Reads the topic from the beginning of every partition, without a consumer group, until `expectedCount` messages
 * arrived; throws when they have not after `timeoutMs`. Messages come back ordered by partition, then offset.
 */
export async function consumeAll (topic: string, expectedCount: number, timeoutMs = 30000): Promise<ConsumedMessage[]> {
  const consumer = new Kafka.KafkaConsumer({
    ...clientConfig('test-harness-consumer'),
    // librdkafka wants a group id even for assign(); nothing is ever committed to it.
    'group.id': `test-harness-${randomBytes(4).toString('hex')}`,
    'enable.auto.commit': false
  }, {})
  const deadline = Date.now() + timeoutMs
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: timeoutMs }, err => { if (err) reject(err); else resolve() }))
  const out: ConsumedMessage[] = []
  try {
    const metadata = await new Promise<Kafka.Metadata>((resolve, reject) =>
      consumer.getMetadata({ topic, timeout: timeoutMs }, (err, data) => { if (err) reject(err); else resolve(data) }))
    const partitions = metadata.topics.find(t => t.name === topic)?.partitions ?? []
    if (partitions.length === 0) throw new Error(`Topic ${topic} does not exist`)
    consumer.assign(partitions.map(p => ({ topic, partition: p.id, offset: OFFSET_BEGINNING })))
    while (out.length < expectedCount) {
      const remaining = deadline - Date.now()
      if (remaining <= 0) {
        throw new Error(`Timed out after ${timeoutMs} ms: ${out.length} of ${expectedCount} messages from ${topic}`)
      }
      const batch = await new Promise<Kafka.Message[]>((resolve, reject) =>
        consumer.consume(Math.max(1, expectedCount - out.length), (err, messages) => { if (err) reject(err); else resolve(messages) }))
      for (const m of batch) {
        out.push({
          key: m.key == null ? null : asBuffer(m.key),
          value: m.value,
          partition: m.partition,
          offset: m.offset,
          timestamp: m.timestamp,
          headers: (m.headers ?? []).flatMap(h => Object.entries(h).map(([key, value]) => ({ key, value: Buffer.from(value) })))
        })
      }
    }
  } finally {
    await new Promise<void>(resolve => consumer.disconnect(() => resolve()))
  }
  return out.sort((a, b) => a.partition - b.partition || a.offset - b.offset)
}
