/**
 * node-rdkafka adapters used by the runtime. node-rdkafka is loaded lazily, so `--help`, `--version` and config
 * errors never pay for loading the native addon.
 */
import { createRequire } from 'node:module'
import { KafkaError, ErrorCode, type TopicPartition, type TopicPartitionOffset } from '../api/index.ts'
import type { Logger } from '../util/logger.ts'
import type { ClientProps } from './client-config.ts'

import type * as RdKafkaModule from 'node-rdkafka'

type RdKafka = typeof RdKafkaModule
type RdProducer = RdKafkaModule.Producer
type RdConsumer = RdKafkaModule.KafkaConsumer
export type RdMessage = RdKafkaModule.Message

let rdkafka: RdKafka | undefined
export function loadRdKafka (): RdKafka {
  // createRequire: node-rdkafka is CommonJS with a native addon; a synchronous require keeps constructors simple.
  rdkafka ??= createRequire(import.meta.url)('node-rdkafka') as RdKafka
  return rdkafka
}

const ERR_QUEUE_FULL = -184
const ERR_ALL_BROKERS_DOWN = -187

export interface DeliveryReport {
  topic: string
  partition: number
  offset: number
  timestamp: number | null
}

export type DeliveryCallback = (err: Error | null, report: DeliveryReport | null) => void

export interface ProduceHeader { key: string, value: Buffer | null }

function wrap (err: unknown, what: string): KafkaError {
  const e = err as { message?: string, code?: number, isRetriable?: boolean } | undefined
  return new KafkaError(`${what}: ${e?.message ?? String(err)}${e?.code !== undefined ? ` (librdkafka code ${e.code})` : ''}`,
    { cause: err, retriable: e?.isRetriable ?? false })
}

/**
 * Connects a client, failing fast (instead of retrying forever, as librdkafka would) when every bootstrap broker
 * refuses the connection or the timeout passes.
 */
async function connectClient (client: RdProducer, bootstrap: string, timeoutMs: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let settled = false
    const onError = (err: { code?: number, message?: string }): void => {
      if (settled || err.code !== ERR_ALL_BROKERS_DOWN) return
      settled = true
      client.removeListener('event.error', onError)
      try { client.disconnect() } catch {}
      reject(new KafkaError(`Failed to connect to and describe Kafka cluster at ${bootstrap}: all brokers are down (${err.message ?? ''}). ` +
        'Check the worker\'s bootstrap.servers and security settings, and that the broker is running.', { cause: err }, ErrorCode.KAFKA_UNREACHABLE))
    }
    client.on('event.error', onError)
    client.connect({ timeout: timeoutMs }, (err) => {
      client.removeListener('event.error', onError)
      if (settled) return
      settled = true
      if (err) {
        try { client.disconnect() } catch {}
        reject(new KafkaError(`Failed to connect to and describe Kafka cluster at ${bootstrap} within ${timeoutMs} ms: ${err.message}. ` +
          'Check the worker\'s bootstrap.servers and security settings.', { cause: err }, ErrorCode.KAFKA_UNREACHABLE))
      } else resolve()
    })
  })
}

export interface ProducerOptions {
  global: ClientProps
  topic?: ClientProps
  logger: Logger
  connectTimeoutMs?: number
}

/** A producer with delivery callbacks and explicit backpressure: send() returns false when librdkafka's queue is full. */
export class RdKafkaProducer {
  readonly #producer: RdProducer
  readonly #logger: Logger
  #inflight = 0
  /**
   * Records sent but not yet reported delivered. librdkafka's own queue limit is not enough: node-rdkafka takes
   * delivery reports off librdkafka's queue before JavaScript has run their callbacks, so without this bound a fast
   * source would pile up unbounded pending callbacks (and the records they hold) in memory.
   */
  readonly #maxInflight: number
  #drainWaiters: Array<() => void> = []
  #fatal: Error | null = null

  private constructor (producer: RdProducer, logger: Logger, maxInflight: number) {
    this.#producer = producer
    this.#logger = logger
    this.#maxInflight = maxInflight
    producer.on('delivery-report', (err, report) => {
      this.#inflight--
      const cb = report.opaque as DeliveryCallback
      if (err) cb(wrap(err, `Failed to deliver record to ${report.topic}`), null)
      else cb(null, { topic: report.topic, partition: report.partition, offset: report.offset, timestamp: report.timestamp ?? null })
      if (this.#drainWaiters.length > 0) this.#wakeDrainers()
    })
    producer.on('event.error', (err: { code?: number, message?: string, isFatal?: boolean }) => {
      if (err.isFatal) this.#fatal = wrap(err, 'Fatal producer error')
      this.#logger.warn(`Producer error: ${err.message ?? String(err)}`)
    })
  }

  static async create (options: ProducerOptions): Promise<RdKafkaProducer> {
    const Kafka = loadRdKafka()
    const producer = new Kafka.Producer({ ...options.global, dr_cb: true } as never, (options.topic ?? {}) as never)
    await connectClient(producer, String(options.global['bootstrap.servers'] ?? ''), options.connectTimeoutMs ?? 30000)
    producer.setPollInterval(5)
    return new RdKafkaProducer(producer, options.logger, Number(options.global['queue.buffering.max.messages'] ?? 100000))
  }

  get inflight (): number { return this.#inflight }
  get fatalError (): Error | null { return this.#fatal }

  /** Queues one record. Returns false (nothing queued) when the local queue is full: await drained() and retry. */
  send (topic: string, partition: number | null, value: Buffer | null, key: Buffer | null, timestamp: number | null,
    headers: readonly ProduceHeader[] | null, cb: DeliveryCallback): boolean {
    if (this.#inflight >= this.#maxInflight) return false
    try {
      const hdrs = headers && headers.length > 0 ? headers.map(h => ({ [h.key]: h.value ?? Buffer.alloc(0) })) : undefined
      this.#producer.produce(topic, partition ?? -1, value, key, timestamp ?? undefined, cb, hdrs as never)
      this.#inflight++
      return true
    } catch (err) {
      if ((err as { code?: number }).code === ERR_QUEUE_FULL) return false
      throw wrap(err, `Failed to send record to ${topic}`)
    }
  }

  /** Resolves once some queued records were delivered (or after a short while), to retry a send that hit a full queue. */
  async drained (): Promise<void> {
    this.#producer.poll()
    await new Promise<void>(resolve => {
      const timer = setTimeout(() => { this.#drainWaiters = this.#drainWaiters.filter(w => w !== done); resolve() }, 50)
      const done = (): void => { clearTimeout(timer); resolve() }
      this.#drainWaiters.push(done)
    })
  }

  #wakeDrainers (): void {
    const waiters = this.#drainWaiters
    this.#drainWaiters = []
    for (const w of waiters) w()
  }

  async flush (timeoutMs: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#producer.flush(timeoutMs, err => { if (err) reject(wrap(err, 'Producer flush failed')); else resolve() })
    })
  }

  async disconnect (timeoutMs = 5000): Promise<void> {
    this.#producer.setPollInterval(0)
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, timeoutMs)
      this.#producer.disconnect(() => { clearTimeout(timer); resolve() })
    })
  }

  /** Requests metadata for one topic; brokers that auto-create topics create it. */
  async touchTopic (topic: string, timeoutMs = 5000): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#producer.getMetadata({ topic, allTopics: false, timeout: timeoutMs }, err => {
        if (err) reject(wrap(err, `Cannot read metadata of topic ${topic}`))
        else resolve()
      })
    })
  }

  /** Broker metadata (used by the embedded broker to learn its own address). */
  async brokers (timeoutMs = 5000): Promise<Array<{ id: number, host: string, port: number }>> {
    return await new Promise((resolve, reject) => {
      this.#producer.getMetadata({ timeout: timeoutMs }, (err, md) => {
        if (err) reject(wrap(err, 'Cannot read cluster metadata'))
        else resolve(md.brokers)
      })
    })
  }
}

export interface ConsumerListeners {
  /** Partitions were assigned (after the consumer took them). */
  onAssign (partitions: TopicPartition[]): void
  /** Partitions are about to be revoked; runs synchronously before they are given up. */
  onRevoke (partitions: TopicPartition[]): void
}

export interface ConsumerOptions {
  global: ClientProps
  topic: ClientProps
  logger: Logger
  listeners: ConsumerListeners
  connectTimeoutMs?: number
}

export class RdKafkaConsumer {
  readonly #consumer: RdConsumer
  readonly #logger: Logger
  #closed = false
  #lastWarning = ''

  private constructor (consumer: RdConsumer, logger: Logger) {
    this.#consumer = consumer
    this.#logger = logger
  }

  #onTransientError (err: { message?: string }): void {
    const text = err.message ?? String(err)
    // Log each distinct problem once in a row, not once per poll.
    if (text !== this.#lastWarning) this.#logger.warn(`Consumer: ${text} (retrying)`)
    this.#lastWarning = text
  }

  static async create (options: ConsumerOptions): Promise<RdKafkaConsumer> {
    const Kafka = loadRdKafka()
    const CODES = Kafka.CODES.ERRORS
    const rebalance = function (this: RdConsumer, err: { code: number }, assignment: TopicPartition[]): void {
      const cooperative = this.rebalanceProtocol() === 'COOPERATIVE'
      const parts = assignment.map(a => ({ topic: a.topic, partition: a.partition }))
      try {
        if (err.code === CODES.ERR__ASSIGN_PARTITIONS) {
          if (cooperative) this.incrementalAssign(parts)
          else this.assign(parts)
          options.listeners.onAssign(parts)
        } else if (err.code === CODES.ERR__REVOKE_PARTITIONS) {
          options.listeners.onRevoke(parts)
          if (cooperative) this.incrementalUnassign(parts)
          else this.unassign()
        }
      } catch (e) {
        options.logger.error('Error while handling a consumer group rebalance', e)
      }
    }
    const consumer = new Kafka.KafkaConsumer({ ...options.global, rebalance_cb: rebalance } as never, options.topic as never)
    consumer.on('event.error', (err: { message?: string }) => options.logger.warn(`Consumer error: ${err.message ?? String(err)}`))
    await connectClient(consumer as unknown as RdProducer, String(options.global['bootstrap.servers'] ?? ''), options.connectTimeoutMs ?? 30000)
    consumer.setDefaultConsumeTimeout(200)
    return new RdKafkaConsumer(consumer, options.logger)
  }

  subscribe (topics: string[]): void {
    if (topics.length === 0) this.#consumer.unsubscribe()
    else this.#consumer.subscribe(topics)
  }

  /** Names of every topic in the cluster. */
  async listTopics (timeoutMs = 10000): Promise<string[]> {
    return await new Promise((resolve, reject) => {
      this.#consumer.getMetadata({ allTopics: true, timeout: timeoutMs }, (err, md) => {
        if (err) reject(wrap(err, 'Cannot list topics'))
        else resolve(md.topics.map(t => t.name))
      })
    })
  }

  /** Up to `max` messages; resolves with [] after the consume timeout when nothing arrived. */
  async consume (max: number): Promise<RdMessage[]> {
    if (this.#closed) return []
    return await new Promise((resolve, reject) => {
      this.#consumer.consume(max, (err, messages) => {
        if (!err) { resolve(messages); return }
        // Topic-level errors (a topic not created yet, a leader moving) are transient: librdkafka recovers by itself.
        if ((err as { isFatal?: boolean }).isFatal) reject(wrap(err, 'Consume failed'))
        else {
          this.#onTransientError(err)
          resolve([])
        }
      })
    })
  }

  commitSync (offsets: readonly TopicPartitionOffset[]): void {
    if (offsets.length === 0) return
    this.#consumer.commitSync(offsets.map(o => ({ topic: o.topic, partition: o.partition, offset: o.offset })))
  }

  commitAsync (offsets: readonly TopicPartitionOffset[]): void {
    if (offsets.length === 0) return
    this.#consumer.commit(offsets.map(o => ({ topic: o.topic, partition: o.partition, offset: o.offset })))
  }

  pause (partitions: readonly TopicPartition[]): void {
    if (partitions.length > 0) this.#consumer.pause(partitions.map(p => ({ topic: p.topic, partition: p.partition })))
  }

  resume (partitions: readonly TopicPartition[]): void {
    if (partitions.length > 0) this.#consumer.resume(partitions.map(p => ({ topic: p.topic, partition: p.partition })))
  }

  async seek (tp: TopicPartition, offset: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#consumer.seek({ topic: tp.topic, partition: tp.partition, offset }, 5000, err => {
        if (err) reject(wrap(err, `Seek to ${tp.topic}-${tp.partition}@${offset} failed`))
        else resolve()
      })
    })
  }

  assignments (): TopicPartition[] {
    return this.#consumer.assignments().map(a => ({ topic: a.topic, partition: a.partition }))
  }

  /** Low watermark from the last fetch (no broker round trip). */
  lowWatermark (tp: TopicPartition): number | null {
    try {
      return this.#consumer.getWatermarkOffsets(tp.topic, tp.partition).lowOffset
    } catch {
      return null
    }
  }

  async disconnect (timeoutMs = 5000): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, timeoutMs)
      this.#consumer.disconnect(() => { clearTimeout(timer); resolve() })
    })
  }
}
