/**
 * The standalone worker's configuration (Kafka's WorkerConfig + StandaloneConfig + RestServerConfig), with Apache's
 * names and defaults. Client settings under `producer.`, `consumer.` and `admin.` are handled by kafka/client-config.
 */
import { ConfigDef, ConfigError, Range, ValidString, type ParsedConfig, type Validator } from '../api/index.ts'
import {
  ACCESS_CONTROL_ALLOW_METHODS_CONFIG, ACCESS_CONTROL_ALLOW_ORIGIN_CONFIG, REST_BASIC_AUTH_CREDENTIALS_FILE_CONFIG,
  REST_BASIC_AUTH_JAAS_CONFIG_FILE_CONFIG, REST_EXTENSION_CLASSES_CONFIG, REST_REQUEST_BODY_MAX_BYTES_CONFIG,
  REST_REQUEST_BODY_MAX_BYTES_DEFAULT, RESPONSE_HTTP_HEADERS_CONFIG, ResponseHeadersValidator, SSL_CLIENT_AUTH_CONFIG,
  restSecurity, type RestListener, type RestSecurity, type RestServerConfig
} from '../rest/rest-server-config.ts'
import type { Logger } from '../util/logger.ts'

export const BOOTSTRAP_SERVERS_CONFIG = 'bootstrap.servers'
export const KEY_CONVERTER_CLASS_CONFIG = 'key.converter'
export const VALUE_CONVERTER_CLASS_CONFIG = 'value.converter'
export const HEADER_CONVERTER_CLASS_CONFIG = 'header.converter'
export const OFFSET_STORAGE_FILE_FILENAME_CONFIG = 'offset.storage.file.filename'
/** Beyond Apache standalone (Apache distributed's keys): source offsets in a compacted Kafka topic (see README). */
export const OFFSET_STORAGE_TOPIC_CONFIG = 'offset.storage.topic'
export const OFFSET_STORAGE_PARTITIONS_CONFIG = 'offset.storage.partitions'
export const OFFSET_STORAGE_REPLICATION_FACTOR_CONFIG = 'offset.storage.replication.factor'
export const OFFSET_COMMIT_INTERVAL_MS_CONFIG = 'offset.flush.interval.ms'
export const OFFSET_COMMIT_TIMEOUT_MS_CONFIG = 'offset.flush.timeout.ms'
export const TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS_CONFIG = 'task.shutdown.graceful.timeout.ms'
/** Beyond Apache: tasks in processes of their own, to use more than one core (issue 16). */
export const TASK_PLACEMENT_CONFIG = 'task.placement'
export const PLUGIN_PATH_CONFIG = 'plugin.path'
export const PLUGIN_DISCOVERY_CONFIG = 'plugin.discovery'
export const LISTENERS_CONFIG = 'listeners'
export const REST_ADVERTISED_HOST_NAME_CONFIG = 'rest.advertised.host.name'
export const REST_ADVERTISED_PORT_CONFIG = 'rest.advertised.port'
export const REST_ADVERTISED_LISTENER_CONFIG = 'rest.advertised.listener'
export const CLIENT_DNS_LOOKUP_CONFIG = 'client.dns.lookup'
export const TOPIC_CREATION_ENABLE_CONFIG = 'topic.creation.enable'
export const TOPIC_TRACKING_ENABLE_CONFIG = 'topic.tracking.enable'
export const TOPIC_TRACKING_ALLOW_RESET_CONFIG = 'topic.tracking.allow.reset'
export const CONNECTOR_CLIENT_POLICY_CLASS_CONFIG = 'connector.client.config.override.policy'
export const CONFIG_PROVIDERS_CONFIG = 'config.providers'
/** Beyond Apache: GET /metrics on the REST listeners (issue 14). */
export const METRICS_ENABLED_CONFIG = 'metrics.enabled'
export const METRICS_SAMPLE_WINDOW_MS_CONFIG = 'metrics.sample.window.ms'
export const METRICS_NUM_SAMPLES_CONFIG = 'metrics.num.samples'
export const METRICS_RECORDING_LEVEL_CONFIG = 'metrics.recording.level'
export const METRIC_REPORTER_CLASSES_CONFIG = 'metric.reporters'
/** Beyond Apache: keep connectors created or changed through REST across restarts (see README). */
export const CONNECTOR_CONFIGS_PERSIST_CONFIG = 'connector.configs.persist'
export const CONNECTOR_CONFIGS_FILE_CONFIG = 'connector.configs.file.filename'
export const DEFAULT_HEADER_CONVERTER = 'org.apache.kafka.connect.storage.SimpleHeaderConverter'
export const LISTENERS_DEFAULT = 'http://:8083'

/** One parsed REST listener. host '' means all interfaces, as in Apache. */
export type Listener = RestListener

const LISTENER_RE = /^([A-Za-z]+):\/\/(\[[0-9A-Fa-f:.]+\]|[^:/[\]]*):(\d+)$/

export function parseListener (text: string): Listener {
  const m = LISTENER_RE.exec(text.trim())
  if (!m) throw new ConfigError(`Invalid value ${text} for configuration ${LISTENERS_CONFIG}: Listener doesn't have the right format (protocol://hostname:port).`)
  const protocol = m[1]!.toLowerCase()
  if (protocol !== 'http' && protocol !== 'https') {
    throw new ConfigError(`Invalid value ${text} for configuration ${LISTENERS_CONFIG}: Listener protocol must be either "http" or "https".`)
  }
  const port = Number(m[3])
  if (port > 65535) throw new ConfigError(`Invalid value ${text} for configuration ${LISTENERS_CONFIG}: port must be between 0 and 65535`)
  return { protocol, host: m[2]!.replace(/^\[|\]$/g, ''), port }
}

const ListenersValidator: Validator = {
  ensureValid (_name, value) {
    if (!Array.isArray(value)) return
    if (value.length === 0) throw new ConfigError(`Invalid value  for configuration ${LISTENERS_CONFIG}: Empty listener found when parsing list.`)
    for (const l of value) parseListener(l)
  },
  toString () { return 'List of comma-separated URIs, ex: http://localhost:8080,https://localhost:8443.' }
}

/** Apache's validator of the internal topics' partitions and replication factor: -1 (the broker's default) or at least 1. */
const BrokerDefaultOrPositive: Validator = {
  ensureValid (name, value) {
    if (typeof value === 'number' && value !== -1 && value < 1) {
      throw new ConfigError(`Invalid value ${value} for configuration ${name}: Value must be -1 (use the broker's default) or a positive number`)
    }
  },
  toString () { return 'Either -1 (use the broker\'s default) or a positive number' }
}

export const WORKER_CONFIG_DEF = new ConfigDef()
  .define({ name: BOOTSTRAP_SERVERS_CONFIG, type: 'list', default: null, importance: 'high', documentation: 'A list of host/port pairs used to establish the initial connection to the Kafka cluster. When unset, connect-standalone starts the embedded in-memory broker (Apache defaults to localhost:9092).' })
  .define({ name: KEY_CONVERTER_CLASS_CONFIG, type: 'class', importance: 'high', documentation: 'Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka (record keys). A class name or alias; key.converter.* settings go to the converter.' })
  .define({ name: VALUE_CONVERTER_CLASS_CONFIG, type: 'class', importance: 'high', documentation: 'Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka (record values). A class name or alias; value.converter.* settings go to the converter.' })
  .define({ name: HEADER_CONVERTER_CLASS_CONFIG, type: 'class', default: DEFAULT_HEADER_CONVERTER, importance: 'low', documentation: 'HeaderConverter class used to convert between Kafka Connect format and the serialized form that is written to Kafka (record headers).' })
  .define({ name: OFFSET_STORAGE_FILE_FILENAME_CONFIG, type: 'string', default: null, importance: 'high', documentation: 'File to store source connector offsets in (Apache\'s Java-serialised format, written atomically; see README, "Offsets"). Required unless offset.storage.topic is set (Apache standalone always requires it).' })
  .define({ name: OFFSET_STORAGE_TOPIC_CONFIG, type: 'string', default: null, importance: 'high', documentation: 'The name of the Kafka topic where source connector offsets are stored, in Apache Connect distributed\'s format (compacted; created when missing). When set, it replaces the offsets file (offset.storage.file.filename is then ignored): offsets survive the loss of the machine, and several runners (each running its own connectors) and Apache Connect distributed clusters can share the topic.' })
  .define({ name: OFFSET_STORAGE_PARTITIONS_CONFIG, type: 'int', default: 25, validator: BrokerDefaultOrPositive, importance: 'low', documentation: 'The number of partitions used when creating the offset storage topic (-1: the broker\'s default).' })
  .define({ name: OFFSET_STORAGE_REPLICATION_FACTOR_CONFIG, type: 'short', default: 3, validator: BrokerDefaultOrPositive, importance: 'low', documentation: 'Replication factor used when creating the offset storage topic (-1: the broker\'s default).' })
  .define({ name: OFFSET_COMMIT_INTERVAL_MS_CONFIG, type: 'long', default: 60000, validator: Range.atLeast(0), importance: 'low', documentation: 'Interval at which to try committing offsets for tasks: the sink commit period and how often SourceTask.commit() is called. Unlike Apache, source offsets are written as soon as Kafka acknowledges their records (at most every 50 ms per task).' })
  .define({ name: OFFSET_COMMIT_TIMEOUT_MS_CONFIG, type: 'long', default: 5000, validator: Range.atLeast(0), importance: 'low', documentation: 'Maximum number of milliseconds to wait for records to flush and partition offset data to be committed before cancelling the process and restoring the offset data to be committed in a future attempt. It also bounds the wait for in-flight records when a task stops.' })
  .define({ name: TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS_CONFIG, type: 'long', default: 5000, validator: Range.atLeast(0), importance: 'low', documentation: 'Amount of time to wait for tasks to shutdown gracefully. This is the total amount of time, not per task.' })
  .define({ name: TASK_PLACEMENT_CONFIG, type: 'string', default: 'main', validator: ValidString.in('main', 'process', 'auto'), importance: 'medium', documentation: 'connect-standalone only: where tasks run. main: every task in the worker\'s own process, on its one JavaScript thread. process: every task in a Node.js process of its own, with its own Kafka clients, so that tasks use more than one core (each process costs about 80 MB of memory and about a second to start). auto: a task runs in its own process when its connector has tasks.max greater than 1. Statuses, pause and resume, restarts, offsets, metrics and logs work the same wherever a task runs.' })
  .define({ name: PLUGIN_PATH_CONFIG, type: 'list', default: null, importance: 'low', documentation: 'Comma-separated plugin modules or directories of JavaScript/TypeScript plugins (see README, "Writing plugins").' })
  .define({ name: PLUGIN_DISCOVERY_CONFIG, type: 'string', default: 'hybrid_warn', validator: ValidString.inCaseInsensitive('only_scan', 'hybrid_warn', 'hybrid_fail', 'service_load'), importance: 'low', documentation: 'Accepted for compatibility; plugin modules are always loaded from plugin.path.' })
  .define({ name: LISTENERS_CONFIG, type: 'list', default: LISTENERS_DEFAULT, validator: ListenersValidator, importance: 'low', documentation: 'Where the REST API listens, exactly: comma-separated http:// and https:// URLs (protocol://host:port); an empty host binds every interface, port 0 takes a free port, logged as "REST server listening at …".' })
  .define({ name: REST_ADVERTISED_HOST_NAME_CONFIG, type: 'string', default: null, importance: 'low', documentation: 'Hostname advertised as this worker\'s id (the worker_id, host:port).' })
  .define({ name: REST_ADVERTISED_PORT_CONFIG, type: 'int', default: null, importance: 'low', documentation: 'Port advertised as part of this worker\'s id (the worker_id, host:port); a port-0 listener advertises the port it bound.' })
  .define({ name: REST_ADVERTISED_LISTENER_CONFIG, type: 'string', default: null, importance: 'low', documentation: 'Listener (http or https) whose address is advertised.' })
  .define({ name: REST_EXTENSION_CLASSES_CONFIG, type: 'list', default: '', importance: 'low', documentation: 'REST extensions. Only org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension exists here (built in; it reads the KafkaConnect entry of the JAAS file named by rest.basic.auth.jaas.config.file or by -Djava.security.auth.login.config in KAFKA_OPTS); another class stops start-up.' })
  .define({ name: REST_BASIC_AUTH_JAAS_CONFIG_FILE_CONFIG, type: 'string', default: null, importance: 'low', documentation: 'connect-standalone only: the JAAS file of BasicAuthSecurityRestExtension, in place of -Djava.security.auth.login.config in KAFKA_OPTS.' })
  .define({ name: REST_BASIC_AUTH_CREDENTIALS_FILE_CONFIG, type: 'string', default: null, importance: 'low', documentation: 'connect-standalone only: a user=password properties file, which turns HTTP basic authentication of the REST API on without a JAAS file.' })
  .define({ name: REST_REQUEST_BODY_MAX_BYTES_CONFIG, type: 'long', default: REST_REQUEST_BODY_MAX_BYTES_DEFAULT, validator: Range.atLeast(1), importance: 'low', documentation: 'connect-standalone only: the largest REST request body accepted; larger ones get 413 (Apache has no limit).' })
  .define({ name: ACCESS_CONTROL_ALLOW_ORIGIN_CONFIG, type: 'string', default: '', importance: 'low', documentation: 'Origins (comma-separated regular expressions, or *) allowed to call the REST API from a browser (CORS). Blank: CORS off.' })
  .define({ name: ACCESS_CONTROL_ALLOW_METHODS_CONFIG, type: 'string', default: '', importance: 'low', documentation: 'Methods allowed in CORS requests (Access-Control-Allow-Methods); blank: GET,POST,HEAD.' })
  .define({ name: RESPONSE_HTTP_HEADERS_CONFIG, type: 'string', default: '', validator: ResponseHeadersValidator, importance: 'low', documentation: 'Rules for REST API HTTP response headers: [set|add|setDate|addDate] Name: Value, comma-separated. For example: set X-Frame-Options: DENY, "add Cache-Control: no-cache, no-store".' })
  .define({ name: SSL_CLIENT_AUTH_CONFIG, type: 'string', default: 'none', validator: ValidString.in('required', 'requested', 'none'), importance: 'low', documentation: 'Client certificates on https REST listeners: required, requested or none.' })
  .define({ name: CLIENT_DNS_LOOKUP_CONFIG, type: 'string', default: 'use_all_dns_ips', validator: ValidString.in('use_all_dns_ips', 'resolve_canonical_bootstrap_servers_only'), importance: 'medium', documentation: 'How the Kafka clients use DNS lookups.' })
  .define({ name: TOPIC_CREATION_ENABLE_CONFIG, type: 'boolean', default: true, importance: 'low', documentation: 'Whether source connectors may create topics (topic.creation.* in connector configs).' })
  .define({ name: TOPIC_TRACKING_ENABLE_CONFIG, type: 'boolean', default: true, importance: 'low', documentation: 'Enable tracking the set of active topics per connector: the /connectors/{name}/topics endpoints (403 when off).' })
  .define({ name: TOPIC_TRACKING_ALLOW_RESET_CONFIG, type: 'boolean', default: true, importance: 'low', documentation: 'Allow resetting the set of active topics per connector: PUT /connectors/{name}/topics/reset (403 when off).' })
  .define({ name: CONNECTOR_CONFIGS_PERSIST_CONFIG, type: 'boolean', default: true, importance: 'medium', documentation: 'Keep connector configs and target states (RUNNING/PAUSED/STOPPED) set through the REST API in a local file, so they survive a restart. Apache standalone keeps them in memory only; set false for that behaviour.' })
  .define({ name: CONNECTOR_CONFIGS_FILE_CONFIG, type: 'string', default: null, importance: 'low', documentation: 'The file connector.configs.persist writes; default: the offsets file name plus ".connectors.json".' })
  .define({ name: CONNECTOR_CLIENT_POLICY_CLASS_CONFIG, type: 'string', default: 'All', importance: 'medium', documentation: 'Which client settings connectors may override (All, None, Principal).' })
  .define({ name: CONFIG_PROVIDERS_CONFIG, type: 'list', default: '', importance: 'low', documentation: 'Comma-separated names of ConfigProvider classes, loaded and used in the order specified. Each needs config.providers.<name>.class; its settings are config.providers.<name>.param.*. They resolve ${<name>:[path:]key} variables in this file and in connector configurations.' })
  .define({ name: METRICS_ENABLED_CONFIG, type: 'boolean', default: true, importance: 'low', documentation: 'connect-standalone only: serve the worker\'s metrics at GET /metrics on the REST listeners (Prometheus text format, OpenMetrics when the Accept header asks), named as the Prometheus JMX exporter names Apache\'s MBeans. false: /metrics is a 404.' })
  .define({ name: METRICS_SAMPLE_WINDOW_MS_CONFIG, type: 'long', default: 30000, validator: Range.atLeast(1), importance: 'low', documentation: 'The window of time a metrics sample is computed over (rates, averages and maximums of /metrics).' })
  .define({ name: METRICS_NUM_SAMPLES_CONFIG, type: 'int', default: 2, validator: Range.atLeast(1), importance: 'low', documentation: 'The number of samples maintained to compute metrics (rates, averages and maximums of /metrics).' })
  .define({ name: METRICS_RECORDING_LEVEL_CONFIG, type: 'string', default: 'INFO', validator: ValidString.in('INFO', 'DEBUG', 'TRACE'), importance: 'low', documentation: 'The highest recording level for metrics. Accepted for compatibility: every metric of /metrics is recorded at any level.' })
  .define({ name: METRIC_REPORTER_CLASSES_CONFIG, type: 'list', default: '', importance: 'low', documentation: 'Java MetricsReporter classes. Accepted for compatibility and not loaded (a warning names them): GET /metrics is the reporter.' })

/** Keys that belong to a prefix family and are therefore "known" even though not defined above. */
/**
 * Apache distributed's DistributedConfig.offsetStorageTopicSettings: the worker's other offset.storage.* keys
 * (min.insync.replicas, segment.bytes...), prefix removed, as configs of the offsets topic it creates.
 */
export function offsetStorageTopicSettings (originals: Readonly<Record<string, unknown>>): Record<string, string> {
  const own = new Set([OFFSET_STORAGE_TOPIC_CONFIG, OFFSET_STORAGE_PARTITIONS_CONFIG, OFFSET_STORAGE_REPLICATION_FACTOR_CONFIG, OFFSET_STORAGE_FILE_FILENAME_CONFIG])
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(originals)) {
    if (k.startsWith('offset.storage.') && !own.has(k) && v !== undefined && v !== null) out[k.slice('offset.storage.'.length)] = String(v)
  }
  return out
}

export const WORKER_KNOWN_PREFIXES = [
  'offset.storage.', 'producer.', 'consumer.', 'admin.', 'key.converter.', 'value.converter.', 'header.converter.',
  'listeners.https.', 'admin.listeners.', 'metrics.context.', 'config.providers.', 'ssl.', 'sasl.', 'security.'
]

/** What the worker's metrics are built with (ConnectMetrics' options) and the reporter classes that are not loaded. */
export function metricsSettings (config: ParsedConfig): { enabled: boolean, window: { windowMs: number, samples: number }, ignoredReporters: string[] } {
  return {
    enabled: config.boolean(METRICS_ENABLED_CONFIG),
    window: { windowMs: config.long(METRICS_SAMPLE_WINDOW_MS_CONFIG), samples: config.int(METRICS_NUM_SAMPLES_CONFIG) },
    ignoredReporters: config.list(METRIC_REPORTER_CLASSES_CONFIG)
  }
}

/** The REST server's settings (the REST layer's RestServerConfig) from a parsed worker config and its listeners. */
export function restServerConfig (config: ParsedConfig, listeners: readonly Listener[]): RestServerConfig {
  return {
    listeners,
    extensionClasses: config.list(REST_EXTENSION_CLASSES_CONFIG),
    basicAuthJaasConfigFile: config.string(REST_BASIC_AUTH_JAAS_CONFIG_FILE_CONFIG),
    basicAuthCredentialsFile: config.string(REST_BASIC_AUTH_CREDENTIALS_FILE_CONFIG),
    corsAllowedOrigins: config.string(ACCESS_CONTROL_ALLOW_ORIGIN_CONFIG) ?? '',
    corsAllowedMethods: config.string(ACCESS_CONTROL_ALLOW_METHODS_CONFIG) ?? '',
    responseHeaders: config.string(RESPONSE_HTTP_HEADERS_CONFIG) ?? '',
    maxBodyBytes: config.long(REST_REQUEST_BODY_MAX_BYTES_CONFIG),
    originals: config.originals()
  }
}

/** The REST API's security (TLS, authentication, CORS, response headers, body limit) for a parsed worker config. */
export async function restSecurityFromWorkerConfig (config: ParsedConfig, listeners: readonly Listener[], env: NodeJS.ProcessEnv, log?: Logger): Promise<RestSecurity> {
  return await restSecurity(restServerConfig(config, listeners), env, log)
}
