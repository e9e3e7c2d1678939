/**
 * The entry of a task process (task.placement): one Node.js process running one task with its own Kafka clients,
 * so that a connector's tasks use more than one core. node-rdkafka cannot run in worker threads (its addon is not
 * context-aware and dispatches its callbacks on the main thread's loop), hence processes.
 *
 * The worker (process-task.ts) sends a `start` message; this process builds its plugin registry from plugin.path,
 * builds the task exactly as the worker's main thread does (task-builder.ts) and runs it, reporting back over IPC.
 * Signals are ignored: the worker decides when the task stops (a terminal's Ctrl-C reaches the whole process group),
 * and a worker that went away (the IPC channel closed) stops the task too.
 */
import type { Task, TaskClass } from '../api/index.ts'
import { loadPluginPath } from '../plugins/loader.ts'
import { builtinRegistry } from '../plugins/builtin.ts'
import { canonicalPartitionKey } from '../storage/offset-key.ts'
import { createLogger, describeError, logProcessWarnings, setLogFormat, setLoggerLevel, setLogSink, withLogContext } from '../util/logger.ts'
import { PluginMetricsRegistry } from './metrics/plugin-metrics.ts'
import { TaskMetrics } from './metrics/task-metrics.ts'
import { buildWorkerTask, DEFAULT_CLIENTS, type WorkerTaskInstance } from './task-builder.ts'
import { fromErrorData, toErrorData, type FromTaskProcess, type MetricsData, type OffsetEntry, type TaskProcessStart, type ToTaskProcess } from './task-process-protocol.ts'
import type { SourceOffsetStore } from './worker-source-task.ts'

/** How long a task whose worker went away gets to stop before this process exits anyway. */
const ORPHAN_STOP_MS = 5000

function send (msg: FromTaskProcess, then?: () => void): void {
  if (!process.connected) { then?.(); return }
  try {
    process.send!(msg, undefined, {}, () => then?.())
  } catch {
    then?.()
  }
}

const pending = new Map<number, { resolve: () => void, reject: (err: Error) => void }>()
let nextRequest = 0

/** Asks the worker to do something only it can do; resolves with its answer. */
async function request (msg: { type: 'offsets', entries: OffsetEntry[] } | { type: 'ensureTopics', topics: string[] }): Promise<void> {
  const id = nextRequest++
  return await new Promise<void>((resolve, reject) => {
    pending.set(id, { resolve, reject })
    send({ ...msg, id })
  })
}

/** The connector's offsets as this process sees them: preloaded at start, updated by its own writes (get() stays synchronous). */
class LocalOffsetView implements SourceOffsetStore {
  readonly #offsets = new Map<string, Record<string, unknown> | null>()
  constructor (connector: string, entries: readonly OffsetEntry[]) {
    for (const e of entries) this.#offsets.set(canonicalPartitionKey(connector, e.partition), e.offset)
  }

  get (connector: string, partition: Record<string, unknown>): Record<string, unknown> | null {
    const o = this.#offsets.get(canonicalPartitionKey(connector, partition))
    return o ? { ...o } : null
  }

  async set (connector: string, entries: OffsetEntry[]): Promise<void> {
    await request({ type: 'offsets', entries })
    // Only once the worker's store took them, as a task on the main thread sees the store's own state.
    for (const e of entries) this.#offsets.set(canonicalPartitionKey(connector, e.partition), e.offset)
  }
}

let task: WorkerTaskInstance | null = null
let finishing = false

async function start (spec: TaskProcessStart): Promise<void> {
  setLogFormat(spec.logFormat)
  if (spec.logFormat === 'json') logProcessWarnings()
  setLogSink({ write: line => send({ type: 'log', line }) })
  for (const [name, level] of spec.logLevels) setLoggerLevel(name, level)
  const { id } = spec
  const metrics = new TaskMetrics(id.connector, id.task, spec.kind, spec.metricsWindow)
  const plugins = new PluginMetricsRegistry()
  const snapshot = (): MetricsData => ({ task: metrics.exportState(), plugins: plugins.exportTask(id.connector, id.task) })
  let wt: WorkerTaskInstance
  try {
    const registry = builtinRegistry()
    if (spec.pluginPath.length > 0) await loadPluginPath(spec.pluginPath, registry)
    const connector = registry.resolveConnector(spec.connectorClass).create()
    const taskClass = connector.taskClass() as TaskClass<Task>
    if (taskClass.name !== spec.taskClassName) {
      throw new Error(`The connector ${spec.connectorClass} gave the task class ${taskClass.name} in the task process, ${spec.taskClassName} in the worker: a connector whose task class depends on its config cannot run its tasks in processes (task.placement=main)`)
    }
    const settings = {
      ...spec.settings,
      ...(spec.ensureTopics ? { ensureTopics: async (topics: readonly string[]) => { await request({ type: 'ensureTopics', topics: [...topics] }) } } : {})
    }
    wt = buildWorkerTask({
      settings, registry, clients: DEFAULT_CLIENTS, offsetStore: new LocalOffsetView(id.connector, spec.offsets),
      pluginMetrics: plugins.scope(id.connector, id.task)
    }, {
      id, kind: spec.kind, taskConfig: spec.taskConfig, connectorConfig: spec.connectorConfig,
      listener: { onStateChange: (_id, state, trace) => { send({ type: 'state', state, ...(trace !== undefined ? { trace } : {}), metrics: snapshot() }) } },
      onTopic: topic => { send({ type: 'topic', topic }) }
    }, new taskClass(), metrics)
  } catch (err) {
    createLogger('Worker').error(`Failed to start task ${id.connector}-${id.task}`, err)
    send({ type: 'buildFailed', trace: describeError(err), error: toErrorData(err) }, () => process.exit(0))
    return
  }
  task = wt
  send({ type: 'built' })
  if (spec.paused) wt.pause()
  withLogContext(`${id.connector}|task-${id.task}`, () => wt.start())
  const timer = setInterval(() => { send({ type: 'metrics', metrics: snapshot() }) }, spec.metricsIntervalMs)
  timer.unref()
  finishStop = async () => {
    wt.signalStop()
    // The worker bounds the stop (it cancels, then kills this process); here the task gets whatever time it needs.
    await wt.awaitStop(Date.now() + 2 ** 31 - 1)
    clearInterval(timer)
    send({ type: 'stopped', metrics: snapshot() }, () => process.exit(0))
  }
}

let finishStop: (() => Promise<void>) | null = null

function stop (): void {
  if (finishing) return
  finishing = true
  if (finishStop === null) { process.exit(0) }
  void finishStop()
}

process.on('message', (msg: ToTaskProcess) => {
  switch (msg.type) {
    case 'start':
      start(msg).catch((err: unknown) => { send({ type: 'fatal', trace: describeError(err) }, () => process.exit(1)) })
      break
    case 'pause': task?.pause(); break
    case 'resume': task?.resume(); break
    case 'logLevel': setLoggerLevel(msg.name, msg.level); break
    case 'stop': stop(); break
    case 'cancel':
      // The worker gave up on a stuck task: release its clients and go; the worker kills what is left.
      task?.cancel()
      setTimeout(() => process.exit(0), 1000).unref()
      break
    case 'reply': {
      const p = pending.get(msg.id)
      pending.delete(msg.id)
      if (msg.error) p?.reject(fromErrorData(msg.error))
      else p?.resolve()
      break
    }
  }
})

process.on('disconnect', () => {
  // The worker is gone: nothing reads this task's state any more. Stop it within a bound and exit.
  setTimeout(() => process.exit(0), ORPHAN_STOP_MS).unref()
  stop()
})

// A failure nothing caught fails this task only: the worker marks it FAILED with this trace.
const fatal = (err: unknown): void => { send({ type: 'fatal', trace: describeError(err) }, () => process.exit(70)) }
process.on('uncaughtException', fatal)
process.on('unhandledRejection', fatal)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {})
