/**
 * Config providers (KIP-297, KIP-421): `${provider:path:key}` and `${provider:key}` variables in the worker file and
 * in connector configurations are replaced by values from the providers the worker file names in `config.providers`.
 *
 * The substitution follows Apache's ConfigTransformer exactly:
 * - variables are found with the pattern `\$\{([^}]*?):(([^}]*?):)?([^}]*?)\}` (provider, optional path, key; the
 *   first colon ends the provider name and the next one the path, so the key may hold colons);
 * - each provider is asked once per path, for every key any value needs from that path;
 * - a variable naming a provider that is not configured, or a key the provider did not return, stays as written;
 * - substitution is one pass: a value that itself looks like a variable is not resolved again;
 * - a provider that fails (an unreadable file) fails the whole resolution.
 *
 * Worker values are resolved once at start-up ({@link resolveWorkerConfig}); connector configurations are resolved by
 * a {@link ConnectorConfigResolver} each time a connector or task starts, so the raw configuration (with its
 * variables) is what is stored and shown.
 */
import { ConfigError, ConnectError, type ConfigProvider } from '../api/index.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import { createLogger, type Logger } from '../util/logger.ts'

export const CONFIG_PROVIDERS_CONFIG = 'config.providers'

/** Apache's ConfigTransformer.DEFAULT_PATTERN. Use with a fresh `lastIndex` (it is global). */
export const VARIABLE_PATTERN = /\$\{([^}]*?):(([^}]*?):)?([^}]*?)\}/g

export interface ConfigVariable {
  provider: string
  /** '' when the variable has no path. */
  path: string
  key: string
  /** The variable as written. */
  text: string
}

/** The variables of one value, in order. */
export function configVariables (value: string): ConfigVariable[] {
  const out: ConfigVariable[] = []
  for (const m of value.matchAll(VARIABLE_PATTERN)) out.push({ provider: m[1]!, path: m[3] ?? '', key: m[4]!, text: m[0] })
  return out
}

export function hasVariables (value: string): boolean {
  return configVariables(value).length > 0
}

/** The keys whose values hold at least one variable (Apache's keysWithVariableValues). */
export function keysWithVariables (config: Readonly<Record<string, string>>): Set<string> {
  return new Set(Object.keys(config).filter(k => hasVariables(config[k]!)))
}

export interface TransformResult {
  /** Every key of the input, variables replaced where a provider had a value. */
  data: Record<string, string>
  /** Per path, the shortest time-to-live (ms) providers gave for its values; absent when they never expire. */
  ttls: Map<string, number>
}

function record (): Record<string, string> {
  return {}
}

function put (target: Record<string, string>, key: string, value: string): void {
  // Own data properties, so keys such as __proto__ are stored as data.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

export class ConfigTransformer {
  readonly #providers: ReadonlyMap<string, ConfigProvider>

  constructor (providers: ReadonlyMap<string, ConfigProvider>) {
    this.#providers = providers
  }

  get providerNames (): string[] { return [...this.#providers.keys()] }

  async transform (configs: Readonly<Record<string, string>>): Promise<TransformResult> {
    // provider → path → keys, and which config keys asked (for error messages).
    const wanted = new Map<string, Map<string, { keys: Set<string>, usedBy: Set<string> }>>()
    for (const [configKey, value] of Object.entries(configs)) {
      if (typeof value !== 'string') continue
      for (const v of configVariables(value)) {
        const byPath = wanted.get(v.provider) ?? new Map<string, { keys: Set<string>, usedBy: Set<string> }>()
        wanted.set(v.provider, byPath)
        const entry = byPath.get(v.path) ?? { keys: new Set<string>(), usedBy: new Set<string>() }
        byPath.set(v.path, entry)
        entry.keys.add(v.key)
        entry.usedBy.add(configKey)
      }
    }
    const lookups = new Map<string, Map<string, Readonly<Record<string, string>>>>()
    const ttls = new Map<string, number>()
    for (const [providerName, byPath] of wanted) {
      const provider = this.#providers.get(providerName)
      if (!provider) continue
      const found = new Map<string, Readonly<Record<string, string>>>()
      lookups.set(providerName, found)
      for (const [path, { keys, usedBy }] of byPath) {
        let result
        try {
          result = await provider.get(path, new Set(keys))
        } catch (err) {
          const used = [...usedBy].join(', ')
          const message = `Config provider '${providerName}' failed to provide values for path '${path}' (used by ${used}): ${(err as Error).message ?? String(err)}`
          throw new ConfigError(message, { cause: err })
        }
        found.set(path, result?.data ?? {})
        const ttl = result?.ttl
        if (typeof ttl === 'number' && ttl >= 0) ttls.set(path, Math.min(ttl, ttls.get(path) ?? ttl))
      }
    }
    const data = record()
    for (const [key, value] of Object.entries(configs)) put(data, key, typeof value === 'string' ? replace(value, lookups) : value)
    return { data, ttls }
  }
}

function replace (value: string, lookups: ReadonlyMap<string, ReadonlyMap<string, Readonly<Record<string, string>>>>): string {
  return value.replace(VARIABLE_PATTERN, (text: string, provider: string, _p: string | undefined, path: string | undefined, key: string) => {
    const values = lookups.get(provider)?.get(path ?? '')
    if (!values || !Object.hasOwn(values, key)) return text
    const v = values[key]
    return typeof v === 'string' ? v : text
  })
}

/** The names listed in `config.providers` (a comma-separated list; blanks ignored). */
export function configProviderNames (originals: Readonly<Record<string, string>>): string[] {
  return (originals[CONFIG_PROVIDERS_CONFIG] ?? '').split(',').map(s => s.trim()).filter(s => s !== '')
}

/**
 * Creates and configures the providers the worker file names: `config.providers.<name>.class` (a class name or alias
 * of a config_provider plugin, built in or from plugin.path) with its `config.providers.<name>.param.*` settings.
 * A listed name without a class is skipped (its variables stay unresolved), as in Apache, with a warning.
 */
export async function instantiateConfigProviders (originals: Readonly<Record<string, string>>, registry: PluginRegistry,
  logger: Logger = createLogger('ConfigTransformer')): Promise<Map<string, ConfigProvider>> {
  const providers = new Map<string, ConfigProvider>()
  try {
    for (const name of configProviderNames(originals)) {
      if (providers.has(name)) continue
      const classKey = `${CONFIG_PROVIDERS_CONFIG}.${name}.class`
      const className = originals[classKey]?.trim()
      if (!className) {
        logger.warn(`${CONFIG_PROVIDERS_CONFIG} lists '${name}' but ${classKey} is not set: \${${name}:...} variables stay as they are`)
        continue
      }
      const descriptor = registry.resolve(className, ['config_provider'], classKey)
      const provider = descriptor.create()
      const prefix = `${CONFIG_PROVIDERS_CONFIG}.${name}.param.`
      const params: Record<string, string> = {}
      for (const [k, v] of Object.entries(originals)) if (k.startsWith(prefix)) put(params, k.slice(prefix.length), v)
      try {
        await provider.configure?.(params)
      } catch (err) {
        if (ConnectError.is(err)) {
          if (err instanceof ConfigError) throw new ConfigError(`Config provider '${name}' (${classKey}=${className}): ${err.message}`, { cause: err })
          throw err
        }
        throw new ConfigError(`Config provider '${name}' (${classKey}=${className}) could not be configured: ${(err as Error).message ?? String(err)}`, { cause: err })
      }
      providers.set(name, provider)
    }
  } catch (err) {
    await closeConfigProviders(providers, logger)
    throw err
  }
  return providers
}

export async function closeConfigProviders (providers: ReadonlyMap<string, ConfigProvider>, logger: Logger = createLogger('ConfigTransformer')): Promise<void> {
  for (const [name, p] of providers) {
    try {
      await p.close?.()
    } catch (err) {
      logger.warn(`Error while closing config provider '${name}'`, err)
    }
  }
}

export interface ResolvedWorkerConfig {
  /** The worker file's values with variables replaced. */
  values: Record<string, string>
  /** Keys whose raw value held variables (their resolved values must not be logged). */
  variableKeys: Set<string>
}

/**
 * Resolves the worker file's own variables, as Apache's WorkerConfig does: the providers are created for this, used
 * once and closed. The `config.providers*` settings are read raw. `plugin.path` is used raw by the caller (plugins,
 * providers among them, load before any provider exists), as in Apache.
 */
export async function resolveWorkerConfig (raw: Readonly<Record<string, string>>, registry: PluginRegistry,
  logger: Logger = createLogger('ConfigTransformer')): Promise<ResolvedWorkerConfig> {
  const variableKeys = keysWithVariables(raw)
  if (configProviderNames(raw).length === 0 || variableKeys.size === 0) return { values: { ...raw }, variableKeys }
  const providers = await instantiateConfigProviders(raw, registry, logger)
  try {
    const { data } = await new ConfigTransformer(providers).transform(raw)
    return { values: data, variableKeys }
  } finally {
    await closeConfigProviders(providers, logger)
  }
}

/**
 * The worker's resolver for connector configurations (Apache's WorkerConfigTransformer). The herder stores and
 * shows raw configurations and calls {@link resolveConnectorConfig} when it starts a connector, and again for each
 * task configuration when it starts a task; {@link reverseTransform} puts the raw variables back into the task
 * configurations a connector generated, before they are stored or shown.
 */
export class ConnectorConfigResolver {
  readonly #transformer: ConfigTransformer
  readonly #providers: ReadonlyMap<string, ConfigProvider>
  readonly #logger: Logger

  private constructor (providers: ReadonlyMap<string, ConfigProvider>, logger: Logger) {
    this.#providers = providers
    this.#transformer = new ConfigTransformer(providers)
    this.#logger = logger
  }

  /** Creates the worker's providers (their own instances, kept until close()). */
  static async create (workerOriginals: Readonly<Record<string, string>>, registry: PluginRegistry,
    logger: Logger = createLogger('WorkerConfigTransformer')): Promise<ConnectorConfigResolver> {
    return new ConnectorConfigResolver(await instantiateConfigProviders(workerOriginals, registry, logger), logger)
  }

  /** A resolver with the given providers (tests, embedding). */
  static of (providers: ReadonlyMap<string, ConfigProvider>, logger: Logger = createLogger('WorkerConfigTransformer')): ConnectorConfigResolver {
    return new ConnectorConfigResolver(providers, logger)
  }

  get providerNames (): string[] { return this.#transformer.providerNames }

  /** The configuration with its variables resolved; a ConfigError (naming the keys) when a provider fails. */
  async resolveConnectorConfig (raw: Readonly<Record<string, string>>): Promise<Record<string, string>> {
    return (await this.transform(raw)).data
  }

  /** Like resolveConnectorConfig, with the providers' time-to-live per path (for config.action.reload=restart). */
  async transform (raw: Readonly<Record<string, string>>): Promise<TransformResult> {
    if (this.#providers.size === 0 || keysWithVariables(raw).size === 0) return { data: { ...raw }, ttls: new Map() }
    return await this.#transformer.transform(raw)
  }

  /**
   * Task configurations as a connector generated them from its resolved configuration, with every key whose raw
   * connector value held variables set back to that raw value (Apache's reverseTransform), so secrets are neither
   * stored nor shown.
   */
  reverseTransform (rawConnectorConfig: Readonly<Record<string, string>>, taskConfigs: ReadonlyArray<Readonly<Record<string, string>>>): Array<Record<string, string>> {
    const keys = keysWithVariables(rawConnectorConfig)
    return taskConfigs.map(tc => {
      const out = { ...tc }
      for (const k of keys) if (Object.hasOwn(out, k)) put(out, k, rawConnectorConfig[k]!)
      return out
    })
  }

  async close (): Promise<void> {
    await closeConfigProviders(this.#providers, this.#logger)
  }
}

/**
 * A validation error about a value that came from a config provider shows the raw variable, not the resolved value
 * (which may be a secret): used for worker files and connector configs, validated once resolved, as Apache does.
 */
export function hideResolvedValues (err: ConfigError, raw: Readonly<Record<string, string>>, resolved: Readonly<Record<string, string>>, keys: ReadonlySet<string>): ConfigError {
  let changed = false
  let message = err.message
  const problems = err.problems.map(p => {
    for (const key of keys) {
      const value = resolved[key]?.trim()
      if (value && p.includes(`configuration ${key}`) && p.includes(value)) {
        changed = true
        const shown = p.split(value).join(raw[key]?.trim() ?? '')
        message = message.split(p).join(shown)
        return shown
      }
    }
    return p
  })
  return changed ? new ConfigError(problems.length === 1 ? problems[0]! : message, { problems, cause: err }) : err
}
