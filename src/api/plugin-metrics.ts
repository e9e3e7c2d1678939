/**
 * Metrics a plugin registers for itself (Apache's KIP-877 PluginMetrics): reachable from a connector's or task's
 * context as `context.pluginMetrics`, tagged by the runtime with the connector (and task) they belong to and removed
 * with them. GET /metrics shows them as kafka_connect_plugins_<name>{connector="…",task="…",<tags>}.
 *
 * Update them per batch, not per record where that is easy: a counter is one addition, but a task polling a million
 * records a second still pays for a million calls.
 */
export type PluginMetricTags = Readonly<Record<string, string>>

export interface PluginCounter {
  /** Adds `amount` (default 1; never negative). */
  inc (amount?: number): void
}

export interface PluginGauge {
  set (value: number): void
  inc (amount?: number): void
  dec (amount?: number): void
}

export interface PluginGaugeOptions {
  tags?: PluginMetricTags
  /** Read when the metrics are collected, instead of a value set with set(). */
  read?: () => number
}

export interface PluginMetrics {
  /**
   * A counter: `name` is lower case words (kebab-case as Apache's, or snake_case); Prometheus sees it with `-` as `_`.
   * The same name, description and tags give the same counter back. Tags other than the runtime's own (connector,
   * task) must be the same set of keys for every series of one name.
   */
  counter (name: string, description: string, tags?: PluginMetricTags): PluginCounter
  gauge (name: string, description: string, options?: PluginGaugeOptions): PluginGauge
}
