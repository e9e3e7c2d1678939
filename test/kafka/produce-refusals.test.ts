/**
 * Records that librdkafka's produce() refuses by itself (too large for max.request.size, a partition the topic does
 * not have), on the real broker: RdKafkaProducer.send() hands the refusal to the record's delivery callback as a
 * RecordRefusedError instead of throwing, so a caller treats it like a failed delivery (and errors.tolerance applies);
 * the dead-letter queue's producer rejects its promise and throws nothing. Java's max.request.size default holds.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DeadLetterQueueProducer } from '../../src/kafka/dead-letter-queue.ts'
import { DEFAULT_MAX_REQUEST_SIZE, RdKafkaProducer, RecordRefusedError, type DeliveryReport } from '../../src/kafka/rdkafka-producer.ts'
import { createLogger } from '../../src/util/logger.ts'
import { consumeAll, createTopic, kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'

const logger = createLogger('produce-refusals-test')
const needsBroker = { skip: process.env.KAFKA_BOOTSTRAP_SERVERS ? false : 'needs the real broker (npm test -- test/kafka)' }

type Outcome = { err: Error | null, report: DeliveryReport | null }

/** Sends one record (waiting out a full queue) and resolves with what its delivery callback was given. */
async function sendOne (producer: RdKafkaProducer, topic: string, partition: number | null, value: Buffer, headers: Array<{ key: string, value: Buffer }> | null = null): Promise<Outcome> {
  return await new Promise<Outcome>(resolve => {
    const attempt = (): void => {
      if (!producer.send(topic, partition, value, null, null, headers, (err, report) => resolve({ err, report }))) void producer.drained().then(attempt)
    }
    attempt()
  })
}

for (const idempotent of [true, false]) {
  test(`${idempotent ? 'idempotent' : 'non-idempotent'} producer: a record above max.request.size and one to a missing partition go to the callback as RecordRefusedError naming size, limit and setting; the next record is delivered`, needsBroker, async () => {
    const topic = uniqueTopic('refusals')
    await createTopic(topic, 1)
    const producer = await RdKafkaProducer.create({
      global: { 'bootstrap.servers': kafkaBootstrap(), 'enable.idempotence': idempotent, 'message.max.bytes': 10000 }, logger
    })
    try {
      // Headers count as librdkafka counts them: 12,000 value bytes + 'h' + 5 header bytes.
      const big = await sendOne(producer, topic, null, Buffer.alloc(12000, 'x'), [{ key: 'h', value: Buffer.from('hello') }])
      assert.ok(big.err instanceof RecordRefusedError, `refused: ${String(big.err)}`)
      assert.equal(big.report, null)
      assert.equal(big.err.message.startsWith(`Cannot send a record to topic ${topic}: The record is 12,006 bytes, more than the producer's max.request.size (10,000): raise producer.override.max.request.size (and the topic's max.message.bytes)`), true, big.err.message)
      assert.doesNotMatch(big.err.message, /Broker:/, 'a client-side limit does not blame the broker')
      assert.equal(producer.inflight, 0, 'a refused record is not counted in flight')

      // Partition 0 first, so that the topic's metadata is known and librdkafka refuses partition 7 at once.
      const first = await sendOne(producer, topic, 0, Buffer.from('first'))
      assert.equal(first.err, null)
      const missing = await sendOne(producer, topic, 7, Buffer.from('nowhere'))
      assert.ok(missing.err instanceof RecordRefusedError, `refused: ${String(missing.err)}`)
      assert.match(missing.err.message, new RegExp(`Cannot send a record to topic ${topic}: it has no partition 7`))

      const after = await sendOne(producer, topic, null, Buffer.from('after'))
      assert.equal(after.err, null, 'the producer goes on after a refusal')
      assert.deepEqual((await consumeAll(topic, 2)).map(m => m.value?.toString()), ['first', 'after'])
    } finally {
      await producer.disconnect()
    }
  })
}

test('producer default: max.request.size is Java\'s 1,048,576, so a 1,040,000-byte record is sent (librdkafka alone would refuse it above 1,000,000)', needsBroker, async () => {
  const topic = uniqueTopic('default-limit')
  await createTopic(topic, 1)
  const producer = await RdKafkaProducer.create({ global: { 'bootstrap.servers': kafkaBootstrap() }, logger })
  try {
    assert.equal(DEFAULT_MAX_REQUEST_SIZE, 1048576)
    const sent = await sendOne(producer, topic, null, Buffer.alloc(1040000, 'y'))
    assert.equal(sent.err, null, String(sent.err))
    const tooBig = await sendOne(producer, topic, null, Buffer.alloc(1048577, 'z'))
    assert.ok(tooBig.err instanceof RecordRefusedError)
    assert.match(tooBig.err.message, /The record is 1,048,577 bytes, more than the producer's max\.request\.size \(1,048,576\)/)
    assert.equal((await consumeAll(topic, 1, 30000))[0]!.value?.length, 1040000)
  } finally {
    await producer.disconnect()
  }
})

test('dead-letter queue producer: a record above its max.request.size rejects send() with the refusal and throws nothing; the next one is written', needsBroker, async () => {
  const topic = uniqueTopic('dlq-refusal')
  const dlq = await DeadLetterQueueProducer.open({
    topic, replicationFactor: 1, createTopic: true, logger,
    producer: { 'bootstrap.servers': kafkaBootstrap(), 'message.max.bytes': 10000 },
    admin: { 'bootstrap.servers': kafkaBootstrap() }
  })
  try {
    let sending: Promise<void> | undefined
    assert.doesNotThrow(() => { sending = dlq.send(topic, { key: null, value: Buffer.alloc(20000, 'x'), timestamp: null, headers: [] }) })
    await assert.rejects(sending!, (err: unknown) => err instanceof RecordRefusedError && /The record is 20,000 bytes, more than the producer's max\.request\.size \(10,000\)/.test(err.message))
    await dlq.send(topic, { key: null, value: Buffer.from('small'), timestamp: null, headers: [] })
    assert.deepEqual((await consumeAll(topic, 1)).map(m => m.value?.toString()), ['small'])
  } finally {
    await dlq.close(5000)
  }
})
