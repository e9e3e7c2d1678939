/**
 * A client of the Confluent Schema Registry REST API (also served by Apicurio at /apis/ccompat/v7 and by Karapace),
 * on node:http(s): only the calls a converter makes. Written here rather than taken from npm because the maintained
 * clients either pull a large dependency tree (@confluentinc/schemaregistry: axios, the AWS/GCP/Azure KMS SDKs,
 * protobuf-es) or wrap the serialisers we need to control byte for byte (@kafkajs/confluent-schema-registry), while
 * these calls fit in a page and need our own error mapping (retriable or not) and TLS settings anyway.
 *
 * Errors: a registry that cannot be reached, times out, or answers 5xx, 408 or 429 after the client's own retries is
 * a RetriableError (the task's errors.retry.* then applies); any other refusal is a SchemaRegistryError carrying the
 * HTTP status and the registry's error_code, not retriable. Messages name the registry URL without credentials.
 */
import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http'
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https'
import type { SecureContextOptions } from 'node:tls'
import { ConnectError, ErrorCode, RetriableError, type ConnectErrorOptions } from '../../api/index.ts'
import type { SchemaReference, SchemaType } from './schema-format.ts'

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'

/** A schema as the registry holds it. `schemaType` absent means AVRO, as in Confluent's API. */
export interface RegisteredSchema {
  schema: string
  schemaType?: SchemaType
  references?: SchemaReference[]
}

export interface SubjectVersion extends RegisteredSchema {
  subject: string
  id: number
  version: number
}

export interface SchemaRegistryClientOptions {
  /** Base URLs, tried in order (Confluent's client picks the next one after a connection failure). */
  urls: readonly string[]
  /** The value of the Authorization header, or null. */
  authorization: string | null
  /** Extra request headers (request.header.*, bearer.auth.logical.cluster, ...). */
  headers?: Readonly<Record<string, string>>
  tls?: SecureContextOptions & { rejectUnauthorized?: boolean, checkServerIdentity?: () => undefined }
  connectTimeoutMs: number
  readTimeoutMs: number
  /** Retries of one call on a retriable answer before it fails, and the backoff between them. */
  maxRetries: number
  retriesWaitMs: number
  retriesMaxWaitMs: number
}

/** The registry refused a request (4xx other than 408/429): not retriable. */
export class SchemaRegistryError extends ConnectError {
  readonly status: number
  readonly errorCode: number | null
  constructor (message: string, status: number, errorCode: number | null, options: ConnectErrorOptions = {}) {
    super(message, options, ErrorCode.SCHEMA_REGISTRY)
    this.name = 'SchemaRegistryError'
    this.status = status
    this.errorCode = errorCode
  }
}

/** Confluent's error codes the converters tell apart. */
export const REGISTRY_ERROR = {
  SUBJECT_NOT_FOUND: 40401,
  VERSION_NOT_FOUND: 40402,
  SCHEMA_NOT_FOUND: 40403,
  INCOMPATIBLE_SCHEMA: 409,
  INVALID_SCHEMA: 42201
} as const

/** A URL as messages may show it: without user info. */
export function displayUrl (url: string): string {
  try {
    const u = new URL(url)
    u.username = ''
    u.password = ''
    return u.toString().replace(/\/$/, '')
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//')
  }
}

/** What the converter needs of a registry: the HTTP client below, or the in-process mock:// one. */
export interface SchemaRegistryApi {
  readonly urls: string[]
  readonly requests: number
  register (subject: string, schema: RegisteredSchema, normalize: boolean): Promise<number>
  lookup (subject: string, schema: RegisteredSchema, normalize: boolean): Promise<SubjectVersion | null>
  version (subject: string, version: number | 'latest'): Promise<SubjectVersion>
  schemaById (id: number): Promise<RegisteredSchema>
  isCompatible (subject: string, version: number | 'latest', schema: RegisteredSchema): Promise<boolean>
  close (): void
}

export class SchemaRegistryClient implements SchemaRegistryApi {
  readonly #o: SchemaRegistryClientOptions
  readonly #httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 4 })
  readonly #httpsAgent: HttpsAgent
  /** The URL that answered last: tried first next time. */
  #current = 0
  #closed = new AbortController()
  /** HTTP requests sent (every attempt counts): tests and metrics check that records do not each cost one. */
  requests = 0

  constructor (options: SchemaRegistryClientOptions) {
    if (options.urls.length === 0) throw new Error('no Schema Registry URL')
    this.#o = options
    this.#httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 4, ...options.tls })
  }

  get urls (): string[] { return this.#o.urls.map(displayUrl) }

  /** POST /subjects/{subject}/versions: registers (idempotently) and answers the schema's id. */
  async register (subject: string, schema: RegisteredSchema, normalize: boolean): Promise<number> {
    const body = await this.#call('POST', `/subjects/${enc(subject)}/versions${normalize ? '?normalize=true' : ''}`, wire(schema), `register a schema under subject ${subject}`)
    return idOf(body)
  }

  /** POST /subjects/{subject}: the id and version of a schema already registered, or null when it is not. */
  async lookup (subject: string, schema: RegisteredSchema, normalize: boolean): Promise<SubjectVersion | null> {
    try {
      const body = await this.#call('POST', `/subjects/${enc(subject)}${normalize ? '?normalize=true' : ''}`, wire(schema), `look up a schema under subject ${subject}`)
      return subjectVersion(body, subject)
    } catch (err) {
      if (err instanceof SchemaRegistryError && err.status === 404) return null
      throw err
    }
  }

  /** GET /subjects/{subject}/versions/{version} ('latest' allowed). */
  async version (subject: string, version: number | 'latest'): Promise<SubjectVersion> {
    const body = await this.#call('GET', `/subjects/${enc(subject)}/versions/${version}`, null, `read version ${version} of subject ${subject}`)
    return subjectVersion(body, subject)
  }

  /** GET /schemas/ids/{id}. */
  async schemaById (id: number): Promise<RegisteredSchema> {
    const body = await this.#call('GET', `/schemas/ids/${id}`, null, `read the schema with id ${id}`) as Record<string, unknown>
    if (typeof body.schema !== 'string') throw new SchemaRegistryError(`Schema Registry answered the schema with id ${id} without a schema`, 200, null)
    return { schema: body.schema, ...schemaTypeOf(body), ...referencesOf(body) }
  }

  /** POST /compatibility/subjects/{subject}/versions/{version}: whether `schema` may follow that version. */
  async isCompatible (subject: string, version: number | 'latest', schema: RegisteredSchema): Promise<boolean> {
    const body = await this.#call('POST', `/compatibility/subjects/${enc(subject)}/versions/${version}`, wire(schema), `check compatibility with subject ${subject}`) as Record<string, unknown>
    return body.is_compatible === true
  }

  close (): void {
    this.#closed.abort()
    this.#httpAgent.destroy()
    this.#httpsAgent.destroy()
  }

  async #call (method: 'GET' | 'POST', path: string, body: unknown, what: string): Promise<unknown> {
    const payload = body === null ? null : Buffer.from(JSON.stringify(body), 'utf8')
    let lastError: unknown = null
    for (let attempt = 0; attempt <= this.#o.maxRetries; attempt++) {
      if (attempt > 0) await this.#backoff(attempt)
      // One pass over the URLs per attempt, starting with the one that answered last.
      for (let i = 0; i < this.#o.urls.length; i++) {
        const index = (this.#current + i) % this.#o.urls.length
        const base = this.#o.urls[index]!
        try {
          const res = await this.#send(method, base, path, payload)
          this.#current = index
          if (res.status >= 200 && res.status < 300) return parseBody(res.text, base)
          const refusal = refusalOf(res.status, res.text)
          if (res.status >= 500 || res.status === 408 || res.status === 429) {
            lastError = new RetriableError(`Schema Registry at ${displayUrl(base)} could not ${what}: HTTP ${res.status}${refusal.message ? `: ${refusal.message}` : ''}`)
            break
          }
          throw new SchemaRegistryError(`Schema Registry at ${displayUrl(base)} refused to ${what}: HTTP ${res.status}` +
            `${refusal.errorCode !== null ? ` (error_code ${refusal.errorCode})` : ''}${refusal.message ? `: ${refusal.message}` : ''}`, res.status, refusal.errorCode)
        } catch (err) {
          if (err instanceof SchemaRegistryError) throw err
          if (this.#closed.signal.aborted) throw new RetriableError(`Schema Registry client closed while trying to ${what}`, { cause: err })
          lastError = err instanceof RetriableError ? err : new RetriableError(`Schema Registry at ${displayUrl(base)} is unreachable to ${what}: ${describe(err)}`, { cause: err })
        }
      }
    }
    const tries = this.#o.maxRetries + 1
    const err = lastError as RetriableError
    throw new RetriableError(`${err.message} (${tries} attempt${tries === 1 ? '' : 's'}${this.#o.urls.length > 1 ? ` on each of ${this.#o.urls.length} URLs` : ''})`, { cause: err.cause ?? err })
  }

  async #backoff (attempt: number): Promise<void> {
    const cap = Math.min(this.#o.retriesMaxWaitMs, this.#o.retriesWaitMs * 2 ** (attempt - 1))
    const delay = Math.floor(cap / 2 + Math.random() * cap / 2)
    await new Promise<void>(resolve => {
      const timer = setTimeout(done, delay)
      const signal = this.#closed.signal
      function done (): void { clearTimeout(timer); signal.removeEventListener('abort', done); resolve() }
      signal.addEventListener('abort', done, { once: true })
    })
  }

  #send (method: string, base: string, path: string, payload: Buffer | null): Promise<{ status: number, text: string }> {
    this.requests++
    const url = new URL(base.replace(/\/+$/, '') + path)
    const https = url.protocol === 'https:'
    const headers: Record<string, string> = { Accept: `${CONTENT_TYPE}, application/json`, ...this.#o.headers }
    if (payload !== null) {
      headers['Content-Type'] = CONTENT_TYPE
      headers['Content-Length'] = String(payload.length)
    }
    // Credentials in the URL (basic.auth.credentials.source=URL) become the header; the URL goes without them.
    if (this.#o.authorization !== null) headers.Authorization = this.#o.authorization
    else if (url.username !== '') headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
    const options = {
      method,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname + url.search,
      headers,
      agent: https ? this.#httpsAgent : this.#httpAgent,
      signal: this.#closed.signal
    }
    return new Promise((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(options, (res: IncomingMessage) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => { clearTimeout(readTimer); resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }) })
        res.on('error', reject)
      })
      // http.connect.timeout.ms bounds the connection, http.read.timeout.ms the wait for the whole answer after it.
      const connectTimer = setTimeout(() => req.destroy(new Error(`connect timed out after ${this.#o.connectTimeoutMs} ms`)), this.#o.connectTimeoutMs)
      let readTimer: NodeJS.Timeout | undefined
      req.on('socket', socket => {
        const armRead = (): void => {
          clearTimeout(connectTimer)
          readTimer = setTimeout(() => req.destroy(new Error(`no answer within ${this.#o.readTimeoutMs} ms`)), this.#o.readTimeoutMs)
        }
        if (socket.connecting) socket.once(https ? 'secureConnect' : 'connect', armRead)
        else armRead()
      })
      req.on('error', err => { clearTimeout(connectTimer); clearTimeout(readTimer); reject(err) })
      req.on('close', () => { clearTimeout(connectTimer) })
      req.end(payload ?? undefined)
    })
  }
}

function enc (subject: string): string { return encodeURIComponent(subject) }

function wire (schema: RegisteredSchema): Record<string, unknown> {
  const out: Record<string, unknown> = { schema: schema.schema }
  if (schema.schemaType !== undefined && schema.schemaType !== 'AVRO') out.schemaType = schema.schemaType
  if (schema.references !== undefined && schema.references.length > 0) out.references = schema.references
  return out
}

function parseBody (text: string, base: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new RetriableError(`Schema Registry at ${displayUrl(base)} answered something that is not JSON: ${text.slice(0, 120)}`, { cause: err })
  }
}

function refusalOf (status: number, text: string): { errorCode: number | null, message: string } {
  try {
    const body = JSON.parse(text) as Record<string, unknown>
    return { errorCode: typeof body.error_code === 'number' ? body.error_code : null, message: typeof body.message === 'string' ? body.message : '' }
  } catch {
    return { errorCode: null, message: text.slice(0, 200).trim() || (status === 401 ? 'unauthorized' : '') }
  }
}

function idOf (body: unknown): number {
  const id = (body as Record<string, unknown> | null)?.id
  if (typeof id !== 'number') throw new SchemaRegistryError('Schema Registry answered a registration without an id', 200, null)
  return id
}

function subjectVersion (body: unknown, subject: string): SubjectVersion {
  const b = body as Record<string, unknown>
  if (typeof b.id !== 'number' || typeof b.version !== 'number') throw new SchemaRegistryError(`Schema Registry answered subject ${subject} without an id or version`, 200, null)
  return { subject: typeof b.subject === 'string' ? b.subject : subject, id: b.id, version: b.version, schema: typeof b.schema === 'string' ? b.schema : '', ...schemaTypeOf(b), ...referencesOf(b) }
}

function schemaTypeOf (b: Record<string, unknown>): { schemaType?: SchemaType } {
  return b.schemaType === 'JSON' || b.schemaType === 'PROTOBUF' || b.schemaType === 'AVRO' ? { schemaType: b.schemaType } : {}
}

function referencesOf (b: Record<string, unknown>): { references?: SchemaReference[] } {
  if (!Array.isArray(b.references) || b.references.length === 0) return {}
  return { references: (b.references as Array<Record<string, unknown>>).map(r => ({ name: String(r.name), subject: String(r.subject), version: Number(r.version) })) }
}

function describe (err: unknown): string {
  const e = err as NodeJS.ErrnoException
  return e.code !== undefined && !e.message.includes(e.code) ? `${e.code} ${e.message}` : e.message ?? String(err)
}
