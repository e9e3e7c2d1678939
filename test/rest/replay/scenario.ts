/**
 * The scripted REST scenario of the side-by-side replay (replay.test.ts): every request, in order, as both runners
 * receive it. `${name}` placeholders in paths and bodies are filled with the runner's own values (connector names,
 * topics and the temporary directory differ per runner because both use the same broker); everything else is
 * byte-for-byte the same request.
 *
 * After a state-changing request, `then` names the state to wait for (by polling the status, never sleeping), and a
 * read whose answer depends on background work (topics, offsets) has `until`: it is re-sent until its answer shows
 * that work done, and only the last answer is recorded. Both runners go through exactly the same steps and waits.
 */

/** The runner-specific values the placeholders stand for. */
export interface Vars {
  /** Temporary directory with the input file and the sink files. */
  dir: string
  /** Connector names. */
  src: string
  sink: string
  bad: string
  paused: string
  stopped: string
  put: string
  /** The topic the source writes and the sinks read; the paused source's own topic. */
  topic: string
  ptopic: string
  /** host:port of the REST server, which is also the worker_id. */
  worker: string
}

export const VAR_NAMES: ReadonlyArray<keyof Vars> = ['dir', 'src', 'sink', 'bad', 'paused', 'stopped', 'put', 'topic', 'ptopic', 'worker']

/** Connector names used in the scenario (placeholders); `nosuch` is a name no runner ever creates. */
export const CONNECTOR_VARS: ReadonlyArray<keyof Vars> = ['src', 'sink', 'bad', 'paused', 'stopped', 'put']

/** The lines of ${dir}/input.txt: 3 lines, 12 bytes. */
export const INPUT_LINES = ['one', 'two', 'three']

export interface RecordedResponse {
  status: number
  contentType: string | null
  location: string | null
  /** Parsed JSON; the raw text when it is not JSON; null when empty. */
  body: unknown
}

export type Wait =
  /** GET .../status until the connector is in `connector` and its tasks, by id, in `tasks`. */
  | { connector: keyof Vars, state: string, tasks: string[] }
  /** GET /connectors/{name} until 404. */
  | { gone: keyof Vars }
  /** The sink file ${dir}/<file> has at least `lines` lines. */
  | { file: string, lines: number }

export interface Step {
  /** Stable id, used by the golden file and by the table of deliberate differences. */
  id: string
  method: string
  path: string
  /** A JSON body (placeholders filled in keys and string values). */
  json?: unknown
  /** A raw body (malformed JSON and the like), sent as it is after filling placeholders. */
  raw?: string
  /** Content-Type of the body (default application/json when there is one). */
  contentType?: string
  /** Re-send (reads only) until the answer satisfies this; the last answer is recorded. */
  until?: (response: RecordedResponse) => boolean
  /** What to wait for after the request, before the next one. */
  then?: Wait | Wait[]
  /** How the answers are compared beyond the common normalisation (see replay.test.ts). */
  compare?: 'unordered-names' | 'shared-plugins' | 'shared-loggers'
}

const FILE_SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector'

const srcConfig = { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: '${dir}/input.txt', topic: '${topic}' }
const sinkConfig = { 'connector.class': 'FileStreamSink', topics: '${topic}', file: '${dir}/sink.txt' }

const body = (r: RecordedResponse): Record<string, unknown> => (r.body ?? {}) as Record<string, unknown>
const offsets = (r: RecordedResponse): Array<{ partition: Record<string, unknown>, offset: Record<string, unknown> | null }> =>
  (body(r).offsets ?? []) as Array<{ partition: Record<string, unknown>, offset: Record<string, unknown> | null }>
const topicsOf = (r: RecordedResponse): unknown[] => {
  const entry = Object.values(body(r))[0] as { topics?: unknown[] } | undefined
  return entry?.topics ?? []
}

const running = (connector: keyof Vars, tasks = 1): Wait => ({ connector, state: 'RUNNING', tasks: Array<string>(tasks).fill('RUNNING') })

export const SCENARIO: readonly Step[] = [
  // ---- The worker, plugins and loggers --------------------------------------------------------------------------
  { id: 'root', method: 'GET', path: '/' },
  { id: 'health', method: 'GET', path: '/health' },
  { id: 'list-empty', method: 'GET', path: '/connectors' },
  { id: 'list-empty-expand', method: 'GET', path: '/connectors?expand=status' },
  { id: 'plugins', method: 'GET', path: '/connector-plugins', compare: 'shared-plugins' },
  { id: 'plugins-all', method: 'GET', path: '/connector-plugins?connectorsOnly=false', compare: 'shared-plugins' },
  { id: 'plugin-config-source-alias', method: 'GET', path: '/connector-plugins/FileStreamSource/config' },
  { id: 'plugin-config-sink-class', method: 'GET', path: '/connector-plugins/org.apache.kafka.connect.file.FileStreamSinkConnector/config' },
  { id: 'plugin-config-transform', method: 'GET', path: '/connector-plugins/org.apache.kafka.connect.transforms.RegexRouter/config' },
  { id: 'plugin-config-predicate', method: 'GET', path: '/connector-plugins/org.apache.kafka.connect.transforms.predicates.HasHeaderKey/config' },
  { id: 'plugin-config-converter', method: 'GET', path: '/connector-plugins/org.apache.kafka.connect.json.JsonConverter/config' },
  { id: 'plugin-config-unknown', method: 'GET', path: '/connector-plugins/NoSuchPlugin/config' },
  {
    id: 'validate-sink-valid', method: 'PUT', path: '/connector-plugins/FileStreamSink/config/validate',
    json: { name: 'v', ...sinkConfig }
  },
  {
    id: 'validate-sink-invalid', method: 'PUT', path: '/connector-plugins/FileStreamSink/config/validate',
    json: { 'connector.class': 'FileStreamSink', 'tasks.max': 'two', 'errors.tolerance': 'some' }
  },
  {
    id: 'validate-source-valid', method: 'PUT', path: '/connector-plugins/FileStreamSourceConnector/config/validate',
    json: { name: 'v', ...srcConfig, 'connector.class': FILE_SOURCE }
  },
  // The path names the plugin only to be checked against connector.class, which must end with it.
  {
    id: 'validate-path-longer-than-class', method: 'PUT', path: `/connector-plugins/${FILE_SOURCE}/config/validate`,
    json: { name: 'v', ...srcConfig }
  },
  {
    id: 'validate-source-transform', method: 'PUT', path: '/connector-plugins/FileStreamSource/config/validate',
    json: { name: 'v', ...srcConfig, transforms: 'route', 'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter' }
  },
  {
    id: 'validate-sink-predicate-converter', method: 'PUT', path: '/connector-plugins/FileStreamSink/config/validate',
    json: {
      name: 'v',
      ...sinkConfig,
      'key.converter': 'JsonConverter',
      'key.converter.schemas.enable': 'maybe',
      transforms: 'filter',
      'transforms.filter.type': 'org.apache.kafka.connect.transforms.Filter',
      'transforms.filter.predicate': 'hasKeep',
      predicates: 'hasKeep',
      'predicates.hasKeep.type': 'org.apache.kafka.connect.transforms.predicates.HasHeaderKey',
      'predicates.hasKeep.name': 'keep'
    }
  },
  {
    id: 'validate-null-value', method: 'PUT', path: '/connector-plugins/FileStreamSink/config/validate',
    json: { name: 'v', ...sinkConfig, file: null }
  },
  {
    id: 'validate-type-mismatch', method: 'PUT', path: '/connector-plugins/FileStreamSource/config/validate',
    json: { name: 'v', ...sinkConfig }
  },
  {
    id: 'validate-no-class', method: 'PUT', path: '/connector-plugins/FileStreamSink/config/validate',
    json: { name: 'v', topics: '${topic}' }
  },
  { id: 'validate-malformed', method: 'PUT', path: '/connector-plugins/FileStreamSink/config/validate', raw: '{"connector.class": ' },
  { id: 'loggers', method: 'GET', path: '/admin/loggers', compare: 'shared-loggers' },
  { id: 'logger-root', method: 'GET', path: '/admin/loggers/root' },
  { id: 'logger-set', method: 'PUT', path: '/admin/loggers/org.apache.kafka.connect.runtime.WorkerSourceTask', json: { level: 'DEBUG' } },
  { id: 'logger-get', method: 'GET', path: '/admin/loggers/org.apache.kafka.connect.runtime.WorkerSourceTask' },
  { id: 'logger-set-cluster', method: 'PUT', path: '/admin/loggers/org.apache.kafka.connect.runtime.WorkerSourceTask?scope=cluster', json: { level: 'INFO' } },
  { id: 'logger-bad-level', method: 'PUT', path: '/admin/loggers/org.apache.kafka.connect', json: { level: 'LOUD' } },
  { id: 'logger-no-level', method: 'PUT', path: '/admin/loggers/org.apache.kafka.connect', json: {} },
  { id: 'logger-unknown', method: 'GET', path: '/admin/loggers/no.such.logger' },

  // ---- Creating connectors --------------------------------------------------------------------------------------
  {
    id: 'create-source', method: 'POST', path: '/connectors', json: { name: '${src}', config: srcConfig },
    then: running('src')
  },
  // The source's records were acknowledged by Kafka once its topic is tracked.
  { id: 'source-topics', method: 'GET', path: '/connectors/${src}/topics', until: r => topicsOf(r).length > 0 },
  { id: 'create-duplicate', method: 'POST', path: '/connectors', json: { name: '${src}', config: srcConfig } },
  { id: 'create-invalid', method: 'POST', path: '/connectors', json: { name: 'invalid', config: { 'connector.class': 'FileStreamSink', 'tasks.max': 'two' } } },
  { id: 'create-null-value', method: 'POST', path: '/connectors', json: { name: 'invalid', config: { ...srcConfig, file: null } } },
  // Apache creates the connector above (FAILED); this removes it again so that both runners go on with the same set.
  { id: 'delete-null-value-leftover', method: 'DELETE', path: '/connectors/invalid' },
  { id: 'create-name-mismatch', method: 'POST', path: '/connectors', json: { name: 'invalid', config: { ...srcConfig, name: 'other' } } },
  { id: 'create-no-class', method: 'POST', path: '/connectors', json: { name: 'invalid', config: { topic: '${topic}' } } },
  { id: 'create-unknown-class', method: 'POST', path: '/connectors', json: { name: 'invalid', config: { 'connector.class': 'NoSuchConnector' } } },
  { id: 'create-malformed', method: 'POST', path: '/connectors', raw: '{"name": "invalid", "config": {' },
  { id: 'create-unknown-field', method: 'POST', path: '/connectors', json: { name: 'invalid', config: srcConfig, colour: 'red' } },
  { id: 'create-bad-initial-state', method: 'POST', path: '/connectors', json: { name: 'invalid', config: srcConfig, initial_state: 'SLEEPING' } },
  { id: 'create-wrong-media-type', method: 'POST', path: '/connectors', raw: 'name=invalid', contentType: 'application/x-www-form-urlencoded' },
  {
    id: 'create-sink', method: 'POST', path: '/connectors', json: { name: '${sink}', config: sinkConfig },
    then: [running('sink'), { file: 'sink.txt', lines: INPUT_LINES.length }]
  },
  {
    id: 'create-paused', method: 'POST', path: '/connectors',
    json: { name: '${paused}', config: { ...srcConfig, topic: '${ptopic}' }, initial_state: 'PAUSED' },
    then: { connector: 'paused', state: 'PAUSED', tasks: [] }
  },
  {
    id: 'create-stopped', method: 'POST', path: '/connectors',
    json: { name: '${stopped}', config: { ...sinkConfig, file: '${dir}/stopped.txt' }, initial_state: 'stopped' },
    then: { connector: 'stopped', state: 'STOPPED', tasks: [] }
  },
  // FileStreamSinkTask cannot open a file in a directory that does not exist: its task fails at start.
  {
    id: 'create-failing', method: 'POST', path: '/connectors',
    json: { name: '${bad}', config: { ...sinkConfig, file: '${dir}/no-such-dir/out.txt' } },
    then: { connector: 'bad', state: 'RUNNING', tasks: ['FAILED'] }
  },

  // ---- Reads ----------------------------------------------------------------------------------------------------
  { id: 'list', method: 'GET', path: '/connectors', compare: 'unordered-names' },
  { id: 'list-expand-status', method: 'GET', path: '/connectors?expand=status' },
  { id: 'list-expand-info', method: 'GET', path: '/connectors?expand=info' },
  { id: 'list-expand-both', method: 'GET', path: '/connectors?expand=status&expand=info' },
  { id: 'list-expand-unknown', method: 'GET', path: '/connectors?expand=nothing' },
  { id: 'info-source', method: 'GET', path: '/connectors/${src}' },
  { id: 'config-source', method: 'GET', path: '/connectors/${src}/config' },
  { id: 'status-source', method: 'GET', path: '/connectors/${src}/status' },
  { id: 'tasks-source', method: 'GET', path: '/connectors/${src}/tasks' },
  { id: 'task-status', method: 'GET', path: '/connectors/${src}/tasks/0/status' },
  { id: 'task-status-unknown', method: 'GET', path: '/connectors/${src}/tasks/7/status' },
  { id: 'task-status-not-int', method: 'GET', path: '/connectors/${src}/tasks/first/status' },
  { id: 'info-sink', method: 'GET', path: '/connectors/${sink}' },
  { id: 'tasks-sink', method: 'GET', path: '/connectors/${sink}/tasks' },
  { id: 'sink-topics', method: 'GET', path: '/connectors/${sink}/topics', until: r => topicsOf(r).length > 0 },
  { id: 'info-paused', method: 'GET', path: '/connectors/${paused}' },
  { id: 'status-paused', method: 'GET', path: '/connectors/${paused}/status' },
  { id: 'tasks-paused', method: 'GET', path: '/connectors/${paused}/tasks' },
  { id: 'status-stopped', method: 'GET', path: '/connectors/${stopped}/status' },
  { id: 'status-failing', method: 'GET', path: '/connectors/${bad}/status' },
  { id: 'task-status-failing', method: 'GET', path: '/connectors/${bad}/tasks/0/status' },
  { id: 'unknown-info', method: 'GET', path: '/connectors/nosuch' },
  { id: 'unknown-config', method: 'GET', path: '/connectors/nosuch/config' },
  { id: 'unknown-status', method: 'GET', path: '/connectors/nosuch/status' },
  { id: 'unknown-tasks', method: 'GET', path: '/connectors/nosuch/tasks' },
  { id: 'unknown-task-status', method: 'GET', path: '/connectors/nosuch/tasks/0/status' },
  { id: 'unknown-topics', method: 'GET', path: '/connectors/nosuch/topics' },
  { id: 'unknown-offsets', method: 'GET', path: '/connectors/nosuch/offsets' },

  // ---- Wrong methods and paths ----------------------------------------------------------------------------------
  { id: 'method-root', method: 'DELETE', path: '/' },
  { id: 'method-status', method: 'POST', path: '/connectors/${src}/status' },
  { id: 'method-pause', method: 'GET', path: '/connectors/${src}/pause' },
  { id: 'method-connectors', method: 'PATCH', path: '/connectors', json: {} },
  { id: 'path-unknown', method: 'GET', path: '/connectors/${src}/no-such-resource' },
  { id: 'path-removed-tasks-config', method: 'GET', path: '/connectors/${src}/tasks-config' },

  // ---- Pause, resume, restarts ----------------------------------------------------------------------------------
  { id: 'pause', method: 'PUT', path: '/connectors/${src}/pause', then: { connector: 'src', state: 'PAUSED', tasks: ['PAUSED'] } },
  { id: 'status-after-pause', method: 'GET', path: '/connectors/${src}/status' },
  { id: 'pause-again', method: 'PUT', path: '/connectors/${src}/pause', then: { connector: 'src', state: 'PAUSED', tasks: ['PAUSED'] } },
  { id: 'resume', method: 'PUT', path: '/connectors/${src}/resume', then: running('src') },
  { id: 'unknown-pause', method: 'PUT', path: '/connectors/nosuch/pause' },
  { id: 'unknown-resume', method: 'PUT', path: '/connectors/nosuch/resume' },
  { id: 'unknown-stop', method: 'PUT', path: '/connectors/nosuch/stop' },
  { id: 'restart', method: 'POST', path: '/connectors/${src}/restart', then: running('src') },
  { id: 'restart-include-tasks', method: 'POST', path: '/connectors/${src}/restart?includeTasks=true', then: running('src') },
  { id: 'restart-only-failed', method: 'POST', path: '/connectors/${src}/restart?onlyFailed=true', then: running('src') },
  { id: 'restart-both-healthy', method: 'POST', path: '/connectors/${src}/restart?includeTasks=true&onlyFailed=true', then: running('src') },
  {
    id: 'restart-both-failing', method: 'POST', path: '/connectors/${bad}/restart?includeTasks=true&onlyFailed=true',
    then: { connector: 'bad', state: 'RUNNING', tasks: ['FAILED'] }
  },
  {
    id: 'restart-only-failed-failing', method: 'POST', path: '/connectors/${bad}/restart?onlyFailed=true',
    then: { connector: 'bad', state: 'RUNNING', tasks: ['FAILED'] }
  },
  {
    id: 'restart-include-tasks-failing', method: 'POST', path: '/connectors/${bad}/restart?includeTasks=true',
    then: { connector: 'bad', state: 'RUNNING', tasks: ['FAILED'] }
  },
  { id: 'restart-paused', method: 'POST', path: '/connectors/${paused}/restart?includeTasks=true', then: { connector: 'paused', state: 'PAUSED', tasks: [] } },
  { id: 'restart-task', method: 'POST', path: '/connectors/${src}/tasks/0/restart', then: running('src') },
  { id: 'restart-task-failing', method: 'POST', path: '/connectors/${bad}/tasks/0/restart', then: { connector: 'bad', state: 'RUNNING', tasks: ['FAILED'] } },
  { id: 'restart-unknown', method: 'POST', path: '/connectors/nosuch/restart' },
  { id: 'restart-unknown-include-tasks', method: 'POST', path: '/connectors/nosuch/restart?includeTasks=true&onlyFailed=true' },
  { id: 'restart-unknown-connector-task', method: 'POST', path: '/connectors/nosuch/tasks/0/restart' },

  // ---- Config changes -------------------------------------------------------------------------------------------
  {
    id: 'put-config', method: 'PUT', path: '/connectors/${src}/config', json: { ...srcConfig, 'batch.size': '100' },
    then: running('src')
  },
  { id: 'patch-config', method: 'PATCH', path: '/connectors/${src}/config', json: { 'batch.size': null, 'tasks.max': 1 }, then: running('src') },
  { id: 'config-after-patch', method: 'GET', path: '/connectors/${src}/config' },
  { id: 'put-config-name-mismatch', method: 'PUT', path: '/connectors/${src}/config', json: { ...srcConfig, name: 'other' } },
  { id: 'put-config-invalid', method: 'PUT', path: '/connectors/${src}/config', json: { ...srcConfig, 'tasks.max': '-1' } },
  { id: 'put-config-wrong-type', method: 'PUT', path: '/connectors/${src}/config', raw: '["connector.class"]' },
  { id: 'patch-unknown', method: 'PATCH', path: '/connectors/nosuch/config', json: { 'tasks.max': '1' } },
  {
    id: 'put-config-creates', method: 'PUT', path: '/connectors/${put}/config', json: { ...sinkConfig, file: '${dir}/put.txt' },
    then: [running('put'), { file: 'put.txt', lines: INPUT_LINES.length }]
  },
  { id: 'info-put', method: 'GET', path: '/connectors/${put}' },

  // ---- Stop and offsets: source ---------------------------------------------------------------------------------
  { id: 'offsets-source-running', method: 'GET', path: '/connectors/${src}/offsets', until: r => offsets(r).length > 0 },
  {
    id: 'alter-offsets-running', method: 'PATCH', path: '/connectors/${src}/offsets',
    json: { offsets: [{ partition: { filename: '${dir}/input.txt' }, offset: { position: 4 } }] }
  },
  { id: 'stop-source', method: 'PUT', path: '/connectors/${src}/stop', then: { connector: 'src', state: 'STOPPED', tasks: [] } },
  { id: 'status-stopped-source', method: 'GET', path: '/connectors/${src}/status' },
  { id: 'info-stopped-source', method: 'GET', path: '/connectors/${src}' },
  { id: 'tasks-stopped-source', method: 'GET', path: '/connectors/${src}/tasks' },
  { id: 'offsets-source', method: 'GET', path: '/connectors/${src}/offsets', until: r => offsets(r).length > 0 },
  { id: 'alter-offsets-empty', method: 'PATCH', path: '/connectors/${src}/offsets', json: { offsets: [] } },
  { id: 'alter-offsets-unknown-field', method: 'PATCH', path: '/connectors/${src}/offsets', json: { offsets: [], extra: true } },
  {
    id: 'alter-offsets-source', method: 'PATCH', path: '/connectors/${src}/offsets',
    json: { offsets: [{ partition: { filename: '${dir}/input.txt' }, offset: { position: 4 } }] }
  },
  { id: 'offsets-source-altered', method: 'GET', path: '/connectors/${src}/offsets' },
  { id: 'reset-offsets-source', method: 'DELETE', path: '/connectors/${src}/offsets' },
  { id: 'offsets-source-reset', method: 'GET', path: '/connectors/${src}/offsets' },
  { id: 'reset-topics-source', method: 'PUT', path: '/connectors/${src}/topics/reset' },
  { id: 'topics-source-reset', method: 'GET', path: '/connectors/${src}/topics' },
  { id: 'reset-topics-unknown', method: 'PUT', path: '/connectors/nosuch/topics/reset' },

  // ---- Stop and offsets: sink -----------------------------------------------------------------------------------
  { id: 'stop-sink', method: 'PUT', path: '/connectors/${sink}/stop', then: { connector: 'sink', state: 'STOPPED', tasks: [] } },
  // The stopped sink's task committed what it wrote.
  {
    id: 'offsets-sink', method: 'GET', path: '/connectors/${sink}/offsets',
    until: r => offsets(r).some(o => o.offset?.kafka_offset === INPUT_LINES.length)
  },
  {
    id: 'alter-offsets-sink', method: 'PATCH', path: '/connectors/${sink}/offsets',
    json: { offsets: [{ partition: { kafka_topic: '${topic}', kafka_partition: 0 }, offset: { kafka_offset: 1 } }] }
  },
  { id: 'offsets-sink-altered', method: 'GET', path: '/connectors/${sink}/offsets' },
  {
    id: 'alter-offsets-sink-no-partition', method: 'PATCH', path: '/connectors/${sink}/offsets',
    json: { offsets: [{ partition: { kafka_topic: '${topic}' }, offset: { kafka_offset: 1 } }] }
  },
  {
    id: 'alter-offsets-sink-bad-offset', method: 'PATCH', path: '/connectors/${sink}/offsets',
    json: { offsets: [{ partition: { kafka_topic: '${topic}', kafka_partition: 0 }, offset: { kafka_offset: 'one' } }] }
  },
  { id: 'reset-offsets-sink', method: 'DELETE', path: '/connectors/${sink}/offsets' },
  { id: 'offsets-sink-reset', method: 'GET', path: '/connectors/${sink}/offsets' },
  // From STOPPED, resume regenerates the task, which reads the topic from the start again.
  { id: 'resume-stopped-sink', method: 'PUT', path: '/connectors/${sink}/resume', then: [running('sink'), { file: 'sink.txt', lines: 2 * INPUT_LINES.length }] },
  { id: 'info-resumed-sink', method: 'GET', path: '/connectors/${sink}' },

  // ---- Connectors created paused or stopped come to life ----------------------------------------------------------
  { id: 'resume-paused', method: 'PUT', path: '/connectors/${paused}/resume', then: running('paused') },
  { id: 'paused-topics', method: 'GET', path: '/connectors/${paused}/topics', until: r => topicsOf(r).length > 0 },
  { id: 'resume-created-stopped', method: 'PUT', path: '/connectors/${stopped}/resume', then: [running('stopped'), { file: 'stopped.txt', lines: INPUT_LINES.length }] },
  { id: 'list-expand-status-final', method: 'GET', path: '/connectors?expand=status' },

  // ---- Deletes --------------------------------------------------------------------------------------------------
  // Apache answers 404 as we do, but then lists a FAILED task 5 in the connector's status (only deletes follow).
  { id: 'restart-unknown-task', method: 'POST', path: '/connectors/${bad}/tasks/5/restart' },
  { id: 'status-after-unknown-task-restart', method: 'GET', path: '/connectors/${bad}/status' },
  { id: 'delete-failing', method: 'DELETE', path: '/connectors/${bad}', then: { gone: 'bad' } },
  { id: 'delete-again', method: 'DELETE', path: '/connectors/${bad}' },
  { id: 'status-deleted', method: 'GET', path: '/connectors/${bad}/status' },
  { id: 'delete-sink', method: 'DELETE', path: '/connectors/${sink}', then: { gone: 'sink' } },
  { id: 'topics-deleted-sink', method: 'GET', path: '/connectors/${sink}/topics' },
  { id: 'delete-source', method: 'DELETE', path: '/connectors/${src}', then: { gone: 'src' } },
  { id: 'delete-paused', method: 'DELETE', path: '/connectors/${paused}', then: { gone: 'paused' } },
  { id: 'delete-stopped', method: 'DELETE', path: '/connectors/${stopped}', then: { gone: 'stopped' } },
  { id: 'delete-put', method: 'DELETE', path: '/connectors/${put}', then: { gone: 'put' } },
  { id: 'list-final', method: 'GET', path: '/connectors' }
]
