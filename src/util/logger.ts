/**
 * A small structured logger. Lines go to stderr (stdout belongs to the console sink connector) in Apache's layout:
 * `[time] LEVEL [connector|task-0] message`, so the lines users grep for look the same; or, with `--log-format json`,
 * as one JSON object per line (log-layout.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { errorChain, jsonLayout, textLayout, type LogFormat, type LogLevel, type LogRecord } from './log-layout.ts'

export { describeError, LOG_FORMATS, parseLogFormat, type LogFormat, type LogLevel } from './log-layout.ts'
const ORDER: Record<LogLevel, number> = { ERROR: 0, WARN: 1, INFO: 2, DEBUG: 3, TRACE: 4 }

const context = new AsyncLocalStorage<string>()

export interface Logger {
  error (msg: string, err?: unknown): void
  warn (msg: string, err?: unknown): void
  info (msg: string): void
  debug (msg: string): void
  child (name: string): Logger
}

export interface LogSink { write (line: string): void }

let level: LogLevel = (process.env.CONNECT_LOG_LEVEL?.toUpperCase() as LogLevel | undefined) ?? 'INFO'
if (!(level in ORDER)) level = 'INFO'
let sink: LogSink = { write: line => process.stderr.write(line) }

let layout: (r: LogRecord) => string = textLayout
let format: LogFormat = 'text'

export function setLogLevel (l: LogLevel): void { level = l; levelsVersion++ }
export function setLogSink (s: LogSink): void { sink = s }
export function setLogFormat (f: LogFormat): void { format = f; layout = f === 'json' ? jsonLayout : textLayout }
export function logFormat (): LogFormat { return format }
/** A line another process formatted (a task process's), written where this process's lines go. */
export function writeFormattedLine (line: string): void { sink.write(line) }

// ---- Per-logger levels (the /admin/loggers REST API) ------------------------------------------------------------

/** log4j2's level names, as the REST API accepts and reports them. */
export const LOG4J_LEVELS = ['OFF', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'ALL'] as const
export type Log4jLevel = typeof LOG4J_LEVELS[number]
const LOG4J_ORDER: Record<Log4jLevel, number> = { OFF: -1, FATAL: 0, ERROR: 0, WARN: 1, INFO: 2, DEBUG: 3, TRACE: 4, ALL: 5 }

/**
 * Our loggers answer to Apache's logger names in the levels API, so `PUT /admin/loggers/org.apache.kafka.connect`
 * works as it does on Apache. Unlisted loggers keep their own name.
 */
const APACHE_LOGGER_NAMES: Readonly<Record<string, string>> = {
  StandaloneHerder: 'org.apache.kafka.connect.runtime.standalone.StandaloneHerder',
  WorkerConnector: 'org.apache.kafka.connect.runtime.WorkerConnector',
  WorkerSourceTask: 'org.apache.kafka.connect.runtime.WorkerSourceTask',
  WorkerSinkTask: 'org.apache.kafka.connect.runtime.WorkerSinkTask',
  Worker: 'org.apache.kafka.connect.runtime.Worker',
  RestServer: 'org.apache.kafka.connect.runtime.rest.RestServer',
  ConnectStandalone: 'org.apache.kafka.connect.cli.ConnectStandalone',
  FileOffsetBackingStore: 'org.apache.kafka.connect.storage.FileOffsetBackingStore',
  LoggingResource: 'org.apache.kafka.connect.runtime.rest.resources.LoggingResource',
  ConfigTransformer: 'org.apache.kafka.common.config.ConfigTransformer',
  WorkerConfigTransformer: 'org.apache.kafka.connect.runtime.WorkerConfigTransformer',
  FileConfigProvider: 'org.apache.kafka.common.config.provider.FileConfigProvider',
  DirectoryConfigProvider: 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
  EnvVarConfigProvider: 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
  // Ours (automatic task restarts have no Apache class): in the runtime package, so its namespace controls it too.
  WorkerTaskAutoRestart: 'org.apache.kafka.connect.runtime.WorkerTaskAutoRestart',
  // Ours (the offsets file lock): in the storage package, beside FileOffsetBackingStore.
  FileLock: 'org.apache.kafka.connect.storage.FileLock'
}

export const ROOT_LOGGER = 'root'
const knownLoggers = new Set<string>()
const explicitLevels = new Map<string, { level: Log4jLevel, lastModified: number }>()
let levelsVersion = 0

export function apacheLoggerName (name: string): string {
  const base = name.split('.')[0]!
  const mapped = APACHE_LOGGER_NAMES[base]
  return mapped ? mapped + name.slice(base.length) : name
}

/** The level in force for a logger: its own, else its nearest dotted ancestor's, else root's. */
export function effectiveLevel (fullName: string): Log4jLevel {
  let n = fullName
  for (;;) {
    const e = explicitLevels.get(n)
    if (e) return e.level
    const dot = n.lastIndexOf('.')
    if (dot < 0) break
    n = n.slice(0, dot)
  }
  return explicitLevels.get(ROOT_LOGGER)?.level ?? level
}

export interface LoggerLevelInfo { level: Log4jLevel, last_modified: number | null }

/** Every logger that exists (was created or given a level), and root. */
export function allLoggerLevels (): Map<string, LoggerLevelInfo> {
  const names = new Set<string>([ROOT_LOGGER, ...knownLoggers, ...explicitLevels.keys()])
  const out = new Map<string, LoggerLevelInfo>()
  for (const n of [...names].sort()) {
    const lvl = n === ROOT_LOGGER ? effectiveLevel(ROOT_LOGGER) : effectiveLevel(n)
    if (lvl === 'OFF') continue
    out.set(n, { level: lvl, last_modified: explicitLevels.get(n)?.lastModified ?? null })
  }
  return out
}

export function loggerLevel (name: string): LoggerLevelInfo | null {
  const isRoot = name.toLowerCase() === ROOT_LOGGER
  if (!isRoot && !knownLoggers.has(name) && !explicitLevels.has(name)) return null
  const key = isRoot ? ROOT_LOGGER : name
  return { level: effectiveLevel(key), last_modified: explicitLevels.get(key)?.lastModified ?? null }
}

/**
 * Sets `namespace` and every existing logger whose name starts with it; `root` (any case) sets every logger.
 * Returns the names whose level actually changed, sorted (log4j2's behaviour in Apache 4.x).
 */
export function setLoggerLevel (namespace: string, newLevel: Log4jLevel): string[] {
  const now = Date.now()
  const isRoot = namespace.toLowerCase() === ROOT_LOGGER
  const all = new Set<string>([...knownLoggers, ...explicitLevels.keys()])
  all.delete(ROOT_LOGGER)
  const targets = isRoot ? [ROOT_LOGGER, ...all] : [namespace, ...[...all].filter(n => n !== namespace && n.startsWith(namespace))]
  const before = new Map(targets.map(t => [t, effectiveLevel(t)]))
  for (const t of targets) explicitLevels.set(t, { level: newLevel, lastModified: now })
  if (!isRoot) knownLoggers.add(namespace)
  levelsVersion++
  for (const l of levelListeners) l(namespace, newLevel)
  return targets.filter(t => before.get(t) !== newLevel).sort()
}

const levelListeners = new Set<(namespace: string, level: Log4jLevel) => void>()

/** Told of every setLoggerLevel (task processes follow the worker's levels); returns the unsubscribe. */
export function onLoggerLevelChange (listener: (namespace: string, level: Log4jLevel) => void): () => void {
  levelListeners.add(listener)
  return () => { levelListeners.delete(listener) }
}

/** The levels set explicitly (root's included), oldest first: what another process needs to log as this one does. */
export function explicitLoggerLevels (): Array<[string, Log4jLevel]> {
  const rootLevel: Log4jLevel = explicitLevels.get(ROOT_LOGGER)?.level ?? level
  const rest = [...explicitLevels].filter(([n]) => n !== ROOT_LOGGER).sort((a, b) => a[1].lastModified - b[1].lastModified)
  return [[ROOT_LOGGER, rootLevel], ...rest.map(([n, e]) => [n, e.level] as [string, Log4jLevel])]
}

/** Runs fn with `[name] ` added to every log line written inside it, across awaits (Kafka's LoggingContext). */
export function withLogContext<T> (name: string, fn: () => T): T {
  return context.run(name, fn)
}

/** The log context in force here (see withLogContext), for code that logs later from callbacks that run without it. */
export function currentLogContext (): string | undefined {
  return context.getStore()
}

/** How much of a logged error a line shows: all (stacks and causes), or its headline, with its own stack or not. */
export type ErrorDetail = 'full' | { headline: true, stacks: boolean }

/**
 * The one place a line's content is decided, whichever the layout: the caller's message and the error chain (the
 * same chain describeError gives REST's traces). A headline errorDetail keeps only the error's name, message and
 * code (and the stack when `stacks`), for a line whose text form shows no more (the CLI's fatal error).
 */
function logRecord (lvl: LogLevel, logger: string, msg: string, err: unknown, errorDetail: ErrorDetail = 'full'): LogRecord {
  const ctx = context.getStore()
  return {
    time: new Date(),
    level: lvl,
    logger,
    context: ctx === '' ? undefined : ctx,
    message: msg,
    ...(err !== undefined ? { errors: errorChain(err, errorDetail === 'full' ? {} : { stacks: errorDetail.stacks, causes: false }) } : {})
  }
}

/**
 * Writes one line as `logger` would, whatever the levels: for the CLI's own lines that must show in any case (the
 * fatal error, a signal during start-up), in the layout in force.
 */
export function writeLogLine (lvl: LogLevel, logger: string, msg: string, err?: unknown, errorDetail: ErrorDetail = 'full'): void {
  sink.write(layout(logRecord(lvl, logger, msg, err, errorDetail)))
}

/**
 * Node's process warnings (a deprecation, MaxListenersExceededWarning) as log lines of the logger `node`, instead of
 * Node's own `(node:pid) ...` text: with JSON logs, stderr stays one object per line. Node's printer is the 'warning'
 * listener it names onWarning (none with --no-warnings).
 */
export function logProcessWarnings (): void {
  for (const l of process.listeners('warning')) if (l.name === 'onWarning') process.off('warning', l)
  process.on('warning', w => { writeLogLine('WARN', 'node', `${w.name}: ${w.message}`) })
}

export function createLogger (name: string): Logger {
  const fullName = apacheLoggerName(name)
  knownLoggers.add(fullName)
  let cachedVersion = -1
  let threshold = 0
  const log = (lvl: LogLevel, msg: string, err?: unknown): void => {
    if (cachedVersion !== levelsVersion) {
      threshold = explicitLevels.size === 0 ? ORDER[level] : LOG4J_ORDER[effectiveLevel(fullName)]
      cachedVersion = levelsVersion
    }
    if (ORDER[lvl] <= threshold) sink.write(layout(logRecord(lvl, name, msg, err)))
  }
  return {
    error: (msg, err) => log('ERROR', msg, err),
    warn: (msg, err) => log('WARN', msg, err),
    info: msg => log('INFO', msg),
    debug: msg => log('DEBUG', msg),
    child: (child: string) => createLogger(`${name}.${child}`)
  }
}
