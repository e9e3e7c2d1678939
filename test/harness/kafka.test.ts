import assert from 'node:assert/strict'
import { test } from 'node:test'
import { consumeAll, createTopic, produceMessages, uniqueTopic } from './kafka.ts'

test('the harness broker is a real Kafka: produce and consume round trip', async () => {
  const topic = uniqueTopic('harness')
  await createTopic(topic, 2)
  await produceMessages(topic, [
    { key: 'k1', value: 'one', partition: 0 },
    { key: null, value: 'two', partition: 1 },
    { key: 'k3', value: null, partition: 0 }
  ])
  const got = await consumeAll(topic, 3)
  assert.deepEqual(got.map(m => [m.partition, m.key?.toString() ?? null, m.value?.toString() ?? null]), [
    [0, 'k1', 'one'], [0, 'k3', null], [1, null, 'two']
  ])
})
