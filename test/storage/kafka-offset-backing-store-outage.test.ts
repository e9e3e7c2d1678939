/**
 * KafkaOffsetBackingStore while its broker is away (a broker of the test's own behind a proxy that can refuse every
 * connection): the stop stays bounded, and a write Kafka never acknowledged fails naming the topic instead of hanging.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { OffsetStoreError } from '../../src/api/errors.ts'
import { KafkaBasedLog } from '../../src/kafka/kafka-based-log.ts'
import { KafkaOffsetBackingStore } from '../../src/storage/kafka-offset-backing-store.ts'
import { createLogger } from '../../src/util/logger.ts'
import { startBrokerBehindProxy } from '../helpers/outage-proxy.ts'

test('stop is bounded while the broker is away, and an unacknowledged write fails naming the topic', { timeout: 150000 }, async (t) => {
  const { routed, bootstrap } = await startBrokerBehindProxy(t)
  const topic = 'connect-offsets-outage'
  const store = new KafkaOffsetBackingStore(new KafkaBasedLog({
    topic,
    partitions: 3,
    replicationFactor: 1,
    setting: 'offset.storage.topic',
    purpose: 'source connector offsets',
    producer: { 'bootstrap.servers': bootstrap },
    consumer: { 'bootstrap.servers': bootstrap },
    logger: createLogger('KafkaBasedLog'),
    clientId: 'test-offsets-outage',
    readTimeoutMs: 60000
  }))
  t.after(async () => { await store.stop(1000) })
  await store.start()
  await store.set('src', [{ partition: { file: 'f' }, offset: { position: 1 } }])

  await routed.down()
  const outcome = store.set('src', [{ partition: { file: 'f' }, offset: { position: 2 } }]).then(() => 'acknowledged', (err: unknown) => err)
  const started = Date.now()
  await store.stop(2000)
  const elapsed = Date.now() - started
  assert.ok(elapsed < 6000, `stop took ${elapsed} ms with a 2000 ms bound`)
  const err = await outcome
  assert.ok(err instanceof OffsetStoreError, `the write failed with an OffsetStoreError, not ${String(err)}`)
  assert.match(err.message, new RegExp(`'${topic}'`))
  assert.match(err.message, /before its writer stopped/)
})
