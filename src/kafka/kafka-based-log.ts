/**
 * A compacted Kafka topic read from its beginning and kept up with (Apache's KafkaBasedLog, as its internal topics
 * use it): start() creates the topic when it is missing (compacted, with the given partitions and replication
 * factor), refuses an existing one that is not compacted, and reads every partition to the end offsets it found;
 * then a background loop keeps reading what other writers add. Records are handed over in each partition's order.
 * Writes are keyed (the murmur2 partitioner, as Java's default partitioner) and acknowledged by every in-sync
 * replica (acks=all, idempotent producer).
 *
 * The loop polls without blocking while idle (a blocking consume() would hold one of libuv's four threads all the
 * time), and with short waits while someone waits in readToEnd().
 */
import { ConfigError, KafkaError } from '../api/index.ts'
import type { Logger } from '../util/logger.ts'
import { trackNativeWork } from '../util/abandoned-work.ts'
import type { ClientProps } from './client-config.ts'
import { clientName, connectClient, loadRdKafka, problemLog, wrap, type RdConsumer, type RdMessage, type RdProducer } from './rdkafka-client.ts'
import { RdKafkaProducer, type DeliveryReport } from './rdkafka-producer.ts'
import { topicCleanupPolicy } from './topic-cleanup-policy.ts'

export interface KafkaBasedLogOptions {
  topic: string
  /** For creating the topic; -1 for the broker's default. */
  partitions: number
  /** For creating the topic; -1 for the broker's default. */
  replicationFactor: number
  /** Further configs of a topic it creates (Apache distributed's offset.storage.* topic settings); cleanup.policy stays compact. */
  topicConfig?: Readonly<Record<string, string>>
  /** The worker key that names the topic, and what it holds, for messages (Apache's getTopicConfig/getTopicPurpose). */
  setting: string
  purpose: string
  /** The worker's producer settings (librdkafka names, bootstrap.servers and security included). */
  producer: ClientProps
  /** The worker's consumer settings. */
  consumer: ClientProps
  /** Settings for creating and checking the topic; the producer's by default. */
  admin?: ClientProps
  /** False on the embedded broker, which answers no CreateTopics (it auto-creates the topic). Default true. */
  createTopic?: boolean
  logger: Logger
  /** Bounds start-up's read of the topic and every readToEnd() without its own bound. Default 60 s. */
  readTimeoutMs?: number
  /** Prefix of the clients' client.id. */
  clientId: string
}

export interface LogRecord {
  key: Buffer | null
  value: Buffer | null
  partition: number
  offset: number
}

const TOPIC_ALREADY_EXISTS = 36
const OFFSET_BEGINNING = -2
/** ListOffsets' timestamp for the latest offset (the high watermark when reading uncommitted records). */
const LATEST = -1
const BATCH = 1000
/** How often the background loop looks for records of other writers while idle. */
const IDLE_POLL_MS = 200
/** How long one poll may wait while catching up (it holds a libuv thread meanwhile). */
const CATCH_UP_POLL_MS = 100
const ADMIN_TIMEOUT_MS = 30_000
const DEFAULT_READ_TIMEOUT_MS = 60_000
/** Apache's internal-topic producer: delivery.timeout.ms Integer.MAX_VALUE (retry until stopped). */
const DELIVERY_TIMEOUT_MS = 2147483647

export class KafkaBasedLog {
  readonly #o: KafkaBasedLogOptions
  readonly #log: Logger
  readonly #readTimeoutMs: number
  #onRecord: (record: LogRecord) => void = () => {}
  #producer: RdKafkaProducer | null = null
  #consumer: RdConsumer | null = null
  #closeProblems: (() => void) | null = null
  #partitions = 0
  /** Next offset to read per partition (past the last record read, or the end a partition-EOF event reported). */
  #position: number[] = []
  #waiters: Array<{ ends: number[], resolve: () => void }> = []
  #loop: Promise<void> | null = null
  #wake: (() => void) | null = null
  #stopping = false
  /** Sends not reported yet: a stop fails them, since their reports will never come once the producer is closed. */
  readonly #unreported = new Set<(err: Error) => void>()

  constructor (options: KafkaBasedLogOptions) {
    this.#o = options
    this.#log = options.logger
    this.#readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS
  }

  get topic (): string { return this.#o.topic }
  get partitions (): number { return this.#partitions }

  /** Creates or checks the topic, opens the clients and reads the topic to its end, handing every record to `onRecord`. */
  async start (onRecord: (record: LogRecord) => void): Promise<void> {
    this.#onRecord = onRecord
    try {
      if (this.#o.createTopic ?? true) await this.#ensureTopic()
      this.#producer = await RdKafkaProducer.create({ global: this.#producerConfig(), topic: { partitioner: 'murmur2_random' }, logger: this.#log })
      // The embedded broker creates a topic when a producer asks for its metadata (a consumer's request does not).
      if (!(this.#o.createTopic ?? true)) await this.#producer.touchTopic(this.#o.topic)
      await this.#openConsumer()
      this.#loop = this.#run()
      await this.readToEnd(this.#readTimeoutMs)
    } catch (err) {
      await this.#close(5000)
      throw err
    }
  }

  async #ensureTopic (): Promise<void> {
    const { topic, partitions, replicationFactor, setting, purpose } = this.#o
    const admin = loadRdKafka().AdminClient.create({ ...this.#adminConfig(), 'client.id': `${this.#o.clientId}-admin` } as never)
    let created: boolean
    try {
      created = await new Promise<boolean>((resolve, reject) => {
        admin.createTopic({ topic, num_partitions: partitions, replication_factor: replicationFactor, config: { ...this.#o.topicConfig, 'cleanup.policy': 'compact' } as never }, ADMIN_TIMEOUT_MS, err => {
          if (!err) resolve(true)
          else if (err.code === TOPIC_ALREADY_EXISTS) resolve(false)
          else reject(err)
        })
      })
    } catch (err) {
      const shown = (n: number, what: string): string => n === -1 ? `the broker's default ${what}` : `${what} ${n}`
      throw new KafkaError(`Cannot create topic '${topic}' (${setting}) for ${purpose} with cleanup.policy=compact, ${shown(partitions, 'partitions')}, ` +
        `${shown(replicationFactor, 'replication factor')}: ${(err as Error).message}. Set the worker's ${setting.replace(/topic$/, 'replication.factor')} and ` +
        `${setting.replace(/topic$/, 'partitions')} for this cluster (-1: the broker's defaults), or create the topic yourself`, { cause: err })
    } finally {
      admin.disconnect()
    }
    if (created) {
      this.#log.info(`Created topic '${topic}' (cleanup.policy=compact) for ${purpose}`)
      return
    }
    // As Apache's TopicAdmin.verifyTopicCleanupPolicyOnlyCompact: exactly "compact", or refuse.
    const answer = await topicCleanupPolicy(topic, this.#adminConfig())
    if (answer.kind === 'unknown') {
      this.#log.info(`Unable to verify the cleanup policy of '${topic}' topic is 'compact' (${answer.reason})`)
      return
    }
    const policies = answer.kind === 'policies' ? answer.policies : []
    if (policies.length !== 1 || policies[0] !== 'compact') {
      throw new ConfigError(`Topic '${topic}' supplied via the '${setting}' property is required to have 'cleanup.policy=compact' ` +
        `to guarantee consistency and durability of ${purpose}, but found the topic currently has 'cleanup.policy=${policies.join(',')}'. ` +
        `Continuing would likely result in eventually losing ${purpose} and problems restarting this Connect cluster in the future. ` +
        `Change the '${setting}' property in the Connect worker configurations to use a topic with 'cleanup.policy=compact'.`)
    }
  }

  #adminConfig (): ClientProps {
    const props: ClientProps = { ...(this.#o.admin ?? this.#o.producer) }
    for (const k of ['client.id', 'enable.idempotence', 'acks', 'request.required.acks', 'transactional.id']) delete props[k]
    return props
  }

  #producerConfig (): ClientProps {
    const props: ClientProps = { ...this.#o.producer }
    for (const k of ['acks', 'request.required.acks', 'transactional.id', 'partitioner', 'delivery.timeout.ms']) delete props[k]
    return { 'message.timeout.ms': DELIVERY_TIMEOUT_MS, ...props, 'client.id': `${this.#o.clientId}-producer`, acks: 'all', 'enable.idempotence': true }
  }

  async #openConsumer (): Promise<void> {
    const props: ClientProps = { ...this.#o.consumer }
    for (const k of ['group.protocol', 'group.instance.id', 'max.poll.records', 'statistics.interval.ms']) delete props[k]
    const global: ClientProps = {
      // Java's default (librdkafka's is read_committed): the end offsets read-to-end waits for are high watermarks.
      'isolation.level': 'read_uncommitted',
      // A broker answers one request of a connection at a time: the end-offsets query of readToEnd() waits behind the
      // fetch in progress, which an idle topic holds for fetch.wait.max.ms (librdkafka's default 500 ms).
      'fetch.wait.max.ms': 100,
      ...props,
      // librdkafka wants one; the consumer only assigns partitions, so it never joins or commits to this group.
      'group.id': `${this.#o.clientId}-reader`,
      'client.id': `${this.#o.clientId}-consumer`,
      'enable.auto.commit': false,
      'enable.partition.eof': true
    }
    const consumer = new (loadRdKafka().KafkaConsumer)(global as never, { 'auto.offset.reset': 'earliest' } as never)
    const problems = problemLog(consumer, 'consumer', global, this.#log)
    try {
      await connectClient(consumer as unknown as RdProducer, String(global['bootstrap.servers'] ?? ''), 30000)
    } catch (err) {
      problems.close()
      throw err
    }
    this.#consumer = consumer
    this.#closeProblems = () => { problems.close() }
    consumer.on('partition.eof', (e: { partition: number, offset: number }) => { this.#advance(e.partition, e.offset) })
    this.#partitions = await this.#partitionCount(consumer)
    this.#position = new Array<number>(this.#partitions).fill(0)
    consumer.assign(Array.from({ length: this.#partitions }, (_, partition) => ({ topic: this.#o.topic, partition, offset: OFFSET_BEGINNING })))
  }

  /** The topic's partition count, waiting (bounded) for a topic just created or being auto-created to show them. */
  async #partitionCount (consumer: RdConsumer): Promise<number> {
    const deadline = Date.now() + this.#readTimeoutMs
    let last = 'it has no partitions yet'
    for (;;) {
      const count = await new Promise<number>(resolve => {
        consumer.getMetadata({ topic: this.#o.topic, allTopics: false, timeout: 10000 }, (err, md) => {
          if (err) { last = err.message; resolve(0); return }
          resolve(md.topics.find(t => t.name === this.#o.topic)?.partitions.length ?? 0)
        })
      })
      if (count > 0) return count
      if (Date.now() > deadline) throw new KafkaError(`Cannot find the partitions of topic '${this.#o.topic}': ${last}`)
      await new Promise(resolve => setTimeout(resolve, 200))
    }
  }

  /**
   * Resolves once every record the topic held when it was called has been handed over (the partitions' end offsets
   * are read first, as Apache's KafkaBasedLog.readToEnd). Throws KafkaError after `timeoutMs`.
   */
  async readToEnd (timeoutMs = this.#readTimeoutMs): Promise<void> {
    const consumer = this.#consumer
    if (consumer === null || this.#stopping) throw new KafkaError(`Cannot read topic '${this.#o.topic}': its reader is not running`)
    const deadline = Date.now() + timeoutMs
    const ends = await this.#endOffsets(consumer, deadline)
    await new Promise<void>((resolve, reject) => {
      const waiter = { ends, resolve: () => { clearTimeout(timer); resolve() } }
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter(w => w !== waiter)
        const behind = ends.reduce((sum, end, p) => sum + Math.max(0, end - (this.#position[p] ?? 0)), 0)
        reject(new KafkaError(`Did not read topic '${this.#o.topic}' to its end within ${timeoutMs} ms (${behind} records behind)`))
      }, Math.max(0, deadline - Date.now()))
      this.#waiters.push(waiter)
      this.#checkWaiters()
      this.#wake?.()
    })
  }

  /**
   * Every partition's end offset, in one ListOffsets round (timestamp -1: the latest offset); one query per partition
   * took seconds for 25 partitions. Retried until `deadline`: a topic just created has no leaders for a moment.
   */
  async #endOffsets (consumer: RdConsumer, deadline: number): Promise<number[]> {
    const partitions = Array.from({ length: this.#partitions }, (_, partition) => ({ topic: this.#o.topic, partition, offset: LATEST }))
    for (;;) {
      const answer = await new Promise<{ ends: number[] } | { error: unknown }>(resolve => {
        consumer.offsetsForTimes(partitions, Math.max(1, deadline - Date.now()), (err, offsets) => {
          if (err) { resolve({ error: err }); return }
          const ends = new Array<number>(this.#partitions).fill(0)
          for (const o of offsets) if (o.partition < ends.length && o.offset > 0) ends[o.partition] = o.offset
          resolve({ ends })
        })
      })
      if ('ends' in answer) return answer.ends
      if (Date.now() + 100 >= deadline) throw wrap(answer.error, `Cannot read the end offsets of topic '${this.#o.topic}'`)
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }

  #advance (partition: number, next: number): void {
    if (next > (this.#position[partition] ?? 0)) this.#position[partition] = next
  }

  #checkWaiters (): void {
    if (this.#waiters.length === 0) return
    this.#waiters = this.#waiters.filter(w => {
      const done = w.ends.every((end, p) => (this.#position[p] ?? 0) >= end)
      if (done) w.resolve()
      return !done
    })
  }

  async #run (): Promise<void> {
    const consumer = this.#consumer!
    while (!this.#stopping) {
      const catchingUp = this.#waiters.length > 0
      let failed = false
      const messages = await new Promise<RdMessage[]>(resolve => {
        try {
          consumer.setDefaultConsumeTimeout(catchingUp ? CATCH_UP_POLL_MS : 0)
          // Transient errors (a leader moving, say) are logged by the problem log; librdkafka recovers by itself.
          consumer.consume(BATCH, (err, batch) => { failed = Boolean(err); resolve(err ? [] : batch) })
        } catch {
          failed = true
          resolve([])
        }
      })
      for (const m of messages) {
        this.#advance(m.partition, m.offset + 1)
        const key = m.key === undefined || m.key === null ? null : Buffer.isBuffer(m.key) ? m.key : Buffer.from(m.key)
        try {
          this.#onRecord({ key, value: m.value ?? null, partition: m.partition, offset: m.offset })
        } catch (err) {
          this.#log.error(`Failed to process a record of topic '${this.#o.topic}' (partition ${m.partition}, offset ${m.offset})`, err)
        }
      }
      this.#checkWaiters()
      // An error answers at once: wait a little even while catching up, rather than spin.
      if (messages.length < BATCH && (this.#waiters.length === 0 || failed) && !this.#stopping) {
        await new Promise<void>(resolve => {
          const timer = setTimeout(() => { this.#wake = null; resolve() }, failed ? CATCH_UP_POLL_MS : IDLE_POLL_MS)
          this.#wake = () => { clearTimeout(timer); this.#wake = null; resolve() }
        })
      }
    }
  }

  /** Resolves with where the record landed once every in-sync replica has it; rejects when it cannot be delivered. */
  async send (key: Buffer, value: Buffer | null): Promise<DeliveryReport> {
    const producer = this.#producer
    if (producer === null || this.#stopping) throw new KafkaError(`Cannot write to topic '${this.#o.topic}': its writer is not running`)
    return await new Promise<DeliveryReport>((resolve, reject) => {
      const fail = (err: Error): void => { this.#unreported.delete(fail); reject(err) }
      this.#unreported.add(fail)
      const attempt = (): void => {
        if (this.#producer === null) { fail(new KafkaError(`Cannot write to topic '${this.#o.topic}': its writer stopped`)); return }
        try {
          const queued = producer.send(this.#o.topic, null, value, key, null, null, (err, report) => {
            this.#unreported.delete(fail)
            if (err) reject(err)
            else resolve(report!)
          })
          // A full queue, or the topic's partitions not known yet: retry once deliveries made room.
          if (!queued) void producer.drained().then(attempt, fail)
        } catch (err) {
          fail(err as Error)
        }
      }
      attempt()
    })
  }

  /** Stops reading and closes the clients, within `timeoutMs` (what the producer has not delivered by then is lost). */
  async stop (timeoutMs = 5000): Promise<void> {
    await this.#close(timeoutMs)
  }

  async #close (timeoutMs: number): Promise<void> {
    this.#stopping = true
    this.#wake?.()
    for (const w of this.#waiters.splice(0)) w.resolve()
    const deadline = Date.now() + timeoutMs
    const left = (): number => Math.max(100, deadline - Date.now())
    if (this.#loop !== null) {
      let timer: NodeJS.Timeout | undefined
      await Promise.race([this.#loop, new Promise(resolve => { timer = setTimeout(resolve, left()) })]).finally(() => { clearTimeout(timer) })
      this.#loop = null
    }
    const producer = this.#producer
    const consumer = this.#consumer
    this.#producer = null
    this.#consumer = null
    this.#closeProblems?.()
    this.#closeProblems = null
    await Promise.all([producer?.disconnect(left()), consumer === null ? undefined : disconnectConsumer(consumer, left())])
    const unreported = [...this.#unreported]
    for (const fail of unreported) fail(new KafkaError(`Not acknowledged by topic '${this.#o.topic}' before its writer stopped (${unreported.length} records)`))
  }
}

async function disconnectConsumer (consumer: RdConsumer, timeoutMs: number): Promise<void> {
  const done = trackNativeWork(`Kafka consumer ${clientName(consumer)}: disconnect (internal topic reader)`)
  await new Promise<void>(resolve => {
    const timer = setTimeout(resolve, timeoutMs)
    consumer.disconnect(() => { done(); clearTimeout(timer); resolve() })
  })
}
