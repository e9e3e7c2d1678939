/**
 * FileConfigProvider (Kafka's org.apache.kafka.common.config.provider.FileConfigProvider): `${file:/path/x.properties:key}`
 * is the value of `key` in that properties file, read as Java's Properties.load does from a UTF-8 reader. A missing
 * key leaves the variable as it is; an unreadable file is an error.
 */
import { readFileSync } from 'node:fs'
import { ConfigError } from '../api/index.ts'
import { createLogger } from '../util/logger.ts'
import { parseProperties } from '../java/properties.ts'
import { PathConfigProvider, setValue } from './allowed-paths.ts'

export const FILE_CONFIG_PROVIDER = 'org.apache.kafka.common.config.provider.FileConfigProvider'

const log = createLogger('FileConfigProvider')
export class FileConfigProvider extends PathConfigProvider {
  protected readonly logger = log

  protected read (file: string, path: string, keys: ReadonlySet<string> | undefined): Record<string, string> {
    let text: string
    try {
      // Strict UTF-8 without dropping a byte order mark, like Files.newBufferedReader(path, UTF_8).
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(readFileSync(file))
    } catch (err) {
      log.error(`Could not read properties from file ${path}`, err)
      throw new ConfigError(`Could not read properties from file ${path}`, { cause: err })
    }
    const values = parseProperties(text, path).values
    const data: Record<string, string> = {}
    for (const key of keys ?? values.keys()) {
      const v = values.get(key)
      if (v !== undefined) setValue(data, key, v)
    }
    return data
  }
}
