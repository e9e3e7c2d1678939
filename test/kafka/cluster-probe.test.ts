/**
 * The CLI's start-up check on the real broker, for settings the worker takes before librdkafka sees them:
 * consumer.max.poll.records (the sink task's batch size) is accepted, and a bad value is named.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkKafkaCluster } from '../../src/kafka/cluster-probe.ts'
import { translateWorkerClientConfig } from '../../src/kafka/client-config.ts'
import { createLogger } from '../../src/util/logger.ts'
import { kafkaBootstrap } from '../harness/kafka.ts'

async function probe (worker: Record<string, string>): Promise<void> {
  await checkKafkaCluster({
    bootstrap: kafkaBootstrap(),
    producer: translateWorkerClientConfig('producer', worker),
    consumer: translateWorkerClientConfig('consumer', worker),
    where: 'worker.properties',
    logger: createLogger('cluster-probe-test'),
    timeoutMs: 20000
  })
}

test('consumer.max.poll.records passes the start-up check (librdkafka does not know the key); a bad value is named', async () => {
  // Before: "Unsupported or invalid Kafka client setting consumer.max.poll.records ... No such configuration property".
  await probe({ 'consumer.max.poll.records': '100' })
  await assert.rejects(probe({ 'consumer.max.poll.records': 'lots' }), /Invalid value lots for configuration max\.poll\.records/)
})
