/**
 * A sink's asynchronous offset commit that is lost (a rebalance or the coordinator away makes it fail, and nothing
 * reports it) is sent again at the next offset.flush.interval.ms, as Java commits until a commit succeeds. Before, the
 * task skipped offsets equal to the last ones it had sent, so a sink that had caught up never committed its last
 * records, and every restart re-delivered them. Real broker; the consumer is the real one, except that the test drops
 * the first commit that covers the whole topic.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Kafka from 'node-rdkafka'
import { SinkTask, type SinkRecord, type TopicPartitionOffset } from '../../src/api/index.ts'
import { SimpleHeaderConverter } from '../../src/converters/simple-header-converter.ts'
import { StringConverter } from '../../src/converters/string-converter.ts'
import { RdKafkaConsumer } from '../../src/kafka/rdkafka-consumer.ts'
import { TransformationChain } from '../../src/runtime/transformation-chain.ts'
import { WorkerSinkTask } from '../../src/runtime/worker-sink-task.ts'
import { createLogger } from '../../src/util/logger.ts'
import { createTopic, kafkaBootstrap, produceMessages, uniqueTopic } from '../harness/kafka.ts'
import { waitFor } from '../helpers/wait-for.ts'

const RECORDS = 200

class CountingSink extends SinkTask {
  put = (records: readonly SinkRecord[]): void => { this.count += records.length }
  count = 0
  version (): string { return 'test' }
  start (): void {}
  stop (): void {}
}

/** The group's committed offset of partition 0, read by a consumer that never joins the group. */
async function committedReader (group: string, topic: string): Promise<{ read: () => Promise<number | null>, close: () => Promise<void> }> {
  const consumer = new Kafka.KafkaConsumer({ 'bootstrap.servers': kafkaBootstrap(), 'group.id': group, 'enable.auto.commit': false }, {})
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 10000 }, err => { if (err) reject(err); else resolve() }))
  return {
    read: async () => await new Promise((resolve, reject) => {
      consumer.committed([{ topic, partition: 0 }], 10000, (err, tps) => {
        if (err) reject(err)
        else resolve(typeof tps[0]?.offset === 'number' && tps[0].offset >= 0 ? tps[0].offset : null)
      })
    }),
    close: async () => { await new Promise<void>(resolve => consumer.disconnect(() => resolve())) }
  }
}

test('a lost asynchronous commit is sent again at the next interval, though no new record came', async t => {
  const topic = uniqueTopic('wst-commit-retry')
  await createTopic(topic, 1)
  await produceMessages(topic, Array.from({ length: RECORDS }, (_, i) => ({ partition: 0, value: `v${i}` })))
  const group = `connect-${topic}`
  const logger = createLogger('WorkerSinkTask')
  const keyConverter = new StringConverter()
  keyConverter.configure({}, true)
  const valueConverter = new StringConverter()
  valueConverter.configure({}, false)
  const task = new CountingSink()
  const sent: number[] = []
  let dropped = false
  const wt = new WorkerSinkTask({
    id: { connector: topic, task: 0 },
    task,
    props: {},
    createConsumer: async listeners => {
      const consumer = await RdKafkaConsumer.create({
        global: { 'bootstrap.servers': kafkaBootstrap(), 'group.id': group, 'client.id': `connector-consumer-${topic}-0`, 'enable.auto.commit': false },
        topic: { 'auto.offset.reset': 'earliest' },
        logger,
        listeners
      })
      return new Proxy(consumer, {
        get (target, prop) {
          if (prop === 'commitAsync') {
            return (offsets: readonly TopicPartitionOffset[]) => {
              sent.push(...offsets.map(o => o.offset))
              // The first commit of the whole topic is lost on its way, as a failed asynchronous commit is.
              if (!dropped && offsets.some(o => o.offset === RECORDS)) { dropped = true; return }
              target.commitAsync(offsets)
            }
          }
          const value: unknown = Reflect.get(target, prop, target)
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
        }
      })
    },
    subscription: [topic],
    keyConverter,
    valueConverter,
    headerConverter: new SimpleHeaderConverter(),
    transformations: TransformationChain.EMPTY as TransformationChain<SinkRecord>,
    offsetFlushIntervalMs: 100,
    maxPollRecords: 50,
    embeddedBroker: false,
    logger,
    listener: { onStateChange: () => {} }
  })
  const reader = await committedReader(group, topic)
  wt.start()
  t.after(async () => {
    wt.signalStop()
    if (!await wt.awaitStop(Date.now() + 20000)) wt.cancel()
    await reader.close()
  })
  await waitFor(() => task.count >= RECORDS, { timeoutMs: 30000, what: `all ${RECORDS} records put` })
  await waitFor(() => dropped, { timeoutMs: 10000, what: 'the commit of the whole topic to be sent (and dropped)' })
  // While the task runs, with nothing new to deliver: the next interval's commit must carry the same offsets again.
  await waitFor(async () => await reader.read() === RECORDS, {
    timeoutMs: 10000,
    what: `the group's committed offset to reach ${RECORDS} while running (offsets sent: ${sent.join(', ')})`
  })
  assert.equal(task.count, RECORDS)
})
