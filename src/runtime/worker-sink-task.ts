/**
 * Runs one sink task: consume → converters → transformations → put, then preCommit (flush) and commit the flushed
 * offsets to the consumer group (at least once). Partitions are opened and closed with the group's rebalances.
 */
import {
  RetriableError, isRetriable, sinkRecord, Headers,
  type HeaderConverter, type SchemaAndValue, type SinkRecord, type SinkTaskBase, type SinkTaskContext, type TopicPartition, type TopicPartitionOffset
} from '../api/index.ts'
import type { BatchMessage } from '../kafka/batch-consume.ts'
import type { RdMessage } from '../kafka/rdkafka-client.ts'
import type { RdKafkaConsumer } from '../kafka/rdkafka-consumer.ts'
import type { ConsumedRecord } from './errors/error-reporters.ts'
import { SKIP, ToleranceExceededError, type ProcessingFailure } from './errors/retry-with-tolerance-operator.ts'
import { WorkerTask, type WorkerTaskOptions } from './worker-task.ts'

export interface WorkerSinkTaskOptions extends WorkerTaskOptions<SinkTaskBase, SinkRecord> {
  /** Creates the consumer; the listeners route rebalances into this task. */
  createConsumer: (listeners: { onAssign: (p: TopicPartition[]) => void, onRevoke: (p: TopicPartition[]) => void | Promise<void> }) => Promise<RdKafkaConsumer>
  /** Topics to subscribe to, or a pattern: matched here with Java-like regex semantics, not librdkafka's POSIX ones. */
  subscription: string[] | RegExp
  maxPollRecords: number
  /** The embedded broker silently discards old data; watch for gaps and say so. */
  embeddedBroker: boolean
}

const SINK_TASK_CLASS = 'org.apache.kafka.connect.sink.SinkTask'

/**
 * The batch consume path says which kind of timestamp a record has (a topic with message.timestamp.type=LogAppendTime
 * gives LogAppendTime, as in Apache); node-rdkafka's per-message path does not, and its records count as CreateTime.
 */
function timestampTypeOf (m: RdMessage): 'CreateTime' | 'LogAppendTime' | 'NoTimestampType' {
  return (m as Partial<BatchMessage>).timestampType ?? (m.timestamp ? 'CreateTime' : 'NoTimestampType')
}

/** The consumed record as error reports carry it: the original bytes, before any conversion. */
function consumedRecord (m: RdMessage): ConsumedRecord {
  const headers: Array<{ key: string, value: Buffer | null }> = []
  if (m.headers) for (const h of m.headers) for (const [k, v] of Object.entries(h)) headers.push({ key: k, value: v === null || v === undefined ? null : Buffer.from(v as Buffer) })
  return {
    kind: 'consumed',
    topic: m.topic,
    partition: m.partition,
    offset: m.offset,
    timestamp: m.timestamp ?? null,
    timestampType: timestampTypeOf(m),
    key: (m.key ?? null) as Buffer | null,
    value: m.value,
    headers
  }
}

/**
 * A consumed record's headers as Connect headers, through the header converter. Synchronous unless the converter
 * waits (a Schema Registry converter meeting a new schema id): only then does the rest continue in a promise.
 */
function convertHeaders (converter: HeaderConverter, topic: string, raw: NonNullable<RdMessage['headers']>): Headers | Promise<Headers> {
  const entries = raw.flatMap(h => Object.entries(h))
  let hs = Headers.EMPTY
  for (let i = 0; i < entries.length; i++) {
    const [hk, hv] = entries[i]!
    const sv = converter.toConnectHeader(topic, hk, hv === null || hv === undefined ? null : Buffer.from(hv as Buffer))
    if (sv instanceof Promise) return finishAsync(i, sv)
    hs = hs.with(hk, sv.value, sv.schema)
  }
  return hs

  async function finishAsync (from: number, first: Promise<SchemaAndValue>): Promise<Headers> {
    for (let i = from; i < entries.length; i++) {
      const [hk, hv] = entries[i]!
      const sv = i === from ? await first : await converter.toConnectHeader(topic, hk, hv === null || hv === undefined ? null : Buffer.from(hv as Buffer))
      hs = hs.with(hk, sv.value, sv.schema)
    }
    return hs
  }
}

const TOPIC_SCAN_INTERVAL_MS = 5000
const MISSING_TOPIC_SCAN_INTERVAL_MS = 1000

const tpKey = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`

export class WorkerSinkTask extends WorkerTask<WorkerSinkTaskOptions> {
  protected override readonly kind = 'Sink'
  #consumer: RdKafkaConsumer | null = null
  /** Next offset to commit per partition: last delivered offset + 1. */
  readonly #current = new Map<string, TopicPartitionOffset>()
  readonly #lastCommitted = new Map<string, number>()
  readonly #assigned = new Map<string, TopicPartition>()
  #pendingOpen: TopicPartition[] = []
  #pendingClose: TopicPartition[] = []
  #pendingSeeks = new Map<string, TopicPartitionOffset>()
  #commitRequested = false
  #nextCommit = 0
  #timeoutMs = -1
  #taskPaused = new Set<string>()
  /** Embedded broker only: the offset each partition should deliver next, to notice discarded records. */
  readonly #expected = new Map<string, number>()
  #closing = false
  /** The current batch's consumed records by coordinates, so an errant record's original bytes can be reported. */
  #batch = new Map<string, ConsumedRecord>()
  /** A record the task reported as errant while tolerance is none: the task fails once put() returns. */
  #errantFailure: ProcessingFailure | null = null

  /** SinkTaskContext.errantRecordReporter().report(): reports under the connector's tolerance, resolves when written. */
  async #reportErrant (record: SinkRecord, error: unknown): Promise<void> {
    const consumed = this.#batch.get(`${record.originalTopic}\u0000${record.originalKafkaPartition}\u0000${record.originalKafkaOffset}`) ?? record
    try {
      this.operator.fail('TASK_PUT', SINK_TASK_CLASS, consumed, error)
    } catch (err) {
      // Tolerance none: Apache fails the task once put() returns; so do we, with the first such record.
      if (err instanceof ToleranceExceededError) { this.#errantFailure ??= err.failure; return }
      throw err
    }
    while (this.deadLetters?.hasPending === true) await this.deadLetters.awaitPending()
  }

  protected override async open (): Promise<void> {
    const { task, props } = this.options
    await this.openErrorHandling()
    task.initialize(this.#context())
    await task.start(props)
    if (this.metrics) this.metrics.partitionCount = () => this.#assigned.size
    this.#consumer = await this.options.createConsumer({
      onAssign: parts => this.#onAssign(parts),
      onRevoke: parts => this.#onRevoke(parts)
    })
  }

  protected override async initializeAndStart (): Promise<void> {
    await this.#refreshSubscription()
  }

  protected override async execute (): Promise<void> {
    this.#nextCommit = Date.now() + this.options.offsetFlushIntervalMs
    await this.#loop()
  }

  #subscribed: string | null = null
  #nextTopicScan = 0

  /** A pattern subscription is resolved against the cluster's topics now and then (Java refreshes with metadata). */
  async #refreshSubscription (): Promise<void> {
    const sub = this.options.subscription
    if (Array.isArray(sub)) {
      if (this.#subscribed === null) { this.#consumer!.subscribe(sub); this.#subscribed = sub.join(',') }
      await this.#watchMissingTopics(sub).catch((err: unknown) => this.logger.warn('Topic scan failed', err))
      return
    }
    this.#nextTopicScan = Date.now() + TOPIC_SCAN_INTERVAL_MS
    const topics = (await this.#consumer!.listTopics()).filter(t => !t.startsWith('__') && sub.test(t)).sort()
    const key = topics.join(',')
    if (key !== this.#subscribed) {
      this.logger.info(`${this.tag} Subscribing to topics matching ${sub.source}: ${topics.join(', ') || '(none yet)'}`)
      this.#consumer!.subscribe(topics)
      this.#subscribed = key
    }
  }

  /**
   * Topics that did not exist when we subscribed. A sink subscribed before its topic existed was seen (in the REST
   * tests) to keep logging "Unknown topic or partition" and receive nothing after the topic was created, until
   * librdkafka's next full metadata refresh minutes later. We look for missing topics every second and subscribe anew
   * once they are all there, which makes the group pick them up at once.
   */
  #missingTopics: Set<string> | null = null
  #nextMissingScan = 0

  async #watchMissingTopics (topics: readonly string[]): Promise<void> {
    if (this.#missingTopics !== null && this.#missingTopics.size === 0) return
    if (Date.now() < this.#nextMissingScan) return
    this.#nextMissingScan = Date.now() + MISSING_TOPIC_SCAN_INTERVAL_MS
    const existing = new Set(await this.#consumer!.listTopics())
    const missing = new Set(topics.filter(t => !existing.has(t)))
    const wasMissing = this.#missingTopics
    this.#missingTopics = missing
    if (missing.size > 0) {
      if (wasMissing === null) this.logger.info(`${this.tag} Waiting for topics that do not exist yet: ${[...missing].join(', ')}`)
      return
    }
    if (wasMissing !== null && wasMissing.size > 0) {
      this.logger.info(`${this.tag} Topics ${[...wasMissing].join(', ')} now exist; subscribing again`)
      this.#consumer!.subscribe([])
      this.#consumer!.subscribe([...topics])
    }
  }

  /**
   * Read-ahead: the next consume() runs on libuv's threadpool while the current batch is converted, transformed and
   * put(), instead of after it (in the bench the JS thread sat idle 45 % of the time waiting for batches).
   *
   * What that changes is handled here:
   * - Records that arrive for a partition paused meanwhile (by the connector or the task) are held and delivered
   *   after resume, as Java's consumer keeps its fetch buffer. librdkafka's own position is already past them, so it
   *   does not fetch them again.
   * - A seek never runs while a read-ahead is in flight: it waits for it (holding its records) and then drops the
   *   held records of the partitions it moves. Otherwise a batch could mix records from before and after the seek.
   * - A revoked partition's held records are dropped; its new owner starts from the committed offset, which is never
   *   past a record that was not delivered.
   * - Held and read-ahead records are never committed: only put() records move #current.
   */
  #readAhead: Promise<RdMessage[]> | null = null
  #held: RdMessage[] = []

  #isPausedKey (key: string): boolean {
    return this.paused || this.#taskPaused.has(key)
  }

  /** Awaits the read-ahead in flight (if any) into the held records. */
  async #settleReadAhead (): Promise<void> {
    const pending = this.#readAhead
    if (pending === null) return
    this.#readAhead = null
    const messages = await pending
    if (messages.length > 0) this.#held.push(...messages)
  }

  /** Up to `max` held records that may be delivered now, in order; records of paused partitions stay held. */
  #takeHeld (max: number): RdMessage[] {
    if (this.#held.length === 0) return []
    const out: RdMessage[] = []
    const keep: RdMessage[] = []
    for (const m of this.#held) {
      if (out.length < max && !this.#isPausedKey(tpKey(m))) out.push(m)
      else keep.push(m)
    }
    this.#held = keep
    return out
  }

  /**
   * Splits a fetched batch: records of paused partitions go to the held records, and so do those of any partition
   * that still has held records (a partition resumed while this batch was being fetched): they queue up behind them,
   * in offset order. The rest is returned.
   */
  #holdPaused (messages: RdMessage[]): RdMessage[] {
    if (!this.paused && this.#taskPaused.size === 0 && this.#held.length === 0) return messages
    const heldKeys = new Set(this.#held.map(tpKey))
    const out: RdMessage[] = []
    for (const m of messages) {
      const key = tpKey(m)
      if (heldKeys.has(key) || this.#isPausedKey(key)) this.#held.push(m)
      else out.push(m)
    }
    return out
  }

  #dropHeld (keys: ReadonlySet<string>): void {
    if (this.#held.length > 0) this.#held = this.#held.filter(m => !keys.has(tpKey(m)))
  }

  async #loop (): Promise<void> {
    const consumer = this.#consumer!
    const max = this.options.maxPollRecords
    let wasPaused = false
    while (!this.stopping) {
      if (!Array.isArray(this.options.subscription) && Date.now() >= this.#nextTopicScan) {
        await this.#refreshSubscription().catch((err: unknown) => this.logger.warn('Topic scan failed', err))
      } else if (this.#missingTopics !== null && this.#missingTopics.size > 0) {
        await this.#watchMissingTopics(this.options.subscription as string[]).catch((err: unknown) => this.logger.warn('Topic scan failed', err))
      }
      await this.#applyPending()
      if (this.paused !== wasPaused) {
        // Connector pause: stop fetching but keep polling so the group membership stays alive.
        if (this.paused) { consumer.pause([...this.#assigned.values()]); this.#commitRequested = true } else consumer.resume([...this.#assigned.values()].filter(tp => !this.#taskPaused.has(tpKey(tp))))
        wasPaused = this.paused
      }
      let messages = this.#takeHeld(max)
      if (messages.length === 0) {
        const pending = this.#readAhead ?? consumer.consume(max)
        this.#readAhead = null
        messages = this.#holdPaused(await pending)
      }
      if (this.stopping) break
      // Rebalance callbacks run during consume(): open() newly assigned partitions before delivering to them.
      const sought = await this.#applyPending()
      // Records fetched before a seek that open() asked for are not delivered: the seek decides where to resume.
      if (sought !== null) messages = messages.filter(m => !sought.has(tpKey(m)))
      if (messages.length > 0) {
        // One read-ahead at a time: a batch taken from the held records can leave the previous one still in flight,
        // and replacing it would lose its records (librdkafka's position is already past them).
        if (!this.paused && this.#readAhead === null) {
          const next = consumer.consume(max)
          // Marked handled now: a rejection is rethrown when the loop awaits it, not reported as unhandled meanwhile.
          next.catch(() => {})
          this.#readAhead = next
        }
        await this.#deliver(messages)
      }
      if (this.#commitRequested || Date.now() >= this.#nextCommit) await this.#commit(false)
    }
  }

  async #deliver (messages: RdMessage[]): Promise<void> {
    const records: SinkRecord[] = []
    const op = this.operator
    const classes = this.converterClasses
    const { keyConverter, valueConverter, headerConverter, transformations } = this.options
    if (this.errantReporting) this.#batch.clear()
    // Batches come in runs of one partition: its key and assignment are looked up once per run, not per record.
    let runTopic = ''
    let runPartition = -1
    let runAssigned = false
    let tracked = ''
    let read = 0
    for (const m of messages) {
      const topic = m.topic
      if (m.partition !== runPartition || topic !== runTopic) {
        runTopic = topic
        runPartition = m.partition
        runAssigned = this.#assigned.has(tpKey(m))
      }
      if (!runAssigned) continue
      read++
      if (this.options.embeddedBroker) this.#checkGap(m)
      // What failure reports carry: the original bytes. Built per record only where someone may report it.
      const consumed: ConsumedRecord | RdMessage = this.errantReporting || op.tolerance === 'all' ? consumedRecord(m) : m
      if (this.errantReporting) this.#batch.set(`${topic}\u0000${m.partition}\u0000${m.offset}`, consumed as ConsumedRecord)
      // Apache's order: key, then value, then headers; after a failed stage the later ones do not run, so a record
      // failing two stages is reported (status trace, dead-letter context) at the same stage as in Apache. The key and
      // value converters get the record's headers, so those are converted first all the same; a failure there is
      // reported (and retried) at the header stage, after the key and value stages had their turn.
      let hs = Headers.EMPTY
      let headerFailed = false
      const rawHeaders = m.headers
      if (rawHeaders && rawHeaders.length > 0) {
        try {
          const converted = convertHeaders(headerConverter, topic, rawHeaders)
          hs = converted instanceof Promise ? await converted : converted
        } catch { headerFailed = true }
      }
      let k = op.execute('KEY_CONVERTER', classes.key, consumed, () => keyConverter.toConnectData(topic, hs, (m.key ?? null) as Buffer | null))
      if (k instanceof Promise) k = await k
      if (k === SKIP) continue
      let v = op.execute('VALUE_CONVERTER', classes.value, consumed, () => valueConverter.toConnectData(topic, hs, m.value))
      if (v instanceof Promise) v = await v
      if (v === SKIP) continue
      if (headerFailed) {
        let converted = op.execute('HEADER_CONVERTER', classes.header, consumed, () => convertHeaders(headerConverter, topic, rawHeaders!))
        if (converted instanceof Promise) converted = await converted
        if (converted === SKIP) continue
        hs = converted
      }
      const record = sinkRecord({
        topic,
        kafkaPartition: m.partition,
        kafkaOffset: m.offset,
        keySchema: k.schema,
        key: k.value,
        valueSchema: v.schema,
        value: v.value,
        timestamp: m.timestamp ?? null,
        timestampType: timestampTypeOf(m),
        headers: hs
      })
      if (topic !== tracked) { this.options.onTopic?.(topic); tracked = topic }
      let transformed = transformations.isEmpty ? record : transformations.applyGuarded(record, op, consumed)
      if (transformed instanceof Promise) transformed = await transformed
      if (transformed !== null && transformed !== SKIP) records.push(transformed)
    }
    const putStart = performance.now()
    await this.#put(records)
    this.metrics?.recordPut(read, records.length, performance.now() - putStart)
    if (this.#errantFailure) {
      const failure = this.#errantFailure
      this.#errantFailure = null
      throw new ToleranceExceededError(failure)
    }
    // Records dropped by transformations or skipped by the error policy are skipped for good, as in Apache.
    // The last record of each partition run sets its next offset (the batch is in offset order per partition).
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!
      const next = messages[i + 1]
      if (next !== undefined && next.partition === m.partition && next.topic === m.topic) continue
      const key = tpKey(m)
      if (this.#assigned.has(key)) this.#current.set(key, { topic: m.topic, partition: m.partition, offset: m.offset + 1 })
    }
  }

  async #put (records: SinkRecord[]): Promise<void> {
    for (;;) {
      try {
        await this.options.task.put(records)
        return
      } catch (err) {
        if (!(err instanceof RetriableError) && !isRetriable(err)) {
          throw new Error(`Exiting WorkerSinkTask due to unrecoverable exception: ${(err as Error).message}`, { cause: err })
        }
        const wait = this.#timeoutMs > 0 ? this.#timeoutMs : 100
        this.logger.warn(`${this.tag} RetriableException from SinkTask; redelivering the batch in ${wait} ms`, err)
        this.#timeoutMs = -1
        await new Promise(resolve => setTimeout(resolve, wait))
        if (this.stopping) throw new Error('Task stopped while retrying put()', { cause: err })
      }
    }
  }

  #checkGap (m: RdMessage): void {
    const key = tpKey(m)
    const expected = this.#expected.get(key)
    this.#expected.set(key, m.offset + 1)
    if (expected !== undefined && m.offset > expected) {
      this.logger.error(`DATA LOSS on the embedded broker: ${m.offset - expected} records of ${m.topic}-${m.partition} (offsets ${expected} to ${m.offset - 1}) ` +
        'were discarded before this sink read them. The embedded broker keeps only about 5 MB per partition; use a real Kafka broker for more data.')
    }
  }

  /** preCommit (which flushes by default), then commit what the task reports as durable. */
  async #commit (closing: boolean, only?: readonly TopicPartition[]): Promise<void> {
    // No offset is committed before the DLQ writes of the records it covers finished (checked in the same tick as the
    // offsets below are read).
    while (this.deadLetters?.hasPending === true) await this.deadLetters.awaitPending()
    this.#commitRequested = false
    this.#nextCommit = Date.now() + this.options.offsetFlushIntervalMs
    const started = performance.now()
    const scope = only ? new Set(only.map(tpKey)) : null
    const current = [...this.#current.entries()].filter(([k]) => this.#assigned.has(k) && (!scope || scope.has(k))).map(([, v]) => v)
    let toCommit: readonly TopicPartitionOffset[]
    try {
      toCommit = this.options.task.preCommit ? await this.options.task.preCommit(current) : (await this.options.task.flush?.(current), current)
    } catch (err) {
      this.metrics?.recordCommit(false, performance.now() - started)
      if (closing) { this.logger.warn(`${this.tag} Offset commit failed during close`, err); return }
      this.logger.error(`${this.tag} Offset commit failed, rewinding to last committed offsets`, err)
      for (const [k, off] of this.#lastCommitted) {
        const tp = this.#assigned.get(k)
        if (tp) this.#pendingSeeks.set(k, { ...tp, offset: off })
      }
      return
    }
    // Offsets equal to the last ones sent are sent again, at close too: an asynchronous commit may have failed unseen
    // (a rebalance, the coordinator away), and Java commits until one succeeds. Skipping them left a lost commit
    // unrepeated until new records came (never, for a sink that had caught up), and the next restart re-delivered
    // everything written since.
    const changed = toCommit.filter(o => {
      const k = tpKey(o)
      const consumed = this.#current.get(k)?.offset
      return this.#assigned.has(k) && consumed !== undefined && o.offset <= consumed
    })
    if (changed.length === 0) { this.metrics?.recordCommitSkip(); return }
    // Asynchronous even when closing: the consumer's close (on a threadpool thread, bounded by the stop's deadline)
    // finishes only after its outstanding commits, where a synchronous commit would wait for the coordinator on the
    // only JavaScript thread, however long the broker is away.
    this.#consumer!.commitAsync(changed)
    for (const o of changed) this.#lastCommitted.set(tpKey(o), o.offset)
    this.metrics?.recordCommit(true, performance.now() - started)
  }

  #onAssign (parts: TopicPartition[]): void {
    for (const p of parts) this.#assigned.set(tpKey(p), p)
    this.#pendingOpen.push(...parts)
  }

  /** Revocations waiting for the loop: their partitions are given up once it committed what the task wrote to them. */
  #pendingRevoke: Array<{ parts: TopicPartition[], done: () => void }> = []

  /**
   * Runs in the rebalance callback. As Apache's onPartitionsRevoked, the task's records of these partitions are
   * flushed (preCommit) and their offsets committed before the partitions go, so their next owner starts after them;
   * that happens in the loop, between batches (never during a put), and the consumer gives the partitions up when the
   * returned promise settles. The commit is asynchronous (no JavaScript thread waits for the coordinator). While
   * closing, close() commits everything.
   */
  #onRevoke (parts: TopicPartition[]): void | Promise<void> {
    if (this.#closing) { this.#release(parts); return }
    return new Promise(resolve => { this.#pendingRevoke.push({ parts, done: resolve }) })
  }

  #release (parts: TopicPartition[]): void {
    for (const p of parts) {
      const k = tpKey(p)
      this.#assigned.delete(k)
      this.#current.delete(k)
      this.#lastCommitted.delete(k)
      this.#taskPaused.delete(k)
      this.#expected.delete(k)
    }
    this.#dropHeld(new Set(parts.map(tpKey)))
    this.#pendingClose.push(...parts)
  }

  async #applyRevocations (): Promise<void> {
    const revokes = this.#pendingRevoke.splice(0)
    if (revokes.length === 0) return
    const parts = revokes.flatMap(r => r.parts)
    // The periodic commit of the other partitions keeps its schedule.
    const nextCommit = this.#nextCommit
    try {
      await this.#commit(true, parts)
    } finally {
      this.#nextCommit = nextCommit
      this.#release(parts)
      for (const r of revokes) r.done()
    }
  }

  /** Runs close(), open() and seeks that became due; returns the keys of the partitions it moved. */
  async #applyPending (): Promise<ReadonlySet<string> | null> {
    await this.#applyRevocations()
    if (this.#pendingClose.length > 0) {
      const parts = this.#pendingClose
      this.#pendingClose = []
      await this.options.task.close?.(parts)
    }
    if (this.#pendingOpen.length > 0) {
      const parts = this.#pendingOpen
      this.#pendingOpen = []
      await this.options.task.open?.(parts)
      if (this.paused) this.#consumer!.pause(parts)
    }
    if (this.#pendingSeeks.size > 0) {
      await this.#settleReadAhead()
      const seeks = [...this.#pendingSeeks.values()]
      const sought = new Set(this.#pendingSeeks.keys())
      this.#dropHeld(sought)
      this.#pendingSeeks.clear()
      for (const s of seeks) {
        if (!this.#assigned.has(tpKey(s))) continue
        await this.#consumer!.seek(s, s.offset)
        this.#current.set(tpKey(s), s)
        this.#expected.delete(tpKey(s))
      }
      return sought
    }
    return null
  }

  protected override async close (): Promise<void> {
    this.#closing = true
    // A read-ahead still in flight ends within the consume timeout; its records are neither delivered nor committed.
    await this.#readAhead?.catch(() => [])
    this.#readAhead = null
    this.#held = []
    const parts = [...this.#assigned.values()]
    try {
      if (this.#consumer && parts.length > 0 && this.state !== 'FAILED') await this.#commit(true)
      if (parts.length > 0) await this.options.task.close?.(parts)
    } catch (err) {
      this.logger.warn(`${this.tag} Error while closing partitions`, err)
    }
    // Revocations the loop did not reach: close() committed their partitions with the others.
    for (const r of this.#pendingRevoke.splice(0)) r.done()
    await this.stopTask()
    await this.releaseResources(5000)
    await this.#consumer?.disconnect()
    this.markStopped()
  }

  override cancel (): void {
    super.cancel()
    void this.#consumer?.disconnect(1000)
  }

  #context (): SinkTaskContext {
    return {
      configs: () => this.options.props,
      offset: (tp, offset) => { this.#pendingSeeks.set(tpKey(tp), { topic: tp.topic, partition: tp.partition, offset }) },
      timeout: ms => { this.#timeoutMs = ms },
      assignment: () => [...this.#assigned.values()],
      pause: (...tps) => { for (const tp of tps) this.#taskPaused.add(tpKey(tp)); this.#consumer?.pause(tps) },
      resume: (...tps) => {
        for (const tp of tps) this.#taskPaused.delete(tpKey(tp))
        if (!this.paused) this.#consumer?.resume(tps)
      },
      requestCommit: () => { this.#commitRequested = true },
      errantRecordReporter: () => this.errantReporting ? { report: async (record, error) => { await this.#reportErrant(record, error) } } : null,
      ...(this.options.pluginMetrics ? { pluginMetrics: this.options.pluginMetrics } : {})
    }
  }
}
