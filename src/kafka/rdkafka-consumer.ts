/** The node-rdkafka consumer adapter: group membership, rebalance listeners, consume, commit, pause and seek. */
import type { TopicPartition, TopicPartitionOffset } from '../api/index.ts'
import type { Logger } from '../util/logger.ts'
import { trackNativeWork } from '../util/abandoned-work.ts'
import type { ClientProblemLog } from './client-problem-log.ts'
import type { ClientProps } from './client-config.ts'
import { batchConsumeProblem, consumeBatch, loadBatchConsume } from './batch-consume.ts'
import { clientName, connectClient, loadRdKafka, problemLog, wrap, type RdConsumer, type RdMessage, type RdProducer } from './rdkafka-client.ts'

export interface ConsumerListeners {
  /** Partitions were assigned (after the consumer took them). */
  onAssign (partitions: TopicPartition[]): void
  /**
   * Partitions are about to be revoked. They are given up when this returns, or, when it returns a promise, once that
   * settles (librdkafka holds the rebalance until then, as Java's consumer waits for onPartitionsRevoked).
   */
  onRevoke (partitions: TopicPartition[]): void | Promise<void>
}

export interface ConsumerOptions {
  global: ClientProps
  topic: ClientProps
  logger: Logger
  listeners: ConsumerListeners
  connectTimeoutMs?: number
  /** librdkafka's statistics documents (JSON), every statistics.interval.ms when that is set. */
  onStatistics?: (json: string) => void
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

/** How long a consume() waits for its first message (node-rdkafka's consume timeout, set below to the same). */
const CONSUME_TIMEOUT_MS = 200

/** Said once per process: which consume path the sinks use. */
let consumePathLogged = false

export class RdKafkaConsumer {
  readonly #consumer: RdConsumer
  readonly #logger: Logger
  #closed = false
  readonly #problems: ClientProblemLog

  readonly #group: GroupState
  /** The batch consume addon (one packed buffer per batch), or null: node-rdkafka's consume. */
  readonly #batch = loadBatchConsume()

  private constructor (consumer: RdConsumer, logger: Logger, group: GroupState, problems: ClientProblemLog) {
    this.#consumer = consumer
    this.#logger = logger
    this.#group = group
    this.#problems = problems
    if (!consumePathLogged) {
      consumePathLogged = true
      const problem = batchConsumeProblem()
      if (this.#batch) logger.debug('Consumers take batches through the batch consume addon')
      else logger.debug(`Consumers use node-rdkafka's per-message consume: ${problem ?? 'unknown reason'}`)
    }
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
          const unassign = (): void => {
            try {
              if (cooperative) this.incrementalUnassign(parts)
              else this.unassign()
            } catch (e) { options.logger.error('Error while giving up revoked partitions', e) }
          }
          const pending = options.listeners.onRevoke(parts)
          if (pending instanceof Promise) void pending.then(unassign, unassign)
          else unassign()
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
    const onStatistics = options.onStatistics
    if (onStatistics) consumer.on('event.stats', (e: { message?: string }) => { if (typeof e.message === 'string') onStatistics(e.message) })
    consumer.setDefaultConsumeTimeout(CONSUME_TIMEOUT_MS)
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
      const done = (err: Error | null, messages?: RdMessage[]): void => {
        if (!err) { resolve(messages!); return }
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
      }
      if (this.#batch) consumeBatch(this.#batch, this.#consumer, max, CONSUME_TIMEOUT_MS).then(m => { done(null, m) }, done)
      else this.#consumer.consume(max, (err, messages) => { done(err as unknown as Error | null, messages) })
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
