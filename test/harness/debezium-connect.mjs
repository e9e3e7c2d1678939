// The reference of issue 15: Debezium 3.6.1.Final's PostgreSQL connector (and its JDBC sink) running in the real
// Apache Kafka Connect 4.3.1 standalone worker (apache-connect.mjs), plus a reader of the topics it writes.
//
//   const connect = await startDebeziumConnect({ dir, connectorProps: [debeziumPostgresProps({ name: 'dbz', url, topicPrefix: 'dbz', slotName: 'dbz_a' })] })
//   const capture = await openTopicCapture({ match: /^dbz\./ })
//   await capture.waitForCount(14)
//   ... capture.records ...
//   await capture.close(); await connect.stop()
//
// Plain JavaScript (types in debezium-connect.d.mts) so that plain `node` scripts such as benchmarks can use it too.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Kafka from 'node-rdkafka'
import pg from 'pg'
import { startApacheConnect } from './apache-connect.mjs'
import { DEBEZIUM_JDBC_VERSION, DEBEZIUM_VERSION, resolveDebeziumPluginPath } from './resolve-debezium.mjs'

export { DEBEZIUM_JDBC_VERSION, DEBEZIUM_VERSION, resolveDebeziumPluginPath }

const delay = ms => new Promise(resolve => setTimeout(resolve, ms))

/**
 * startApacheConnect with Debezium's plugins on plugin.path. Offsets are flushed every second unless
 * workerProps['offset.flush.interval.ms'] says otherwise (Apache's default of 60 s would make tests wait), plugins are
 * discovered by their ServiceLoader manifests, and the converters default to JsonConverter with schemas, as the
 * differential tests compare.
 */
export async function startDebeziumConnect (options) {
  const pluginPath = resolveDebeziumPluginPath()
  return startApacheConnect({
    ...options,
    workerProps: {
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'true',
      'value.converter.schemas.enable': 'true',
      'offset.flush.interval.ms': '1000',
      // Every Debezium plugin ships ServiceLoader manifests (Connect says so at start-up): reading them instead of
      // scanning each jar's classes by reflection saves tens of seconds of start-up on a loaded machine.
      'plugin.discovery': 'service_load',
      ...options.workerProps,
      'plugin.path': pluginPath
    }
  })
}

/**
 * The configuration of a Debezium PostgresConnector reading the database of `url` (postgresql://user:pass@host:port/db)
 * with pgoutput, its own slot, topics created by Connect with one partition. `extra` is merged last.
 */
export function debeziumPostgresProps ({ name, url, topicPrefix, slotName, extra = {} }) {
  const u = new URL(url)
  return {
    name,
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'tasks.max': '1',
    'database.hostname': u.hostname,
    'database.port': u.port || '5432',
    'database.user': decodeURIComponent(u.username),
    'database.password': decodeURIComponent(u.password),
    'database.dbname': decodeURIComponent(u.pathname.slice(1)),
    'topic.prefix': topicPrefix,
    'plugin.name': 'pgoutput',
    'slot.name': slotName,
    'topic.creation.default.replication.factor': '1',
    'topic.creation.default.partitions': '1',
    ...extra
  }
}

function asText (buf) {
  if (buf == null) return null
  return Buffer.isBuffer(buf) ? buf.toString('utf8') : String(buf)
}

// JSON.parse turns int64 values above 2^53 into nearby doubles: comparisons that must be exact use the raw text.
function parseJson (text) {
  if (text == null || text.length === 0) return null
  try { return JSON.parse(text) } catch { return text }
}

function headerList (headers) {
  return (headers ?? []).flatMap(h => Object.entries(h).map(([key, value]) =>
    ({ key, value: value == null ? null : Buffer.from(value).toString('utf8') })))
}

/**
 * Reads every topic whose name matches `match` (a RegExp, a string prefix or a predicate) from its beginning, without a consumer
 * group, in the background from the moment it is opened; topics created later are picked up within a second. Keys and
 * values are parsed as JSON (null for a tombstone's value or a null key; beware that JSON.parse rounds int64 values
 * beyond 2^53) and also kept as text (keyText, valueText); headers are kept as UTF-8 strings.
 */
export async function openTopicCapture ({ match, bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS }) {
  if (!bootstrap) throw new Error('openTopicCapture: KAFKA_BOOTSTRAP_SERVERS is not set and no bootstrap was given')
  const matches = typeof match === 'string' ? name => name.startsWith(match) : typeof match === 'function' ? match : name => match.test(name)
  const consumer = new Kafka.KafkaConsumer({
    'bootstrap.servers': bootstrap,
    'client.id': 'debezium-capture',
    // librdkafka wants a group id even for assign(); nothing is ever committed to it.
    'group.id': `debezium-capture-${randomBytes(4).toString('hex')}`,
    'enable.auto.commit': false,
    'topic.metadata.refresh.interval.ms': 1000
  }, {})
  await new Promise((resolve, reject) => consumer.connect({ timeout: 30000 }, err => { if (err) reject(err); else resolve() }))
  consumer.setDefaultConsumeTimeout(200)
  const records = []
  const assigned = new Set()
  let closed = false
  let error = null
  let lastMetadata = 0

  const refreshAssignment = async () => {
    const metadata = await new Promise((resolve, reject) =>
      consumer.getMetadata({ timeout: 5000 }, (err, data) => { if (err) reject(err); else resolve(data) }))
    const fresh = []
    for (const topic of metadata.topics) {
      if (!matches(topic.name)) continue
      for (const p of topic.partitions) {
        const id = `${topic.name}/${p.id}`
        if (p.leader < 0 || assigned.has(id)) continue
        assigned.add(id)
        fresh.push({ topic: topic.name, partition: p.id, offset: -2 })
      }
    }
    if (fresh.length > 0) consumer.incrementalAssign(fresh)
  }

  const loop = (async () => {
    while (!closed) {
      try {
        if (Date.now() - lastMetadata > 1000) {
          lastMetadata = Date.now()
          await refreshAssignment()
        }
        if (assigned.size === 0) { await delay(200); continue }
        const batch = await new Promise((resolve, reject) => consumer.consume(500, (err, messages) => { if (err) reject(err); else resolve(messages) }))
        for (const m of batch) {
          const keyText = asText(m.key)
          const valueText = asText(m.value)
          records.push({
            topic: m.topic,
            partition: m.partition,
            offset: m.offset,
            timestamp: m.timestamp,
            key: parseJson(keyText),
            value: parseJson(valueText),
            keyText,
            valueText,
            headers: headerList(m.headers)
          })
        }
      } catch (err) {
        if (!closed) { error = err; await delay(500) }
      }
    }
  })()

  return {
    /** Every record read so far, in arrival order (per partition in offset order). */
    records,
    /** Resolves with the records once `condition(records)` is true; throws after timeoutMs (default 60000). */
    async waitFor (condition, { timeoutMs = 60000, what = 'records', failure } = {}) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        if (condition(records)) return records
        const broken = failure ? await failure() : null
        if (broken) throw new Error(`While waiting for ${what}: ${broken}`)
        if (Date.now() > deadline) {
          throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}: ${records.length} records read` +
            ` from ${[...assigned].join(', ') || 'no topic'}${error ? ` (last consumer error: ${error.message})` : ''}`)
        }
        await delay(100)
      }
    },
    /** Resolves once at least `count` records were read. */
    waitForCount (count, options = {}) {
      return this.waitFor(r => r.length >= count, { what: `${count} records`, ...options })
    },
    /**
     * Resolves once no record arrived for `quietMs` (default 3000): for "everything the connector had to say".
     * Records for which `ignore(record)` is true (heartbeats, say) do not count as arrivals.
     */
    async waitForQuiet ({ quietMs = 3000, timeoutMs = 60000, failure, ignore = () => false } = {}) {
      const deadline = Date.now() + timeoutMs
      const counted = () => records.reduce((n, r) => ignore(r) ? n : n + 1, 0)
      let seen = counted()
      let since = Date.now()
      for (;;) {
        const now = counted()
        if (now !== seen) { seen = now; since = Date.now() }
        if (Date.now() - since >= quietMs) return records
        const broken = failure ? await failure() : null
        if (broken) throw new Error(`While waiting for the topics to go quiet: ${broken}`)
        if (Date.now() > deadline) throw new Error(`Records still arriving after ${timeoutMs} ms (${records.length} read)`)
        await delay(100)
      }
    },
    async close () {
      if (closed) return
      closed = true
      await loop
      await new Promise(resolve => consumer.disconnect(() => resolve()))
    }
  }
}

/** Resolves once the worker's log has `line` (a RegExp); rejects when the worker fails or after timeoutMs. */
export async function waitForLogLine (connect, line, { timeoutMs = 120000 } = {}) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (existsSync(connect.logFile) && line.test(readFileSync(connect.logFile, 'utf8'))) return
    const broken = await connect.failure().catch(() => null)
    if (broken) throw new Error(`While waiting for ${line} in the worker log: ${broken}`)
    if (Date.now() > deadline) throw new Error(`No ${line} in the worker log after ${timeoutMs} ms\n${connect.describe()}`)
    await delay(200)
  }
}

/** Drops a replication slot once no walsender holds it any more (a stopped worker's may linger a moment). */
export async function dropReplicationSlot (url, slotName, { timeoutMs = 30000 } = {}) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const { rows } = await client.query('select active from pg_replication_slots where slot_name = $1', [slotName])
      if (rows.length === 0) return
      if (!rows[0].active) {
        await client.query('select pg_drop_replication_slot($1)', [slotName])
        return
      }
      if (Date.now() > deadline) throw new Error(`Replication slot ${slotName} still active after ${timeoutMs} ms`)
      await delay(200)
    }
  } finally {
    await client.end()
  }
}

/**
 * Runs Debezium's PostgresConnector in Apache Kafka Connect on the database of `url` and returns what it wrote: the
 * differential tests' reference run. Debezium starts (snapshot per its config), then once it streams ("Processing
 * messages" in its log) `afterSnapshot()` runs (apply the streaming DML there), then the capture waits for
 * `until(records)` if given and for `quietMs` without a new data record; then the worker stops (flushing offsets) and
 * the slot is dropped unless keepSlot.
 *
 *   name          the connector's name; topicPrefix (default name) must be new to the broker: topics are read from
 *                 their beginning
 *   extra         connector properties merged over debeziumPostgresProps (publication.name defaults to <name>_pub,
 *                 slot.name to <name>_slot)
 *   workerProps   extra worker properties (converters are JsonConverter with schemas)
 *
 * Resolves { records, heartbeats, offsets (the Apache offsets file's bytes, or null), startupMs, log (the worker's
 * log text) }. records are the data and transaction topics' records in arrival order (per partition in offset order).
 */
export async function captureWithDebezium ({
  url, name, topicPrefix = name, slotName = `${name}_slot`, extra = {}, workerProps = {}, afterSnapshot,
  until, quietMs = 3000, timeoutMs = 180000, keepSlot = false, dir: givenDir
}) {
  const dir = givenDir ?? mkdtempSync(join(tmpdir(), 'debezium-capture-'))
  const heartbeatTopic = `${extra['topic.heartbeat.prefix'] ?? '__debezium-heartbeat'}.${topicPrefix}`
  const capture = await openTopicCapture({ match: t => t.startsWith(`${topicPrefix}.`) || t === heartbeatTopic })
  let connect = null
  try {
    connect = await startDebeziumConnect({
      dir,
      workerProps,
      timeoutMs,
      connectorProps: [debeziumPostgresProps({ name, url, topicPrefix, slotName, extra: { 'publication.name': `${name}_pub`, ...extra } })]
    })
    const failure = connect.failure.bind(connect)
    await waitForLogLine(connect, new RegExp(`\\[${escapeRegExp(name)}\\|task-0\\] Processing messages`), { timeoutMs })
    if (afterSnapshot) await afterSnapshot()
    const data = r => r.topic !== heartbeatTopic
    if (until) await capture.waitFor(records => until(records.filter(data)), { timeoutMs, what: 'the expected records', failure })
    await capture.waitForQuiet({ quietMs, timeoutMs, failure, ignore: r => !data(r) })
    await connect.stop()
    const log = readFileSync(connect.logFile, 'utf8')
    const offsets = existsSync(connect.offsetsFile) ? readFileSync(connect.offsetsFile) : null
    return {
      records: capture.records.filter(data),
      heartbeats: capture.records.filter(r => !data(r)),
      offsets,
      startupMs: connect.startupMs,
      log
    }
  } finally {
    await capture.close()
    if (connect) await connect.stop()
    if (!keepSlot) await dropReplicationSlot(url, slotName)
    if (!givenDir) rmSync(dir, { recursive: true, force: true })
  }
}

function escapeRegExp (text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * The configuration of Debezium's JdbcSinkConnector writing `topics` into the PostgreSQL database of `url`
 * (postgresql://user:pass@host:port/db). `extra` is merged last (insert.mode, primary.key.mode, ...).
 */
export function debeziumJdbcSinkProps ({ name, url, topics, extra = {} }) {
  const u = new URL(url)
  return {
    name,
    'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
    'tasks.max': '1',
    topics: topics.join(','),
    'connection.url': `jdbc:postgresql://${u.hostname}:${u.port || '5432'}${u.pathname}`,
    'connection.username': decodeURIComponent(u.username),
    'connection.password': decodeURIComponent(u.password),
    ...extra
  }
}

/**
 * True once the consumer group `group` has committed, for every partition of `topics`, the end of that partition
 * (what a sink task commits once everything before it was written).
 */
export async function groupCaughtUp (group, topics, { bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS } = {}) {
  const consumer = new Kafka.KafkaConsumer({ 'bootstrap.servers': bootstrap, 'group.id': group, 'enable.auto.commit': false }, {})
  await new Promise((resolve, reject) => consumer.connect({ timeout: 10000 }, err => { if (err) reject(err); else resolve() }))
  try {
    const metadata = await new Promise((resolve, reject) =>
      consumer.getMetadata({ timeout: 5000 }, (err, data) => { if (err) reject(err); else resolve(data) }))
    const toppars = topics.flatMap(topic => (metadata.topics.find(t => t.name === topic)?.partitions ?? []).map(p => ({ topic, partition: p.id })))
    if (toppars.length === 0) return false
    const committed = await new Promise((resolve, reject) =>
      consumer.committed(toppars, 5000, (err, parts) => { if (err) reject(err); else resolve(parts) }))
    for (const tp of toppars) {
      const high = await new Promise((resolve, reject) =>
        consumer.queryWatermarkOffsets(tp.topic, tp.partition, 5000, (err, offsets) => { if (err) reject(err); else resolve(offsets.highOffset) }))
      const done = committed.find(c => c.topic === tp.topic && c.partition === tp.partition)?.offset ?? -1
      if (done < high) return false
    }
    return true
  } finally {
    await new Promise(resolve => consumer.disconnect(() => resolve()))
  }
}

/**
 * The JDBC differential tests' reference run: Debezium's JdbcSinkConnector in Apache Kafka Connect consumes `topics`
 * (from their beginning) into the database of `url` until its consumer group has committed the end of every
 * partition, then the worker stops. Resolves { startupMs, log }; the target tables are the caller's to read.
 * Debezium's sink fails on some inputs its source produces (see /work/notes/debezium-sample/README.md): a FAILED task
 * rejects with its trace.
 */
export async function sinkWithDebezium ({ url, name, topics, extra = {}, workerProps = {}, timeoutMs = 180000, dir: givenDir }) {
  const dir = givenDir ?? mkdtempSync(join(tmpdir(), 'debezium-sink-'))
  let connect = null
  try {
    connect = await startDebeziumConnect({ dir, workerProps, timeoutMs, connectorProps: [debeziumJdbcSinkProps({ name, url, topics, extra })] })
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const broken = await connect.failure()
      if (broken) throw new Error(`Debezium's JDBC sink ${name} failed: ${broken}`)
      if (await groupCaughtUp(`connect-${name}`, topics)) break
      if (Date.now() > deadline) throw new Error(`Debezium's JDBC sink ${name} did not commit the end of ${topics.join(', ')} within ${timeoutMs} ms\n${connect.describe()}`)
      await delay(500)
    }
    await connect.stop()
    return { startupMs: connect.startupMs, log: readFileSync(connect.logFile, 'utf8') }
  } finally {
    if (connect) await connect.stop()
    if (!givenDir) rmSync(dir, { recursive: true, force: true })
  }
}
