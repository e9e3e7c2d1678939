/**
 * DirectoryConfigProvider (Kafka's org.apache.kafka.common.config.provider.DirectoryConfigProvider):
 * `${directory:/run/secrets:db-password}` is the whole content (UTF-8, nothing trimmed) of the regular file
 * `db-password` in that directory — the layout of Kubernetes and Docker secret mounts. Symbolic links are followed;
 * subdirectories are ignored. A path that is not a directory gives no values (and a warning).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigDef, ConfigError, type ConfigData, type ConfigProvider } from '../../api/index.ts'
import { createLogger } from '../../util/logger.ts'
import { ALLOWED_PATHS_CONFIG, ALLOWED_PATHS_DOC, AllowedPaths } from './allowed-paths.ts'

export const DIRECTORY_CONFIG_PROVIDER = 'org.apache.kafka.common.config.provider.DirectoryConfigProvider'

const log = createLogger('DirectoryConfigProvider')
const CONFIG = new ConfigDef()
  .define({ name: ALLOWED_PATHS_CONFIG, type: 'string', default: null, importance: 'medium', documentation: ALLOWED_PATHS_DOC })

function isRegularFile (path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

export class DirectoryConfigProvider implements ConfigProvider {
  #allowed: AllowedPaths | null = null

  config (): ConfigDef { return CONFIG }

  configure (configs: Readonly<Record<string, string>>): void {
    this.#allowed = new AllowedPaths(configs[ALLOWED_PATHS_CONFIG])
  }

  get (path: string, keys?: ReadonlySet<string>): ConfigData {
    if (this.#allowed === null) throw new ConfigError('The provider has not been configured yet.')
    const data: Record<string, string> = {}
    if (path === '') return { data }
    const dir = this.#allowed.allowed(path)
    if (dir === null) {
      log.warn(`The path ${path} is not allowed to be accessed`)
      return { data }
    }
    let isDir = false
    try { isDir = statSync(dir).isDirectory() } catch {}
    if (!isDir) {
      log.warn(`The path ${path} is not a directory`)
      return { data }
    }
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch (err) {
      throw new ConfigError(`Could not list directory ${dir}`, { cause: err })
    }
    for (const name of names) {
      if (keys && !keys.has(name)) continue
      const file = join(dir, name)
      if (!isRegularFile(file)) continue
      let value: string
      try {
        value = readFileSync(file).toString('utf8')
      } catch (err) {
        throw new ConfigError(`Could not read file ${file} for property ${name}`, { cause: err })
      }
      Object.defineProperty(data, name, { value, enumerable: true, writable: true, configurable: true })
    }
    return { data }
  }
}
