/**
 * TLS towards an https Schema Registry, from Confluent's `schema.registry.ssl.*` keys (Kafka's ssl.* names under the
 * `schema.registry.` prefix): the trust store the registry's certificate is checked against, a key store for client
 * certificates, endpoint identification and protocols. Key stores: PKCS12 or PEM (a JKS key store cannot be read by
 * OpenSSL; the error says how to convert it); trust stores: PEM, PKCS12, JKS or JCEKS. Messages never show a secret.
 */
import { createSecureContext, type SecureContextOptions, type SecureVersion } from 'node:tls'
import { ConfigError } from '../../api/index.ts'
import { normalizePem, readStore, sniffStoreFormat, splitPem, trustStoreCertificates } from '../../java/keystores.ts'
import { SCHEMA_REGISTRY_SSL_PREFIX } from './schema-registry-config.ts'

export type RegistryTlsOptions = SecureContextOptions & { rejectUnauthorized?: boolean, checkServerIdentity?: () => undefined }

const VERSIONS: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']

/** The TLS options for the registry client, or undefined when no schema.registry.ssl.* key is set. */
export function registryTlsOptions (originals: Readonly<Record<string, string>>, where: string): RegistryTlsOptions | undefined {
  const prefix = `${SCHEMA_REGISTRY_SSL_PREFIX}ssl.`
  if (!Object.keys(originals).some(k => k.startsWith(prefix))) return undefined
  const key = (name: string): string => SCHEMA_REGISTRY_SSL_PREFIX + name
  const get = (name: string): string | undefined => {
    const v = originals[SCHEMA_REGISTRY_SSL_PREFIX + name]
    return v === undefined || v.trim() === '' ? undefined : v
  }
  const options: RegistryTlsOptions = {}
  const ca = trustStoreCertificates(get, key)
  if (ca !== null) options.ca = ca.pems

  const location = get('ssl.keystore.location')?.trim()
  const chain = get('ssl.keystore.certificate.chain')
  const inlineKey = get('ssl.keystore.key')
  const keyPassword = get('ssl.key.password')
  if (chain !== undefined || inlineKey !== undefined) {
    if (chain === undefined || inlineKey === undefined) throw new ConfigError(`${key('ssl.keystore.certificate.chain')} and ${key('ssl.keystore.key')} go together (${where})`)
    options.cert = splitPem(normalizePem(chain)).certificates.join('')
    options.key = splitPem(normalizePem(inlineKey)).keys[0]
    if (keyPassword !== undefined) options.passphrase = keyPassword
  } else if (location !== undefined) {
    const bytes = readStore(key('ssl.keystore.location'), location)
    const format = sniffStoreFormat(bytes)
    if (format === 'pem') {
      const blocks = splitPem(bytes.toString('utf8'))
      options.cert = blocks.certificates.join('')
      options.key = blocks.keys[0]
      if (keyPassword !== undefined) options.passphrase = keyPassword
    } else if (format === 'pkcs12') {
      options.pfx = bytes
      const password = get('ssl.keystore.password')
      if (password !== undefined) options.passphrase = password
    } else {
      throw new ConfigError(`Invalid value ${location} for configuration ${key('ssl.keystore.location')}: ${format === 'jks' || format === 'jceks' ? `a ${format.toUpperCase()} key store cannot be read by Node.js (OpenSSL); convert it with keytool -importkeystore -deststoretype PKCS12` : 'not a PKCS12 or PEM key store'} (${where})`)
    }
  }

  // Kafka's default "https" checks the host name; an empty value turns the check off.
  const identification = originals[key('ssl.endpoint.identification.algorithm')]
  if (identification !== undefined && identification.trim() === '') options.checkServerIdentity = () => undefined

  const enabled = (get('ssl.enabled.protocols') ?? 'TLSv1.2,TLSv1.3').split(',').map(s => s.trim()).filter(s => s !== '')
  const known = enabled.filter(p => VERSIONS.includes(p as SecureVersion)) as SecureVersion[]
  if (known.length !== enabled.length) {
    throw new ConfigError(`Invalid value ${enabled.join(',')} for configuration ${key('ssl.enabled.protocols')}: supported protocols are ${VERSIONS.join(', ')} (${where})`)
  }
  const sorted = [...known].sort((a, b) => VERSIONS.indexOf(a) - VERSIONS.indexOf(b))
  options.minVersion = sorted[0]
  options.maxVersion = sorted[sorted.length - 1]

  try {
    createSecureContext(options)
  } catch (err) {
    throw new ConfigError(`Invalid TLS settings for the Schema Registry (${key('ssl.keystore.location')}, ${key('ssl.truststore.location')}): ${(err as Error).message} (${where})`, { cause: err })
  }
  return options
}
