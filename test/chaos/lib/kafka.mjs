// The suite's view of Kafka: records in a topic (bench/lib/kafka.mjs counts them by watermarks), every value of a
// topic (test/harness/kafka.ts consumeAll, loaded through tsx), a consumer group's committed offset, and the broker
// behind a proxy that can be cut (test/helpers/outage-proxy.ts startBrokerBehindProxy). The TypeScript helpers are
// imported rather than copied so the suite and the tests share one tested proxy and one consumer; tsx is registered
// here, before their first dynamic import (a static import would be loaded before registration).
import { createRequire } from 'node:module'
import { register } from 'tsx/esm/api'

register()
const Kafka = createRequire(import.meta.url)('node-rdkafka')

/**
 * A broker of our own behind an OutageProxy (`routed.down()` / `routed.up()`); `close()` stops both. The helper takes
 * a node:test context only for its cleanups, which are collected here instead.
 */
export async function startBrokerBehindProxy () {
  const { startBrokerBehindProxy: start } = await import('../../helpers/outage-proxy.ts')
  const cleanups = []
  const { routed, bootstrap } = await start({ after: fn => { cleanups.push(fn) } })
  return {
    routed,
    bootstrap,
    async close () { for (const fn of cleanups.reverse()) await fn() }
  }
}

/** Every value of `topic` (partition by partition, in offset order) as latin1 strings; `count` records are expected. */
export async function topicValues (bootstrap, topic, count, timeoutMs = 120000) {
  process.env.KAFKA_BOOTSTRAP_SERVERS = bootstrap
  const { consumeAll } = await import('../../harness/kafka.ts')
  if (count === 0) return []
  const messages = await consumeAll(topic, count, timeoutMs)
  return messages.map(m => (m.value === null ? '' : m.value.toString('latin1')))
}

/** The offset `group` has committed for partition 0 of `topic` (-1001 when none). */
export async function committedOffset (bootstrap, group, topic) {
  const consumer = new Kafka.KafkaConsumer({ 'bootstrap.servers': bootstrap, 'group.id': group, 'enable.auto.commit': false }, {})
  await new Promise((resolve, reject) => consumer.connect({ timeout: 10000 }, err => (err ? reject(err) : resolve())))
  try {
    return await new Promise((resolve, reject) => consumer.committed([{ topic, partition: 0 }], 10000, (err, tps) => (err ? reject(err) : resolve(tps[0]?.offset ?? -1001))))
  } finally {
    await new Promise(resolve => consumer.disconnect(() => resolve()))
  }
}
