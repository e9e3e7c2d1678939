/**
 * One connector as the standalone herder keeps it: its config, target state and status, its task configs and
 * statuses, and the moves that change them (start and stop the instance, regenerate and restart tasks, automatic
 * task restarts, reloads when provider values expire). The Worker does the running; the herder's queue orders every
 * move, so none of these methods runs concurrently with another change.
 */
import { parseConnectorConfig, type ConnectorConfig } from '../config/connector-config.ts'
import type { ConnectorBase, PluginDescriptor, Task } from '../api/index.ts'
import type { ConnectorStateInfo } from '../rest/entities.ts'
import { createLogger, describeError, type Logger } from '../util/logger.ts'
import type { State, StatusEntry, TargetState, TaskStatusEntry } from './status.ts'
import { TaskRestartPolicy } from './task-restart-policy.ts'
import type { HerderWorker, RunningTask } from './worker.ts'
import type { TaskId } from './worker-task.ts'

/** What a connector needs from its herder. */
export interface HerderConnectorContext {
  readonly worker: HerderWorker
  /** Runs `fn` after every earlier change (the herder's queue). */
  serial<T> (fn: () => Promise<T>): Promise<T>
  /** The connector is still the herder's one of its name (not deleted or replaced). */
  isCurrent (c: HerderConnector): boolean
  trackTopic (name: string, topic: string): void
}

/** setTimeout's longest delay (about 24.8 days); a longer TTL restarts then, early but harmlessly. */
const MAX_TIMER_MS = 2 ** 31 - 1

export class HerderConnector {
  readonly name: string
  config: Record<string, string>
  descriptor: PluginDescriptor<'source' | 'sink'>
  connector: ConnectorBase<Task> | null = null
  target: TargetState
  status: StatusEntry = { state: 'UNASSIGNED' }
  /** The config with provider variables resolved: what the connector, its tasks and their plugins receive. */
  resolved: Record<string, string>
  /** The task configs last generated, raw (what GET .../tasks shows); [] when none. */
  taskConfigs: Array<Record<string, string>> = []
  /** The same task configs as the tasks receive them (variables resolved). */
  resolvedTaskConfigs: Array<Record<string, string>> = []
  /** Running task instances by id. */
  readonly tasks = new Map<number, RunningTask>()
  readonly taskStatus = new Map<number, TaskStatusEntry>()
  passwordKeys: Set<string>
  /** errors.task.restart.*: each task's failure series and its pending automatic restart. */
  readonly #autoRestart = new Map<number, { policy: TaskRestartPolicy, timer: NodeJS.Timeout | null }>()
  /** config.action.reload=restart: the restart due when a provider value this start resolved expires. */
  #reloadTimer: NodeJS.Timeout | null = null
  /** `resolved` parsed (the settings the herder itself reads), once per resolution. */
  #settings: { of: Readonly<Record<string, string>>, config: ConnectorConfig } | null = null
  readonly #ctx: HerderConnectorContext

  constructor (ctx: HerderConnectorContext, name: string, config: Record<string, string>, descriptor: PluginDescriptor<'source' | 'sink'>,
    target: TargetState, passwordKeys: Set<string>) {
    this.#ctx = ctx
    this.name = name
    this.config = { ...config }
    this.descriptor = descriptor
    this.target = target
    this.resolved = { ...config }
    this.passwordKeys = passwordKeys
  }

  /** The resolved config's typed settings, parsed on first use after each resolution. */
  get settings (): ConnectorConfig {
    if (this.#settings?.of !== this.resolved) this.#settings = { of: this.resolved, config: parseConnectorConfig(this.resolved, this.descriptor.kind) }
    return this.#settings.config
  }

  /** Apache's status body; a restart plan shows what restarts as RESTARTING. */
  statusInfo (workerId: string, restarting?: { connector: boolean, tasks: ReadonlySet<number> }): ConnectorStateInfo {
    // Apache omits a version of "undefined"; its tasks report their connector plugin's version here too.
    const version = this.descriptor.version === 'undefined' ? {} : { version: this.descriptor.version }
    // An entry shown as RESTARTING in a restart plan keeps the trace of the failure it restarts from, as Apache's does.
    const entry = (s: StatusEntry, show: boolean): { state: State, trace?: string } => {
      const state = show ? 'RESTARTING' : s.state
      return s.trace ? { state, trace: s.trace } : { state }
    }
    const conn = entry(this.status, restarting?.connector ?? false)
    return {
      name: this.name,
      connector: conn.trace !== undefined ? { state: conn.state, worker_id: workerId, ...version, trace: conn.trace } : { state: conn.state, worker_id: workerId, ...version },
      tasks: [...this.taskStatus.values()].sort((a, b) => a.id - b.id).map(t => {
        const e = entry(t, restarting?.tasks.has(t.id) ?? false)
        return e.trace !== undefined ? { id: t.id, state: e.state, worker_id: workerId, ...version, trace: e.trace } : { id: t.id, state: e.state, worker_id: workerId, ...version }
      }),
      type: this.descriptor.kind
    }
  }

  // ---- The connector instance -------------------------------------------------------------------------------------

  /** Starts a new connector instance. Throws (leaving the connector FAILED with its trace) when start() fails. */
  async start (): Promise<void> {
    await this.#ctx.worker.startConnector(this.name, this.descriptor, this.config, {
      created: connector => { this.connector = connector },
      requestTaskReconfiguration: async connector => {
        await this.#ctx.serial(async () => {
          if (this.connector !== connector || !this.#ctx.isCurrent(this) || this.target !== 'STARTED') return
          await this.reconfigureTasks(false)
        })
      },
      raiseError: (connector, error) => { if (this.connector === connector) this.status = { state: 'FAILED', trace: describeError(error) } },
      resolved: (config, ttls, logger) => {
        this.resolved = config
        this.#scheduleReload(ttls, logger)
      },
      failed: trace => { this.status = { state: 'FAILED', trace } },
      started: () => { this.status = { state: 'RUNNING' } }
    })
  }

  async stopInstance (): Promise<void> {
    if (this.#reloadTimer) clearTimeout(this.#reloadTimer)
    this.#reloadTimer = null
    const connector = this.connector
    this.connector = null
    if (connector) await this.#ctx.worker.stopConnector(this.name, connector)
    this.status = { state: 'UNASSIGNED' }
  }

  /** A new instance, unless the target state says the connector does not run (then that state is its status). */
  async restartInstance (): Promise<void> {
    await this.stopInstance()
    if (this.target === 'STOPPED') { this.status = { state: 'STOPPED' }; return }
    if (this.target === 'PAUSED') { this.status = { state: 'PAUSED' }; return }
    await this.start()
  }

  /**
   * config.action.reload=restart (the default): when a provider says how long the values it gave stay valid (a TTL),
   * the connector restarts once the first of them expires, and resolves them again. Apache restarts only the connector
   * instance, whose tasks then keep the expired values (their configs hold the same variables, so they do not
   * change); here its tasks restart with it, since they are what usually uses a rotated secret.
   */
  #scheduleReload (ttls: ReadonlyMap<string, number>, logger: Logger): void {
    if (this.#reloadTimer) clearTimeout(this.#reloadTimer)
    this.#reloadTimer = null
    if (ttls.size === 0) return
    if (this.settings.reloadAction !== 'restart') return
    const ttl = Math.min(...ttls.values())
    logger.info(`Scheduling a restart of connector ${this.name} in ${ttl} ms`)
    const timer = setTimeout(() => {
      if (this.#reloadTimer !== timer || !this.#ctx.isCurrent(this)) return
      this.#reloadTimer = null
      this.#ctx.serial(async () => {
        if (!this.#ctx.isCurrent(this) || this.target === 'STOPPED') return
        logger.info(`Restarting connector ${this.name} and its tasks: config provider values it uses have expired`)
        await this.restartInstance()
        // Task configs generated again from the newly resolved connector config, and every task restarted with them.
        if (this.target === 'STARTED') await this.reconfigureTasks(true)
      }).catch((err: unknown) => logger.error(`Restarting connector ${this.name} after its config provider values expired failed`, err))
    }, Math.min(ttl, MAX_TIMER_MS))
    // A pending reload never keeps the process alive.
    timer.unref()
    this.#reloadTimer = timer
  }

  // ---- Tasks ------------------------------------------------------------------------------------------------------

  /** Regenerates task configs; restarts every task when they differ (or when `force`). */
  async reconfigureTasks (force: boolean): Promise<void> {
    if (!this.connector) return
    const resolvedConfigs = this.#ctx.worker.connectorTaskConfigs(this.name, this.descriptor, this.connector, this.resolved, trace => { this.status = { state: 'FAILED', trace } })
    // Task configs are kept, compared and shown with the connector's variables put back in place of their values.
    const resolver = this.#ctx.worker.settings.configResolver
    const configs = resolver ? resolver.reverseTransform(this.config, resolvedConfigs) : resolvedConfigs
    if (!force && this.tasks.size === configs.length && sameConfigs(configs, this.taskConfigs)) return
    await this.stopTasks(true)
    this.taskConfigs = configs
    this.resolvedTaskConfigs = resolvedConfigs
    for (let i = 0; i < configs.length; i++) this.startTask(i)
  }

  /** Starts task `index` from its stored config; a failure to build it shows as a FAILED task. Returns success. */
  startTask (index: number): boolean {
    const props = this.resolvedTaskConfigs[index] ?? this.taskConfigs[index]!
    const id: TaskId = { connector: this.name, task: index }
    try {
      // In the try: settings that do not parse fail the task, as the worker's own parse of them would.
      this.#autoRestartOf(index).policy.started()
      const taskClass = this.connector?.taskClass() ?? this.descriptor.create().taskClass()
      // A task that was stopped or replaced no longer speaks for its id.
      let self: RunningTask | null = null
      this.#ctx.worker.startTask({
        id, kind: this.descriptor.kind, taskClass, taskConfig: props, connectorConfig: this.resolved,
        paused: this.target === 'PAUSED',
        listener: {
          onStateChange: (tid: TaskId, st: State, trace?: string) => {
            if (self !== null && this.tasks.get(tid.task) !== self) return
            this.taskStatus.set(tid.task, trace === undefined ? { id: tid.task, state: st } : { id: tid.task, state: st, trace })
            if (st === 'FAILED') this.#scheduleAutoRestart(tid.task, self, trace)
          }
        },
        onTopic: t => { if (self !== null && this.tasks.get(id.task) === self) this.#ctx.trackTopic(this.name, t) },
        attach: task => {
          self = task
          this.tasks.set(id.task, task)
        }
      })
      return true
    } catch (err) {
      createLogger('Worker').error(`Failed to start task ${this.name}-${index}`, err)
      this.taskStatus.set(index, { id: index, state: 'FAILED', trace: describeError(err) })
      return false
    }
  }

  /**
   * Stops the given tasks (all by default) within one shared deadline. `automatic`: an automatic restart, which keeps
   * the tasks' failure series; any other stop (REST restart, reconfiguration, delete) ends them.
   */
  async stopTasks (clearConfigs: boolean, only?: ReadonlySet<number>, automatic = false): Promise<void> {
    this.#cancelAutoRestarts(only, !automatic)
    const tasks = [...this.tasks.entries()].filter(([id]) => !only || only.has(id))
    for (const [id] of tasks) this.tasks.delete(id)
    await this.#ctx.worker.stopAndAwaitTasks(this.name, tasks)
    if (only) {
      for (const id of only) this.taskStatus.delete(id)
    } else {
      this.taskStatus.clear()
    }
    if (clearConfigs && !only) { this.taskConfigs = []; this.resolvedTaskConfigs = [] }
  }

  /** The task's automatic-restart bookkeeping (errors.task.restart.*), created on first use. */
  #autoRestartOf (index: number): { policy: TaskRestartPolicy, timer: NodeJS.Timeout | null } {
    let entry = this.#autoRestart.get(index)
    if (!entry) {
      entry = { policy: new TaskRestartPolicy(this.settings.restartPolicy), timer: null }
      this.#autoRestart.set(index, entry)
    }
    return entry
  }

  /** Beyond Apache: a failed task restarts on its own after a backoff, when the connector opted in. */
  #scheduleAutoRestart (index: number, failed: RunningTask | null, trace: string | undefined): void {
    const entry = this.#autoRestartOf(index)
    if (!entry.policy.enabled || entry.timer !== null) return
    const decision = entry.policy.failed()
    const log = createLogger('WorkerTaskAutoRestart')
    if (!decision.restart) {
      log.error(`Task ${this.name}-${index} failed ${decision.attempts} times in a row; not restarting it again (errors.task.restart.max.attempts=${entry.policy.maxAttempts})`)
      this.taskStatus.set(index, { id: index, state: 'FAILED', trace: `${trace ?? ''}\n(automatic restarts gave up after ${decision.attempts} attempts)` })
      return
    }
    log.warn(`Task ${this.name}-${index} failed; restarting it automatically in ${decision.delayMs} ms (attempt ${decision.attempt} of ${entry.policy.maxAttempts})`)
    this.taskStatus.set(index, { id: index, state: 'RESTARTING', trace: `Automatic restart ${decision.attempt} of ${entry.policy.maxAttempts} in ${decision.delayMs} ms after this failure:\n${trace ?? ''}` })
    entry.timer = setTimeout(() => {
      entry.timer = null
      void this.#ctx.serial(async () => {
        // Only if nothing changed meanwhile: the same connector, running, with the failed task still in place.
        if (!this.#ctx.isCurrent(this) || this.target !== 'STARTED' || this.tasks.get(index) !== failed) return
        await this.stopTasks(false, new Set([index]), true)
        if (index < this.taskConfigs.length) this.startTask(index)
      }).catch((err: unknown) => log.error(`Automatic restart of task ${this.name}-${index} failed`, err))
    }, decision.delayMs)
    entry.timer.unref()
  }

  #cancelAutoRestarts (only?: ReadonlySet<number>, reset = true): void {
    for (const [id, entry] of this.#autoRestart) {
      if (only && !only.has(id)) continue
      if (entry.timer) clearTimeout(entry.timer)
      entry.timer = null
      if (reset) this.#autoRestart.delete(id)
    }
  }
}

export function sameMap (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every(k => b[k] === a[k])
}

function sameConfigs (a: ReadonlyArray<Record<string, string>>, b: ReadonlyArray<Record<string, string>>): boolean {
  return a.length === b.length && a.every((x, i) => sameMap(x, b[i]!))
}
