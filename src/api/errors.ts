/**
 * The error family of the Connect SPI and runtime.
 *
 * Every error carries a stable string `code` (CONNECT_ERR_*), a `retriable` flag and an optional `cause`.
 * Runtime code maps codes to HTTP statuses and process exit codes in exactly one table each
 * (HTTP: src/rest/error-status.ts; exit codes: src/cli/exit-codes.ts); nothing else decides those numbers.
 *
 * Type checks use the brand symbol rather than `instanceof`, because a plugin may bundle its own copy of this
 * module and its classes would then not share prototypes with ours.
 */

const kConnectError = Symbol.for('connect-standalone.error')

export const ErrorCode = {
  CONNECT: 'CONNECT_ERR_CONNECT',
  CONFIG: 'CONNECT_ERR_CONFIG',
  CONFIG_FILE: 'CONNECT_ERR_CONFIG_FILE',
  DATA: 'CONNECT_ERR_DATA',
  RETRIABLE: 'CONNECT_ERR_RETRIABLE',
  NOT_FOUND: 'CONNECT_ERR_NOT_FOUND',
  ALREADY_EXISTS: 'CONNECT_ERR_ALREADY_EXISTS',
  PLUGIN: 'CONNECT_ERR_PLUGIN',
  PLUGIN_NOT_FOUND: 'CONNECT_ERR_PLUGIN_NOT_FOUND',
  OFFSET_STORE: 'CONNECT_ERR_OFFSET_STORE',
  KAFKA: 'CONNECT_ERR_KAFKA',
  KAFKA_UNREACHABLE: 'CONNECT_ERR_KAFKA_UNREACHABLE',
  TIMEOUT: 'CONNECT_ERR_TIMEOUT',
  USAGE: 'CONNECT_ERR_USAGE',
  /** REST: the request itself is wrong (Apache's BadRequestException). */
  BAD_REQUEST: 'CONNECT_ERR_BAD_REQUEST',
  /** REST: the request carries no valid credentials (basic authentication). */
  UNAUTHORIZED: 'CONNECT_ERR_UNAUTHORIZED',
  /** REST: the operation is switched off by the worker config (e.g. topic tracking). */
  FORBIDDEN: 'CONNECT_ERR_FORBIDDEN',
  METHOD_NOT_ALLOWED: 'CONNECT_ERR_METHOD_NOT_ALLOWED',
  NOT_ACCEPTABLE: 'CONNECT_ERR_NOT_ACCEPTABLE',
  UNSUPPORTED_MEDIA_TYPE: 'CONNECT_ERR_UNSUPPORTED_MEDIA_TYPE',
  PAYLOAD_TOO_LARGE: 'CONNECT_ERR_PAYLOAD_TOO_LARGE',
  /** The worker has not finished starting (REST requests before the herder runs). */
  NOT_READY: 'CONNECT_ERR_NOT_READY'
} as const

export type ErrorCodeValue = typeof ErrorCode[keyof typeof ErrorCode]

export interface ConnectErrorOptions {
  cause?: unknown
  retriable?: boolean
}

export class ConnectError extends Error {
  readonly code: ErrorCodeValue
  readonly retriable: boolean

  constructor (message: string, options: ConnectErrorOptions = {}, code: ErrorCodeValue = ErrorCode.CONNECT) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ConnectError'
    this.code = code
    this.retriable = options.retriable ?? false
    Object.defineProperty(this, kConnectError, { value: true })
  }

  static is (value: unknown): value is ConnectError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kConnectError] === true
  }
}

/** A config value or a whole config is invalid. `problems` lists every problem found, for one clear message. */
export class ConfigError extends ConnectError {
  readonly problems: readonly string[]
  constructor (message: string, options: ConnectErrorOptions & { problems?: readonly string[] } = {}) {
    super(message, options, ErrorCode.CONFIG)
    this.name = 'ConfigError'
    this.problems = options.problems ?? [message]
  }
}

/** A config file cannot be read or parsed. The message names the file, and the line where there is one. */
export class ConfigFileError extends ConnectError {
  readonly file: string
  readonly line: number | undefined
  constructor (message: string, file: string, line?: number, options: ConnectErrorOptions = {}) {
    super(message, options, ErrorCode.CONFIG_FILE)
    this.name = 'ConfigFileError'
    this.file = file
    this.line = line
  }
}

/** A record or value cannot be converted or does not match its schema (Kafka's DataException). */
export class DataError extends ConnectError {
  constructor (message: string, options: ConnectErrorOptions = {}) {
    super(message, options, ErrorCode.DATA)
    this.name = 'DataError'
  }
}

/** A temporary failure: the runtime retries the same operation (Kafka's RetriableException). */
export class RetriableError extends ConnectError {
  constructor (message: string, options: ConnectErrorOptions = {}) {
    super(message, { ...options, retriable: true }, ErrorCode.RETRIABLE)
    this.name = 'RetriableError'
  }
}

export class NotFoundError extends ConnectError {
  constructor (message: string, options: ConnectErrorOptions = {}) {
    super(message, options, ErrorCode.NOT_FOUND)
    this.name = 'NotFoundError'
  }
}

export class AlreadyExistsError extends ConnectError {
  constructor (message: string, options: ConnectErrorOptions = {}) {
    super(message, options, ErrorCode.ALREADY_EXISTS)
    this.name = 'AlreadyExistsError'
  }
}

/** A plugin cannot be loaded, or is malformed. */
export class PluginError extends ConnectError {
  constructor (message: string, options: ConnectErrorOptions = {}, code: ErrorCodeValue = ErrorCode.PLUGIN) {
    super(message, options, code)
    this.name = 'PluginError'
  }
}

/** The source offsets file cannot be read or written. */
export class OffsetStoreError extends ConnectError {
  constructor (message: string, options: ConnectErrorOptions = {}) {
    super(message, options, ErrorCode.OFFSET_STORE)
    this.name = 'OffsetStoreError'
  }
}

/** A Kafka client operation failed. */
export class KafkaError extends ConnectError {
  constructor (message: string, options: ConnectErrorOptions = {}, code: ErrorCodeValue = ErrorCode.KAFKA) {
    super(message, options, code)
    this.name = 'KafkaError'
  }
}

/** A REST request that cannot be served as sent (bad body, missing parameter, wrong state for the operation). */
export class BadRequestError extends ConnectError {
  constructor (message: string, options: ConnectErrorOptions = {}) {
    super(message, options, ErrorCode.BAD_REQUEST)
    this.name = 'BadRequestError'
  }
}

/** A REST error with a fixed code, for protocol-level refusals (401, 403, 405, 406, 415, 413, 503). */
export class RestProtocolError extends ConnectError {
  constructor (message: string, code: ErrorCodeValue, options: ConnectErrorOptions = {}) {
    super(message, options, code)
    this.name = 'RestProtocolError'
  }
}

/** A blocking operation ran out of time (REST requests wait at most 90 s for the herder, as Apache). */
export class TimeoutError extends ConnectError {
  constructor (message: string, options: ConnectErrorOptions = {}) {
    super(message, options, ErrorCode.TIMEOUT)
    this.name = 'TimeoutError'
  }
}

export function isRetriable (err: unknown): boolean {
  return ConnectError.is(err) && err.retriable
}
