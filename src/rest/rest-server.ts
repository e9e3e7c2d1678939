/**
 * The REST server (Apache's RestServer/ConnectRestServer) on node:http and node:https: it binds exactly the
 * configured `listeners` (an empty host means every interface, port 0 a free port), routes requests, checks media
 * types, parses and schema-checks JSON bodies, bounds every request (90 s, as Apache) and answers every error as
 * `{"error_code", "message"}` through the one status table (error-status.ts).
 *
 * Security hooks (rest-security.ts builds them from the worker config): TLS for https listeners, HTTP basic
 * authentication (checked after routing, as Apache's JAX-RS filter is, so unknown paths are 404 for anyone),
 * CORS, extra response headers, and a request body limit enforced while the body streams in.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { ConnectError, javaHashMapOrder, javaStringHash, NotFoundError, TimeoutError } from '../api/index.ts'
import { createLogger, type Logger } from '../util/logger.ts'
import { UNAUTHORIZED_MESSAGE } from './basic-auth.ts'
import { CorsPolicy } from './cors.ts'
import { errorBody, httpStatusOf } from './error-status.ts'
import { BadRequestError, RestErrorCode, RestProtocolError } from './errors.ts'
import { describeSchemaErrors } from './request-schemas.ts'
import { applyHeaderRules, type HeaderRule, type OutgoingHeaders } from './response-headers.ts'
import { REST_REQUEST_BODY_MAX_BYTES_DEFAULT } from './rest-security.ts'
import { Router, type RestResponse, type Route } from './router.ts'
import type { RestListener } from './rest-server-config.ts'
import type { RestTlsSettings } from './tls-options.ts'

export const DEFAULT_REQUEST_TIMEOUT_MS = 90_000
/** How much of a refused request's body is read and thrown away so the client sees the answer; then the connection is cut. */
const DISCARD_LIMIT_BYTES = 8 * 1024 * 1024
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
/** Apache's basic authentication filter lets these internal (distributed-mode) requests through unauthenticated. */
const UNAUTHENTICATED_ROUTES = new Set(['POST /connectors/{name}/tasks', 'PUT /connectors/{name}/fence'])

export interface RestServerOptions {
  listeners: readonly RestListener[]
  /** Bound on a request's wait for the herder (Apache: 90 s, then 500 "Request timed out"). */
  requestTimeoutMs?: number
  logger?: Logger
  /** TLS of the https listeners (required when there is one). */
  tls?: RestTlsSettings
  /** Checks the Authorization header of every routed request; absent: no authentication. */
  authenticator?: { authenticate (authorization: string | undefined): boolean } | null
  cors?: CorsPolicy | null
  /** response.http.headers.config */
  responseHeaders?: readonly HeaderRule[]
  /** Largest request body accepted (413 beyond); default 1 MiB. */
  maxBodyBytes?: number
}

/** A response as sent: RestResponse's `text` is also the plain-text body of OPTIONS. */
interface Outgoing extends RestResponse {
  /** Sent without a Content-Type (the body is still JSON), as Jersey answers errors raised before a resource runs. */
  bare?: boolean
}

export interface BoundListener { listener: RestListener, host: string, port: number, url: string }

export class RestServer {
  readonly router = new Router()
  readonly #options: RestServerOptions
  readonly #logger: Logger
  readonly #requestLogger: Logger = createLogger('RestServer')
  readonly #servers: Server[] = []
  #bound: BoundListener[] = []

  constructor (options: RestServerOptions) {
    this.#options = options
    this.#logger = options.logger ?? createLogger('RestServer')
  }

  get bound (): readonly BoundListener[] { return this.#bound }

  /** Binds every listener; rejects (closing what was bound) when one cannot be bound. */
  async start (): Promise<readonly BoundListener[]> {
    try {
      for (const listener of this.#options.listeners) {
        const server = this.#createServer(listener)
        server.keepAliveTimeout = 30_000
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject)
          // An empty host binds every interface (IPv6 and IPv4), as Jetty does for http://:8083.
          if (listener.host === '') server.listen(listener.port, () => { server.off('error', reject); resolve() })
          else server.listen(listener.port, listener.host, () => { server.off('error', reject); resolve() })
        }).catch((err: unknown) => { throw bindError(listener, err) })
        this.#servers.push(server)
        const addr = server.address() as AddressInfo
        const host = listener.host === '' ? '' : addr.address
        const url = `${listener.protocol}://${formatHost(host === '' ? '0.0.0.0' : host)}:${addr.port}/`
        this.#bound.push({ listener, host, port: addr.port, url })
        this.#logger.info(`REST server listening at ${url}${listener.host === '' ? ' (all interfaces)' : ''}`)
      }
    } catch (err) {
      await this.stop(1000)
      throw err
    }
    return this.#bound
  }

  #createServer (listener: RestListener): Server {
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => { void this.#handle(req, res, false) }
    // A client that waits for "100 Continue" gets it only once the request passed authentication and the size check.
    const onCheckContinue = (req: IncomingMessage, res: ServerResponse): void => { void this.#handle(req, res, true) }
    if (listener.protocol === 'http') {
      const server = createServer(onRequest)
      server.on('checkContinue', onCheckContinue)
      return server
    }
    const tls = this.#options.tls
    if (!tls) throw new ConnectError(`The https listener ${listener.protocol}://${formatHost(listener.host)}:${listener.port} has no TLS settings`)
    const server = createHttpsServer(tls.options, onRequest)
    server.on('checkContinue', onCheckContinue)
    if (tls.clientAuth === 'requested') {
      // Like Jetty's "want client auth": no certificate is fine, an untrusted one ends the connection.
      server.on('secureConnection', (socket: TLSSocket) => {
        if (!socket.authorized && hasPeerCertificate(socket)) {
          this.#logger.debug(`REST client certificate rejected: ${String(socket.authorizationError)}`)
          socket.destroy()
        }
      })
    }
    server.on('tlsClientError', (err: Error) => { this.#logger.debug(`REST TLS handshake failed: ${err.message}`) })
    return server as unknown as Server
  }

  /** Stops accepting, lets requests in progress finish for up to `timeoutMs`, then closes every connection. */
  async stop (timeoutMs = 5000): Promise<void> {
    const servers = this.#servers.splice(0)
    this.#bound = []
    await Promise.all(servers.map(async server => {
      const closed = new Promise<void>(resolve => server.close(() => resolve()))
      server.closeIdleConnections()
      let timer: NodeJS.Timeout | undefined
      const timedOut = new Promise<void>(resolve => { timer = setTimeout(resolve, timeoutMs) })
      await Promise.race([closed, timedOut])
      clearTimeout(timer)
      server.closeAllConnections()
      await closed
    }))
  }

  async #handle (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): Promise<void> {
    const started = Date.now()
    const method = req.method ?? 'GET'
    let path = '/'
    let response: Outgoing
    const controller = new AbortController()
    const onClose = (): void => { if (!res.writableFinished) controller.abort(new Error('client closed the connection')) }
    res.once('close', onClose)
    let bodyRead = false
    try {
      const tlsSocket = req.socket as Partial<TLSSocket>
      if (this.#options.tls?.clientAuth === 'requested' && tlsSocket.authorized === false && hasPeerCertificate(tlsSocket as TLSSocket)) {
        req.socket.destroy()
        return
      }
      const url = new URL(req.url ?? '/', 'http://localhost')
      path = url.pathname
      if (method === 'OPTIONS') {
        response = this.#optionsResponse(req, path)
      } else {
        const match = this.router.match(method, path)
        if (match.kind === 'not-found') throw Object.assign(new NotFoundError('HTTP 404 Not Found'), { [BARE]: true })
        if (match.kind === 'bad-param') throw new NotFoundError('HTTP 404 Not Found')
        if (match.kind === 'method-not-allowed') throw new RestProtocolError('HTTP 405 Method Not Allowed', RestErrorCode.METHOD_NOT_ALLOWED)
        this.#authenticate(req, `${match.route.method} ${match.route.pattern}`)
        checkAccept(req.headers.accept, match.route.produces)
        const maxBodyBytes = this.#options.maxBodyBytes ?? REST_REQUEST_BODY_MAX_BYTES_DEFAULT
        const declared = Number(req.headers['content-length'] ?? 0)
        if (declared > maxBodyBytes) throw tooLarge(maxBodyBytes)
        if (expectsContinue) res.writeContinue()
        bodyRead = true
        const body = await readBody(req, match.route, maxBodyBytes)
        response = await this.#run(match.route, {
          scheme: (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http',
          method, path, params: match.params, query: url.searchParams, headers: req.headers, body, signal: controller.signal
        }, controller)
      }
    } catch (err) {
      if (!ConnectError.is(err) || httpStatusOf(err) >= 500) this.#logger.error(`Uncaught exception in REST call to ${path}`, err)
      else if (ConnectError.is(err) && err.code === RestErrorCode.UNAUTHORIZED) this.#logger.debug(`Request failed authentication: ${method} ${path}`)
      response = { status: httpStatusOf(err), body: errorBody(err), bare: isBare(err) }
      if (ConnectError.is(err) && err.code === RestErrorCode.UNAUTHORIZED) response.headers = { 'WWW-Authenticate': 'Basic realm="Kafka Connect", charset="UTF-8"' }
    } finally {
      res.off('close', onClose)
    }
    const payload = response.text !== undefined ? Buffer.from(response.text) : response.body === undefined ? undefined : Buffer.from(JSON.stringify(response.body))
    // Apache's order: the CORS handler, then the header rules, then the resource's own headers.
    const headers: OutgoingHeaders = this.#options.cors ? this.#options.cors.headers(method, req.headers) : {}
    if (this.#options.responseHeaders) applyHeaderRules(this.#options.responseHeaders, headers)
    for (const [k, v] of Object.entries(response.headers ?? {})) setHeader(headers, k, v)
    if (payload) {
      if (!response.bare && response.headers?.['Content-Type'] === undefined) setHeader(headers, 'Content-Type', response.text !== undefined ? 'text/plain' : 'application/json')
      setHeader(headers, 'Content-Length', String(payload.length))
    } else {
      setHeader(headers, 'Content-Length', '0')
    }
    if (!req.complete) this.#discardBody(req, expectsContinue && !bodyRead, headers)
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(response.status, headers)
      res.end(method === 'HEAD' ? undefined : payload)
    }
    this.#requestLogger.info(`${req.socket.remoteAddress ?? '-'} - - "${method} ${req.url ?? '/'} HTTP/${req.httpVersion}" ${response.status} ` +
      `${payload?.length ?? 0} "${req.headers.referer ?? '-'}" "${req.headers['user-agent'] ?? '-'}" ${Date.now() - started}`)
  }

  /** 401 unless the request passes basic authentication (when it is on). CORS preflights and Apache's internal routes pass. */
  #authenticate (req: IncomingMessage, route: string | null): void {
    const auth = this.#options.authenticator
    if (!auth) return
    if (route !== null && UNAUTHENTICATED_ROUTES.has(route)) return
    if (route === null && this.#options.cors && CorsPolicy.isPreflight(req.method ?? '', req.headers)) return
    if (!auth.authenticate(req.headers.authorization)) throw new RestProtocolError(UNAUTHORIZED_MESSAGE, RestErrorCode.UNAUTHORIZED)
  }

  /**
   * OPTIONS, as JAX-RS answers it: the path's methods in an Allow header and as text (404 for an unknown path).
   * Authenticated like any request, except CORS preflights (a browser sends them without credentials).
   */
  #optionsResponse (req: IncomingMessage, path: string): Outgoing {
    const methods = METHODS.filter(m => this.router.match(m, path).kind === 'found')
    if (methods.length === 0) throw new NotFoundError('HTTP 404 Not Found')
    this.#authenticate(req, null)
    if (methods.includes('GET')) methods.push('HEAD')
    methods.push('OPTIONS')
    // Jersey keeps them in a java.util.HashSet: its iteration order.
    const ordered = javaHashMapOrder(methods.map(m => [m, m] as const), javaStringHash).map(([m]) => m)
    return { status: 200, text: ordered.join(', '), headers: { Allow: ordered.join(',') } }
  }

  /**
   * The body of a refused request is not read. A client waiting for 100 Continue never sends it: the connection
   * closes after the answer. Otherwise the rest of the body is read and dropped, so the client can read the answer
   * and keep the connection, up to DISCARD_LIMIT_BYTES; past that the connection is cut.
   */
  #discardBody (req: IncomingMessage, waitingForContinue: boolean, headers: OutgoingHeaders): void {
    if (waitingForContinue) {
      setHeader(headers, 'Connection', 'close')
      return
    }
    let discarded = 0
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length
      if (discarded > DISCARD_LIMIT_BYTES) req.socket.destroy()
    })
    req.resume()
  }

  async #run (route: Route, request: Parameters<Route['handler']>[0], controller: AbortController): Promise<RestResponse> {
    const timeoutMs = this.#options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const err = new TimeoutError('Request timed out')
        controller.abort(err)
        reject(err)
      }, timeoutMs)
    })
    try {
      return await Promise.race([Promise.resolve().then(() => route.handler(request)), timeout])
    } finally {
      clearTimeout(timer)
    }
  }
}

function hasPeerCertificate (socket: TLSSocket): boolean {
  const cert = socket.getPeerCertificate?.()
  return cert !== undefined && cert !== null && Object.keys(cert).length > 0
}

/** Sets a header, replacing any of the same name in another case. */
function setHeader (headers: OutgoingHeaders, name: string, value: string): void {
  for (const k of Object.keys(headers)) if (k.toLowerCase() === name.toLowerCase()) delete headers[k]
  headers[name] = value
}

/**
 * Why a listener could not bind, naming the `listeners` entry and what to do. A port in use is the usual first-run
 * failure (a second worker, or another service on 8083); Node's bare "listen EADDRINUSE: address already in use
 * :::8083" names neither the setting nor a way out.
 */
function bindError (listener: RestListener, err: unknown): ConnectError {
  const entry = `listeners=${listener.protocol}://${formatHost(listener.host)}:${listener.port}`
  const code = (err as NodeJS.ErrnoException).code
  const message = (err as Error).message
  let text: string
  if (code === 'EADDRINUSE') {
    text = `port ${listener.port} is already in use by another process (${message}). Stop the other process, or set listeners in the ` +
      `worker file to another port (listeners=${listener.protocol}://:0 picks a free one)`
  } else if (code === 'EACCES') {
    text = `permission denied (${message}): ports below 1024 need privileges; set listeners in the worker file to a port above 1023`
  } else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    text = `host ${listener.host} is not an address of this machine (${message}); set listeners in the worker file to one of its addresses, or leave the host empty for every interface`
  } else {
    text = message
  }
  return new ConnectError(`Cannot bind the REST listener ${entry}: ${text}`, { cause: err })
}

function formatHost (host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

/** 406 unless the client accepts JSON (no Accept header accepts everything). */
const BARE = Symbol('answered without a Content-Type')

/**
 * Errors Jersey raises while it chooses the resource method (no resource for the path, 405, 406, 415) reach Apache's
 * exception mapper outside any resource, so their JSON body goes out without a Content-Type; ours do the same.
 */
function isBare (err: unknown): boolean {
  if (!ConnectError.is(err)) return false
  if ((err as { [BARE]?: boolean })[BARE] === true) return true
  return err.code === RestErrorCode.METHOD_NOT_ALLOWED || err.code === RestErrorCode.NOT_ACCEPTABLE || err.code === RestErrorCode.UNSUPPORTED_MEDIA_TYPE
}

function checkAccept (accept: string | undefined, produces: readonly string[] = []): void {
  if (accept === undefined || accept.trim() === '') return
  const ok = accept.split(',').some(part => {
    const [type, ...params] = part.trim().split(';').map(s => s.trim().toLowerCase())
    const q = params.find(p => p.startsWith('q='))
    if (q !== undefined && Number(q.slice(2)) === 0) return false
    return type === '*/*' || type === 'application/*' || type === 'application/json' || produces.includes(type ?? '')
  })
  if (!ok) throw new RestProtocolError('HTTP 406 Not Acceptable', RestErrorCode.NOT_ACCEPTABLE)
}

function isJson (contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'))
}

/**
 * Apache's 415 ("HTTP 415 Unsupported Media Type") says what is wrong but not what to send; ours goes on to say it,
 * with what was received, since a missing header (curl -d sends a form type) is the usual cause.
 */
function unsupportedMediaType (contentType: string | undefined): RestProtocolError {
  const got = contentType === undefined ? 'the request has no Content-Type' : `got Content-Type: ${contentType}`
  return new RestProtocolError(`HTTP 415 Unsupported Media Type: send the request body as JSON with the header Content-Type: application/json (${got})`,
    RestErrorCode.UNSUPPORTED_MEDIA_TYPE)
}

function tooLarge (maxBodyBytes: number): RestProtocolError {
  return new RestProtocolError(`Request body larger than ${maxBodyBytes} bytes (rest.request.body.max.bytes)`, RestErrorCode.PAYLOAD_TOO_LARGE)
}

/** The whole body, or a 413 as soon as it passes the limit (the rest is not kept). */
async function collectBody (req: IncomingMessage, maxBodyBytes: number): Promise<Buffer> {
  return await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const cleanup = (): void => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('aborted', onAborted)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > maxBodyBytes) {
        cleanup()
        chunks.length = 0
        reject(tooLarge(maxBodyBytes))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = (): void => { cleanup(); resolve(Buffer.concat(chunks)) }
    const onError = (err: Error): void => { cleanup(); reject(err) }
    const onAborted = (): void => { cleanup(); reject(new BadRequestError('The client closed the connection before the request body was complete')) }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('aborted', onAborted)
  })
}

/**
 * Reads, parses and checks the body of a route that takes one. Apache answers 500 for malformed JSON or unknown
 * fields (Jackson errors); we answer 400 with a message naming the problem.
 */
async function readBody (req: IncomingMessage, route: Route, maxBodyBytes: number): Promise<unknown> {
  const contentType = req.headers['content-type']
  if (contentType !== undefined && !isJson(contentType)) {
    req.resume()
    throw unsupportedMediaType(contentType)
  }
  const raw = await collectBody(req, maxBodyBytes)
  if (!route.body) return undefined
  const text = raw.toString('utf8')
  if (text.trim() === '') {
    if (route.optionalBody) return undefined
    if (contentType === undefined) throw unsupportedMediaType(contentType)
    throw new BadRequestError('Request body is empty; expected a JSON object')
  }
  if (contentType === undefined) throw unsupportedMediaType(contentType)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new BadRequestError(`Malformed JSON in the request body: ${(err as Error).message}`)
  }
  if (!route.body(value)) throw new BadRequestError(describeSchemaErrors(route.body.errors ?? []))
  return value
}
