/**
 * Tasks in processes of their own (task.placement=process) through the Worker, on the real broker: the task processes
 * load the test plugins from plugin.path, build and run the real WorkerSourceTask/WorkerSinkTask, and report their
 * states (with traces), metrics, log lines and offsets back to the worker. A process that dies fails its task only.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test, type TestContext } from 'node:test'
import type { TaskClass } from '../../src/api/index.ts'
import { builtinRegistry } from '../../src/plugins/builtin.ts'
import { ProcessTask } from '../../src/runtime/process-task.ts'
import type { State } from '../../src/runtime/status.ts'
import { Worker, type RunningTask, type WorkerSettings } from '../../src/runtime/worker.ts'
import { FileOffsetBackingStore } from '../../src/storage/file-offset-backing-store.ts'
import { setLoggerLevel, setLogSink } from '../../src/util/logger.ts'
import { consumeAll, createTopic, kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { waitFor } from '../helpers/wait-for.ts'
import plugins from './fixtures/placement-plugins.ts'

const PLUGIN = fileURLToPath(new URL('./fixtures/placement-plugins.ts', import.meta.url))
const registry = builtinRegistry().registerManifest(plugins, PLUGIN)
/** Task processes start in about a second, more on a busy machine under tsx. */
const START_MS = 60000

const logLines: string[] = []
setLogSink({ write: line => { logLines.push(line) } })

function settings (extra: Partial<WorkerSettings> = {}): WorkerSettings {
  const bootstrap = kafkaBootstrap()
  return {
    workerId: 'w:1',
    bootstrapServers: bootstrap,
    embeddedBroker: false,
    keyConverter: { className: 'StringConverter', props: {} },
    valueConverter: { className: 'StringConverter', props: {} },
    headerConverter: { className: 'SimpleHeaderConverter', props: {} },
    producer: { global: { 'bootstrap.servers': bootstrap, acks: 'all', 'enable.idempotence': true }, topic: {} },
    consumer: { global: { 'bootstrap.servers': bootstrap }, topic: {} },
    offsetFlushIntervalMs: 300,
    offsetFlushTimeoutMs: 5000,
    taskShutdownGracefulTimeoutMs: 5000,
    taskPlacement: 'process',
    pluginPath: [PLUGIN],
    ...extra
  }
}

interface Harness {
  worker: Worker
  states: Map<number, Array<{ state: State, trace?: string }>>
  tasks: Map<number, RunningTask>
  topics: Set<string>
  start (task: number, kind: 'source' | 'sink', config: Record<string, string>, paused?: boolean): RunningTask
  stateOf (task: number): { state: State, trace?: string } | undefined
  stopAll (): Promise<void>
}

async function harness (t: TestContext, extra: Partial<WorkerSettings> = {}): Promise<Harness & { dir: string, store: FileOffsetBackingStore }> {
  const dir = await mkdtemp(join(tmpdir(), 'process-task-'))
  const store = new FileOffsetBackingStore(join(dir, 'connect.offsets'))
  await store.start()
  const worker = new Worker(settings(extra), registry, store)
  const states = new Map<number, Array<{ state: State, trace?: string }>>()
  const tasks = new Map<number, RunningTask>()
  const topics = new Set<string>()
  const names = new Map<number, string>()
  const h = {
    dir, store, worker, states, tasks, topics,
    start (task: number, kind: 'source' | 'sink', config: Record<string, string>, paused = false): RunningTask {
      const connectorConfig = { name: config.name!, 'connector.class': kind === 'source' ? 'test.CountingSource' : 'test.CollectingSink', ...config }
      const taskClass = registry.resolveConnector(connectorConfig['connector.class']).create().taskClass() as TaskClass
      names.set(task, config.name!)
      return worker.startTask({
        id: { connector: config.name!, task }, kind, taskClass, taskConfig: { ...connectorConfig, 'task.id': String(task) }, connectorConfig, paused,
        listener: { onStateChange: (_id, state, trace) => { states.set(task, [...(states.get(task) ?? []), { state, ...(trace !== undefined ? { trace } : {}) }]) } },
        onTopic: topic => { topics.add(topic) },
        attach: rt => { tasks.set(task, rt) }
      })
    },
    stateOf: (task: number) => states.get(task)?.at(-1),
    async stopAll () {
      const list = [...tasks.entries()]
      tasks.clear()
      // One shared deadline for all, as the herder's stop of a connector's tasks.
      await Promise.all([...new Set(list.map(([id]) => names.get(id)!))].map(async name =>
        await worker.stopAndAwaitTasks(name, list.filter(([id]) => names.get(id) === name))))
    }
  }
  t.after(async () => {
    await h.stopAll()
    await store.stop()
    await removeDir(dir)
  })
  return h
}

test('two source tasks in processes produce, commit offsets to the worker\'s store, pause, resume, report metrics and log with context', async t => {
  const h = await harness(t)
  const topic = uniqueTopic('placement-src')
  await createTopic(topic, 2)
  const config = { name: 'psrc', topic, count: '3000', 'tasks.max': '2' }
  const t0 = h.start(0, 'source', config) as ProcessTask
  const t1 = h.start(1, 'source', config, true) as ProcessTask
  assert.ok(t0 instanceof ProcessTask && t1 instanceof ProcessTask)
  assert.notEqual(t0.pid, t1.pid)
  await waitFor(() => h.stateOf(0)?.state === 'RUNNING' && h.stateOf(1)?.state === 'PAUSED', { timeoutMs: START_MS, what: 'task 0 RUNNING and task 1 PAUSED' })
  // Task 0's records all arrive; task 1, paused from the start, sends nothing until resumed.
  await waitFor(() => h.store.get('psrc', { task: 0 })?.i === 2999, { timeoutMs: 30000, what: 'task 0\'s last offset in the worker\'s store' })
  assert.equal(h.store.get('psrc', { task: 1 }), null)
  // A level set in the worker (PUT /admin/loggers) reaches the running task processes.
  setLoggerLevel('org.apache.kafka.connect.runtime.WorkerSourceTask', 'DEBUG')
  t.after(() => { setLoggerLevel('org.apache.kafka.connect.runtime.WorkerSourceTask', 'INFO') })
  t1.resume()
  await waitFor(() => h.stateOf(1)?.state === 'RUNNING', { timeoutMs: 10000, what: 'task 1 RUNNING' })
  await waitFor(() => h.store.get('psrc', { task: 1 })?.i === 2999, { timeoutMs: 30000, what: 'task 1\'s last offset' })
  const records = await consumeAll(topic, 6000)
  assert.equal(new Set(records.map(r => r.value!.toString())).size, 6000)
  t0.pause()
  await waitFor(() => h.stateOf(0)?.state === 'PAUSED', { timeoutMs: 10000, what: 'task 0 PAUSED' })
  // Metrics reach the worker's TaskMetrics (every second and at each state change), plugin metrics included.
  await waitFor(() => h.worker.metrics.tasks().every(m => m.writeTotal === 3000), { timeoutMs: 10000, what: 'source-record-write 3000 per task' })
  const m0 = h.worker.metrics.tasks().find(m => m.task === 0)!
  assert.equal(m0.pollTotal, 3000)
  assert.equal(m0.state, 'PAUSED')
  assert.equal(m0.errorCounts()?.errors, 0)
  const family = h.worker.metrics.plugins.families.get('kafka_connect_plugins_placement_records')
  assert.deepEqual([...family!.series.values()].map(s => [s.labels.task, s.value]).sort(), [['0', 3000], ['1', 3000]])
  assert.deepEqual([...h.topics], [topic])
  // Log lines come from the processes with the task's context, in the worker's layout.
  assert.ok(logLines.some(l => l.includes('[psrc|task-1] WorkerSourceTask{id=psrc-1} Source task finished initialization and start')), logLines.join(''))
  // (Written from a timer the producer's delivery callback set, which has no log context, here as on the main thread.)
  assert.ok(logLines.some(l => /DEBUG .*WorkerSourceTask\{id=psrc-1\} Committed offsets for/.test(l)), logLines.join(''))
  // A bounded stop: both processes report stopped and exit; their metrics leave the worker's.
  const stopStart = Date.now()
  await h.stopAll()
  assert.ok(Date.now() - stopStart < 5000)
  assert.equal(t0.pid !== undefined && processAlive(t0.pid), false)
  assert.equal(h.worker.metrics.tasks().length, 0)
  // A restarted task resumes after its committed offset (the process gets the worker's offsets at start).
  const again = h.start(0, 'source', { ...config, count: '3010' })
  await waitFor(() => h.store.get('psrc', { task: 0 })?.i === 3009, { timeoutMs: START_MS, what: 'the restarted task\'s 10 new records' })
  assert.ok(again instanceof ProcessTask)
  assert.equal((await consumeAll(topic, 6010)).length, 6010)
})

test('a sink task in a process delivers every record; one stuck in put() is stopped within the bound and killed', async t => {
  const h = await harness(t, { taskShutdownGracefulTimeoutMs: 1500 })
  const topic = uniqueTopic('placement-sink')
  await createTopic(topic, 3)
  const src = { name: 'psrc2', topic, count: '2000' }
  h.start(0, 'source', src)
  await waitFor(() => h.store.get('psrc2', { task: 0 })?.i === 1999, { timeoutMs: START_MS, what: 'the source\'s records' })
  const file = join(h.dir, 'sink.txt')
  h.start(1, 'sink', { name: 'psink', topics: topic, file })
  await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').split('\n').length === 2001, { timeoutMs: START_MS, what: 'every record in the sink\'s file' })
  assert.equal(new Set(readFileSync(file, 'utf8').trim().split('\n')).size, 2000)
  await waitFor(() => h.worker.metrics.tasks().find(m => m.task === 1)?.sendTotal === 2000, { timeoutMs: 10000, what: 'sink-record-send 2000' })
  assert.equal(h.worker.metrics.tasks().find(m => m.task === 1)!.partitionCount(), 3)
  await h.stopAll()

  const stuck = h.start(0, 'sink', { name: 'pstuck', topics: topic, file: join(h.dir, 'stuck.txt'), mode: 'stuck-put' }) as ProcessTask
  await waitFor(() => h.stateOf(0)?.state === 'RUNNING', { timeoutMs: START_MS, what: 'the stuck sink RUNNING' })
  await waitFor(() => existsSync(join(h.dir, 'stuck.txt')), { timeoutMs: 30000, what: 'the sink stuck in put()' })
  const before = Date.now()
  await h.stopAll()
  const took = Date.now() - before
  assert.ok(took >= 1400 && took < 4000, `stopped in ${took} ms`)
  await waitFor(() => !processAlive(stuck.pid!), { timeoutMs: 10000, what: 'the stuck task\'s process gone' })
})

test('a task whose start() throws is FAILED with the trace; one whose process exits or throws from a timer is FAILED, the worker lives on', async t => {
  const h = await harness(t)
  const topic = uniqueTopic('placement-fail')
  await createTopic(topic, 1)
  h.start(0, 'source', { name: 'pfail', topic, mode: 'throw-start' })
  h.start(1, 'source', { name: 'pexit', topic, mode: 'exit' })
  h.start(2, 'source', { name: 'ptimer', topic, mode: 'timer-throw' })
  await waitFor(() => [0, 1, 2].every(i => h.stateOf(i)?.state === 'FAILED'), { timeoutMs: START_MS, what: 'three FAILED tasks' })
  assert.match(h.stateOf(0)!.trace!, /task 0 refuses to start/)
  assert.match(h.stateOf(0)!.trace!, /placement-plugins\.ts/)
  assert.match(h.stateOf(1)!.trace!, /exited unexpectedly with exit code 3/)
  assert.match(h.stateOf(2)!.trace!, /Error: a timer of the task threw/)
  assert.match(h.stateOf(2)!.trace!, /the task process ended with exit code 70/)
  // A build failure counts as a failed task start; the worker's own process is untouched.
  await h.stopAll()
  assert.ok(h.worker.metrics.taskStartups.attempts >= 3)
})

function processAlive (pid: number): boolean {
  try { process.kill(pid, 0); return true } catch { return false }
}
