/**
 * A small structured logger. Lines go to stderr (stdout belongs to the console sink connector) in Apache's layout:
 * `[time] LEVEL [connector|task-0] message`, so the lines users grep for look the same.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import chalk from 'chalk'

export type LogLevel = 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE'
const ORDER: Record<LogLevel, number> = { ERROR: 0, WARN: 1, INFO: 2, DEBUG: 3, TRACE: 4 }
const COLOR: Record<LogLevel, (s: string) => string> = {
  ERROR: chalk.red, WARN: chalk.yellow, INFO: chalk.green, DEBUG: chalk.gray, TRACE: chalk.gray
}

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

export function setLogLevel (l: LogLevel): void { level = l }
export function setLogSink (s: LogSink): void { sink = s }

/** Runs fn with `[name] ` added to every log line written inside it, across awaits (Kafka's LoggingContext). */
export function withLogContext<T> (name: string, fn: () => T): T {
  return context.run(name, fn)
}

function format (lvl: LogLevel, logger: string, msg: string, err?: unknown): string {
  const ctx = context.getStore()
  const when = new Date().toISOString().replace('T', ' ').replace('Z', '')
  let line = `[${when}] ${COLOR[lvl](lvl)} ${ctx ? `[${ctx}] ` : ''}${msg} (${logger})\n`
  if (err !== undefined) line += describeError(err) + '\n'
  return line
}

export function describeError (err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  let out = err.stack ?? `${err.name}: ${err.message}`
  let cause = (err as { cause?: unknown }).cause
  while (cause instanceof Error) {
    out += `\nCaused by: ${cause.stack ?? cause.message}`
    cause = (cause as { cause?: unknown }).cause
  }
  return out
}

export function createLogger (name: string): Logger {
  const log = (lvl: LogLevel, msg: string, err?: unknown): void => {
    if (ORDER[lvl] <= ORDER[level]) sink.write(format(lvl, name, msg, err))
  }
  return {
    error: (msg, err) => log('ERROR', msg, err),
    warn: (msg, err) => log('WARN', msg, err),
    info: msg => log('INFO', msg),
    debug: msg => log('DEBUG', msg),
    child: (child: string) => createLogger(`${name}.${child}`)
  }
}
