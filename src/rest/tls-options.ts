/**
 * TLS settings of the REST API's https listeners, from Apache's keys. As in Apache (SSLUtils with
 * AbstractConfig.valuesWithPrefixAllOrNothing), the `listeners.https.` prefix is all or nothing: when any key starts
 * with it, only those keys count; otherwise the worker's unprefixed `ssl.*` keys (the ones its Kafka clients also
 * use) apply.
 *
 * Key stores: PKCS12 (Node takes it as `pfx` with `ssl.keystore.password`; a PKCS12 file under Apache's default type
 * JKS works too, as in the JDK), and PEM, either a file or inline `ssl.keystore.certificate.chain` +
 * `ssl.keystore.key` (Apache's REST server cannot read PEM key stores; Kafka clients can). A real JKS or JCEKS file
 * cannot be read by OpenSSL: the error says how to convert it. Trust stores (for `ssl.client.auth`) may be PEM, JKS,
 * JCEKS or PKCS12; their certificates are read with src/java/keystores.ts.
 *
 * Errors name the key and never show a password or a key.
 */
import { createSecureContext, type SecureVersion, type TlsOptions } from 'node:tls'
import { ConfigError } from '../api/index.ts'
import { normalizePem, readStore, sniffStoreFormat, splitPem, trustStoreCertificates } from '../java/keystores.ts'

export const LISTENERS_HTTPS_PREFIX = 'listeners.https.'
export const SSL_CLIENT_AUTH_CONFIG = 'ssl.client.auth'
export type ClientAuth = 'none' | 'requested' | 'required'

export interface RestTlsSettings {
  /** `listeners.https.` or '' (the unprefixed ssl.* keys). */
  prefix: string
  /** Options for https.createServer. */
  options: TlsOptions
  clientAuth: ClientAuth
  /** Things worth a warning at start-up (never secret). */
  warnings: string[]
  /** One line for the log: which keys were used and what they hold (no secrets). */
  summary: string
}

const VERSIONS: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']
/** Java settings that have no meaning for OpenSSL: ignored, with a warning when set to something else than the JDK default. */
const JAVA_ONLY: Readonly<Record<string, string | null>> = {
  'ssl.provider': null,
  'ssl.keymanager.algorithm': 'SunX509',
  'ssl.trustmanager.algorithm': 'PKIX',
  'ssl.secure.random.implementation': null
}

/**
 * IANA (Java) names of the TLS 1.2 cipher suites people configure, and their OpenSSL names. TLS 1.3 suites have the
 * same names in both.
 */
const OPENSSL_CIPHERS: Readonly<Record<string, string>> = {
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: 'DHE-RSA-AES128-GCM-SHA256',
  TLS_DHE_RSA_WITH_AES_256_GCM_SHA384: 'DHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 'ECDHE-ECDSA-AES128-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384: 'ECDHE-ECDSA-AES256-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 'ECDHE-RSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384: 'ECDHE-RSA-AES256-SHA384',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384'
}
const TLS13_SUITES = new Set(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'])

/** The ssl.* values that apply to the REST server, with the prefix they were found under. */
export function restSslValues (originals: Readonly<Record<string, string>>): { prefix: string, values: Record<string, string> } {
  const prefixed = Object.keys(originals).filter(k => k.startsWith(LISTENERS_HTTPS_PREFIX))
  if (prefixed.length > 0) {
    const values: Record<string, string> = {}
    for (const k of prefixed) values[k.slice(LISTENERS_HTTPS_PREFIX.length)] = originals[k]!
    return { prefix: LISTENERS_HTTPS_PREFIX, values }
  }
  const values: Record<string, string> = {}
  for (const [k, v] of Object.entries(originals)) if (k.startsWith('ssl.')) values[k] = v
  return { prefix: '', values }
}

/** Builds the https listeners' TLS options from the worker's settings (resolved values). */
export function restTlsSettings (originals: Readonly<Record<string, string>>): RestTlsSettings {
  const { prefix, values } = restSslValues(originals)
  const key = (name: string): string => prefix + name
  const get = (name: string): string | undefined => {
    const v = values[name]
    return v === undefined || v.trim() === '' ? undefined : v
  }
  const warnings: string[] = []
  for (const [name, def] of Object.entries(JAVA_ONLY)) {
    const v = get(name)
    if (v !== undefined && v.trim() !== def) warnings.push(`Ignoring ${key(name)}: it is a Java setting with no equivalent in Node.js (OpenSSL)`)
  }
  const options: TlsOptions = {}
  const summary: string[] = []

  // ---- Key store: the server's certificate and key.
  const ksType = (get('ssl.keystore.type') ?? 'JKS').trim().toUpperCase()
  if (!['JKS', 'PKCS12', 'PEM', 'JCEKS'].includes(ksType)) {
    throw new ConfigError(`Invalid value ${ksType} for configuration ${key('ssl.keystore.type')}: supported key store types are PKCS12, PEM and JKS (a JKS type holding a PKCS12 file, as the JDK allows)`)
  }
  const location = get('ssl.keystore.location')?.trim()
  const storePassword = get('ssl.keystore.password')
  const keyPassword = get('ssl.key.password')
  const inlineChain = get('ssl.keystore.certificate.chain')
  const inlineKey = get('ssl.keystore.key')
  if (inlineChain !== undefined || inlineKey !== undefined) {
    if (ksType !== 'PEM') throw new ConfigError(`${key('ssl.keystore.certificate.chain')} and ${key('ssl.keystore.key')} need ${key('ssl.keystore.type')}=PEM`)
    if (location !== undefined) throw new ConfigError(`Set either ${key('ssl.keystore.location')} or ${key('ssl.keystore.certificate.chain')} with ${key('ssl.keystore.key')}, not both`)
    if (inlineKey === undefined) throw new ConfigError(`${key('ssl.keystore.certificate.chain')} is set but ${key('ssl.keystore.key')} is not: the server's certificate needs its private key`)
    if (inlineChain === undefined) throw new ConfigError(`${key('ssl.keystore.key')} is set but ${key('ssl.keystore.certificate.chain')} is not: the private key needs its certificate chain`)
    const chain = splitPem(normalizePem(inlineChain)).certificates
    const keys = splitPem(normalizePem(inlineKey)).keys
    if (chain.length === 0) throw new ConfigError(`Invalid value [hidden] for configuration ${key('ssl.keystore.certificate.chain')}: no PEM certificate found`)
    if (keys.length !== 1) throw new ConfigError(`Invalid value [hidden] for configuration ${key('ssl.keystore.key')}: ${keys.length === 0 ? 'no PEM private key found' : 'more than one private key'}`)
    options.cert = chain.join('')
    options.key = keys[0]!
    if (keyPassword !== undefined) options.passphrase = keyPassword
    summary.push(`PEM key store inline (${key('ssl.keystore.certificate.chain')}, ${key('ssl.keystore.key')})`)
  } else if (location !== undefined) {
    const bytes = readStore(key('ssl.keystore.location'), location)
    const format = sniffStoreFormat(bytes)
    if (format === 'pem') {
      const blocks = splitPem(bytes.toString('utf8'))
      if (blocks.keys.length !== 1) throw new ConfigError(`Invalid value ${location} for configuration ${key('ssl.keystore.location')}: the PEM file holds ${blocks.keys.length === 0 ? 'no private key' : 'more than one private key'}`)
      if (blocks.certificates.length === 0) throw new ConfigError(`Invalid value ${location} for configuration ${key('ssl.keystore.location')}: the PEM file holds no certificate`)
      options.cert = blocks.certificates.join('')
      options.key = blocks.keys[0]!
      if (keyPassword !== undefined) options.passphrase = keyPassword
      summary.push(`PEM key store ${location}`)
    } else if (format === 'pkcs12') {
      options.pfx = bytes
      if (storePassword !== undefined) options.passphrase = storePassword
      if (keyPassword !== undefined && storePassword !== undefined && keyPassword !== storePassword) {
        warnings.push(`Ignoring ${key('ssl.key.password')}: OpenSSL opens a PKCS12 key store and its key with ${key('ssl.keystore.password')}`)
      }
      summary.push(`PKCS12 key store ${location}`)
    } else if (format === 'jks' || format === 'jceks') {
      throw new ConfigError(`Invalid value ${location} for configuration ${key('ssl.keystore.location')}: it is a ${format.toUpperCase()} key store, which Node.js (OpenSSL) cannot read. ` +
        `Convert it to PKCS12: keytool -importkeystore -srckeystore ${location} -destkeystore server.p12 -deststoretype PKCS12, ` +
        `then set ${key('ssl.keystore.location')}=server.p12 and ${key('ssl.keystore.type')}=PKCS12`)
    } else {
      throw new ConfigError(`Invalid value ${location} for configuration ${key('ssl.keystore.location')}: not a PKCS12 or PEM key store`)
    }
  } else {
    throw new ConfigError(`An https listener needs a key store: set ${key('ssl.keystore.location')} (a PKCS12 or PEM file), ` +
      `or ${key('ssl.keystore.type')}=PEM with ${key('ssl.keystore.certificate.chain')} and ${key('ssl.keystore.key')}` +
      (prefix === '' ? ` (or the same keys under ${LISTENERS_HTTPS_PREFIX})` : ''))
  }

  // ---- Client authentication and the trust store it checks client certificates against.
  const clientAuthRaw = (get(SSL_CLIENT_AUTH_CONFIG) ?? 'none').trim().toLowerCase()
  if (clientAuthRaw !== 'none' && clientAuthRaw !== 'requested' && clientAuthRaw !== 'required') {
    throw new ConfigError(`Invalid value ${values[SSL_CLIENT_AUTH_CONFIG] ?? ''} for configuration ${key(SSL_CLIENT_AUTH_CONFIG)}: String must be one of: required, requested, none`)
  }
  const clientAuth: ClientAuth = clientAuthRaw
  const ca = trustStoreCertificates(get, key)
  if (clientAuth !== 'none') {
    if (ca === null) {
      throw new ConfigError(`${key(SSL_CLIENT_AUTH_CONFIG)}=${clientAuth} needs the certificates client certificates are checked against: ` +
        `set ${key('ssl.truststore.location')} (PEM, PKCS12 or JKS) or ${key('ssl.truststore.certificates')} (PEM)`)
    }
    options.ca = ca.pems
    options.requestCert = true
    // "requested": a client without a certificate gets in, one with an untrusted certificate does not (the server
    // checks that after the handshake, see rest-server.ts); "required": no certificate, no handshake.
    options.rejectUnauthorized = clientAuth === 'required'
    summary.push(`client certificates ${clientAuth} (trust store ${ca.source})`)
  } else if (ca !== null) {
    summary.push('no client authentication')
  }

  // ---- Protocols and cipher suites.
  const enabledRaw = get('ssl.enabled.protocols') ?? 'TLSv1.2,TLSv1.3'
  const enabled = enabledRaw.split(',').map(s => s.trim()).filter(s => s !== '' && s !== 'SSLv2Hello')
  for (const p of enabled) {
    if (!VERSIONS.includes(p as SecureVersion)) {
      throw new ConfigError(`Invalid value ${enabledRaw} for configuration ${key('ssl.enabled.protocols')}: unsupported protocol ${p} (supported: ${VERSIONS.join(', ')})`)
    }
  }
  const protocol = (get('ssl.protocol') ?? 'TLSv1.3').trim()
  // SSLContext.getInstance(protocol) caps the versions the context negotiates; "TLS" and "SSL" do not.
  const cap = /^TLSv1(\.[123])?$/.test(protocol) ? protocol as SecureVersion : /^(TLS|SSL|SSLv3)$/.test(protocol) ? 'TLSv1.3' : null
  if (cap === null) throw new ConfigError(`Invalid value ${protocol} for configuration ${key('ssl.protocol')}: expected TLSv1.3, TLSv1.2, TLSv1.1, TLSv1 or TLS`)
  const allowed = (enabled.length > 0 ? enabled as SecureVersion[] : [...VERSIONS]).filter(v => VERSIONS.indexOf(v) <= VERSIONS.indexOf(cap))
  if (allowed.length === 0) {
    throw new ConfigError(`${key('ssl.enabled.protocols')}=${enabledRaw} and ${key('ssl.protocol')}=${protocol} leave no protocol to negotiate`)
  }
  const sorted = [...allowed].sort((a, b) => VERSIONS.indexOf(a) - VERSIONS.indexOf(b))
  options.minVersion = sorted[0]!
  options.maxVersion = sorted[sorted.length - 1]!
  if (sorted.length !== VERSIONS.indexOf(options.maxVersion) - VERSIONS.indexOf(options.minVersion) + 1) {
    warnings.push(`${key('ssl.enabled.protocols')}=${enabledRaw} is not a contiguous range: Node.js negotiates every version from ${options.minVersion} to ${options.maxVersion}`)
  }
  summary.push(`${options.minVersion === options.maxVersion ? options.minVersion : `${options.minVersion}-${options.maxVersion}`}`)
  const ciphers = get('ssl.cipher.suites')
  if (ciphers !== undefined) {
    const names = ciphers.split(',').map(s => s.trim()).filter(Boolean)
    const out = names.map(n => {
      if (TLS13_SUITES.has(n)) return n
      const mapped = OPENSSL_CIPHERS[n]
      if (mapped) return mapped
      if (/^(TLS|SSL)_/.test(n)) {
        throw new ConfigError(`Invalid value ${ciphers} for configuration ${key('ssl.cipher.suites')}: no OpenSSL name known for ${n}; ` +
          'write its OpenSSL name instead (`openssl ciphers -stdname` lists both)')
      }
      return n
    })
    options.ciphers = out.join(':')
  }

  // Let OpenSSL check everything now (a wrong password, a key that does not match its certificate), naming the keys.
  try {
    createSecureContext(options)
  } catch (err) {
    throw new ConfigError(explainTlsError(err as Error, key, options), { cause: err })
  }
  return { prefix, options, clientAuth, warnings, summary: `${summary.join(', ')} (${prefix === '' ? 'unprefixed ssl.* settings' : `${prefix}ssl.* settings`})` }
}




/** OpenSSL's complaint about the key material, said with the keys to check (never their values). */
function explainTlsError (err: Error, key: (name: string) => string, options: TlsOptions): string {
  const msg = err.message
  const pfx = options.pfx !== undefined
  if (pfx && /mac verify failure|invalid password/i.test(msg)) return `Cannot open the PKCS12 key store (${key('ssl.keystore.location')}): wrong password (check ${key('ssl.keystore.password')})`
  if (pfx && /unsupported/i.test(msg)) {
    return `Cannot open the PKCS12 key store (${key('ssl.keystore.location')}): it uses a legacy encryption that OpenSSL 3 no longer offers (${msg}). ` +
      'Re-export it, e.g. openssl pkcs12 -legacy -in old.p12 -nodes -out all.pem && openssl pkcs12 -export -in all.pem -out server.p12'
  }
  if (/bad decrypt|bad password|unable to load|PEM_read_bio|DECODER routines/i.test(msg)) {
    return `Cannot load the private key of the REST server's key store: ${msg} (an encrypted key needs ${key('ssl.key.password')})`
  }
  if (/key values mismatch/i.test(msg)) return `The private key does not belong to the certificate in the REST server's key store (${key(pfx ? 'ssl.keystore.location' : 'ssl.keystore.key')})`
  return `Invalid TLS settings for the REST server (${key('ssl.keystore.location')} / ${key('ssl.truststore.location')}): ${msg}`
}
