/**
 * Test access to the real Kafka broker started by test/harness/run-tests.mjs (`npm test`).
 */
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import type * as RdKafka from 'node-rdkafka'

const Kafka = createRequire(import.meta.url)('node-rdkafka') as typeof RdKafka

export function kafkaBootstrap (): string {
  const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS
  if (!bootstrap) throw new Error('KAFKA_BOOTSTRAP_SERVERS is not set: run the tests through `npm test`, which starts a real Kafka broker')
  return bootstrap
}

export function uniqueTopic (prefix: string): string {
  return `${prefix}-${Date.now()}-${randomBytes(3).toString('hex')}`
}

export async function createTopic (name: string, partitions = 1): Promise<void> {
  const admin = Kafka.AdminClient.create({ 'bootstrap.servers': kafkaBootstrap(), 'client.id': 'test-admin' })
  try {
    await new Promise<void>((resolve, reject) => {
      admin.createTopic({ topic: name, num_partitions: partitions, replication_factor: 1 }, 30000, err => {
        if (err && !/already exists/i.test(err.message)) reject(err)
        else resolve()
      })
    })
  } finally {
    admin.disconnect()
  }
}

export interface TestMessage { key?: string | Buffer | null, value: string | Buffer | null, partition?: number, headers?: Array<Record<string, string | Buffer>> }

export async function produceMessages (topic: string, messages: readonly TestMessage[]): Promise<void> {
  const producer = new Kafka.Producer({ 'bootstrap.servers': kafkaBootstrap(), dr_cb: true, acks: 'all' } as never)
  await new Promise<void>((resolve, reject) => producer.connect({ timeout: 30000 }, err => { if (err) reject(err); else resolve() }))
  producer.setPollInterval(10)
  let pending = messages.length
  const done = new Promise<void>((resolve, reject) => {
    producer.on('delivery-report', (err) => {
      if (err) reject(err)
      else if (--pending === 0) resolve()
    })
  })
  for (const m of messages) {
    const val = m.value === null ? null : Buffer.from(m.value)
    const key = m.key === undefined || m.key === null ? null : Buffer.from(m.key)
    producer.produce(topic, m.partition ?? null, val, key, Date.now(), undefined, m.headers as never)
  }
  if (messages.length > 0) await done
  await new Promise<void>(resolve => producer.disconnect(() => resolve()))
}

export interface ConsumedMessage {
  key: Buffer | null
  value: Buffer | null
  partition: number
  offset: number
  timestamp: number | undefined
  headers: Array<Record<string, unknown>> | undefined
}

/** Reads a topic from the beginning until `expected` messages arrived (or the timeout passed: then it throws). */
export async function consumeAll (topic: string, expected: number, timeoutMs = 30000): Promise<ConsumedMessage[]> {
  const consumer = new Kafka.KafkaConsumer({
    'bootstrap.servers': kafkaBootstrap(),
    'group.id': `test-${randomBytes(4).toString('hex')}`,
    'enable.auto.commit': false
  } as never, { 'auto.offset.reset': 'earliest' })
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 30000 }, err => { if (err) reject(err); else resolve() }))
  consumer.subscribe([topic])
  consumer.setDefaultConsumeTimeout(200)
  const out: ConsumedMessage[] = []
  const deadline = Date.now() + timeoutMs
  try {
    while (out.length < expected) {
      if (Date.now() > deadline) throw new Error(`Timed out: ${out.length} of ${expected} messages from ${topic}`)
      const batch = await new Promise<RdKafka.Message[]>((resolve) => consumer.consume(1000, (err, msgs) => resolve(err ? [] : msgs)))
      for (const m of batch) {
        out.push({ key: (m.key ?? null) as Buffer | null, value: m.value, partition: m.partition, offset: m.offset, timestamp: m.timestamp, headers: m.headers as Array<Record<string, unknown>> | undefined })
      }
    }
  } finally {
    await new Promise<void>(resolve => consumer.disconnect(() => resolve()))
  }
  return out.sort((a, b) => a.partition - b.partition || a.offset - b.offset)
}
