/**
 * task.placement=process through the CLI and its REST API, on the real broker: a two-task source and sinks whose tasks
 * run in processes of their own. Statuses, restarts (connector with its tasks, one task), a start failure's trace,
 * the dead-letter queue, GET /metrics and the offsets endpoints of a stopped connector all work as with tasks on the
 * main thread; the worker lives on.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { consumeAll, createTopic, uniqueTopic } from '../harness/kafka.ts'
import { http, startWorker } from '../helpers/rest.ts'
import { waitFor } from '../helpers/wait-for.ts'

const PLUGIN = fileURLToPath(new URL('../runtime/fixtures/placement-plugins.ts', import.meta.url))
const START_MS = 90000

interface Status { connector: { state: string }, tasks: Array<{ id: number, state: string, trace?: string }> }

function lines (file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(l => l !== '') : []
}

function metric (text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue
    return Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return undefined
}

test('tasks in processes: statuses, restarts, a failure\'s trace, DLQ, metrics and offsets through REST', async t => {
  const w = await startWorker(t, { extraWorker: ['task.placement=process', `plugin.path=${PLUGIN}`, 'task.shutdown.graceful.timeout.ms=10000'] })
  const status = async (name: string): Promise<Status> => (await http(w.base, 'GET', `/connectors/${name}/status`)).body as Status
  const running = async (name: string, tasks: number): Promise<boolean> => {
    const s = await status(name)
    return s.tasks.length === tasks && s.tasks.every(x => x.state === 'RUNNING')
  }
  const topic = uniqueTopic('placement-e2e')
  const dlq = uniqueTopic('placement-e2e-dlq')
  await createTopic(topic, 2)
  await createTopic(dlq, 1)

  const src = { 'connector.class': 'test.CountingSource', 'tasks.max': '2', topic, count: '1000' }
  assert.equal((await http(w.base, 'PUT', '/connectors/src/config', src)).status, 201)
  await waitFor(async () => await running('src', 2), { timeoutMs: START_MS, what: 'src\'s two tasks RUNNING' })
  assert.equal(new Set((await consumeAll(topic, 2000, 60000)).map(r => r.value!.toString())).size, 2000)

  // A sink in a process delivers every record; another sends the records its converter refuses to the DLQ.
  const file = join(w.dir, 'sink.txt')
  await http(w.base, 'PUT', '/connectors/snk/config', { 'connector.class': 'test.CollectingSink', topics: topic, file })
  await http(w.base, 'PUT', '/connectors/dlq/config', {
    'connector.class': 'test.CollectingSink', topics: topic, file: join(w.dir, 'none.txt'),
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': 'false',
    'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': dlq, 'errors.deadletterqueue.topic.replication.factor': '1'
  })
  await waitFor(() => lines(file).length === 2000, { timeoutMs: START_MS, what: 'every record in the sink\'s file' })
  assert.equal((await consumeAll(dlq, 2000, START_MS)).length, 2000)

  // GET /metrics counts what the task processes did.
  await waitFor(async () => {
    const text = (await http(w.base, 'GET', '/metrics')).text
    return metric(text, 'kafka_connect_source_task_metrics_source_record_write_total', { connector: 'src', task: '0' }) === 1000 &&
      metric(text, 'kafka_connect_source_task_metrics_source_record_write_total', { connector: 'src', task: '1' }) === 1000 &&
      metric(text, 'kafka_connect_sink_task_metrics_sink_record_send_total', { connector: 'snk', task: '0' }) === 2000 &&
      metric(text, 'kafka_connect_task_error_metrics_deadletterqueue_produce_requests', { connector: 'dlq', task: '0' }) === 2000 &&
      metric(text, 'kafka_connect_plugins_placement_records', { connector: 'src', task: '1' }) === 1000
  }, { timeoutMs: 30000, what: 'the task processes\' counts in GET /metrics' })

  // Restarts: the connector with its tasks, then one task; each restarted task gets a new process.
  const starts = (): number => (w.cli.stderr.match(/\[src\|task-\d\] WorkerSourceTask\{id=src-\d\} Source task finished initialization/g) ?? []).length
  assert.equal(starts(), 2)
  assert.equal((await http(w.base, 'POST', '/connectors/src/restart?includeTasks=true')).status, 202)
  await waitFor(async () => starts() === 4 && await running('src', 2), { timeoutMs: START_MS, what: 'src restarted with its tasks' })
  assert.equal((await http(w.base, 'POST', '/connectors/src/tasks/1/restart')).status, 204)
  await waitFor(async () => starts() === 5 && await running('src', 2), { timeoutMs: START_MS, what: 'task src-1 restarted' })

  // A task whose start() throws: FAILED with its trace, the worker alive.
  await http(w.base, 'PUT', '/connectors/bad/config', { 'connector.class': 'test.CountingSource', topic, mode: 'throw-start' })
  await waitFor(async () => (await status('bad')).tasks[0]?.state === 'FAILED', { timeoutMs: START_MS, what: 'bad\'s task FAILED' })
  assert.match((await status('bad')).tasks[0]!.trace!, /Error: task 0 refuses to start/)

  // Offsets of the stopped source: read, changed, and used by its tasks' processes when it resumes.
  assert.equal((await http(w.base, 'PUT', '/connectors/src/stop')).status, 204)
  await waitFor(async () => (await status('src')).connector.state === 'STOPPED', { timeoutMs: 30000, what: 'src STOPPED' })
  const offsets = (await http(w.base, 'GET', '/connectors/src/offsets')).body as { offsets: Array<{ partition: { task: number }, offset: { i: number } }> }
  assert.deepEqual(offsets.offsets.map(o => [o.partition.task, o.offset.i]).sort(), [[0, 999], [1, 999]])
  assert.equal((await http(w.base, 'PATCH', '/connectors/src/offsets', { offsets: [{ partition: { task: 0 }, offset: { i: 899 } }] })).status, 200)
  assert.equal((await http(w.base, 'PUT', '/connectors/src/resume')).status, 202)
  // Task 0 sends its last 100 records again; task 1 nothing.
  const again = await consumeAll(topic, 2100, START_MS)
  assert.equal(again.filter(r => r.value!.toString() === 't0-950').length, 2)
  assert.equal(again.filter(r => r.value!.toString() === 't1-950').length, 1)
  await waitFor(() => lines(file).length === 2100, { timeoutMs: 30000, what: 'the sink\'s 100 more records' })
  assert.equal((await http(w.base, 'GET', '/connectors')).status, 200)
})
