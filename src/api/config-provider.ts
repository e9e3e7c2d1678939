/**
 * The config provider SPI (Kafka's org.apache.kafka.common.config.provider.ConfigProvider): a named source of values
 * for `${provider:path:key}` variables in worker and connector configurations. A worker file enables providers with
 * `config.providers=name,...`, `config.providers.<name>.class=<class or alias>` and passes settings to each with
 * `config.providers.<name>.param.<setting>=...`.
 */
import type { ConfigDef } from './config-def.ts'

/** What a provider returns for one path. */
export interface ConfigData {
  /** The values found; a key that is missing leaves its variable unresolved (as in Apache). */
  readonly data: Readonly<Record<string, string>>
  /** How long (ms) the values stay valid; null or undefined when they never expire. */
  readonly ttl?: number | null
}

export interface ConfigProvider {
  /** The `param.*` settings it takes, for documentation (Apache's providers ignore settings they do not know). */
  config (): ConfigDef
  /** Receives the `config.providers.<name>.param.*` settings, prefix removed. Throw a ConfigError to refuse them. */
  configure? (configs: Readonly<Record<string, string>>): void | Promise<void>
  /**
   * The values at `path` ('' when the variable has no path, `${name:key}`). `keys` are the keys the configuration
   * asks for; without it, every value at the path.
   */
  get (path: string, keys?: ReadonlySet<string>): ConfigData | Promise<ConfigData>
  /** Releases whatever the provider holds; called when the worker stops. */
  close? (): void | Promise<void>
}
