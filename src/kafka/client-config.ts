/**
 * Translates Java client settings from worker files (`producer.*`, `consumer.*`, `admin.*`, unprefixed security
 * settings, and connectors' `producer.override.*` / `consumer.override.*`) into librdkafka properties. Java names that
 * librdkafka spells the same pass through; renamed ones are translated; Java-only settings that have no meaning here
 * are dropped with a warning that names them; anything else is given to librdkafka, which rejects unknown names — that
 * rejection is turned into a ConfigError naming the worker key.
 *
 * Security settings (`security.protocol`, `sasl.*`, `ssl.*`) are translated as a group, because their meaning depends
 * on each other: `sasl.jaas.config` becomes `sasl.username`/`sasl.password` (PLAIN, SCRAM) or OAUTHBEARER settings,
 * Java key and trust stores become PEM or PKCS12 settings (JKS/PKCS12 trust stores are read here, since librdkafka
 * only takes PEM trust anchors). Like the Java client, SASL settings are ignored unless the protocol is SASL_*, and
 * SSL settings unless it is SSL or SASL_SSL. Error messages and warnings name keys, never secret values.
 */
import { ConfigError, Password } from '../api/index.ts'
import { JaasParseError, parseJaasConfig, type JaasEntry } from '../java/jaas.ts'
import {
  derToPem, jksTrustedCertificates, KeyStoreError, normalizePem, pkcs12TrustedCertificates, readStore, sniffStoreFormat, splitPem
} from '../java/keystores.ts'

export type ClientKind = 'producer' | 'consumer' | 'admin'
export type ClientProps = Record<string, string | number | boolean>

export interface TranslatedClientConfig {
  /** Global librdkafka properties. */
  global: ClientProps
  /** Topic-level properties (auto.offset.reset must go here for node-rdkafka consumers). */
  topic: ClientProps
  /** Worker keys, as written, of each librdkafka property (for error messages). */
  origin: Map<string, string>
  /** Warnings about settings that were dropped. */
  warnings: string[]
}

type Translation = string | ((value: string, key: string) => Array<[string, string | number | boolean]>)

const ASSIGNORS: Record<string, string> = {
  'org.apache.kafka.clients.consumer.RangeAssignor': 'range',
  'org.apache.kafka.clients.consumer.RoundRobinAssignor': 'roundrobin',
  'org.apache.kafka.clients.consumer.CooperativeStickyAssignor': 'cooperative-sticky',
  range: 'range', roundrobin: 'roundrobin', 'cooperative-sticky': 'cooperative-sticky'
}

/** Java name → librdkafka name (or a function producing several properties). */
const RENAMED: Record<string, Translation> = {
  'sasl.mechanism': 'sasl.mechanisms',
  'buffer.memory': v => [['queue.buffering.max.kbytes', Math.max(1, Math.floor(Number(v) / 1024))]],
  'max.request.size': 'message.max.bytes',
  'delivery.timeout.ms': 'message.timeout.ms',
  'fetch.max.wait.ms': 'fetch.wait.max.ms',
  'receive.buffer.bytes': v => Number(v) === -1 ? [] : [['socket.receive.buffer.bytes', Number(v)]],
  'send.buffer.bytes': v => Number(v) === -1 ? [] : [['socket.send.buffer.bytes', Number(v)]],
  'partition.assignment.strategy': (v, key) => {
    const mapped = v.split(/\s*,\s*/).map(a => {
      const m = ASSIGNORS[a]
      if (!m) throw new ConfigError(`Invalid value ${v} for configuration ${key}: librdkafka supports RangeAssignor, RoundRobinAssignor and CooperativeStickyAssignor`)
      return m
    })
    return [['partition.assignment.strategy', mapped.join(',')]]
  }
}

/** Java-only settings with no librdkafka meaning: dropped, with a warning naming them. */
const IGNORED = new Set([
  'key.serializer', 'value.serializer', 'key.deserializer', 'value.deserializer', 'max.block.ms',
  'interceptor.classes', 'metric.reporters', 'metrics.num.samples', 'metrics.sample.window.ms', 'metrics.recording.level',
  'auto.include.jmx.reporter', 'partitioner.class', 'default.api.timeout.ms', 'allow.auto.create.topics'
])

/** Settings the runtime owns: a user value would break Connect's guarantees. */
const FORCED: Partial<Record<ClientKind, Set<string>>> = {
  consumer: new Set(['enable.auto.commit'])
}

const TOPIC_LEVEL = new Set(['auto.offset.reset'])

export interface TranslateOptions {
  /** The worker key each Java setting came from; default: `prefix + key`. */
  origins?: ReadonlyMap<string, string>
  /**
   * The protocol when the settings name none (the worker's clients: PLAINTEXT, as Java's). Without one, as for a
   * connector's overrides (which apply on top of the worker's protocol), every security setting given is translated.
   */
  defaultSecurityProtocol?: string
}

export function translateClientConfig (kind: ClientKind, settings: Readonly<Record<string, string>>, prefix: string, options: TranslateOptions = {}): TranslatedClientConfig {
  const out: TranslatedClientConfig = { global: {}, topic: {}, origin: new Map(), warnings: [] }
  const workerKeyOf = (key: string): string => options.origins?.get(key) ?? prefix + key
  const emit = (k: string, v: string | number | boolean, workerKey: string): void => {
    if (TOPIC_LEVEL.has(k)) out.topic[k] = v
    else out.global[k] = v
    out.origin.set(k, workerKey)
  }
  const security = new Map<string, string>()
  for (const [key, value] of Object.entries(settings)) {
    if (isSecuritySetting(key)) {
      security.set(key, value)
      continue
    }
    const workerKey = workerKeyOf(key)
    if (IGNORED.has(key)) {
      out.warnings.push(`Ignoring ${workerKey}: it has no equivalent in librdkafka`)
      continue
    }
    if (FORCED[kind]?.has(key)) {
      out.warnings.push(`Ignoring ${workerKey}: Connect manages this setting itself`)
      continue
    }
    const t = RENAMED[key]
    const pairs: Array<[string, string | number | boolean]> = t === undefined ? [[key, value]] : typeof t === 'string' ? [[t, value]] : t(value, workerKey)
    for (const [k, v] of pairs) emit(k, v, workerKey)
  }
  if (security.size > 0) translateSecurity(security, workerKeyOf, emit, out.warnings, options.defaultSecurityProtocol)
  return out
}

/** Whether a Java client setting belongs to the security group (`security.protocol`, `sasl.*`, `ssl.*`). */
export function isSecuritySetting (key: string): boolean {
  return key === 'security.protocol' || key.startsWith('sasl.') || key.startsWith('ssl.')
}

/**
 * The Java settings one of the worker's clients gets: its `producer.` / `consumer.` / `admin.` settings and, when it
 * has no security setting of its own, the worker's unprefixed security settings. (Apache gives unprefixed settings
 * only to its admin clients, so a secured cluster needs them written three times; a client configured the Apache way
 * gets exactly what Apache gives it.)
 */
export function workerClientSettings (kind: ClientKind, originals: Readonly<Record<string, string>>): { settings: Record<string, string>, origins: Map<string, string> } {
  const settings: Record<string, string> = {}
  const origins = new Map<string, string>()
  const prefix = `${kind}.`
  const own = Object.keys(originals).filter(k => k.startsWith(prefix))
  if (!own.some(k => isSecuritySetting(k.slice(prefix.length)))) {
    for (const [k, v] of Object.entries(originals)) {
      if (isSecuritySetting(k)) { settings[k] = v; origins.set(k, k) }
    }
  }
  for (const k of own) {
    const key = k.slice(prefix.length)
    settings[key] = originals[k]!
    origins.set(key, k)
  }
  return { settings, origins }
}

/**
 * Java's reconnect backoff, which librdkafka sets ten times slower (reconnect.backoff.max.ms 10 s, reconnect.backoff.ms
 * 100 ms): after a broker outage a librdkafka client may wait up to 10 s before its next attempt, so output resumed
 * about 10 s after the broker came back where Java's clients resume within a second. Every worker client starts from
 * these; a worker file's `producer.`/`consumer.`/`admin.` setting, or a connector's override, still wins.
 */
export const JAVA_RECONNECT_DEFAULTS: Readonly<ClientProps> = Object.freeze({
  'reconnect.backoff.ms': 50,
  'reconnect.backoff.max.ms': 1000
})

/** The Java consumer's default for max.poll.records, a key librdkafka does not know. */
export const DEFAULT_MAX_POLL_RECORDS = 500

/**
 * Takes the Java consumer's `max.poll.records` out of a consumer's librdkafka settings (librdkafka refuses the key)
 * and returns it: the most records one poll hands a sink task.
 */
export function takeMaxPollRecords (global: ClientProps): number {
  const raw = global['max.poll.records']
  delete global['max.poll.records']
  if (raw === undefined) return DEFAULT_MAX_POLL_RECORDS
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new ConfigError(`Invalid value ${String(raw)} for configuration max.poll.records: must be an integer of at least 1`)
  }
  return n
}

/** `workerClientSettings` translated: what the CLI gives each client of the worker. */
export function translateWorkerClientConfig (kind: ClientKind, originals: Readonly<Record<string, string>>): TranslatedClientConfig {
  const { settings, origins } = workerClientSettings(kind, originals)
  // The worker's clients default to PLAINTEXT as Java's do, so stray SASL/SSL settings are ignored as there.
  const translated = translateClientConfig(kind, settings, `${kind}.`, { origins, defaultSecurityProtocol: 'PLAINTEXT' })
  translated.global = { ...JAVA_RECONNECT_DEFAULTS, ...translated.global }
  return translated
}

// ---- Security ------------------------------------------------------------------------------------------------

type Emit = (librdkafkaKey: string, value: string | number | boolean, workerKey: string) => void

const PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL']
const HIDDEN = Password.HIDDEN

/** Java keys whose values are secrets: errors show [hidden] instead. */
const SECRET_KEYS = new Set(['sasl.jaas.config', 'ssl.keystore.password', 'ssl.key.password', 'ssl.truststore.password',
  'ssl.keystore.key', 'sasl.oauthbearer.client.credentials.client.secret', 'sasl.password', 'sasl.oauthbearer.client.secret',
  'ssl.key.pem', 'ssl.keystore.certificate.chain'])

function invalid (workerKey: string, javaKey: string, value: string, reason: string): ConfigError {
  const shown = SECRET_KEYS.has(javaKey) ? HIDDEN : value
  return new ConfigError(`Invalid value ${shown} for configuration ${workerKey}: ${reason}`)
}

/** Java-only settings that change nothing here when left at Java's default; any other value gets a warning. */
const JAVA_ONLY_SSL: Record<string, string | null> = {
  'ssl.protocol': 'TLSv1.3',
  'ssl.enabled.protocols': 'TLSv1.2,TLSv1.3',
  'ssl.keymanager.algorithm': 'SunX509',
  'ssl.trustmanager.algorithm': 'PKIX',
  'ssl.secure.random.implementation': null,
  'ssl.provider': null
}

/** Java-only SASL tuning (token refresh, login retries, broker-side validation): no librdkafka equivalent. */
const JAVA_ONLY_SASL = /^sasl\.(login\.(refresh\.|connect\.|read\.|retry\.)|kerberos\.ticket\.renew\.|oauthbearer\.(scope\.claim\.name|sub\.claim\.name|header\.urlencode|jwks\.endpoint\.|expected\.|clock\.skew\.seconds|jwt\.validator\.class)|server\.)/

/** Broker-side or REST-only settings a worker file legitimately holds unprefixed: dropped silently. */
const NOT_CLIENT = new Set(['ssl.client.auth', 'ssl.principal.mapping.rules', 'sasl.enabled.mechanisms', 'sasl.mechanism.inter.broker.protocol'])

const OIDC_HANDLERS = new Set([
  'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler',
  'org.apache.kafka.common.security.oauthbearer.secured.OAuthBearerLoginCallbackHandler'
])
const OIDC_RETRIEVERS = new Set([
  'org.apache.kafka.common.security.oauthbearer.ClientCredentialsJwtRetriever',
  'org.apache.kafka.common.security.oauthbearer.DefaultJwtRetriever'
])

const PLAIN_MODULE = 'org.apache.kafka.common.security.plain.PlainLoginModule'
const SCRAM_MODULE = 'org.apache.kafka.common.security.scram.ScramLoginModule'
const OAUTH_MODULE = 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule'
const KRB5_MODULE = 'com.sun.security.auth.module.Krb5LoginModule'

function translateSecurity (s: Map<string, string>, workerKeyOf: (k: string) => string, emit: Emit, warnings: string[], defaultProtocol?: string): void {
  const done = new Set<string>()
  const take = (k: string): string | undefined => { done.add(k); return s.get(k) }
  const rawProtocol = take('security.protocol')
  let usesSasl = true
  let usesSsl = true
  let protocolText = ''
  if (rawProtocol !== undefined || defaultProtocol !== undefined) {
    const protocol = (rawProtocol ?? defaultProtocol!).trim().toUpperCase()
    if (!PROTOCOLS.includes(protocol)) {
      throw invalid(workerKeyOf('security.protocol'), 'security.protocol', rawProtocol ?? '', `String must be one of (case insensitive): ${PROTOCOLS.join(', ')}`)
    }
    if (rawProtocol !== undefined) emit('security.protocol', protocol.toLowerCase(), workerKeyOf('security.protocol'))
    usesSasl = protocol.startsWith('SASL_')
    usesSsl = protocol === 'SSL' || protocol === 'SASL_SSL'
    protocolText = rawProtocol !== undefined ? `${workerKeyOf('security.protocol')} is ${protocol}` : `security.protocol is not set (${protocol})`
  }
  // Without a protocol (a connector's overrides on top of the worker's settings) everything given is translated.

  const saslKeys = [...s.keys()].filter(k => k.startsWith('sasl.'))
  if (usesSasl) translateSasl(s, take, workerKeyOf, emit, warnings)
  else {
    const ignored = saslKeys.filter(k => !NOT_CLIENT.has(k))
    if (ignored.length > 0) {
      warnings.push(`Ignoring ${ignored.map(workerKeyOf).join(', ')}: ${protocolText}, which does not use SASL (as in the Java client)`)
    }
    for (const k of saslKeys) done.add(k)
  }
  if (usesSsl) translateSsl(s, take, workerKeyOf, emit, warnings)
  else for (const k of s.keys()) if (k.startsWith('ssl.')) done.add(k)

  // What is left (librdkafka's own names such as sasl.username or ssl.ca.location) passes through.
  for (const [k, v] of s) {
    if (done.has(k)) continue
    if (NOT_CLIENT.has(k)) continue
    emit(k, v, workerKeyOf(k))
  }
}

function translateSasl (s: Map<string, string>, take: (k: string) => string | undefined, workerKeyOf: (k: string) => string, emit: Emit, warnings: string[]): void {
  const mechanismRaw = take('sasl.mechanism')
  const mechanism = mechanismRaw?.trim()
  if (mechanism !== undefined) emit('sasl.mechanisms', mechanism, workerKeyOf('sasl.mechanism'))
  for (const k of s.keys()) {
    if (JAVA_ONLY_SASL.test(k)) {
      take(k)
      warnings.push(`Ignoring ${workerKeyOf(k)}: it has no equivalent in librdkafka`)
    }
  }
  for (const k of ['sasl.client.callback.handler.class', 'sasl.login.class']) {
    const v = take(k)
    if (v !== undefined && v.trim() !== '') throw invalid(workerKeyOf(k), k, v, 'custom SASL classes are Java code and cannot be used with librdkafka')
  }
  const loginHandler = take('sasl.login.callback.handler.class')?.trim()
  if (loginHandler && !OIDC_HANDLERS.has(loginHandler)) {
    throw invalid(workerKeyOf('sasl.login.callback.handler.class'), 'sasl.login.callback.handler.class', loginHandler,
      'only Kafka\'s OAuthBearerLoginCallbackHandler (OAuth client credentials) can be translated for librdkafka')
  }
  const retriever = take('sasl.oauthbearer.jwt.retriever.class')?.trim()
  if (retriever && !OIDC_RETRIEVERS.has(retriever)) {
    throw invalid(workerKeyOf('sasl.oauthbearer.jwt.retriever.class'), 'sasl.oauthbearer.jwt.retriever.class', retriever,
      'only the client credentials grant (ClientCredentialsJwtRetriever) can be translated for librdkafka')
  }
  for (const k of [...s.keys()].filter(k => k.startsWith('sasl.oauthbearer.assertion.'))) {
    throw invalid(workerKeyOf(k), k, s.get(k)!, 'the OAuth jwt-bearer grant cannot be translated for librdkafka; use the client credentials grant')
  }

  const jaasText = take('sasl.jaas.config')
  const jaasKey = workerKeyOf('sasl.jaas.config')
  let entry: JaasEntry | undefined
  if (jaasText !== undefined && jaasText.trim() !== '') {
    let entries: JaasEntry[]
    try {
      entries = parseJaasConfig(jaasText)
    } catch (err) {
      if (err instanceof JaasParseError) throw new ConfigError(`Invalid value ${HIDDEN} for configuration ${jaasKey}: ${err.message}`, { cause: err })
      throw err
    }
    if (entries.length !== 1) {
      throw new ConfigError(`Invalid value ${HIDDEN} for configuration ${jaasKey}: it holds ${entries.length} login modules; a client needs exactly one`)
    }
    entry = entries[0]!
  }

  const tokenUrl = take('sasl.oauthbearer.token.endpoint.url')
  const clientId = take('sasl.oauthbearer.client.credentials.client.id')
  const clientSecret = take('sasl.oauthbearer.client.credentials.client.secret')
  const scope = take('sasl.oauthbearer.scope')
  const isOauth = mechanism === 'OAUTHBEARER' || entry?.loginModule === OAUTH_MODULE
  if (isOauth) {
    const options = entry?.loginModule === OAUTH_MODULE ? entry.options : new Map<string, string>()
    if (entry && entry.loginModule !== OAUTH_MODULE) {
      throw new ConfigError(`Invalid value ${HIDDEN} for configuration ${jaasKey}: sasl.mechanism OAUTHBEARER needs ${OAUTH_MODULE}, not ${entry.loginModule}`)
    }
    const extensions = [...options].filter(([k]) => k.startsWith('extension_') || k.startsWith('unsecuredLoginExtension_'))
      .map(([k, v]) => `${k.replace(/^(unsecuredLogin)?[Ee]xtension_/, '')}=${v}`)
    if (tokenUrl !== undefined && tokenUrl.trim() !== '') {
      const urlKey = workerKeyOf('sasl.oauthbearer.token.endpoint.url')
      if (!/^https?:\/\//i.test(tokenUrl.trim())) throw invalid(urlKey, 'sasl.oauthbearer.token.endpoint.url', tokenUrl, 'librdkafka fetches tokens over http(s) only; a file: token cannot be translated')
      const id = clientId ?? options.get('clientId')
      const secret = clientSecret ?? options.get('clientSecret')
      if (id === undefined || secret === undefined) {
        throw new ConfigError(`Missing OAuth client credentials for ${urlKey}: set sasl.oauthbearer.client.credentials.client.id and .client.secret, or clientId and clientSecret in ${jaasKey}`)
      }
      const origin = clientId !== undefined ? workerKeyOf('sasl.oauthbearer.client.credentials.client.id') : jaasKey
      emit('sasl.oauthbearer.method', 'oidc', urlKey)
      emit('sasl.oauthbearer.token.endpoint.url', tokenUrl.trim(), urlKey)
      emit('sasl.oauthbearer.client.id', id, origin)
      emit('sasl.oauthbearer.client.secret', secret, clientSecret !== undefined ? workerKeyOf('sasl.oauthbearer.client.credentials.client.secret') : jaasKey)
      const sc = scope ?? options.get('scope')
      if (sc !== undefined) emit('sasl.oauthbearer.scope', sc, scope !== undefined ? workerKeyOf('sasl.oauthbearer.scope') : jaasKey)
      if (extensions.length > 0) emit('sasl.oauthbearer.extensions', extensions.join(','), jaasKey)
    } else if (loginHandler) {
      throw new ConfigError(`Missing sasl.oauthbearer.token.endpoint.url: ${workerKeyOf('sasl.login.callback.handler.class')} fetches OAuth tokens from it`)
    } else if (entry) {
      // Kafka's unsecured (development) tokens: librdkafka builds the same kind of unsigned JWT.
      const parts: string[] = []
      for (const [k, v] of options) {
        if (k === 'unsecuredLoginStringClaim_sub') parts.push(`principal=${v}`)
        else if (k === 'unsecuredLoginLifetimeSeconds') parts.push(`lifeSeconds=${v}`)
        else if (k === 'unsecuredLoginPrincipalClaimName') parts.push(`principalClaimName=${v}`)
        else if (k === 'unsecuredLoginScopeClaimName') parts.push(`scopeClaimName=${v}`)
        else if (k === 'unsecuredLoginListClaim_scope') parts.push(`scope=${v.slice(1).split(v[0] ?? ',').filter(Boolean).join(',')}`)
        else if (k.startsWith('unsecuredLogin') && !k.startsWith('unsecuredLoginExtension_')) {
          throw new ConfigError(`Invalid value ${HIDDEN} for configuration ${jaasKey}: the unsecured OAuth option ${k} cannot be translated for librdkafka`)
        }
      }
      parts.push(...extensions.map(e => `extension_${e}`))
      emit('enable.sasl.oauthbearer.unsecure.jwt', true, jaasKey)
      if (parts.length > 0) emit('sasl.oauthbearer.config', parts.join(' '), jaasKey)
    }
    return
  }
  if (!entry) return
  switch (entry.loginModule) {
    case PLAIN_MODULE:
    case SCRAM_MODULE: {
      if ((entry.options.get('tokenauth') ?? '').toLowerCase() === 'true') {
        throw new ConfigError(`Invalid value ${HIDDEN} for configuration ${jaasKey}: delegation tokens (tokenauth=true) cannot be used with librdkafka`)
      }
      const username = entry.options.get('username')
      const password = entry.options.get('password')
      if (username === undefined || password === undefined) {
        throw new ConfigError(`Invalid value ${HIDDEN} for configuration ${jaasKey}: ${entry.loginModule.replace(/.*\./, '')} needs both username and password options`)
      }
      if (mechanism !== undefined && mechanism !== 'PLAIN' && !mechanism.startsWith('SCRAM-')) {
        throw new ConfigError(`Invalid value ${HIDDEN} for configuration ${jaasKey}: ${entry.loginModule.replace(/.*\./, '')} does not work with sasl.mechanism ${mechanism}`)
      }
      emit('sasl.username', username, jaasKey)
      emit('sasl.password', password, jaasKey)
      return
    }
    case KRB5_MODULE: {
      const keyTab = entry.options.get('keyTab')
      const principal = entry.options.get('principal')
      const serviceName = entry.options.get('serviceName')
      if (keyTab !== undefined) emit('sasl.kerberos.keytab', keyTab, jaasKey)
      if (principal !== undefined) emit('sasl.kerberos.principal', principal, jaasKey)
      if (serviceName !== undefined) emit('sasl.kerberos.service.name', serviceName, jaasKey)
      return
    }
    default:
      throw new ConfigError(`Invalid value ${HIDDEN} for configuration ${jaasKey}: the login module ${entry.loginModule} cannot be translated for librdkafka ` +
        `(supported: ${PLAIN_MODULE}, ${SCRAM_MODULE}, ${OAUTH_MODULE}, ${KRB5_MODULE})`)
  }
}



function translateSsl (s: Map<string, string>, take: (k: string) => string | undefined, workerKeyOf: (k: string) => string, emit: Emit, warnings: string[]): void {
  for (const [k, def] of Object.entries(JAVA_ONLY_SSL)) {
    const v = take(k)
    if (v === undefined) continue
    const normal = v.split(',').map(x => x.trim()).filter(Boolean).join(',')
    if (def === null ? normal !== '' : normal !== def) warnings.push(`Ignoring ${workerKeyOf(k)}: it has no equivalent in librdkafka (OpenSSL negotiates TLS by itself)`)
  }
  const factory = take('ssl.engine.factory.class')
  if (factory !== undefined && factory.trim() !== '') throw invalid(workerKeyOf('ssl.engine.factory.class'), 'ssl.engine.factory.class', factory, 'a custom SSL engine factory is Java code and cannot be used with librdkafka')

  const ciphers = take('ssl.cipher.suites')
  if (ciphers !== undefined && ciphers.trim() !== '') {
    const list = ciphers.split(',').map(c => c.trim()).filter(Boolean)
    if (list.some(c => /^(TLS|SSL)_/.test(c))) {
      throw invalid(workerKeyOf('ssl.cipher.suites'), 'ssl.cipher.suites', ciphers,
        'Java (IANA) cipher suite names cannot be translated; librdkafka takes an OpenSSL cipher list such as ECDHE-RSA-AES256-GCM-SHA384 (`openssl ciphers -stdname` shows both names)')
    }
    emit('ssl.cipher.suites', list.join(':'), workerKeyOf('ssl.cipher.suites'))
  }

  const endpoint = take('ssl.endpoint.identification.algorithm')
  if (endpoint !== undefined) {
    const v = endpoint.trim().toLowerCase()
    const key = workerKeyOf('ssl.endpoint.identification.algorithm')
    if (v === '') emit('ssl.endpoint.identification.algorithm', 'none', key)
    else if (v === 'https') emit('ssl.endpoint.identification.algorithm', 'https', key)
    else throw invalid(key, 'ssl.endpoint.identification.algorithm', endpoint, 'librdkafka supports https (host name verification) or an empty value (none)')
  }

  // ---- Key store: the client's own certificate.
  const ksType = (take('ssl.keystore.type') ?? 'JKS').trim().toUpperCase()
  const ksLocation = take('ssl.keystore.location')
  const ksPassword = take('ssl.keystore.password')
  const keyPassword = take('ssl.key.password')
  const inlineKey = take('ssl.keystore.key')
  const inlineChain = take('ssl.keystore.certificate.chain')
  const locKey = workerKeyOf('ssl.keystore.location')
  if (!['JKS', 'PKCS12', 'PEM', 'JCEKS'].includes(ksType)) {
    throw invalid(workerKeyOf('ssl.keystore.type'), 'ssl.keystore.type', ksType, 'librdkafka can use PEM and PKCS12 key stores')
  }
  if ((inlineKey !== undefined && inlineKey.trim() !== '') || (inlineChain !== undefined && inlineChain.trim() !== '')) {
    const keyKey = workerKeyOf('ssl.keystore.key')
    const chainKey = workerKeyOf('ssl.keystore.certificate.chain')
    if (ksType !== 'PEM') throw new ConfigError(`${keyKey} and ${chainKey} need ${workerKeyOf('ssl.keystore.type')}=PEM`)
    if (ksLocation !== undefined && ksLocation.trim() !== '') throw new ConfigError(`Set either ${locKey} or ${keyKey} with ${chainKey}, not both`)
    if (!inlineKey?.trim()) throw new ConfigError(`${chainKey} is set but ${keyKey} is not: a client certificate needs its private key`)
    if (!inlineChain?.trim()) throw new ConfigError(`${keyKey} is set but ${chainKey} is not: a private key needs its certificate chain`)
    const key = normalizePem(inlineKey)
    const chain = normalizePem(inlineChain)
    if (!/PRIVATE KEY-----/.test(key)) throw new ConfigError(`Invalid value ${HIDDEN} for configuration ${keyKey}: no PEM private key found`)
    if (!/CERTIFICATE-----/.test(chain)) throw new ConfigError(`Invalid value ${HIDDEN} for configuration ${chainKey}: no PEM certificate found`)
    emit('ssl.key.pem', key, keyKey)
    emit('ssl.certificate.pem', chain, chainKey)
    if (keyPassword !== undefined && keyPassword !== '') emit('ssl.key.password', keyPassword, workerKeyOf('ssl.key.password'))
  } else if (ksLocation !== undefined && ksLocation.trim() !== '') {
    const location = ksLocation.trim()
    const bytes = readStore(locKey, location)
    const format = sniffStoreFormat(bytes)
    if (format === 'pem') {
      const blocks = splitPem(bytes.toString('utf8'))
      if (blocks.keys.length === 0) throw new ConfigError(`Invalid value ${location} for configuration ${locKey}: the PEM file holds no private key`)
      if (blocks.certificates.length === 0) throw new ConfigError(`Invalid value ${location} for configuration ${locKey}: the PEM file holds no certificate`)
      emit('ssl.key.location', location, locKey)
      emit('ssl.certificate.location', location, locKey)
      if (keyPassword !== undefined && keyPassword !== '') emit('ssl.key.password', keyPassword, workerKeyOf('ssl.key.password'))
    } else if (format === 'pkcs12') {
      emit('ssl.keystore.location', location, locKey)
      if (ksPassword !== undefined) emit('ssl.keystore.password', ksPassword, workerKeyOf('ssl.keystore.password'))
      if (keyPassword !== undefined && ksPassword !== undefined && keyPassword !== ksPassword) {
        warnings.push(`Ignoring ${workerKeyOf('ssl.key.password')}: librdkafka opens a PKCS12 key store and its key with ${workerKeyOf('ssl.keystore.password')}`)
      }
    } else if (format === 'jks' || format === 'jceks') {
      throw new ConfigError(`Invalid value ${location} for configuration ${locKey}: it is a ${format.toUpperCase()} key store, which librdkafka cannot read. ` +
        `Convert it to PKCS12 (keytool -importkeystore -srckeystore ${location} -destkeystore client.p12 -deststoretype PKCS12) ` +
        `and set ${locKey}=client.p12 with ${workerKeyOf('ssl.keystore.type')}=PKCS12`)
    } else {
      throw new ConfigError(`Invalid value ${location} for configuration ${locKey}: not a PEM or PKCS12 key store`)
    }
  }

  // ---- Trust store: the certificates the broker's certificate is checked against.
  const tsType = (take('ssl.truststore.type') ?? 'JKS').trim().toUpperCase()
  const tsLocation = take('ssl.truststore.location')
  const tsPassword = take('ssl.truststore.password')
  const inlineCerts = take('ssl.truststore.certificates')
  const tsKey = workerKeyOf('ssl.truststore.location')
  if (!['JKS', 'PKCS12', 'PEM', 'JCEKS'].includes(tsType)) {
    throw invalid(workerKeyOf('ssl.truststore.type'), 'ssl.truststore.type', tsType, 'supported here: PEM, JKS, JCEKS and PKCS12 trust stores')
  }
  if (inlineCerts !== undefined && inlineCerts.trim() !== '') {
    const certsKey = workerKeyOf('ssl.truststore.certificates')
    if (tsType !== 'PEM') throw new ConfigError(`${certsKey} needs ${workerKeyOf('ssl.truststore.type')}=PEM`)
    if (tsLocation !== undefined && tsLocation.trim() !== '') throw new ConfigError(`Set either ${tsKey} or ${certsKey}, not both`)
    const pem = normalizePem(inlineCerts)
    if (!/CERTIFICATE-----/.test(pem)) throw new ConfigError(`Invalid value ${inlineCerts.slice(0, 40)}… for configuration ${certsKey}: no PEM certificate found`)
    emit('ssl.ca.pem', pem, certsKey)
  } else if (tsLocation !== undefined && tsLocation.trim() !== '') {
    const location = tsLocation.trim()
    const bytes = readStore(tsKey, location)
    const format = sniffStoreFormat(bytes)
    if (format === 'pem') {
      if (splitPem(bytes.toString('utf8')).certificates.length === 0) throw new ConfigError(`Invalid value ${location} for configuration ${tsKey}: the PEM file holds no certificate`)
      emit('ssl.ca.location', location, tsKey)
    } else if (format === 'jks' || format === 'jceks' || format === 'pkcs12') {
      let certs: Buffer[]
      try {
        certs = format === 'pkcs12' ? pkcs12TrustedCertificates(bytes, tsPassword ?? null) : jksTrustedCertificates(bytes, tsPassword ?? null)
      } catch (err) {
        if (!(err instanceof KeyStoreError)) throw err
        throw new ConfigError(`Cannot read the ${format.toUpperCase()} trust store ${location} (${tsKey}): ${err.message}` +
          (/password/i.test(err.message) ? ` (check ${workerKeyOf('ssl.truststore.password')})` : ''), { cause: err })
      }
      if (certs.length === 0) throw new ConfigError(`Invalid value ${location} for configuration ${tsKey}: the trust store holds no trusted certificate`)
      // librdkafka takes PEM trust anchors only: the store's certificates go over as PEM text.
      emit('ssl.ca.pem', certs.map(c => derToPem(c)).join(''), tsKey)
    } else {
      throw new ConfigError(`Invalid value ${location} for configuration ${tsKey}: not a PEM, JKS or PKCS12 trust store`)
    }
  }
}

/** librdkafka's "No such configuration property: x" → a ConfigError naming the worker key. */
export function explainClientConfigError (err: unknown, origin: ReadonlyMap<string, string>, where: string): Error {
  const message = err instanceof Error ? err.message : String(err)
  const m = /configuration property[^"']*["']?([\w.-]+)["']?/i.exec(message)
  const prop = m?.[1]
  const workerKey = prop ? origin.get(prop) : undefined
  if (workerKey) {
    return new ConfigError(`Unsupported or invalid Kafka client setting ${workerKey} in ${where}: ${message}`, { cause: err })
  }
  return new ConfigError(`Invalid Kafka client configuration in ${where}: ${message}`, { cause: err })
}
