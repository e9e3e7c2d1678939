/**
 * HTTP basic authentication of the REST API, as Apache's BasicAuthSecurityRestExtension does it with its
 * PropertyFileLoginModule: the `KafkaConnect` entry of a JAAS file lists the login modules, each module's `file`
 * option names a `user=password` properties file, and every request must carry `Authorization: Basic` credentials
 * found there. Only that login module exists here (other JAAS modules are Java code); the credentials file can also
 * be given directly with `rest.basic.auth.credentials.file`.
 *
 * Passwords are compared in constant time (over keyed digests, so neither the content nor the length of a stored
 * password shows in the timing), and neither credentials nor the Authorization header are ever logged.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { ConfigError } from '../api/index.ts'
import { loadPropertiesFile } from '../java/properties.ts'
import { jaasPathFromJvmOptions, readJaasFile, type JaasControlFlag, type JaasModule } from '../java/jaas.ts'

export const BASIC_AUTH_EXTENSION_CLASS = 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension'
/** The names Apache's plugin aliases give the extension: the class name, its simple name and the pruned alias. */
export const BASIC_AUTH_EXTENSION_NAMES: readonly string[] = [BASIC_AUTH_EXTENSION_CLASS, 'BasicAuthSecurityRestExtension', 'BasicAuthSecurity']
export const PROPERTY_FILE_LOGIN_MODULE = 'org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule'
/** The JAAS entry the extension logs in with. */
export const CONNECT_LOGIN_ENTRY = 'KafkaConnect'
/** Apache's 401 message. */
export const UNAUTHORIZED_MESSAGE = 'User cannot access the resource.'

export interface BasicAuthCredentials { username: string, password: string }

/**
 * The user name and password of an `Authorization: Basic …` header, or null when there are none or they are
 * malformed (no space after the scheme, another scheme, invalid base64, no colon, or an empty user name). The
 * scheme is case-insensitive; the password is everything after the first colon and may be empty.
 */
export function parseBasicAuthorization (header: string | undefined): BasicAuthCredentials | null {
  if (header === undefined) return null
  const space = header.indexOf(' ')
  if (space <= 0) return null
  if (header.slice(0, space).toLowerCase() !== 'basic') return null
  const encoded = header.slice(space + 1)
  // RFC 4648 base64, padding optional, as java.util.Base64's basic decoder takes it (Apache answers 500 otherwise).
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/.test(encoded)) return null
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) return null
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/** One PropertyFileLoginModule: the users of its credentials file, as keyed digests of their passwords. */
class CredentialsFile {
  readonly #digests: Map<string, Buffer>
  readonly #key: Buffer
  readonly #missing: Buffer

  constructor (users: ReadonlyMap<string, string>, key: Buffer) {
    this.#key = key
    this.#digests = new Map([...users].map(([user, password]) => [user, this.#digest(password)]))
    this.#missing = this.#digest(randomBytes(16).toString('hex'))
  }

  #digest (password: string): Buffer {
    return createHmac('sha256', this.#key).update(password, 'utf8').digest()
  }

  /** Whether the password is the user's. An unknown user costs the same comparison as a known one. */
  check (credentials: BasicAuthCredentials | null): boolean {
    if (credentials === null) return false
    const stored = this.#digests.get(credentials.username)
    const equal = timingSafeEqual(stored ?? this.#missing, this.#digest(credentials.password))
    return stored !== undefined && equal
  }
}

interface Module { flag: JaasControlFlag, file: CredentialsFile }

export class BasicAuthenticator {
  readonly #modules: readonly Module[]
  /** Where the credentials came from, for the start-up log line (paths only). */
  readonly description: string

  constructor (modules: readonly Module[], description: string) {
    this.#modules = modules
    this.description = description
  }

  /**
   * Whether the request's Authorization header passes the login modules, with JAAS's control flags: every
   * `required` and `requisite` module must succeed (a failing `requisite` one ends the login at once); a succeeding
   * `sufficient` module ends it successfully when no `required` one failed before it; without `required` or
   * `requisite` modules, at least one module must succeed.
   */
  authenticate (authorization: string | undefined): boolean {
    const credentials = parseBasicAuthorization(authorization)
    let requiredFailed = false
    let anyRequired = false
    let anySucceeded = false
    for (const module of this.#modules) {
      const ok = module.file.check(credentials)
      if (ok) anySucceeded = true
      switch (module.flag) {
        case 'required':
          anyRequired = true
          if (!ok) requiredFailed = true
          break
        case 'requisite':
          anyRequired = true
          if (!ok) return false
          break
        case 'sufficient':
          if (ok && !requiredFailed) return true
          break
        case 'optional':
          break
      }
    }
    if (requiredFailed) return false
    return anyRequired || anySucceeded
  }
}

/** What enables basic authentication: the worker's keys and the JVM options Apache's scripts pass (KAFKA_OPTS). */
export interface BasicAuthSettings {
  /** rest.extension.classes lists BasicAuthSecurityRestExtension. */
  extensionEnabled: boolean
  /** rest.basic.auth.jaas.config.file */
  jaasConfigFile: string | null
  /** rest.basic.auth.credentials.file */
  credentialsFile: string | null
  /** The KAFKA_OPTS environment variable. */
  kafkaOpts: string | undefined
}

export const REST_BASIC_AUTH_JAAS_CONFIG_FILE_CONFIG = 'rest.basic.auth.jaas.config.file'
export const REST_BASIC_AUTH_CREDENTIALS_FILE_CONFIG = 'rest.basic.auth.credentials.file'

/** Builds the authenticator the settings ask for, or null when basic authentication is off. Every problem is a ConfigError. */
export async function loadBasicAuthenticator (settings: BasicAuthSettings): Promise<BasicAuthenticator | null> {
  const key = randomBytes(32)
  if (settings.credentialsFile !== null) {
    if (settings.jaasConfigFile !== null) {
      throw new ConfigError(`Set either ${REST_BASIC_AUTH_CREDENTIALS_FILE_CONFIG} or ${REST_BASIC_AUTH_JAAS_CONFIG_FILE_CONFIG}, not both`)
    }
    const file = await loadCredentials(settings.credentialsFile, REST_BASIC_AUTH_CREDENTIALS_FILE_CONFIG, key)
    return new BasicAuthenticator([{ flag: 'required', file }], `credentials file ${settings.credentialsFile} (${REST_BASIC_AUTH_CREDENTIALS_FILE_CONFIG})`)
  }
  if (!settings.extensionEnabled) {
    if (settings.jaasConfigFile !== null) {
      throw new ConfigError(`${REST_BASIC_AUTH_JAAS_CONFIG_FILE_CONFIG} is set but rest.extension.classes does not list ${BASIC_AUTH_EXTENSION_CLASS}: add it there to turn basic authentication on`)
    }
    return null
  }
  const fromOpts = jaasPathFromJvmOptions(settings.kafkaOpts)
  const jaasPath = settings.jaasConfigFile ?? fromOpts
  const source = settings.jaasConfigFile !== null ? REST_BASIC_AUTH_JAAS_CONFIG_FILE_CONFIG : '-Djava.security.auth.login.config in KAFKA_OPTS'
  if (jaasPath === null) {
    throw new ConfigError(`rest.extension.classes lists ${BASIC_AUTH_EXTENSION_CLASS}, which needs a JAAS file with a ${CONNECT_LOGIN_ENTRY} entry: ` +
      `set ${REST_BASIC_AUTH_JAAS_CONFIG_FILE_CONFIG} (or -Djava.security.auth.login.config=<file> in KAFKA_OPTS, as for Apache), ` +
      `or give the user=password file directly with ${REST_BASIC_AUTH_CREDENTIALS_FILE_CONFIG}`)
  }
  const jaas = await readJaasFile(jaasPath, source)
  const entry = jaas.get(CONNECT_LOGIN_ENTRY)
  if (!entry || entry.length === 0) {
    throw new ConfigError(`The JAAS file ${jaasPath} (${source}) has no ${CONNECT_LOGIN_ENTRY} entry with a login module; ` +
      `${BASIC_AUTH_EXTENSION_CLASS} logs in with that entry (${CONNECT_LOGIN_ENTRY} { ${PROPERTY_FILE_LOGIN_MODULE} required file="/path/credentials.properties"; };)`)
  }
  const modules: Module[] = []
  for (const m of entry) modules.push({ flag: m.flag, file: await moduleFile(m, jaasPath, key) })
  return new BasicAuthenticator(modules, `JAAS file ${jaasPath} (${source}), entry ${CONNECT_LOGIN_ENTRY}`)
}

async function moduleFile (module: JaasModule, jaasPath: string, key: Buffer): Promise<CredentialsFile> {
  if (module.className !== PROPERTY_FILE_LOGIN_MODULE) {
    throw new ConfigError(`The ${CONNECT_LOGIN_ENTRY} entry of ${jaasPath} uses the login module ${module.className}, which connect-standalone cannot run ` +
      `(JAAS login modules are Java code). Only ${PROPERTY_FILE_LOGIN_MODULE} (a user=password file) is supported`)
  }
  const file = module.options.get('file')?.trim()
  if (!file) throw new ConfigError(`${PROPERTY_FILE_LOGIN_MODULE} in ${jaasPath} needs the option file="/path/credentials.properties"`)
  return await loadCredentials(file, `the file option of ${PROPERTY_FILE_LOGIN_MODULE} in ${jaasPath}`, key)
}

async function loadCredentials (path: string, where: string, key: Buffer): Promise<CredentialsFile> {
  let users: ReadonlyMap<string, string>
  try {
    users = (await loadPropertiesFile(path)).values
  } catch (err) {
    throw new ConfigError(`Cannot read the credentials file ${path} (${where}): ${(err as Error).message}`, { cause: err })
  }
  if (users.size === 0) {
    // Apache's PropertyFileLoginModule lets every request through when the file is empty; that is never what a
    // user who turned authentication on wants.
    throw new ConfigError(`The credentials file ${path} (${where}) holds no user=password line. ` +
      'Apache lets every request through in that case; connect-standalone refuses to start: add users, or turn basic authentication off')
  }
  return new CredentialsFile(users, key)
}
