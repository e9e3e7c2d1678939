/**
 * The producer side of a dead-letter queue: creates the topic when it is missing (one partition, the configured
 * replication factor, as Apache does) and sends records whose delivery a caller can await.
 */
import { KafkaError } from '../api/index.ts'
import type { Logger } from '../util/logger.ts'
import type { ClientProps } from './client-config.ts'
import { loadRdKafka } from './rdkafka-client.ts'
import { RdKafkaProducer } from './rdkafka-producer.ts'

export interface DeadLetterRecord {
  key: Buffer | null
  value: Buffer | null
  timestamp: number | null
  headers: Array<{ key: string, value: Buffer | null }>
}

export interface DeadLetterQueueProducerOptions {
  topic: string
  replicationFactor: number
  producer: ClientProps
  admin: ClientProps
  /** The embedded broker answers no CreateTopics: it auto-creates the topic on the first send instead. */
  createTopic: boolean
  logger: Logger
}

const TOPIC_ALREADY_EXISTS = 36
const ADMIN_TIMEOUT_MS = 30_000

async function ensureTopic (o: DeadLetterQueueProducerOptions): Promise<void> {
  const Kafka = loadRdKafka()
  const admin = Kafka.AdminClient.create({ ...o.admin } as never)
  try {
    await new Promise<void>((resolve, reject) => {
      admin.createTopic({ topic: o.topic, num_partitions: 1, replication_factor: o.replicationFactor }, ADMIN_TIMEOUT_MS, err => {
        if (!err || err.code === TOPIC_ALREADY_EXISTS) resolve()
        else reject(err)
      })
    })
  } catch (err) {
    throw new KafkaError(`Could not initialize dead letter queue with topic=${o.topic}: ${(err as Error).message}`, { cause: err })
  } finally {
    admin.disconnect()
  }
}

export class DeadLetterQueueProducer {
  readonly #producer: RdKafkaProducer

  private constructor (producer: RdKafkaProducer) { this.#producer = producer }

  static async open (o: DeadLetterQueueProducerOptions): Promise<DeadLetterQueueProducer> {
    if (o.createTopic) await ensureTopic(o)
    const producer = await RdKafkaProducer.create({ global: o.producer, logger: o.logger })
    return new DeadLetterQueueProducer(producer)
  }

  /**
   * Resolves when Kafka acknowledged the record; rejects when it could not be delivered or the producer refused it
   * (too large for max.request.size, say). Never throws past the promise: a retry after a full queue runs outside the
   * caller's stack, where a throw would be an unhandled rejection that ends the process.
   */
  async send (topic: string, record: DeadLetterRecord): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const attempt = (): void => {
        try {
          // Partition null: the default partitioner, as Apache's DLQ producer does.
          const queued = this.#producer.send(topic, null, record.value, record.key, record.timestamp, record.headers, err => { if (err) reject(err); else resolve() })
          if (!queued) void this.#producer.drained().then(attempt, reject)
        } catch (err) {
          reject(err)
        }
      }
      attempt()
    })
  }

  async close (timeoutMs: number): Promise<void> {
    await this.#producer.disconnect(timeoutMs)
  }
}
