/**
 * A connector's error-handling settings (errors.*), read once per task from its config, and the operator and
 * reporters they call for.
 */
import { ConfigError } from '../../api/index.ts'
import {
  DLQ_CONTEXT_HEADERS_ENABLE_CONFIG, DLQ_SOURCE_ENABLE_CONFIG, DLQ_TOPIC_NAME_CONFIG, DLQ_TOPIC_REPLICATION_FACTOR_CONFIG,
  ERRORS_LOG_ENABLE_CONFIG, ERRORS_LOG_INCLUDE_MESSAGES_CONFIG, ERRORS_RETRY_MAX_DELAY_CONFIG, ERRORS_RETRY_TIMEOUT_CONFIG,
  ERRORS_TOLERANCE_CONFIG
} from '../../config/connector-config.ts'
import type { ErrorPolicy, Tolerance } from './retry-with-tolerance-operator.ts'

export interface ErrorHandlingSettings extends ErrorPolicy {
  logEnable: boolean
  logIncludeMessages: boolean
  /** The DLQ topic, or null when there is none (sources: only with errors.deadletterqueue.source.enable). */
  dlqTopic: string | null
  dlqReplicationFactor: number
  dlqContextHeaders: boolean
}

function bool (v: string | undefined, fallback: boolean): boolean {
  if (v === undefined) return fallback
  return v.trim().toLowerCase() === 'true'
}

function num (cfg: Readonly<Record<string, string>>, key: string, fallback: number): number {
  const raw = cfg[key]
  if (raw === undefined || raw.trim() === '') return fallback
  const n = Number(raw.trim())
  // Validation ran before; a value that gets here unparsable is a programming error worth a clear message anyway.
  if (!Number.isFinite(n)) throw new ConfigError(`Invalid value ${raw} for configuration ${key}: Not a number of type LONG`)
  return n
}

export function errorHandlingSettings (cfg: Readonly<Record<string, string>>, kind: 'source' | 'sink'): ErrorHandlingSettings {
  const tolerance = (cfg[ERRORS_TOLERANCE_CONFIG]?.trim().toLowerCase() ?? 'none') as Tolerance
  const topic = cfg[DLQ_TOPIC_NAME_CONFIG]?.trim() ?? ''
  const dlqWanted = kind === 'sink' || bool(cfg[DLQ_SOURCE_ENABLE_CONFIG], false)
  return {
    tolerance: tolerance === 'all' ? 'all' : 'none',
    retryTimeoutMs: num(cfg, ERRORS_RETRY_TIMEOUT_CONFIG, 0),
    retryDelayMaxMs: num(cfg, ERRORS_RETRY_MAX_DELAY_CONFIG, 60000),
    logEnable: bool(cfg[ERRORS_LOG_ENABLE_CONFIG], false),
    logIncludeMessages: bool(cfg[ERRORS_LOG_INCLUDE_MESSAGES_CONFIG], false),
    dlqTopic: dlqWanted && topic !== '' ? topic : null,
    dlqReplicationFactor: num(cfg, DLQ_TOPIC_REPLICATION_FACTOR_CONFIG, 3),
    dlqContextHeaders: bool(cfg[DLQ_CONTEXT_HEADERS_ENABLE_CONFIG], false)
  }
}
