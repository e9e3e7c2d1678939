/**
 * Runs one record-processing stage (a converter, a transformation, a produce) under a connector's error policy:
 * RetriableError is retried with backoff until errors.retry.timeout, then the failure either fails the task
 * (errors.tolerance=none) or skips the record (all) after the reporters saw it.
 *
 * The happy path is synchronous: a stage that returns normally costs one try/catch, no promise. Only a retry makes
 * the outcome a promise, which the caller awaits.
 */
import { ConnectError, isRetriable } from '../../api/index.ts'
import type { Logger } from '../../util/logger.ts'
import { defaultErrorHandlingConfig } from '../../config/connector-config.ts'

/** Kafka's Stage names, as they appear in logs and in the DLQ's `__connect.errors.stage` header. */
export type Stage = 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'HEADER_CONVERTER' | 'TRANSFORMATION' | 'KAFKA_PRODUCE' | 'TASK_PUT' | 'TASK_POLL' | 'KAFKA_CONSUME'

export type Tolerance = 'none' | 'all'

export interface ErrorPolicy {
  tolerance: Tolerance
  /** 0: no retries; -1: retry forever. */
  retryTimeoutMs: number
  retryDelayMaxMs: number
}

/** What failed and on which record: handed to the reporters. */
export interface ProcessingFailure {
  stage: Stage
  /** The executing class (a converter's or SMT's class name, or the task's). */
  executingClass: string
  error: Error
  /** Where the record came from, for messages ("topic=t partition=0 offset=42"). */
  coordinates: string
  /** Attempts made, including the first. */
  attempts: number
}

export interface ErrorReporter {
  report (failure: ProcessingFailure, record: unknown): void | Promise<void>
}

/** Returned by a stage whose failure was tolerated: the record is skipped. */
export const SKIP: unique symbol = Symbol('skip record')
export type Outcome<T> = T | typeof SKIP

const INITIAL_BACKOFF_MS = 300

/** Kafka's backoff: 300 ms doubling per attempt; past the cap, a random delay below the cap. Never past the deadline. */
export function retryDelay (attempt: number, maxDelayMs: number, remainingMs: number, random: () => number = Math.random): number {
  let delay = INITIAL_BACKOFF_MS * 2 ** (attempt - 1)
  if (delay > maxDelayMs) delay = Math.floor(random() * maxDelayMs)
  return Math.max(0, Math.min(delay, remainingMs))
}

/** Thrown when a failure is not tolerated: the task fails with it. */
export class ToleranceExceededError extends ConnectError {
  readonly failure: ProcessingFailure
  constructor (failure: ProcessingFailure) {
    // Apache's trace starts with this same sentence; where it happened is our addition, so users need no log dive.
    super(`Tolerance exceeded in error handler (stage ${failure.stage}, class ${failure.executingClass}, record ${failure.coordinates}): ${failure.error.message}`, { cause: failure.error })
    this.name = 'ToleranceExceededError'
    this.failure = failure
  }
}

export interface OperatorCounters {
  /** Records that failed (each once, after its retries): Apache's total-record-errors. */
  failures: number
  skipped: number
  retries: number
  /** Failed attempts, the retried ones included: Apache's total-record-failures. */
  attemptFailures: number
  /** When the last record failed (ms since the epoch), 0 when none has. */
  lastErrorAt: number
}

export class RetryWithToleranceOperator {
  readonly #policy: ErrorPolicy
  readonly #reporters: ErrorReporter[]
  readonly #logger: Logger
  readonly #signal: AbortSignal | undefined
  readonly #describe: (record: unknown) => string
  readonly counters: OperatorCounters = { failures: 0, skipped: 0, retries: 0, attemptFailures: 0, lastErrorAt: 0 }

  /** `describe` names a failed record's coordinates for messages; it runs only when something failed. */
  constructor (policy: ErrorPolicy, reporters: ErrorReporter[], logger: Logger, describe: (record: unknown) => string, signal?: AbortSignal) {
    this.#policy = policy
    this.#reporters = reporters
    this.#logger = logger
    this.#describe = describe
    this.#signal = signal
  }

  /** Fails on the first error and reports nowhere: what a task without error settings does. */
  static failFast (logger: Logger, describe: (record: unknown) => string): RetryWithToleranceOperator {
    return new RetryWithToleranceOperator(defaultErrorHandlingConfig(), [], logger, describe)
  }

  get tolerance (): Tolerance { return this.#policy.tolerance }

  /**
   * Runs `fn`. Returns its result, SKIP when a failure was tolerated, or a promise of either when a retry is due.
   * Throws ToleranceExceededError when the failure is not tolerated.
   */
  execute<T> (stage: Stage, executingClass: string, record: unknown, fn: () => T | Promise<T>): Outcome<T> | Promise<Outcome<T>> {
    let result: T | Promise<T>
    try {
      result = fn()
    } catch (err) {
      return this.#failed(stage, executingClass, record, fn, err)
    }
    // A stage that waits (a converter asking a Schema Registry) fails by rejecting: the same policy applies.
    if (result instanceof Promise) return result.catch((err: unknown) => this.#failed(stage, executingClass, record, fn, err))
    return result
  }

  #failed<T> (stage: Stage, executingClass: string, record: unknown, fn: () => T | Promise<T>, err: unknown): typeof SKIP | Promise<Outcome<T>> {
    this.counters.attemptFailures++
    if (isRetriable(err) && this.#policy.retryTimeoutMs !== 0) return this.#retry(stage, executingClass, record, fn, err)
    return this.#fail({ stage, executingClass, error: asError(err), coordinates: this.#describe(record), attempts: 1 }, record)
  }

  async #retry<T> (stage: Stage, executingClass: string, record: unknown, fn: () => T | Promise<T>, first: unknown): Promise<Outcome<T>> {
    const deadline = this.#policy.retryTimeoutMs < 0 ? Infinity : Date.now() + this.#policy.retryTimeoutMs
    let last = first
    let attempts = 1
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - Date.now()
      if (remaining <= 0 || this.#aborted()) break
      const delay = retryDelay(attempt, this.#policy.retryDelayMaxMs, remaining)
      this.#logger.debug(`Retrying stage ${stage} (attempt ${attempt + 1}) in ${delay} ms after: ${asError(last).message}`)
      await sleep(delay, this.#signal)
      if (this.#aborted()) break
      this.counters.retries++
      attempts++
      try {
        return await fn()
      } catch (err) {
        this.counters.attemptFailures++
        last = err
        if (!isRetriable(err)) return this.#fail({ stage, executingClass, error: asError(err), coordinates: this.#describe(record), attempts }, record)
      }
    }
    // Retries ran out: the failure is handled like any other (KAFKA-18073's fixed behaviour, not a silent drop).
    return this.#fail({ stage, executingClass, error: asError(last), coordinates: this.#describe(record), attempts }, record)
  }

  #aborted (): boolean { return this.#signal?.aborted === true }

  /** Reports a failure that happened outside execute() (a produce callback, an errant record) under the same policy. */
  fail (stage: Stage, executingClass: string, record: unknown, error: unknown): typeof SKIP {
    this.counters.attemptFailures++
    return this.#fail({ stage, executingClass, error: asError(error), coordinates: this.#describe(record), attempts: 1 }, record)
  }

  #fail (failure: ProcessingFailure, record: unknown): typeof SKIP {
    this.counters.failures++
    this.counters.lastErrorAt = Date.now()
    for (const r of this.#reporters) {
      try {
        const p = r.report(failure, record)
        if (p instanceof Promise) p.catch((err: unknown) => this.#logger.error('Error reporter failed', err))
      } catch (err) {
        this.#logger.error('Error reporter failed', err)
      }
    }
    if (this.#policy.tolerance === 'none') throw new ToleranceExceededError(failure)
    this.counters.skipped++
    return SKIP
  }
}

function asError (err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}

async function sleep (ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return
  await new Promise<void>(resolve => {
    const timer = setTimeout(done, ms)
    function done (): void {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}
