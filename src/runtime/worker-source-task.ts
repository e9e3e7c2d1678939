/**
 * Runs one source task: poll → transformations → converters → produce (acks=all, idempotent), with in-order offset
 * tracking, periodic offset flushes and a final flush on stop.
 *
 * Memory stays bounded: when librdkafka's queue is full (a slow or unreachable broker), send() refuses the record and
 * the loop waits for deliveries before polling again, so backpressure reaches poll().
 */
import { isRetriable } from '../api/index.ts'
import type { HeaderConverter, Headers, OffsetMap, OffsetStorageReader, SourceRecord, SourceTaskBase, SourceTaskContext } from '../api/index.ts'
import { assertSendableHeader, RecordRefusedError, type ProduceHeader, type RdKafkaProducer } from '../kafka/rdkafka-producer.ts'
import { recordCoordinates } from './errors/error-reporters.ts'
import { SKIP } from './errors/retry-with-tolerance-operator.ts'
import { SubmittedRecords, type SubmittedRecord } from './submitted-records.ts'
import { WorkerTask, withTimeout, type WorkerTaskOptions } from './worker-task.ts'

/** The part of the offsets file store a source task uses. */
export interface SourceOffsetStore {
  get (connector: string, partition: Record<string, unknown>): Record<string, unknown> | null
  set (connector: string, entries: Array<{ partition: Record<string, unknown>, offset: Record<string, unknown> | null }>): Promise<void>
}

export interface WorkerSourceTaskOptions extends WorkerTaskOptions<SourceTaskBase, SourceRecord> {
  createProducer: () => Promise<RdKafkaProducer>
  offsetStore: SourceOffsetStore
  offsetFlushTimeoutMs: number
  /** On the embedded broker, records without a partition go to partition 0 (it auto-creates 4 partitions). */
  defaultPartition: number | null
}

const REFUSAL_WARN_INTERVAL_MS = 10000
/**
 * Acknowledged offsets are written this soon after the previous write (or offset.flush.interval.ms, if shorter)
 * instead of waiting for the interval: a restart after a crash re-sends only what Kafka had not acknowledged yet or
 * what the last ~50 ms acknowledged, not up to a whole interval of records. The gap bounds the writes of a busy
 * source to about 20 a second per task (each rewrites the small offsets file and fsyncs it).
 */
export const PROMPT_OFFSET_WRITE_GAP_MS = 50

export class WorkerSourceTask extends WorkerTask<WorkerSourceTaskOptions> {
  protected override readonly kind = 'Source'
  readonly #submitted = new SubmittedRecords()
  #failure: Error | null = null
  #flushTimer: NodeJS.Timeout | null = null
  #flushing: Promise<void> | null = null
  /** The offsets write in progress (interval or prompt): writes never overlap, so offsets never go backwards. */
  #writing: Promise<void> | null = null
  #promptTimer: NodeJS.Timeout | null = null
  #lastWriteStart = 0
  /** Set once the final flush ran (or the task was abandoned): no prompt write may start after it. */
  #closed = false
  readonly #topics = new Set<string>()
  #producer: RdKafkaProducer | null = null
  #nextRefusalWarning = 0
  #refusalsUnwarned = 0

  protected override async open (): Promise<void> {
    const { task, props } = this.options
    const pluginMetrics = this.options.pluginMetrics
    const context: SourceTaskContext = { configs: () => props, offsetStorageReader: () => this.#reader(), ...(pluginMetrics ? { pluginMetrics } : {}) }
    task.initialize(context)
    if (this.metrics) this.metrics.activeCount = () => this.#submitted.outstanding
    this.#producer = await this.options.createProducer()
  }

  protected override async initializeAndStart (): Promise<void> {
    await this.openErrorHandling()
    await this.options.task.start(this.options.props)
  }

  protected override async execute (): Promise<void> {
    this.#flushTimer = setInterval(() => { void this.commitOffsets() }, Math.max(1, this.options.offsetFlushIntervalMs))
    await this.#pollLoop()
  }

  /** A record the producer failed while tolerance is none fails the task, also when it came in while closing. */
  protected override failureAfterClose (): Error | null { return this.#failure }

  async #pollLoop (): Promise<void> {
    const signal = this.abort.signal
    while (!this.stopping && this.#failure === null) {
      if (this.paused) { await this.awaitResumeOrStop(); continue }
      const fatal = this.#producer!.fatalError
      if (fatal) throw fatal
      let records: readonly SourceRecord[] | null
      const pollStart = performance.now()
      try {
        records = await this.options.task.poll(signal)
      } catch (err) {
        // Kafka's rule: a RetriableException from poll() means "nothing now, poll again"; anything else fails the task.
        if (!isRetriable(err)) throw err
        this.logger.warn(`${this.tag} Retriable exception from poll(); polling again`, err)
        await new Promise<void>(resolve => {
          const timer = setTimeout(resolve, 100)
          signal.addEventListener('abort', () => { clearTimeout(timer); resolve() }, { once: true })
        })
        continue
      }
      if (records === null || records.length === 0) {
        // Tasks should wait in poll() when idle; yield anyway so a task that does not cannot starve the event loop.
        await new Promise(resolve => setImmediate(resolve))
        continue
      }
      this.metrics?.recordPoll(records.length, performance.now() - pollStart)
      await this.#sendRecords(records)
    }
  }

  async #sendRecords (records: readonly SourceRecord[]): Promise<void> {
    const producer = this.#producer!
    const { keyConverter, valueConverter, headerConverter, transformations, defaultPartition } = this.options
    const classes = this.converterClasses
    const op = this.operator
    for (const original of records) {
      let transformed = transformations.isEmpty ? original : transformations.applyGuarded(original, op, original)
      if (transformed instanceof Promise) transformed = await transformed
      const submitted = this.#submitted.submit(original.sourcePartition, original.sourceOffset)
      if (transformed === null || transformed === SKIP) {
        // Dropped by a transformation, or a tolerated failure: it counts as handled for offset purposes.
        this.#submitted.ack(submitted)
        this.options.task.commitRecord?.(original, null)
        continue
      }
      const record = transformed
      const topic = record.topic
      // Apache's order: headers, then key, then value. After a failed stage the later ones do not run, so a record
      // failing two stages is reported (status trace, dead-letter context) at the same stage as in Apache.
      let headers: ProduceHeader[] | null | typeof SKIP = null
      if (record.headers.size > 0) {
        const converted = op.execute('HEADER_CONVERTER', classes.header, record, () => produceHeaders(headerConverter, topic, record.headers))
        headers = converted instanceof Promise ? await converted : converted
      }
      let key = headers === SKIP ? SKIP : op.execute('KEY_CONVERTER', classes.key, record, () => keyConverter.fromConnectData(topic, record.headers, record.keySchema, record.key))
      if (key instanceof Promise) key = await key
      let value = key === SKIP ? SKIP : op.execute('VALUE_CONVERTER', classes.value, record, () => valueConverter.fromConnectData(topic, record.headers, record.valueSchema, record.value))
      if (value instanceof Promise) value = await value
      if (key === SKIP || value === SKIP || headers === SKIP) {
        this.#submitted.ack(submitted)
        this.options.task.commitRecord?.(original, null)
        continue
      }
      const partition = record.kafkaPartition ?? defaultPartition
      const cb = this.#deliveryCallback(original, submitted)
      while (!producer.send(topic, partition, value, key, record.timestamp, headers, cb)) {
        // Stopping with a full queue: the unsent records stay unacknowledged, so their offsets (and every later
        // one) are not committed and they are read again after a restart.
        if (this.#failure || this.stopping) return
        await producer.drained()
      }
      // A record produce() refused under errors.tolerance=none failed the task in send(): send nothing after it.
      if (this.#failure) return
      if (!this.#topics.has(topic)) {
        this.#topics.add(topic)
        this.options.onTopic?.(topic)
      }
    }
  }

  #deliveryCallback (record: SourceRecord, submitted: SubmittedRecord) {
    return (err: Error | null, report: { topic: string, partition: number, offset: number, timestamp: number | null } | null): void => {
      if (err) {
        // A record the producer refused itself: name it in the source's terms, which the producer does not know.
        if (err instanceof RecordRefusedError) err = new RecordRefusedError(`${err.message}; record ${recordCoordinates(record)}`, err.rdkafkaCode, { cause: err.cause })
        if (this.operator.tolerance === 'all') {
          if (err instanceof RecordRefusedError) this.#warnSkipped(err)
          // KIP-779: a tolerated produce failure is reported, and the record counts as handled.
          try { this.operator.fail('KAFKA_PRODUCE', 'org.apache.kafka.clients.producer.KafkaProducer', record, err) } catch { /* tolerance all never throws */ }
          this.#submitted.ack(submitted)
          this.#schedulePromptWrite()
          try { this.options.task.commitRecord?.(record, null) } catch (e) { this.logger.warn(`${this.tag} commitRecord threw`, e) }
          return
        }
        // Refused before it was queued, it will never be acknowledged: the stop need not wait for it.
        if (err instanceof RecordRefusedError) this.#submitted.withdraw(submitted)
        if (this.#failure === null) {
          this.#failure = err
          this.logger.error(`${this.tag} failed to send record to ${record.topic}`, err)
          this.abort.abort()
        }
        return
      }
      this.#submitted.ack(submitted)
      // A plain field: the next batch (or a reader) folds the acknowledged records into source-record-write.
      if (this.metrics) this.metrics.pendingWrites++
      this.#schedulePromptWrite()
      try {
        this.options.task.commitRecord?.(record, report)
      } catch (e) {
        this.logger.warn(`${this.tag} commitRecord threw`, e)
      }
    }
  }

  /**
   * A tolerated refusal is a setting to change (a record too large), not noise: say so even when errors.log.enable is
   * off, as Apache does not, but at most once per REFUSAL_WARN_INTERVAL_MS, so a source of such records does not flood
   * the log. With errors.log.enable the log reporter already wrote it.
   */
  #warnSkipped (err: RecordRefusedError): void {
    if (this.options.errorHandling?.logEnable === true) return
    const now = Date.now()
    if (now < this.#nextRefusalWarning) { this.#refusalsUnwarned++; return }
    const more = this.#refusalsUnwarned > 0 ? ` (${this.#refusalsUnwarned} more records were refused and skipped since the last warning)` : ''
    this.logger.warn(`${this.tag} Skipped a record the producer refused, as errors.tolerance=all asks${more}: ${err.message}`)
    this.#nextRefusalWarning = now + REFUSAL_WARN_INTERVAL_MS
    this.#refusalsUnwarned = 0
  }

  /**
   * Called on every acknowledgement: writes the acknowledged offsets soon (PROMPT_OFFSET_WRITE_GAP_MS after the
   * previous write started) rather than at the next offset.flush.interval.ms. Only the offsets: task.commit() keeps
   * its interval, as in Apache, since a task may do real work there (acknowledge a queue, delete files).
   */
  #schedulePromptWrite (): void {
    if (this.#promptTimer !== null || this.#closed) return
    const gap = Math.min(PROMPT_OFFSET_WRITE_GAP_MS, this.options.offsetFlushIntervalMs)
    const wait = Math.max(0, this.#lastWriteStart + gap - Date.now())
    this.#promptTimer = setTimeout(() => {
      this.#promptTimer = null
      if (this.#closed) return
      this.#writeOffsets().catch((err: unknown) => {
        this.logger.error(`${this.tag} Failed to commit offsets`, err)
      })
    }, wait)
  }

  /**
   * Writes the offsets of the acknowledged prefix of every source partition to the offsets file; false when the write
   * did not finish within offset.flush.timeout.ms (the store keeps them and writes them next time). Serialised: a call
   * during a write waits for it, then writes what was acknowledged meanwhile.
   */
  async #writeOffsets (): Promise<boolean> {
    while (this.#writing !== null) await this.#writing.catch(() => {})
    let ok = true
    this.#writing = (async () => {
      this.#lastWriteStart = Date.now()
      // A record skipped into the DLQ counts as handled only once its DLQ write finished: the snapshot below is taken
      // in the same tick as the last check, so no skipped record's write is still under way.
      while (this.deadLetters?.hasPending === true) await this.deadLetters.awaitPending()
      const { offsets, committed } = this.#submitted.committableOffsets()
      if (offsets.length === 0) return
      const entries = offsets.map(o => ({ partition: o.partition as Record<string, unknown>, offset: o.offset as Record<string, unknown> | null }))
      const started = performance.now()
      ok = false
      try {
        ok = await withTimeout(this.options.offsetStore.set(this.id.connector, entries), this.options.offsetFlushTimeoutMs)
      } finally {
        // A write that threw is a failed commit too (offset-commit-failure-percentage).
        this.metrics?.recordCommit(ok, performance.now() - started)
      }
      if (!ok) {
        this.logger.error(`${this.tag} Failed to flush offsets to storage within ${this.options.offsetFlushTimeoutMs} ms; they will be retried`)
        return
      }
      this.logger.debug(`${this.tag} Committed offsets for ${committed} acknowledged messages`)
    })().finally(() => { this.#writing = null })
    await this.#writing
    return ok
  }

  /** Flushes committable offsets to the offsets file, then calls task.commit(). Never runs twice at once. */
  async commitOffsets (): Promise<void> {
    if (this.#flushing) return await this.#flushing
    this.#flushing = (async () => {
      if (!await this.#writeOffsets()) return
      try {
        await this.options.task.commit?.()
      } catch (err) {
        this.logger.warn(`${this.tag} Exception thrown while calling task.commit()`, err)
      }
    })().catch((err: unknown) => {
      this.logger.error(`${this.tag} Failed to commit offsets`, err)
    }).finally(() => { this.#flushing = null })
    return await this.#flushing
  }

  #stopPromptWrites (): void {
    this.#closed = true
    if (this.#promptTimer !== null) clearTimeout(this.#promptTimer)
    this.#promptTimer = null
  }

  protected override async close (): Promise<void> {
    if (this.#flushTimer) clearInterval(this.#flushTimer)
    await this.stopTask()
    // Wait (bounded) for what was sent to be acknowledged, so its offsets can be flushed now.
    if (this.#submitted.outstanding > 0) {
      const acked = await this.#submitted.awaitAllAcked(this.options.offsetFlushTimeoutMs)
      if (!acked) this.logger.warn(`${this.tag} ${this.#submitted.outstanding} records were not acknowledged within offset.flush.timeout.ms; their offsets are not committed`)
    }
    // The final flush writes everything acknowledged; a prompt write waiting for its turn would only repeat it.
    this.#stopPromptWrites()
    await this.commitOffsets()
    await this.releaseResources(this.options.offsetFlushTimeoutMs)
    await this.#producer?.disconnect(this.options.offsetFlushTimeoutMs)
    if (this.#failure === null) this.markStopped()
  }

  override cancel (): void {
    if (this.#flushTimer) clearInterval(this.#flushTimer)
    this.#stopPromptWrites()
    super.cancel()
    void this.#producer?.disconnect(1000)
  }

  topics (): string[] { return [...this.#topics] }

  #reader (): OffsetStorageReader {
    const store = this.options.offsetStore
    const connector = this.id.connector
    return {
      offset: (partition: OffsetMap) => store.get(connector, partition as Record<string, unknown>) as OffsetMap | null,
      offsets: (partitions: readonly OffsetMap[]) => new Map(partitions.map(p => [p, store.get(connector, p as Record<string, unknown>) as OffsetMap | null]))
    }
  }
}

/**
 * A record's headers as the producer takes them, through the header converter. Synchronous unless the converter
 * waits (a Schema Registry converter meeting a new schema): only then does the rest continue in a promise.
 */
function produceHeaders (converter: HeaderConverter, topic: string, headers: Headers): ProduceHeader[] | Promise<ProduceHeader[]> {
  const out: ProduceHeader[] = []
  const list = [...headers]
  for (let i = 0; i < list.length; i++) {
    const h = list[i]!
    const value = converter.fromConnectHeader(topic, h.key, h.schema, h.value)
    if (value instanceof Promise) return finishAsync(i, value)
    assertSendableHeader(h.key, value)
    out.push({ key: h.key, value })
  }
  return out

  async function finishAsync (from: number, first: Promise<Buffer | null>): Promise<ProduceHeader[]> {
    for (let i = from; i < list.length; i++) {
      const h = list[i]!
      const value = i === from ? await first : await converter.fromConnectHeader(topic, h.key, h.schema, h.value)
      assertSendableHeader(h.key, value)
      out.push({ key: h.key, value })
    }
    return out
  }
}
