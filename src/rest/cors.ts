/**
 * Cross-origin resource sharing for the REST API, as Apache 4.x configures Jetty 12's CrossOriginHandler from
 * `access.control.allow.origin` and `access.control.allow.methods`:
 *
 * - off unless `access.control.allow.origin` is set; then every response varies on Origin (`Vary: Origin`);
 * - the origins are comma-separated Java regular expressions matched against the whole Origin header, or `*`;
 * - an allowed origin is echoed in `Access-Control-Allow-Origin` (never `*`); no credentials header is sent;
 * - a preflight (OPTIONS with Access-Control-Request-Method) from an allowed origin also gets
 *   `Access-Control-Allow-Methods` (default GET,POST,HEAD), `Access-Control-Allow-Headers` (Content-Type) and
 *   `Access-Control-Max-Age: 60`;
 * - requests from other origins are served without CORS headers (the browser then refuses the answer).
 */
import { ConfigError, invalidValueMessage } from '../api/index.ts'
import { compileJavaRegex } from '../java/pattern.ts'

export const ACCESS_CONTROL_ALLOW_ORIGIN_CONFIG = 'access.control.allow.origin'
export const ACCESS_CONTROL_ALLOW_METHODS_CONFIG = 'access.control.allow.methods'
const DEFAULT_METHODS = ['GET', 'POST', 'HEAD']
const PREFLIGHT_MAX_AGE_SECONDS = 60

export class CorsPolicy {
  readonly #anyOrigin: boolean
  readonly #origins: readonly RegExp[]
  readonly #methods: string
  readonly #headers: string

  constructor (allowOrigin: string, allowMethods: string, extraAllowedHeaders: readonly string[] = []) {
    const patterns = allowOrigin.split(',').map(s => s.trim()).filter(Boolean)
    if (patterns.length === 0) throw new ConfigError(invalidValueMessage(ACCESS_CONTROL_ALLOW_ORIGIN_CONFIG, allowOrigin, 'no origin given'))
    this.#anyOrigin = patterns.includes('*')
    this.#origins = this.#anyOrigin ? [] : patterns.map(p => compileJavaRegex(ACCESS_CONTROL_ALLOW_ORIGIN_CONFIG, p))
    const methods = allowMethods.split(',').map(s => s.trim()).filter(Boolean)
    this.#methods = (methods.length > 0 ? methods : DEFAULT_METHODS).join(',')
    this.#headers = ['Content-Type', ...extraAllowedHeaders].join(',')
  }

  /** Whether the request is a CORS preflight: OPTIONS with Access-Control-Request-Method. */
  static isPreflight (method: string, headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
    return method === 'OPTIONS' && headers['access-control-request-method'] !== undefined
  }

  /** Whether the Origin header (possibly a space-separated list) holds an allowed origin. */
  allows (origin: string | undefined): boolean {
    if (origin === undefined) return false
    if (this.#anyOrigin) return true
    return origin.split(' ').map(o => o.trim()).filter(Boolean).some(o => this.#origins.some(re => re.test(o)))
  }

  /** The CORS headers of the response to this request. */
  headers (method: string, requestHeaders: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
    const out: Record<string, string> = { Vary: 'Origin' }
    const origin = requestHeaders.origin
    if (typeof origin !== 'string' || !this.allows(origin)) return out
    out['Access-Control-Allow-Origin'] = origin
    if (CorsPolicy.isPreflight(method, requestHeaders)) {
      out['Access-Control-Allow-Methods'] = this.#methods
      out['Access-Control-Allow-Headers'] = this.#headers
      out['Access-Control-Max-Age'] = String(PREFLIGHT_MAX_AGE_SECONDS)
    }
    return out
  }
}
