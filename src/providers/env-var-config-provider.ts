/**
 * EnvVarConfigProvider (Kafka's org.apache.kafka.common.config.provider.EnvVarConfigProvider, 3.5+):
 * `${env:NAME}` is the environment variable NAME, as the process saw it when the provider was created. The
 * `allowlist.pattern` setting (a Java regular expression that must match the whole name; default `.*`) limits which
 * variables can be read. A path (`${env:x:NAME}`) is an error.
 */
import { ConfigDef, ConfigError, type ConfigData, type ConfigProvider } from '../api/index.ts'
import { compileJavaRegex } from '../java/pattern.ts'
import { createLogger } from '../util/logger.ts'

export const ENV_VAR_CONFIG_PROVIDER = 'org.apache.kafka.common.config.provider.EnvVarConfigProvider'
export const ALLOWLIST_PATTERN_CONFIG = 'allowlist.pattern'

const log = createLogger('EnvVarConfigProvider')
const CONFIG = new ConfigDef()
  .define({ name: ALLOWLIST_PATTERN_CONFIG, type: 'string', default: '.*', importance: 'medium', documentation: 'A pattern / regular expression that needs to match for environment variables to be used by this config provider.' })

export class EnvVarConfigProvider implements ConfigProvider {
  readonly #env: ReadonlyMap<string, string>
  #filtered: Map<string, string> | null = null

  constructor (env: Readonly<Record<string, string | undefined>> = process.env) {
    this.#env = new Map(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined))
  }

  config (): ConfigDef { return CONFIG }

  configure (configs: Readonly<Record<string, string>>): void {
    const pattern = configs[ALLOWLIST_PATTERN_CONFIG]
    if (pattern === undefined) log.info('No pattern for environment variables provided. Using default pattern \'(.*)\'.')
    const re = compileJavaRegex(ALLOWLIST_PATTERN_CONFIG, pattern ?? '.*', true)
    this.#filtered = new Map([...this.#env].filter(([name]) => re.test(name)))
  }

  get (path: string, keys?: ReadonlySet<string>): ConfigData {
    if (path !== '') {
      log.error(`Path is not supported for EnvVarConfigProvider, invalid value '${path}'`)
      throw new ConfigError(`Path is not supported for EnvVarConfigProvider, invalid value '${path}'`)
    }
    if (this.#filtered === null) throw new ConfigError('The provider has not been configured yet.')
    const data: Record<string, string> = {}
    for (const [name, value] of this.#filtered) {
      if (!keys || keys.has(name)) Object.defineProperty(data, name, { value, enumerable: true, writable: true, configurable: true })
    }
    return { data }
  }
}
