/**
 * The log format's command-line option and environment variable: `--log-format json`, or CONNECT_LOG_FORMAT=json for
 * scripts that cannot change the command line (the option wins).
 */
import { InvalidArgumentError } from 'commander'
import { LOG_FORMATS, parseLogFormat, type LogFormat } from '../util/logger.ts'

export const LOG_FORMAT_ENV = 'CONNECT_LOG_FORMAT'

export function logFormatArg (value: string): LogFormat {
  const format = parseLogFormat(value)
  if (format === null) throw new InvalidArgumentError(`Expected ${LOG_FORMATS.join(' or ')}.`)
  return format
}

/** CONNECT_LOG_FORMAT when --log-format is not given (unset or empty: text); null after a usage error for it. */
export function logFormatFromEnv (usage: string): LogFormat | null {
  const raw = process.env[LOG_FORMAT_ENV]
  if (raw === undefined || raw.trim() === '') return 'text'
  const format = parseLogFormat(raw)
  if (format === null) process.stderr.write(`error: environment variable ${LOG_FORMAT_ENV} has the invalid value '${raw}'. Expected ${LOG_FORMATS.join(' or ')}.\nUsage: ${usage}\n`)
  return format
}
