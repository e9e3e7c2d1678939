/**
 * The worker's metrics (Apache's ConnectMetrics): the connect-worker-metrics counters, the connectors the worker runs
 * (connector-metrics) and each task's TaskMetrics. The worker and its tasks write here with plain numbers; readers are
 * the Prometheus exposition (prometheus-exposition.ts) and the terminal status view (TaskSnapshotSource).
 *
 * Statuses come from the herder when it lends its status lookup (useStatuses), so the metrics say exactly what
 * GET /connectors/{name}/status says (RESTARTING, a paused connector); without it, from what the worker saw.
 */
import type { ConnectorStateInfo } from '../../rest/entities.ts'
import { PluginMetricsRegistry } from './plugin-metrics.ts'
import { DEFAULT_SAMPLE_WINDOW, SampledStat, type SampleWindowSettings } from './sampled-stat.ts'
import { TaskMetrics, type TaskKind } from './task-metrics.ts'
import type { TaskSnapshot, TaskSnapshotSource } from './task-snapshot.ts'

export interface ConnectMetricsOptions {
  /** metrics.sample.window.ms and metrics.num.samples. */
  window?: SampleWindowSettings
  /** metrics.enabled (beyond Apache): false turns GET /metrics off; counting goes on for the status view. */
  enabled?: boolean
}

export interface ConnectorMetricsInfo {
  name: string
  className: string
  type: TaskKind
  version: string
  /** What the worker saw: RUNNING once started, FAILED when start() failed. */
  state: string
}

/** Startup attempts, successes and failures, with the windowed success ratio Apache's percentages read. */
export class StartupCounts {
  attempts = 0
  successes = 0
  failures = 0
  readonly #outcome: SampledStat
  constructor (window: SampleWindowSettings) { this.#outcome = new SampledStat(window) }
  attempt (): void { this.attempts++ }
  success (): void { this.successes++; this.#outcome.record(1) }
  failure (): void { this.failures++; this.#outcome.record(0) }
  /** Average success over the window (NaN before any outcome, as Apache's). */
  successRatio (): number { return this.#outcome.avg() }
}

/** Apache's per-connector task counts (connect-worker-metrics with a connector tag). */
export const TASK_COUNT_STATES = ['running', 'paused', 'failed', 'unassigned', 'destroyed', 'restarting'] as const

export class ConnectMetrics implements TaskSnapshotSource {
  readonly window: SampleWindowSettings
  readonly enabled: boolean
  readonly connectorStartups: StartupCounts
  readonly taskStartups: StartupCounts
  readonly #connectors = new Map<string, ConnectorMetricsInfo>()
  readonly #tasks = new Map<string, TaskMetrics>()
  #statuses: ((connector: string) => ConnectorStateInfo) | null = null
  /** The metrics plugins registered for themselves (KIP-877). */
  readonly plugins = new PluginMetricsRegistry()

  constructor (options: ConnectMetricsOptions = {}) {
    this.window = options.window ?? DEFAULT_SAMPLE_WINDOW
    this.enabled = options.enabled ?? true
    this.connectorStartups = new StartupCounts(this.window)
    this.taskStartups = new StartupCounts(this.window)
  }

  /** Lends the herder's status lookup (GET .../status), read whenever the metrics are. */
  useStatuses (lookup: (connector: string) => ConnectorStateInfo): void { this.#statuses = lookup }

  // ---- Connectors -------------------------------------------------------------------------------------------------

  connectorCreated (name: string, className: string, type: TaskKind, version: string): void {
    this.#connectors.set(name, { name, className, type, version, state: 'UNASSIGNED' })
  }

  connectorState (name: string, state: string): void {
    const c = this.#connectors.get(name)
    if (c) c.state = state
  }

  connectorRemoved (name: string): void {
    this.#connectors.delete(name)
    this.plugins.removeConnector(name)
  }

  connectors (): ConnectorMetricsInfo[] {
    return [...this.#connectors.values()].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  }

  /** The connector's status as the status endpoint gives it, or null when the herder does not know it. */
  status (name: string): ConnectorStateInfo | null {
    if (!this.#statuses) return null
    try { return this.#statuses(name) } catch { return null }
  }

  connectorStatus (c: ConnectorMetricsInfo): string {
    return this.status(c.name)?.connector.state ?? c.state
  }

  // ---- Tasks ------------------------------------------------------------------------------------------------------

  /** A task is being built: its metrics, replacing those of an earlier run of the same task. */
  addTask (connector: string, task: number, kind: TaskKind): TaskMetrics {
    const m = new TaskMetrics(connector, task, kind, this.window)
    this.#tasks.set(taskKey(connector, task), m)
    return m
  }

  /** The task stopped (or was abandoned): its metrics go, as Apache removes a closed task's metric groups. */
  removeTask (connector: string, task: number, metrics?: TaskMetrics): void {
    const key = taskKey(connector, task)
    if (metrics !== undefined && this.#tasks.get(key) !== metrics) return
    this.#tasks.delete(key)
    this.plugins.removeTask(connector, task)
  }

  tasks (): TaskMetrics[] {
    return [...this.#tasks.values()].sort((a, b) => a.connector < b.connector ? -1 : a.connector > b.connector ? 1 : a.task - b.task)
  }

  taskStatus (t: TaskMetrics): string {
    return this.status(t.connector)?.tasks.find(x => x.id === t.task)?.state ?? t.state
  }

  /** Per connector: its tasks by state, from the herder's statuses (the worker's own view without them). */
  taskCounts (connector: string): Record<(typeof TASK_COUNT_STATES)[number], number> & { total: number } {
    const counts = { running: 0, paused: 0, failed: 0, unassigned: 0, destroyed: 0, restarting: 0, total: 0 }
    const status = this.status(connector)
    const states = status ? status.tasks.map(t => t.state) : this.tasks().filter(t => t.connector === connector).map(t => t.state)
    for (const s of states) {
      const k = s.toLowerCase() as keyof typeof counts
      if (k in counts && k !== 'total') counts[k]++
      counts.total++
    }
    return counts
  }

  // ---- The status view ----------------------------------------------------------------------------------------------

  snapshot (): TaskSnapshot[] {
    return this.tasks().map(t => {
      if (t.kind === 'source') t.foldWrites()
      const errors = t.errorCounts()
      return {
        connector: t.connector,
        task: t.task,
        type: t.kind,
        state: this.taskStatus(t),
        recordsIn: t.kind === 'source' ? t.pollTotal : t.readTotal,
        recordsOut: t.kind === 'source' ? t.writeTotal : t.sendTotal,
        errors: errors?.errors ?? 0,
        lag: t.totalLag(),
        lastCommitAt: t.lastCommitAt
      }
    })
  }
}

function taskKey (connector: string, task: number): string { return `${connector}\u0000${task}` }
