/**
 * What the live status view shows of each task, read from the metrics (issue 14): the contract between the metrics
 * (src/runtime/metrics/) and the terminal view (src/cli/status-view.ts), so that either can change without the other.
 */
export interface TaskSnapshot {
  connector: string
  task: number
  type: 'source' | 'sink'
  /** RUNNING, PAUSED, FAILED, ... as the status endpoint says. */
  state: string
  /** Records in: polled from the source task, or read from Kafka by the sink task. */
  recordsIn: number
  /** Records out: written to Kafka by the source task, or sent to put() by the sink task. */
  recordsOut: number
  /** Record errors so far (total-record-errors). */
  errors: number
  /** Sum of the consumer lag over the task's partitions; null for sources or when unknown. */
  lag: number | null
  /** When offsets were last committed (ms since the epoch), or null when never. */
  lastCommitAt: number | null
}

/** Where the view reads snapshots from (the worker's metrics). */
export interface TaskSnapshotSource {
  snapshot (): TaskSnapshot[]
}
