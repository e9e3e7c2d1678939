/**
 * A small path router for the REST API. Patterns are Apache's JAX-RS paths: `{name}` matches one path segment
 * (percent-decoded), `{id:int}` only an integer (anything else is a 404, as JAX-RS answers for an int parameter).
 * A path that matches with another method is a 405.
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { ValidateFunction } from 'ajv'

export interface RestRequest {
  /** The listener's protocol: https when the request came over TLS. */
  readonly scheme: 'http' | 'https'
  readonly method: string
  readonly path: string
  readonly params: Readonly<Record<string, string>>
  readonly query: URLSearchParams
  readonly headers: IncomingHttpHeaders
  /** The parsed, schema-checked JSON body (undefined for routes without a body schema). */
  readonly body: unknown
  /** Aborted when the request times out or the client goes away. */
  readonly signal: AbortSignal
}

export interface RestResponse {
  status: number
  /** Serialised as JSON; undefined sends no body. */
  body?: unknown
  /** A text body sent as it is (GET /metrics), with the Content-Type in `headers` (text/plain when absent). */
  text?: string
  headers?: Record<string, string>
}

export type RestHandler = (req: RestRequest) => Promise<RestResponse> | RestResponse

export interface RouteOptions {
  /** Compiled ajv schema of the JSON body. The body must then be JSON (415 otherwise) and valid (400 otherwise). */
  body?: ValidateFunction
  /** The body may be empty (the handler then sees undefined). */
  optionalBody?: boolean
  /** Media types the route answers in besides JSON (an Accept header naming only those is not a 406). */
  produces?: readonly string[]
}

interface Segment { literal?: string, param?: string, int?: boolean }

export interface Route extends RouteOptions {
  method: string
  pattern: string
  segments: Segment[]
  handler: RestHandler
}

export type RouteMatch =
  | { kind: 'found', route: Route, params: Record<string, string> }
  | { kind: 'method-not-allowed' }
  /** A route's path, except that an `{id:int}` segment is not an integer: JAX-RS chose the resource, then failed. */
  | { kind: 'bad-param' }
  | { kind: 'not-found' }

function splitPath (path: string): string[] | null {
  let p = path
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1)
  if (p === '/' || p === '') return []
  try {
    return p.slice(1).split('/').map(s => decodeURIComponent(s))
  } catch {
    return null
  }
}

export class Router {
  readonly #routes: Route[] = []

  add (method: string, pattern: string, handler: RestHandler, options: RouteOptions = {}): this {
    const segments = pattern === '/' ? [] : pattern.slice(1).split('/').map(s => {
      const m = /^\{(\w+)(:int)?\}$/.exec(s)
      return m ? { param: m[1]!, int: m[2] !== undefined } : { literal: s }
    })
    this.#routes.push({ method, pattern, segments, handler, ...options })
    return this
  }

  get routes (): readonly Route[] { return this.#routes }

  match (method: string, path: string): RouteMatch {
    const parts = splitPath(path)
    if (parts === null) return { kind: 'not-found' }
    let pathMatched = false
    let badParam = false
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts)
      if (params === BAD_PARAM) {
        if (route.method === method || (method === 'HEAD' && route.method === 'GET')) badParam = true
        continue
      }
      if (!params) continue
      // HEAD is served as GET without a body, as JAX-RS does.
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { kind: 'found', route, params }
      pathMatched = true
    }
    return pathMatched ? { kind: 'method-not-allowed' } : badParam ? { kind: 'bad-param' } : { kind: 'not-found' }
  }
}

const BAD_PARAM = Symbol('bad int parameter')

function matchSegments (segments: readonly Segment[], parts: readonly string[]): Record<string, string> | null | typeof BAD_PARAM {
  if (segments.length !== parts.length) return null
  const params: Record<string, string> = {}
  let badParam = false
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!
    const part = parts[i]!
    if (seg.literal !== undefined) {
      if (seg.literal !== part) return null
    } else {
      if (seg.int && !/^[+-]?\d{1,10}$/.test(part)) badParam = true
      params[seg.param!] = part
    }
  }
  return badParam ? BAD_PARAM : params
}
