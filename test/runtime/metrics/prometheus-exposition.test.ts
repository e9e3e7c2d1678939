import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConnectMetrics } from '../../../src/runtime/metrics/connect-metrics.ts'
import { PrometheusExposition } from '../../../src/runtime/metrics/prometheus-exposition.ts'

function lines (text: string, re: RegExp): string[] { return text.split('\n').filter(l => re.test(l)) }

test('names as the JMX exporter rules give them: groups, attributes, labels, counters and gauges', async () => {
  const m = new ConnectMetrics()
  m.connectorCreated('my-src', 'org.example.MySource', 'source', '1.2.3')
  m.connectorState('my-src', 'RUNNING')
  m.connectorStartups.attempt(); m.connectorStartups.success()
  const t = m.addTask('my-src', 0, 'source')
  t.setState('RUNNING')
  t.recordPoll(10, 4)
  t.pendingWrites = 7
  t.recordCommit(true, 2)
  t.errorCounts = () => ({ errors: 3, failures: 5, skipped: 3, retries: 2, logged: 3, dlqRequests: 3, dlqFailures: 1, lastErrorAt: 1700000000000 })
  const sink = m.addTask('my-sink', 1, 'sink')
  sink.clientId = 'connector-consumer-my-sink-1'
  sink.lags = [{ topic: 't', partition: 2, lag: 11 }]
  sink.recordPut(20, 18, 1)
  const { contentType, body } = await new PrometheusExposition(m).scrape(false)
  assert.match(contentType, /^text\/plain; version=0\.0\.4/)
  const one = (re: RegExp): string => { const l = lines(body, re); assert.equal(l.length, 1, `${re}: ${l.join('\n')}`); return l[0]! }
  one(/^kafka_connect_worker_metrics_connector_count 1$/)
  one(/^kafka_connect_worker_metrics_task_count 2$/)
  one(/^# TYPE kafka_connect_worker_metrics_connector_startup_attempts_total counter$/)
  one(/^kafka_connect_worker_metrics_connector_startup_success_percentage 1$/)
  one(/^kafka_connect_worker_metrics_connector_running_task_count\{connector="my-src"\} 1$/)
  one(/^kafka_connect_worker_metrics_connector_total_task_count\{connector="my-src"\} 1$/)
  one(/^kafka_connect_connector_metrics\{connector="my-src",connector_class="org.example.MySource"\} 1$/)
  one(/^kafka_connect_connector_metrics\{connector="my-src",connector_version="1.2.3"\} 1$/)
  one(/^kafka_connect_connector_metrics\{connector="my-src",status="running"\} 1$/)
  one(/^kafka_connect_connector_task_metrics\{connector="my-src",task="0",status="running"\} 1$/)
  one(/^# TYPE kafka_connect_source_task_metrics_source_record_poll_total counter$/)
  one(/^kafka_connect_source_task_metrics_source_record_poll_total\{connector="my-src",task="0"\} 10$/)
  one(/^kafka_connect_source_task_metrics_source_record_write_total\{connector="my-src",task="0"\} 7$/)
  one(/^kafka_connect_source_task_metrics_poll_batch_max_time_ms\{connector="my-src",task="0"\} 4$/)
  one(/^kafka_connect_connector_task_metrics_offset_commit_success_percentage\{connector="my-src",task="0"\} 1$/)
  one(/^kafka_connect_connector_task_metrics_offset_commit_max_time_ms\{connector="my-src",task="0"\} 2$/)
  one(/^# TYPE kafka_connect_task_error_metrics_total_record_errors gauge$/)
  one(/^kafka_connect_task_error_metrics_total_record_errors\{connector="my-src",task="0"\} 3$/)
  one(/^kafka_connect_task_error_metrics_total_record_failures\{connector="my-src",task="0"\} 5$/)
  one(/^kafka_connect_task_error_metrics_deadletterqueue_produce_failures\{connector="my-src",task="0"\} 1$/)
  one(/^kafka_connect_task_error_metrics_last_error_timestamp\{connector="my-src",task="0"\} 1700000000000$/)
  one(/^kafka_connect_sink_task_metrics_sink_record_read_total\{connector="my-sink",task="1"\} 20$/)
  one(/^kafka_connect_sink_task_metrics_sink_record_send_total\{connector="my-sink",task="1"\} 18$/)
  one(/^kafka_connect_sink_task_metrics_sink_record_lag_max\{connector="my-sink",task="1"\} 11$/)
  one(/^kafka_consumer_consumer_fetch_manager_metrics_records_lag\{client_id="connector-consumer-my-sink-1",topic="t",partition="2",connector="my-sink",task="1"\} 11$/)
  // Source metrics only for sources, sink metrics only for sinks.
  assert.deepEqual(lines(body, /^kafka_connect_source_task_metrics_source_record_poll_total\{/).length, 1)
  assert.deepEqual(lines(body, /^kafka_connect_sink_task_metrics_sink_record_read_total\{/).length, 1)
  // No value of a windowed stat that saw nothing is invented: NaN, as Apache's.
  one(/^kafka_connect_sink_task_metrics_offset_commit_completion_rate\{connector="my-sink",task="1"\} 0$/)
  one(/^kafka_connect_sink_task_metrics_put_batch_avg_time_ms\{connector="my-sink",task="1"\} 1$/)
  one(/^kafka_connect_connector_task_metrics_offset_commit_avg_time_ms\{connector="my-sink",task="1"\} NaN$/)
  // The process collectors.
  one(/^process_resident_memory_bytes \d+$/)
  one(/^# TYPE nodejs_eventloop_lag_seconds gauge$/)
  // A removed task is gone at the next scrape.
  m.removeTask('my-sink', 1)
  const after = (await new PrometheusExposition(m).scrape(false)).body
  assert.equal(lines(after, /my-sink/).length, 0)
})

test('OpenMetrics: counters as families without _total, # EOF; the text format keeps its names', async () => {
  const m = new ConnectMetrics()
  m.addTask('c', 0, 'source').recordPoll(3, 1)
  const e = new PrometheusExposition(m)
  const om = await e.scrape(true)
  assert.match(om.contentType, /^application\/openmetrics-text; version=1\.0\.0/)
  assert.ok(om.body.endsWith('# EOF\n'))
  assert.match(om.body, /^# TYPE kafka_connect_source_task_metrics_source_record_poll counter$/m)
  assert.match(om.body, /^kafka_connect_source_task_metrics_source_record_poll_total\{connector="c",task="0"\} 3$/m)
  const text = await e.scrape(false)
  assert.match(text.body, /^# TYPE kafka_connect_source_task_metrics_source_record_poll_total counter$/m)
  assert.ok(!text.body.includes('# EOF'))
})

test('plugin metrics (KIP-877): tagged with connector and task, removed with them, names and tags checked', async () => {
  const m = new ConnectMetrics()
  const e = new PrometheusExposition(m)
  const before = m.plugins.scope('c', null).counter('early-total', 'Registered before the first OpenMetrics scrape.')
  before.inc(2)
  const pm = m.plugins.scope('c', 0)
  const rows = pm.counter('rows-written-total', 'Rows the task wrote.', { table: 'users' })
  rows.inc(); rows.inc(41)
  // The same name and tags reach the same series.
  pm.counter('rows-written-total', 'Rows the task wrote.', { table: 'users' }).inc(0)
  const gauge = pm.gauge('queue-depth', 'Items waiting.')
  gauge.set(5); gauge.dec(2)
  pm.gauge('pool-size', 'Read when scraped.', { read: () => 9 })
  m.plugins.scope('c', 1).counter('rows-written-total', 'Rows the task wrote.', { table: 'orders' }).inc(7)
  const body = (await e.scrape(false)).body
  assert.match(body, /^# TYPE kafka_connect_plugins_rows_written_total counter$/m)
  assert.match(body, /^kafka_connect_plugins_rows_written_total\{connector="c",task="0",table="users"\} 42$/m)
  assert.match(body, /^kafka_connect_plugins_rows_written_total\{connector="c",task="1",table="orders"\} 7$/m)
  assert.match(body, /^kafka_connect_plugins_queue_depth\{connector="c",task="0"\} 3$/m)
  assert.match(body, /^kafka_connect_plugins_pool_size\{connector="c",task="0"\} 9$/m)
  assert.match(body, /^kafka_connect_plugins_early_total\{connector="c"\} 2$/m)
  const om = (await e.scrape(true)).body
  assert.match(om, /^kafka_connect_plugins_rows_written_total\{connector="c",task="0",table="users"\} 42$/m)
  assert.match(om, /^kafka_connect_plugins_early_total\{connector="c"\} 2$/m)
  assert.throws(() => pm.counter('Bad Name', 'x'), /Invalid plugin metric name/)
  assert.throws(() => pm.counter('x', 'x', { task: '1' }), /the runtime sets it/)
  assert.throws(() => pm.gauge('rows-written-total', 'x'), /already registered as a counter/)
  assert.throws(() => pm.counter('rows-written-total', 'x', { db: 'a' }), /registered with the tags \[table\]/)
  assert.throws(() => rows.inc(-1), /cannot be increased by -1/)
  m.removeTask('c', 0)
  m.connectorRemoved('c')
  const after = (await e.scrape(false)).body
  assert.doesNotMatch(after, /task="0"/)
  assert.doesNotMatch(after, /kafka_connect_plugins_early_total\{/)
  assert.match(after, /^kafka_connect_plugins_rows_written_total\{connector="c",task="1",table="orders"\} 7$/m)
})
