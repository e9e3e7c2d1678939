/**
 * GET /metrics: the worker's metrics in the Prometheus text format, or OpenMetrics when asked, built on prom-client.
 *
 * Names are those the Prometheus JMX exporter's usual Kafka Connect rules give Apache's MBeans: an attribute `a-b` of
 * `kafka.connect:type=<group>,connector=…,task=…` becomes `kafka_connect_<group>_a_b{connector="…",task="…"}`, with
 * `connect-worker-metrics` shortened to `worker_metrics` (kafka_connect_worker_metrics_connector_count) and string
 * attributes (status, connector class, type, version) as info-style samples of value 1 whose label holds the text.
 * Metrics whose name ends in _total are counters; the rest gauges, as the exporter rules declare them.
 *
 * Nothing is counted here: each family reads ConnectMetrics when scraped (collect), so the hot path never calls
 * prom-client. prom-client renames counters in place for OpenMetrics, so each format has its own registry; the
 * OpenMetrics one (and its process collectors) is made at the first OpenMetrics scrape.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics, type RegistryContentType } from 'prom-client'
import type { MetricsScrape, MetricsExpositionResult } from '../herder.ts'
import { TASK_COUNT_STATES, type ConnectMetrics } from './connect-metrics.ts'
import type { PluginFamily } from './plugin-metrics.ts'
import type { TaskMetrics } from './task-metrics.ts'

type AnyRegistry = Registry<RegistryContentType>
type Labels = Record<string, string>
type Sample = readonly [Labels, number]

interface Family {
  name: string
  help: string
  type: 'counter' | 'gauge'
  labelNames: readonly string[]
  read: () => Iterable<Sample>
}

const TASK_LABELS = ['connector', 'task'] as const

export class PrometheusExposition implements MetricsScrape {
  readonly #metrics: ConnectMetrics
  readonly #families: Family[]
  readonly #prometheus: AnyRegistry
  #openMetrics: AnyRegistry | null = null

  constructor (metrics: ConnectMetrics) {
    this.#metrics = metrics
    this.#families = connectFamilies(metrics)
    this.#prometheus = this.#registry(Registry.PROMETHEUS_CONTENT_TYPE)
    metrics.plugins.onFamily = family => {
      for (const r of [this.#prometheus, this.#openMetrics]) if (r) register(r, pluginFamily(family))
    }
    for (const f of metrics.plugins.families.values()) register(this.#prometheus, pluginFamily(f))
  }

  #registry (type: RegistryContentType): AnyRegistry {
    const registry = new Registry<RegistryContentType>()
    registry.setContentType(type)
    collectDefaultMetrics({ register: registry })
    for (const f of this.#families) register(registry, f)
    return registry
  }

  async scrape (openMetrics: boolean): Promise<MetricsExpositionResult> {
    // Records acknowledged since the last batch count as written now.
    for (const t of this.#metrics.tasks()) if (t.kind === 'source') t.foldWrites()
    let registry = this.#prometheus
    if (openMetrics) {
      if (this.#openMetrics === null) {
        this.#openMetrics = this.#registry(Registry.OPENMETRICS_CONTENT_TYPE)
        for (const f of this.#metrics.plugins.families.values()) register(this.#openMetrics, pluginFamily(f))
      }
      registry = this.#openMetrics
    }
    // prom-client writes NaN as 'Nan'; Prometheus reads either, OpenMetrics spells it NaN (as the JMX exporter does).
    const body = (await registry.metrics()).replace(/ Nan$/gm, ' NaN')
    return { contentType: registry.contentType, body }
  }
}

function register (registry: AnyRegistry, f: Family): void {
  const labelNames = [...f.labelNames]
  if (f.type === 'counter') {
    new Counter({
      name: f.name, help: f.help, labelNames, registers: [registry],
      collect () {
        this.reset()
        for (const [labels, value] of f.read()) this.inc(labels, Math.max(0, value))
      }
    })
    return
  }
  // Each metric registers itself with the registry; the object is not kept.
  new Gauge({
    name: f.name, help: f.help, labelNames, registers: [registry],
    collect () {
      this.reset()
      for (const [labels, value] of f.read()) this.set(labels, value)
    }
  })
}

function pluginFamily (p: PluginFamily): Family {
  return {
    name: p.name,
    help: p.help,
    type: p.type === 'counter' && p.name.endsWith('_total') ? 'counter' : 'gauge',
    labelNames: p.labelNames,
    * read () { for (const s of p.series.values()) yield [s.labels, s.read ? s.read() : s.value] as const }
  }
}

const taskLabels = (t: TaskMetrics): Labels => ({ connector: t.connector, task: String(t.task) })

/** Every family of Apache's groups, each reading ConnectMetrics. */
function connectFamilies (m: ConnectMetrics): Family[] {
  const out: Family[] = []
  const worker = (attr: string, help: string, value: () => number): void => {
    out.push({ name: `kafka_connect_worker_metrics_${attr}`, help, type: attr.endsWith('_total') ? 'counter' : 'gauge', labelNames: [], read: () => [[{}, value()]] })
  }
  // ---- connect-worker-metrics
  worker('connector_count', 'The number of connectors run in this worker.', () => m.connectors().length)
  worker('task_count', 'The number of tasks run in this worker.', () => m.tasks().length)
  for (const [kind, counts] of [['connector', m.connectorStartups], ['task', m.taskStartups]] as const) {
    worker(`${kind}_startup_attempts_total`, `The total number of ${kind} startups that this worker has attempted.`, () => counts.attempts)
    worker(`${kind}_startup_success_total`, `The total number of ${kind} starts that succeeded.`, () => counts.successes)
    worker(`${kind}_startup_failure_total`, `The total number of ${kind} starts that failed.`, () => counts.failures)
    worker(`${kind}_startup_success_percentage`, `The average fraction (0 to 1) of this worker's ${kind} starts that succeeded, over the sample window.`, () => counts.successRatio())
    worker(`${kind}_startup_failure_percentage`, `The average fraction (0 to 1) of this worker's ${kind} starts that failed, over the sample window.`, () => 1 - counts.successRatio())
  }
  for (const state of [...TASK_COUNT_STATES, 'total'] as const) {
    out.push({
      name: `kafka_connect_worker_metrics_connector_${state}_task_count`,
      help: state === 'total' ? 'The number of tasks of the connector on this worker.' : `The number of ${state} tasks of the connector on this worker.`,
      type: 'gauge',
      labelNames: ['connector'],
      * read () { for (const c of m.connectors()) yield [{ connector: c.name }, m.taskCounts(c.name)[state]] as const }
    })
  }
  // ---- connector-metrics: one info-style sample per string attribute
  out.push({
    name: 'kafka_connect_connector_metrics',
    help: 'The connector\'s class, type (source or sink), version and status (running, paused, stopped, failed, restarting, unassigned), each as a label of a sample of value 1.',
    type: 'gauge',
    labelNames: ['connector', 'connector_class', 'connector_type', 'connector_version', 'status'],
    * read () {
      for (const c of m.connectors()) {
        yield [{ connector: c.name, connector_class: c.className }, 1] as const
        yield [{ connector: c.name, connector_type: c.type }, 1] as const
        yield [{ connector: c.name, connector_version: c.version }, 1] as const
        yield [{ connector: c.name, status: m.connectorStatus(c).toLowerCase() }, 1] as const
      }
    }
  })
  // ---- per task
  const task = (group: string, attr: string, help: string, kind: 'source' | 'sink' | null, value: (t: TaskMetrics, now: number) => number): void => {
    out.push({
      name: `kafka_connect_${group}_${attr}`,
      help,
      type: attr.endsWith('_total') ? 'counter' : 'gauge',
      labelNames: TASK_LABELS,
      * read () {
        const now = Date.now()
        for (const t of m.tasks()) if (kind === null || t.kind === kind) yield [taskLabels(t), value(t, now)] as const
      }
    })
  }
  out.push({
    name: 'kafka_connect_connector_task_metrics',
    help: 'The task\'s status (running, paused, failed, restarting, unassigned, destroyed) as the label of a sample of value 1.',
    type: 'gauge',
    labelNames: [...TASK_LABELS, 'status'],
    * read () { for (const t of m.tasks()) yield [{ ...taskLabels(t), status: m.taskStatus(t).toLowerCase() }, 1] as const }
  })
  const ct = 'connector_task_metrics'
  task(ct, 'running_ratio', 'The fraction of time this task has spent in the running state, over the sample window.', null, (t, now) => t.ratios(now).running)
  task(ct, 'pause_ratio', 'The fraction of time this task has spent in the pause state, over the sample window.', null, (t, now) => t.ratios(now).paused)
  task(ct, 'offset_commit_avg_time_ms', 'The average time in milliseconds taken by this task to commit offsets.', null, (t, now) => t.offsetCommitTime.avg(now))
  task(ct, 'offset_commit_max_time_ms', 'The maximum time in milliseconds taken by this task to commit offsets.', null, (t, now) => t.offsetCommitTime.max(now))
  task(ct, 'offset_commit_success_percentage', 'The average fraction (0 to 1) of this task\'s offset commit attempts that succeeded.', null, (t, now) => t.offsetCommitOutcome.avg(now))
  task(ct, 'offset_commit_failure_percentage', 'The average fraction (0 to 1) of this task\'s offset commit attempts that failed.', null, (t, now) => 1 - t.offsetCommitOutcome.avg(now))
  task(ct, 'batch_size_avg', 'The average number of records in the batches the task has processed.', null, (t, now) => t.batchSize.avg(now))
  task(ct, 'batch_size_max', 'The number of records in the largest batch the task has processed.', null, (t, now) => t.batchSize.max(now))

  const so = 'source_task_metrics'
  task(so, 'source_record_poll_rate', 'The average per-second number of records produced/polled (before transformation) by this task.', 'source', (t, now) => t.poll.rate(now))
  task(so, 'source_record_poll_total', 'The total number of records produced/polled (before transformation) by this task.', 'source', t => t.pollTotal)
  task(so, 'source_record_write_rate', 'The average per-second number of records written to Kafka by this task (after transformations, without those they dropped), counted when Kafka acknowledges them.', 'source', (t, now) => t.write.rate(now))
  task(so, 'source_record_write_total', 'The number of records output from the transformations and written to Kafka by this task.', 'source', t => t.writeTotal)
  task(so, 'poll_batch_avg_time_ms', 'The average time in milliseconds taken by this task to poll for a batch of source records.', 'source', (t, now) => t.pollBatchTime.avg(now))
  task(so, 'poll_batch_max_time_ms', 'The maximum time in milliseconds taken by this task to poll for a batch of source records.', 'source', (t, now) => t.pollBatchTime.max(now))
  task(so, 'source_record_active_count', 'The number of records produced by this task but not yet completely written to Kafka.', 'source', t => t.activeCount())
  task(so, 'source_record_active_count_avg', 'The average number of records produced by this task but not yet completely written to Kafka.', 'source', (t, now) => t.sourceActive.avg(now))
  task(so, 'source_record_active_count_max', 'The maximum number of records produced by this task but not yet completely written to Kafka.', 'source', (t, now) => t.sourceActive.max(now))

  const si = 'sink_task_metrics'
  task(si, 'sink_record_read_rate', 'The average per-second number of records read from Kafka by this task (before transformations).', 'sink', (t, now) => t.read.rate(now))
  task(si, 'sink_record_read_total', 'The total number of records read from Kafka by this task (before transformations).', 'sink', t => t.readTotal)
  task(si, 'sink_record_send_rate', 'The average per-second number of records output from the transformations and sent to this task.', 'sink', (t, now) => t.send.rate(now))
  task(si, 'sink_record_send_total', 'The total number of records output from the transformations and sent to this task.', 'sink', t => t.sendTotal)
  task(si, 'put_batch_avg_time_ms', 'The average time in milliseconds taken by this task to put a batch of sink records.', 'sink', (t, now) => t.putBatchTime.avg(now))
  task(si, 'put_batch_max_time_ms', 'The maximum time in milliseconds taken by this task to put a batch of sink records.', 'sink', (t, now) => t.putBatchTime.max(now))
  task(si, 'partition_count', 'The number of topic partitions assigned to this task.', 'sink', t => t.partitionCount())
  task(si, 'offset_commit_completion_rate', 'The average per-second number of offset commits that completed.', 'sink', (t, now) => t.commitCompletion.rate(now))
  task(si, 'offset_commit_completion_total', 'The total number of offset commits that completed.', 'sink', t => t.commitCompletionTotal)
  task(si, 'offset_commit_skip_rate', 'The average per-second number of offset commits skipped (nothing new to commit).', 'sink', (t, now) => t.commitSkip.rate(now))
  task(si, 'offset_commit_skip_total', 'The total number of offset commits skipped (nothing new to commit).', 'sink', t => t.commitSkipTotal)
  task(si, 'sink_record_active_count', 'The number of records sent to the task but not yet committed.', 'sink', t => t.sinkActive)
  task(si, 'sink_record_active_count_avg', 'The average number of records sent to the task but not yet committed.', 'sink', (t, now) => t.sinkActiveStat.avg(now))
  task(si, 'sink_record_active_count_max', 'The maximum number of records sent to the task but not yet committed.', 'sink', (t, now) => t.sinkActiveStat.max(now))
  task(si, 'sink_record_lag_max', 'The largest consumer lag of the task\'s partitions, in records (from librdkafka\'s statistics).', 'sink', t => t.lags.reduce((max, l) => Math.max(max, l.lag), t.lags.length === 0 ? NaN : 0))
  out.push({
    name: 'kafka_consumer_consumer_fetch_manager_metrics_records_lag',
    help: 'The sink consumer\'s lag per partition in records: the high watermark minus the offset delivered up to (librdkafka statistics, every statistics.interval.ms).',
    type: 'gauge',
    labelNames: ['client_id', 'topic', 'partition', ...TASK_LABELS],
    * read () {
      for (const t of m.tasks()) {
        if (t.kind !== 'sink') continue
        for (const l of t.lags) yield [{ client_id: t.clientId ?? '', topic: l.topic, partition: String(l.partition), ...taskLabels(t) }, l.lag] as const
      }
    }
  })

  const er = 'task_error_metrics'
  const errors = (attr: string, help: string, value: (c: NonNullable<ReturnType<TaskMetrics['errorCounts']>>) => number): void => {
    task(er, attr, help, null, t => { const c = t.errorCounts(); return c === null ? 0 : value(c) })
  }
  errors('total_record_errors', 'The number of record processing errors in this task.', c => c.errors)
  errors('total_record_failures', 'The number of record processing failures in this task (each failed attempt, retries included).', c => c.failures)
  errors('total_records_skipped', 'The number of records skipped due to errors.', c => c.skipped)
  errors('total_retries', 'The number of operations retried.', c => c.retries)
  errors('total_errors_logged', 'The number of errors that were logged.', c => c.logged)
  errors('deadletterqueue_produce_requests', 'The number of attempted writes to the dead letter queue.', c => c.dlqRequests)
  errors('deadletterqueue_produce_failures', 'The number of failed writes to the dead letter queue.', c => c.dlqFailures)
  errors('last_error_timestamp', 'The epoch timestamp (ms) when this task last encountered an error; 0 when none.', c => c.lastErrorAt)
  return out
}
