/**
 * A task running in a process of its own (task.placement), as the herder sees it: a RunningTask whose pause, resume
 * and stop are messages to the process, whose state changes, metrics, topics and log lines come back from it, and
 * whose offset writes the worker's own store performs. A process that dies (an uncaught error, out of memory,
 * process.exit in plugin code) fails its task with the reason, never the worker.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { extname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import chalk from 'chalk'
import { parseConnectorConfig } from '../config/connector-config.ts'
import { createLogger, explicitLoggerLevels, logFormat, onLoggerLevelChange, writeFormattedLine } from '../util/logger.ts'
import type { StartupCounts } from './metrics/connect-metrics.ts'
import type { PluginMetricsRegistry } from './metrics/plugin-metrics.ts'
import type { TaskMetrics } from './metrics/task-metrics.ts'
import {
  fromErrorData, toErrorData, type FromTaskProcess, type MetricsData, type TaskPlacement, type TaskProcessStart, type ToTaskProcess
} from './task-process-protocol.ts'
import type { RunningTask, TaskSpec, WorkerOffsetStore, WorkerSettings } from './worker.ts'
import { taskIdString } from './worker-task.ts'

/** How often a task process sends its metrics (and at every state change and at its stop). */
export const TASK_PROCESS_METRICS_INTERVAL_MS = 1000
/** How long a cancelled task process gets to close its Kafka clients before it is killed. */
const CANCEL_GRACE_MS = 1500

/** Whether a task of a connector with this config runs in a process of its own. */
export function runsInProcess (placement: TaskPlacement | undefined, connectorConfig: Readonly<Record<string, string>>, kind: 'source' | 'sink'): boolean {
  if (placement === undefined || placement === 'main') return false
  // Parsed here also for 'process': settings that do not parse fail the start at once, as on the main thread.
  const tasksMax = parseConnectorConfig(connectorConfig, kind).tasksMax
  return placement === 'process' || tasksMax > 1
}

/** The entry next to this module, with this module's own extension (.js from dist, .ts under tsx). */
function entry (): { file: string, execArgv: string[] } {
  const self = fileURLToPath(import.meta.url)
  const ext = extname(self)
  const file = fileURLToPath(new URL(`./task-process${ext}`, import.meta.url))
  // A debugger's port is the worker's own; the task processes do without.
  const execArgv = process.execArgv.filter(a => !a.startsWith('--inspect'))
  if (ext === '.ts' && !execArgv.some(a => a.includes('tsx'))) {
    // Under tsx started another way than --import tsx (tsx's CLI): the child loads .ts through tsx's hooks.
    execArgv.push('--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href)
  }
  return { file, execArgv }
}

export interface ProcessTaskOptions {
  spec: TaskSpec
  settings: WorkerSettings
  offsetStore: WorkerOffsetStore
  metrics: TaskMetrics
  plugins: PluginMetricsRegistry
  startups: StartupCounts
  metricsWindow: { windowMs: number, samples: number }
}

export class ProcessTask implements RunningTask {
  readonly #o: ProcessTaskOptions
  readonly #child: ChildProcess
  readonly #exited: Promise<void>
  readonly #log = createLogger('Worker')
  #built = false
  #stopped = false
  #stopRequested = false
  #cancelled = false
  #fatal: string | null = null

  constructor (options: ProcessTaskOptions) {
    this.#o = options
    const { spec, settings } = options
    const { file, execArgv } = entry()
    this.#child = fork(file, [], {
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // The child's stderr is no terminal: it colours its lines as this process does.
      env: { ...process.env, FORCE_COLOR: String(chalk.level) }
    })
    // Levels set through the REST API while the task runs reach its process too.
    const unsubscribe = onLoggerLevelChange((name, level) => { this.#send({ type: 'logLevel', name, level }) })
    this.#exited = new Promise(resolve => { this.#child.once('exit', (code, signal) => { unsubscribe(); this.#onExit(code, signal); resolve() }) })
    this.#child.on('error', err => {
      this.#fatal ??= `Task process of ${taskIdString(spec.id)} failed: ${err.message}`
      // A process that could not be started has no exit to report it.
      if (this.#child.pid === undefined) spec.listener.onStateChange(spec.id, 'FAILED', this.#fatal)
    })
    this.#child.on('message', (msg: FromTaskProcess) => { this.#onMessage(msg) })
    const { ensureTopics, configResolver, metrics, ...plain } = settings
    void configResolver; void metrics
    const start: TaskProcessStart = {
      type: 'start',
      id: spec.id,
      kind: spec.kind,
      connectorClass: spec.connectorConfig['connector.class'] ?? '',
      taskClassName: spec.taskClass.name,
      taskConfig: { ...spec.taskConfig },
      connectorConfig: { ...spec.connectorConfig },
      paused: spec.paused,
      settings: plain,
      ensureTopics: ensureTopics !== undefined,
      pluginPath: [...(settings.pluginPath ?? [])],
      logFormat: logFormat(),
      logLevels: explicitLoggerLevels(),
      offsets: spec.kind === 'source' ? options.offsetStore.getAll(spec.id.connector) : [],
      metricsWindow: options.metricsWindow,
      metricsIntervalMs: TASK_PROCESS_METRICS_INTERVAL_MS
    }
    this.#send(start)
  }

  #send (msg: ToTaskProcess): void {
    if (!this.#child.connected) return
    try { this.#child.send(msg) } catch { /* the exit handler reports it */ }
  }

  #apply (m: MetricsData): void {
    // An abandoned task's metrics are gone from the worker's; its last words must not bring them back.
    if (this.#cancelled) return
    const { id } = this.#o.spec
    this.#o.metrics.importState(m.task)
    this.#o.plugins.importTask(id.connector, id.task, m.plugins)
  }

  #onMessage (msg: FromTaskProcess): void {
    const { spec } = this.#o
    switch (msg.type) {
      case 'log': writeFormattedLine(msg.line); break
      case 'built': this.#built = true; this.#o.startups.success(); break
      case 'buildFailed':
        this.#built = true
        this.#o.startups.failure()
        spec.listener.onStateChange(spec.id, 'FAILED', msg.trace)
        break
      case 'state':
        this.#apply(msg.metrics)
        spec.listener.onStateChange(spec.id, msg.state, msg.trace)
        break
      case 'metrics': this.#apply(msg.metrics); break
      case 'topic': spec.onTopic(msg.topic); break
      case 'stopped': this.#apply(msg.metrics); this.#stopped = true; break
      case 'fatal': this.#fatal = msg.trace; break
      case 'offsets':
        this.#reply(msg.id, async () => { await this.#o.offsetStore.set(spec.id.connector, msg.entries) })
        break
      case 'ensureTopics':
        this.#reply(msg.id, async () => { await this.#o.settings.ensureTopics?.(msg.topics) })
        break
    }
  }

  #reply (id: number, fn: () => Promise<void>): void {
    fn().then(() => { this.#send({ type: 'reply', id }) }, (err: unknown) => { this.#send({ type: 'reply', id, error: toErrorData(err) }) })
  }

  #onExit (code: number | null, signal: NodeJS.Signals | null): void {
    const { spec } = this.#o
    if (!this.#built) this.#o.startups.failure()
    if (this.#stopped || this.#cancelled || (this.#stopRequested && this.#fatal === null)) return
    const how = signal !== null ? `signal ${signal}` : `exit code ${String(code)}`
    const trace = this.#fatal !== null
      ? `${this.#fatal}\n(the task process ended with ${how})`
      : `Task process of ${taskIdString(spec.id)} exited unexpectedly with ${how}${signal === 'SIGKILL' ? ' (killed: out of memory?)' : ''}`
    this.#log.error(`Task ${taskIdString(spec.id)} failed: its process ended with ${how}`, this.#fatal !== null ? fromErrorData({ name: 'TaskProcessError', message: this.#fatal.split('\n')[0]!, stack: this.#fatal }) : undefined)
    spec.listener.onStateChange(spec.id, 'FAILED', trace)
  }

  /** The process's pid (tests, diagnostics). */
  get pid (): number | undefined { return this.#child.pid }

  pause (): void { this.#send({ type: 'pause' }) }
  resume (): void { this.#send({ type: 'resume' }) }

  signalStop (): void {
    this.#stopRequested = true
    this.#send({ type: 'stop' })
  }

  async awaitStop (deadline: number): Promise<boolean> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return true
    let timer: NodeJS.Timeout | undefined
    const finished = await Promise.race([
      this.#exited.then(() => true),
      new Promise<boolean>(resolve => { timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now())) })
    ])
    clearTimeout(timer)
    return finished
  }

  cancel (): void {
    this.#cancelled = true
    this.#send({ type: 'cancel' })
    const timer = setTimeout(() => { if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL') }, CANCEL_GRACE_MS)
    timer.unref()
  }
}
