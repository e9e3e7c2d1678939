/**
 * Runs one source task: poll → transformations → converters → produce (acks=all, idempotent), with in-order offset
 * tracking, periodic offset flushes and a final flush on stop.
 *
 * Memory stays bounded: when librdkafka's queue is full (a slow or unreachable broker), send() refuses the record and
 * the loop waits for deliveries before polling again, so backpressure reaches poll().
 */
import { isRetriable } from '../api/index.ts'
import type {
  Converter, HeaderConverter, OffsetMap, OffsetStorageReader, SourceRecord, SourceTaskBase, SourceTaskContext
} from '../api/index.ts'
import { assertSendableHeader, RecordRefusedError, type ProduceHeader, type RdKafkaProducer } from '../kafka/rdkafka-client.ts'
import type { Logger } from '../util/logger.ts'
import { openTaskErrorHandling, serializeWithConverters, type ErrorHandlingSettings } from './errors/error-handling-config.ts'
import { recordCoordinates, type DeadLetterQueueReporter, type DeadLetterSender } from './errors/error-reporters.ts'
import { RetryWithToleranceOperator, SKIP } from './errors/retry-with-tolerance-operator.ts'
import { SubmittedRecords, type SubmittedRecord } from './submitted-records.ts'
import type { TransformationChain } from './transformation-chain.ts'
import { WorkerTask, taskIdString, withTimeout, type TaskId, type TaskStatusListener } from './worker-task.ts'

/** The part of the offsets file store a source task uses. */
export interface SourceOffsetStore {
  get (connector: string, partition: Record<string, unknown>): Record<string, unknown> | null
  set (connector: string, entries: Array<{ partition: Record<string, unknown>, offset: Record<string, unknown> | null }>): Promise<void>
}

export interface WorkerSourceTaskOptions {
  id: TaskId
  task: SourceTaskBase
  props: Record<string, string>
  createProducer: () => Promise<RdKafkaProducer>
  keyConverter: Converter
  valueConverter: Converter
  headerConverter: HeaderConverter
  transformations: TransformationChain<SourceRecord>
  offsetStore: SourceOffsetStore
  offsetFlushIntervalMs: number
  offsetFlushTimeoutMs: number
  /** On the embedded broker, records without a partition go to partition 0 (it auto-creates 4 partitions). */
  defaultPartition: number | null
  logger: Logger
  listener: TaskStatusListener
  /** Called with the topics this task produced to (topic tracking). */
  onTopic?: (topic: string) => void
  /** errors.* settings; absent, the first failing record fails the task and is reported nowhere. */
  errorHandling?: ErrorHandlingSettings
  /** The converters' class names, as error reports name them. */
  converterClasses?: { key: string, value: string, header: string }
  /** Opens the dead-letter queue (errors.deadletterqueue.source.enable): creates the topic, returns its sender. */
  createDeadLetterSender?: (topic: string, replicationFactor: number) => Promise<DeadLetterSender>
}

const UNKNOWN_CLASSES = { key: 'Converter', value: 'Converter', header: 'HeaderConverter' }
const REFUSAL_WARN_INTERVAL_MS = 10000
/**
 * Acknowledged offsets are written this soon after the previous write (or offset.flush.interval.ms, if shorter)
 * instead of waiting for the interval: a restart after a crash re-sends only what Kafka had not acknowledged yet or
 * what the last ~50 ms acknowledged, not up to a whole interval of records. The gap bounds the writes of a busy
 * source to about 20 a second per task (each rewrites the small offsets file and fsyncs it).
 */
export const PROMPT_OFFSET_WRITE_GAP_MS = 50

export class WorkerSourceTask extends WorkerTask {
  readonly #o: WorkerSourceTaskOptions
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
  #operator: RetryWithToleranceOperator
  #deadLetters: DeadLetterQueueReporter | null = null
  #deadLetterSender: DeadLetterSender | null = null
  #nextRefusalWarning = 0
  #refusalsUnwarned = 0

  constructor (options: WorkerSourceTaskOptions) {
    super(options.id, options.logger, options.listener)
    this.#o = options
    this.#operator = RetryWithToleranceOperator.failFast(options.logger, recordCoordinates)
  }

  /** The error operator of this task's settings, with its reporters (the DLQ opens here). */
  async #openErrorHandling (): Promise<void> {
    const settings = this.#o.errorHandling
    if (!settings) return
    const h = await openTaskErrorHandling({
      settings, connector: this.id.connector, task: this.id.task, logger: this.logger, signal: this.abort.signal,
      createDeadLetterSender: this.#o.createDeadLetterSender, serialize: serializeWithConverters(this.#o.keyConverter, this.#o.valueConverter)
    })
    this.#operator = h.operator
    this.#deadLetters = h.deadLetters
    this.#deadLetterSender = h.deadLetterSender
  }

  protected async execute (): Promise<void> {
    const { task, props } = this.#o
    const context: SourceTaskContext = { configs: () => props, offsetStorageReader: () => this.#reader() }
    task.initialize(context)
    this.#producer = await this.#o.createProducer()
    try {
      await this.#openErrorHandling()
      await task.start(props)
      this.setState(this.paused ? 'PAUSED' : 'RUNNING')
      this.logger.info(`WorkerSourceTask{id=${taskIdString(this.id)}} Source task finished initialization and start`)
      this.#flushTimer = setInterval(() => { void this.commitOffsets() }, Math.max(1, this.#o.offsetFlushIntervalMs))
      await this.#pollLoop()
    } finally {
      await this.#shutdown()
    }
    if (this.#failure) throw this.#failure
  }

  async #pollLoop (): Promise<void> {
    const signal = this.abort.signal
    while (!this.stopping && this.#failure === null) {
      if (this.paused) { await this.awaitResumeOrStop(); continue }
      const fatal = this.#producer!.fatalError
      if (fatal) throw fatal
      let records: readonly SourceRecord[] | null
      try {
        records = await this.#o.task.poll(signal)
      } catch (err) {
        // Kafka's rule: a RetriableException from poll() means "nothing now, poll again"; anything else fails the task.
        if (!isRetriable(err)) throw err
        this.logger.warn(`WorkerSourceTask{id=${taskIdString(this.id)}} Retriable exception from poll(); polling again`, err)
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
      await this.#sendRecords(records)
    }
  }

  async #sendRecords (records: readonly SourceRecord[]): Promise<void> {
    const producer = this.#producer!
    const { keyConverter, valueConverter, headerConverter, transformations, defaultPartition } = this.#o
    const classes = this.#o.converterClasses ?? UNKNOWN_CLASSES
    const op = this.#operator
    for (const original of records) {
      let transformed = transformations.isEmpty ? original : transformations.applyGuarded(original, op, original)
      if (transformed instanceof Promise) transformed = await transformed
      const submitted = this.#submitted.submit(original.sourcePartition, original.sourceOffset)
      if (transformed === null || transformed === SKIP) {
        // Dropped by a transformation, or a tolerated failure: it counts as handled for offset purposes.
        this.#submitted.ack(submitted)
        this.#o.task.commitRecord?.(original, null)
        continue
      }
      const record = transformed
      const topic = record.topic
      // Apache's order: headers, then key, then value. After a failed stage the later ones do not run, so a record
      // failing two stages is reported (status trace, dead-letter context) at the same stage as in Apache.
      let headers: ProduceHeader[] | null | typeof SKIP = null
      if (record.headers.size > 0) {
        const converted = op.execute('HEADER_CONVERTER', classes.header, record, () => {
          const out: ProduceHeader[] = []
          for (const h of record.headers) {
            const value = headerConverter.fromConnectHeader(topic, h.key, h.schema, h.value)
            assertSendableHeader(h.key, value)
            out.push({ key: h.key, value })
          }
          return out
        })
        headers = converted instanceof Promise ? await converted : converted
      }
      let key = headers === SKIP ? SKIP : op.execute('KEY_CONVERTER', classes.key, record, () => keyConverter.fromConnectData(topic, record.headers, record.keySchema, record.key))
      if (key instanceof Promise) key = await key
      let value = key === SKIP ? SKIP : op.execute('VALUE_CONVERTER', classes.value, record, () => valueConverter.fromConnectData(topic, record.headers, record.valueSchema, record.value))
      if (value instanceof Promise) value = await value
      if (key === SKIP || value === SKIP || headers === SKIP) {
        this.#submitted.ack(submitted)
        this.#o.task.commitRecord?.(original, null)
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
        this.#o.onTopic?.(topic)
      }
    }
  }

  #deliveryCallback (record: SourceRecord, submitted: SubmittedRecord) {
    return (err: Error | null, report: { topic: string, partition: number, offset: number, timestamp: number | null } | null): void => {
      if (err) {
        // A record the producer refused itself: name it in the source's terms, which the producer does not know.
        if (err instanceof RecordRefusedError) err = new RecordRefusedError(`${err.message}; record ${recordCoordinates(record)}`, err.rdkafkaCode, { cause: err.cause })
        if (this.#operator.tolerance === 'all') {
          if (err instanceof RecordRefusedError) this.#warnSkipped(err)
          // KIP-779: a tolerated produce failure is reported, and the record counts as handled.
          try { this.#operator.fail('KAFKA_PRODUCE', 'org.apache.kafka.clients.producer.KafkaProducer', record, err) } catch { /* tolerance all never throws */ }
          this.#submitted.ack(submitted)
          this.#schedulePromptWrite()
          try { this.#o.task.commitRecord?.(record, null) } catch (e) { this.logger.warn(`WorkerSourceTask{id=${taskIdString(this.id)}} commitRecord threw`, e) }
          return
        }
        // Refused before it was queued, it will never be acknowledged: the stop need not wait for it.
        if (err instanceof RecordRefusedError) this.#submitted.withdraw(submitted)
        if (this.#failure === null) {
          this.#failure = err
          this.logger.error(`WorkerSourceTask{id=${taskIdString(this.id)}} failed to send record to ${record.topic}`, err)
          this.abort.abort()
        }
        return
      }
      this.#submitted.ack(submitted)
      this.#schedulePromptWrite()
      try {
        this.#o.task.commitRecord?.(record, report)
      } catch (e) {
        this.logger.warn(`WorkerSourceTask{id=${taskIdString(this.id)}} commitRecord threw`, e)
      }
    }
  }

  /**
   * A tolerated refusal is a setting to change (a record too large), not noise: say so even when errors.log.enable is
   * off, as Apache does not, but at most once per REFUSAL_WARN_INTERVAL_MS, so a source of such records does not flood
   * the log. With errors.log.enable the log reporter already wrote it.
   */
  #warnSkipped (err: RecordRefusedError): void {
    if (this.#o.errorHandling?.logEnable === true) return
    const now = Date.now()
    if (now < this.#nextRefusalWarning) { this.#refusalsUnwarned++; return }
    const more = this.#refusalsUnwarned > 0 ? ` (${this.#refusalsUnwarned} more records were refused and skipped since the last warning)` : ''
    this.logger.warn(`WorkerSourceTask{id=${taskIdString(this.id)}} Skipped a record the producer refused, as errors.tolerance=all asks${more}: ${err.message}`)
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
    const gap = Math.min(PROMPT_OFFSET_WRITE_GAP_MS, this.#o.offsetFlushIntervalMs)
    const wait = Math.max(0, this.#lastWriteStart + gap - Date.now())
    this.#promptTimer = setTimeout(() => {
      this.#promptTimer = null
      if (this.#closed) return
      this.#writeOffsets().catch((err: unknown) => {
        this.logger.error(`WorkerSourceTask{id=${taskIdString(this.id)}} Failed to commit offsets`, err)
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
      while (this.#deadLetters?.hasPending === true) await this.#deadLetters.awaitPending()
      const { offsets, committed } = this.#submitted.committableOffsets()
      if (offsets.length === 0) return
      const entries = offsets.map(o => ({ partition: o.partition as Record<string, unknown>, offset: o.offset as Record<string, unknown> | null }))
      ok = await withTimeout(this.#o.offsetStore.set(this.id.connector, entries), this.#o.offsetFlushTimeoutMs)
      if (!ok) {
        this.logger.error(`WorkerSourceTask{id=${taskIdString(this.id)}} Failed to flush offsets to storage within ${this.#o.offsetFlushTimeoutMs} ms; they will be retried`)
        return
      }
      this.logger.debug(`WorkerSourceTask{id=${taskIdString(this.id)}} Committed offsets for ${committed} acknowledged messages`)
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
        await this.#o.task.commit?.()
      } catch (err) {
        this.logger.warn(`WorkerSourceTask{id=${taskIdString(this.id)}} Exception thrown while calling task.commit()`, err)
      }
    })().catch((err: unknown) => {
      this.logger.error(`WorkerSourceTask{id=${taskIdString(this.id)}} Failed to commit offsets`, err)
    }).finally(() => { this.#flushing = null })
    return await this.#flushing
  }

  #stopPromptWrites (): void {
    this.#closed = true
    if (this.#promptTimer !== null) clearTimeout(this.#promptTimer)
    this.#promptTimer = null
  }

  async #shutdown (): Promise<void> {
    if (this.#flushTimer) clearInterval(this.#flushTimer)
    try {
      await this.#o.task.stop()
    } catch (err) {
      this.logger.warn(`WorkerSourceTask{id=${taskIdString(this.id)}} Exception while stopping task`, err)
    }
    // Wait (bounded) for what was sent to be acknowledged, so its offsets can be flushed now.
    if (this.#submitted.outstanding > 0) {
      const acked = await this.#submitted.awaitAllAcked(this.#o.offsetFlushTimeoutMs)
      if (!acked) this.logger.warn(`WorkerSourceTask{id=${taskIdString(this.id)}} ${this.#submitted.outstanding} records were not acknowledged within offset.flush.timeout.ms; their offsets are not committed`)
    }
    // The final flush writes everything acknowledged; a prompt write waiting for its turn would only repeat it.
    this.#stopPromptWrites()
    await this.commitOffsets()
    this.#o.transformations.close()
    await this.#deadLetterSender?.close?.(this.#o.offsetFlushTimeoutMs)
    await this.#producer?.disconnect(this.#o.offsetFlushTimeoutMs)
    if (this.#failure === null && this.state !== 'FAILED') this.setState('UNASSIGNED')
  }

  override cancel (): void {
    if (this.#flushTimer) clearInterval(this.#flushTimer)
    this.#stopPromptWrites()
    void this.#deadLetterSender?.close?.(1000)
    void this.#producer?.disconnect(1000)
  }

  topics (): string[] { return [...this.#topics] }

  #reader (): OffsetStorageReader {
    const store = this.#o.offsetStore
    const connector = this.id.connector
    return {
      offset: (partition: OffsetMap) => store.get(connector, partition as Record<string, unknown>) as OffsetMap | null,
      offsets: (partitions: readonly OffsetMap[]) => new Map(partitions.map(p => [p, store.get(connector, p as Record<string, unknown>) as OffsetMap | null]))
    }
  }
}
