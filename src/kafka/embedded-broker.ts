/**
 * The embedded broker: librdkafka's own mock cluster, in this process, listening on a real loopback port. It is a
 * small-data development convenience: data lives in memory only, topics are auto-created with 4 partitions, and it
 * keeps only about 5 MB per partition, so a consumer that lags further behind loses records.
 */
import type { Logger } from '../util/logger.ts'
import { RdKafkaProducer } from './rdkafka-producer.ts'

export interface EmbeddedBroker {
  readonly bootstrapServers: string
  /**
   * Creates topics that do not exist yet. The mock answers no CreateTopics, but creates a topic when a producer asks
   * for its metadata; KIP-848 consumers that subscribe before a topic exists are otherwise never assigned it.
   */
  ensureTopics (topics: readonly string[]): Promise<void>
  stop (): Promise<void>
}

export async function startEmbeddedBroker (logger: Logger): Promise<EmbeddedBroker> {
  // The holder client owns the mock cluster: it lives as long as the worker.
  const holder = await RdKafkaProducer.create({
    global: { 'test.mock.num.brokers': 1, 'bootstrap.servers': '127.0.0.1:1', 'client.id': 'connect-embedded-broker' },
    logger,
    connectTimeoutMs: 10000
  })
  const brokers = await holder.brokers()
  const first = brokers[0]
  if (!first) throw new Error('The embedded broker did not report any listener')
  const bootstrapServers = `${first.host}:${first.port}`
  return {
    bootstrapServers,
    async ensureTopics (topics) {
      for (const topic of topics) await holder.touchTopic(topic)
    },
    async stop () { await holder.disconnect(2000) }
  }
}
