/**
 * One task's metrics (Apache's connector-task-metrics, source-task-metrics or sink-task-metrics and
 * task-error-metrics groups): plain numbers and windowed stats the task updates once per batch (a poll, a put, a
 * commit), never per record. Nothing here knows the exposition format: the Prometheus registry and the status view
 * read these fields when asked.
 */
import { DEFAULT_SAMPLE_WINDOW, SampledStat, type SampledStatState, type SampleWindowSettings } from './sampled-stat.ts'

export type TaskKind = 'source' | 'sink'

/** The error operator's counts, read when the metrics are (the operator is replaced once error handling opens). */
export interface TaskErrorCounts {
  /** Records that failed processing (tolerated or not): total-record-errors. */
  errors: number
  /** Failed attempts, retries included: total-record-failures. */
  failures: number
  skipped: number
  retries: number
  /** Failures the log reporter wrote (errors.log.enable): total-errors-logged. */
  logged: number
  dlqRequests: number
  dlqFailures: number
  /** ms since the epoch, 0 when never. */
  lastErrorAt: number
}

/** Per-partition consumer lag, from librdkafka's statistics (consumer_lag). */
export interface PartitionLag { topic: string, partition: number, lag: number }

/** The windowed stats of a TaskMetrics, by field name. */
const STATS = [
  'batchSize', 'offsetCommitTime', 'offsetCommitOutcome', 'poll', 'write', 'pollBatchTime', 'sourceActive', 'read', 'send',
  'putBatchTime', 'commitCompletion', 'commitSkip', 'sinkActiveStat'
] as const
const COUNTERS = ['lastCommitAt', 'pollTotal', 'writeTotal', 'pendingWrites', 'readTotal', 'sendTotal', 'commitCompletionTotal', 'commitSkipTotal', 'sinkActive', 'clientId'] as const

/**
 * Everything a TaskMetrics holds, as plain data (structured-clone safe), with its live readings (active and partition
 * counts, error counts) taken: how a task running in another process hands its metrics to the worker's.
 */
export interface TaskMetricsState {
  state: string
  stateSince: number
  stateTimes: [SampledStatState, SampledStatState, SampledStatState]
  stats: Record<(typeof STATS)[number], SampledStatState>
  counters: Pick<TaskMetrics, (typeof COUNTERS)[number]>
  lags: PartitionLag[]
  activeCount: number
  partitionCount: number
  errorCounts: TaskErrorCounts | null
}

export class TaskMetrics {
  readonly connector: string
  readonly task: number
  readonly kind: TaskKind
  readonly #window: SampleWindowSettings
  /** RUNNING, PAUSED, FAILED, UNASSIGNED… as the task last reported it. */
  #state = 'UNASSIGNED'
  #stateSince: number
  readonly #runningMs: SampledStat
  readonly #pausedMs: SampledStat
  readonly #otherMs: SampledStat

  // connector-task-metrics
  readonly batchSize: SampledStat
  readonly offsetCommitTime: SampledStat
  /** 1 per successful offset commit, 0 per failed one: the average is the success ratio. */
  readonly offsetCommitOutcome: SampledStat
  lastCommitAt: number | null = null

  // source-task-metrics
  pollTotal = 0
  readonly poll: SampledStat
  writeTotal = 0
  readonly write: SampledStat
  /** Records acknowledged since the last batch was recorded: the delivery callbacks add here, batches fold it in. */
  pendingWrites = 0
  readonly pollBatchTime: SampledStat
  readonly sourceActive: SampledStat

  // sink-task-metrics
  readTotal = 0
  readonly read: SampledStat
  sendTotal = 0
  readonly send: SampledStat
  readonly putBatchTime: SampledStat
  commitCompletionTotal = 0
  readonly commitCompletion: SampledStat
  commitSkipTotal = 0
  readonly commitSkip: SampledStat
  /** Records put() since the last offset commit: Apache's sink-record-active-count. */
  sinkActive = 0
  readonly sinkActiveStat: SampledStat
  /** The sink's consumer client.id, which the consumer lag metrics are labelled with. */
  clientId: string | null = null
  lags: PartitionLag[] = []

  /** How many records are in flight (a source's unacknowledged records) or partitions assigned (a sink). */
  activeCount: () => number = () => 0
  partitionCount: () => number = () => 0
  errorCounts: () => TaskErrorCounts | null = () => null

  constructor (connector: string, task: number, kind: TaskKind, window: SampleWindowSettings = DEFAULT_SAMPLE_WINDOW, now = Date.now()) {
    this.connector = connector
    this.task = task
    this.kind = kind
    this.#window = window
    this.#stateSince = now
    const stat = (): SampledStat => new SampledStat(this.#window, now)
    this.#runningMs = stat(); this.#pausedMs = stat(); this.#otherMs = stat()
    this.batchSize = stat(); this.offsetCommitTime = stat(); this.offsetCommitOutcome = stat()
    this.poll = stat(); this.write = stat(); this.pollBatchTime = stat(); this.sourceActive = stat()
    this.read = stat(); this.send = stat(); this.putBatchTime = stat()
    this.commitCompletion = stat(); this.commitSkip = stat(); this.sinkActiveStat = stat()
  }

  get state (): string { return this.#state }

  setState (state: string, now = Date.now()): void {
    this.#accrue(now)
    this.#state = state
  }

  /** Time in the current state goes into its window up to `now`. */
  #accrue (now: number): void {
    const ms = now - this.#stateSince
    if (ms <= 0) return
    const stat = this.#state === 'RUNNING' ? this.#runningMs : this.#state === 'PAUSED' ? this.#pausedMs : this.#otherMs
    stat.record(ms, now)
    this.#stateSince = now
  }

  /** Fractions of the window's time spent RUNNING and PAUSED (Apache's running-ratio and pause-ratio). */
  ratios (now = Date.now()): { running: number, paused: number } {
    this.#accrue(now)
    const running = this.#runningMs.sum(now)
    const paused = this.#pausedMs.sum(now)
    const total = running + paused + this.#otherMs.sum(now)
    return total <= 0 ? { running: this.#state === 'RUNNING' ? 1 : 0, paused: this.#state === 'PAUSED' ? 1 : 0 } : { running: running / total, paused: paused / total }
  }

  // ---- A task in another process ----------------------------------------------------------------------------------

  exportState (): TaskMetricsState {
    // Acknowledged records become writes now: the reader of the copy cannot fold them.
    if (this.kind === 'source') this.foldWrites()
    const stats = {} as TaskMetricsState['stats']
    for (const k of STATS) stats[k] = this[k].exportState()
    const counters = {} as Record<string, unknown>
    for (const k of COUNTERS) counters[k] = this[k]
    return {
      state: this.#state,
      stateSince: this.#stateSince,
      stateTimes: [this.#runningMs.exportState(), this.#pausedMs.exportState(), this.#otherMs.exportState()],
      stats,
      counters: counters as TaskMetricsState['counters'],
      lags: this.lags,
      activeCount: this.activeCount(),
      partitionCount: this.partitionCount(),
      errorCounts: this.errorCounts()
    }
  }

  /** Becomes a copy of another TaskMetrics' exportState(); its live readings are those of the copy. */
  importState (s: TaskMetricsState): void {
    this.#state = s.state
    this.#stateSince = s.stateSince
    this.#runningMs.importState(s.stateTimes[0]); this.#pausedMs.importState(s.stateTimes[1]); this.#otherMs.importState(s.stateTimes[2])
    for (const k of STATS) this[k].importState(s.stats[k])
    Object.assign(this, s.counters)
    this.lags = s.lags
    this.activeCount = () => s.activeCount
    this.partitionCount = () => s.partitionCount
    this.errorCounts = () => s.errorCounts
  }

  // ---- What the tasks call, once per batch ---------------------------------------------------------------------

  /** A source poll() returned `records` after `ms`. */
  recordPoll (records: number, ms: number, now = Date.now()): void {
    this.pollTotal += records
    this.poll.record(records, now)
    this.batchSize.record(records, now)
    this.pollBatchTime.record(ms, now)
    this.sourceActive.record(this.activeCount(), now)
    this.foldWrites(now)
  }

  /** Acknowledged records counted since the last batch become writes (source-record-write). */
  foldWrites (now = Date.now()): void {
    if (this.pendingWrites === 0) return
    this.writeTotal += this.pendingWrites
    this.write.record(this.pendingWrites, now)
    this.pendingWrites = 0
  }

  /** A sink read `read` records from Kafka and sent `sent` of them to put(), which took `ms`. */
  recordPut (read: number, sent: number, ms: number, now = Date.now()): void {
    this.readTotal += read
    this.read.record(read, now)
    this.batchSize.record(read, now)
    this.sendTotal += sent
    this.send.record(sent, now)
    this.putBatchTime.record(ms, now)
    this.sinkActive += sent
    this.sinkActiveStat.record(this.sinkActive, now)
  }

  /** An offset commit finished (ok) or failed after `ms`; a sink's commit with nothing new to commit is a skip. */
  recordCommit (ok: boolean, ms: number, now = Date.now()): void {
    this.offsetCommitTime.record(ms, now)
    this.offsetCommitOutcome.record(ok ? 1 : 0, now)
    if (!ok) return
    this.lastCommitAt = now
    if (this.kind === 'sink') {
      this.commitCompletionTotal++
      this.commitCompletion.record(1, now)
      this.sinkActive = 0
    }
  }

  recordCommitSkip (now = Date.now()): void {
    this.commitSkipTotal++
    this.commitSkip.record(1, now)
  }

  /** Sum of the partitions' lag, or null when unknown. */
  totalLag (): number | null {
    if (this.kind !== 'sink' || this.lags.length === 0) return null
    let sum = 0
    for (const l of this.lags) sum += l.lag
    return sum
  }
}

/**
 * The per-partition consumer lag in a librdkafka statistics document (statistics.interval.ms): the high watermark
 * minus the offset the consumer delivered up to (consumer_lag_stored: offsets are stored as records are consumed), as
 * Apache's consumer measures records-lag from its position; consumer_lag (from the committed offset) where the former
 * is absent. Partitions librdkafka does not fetch, and unknown lags (-1), are left out.
 */
export function lagsFromStatistics (json: string): PartitionLag[] {
  type PartitionStats = { partition?: number, consumer_lag?: number, consumer_lag_stored?: number, fetch_state?: string }
  let stats: { topics?: Record<string, { partitions?: Record<string, PartitionStats> }> }
  try { stats = JSON.parse(json) } catch { return [] }
  const out: PartitionLag[] = []
  for (const [topic, t] of Object.entries(stats.topics ?? {})) {
    for (const p of Object.values(t.partitions ?? {})) {
      if (p.partition === undefined || p.partition < 0 || p.fetch_state === undefined || INACTIVE_FETCH_STATES.has(p.fetch_state)) continue
      const lag = typeof p.consumer_lag_stored === 'number' && p.consumer_lag_stored >= 0 ? p.consumer_lag_stored : p.consumer_lag
      if (typeof lag !== 'number' || lag < 0) continue
      out.push({ topic, partition: p.partition, lag })
    }
  }
  return out.sort((a, b) => a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1)
}

const INACTIVE_FETCH_STATES = new Set(['none', 'stopping', 'stopped'])
