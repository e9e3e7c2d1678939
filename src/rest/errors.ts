/**
 * The REST layer's errors: codes and classes for requests refused as sent (Apache's BadRequestException) and for
 * protocol-level refusals (401, 403, 405, 406, 413, 415, 503). Plugins never meet them, so they are not in the SPI.
 * The herder throws some (a bad offsets body, a name that does not match the URL, topic tracking switched off), as
 * Apache's herders throw BadRequestException: the runtime may import this file, which imports only src/api.
 * error-status.ts maps these codes to HTTP statuses with the SPI's, in its one table.
 */
import { codedErrorClass, ConnectError, type ConnectErrorOptions } from '../api/errors.ts'

export const RestErrorCode = {
  /** The request itself is wrong (Apache's BadRequestException). */
  BAD_REQUEST: 'CONNECT_ERR_BAD_REQUEST',
  /** The request carries no valid credentials (basic authentication). */
  UNAUTHORIZED: 'CONNECT_ERR_UNAUTHORIZED',
  /** The operation is switched off by the worker config (e.g. topic tracking). */
  FORBIDDEN: 'CONNECT_ERR_FORBIDDEN',
  METHOD_NOT_ALLOWED: 'CONNECT_ERR_METHOD_NOT_ALLOWED',
  NOT_ACCEPTABLE: 'CONNECT_ERR_NOT_ACCEPTABLE',
  UNSUPPORTED_MEDIA_TYPE: 'CONNECT_ERR_UNSUPPORTED_MEDIA_TYPE',
  PAYLOAD_TOO_LARGE: 'CONNECT_ERR_PAYLOAD_TOO_LARGE',
  /** The worker has not finished starting (REST requests before the herder runs). */
  NOT_READY: 'CONNECT_ERR_NOT_READY'
} as const

export type RestErrorCodeValue = typeof RestErrorCode[keyof typeof RestErrorCode]

/** A REST request that cannot be served as sent (bad body, missing parameter, wrong state for the operation). */
export const BadRequestError = codedErrorClass('BadRequestError', RestErrorCode.BAD_REQUEST)
export type BadRequestError = InstanceType<typeof BadRequestError>

/** A REST error with a fixed code, for protocol-level refusals (401, 403, 405, 406, 415, 413, 503). */
export class RestProtocolError extends ConnectError {
  constructor (message: string, code: RestErrorCodeValue, options: ConnectErrorOptions = {}) {
    super(message, options, code)
    this.name = 'RestProtocolError'
  }
}
