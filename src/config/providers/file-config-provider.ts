/**
 * FileConfigProvider (Kafka's org.apache.kafka.common.config.provider.FileConfigProvider): `${file:/path/x.properties:key}`
 * is the value of `key` in that properties file, read as Java's Properties.load does from a UTF-8 reader. A missing
 * key leaves the variable as it is; an unreadable file is an error.
 */
import { readFileSync } from 'node:fs'
import { ConfigDef, ConfigError, type ConfigData, type ConfigProvider } from '../../api/index.ts'
import { createLogger } from '../../util/logger.ts'
import { parseProperties } from '../properties.ts'
import { ALLOWED_PATHS_CONFIG, ALLOWED_PATHS_DOC, AllowedPaths } from './allowed-paths.ts'

export const FILE_CONFIG_PROVIDER = 'org.apache.kafka.common.config.provider.FileConfigProvider'

const log = createLogger('FileConfigProvider')
const CONFIG = new ConfigDef()
  .define({ name: ALLOWED_PATHS_CONFIG, type: 'string', default: null, importance: 'medium', documentation: ALLOWED_PATHS_DOC })

export class FileConfigProvider implements ConfigProvider {
  #allowed: AllowedPaths | null = null

  config (): ConfigDef { return CONFIG }

  configure (configs: Readonly<Record<string, string>>): void {
    this.#allowed = new AllowedPaths(configs[ALLOWED_PATHS_CONFIG])
  }

  get (path: string, keys?: ReadonlySet<string>): ConfigData {
    if (this.#allowed === null) throw new ConfigError('The provider has not been configured yet.')
    const data: Record<string, string> = {}
    if (path === '') return { data }
    const file = this.#allowed.allowed(path)
    if (file === null) {
      log.warn(`The path ${path} is not allowed to be accessed`)
      return { data }
    }
    let text: string
    try {
      // Strict UTF-8 without dropping a byte order mark, like Files.newBufferedReader(path, UTF_8).
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(readFileSync(file))
    } catch (err) {
      log.error(`Could not read properties from file ${path}`, err)
      throw new ConfigError(`Could not read properties from file ${path}`, { cause: err })
    }
    const values = parseProperties(text, path).values
    for (const key of keys ?? values.keys()) {
      const v = values.get(key)
      if (v !== undefined) Object.defineProperty(data, key, { value: v, enumerable: true, writable: true, configurable: true })
    }
    return { data }
  }
}
