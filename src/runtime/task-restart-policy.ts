/**
 * Beyond Apache: automatic restarts of failed tasks (errors.task.restart.*). Apache leaves a FAILED task failed until
 * someone calls the REST API; a transient outage (a database restart, a full disk) then needs a human. With
 * errors.task.restart.max.attempts > 0 the herder restarts the task after an exponential backoff, and gives up after
 * that many failures in a row. A task that ran for errors.task.restart.backoff.max.ms since its last restart counts
 * as healthy again: its next failure starts a fresh series.
 */
import type { TaskRestartPolicyConfig } from '../config/connector-config.ts'

/** The policy's settings: the connector's typed errors.task.restart.* (ConnectorConfig.restartPolicy). */
export type TaskRestartSettings = TaskRestartPolicyConfig

export type RestartDecision =
  | { restart: true, attempt: number, delayMs: number }
  | { restart: false, attempts: number }

/** Tracks one task's failures in a row and says whether and when to restart it. */
export class TaskRestartPolicy {
  readonly #s: TaskRestartSettings
  readonly #now: () => number
  #attempts = 0
  #lastStart: number | null = null

  constructor (settings: TaskRestartSettings, now: () => number = Date.now) {
    this.#s = settings
    this.#now = now
  }

  get enabled (): boolean { return this.#s.maxAttempts > 0 }

  /** The task (re)started now. */
  started (): void { this.#lastStart = this.#now() }

  /** The task failed: restart it (after delayMs) or give up. */
  failed (): RestartDecision {
    if (!this.enabled) return { restart: false, attempts: 0 }
    if (this.#lastStart !== null && this.#now() - this.#lastStart >= this.#s.maxBackoffMs) this.#attempts = 0
    if (this.#attempts >= this.#s.maxAttempts) return { restart: false, attempts: this.#attempts }
    this.#attempts++
    const delayMs = Math.min(this.#s.maxBackoffMs, this.#s.initialBackoffMs * 2 ** (this.#attempts - 1))
    return { restart: true, attempt: this.#attempts, delayMs }
  }

  /** A manual restart (REST) starts a fresh series. */
  reset (): void { this.#attempts = 0 }

  get maxAttempts (): number { return this.#s.maxAttempts }
}
