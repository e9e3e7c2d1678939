/**
 * node-rdkafka adapters used by the runtime. node-rdkafka is loaded lazily, so `--help`, `--version` and config
 * errors never pay for loading the native addon.
 */
import { isUtf8 } from 'node:buffer'
import { createRequire } from 'node:module'
import { DataError, KafkaError, ErrorCode, type TopicPartition, type TopicPartitionOffset } from '../api/index.ts'
import type { Logger } from '../util/logger.ts'
import { trackNativeWork } from '../util/abandoned-work.ts'
import { ClientProblemLog, PROBE_TIMEOUT_MS } from './client-problem-log.ts'
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

/** librdkafka's instance name (rdkafka#consumer-2), set by node-rdkafka on connect but missing from its typings. */
function clientName (client: object): string {
  return (client as { name?: string }).name ?? '(not connected)'
}

function wrap (err: unknown, what: string): KafkaError {
  const e = err as { message?: string, code?: number, isRetriable?: boolean } | undefined
  return new KafkaError(`${what}: ${e?.message ?? String(err)}${e?.code !== undefined ? ` (librdkafka code ${e.code})` : ''}`,
    { cause: err, retriable: e?.isRetriable ?? false })
}

/**
 * The problem log of one client: its event.error reports, and its librdkafka log lines at warning level or worse
 * (those name the broker and the reason, "Connect to ipv4#host:port failed: Connection refused"; the error events say
 * only "broker transport failure").
 */
function problemLog (client: RdProducer | RdConsumer, kind: string, global: ClientProps, logger: Logger): ClientProblemLog {
  const problems = new ClientProblemLog({
    logger,
    client: `Kafka ${kind} ${String(global['client.id'] ?? '')}`.trimEnd(),
    bootstrap: String(global['bootstrap.servers'] ?? ''),
    probe: async () => await new Promise<boolean>(resolve => {
      try {
        client.getMetadata({ allTopics: false, timeout: PROBE_TIMEOUT_MS }, err => { resolve(!err) })
      } catch {
        resolve(false)
      }
    })
  })
  // Both kinds of client emit these two events alike; the union of their typed on() signatures is not callable.
  const events = client as RdProducer
  events.on('event.error', (err: { message?: string, isFatal?: boolean }) => { problems.report(err.message ?? String(err), { fatal: err.isFatal === true }) })
  events.on('event.log', (e: { severity?: number, message?: string }) => {
    if ((e.severity ?? 7) <= 4 && e.message) problems.report(e.message)
  })
  return problems
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

/**
 * librdkafka defaults that do not suit a sink task. fetch.queue.backoff.ms (default 1000): whenever the prefetch queue
 * is full (queued.min.messages), librdkafka postpones the next fetch by that long, and a task that drains the queue
 * faster than that then sits idle most of every second (about 110,000 records/s instead of 300,000+ here). A worker
 * file's consumer.* settings still override these.
 */
const CONSUMER_DEFAULTS: ClientProps = { 'fetch.queue.backoff.ms': 10 }

/**
 * How many assignments in a row that do not match the subscription make the consumer rejoin; past that it takes what
 * matches and says so (a group whose other members keep handing out the old topics must not loop forever).
 */
const MAX_MISMATCH_REJOINS = 3

/** Group-membership state shared by the rebalance callback (created before the consumer) and the consumer. */
interface GroupState {
  /** The topics last subscribed to. */
  subscribed: Set<string>
  /** Set by the rebalance callback when the assignment did not match the subscription: rejoin at the next consume(). */
  rejoin: boolean
  /** Mismatching assignments in a row. */
  mismatches: number
  /** The last fatal error librdkafka reported, for the message of the consume() that fails on it. */
  fatal: string | null
  /** Called once `fatal` is known. */
  fatalWaiters: Array<() => void>
}

const ERR_FATAL = -150

export class RdKafkaConsumer {
  readonly #consumer: RdConsumer
  readonly #logger: Logger
  #closed = false
  readonly #problems: ClientProblemLog

  readonly #group: GroupState

  private constructor (consumer: RdConsumer, logger: Logger, group: GroupState, problems: ClientProblemLog) {
    this.#consumer = consumer
    this.#logger = logger
    this.#group = group
    this.#problems = problems
  }

  #onTransientError (err: { message?: string }): void {
    // Each kind of problem once, not once per poll (see ClientProblemLog).
    this.#problems.report(err.message ?? String(err))
  }

  static async create (options: ConsumerOptions): Promise<RdKafkaConsumer> {
    const Kafka = loadRdKafka()
    const CODES = Kafka.CODES.ERRORS
    const group: GroupState = { subscribed: new Set(), rejoin: false, mismatches: 0, fatal: null, fatalWaiters: [] }
    const rebalance = function (this: RdConsumer, err: { code: number }, assignment: TopicPartition[]): void {
      const cooperative = this.rebalanceProtocol() === 'COOPERATIVE'
      let parts = assignment.map(a => ({ topic: a.topic, partition: a.partition }))
      try {
        if (err.code === CODES.ERR__ASSIGN_PARTITIONS) {
          // A static member (group.instance.id) that rejoins a stable group gets back the assignment of its previous
          // run without a rebalance: the broker compares only the protocol name, not the subscription. A sink
          // restarted with other topics then held the old topics' partitions and consumed nothing. Java's consumer
          // refuses an assignment that does not match its subscription and rejoins; so do we (see rejoinIfAsked).
          const foreign = parts.filter(p => !group.subscribed.has(p.topic))
          if (foreign.length > 0 && group.subscribed.size > 0) {
            const instance = options.global['group.instance.id']
            const what = `Consumer group ${String(options.global['group.id'])} assigned partitions of topics this consumer is not subscribed to: ` +
              `${[...new Set(foreign.map(p => p.topic))].join(', ')} (subscribed: ${[...group.subscribed].join(', ')})` +
              (instance !== undefined ? `; as a static member (group.instance.id ${String(instance)}) it got back the assignment of its previous run` : '')
            if (++group.mismatches <= MAX_MISMATCH_REJOINS) {
              options.logger.warn(`${what}. Taking none of it and rejoining the group with the current subscription`)
              group.rejoin = true
              parts = []
            } else {
              options.logger.error(`${what}, again after ${MAX_MISMATCH_REJOINS} rejoins: taking only the subscribed topics' partitions. ` +
                'Another member of the group may still subscribe to the old topics')
              parts = parts.filter(p => group.subscribed.has(p.topic))
            }
          } else {
            group.mismatches = 0
          }
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
    const consumer = new Kafka.KafkaConsumer({ ...CONSUMER_DEFAULTS, ...options.global, rebalance_cb: rebalance } as never, options.topic as never)
    const problems = problemLog(consumer, 'consumer', options.global, options.logger)
    try {
      await connectClient(consumer as unknown as RdProducer, String(options.global['bootstrap.servers'] ?? ''), options.connectTimeoutMs ?? 30000)
    } catch (err) {
      problems.close()
      throw err
    }
    // librdkafka states the reason of a fatal error once, as a log line ("Fatal error: Broker: ...") or a fatal error
    // event; consume() only ever says "Local: Fatal error" afterwards.
    const fatal = (reason: string): void => {
      group.fatal ??= reason
      for (const w of group.fatalWaiters.splice(0)) w()
    }
    consumer.on('event.error', (err: { message?: string, code?: number, isFatal?: boolean }) => {
      if (err.isFatal === true || err.code === ERR_FATAL) fatal(err.message ?? String(err))
    })
    consumer.on('event.log', (e: { message?: string }) => {
      const at = e.message?.indexOf('Fatal error') ?? -1
      if (at >= 0) fatal(e.message!.slice(at))
    })
    consumer.setDefaultConsumeTimeout(200)
    return new RdKafkaConsumer(consumer, options.logger, group, problems)
  }

  subscribe (topics: string[]): void {
    this.#group.subscribed = new Set(topics)
    if (topics.length === 0) this.#consumer.unsubscribe()
    else this.#consumer.subscribe(topics)
  }

  /**
   * Rejoins the group after the rebalance callback refused an assignment (outside the callback: librdkafka postpones
   * a change of subscription made inside it, and folds an unsubscribe into the subscribe that follows). A subscribe()
   * to the same topics alone is not enough: with a cooperative assignor librdkafka sees no change and does not rejoin,
   * and the broker already holds this subscription for the member. So the consumer leaves (unsubscribe sends
   * LeaveGroup by member id, which removes a static member too) and joins again; the group then rebalances with the
   * current subscription.
   */
  #rejoinIfAsked (): void {
    if (!this.#group.rejoin) return
    this.#group.rejoin = false
    const topics = [...this.#group.subscribed]
    if (topics.length === 0) return
    this.#consumer.unsubscribe()
    this.#consumer.subscribe(topics)
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
    this.#rejoinIfAsked()
    return await new Promise((resolve, reject) => {
      this.#consumer.consume(max, (err, messages) => {
        if (!err) { resolve(messages); return }
        // Topic-level errors (a topic not created yet, a leader moving) are transient: librdkafka recovers by itself.
        // A fatal error is not: the consumer is unusable from then on (librdkafka answers every call with "Local: Fatal
        // error", code -150, without isFatal), so the task fails and says why instead of retrying forever.
        const code = (err as { code?: number }).code
        if ((err as { isFatal?: boolean }).isFatal || code === ERR_FATAL) {
          // The reason comes as an event that may reach JavaScript just after this callback: wait for it, briefly.
          void this.#fatalReason().then(why => {
            // Fenced: after an outage longer than session.timeout.ms librdkafka drops its member id, and a commit it
            // held for the coordinator goes out without it; a new consumer rejoins under the same group.instance.id.
            const hint = why !== null && /fenced/i.test(why) ? '. Restart the task (errors.task.restart.max.attempts restarts it by itself)' : ''
            reject(wrap(err, `Consume failed${why !== null ? ` (the consumer stopped at a fatal error: ${why}${hint})` : ''}`))
          })
        } else {
          this.#onTransientError(err)
          resolve([])
        }
      })
    })
  }

  /** The reason of the fatal error librdkafka raised, once its event arrived (or null after a second without it). */
  async #fatalReason (): Promise<string | null> {
    if (this.#group.fatal === null) {
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, 1000)
        this.#group.fatalWaiters.push(() => { clearTimeout(timer); resolve() })
      })
    }
    return this.#group.fatal
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
    this.#problems.close()
    // Known until the close really ends: librdkafka's consumer close can block while the broker is away.
    const done = trackNativeWork(`Kafka consumer ${clientName(this.#consumer)}: disconnect (consumer close)`)
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, timeoutMs)
      this.#consumer.disconnect(() => { done(); clearTimeout(timer); resolve() })
    })
  }
}
