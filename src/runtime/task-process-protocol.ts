/**
 * What the worker and a task process (task.placement) tell each other over the IPC channel (advanced serialization:
 * structured clone, so offsets keep their bigints). The worker sends one `start` with everything the process needs to
 * build the task itself; after that only pause, resume, stop and cancel. The process answers with the task's state
 * changes, metrics, topics and log lines, and asks the worker for what only it has (offset writes, embedded topics).
 */
import type { Log4jLevel, LogFormat } from '../util/logger.ts'
import type { ExportedPluginFamily } from './metrics/plugin-metrics.ts'
import type { SampleWindowSettings } from './metrics/sampled-stat.ts'
import type { TaskMetricsState } from './metrics/task-metrics.ts'
import type { State } from './status.ts'
import type { TaskSpec, WorkerSettings } from './worker.ts'
import type { TaskId } from './worker-task.ts'

/** task.placement: where tasks run. */
export const TASK_PLACEMENTS = ['main', 'process', 'auto'] as const
export type TaskPlacement = typeof TASK_PLACEMENTS[number]

/** The worker settings a task process gets: the plain data, without the main process's objects and functions. */
export type TaskProcessSettings = Omit<WorkerSettings, 'ensureTopics' | 'configResolver' | 'metrics'>

export interface OffsetEntry { partition: Record<string, unknown>, offset: Record<string, unknown> | null }

export interface TaskProcessStart {
  type: 'start'
  id: TaskId
  kind: TaskSpec['kind']
  /** The connector class (name or alias, as configured): the process asks its own instance for the task class. */
  connectorClass: string
  /** The task class's name as the worker's connector gave it: the process checks it built the same one. */
  taskClassName: string
  taskConfig: Record<string, string>
  connectorConfig: Record<string, string>
  paused: boolean
  settings: TaskProcessSettings
  /** The embedded broker's topics are created by the worker (ensureTopics requests). */
  ensureTopics: boolean
  pluginPath: string[]
  logFormat: LogFormat
  /** Log levels set explicitly (root and the REST API's), in the order to apply them. */
  logLevels: Array<[string, Log4jLevel]>
  /** The connector's source offsets when the task starts: the process's local view, which its own writes update. */
  offsets: OffsetEntry[]
  metricsWindow: SampleWindowSettings
  metricsIntervalMs: number
}

export type ToTaskProcess =
  | TaskProcessStart
  | { type: 'pause' } | { type: 'resume' } | { type: 'stop' } | { type: 'cancel' }
  /** A level set through the REST API (PUT /admin/loggers) while the task runs. */
  | { type: 'logLevel', name: string, level: Log4jLevel }
  | { type: 'reply', id: number, error?: ErrorData }

export interface MetricsData { task: TaskMetricsState, plugins: ExportedPluginFamily[] }

export type FromTaskProcess =
  | { type: 'built' }
  | { type: 'buildFailed', trace: string, error: ErrorData }
  | { type: 'state', state: State, trace?: string, metrics: MetricsData }
  | { type: 'metrics', metrics: MetricsData }
  | { type: 'topic', topic: string }
  | { type: 'log', line: string }
  | { type: 'offsets', id: number, entries: OffsetEntry[] }
  | { type: 'ensureTopics', id: number, topics: string[] }
  | { type: 'stopped', metrics: MetricsData }
  | { type: 'fatal', trace: string }

/** An error across the channel: its class name, message and code survive, so callers can tell them apart. */
export interface ErrorData { name: string, message: string, code?: string, stack?: string }

export function toErrorData (err: unknown): ErrorData {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) }
  const code = (err as { code?: unknown }).code
  return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}), ...(err.stack !== undefined ? { stack: err.stack } : {}) }
}

export function fromErrorData (e: ErrorData): Error {
  const err = new Error(e.message) as Error & { code?: string }
  err.name = e.name
  if (e.code !== undefined) err.code = e.code
  if (e.stack !== undefined) err.stack = e.stack
  return err
}
