/**
 * What the Worker counts (connect-worker-metrics, connector-metrics) and how task metrics come and go, without a
 * broker: a client factory that refuses makes tasks fail as they would without Kafka.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  ConfigDef, SinkConnector, SinkTask, definePlugins, plugin, type ConnectorProps, type SinkTaskBase, type TaskClass
} from '../../../src/api/index.ts'
import { builtinRegistry } from '../../../src/plugins/builtin.ts'
import { ConnectMetrics } from '../../../src/runtime/metrics/connect-metrics.ts'
import type { State } from '../../../src/runtime/status.ts'
import { Worker, type ConnectorHooks, type KafkaClientFactory, type WorkerSettings } from '../../../src/runtime/worker.ts'

class QuietSinkTask extends SinkTask {
  version (): string { return '1' }
  start (): void {}
  put (): void {}
  stop (): void {}
}

class Sink extends SinkConnector {
  version (): string { return '3.1' }
  start (props: ConnectorProps): void { if (props.fail === 'true') throw new Error('no start today') }
  taskClass (): TaskClass<SinkTaskBase> { return QuietSinkTask }
  taskConfigs (max: number): Array<Record<string, string>> { return Array.from({ length: max }, () => ({})) }
  stop (): void {}
  config (): ConfigDef { return new ConfigDef() }
}

const registry = builtinRegistry().registerManifest(definePlugins([
  plugin({ kind: 'sink', className: 'com.example.Sink', version: '3.0', create: () => new Sink() })
]), 'test')

function settings (metrics: ConnectMetrics): WorkerSettings {
  return {
    workerId: 'w:1',
    bootstrapServers: 'nowhere:9092',
    embeddedBroker: false,
    keyConverter: { className: 'StringConverter', props: {} },
    valueConverter: { className: 'StringConverter', props: {} },
    headerConverter: { className: 'SimpleHeaderConverter', props: {} },
    producer: { global: { 'bootstrap.servers': 'nowhere:9092' }, topic: {} },
    consumer: { global: { 'bootstrap.servers': 'nowhere:9092' }, topic: {} },
    offsetFlushIntervalMs: 60_000,
    offsetFlushTimeoutMs: 5_000,
    taskShutdownGracefulTimeoutMs: 5_000,
    metrics
  }
}

const offsets = { get: () => null, set: async () => {}, getAll: () => [] }

function refusingClients (): KafkaClientFactory & { consumerGlobals: Array<Record<string, unknown>> } {
  const consumerGlobals: Array<Record<string, unknown>> = []
  return {
    consumerGlobals,
    producer: async () => { throw new Error('no broker in this test') },
    consumer: async options => { consumerGlobals.push(options.global as Record<string, unknown>); throw new Error('no broker in this test') }
  }
}

const noHooks: ConnectorHooks = {
  created: () => {}, requestTaskReconfiguration: async () => {}, raiseError: () => {}, resolved: () => {}, failed: () => {}, started: () => {}
}

test('connector starts are counted; the connector shows its class, type, version and state until it stops', async () => {
  const metrics = new ConnectMetrics()
  const worker = new Worker(settings(metrics), registry, offsets, refusingClients())
  assert.equal(worker.metrics, metrics)
  const descriptor = registry.resolveConnector('com.example.Sink')
  await worker.startConnector('ok', descriptor, { topics: 't' }, noHooks)
  await assert.rejects(worker.startConnector('bad', descriptor, { topics: 't', fail: 'true' }, noHooks), /no start today/)
  const s = metrics.connectorStartups
  assert.deepEqual([s.attempts, s.successes, s.failures, s.successRatio()], [2, 1, 1, 0.5])
  assert.deepEqual(metrics.connectors().map(c => [c.name, c.className, c.type, c.version, c.state]), [
    ['bad', 'com.example.Sink', 'sink', '3.1', 'FAILED'],
    ['ok', 'com.example.Sink', 'sink', '3.1', 'RUNNING']
  ])
  await worker.stopConnector('ok', new Sink())
  assert.deepEqual(metrics.connectors().map(c => c.name), ['bad'])
})

test('task starts are counted; a task\'s metrics follow its state and go when it is stopped; sinks ask for statistics', async () => {
  const metrics = new ConnectMetrics()
  const clients = refusingClients()
  const worker = new Worker(settings(metrics), registry, offsets, clients)
  // A converter that does not exist: the task cannot be built.
  assert.throws(() => worker.startTask({
    id: { connector: 'c', task: 0 }, kind: 'sink', taskClass: QuietSinkTask, taskConfig: {}, paused: false,
    connectorConfig: { 'connector.class': 'com.example.Sink', topics: 't', 'value.converter': 'com.example.NoSuchConverter' },
    listener: { onStateChange: () => {} }, onTopic: () => {}, attach: () => {}
  }))
  assert.equal(metrics.tasks().length, 0, 'a task that could not be built leaves no metrics')
  let failed!: () => void
  const done = new Promise<void>(resolve => { failed = resolve })
  const task = worker.startTask({
    id: { connector: 'c', task: 0 }, kind: 'sink', taskClass: QuietSinkTask, taskConfig: {}, paused: false,
    connectorConfig: { 'connector.class': 'com.example.Sink', topics: 't' },
    listener: { onStateChange: (_id, state: State) => { if (state === 'FAILED') failed() } }, onTopic: () => {}, attach: () => {}
  })
  const t = worker.metrics.taskStartups
  assert.deepEqual([t.attempts, t.successes, t.failures], [2, 1, 1])
  await done
  assert.deepEqual(metrics.snapshot().map(s => [s.connector, s.task, s.type, s.state]), [['c', 0, 'sink', 'FAILED']])
  assert.equal(clients.consumerGlobals[0]!['statistics.interval.ms'], 1000, 'the consumer lag comes from librdkafka statistics')
  assert.equal(metrics.tasks()[0]!.clientId, 'connector-consumer-c-0')
  await worker.stopAndAwaitTasks('c', [[0, task]])
  assert.deepEqual(metrics.snapshot(), [])
})
