/**
 * The standalone herder: owns every connector and its tasks, and serialises every change through one queue (Kafka's
 * StandaloneHerder is `synchronized`). It builds each task's converters, transformation chain and Kafka client.
 */
import {
  AlreadyExistsError, ConfigError, ConnectError, NotFoundError,
  type ConnectorBase, type PluginDescriptor, type SinkRecord, type SinkTaskBase,
  type SourceRecord, type SourceTaskBase, type Task
} from '../api/index.ts'
import {
  CONNECTOR_CLASS_CONFIG, ensureValidConnectorConfig, TASKS_MAX_CONFIG, TASKS_MAX_ENFORCE_CONFIG, TOPICS_CONFIG, TOPICS_REGEX_CONFIG
} from '../config/connector-config.ts'
import { translateClientConfig, type ClientProps } from '../kafka/client-config.ts'
import { RdKafkaConsumer, RdKafkaProducer } from '../kafka/rdkafka-client.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import { createLogger, describeError, withLogContext, type Logger } from '../util/logger.ts'
import type { State, StatusEntry, TargetState, TaskStatusEntry } from './status.ts'
import { buildConverters, withPrefix, type WorkerConverterSettings } from './connector-converters.ts'
import { TransformationChain } from './transformation-chain.ts'
import { WorkerSinkTask } from './worker-sink-task.ts'
import { WorkerSourceTask, type SourceOffsetStore } from './worker-source-task.ts'
import type { TaskId } from './worker-task.ts'

export interface WorkerSettings extends WorkerConverterSettings {
  workerId: string
  bootstrapServers: string
  embeddedBroker: boolean
  /** Worker-level converter class names and their prefixed settings. */
  producer: { global: ClientProps, topic: ClientProps }
  consumer: { global: ClientProps, topic: ClientProps }
  offsetFlushIntervalMs: number
  offsetFlushTimeoutMs: number
  taskShutdownGracefulTimeoutMs: number
  /** Embedded broker only: creates topics before a sink subscribes to them. */
  ensureTopics?: (topics: readonly string[]) => Promise<void>
}

interface ConnectorState {
  name: string
  config: Record<string, string>
  descriptor: PluginDescriptor<'source' | 'sink'>
  connector: ConnectorBase<Task> | null
  target: TargetState
  status: StatusEntry
  tasks: Array<WorkerSourceTask | WorkerSinkTask>
  taskStatus: Map<number, TaskStatusEntry>
  topics: Set<string>
}

export interface ConnectorStatusInfo {
  name: string
  connector: StatusEntry & { worker_id: string }
  tasks: Array<TaskStatusEntry & { worker_id: string }>
  type: 'source' | 'sink'
}

export class StandaloneHerder {
  readonly #settings: WorkerSettings
  readonly #registry: PluginRegistry
  readonly #offsetStore: SourceOffsetStore
  readonly #logger: Logger = createLogger('StandaloneHerder')
  readonly #connectors = new Map<string, ConnectorState>()
  #queue: Promise<unknown> = Promise.resolve()

  constructor (settings: WorkerSettings, registry: PluginRegistry, offsetStore: SourceOffsetStore) {
    this.#settings = settings
    this.#registry = registry
    this.#offsetStore = offsetStore
  }

  /** Runs `fn` after every earlier change has finished. */
  async #serial<T> (fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn)
    this.#queue = run.catch(() => {})
    return await run
  }

  connectors (): string[] { return [...this.#connectors.keys()].sort() }

  connectorConfig (name: string): Record<string, string> {
    return { ...this.#get(name).config }
  }

  #get (name: string): ConnectorState {
    const c = this.#connectors.get(name)
    if (!c) throw new NotFoundError(`Connector ${name} not found`)
    return c
  }

  /**
   * Creates a connector and starts it. Resolves when the connector has started and its tasks were launched; rejects
   * (and leaves the connector FAILED) when the connector itself could not start.
   */
  async putConnectorConfig (name: string, config: Record<string, string>, initialState: TargetState = 'STARTED'): Promise<void> {
    await this.#serial(async () => {
      if (this.#connectors.has(name)) throw new AlreadyExistsError(`Connector ${name} already exists`)
      const descriptor = ensureValidConnectorConfig(config, this.#registry, `connector ${name}`)
      const state: ConnectorState = {
        name, config: { ...config }, descriptor, connector: null, target: initialState,
        status: { state: 'UNASSIGNED' }, tasks: [], taskStatus: new Map(), topics: new Set()
      }
      this.#connectors.set(name, state)
      if (initialState === 'STOPPED') { state.status = { state: 'STOPPED' }; return }
      if (initialState === 'PAUSED') { state.status = { state: 'PAUSED' }; return }
      await this.#startConnector(state)
    })
  }

  async #startConnector (state: ConnectorState): Promise<void> {
    const logger = createLogger('WorkerConnector')
    await withLogContext(`${state.name}|worker`, async () => {
      const connector = state.descriptor.create()
      state.connector = connector
      connector.initialize({
        requestTaskReconfiguration: () => { void this.#serial(async () => { await this.#restartTasks(state) }).catch(err => logger.error('Task reconfiguration failed', err)) },
        raiseError: (error: Error) => { state.status = { state: 'FAILED', trace: describeError(error) } }
      })
      try {
        await connector.start(state.config)
      } catch (err) {
        state.status = { state: 'FAILED', trace: describeError(err) }
        logger.error(`WorkerConnector{id=${state.name}} Error while starting connector`, err)
        throw new ConnectError(`Failed to start connector ${state.name}: ${(err as Error).message}`, { cause: err })
      }
      state.status = { state: 'RUNNING' }
      logger.info(`Finished creating connector ${state.name}`)
    })
    await this.#startTasks(state)
  }

  async #startTasks (state: ConnectorState): Promise<void> {
    const connector = state.connector!
    const maxTasks = Number(state.config[TASKS_MAX_CONFIG] ?? '1')
    let configs: Array<Record<string, string>>
    try {
      configs = connector.taskConfigs(maxTasks)
    } catch (err) {
      // Apache hangs here (the request never completes); fail the connector instead.
      state.status = { state: 'FAILED', trace: describeError(err) }
      throw new ConnectError(`Connector ${state.name} failed to generate task configurations: ${(err as Error).message}`, { cause: err })
    }
    if (configs.length > maxTasks && (state.config[TASKS_MAX_ENFORCE_CONFIG] ?? 'true').trim().toLowerCase() !== 'false') {
      const msg = `The connector ${state.name} has generated ${configs.length} tasks, which is greater than ${maxTasks}, the maximum number of tasks it is configured to create. This behaviour should be considered a bug and is disallowed. If necessary, it can be permitted by reconfiguring the connector with 'tasks.max.enforce' set to false; however, this option will be removed in a future release of Kafka Connect.`
      state.status = { state: 'FAILED', trace: msg }
      throw new ConnectError(msg)
    }
    const taskClass = connector.taskClass()
    configs.forEach((taskConfig, index) => {
      const props: Record<string, string> = { ...taskConfig, 'task.class': taskClass.name }
      if (state.descriptor.kind === 'sink') {
        for (const k of [TOPICS_CONFIG, TOPICS_REGEX_CONFIG]) if (state.config[k] !== undefined) props[k] = state.config[k]
      }
      const id: TaskId = { connector: state.name, task: index }
      try {
        const task = this.#buildTask(state, id, new taskClass(), props)
        state.tasks.push(task)
      } catch (err) {
        createLogger('Worker').error(`Failed to start task ${state.name}-${index}`, err)
        state.taskStatus.set(index, { id: index, state: 'FAILED', trace: describeError(err) })
      }
    })
  }

  #buildTask (state: ConnectorState, id: TaskId, task: Task, props: Record<string, string>): WorkerSourceTask | WorkerSinkTask {
    const s = this.#settings
    const cfg = state.config
    const { keyConverter, valueConverter, headerConverter } = buildConverters(cfg, s, this.#registry)
    const listener = {
      onStateChange: (tid: TaskId, st: State, trace?: string) => {
        state.taskStatus.set(tid.task, trace === undefined ? { id: tid.task, state: st } : { id: tid.task, state: st, trace })
      }
    }
    const logger = createLogger(state.descriptor.kind === 'source' ? 'WorkerSourceTask' : 'WorkerSinkTask')
    const paused = state.target === 'PAUSED'
    if (state.descriptor.kind === 'source') {
      const transformations = TransformationChain.build<SourceRecord>(cfg, this.#registry)
      const producerOverrides = clientOverrides('producer', cfg, logger)
      const producerConfig = {
        ...s.producer.global,
        'client.id': `connector-producer-${state.name}-${id.task}`,
        ...producerOverrides.global
      }
      const wt = new WorkerSourceTask({
        id, task: task as SourceTaskBase, props,
        createProducer: async () => await RdKafkaProducer.create({ global: producerConfig, topic: { ...s.producer.topic, ...producerOverrides.topic }, logger }),
        keyConverter, valueConverter, headerConverter, transformations,
        offsetStore: this.#offsetStore, offsetFlushIntervalMs: s.offsetFlushIntervalMs, offsetFlushTimeoutMs: s.offsetFlushTimeoutMs,
        defaultPartition: s.embeddedBroker ? 0 : null, logger, listener, onTopic: t => state.topics.add(t)
      })
      if (paused) wt.pause()
      withLogContext(`${state.name}|task-${id.task}`, () => wt.start())
      return wt
    }
    const transformations = TransformationChain.build<SinkRecord>(cfg, this.#registry)
    const topics = (cfg[TOPICS_CONFIG] ?? '').trim()
    const subscription = topics !== ''
      ? [...new Set(topics.split(/\s*,\s*/).filter(t => t !== ''))]
      : new RegExp(`^(?:${(cfg[TOPICS_REGEX_CONFIG] ?? '').trim()})$`)
    const consumerOverrides = clientOverrides('consumer', cfg, logger)
    const consumerGlobal: ClientProps = {
      'group.id': `connect-${state.name}`,
      // The Java consumer's default: subscribing to a missing topic creates it where the broker allows that.
      'allow.auto.create.topics': true,
      ...s.consumer.global,
      'client.id': `connector-consumer-${state.name}-${id.task}`,
      'enable.auto.commit': false,
      ...consumerOverrides.global
    }
    if (s.embeddedBroker && topics === '' && consumerGlobal['group.protocol'] === 'consumer') {
      // A regex subscription cannot pre-create its topics on the embedded broker; classic groups find them later.
      consumerGlobal['group.protocol'] = 'classic'
    }
    const maxPollRecords = Number(consumerGlobal['max.poll.records'] ?? 500)
    delete consumerGlobal['max.poll.records']
    const wt = new WorkerSinkTask({
      id, task: task as SinkTaskBase, props,
      createConsumer: async listeners => {
        if (s.ensureTopics && Array.isArray(subscription)) await s.ensureTopics(subscription)
        return await RdKafkaConsumer.create({
          global: consumerGlobal, topic: { 'auto.offset.reset': 'earliest', ...s.consumer.topic, ...consumerOverrides.topic }, logger, listeners
        })
      },
      subscription, keyConverter, valueConverter, headerConverter, transformations,
      offsetFlushIntervalMs: s.offsetFlushIntervalMs, maxPollRecords, embeddedBroker: s.embeddedBroker, logger, listener
    })
    if (paused) wt.pause()
    withLogContext(`${state.name}|task-${id.task}`, () => wt.start())
    return wt
  }

  async #stopTasks (state: ConnectorState): Promise<void> {
    const tasks = state.tasks
    state.tasks = []
    for (const t of tasks) t.signalStop()
    // One deadline for all tasks together, as Apache's task.shutdown.graceful.timeout.ms.
    const deadline = Date.now() + this.#settings.taskShutdownGracefulTimeoutMs
    const results = await Promise.all(tasks.map(async t => await t.awaitStop(deadline)))
    results.forEach((ok, i) => {
      if (ok) return
      this.#logger.error(`Graceful stop of task ${state.name}-${tasks[i]!.id.task} failed: it did not stop within task.shutdown.graceful.timeout.ms; abandoning it`)
      tasks[i]!.cancel()
    })
    state.taskStatus.clear()
  }

  async #restartTasks (state: ConnectorState): Promise<void> {
    await this.#stopTasks(state)
    if (state.target !== 'STOPPED' && state.connector) await this.#startTasks(state)
  }

  status (name: string): ConnectorStatusInfo {
    const c = this.#get(name)
    const workerId = this.#settings.workerId
    return {
      name,
      connector: { ...c.status, worker_id: workerId },
      tasks: [...c.taskStatus.values()].sort((a, b) => a.id - b.id).map(t => ({ ...t, worker_id: workerId })),
      type: c.descriptor.kind
    }
  }

  async pauseConnector (name: string): Promise<void> {
    await this.#serial(async () => {
      const c = this.#get(name)
      c.target = 'PAUSED'
      for (const t of c.tasks) t.pause()
      if (c.status.state === 'RUNNING') c.status = { state: 'PAUSED' }
    })
  }

  async resumeConnector (name: string): Promise<void> {
    await this.#serial(async () => {
      const c = this.#get(name)
      c.target = 'STARTED'
      if (!c.connector) { await this.#startConnector(c); return }
      for (const t of c.tasks) t.resume()
      if (c.status.state === 'PAUSED') c.status = { state: 'RUNNING' }
    })
  }

  async deleteConnector (name: string): Promise<void> {
    await this.#serial(async () => {
      const c = this.#get(name)
      await this.#stopConnector(c)
      this.#connectors.delete(name)
    })
  }

  async #stopConnector (c: ConnectorState): Promise<void> {
    await this.#stopTasks(c)
    if (c.connector) {
      try { await c.connector.stop() } catch (err) { this.#logger.warn(`Error while stopping connector ${c.name}`, err) }
      c.connector = null
    }
    c.status = { state: 'UNASSIGNED' }
  }

  /** Stops every connector and task (bounded), flushing source offsets and committing sink offsets. */
  async stop (): Promise<void> {
    await this.#serial(async () => {
      await Promise.all([...this.#connectors.values()].map(async c => await this.#stopConnector(c)))
    })
  }

  /** For tests and diagnostics. */
  hasConnector (name: string): boolean { return this.#connectors.has(name) }

  connectorClass (name: string): string { return this.#get(name).config[CONNECTOR_CLASS_CONFIG] ?? '' }
}

/** A connector's `producer.override.*` / `consumer.override.*` settings, translated like the worker's. */
function clientOverrides (kind: 'producer' | 'consumer', cfg: Record<string, string>, logger: Logger): { global: ClientProps, topic: ClientProps } {
  const t = translateClientConfig(kind, withPrefix(cfg, `${kind}.override.`), `${kind}.override.`)
  for (const w of t.warnings) logger.warn(w)
  return t
}


export { ConfigError }
