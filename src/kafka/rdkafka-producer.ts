/** The node-rdkafka producer adapter: partition choice, bounded in-flight sends, delivery callbacks in send order. */
import { isUtf8 } from 'node:buffer'
import { DataError, KafkaError } from '../api/index.ts'
import type { Logger } from '../util/logger.ts'
import { trackNativeWork } from '../util/abandoned-work.ts'
import type { ClientProblemLog } from './client-problem-log.ts'
import type { ClientProps } from './client-config.ts'
import { clientName, connectClient, loadRdKafka, problemLog, wrap, type RdProducer } from './rdkafka-client.ts'

const ERR_QUEUE_FULL = -184
const ERR_MSG_SIZE_TOO_LARGE = 10
const ERR_UNKNOWN_PARTITION = -190
const ERR_INVALID_ARG = -186
const ERR_UNKNOWN_TOPIC = -188

/**
 * Java's max.request.size default. librdkafka's message.max.bytes (what max.request.size translates to) defaults to
 * 1,000,000, which would refuse records between the two that Apache sends.
 */
export const DEFAULT_MAX_REQUEST_SIZE = 1048576

/**
 * produce() refused one record, before queueing it: too large for the producer's max.request.size, a partition the
 * topic does not have, an invalid argument. Unlike a full queue or a fatal error, the next record may go through, so
 * the refusal is handed to the record's delivery callback and follows errors.tolerance like a failed delivery (in
 * Java, KafkaProducer.send() reports these through the callback too).
 */
export class RecordRefusedError extends KafkaError {
  /** librdkafka's error code. */
  readonly rdkafkaCode: number
  constructor (message: string, rdkafkaCode: number, options: { cause?: unknown } = {}) {
    super(message, options)
    this.name = 'RecordRefusedError'
    this.rdkafkaCode = rdkafkaCode
  }
}

const count = (n: number): string => n.toLocaleString('en-US')

/** The bytes librdkafka counts against message.max.bytes: key, value and header names and values. */
function recordBytes (key: Buffer | null, value: Buffer | null, headers: readonly ProduceHeader[] | null): number {
  let n = (key?.length ?? 0) + (value?.length ?? 0)
  for (const h of headers ?? []) n += Buffer.byteLength(h.key) + (h.value?.length ?? 0)
  return n
}

/** Why produce() refused this one record, as a RecordRefusedError; null when the error is not about the record. */
function recordRefusal (err: unknown, topic: string, partition: number | null, bytes: () => number, limit: number): RecordRefusedError | null {
  const code = (err as { code?: unknown } | null)?.code
  const detail = `(librdkafka: ${(err as { message?: string }).message ?? String(err)}, code ${String(code)})`
  switch (code) {
    case ERR_MSG_SIZE_TOO_LARGE:
      // A client-side limit: the broker never saw the record, so say which setting refused it (librdkafka's own text,
      // "Broker: Message size too large", would blame the broker).
      return new RecordRefusedError(`Cannot send a record to topic ${topic}: The record is ${count(bytes())} bytes, more than the producer's ` +
        `max.request.size (${count(limit)}): raise producer.override.max.request.size (and the topic's max.message.bytes) ` +
        `in the connector's config, or producer.max.request.size in the worker's for every connector`, code, { cause: err })
    case ERR_UNKNOWN_PARTITION:
      return new RecordRefusedError(`Cannot send a record to topic ${topic}: it has no partition ${String(partition)} ${detail}`, code, { cause: err })
    case ERR_UNKNOWN_TOPIC:
      // An invalid topic name (or one the cluster refused): Java's send() hands InvalidTopicException to the callback,
      // where errors.tolerance decides (KIP-779); it must not escape as a throw that fails the task regardless.
      return new RecordRefusedError(`Cannot send a record to topic ${topic}: the cluster does not accept this topic ${detail}`, code, { cause: err })
    case ERR_INVALID_ARG:
      return new RecordRefusedError(`Cannot send a record to topic ${topic}${partition !== null ? ` partition ${partition}` : ''}: the producer refused it as invalid ${detail}`, code, { cause: err })
    default:
      return null
  }
}

export interface DeliveryReport {
  topic: string
  partition: number
  offset: number
  timestamp: number | null
}

export type DeliveryCallback = (err: Error | null, report: DeliveryReport | null) => void

export interface ProduceHeader { key: string, value: Buffer | null }

/**
 * An empty value that node-rdkafka writes as empty. Its produce() sends a zero-length Buffer whose memory was never
 * allocated (what `Buffer.alloc(0)` and `Buffer.from('')` give) as a NULL value or key: a tombstone on a compacted
 * topic, where Kafka Connect writes an empty one. A zero-length view into allocated memory is written as empty (shown
 * on the real broker with Kafka's Java consumer in test/kafka/empty-values.test.ts). Held for the process's life.
 */
const EMPTY_BYTES = Buffer.alloc(1).subarray(0, 0)

/**
 * Why node-rdkafka cannot write this header value byte for byte, or null when it can. Its produce() turns each header
 * value into a JavaScript string and then into a NUL-terminated C string: bytes that are not valid UTF-8 come out as
 * U+FFFD and a value ends at its first NUL byte (node-rdkafka 3.x, src/producer.cc; shown on the real broker in
 * test/kafka/rdkafka-producer.test.ts). A null value is written as an empty one (it has no null either); that is a
 * documented difference, not refused.
 */
export function unsendableHeaderValue (value: Buffer | null): string | null {
  if (value === null || value.length === 0) return null
  if (value.indexOf(0) !== -1) return 'it contains a NUL byte'
  if (!isUtf8(value)) return 'it is not valid UTF-8'
  return null
}

/** Throws a DataError naming the header when {@link unsendableHeaderValue} refuses its value: Kafka would hold other bytes. */
export function assertSendableHeader (key: string, value: Buffer | null): void {
  const why = unsendableHeaderValue(value)
  if (why !== null) {
    throw new DataError(`Header '${key}' cannot be written to Kafka byte for byte: ${why} (node-rdkafka writes header values as UTF-8 text). ` +
      'Use a header converter that writes text, such as SimpleHeaderConverter or JsonConverter.')
  }
}

/** A failed delivery report's error; the broker's size refusal names the settings involved. */
function deliveryError (err: unknown, topic: string): KafkaError {
  const e = wrap(err, `Failed to deliver record to ${topic}`)
  if ((err as { code?: unknown }).code !== ERR_MSG_SIZE_TOO_LARGE) return e
  return new KafkaError(`${e.message}: the broker refused the record as larger than topic ${topic}'s max.message.bytes ` +
    '(the broker\'s message.max.bytes by default); raise it, or lower the producer\'s max.request.size so that the producer refuses such records itself', { cause: err })
}


export interface ProducerOptions {
  global: ClientProps
  topic?: ClientProps
  logger: Logger
  connectTimeoutMs?: number
}

/** Delivery callbacks of the records queued to one partition, in send order (a ring buffer: no shift() costs). */
class CallbackQueue {
  #items: Array<DeliveryCallback | undefined> = new Array<DeliveryCallback | undefined>(1024)
  #head = 0
  #size = 0

  get size (): number { return this.#size }

  push (cb: DeliveryCallback): void {
    if (this.#size === this.#items.length) {
      const grown = new Array<DeliveryCallback | undefined>(this.#items.length * 2)
      for (let i = 0; i < this.#size; i++) grown[i] = this.#items[(this.#head + i) % this.#items.length]
      this.#items = grown
      this.#head = 0
    }
    this.#items[(this.#head + this.#size) % this.#items.length] = cb
    this.#size++
  }

  shift (): DeliveryCallback | undefined {
    if (this.#size === 0) return undefined
    const cb = this.#items[this.#head]
    this.#items[this.#head] = undefined
    this.#head = (this.#head + 1) % this.#items.length
    this.#size--
    return cb
  }
}

/** What the producer knows about a topic's partitions, for choosing partitions itself. */
interface TopicState {
  /** Partition count; 0 before the first lookup answered; -1 when it found none (librdkafka partitions, for now). */
  partitions: number
  queues: CallbackQueue[]
  /** Sticky partition for records without key and partition, and how many more records go there. */
  sticky: number
  stickyLeft: number
  lookup: Promise<void> | null
  refreshAt: number
}

/** Keyless records go to one partition for this many records, then to another (librdkafka and Java are sticky too). */
const STICKY_RECORDS = 10000
/** How often partition counts are looked up again (librdkafka's topic.metadata.refresh.interval.ms default). */
const PARTITION_REFRESH_MS = 300000
/** How soon a topic without partitions (being auto-created, say) is looked up again. */
const PARTITION_RETRY_MS = 1000

function isTrue (v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true')
}

/**
 * A producer with delivery callbacks and explicit backpressure: send() returns false when librdkafka's queue is full.
 *
 * Delivery callbacks normally travel with each record as librdkafka's "opaque", which node-rdkafka turns into a V8
 * persistent handle per record and back: about a third of the producer's CPU time. When the idempotent producer is on
 * (the worker's default), librdkafka keeps each partition's records and delivery reports in send order, so records
 * sent to a known partition need no opaque: their callbacks wait in a per-partition queue and are matched by order.
 * Records without a key and a partition get a partition chosen here (sticky, as librdkafka's partitioner would), once
 * the topic's partition count is known; keyed records keep librdkafka's partitioner and the opaque.
 */
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
  /** drained() waiters wake once this few records are in flight: each wake then sends a good batch, not one record. */
  readonly #resumeBelow: number
  readonly #ordered: boolean
  readonly #topics = new Map<string, TopicState>()
  /** The topic of the last send and of the last delivery report: nearly always the same one, and a Map lookup hashes. */
  #sendTopic = ''
  #sendState: TopicState | undefined = undefined
  #reportTopic = ''
  #reportState: TopicState | undefined = undefined
  #sendsUntilClockCheck = 0
  #drainWaiters: Array<() => void> = []
  #fatal: Error | null = null
  #unmatched = 0
  readonly #problems: ClientProblemLog

  /** message.max.bytes, for the message of a record refused as too large. */
  readonly #maxRequestSize: number

  private constructor (producer: RdProducer, logger: Logger, maxInflight: number, ordered: boolean, maxRequestSize: number, problems: ClientProblemLog) {
    this.#producer = producer
    this.#logger = logger
    this.#problems = problems
    this.#maxRequestSize = maxRequestSize
    this.#maxInflight = maxInflight
    this.#resumeBelow = Math.max(0, maxInflight - Math.max(1, Math.floor(maxInflight / 4)))
    this.#ordered = ordered
    producer.on('delivery-report', (err, report) => {
      this.#inflight--
      let cb = report.opaque as DeliveryCallback | undefined
      if (cb === undefined) {
        if (report.topic !== this.#reportTopic || this.#reportState === undefined) {
          this.#reportTopic = report.topic
          this.#reportState = this.#topics.get(report.topic)
        }
        cb = this.#reportState?.queues[report.partition]?.shift()
        if (cb === undefined) {
          // Cannot happen while librdkafka keeps per-partition order; say so loudly rather than drop it silently.
          if (this.#unmatched++ === 0) this.#logger.error(`Delivery report for ${report.topic}-${report.partition}@${report.offset} matches no sent record`)
          return
        }
      }
      if (err) cb(deliveryError(err, report.topic), null)
      else if (report.timestamp !== undefined && report.timestamp !== null) cb(null, report as DeliveryReport)
      else cb(null, { topic: report.topic, partition: report.partition, offset: report.offset, timestamp: null })
      if (this.#drainWaiters.length > 0 && this.#inflight <= this.#resumeBelow) this.#wakeDrainers()
    })
    // Logged by the problem log (see problemLog).
    producer.on('event.error', (err: { code?: number, message?: string, isFatal?: boolean }) => {
      if (err.isFatal) this.#fatal = wrap(err, 'Fatal producer error')
    })
  }

  static async create (options: ProducerOptions): Promise<RdKafkaProducer> {
    const Kafka = loadRdKafka()
    const global: ClientProps = { 'message.max.bytes': DEFAULT_MAX_REQUEST_SIZE, ...options.global, dr_cb: true }
    const producer = new Kafka.Producer(global as never, (options.topic ?? {}) as never)
    const problems = problemLog(producer, 'producer', global, options.logger)
    try {
      await connectClient(producer, String(options.global['bootstrap.servers'] ?? ''), options.connectTimeoutMs ?? 30000)
    } catch (err) {
      problems.close()
      throw err
    }
    producer.setPollInterval(5)
    // Without idempotence librdkafka may retry a batch after a later one was delivered: only opaques are safe then.
    const ordered = isTrue(options.global['enable.idempotence'])
    return new RdKafkaProducer(producer, options.logger, Number(options.global['queue.buffering.max.messages'] ?? 100000), ordered,
      Number(global['message.max.bytes']), problems)
  }

  get inflight (): number { return this.#inflight }
  get fatalError (): Error | null { return this.#fatal }

  /**
   * Queues one record. Returns false (nothing queued) when the local queue is full: await drained() and retry. A record
   * produce() refuses by itself (a RecordRefusedError) goes to `cb`, synchronously, and send() returns true: it is
   * handled, as a failed delivery is. Anything else produce() throws is thrown.
   */
  send (topic: string, partition: number | null, value: Buffer | null, key: Buffer | null, timestamp: number | null,
    headers: readonly ProduceHeader[] | null, cb: DeliveryCallback): boolean {
    if (this.#inflight >= this.#maxInflight) return false
    let target = partition
    let state: TopicState | undefined
    if (this.#ordered) {
      state = this.#topicState(topic)
      // Nothing goes out before the first lookup answered: records librdkafka would hold back until it knows the
      // topic could otherwise land behind later ones sent to explicit partitions.
      if (state.partitions === 0) return false
      if (target === null && key === null && state.partitions > 0) target = this.#stickyPartition(state)
      // Keyed records, and partitions this producer does not know (librdkafka reports those), keep the opaque.
      if (target === null || target < 0 || target >= state.queues.length) state = undefined
    }
    try {
      const hdrs = headers && headers.length > 0 ? headers.map(h => ({ [h.key]: h.value ?? EMPTY_BYTES })) : undefined
      // Empty values and keys stay empty (not null): see EMPTY_BYTES.
      const v = value !== null && value.length === 0 ? EMPTY_BYTES : value
      const k = key !== null && key.length === 0 ? EMPTY_BYTES : key
      if (state !== undefined && target !== null) {
        this.#producer.produce(topic, target, v, k, timestamp ?? undefined, undefined, hdrs as never)
        state.queues[target]!.push(cb)
      } else {
        this.#producer.produce(topic, target ?? -1, v, k, timestamp ?? undefined, cb, hdrs as never)
      }
      this.#inflight++
      return true
    } catch (err) {
      if ((err as { code?: number }).code === ERR_QUEUE_FULL) return false
      const refused = recordRefusal(err, topic, target, () => recordBytes(key, value, headers), this.#maxRequestSize)
      if (refused === null) throw wrap(err, `Failed to send record to ${topic}`)
      cb(refused, null)
      return true
    }
  }

  #topicState (topic: string): TopicState {
    let state = topic === this.#sendTopic ? this.#sendState : this.#topics.get(topic)
    if (state === undefined) {
      state = { partitions: 0, queues: [], sticky: 0, stickyLeft: 0, lookup: null, refreshAt: 0 }
      this.#topics.set(topic, state)
      this.#lookupPartitions(topic, state)
    } else if (state.lookup === null && state.partitions !== 0 && --this.#sendsUntilClockCheck <= 0) {
      // Looking at the clock for every record would cost more than the rest of this method.
      this.#sendsUntilClockCheck = state.partitions > 0 ? 1000 : 1
      if (Date.now() >= state.refreshAt) this.#lookupPartitions(topic, state)
    }
    this.#sendTopic = topic
    this.#sendState = state
    return state
  }

  /**
   * Learns (or refreshes) a topic's partition count. Until a lookup finds partitions (a topic being auto-created, one
   * that cannot be described), librdkafka's partitioner takes the records, with opaques, and lookups repeat.
   */
  #lookupPartitions (topic: string, state: TopicState): void {
    state.refreshAt = Infinity
    state.lookup = new Promise<void>(resolve => {
      this.#producer.getMetadata({ topic, allTopics: false, timeout: 10000 }, (err, md) => {
        const count = err ? 0 : (md.topics.find(t => t.name === topic)?.partitions.length ?? 0)
        if (count > 0) {
          while (state.queues.length < count) state.queues.push(new CallbackQueue())
          state.partitions = Math.max(state.partitions, count)
        } else if (state.partitions === 0) {
          state.partitions = -1
        }
        state.refreshAt = Date.now() + (state.partitions > 0 ? PARTITION_REFRESH_MS : PARTITION_RETRY_MS)
        state.lookup = null
        this.#wakeDrainers()
        resolve()
      })
    })
  }

  #stickyPartition (state: TopicState): number {
    if (state.stickyLeft <= 0) {
      const n = state.partitions
      state.sticky = n === 1 ? 0 : (state.sticky + 1 + Math.floor(Math.random() * (n - 1))) % n
      state.stickyLeft = STICKY_RECORDS
    }
    state.stickyLeft--
    return state.sticky
  }

  /** Resolves once enough queued records were delivered (or after a short while), to retry a send that returned false. */
  async drained (): Promise<void> {
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
    this.#problems.close()
    this.#producer.setPollInterval(0)
    // Known until the close really ends: past the timeout it goes on in the threadpool, and the process must not wait.
    const done = trackNativeWork(`Kafka producer ${clientName(this.#producer)}: disconnect (flush and close)`)
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, timeoutMs)
      this.#producer.disconnect(() => { done(); clearTimeout(timer); resolve() })
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

