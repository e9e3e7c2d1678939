/**
 * What every worker task shares, as Apache's WorkerTask: the options both kinds are built from, the error operator
 * with its reporters (log, dead-letter queue), the status, pause and resume, a bounded stop, and the life every task
 * goes through. WorkerSourceTask and WorkerSinkTask fill in that life through the hooks: open(),
 * initializeAndStart(), execute(), close().
 */
import type { AnyRecord, Converter, HeaderConverter, PluginMetrics, Task } from '../api/index.ts'
import { describeError, type Logger } from '../util/logger.ts'
import { openTaskErrorHandling, serializeWithConverters, type ErrorHandlingSettings } from './errors/error-handling-config.ts'
import { recordCoordinates, type DeadLetterQueueReporter, type DeadLetterSender } from './errors/error-reporters.ts'
import { RetryWithToleranceOperator } from './errors/retry-with-tolerance-operator.ts'
import type { TaskErrorCounts, TaskMetrics } from './metrics/task-metrics.ts'
import type { State } from './status.ts'
import type { TransformationChain } from './transformation-chain.ts'

export interface TaskId { connector: string, task: number }

export function taskIdString (id: TaskId): string { return `${id.connector}-${id.task}` }

export interface TaskStatusListener {
  onStateChange (id: TaskId, state: State, trace?: string): void
}

/** The converters' class names, as error reports name them. */
export interface ConverterClasses { key: string, value: string, header: string }

const UNKNOWN_CLASSES: ConverterClasses = { key: 'Converter', value: 'Converter', header: 'HeaderConverter' }

/** What the worker gives every task, source or sink; each kind's options extend it with its own. */
export interface WorkerTaskOptions<T extends Task = Task, R extends AnyRecord = AnyRecord> {
  id: TaskId
  task: T
  props: Record<string, string>
  keyConverter: Converter
  valueConverter: Converter
  headerConverter: HeaderConverter
  transformations: TransformationChain<R>
  /** offset.flush.interval.ms: how often offsets are committed (and, for sources, task.commit() is called). */
  offsetFlushIntervalMs: number
  logger: Logger
  listener: TaskStatusListener
  /**
   * Topic tracking: called with the topics a source task produced to, or those a sink task consumed and converted
   * records from (before transformations).
   */
  onTopic?: (topic: string) => void
  /** errors.* settings; absent, the first failing record fails the task and is reported nowhere. */
  errorHandling?: ErrorHandlingSettings
  /** The converters' class names, as error reports name them. */
  converterClasses?: ConverterClasses
  /**
   * Opens the dead-letter queue (sinks: errors.deadletterqueue.topic.name; sources: with
   * errors.deadletterqueue.source.enable): creates the topic, returns its sender.
   */
  createDeadLetterSender?: (topic: string, replicationFactor: number) => Promise<DeadLetterSender>
  /** The task's metrics (counted per batch); absent, nothing is counted. */
  metrics?: TaskMetrics
  /** What the task's context offers as pluginMetrics (KIP-877). */
  pluginMetrics?: PluginMetrics
}

export abstract class WorkerTask<O extends WorkerTaskOptions = WorkerTaskOptions> {
  readonly id: TaskId
  protected readonly options: O
  protected readonly logger: Logger
  protected readonly abort = new AbortController()
  /** Fails fast until openErrorHandling() gives it the task's errors.* settings. */
  protected operator: RetryWithToleranceOperator
  #deadLetters: DeadLetterQueueReporter | null = null
  #deadLetterSender: DeadLetterSender | null = null
  #errantReporting = false
  #state: State = 'UNASSIGNED'
  #trace: string | undefined
  #paused = false
  #resumeWaiters: Array<() => void> = []
  #loop: Promise<void> | null = null
  readonly #listener: TaskStatusListener

  constructor (options: O) {
    this.id = options.id
    this.options = options
    this.logger = options.logger
    this.#listener = options.listener
    this.operator = RetryWithToleranceOperator.failFast(options.logger, recordCoordinates)
    if (options.metrics) options.metrics.errorCounts = () => this.#errorCounts()
  }

  /** Apache's task-error-metrics, from the operator and the reporters (read when the metrics are). */
  #errorCounts (): TaskErrorCounts {
    const c = this.operator.counters
    return {
      errors: c.failures,
      failures: c.attemptFailures,
      skipped: c.skipped,
      retries: c.retries,
      // The log reporter writes every failure when errors.log.enable is set.
      logged: this.options.errorHandling?.logEnable === true ? c.failures : 0,
      dlqRequests: this.#deadLetters === null ? 0 : this.#deadLetters.produced + this.#deadLetters.failed,
      dlqFailures: this.#deadLetters?.failed ?? 0,
      lastErrorAt: c.lastErrorAt
    }
  }

  protected get metrics (): TaskMetrics | undefined { return this.options.metrics }

  /** 'Source' or 'Sink': names the task in its log lines, as Apache's WorkerSourceTask{id=…} and WorkerSinkTask{id=…}. */
  protected abstract readonly kind: 'Source' | 'Sink'

  /** How log lines name this task. */
  protected get tag (): string { return `Worker${this.kind}Task{id=${taskIdString(this.id)}}` }

  get state (): State { return this.#state }
  get trace (): string | undefined { return this.#trace }
  get stopping (): boolean { return this.abort.signal.aborted }
  get paused (): boolean { return this.#paused }

  protected setState (state: State, trace?: string): void {
    this.#state = state
    this.#trace = trace
    this.options.metrics?.setState(state)
    this.#listener.onStateChange(this.id, state, trace)
  }

  /** The DLQ reporter, whose pending writes gate offset commits; null without a DLQ. */
  protected get deadLetters (): DeadLetterQueueReporter | null { return this.#deadLetters }
  /** Whether a sink's errant record reporter has somewhere to report to. */
  protected get errantReporting (): boolean { return this.#errantReporting }
  protected get converterClasses (): ConverterClasses { return this.options.converterClasses ?? UNKNOWN_CLASSES }

  /** The error operator of this task's settings, with its reporters (the DLQ opens here). */
  protected async openErrorHandling (): Promise<void> {
    const settings = this.options.errorHandling
    if (!settings) return
    const h = await openTaskErrorHandling({
      settings, connector: this.id.connector, task: this.id.task, logger: this.logger, signal: this.abort.signal,
      createDeadLetterSender: this.options.createDeadLetterSender,
      // A record that has no original bytes (a source record, or one a sink task made itself) is rendered for the DLQ.
      serialize: serializeWithConverters(this.options.keyConverter, this.options.valueConverter)
    })
    this.operator = h.operator
    this.#deadLetters = h.deadLetters
    this.#deadLetterSender = h.deadLetterSender
    this.#errantReporting = h.errantReporting
  }

  /** Starts the task's life in the background; failures end in FAILED with the trace. */
  start (): void {
    this.#loop = this.#run().catch((err: unknown) => {
      this.logger.error(`${this.tag} Task threw an uncaught and unrecoverable exception. Task is being killed and will not recover until manually restarted`, err)
      this.setState('FAILED', describeError(err))
    })
  }

  /**
   * The task's whole life. close() runs whatever happens, also when open() failed half-way (a Kafka client that could
   * not be created, a sink's start() that threw): it releases what was acquired (task.stop(), the transformation
   * chain, the dead-letter queue's producer), as Apache closes a task whose start failed. A failure that came after
   * the loop (failureAfterClose) still fails the task.
   */
  async #run (): Promise<void> {
    try {
      await this.open()
      await this.initializeAndStart()
      this.setState(this.paused ? 'PAUSED' : 'RUNNING')
      this.logger.info(`${this.tag} ${this.kind} task finished initialization and start`)
      await this.execute()
    } finally {
      await this.close()
    }
    const failure = this.failureAfterClose()
    if (failure !== null) throw failure
  }

  /** Initializes the task and creates its Kafka client; close() must cope with any step of it having failed. */
  protected abstract open (): Promise<void>
  /** After open(), before the task is RUNNING (or PAUSED). */
  protected abstract initializeAndStart (): Promise<void>
  /** The loop, until the task is stopped or fails. */
  protected abstract execute (): Promise<void>
  /** Commits, stops the task and releases its resources (stopTask(), releaseResources(), markStopped()). */
  protected abstract close (): Promise<void>
  /** A failure recorded outside the loop (a source's failed delivery): it fails the task once closed. */
  protected failureAfterClose (): Error | null { return null }

  /** task.stop(); a failure is logged, not raised. */
  protected async stopTask (): Promise<void> {
    try {
      await this.options.task.stop()
    } catch (err) {
      this.logger.warn(`${this.tag} Exception while stopping task`, err)
    }
  }

  /** Closes the transformation chain and the dead-letter queue's producer (bounded by `timeoutMs`). */
  protected async releaseResources (timeoutMs: number): Promise<void> {
    this.options.transformations.close()
    await this.#deadLetterSender?.close?.(timeoutMs)
  }

  /** The task stopped without failing: UNASSIGNED. */
  protected markStopped (): void {
    if (this.state !== 'FAILED') this.setState('UNASSIGNED')
  }

  pause (): void {
    this.#paused = true
    if (this.#state === 'RUNNING') this.setState('PAUSED')
  }

  resume (): void {
    this.#paused = false
    if (this.#state === 'PAUSED') this.setState('RUNNING')
    const waiters = this.#resumeWaiters
    this.#resumeWaiters = []
    for (const w of waiters) w()
  }

  protected async awaitResumeOrStop (): Promise<void> {
    if (!this.#paused || this.stopping) return
    await new Promise<void>(resolve => {
      this.#resumeWaiters.push(resolve)
      this.abort.signal.addEventListener('abort', () => resolve(), { once: true })
    })
  }

  /** Signals the task to stop; its own cleanup runs in close(). */
  signalStop (): void {
    this.abort.abort()
    this.resume()
  }

  /** Resolves true when the task finished within the deadline. */
  async awaitStop (deadline: number): Promise<boolean> {
    if (!this.#loop) return true
    const remaining = Math.max(0, deadline - Date.now())
    let timer: NodeJS.Timeout | undefined
    const finished = await Promise.race([
      this.#loop.then(() => true),
      new Promise<boolean>(resolve => { timer = setTimeout(() => resolve(false), remaining) })
    ])
    clearTimeout(timer)
    return finished
  }

  /**
   * Called when the task did not stop in time: it is abandoned (Apache "cancels" it) and must release its Kafka
   * clients and timers without waiting for the stuck plugin code. Subclasses add their client and timers.
   */
  cancel (): void {
    void this.#deadLetterSender?.close?.(1000)
  }
}

/** Awaits a promise, but no longer than `ms`; returns false on timeout. */
export async function withTimeout (promise: Promise<unknown> | unknown, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const result = await Promise.race([
    Promise.resolve(promise).then(() => true),
    new Promise<boolean>(resolve => { timer = setTimeout(() => resolve(false), ms) })
  ])
  clearTimeout(timer)
  return result
}
