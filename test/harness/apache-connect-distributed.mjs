// Runs one worker of the real Apache Kafka Connect 4.3.1 in distributed mode (org.apache.kafka.connect.cli.
// ConnectDistributed, on the classpath resolve-connect.mjs builds, connect-file included) against the test broker, for
// the offsets interop tests: its configs, statuses and source offsets live in Kafka topics, connectors are created
// through REST.
//
//   const connect = await startApacheConnectDistributed({ dir, workerProps: { 'offset.storage.topic': ..., ... } })
//   await connect.createConnector({ name: 'src', 'connector.class': 'FileStreamSource', ... })   // RUNNING
//   await connect.stopConnector('src')                                                           // STOPPED
//   await connect.stop()
//
// The JVM starts as bin/connect-distributed.sh starts it (the standalone harness's heap, GC and JMX flags), logs to a
// file in `dir`, serves REST on a free loopback port, and is killed by a watchdog if this process dies without stop().
import { writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import {
  APACHE_HEAP_OPTS, APACHE_JMX_OPTS, APACHE_JVM_PERFORMANCE_OPTS, CONNECT_VERSION, javaProperties, log4jProperties,
  notRunning, restGet
} from './apache-connect.mjs'
import { freePort, readTail, spawnGuardedJvm } from './jvm-process.mjs'
import { findJava } from './resolve-classpath.mjs'
import { resolveConnectClasspath } from './resolve-connect.mjs'

const MAIN_CLASS = 'org.apache.kafka.connect.cli.ConnectDistributed'

function log (message) {
  process.stderr.write(`[apache-connect-distributed] ${message}\n`)
}

const delay = ms => new Promise(resolve => setTimeout(resolve, ms))
const exitTimeout = ms => new Promise(resolve => setTimeout(resolve, ms).unref())

/**
 * Sends `method url` with an optional JSON body and parses the answer as JSON. Resolves { status, body, text } (body
 * null when not JSON); rejects when the server does not answer within `timeoutMs`. No keep-alive, as restGet.
 */
export function restRequest (method, url, body, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? null : Buffer.from(JSON.stringify(body))
    const headers = { accept: 'application/json', connection: 'close' }
    if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(payload.length) })
    const req = request(url, { method, agent: false, headers, timeout: timeoutMs }, res => {
      const chunks = []
      res.on('data', chunk => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let parsed = null
        try { parsed = JSON.parse(text) } catch {}
        resolve({ status: res.statusCode, body: parsed, text })
      })
    })
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end(payload ?? undefined)
  })
}

/**
 * Starts one Apache Kafka Connect distributed worker and resolves once GET /health reports it healthy (it joined its
 * group and read the config topic, so connectors can be created).
 *
 * options.dir              directory for the worker file and logs, all named apache-distributed-* (the caller removes it)
 * options.workerProps      worker settings, over the harness's defaults: bootstrap.servers ($KAFKA_BOOTSTRAP_SERVERS),
 *                          a fresh group.id and fresh config/status/offset topic names (see the result's `topics`),
 *                          replication factors 1, one config and one status partition, StringConverter for keys and
 *                          values, offset.flush.interval.ms 1000, plugin.discovery service_load. listeners is always
 *                          the harness's free port.
 * options.timeoutMs        how long to wait for health (default 180000)
 * options.heapOpts         replaces APACHE_HEAP_OPTS
 * options.extraJvmOptions  appended after the classpath (KAFKA_OPTS)
 */
export async function startApacheConnectDistributed (options) {
  const { dir, workerProps = {} } = options
  if (!dir) throw new Error('startApacheConnectDistributed: options.dir is required')
  if ('listeners' in workerProps) throw new Error('startApacheConnectDistributed: listeners is chosen by the harness; see restUrl')
  const bootstrap = workerProps['bootstrap.servers'] ?? process.env.KAFKA_BOOTSTRAP_SERVERS
  if (!bootstrap) {
    throw new Error('KAFKA_BOOTSTRAP_SERVERS is not set. Run the tests with `npm test` (or `npm test -- <path>`), ' +
      'which starts a real Apache Kafka broker and sets it; or pass workerProps[\'bootstrap.servers\'].')
  }
  const classpath = resolveConnectClasspath()
  const java = findJava()
  const id = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`
  const defaults = {
    'bootstrap.servers': bootstrap,
    'group.id': `apache-connect-${id}`,
    'config.storage.topic': `apache-connect-configs-${id}`,
    'config.storage.replication.factor': '1',
    'status.storage.topic': `apache-connect-status-${id}`,
    'status.storage.replication.factor': '1',
    'status.storage.partitions': '1',
    'offset.storage.topic': `apache-connect-offsets-${id}`,
    'offset.storage.replication.factor': '1',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.flush.interval.ms': '1000',
    // Every plugin on this classpath has ServiceLoader manifests (the worker says so, and suggests this): skipping the
    // reflective scan of all 59 jars saves 1-16 s of start-up on 2 busy cores, and changes nothing the tests look at.
    'plugin.discovery': 'service_load'
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce({ options, props: { ...defaults, ...workerProps }, classpath, java })
    } catch (err) {
      if (!err.portTaken || attempt >= 3) throw err
      log(`the REST port was taken before Jetty bound it; retrying with another (attempt ${attempt + 1})`)
    }
  }
}

async function startOnce ({ options, props: settings, classpath, java }) {
  const { dir } = options
  const timeoutMs = options.timeoutMs ?? 180000
  const started = Date.now()
  const port = await freePort()
  const restUrl = `http://127.0.0.1:${port}`
  const workerFile = join(dir, 'apache-distributed-worker.properties')
  const log4jFile = join(dir, 'apache-distributed-log4j2.properties')
  const logFile = join(dir, 'apache-distributed.log')
  const jvmLogFile = join(dir, 'apache-distributed.out')
  const props = { ...settings, listeners: restUrl }
  writeFileSync(workerFile, javaProperties(props, 'written by test/harness/apache-connect-distributed.mjs'))
  writeFileSync(log4jFile, log4jProperties(logFile))
  writeFileSync(logFile, '')

  const jvmArgs = [
    ...(options.heapOpts ?? APACHE_HEAP_OPTS), ...APACHE_JVM_PERFORMANCE_OPTS, ...APACHE_JMX_OPTS,
    `-Dkafka.logs.dir=${dir}`, `-Dlog4j2.configurationFile=${log4jFile}`,
    '-cp', classpath, ...(options.extraJvmOptions ?? []),
    MAIN_CLASS, workerFile
  ]
  const jvm = spawnGuardedJvm(java, jvmArgs, { outFile: jvmLogFile, name: 'apache-connect-distributed' })
  const { child, exited } = jvm

  const describe = () => `--- JVM output (${jvmLogFile}) ---\n${readTail(jvmLogFile, 20)}\n--- tail of ${logFile} ---\n${readTail(logFile)}`
  const abort = async (message, extra = {}) => {
    if (!jvm.exit()) {
      jvm.kill()
      await Promise.race([exited, delay(10000)])
    }
    jvm.release()
    return Object.assign(new Error(`${message}\n${describe()}`), extra)
  }
  const exitMessage = () => `Apache Kafka Connect exited (${jvm.exit().error?.message ?? `code ${jvm.exit().code}, signal ${jvm.exit().signal}`})`

  const deadline = Date.now() + timeoutMs
  let waitingFor = 'the REST server'
  for (;;) {
    if (jvm.exit()) {
      const portTaken = /Address already in use|BindException/.test(readTail(logFile, Infinity))
      throw await abort(`${exitMessage()} during start-up.`, { portTaken })
    }
    if (Date.now() > deadline) throw await abort(`Apache Kafka Connect (distributed) was not healthy within ${timeoutMs} ms (waiting for ${waitingFor}).`)
    try {
      // KIP-1017's health endpoint: 200 once the herder has started (joined the group, read the config topic).
      const health = await restGet(`${restUrl}/health`, 5000)
      if (health.status === 200) break
      waitingFor = `health: HTTP ${health.status} ${health.text.slice(0, 200)}`
    } catch {
      // Not listening yet.
    }
    await delay(200)
  }
  const startupMs = Date.now() - started
  log(`Apache Kafka Connect ${CONNECT_VERSION} (distributed, group ${props['group.id']}) healthy on ${restUrl} in ${(startupMs / 1000).toFixed(1)} s; log in ${logFile}`)

  const connectorUrl = name => `${restUrl}/connectors/${encodeURIComponent(name)}`
  /** Polls the connector's status until `done(status)` gives a truthy value; throws at once when the JVM exited. */
  const pollStatus = async (name, done, what, waitMs) => {
    const until = Date.now() + waitMs
    let last = 'no answer yet'
    for (;;) {
      if (jvm.exit()) throw new Error(`${exitMessage()} while waiting for ${what}\n${describe()}`)
      try {
        const status = await restGet(`${connectorUrl(name)}/status`, 5000)
        last = `HTTP ${status.status} ${status.text.slice(0, 300)}`
        if (status.status === 200 && done(status.body)) return status.body
      } catch (err) {
        if (err.fatal) throw new Error(`${err.message}\n${describe()}`)
        last = String(err)
      }
      if (Date.now() > until) throw new Error(`Timed out after ${waitMs} ms waiting for ${what} (last status: ${last})\n${describe()}`)
      await delay(100)
    }
  }
  /** A REST write, retried while the herder answers 409 (rebalance in progress, or its config is momentarily stale). */
  const write = async (method, url, body, what, waitMs) => {
    const until = Date.now() + waitMs
    for (;;) {
      if (jvm.exit()) throw new Error(`${exitMessage()} before ${what}\n${describe()}`)
      const res = await restRequest(method, url, body)
      if (res.status !== 409) return res
      if (Date.now() > until) throw new Error(`${what}: still HTTP 409 after ${waitMs} ms: ${res.text}\n${describe()}`)
      await delay(200)
    }
  }

  let stopping = null
  return {
    restUrl,
    port,
    logFile,
    jvmLogFile,
    workerFile,
    workerProps: props,
    /** The internal topics this worker uses (it creates those that do not exist yet). */
    topics: { config: props['config.storage.topic'], status: props['status.storage.topic'], offset: props['offset.storage.topic'] },
    pid: child.pid,
    startupMs,
    exited,
    describe,
    async failure () {
      if (jvm.exit()) return `${exitMessage()}\n${describe()}`
      const all = await restGet(`${restUrl}/connectors?expand=status`, 5000)
      for (const [name, info] of Object.entries(all.body ?? {})) {
        try {
          notRunning(name, info.status)
        } catch (err) {
          if (err.fatal) return err.message
          throw err
        }
      }
      return null
    },
    /**
     * POST /connectors with `config` (its `name` names the connector) and waits until the connector and all its tasks
     * are RUNNING; throws with Apache's trace when one FAILED.
     */
    async createConnector (config, { timeoutMs: waitMs = 60000 } = {}) {
      const { name } = config
      if (!name) throw new Error('createConnector: config.name is required')
      const res = await write('POST', `${restUrl}/connectors`, { name, config }, `creating connector ${name}`, waitMs)
      if (res.status !== 201) throw new Error(`POST /connectors (${name}): HTTP ${res.status} ${res.text}\n${describe()}`)
      return await pollStatus(name, status => notRunning(name, status) === null, `connector ${name} to run`, waitMs)
    },
    /**
     * PUT /connectors/<name>/stop (KIP-875): the connector and its tasks stop, their last offsets committed, and the
     * connector stays, STOPPED, in the config topic. Resolves once its status says STOPPED with no tasks.
     */
    async stopConnector (name, { timeoutMs: waitMs = 60000 } = {}) {
      const res = await write('PUT', `${connectorUrl(name)}/stop`, undefined, `stopping connector ${name}`, waitMs)
      if (res.status !== 202 && res.status !== 204) throw new Error(`PUT /connectors/${name}/stop: HTTP ${res.status} ${res.text}\n${describe()}`)
      return await pollStatus(name, status => status?.connector?.state === 'STOPPED' && (status.tasks ?? []).length === 0,
        `connector ${name} to stop`, waitMs)
    },
    /** GET /connectors/<name>/offsets: { offsets: [{ partition, offset }] } (Apache answers only for a STOPPED connector). */
    async connectorOffsets (name) {
      const res = await restGet(`${connectorUrl(name)}/offsets`, 10000)
      if (res.status !== 200) throw new Error(`GET /connectors/${name}/offsets: HTTP ${res.status} ${res.text}`)
      return res.body
    },
    /**
     * DELETE /connectors/<name>/offsets (KIP-875, for a STOPPED connector): a source connector's offsets become
     * tombstones in the offsets topic. Resolves with Apache's answer ({ message }).
     */
    async resetConnectorOffsets (name, { timeoutMs: waitMs = 60000 } = {}) {
      const res = await write('DELETE', `${connectorUrl(name)}/offsets`, undefined, `resetting the offsets of ${name}`, waitMs)
      if (res.status !== 200) throw new Error(`DELETE /connectors/${name}/offsets: HTTP ${res.status} ${res.text}\n${describe()}`)
      return res.body
    },
    /** DELETE /connectors/<name>. */
    async deleteConnector (name, { timeoutMs: waitMs = 60000 } = {}) {
      const res = await write('DELETE', connectorUrl(name), undefined, `deleting connector ${name}`, waitMs)
      if (res.status !== 204) throw new Error(`DELETE /connectors/${name}: HTTP ${res.status} ${res.text}`)
    },
    /**
     * Stops the worker: SIGTERM (the shutdown hook stops its connectors and tasks, commits their offsets and leaves the
     * group), SIGKILL after `timeoutMs`. Resolves with { code, signal }; safe to call twice.
     */
    stop ({ timeoutMs: stopTimeoutMs = 30000 } = {}) {
      stopping ??= (async () => {
        if (!jvm.exit()) {
          child.ref()
          try { child.kill('SIGTERM') } catch {}
          const result = await Promise.race([exited, exitTimeout(stopTimeoutMs)])
          if (!result) {
            log(`Apache Kafka Connect did not stop within ${stopTimeoutMs} ms; killing it`)
            jvm.kill()
            await exited
          }
        }
        jvm.release()
        return jvm.exit()
      })()
      return stopping
    }
  }
}
