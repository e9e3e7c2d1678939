/**
 * DirectoryConfigProvider (Kafka's org.apache.kafka.common.config.provider.DirectoryConfigProvider):
 * `${directory:/run/secrets:db-password}` is the whole content (UTF-8, nothing trimmed) of the regular file
 * `db-password` in that directory — the layout of Kubernetes and Docker secret mounts. Symbolic links are followed;
 * subdirectories are ignored. A path that is not a directory gives no values (and a warning).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../api/index.ts'
import { createLogger } from '../util/logger.ts'
import { PathConfigProvider, setValue } from './allowed-paths.ts'

export const DIRECTORY_CONFIG_PROVIDER = 'org.apache.kafka.common.config.provider.DirectoryConfigProvider'

const log = createLogger('DirectoryConfigProvider')

function isRegularFile (path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

export class DirectoryConfigProvider extends PathConfigProvider {
  protected readonly logger = log

  protected read (dir: string, path: string, keys: ReadonlySet<string> | undefined): Record<string, string> {
    const data: Record<string, string> = {}
    let isDir = false
    try { isDir = statSync(dir).isDirectory() } catch {}
    if (!isDir) {
      log.warn(`The path ${path} is not a directory`)
      return data
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
      setValue(data, name, value)
    }
    return data
  }
}
