/**
 * The Worker (Apache's org.apache.kafka.connect.runtime.Worker): runs connector instances and builds and runs tasks,
 * each with its converters, transformation chain, Kafka client and dead-letter queue. It keeps no bookkeeping of
 * its own: which connectors and tasks exist, their target states and statuses belong to the herder, which the worker
 * tells about what happens through hooks and status listeners.
 */
import type { ConnectorConfigResolver } from '../config/config-transformer.ts'
import { ConnectError, type ConnectorBase, type PluginDescriptor, type Task, type TaskClass } from '../api/index.ts'
import { TOPICS_CONFIG, TOPICS_REGEX_CONFIG, parseConnectorConfig, type ConnectorConfig } from '../config/connector-config.ts'
import type { ClientProps } from '../kafka/client-config.ts'
import type { RdKafkaConsumer } from '../kafka/rdkafka-consumer.ts'
import type { RdKafkaProducer } from '../kafka/rdkafka-producer.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import { createLogger, describeError, withLogContext, type Logger } from '../util/logger.ts'
import type { WorkerConverterSettings } from './connector-converters.ts'
import { ConnectMetrics } from './metrics/connect-metrics.ts'
import type { TaskMetrics } from './metrics/task-metrics.ts'
import { ProcessTask, runsInProcess } from './process-task.ts'
import { buildWorkerTask, DEFAULT_CLIENTS, type WorkerTaskInstance } from './task-builder.ts'
import type { TaskPlacement } from './task-process-protocol.ts'
import type { SourceOffsetStore } from './worker-source-task.ts'
import type { TaskId, TaskStatusListener } from './worker-task.ts'

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
  /**
   * Resolves config provider variables (`${file:/creds:password}`) in connector and task configs. The herder keeps
   * and shows the raw configs; connectors, tasks and their plugins get the resolved ones.
   */
  configResolver?: ConnectorConfigResolver
  /** topic.tracking.enable / topic.tracking.allow.reset (both default true). */
  topicTrackingEnable?: boolean
  topicTrackingAllowReset?: boolean
  /** The worker's metrics (GET /metrics, the status view); the worker makes its own when absent. */
  metrics?: ConnectMetrics
  /** task.placement: where tasks run (absent: on the main thread). */
  taskPlacement?: TaskPlacement
  /** plugin.path, which a task process loads its plugins from. */
  pluginPath?: readonly string[]
}

/** The source offsets file as the worker and the herder need it (REST offsets endpoints included). */
export interface WorkerOffsetStore extends SourceOffsetStore {
  getAll (connector: string): Array<{ partition: Record<string, unknown>, offset: Record<string, unknown> | null }>
}

/** How the worker makes Kafka clients; tests give fakes so tasks run without a broker. */
export interface KafkaClientFactory {
  producer: typeof RdKafkaProducer.create
  consumer: typeof RdKafkaConsumer.create
}

/** A running task as its herder handles it (WorkerSourceTask and WorkerSinkTask are ones). */
export interface RunningTask {
  pause (): void
  resume (): void
  signalStop (): void
  /** Resolves true when the task finished by `deadline` (epoch ms). */
  awaitStop (deadline: number): Promise<boolean>
  /** Abandons a task that did not stop in time. */
  cancel (): void
}

/** What the worker tells the herder while it starts a connector (Apache's ConnectorStatus.Listener and context). */
export interface ConnectorHooks {
  /** The instance exists, before initialize(): the herder holds it from now on, whether start() succeeds or not. */
  created (connector: ConnectorBase<Task>): void
  /** The connector asked for its task configs to be generated again. */
  requestTaskReconfiguration (connector: ConnectorBase<Task>): Promise<void>
  /** The connector failed itself through its context. */
  raiseError (connector: ConnectorBase<Task>, error: Error): void
  /** The config's provider variables were resolved (`ttls`: how long values stay valid), just before start(). */
  resolved (config: Record<string, string>, ttls: ReadonlyMap<string, number>, logger: Logger): void
  /** start() (or resolving the config) failed: the connector is FAILED with this trace. */
  failed (trace: string): void
  started (): void
}

/** What StandaloneHerder asks of its worker; the herder's tests give it a fake one. */
export interface HerderWorker {
  readonly settings: WorkerSettings
  /** The worker's metrics, which the herder lends its statuses to. */
  readonly metrics?: ConnectMetrics
  readonly registry: PluginRegistry
  readonly offsetStore: WorkerOffsetStore
  /** Creates, initializes and starts an instance; throws (after `hooks.failed`) when it cannot start. */
  startConnector (name: string, descriptor: PluginDescriptor<'source' | 'sink'>, config: Readonly<Record<string, string>>, hooks: ConnectorHooks): Promise<void>
  stopConnector (name: string, connector: ConnectorBase<Task>): Promise<void>
  /** The running connector's task configs; throws (after `failed`) when it cannot give valid ones. */
  connectorTaskConfigs (name: string, descriptor: PluginDescriptor<'source' | 'sink'>, connector: ConnectorBase<Task>,
    config: Readonly<Record<string, string>>, failed: (trace: string) => void): Array<Record<string, string>>
  /** Builds and starts a task; throws when it cannot be built (converters, transformations, settings). */
  startTask (spec: TaskSpec): RunningTask
  /** Stops tasks within one shared deadline (task.shutdown.graceful.timeout.ms), abandoning those that overrun it. */
  stopAndAwaitTasks (connector: string, tasks: ReadonlyArray<readonly [number, RunningTask]>): Promise<void>
}

export interface TaskSpec {
  id: TaskId
  kind: 'source' | 'sink'
  taskClass: TaskClass
  /** The task's own config (the connector's taskConfigs() entry, variables resolved). */
  taskConfig: Record<string, string>
  /**
   * The connector's config as its tasks see it (variables resolved): the one input the worker reads the task's
   * runtime settings from (converters, transformations, error handling, client overrides, topics).
   */
  connectorConfig: Readonly<Record<string, string>>
  /** The connector's target state is PAUSED: the task starts paused. */
  paused: boolean
  listener: TaskStatusListener
  /** A topic the task produced to or consumed from (topic tracking). */
  onTopic: (topic: string) => void
  /** Called with the built task before it starts, so its first status already comes from a known task. */
  attach: (task: RunningTask) => void
}

export class Worker implements HerderWorker {
  readonly settings: WorkerSettings
  readonly registry: PluginRegistry
  readonly offsetStore: WorkerOffsetStore
  /** What the tasks count (GET /metrics and the status view read it: a TaskSnapshotSource). */
  readonly metrics: ConnectMetrics
  readonly #clients: KafkaClientFactory
  readonly #taskMetrics = new WeakMap<RunningTask, TaskMetrics>()

  constructor (settings: WorkerSettings, registry: PluginRegistry, offsetStore: WorkerOffsetStore, clients: KafkaClientFactory = DEFAULT_CLIENTS) {
    this.settings = settings
    this.registry = registry
    this.offsetStore = offsetStore
    this.#clients = clients
    this.metrics = settings.metrics ?? new ConnectMetrics()
  }

  // ---- Connectors -------------------------------------------------------------------------------------------------

  async startConnector (name: string, descriptor: PluginDescriptor<'source' | 'sink'>, config: Readonly<Record<string, string>>, hooks: ConnectorHooks): Promise<void> {
    const logger = createLogger('WorkerConnector')
    const metrics = this.metrics
    metrics.connectorStartups.attempt()
    await withLogContext(`${name}|worker`, async () => {
      let connector: ConnectorBase<Task>
      try {
        connector = descriptor.create()
      } catch (err) {
        metrics.connectorStartups.failure()
        throw err
      }
      metrics.connectorCreated(name, descriptor.className, descriptor.kind, connectorVersion(connector, descriptor.version))
      hooks.created(connector)
      connector.initialize({
        requestTaskReconfiguration: () => {
          void hooks.requestTaskReconfiguration(connector).catch(err => logger.error('Task reconfiguration failed', err))
        },
        raiseError: (error: Error) => { metrics.connectorState(name, 'FAILED'); hooks.raiseError(connector, error) },
        pluginMetrics: metrics.plugins.scope(name, null)
      })
      try {
        // Resolved at every start, so a connector restarted after a secret rotated gets the new value.
        const resolver = this.settings.configResolver
        const result = resolver ? await resolver.transform(config) : { data: { ...config }, ttls: new Map<string, number>() }
        hooks.resolved(result.data, result.ttls, logger)
        await connector.start(result.data)
      } catch (err) {
        metrics.connectorStartups.failure()
        metrics.connectorState(name, 'FAILED')
        hooks.failed(describeError(err))
        logger.error(`WorkerConnector{id=${name}} Error while starting connector`, err)
        throw new ConnectError(`Failed to start connector ${name}: ${(err as Error).message}`, { cause: err })
      }
      metrics.connectorStartups.success()
      metrics.connectorState(name, 'RUNNING')
      hooks.started()
      logger.info(`Finished creating connector ${name}`)
    })
  }

  async stopConnector (name: string, connector: ConnectorBase<Task>): Promise<void> {
    try {
      await connector.stop()
    } catch (err) {
      // Under the herder's logger name, as before the worker was split from it.
      createLogger('StandaloneHerder').warn(`Error while stopping connector ${name}`, err)
    }
    this.metrics.connectorRemoved(name)
  }

  connectorTaskConfigs (name: string, descriptor: PluginDescriptor<'source' | 'sink'>, connector: ConnectorBase<Task>,
    config: Readonly<Record<string, string>>, failed: (trace: string) => void): Array<Record<string, string>> {
    let settings: ConnectorConfig
    let configs: Array<Record<string, string>>
    try {
      settings = parseConnectorConfig(config, descriptor.kind)
      configs = connector.taskConfigs(settings.tasksMax)
    } catch (err) {
      // Apache hangs here (the request never completes); fail the connector instead.
      failed(describeError(err))
      throw new ConnectError(`Connector ${name} failed to generate task configurations: ${(err as Error).message}`, { cause: err })
    }
    const maxTasks = settings.tasksMax
    if (configs.length > maxTasks && settings.enforceTasksMax) {
      const msg = `The connector ${name} has generated ${configs.length} tasks, which is greater than ${maxTasks}, the maximum number of tasks it is configured to create. This behaviour should be considered a bug and is disallowed. If necessary, it can be permitted by reconfiguring the connector with 'tasks.max.enforce' set to false; however, this option will be removed in a future release of Kafka Connect.`
      failed(msg)
      throw new ConnectError(msg)
    }
    const taskClassName = qualifiedTaskClassName(descriptor.className, connector.taskClass())
    return configs.map(taskConfig => {
      const props: Record<string, string> = { ...taskConfig, 'task.class': taskClassName }
      if (descriptor.kind === 'sink') {
        for (const k of [TOPICS_CONFIG, TOPICS_REGEX_CONFIG]) if (config[k] !== undefined) props[k] = config[k]
      }
      return props
    })
  }

  // ---- Tasks ------------------------------------------------------------------------------------------------------

  startTask (spec: TaskSpec): RunningTask {
    const startups = this.metrics.taskStartups
    // Settings that do not parse fail here, wherever the task would run.
    if (runsInProcess(this.settings.taskPlacement, spec.connectorConfig, spec.kind)) return this.#startProcessTask(spec)
    startups.attempt()
    const metrics = this.metrics.addTask(spec.id.connector, spec.id.task, spec.kind)
    let wt: WorkerTaskInstance
    try {
      const task = new spec.taskClass()
      wt = this.#buildTask(spec, task, metrics)
    } catch (err) {
      startups.failure()
      this.metrics.removeTask(spec.id.connector, spec.id.task, metrics)
      throw err
    }
    startups.success()
    this.#taskMetrics.set(wt, metrics)
    spec.attach(wt)
    if (spec.paused) wt.pause()
    withLogContext(`${spec.id.connector}|task-${spec.id.task}`, () => wt.start())
    return wt
  }

  /** The task in a process of its own, which builds it there; its state and metrics come back to this worker's. */
  #startProcessTask (spec: TaskSpec): RunningTask {
    const startups = this.metrics.taskStartups
    startups.attempt()
    const metrics = this.metrics.addTask(spec.id.connector, spec.id.task, spec.kind)
    const task = new ProcessTask({
      spec, settings: this.settings, offsetStore: this.offsetStore, metrics, plugins: this.metrics.plugins, startups, metricsWindow: this.metrics.window
    })
    this.#taskMetrics.set(task, metrics)
    spec.attach(task)
    return task
  }

  #buildTask (spec: TaskSpec, task: Task, metrics: TaskMetrics): WorkerTaskInstance {
    return buildWorkerTask({
      settings: this.settings, registry: this.registry, clients: this.#clients, offsetStore: this.offsetStore,
      pluginMetrics: this.metrics.plugins.scope(spec.id.connector, spec.id.task)
    }, spec, task, metrics)
  }

  async stopAndAwaitTasks (connector: string, tasks: ReadonlyArray<readonly [number, RunningTask]>): Promise<void> {
    for (const [, t] of tasks) t.signalStop()
    // One deadline for all tasks together, as Apache's task.shutdown.graceful.timeout.ms.
    const deadline = Date.now() + this.settings.taskShutdownGracefulTimeoutMs
    const results = await Promise.all(tasks.map(async ([, t]) => await t.awaitStop(deadline)))
    results.forEach((ok, i) => {
      if (ok) return
      // Under the herder's logger name, as before the worker was split from it.
      createLogger('StandaloneHerder').error(`Graceful stop of task ${connector}-${tasks[i]![0]} failed: it did not stop within task.shutdown.graceful.timeout.ms; abandoning it`)
      tasks[i]![1].cancel()
    })
    for (const [id, t] of tasks) this.metrics.removeTask(connector, id, this.#taskMetrics.get(t))
  }
}

/** The connector's version() as Apache's connector-version reports it; the plugin's declared version otherwise. */
function connectorVersion (connector: ConnectorBase<Task>, declared: string): string {
  try {
    const v = (connector as { version?: () => unknown }).version?.()
    return typeof v === 'string' && v !== '' ? v : declared
  } catch {
    return declared
  }
}

/**
 * The `task.class` of a task config: Apache writes the task's fully qualified Java class name. A task class may name
 * itself (a static `className`); otherwise it is taken to live in its connector's package
 * (org.apache.kafka.connect.file.FileStreamSourceConnector → org.apache.kafka.connect.file.FileStreamSourceTask).
 */
function qualifiedTaskClassName (connectorClassName: string, taskClass: { name: string, className?: unknown }): string {
  if (typeof taskClass.className === 'string' && taskClass.className !== '') return taskClass.className
  const dot = connectorClassName.lastIndexOf('.')
  return dot < 0 ? taskClass.name : `${connectorClassName.slice(0, dot + 1)}${taskClass.name}`
}
