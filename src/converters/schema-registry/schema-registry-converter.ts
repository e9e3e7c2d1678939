/**
 * A Schema Registry converter (Confluent's AvroConverter, JsonSchemaConverter, ProtobufConverter) around one format:
 * Connect data to Confluent's wire format (magic byte 0, the schema's 4-byte big-endian registry id, the payload)
 * and back, registering or looking up schemas in the registry under the subject its strategy names.
 *
 * The registry is asked once per schema, never per record: schema to id and id to schema are kept in bounded LRU
 * caches, and the last one used is tried first by identity. Only a schema not seen yet makes a conversion return a
 * promise (the runtime awaits it); concurrent records of the same new schema share one registry call. A registry
 * that cannot be reached is a RetriableError (errors.retry.* applies); a refusal (an incompatible schema, an unknown
 * id) is a DataError naming the subject and version or id (errors.tolerance and the dead letter queue apply).
 */
import {
  ConfigDef, ConfigError, DataError, RetriableError, type Converter, type HeaderConverter, type Headers, type ParsedConfig, type Schema, type SchemaAndValue
} from '../../api/index.ts'
import { LruCache } from '../../util/lru-cache.ts'
import {
  AUTO_REGISTER_SCHEMAS_CONFIG, BEARER_AUTH_IDENTITY_POOL_ID_CONFIG, BEARER_AUTH_LOGICAL_CLUSTER_CONFIG, HTTP_CONNECT_TIMEOUT_MS_CONFIG,
  HTTP_READ_TIMEOUT_MS_CONFIG, KEY_SUBJECT_NAME_STRATEGY_CONFIG, LATEST_CACHE_SIZE_CONFIG,
  LATEST_CACHE_TTL_CONFIG, LATEST_COMPATIBILITY_STRICT_CONFIG, MAX_RETRIES_CONFIG, MAX_SCHEMAS_PER_SUBJECT_CONFIG, NORMALIZE_SCHEMAS_CONFIG,
  REQUEST_HEADER_PREFIX, RETRIES_MAX_WAIT_MS_CONFIG, RETRIES_WAIT_MS_CONFIG, SCHEMA_REGISTRY_CONFIG_DEF, SCHEMA_REGISTRY_URL_CONFIG,
  USE_LATEST_VERSION_CONFIG, USE_SCHEMA_ID_CONFIG, VALUE_SUBJECT_NAME_STRATEGY_CONFIG, authorizationHeader, notSupported, subjectNameStrategy,
  type SubjectNameStrategy
} from './schema-registry-config.ts'
import { REGISTRY_ERROR, SchemaRegistryClient, SchemaRegistryError, type RegisteredSchema, type SchemaRegistryApi } from './schema-registry-client.ts'
import { MOCK_URL_PREFIX, MockSchemaRegistry } from './mock-schema-registry.ts'
import { registryTlsOptions } from './schema-registry-tls.ts'
import type { FormatSchema, ResolvedReference, SchemaFormat, SchemaFormatFactory } from './schema-format.ts'
import { readWireHeader, writeWireFormat } from './wire-format.ts'

type Role = 'key' | 'value' | 'header'

/** What writing needs per (subject, schema): the format's schema and the id it has in the registry. */
interface WriteTarget { schema: FormatSchema, id: number }
/** What reading needs per id. */
interface ReadSource { schema: FormatSchema, connectSchema: Schema | null }

export class SchemaRegistryConverter implements Converter, HeaderConverter {
  kind = 'converter' as 'converter' & 'header_converter'
  readonly #factory: SchemaFormatFactory
  readonly #className: string
  readonly #configDef: ConfigDef
  #role: Role = 'value'
  #format: SchemaFormat | null = null
  #client: SchemaRegistryApi | null = null
  #strategy: SubjectNameStrategy = 'TopicNameStrategy'
  #autoRegister = true
  #useLatest = false
  #latestStrict = true
  #normalize = false
  #useSchemaId = -1
  #latestTtlMs = -1

  /** Connect schema (by identity) to the format's schema: converting a schema costs more than a record. */
  #formatSchemas = new WeakMap<Schema, FormatSchema>()
  #nullSchema: FormatSchema | null = null
  /** `${subject}\0${schema text}` to what records of that schema are written with. */
  #targets = new LruCache<string, WriteTarget>(1000)
  #latest = new LruCache<string, { target: WriteTarget, at: number }>(1000)
  #sources = new LruCache<number, ReadSource>(1000)
  #pendingTargets = new Map<string, Promise<WriteTarget>>()
  #pendingSources = new Map<number, Promise<ReadSource>>()
  // The last schema written and id read: most streams carry one schema, which then costs no map lookup.
  #lastWrite: { schema: Schema | null, topic: string, target: WriteTarget } | null = null
  #lastRead: { id: number, source: ReadSource } | null = null

  /**
   * `unsupportedKeys`: keys of Confluent's serializers for this format that do not apply here (Java classes,
   * reflection), each with the reason it is refused when set.
   */
  constructor (factory: SchemaFormatFactory, className: string, unsupportedKeys: ReadonlyMap<string, string> = new Map()) {
    this.#factory = factory
    this.#className = className
    this.#configDef = new ConfigDef().merge(SCHEMA_REGISTRY_CONFIG_DEF).merge(factory.configDef)
    for (const [name, reason] of unsupportedKeys) {
      if (this.#configDef.has(name)) continue
      this.#configDef.define({ name, type: 'string', default: null, validator: notSupported(reason, 'false'), importance: 'low', documentation: `Not supported: ${reason}.` })
    }
  }

  config (): ConfigDef { return this.#configDef }

  /** HTTP requests made to the registry so far. */
  get registryRequests (): number { return this.#client?.requests ?? 0 }

  /** `isKey` absent: configured as a header converter. */
  configure (configs: Readonly<Record<string, string>>, isKey?: boolean): void {
    this.#role = isKey === undefined ? 'header' : isKey ? 'key' : 'value'
    const where = `${this.#role} converter ${this.#className}`
    const parsed = this.#configDef.parse(configs, where)
    this.close()
    const urls = parsed.list(SCHEMA_REGISTRY_URL_CONFIG).filter(u => u !== '')
    const mock = urls.filter(u => u.startsWith(MOCK_URL_PREFIX))
    if (mock.length > 0 && mock.length !== urls.length) throw new ConfigError(`${SCHEMA_REGISTRY_URL_CONFIG} cannot mix ${MOCK_URL_PREFIX} and real registry URLs (${where})`)
    this.#client = mock.length > 0 ? new MockSchemaRegistry(mock[0]!) : new SchemaRegistryClient({
      urls,
      authorization: authorizationHeader(parsed, where),
      headers: requestHeaders(parsed),
      tls: registryTlsOptions(configs, where),
      connectTimeoutMs: parsed.int(HTTP_CONNECT_TIMEOUT_MS_CONFIG),
      readTimeoutMs: parsed.int(HTTP_READ_TIMEOUT_MS_CONFIG),
      maxRetries: Math.max(0, parsed.int(MAX_RETRIES_CONFIG)),
      retriesWaitMs: parsed.int(RETRIES_WAIT_MS_CONFIG),
      retriesMaxWaitMs: parsed.int(RETRIES_MAX_WAIT_MS_CONFIG)
    })
    this.#strategy = subjectNameStrategy(parsed.string(isKey === true ? KEY_SUBJECT_NAME_STRATEGY_CONFIG : VALUE_SUBJECT_NAME_STRATEGY_CONFIG)!)!
    this.#autoRegister = parsed.boolean(AUTO_REGISTER_SCHEMAS_CONFIG)
    this.#useLatest = parsed.boolean(USE_LATEST_VERSION_CONFIG)
    this.#latestStrict = parsed.boolean(LATEST_COMPATIBILITY_STRICT_CONFIG)
    this.#normalize = parsed.boolean(NORMALIZE_SCHEMAS_CONFIG)
    this.#useSchemaId = parsed.int(USE_SCHEMA_ID_CONFIG)
    const ttl = parsed.int(LATEST_CACHE_TTL_CONFIG)
    this.#latestTtlMs = ttl < 0 ? -1 : ttl * 1000
    const perSubject = Math.max(1, parsed.int(MAX_SCHEMAS_PER_SUBJECT_CONFIG))
    this.#targets = new LruCache(perSubject)
    this.#sources = new LruCache(perSubject)
    this.#latest = new LruCache(Math.max(1, parsed.int(LATEST_CACHE_SIZE_CONFIG)))
    this.#formatSchemas = new WeakMap()
    this.#nullSchema = null
    this.#lastWrite = null
    this.#lastRead = null
    this.#format = this.#factory.create(parsed, isKey === true)
  }

  fromConnectData (topic: string, _headers: Headers, schema: Schema | null, value: unknown): Buffer | null | Promise<Buffer | null> {
    return this.#write(topic, null, schema ?? null, value)
  }

  fromConnectHeader (topic: string, headerKey: string, schema: Schema | null, value: unknown): Buffer | null | Promise<Buffer | null> {
    return this.#write(topic, headerKey, schema ?? null, value)
  }

  toConnectData (topic: string, _headers: Headers, value: Buffer | null): SchemaAndValue | Promise<SchemaAndValue> {
    return this.#read(topic, value)
  }

  toConnectHeader (topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue | Promise<SchemaAndValue> {
    return this.#read(topic, value)
  }

  close (): void {
    this.#client?.close()
    this.#client = null
    this.#pendingTargets.clear()
    this.#pendingSources.clear()
  }

  // ---- Writing

  #write (topic: string, headerKey: string | null, schema: Schema | null, value: unknown): Buffer | null | Promise<Buffer | null> {
    // As Confluent's converters: a null value is a tombstone, except that the JSON Schema converter writes the payload
    // of a null value that has a schema (JSON null, or the default).
    if ((value === null || value === undefined) && (schema === null || this.#factory.writesNullValues !== true)) return null
    const last = this.#lastWrite
    if (last !== null && last.schema === schema && last.topic === topic && headerKey === null) {
      return writeWireFormat(last.target.id, this.#format!.serialize(last.target.schema, schema, value))
    }
    const fs = this.#formatSchemaOf(schema)
    const subject = this.#subject(topic, headerKey, fs)
    const cacheKey = `${subject}\u0000${fs.text}`
    const target = this.#targets.get(cacheKey)
    if (target !== undefined) return this.#serialize(topic, headerKey, schema, target, value)
    let pending = this.#pendingTargets.get(cacheKey)
    if (pending === undefined) {
      pending = this.#resolveTarget(subject, fs).finally(() => this.#pendingTargets.delete(cacheKey))
      this.#pendingTargets.set(cacheKey, pending)
    }
    return pending.then(t => {
      this.#targets.set(cacheKey, t)
      return this.#serialize(topic, headerKey, schema, t, value)
    })
  }

  #serialize (topic: string, headerKey: string | null, schema: Schema | null, target: WriteTarget, value: unknown): Buffer {
    const bytes = writeWireFormat(target.id, this.#format!.serialize(target.schema, schema, value))
    if (headerKey === null) this.#lastWrite = { schema, topic, target }
    return bytes
  }

  #formatSchemaOf (schema: Schema | null): FormatSchema {
    if (schema === null) return (this.#nullSchema ??= this.#format!.fromConnectSchema(null))
    let fs = this.#formatSchemas.get(schema)
    if (fs === undefined) {
      fs = this.#format!.fromConnectSchema(schema)
      this.#formatSchemas.set(schema, fs)
    }
    return fs
  }

  /** Confluent's subject name strategies; header converters name the header too (Confluent has no header converter). */
  #subject (topic: string, headerKey: string | null, fs: FormatSchema): string {
    const suffix = headerKey !== null ? `${headerKey}-header` : this.#role
    if (this.#strategy === 'TopicNameStrategy') return `${topic}-${suffix}`
    if (fs.recordName === null) {
      throw new DataError(`${this.#strategy} names subjects after the record's name, but the ${this.#role} schema written to topic ${topic} has none ` +
        `(a ${this.#factory.type} schema of a primitive type): use TopicNameStrategy for it`)
    }
    return this.#strategy === 'RecordNameStrategy' ? fs.recordName : `${topic}-${fs.recordName}`
  }

  async #resolveTarget (subject: string, fs: FormatSchema): Promise<WriteTarget> {
    const client = this.#client!
    const references = await this.#registerReferences(fs.references)
    const registered: RegisteredSchema = { schema: fs.text, schemaType: this.#factory.type, references }
    if (this.#useSchemaId >= 0) {
      // id.compatibility.strict asks whether the data fits the schema of that id: writing a value that does not fit
      // fails in the format's serialize, with the field that does not.
      const source = await this.#source(this.#useSchemaId, null)
      return { schema: source.schema, id: this.#useSchemaId }
    }
    if (this.#useLatest) return await this.#latestTarget(subject, registered)
    if (this.#autoRegister) {
      try {
        return { schema: fs, id: await this.#register(subject, registered) }
      } catch (err) {
        const dialected = withDraft7Dialect(registered, err)
        if (dialected !== null) {
          try {
            return { schema: fs, id: await this.#register(subject, dialected) }
          } catch (again) {
            throw await this.#explainRefusal(again, subject)
          }
        }
        throw await this.#explainRefusal(err, subject)
      }
    }
    const found = await client.lookup(subject, registered, this.#normalize) ??
      (registered.schemaType === 'JSON' ? await client.lookup(subject, withDraft7Dialect(registered, null)!, this.#normalize) : null)
    if (found === null) {
      throw new DataError(`The ${this.#role} schema is not registered under subject ${subject}, and auto.register.schemas=false: register it first ` +
        `(or set auto.register.schemas=true). Schema: ${fs.text.length > 300 ? `${fs.text.slice(0, 300)}...` : fs.text}`)
    }
    return { schema: fs, id: found.id }
  }

  /**
   * Registers, riding out a registry's conflict between two registrations made at the same moment (Apicurio answers
   * one of them 409 "An artifact version ... already exists", which is no incompatibility): tried again at once, up to
   * three times, then a RetriableError, so errors.retry.* decides.
   */
  async #register (subject: string, schema: RegisteredSchema): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#client!.register(subject, schema, this.#normalize)
      } catch (err) {
        if (!(err instanceof SchemaRegistryError && err.status === 409 && /already exists/i.test(err.message))) throw err
        if (attempt === 3) throw new RetriableError(`Schema Registry kept refusing a concurrent registration under subject ${subject}: ${err.message}`, { cause: err })
        await new Promise(resolve => setTimeout(resolve, 20 * attempt))
      }
    }
  }

  async #latestTarget (subject: string, registered: RegisteredSchema): Promise<WriteTarget> {
    const cached = this.#latest.get(subject)
    let target = cached !== undefined && (this.#latestTtlMs < 0 || Date.now() - cached.at < this.#latestTtlMs) ? cached.target : undefined
    if (target === undefined) {
      let latest
      try {
        latest = await this.#client!.version(subject, 'latest')
      } catch (err) {
        if (err instanceof SchemaRegistryError && err.status === 404) {
          throw new DataError(`use.latest.version is set but subject ${subject} has no version in the registry`, { cause: err })
        }
        throw err
      }
      const refs = await this.#resolveReferences(latest.references ?? [])
      target = { schema: this.#parse(latest.schema, refs, `version ${latest.version} of subject ${subject}`), id: latest.id }
      this.#latest.set(subject, { target, at: Date.now() })
      if (this.#latestStrict && !(await this.#compatible(subject, registered))) {
        throw new DataError(`The ${this.#role} schema is not backward compatible with the latest version (${latest.version}) of subject ${subject}, ` +
          'which use.latest.version writes with (latest.compatibility.strict=true)')
      }
    }
    return target
  }

  /** Whether the registry deems `schema` compatible with the subject's latest version (true when it has none). */
  async #compatible (subject: string, schema: RegisteredSchema): Promise<boolean> {
    try {
      return await this.#client!.isCompatible(subject, 'latest', schema)
    } catch (err) {
      if (err instanceof SchemaRegistryError && err.status === 404) return true
      throw err
    }
  }

  /** Registers the schemas `refs` imports (Protobuf's well-known types) first, as Confluent's serializers do. */
  async #registerReferences (refs: readonly ResolvedReference[]): Promise<RegisteredSchema['references']> {
    if (refs.length === 0) return undefined
    const out = []
    for (const ref of refs) {
      const schema: RegisteredSchema = { schema: ref.schema, schemaType: this.#factory.type }
      let found = await this.#client!.lookup(ref.subject, schema, this.#normalize)
      if (found === null) {
        if (!this.#autoRegister) throw new DataError(`The referenced schema ${ref.name} is not registered under subject ${ref.subject}, and auto.register.schemas=false`)
        try {
          await this.#client!.register(ref.subject, schema, this.#normalize)
        } catch (err) {
          throw await this.#explainRefusal(err, ref.subject)
        }
        found = await this.#client!.lookup(ref.subject, schema, this.#normalize)
        if (found === null) throw new DataError(`Schema Registry registered ${ref.name} under subject ${ref.subject} but cannot find it`)
      }
      out.push({ name: ref.name, subject: ref.subject, version: found.version })
    }
    return out
  }

  /** A registration the registry refused, said with the subject and its latest version. */
  async #explainRefusal (err: unknown, subject: string): Promise<unknown> {
    if (!(err instanceof SchemaRegistryError)) return err
    if (err.status === 409 || err.errorCode === REGISTRY_ERROR.INCOMPATIBLE_SCHEMA) {
      let latest = 'its latest version'
      try {
        latest = `version ${(await this.#client!.version(subject, 'latest')).version}`
      } catch { /* the message stays useful without the number */ }
      return new DataError(`Schema being registered is incompatible with an earlier schema for subject "${subject}" (${latest}): ${err.message}`, { cause: err })
    }
    if (err.status === 422 || err.errorCode === REGISTRY_ERROR.INVALID_SCHEMA) {
      return new DataError(`Schema Registry refused the ${this.#role} schema for subject "${subject}" as invalid: ${err.message}`, { cause: err })
    }
    return new DataError(`Failed to register the ${this.#role} schema under subject "${subject}": ${err.message}`, { cause: err })
  }

  // ---- Reading

  #read (topic: string, bytes: Buffer | null): SchemaAndValue | Promise<SchemaAndValue> {
    if (bytes === null || bytes === undefined) return { schema: null, value: null }
    const id = readWireHeader(bytes, topic, this.#role)
    const payload = bytes.subarray(5)
    const last = this.#lastRead
    if (last !== null && last.id === id) return this.#deserialize(last.source, payload)
    const source = this.#sources.get(id)
    if (source !== undefined) {
      this.#lastRead = { id, source }
      return this.#deserialize(source, payload)
    }
    return this.#source(id, topic).then(s => {
      this.#lastRead = { id, source: s }
      return this.#deserialize(s, payload)
    })
  }

  #deserialize (source: ReadSource, payload: Buffer): SchemaAndValue {
    const format = this.#format!
    if (format.read !== undefined) return format.read(source.schema, source.connectSchema, payload)
    return { schema: source.connectSchema, value: format.deserialize(source.schema, source.connectSchema, payload) }
  }

  /** `topic`: where the record was read, to find the schema's version under its subject (null: not looked up). */
  #source (id: number, topic: string | null): Promise<ReadSource> {
    const cached = this.#sources.get(id)
    if (cached !== undefined) return Promise.resolve(cached)
    let pending = this.#pendingSources.get(id)
    if (pending === undefined) {
      pending = this.#fetchSource(id, topic).finally(() => this.#pendingSources.delete(id))
      this.#pendingSources.set(id, pending)
    }
    return pending
  }

  async #fetchSource (id: number, topic: string | null): Promise<ReadSource> {
    let registered: RegisteredSchema
    try {
      registered = await this.#client!.schemaById(id)
    } catch (err) {
      if (err instanceof SchemaRegistryError && err.status === 404) {
        throw new DataError(`Schema with id ${id} not found in the Schema Registry (${this.#client!.urls.join(', ')}): the record was written against another registry, or the schema was deleted`, { cause: err })
      }
      throw err
    }
    const type = registered.schemaType ?? 'AVRO'
    if (type !== this.#factory.type) {
      throw new DataError(`Schema with id ${id} is a ${type} schema, but this ${this.#role} converter (${this.#className}) reads ${this.#factory.type}`)
    }
    const refs = await this.#resolveReferences(registered.references ?? [])
    const schema = this.#parse(registered.schema, refs, `schema id ${id}`)
    // Confluent's converters give a schema that names no version of its own the version it has under the record's
    // subject: one more call per new id, none per record.
    let version: number | undefined
    if (topic !== null) {
      try {
        const subject = this.#subject(topic, null, schema)
        version = (await this.#client!.lookup(subject, { ...registered, schemaType: type }, false))?.version
      } catch (err) {
        if (!(err instanceof DataError) && !(err instanceof SchemaRegistryError)) throw err
      }
    }
    const source = { schema, connectSchema: this.#format!.toConnectSchema(schema, version) }
    this.#sources.set(id, source)
    return source
  }

  async #resolveReferences (refs: readonly NonNullable<RegisteredSchema['references']>[number][]): Promise<ResolvedReference[]> {
    const out: ResolvedReference[] = []
    for (const ref of refs) {
      const v = await this.#client!.version(ref.subject, ref.version)
      // Depth first, so a format finds what a reference imports before the reference itself.
      out.push(...await this.#resolveReferences(v.references ?? []))
      out.push({ name: ref.name, subject: ref.subject, schema: v.schema })
    }
    return out
  }

  #parse (text: string, refs: ResolvedReference[], what: string): FormatSchema {
    try {
      return this.#format!.parse(text, refs)
    } catch (err) {
      throw new DataError(`Cannot read ${what} from the Schema Registry as ${this.#factory.type}: ${(err as Error).message}`, { cause: err })
    }
  }
}

/** request.header.* plus Confluent Cloud's bearer headers. */
function requestHeaders (parsed: ParsedConfig): Record<string, string> {
  const headers = parsed.originalsWithPrefix(REQUEST_HEADER_PREFIX)
  const cluster = parsed.string(BEARER_AUTH_LOGICAL_CLUSTER_CONFIG)
  if (cluster) headers['target-sr-cluster'] = cluster
  const pool = parsed.string(BEARER_AUTH_IDENTITY_POOL_ID_CONFIG)
  if (pool) headers['Confluent-Identity-Pool-Id'] = pool
  return headers
}

const DRAFT_7 = 'http://json-schema.org/draft-07/schema#'

/**
 * Confluent's JsonSchemaData writes no "$schema" (readers take draft 7), but Apicurio Registry guesses a schema's type
 * from its content and refuses a JSON Schema without "$schema" or "properties" ("Failed to discover artifact type",
 * "Given schema is not from type: JSON"). The same schema with draft 7 named is what such a registry accepts; null
 * when `err` is not that refusal (`err` null: always).
 */
function withDraft7Dialect (schema: RegisteredSchema, err: unknown): RegisteredSchema | null {
  if (schema.schemaType !== 'JSON' || !schema.schema.startsWith('{') || schema.schema.includes('"$schema"')) return null
  if (err !== null && !(err instanceof SchemaRegistryError && err.status === 422 && /artifact type|not from type/i.test(err.message))) return null
  const rest = schema.schema.slice(1).trimStart()
  return { ...schema, schema: `{"$schema":"${DRAFT_7}"${rest.startsWith('}') ? '' : ','}${rest}` }
}
