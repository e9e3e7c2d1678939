/**
 * The herder's one validation path (Apache's AbstractHerder.validateConnectorConfig): PUT .../config/validate,
 * POST /connectors, PUT and PATCH .../config and the start-up of stored connectors all check a config here.
 */
import { hasVariables, type ConnectorConfigResolver } from '../config/config-transformer.ts'
import { ConfigError, Password, type PluginDescriptor } from '../api/index.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import type { ConfigInfos } from '../rest/entities.ts'
import { checkConnectorConfig, invalidConfigMessage } from './config-infos.ts'
import type { WorkerConverterSettings } from './connector-converters.ts'

export class ConnectorValidator {
  readonly #registry: PluginRegistry
  readonly #settings: WorkerConverterSettings & { configResolver?: ConnectorConfigResolver }

  constructor (registry: PluginRegistry, settings: WorkerConverterSettings & { configResolver?: ConnectorConfigResolver }) {
    this.#registry = registry
    this.#settings = settings
  }

  /** Every key, every error; never throws for an invalid config. JSON null values (`nullKeys`) are errors. */
  async validate (config: Readonly<Record<string, string>>, nullKeys: readonly string[] = []): Promise<ConfigInfos> {
    const infos = (await this.#check(config)).infos
    return withNullValueErrors(infos, nullKeys)
  }

  /** The connector's plugin when the config is valid; a ConfigError listing every problem otherwise. */
  async validateOrThrow (config: Readonly<Record<string, string>>, nullKeys: readonly string[]): Promise<PluginDescriptor<'source' | 'sink'>> {
    const check = await this.#check(config)
    const infos = withNullValueErrors(check.infos, nullKeys)
    if (infos.error_count > 0) {
      throw new ConfigError(invalidConfigMessage(infos), { problems: infos.configs.flatMap(c => c.value.errors) })
    }
    return check.descriptor
  }

  /** The keys whose values are PASSWORD-typed (hidden in what REST shows); none when the config cannot be checked. */
  passwordKeys (config: Readonly<Record<string, string>>): Set<string> {
    try {
      return checkConnectorConfig(config, this.#registry, this.#settings).passwordKeys
    } catch {
      return new Set()
    }
  }

  /** The config with its provider variables resolved, or `config` itself when it has none or they cannot be resolved. */
  async resolvedForValidation (config: Readonly<Record<string, string>>): Promise<Readonly<Record<string, string>>> {
    const resolver = this.#settings.configResolver
    if (!resolver || !Object.values(config).some(hasVariables)) return config
    try {
      return await resolver.resolveConnectorConfig(config)
    } catch {
      return config
    }
  }

  /**
   * Validation sees what the connector will be given, as Apache's herder does: config provider variables resolved
   * (`tasks.max=${env:TASKS}` is a number once resolved). What it reports stays the raw text: a value that came from a
   * variable shows the variable, and error messages name the variable instead of its value, so no resolved secret
   * reaches REST or the logs. A config whose variables cannot be resolved is validated as written; starting it then
   * fails with the provider's error.
   */
  async #check (config: Readonly<Record<string, string>>): Promise<ReturnType<typeof checkConnectorConfig>> {
    const resolved = await this.resolvedForValidation(config)
    if (resolved === config) return checkConnectorConfig(config, this.#registry, this.#settings)
    let check: ReturnType<typeof checkConnectorConfig>
    try {
      check = checkConnectorConfig(resolved, this.#registry, this.#settings)
    } catch {
      // An error that would quote resolved values (a missing connector.class prints the whole config): the raw
      // config's check says it in the user's own text.
      return checkConnectorConfig(config, this.#registry, this.#settings)
    }
    for (const c of check.infos.configs) {
      const key = c.value.name
      const raw = config[key]
      const value = resolved[key]
      if (raw === undefined || value === undefined || raw === value) continue
      if (c.value.value !== null && c.value.value !== Password.HIDDEN) c.value.value = raw
      if (value !== '') c.value.errors = c.value.errors.map(e => e.split(value).join(raw))
    }
    return check
  }
}

/** Adds Apache's error for JSON null config values to the ConfigInfos. */
function withNullValueErrors (infos: ConfigInfos, nullKeys: readonly string[]): ConfigInfos {
  if (nullKeys.length === 0) return infos
  const msg = 'Null value can not be supplied as the configuration value.'
  const configs = [...infos.configs]
  for (const key of nullKeys) {
    const i = configs.findIndex(c => c.value.name === key)
    if (i >= 0) configs[i] = { ...configs[i]!, value: { ...configs[i]!.value, value: null, errors: [...configs[i]!.value.errors, msg] } }
    else configs.unshift({ definition: null, value: { name: key, value: null, recommended_values: [], errors: [msg], visible: true } })
  }
  return { ...infos, error_count: configs.reduce((n, c) => n + c.value.errors.length, 0), configs }
}
