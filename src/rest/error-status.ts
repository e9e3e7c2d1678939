/**
 * The one table that turns error codes into HTTP statuses, after Apache's ConnectExceptionMapper: not found → 404,
 * already exists → 409, a bad request or an invalid config → 400, anything else → 500. No other code decides a
 * status for an error.
 */
import { ConnectError, ErrorCode, type ErrorCodeValue } from '../api/index.ts'
import { RestErrorCode, type RestErrorCodeValue } from './errors.ts'

/** Every code, the SPI's and the REST layer's: the compiler checks that none is missing. */
export const HTTP_STATUS_BY_ERROR_CODE: Readonly<Record<ErrorCodeValue | RestErrorCodeValue, number>> = {
  [ErrorCode.CONNECT]: 500,
  [ErrorCode.CONFIG]: 400,
  [ErrorCode.CONFIG_FILE]: 400,
  [ErrorCode.DATA]: 500,
  [ErrorCode.RETRIABLE]: 500,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.ALREADY_EXISTS]: 409,
  [ErrorCode.PLUGIN]: 500,
  // Apache answers 500 for an unknown connector.class on POST/PUT (a ConnectException, not a BadRequest).
  [ErrorCode.PLUGIN_NOT_FOUND]: 500,
  [ErrorCode.OFFSET_STORE]: 500,
  [ErrorCode.KAFKA]: 500,
  [ErrorCode.KAFKA_UNREACHABLE]: 500,
  [ErrorCode.SCHEMA_REGISTRY]: 500,
  [ErrorCode.TIMEOUT]: 500,
  [ErrorCode.USAGE]: 400,
  [RestErrorCode.BAD_REQUEST]: 400,
  [RestErrorCode.UNAUTHORIZED]: 401,
  [RestErrorCode.FORBIDDEN]: 403,
  [RestErrorCode.METHOD_NOT_ALLOWED]: 405,
  [RestErrorCode.NOT_ACCEPTABLE]: 406,
  [RestErrorCode.UNSUPPORTED_MEDIA_TYPE]: 415,
  [RestErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [RestErrorCode.NOT_READY]: 503
}

/** The HTTP status for any thrown value; errors that are not ours are 500. */
export function httpStatusOf (err: unknown): number {
  return ConnectError.is(err) ? HTTP_STATUS_BY_ERROR_CODE[err.code as ErrorCodeValue | RestErrorCodeValue] ?? 500 : 500
}

/** Apache's error body: `{"error_code": <status>, "message": <text>}`; never a stack trace. */
export function errorBody (err: unknown): { error_code: number, message: string | null } {
  const message = err instanceof Error ? err.message : err === undefined || err === null ? null : String(err)
  return { error_code: httpStatusOf(err), message }
}
