/**
 * The wait of a source task with nothing to read, for connectors: it ends after `ms`, when the task's poll signal
 * aborts, or at once when the task calls wake() (its stop(), new data noticed elsewhere), so a stop never waits out
 * an idle period.
 */
export class IdleWait {
  #wake: (() => void) | null = null

  /** Waits up to `ms`; returns at once when `signal` has aborted. */
  async wait (signal: AbortSignal, ms: number): Promise<void> {
    if (signal.aborted) return
    await new Promise<void>(resolve => {
      const done = (): void => {
        clearTimeout(timer)
        signal.removeEventListener('abort', done)
        this.#wake = null
        resolve()
      }
      const timer = setTimeout(done, ms)
      signal.addEventListener('abort', done, { once: true })
      this.#wake = done
    })
  }

  /** Ends the current wait, if any. */
  wake (): void { this.#wake?.() }
}
