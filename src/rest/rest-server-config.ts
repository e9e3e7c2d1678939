/**
 * What the REST server is configured with (Apache's RestServerConfig): the REST layer defines the settings it needs
 * and the names of its keys; the worker config defines those keys among its own and builds this from a parsed worker
 * config (config/worker-config.ts, restServerConfig), so the REST layer never reads the worker config itself. The
 * REST layer's entry for its configuration: the settings, their key names, and restSecurity, which checks them.
 */
export { REST_BASIC_AUTH_CREDENTIALS_FILE_CONFIG, REST_BASIC_AUTH_JAAS_CONFIG_FILE_CONFIG } from './basic-auth.ts'
export { ACCESS_CONTROL_ALLOW_METHODS_CONFIG, ACCESS_CONTROL_ALLOW_ORIGIN_CONFIG } from './cors.ts'
export { RESPONSE_HTTP_HEADERS_CONFIG, ResponseHeadersValidator } from './response-headers.ts'
export { REST_EXTENSION_CLASSES_CONFIG, REST_REQUEST_BODY_MAX_BYTES_CONFIG, REST_REQUEST_BODY_MAX_BYTES_DEFAULT, restSecurity, type RestSecurity } from './rest-security.ts'
export { SSL_CLIENT_AUTH_CONFIG } from './tls-options.ts'

/** One `listeners` entry. */
export interface RestListener { protocol: 'http' | 'https', host: string, port: number }

export interface RestServerConfig {
  listeners: readonly RestListener[]
  /** rest.extension.classes */
  extensionClasses: readonly string[]
  /** rest.basic.auth.jaas.config.file */
  basicAuthJaasConfigFile: string | null
  /** rest.basic.auth.credentials.file */
  basicAuthCredentialsFile: string | null
  /** access.control.allow.origin ('' when unset) */
  corsAllowedOrigins: string
  /** access.control.allow.methods ('' when unset) */
  corsAllowedMethods: string
  /** response.http.headers.config ('' when unset) */
  responseHeaders: string
  /** rest.request.body.max.bytes */
  maxBodyBytes: number
  /** The settings as written: https listeners read their listeners.https.ssl.* and ssl.* keys from them. */
  originals: Readonly<Record<string, string>>
}
