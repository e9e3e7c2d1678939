/**
 * The Debezium 3.6 PostgreSQL connector keys this connector does not implement, each in one of three kinds, so that a
 * Debezium connector file is either run as Debezium would run it or refused naming the key (never half-honoured):
 *  - ignored: no effect on what is written to Kafka here (retries, timeouts, metrics, thread counts, JDBC-only
 *    knobs, keys PostgreSQL's connector itself ignores), accepted and not used;
 *  - default only: accepted at Debezium's default, refused at any other value (which would change the output);
 *  - refused: any non-blank value changes the output or needs a feature this connector lacks.
 * Keys Debezium does not know are left alone, as Debezium and Connect leave them (framework keys, `driver.*`, ...).
 */

export type KeyKind = 'enum' | 'boolean' | 'int' | 'string'

export interface IgnoredKey { readonly key: string, readonly why: string }
export interface DefaultOnlyKey { readonly key: string, readonly default: string, readonly kind: KeyKind, readonly why: string }
export interface RefusedKey { readonly key: string, readonly why: string }
export interface RefusedKeyPattern { readonly pattern: RegExp, readonly display: string, readonly why: string }

export const IGNORED_KEYS: readonly IgnoredKey[] = [
  { key: 'database.server.name', why: 'Debezium 1.x name of topic.prefix; Debezium 3 ignores it too' },
  { key: 'database.query.timeout.ms', why: 'a JDBC query timeout' },
  { key: 'database.tcpKeepAlive', why: 'a JDBC socket option' },
  { key: 'database.sslfactory', why: 'a Java SSL socket factory class; TLS here follows database.sslmode and the certificate keys' },
  { key: 'include.schema.changes', why: "Debezium's PostgreSQL connector emits no schema change events either" },
  { key: 'heartbeat.topics.prefix', why: 'Debezium 1.x name; the heartbeat topic is named by topic.heartbeat.prefix' },
  { key: 'max.queue.size.in.bytes', why: 'a memory bound of the internal queue' },
  { key: 'queue.provider.type', why: 'the internal queue implementation' },
  { key: 'snapshot.delay.ms', why: 'a delay before the snapshot; no effect on what is captured' },
  { key: 'streaming.delay.ms', why: 'a delay before streaming; no effect on what is captured' },
  { key: 'snapshot.lock.timeout.ms', why: 'no table locks are taken (snapshot.locking.mode=none)' },
  { key: 'snapshot.max.threads', why: 'the snapshot reads one table at a time; the records are the same' },
  { key: 'snapshot.max.threads.multiplier', why: 'the snapshot reads one table at a time; the records are the same' },
  { key: 'legacy.snapshot.max.threads', why: 'the snapshot reads one table at a time; the records are the same' },
  { key: 'snapshot.scan.all.columns.force', why: 'a catalog-reading strategy' },
  { key: 'snapshot.mode.custom.name', why: 'used only with snapshot.mode=custom, which is refused' },
  { key: 'snapshot.mode.configuration.based.snapshot.data', why: 'used only with snapshot.mode=configuration_based, which is refused' },
  { key: 'snapshot.mode.configuration.based.snapshot.schema', why: 'used only with snapshot.mode=configuration_based, which is refused' },
  { key: 'snapshot.mode.configuration.based.start.stream', why: 'used only with snapshot.mode=configuration_based, which is refused' },
  { key: 'snapshot.mode.configuration.based.snapshot.on.schema.error', why: 'used only with snapshot.mode=configuration_based, which is refused' },
  { key: 'snapshot.mode.configuration.based.snapshot.on.data.error', why: 'used only with snapshot.mode=configuration_based, which is refused' },
  { key: 'snapshot.locking.mode.custom.name', why: 'used only with snapshot.locking.mode=custom, which is refused' },
  { key: 'snapshot.query.mode.custom.name', why: 'used only with snapshot.query.mode=custom, which is refused' },
  { key: 'incremental.snapshot.chunk.size', why: 'incremental snapshots start only from signals, which are refused' },
  { key: 'incremental.snapshot.allow.schema.changes', why: 'incremental snapshots start only from signals, which are refused' },
  { key: 'incremental.snapshot.watermarking.strategy', why: 'incremental snapshots start only from signals, which are refused' },
  { key: 'signal.poll.interval.ms', why: 'signals are refused' },
  { key: 'read.only', why: 'changes only how signals are delivered, and signals are refused' },
  { key: 'notification.sink.topic.name', why: 'notifications are refused' },
  { key: 'topic.transaction', why: 'used only with provide.transaction.metadata=true, which is refused' },
  { key: 'topic.cache.size', why: 'a cache size' },
  { key: 'retriable.restart.connector.wait.ms', why: 'a restart delay' },
  { key: 'errors.max.retries', why: 'a retry count' },
  { key: 'query.fetch.size', why: 'a JDBC fetch size' },
  { key: 'slot.max.retries', why: 'a retry count' },
  { key: 'slot.retry.delay.ms', why: 'a retry delay' },
  { key: 'create.slot.command.timeout', why: 'a timeout' },
  { key: 'lsn.flush.timeout.ms', why: 'a timeout' },
  { key: 'lsn.flush.timeout.action', why: 'what to do on a flush timeout' },
  { key: 'xmin.fetch.interval.ms', why: 'a monitoring interval' },
  { key: 'connection.validation.timeout.ms', why: 'a timeout' },
  { key: 'executor.shutdown.timeout.ms', why: 'a timeout' },
  { key: 'log.position.check.enable', why: 'an internal check' },
  { key: 'advanced.metrics.enable', why: 'JMX metrics' },
  { key: 'statistics.metrics.enabled', why: 'JMX metrics' },
  { key: 'custom.metric.tags', why: 'JMX metric tags' },
  { key: 'custom.sanitize.pattern', why: 'how logs hide secrets' },
  { key: 'schema.storage.class', why: 'in-memory metadata storage' },
  { key: 'table.storage.class', why: 'in-memory metadata storage' },
  { key: 'openlineage.integration.config.file.path', why: 'used only with openlineage.integration.enabled=true, which is refused' },
  { key: 'openlineage.integration.job.namespace', why: 'used only with openlineage.integration.enabled=true, which is refused' },
  { key: 'openlineage.integration.job.description', why: 'used only with openlineage.integration.enabled=true, which is refused' },
  { key: 'openlineage.integration.job.tags', why: 'used only with openlineage.integration.enabled=true, which is refused' },
  { key: 'openlineage.integration.job.owners', why: 'used only with openlineage.integration.enabled=true, which is refused' },
  { key: 'openlineage.integration.dataset.kafka.bootstrap.servers', why: 'used only with openlineage.integration.enabled=true, which is refused' }
]

/** Prefixes of keys Debezium's PostgreSQL connector does not use (other connectors' schema history). */
export const IGNORED_KEY_PREFIXES: readonly string[] = ['schema.history.internal.', 'database.history.']

export const DEFAULT_ONLY_KEYS: readonly DefaultOnlyKey[] = [
  { key: 'topic.naming.strategy', default: 'io.debezium.schema.SchemaTopicNamingStrategy', kind: 'string', why: 'topics are named <topic.prefix>.<schema>.<table>' },
  { key: 'topic.delimiter', default: '.', kind: 'string', why: 'topic names are joined with dots' },
  { key: 'provide.transaction.metadata', default: 'false', kind: 'boolean', why: 'no transaction topic nor per-event transaction block is written' },
  { key: 'transaction.metadata.factory', default: 'io.debezium.pipeline.txmetadata.DefaultTransactionMetadataFactory', kind: 'string', why: 'no transaction metadata' },
  { key: 'sourceinfo.struct.maker', default: 'io.debezium.connector.postgresql.PostgresSourceInfoStructMaker', kind: 'string', why: "the source block has Debezium's PostgreSQL fields" },
  { key: 'schema.name.adjustment.mode', default: 'none', kind: 'enum', why: 'schema names are not adjusted' },
  { key: 'field.name.adjustment.mode', default: 'none', kind: 'enum', why: 'field names are not adjusted' },
  { key: 'event.processing.failure.handling.mode', default: 'fail', kind: 'enum', why: 'an event that cannot be processed fails the task' },
  { key: 'skip.messages.without.change', default: 'false', kind: 'boolean', why: 'every change is written' },
  { key: 'include.unknown.datatypes', default: 'false', kind: 'boolean', why: 'columns of unknown types are left out, as by default in Debezium' },
  { key: 'include.schema.comments', default: 'false', kind: 'boolean', why: 'column comments are not put in the schemas' },
  { key: 'hstore.handling.mode', default: 'json', kind: 'enum', why: 'hstore values are JSON text' },
  { key: 'money.fraction.digits', default: '2', kind: 'int', why: 'money has two fraction digits' },
  { key: 'schema.refresh.mode', default: 'columns_diff', kind: 'enum', why: 'table schemas are refreshed on any column difference' },
  { key: 'snapshot.isolation.mode', default: 'serializable', kind: 'enum', why: "the snapshot reads in the slot's exported snapshot" },
  { key: 'snapshot.locking.mode', default: 'none', kind: 'enum', why: 'no table locks are taken' },
  { key: 'snapshot.query.mode', default: 'select_all', kind: 'enum', why: 'the snapshot selects every row' },
  { key: 'snapshot.tables.order.by.row.count', default: 'disabled', kind: 'enum', why: 'tables are read in name order' },
  { key: 'publish.via.partition.root', default: 'false', kind: 'boolean', why: 'partitions are captured as themselves' },
  { key: 'slot.failover', default: 'false', kind: 'boolean', why: 'no failover slot is created' },
  { key: 'offset.mismatch.strategy', default: 'no_validation', kind: 'enum', why: 'streaming resumes from the stored offset' },
  { key: 'slot.seek.to.known.offset.on.start', default: 'false', kind: 'boolean', why: 'streaming resumes from the stored offset' },
  { key: 'lsn.flush.mode', default: 'connector', kind: 'enum', why: 'the connector confirms LSNs to the slot itself' },
  { key: 'flush.lsn.source', default: 'true', kind: 'boolean', why: 'the connector confirms LSNs to the slot itself' },
  { key: 'signal.enabled.channels', default: 'source', kind: 'string', why: 'signals are not supported' },
  { key: 'openlineage.integration.enabled', default: 'false', kind: 'boolean', why: 'no OpenLineage events are sent' },
  { key: 'guardrail.collections.max', default: '0', kind: 'int', why: 'there is no limit on the number of captured tables' },
  { key: 'guardrail.collections.limit.action', default: 'warn', kind: 'enum', why: 'there is no limit on the number of captured tables' }
]

export const REFUSED_KEYS: readonly RefusedKey[] = [
  { key: 'message.key.columns', why: 'record keys are always the primary key' },
  { key: 'column.propagate.source.type', why: 'no __debezium.source.column.* schema parameters are added' },
  { key: 'datatype.propagate.source.type', why: 'no __debezium.source.column.* schema parameters are added' },
  { key: 'snapshot.select.statement.overrides', why: 'the snapshot selects every row of every table' },
  { key: 'snapshot.include.collection.list', why: 'the snapshot covers every captured table' },
  { key: 'database.include.list', why: 'one database is captured, database.dbname' },
  { key: 'database.exclude.list', why: 'one database is captured, database.dbname' },
  { key: 'heartbeat.action.query', why: 'heartbeats run no query' },
  { key: 'signal.data.collection', why: 'signals (ad hoc and incremental snapshots) are not supported' },
  { key: 'notification.enabled.channels', why: 'notifications are not supported' },
  { key: 'converters', why: 'custom value converters are not supported' },
  { key: 'post.processors', why: 'post processors are not supported' },
  { key: 'replica.identity.autoset.values', why: 'tables are never altered by the connector' },
  { key: 'slot.stream.params', why: 'pgoutput is started with the connector\'s own options' },
  { key: 'message.prefix.include.list', why: 'logical decoding messages are not filtered' },
  { key: 'message.prefix.exclude.list', why: 'logical decoding messages are not filtered' },
  { key: 'database.connection.factory.class', why: 'connections are made by node-postgres' }
]

export const REFUSED_KEY_PATTERNS: readonly RefusedKeyPattern[] = [
  { pattern: /^column\.mask\.hash\.[^.]+\.with\.salt\..+$/, display: 'column.mask.hash.<algorithm>.with.salt.<salt>', why: 'column values are never masked' },
  { pattern: /^column\.mask\.with\.\d+\.chars$/, display: 'column.mask.with.<length>.chars', why: 'column values are never masked' },
  { pattern: /^column\.truncate\.to\.\d+\.chars$/, display: 'column.truncate.to.<length>.chars', why: 'column values are never truncated' },
  { pattern: /^snapshot\.select\.statement\.overrides\..+$/, display: 'snapshot.select.statement.overrides.<table>', why: 'the snapshot selects every row of every table' },
  { pattern: /^signal\.kafka\..+$/, display: 'signal.kafka.*', why: 'signals are not supported' }
]

const IGNORED = new Map(IGNORED_KEYS.map(k => [k.key, k]))
const DEFAULT_ONLY = new Map(DEFAULT_ONLY_KEYS.map(k => [k.key, k]))
const REFUSED = new Map(REFUSED_KEYS.map(k => [k.key, k]))

/** The key's value equals the default as Debezium would read it (enums and booleans ignore case, numbers compare). */
function isDefault (spec: DefaultOnlyKey, raw: string): boolean {
  const value = raw.trim()
  switch (spec.kind) {
    case 'enum':
    case 'boolean':
      return value.toLowerCase() === spec.default
    case 'int':
      return /^[+-]?\d+$/.test(value) && Number(value) === Number(spec.default)
    case 'string':
      return value === spec.default
  }
}

export type OtherKeyVerdict = { kind: 'ignored', why: string } | { kind: 'refused', message: string } | undefined

/**
 * What to do with a key the ConfigDef does not define: ignore it (returned so callers may log it), refuse it with a
 * message naming it, or nothing (a key Debezium does not know either). Values are shown only for default-only keys,
 * none of which holds a secret.
 */
export function checkOtherKey (key: string, raw: string): OtherKeyVerdict {
  const ignored = IGNORED.get(key)
  if (ignored !== undefined || IGNORED_KEY_PREFIXES.some(p => key.startsWith(p))) return { kind: 'ignored', why: ignored?.why ?? 'not used by the PostgreSQL connector' }
  const defaultOnly = DEFAULT_ONLY.get(key)
  if (defaultOnly !== undefined) {
    if (isDefault(defaultOnly, raw)) return { kind: 'ignored', why: 'the default' }
    return { kind: 'refused', message: `The '${key}' value is invalid: ${raw.trim()} is not supported by this connector, only the default ${defaultOnly.default} (${defaultOnly.why})` }
  }
  const refused = REFUSED.get(key) ?? REFUSED_KEY_PATTERNS.find(p => p.pattern.test(key))
  if (refused !== undefined && raw.trim() !== '') {
    return { kind: 'refused', message: `The '${key}' value is invalid: ${key} is not supported by this connector (${refused.why}); remove it` }
  }
  return undefined
}
