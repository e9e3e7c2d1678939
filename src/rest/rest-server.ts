/**
 * The REST server (Apache's RestServer/ConnectRestServer) on node:http: it binds exactly the configured `listeners`
 * (an empty host means every interface, port 0 a free port), routes requests, checks media types, parses and
 * schema-checks JSON bodies, bounds every request (90 s, as Apache) and answers every error as
 * `{"error_code", "message"}` through the one status table (error-status.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { BadRequestError, ConnectError, ErrorCode, NotFoundError, RestProtocolError, TimeoutError } from '../api/index.ts'
import type { Listener } from '../config/worker-config.ts'
import { createLogger, type Logger } from '../util/logger.ts'
import { errorBody, httpStatusOf } from './error-status.ts'
import { describeSchemaErrors } from './request-schemas.ts'
import { Router, type RestResponse, type Route } from './router.ts'

export const DEFAULT_REQUEST_TIMEOUT_MS = 90_000
const MAX_BODY_BYTES = 16 * 1024 * 1024

export interface RestServerOptions {
  listeners: readonly Listener[]
  /** Bound on a request's wait for the herder (Apache: 90 s, then 500 "Request timed out"). */
  requestTimeoutMs?: number
  logger?: Logger
}

export interface BoundListener { listener: Listener, host: string, port: number, url: string }

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
        if (listener.protocol !== 'http') {
          throw new ConnectError(`Listener ${listener.protocol}://${formatHost(listener.host)}:${listener.port} is not supported: connect-standalone serves plain http only (terminate TLS in front of it)`)
        }
        const server = createServer((req, res) => { void this.#handle(req, res) })
        server.keepAliveTimeout = 30_000
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject)
          // An empty host binds every interface (IPv6 and IPv4), as Jetty does for http://:8083.
          if (listener.host === '') server.listen(listener.port, () => { server.off('error', reject); resolve() })
          else server.listen(listener.port, listener.host, () => { server.off('error', reject); resolve() })
        }).catch((err: unknown) => {
          throw new ConnectError(`Cannot bind the REST listener ${listener.protocol}://${formatHost(listener.host)}:${listener.port}: ${(err as Error).message}`, { cause: err })
        })
        this.#servers.push(server)
        const addr = server.address() as AddressInfo
        const host = listener.host === '' ? '' : addr.address
        const url = `http://${formatHost(host === '' ? '0.0.0.0' : host)}:${addr.port}/`
        this.#bound.push({ listener, host, port: addr.port, url })
        this.#logger.info(`REST server listening at ${url}${listener.host === '' ? ' (all interfaces)' : ''}`)
      }
    } catch (err) {
      await this.stop(1000)
      throw err
    }
    return this.#bound
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

  async #handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now()
    const method = req.method ?? 'GET'
    let path = '/'
    let response: RestResponse
    const controller = new AbortController()
    const onClose = (): void => { if (!res.writableFinished) controller.abort(new Error('client closed the connection')) }
    res.once('close', onClose)
    try {
      const url = new URL(req.url ?? '/', 'http://localhost')
      path = url.pathname
      const match = this.router.match(method, path)
      if (match.kind === 'not-found') throw new NotFoundError('HTTP 404 Not Found')
      if (match.kind === 'method-not-allowed') throw new RestProtocolError('HTTP 405 Method Not Allowed', ErrorCode.METHOD_NOT_ALLOWED)
      checkAccept(req.headers.accept)
      const body = await readBody(req, match.route)
      response = await this.#run(match.route, {
        method, path, params: match.params, query: url.searchParams, headers: req.headers, body, signal: controller.signal
      }, controller)
    } catch (err) {
      if (!ConnectError.is(err) || httpStatusOf(err) >= 500) this.#logger.error(`Uncaught exception in REST call to ${path}`, err)
      response = { status: httpStatusOf(err), body: errorBody(err) }
    } finally {
      res.off('close', onClose)
    }
    const payload = response.body === undefined ? undefined : Buffer.from(JSON.stringify(response.body))
    const headers: Record<string, string | number> = { ...response.headers }
    if (payload) {
      headers['Content-Type'] = 'application/json'
      headers['Content-Length'] = payload.length
    } else {
      headers['Content-Length'] = 0
    }
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(response.status, headers)
      res.end(method === 'HEAD' ? undefined : payload)
    }
    this.#requestLogger.info(`${req.socket.remoteAddress ?? '-'} - - "${method} ${req.url ?? '/'} HTTP/${req.httpVersion}" ${response.status} ` +
      `${payload?.length ?? 0} "${req.headers.referer ?? '-'}" "${req.headers['user-agent'] ?? '-'}" ${Date.now() - started}`)
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

function formatHost (host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

/** 406 unless the client accepts JSON (no Accept header accepts everything). */
function checkAccept (accept: string | undefined): void {
  if (accept === undefined || accept.trim() === '') return
  const ok = accept.split(',').some(part => {
    const [type, ...params] = part.trim().split(';').map(s => s.trim().toLowerCase())
    const q = params.find(p => p.startsWith('q='))
    if (q !== undefined && Number(q.slice(2)) === 0) return false
    return type === '*/*' || type === 'application/*' || type === 'application/json'
  })
  if (!ok) throw new RestProtocolError('HTTP 406 Not Acceptable', ErrorCode.NOT_ACCEPTABLE)
}

function isJson (contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'))
}

/**
 * Reads, parses and checks the body of a route that takes one. Apache answers 500 for malformed JSON or unknown
 * fields (Jackson errors); we answer 400 with a message naming the problem.
 */
async function readBody (req: IncomingMessage, route: Route): Promise<unknown> {
  const contentType = req.headers['content-type']
  if (contentType !== undefined && !isJson(contentType)) {
    req.resume()
    throw new RestProtocolError('HTTP 415 Unsupported Media Type', ErrorCode.UNSUPPORTED_MEDIA_TYPE)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new RestProtocolError(`Request body larger than ${MAX_BODY_BYTES} bytes`, ErrorCode.PAYLOAD_TOO_LARGE)
    chunks.push(chunk)
  }
  if (!route.body) return undefined
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') {
    if (route.optionalBody) return undefined
    if (contentType === undefined) throw new RestProtocolError('HTTP 415 Unsupported Media Type', ErrorCode.UNSUPPORTED_MEDIA_TYPE)
    throw new BadRequestError('Request body is empty; expected a JSON object')
  }
  if (contentType === undefined) throw new RestProtocolError('HTTP 415 Unsupported Media Type', ErrorCode.UNSUPPORTED_MEDIA_TYPE)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new BadRequestError(`Malformed JSON in the request body: ${(err as Error).message}`)
  }
  if (!route.body(value)) throw new BadRequestError(describeSchemaErrors(route.body.errors ?? []))
  return value
}
