/**
 * The bounded hand-over between the task's reader (snapshot, then the replication stream) and poll(): the reader
 * waits while max.queue.size records are queued, poll() takes up to max.batch.size, waiting up to poll.interval.ms.
 * A reader failure is kept and thrown from the next poll(), so the runtime fails the task with it.
 */
import type { SourceRecord } from '../../src/api/index.ts'

export class RecordQueue {
  readonly #capacity: number
  #items: SourceRecord[] = []
  #head = 0
  #failure: Error | null = null
  #notEmpty: Array<() => void> = []
  #notFull: Array<() => void> = []

  constructor (capacity: number) {
    this.#capacity = Math.max(1, capacity)
  }

  get size (): number { return this.#items.length - this.#head }

  /** Waits for room (or for `signal`), then appends every record; a batch may overshoot the capacity once. */
  async put (records: readonly SourceRecord[], signal: AbortSignal): Promise<void> {
    while (this.size >= this.#capacity && !signal.aborted) {
      await new Promise<void>(resolve => {
        const done = (): void => { signal.removeEventListener('abort', done); resolve() }
        this.#notFull.push(done)
        signal.addEventListener('abort', done, { once: true })
      })
    }
    if (signal.aborted) return
    for (const r of records) this.#items.push(r)
    this.#wake(this.#notEmpty)
  }

  fail (err: Error): void {
    this.#failure ??= err
    this.#wake(this.#notEmpty)
  }

  /** Up to `max` records; waits up to `waitMs` when empty. Throws the reader's failure once everything before it was taken. */
  async take (max: number, waitMs: number, signal: AbortSignal): Promise<SourceRecord[]> {
    if (this.size === 0 && this.#failure === null && !signal.aborted) {
      await new Promise<void>(resolve => {
        const timer = setTimeout(done, waitMs)
        function done (): void { clearTimeout(timer); signal.removeEventListener('abort', done); resolve() }
        this.#notEmpty.push(done)
        signal.addEventListener('abort', done, { once: true })
      })
    }
    if (this.size === 0) {
      if (this.#failure !== null) throw this.#failure
      return []
    }
    const n = Math.min(max, this.size)
    const out = this.#items.slice(this.#head, this.#head + n)
    this.#head += n
    if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
    this.#wake(this.#notFull)
    return out
  }

  #wake (waiters: Array<() => void>): void {
    const list = waiters.splice(0)
    for (const w of list) w()
  }
}
