/**
 * An example config provider plugin: values from a JSON file, addressed by a dotted path.
 *
 *   # worker.properties
 *   plugin.path=examples/plugins
 *   config.providers=json
 *   config.providers.json.class=com.example.JsonFileConfigProvider
 *   config.providers.json.param.ttl.ms=60000          # optional: values expire (the herder restarts connectors)
 *
 *   # a connector file; /etc/connect/secrets.json is {"db": {"user": "connect", "password": "s3cret"}}
 *   connection.password=${json:/etc/connect/secrets.json:db.password}
 *
 * A string is used as it is; a number, boolean or object is used as its JSON text; a missing key leaves the
 * variable as written (as Kafka's providers do).
 */
import { readFile } from 'node:fs/promises'
import { ConfigDef, ConfigError, definePlugins, plugin, type ConfigData, type ConfigProvider } from 'connect-standalone/api'

const TTL_CONFIG = 'ttl.ms'

class JsonFileConfigProvider implements ConfigProvider {
  #ttl: number | null = null

  config (): ConfigDef {
    return new ConfigDef()
      .define({ name: TTL_CONFIG, type: 'long', default: null, importance: 'low', documentation: 'How long values stay valid, in milliseconds; unset: forever.' })
  }

  configure (configs: Readonly<Record<string, string>>): void {
    const ttl = configs[TTL_CONFIG]
    if (ttl !== undefined) {
      if (!/^\d+$/.test(ttl.trim())) throw new ConfigError(`Invalid value ${ttl} for configuration ${TTL_CONFIG}: Not a number of type LONG`)
      this.#ttl = Number(ttl)
    }
  }

  async get (path: string, keys?: ReadonlySet<string>): Promise<ConfigData> {
    if (path === '') return { data: {} }
    let doc: unknown
    try {
      doc = JSON.parse(await readFile(path, 'utf8'))
    } catch (err) {
      throw new ConfigError(`Could not read JSON from file ${path}: ${(err as Error).message}`, { cause: err })
    }
    const data: Record<string, string> = {}
    for (const key of keys ?? []) {
      let node: unknown = doc
      for (const part of key.split('.')) {
        node = node !== null && typeof node === 'object' && Object.hasOwn(node, part) ? (node as Record<string, unknown>)[part] : undefined
      }
      if (node !== undefined) data[key] = typeof node === 'string' ? node : JSON.stringify(node)
    }
    return { data, ttl: this.#ttl }
  }
}

export default definePlugins([
  plugin({ kind: 'config_provider', className: 'com.example.JsonFileConfigProvider', version: '1.0.0', create: () => new JsonFileConfigProvider() })
])
