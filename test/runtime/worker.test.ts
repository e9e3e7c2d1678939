/**
 * The Worker without a broker: connector instances and their hooks, task configs, and tasks built with their
 * converters, transformations and Kafka client settings, through a fake client factory that records what it is
 * asked for (and refuses, so the task fails as it would without Kafka). The tasks' runs against a real broker are
 * covered by worker-source-task / worker-sink-task and the e2e tests.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  ConfigDef, ConnectError, SinkConnector, SinkTask, SourceConnector, SourceTask, definePlugins, plugin,
  type ConnectorBase, type ConnectorProps, type SinkTaskBase, type SourceRecord, type SourceTaskBase, type Task, type TaskClass
} from '../../src/api/index.ts'
import type { ConnectorConfigResolver } from '../../src/config/config-transformer.ts'
import { builtinRegistry } from '../../src/plugins/builtin.ts'
import type { State } from '../../src/runtime/status.ts'
import { Worker, type ConnectorHooks, type KafkaClientFactory, type RunningTask, type TaskSpec, type WorkerSettings } from '../../src/runtime/worker.ts'

class QuietSourceTask extends SourceTask {
  started: Record<string, string> | null = null
  version (): string { return '1' }
  start (props: Readonly<Record<string, string>>): void { this.started = { ...props } }
  async poll (): Promise<SourceRecord[] | null> { return null }
  stop (): void {}
}

class QuietSinkTask extends SinkTask {
  version (): string { return '1' }
  start (): void {}
  put (): void {}
  stop (): void {}
}

class Source extends SourceConnector {
  props: Record<string, string> = {}
  version (): string { return '2.0' }
  start (props: ConnectorProps): void {
    if (props.fail === 'true') throw new Error('no start today')
    this.props = { ...props }
  }

  taskClass (): TaskClass<SourceTaskBase> { return QuietSourceTask }
  taskConfigs (): Array<Record<string, string>> { return Array.from({ length: Number(this.props.count ?? 1) }, (_, i) => ({ i: String(i) })) }
  stop (): void { if (this.props.failStop === 'true') throw new Error('stop failed') }
  config (): ConfigDef { return new ConfigDef() }
  askForReconfiguration (): void { this.context.requestTaskReconfiguration() }
}

class Sink extends SinkConnector {
  version (): string { return '2.0' }
  start (): void {}
  taskClass (): TaskClass<SinkTaskBase> { return QuietSinkTask }
  taskConfigs (max: number): Array<Record<string, string>> { return Array.from({ length: max }, () => ({ own: 'x' })) }
  stop (): void {}
  config (): ConfigDef { return new ConfigDef() }
}

const registry = builtinRegistry().registerManifest(definePlugins([
  plugin({ kind: 'source', className: 'com.example.Source', version: '2.0', create: () => new Source() }),
  plugin({ kind: 'sink', className: 'com.example.Sink', version: '2.0', create: () => new Sink() })
]), 'test')

function settings (extra: Partial<WorkerSettings> = {}): WorkerSettings {
  return {
    workerId: 'w:1',
    bootstrapServers: 'nowhere:9092',
    embeddedBroker: false,
    keyConverter: { className: 'StringConverter', props: {} },
    valueConverter: { className: 'StringConverter', props: {} },
    headerConverter: { className: 'SimpleHeaderConverter', props: {} },
    producer: { global: { 'bootstrap.servers': 'nowhere:9092', 'linger.ms': 7 }, topic: {} },
    consumer: { global: { 'bootstrap.servers': 'nowhere:9092', 'max.poll.records': 42 }, topic: {} },
    offsetFlushIntervalMs: 60_000,
    offsetFlushTimeoutMs: 5_000,
    taskShutdownGracefulTimeoutMs: 5_000,
    ...extra
  }
}

const offsets = { get: () => null, set: async () => {}, getAll: () => [] }

/** A client factory that records what it was asked for and refuses: there is no broker here. */
function recordingClients (): KafkaClientFactory & { asked: Array<{ kind: string, options: { global: Record<string, unknown>, topic?: Record<string, unknown> } }> } {
  const asked: Array<{ kind: string, options: { global: Record<string, unknown>, topic?: Record<string, unknown> } }> = []
  return {
    asked,
    producer: async options => { asked.push({ kind: 'producer', options: options as never }); throw new Error('no broker in this test') },
    consumer: async options => { asked.push({ kind: 'consumer', options: options as never }); throw new Error('no broker in this test') }
  }
}

function hooks (): ConnectorHooks & { events: string[], connector: ConnectorBase<Task> | null, config: Record<string, string> | null } {
  const h = {
    events: [] as string[],
    connector: null as ConnectorBase<Task> | null,
    config: null as Record<string, string> | null,
    created: (c: ConnectorBase<Task>) => { h.connector = c; h.events.push('created') },
    requestTaskReconfiguration: async (c: ConnectorBase<Task>) => { h.events.push(`reconfigure:${c === h.connector}`) },
    raiseError: (_c: ConnectorBase<Task>, e: Error) => { h.events.push(`error:${e.message}`) },
    resolved: (config: Record<string, string>, ttls: ReadonlyMap<string, number>) => { h.config = config; h.events.push(`resolved:${ttls.size}`) },
    failed: (trace: string) => { h.events.push(`failed:${trace.split('\n')[0]!}`) },
    started: () => { h.events.push('started') }
  }
  return h
}

/** Starts a task and resolves with the first status it reports that `until` accepts. */
async function runTask (worker: Worker, spec: Partial<TaskSpec> & Pick<TaskSpec, 'kind' | 'connectorConfig'>, until: (s: State) => boolean = s => s === 'FAILED'):
Promise<{ task: RunningTask, attached: RunningTask | null, state: State, trace: string | undefined }> {
  let attached: RunningTask | null = null
  let settle!: (v: { state: State, trace: string | undefined }) => void
  const reported = new Promise<{ state: State, trace: string | undefined }>(resolve => { settle = resolve })
  const task = worker.startTask({
    id: { connector: 'c', task: 0 },
    taskClass: spec.kind === 'source' ? QuietSourceTask : QuietSinkTask,
    taskConfig: { i: '0' },
    paused: false,
    listener: { onStateChange: (_id, state, trace) => { if (until(state)) settle({ state, trace }) } },
    onTopic: () => {},
    attach: t => { attached = t },
    ...spec
  })
  const { state, trace } = await reported
  task.signalStop()
  await task.awaitStop(Date.now() + 5_000)
  return { task, attached, state, trace }
}

test('connectorTaskConfigs: the task class named in its connector\'s package, a sink\'s topics, tasks.max enforced', () => {
  const worker = new Worker(settings(), registry, offsets)
  const source = new Source()
  source.start({ count: '2' })
  const descriptor = registry.resolveConnector('com.example.Source')
  const traces: string[] = []
  assert.deepEqual(worker.connectorTaskConfigs('c', descriptor, source, { 'tasks.max': '2' }, t => traces.push(t)), [
    { i: '0', 'task.class': 'com.example.QuietSourceTask' }, { i: '1', 'task.class': 'com.example.QuietSourceTask' }
  ])
  assert.throws(() => worker.connectorTaskConfigs('c', descriptor, source, { 'tasks.max': '1' }, t => traces.push(t)),
    (err: unknown) => err instanceof ConnectError && /has generated 2 tasks, which is greater than 1/.test(err.message))
  assert.equal(traces.length, 1)
  assert.match(traces[0]!, /tasks\.max\.enforce/)
  assert.equal(worker.connectorTaskConfigs('c', descriptor, source, { 'tasks.max': '1', 'tasks.max.enforce': 'false' }, t => traces.push(t)).length, 2)

  const sink = new Sink()
  const sinkDescriptor = registry.resolveConnector('com.example.Sink')
  assert.deepEqual(worker.connectorTaskConfigs('s', sinkDescriptor, sink, { 'tasks.max': '1', topics: 'a,b' }, t => traces.push(t)), [
    { own: 'x', 'task.class': 'com.example.QuietSinkTask', topics: 'a,b' }
  ])
})

test('startConnector: created, resolved (provider variables), started; a failing start is reported and thrown', async () => {
  const resolver = {
    transform: async (config: Readonly<Record<string, string>>) => ({
      data: Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v.replace('${env:COUNT}', '3')])),
      ttls: new Map([['env', 1000]])
    })
  } as unknown as ConnectorConfigResolver
  const worker = new Worker(settings({ configResolver: resolver }), registry, offsets)
  const descriptor = registry.resolveConnector('com.example.Source')
  const h = hooks()
  await worker.startConnector('c', descriptor, { 'connector.class': 'com.example.Source', count: '${env:COUNT}' }, h)
  assert.deepEqual(h.events, ['created', 'resolved:1', 'started'])
  assert.equal(h.config!.count, '3')
  assert.equal((h.connector as Source).props.count, '3', 'the connector starts with the resolved config')
  ;(h.connector as Source).askForReconfiguration()
  await new Promise(resolve => setImmediate(resolve))
  assert.deepEqual(h.events.at(-1), 'reconfigure:true')

  const failing = hooks()
  await assert.rejects(worker.startConnector('bad', descriptor, { fail: 'true' }, failing), (err: unknown) =>
    err instanceof ConnectError && err.message === 'Failed to start connector bad: no start today')
  assert.deepEqual(failing.events, ['created', 'resolved:1', 'failed:Error: no start today'])
  assert.ok(failing.connector, 'the failed instance was handed over, so the herder can stop it')

  // stop() errors are logged, never thrown.
  const stopping = new Source()
  stopping.start({ failStop: 'true' })
  await worker.stopConnector('c', stopping)
})

test('a source task gets its producer from the client factory with the worker\'s and the connector\'s settings', async () => {
  const clients = recordingClients()
  const worker = new Worker(settings(), registry, offsets, clients)
  const { task, attached, trace } = await runTask(worker, {
    kind: 'source',
    connectorConfig: { name: 'c', 'connector.class': 'com.example.Source', 'producer.override.linger.ms': '99', 'producer.override.compression.type': 'lz4' }
  })
  assert.equal(attached, task, 'the herder knows the task before it starts')
  assert.match(trace!, /no broker in this test/)
  assert.equal(clients.asked.length, 1)
  const { global, topic } = clients.asked[0]!.options
  assert.equal(global['client.id'], 'connector-producer-c-0')
  assert.equal(global['bootstrap.servers'], 'nowhere:9092')
  assert.equal(String(global['linger.ms']), '99', 'a connector override wins over the worker setting')
  assert.equal(topic!.partitioner, 'murmur2_random', 'keys land on the partitions Java would choose')
  assert.equal(topic!['compression.type'] ?? global['compression.type'], 'lz4')
})

test('a sink task gets its consumer with the group, the subscription and the Java consumer\'s defaults', async () => {
  const clients = recordingClients()
  const ensured: string[][] = []
  const worker = new Worker(settings({ ensureTopics: async topics => { ensured.push([...topics]) } }), registry, offsets, clients)
  const { trace } = await runTask(worker, { kind: 'sink', connectorConfig: { name: 'c', 'connector.class': 'com.example.Sink', topics: 'a, b' } })
  assert.match(trace!, /no broker in this test/)
  assert.deepEqual(ensured, [['a', 'b']])
  const { global, topic } = clients.asked[0]!.options
  assert.equal(global['group.id'], 'connect-c')
  assert.equal(global['client.id'], 'connector-consumer-c-0')
  assert.equal(global['enable.auto.commit'], false)
  assert.equal(global['allow.auto.create.topics'], true)
  assert.equal(global['max.poll.records'], undefined, 'max.poll.records is the task\'s, not librdkafka\'s')
  assert.equal(topic!['auto.offset.reset'], 'earliest')

  const overridden = recordingClients()
  await runTask(new Worker(settings(), registry, offsets, overridden), {
    kind: 'sink', connectorConfig: { name: 'c', 'connector.class': 'com.example.Sink', 'topics.regex': 'x.*', 'consumer.override.group.id': 'mine' }
  })
  assert.equal(overridden.asked[0]!.options.global['group.id'], 'mine')
})

test('a task that cannot be built throws before it is attached; a paused one starts paused', async () => {
  const worker = new Worker(settings(), registry, offsets, recordingClients())
  let attached = false
  assert.throws(() => worker.startTask({
    id: { connector: 'c', task: 0 }, kind: 'source', taskClass: QuietSourceTask, taskConfig: {}, paused: false,
    connectorConfig: { name: 'c', 'key.converter': 'com.example.NoSuchConverter' },
    listener: { onStateChange: () => {} }, onTopic: () => {}, attach: () => { attached = true }
  }), /NoSuchConverter/)
  assert.equal(attached, false)
  assert.throws(() => worker.startTask({
    id: { connector: 'c', task: 0 }, kind: 'source', taskClass: QuietSourceTask, taskConfig: {}, paused: false,
    connectorConfig: { name: 'c', transforms: 'x', 'transforms.x.type': 'com.example.NoSuchTransform' },
    listener: { onStateChange: () => {} }, onTopic: () => {}, attach: () => {}
  }), /NoSuchTransform/)

  const paused = worker.startTask({
    id: { connector: 'c', task: 0 }, kind: 'source', taskClass: QuietSourceTask, taskConfig: {}, paused: true, connectorConfig: { name: 'c' },
    listener: { onStateChange: () => {} }, onTopic: () => {}, attach: () => {}
  })
  assert.equal((paused as unknown as { paused: boolean }).paused, true)
  paused.signalStop()
  assert.equal(await paused.awaitStop(Date.now() + 5_000), true)
})

test('stopAndAwaitTasks: one shared deadline; a task that overruns it is cancelled', async () => {
  const worker = new Worker(settings({ taskShutdownGracefulTimeoutMs: 50 }), registry, offsets)
  const calls: string[] = []
  const fake = (name: string, stops: boolean): RunningTask => ({
    pause: () => {},
    resume: () => {},
    signalStop: () => { calls.push(`signal ${name}`) },
    awaitStop: async deadline => {
      if (stops) return true
      await new Promise(resolve => setTimeout(resolve, Math.max(0, deadline - Date.now())))
      return false
    },
    cancel: () => { calls.push(`cancel ${name}`) }
  })
  const started = Date.now()
  await worker.stopAndAwaitTasks('c', [[0, fake('a', true)], [1, fake('b', false)], [2, fake('c', false)]])
  assert.ok(Date.now() - started < 1000, 'both stuck tasks share the one deadline')
  assert.deepEqual(calls, ['signal a', 'signal b', 'signal c', 'cancel b', 'cancel c'])
})
