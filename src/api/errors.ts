/**
 * The error family of the Connect SPI and runtime.
 *
 * Every error carries a stable string `code` (CONNECT_ERR_*), a `retriable` flag and an optional `cause`.
 * Runtime code maps codes to HTTP statuses and process exit codes in exactly one table each
 * (HTTP: src/rest/error-status.ts; exit codes: src/cli/exit-codes.ts); nothing else decides those numbers.
 * The codes here are those a plugin meets; the REST layer adds its own (src/rest/errors.ts) with the same class.
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
  /** A Schema Registry refused a request (unknown schema id, incompatible schema, unauthorized). */
  SCHEMA_REGISTRY: 'CONNECT_ERR_SCHEMA_REGISTRY',
  TIMEOUT: 'CONNECT_ERR_TIMEOUT',
  USAGE: 'CONNECT_ERR_USAGE'
} as const

export type ErrorCodeValue = typeof ErrorCode[keyof typeof ErrorCode]

/** A ConnectError's code: the SPI's, or one another layer defines (the REST layer's), always CONNECT_ERR_*. */
export type ConnectErrorCode = ErrorCodeValue | `CONNECT_ERR_${string}`

export interface ConnectErrorOptions {
  cause?: unknown
  retriable?: boolean
}

export class ConnectError extends Error {
  readonly code: ConnectErrorCode
  readonly retriable: boolean

  constructor (message: string, options: ConnectErrorOptions = {}, code: ConnectErrorCode = ErrorCode.CONNECT) {
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

/** A ConnectError subclass that only fixes its name and code: `new X(message, options?)`. */
export type CodedErrorClass = Pick<typeof ConnectError, 'is'> & (new (message: string, options?: ConnectErrorOptions) => ConnectError)
/** The same, whose code a caller may choose instead: `new X(message, options?, code?)`. */
export type RecodableErrorClass = Pick<typeof ConnectError, 'is'> & (new (message: string, options?: ConnectErrorOptions, code?: ConnectErrorCode) => ConnectError)

/**
 * Defines a ConnectError subclass by its name and code, for the errors that differ in nothing else: a real class
 * (instanceof, subclassing, `name` on instances and on the class), whose `retriable` is forced on when asked and whose
 * code a caller may override when `recodable`.
 */
export function codedErrorClass (name: string, code: ConnectErrorCode, opts: { retriable?: boolean, recodable: true }): RecodableErrorClass
export function codedErrorClass (name: string, code: ConnectErrorCode, opts?: { retriable?: boolean, recodable?: false }): CodedErrorClass
export function codedErrorClass (name: string, code: ConnectErrorCode, opts: { retriable?: boolean, recodable?: boolean } = {}): RecodableErrorClass {
  const retriable = opts.retriable === true
  const recodable = opts.recodable === true
  const cls = class extends ConnectError {
    constructor (message: string, options: ConnectErrorOptions = {}, chosen?: ConnectErrorCode) {
      super(message, retriable ? { ...options, retriable: true } : options, recodable && chosen !== undefined ? chosen : code)
      this.name = name
    }
  }
  Object.defineProperty(cls, 'name', { value: name })
  return cls
}

/** A record or value cannot be converted or does not match its schema (Kafka's DataException). */
export const DataError = codedErrorClass('DataError', ErrorCode.DATA)
export type DataError = InstanceType<typeof DataError>

/** A temporary failure: the runtime retries the same operation (Kafka's RetriableException). */
export const RetriableError = codedErrorClass('RetriableError', ErrorCode.RETRIABLE, { retriable: true })
export type RetriableError = InstanceType<typeof RetriableError>

export const NotFoundError = codedErrorClass('NotFoundError', ErrorCode.NOT_FOUND)
export type NotFoundError = InstanceType<typeof NotFoundError>

export const AlreadyExistsError = codedErrorClass('AlreadyExistsError', ErrorCode.ALREADY_EXISTS)
export type AlreadyExistsError = InstanceType<typeof AlreadyExistsError>

/** A plugin cannot be loaded, or is malformed (code PLUGIN, or PLUGIN_NOT_FOUND given). */
export const PluginError = codedErrorClass('PluginError', ErrorCode.PLUGIN, { recodable: true })
export type PluginError = InstanceType<typeof PluginError>

/** The source offsets file cannot be read or written. */
export const OffsetStoreError = codedErrorClass('OffsetStoreError', ErrorCode.OFFSET_STORE)
export type OffsetStoreError = InstanceType<typeof OffsetStoreError>

/** A Kafka client operation failed (code KAFKA, or KAFKA_UNREACHABLE given). */
export const KafkaError = codedErrorClass('KafkaError', ErrorCode.KAFKA, { recodable: true })
export type KafkaError = InstanceType<typeof KafkaError>

/** A blocking operation ran out of time (REST requests wait at most 90 s for the herder, as Apache). */
export const TimeoutError = codedErrorClass('TimeoutError', ErrorCode.TIMEOUT)
export type TimeoutError = InstanceType<typeof TimeoutError>

export function isRetriable (err: unknown): boolean {
  return ConnectError.is(err) && err.retriable
}
