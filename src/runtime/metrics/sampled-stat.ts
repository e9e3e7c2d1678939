/**
 * Windowed statistics as Apache's metrics library keeps them (org.apache.kafka.common.metrics.stats): values fall into
 * `samples` consecutive windows of `windowMs` (metrics.num.samples, metrics.sample.window.ms; 2 x 30 s by default);
 * windows older than samples x windowMs are dropped. A rate is the windows' sum over the time they span, counted as
 * at least (samples - 1) full windows, so a task that just started does not report a burst as a huge rate (Apache's
 * Rate.windowSize). Avg and max read the kept windows; with no value in them they are NaN, as Apache's.
 */
export interface SampleWindowSettings { windowMs: number, samples: number }

export const DEFAULT_SAMPLE_WINDOW: SampleWindowSettings = { windowMs: 30_000, samples: 2 }

interface Sample { start: number, sum: number, count: number, max: number }

/** A SampledStat's windows as plain data (structured-clone safe): a task in another process sends its stats so. */
export interface SampledStatState { created: number, kept: Sample[] }

export class SampledStat {
  readonly #windowMs: number
  readonly #samples: number
  readonly #kept: Sample[] = []
  readonly #created: number

  constructor (settings: SampleWindowSettings = DEFAULT_SAMPLE_WINDOW, now = Date.now()) {
    this.#windowMs = Math.max(1, settings.windowMs)
    this.#samples = Math.max(1, settings.samples)
    this.#created = now
  }

  /** The windows as plain data. */
  exportState (): SampledStatState {
    return { created: this.#created, kept: this.#kept.map(k => ({ ...k })) }
  }

  /** Takes the windows of another stat's exportState() (same window settings). */
  importState (state: SampledStatState): void {
    this.#kept.length = 0
    for (const k of state.kept.slice(-this.#samples)) this.#kept.push({ ...k })
  }

  /** Adds one observation (a batch's record count, a duration). */
  record (value: number, now = Date.now()): void {
    let current = this.#kept[this.#kept.length - 1]
    if (current === undefined || now >= current.start + this.#windowMs) {
      current = { start: now, sum: 0, count: 0, max: -Infinity }
      this.#kept.push(current)
      if (this.#kept.length > this.#samples) this.#kept.shift()
    }
    current.sum += value
    current.count++
    if (value > current.max) current.max = value
  }

  #live (now: number): Sample[] {
    const horizon = now - this.#samples * this.#windowMs
    while (this.#kept.length > 0 && this.#kept[0]!.start + this.#windowMs <= horizon) this.#kept.shift()
    return this.#kept
  }

  /** Sum of the kept windows per second of the span they cover (Apache's Rate). */
  rate (now = Date.now()): number {
    const live = this.#live(now)
    let sum = 0
    for (const s of live) sum += s.sum
    const oldest = live[0]?.start ?? now
    // Never more than the task has existed, never less than (samples - 1) windows (Apache's minimum span).
    let elapsed = now - Math.max(oldest, this.#created)
    elapsed = Math.max(elapsed, (this.#samples - 1) * this.#windowMs, 1)
    return sum / (elapsed / 1000)
  }

  avg (now = Date.now()): number {
    let sum = 0
    let count = 0
    for (const s of this.#live(now)) { sum += s.sum; count += s.count }
    return count === 0 ? NaN : sum / count
  }

  max (now = Date.now()): number {
    let max = -Infinity
    for (const s of this.#live(now)) if (s.max > max) max = s.max
    return max === -Infinity ? NaN : max
  }

  /** Sum over the kept windows. */
  sum (now = Date.now()): number {
    let sum = 0
    for (const s of this.#live(now)) sum += s.sum
    return sum
  }
}
