/**
 * The standalone herder (Apache's StandaloneHerder): the config and status bookkeeping of every connector and its
 * tasks, with every change serialised through one queue (Apache's is `synchronized`). The Worker runs what it decides:
 * connector instances and tasks. It answers the REST API and the CLI through the Herder interface: infos, statuses,
 * restarts, pause/resume/stop, offsets, topics and validation, and keeps target states in the config store.
 */
import { hasVariables, hideResolvedValues } from '../config/config-transformer.ts'
import {
  AlreadyExistsError, ConfigError, ConnectError, NotFoundError, TimeoutError,
  type PluginDescriptor
} from '../api/index.ts'
import { BadRequestError, RestErrorCode as ErrorCode, RestProtocolError } from '../rest/errors.ts'
import { ensureValidConnectorConfig } from '../config/connector-config.ts'
import type { SinkGroupOffsets } from '../kafka/consumer-group-offsets.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import type { ConnectorConfigStore, StoredConnector } from '../storage/connector-config-store.ts'
import { createLogger, type Logger } from '../util/logger.ts'
import { redact } from './config-infos.ts'
import type { TargetState } from './status.ts'
import type {
  ConfigInfos, ConfigKeyInfo, ConnectorInfo, ConnectorStateInfo, HealthInfo, OffsetEntry, PluginInfo, PutResult, TaskInfo,
  TaskStateEntry
} from '../rest/entities.ts'
import { ConnectorOffsets } from './connector-offsets.ts'
import { ConnectorValidator } from './connector-validator.ts'
import { HerderConnector, sameMap, type HerderConnectorContext } from './herder-connector.ts'
import type { Herder, UpsertOptions } from './herder.ts'
import { connectorPluginConfig, connectorPlugins } from './plugin-infos.ts'
import type { HerderWorker, WorkerSettings } from './worker.ts'

export type { WorkerSettings }

export interface HerderOptions {
  /** Sink offsets (consumer groups) for the REST offsets endpoints. */
  sinkOffsets?: SinkGroupOffsets
  /** Where connector configs and target states are persisted across restarts; none keeps them in memory. */
  configStore?: Pick<ConnectorConfigStore, 'filename' | 'save'>
}

const HEALTH_TIMEOUT_MS = 10_000

export class StandaloneHerder implements Herder {
  readonly #settings: WorkerSettings
  readonly #registry: PluginRegistry
  readonly #options: HerderOptions
  readonly #validator: ConnectorValidator
  readonly #offsets: ConnectorOffsets
  readonly #ctx: HerderConnectorContext
  readonly #logger: Logger = createLogger('StandaloneHerder')
  readonly #connectors = new Map<string, HerderConnector>()
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
    this.#settings = worker.settings
    this.#registry = worker.registry
    this.#options = options
    this.#validator = new ConnectorValidator(worker.registry, worker.settings)
    this.#offsets = new ConnectorOffsets(worker.offsetStore, options.sinkOffsets)
    // The metrics and the status view show statuses as GET /connectors/{name}/status does.
    worker.metrics?.useStatuses(name => this.status(name))
    this.#ctx = {
      worker,
      serial: async fn => await this.#serial(fn),
      isCurrent: c => this.#connectors.get(c.name) === c,
      trackTopic: (name, topic) => { this.#trackTopic(name, topic) }
    }
  }

  get workerId (): string { return this.#settings.workerId }
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

  #get (name: string, message = `Connector ${name} not found`): HerderConnector {
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
    return c.statusInfo(this.#settings.workerId)
  }

  taskStatus (name: string, task: number): TaskStateEntry {
    const c = this.#connectors.get(name)
    const t = c?.taskStatus.get(task)
    if (!c || !t) throw new NotFoundError(`No status found for task ${name}-${task}`)
    return c.statusInfo(this.#settings.workerId).tasks.find(x => x.id === task)!
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
    const state = new HerderConnector(this.#ctx, name, config, descriptor, target, this.#validator.passwordKeys(config))
    this.#connectors.set(name, state)
    this.#unloaded.delete(name)
    if (target === 'STOPPED') { state.status = { state: 'STOPPED' }; return }
    if (target === 'PAUSED') { state.status = { state: 'PAUSED' }; return }
    await state.start()
    await state.reconfigureTasks(true)
  }

  async #updateConfig (c: HerderConnector, config: Record<string, string>, descriptor: PluginDescriptor<'source' | 'sink'>): Promise<void> {
    const changed = !sameMap(c.config, config)
    await c.stopInstance()
    c.config = { ...config }
    c.descriptor = descriptor
    c.passwordKeys = this.#validator.passwordKeys(config)
    if (c.target === 'STOPPED') { c.status = { state: 'STOPPED' }; return }
    if (c.target === 'PAUSED') {
      // A paused connector does not run, so it cannot generate task configs: its tasks come back on resume.
      if (changed) await c.stopTasks(true)
      c.status = { state: 'PAUSED' }
      return
    }
    await c.start()
    await c.reconfigureTasks(changed)
  }

  // ---- Lifecycle operations ---------------------------------------------------------------------------------------

  /** PUT .../pause: tasks stop processing (resources kept) and the connector instance is stopped, as Apache does. */
  async pauseConnector (name: string, signal?: AbortSignal): Promise<void> {
    await this.#serial(async () => {
      const c = this.#get(name, `Unknown connector ${name}`)
      c.target = 'PAUSED'
      for (const t of c.tasks.values()) t.pause()
      if (c.status.state !== 'FAILED') {
        await c.stopInstance()
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
        if (!c.connector) await c.start()
        await c.reconfigureTasks(false)
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
      await c.stopTasks(true)
      await c.stopInstance()
      c.status = { state: 'STOPPED' }
      await this.#persist()
    }, signal)
  }

  /** POST .../restart (plain): the connector instance only; tasks restart only if their configs changed. */
  async restartConnector (name: string, signal?: AbortSignal): Promise<void> {
    await this.#serial(async () => {
      const c = this.#get(name)
      await c.restartInstance()
      if (c.target === 'STARTED') await c.reconfigureTasks(false)
    }, signal)
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
      const plan = c.statusInfo(this.#settings.workerId, { connector: restartConnector, tasks })
      if (tasks.size > 0) await c.stopTasks(false, tasks)
      if (restartConnector) {
        c.status = { state: 'RESTARTING' }
        await c.restartInstance()
      }
      if (c.target !== 'STOPPED') {
        for (const id of [...tasks].sort((a, b) => a - b)) if (id < c.taskConfigs.length) c.startTask(id)
      }
      return plan
    }, signal)
  }

  /** POST .../tasks/{id}/restart. */
  async restartTask (name: string, task: number, signal?: AbortSignal): Promise<void> {
    await this.#serial(async () => {
      const c = this.#get(name)
      if (task < 0 || task >= c.taskConfigs.length) throw new NotFoundError(`Task ${name}-${task} not found`)
      await c.stopTasks(false, new Set([task]))
      if (!c.startTask(task)) throw new ConnectError(`Failed to start task: ${name}-${task}`)
    }, signal)
  }

  async deleteConnector (name: string, signal?: AbortSignal): Promise<void> {
    await this.#serial(async () => {
      const c = this.#get(name)
      await c.stopTasks(true)
      await c.stopInstance()
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
        await c.stopTasks(false)
        await c.stopInstance()
      }))
    })
  }
}

export { ConfigError }
