/**
 * Builds a WorkerSourceTask or WorkerSinkTask from a task's configs and the worker's settings: its converters,
 * transformation chain, Kafka client settings and dead-letter queue. It needs nothing of the process it runs in but
 * what TaskBuildContext gives, so the worker's main thread and a task process (task-process.ts) build tasks alike.
 */
import type { PluginMetrics, SinkRecord, SinkTaskBase, SourceRecord, SourceTaskBase, Task } from '../api/index.ts'
import { parseConnectorConfig, type ConnectorConfig } from '../config/connector-config.ts'
import { checkClientOverrides } from '../kafka/cluster-probe.ts'
import { takeMaxPollRecords, translateClientConfig, type ClientProps, type TranslatedClientConfig } from '../kafka/client-config.ts'
import { DeadLetterQueueProducer } from '../kafka/dead-letter-queue.ts'
import { RdKafkaConsumer } from '../kafka/rdkafka-consumer.ts'
import { RdKafkaProducer } from '../kafka/rdkafka-producer.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import { createLogger, type Logger } from '../util/logger.ts'
import { buildConverters } from './connector-converters.ts'
import { lagsFromStatistics, type TaskMetrics } from './metrics/task-metrics.ts'
import { sinkSubscription } from './sink-subscription.ts'
import { TransformationChain } from './transformation-chain.ts'
import type { KafkaClientFactory, TaskSpec, WorkerSettings } from './worker.ts'
import { WorkerSinkTask } from './worker-sink-task.ts'
import { WorkerSourceTask, type SourceOffsetStore } from './worker-source-task.ts'

/** How often a sink's consumer reports its statistics (the consumer lag), unless the worker or connector says. */
const CONSUMER_STATISTICS_INTERVAL_MS = 1000

export const DEFAULT_CLIENTS: KafkaClientFactory = {
  producer: async options => await RdKafkaProducer.create(options),
  consumer: async options => await RdKafkaConsumer.create(options)
}

/** What building a task needs from where it runs. */
export interface TaskBuildContext {
  settings: WorkerSettings
  registry: PluginRegistry
  clients: KafkaClientFactory
  offsetStore: SourceOffsetStore
  /** The task's scope of plugin metrics (KIP-877). */
  pluginMetrics: PluginMetrics
}

export type TaskBuildSpec = Pick<TaskSpec, 'id' | 'kind' | 'taskConfig' | 'connectorConfig' | 'listener' | 'onTopic'>

export type WorkerTaskInstance = WorkerSourceTask | WorkerSinkTask

export function buildWorkerTask (ctx: TaskBuildContext, spec: TaskBuildSpec, task: Task, metrics: TaskMetrics): WorkerTaskInstance {
  const s = ctx.settings
  const { id, listener, onTopic, taskConfig: props } = spec
  const pluginMetrics = ctx.pluginMetrics
  const name = id.connector
  // Parsed once per task, as Apache's Worker.startTask builds a ConnectorConfig from the connector's props.
  const cfg = parseConnectorConfig(spec.connectorConfig, spec.kind)
  const { keyConverter, valueConverter, headerConverter, classNames: converterClasses } = buildConverters(cfg, s, ctx.registry)
  const errorHandling = cfg.errors
  const logger = createLogger(spec.kind === 'source' ? 'WorkerSourceTask' : 'WorkerSinkTask')
  const createDeadLetterSender = async (topic: string, replicationFactor: number): Promise<DeadLetterQueueProducer> => {
    const overrides = clientOverrides('producer', cfg, logger)
    return await DeadLetterQueueProducer.open({
      topic,
      replicationFactor,
      producer: { ...s.producer.global, 'client.id': `connector-dlq-producer-${name}-${id.task}`, ...overrides.global },
      admin: { ...s.producer.global, 'client.id': `connector-dlq-adminclient-${name}-${id.task}`, ...overrides.global },
      createTopic: !s.embeddedBroker,
      logger
    })
  }
  if (cfg.kind === 'source') {
    const transformations = TransformationChain.of<SourceRecord>(cfg.transformationChain, ctx.registry)
    const producerOverrides = clientOverrides('producer', cfg, logger)
    const producerConfig = {
      ...s.producer.global,
      'client.id': `connector-producer-${name}-${id.task}`,
      ...producerOverrides.global
    }
    return new WorkerSourceTask({
      id, task: task as SourceTaskBase, props,
      createProducer: async () => {
        await checkClientOverrides({ base: s.producer.global, overrides: producerOverrides, client: 'producer', where: `connector ${name} (producer.override.*)`, logger })
        return await ctx.clients.producer({ global: producerConfig, topic: {
        // Java's default partitioner hashes keys with murmur2 (librdkafka's default is CRC32): the same key must land
        // on the same partition as with Apache. A worker or connector setting still wins.
        partitioner: 'murmur2_random',
        ...s.producer.topic,
        ...producerOverrides.topic
        }, logger })
      },
      keyConverter, valueConverter, headerConverter, transformations,
      offsetStore: ctx.offsetStore, offsetFlushIntervalMs: s.offsetFlushIntervalMs, offsetFlushTimeoutMs: s.offsetFlushTimeoutMs,
      defaultPartition: s.embeddedBroker ? 0 : null, logger, listener, onTopic,
      errorHandling, converterClasses, createDeadLetterSender, metrics, pluginMetrics
    })
  }
  const transformations = TransformationChain.of<SinkRecord>(cfg.transformationChain, ctx.registry)
  const subscription = sinkSubscription(cfg)
  const consumerOverrides = clientOverrides('consumer', cfg, logger)
  const consumerGlobal: ClientProps = {
    'group.id': `connect-${name}`,
    // The Java consumer's default: subscribing to a missing topic creates it where the broker allows that.
    'allow.auto.create.topics': true,
    ...s.consumer.global,
    'client.id': `connector-consumer-${name}-${id.task}`,
    'enable.auto.commit': false,
    ...consumerOverrides.global
  }
  if (s.embeddedBroker && !Array.isArray(subscription) && consumerGlobal['group.protocol'] === 'consumer') {
    // A regex subscription cannot pre-create its topics on the embedded broker; classic groups find them later.
    consumerGlobal['group.protocol'] = 'classic'
  }
  const maxPollRecords = takeMaxPollRecords(consumerGlobal)
  // librdkafka's statistics give the consumer lag per partition (sink metrics, the status view).
  consumerGlobal['statistics.interval.ms'] ??= CONSUMER_STATISTICS_INTERVAL_MS
  metrics.clientId = String(consumerGlobal['client.id'])
  return new WorkerSinkTask({
    id, task: task as SinkTaskBase, props,
    createConsumer: async listeners => {
      if (s.ensureTopics && Array.isArray(subscription)) await s.ensureTopics(subscription)
      await checkClientOverrides({ base: s.consumer.global, overrides: consumerOverrides, client: 'consumer', where: `connector ${name} (consumer.override.*)`, logger })
      return await ctx.clients.consumer({
        global: consumerGlobal, topic: { 'auto.offset.reset': 'earliest', ...s.consumer.topic, ...consumerOverrides.topic }, logger, listeners,
        onStatistics: json => { metrics.lags = lagsFromStatistics(json) }
      })
    },
    subscription, keyConverter, valueConverter, headerConverter, transformations,
    offsetFlushIntervalMs: s.offsetFlushIntervalMs, maxPollRecords, embeddedBroker: s.embeddedBroker, logger, listener, onTopic,
    errorHandling, converterClasses, createDeadLetterSender, metrics, pluginMetrics
  })
}

/** A connector's `producer.override.*` / `consumer.override.*` settings, translated like the worker's. */
function clientOverrides (kind: 'producer' | 'consumer', cfg: ConnectorConfig, logger: Logger): TranslatedClientConfig {
  const t = translateClientConfig(kind, cfg.originalsWithPrefix(`${kind}.override.`), `${kind}.override.`)
  for (const w of t.warnings) logger.warn(w)
  return t
}
