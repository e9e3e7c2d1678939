/**
 * `connect-standalone [options] worker.properties [connector-file ...]`: the composition root. It loads the worker
 * config, the plugins and the offsets file, connects to Kafka (or starts the embedded broker), starts each connector
 * file's connector, then runs until SIGINT/SIGTERM.
 */
import { Command, CommanderError, Option } from 'commander'
import chalk from 'chalk'
import { networkInterfaces } from 'node:os'
import { resolve } from 'node:path'
import { ConfigDef, ConfigError, ConfigFileError, ConnectError, OffsetStoreError, type ParsedConfig } from '../api/index.ts'
import { withLines } from './config-error-lines.ts'
import { ensureValidConnectorConfig } from '../config/connector-config.ts'
import { loadConnectorFile, type ConnectorFileConfig } from '../config/connector-file.ts'
import { loadPropertiesFile, toRecord } from '../java/properties.ts'
import {
  BOOTSTRAP_SERVERS_CONFIG, CONNECTOR_CONFIGS_FILE_CONFIG, CONNECTOR_CONFIGS_PERSIST_CONFIG, HEADER_CONVERTER_CLASS_CONFIG, KEY_CONVERTER_CLASS_CONFIG, LISTENERS_CONFIG,
  OFFSET_COMMIT_INTERVAL_MS_CONFIG, OFFSET_COMMIT_TIMEOUT_MS_CONFIG, OFFSET_STORAGE_FILE_FILENAME_CONFIG,
  TASK_PLACEMENT_CONFIG,
  OFFSET_STORAGE_PARTITIONS_CONFIG, OFFSET_STORAGE_REPLICATION_FACTOR_CONFIG, OFFSET_STORAGE_TOPIC_CONFIG,
  PLUGIN_PATH_CONFIG, REST_ADVERTISED_HOST_NAME_CONFIG, REST_ADVERTISED_LISTENER_CONFIG, REST_ADVERTISED_PORT_CONFIG,
  TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS_CONFIG, TOPIC_TRACKING_ALLOW_RESET_CONFIG, TOPIC_TRACKING_ENABLE_CONFIG,
  VALUE_CONVERTER_CLASS_CONFIG, WORKER_CONFIG_DEF, WORKER_KNOWN_PREFIXES, metricsSettings, offsetStorageTopicSettings, parseListener, restSecurityFromWorkerConfig
} from '../config/worker-config.ts'
import { RdKafkaGroupOffsets } from '../kafka/consumer-group-offsets.ts'
import { createConnectRestApi } from '../rest/connect-rest-api.ts'
import type { BoundListener } from '../rest/rest-server.ts'
import { ConnectorConfigStore, type StoredConnector } from '../storage/connector-config-store.ts'
import { translateWorkerClientConfig, type TranslatedClientConfig } from '../kafka/client-config.ts'
import { checkKafkaCluster } from '../kafka/cluster-probe.ts'
import { ConnectorConfigResolver, hasVariables as hasConfigVariables, hideResolvedValues, resolveWorkerConfig } from '../config/config-transformer.ts'
import { startEmbeddedBroker, type EmbeddedBroker } from '../kafka/embedded-broker.ts'
import { builtinRegistry } from '../plugins/builtin.ts'
import { loadPluginPath } from '../plugins/loader.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import type { WorkerConverterSettings } from '../runtime/connector-converters.ts'
import { runDryRun } from '../runtime/dry-run.ts'
import { ConnectMetrics } from '../runtime/metrics/connect-metrics.ts'
import { PrometheusExposition } from '../runtime/metrics/prometheus-exposition.ts'
import { StandaloneHerder } from '../runtime/standalone-herder.ts'
import { Worker, type WorkerSettings } from '../runtime/worker.ts'
import type { TaskPlacement } from '../runtime/task-process-protocol.ts'
import { FileOffsetBackingStore } from '../storage/file-offset-backing-store.ts'
import { KafkaOffsetBackingStore } from '../storage/kafka-offset-backing-store.ts'
import { KafkaBasedLog } from '../kafka/kafka-based-log.ts'
import { FileLock } from '../storage/file-lock.ts'
import { createLogger, logFormat, logProcessWarnings, setLogFormat, writeLogLine, type LogFormat, type LogLevel } from '../util/logger.ts'
import { LOG_FORMAT_ENV, logFormatArg, logFormatFromEnv } from './log-format-option.ts'
import { versionText } from '../util/version.ts'
import { pendingNativeWork } from '../util/abandoned-work.ts'
import { ExitCode } from './exit-codes.ts'
import { ConnectorFileWatcher, collectWatchDir, connectorFilesIn, normalizeWatchArgs } from './connector-file-watcher.ts'
import { hardExit } from './process-exit.ts'
import { runPipelineTestCommand, wantsPipelineTests } from './pipeline-test.ts'
import { startTerminalStatusView } from './status-view.ts'

const log = createLogger('ConnectStandalone')
/** The shutdown's bound beyond the tasks' graceful timeout and the offsets flush timeout. */
const SHUTDOWN_MARGIN_MS = 5000
const USAGE = 'connect-standalone [options] worker.properties [connector1.properties connector2.json ...]'

/** An error that already knows its exit code. */
class StageError extends Error {
  readonly exitCode: number
  constructor (exitCode: number, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause })
    this.exitCode = exitCode
  }
}

async function stage<T> (exitCode: number, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    throw err instanceof StageError ? err : new StageError(exitCode, err)
  }
}

interface CliOptions { embeddedBroker?: boolean, dryRun?: boolean, skipStoredConnectors?: boolean, logFormat?: LogFormat, watch?: string[], quiet?: boolean }

/** The variable scripts set instead of --log-format (the flag wins). */

export async function main (argv: readonly string[]): Promise<number> {
  const program = new Command('connect-standalone')
    .usage('[options] worker.properties [connector1.properties connector2.json ...]')
    .description('Apache Kafka Connect\'s standalone worker, in Node.js.')
    .argument('<worker.properties>', 'worker configuration (Java .properties)')
    .argument('[connector-files...]', 'connector configurations (.properties, JSON or YAML)')
    .option('--embedded-broker', 'start the embedded in-memory Kafka broker (development only; data is not kept)')
    .option('--dry-run', 'no broker: read records as JSON lines on stdin, print what the connector\'s pipeline makes of them')
    .option('--test <file>', 'no broker: run the cases of a pipeline test file (YAML or JSON; it names the worker and connector files); exit 0 when all pass')
    .option('--skip-stored-connectors', 'start only the connectors of the given files; those kept from REST stay in their file, not started')
    .addOption(new Option('--log-format <format>', `log lines on stderr: text (Apache's layout, the default) or json (one object per line); or set ${LOG_FORMAT_ENV}`)
      .argParser(logFormatArg))
    .option('--quiet', 'no live status view under the log on a terminal')
    .option('--watch [dir]', 'apply changes of the connector files (and of the connector files in dir) while running', collectWatchDir)
    .version(versionText(), '-v, --version')
    .helpOption('-h, --help', 'show this help')
    .showHelpAfterError(`Usage: ${USAGE}`)
    .exitOverride()
    .configureOutput({ writeErr: s => process.stderr.write(s), writeOut: s => process.stdout.write(s) })
  // The test file names its worker file, so --test runs before the worker file argument is required.
  if (wantsPipelineTests(argv) && !argv.includes('-h') && !argv.includes('--help')) return await runPipelineTestCommand(argv)
  try {
    program.parse(await normalizeWatchArgs(argv))
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.version') return ExitCode.OK
      // Apache exits 1 for --help and for a missing worker file argument alike.
      return ExitCode.USAGE
    }
    throw err
  }
  const [workerFile, connectorFiles] = program.processedArgs as [string, string[]]
  const opts = program.opts<CliOptions>()
  const format = opts.logFormat ?? logFormatFromEnv(USAGE)
  if (format === null) return ExitCode.USAGE
  setLogFormat(format)
  if (format === 'json') logProcessWarnings()
  // Until the worker runs and installs its own handler, a signal ends start-up at once: a file being read, plugins
  // being loaded or Kafka being tried have nothing to stop gracefully. process.exit's 'exit' handlers release the
  // state file locks.
  const onEarlySignal = (signal: NodeJS.Signals): void => {
    cliLine('INFO', `Received ${signal} during start-up, exiting`)
    hardExit(signal === 'SIGINT' ? ExitCode.SIGINT : ExitCode.SIGTERM)
  }
  process.on('SIGINT', onEarlySignal)
  process.on('SIGTERM', onEarlySignal)
  try {
    return opts.dryRun ? await dryRun(workerFile, connectorFiles) : await run(workerFile, connectorFiles, opts, () => {
      process.off('SIGINT', onEarlySignal)
      process.off('SIGTERM', onEarlySignal)
    })
  } catch (err) {
    const code = err instanceof StageError ? err.exitCode : ExitCode.WORKER_STARTUP
    const cause = err instanceof StageError ? err.cause : err
    printFatal(cause, code)
    return code
  } finally {
    process.off('SIGINT', onEarlySignal)
    process.off('SIGTERM', onEarlySignal)
  }
}

function printFatal (err: unknown, code: number): void {
  // Exit code 3 also covers the offsets and connector configs files, which are no connector's error.
  const headline = code === ExitCode.CONNECT_START && !(err instanceof OffsetStoreError) ? 'Stopping after connector error' : 'Stopping due to error'
  if (logFormat() === 'json') {
    // What the text shows: the message, the stack only with CONNECT_DEBUG, never the causes (a cause may be the error
    // before its resolved ${provider:...} values were hidden).
    const stacks = !ConnectError.is(err) && err instanceof Error && process.env.CONNECT_DEBUG !== undefined && process.env.CONNECT_DEBUG !== ''
    writeLogLine('ERROR', 'ConnectStandalone', `${headline}: ${err instanceof Error ? err.message : String(err)}`, err, { headline: true, stacks })
    return
  }
  process.stderr.write(`${chalk.red.bold('ERROR')} ${headline}: ${err instanceof Error ? err.message : String(err)}\n`)
  if (!ConnectError.is(err) && err instanceof Error && process.env.CONNECT_DEBUG) process.stderr.write(`${err.stack ?? ''}\n`)
}

/** A line of the CLI's own that shows whatever the log levels, in the log format in force. */
function cliLine (level: LogLevel, text: string): void {
  if (logFormat() === 'json') writeLogLine(level, 'ConnectStandalone', text)
  else process.stderr.write(`${text}\n`)
}

async function run (workerFile: string, connectorFiles: string[], opts: CliOptions, startupOver: () => void): Promise<number> {
  const started = Date.now()
  // ---- Stage 2: the worker, plugins and Kafka -------------------------------------------------------------------
  const worker = await loadWorker(workerFile)
  // Locked before the REST server binds or Kafka is tried, so a second runner is refused at once and for this reason
  // (not, say, for a port the first runner holds). Exit code 3, as for an offsets file that cannot be read: the worker
  // config is valid, it is the offsets file (or the connector configs file beside it) that cannot be used.
  const locks = await stage(ExitCode.CONNECT_START, async () => await lockStateFiles(worker.config))
  try {
    return await runLocked(workerFile, worker, connectorFiles, opts, started, startupOver)
  } finally {
    // Every way out of a run, after the stores stopped writing. Exits that skip this (a second signal, an uncaught
    // error) are covered by each lock's 'exit' handler, a SIGKILL by the next start's stale-lock takeover.
    for (const lock of locks.reverse()) await lock.release()
  }
}

/**
 * The offsets file and the connector configs file belong to one runner at a time: a second one on the same files
 * would run every connector again and deliver everything twice.
 */
async function lockStateFiles (config: ParsedConfig): Promise<FileLock[]> {
  // Created on first use: a logger exists in GET /admin/loggers from its creation, and Apache lists none for this.
  let created: ReturnType<typeof createLogger> | null = null
  const lockLogger = (): ReturnType<typeof createLogger> => (created ??= createLogger('FileLock'))
  const logger = { warn: (msg: string) => lockLogger().warn(msg), error: (msg: string) => lockLogger().error(msg) }
  const locks: FileLock[] = []
  try {
    const offsetsFile = offsetsTopic(config) === null ? config.string(OFFSET_STORAGE_FILE_FILENAME_CONFIG) ?? '' : ''
    if (offsetsFile !== '') {
      locks.push(await FileLock.acquire(offsetsFile, { what: 'source offsets file', setting: OFFSET_STORAGE_FILE_FILENAME_CONFIG, logger }))
    }
    const configsFile = config.boolean(CONNECTOR_CONFIGS_PERSIST_CONFIG) ? connectorConfigsFile(config) : ''
    if (configsFile !== '' && resolve(configsFile) !== resolve(offsetsFile)) {
      locks.push(await FileLock.acquire(configsFile, { what: 'connector configs file', setting: CONNECTOR_CONFIGS_FILE_CONFIG, logger }))
    }
  } catch (err) {
    for (const lock of locks) await lock.release()
    throw err
  }
  return locks
}

/** offset.storage.topic when set (source offsets in Kafka), else null (the offsets file). */
function offsetsTopic (config: ParsedConfig): string | null {
  const topic = config.string(OFFSET_STORAGE_TOPIC_CONFIG)?.trim() ?? ''
  return topic === '' ? null : topic
}

function connectorConfigsFile (config: ParsedConfig): string {
  return config.string(CONNECTOR_CONFIGS_FILE_CONFIG) ?? `${config.string(OFFSET_STORAGE_FILE_FILENAME_CONFIG) ?? 'connect.offsets'}.connectors.json`
}

async function runLocked (workerFile: string, worker: LoadedWorker, connectorFiles: string[], opts: CliOptions, started: number, startupOver: () => void): Promise<number> {
  const { config, registry, producerCfg, consumerCfg, shownValue, rawValues } = worker
  // Connector configurations keep their ${provider:...} variables; the herder resolves them with this resolver when
  // it starts a connector or a task (the worker's own providers, created once, closed at shutdown).
  const connectorConfigs = await stage(ExitCode.WORKER_STARTUP, async () => await ConnectorConfigResolver.create(rawValues, registry))

  // ---- The REST server binds first: its bound port is part of the worker id ----------------------------------
  const listeners = config.list(LISTENERS_CONFIG).map(parseListener)
  const security = await stage(ExitCode.WORKER_STARTUP, async () => await restSecurityFromWorkerConfig(config, listeners, process.env, createLogger('RestServer')))
  // The worker's metrics exist before the worker: GET /metrics is served from the first request on.
  const metricsConfig = metricsSettings(config)
  const metrics = new ConnectMetrics(metricsConfig)
  if (metricsConfig.ignoredReporters.length > 0) log.warn(`metric.reporters is not supported; not loaded: ${metricsConfig.ignoredReporters.join(', ')} (GET /metrics serves the worker's metrics)`)
  const rest = createConnectRestApi({ listeners, security, metrics: metricsConfig.enabled ? new PrometheusExposition(metrics) : null })
  const bound = await stage(ExitCode.WORKER_STARTUP, async () => await rest.server.start())
  const stopRest = async (): Promise<void> => { await rest.server.stop(5000) }

  let embedded: EmbeddedBroker | null = null
  const configuredBootstrap = config.list(BOOTSTRAP_SERVERS_CONFIG)
  let bootstrap = configuredBootstrap.join(',')
  try {
    if (opts.embeddedBroker || configuredBootstrap.length === 0) {
      embedded = await stage(ExitCode.WORKER_STARTUP, async () => await startEmbeddedBroker(log))
      bootstrap = embedded.bootstrapServers
      log.warn(chalk.yellow(`Embedded broker started at ${bootstrap}. It keeps data IN MEMORY ONLY, about 5 MB per partition, ` +
        'and loses it when this process exits: for development only. Set bootstrap.servers to use a real Kafka cluster.'))
      // KIP-848 groups join the mock in ~0.1 s (classic ones wait ~3 s).
      consumerCfg.global['group.protocol'] ??= 'consumer'
    }
    await stage(ExitCode.WORKER_STARTUP, async () => { await checkKafka(bootstrap, producerCfg, consumerCfg, workerFile, embedded ? bootstrap : shownValue(BOOTSTRAP_SERVERS_CONFIG, bootstrap), embedded === null) })
  } catch (err) {
    await stopRest().catch(() => {})
    await embedded?.stop().catch(() => {})
    throw err
  }

  // ---- Stage 3: the worker runs, then the connector files ---------------------------------------------------------
  const topic = offsetsTopic(config)
  if (topic !== null && (config.string(OFFSET_STORAGE_FILE_FILENAME_CONFIG) ?? '') !== '') {
    log.info(`${OFFSET_STORAGE_FILE_FILENAME_CONFIG} is not used: source offsets are kept in topic '${topic}' (${OFFSET_STORAGE_TOPIC_CONFIG})`)
  }
  // offset.storage.topic replaces the offsets file (Apache distributed's KafkaOffsetBackingStore); the file is the default.
  const offsetStore = topic === null
    ? new FileOffsetBackingStore(config.string(OFFSET_STORAGE_FILE_FILENAME_CONFIG) ?? '', { logger: createLogger('FileOffsetBackingStore') })
    : new KafkaOffsetBackingStore(new KafkaBasedLog({
      topic,
      partitions: config.int(OFFSET_STORAGE_PARTITIONS_CONFIG),
      replicationFactor: config.int(OFFSET_STORAGE_REPLICATION_FACTOR_CONFIG),
      topicConfig: offsetStorageTopicSettings(config.originals()),
      setting: OFFSET_STORAGE_TOPIC_CONFIG,
      purpose: 'source connector offsets',
      producer: { ...producerCfg.global, 'bootstrap.servers': bootstrap },
      consumer: { ...consumerCfg.global, 'bootstrap.servers': bootstrap },
      createTopic: embedded === null,
      logger: createLogger('KafkaBasedLog'),
      clientId: `connect-offsets-${process.pid}`
    }))
  const configStore = config.boolean(CONNECTOR_CONFIGS_PERSIST_CONFIG)
    ? new ConnectorConfigStore(connectorConfigsFile(config))
    : null
  let stored: Map<string, StoredConnector> = new Map()
  try {
    await stage(ExitCode.CONNECT_START, async () => { await offsetStore.start() })
    if (configStore) stored = await stage(ExitCode.CONNECT_START, async () => await configStore.load())
  } catch (err) {
    await stopRest().catch(() => {})
    await embedded?.stop().catch(() => {})
    throw err
  }
  const settings: WorkerSettings = {
    workerId: workerId(config, bound),
    metrics,
    bootstrapServers: bootstrap,
    embeddedBroker: embedded !== null,
    ...workerConverters(config),
    producer: { global: { ...producerCfg.global, 'bootstrap.servers': bootstrap }, topic: producerCfg.topic },
    consumer: { global: { ...consumerCfg.global, 'bootstrap.servers': bootstrap }, topic: consumerCfg.topic },
    offsetFlushIntervalMs: config.long(OFFSET_COMMIT_INTERVAL_MS_CONFIG),
    offsetFlushTimeoutMs: config.long(OFFSET_COMMIT_TIMEOUT_MS_CONFIG),
    taskShutdownGracefulTimeoutMs: config.long(TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS_CONFIG),
    taskPlacement: (config.string(TASK_PLACEMENT_CONFIG) ?? 'main') as TaskPlacement,
    pluginPath: worker.pluginPath,
    topicTrackingEnable: config.boolean(TOPIC_TRACKING_ENABLE_CONFIG),
    topicTrackingAllowReset: config.boolean(TOPIC_TRACKING_ALLOW_RESET_CONFIG),
    configResolver: connectorConfigs,
    ...(embedded ? { ensureTopics: embedded.ensureTopics } : {})
  }
  const connectWorker = new Worker(settings, registry, offsetStore)
  const herder = new StandaloneHerder(connectWorker, {
    sinkOffsets: new RdKafkaGroupOffsets({ ...consumerCfg.global, 'bootstrap.servers': bootstrap }),
    ...(configStore ? { configStore } : {})
  })
  rest.herderRef.attach(herder)
  // What the shutdown is doing, for the message when it runs out of time.
  let shutdownStep = 'not started'
  let watcher: ConnectorFileWatcher | null = null
  const unboundedShutdown = async (): Promise<void> => {
    watcher?.close()
    // New requests stop first; those in progress get a few seconds, then the herder stops every connector.
    shutdownStep = 'stopping the REST server'
    await stopRest().catch(() => {})
    shutdownStep = 'stopping the connectors and their tasks'
    await herder.stop()
    shutdownStep = topic === null ? 'writing the source offsets file' : `closing the source offsets topic ${topic}`
    await offsetStore.stop()
    shutdownStep = 'closing the config providers'
    await connectorConfigs.close()
    shutdownStep = 'stopping the embedded broker'
    await embedded?.stop()
    shutdownStep = 'done'
  }
  // Every stop is bounded: the tasks get task.shutdown.graceful.timeout.ms, their last offsets offset.flush.timeout.ms,
  // and a few seconds more for the rest. Past that the worker exits anyway and says what it left behind (a Kafka
  // client whose close waits for a broker that is away, say).
  const shutdownBoundMs = settings.taskShutdownGracefulTimeoutMs + settings.offsetFlushTimeoutMs + SHUTDOWN_MARGIN_MS
  const shutdown = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined
    const expired = new Promise<'expired'>(resolve => { timer = setTimeout(() => { resolve('expired') }, shutdownBoundMs) })
    const outcome = await Promise.race([unboundedShutdown(), expired]).finally(() => { clearTimeout(timer) })
    if (outcome === 'expired') {
      const native = pendingNativeWork()
      log.error(`Shutdown did not finish within ${shutdownBoundMs} ms (${TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS_CONFIG} ` +
        `${settings.taskShutdownGracefulTimeoutMs} + ${OFFSET_COMMIT_TIMEOUT_MS_CONFIG} ${settings.offsetFlushTimeoutMs} + ${SHUTDOWN_MARGIN_MS} ms): ` +
        `abandoned while ${shutdownStep}${native.length > 0 ? `; still running: ${native.join('; ')}` : ''}`)
    } else if (pendingNativeWork().length > 0) {
      // Their close goes on in librdkafka; the process exits without waiting for it (see process-exit.ts).
      log.warn(`Abandoned Kafka clients whose close did not finish in time: ${pendingNativeWork().join('; ')}`)
    }
  }

  let stopSignal: NodeJS.Signals | null = null
  let resolveStop: (code: number) => void = () => {}
  const stopped = new Promise<number>(resolve => { resolveStop = resolve })
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopSignal !== null) {
      // A second signal means "now": skip the graceful path.
      cliLine('INFO', `Received ${signal} again, exiting immediately`)
      hardExit(signal === 'SIGINT' ? ExitCode.SIGINT : ExitCode.SIGTERM)
    }
    stopSignal = signal
    log.info(`Kafka Connect stopping (${signal})`)
    shutdown().then(() => {
      log.info('Kafka Connect stopped')
      resolveStop(signal === 'SIGINT' ? ExitCode.SIGINT : ExitCode.SIGTERM)
    }, (err: unknown) => {
      log.error('Error during shutdown', err)
      resolveStop(signal === 'SIGINT' ? ExitCode.SIGINT : ExitCode.SIGTERM)
    })
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  startupOver()

  // A signal during the connector files' start ends the start: their reading or starting is not waited for (a
  // connector file may be a pipe that has no writer yet); the shutdown stops what did start.
  const files: Array<{ file: string, connector: ConnectorFileConfig }> = []
  const starting = (async (): Promise<void> => {
    // --watch DIR: the directory's connector files start with the given ones.
    const dirFiles = await stage(ExitCode.CONNECT_START, async () => await watchedDirFiles(opts.watch ?? [], workerFile, config))
    for (const file of [...connectorFiles, ...dirFiles.filter(f => !connectorFiles.some(c => resolve(c) === resolve(f)))]) {
      files.push({ file, connector: await stage(ExitCode.CONNECT_START, async () => await loadConnectorFile(file)) })
    }
    // Connectors kept from an earlier run first; a connector file of the same name replaces its stored entry.
    if (stored.size > 0) await herder.restorePersisted(stored, new Set(files.map(f => f.connector.name)), { start: opts.skipStoredConnectors !== true })
    for (const { file, connector } of files) {
      await stage(ExitCode.CONNECT_START, async () => {
        const target = connector.initialState === 'PAUSED' ? 'PAUSED' : connector.initialState === 'STOPPED' ? 'STOPPED' : 'STARTED'
        try {
          await herder.putConnectorConfig(connector.name, connector.config, target)
        } catch (err) {
          if (err instanceof ConfigError && connector.lines) throw withLines(err, file, connector.lines)
          if (err instanceof Error && !err.message.includes(file)) err.message = `${err.message} (${file})`
          throw err
        }
        log.info(`Created connector ${connector.name} from ${file}`)
      })
    }
  })()
  const outcome = await Promise.race([starting.then(() => 'started' as const), stopped.then(code => ({ code }))]).catch(async (err: unknown) => {
    // Unless a signal already began the shutdown, which the failure may come from.
    if (stopSignal === null) {
      await shutdown().catch(() => {})
      throw err
    }
    return { code: await stopped }
  })
  if (outcome !== 'started') {
    starting.catch(() => {})
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    return outcome.code
  }
  herder.markReady()
  if (opts.watch !== undefined && stopSignal === null) {
    watcher = await ConnectorFileWatcher.start({ herder, files: connectorFiles, dirs: opts.watch, workerFile, exclude: stateFiles(config), started: files })
  }
  log.info(`Kafka Connect started in ${Date.now() - started} ms (worker ${settings.workerId}, Kafka ${embedded ? bootstrap : shownValue(BOOTSTRAP_SERVERS_CONFIG, bootstrap)}, REST ${bound.map(b => b.url).join(', ')})`)
  // Its lines follow the shutdown too; stopped once the last log line is out.
  const view = startTerminalStatusView({ quiet: opts.quiet === true, logFormat: logFormat(), source: connectWorker.metrics })
  const code = await stopped
  await view?.stop()
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  return code
}

interface LoadedWorker {
  config: ParsedConfig
  registry: PluginRegistry
  producerCfg: TranslatedClientConfig
  consumerCfg: TranslatedClientConfig
  /** The worker file as written (variables unresolved). */
  rawValues: Record<string, string>
  /** What to show for a worker value in logs: the raw text when it came from a config provider. */
  shownValue: (key: string, resolved: string) => string
  /** plugin.path's entries, which task processes load their plugins from. */
  pluginPath: string[]
}

/** Stage 2 without Kafka: the worker file, its plugins, its config (variables resolved) and client settings. */
async function loadWorker (workerFile: string): Promise<LoadedWorker> {
  const workerProps = await stage(ExitCode.WORKER_STARTUP, async () => {
    const result = await loadPropertiesFile(workerFile)
    return { values: toRecord(result.values), lines: result.lines }
  })
  const raw = workerProps.values
  // Plugins first, from the raw plugin.path: config providers may be plugins themselves (as in Apache).
  const pluginPath = await stage(ExitCode.WORKER_STARTUP, () => {
    try {
      return PLUGIN_PATH_DEF.parse({ [PLUGIN_PATH_CONFIG]: raw[PLUGIN_PATH_CONFIG] }).list(PLUGIN_PATH_CONFIG)
    } catch (err) {
      if (err instanceof ConfigError) throw withLines(err, workerFile, workerProps.lines)
      throw err
    }
  })
  if (hasConfigVariables(raw[PLUGIN_PATH_CONFIG] ?? '')) {
    log.warn(`Variables cannot be used in ${PLUGIN_PATH_CONFIG}: plugins are loaded before the config providers that resolve them exist. ` +
      `The raw value was used (${workerFile}:${workerProps.lines.get(PLUGIN_PATH_CONFIG) ?? '?'}).`)
  }
  const registry = await stage(ExitCode.WORKER_STARTUP, async () => await buildRegistry(pluginPath))
  const resolved = await stage(ExitCode.WORKER_STARTUP, async () => {
    try {
      return await resolveWorkerConfig(raw, registry)
    } catch (err) {
      if (err instanceof ConfigError) throw withLines(err, workerFile, workerProps.lines)
      if (err instanceof Error && !err.message.includes(workerFile)) err.message = `${err.message.replace(/\.$/, '')} (${workerFile})`
      throw err
    }
  })
  const shownValue = (key: string, value: string): string => resolved.variableKeys.has(key) ? raw[key] ?? value : value
  const config = await stage(ExitCode.WORKER_STARTUP, () => {
    try {
      const parsed = WORKER_CONFIG_DEF.parse(resolved.values)
      // Required unless the offsets live in a topic (Apache standalone always requires it).
      if (offsetsTopic(parsed) === null && (parsed.string(OFFSET_STORAGE_FILE_FILENAME_CONFIG) ?? '') === '' && raw[OFFSET_STORAGE_FILE_FILENAME_CONFIG] === undefined) {
        throw new ConfigError(`Missing required configuration "${OFFSET_STORAGE_FILE_FILENAME_CONFIG}" which has no default value.`)
      }
      return parsed
    } catch (err) {
      if (err instanceof ConfigError) throw withLines(hideResolvedValues(err, raw, resolved.values, resolved.variableKeys), workerFile, workerProps.lines)
      throw err
    }
  })
  for (const key of Object.keys(raw)) {
    if (!WORKER_CONFIG_DEF.has(key) && !WORKER_KNOWN_PREFIXES.some(p => key.startsWith(p))) {
      log.warn(`The configuration '${key}' was supplied but isn't a known config (${workerFile}:${workerProps.lines.get(key) ?? '?'}).`)
    }
  }
  const producerCfg = await stage(ExitCode.WORKER_STARTUP, () => clientConfig('producer', config, workerFile))
  const consumerCfg = await stage(ExitCode.WORKER_STARTUP, () => clientConfig('consumer', config, workerFile))
  for (const key of [KEY_CONVERTER_CLASS_CONFIG, VALUE_CONVERTER_CLASS_CONFIG] as const) {
    await stage(ExitCode.WORKER_STARTUP, () => registry.resolve(config.string(key) ?? '', ['converter'], `${key} (${workerFile})`))
  }
  await stage(ExitCode.WORKER_STARTUP, () => registry.resolve(config.string(HEADER_CONVERTER_CLASS_CONFIG) ?? '', ['header_converter'], `${HEADER_CONVERTER_CLASS_CONFIG} (${workerFile})`))

  return { config, registry, producerCfg, consumerCfg, rawValues: raw, shownValue, pluginPath }
}

/** The connector files of the --watch directories, without the worker's own files. */
async function watchedDirFiles (dirs: readonly string[], workerFile: string, config: ParsedConfig): Promise<string[]> {
  const exclude = new Set([workerFile, ...stateFiles(config)].map(f => resolve(f)))
  return (await Promise.all(dirs.map(async d => await connectorFilesIn(d, exclude)))).flat()
}

function stateFiles (config: ParsedConfig): string[] {
  return [offsetsTopic(config) === null ? config.string(OFFSET_STORAGE_FILE_FILENAME_CONFIG) ?? '' : '', connectorConfigsFile(config)].filter(f => f !== '')
}

const PLUGIN_PATH_DEF = new ConfigDef().define({ ...WORKER_CONFIG_DEF.get(PLUGIN_PATH_CONFIG)! })


function workerConverters (config: ParsedConfig): WorkerConverterSettings {
  return {
    keyConverter: { className: config.string(KEY_CONVERTER_CLASS_CONFIG) ?? '', props: config.originalsWithPrefix(`${KEY_CONVERTER_CLASS_CONFIG}.`) },
    valueConverter: { className: config.string(VALUE_CONVERTER_CLASS_CONFIG) ?? '', props: config.originalsWithPrefix(`${VALUE_CONVERTER_CLASS_CONFIG}.`) },
    headerConverter: { className: config.string(HEADER_CONVERTER_CLASS_CONFIG) ?? '', props: config.originalsWithPrefix(`${HEADER_CONVERTER_CLASS_CONFIG}.`) }
  }
}

/** `--dry-run worker.properties connector-file`: the pipeline on stdin/stdout, no broker. */
async function dryRun (workerFile: string, connectorFiles: string[]): Promise<number> {
  if (connectorFiles.length !== 1) {
    process.stderr.write(`--dry-run needs exactly one connector file.\nUsage: connect-standalone --dry-run worker.properties connector-file < records.jsonl\n`)
    return ExitCode.USAGE
  }
  const { config, registry, rawValues } = await loadWorker(workerFile)
  const file = connectorFiles[0]!
  const connector = await stage(ExitCode.CONNECT_START, async () => await loadConnectorFile(file))
  // The connector's ${provider:...} variables are resolved with the worker's providers, as when a connector starts.
  const connectorConfig = await stage(ExitCode.CONNECT_START, async () => {
    const resolver = await ConnectorConfigResolver.create(rawValues, registry)
    try {
      return await resolver.resolveConnectorConfig(connector.config)
    } finally {
      await resolver.close()
    }
  })
  const descriptor = await stage(ExitCode.CONNECT_START, () => {
    try {
      return ensureValidConnectorConfig(connectorConfig, registry, file)
    } catch (err) {
      if (err instanceof ConfigError && connector.lines) throw withLines(err, file, connector.lines)
      throw err
    }
  })
  const result = await stage(ExitCode.CONNECT_START, async () => await runDryRun({
    kind: descriptor.kind,
    connectorConfig,
    worker: workerConverters(config),
    registry,
    input: process.stdin,
    output: process.stdout,
    report: message => { process.stderr.write(`${chalk.yellow('WARN')} ${message}\n`) }
  }))
  process.stderr.write(`Dry run of ${connector.name} (${descriptor.kind}): ${result.read} read, ${result.written} written, ` +
    `${result.dropped} dropped by transformations, ${result.skipped} skipped by errors.tolerance=all\n`)
  return ExitCode.OK
}


function clientConfig (kind: 'producer' | 'consumer', config: ParsedConfig, workerFile: string): TranslatedClientConfig {
  // The client's producer./consumer. settings, and the worker's unprefixed security settings when it has none.
  const translated = translateWorkerClientConfig(kind, config.originals())
  for (const w of translated.warnings) log.warn(`${w} (${workerFile})`)
  const defaults: Record<string, string | number | boolean> = kind === 'producer'
    ? { acks: 'all', 'enable.idempotence': true, 'message.timeout.ms': 0, 'queue.buffering.max.kbytes': 32768, 'queue.buffering.max.messages': 20000 }
    : {}
  translated.global = { ...defaults, ...translated.global }
  return translated
}

async function buildRegistry (entries: readonly string[]): Promise<PluginRegistry> {
  const registry = builtinRegistry()
  if (entries.length > 0) {
    const loaded = await loadPluginPath(entries, registry)
    log.info(`Loaded ${loaded.length} plugin module(s) from plugin.path`)
  }
  return registry
}

/**
 * Validates the client settings with librdkafka and proves the cluster answers, before anything starts: a rejected
 * login or TLS handshake fails at once with librdkafka's reason, an unreachable cluster after 30 s (the reason logged at
 * once, progress every few seconds). CONNECT_KAFKA_CHECK_TIMEOUT_MS, an internal knob for tests, shortens the bound.
 */
async function checkKafka (bootstrap: string, producer: TranslatedClientConfig, consumer: TranslatedClientConfig, workerFile: string, shownBootstrap: string, configured: boolean): Promise<void> {
  await checkKafkaCluster({
    bootstrap,
    shownBootstrap,
    producer,
    consumer,
    where: workerFile,
    logger: log,
    timeoutMs: kafkaCheckTimeoutMs(),
    setting: BOOTSTRAP_SERVERS_CONFIG,
    // A new user without a cluster at hand can still try the worker; the embedded broker itself needs no such hint.
    unreachableHint: configured ? 'To try the worker without a Kafka cluster, start it with --embedded-broker.' : undefined
  })
}

function kafkaCheckTimeoutMs (): number {
  const raw = process.env.CONNECT_KAFKA_CHECK_TIMEOUT_MS
  if (raw === undefined || raw === '') return 30000
  const ms = Number(raw)
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new ConfigError(`Invalid value ${raw} for the environment variable CONNECT_KAFKA_CHECK_TIMEOUT_MS: expected a positive whole number of milliseconds`)
  }
  return ms
}

/**
 * Apache's worker id: the advertised REST address, host:port. The listener is rest.advertised.listener's protocol,
 * else the first one; the host rest.advertised.host.name, else the listener's, else this machine's address; the port
 * rest.advertised.port, else the listener's, else the bound one (port 0).
 */
function workerId (config: ParsedConfig, bound: readonly BoundListener[]): string {
  const wanted = config.string(REST_ADVERTISED_LISTENER_CONFIG)?.toLowerCase()
  const chosen = bound.find(b => wanted && b.listener.protocol === wanted) ?? bound[0]
  const listener = chosen?.listener ?? parseListener(config.list(LISTENERS_CONFIG)[0] ?? 'http://:8083')
  let host = config.string(REST_ADVERTISED_HOST_NAME_CONFIG) ?? listener.host
  if (!host) {
    host = Object.values(networkInterfaces()).flat().find(i => i && i.family === 'IPv4' && !i.internal)?.address ?? '127.0.0.1'
  }
  const advertisedPort = config.string(REST_ADVERTISED_PORT_CONFIG)
  const port = advertisedPort ?? (listener.port !== 0 ? String(listener.port) : String(chosen?.port ?? 0))
  return `${host}:${port}`
}

export { ConfigFileError }
export { exitProcess } from './process-exit.ts'
