/**
 * Proves the harness: the broker `npm test` started is a real Kafka that stores what it is sent, per partition, with
 * keys, null values and headers intact.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { consumeAll, createTopic, kafkaBootstrap, produceMessages, uniqueTopic } from './kafka.ts'

test('kafkaBootstrap() names the broker on the loopback interface', () => {
  assert.match(kafkaBootstrap(), /^127\.0\.0\.1:\d+$/)
})

test('messages produced to a real broker are consumed back with keys, values, partitions and headers', async () => {
  const topic = uniqueTopic('harness')
  await createTopic(topic, 2)
  await produceMessages(topic, [
    { key: 'k1', value: 'one', partition: 0, headers: [{ key: 'h', value: 'v1' }] },
    { key: null, value: Buffer.from([0, 255, 1]), partition: 1 },
    { key: Buffer.from('k3'), value: null, partition: 0 }
  ])
  const got = await consumeAll(topic, 3, 30000)
  assert.deepEqual(got.map(m => ({ partition: m.partition, offset: m.offset, key: m.key, value: m.value })), [
    { partition: 0, offset: 0, key: Buffer.from('k1'), value: Buffer.from('one') },
    { partition: 0, offset: 1, key: Buffer.from('k3'), value: null },
    { partition: 1, offset: 0, key: null, value: Buffer.from([0, 255, 1]) }
  ])
  assert.deepEqual(got[0]!.headers, [{ key: 'h', value: Buffer.from('v1') }])
  assert.deepEqual(got[1]!.headers, [])
  assert.ok(got.every(m => typeof m.timestamp === 'number' && m.timestamp > Date.now() - 600000), 'broker timestamps are recent')
})

test('consumeAll fails when fewer messages than expected arrive', async () => {
  const topic = uniqueTopic('harness-short')
  await createTopic(topic, 1)
  await produceMessages(topic, [{ value: 'only one' }])
  await assert.rejects(consumeAll(topic, 2, 3000), /Timed out after 3000 ms: 1 of 2 messages/)
})
