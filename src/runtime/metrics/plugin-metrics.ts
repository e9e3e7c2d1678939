/**
 * The runtime side of the SPI's PluginMetrics (KIP-877): each connector and task gets a scope tagged with its
 * connector (and task); the values are plain numbers read by the exposition when /metrics is scraped. A family (one
 * metric name) is shared by every plugin that uses the name, so its type and tag keys must agree.
 */
import { ConnectError, type PluginCounter, type PluginGauge, type PluginGaugeOptions, type PluginMetricTags, type PluginMetrics } from '../../api/index.ts'

export const PLUGIN_METRIC_PREFIX = 'kafka_connect_plugins_'

export interface PluginSeries {
  readonly connector: string
  readonly task: number | null
  readonly labels: Readonly<Record<string, string>>
  value: number
  read?: () => number
}

export interface PluginFamily {
  /** The Prometheus name (prefix included). */
  readonly name: string
  readonly help: string
  readonly type: 'counter' | 'gauge'
  readonly labelNames: readonly string[]
  readonly series: Map<string, PluginSeries>
}

const NAME_RE = /^[a-z][a-z0-9_-]*$/
const TAG_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/
const RESERVED_TAGS = new Set(['connector', 'task'])

/** One task's series of one family, as plain data: how a task in another process hands them to the worker. */
export interface ExportedPluginFamily {
  name: string
  help: string
  type: 'counter' | 'gauge'
  labelNames: string[]
  series: Array<{ labels: Record<string, string>, value: number }>
}

export class PluginMetricsRegistry {
  readonly families = new Map<string, PluginFamily>()
  /** Told of every new family (the exposition registers it with prom-client). */
  onFamily: ((family: PluginFamily) => void) | null = null

  /** The PluginMetrics a connector (task null) or a task gets in its context. */
  scope (connector: string, task: number | null): PluginMetrics {
    return {
      counter: (name, description, tags) => {
        const s = this.#series('counter', name, description, connector, task, tags)
        return {
          inc (amount = 1) {
            if (!(amount >= 0)) throw new ConnectError(`Counter ${name} cannot be increased by ${amount}`)
            s.value += amount
          }
        } satisfies PluginCounter
      },
      gauge: (name, description, options: PluginGaugeOptions = {}) => {
        const s = this.#series('gauge', name, description, connector, task, options.tags)
        if (options.read) s.read = options.read
        return {
          set (value: number) { s.value = value },
          inc (amount = 1) { s.value += amount },
          dec (amount = 1) { s.value -= amount }
        } satisfies PluginGauge
      }
    }
  }

  #series (type: 'counter' | 'gauge', name: string, description: string, connector: string, task: number | null, tags: PluginMetricTags = {}): PluginSeries {
    if (!NAME_RE.test(name)) throw new ConnectError(`Invalid plugin metric name '${name}': use lower case letters, digits, '-' and '_', starting with a letter`)
    const tagKeys = Object.keys(tags).sort()
    for (const k of tagKeys) {
      if (!TAG_RE.test(k) || RESERVED_TAGS.has(k)) throw new ConnectError(`Invalid tag '${k}' for plugin metric '${name}'${RESERVED_TAGS.has(k) ? ': the runtime sets it' : ''}`)
    }
    const promName = PLUGIN_METRIC_PREFIX + name.replace(/-/g, '_')
    let family = this.families.get(promName)
    if (!family) {
      family = { name: promName, help: description, type, labelNames: ['connector', 'task', ...tagKeys], series: new Map() }
      this.families.set(promName, family)
      this.onFamily?.(family)
    } else {
      if (family.type !== type) throw new ConnectError(`Plugin metric '${name}' is already registered as a ${family.type}`)
      const known = family.labelNames.slice(2).join(',')
      if (known !== tagKeys.join(',')) throw new ConnectError(`Plugin metric '${name}' is registered with the tags [${known}], not [${tagKeys.join(',')}]`)
    }
    const labels: Record<string, string> = { connector, ...(task !== null ? { task: String(task) } : {}), ...tags }
    const key = JSON.stringify([connector, task, tagKeys.map(k => tags[k])])
    let series = family.series.get(key)
    if (!series) {
      series = { connector, task, labels, value: 0 }
      family.series.set(key, series)
    }
    return series
  }

  /** The task's series with their current values (gauges with a read() are read now). */
  exportTask (connector: string, task: number): ExportedPluginFamily[] {
    const out: ExportedPluginFamily[] = []
    for (const f of this.families.values()) {
      const series = [...f.series.values()].filter(s => s.connector === connector && s.task === task)
        .map(s => ({ labels: { ...s.labels }, value: s.read ? s.read() : s.value }))
      if (series.length > 0) out.push({ name: f.name, help: f.help, type: f.type, labelNames: [...f.labelNames], series })
    }
    return out
  }

  /** Sets the task's series to another registry's exportTask(); a family whose type or tags clash is left out. */
  importTask (connector: string, task: number, families: readonly ExportedPluginFamily[]): void {
    for (const e of families) {
      let family = this.families.get(e.name)
      if (!family) {
        family = { name: e.name, help: e.help, type: e.type, labelNames: e.labelNames, series: new Map() }
        this.families.set(e.name, family)
        this.onFamily?.(family)
      } else if (family.type !== e.type || family.labelNames.join(',') !== e.labelNames.join(',')) {
        continue
      }
      for (const { labels, value } of e.series) {
        const key = JSON.stringify([connector, task, family.labelNames.slice(2).map(k => labels[k])])
        const existing = family.series.get(key)
        if (existing) existing.value = value
        else family.series.set(key, { connector, task, labels, value })
      }
    }
  }

  /** A stopped connector's own series go (its tasks' go with removeTask). */
  removeConnector (connector: string): void {
    for (const f of this.families.values()) for (const [k, s] of f.series) if (s.connector === connector && s.task === null) f.series.delete(k)
  }

  removeTask (connector: string, task: number): void {
    for (const f of this.families.values()) for (const [k, s] of f.series) if (s.connector === connector && s.task === task) f.series.delete(k)
  }
}
