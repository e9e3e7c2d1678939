/**
 * What every worker task shares: an AbortController for its blocking calls, its status, and a bounded stop.
 */
import { describeError, type Logger } from '../util/logger.ts'
import type { State } from './status.ts'

export interface TaskId { connector: string, task: number }

export function taskIdString (id: TaskId): string { return `${id.connector}-${id.task}` }

export interface TaskStatusListener {
  onStateChange (id: TaskId, state: State, trace?: string): void
}

export abstract class WorkerTask {
  readonly id: TaskId
  protected readonly logger: Logger
  protected readonly abort = new AbortController()
  #state: State = 'UNASSIGNED'
  #trace: string | undefined
  #paused = false
  #resumeWaiters: Array<() => void> = []
  #loop: Promise<void> | null = null
  readonly #listener: TaskStatusListener

  constructor (id: TaskId, logger: Logger, listener: TaskStatusListener) {
    this.id = id
    this.logger = logger
    this.#listener = listener
  }

  get state (): State { return this.#state }
  get trace (): string | undefined { return this.#trace }
  get stopping (): boolean { return this.abort.signal.aborted }
  get paused (): boolean { return this.#paused }

  protected setState (state: State, trace?: string): void {
    this.#state = state
    this.#trace = trace
    this.#listener.onStateChange(this.id, state, trace)
  }

  /** Starts the task loop in the background; failures end in FAILED with the trace. */
  start (): void {
    this.#loop = this.execute().catch((err: unknown) => {
      this.logger.error(`${this.constructor.name}{id=${taskIdString(this.id)}} Task threw an uncaught and unrecoverable exception. Task is being killed and will not recover until manually restarted`, err)
      this.setState('FAILED', describeError(err))
    })
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

  /** Signals the task to stop; the loop's own cleanup runs inside execute(). */
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
   * clients and timers without waiting for the stuck plugin code.
   */
  cancel (): void {}

  /** The task's whole life: start, loop until stopped, clean up. */
  protected abstract execute (): Promise<void>
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
