/**
 * The standalone herder (Apache's StandaloneHerder): the config and status bookkeeping of every connector and its
 * tasks, with every change serialised through one queue (Apache's is `synchronized`). The Worker runs what it decides:
 * connector instances and tasks. It answers the REST API and the CLI through the Herder interface: infos, statuses,
 * restarts, pause/resume/stop, offsets, topics and validation, and keeps target states in the config store.
 */
import { hasVariables, hideResolvedValues } from '../config/config-transformer.ts'
import {
  AlreadyExistsError, BadRequestError, ConfigError, ConnectError, NotFoundError, RestProtocolError, TimeoutError,
  ErrorCode, type ConnectorBase, type PluginDescriptor, type Task
} from '../api/index.ts'
import { CONFIG_RELOAD_ACTION_CONFIG, ensureValidConnectorConfig } from '../config/connector-config.ts'
import type { SinkGroupOffsets } from '../kafka/consumer-group-offsets.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import type { ConnectorConfigStore, StoredConnector } from '../storage/connector-config-store.ts'
import { createLogger, describeError, type Logger } from '../util/logger.ts'
import { redact } from './config-infos.ts'
import type { State, StatusEntry, TargetState, TaskStatusEntry } from './status.ts'
import type {
  ConfigInfos, ConfigKeyInfo, ConnectorInfo, ConnectorStateInfo, HealthInfo, OffsetEntry, PluginInfo, PutResult, TaskInfo,
  TaskStateEntry
} from '../rest/entities.ts'
import { ConnectorOffsets } from './connector-offsets.ts'
import { ConnectorValidator } from './connector-validator.ts'
import type { Herder, UpsertOptions } from './herder.ts'
import { connectorPluginConfig, connectorPlugins } from './plugin-infos.ts'
import { TaskRestartPolicy, taskRestartSettings } from './task-restart-policy.ts'
import type { HerderWorker, RunningTask, WorkerSettings } from './worker.ts'
import type { TaskId } from './worker-task.ts'

export type { WorkerSettings }

export interface HerderOptions {
  /** Sink offsets (consumer groups) for the REST offsets endpoints. */
  sinkOffsets?: SinkGroupOffsets
  /** Where connector configs and target states are persisted across restarts; none keeps them in memory. */
  configStore?: ConnectorConfigStore
}

/** setTimeout's longest delay (about 24.8 days); a longer TTL restarts then, early but harmlessly. */
const MAX_TIMER_MS = 2 ** 31 - 1

interface ConnectorState {
  name: string
  config: Record<string, string>
  descriptor: PluginDescriptor<'source' | 'sink'>
  connector: ConnectorBase<Task> | null
  target: TargetState
  status: StatusEntry
  /** The config with provider variables resolved: what the connector, its tasks and their plugins receive. */
  resolved: Record<string, string>
  /** The task configs last generated, raw (what GET .../tasks shows); [] when none. */
  taskConfigs: Array<Record<string, string>>
  /** The same task configs as the tasks receive them (variables resolved). */
  resolvedTaskConfigs: Array<Record<string, string>>
  /** Running task instances by id. */
  tasks: Map<number, RunningTask>
  taskStatus: Map<number, TaskStatusEntry>
  passwordKeys: Set<string>
  /** errors.task.restart.*: each task's failure series and its pending automatic restart. */
  autoRestart: Map<number, { policy: TaskRestartPolicy, timer: NodeJS.Timeout | null }>
  /** config.action.reload=restart: the restart due when a provider value this start resolved expires. */
  reloadTimer?: NodeJS.Timeout | null
}

const HEALTH_TIMEOUT_MS = 10_000

export class StandaloneHerder implements Herder {
  readonly #worker: HerderWorker
  readonly #settings: WorkerSettings
  readonly #registry: PluginRegistry
  readonly #options: HerderOptions
  readonly #validator: ConnectorValidator
  readonly #offsets: ConnectorOffsets
  readonly #logger: Logger = createLogger('StandaloneHerder')
  readonly #connectors = new Map<string, ConnectorState>()
  /** Topics each connector has used (kept apart from the connectors: GET .../topics works for any name). */
  readonly #topics = new Map<string, Set<string>>()
  /** Persisted connectors that could not be started; kept in the file untouched. */
  readonly #unloaded = new Map<string, StoredConnector>()
  /**
   * Connectors given by connector files. A file's connector belongs to its file: it is never written to the
   * connector configs file, so it runs again only while its file is given (renaming it in the file leaves no copy
   * under the old name behind); REST changes to it last until the worker stops.
   */
  readonly #fromFiles = new Set<string>()
  #queue: Promise<unknown> = Promise.resolve()
  #ready = false
  #stopping = false

  constructor (worker: HerderWorker, options: HerderOptions = {}) {
    this.#worker = worker
    this.#settings = worker.settings
    this.#registry = worker.registry
    this.#options = options
    this.#validator = new ConnectorValidator(worker.registry, worker.settings)
    this.#offsets = new ConnectorOffsets(worker.offsetStore, options.sinkOffsets)
  }

  get workerId (): string { return this.#settings.workerId }
  get registry (): PluginRegistry { return this.#registry }
  connectorPlugins (connectorsOnly: boolean): PluginInfo[] { return connectorPlugins(this.#registry, connectorsOnly) }
  connectorPluginConfig (pluginName: string): ConfigKeyInfo[] { return connectorPluginConfig(this.#registry, pluginName) }
  get ready (): boolean { return this.#ready }
  /** Start-up (connector files) is done: /health answers healthy from now on. */
  markReady (): void { this.#ready = true }

  /**
   * Runs `fn` after every earlier change has finished. An aborted `signal` (the request timed out or went away) skips
   * a change that has not started yet; one that started always completes, so state stays consistent.
   */
  async #serial<T> (fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const guarded = async (): Promise<T> => {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new TimeoutError('Request timed out')
      if (this.#stopping) throw new ConnectError('The worker is shutting down')
      return await fn()
    }
    const run = this.#queue.then(guarded, guarded)
    this.#queue = run.catch(() => {})
    return await run
  }

  // ---- Reads ------------------------------------------------------------------------------------------------------

  connectors (): string[] { return [...this.#connectors.keys()].sort() }

  hasConnector (name: string): boolean { return this.#connectors.has(name) }

  #get (name: string, message = `Connector ${name} not found`): ConnectorState {
    const c = this.#connectors.get(name)
    if (!c) throw new NotFoundError(message)
    return c
  }

  /** The raw config as stored, PASSWORD-typed values hidden. */
  connectorConfig (name: string): Record<string, string> {
    const c = this.#get(name)
    return redact(c.config, c.passwordKeys)
  }

  connectorInfo (name: string): ConnectorInfo {
    const c = this.#get(name)
    return {
      name,
      config: redact(c.config, c.passwordKeys),
      tasks: c.taskConfigs.map((_cfg, task) => ({ connector: name, task })),
      type: c.descriptor.kind
    }
  }

  taskConfigs (name: string): TaskInfo[] {
    const c = this.#get(name)
    return c.taskConfigs.map((config, task) => ({ id: { connector: name, task }, config: redact(config, c.passwordKeys) }))
  }

  status (name: string): ConnectorStateInfo {
    const c = this.#connectors.get(name)
    if (!c) throw new NotFoundError(`No status found for connector ${name}`)
    return this.#statusOf(c)
  }

  #statusOf (c: ConnectorState, restarting?: { connector: boolean, tasks: ReadonlySet<number> }): ConnectorStateInfo {
    const workerId = this.#settings.workerId
    // Apache omits a version of "undefined"; its tasks report their connector plugin's version here too.
    const version = c.descriptor.version === 'undefined' ? {} : { version: c.descriptor.version }
    // An entry shown as RESTARTING in a restart plan keeps the trace of the failure it restarts from, as Apache's does.
    const entry = (s: StatusEntry, show: boolean): { state: State, trace?: string } => {
      const state = show ? 'RESTARTING' : s.state
      return s.trace ? { state, trace: s.trace } : { state }
    }
    const conn = entry(c.status, restarting?.connector ?? false)
    return {
      name: c.name,
      connector: conn.trace !== undefined ? { state: conn.state, worker_id: workerId, ...version, trace: conn.trace } : { state: conn.state, worker_id: workerId, ...version },
      tasks: [...c.taskStatus.values()].sort((a, b) => a.id - b.id).map(t => {
        const e = entry(t, restarting?.tasks.has(t.id) ?? false)
        return e.trace !== undefined ? { id: t.id, state: e.state, worker_id: workerId, ...version, trace: e.trace } : { id: t.id, state: e.state, worker_id: workerId, ...version }
      }),
      type: c.descriptor.kind
    }
  }

  taskStatus (name: string, task: number): TaskStateEntry {
    const c = this.#connectors.get(name)
    const t = c?.taskStatus.get(task)
    if (!c || !t) throw new NotFoundError(`No status found for task ${name}-${task}`)
    return this.#statusOf(c).tasks.find(x => x.id === task)!
  }

  /** Apache does not check that the connector exists here. */
  topics (name: string): string[] {
    if (this.#settings.topicTrackingEnable === false) throw new RestProtocolError('Topic tracking is disabled.', ErrorCode.FORBIDDEN)
    return [...(this.#topics.get(name) ?? [])].sort()
  }

  /** Like GET, Apache's reset does not check that the connector exists (202 for any name). */
  resetTopics (name: string): void {
    if (this.#settings.topicTrackingEnable === false) throw new RestProtocolError('Topic tracking is disabled.', ErrorCode.FORBIDDEN)
    if (this.#settings.topicTrackingAllowReset === false) throw new RestProtocolError('Topic tracking reset is disabled.', ErrorCode.FORBIDDEN)
    this.#topics.delete(name)
  }

  #trackTopic (name: string, topic: string): void {
    if (this.#settings.topicTrackingEnable === false) return
    let set = this.#topics.get(name)
    if (!set) { set = new Set(); this.#topics.set(name, set) }
    set.add(topic)
  }

  /** PUT /connector-plugins/{plugin}/config/validate: every key, every error; never throws for an invalid config. */
  async validate (config: Readonly<Record<string, string>>, nullKeys: readonly string[] = []): Promise<ConfigInfos> {
    return await this.#validator.validate(config, nullKeys)
  }

  /** /health: 200 once the herder answers within 10 s; 503 while starting; 500 when it is stuck. */
  async health (): Promise<HealthInfo> {
    if (!this.#ready) return { status: 503, body: { status: 'starting', message: 'Worker is still starting up.' } }
    let timer: NodeJS.Timeout | undefined
    const probe = this.#serial(async () => true).catch(() => true)
    const ok = await Promise.race([probe, new Promise<boolean>(resolve => { timer = setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS) })])
    clearTimeout(timer)
    return ok
      ? { status: 200, body: { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' } }
      : { status: 500, body: { status: 'unhealthy', message: 'Worker was unable to handle this request and may be unable to handle other requests.' } }
  }

  // ---- Creating and changing connectors -------------------------------------------------------------------------

  /**
   * Start-up path (connector files): creates a connector and starts it, with the line-aware messages of the CLI.
   * Resolves when the connector has started and its tasks were launched; rejects (and leaves the connector FAILED)
   * when the connector itself could not start.
   */
  async putConnectorConfig (name: string, config: Record<string, string>, initialState: TargetState = 'STARTED'): Promise<void> {
    await this.#serial(async () => {
      const resolved = await this.#validator.resolvedForValidation(config)
      let descriptor: PluginDescriptor<'source' | 'sink'>
      try {
        descriptor = ensureValidConnectorConfig(resolved, this.#registry, `connector ${name}`)
      } catch (err) {
        if (resolved === config || !(err instanceof ConfigError)) throw err
        throw hideResolvedValues(err, config, resolved, new Set(Object.keys(config).filter(k => hasVariables(config[k]!))))
      }
      const existing = this.#connectors.get(name)
      if (existing) throw new AlreadyExistsError(`Connector ${name} already exists`)
      this.#fromFiles.add(name)
      try {
        await this.#create(name, config, descriptor, initialState)
      } finally {
        await this.#persist()
      }
    })
  }

  /**
   * REST path (POST /connectors, PUT .../config): validates (400 with every error), then creates or, when
   * `allowReplace`, replaces the config (the connector restarts; its target state is kept).
   */
  async upsertConnector (name: string, config: Record<string, string>, options: UpsertOptions): Promise<PutResult> {
    return await this.#serial(async () => {
      const descriptor = await this.#validator.validateOrThrow(config, options.nullKeys ?? [])
      const existing = this.#connectors.get(name)
      if (existing && !options.allowReplace) throw new AlreadyExistsError(`Connector ${name} already exists`)
      try {
        if (existing) await this.#updateConfig(existing, config, descriptor)
        else await this.#create(name, config, descriptor, options.initialState ?? 'STARTED')
      } finally {
        await this.#persist()
      }
      return { created: !existing, info: this.connectorInfo(name) }
    }, options.signal)
  }

  /** PATCH .../config: merges into the current raw config (null removes a key), validates and applies like PUT. */
  async patchConnectorConfig (name: string, patch: Readonly<Record<string, string | null>>, signal?: AbortSignal): Promise<ConnectorInfo> {
    return await this.#serial(async () => {
      const c = this.#get(name)
      const config = { ...c.config }
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete config[k]
        else config[k] = v
      }
      if (config.name !== undefined && config.name !== name) {
        throw new BadRequestError(`Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`)
      }
      config.name = name
      const descriptor = await this.#validator.validateOrThrow(config, [])
      try {
        await this.#updateConfig(c, config, descriptor)
      } finally {
        await this.#persist()
      }
      return this.connectorInfo(name)
    }, signal)
  }

  async #create (name: string, config: Record<string, string>, descriptor: PluginDescriptor<'source' | 'sink'>, target: TargetState): Promise<void> {
    const state: ConnectorState = {
      name, config: { ...config }, descriptor, connector: null, target,
      resolved: { ...config }, status: { state: 'UNASSIGNED' }, taskConfigs: [], resolvedTaskConfigs: [], tasks: new Map(), taskStatus: new Map(),
      passwordKeys: this.#validator.passwordKeys(config), autoRestart: new Map()
    }
    this.#connectors.set(name, state)
    this.#unloaded.delete(name)
    if (target === 'STOPPED') { state.status = { state: 'STOPPED' }; return }
    if (target === 'PAUSED') { state.status = { state: 'PAUSED' }; return }
    await this.#startConnector(state)
    await this.#reconfigureTasks(state, true)
  }

  async #updateConfig (c: ConnectorState, config: Record<string, string>, descriptor: PluginDescriptor<'source' | 'sink'>): Promise<void> {
    const changed = !sameMap(c.config, config)
    await this.#stopConnectorInstance(c)
    c.config = { ...config }
    c.descriptor = descriptor
    c.passwordKeys = this.#validator.passwordKeys(config)
    if (c.target === 'STOPPED') { c.status = { state: 'STOPPED' }; return }
    if (c.target === 'PAUSED') {
      // A paused connector does not run, so it cannot generate task configs: its tasks come back on resume.
      if (changed) await this.#stopTasks(c, true)
      c.status = { state: 'PAUSED' }
      return
    }
    await this.#startConnector(c)
    await this.#reconfigureTasks(c, changed)
  }

  /** Starts a new connector instance. Throws (leaving the connector FAILED with its trace) when start() fails. */
  async #startConnector (state: ConnectorState): Promise<void> {
    await this.#worker.startConnector(state.name, state.descriptor, state.config, {
      created: connector => { state.connector = connector },
      requestTaskReconfiguration: async connector => {
        await this.#serial(async () => {
          if (state.connector !== connector || this.#connectors.get(state.name) !== state || state.target !== 'STARTED') return
          await this.#reconfigureTasks(state, false)
        })
      },
      raiseError: (connector, error) => { if (state.connector === connector) state.status = { state: 'FAILED', trace: describeError(error) } },
      resolved: (config, ttls, logger) => {
        state.resolved = config
        this.#scheduleReload(state, ttls, logger)
      },
      failed: trace => { state.status = { state: 'FAILED', trace } },
      started: () => { state.status = { state: 'RUNNING' } }
    })
  }

  /** Asks the running connector for task configs; throws (connector FAILED) when it cannot give them. */
  #generateTaskConfigs (state: ConnectorState): Array<Record<string, string>> {
    return this.#worker.connectorTaskConfigs(state.name, state.descriptor, state.connector!, state.resolved, trace => { state.status = { state: 'FAILED', trace } })
  }

  /** Regenerates task configs; restarts every task when they differ (or when `force`). */
  async #reconfigureTasks (state: ConnectorState, force: boolean): Promise<void> {
    if (!state.connector) return
    const resolvedConfigs = this.#generateTaskConfigs(state)
    // Task configs are kept, compared and shown with the connector's variables put back in place of their values.
    const configs = this.#settings.configResolver ? this.#settings.configResolver.reverseTransform(state.config, resolvedConfigs) : resolvedConfigs
    if (!force && state.tasks.size === configs.length && sameConfigs(configs, state.taskConfigs)) return
    await this.#stopTasks(state, true)
    state.taskConfigs = configs
    state.resolvedTaskConfigs = resolvedConfigs
    for (let i = 0; i < configs.length; i++) this.#startTask(state, i)
  }

  /** The task's automatic-restart bookkeeping (errors.task.restart.*), created on first use. */
  #autoRestartOf (state: ConnectorState, index: number): { policy: TaskRestartPolicy, timer: NodeJS.Timeout | null } {
    let entry = state.autoRestart.get(index)
    if (!entry) {
      entry = { policy: new TaskRestartPolicy(taskRestartSettings(state.resolved)), timer: null }
      state.autoRestart.set(index, entry)
    }
    return entry
  }

  /** Beyond Apache: a failed task restarts on its own after a backoff, when the connector opted in. */
  #scheduleAutoRestart (state: ConnectorState, index: number, failed: RunningTask | null, trace: string | undefined): void {
    const entry = this.#autoRestartOf(state, index)
    if (!entry.policy.enabled || entry.timer !== null) return
    const decision = entry.policy.failed()
    const log = createLogger('WorkerTaskAutoRestart')
    if (!decision.restart) {
      log.error(`Task ${state.name}-${index} failed ${decision.attempts} times in a row; not restarting it again (errors.task.restart.max.attempts=${entry.policy.maxAttempts})`)
      state.taskStatus.set(index, { id: index, state: 'FAILED', trace: `${trace ?? ''}\n(automatic restarts gave up after ${decision.attempts} attempts)` })
      return
    }
    log.warn(`Task ${state.name}-${index} failed; restarting it automatically in ${decision.delayMs} ms (attempt ${decision.attempt} of ${entry.policy.maxAttempts})`)
    state.taskStatus.set(index, { id: index, state: 'RESTARTING', trace: `Automatic restart ${decision.attempt} of ${entry.policy.maxAttempts} in ${decision.delayMs} ms after this failure:\n${trace ?? ''}` })
    entry.timer = setTimeout(() => {
      entry.timer = null
      void this.#serial(async () => {
        // Only if nothing changed meanwhile: the same connector, running, with the failed task still in place.
        if (this.#connectors.get(state.name) !== state || state.target !== 'STARTED' || state.tasks.get(index) !== failed) return
        await this.#stopTasks(state, false, new Set([index]), true)
        if (index < state.taskConfigs.length) this.#startTask(state, index)
      }).catch((err: unknown) => log.error(`Automatic restart of task ${state.name}-${index} failed`, err))
    }, decision.delayMs)
    entry.timer.unref()
  }

  #cancelAutoRestarts (state: ConnectorState, only?: ReadonlySet<number>, reset = true): void {
    for (const [id, entry] of state.autoRestart) {
      if (only && !only.has(id)) continue
      if (entry.timer) clearTimeout(entry.timer)
      entry.timer = null
      if (reset) state.autoRestart.delete(id)
    }
  }

  /** Starts task `index` from its stored config; a failure to build it shows as a FAILED task. Returns success. */
  #startTask (state: ConnectorState, index: number): boolean {
    this.#autoRestartOf(state, index).policy.started()
    const props = state.resolvedTaskConfigs[index] ?? state.taskConfigs[index]!
    const id: TaskId = { connector: state.name, task: index }
    try {
      const taskClass = state.connector?.taskClass() ?? state.descriptor.create().taskClass()
      // A task that was stopped or replaced no longer speaks for its id.
      let self: RunningTask | null = null
      this.#worker.startTask({
        id, kind: state.descriptor.kind, taskClass, taskConfig: props, connectorConfig: state.resolved,
        paused: state.target === 'PAUSED',
        listener: {
          onStateChange: (tid: TaskId, st: State, trace?: string) => {
            if (self !== null && state.tasks.get(tid.task) !== self) return
            state.taskStatus.set(tid.task, trace === undefined ? { id: tid.task, state: st } : { id: tid.task, state: st, trace })
            if (st === 'FAILED') this.#scheduleAutoRestart(state, tid.task, self, trace)
          }
        },
        onTopic: t => { if (self !== null && state.tasks.get(id.task) === self) this.#trackTopic(state.name, t) },
        attach: task => {
          self = task
          state.tasks.set(id.task, task)
        }
      })
      return true
    } catch (err) {
      createLogger('Worker').error(`Failed to start task ${state.name}-${index}`, err)
      state.taskStatus.set(index, { id: index, state: 'FAILED', trace: describeError(err) })
      return false
    }
  }

  /**
   * Stops the given tasks (all by default) within one shared deadline. `automatic`: an automatic restart, which keeps
   * the tasks' failure series; any other stop (REST restart, reconfiguration, delete) ends them.
   */
  async #stopTasks (state: ConnectorState, clearConfigs: boolean, only?: ReadonlySet<number>, automatic = false): Promise<void> {
    this.#cancelAutoRestarts(state, only, !automatic)
    const tasks = [...state.tasks.entries()].filter(([id]) => !only || only.has(id))
    for (const [id] of tasks) state.tasks.delete(id)
    await this.#worker.stopAndAwaitTasks(state.name, tasks)
    if (only) {
      for (const id of only) state.taskStatus.delete(id)
    } else {
      state.taskStatus.clear()
    }
    if (clearConfigs && !only) { state.taskConfigs = []; state.resolvedTaskConfigs = [] }
  }

  /**
   * config.action.reload=restart (the default): when a provider says how long the values it gave stay valid (a TTL),
   * the connector restarts once the first of them expires, and resolves them again. Apache restarts only the connector
   * instance, whose tasks then keep the expired values (their configs hold the same variables, so they do not
   * change); here its tasks restart with it, since they are what usually uses a rotated secret.
   */
  #scheduleReload (state: ConnectorState, ttls: ReadonlyMap<string, number>, logger: Logger): void {
    if (state.reloadTimer) clearTimeout(state.reloadTimer)
    state.reloadTimer = null
    if (ttls.size === 0) return
    const action = (state.resolved[CONFIG_RELOAD_ACTION_CONFIG] ?? 'restart').trim().toLowerCase()
    if (action !== 'restart') return
    const ttl = Math.min(...ttls.values())
    logger.info(`Scheduling a restart of connector ${state.name} in ${ttl} ms`)
    const timer = setTimeout(() => {
      if (state.reloadTimer !== timer || this.#connectors.get(state.name) !== state) return
      state.reloadTimer = null
      this.#serial(async () => {
        if (this.#connectors.get(state.name) !== state || state.target === 'STOPPED') return
        logger.info(`Restarting connector ${state.name} and its tasks: config provider values it uses have expired`)
        await this.#restartInstance(state)
        // Task configs generated again from the newly resolved connector config, and every task restarted with them.
        if (state.target === 'STARTED') await this.#reconfigureTasks(state, true)
      }).catch((err: unknown) => logger.error(`Restarting connector ${state.name} after its config provider values expired failed`, err))
    }, Math.min(ttl, MAX_TIMER_MS))
    // A pending reload never keeps the process alive.
    timer.unref()
    state.reloadTimer = timer
  }

  async #stopConnectorInstance (c: ConnectorState): Promise<void> {
    if (c.reloadTimer) clearTimeout(c.reloadTimer)
    c.reloadTimer = null
    const connector = c.connector
    c.connector = null
    if (connector) await this.#worker.stopConnector(c.name, connector)
    c.status = { state: 'UNASSIGNED' }
  }

  // ---- Lifecycle operations ---------------------------------------------------------------------------------------

  /** PUT .../pause: tasks stop processing (resources kept) and the connector instance is stopped, as Apache does. */
  async pauseConnector (name: string, signal?: AbortSignal): Promise<void> {
    await this.#serial(async () => {
      const c = this.#get(name, `Unknown connector ${name}`)
      c.target = 'PAUSED'
      for (const t of c.tasks.values()) t.pause()
      if (c.status.state !== 'FAILED') {
        await this.#stopConnectorInstance(c)
        c.status = { state: 'PAUSED' }
      }
      await this.#persist()
    }, signal)
  }

  /** PUT .../resume: from PAUSED or STOPPED back to RUNNING; tasks are regenerated when needed. */
  async resumeConnector (name: string, signal?: AbortSignal): Promise<void> {
    await this.#serial(async () => {
      const c = this.#get(name, `Unknown connector ${name}`)
      const wasTarget = c.target
      c.target = 'STARTED'
      try {
        if (c.status.state === 'FAILED' && wasTarget === 'STARTED') return
        if (!c.connector) await this.#startConnector(c)
        await this.#reconfigureTasks(c, false)
        for (const t of c.tasks.values()) t.resume()
      } finally {
        await this.#persist()
      }
    }, signal)
  }

  /** PUT .../stop: tasks stopped and forgotten, then the connector instance; status STOPPED. */
  async stopConnector (name: string, signal?: AbortSignal): Promise<void> {
    await this.#serial(async () => {
      const c = this.#get(name)
      c.target = 'STOPPED'
      await this.#stopTasks(c, true)
      await this.#stopConnectorInstance(c)
      c.status = { state: 'STOPPED' }
      await this.#persist()
    }, signal)
  }

  /** POST .../restart (plain): the connector instance only; tasks restart only if their configs changed. */
  async restartConnector (name: string, signal?: AbortSignal): Promise<void> {
    await this.#serial(async () => {
      const c = this.#get(name)
      await this.#restartInstance(c)
      if (c.target === 'STARTED') await this.#reconfigureTasks(c, false)
    }, signal)
  }

  async #restartInstance (c: ConnectorState): Promise<void> {
    await this.#stopConnectorInstance(c)
    if (c.target === 'STOPPED') { c.status = { state: 'STOPPED' }; return }
    if (c.target === 'PAUSED') { c.status = { state: 'PAUSED' }; return }
    await this.#startConnector(c)
  }

  /**
   * POST .../restart?includeTasks&onlyFailed: returns the plan (current statuses, with what restarts shown as
   * RESTARTING) after performing it.
   */
  async restartConnectorAndTasks (name: string, options: { includeTasks: boolean, onlyFailed: boolean }, signal?: AbortSignal): Promise<ConnectorStateInfo> {
    return await this.#serial(async () => {
      const c = this.#get(name, `Unknown connector: ${name}`)
      const restartConnector = !options.onlyFailed || c.status.state === 'FAILED'
      const tasks = new Set<number>()
      if (options.includeTasks) {
        for (const t of c.taskStatus.values()) if (!options.onlyFailed || t.state === 'FAILED') tasks.add(t.id)
      }
      const plan = this.#statusOf(c, { connector: restartConnector, tasks })
      if (tasks.size > 0) await this.#stopTasks(c, false, tasks)
      if (restartConnector) {
        c.status = { state: 'RESTARTING' }
        await this.#restartInstance(c)
      }
      if (c.target !== 'STOPPED') {
        for (const id of [...tasks].sort((a, b) => a - b)) if (id < c.taskConfigs.length) this.#startTask(c, id)
      }
      return plan
    }, signal)
  }

  /** POST .../tasks/{id}/restart. */
  async restartTask (name: string, task: number, signal?: AbortSignal): Promise<void> {
    await this.#serial(async () => {
      const c = this.#get(name)
      if (task < 0 || task >= c.taskConfigs.length) throw new NotFoundError(`Task ${name}-${task} not found`)
      await this.#stopTasks(c, false, new Set([task]))
      if (!this.#startTask(c, task)) throw new ConnectError(`Failed to start task: ${name}-${task}`)
    }, signal)
  }

  async deleteConnector (name: string, signal?: AbortSignal): Promise<void> {
    await this.#serial(async () => {
      const c = this.#get(name)
      await this.#stopTasks(c, true)
      await this.#stopConnectorInstance(c)
      this.#connectors.delete(name)
      this.#fromFiles.delete(name)
      this.#topics.delete(name)
      await this.#persist()
    }, signal)
  }

  // ---- Offsets ----------------------------------------------------------------------------------------------------

  async connectorOffsets (name: string, signal?: AbortSignal): Promise<OffsetEntry[]> {
    const c = this.#get(name)
    void signal
    return await this.#offsets.list(name, c.descriptor.kind, c.config)
  }

  /** PATCH .../offsets (null offsets reset their partition) and DELETE .../offsets (`offsets` undefined). */
  async modifyOffsets (name: string, offsets: readonly OffsetEntry[] | undefined, signal?: AbortSignal): Promise<string> {
    return await this.#serial(async () => {
      const c = this.#get(name)
      if (c.target !== 'STOPPED' || c.tasks.size > 0 || c.taskConfigs.length > 0) {
        throw new BadRequestError(`Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`)
      }
      return await this.#offsets.modify(name, c.descriptor, c.config, offsets)
    }, signal)
  }

  // ---- Persistence and shutdown ----------------------------------------------------------------------------------

  /**
   * Starts connectors persisted by an earlier run (skipping `except`, which connector files provide: a file's
   * connector replaces a stored one of the same name). With `start: false` (`--skip-stored-connectors`) none starts;
   * they stay in the connector configs file for a later run.
   */
  async restorePersisted (stored: ReadonlyMap<string, StoredConnector>, except: ReadonlySet<string>, options: { start?: boolean } = {}): Promise<void> {
    const file = this.#options.configStore?.filename ?? 'the connector configs file'
    for (const [name, entry] of stored) {
      if (except.has(name)) continue
      if (options.start === false) {
        this.#unloaded.set(name, entry)
        this.#logger.info(`Not starting stored connector ${name} (--skip-stored-connectors); it stays in ${file}`)
        continue
      }
      await this.#serial(async () => {
        try {
          const descriptor = await this.#validator.validateOrThrow(entry.config, [])
          await this.#create(name, entry.config, descriptor, entry.target)
          this.#logger.info(`Restored connector ${name} (${entry.target}) from ${file}`)
        } catch (err) {
          if (this.#connectors.has(name)) {
            this.#logger.error(`Restored connector ${name} failed to start`, err)
          } else {
            this.#unloaded.set(name, entry)
            this.#logger.error(`Cannot restore connector ${name} from ${file}; it stays in the file but does not run: ${(err as Error).message}`)
          }
        }
      })
    }
  }

  async #persist (): Promise<void> {
    const store = this.#options.configStore
    if (!store) return
    const snapshot = new Map<string, StoredConnector>(this.#unloaded)
    for (const c of this.#connectors.values()) {
      if (!this.#fromFiles.has(c.name)) snapshot.set(c.name, { config: { ...c.config }, target: c.target })
    }
    try {
      await store.save(snapshot)
    } catch (err) {
      this.#logger.error(`Cannot persist connector configs (the change is applied but would not survive a restart): ${(err as Error).message}`)
    }
  }

  /** Stops every connector and task (bounded), flushing source offsets and committing sink offsets. */
  async stop (): Promise<void> {
    await this.#serial(async () => {
      this.#stopping = true
      await Promise.all([...this.#connectors.values()].map(async c => {
        await this.#stopTasks(c, false)
        await this.#stopConnectorInstance(c)
      }))
    })
  }
}

function sameMap (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every(k => b[k] === a[k])
}

function sameConfigs (a: ReadonlyArray<Record<string, string>>, b: ReadonlyArray<Record<string, string>>): boolean {
  return a.length === b.length && a.every((x, i) => sameMap(x, b[i]!))
}

export { ConfigError }
