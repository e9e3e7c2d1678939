/**
 * The two layouts of a log line: Apache's text layout and JSON lines (`--log-format json`). Both format the same
 * LogRecord, built once per line by the logger (logRecord below), so whatever a line shows, or hides, is the same in
 * either layout: the message as the caller wrote it and the error chain from errorChain, which the text layout and
 * REST's failure traces (describeError) read too.
 */
import { stripVTControlCharacters } from 'node:util'
import chalk from 'chalk'

export type LogLevel = 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE'

export const LOG_FORMATS = ['text', 'json'] as const
export type LogFormat = typeof LOG_FORMATS[number]

/** A format name as the CLI flag or CONNECT_LOG_FORMAT gives it (any case), or null when it names none. */
export function parseLogFormat (raw: string): LogFormat | null {
  const f = raw.trim().toLowerCase()
  return (LOG_FORMATS as readonly string[]).includes(f) ? f as LogFormat : null
}

/** One error of a chain, as logs show it. */
export interface ErrorLink {
  /** Absent for a thrown non-Error (its text is the message). */
  name?: string
  message: string
  /** A ConnectError's CONNECT_ERR_* code, or Node's (ENOENT...). */
  code?: string
  stack?: string
}

export interface LogRecord {
  time: Date
  level: LogLevel
  /** The logger's name as the text layout shows it (WorkerSourceTask, ConnectStandalone...). */
  logger: string
  /** withLogContext's `connector|task-0` or `connector|worker`, if any. */
  context: string | undefined
  message: string
  /** The logged error and its causes, outermost first; absent when none was logged. */
  errors?: readonly ErrorLink[]
}

/** Bounds the cause chain (and breaks cycles: a cause that is an earlier link ends it). */
const MAX_CAUSES = 32

/**
 * A thrown value and its `cause` chain, as links. The chain follows Error causes only, as Java's "Caused by" does;
 * `stacks: false` leaves stacks out, `causes: false` the causes.
 */
export function errorChain (err: unknown, options: { stacks?: boolean, causes?: boolean } = {}): ErrorLink[] {
  if (!(err instanceof Error)) return [{ message: String(err) }]
  const links: ErrorLink[] = []
  const seen = new Set<Error>()
  let e: unknown = err
  while (e instanceof Error && !seen.has(e) && links.length < MAX_CAUSES) {
    seen.add(e)
    const code = (e as { code?: unknown }).code
    links.push({
      name: e.name,
      message: e.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(options.stacks !== false && e.stack !== undefined ? { stack: e.stack } : {})
    })
    if (options.causes === false) break
    e = (e as { cause?: unknown }).cause
  }
  return links
}

/** The text form of an error chain: each stack, the causes as `Caused by: ...` (logs and REST failure traces). */
export function describeChain (links: readonly ErrorLink[]): string {
  return links.map((l, i) => {
    if (i === 0) return l.stack ?? (l.name !== undefined ? `${l.name}: ${l.message}` : l.message)
    return `Caused by: ${l.stack ?? l.message}`
  }).join('\n')
}

export function describeError (err: unknown): string {
  return describeChain(errorChain(err))
}

const COLOR: Record<LogLevel, (s: string) => string> = {
  ERROR: chalk.red, WARN: chalk.yellow, INFO: chalk.green, DEBUG: chalk.gray, TRACE: chalk.gray
}

/** Apache's layout: `[2024-05-01 12:00:00,123] INFO [name|task-0] message (Logger)`, then the error's stacks. */
export function textLayout (r: LogRecord): string {
  const when = r.time.toISOString().replace('T', ' ').replace('Z', '')
  let line = `[${when}] ${COLOR[r.level](r.level)} ${r.context !== undefined ? `[${r.context}] ` : ''}${r.message} (${r.logger})\n`
  if (r.errors !== undefined) line += describeChain(r.errors) + '\n'
  return line
}

/** The connector and task a log context names (`name|task-3`, `name|worker`); other contexts are kept whole. */
export function contextFields (context: string | undefined): { connector?: string, task?: number, context?: string } {
  if (context === undefined) return {}
  const task = /^(.*)\|task-(\d+)$/s.exec(context)
  if (task) return { connector: task[1]!, task: Number(task[2]) }
  const worker = /^(.*)\|worker$/s.exec(context)
  if (worker) return { connector: worker[1]! }
  return { context }
}

interface JsonError { name?: string, message: string, code?: string, stack?: string, cause?: JsonError }

function jsonError (links: readonly ErrorLink[], i = 0): JsonError | undefined {
  const l = links[i]
  if (l === undefined) return undefined
  const cause = jsonError(links, i + 1)
  return {
    ...(l.name !== undefined ? { name: plain(l.name) } : {}),
    message: plain(l.message),
    ...(l.code !== undefined ? { code: l.code } : {}),
    ...(l.stack !== undefined ? { stack: plain(l.stack) } : {}),
    ...(cause ? { cause } : {})
  }
}

/** Colours are for terminals: a message built with chalk reads the same without its escape codes. */
function plain (s: string): string {
  return stripVTControlCharacters(s)
}

/**
 * One JSON object per line: time (ISO 8601, UTC, ms), level, logger, connector and task when the line has that context,
 * message, error {name, message, code, stack, cause: {...}}. JSON.stringify escapes quotes, backslashes and control
 * characters (newlines included); NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR are escaped too, since some line readers
 * (Python's splitlines) split on them.
 */
export function jsonLayout (r: LogRecord): string {
  const error = r.errors !== undefined ? jsonError(r.errors) : undefined
  const obj = {
    time: r.time.toISOString(),
    level: r.level,
    logger: r.logger,
    ...contextFields(r.context),
    message: plain(r.message),
    ...(error ? { error } : {})
  }
  return JSON.stringify(obj).replace(/[\u0085\u2028\u2029]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n'
}
