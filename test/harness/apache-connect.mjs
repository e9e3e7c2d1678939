// Runs the real Apache Kafka Connect 4.3.1 standalone worker (org.apache.kafka.connect.cli.ConnectStandalone, resolved
// from Maven Central by resolve-connect.mjs) against the test broker, for differential tests, REST replays and
// benchmarks against our worker.
//
//   const connect = await startApacheConnect({ dir, workerProps: { 'key.converter': ..., ... }, connectorProps: [{ name: 'src', ... }] })
//   ... connect.restUrl ... connect.logFile ...
//   await connect.stop()
//
// The JVM is started the way bin/connect-standalone.sh starts it (same heap, GC and JMX flags), logs through log4j2 to
// a file in `dir`, and serves REST on a free loopback port. It cannot outlive this process: a watchdog kills it if
// this process dies without calling stop(), as test/harness/kafka-broker.mjs does for the broker.
import { writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { freePort, readTail, spawnGuardedJvm } from './jvm-process.mjs'
import { findJava } from './resolve-classpath.mjs'
import { CONNECT_VERSION, resolveConnectClasspath } from './resolve-connect.mjs'

export { CONNECT_VERSION }
/** A free loopback port (tests also take it from here). */
export { freePort }

const MAIN_CLASS = 'org.apache.kafka.connect.cli.ConnectStandalone'

// JVM options as Apache's scripts pass them when the corresponding environment variables are unset:
// bin/connect-standalone.sh sets KAFKA_HEAP_OPTS="-Xms256M -Xmx2G" (bin/kafka-run-class.sh alone would use -Xmx256M),
// and kafka-run-class.sh adds KAFKA_JVM_PERFORMANCE_OPTS and KAFKA_JMX_OPTS below (JMX without a port, as there is no
// JMX_PORT by default). GC logging is off: connect-standalone.sh does not pass -loggc.
export const APACHE_HEAP_OPTS = Object.freeze(['-Xms256M', '-Xmx2G'])
export const APACHE_JVM_PERFORMANCE_OPTS = Object.freeze(['-server', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35', '-XX:+ExplicitGCInvokesConcurrent', '-XX:MaxInlineLevel=15', '-Djava.awt.headless=true'])
export const APACHE_JMX_OPTS = Object.freeze(['-Dcom.sun.management.jmxremote', '-Dcom.sun.management.jmxremote.authenticate=false',
  '-Dcom.sun.management.jmxremote.ssl=false'])

function log (message) {
  process.stderr.write(`[apache-connect] ${message}\n`)
}

const delay = ms => new Promise(resolve => setTimeout(resolve, ms))
// For stop()'s deadline, raced against the JVM's exit (the child is ref'd meanwhile): once the JVM ended, a pending
// 30 s timer must not keep the test process alive.
const exitTimeout = ms => new Promise(resolve => setTimeout(resolve, ms).unref())

function escapeProperty (text, isKey) {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    const code = text.charCodeAt(i)
    if (ch === '\\') out += '\\\\'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\f') out += '\\f'
    else if (ch === ' ' && (isKey || i === 0)) out += '\\ '
    // Only a key ends at '=' or ':', and only a key can start a comment: values need no escapes for these.
    else if (isKey && '=:#!'.includes(ch)) out += `\\${ch}`
    // Properties files are ISO-8859-1; \u escapes of UTF-16 code units carry everything else (surrogates included).
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`
    else out += ch
  }
  return out
}

/**
 * A java.util.Properties file holding exactly `props` (every key and value escaped, so any text round-trips through
 * Properties.load, ours included).
 */
export function javaProperties (props, comment) {
  const lines = comment ? [`# ${comment}`] : []
  for (const [key, value] of Object.entries(props)) {
    if (typeof value !== 'string') throw new TypeError(`property ${key} must be a string, not ${typeof value}`)
    lines.push(`${escapeProperty(key, true)}=${escapeProperty(value, false)}`)
  }
  return lines.join('\n') + '\n'
}

/**
 * GET `url` and parse the body as JSON. Resolves { status, body } (body null when it is not JSON); rejects when the
 * server does not answer within `timeoutMs`. No keep-alive: an idle pooled socket would hold the test process open.
 */
export function restGet (url, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent: false, headers: { accept: 'application/json', connection: 'close' }, timeout: timeoutMs }, res => {
      const chunks = []
      res.on('data', chunk => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let body = null
        try { body = JSON.parse(text) } catch {}
        resolve({ status: res.statusCode, body, text })
      })
    })
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end()
  })
}

/** The log4j2 configuration the harnesses give Apache's workers: everything at INFO into `logFile`. */
export function log4jProperties (logFile) {
  return [
    'status = warn',
    'appender.file.type = File',
    'appender.file.name = file',
    `appender.file.fileName = ${escapeProperty(logFile, false)}`,
    'appender.file.layout.type = PatternLayout',
    // Apache's config/connect-log4j2.yaml layout: the MDC value is "[<connector>|task-0] " inside connectors and tasks.
    'appender.file.layout.pattern = [%d] %p %X{connector.context}%m (%c:%L)%n',
    'rootLogger.level = info',
    'rootLogger.appenderRef.file.ref = file',
    ''
  ].join('\n')
}

/** Why the connector is not (yet) running: null when it and all its tasks are RUNNING. Throws when one FAILED. */
export function notRunning (name, status) {
  if (!status || typeof status !== 'object' || !status.connector) return 'no status yet'
  const failed = [status.connector, ...(status.tasks ?? [])].find(s => s.state === 'FAILED')
  if (failed) {
    const what = failed === status.connector ? `connector ${name}` : `task ${name}-${failed.id}`
    const err = new Error(`Apache Kafka Connect: ${what} FAILED:\n${failed.trace ?? '(no trace)'}`)
    err.fatal = true
    throw err
  }
  if (status.connector.state !== 'RUNNING') return `connector ${status.connector.state}`
  const tasks = status.tasks ?? []
  if (tasks.length === 0) return 'no tasks yet'
  const pending = tasks.find(task => task.state !== 'RUNNING')
  return pending ? `task ${pending.id} ${pending.state}` : null
}

/**
 * Starts Apache Kafka Connect's standalone worker and resolves once it is ready: every connector and all its tasks
 * report RUNNING on GET /connectors/<name>/status, or, without connectors, GET / answers.
 *
 * options.dir              directory for the worker file, connector files, offsets and logs, all named apache-*
 *                          (the caller removes it; a second start in the same directory overwrites them)
 * options.workerProps      worker settings; bootstrap.servers (default $KAFKA_BOOTSTRAP_SERVERS) and
 *                          offset.storage.file.filename (default <dir>/apache-connect.offsets) may be overridden;
 *                          listeners is always the harness's free loopback port, and plugin.path stays unset unless
 *                          given (connect-file and the transformations are on the classpath)
 * options.connectorFiles   connector files (.properties or JSON) to pass as they are, or
 * options.connectorProps   connector configurations, written to <dir>/apache-connector-<i>.properties
 * options.timeoutMs        how long to wait for readiness (default 180000)
 * options.heapOpts         replaces APACHE_HEAP_OPTS (as KAFKA_HEAP_OPTS would)
 * options.extraJvmOptions  appended after the classpath, where kafka-run-class.sh puts KAFKA_OPTS
 */
export async function startApacheConnect (options) {
  const { dir, workerProps = {}, connectorFiles, connectorProps } = options
  if (!dir) throw new Error('startApacheConnect: options.dir is required')
  if (connectorFiles && connectorProps) throw new Error('startApacheConnect: pass connectorFiles or connectorProps, not both')
  if ('listeners' in workerProps) throw new Error('startApacheConnect: listeners is chosen by the harness (a free loopback port); see restUrl')
  const bootstrap = workerProps['bootstrap.servers'] ?? process.env.KAFKA_BOOTSTRAP_SERVERS
  if (!bootstrap) {
    throw new Error('KAFKA_BOOTSTRAP_SERVERS is not set. Run the tests with `npm test` (or `npm test -- <path>`), ' +
      'which starts a real Apache Kafka broker and sets it; or pass workerProps[\'bootstrap.servers\'].')
  }
  const classpath = resolveConnectClasspath()
  const java = findJava()

  let files = connectorFiles ?? []
  let expectedNames = null
  if (connectorProps) {
    expectedNames = connectorProps.map((props, i) => {
      if (!props.name) throw new Error(`startApacheConnect: connectorProps[${i}] has no name`)
      return props.name
    })
    files = connectorProps.map((props, i) => {
      const file = join(dir, `apache-connector-${i}.properties`)
      writeFileSync(file, javaProperties(props, 'written by test/harness/apache-connect.mjs'))
      return file
    })
  }

  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce({ options, bootstrap, classpath, java, files, expectedNames })
    } catch (err) {
      if (!err.portTaken || attempt >= 3) throw err
      log(`the REST port was taken before Jetty bound it; retrying with another (attempt ${attempt + 1})`)
    }
  }
}

async function startOnce ({ options, bootstrap, classpath, java, files, expectedNames }) {
  const { dir, workerProps = {} } = options
  const timeoutMs = options.timeoutMs ?? 180000
  const started = Date.now()
  const port = await freePort()
  const restUrl = `http://127.0.0.1:${port}`
  const workerFile = join(dir, 'apache-worker.properties')
  const log4jFile = join(dir, 'apache-log4j2.properties')
  const logFile = join(dir, 'apache-connect.log')
  const jvmLogFile = join(dir, 'apache-connect.out')
  const props = {
    'bootstrap.servers': bootstrap,
    'offset.storage.file.filename': join(dir, 'apache-connect.offsets'),
    ...workerProps,
    listeners: restUrl
  }
  writeFileSync(workerFile, javaProperties(props, 'written by test/harness/apache-connect.mjs'))
  writeFileSync(log4jFile, log4jProperties(logFile))
  // A retry after a port clash starts on fresh logs, so "Address already in use" is only ever this attempt's.
  writeFileSync(logFile, '')

  const jvmArgs = [
    ...(options.heapOpts ?? APACHE_HEAP_OPTS), ...APACHE_JVM_PERFORMANCE_OPTS, ...APACHE_JMX_OPTS,
    `-Dkafka.logs.dir=${dir}`, `-Dlog4j2.configurationFile=${log4jFile}`,
    '-cp', classpath, ...(options.extraJvmOptions ?? []),
    MAIN_CLASS, workerFile, ...files
  ]
  // If this process dies without stop() (even by SIGKILL), the guard's watchdog kills the JVM.
  const jvm = spawnGuardedJvm(java, jvmArgs, { outFile: jvmLogFile, name: 'apache-connect' })
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

  const deadline = Date.now() + timeoutMs
  let waitingFor = 'the REST server'
  for (;;) {
    if (jvm.exit()) {
      const portTaken = /Address already in use|BindException/.test(readTail(logFile, Infinity))
      throw await abort(`Apache Kafka Connect exited during start-up (${jvm.exit().error?.message ?? `code ${jvm.exit().code}, signal ${jvm.exit().signal}`}).`, { portTaken })
    }
    if (Date.now() > deadline) throw await abort(`Apache Kafka Connect was not ready within ${timeoutMs} ms (waiting for ${waitingFor}).`)
    try {
      waitingFor = await readiness(restUrl, files.length, expectedNames)
      if (waitingFor === null) break
    } catch (err) {
      if (err.fatal) throw await abort(err.message)
      // Not listening yet, or Jetty's bare 404 before the resources are registered.
    }
    await delay(100)
  }
  const startupMs = Date.now() - started
  log(`Apache Kafka Connect ${CONNECT_VERSION} ready on ${restUrl} in ${(startupMs / 1000).toFixed(1)} s; log in ${logFile}`)

  let stopping = null
  return {
    restUrl,
    port,
    logFile,
    jvmLogFile,
    workerFile,
    connectorFiles: files,
    offsetsFile: props['offset.storage.file.filename'],
    pid: child.pid,
    startupMs,
    /** Resolves with { code, signal } when the JVM ends, whoever ended it. */
    exited,
    /** The last lines of the worker's log and the JVM's own output, for assertion messages. */
    describe,
    /**
     * Why the worker can no longer do its job, or null: the JVM exited, or a connector or task is FAILED (with
     * Apache's stack trace). For waits that should end at once when the reference itself broke.
     */
    async failure () {
      if (jvm.exit()) return `Apache Kafka Connect exited (code ${jvm.exit().code}, signal ${jvm.exit().signal})\n${describe()}`
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
     * Stops the worker: SIGTERM (Connect's shutdown hook stops connectors and flushes offsets), SIGKILL after
     * `timeoutMs`. Resolves with { code, signal }; safe to call twice.
     */
    stop ({ timeoutMs: stopTimeoutMs = 30000 } = {}) {
      stopping ??= (async () => {
        if (!jvm.exit()) {
          // The child was unref'd so a forgotten worker cannot keep the tests alive; while we wait for it to end,
          // it must keep the event loop alive, or the exit event may never be seen.
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

/** What the worker is still waiting for, or null once it is ready. */
async function readiness (restUrl, connectorCount, expectedNames) {
  const root = await restGet(`${restUrl}/`, 5000)
  if (root.status !== 200 || !root.body?.version) return 'the REST server'
  if (connectorCount === 0) return null
  // Standalone creates the connectors of its files one after the other once REST is up; a file's connector name is
  // only known to the worker, so wait until it lists as many connectors as it was given files.
  const list = await restGet(`${restUrl}/connectors`, 5000)
  if (list.status !== 200 || !Array.isArray(list.body)) return 'the connector list'
  const names = expectedNames ?? list.body
  if (list.body.length < connectorCount || !names.every(n => list.body.includes(n))) {
    return `connectors (${list.body.length} of ${connectorCount} created)`
  }
  for (const name of names) {
    const status = await restGet(`${restUrl}/connectors/${encodeURIComponent(name)}/status`, 5000)
    const why = status.status === 200 ? notRunning(name, status.body) : `status of ${name}: HTTP ${status.status}`
    if (why) return `${name}: ${why}`
  }
  return null
}
