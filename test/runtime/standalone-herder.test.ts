/**
 * StandaloneHerder with small in-memory fakes (as Apache's StandaloneHerderTest): the real Worker runs the connector
 * instances (no Kafka involved there), but its tasks are fakes that record what the herder asks of them; the config
 * store and the offsets store are in memory. No process, no broker.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  AlreadyExistsError, ConfigDef, ConfigError, ConnectError, NotFoundError, SinkConnector, SinkTask,
  SourceConnector, SourceTask, definePlugins, plugin,
  type ConnectorProps, type SinkTaskBase, type SourceRecord, type SourceTaskBase, type TaskClass
} from '../../src/api/index.ts'
import { BadRequestError } from '../../src/rest/errors.ts'
import { builtinRegistry } from '../../src/plugins/builtin.ts'
import type { StoredConnector } from '../../src/storage/connector-config-store.ts'
import { StandaloneHerder } from '../../src/runtime/standalone-herder.ts'
import type { State } from '../../src/runtime/status.ts'
import { Worker, type RunningTask, type TaskSpec, type WorkerOffsetStore, type WorkerSettings } from '../../src/runtime/worker.ts'

// ---- Test plugins ----------------------------------------------------------------------------------------------

const DEF = new ConfigDef()
  .define({ name: 'task.count', type: 'int', default: 1, importance: 'low', documentation: 'How many task configs to generate.' })
  .define({ name: 'fail.start', type: 'boolean', default: false, importance: 'low', documentation: 'start() throws.' })
  .define({ name: 'flavour', type: 'string', default: 'plain', importance: 'low', documentation: 'Copied into every task config.' })

/** The connector instances created, newest last, so a test can reach a running one's context. */
const instances: TestSource[] = []

class IdleSourceTask extends SourceTask {
  version (): string { return '1' }
  start (): void {}
  async poll (): Promise<SourceRecord[] | null> { return null }
  stop (): void {}
}

class TestSource extends SourceConnector {
  props: Record<string, string> = {}
  stopped = false
  version (): string { return '1.0' }
  start (props: ConnectorProps): void {
    instances.push(this)
    if (props['fail.start'] === 'true') throw new Error('start refused')
    this.props = { ...props }
  }

  taskClass (): TaskClass<SourceTaskBase> { return IdleSourceTask }
  taskConfigs (): Array<Record<string, string>> {
    return Array.from({ length: Number(this.props['task.count'] ?? 1) }, (_, i) => ({ index: String(i), flavour: this.props.flavour ?? 'plain' }))
  }

  stop (): void { this.stopped = true }
  config (): ConfigDef { return DEF }
  requestReconfiguration (): void { this.context.requestTaskReconfiguration() }
  fail (error: Error): void { this.context.raiseError(error) }
  alterOffsets (): boolean { return true }
}

class IdleSinkTask extends SinkTask {
  version (): string { return '1' }
  start (): void {}
  put (): void {}
  stop (): void {}
}

class TestSink extends SinkConnector {
  version (): string { return '1.0' }
  start (): void {}
  taskClass (): TaskClass<SinkTaskBase> { return IdleSinkTask }
  taskConfigs (max: number): Array<Record<string, string>> { return Array.from({ length: max }, () => ({})) }
  stop (): void {}
  config (): ConfigDef { return new ConfigDef() }
}

// ---- Fakes -----------------------------------------------------------------------------------------------------

/** A task that records what it is asked; `fail` reports a failure as a real task's loop would. */
class FakeTask implements RunningTask {
  readonly spec: TaskSpec
  paused = false
  stopped = false
  constructor (spec: TaskSpec) { this.spec = spec }
  get config (): Record<string, string> { return this.spec.taskConfig }
  #report (state: State, trace?: string): void { this.spec.listener.onStateChange(this.spec.id, state, trace) }
  start (): void { this.#report(this.paused ? 'PAUSED' : 'RUNNING') }
  fail (trace: string): void { this.#report('FAILED', trace) }
  pause (): void { this.paused = true; this.#report('PAUSED') }
  resume (): void { this.paused = false; this.#report('RUNNING') }
  signalStop (): void { this.stopped = true }
  async awaitStop (): Promise<boolean> { return true }
  cancel (): void {}
}

/** The real Worker for connector instances and task configs; tasks are FakeTasks. */
class FakeTaskWorker extends Worker {
  readonly started: FakeTask[] = []
  readonly stoppedBatches: Array<Array<[number, RunningTask]>> = []
  override startTask (spec: TaskSpec): RunningTask {
    if (spec.connectorConfig['flavour'] === 'unbuildable') throw new Error('cannot build this task')
    const t = new FakeTask(spec)
    spec.attach(t)
    if (spec.paused) t.pause()
    t.start()
    this.started.push(t)
    return t
  }

  override async stopAndAwaitTasks (_connector: string, tasks: ReadonlyArray<readonly [number, RunningTask]>): Promise<void> {
    for (const [, t] of tasks) t.signalStop()
    this.stoppedBatches.push(tasks.map(([id, t]) => [id, t]))
  }

  /** The running (not stopped) fake tasks of a connector, by task id. */
  running (connector: string): Map<number, FakeTask> {
    return new Map(this.started.filter(t => t.spec.id.connector === connector && !t.stopped).map(t => [t.spec.id.task, t]))
  }
}

class MemoryOffsetStore implements WorkerOffsetStore {
  readonly data = new Map<string, Map<string, { partition: Record<string, unknown>, offset: Record<string, unknown> | null }>>()
  get (connector: string, partition: Record<string, unknown>): Record<string, unknown> | null {
    return this.data.get(connector)?.get(JSON.stringify(partition))?.offset ?? null
  }

  async set (connector: string, entries: Array<{ partition: Record<string, unknown>, offset: Record<string, unknown> | null }>): Promise<void> {
    const m = this.data.get(connector) ?? new Map()
    for (const e of entries) {
      if (e.offset === null) m.delete(JSON.stringify(e.partition))
      else m.set(JSON.stringify(e.partition), e)
    }
    this.data.set(connector, m)
  }

  getAll (connector: string): Array<{ partition: Record<string, unknown>, offset: Record<string, unknown> | null }> {
    return [...(this.data.get(connector)?.values() ?? [])]
  }
}

class MemoryConfigStore {
  readonly filename = 'memory'
  readonly saves: Array<Map<string, StoredConnector>> = []
  async save (snapshot: ReadonlyMap<string, StoredConnector>): Promise<void> { this.saves.push(new Map(snapshot)) }
  get last (): Map<string, StoredConnector> { return this.saves.at(-1) ?? new Map() }
}

const SETTINGS: WorkerSettings = {
  workerId: 'test-worker:8083',
  bootstrapServers: 'unused:9092',
  embeddedBroker: false,
  keyConverter: { className: 'StringConverter', props: {} },
  valueConverter: { className: 'StringConverter', props: {} },
  headerConverter: { className: 'SimpleHeaderConverter', props: {} },
  producer: { global: {}, topic: {} },
  consumer: { global: {}, topic: {} },
  offsetFlushIntervalMs: 60_000,
  offsetFlushTimeoutMs: 5_000,
  taskShutdownGracefulTimeoutMs: 5_000
}

function setup (): { herder: StandaloneHerder, worker: FakeTaskWorker, store: MemoryConfigStore, offsets: MemoryOffsetStore } {
  const registry = builtinRegistry().registerManifest(definePlugins([
    plugin({ kind: 'source', className: 'test.TestSource', version: '1.0', create: () => new TestSource() }),
    plugin({ kind: 'sink', className: 'test.TestSink', version: '1.0', create: () => new TestSink() })
  ]), 'test')
  const offsets = new MemoryOffsetStore()
  const worker = new FakeTaskWorker(SETTINGS, registry, offsets)
  const store = new MemoryConfigStore()
  const herder = new StandaloneHerder(worker, { configStore: store })
  return { herder, worker, store, offsets }
}

const source = (name: string, extra: Record<string, string> = {}): Record<string, string> =>
  ({ name, 'connector.class': 'test.TestSource', 'tasks.max': '4', ...extra })

const states = (herder: StandaloneHerder, name: string): { connector: string, tasks: string[] } => {
  const s = herder.status(name)
  return { connector: s.connector.state, tasks: s.tasks.map(t => `${t.id}:${t.state}`) }
}

// ---- Tests -----------------------------------------------------------------------------------------------------

test('create: the connector starts, its task configs are generated and started, and the config is persisted', async () => {
  const { herder, worker, store } = setup()
  const result = await herder.upsertConnector('a', source('a', { 'task.count': '2' }), { allowReplace: false })
  assert.equal(result.created, true)
  assert.deepEqual(result.info, {
    name: 'a', config: source('a', { 'task.count': '2' }), tasks: [{ connector: 'a', task: 0 }, { connector: 'a', task: 1 }], type: 'source'
  })
  assert.deepEqual(states(herder, 'a'), { connector: 'RUNNING', tasks: ['0:RUNNING', '1:RUNNING'] })
  assert.deepEqual(herder.status('a').connector, { state: 'RUNNING', worker_id: 'test-worker:8083', version: '1.0' })
  assert.equal(worker.started.length, 2)
  assert.deepEqual(worker.started[1]!.config, { index: '1', flavour: 'plain', 'task.class': 'test.IdleSourceTask' })
  assert.deepEqual(herder.taskConfigs('a').map(t => t.id), [{ connector: 'a', task: 0 }, { connector: 'a', task: 1 }])
  assert.deepEqual(store.last.get('a'), { config: source('a', { 'task.count': '2' }), target: 'STARTED' })

  await assert.rejects(herder.upsertConnector('a', source('a'), { allowReplace: false }), AlreadyExistsError)
  assert.equal(worker.started.length, 2)
})

test('create with an initial state: PAUSED and STOPPED connectors do not start, and keep their target', async () => {
  const { herder, worker, store } = setup()
  await herder.upsertConnector('p', source('p'), { allowReplace: false, initialState: 'PAUSED' })
  await herder.upsertConnector('s', source('s'), { allowReplace: false, initialState: 'STOPPED' })
  assert.deepEqual(states(herder, 'p'), { connector: 'PAUSED', tasks: [] })
  assert.deepEqual(states(herder, 's'), { connector: 'STOPPED', tasks: [] })
  assert.equal(worker.started.length, 0)
  assert.deepEqual([...store.last].map(([n, c]) => [n, c.target]), [['p', 'PAUSED'], ['s', 'STOPPED']])
})

test('validation: every error is reported, nothing is created; validate() never throws', async () => {
  const { herder, worker, store } = setup()
  const bad = source('v', { 'tasks.max': 'many', 'task.count': 'x' })
  await assert.rejects(herder.upsertConnector('v', bad, { allowReplace: false }), (err: unknown) => {
    assert.ok(err instanceof ConfigError)
    // Apache reports an unparsable tasks.max twice (not a number, then null).
    assert.equal(err.problems.length, 3, err.message)
    return true
  })
  assert.deepEqual(herder.connectors(), [])
  assert.equal(worker.started.length, 0)
  assert.equal(store.saves.length, 0)

  const infos = await herder.validate(bad, ['flavour'])
  assert.equal(infos.name, 'test.TestSource')
  assert.equal(infos.error_count, 4)
  const flavour = infos.configs.find(c => c.value.name === 'flavour')!
  assert.deepEqual(flavour.value.errors, ['Null value can not be supplied as the configuration value.'])
  assert.equal((await herder.validate(source('ok'))).error_count, 0)
  await assert.rejects(herder.upsertConnector('n', source('n'), { allowReplace: false, nullKeys: ['flavour'] }), ConfigError)
})

test('reconfigure: changed task configs restart the tasks; unchanged ones keep them running', async () => {
  const { herder, worker, store } = setup()
  await herder.upsertConnector('a', source('a'), { allowReplace: false })
  const first = worker.running('a').get(0)!
  const firstInstance = instances.at(-1)!

  // The same config again: the connector instance restarts; its task keeps running (same task configs).
  const same = await herder.upsertConnector('a', source('a'), { allowReplace: true })
  assert.equal(same.created, false)
  assert.equal(firstInstance.stopped, true)
  assert.equal(worker.running('a').get(0), first)

  // A changed config restarts the tasks even when their configs are the same.
  await herder.upsertConnector('a', source('a', { 'tasks.max': '3' }), { allowReplace: true })
  assert.equal(first.stopped, true)
  const second = worker.running('a').get(0)!
  assert.equal(store.last.get('a')!.config['tasks.max'], '3')

  // New task configs: every task restarts with them.
  await herder.upsertConnector('a', source('a', { 'task.count': '3', flavour: 'spicy' }), { allowReplace: true })
  assert.equal(second.stopped, true)
  assert.deepEqual([...worker.running('a').values()].map(t => t.config.flavour), ['spicy', 'spicy', 'spicy'])
  assert.deepEqual(states(herder, 'a'), { connector: 'RUNNING', tasks: ['0:RUNNING', '1:RUNNING', '2:RUNNING'] })

  // PATCH merges (null removes a key) and applies like PUT.
  const info = await herder.patchConnectorConfig('a', { flavour: null, 'task.count': '1' })
  assert.equal(info.config.flavour, undefined)
  assert.deepEqual([...worker.running('a').values()].map(t => t.config.flavour), ['plain'])
  await assert.rejects(herder.patchConnectorConfig('a', { name: 'b' }), BadRequestError)

  // The connector's own request for reconfiguration goes through the queue.
  instances.at(-1)!.props['task.count'] = '2'
  instances.at(-1)!.requestReconfiguration()
  await herder.health() // not ready: answers at once; the queue drains below
  await herder.upsertConnector('other', source('other'), { allowReplace: false })
  assert.deepEqual(states(herder, 'a').tasks, ['0:RUNNING', '1:RUNNING'])
})

test('pause, resume and stop: target states, task states and what is persisted', async () => {
  const { herder, worker, store } = setup()
  await herder.upsertConnector('a', source('a', { 'task.count': '2' }), { allowReplace: false })
  const tasks = [...worker.running('a').values()]
  const instance = instances.at(-1)!

  await herder.pauseConnector('a')
  assert.deepEqual(states(herder, 'a'), { connector: 'PAUSED', tasks: ['0:PAUSED', '1:PAUSED'] })
  assert.ok(tasks.every(t => t.paused && !t.stopped))
  assert.equal(instance.stopped, true, 'the connector instance stops while paused, as in Apache')
  assert.equal(store.last.get('a')!.target, 'PAUSED')

  await herder.resumeConnector('a')
  assert.deepEqual(states(herder, 'a'), { connector: 'RUNNING', tasks: ['0:RUNNING', '1:RUNNING'] })
  assert.deepEqual([...worker.running('a').values()], tasks, 'the same tasks resume')
  assert.equal(store.last.get('a')!.target, 'STARTED')

  await herder.stopConnector('a')
  assert.deepEqual(states(herder, 'a'), { connector: 'STOPPED', tasks: [] })
  assert.ok(tasks.every(t => t.stopped))
  assert.deepEqual(herder.connectorInfo('a').tasks, [], 'a stopped connector has no task configs')
  assert.equal(store.last.get('a')!.target, 'STOPPED')

  await herder.resumeConnector('a')
  assert.deepEqual(states(herder, 'a'), { connector: 'RUNNING', tasks: ['0:RUNNING', '1:RUNNING'] })
  assert.equal(worker.started.length, 4)
  await assert.rejects(herder.pauseConnector('nope'), NotFoundError)
})

test('restart plans: onlyFailed and includeTasks choose what restarts, and the plan shows it as RESTARTING', async () => {
  const { herder, worker } = setup()
  await herder.upsertConnector('a', source('a', { 'task.count': '3' }), { allowReplace: false })
  const before = worker.running('a')
  before.get(1)!.fail('boom at 1')
  assert.deepEqual(states(herder, 'a').tasks, ['0:RUNNING', '1:FAILED', '2:RUNNING'])

  const plan = await herder.restartConnectorAndTasks('a', { includeTasks: true, onlyFailed: true })
  assert.equal(plan.connector.state, 'RUNNING', 'a running connector is not restarted by onlyFailed')
  assert.deepEqual(plan.tasks.map(t => [t.id, t.state, t.trace]), [[0, 'RUNNING', undefined], [1, 'RESTARTING', 'boom at 1'], [2, 'RUNNING', undefined]])
  const after = worker.running('a')
  assert.equal(after.get(0), before.get(0))
  assert.notEqual(after.get(1), before.get(1))
  assert.equal(after.get(2), before.get(2))
  assert.deepEqual(states(herder, 'a').tasks, ['0:RUNNING', '1:RUNNING', '2:RUNNING'])

  const all = await herder.restartConnectorAndTasks('a', { includeTasks: true, onlyFailed: false })
  assert.equal(all.connector.state, 'RESTARTING')
  assert.deepEqual(all.tasks.map(t => t.state), ['RESTARTING', 'RESTARTING', 'RESTARTING'])
  assert.ok([...after.values()].every(t => t.stopped))

  // Connector only (no tasks), and only if failed.
  const instance = instances.at(-1)!
  const none = await herder.restartConnectorAndTasks('a', { includeTasks: false, onlyFailed: true })
  assert.deepEqual([none.connector.state, ...none.tasks.map(t => t.state)], ['RUNNING', 'RUNNING', 'RUNNING', 'RUNNING'])
  assert.equal(instance.stopped, false)
  instance.fail(new Error('connector broke'))
  assert.equal(herder.status('a').connector.state, 'FAILED')
  const failed = await herder.restartConnectorAndTasks('a', { includeTasks: false, onlyFailed: true })
  assert.equal(failed.connector.state, 'RESTARTING')
  assert.equal(instance.stopped, true)
  assert.equal(herder.status('a').connector.state, 'RUNNING')

  // Plain restart: the instance only; the tasks keep running (their configs did not change).
  const tasks = worker.running('a')
  await herder.restartConnector('a')
  assert.deepEqual(worker.running('a'), tasks)

  await herder.restartTask('a', 2)
  assert.notEqual(worker.running('a').get(2), tasks.get(2))
  await assert.rejects(herder.restartTask('a', 3), NotFoundError)
  await assert.rejects(herder.restartConnectorAndTasks('nope', { includeTasks: true, onlyFailed: false }), NotFoundError)
})

test('a connector that cannot start, or generates too many tasks, or whose task cannot be built, shows FAILED', async () => {
  const { herder, worker } = setup()
  await assert.rejects(herder.upsertConnector('f', source('f', { 'fail.start': 'true' }), { allowReplace: false }), ConnectError)
  const f = herder.status('f')
  assert.equal(f.connector.state, 'FAILED')
  assert.match(f.connector.trace!, /start refused/)

  await assert.rejects(herder.upsertConnector('many', source('many', { 'tasks.max': '1', 'task.count': '2' }), { allowReplace: false }), /has generated 2 tasks, which is greater than 1/)
  assert.equal(herder.status('many').connector.state, 'FAILED')
  await herder.upsertConnector('allowed', source('allowed', { 'tasks.max': '1', 'task.count': '2', 'tasks.max.enforce': 'false' }), { allowReplace: false })
  assert.equal(herder.status('allowed').tasks.length, 2)

  await herder.upsertConnector('u', source('u', { flavour: 'unbuildable' }), { allowReplace: false })
  assert.deepEqual(states(herder, 'u'), { connector: 'RUNNING', tasks: ['0:FAILED'] })
  assert.match(herder.status('u').tasks[0]!.trace!, /cannot build this task/)
  assert.equal(worker.running('u').size, 0)
})

test('delete: tasks and instance stop, the connector and its topics are gone, and the store forgets it', async () => {
  const { herder, worker, store } = setup()
  await herder.upsertConnector('a', source('a', { 'task.count': '2' }), { allowReplace: false })
  const instance = instances.at(-1)!
  await herder.upsertConnector('b', source('b'), { allowReplace: false })
  worker.running('a').get(0)!.spec.onTopic('topic-a')
  assert.deepEqual(herder.topics('a'), ['topic-a'])
  const tasks = [...worker.running('a').values()]

  await herder.deleteConnector('a')
  assert.ok(tasks.every(t => t.stopped))
  assert.equal(instance.stopped, true)
  assert.deepEqual(herder.connectors(), ['b'])
  assert.throws(() => herder.status('a'), NotFoundError)
  assert.deepEqual(herder.topics('a'), [])
  assert.deepEqual([...store.last.keys()], ['b'])
  // A stopped task's late reports no longer count.
  tasks[1]!.fail('too late')
  assert.throws(() => herder.taskStatus('a', 1), NotFoundError)
  await assert.rejects(herder.deleteConnector('a'), NotFoundError)
})

test('target states persist: restored connectors come back in their state; file connectors and unloadable ones are kept apart', async () => {
  const { herder, worker, store } = setup()
  const stored = new Map<string, StoredConnector>([
    ['running', { config: source('running'), target: 'STARTED' }],
    ['paused', { config: source('paused'), target: 'PAUSED' }],
    ['stopped', { config: source('stopped'), target: 'STOPPED' }],
    ['broken', { config: { name: 'broken', 'connector.class': 'test.Missing' }, target: 'STARTED' }],
    ['fromfile', { config: source('fromfile'), target: 'PAUSED' }]
  ])
  await herder.restorePersisted(stored, new Set(['fromfile']))
  assert.deepEqual(herder.connectors(), ['paused', 'running', 'stopped'])
  assert.deepEqual(states(herder, 'running'), { connector: 'RUNNING', tasks: ['0:RUNNING'] })
  assert.deepEqual(states(herder, 'paused'), { connector: 'PAUSED', tasks: [] })
  assert.deepEqual(states(herder, 'stopped'), { connector: 'STOPPED', tasks: [] })
  assert.equal(worker.started.length, 1)

  // A connector file's connector is never written to the store; the unloadable one stays in it untouched.
  await herder.putConnectorConfig('fromfile', source('fromfile'))
  assert.deepEqual(states(herder, 'fromfile'), { connector: 'RUNNING', tasks: ['0:RUNNING'] })
  await herder.pauseConnector('running')
  assert.deepEqual([...store.last].map(([n, c]) => [n, c.target]).sort(), [['broken', 'STARTED'], ['paused', 'PAUSED'], ['running', 'PAUSED'], ['stopped', 'STOPPED']])
  assert.deepEqual(store.last.get('broken')!.config, { name: 'broken', 'connector.class': 'test.Missing' })

  // --skip-stored-connectors: nothing starts, and everything stays in the store.
  const skipped = setup()
  await skipped.herder.restorePersisted(stored, new Set(), { start: false })
  assert.deepEqual(skipped.herder.connectors(), [])
  await skipped.herder.upsertConnector('new', source('new'), { allowReplace: false })
  assert.deepEqual([...skipped.store.last.keys()].sort(), ['broken', 'fromfile', 'new', 'paused', 'running', 'stopped'])
})

test('offsets: only a stopped connector\'s offsets change; alter and reset go to the offsets store', async () => {
  const { herder, offsets } = setup()
  await herder.upsertConnector('a', source('a'), { allowReplace: false })
  await offsets.set('a', [{ partition: { file: 'x' }, offset: { position: 1 } }])
  assert.deepEqual(await herder.connectorOffsets('a'), [{ partition: { file: 'x' }, offset: { position: 1 } }])
  await assert.rejects(herder.modifyOffsets('a', [{ partition: { file: 'x' }, offset: { position: 5 } }]), BadRequestError)

  await herder.stopConnector('a')
  assert.equal(await herder.modifyOffsets('a', [{ partition: { file: 'x' }, offset: { position: 5 } }]), 'The offsets for this connector have been altered successfully')
  assert.deepEqual(offsets.getAll('a'), [{ partition: { file: 'x' }, offset: { position: 5 } }])
  assert.equal(await herder.modifyOffsets('a', undefined), 'The offsets for this connector have been reset successfully')
  assert.deepEqual(offsets.getAll('a'), [])

  // A sink needs the consumer-group admin, which this herder was not given.
  await herder.upsertConnector('s', { name: 's', 'connector.class': 'test.TestSink', topics: 't' }, { allowReplace: false, initialState: 'STOPPED' })
  await assert.rejects(herder.connectorOffsets('s'), /no Kafka admin access/)
})

test('health, and no change once stopped', async () => {
  const { herder, worker } = setup()
  assert.equal((await herder.health()).status, 503)
  herder.markReady()
  assert.deepEqual(await herder.health(), { status: 200, body: { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' } })
  await herder.upsertConnector('a', source('a'), { allowReplace: false })
  await herder.stop()
  assert.ok([...worker.started].every(t => t.stopped))
  await assert.rejects(herder.upsertConnector('b', source('b'), { allowReplace: false }), /shutting down/)
})
