/**
 * GET /metrics on the real CLI and the dev broker (issue 14's acceptance test): a FileStreamSource -> topic ->
 * FileStreamSink pipeline, plus a sink reading the same topic with JsonConverter under errors.tolerance=all (its
 * non-JSON lines are record errors). Once the pipeline drained, the source poll and write totals, the sinks' read and
 * send totals and the error totals equal the records that went through, exactly, and the consumer lag is 0; a
 * plugin's own metrics (KIP-877) count the same records. Also: OpenMetrics on request, metrics.enabled=false (404)
 * and basic authentication on /metrics.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'
import { spawnCli, stopClisUsing, type CliProcess } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { prefersOpenMetrics } from '../../src/rest/metrics-resource.ts'
import { http } from '../helpers/rest.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { writeWorkerFile } from '../helpers/worker-file.ts'

interface Sample { name: string, labels: Record<string, string>, value: number }

/** The samples of a Prometheus text (or OpenMetrics) exposition. */
function parse (text: string): Sample[] {
  const out: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    assert.ok(m, `not a sample line: ${line}`)
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!
    out.push({ name: m[1]!, labels, value: Number(m[3]) })
  }
  return out
}

function value (samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find(s => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value
}

async function startCli (dir: string, extra: string[], files: string[] = []): Promise<{ cli: CliProcess, base: string }> {
  const worker = await writeWorkerFile(dir, kafkaBootstrap(), extra)
  const cli = spawnCli([worker, ...files])
  await cli.waitForOutput(/Kafka Connect started/, 60000)
  const base = /REST server listening at (http:\/\/127\.0\.0\.1:\d+)\//.exec(cli.stderr)?.[1]
  assert.ok(base, cli.stderr)
  return { cli, base }
}

const N = 500

test('GET /metrics during a real pipeline: totals equal the records that went through, errors counted, lag 0', { timeout: 120000 }, async t => {
  const dir = await mkdtemp(join(tmpdir(), 'metrics-'))
  t.after(async () => { await stopClisUsing(dir); await removeDir(dir) })
  const input = join(dir, 'in.txt')
  const output = join(dir, 'out.txt')
  // Every 5th line is JSON: the JSON sink sends those and fails the others.
  const lines = Array.from({ length: N }, (_, i) => i % 5 === 0 ? `{"i":${i}}` : `line ${i}`)
  await writeFile(input, lines.join('\n') + '\n')
  const topic = uniqueTopic('metrics')
  const files: Record<string, string> = {
    source: `name=m-source\nconnector.class=FileStreamSource\nfile=${input}\ntopic=${topic}\nbatch.size=64\n`,
    sink: `name=m-sink\nconnector.class=FileStreamSink\nfile=${output}\ntopics=${topic}\n`,
    json: [
      'name=m-json', 'connector.class=FileStreamSink', `file=${join(dir, 'json.txt')}`, `topics=${topic}`,
      'value.converter=org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable=false',
      'errors.tolerance=all', 'errors.log.enable=true'
    ].join('\n') + '\n',
    // A plugin with metrics of its own (KIP-877).
    metered: `name=m-metered\nconnector.class=com.example.MeteredSink\ntopics=${topic}\n`
  }
  const paths: string[] = []
  for (const [name, text] of Object.entries(files)) {
    const p = join(dir, `${name}.properties`)
    await writeFile(p, text)
    paths.push(p)
  }
  const { base } = await startCli(dir, ['metrics.sample.window.ms=5000', `plugin.path=${join(import.meta.dirname, 'fixtures', 'metered-sink.ts')}`], paths)
  await waitFor(() => existsSync(output) && readFileSync(output, 'utf8').split('\n').length === N + 1, { timeoutMs: 60000, what: `the sink file to hold ${N} lines` })

  const src = { connector: 'm-source', task: '0' }
  const sink = { connector: 'm-sink', task: '0' }
  const json = { connector: 'm-json', task: '0' }
  const valid = lines.filter(l => l.startsWith('{')).length
  let samples: Sample[] = []
  let last = ''
  // Drained: every count final and both sinks' lag back to 0 (librdkafka's statistics come every second).
  await waitFor(async () => {
    const res = await http(base, 'GET', '/metrics')
    assert.equal(res.status, 200)
    last = res.text
    samples = parse(res.text)
    const lags = samples.filter(s => s.name === 'kafka_consumer_consumer_fetch_manager_metrics_records_lag' && s.labels.topic === topic)
    return value(samples, 'kafka_connect_source_task_metrics_source_record_write_total', src) === N &&
      value(samples, 'kafka_connect_sink_task_metrics_sink_record_send_total', sink) === N &&
      value(samples, 'kafka_connect_sink_task_metrics_sink_record_read_total', json) === N &&
      value(samples, 'kafka_connect_plugins_records_put_total', { connector: 'm-metered', task: '0', stage: 'put' }) === N &&
      lags.length >= 3 && lags.every(s => s.value === 0)
  }, { timeoutMs: 60000, intervalMs: 250, what: `the pipeline to drain in the metrics; last scrape:\n${last.split('\n').filter(l => l.includes('record_') || l.includes('records_lag')).join('\n')}` })

  const res = await http(base, 'GET', '/metrics')
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
  samples = parse(res.text)
  const v = (name: string, labels: Record<string, string> = {}): number | undefined => value(samples, name, labels)
  // Source: every line polled and written, no errors.
  assert.equal(v('kafka_connect_source_task_metrics_source_record_poll_total', src), N)
  assert.equal(v('kafka_connect_source_task_metrics_source_record_write_total', src), N)
  assert.equal(v('kafka_connect_source_task_metrics_source_record_active_count', src), 0)
  assert.equal(v('kafka_connect_task_error_metrics_total_record_errors', src), 0)
  // The plain sink: every record read and sent.
  assert.equal(v('kafka_connect_sink_task_metrics_sink_record_read_total', sink), N)
  assert.equal(v('kafka_connect_sink_task_metrics_sink_record_send_total', sink), N)
  assert.equal(v('kafka_connect_task_error_metrics_total_record_errors', sink), 0)
  // The JSON sink: every record read, the JSON ones sent, the others failed, skipped and logged.
  assert.equal(v('kafka_connect_sink_task_metrics_sink_record_read_total', json), N)
  assert.equal(v('kafka_connect_sink_task_metrics_sink_record_send_total', json), valid)
  assert.equal(v('kafka_connect_task_error_metrics_total_record_errors', json), N - valid)
  assert.equal(v('kafka_connect_task_error_metrics_total_record_failures', json), N - valid)
  assert.equal(v('kafka_connect_task_error_metrics_total_records_skipped', json), N - valid)
  assert.equal(v('kafka_connect_task_error_metrics_total_errors_logged', json), N - valid)
  assert.equal(v('kafka_connect_task_error_metrics_total_retries', json), 0)
  assert.equal(v('kafka_connect_task_error_metrics_deadletterqueue_produce_requests', json), 0)
  const lastError = v('kafka_connect_task_error_metrics_last_error_timestamp', json)!
  assert.ok(lastError > Date.now() - 120000 && lastError <= Date.now(), `last error ${lastError}`)
  // Rates and batch statistics are there and sensible.
  assert.ok(v('kafka_connect_source_task_metrics_source_record_poll_rate', src)! > 0)
  assert.ok(v('kafka_connect_connector_task_metrics_batch_size_max', src)! <= 64)
  assert.ok(v('kafka_connect_sink_task_metrics_partition_count', sink)! >= 1)
  assert.ok(v('kafka_connect_sink_task_metrics_offset_commit_completion_total', sink)! >= 1)
  assert.equal(v('kafka_connect_connector_task_metrics_running_ratio', sink) !== undefined, true)
  // Worker, connector and task status.
  assert.equal(v('kafka_connect_worker_metrics_connector_count'), 4)
  assert.equal(v('kafka_connect_worker_metrics_task_count'), 4)
  assert.equal(v('kafka_connect_worker_metrics_connector_startup_success_total'), 4)
  assert.equal(v('kafka_connect_worker_metrics_task_startup_attempts_total'), 4)
  // The plugin's own metrics, tagged with connector and task.
  assert.equal(v('kafka_connect_plugins_records_put_total', { connector: 'm-metered', task: '0', stage: 'put' }), N)
  assert.ok(v('kafka_connect_plugins_last_batch_size', { connector: 'm-metered', task: '0' })! >= 0)
  assert.equal(v('kafka_connect_plugins_configured_tasks', { connector: 'm-metered' }), 1)
  assert.match(res.text, /^# TYPE kafka_connect_plugins_records_put_total counter$/m)
  assert.equal(v('kafka_connect_worker_metrics_connector_running_task_count', { connector: 'm-json' }), 1)
  assert.equal(v('kafka_connect_connector_metrics', { connector: 'm-source', status: 'running' }), 1)
  assert.equal(v('kafka_connect_connector_metrics', { connector: 'm-sink', connector_class: 'org.apache.kafka.connect.file.FileStreamSinkConnector' }), 1)
  assert.equal(v('kafka_connect_connector_metrics', { connector: 'm-sink', connector_type: 'sink' }), 1)
  assert.equal(v('kafka_connect_connector_task_metrics', { ...json, status: 'running' }), 1)
  // The process.
  for (const name of ['process_resident_memory_bytes', 'process_cpu_seconds_total', 'nodejs_eventloop_lag_seconds']) assert.ok(v(name)! > 0, name)
  assert.ok(samples.some(s => s.name.startsWith('nodejs_gc_duration_seconds')), 'GC durations')

  // OpenMetrics when asked: counters by their family name, the exposition ends with # EOF.
  const om = await http(base, 'GET', '/metrics', undefined, { Accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' })
  assert.equal(om.status, 200)
  assert.match(om.headers.get('content-type') ?? '', /^application\/openmetrics-text; version=1\.0\.0/)
  assert.ok(om.text.endsWith('# EOF\n'))
  assert.match(om.text, /^# TYPE kafka_connect_source_task_metrics_source_record_poll counter$/m)
  assert.equal(value(parse(om.text), 'kafka_connect_source_task_metrics_source_record_poll_total', src), N)
  // And the text format still names its counters in full afterwards.
  assert.match((await http(base, 'GET', '/metrics')).text, /^# TYPE kafka_connect_source_task_metrics_source_record_poll_total counter$/m)
  // Accept naming only a text type is no 406.
  assert.equal((await http(base, 'GET', '/metrics', undefined, { Accept: 'text/plain' })).status, 200)
})

test('metrics.enabled=false: GET /metrics is a 404; with REST basic authentication /metrics asks for credentials', { timeout: 90000 }, async t => {
  const dir = await mkdtemp(join(tmpdir(), 'metrics-off-'))
  t.after(async () => { await stopClisUsing(dir); await removeDir(dir) })
  const offDir = join(dir, 'off')
  const authDir = join(dir, 'auth')
  const { mkdir } = await import('node:fs/promises')
  await mkdir(offDir)
  await mkdir(authDir)
  await writeFile(join(authDir, 'credentials.properties'), 'alice=s3cret\n')
  const [off, auth] = await Promise.all([
    startCli(offDir, ['metrics.enabled=false']),
    startCli(authDir, [`rest.basic.auth.credentials.file=${join(authDir, 'credentials.properties')}`])
  ])
  assert.equal((await http(off.base, 'GET', '/metrics')).status, 404)
  assert.equal((await http(off.base, 'GET', '/connectors')).status, 200, 'the rest of the API is there')

  assert.equal((await http(auth.base, 'GET', '/metrics')).status, 401)
  assert.equal((await http(auth.base, 'GET', '/metrics', undefined, { Authorization: `Basic ${Buffer.from('alice:wrong').toString('base64')}` })).status, 401)
  const ok = await http(auth.base, 'GET', '/metrics', undefined, { Authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}` })
  assert.equal(ok.status, 200)
  assert.equal(value(parse(ok.text), 'kafka_connect_worker_metrics_connector_count'), 0)
})

test('content negotiation: OpenMetrics only when the Accept header prefers it', () => {
  assert.equal(prefersOpenMetrics(undefined), false)
  assert.equal(prefersOpenMetrics('*/*'), false)
  assert.equal(prefersOpenMetrics('application/openmetrics-text'), true)
  // Prometheus' own header.
  assert.equal(prefersOpenMetrics('application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.1'), true)
  assert.equal(prefersOpenMetrics('text/plain;version=0.0.4,application/openmetrics-text;q=0.5'), false)
  assert.equal(prefersOpenMetrics('application/openmetrics-text;q=0'), false)
})
