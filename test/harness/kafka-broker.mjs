// Starts one real Apache Kafka broker for the tests: KRaft, a single node that is both broker and controller,
// listening on free 127.0.0.1 ports, with its data and logs in a fresh temporary directory.
//
//   const broker = await startKafkaBroker()
//   ... broker.bootstrapServers ...
//   await broker.stop()
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readTail, spawnGuardedJvm } from './jvm-process.mjs'
import { findJava } from './resolve-classpath.mjs'
import { CACHE_DIR, KAFKA_VERSION, resolveKafkaClasspath } from './resolve-kafka.mjs'

const STARTED_LINE = 'Kafka Server started'

function log (message) {
  process.stderr.write(`[kafka-broker] ${message}\n`)
}

/** Reserves `count` distinct free loopback ports. Holding them all open at once keeps them distinct. */
async function freePorts (count) {
  const servers = []
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer()
      servers.push(server)
      await new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(0, '127.0.0.1', resolve)
      })
    }
    return servers.map(s => s.address().port)
  } finally {
    await Promise.all(servers.map(s => new Promise(resolve => s.close(() => resolve()))))
  }
}

function canConnect (port) {
  return new Promise(resolve => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.setTimeout(1000)
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('timeout', () => { socket.destroy(); resolve(false) })
    socket.once('error', () => resolve(false))
  })
}

/** A Kafka Uuid as the storage tool prints one: 16 random bytes in unpadded base64url, never starting with '-'. */
function randomKafkaUuid () {
  for (;;) {
    const id = randomBytes(16).toString('base64url')
    if (!id.startsWith('-')) return id
  }
}

const delay = ms => new Promise(resolve => setTimeout(resolve, ms))
/** `promise`, or null after `ms`; the timer is cleared as soon as one of them settles, so it never outlives the wait. */
function within (promise, ms) {
  let timer
  return Promise.race([promise, new Promise(resolve => { timer = setTimeout(() => resolve(null), ms) })]).finally(() => clearTimeout(timer))
}

function runJava (java, args) {
  return new Promise(resolve => {
    execFile(java, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ ok: !err, output: `${stdout}${stderr}`.trim(), error: err })
    })
  })
}

/** `extraListeners` ([{ name, protocol }]) with their ports, as server.properties listener lists. */
function listenerLists (port, controllerPort, extraListeners) {
  const extra = extraListeners.map(l => ({ ...l, name: l.name.toUpperCase(), protocol: (l.protocol ?? l.name).toUpperCase() }))
  return {
    listeners: [`PLAINTEXT://127.0.0.1:${port}`, `CONTROLLER://127.0.0.1:${controllerPort}`, ...extra.map(l => `${l.name}://127.0.0.1:${l.port}`)].join(','),
    advertised: [`PLAINTEXT://127.0.0.1:${port}`, ...extra.map(l => `${l.name}://127.0.0.1:${l.port}`)].join(','),
    protocolMap: ['PLAINTEXT:PLAINTEXT', 'CONTROLLER:PLAINTEXT', ...extra.map(l => `${l.name}:${l.protocol}`)].join(',')
  }
}

function serverProperties ({ port, controllerPort, dataDir, overrides, extraListeners = [] }) {
  const lists = listenerLists(port, controllerPort, extraListeners)
  const props = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    // A static quorum: `StorageTool format` then needs no --standalone and records no controller endpoint, and the
    // broker does not have to bootstrap a dynamic voter set first.
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    'controller.listener.names': 'CONTROLLER',
    listeners: lists.listeners,
    'advertised.listeners': lists.advertised,
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': lists.protocolMap,
    'log.dirs': dataDir,
    'num.partitions': '1',
    'default.replication.factor': '1',
    'auto.create.topics.enable': 'true',
    // Internal topics default to replication factor 3, which one node can never satisfy.
    'offsets.topic.replication.factor': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    // Fewer internal partitions: creating __consumer_offsets with the default 50 delays the first group join.
    'offsets.topic.num.partitions': '5',
    'transaction.state.log.num.partitions': '5',
    'share.coordinator.state.topic.num.partitions': '5',
    // Consumer groups in the tests should not wait 3 s for more members that never come.
    'group.initial.rebalance.delay.ms': '0',
    ...overrides
  }
  return Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n'
}

function log4jProperties (logFile) {
  return [
    'status = warn',
    'appender.file.type = File',
    'appender.file.name = file',
    `appender.file.fileName = ${logFile}`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = info',
    'rootLogger.appenderRef.file.ref = file',
    // Per-request logging would dominate the file without helping anyone read a failure.
    'logger.request.name = kafka.request.logger',
    'logger.request.level = warn',
    ''
  ].join('\n')
}

/**
 * Class-data sharing: an archive of the broker's loaded classes, dumped once when a broker stops, halves JVM start-up
 * (about 2.2 s to 1 s on 2 cores). It is tied to this JVM and classpath, hence the hash in its name.
 */
function cdsArchivePath (java, classpath) {
  const real = realpathSync(java)
  const hash = createHash('sha256').update(`${real}\n${statSync(real).mtimeMs}\n${classpath}`).digest('hex').slice(0, 16)
  return join(CACHE_DIR, `broker-${KAFKA_VERSION}-${hash}.jsa`)
}

function discard (file) {
  try { unlinkSync(file) } catch {}
}

/**
 * Starts a broker and resolves once it serves clients on `bootstrapServers`.
 *
 * options.timeoutMs          how long to wait for the broker (default 60000)
 * options.serverProperties   extra or overriding server.properties entries, e.g. { 'log.retention.ms': '1000' }
 * options.heap               -Xmx (default '512m')
 * options.keepLogs           keep the temporary directory on stop (also KAFKA_KEEP_LOGS=1)
 * options.cds                use and create the class-data sharing archive (default: on, except KAFKA_CDS=0; not
 *                            created when CI is set, where nothing would reuse it)
 * options.extraListeners     client listeners besides PLAINTEXT, each on its own free port, e.g.
 *                            [{ name: 'SASL_PLAINTEXT' }, { name: 'MTLS', protocol: 'SSL' }] (protocol defaults to the
 *                            name). Their settings (listener.name.<name lowercased>.*) go in serverProperties. The
 *                            result's `listeners` maps each name (upper case, PLAINTEXT included) to '127.0.0.1:port'.
 * options.scramCredentials   SCRAM users the storage tool creates at format time (KRaft keeps them in the metadata log),
 *                            e.g. [{ mechanism: 'SCRAM-SHA-256', name: 'alice', password: 'alice-secret' }]
 */
export async function startKafkaBroker (options = {}) {
  const classpath = resolveKafkaClasspath()
  const java = findJava()
  const cdsEnabled = options.cds ?? process.env.KAFKA_CDS !== '0'
  const archive = cdsEnabled ? cdsArchivePath(java, classpath) : null
  const mayDump = cdsEnabled && !process.env.CI

  // A port reserved by freePorts can be taken by someone else before Kafka binds it; then try fresh ports.
  for (let attempt = 1; ; attempt++) {
    const useArchive = archive !== null && existsSync(archive)
    try {
      return await startOnce({ options, classpath, java, archive: useArchive ? archive : null, dumpTo: !useArchive && mayDump ? archive : null })
    } catch (err) {
      if (err.retry === 'cds' && useArchive) {
        log(`the JVM failed with the class-data sharing archive; discarding ${archive} and retrying without it`)
        discard(archive)
      } else if (err.retry !== 'port' || attempt >= 3) {
        throw err
      }
    }
  }
}

async function startOnce ({ options, classpath, java, archive, dumpTo }) {
  const timeoutMs = options.timeoutMs ?? 60000
  const started = Date.now()
  const dir = mkdtempSync(join(tmpdir(), 'kafka-broker-'))
  const logDir = join(dir, 'logs')
  const dataDir = join(dir, 'data')
  mkdirSync(logDir)
  const serverLog = join(logDir, 'server.log')
  const jvmLog = join(logDir, 'jvm.log')
  const propsFile = join(dir, 'server.properties')
  const log4jFile = join(dir, 'log4j2.properties')
  const [port, controllerPort, ...extraPorts] = await freePorts(2 + (options.extraListeners?.length ?? 0))
  const extraListeners = (options.extraListeners ?? []).map((l, i) => ({ ...l, port: extraPorts[i] }))
  writeFileSync(propsFile, serverProperties({ port, controllerPort, dataDir, overrides: options.serverProperties ?? {}, extraListeners }))
  writeFileSync(log4jFile, log4jProperties(serverLog))

  const jvmOptions = [
    '-Xms128m', `-Xmx${options.heap ?? '512m'}`, '-XX:+UseSerialGC',
    // C1 only: the broker is up about a second sooner, and the tests never load it enough to miss C2.
    '-XX:TieredStopAtLevel=1',
    '-XX:-UsePerfData', '-Djava.awt.headless=true', `-XX:ErrorFile=${join(logDir, 'hs_err_pid%p.log')}`,
    ...(archive ? [`-XX:SharedArchiveFile=${archive}`] : []),
    `-Dlog4j2.configurationFile=${log4jFile}`
  ]
  const dumpTmp = dumpTo ? `${dumpTo}.${process.pid}.tmp` : null
  const fail = (message, retry) => {
    // A JVM that exits by itself during start-up still dumps its (small, useless) archive.
    if (dumpTmp) discard(dumpTmp)
    if (!options.keepLogs && !process.env.KAFKA_KEEP_LOGS) rmSync(dir, { recursive: true, force: true })
    const err = new Error(message)
    err.retry = retry
    return err
  }

  // Kafka 4 refuses to start on unformatted storage: the storage tool writes meta.properties (cluster and directory
  // ids) and bootstrap.checkpoint (the metadata version) into log.dirs.
  const scramArgs = (options.scramCredentials ?? []).flatMap(c => ['--add-scram', `${c.mechanism}=[name=${c.name},password=${c.password}]`])
  const format = await runJava(java, [...jvmOptions, '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', randomKafkaUuid(), '-c', propsFile, ...scramArgs])
  if (!format.ok) {
    throw fail(`Kafka's StorageTool format failed:\n${format.output || format.error.message}`,
      archive && /A fatal error has been detected|Unable to use shared archive/.test(format.output) ? 'cds' : undefined)
  }

  const formatMs = Date.now() - started
  // If this process dies without stop() (even by SIGKILL), the guard's watchdog kills the broker and removes its dir.
  let jvm = spawnGuardedJvm(java, [...jvmOptions, ...(dumpTmp ? [`-XX:ArchiveClassesAtExit=${dumpTmp}`] : []),
    '-cp', classpath, 'kafka.Kafka', propsFile], { outFile: jvmLog, cleanupDir: dir, name: 'kafka-broker' })
  const { child, exited } = jvm

  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (jvm.exit()) {
      jvm.release()
      const jvmOut = readTail(jvmLog, 20)
      const tail = readTail(serverLog)
      const retry = /Address already in use/.test(readTail(serverLog, Infinity)) ? 'port' : archive && /A fatal error has been detected|shared archive/.test(jvmOut) ? 'cds' : undefined
      throw fail(`Kafka broker exited during start-up (${jvm.exit().error?.message ?? `code ${jvm.exit().code}, signal ${jvm.exit().signal}`}).\n` +
        `--- JVM output ---\n${jvmOut}\n--- tail of server.log ---\n${tail}`, retry)
    }
    if (Date.now() > deadline) {
      jvm.kill()
      jvm.release()
      await within(exited, 5000)
      throw fail(`Kafka broker did not start within ${timeoutMs} ms.\n--- JVM output ---\n${readTail(jvmLog, 20)}\n--- tail of server.log ---\n${readTail(serverLog)}`)
    }
    let text = ''
    try { text = readFileSync(serverLog, 'utf8') } catch {}
    if (text.includes(STARTED_LINE) && await canConnect(port)) break
    await delay(50)
  }
  // A JVM that ignored the archive (another JDK build, say) would never recreate it: drop it so the next stop does.
  if (archive && /Unable to use shared archive/.test(readTail(jvmLog, 50))) discard(archive)

  const bootstrapServers = `127.0.0.1:${port}`
  const startupMs = Date.now() - started
  log(`Apache Kafka ${KAFKA_VERSION} up on ${bootstrapServers} in ${(startupMs / 1000).toFixed(1)} s (format ${(formatMs / 1000).toFixed(1)} s` +
    `${archive ? ', class-data sharing' : ''}); logs in ${logDir}`)

  /** Stops the running JVM: SIGTERM (an orderly shutdown, as an operator's restart), SIGKILL after `timeoutMs`. */
  const stopJvm = async (timeoutMs) => {
    if (!jvm.exit()) {
      // Waiting for the exit event needs the (unref'd) child to keep the event loop alive meanwhile.
      jvm.child.ref()
      try { jvm.child.kill('SIGTERM') } catch {}
      const result = await within(jvm.exited, timeoutMs)
      if (!result) {
        log(`broker did not stop within ${timeoutMs} ms; killing it`)
        jvm.kill()
        await jvm.exited
      }
    }
    jvm.release()
  }

  let stopping = null
  return {
    bootstrapServers,
    listeners: Object.fromEntries([['PLAINTEXT', bootstrapServers], ...extraListeners.map(l => [l.name.toUpperCase(), `127.0.0.1:${l.port}`])]),
    logDir,
    port,
    controllerPort,
    pid: child.pid,
    startupMs,
    /** Resolves with { code, signal } when the broker process ends, whoever ended it. */
    exited,
    /**
     * Stops the broker in order (SIGTERM) and starts it again on the same ports and data (its groups, offsets and topics
     * come back from its logs), as an operator's restart does; `whileDown` runs while it is stopped. Resolves once it
     * serves clients again. `pid` and `exited` keep describing the first process.
     */
    async restart ({ whileDown, timeoutMs: restartTimeoutMs = timeoutMs } = {}) {
      if (stopping) throw new Error('the broker was stopped')
      await stopJvm(30000)
      // The class-data archive is only written by the first JVM's exit; an archive from a restart is not wanted.
      if (dumpTmp) discard(dumpTmp)
      if (whileDown) await whileDown()
      const from = existsSync(serverLog) ? statSync(serverLog).size : 0
      jvm = spawnGuardedJvm(java, [...jvmOptions, '-cp', classpath, 'kafka.Kafka', propsFile], { outFile: jvmLog, cleanupDir: dir, name: 'kafka-broker' })
      const restartDeadline = Date.now() + restartTimeoutMs
      for (;;) {
        if (jvm.exit()) throw new Error(`Kafka broker exited during its restart.\n--- tail of server.log ---\n${readTail(serverLog)}`)
        if (Date.now() > restartDeadline) throw new Error(`Kafka broker did not restart within ${restartTimeoutMs} ms.\n--- tail of server.log ---\n${readTail(serverLog)}`)
        let text = ''
        try { text = readFileSync(serverLog).subarray(from).toString('utf8') } catch {}
        if (text.includes(STARTED_LINE) && await canConnect(port)) break
        await delay(50)
      }
    },
    /** Stops the broker (SIGTERM, SIGKILL after `timeoutMs`) and removes its directory. Safe to call twice. */
    stop ({ timeoutMs: stopTimeoutMs = 30000 } = {}) {
      stopping ??= (async () => {
        await stopJvm(stopTimeoutMs)
        // The JVM writes the archive while exiting; only an orderly exit (SIGTERM makes Java exit with code 143) leaves
        // a complete one, and a truncated archive crashes the next JVM, so it is renamed into place only then.
        if (dumpTmp) {
          if (jvm.exit().signal === null && existsSync(dumpTmp) && statSync(dumpTmp).size > 0) renameSync(dumpTmp, dumpTo)
          else discard(dumpTmp)
        }
        if (options.keepLogs || process.env.KAFKA_KEEP_LOGS) log(`kept the broker's files in ${dir}`)
        else rmSync(dir, { recursive: true, force: true })
      })()
      return stopping
    }
  }
}
