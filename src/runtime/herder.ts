/**
 * What the REST API and the CLI ask of the worker's connectors (Apache's Herder): infos, statuses, lifecycle
 * changes, offsets, validation and the plugins. StandaloneHerder is the one implementation; the REST resources see
 * only this interface, so they never depend on how connectors are kept or run.
 *
 * Every change is serialised: the herder applies one at a time, in the order asked. A change given an aborted
 * `signal` before it starts (the request timed out or went away) is skipped; one that started always completes.
 */
import type { StoredConnector } from '../storage/connector-config-store.ts'
import type {
  ConfigInfos, ConfigKeyInfo, ConnectorInfo, ConnectorStateInfo, HealthInfo, OffsetEntry, PluginInfo, PutResult,
  TaskInfo, TaskStateEntry
} from '../rest/entities.ts'
import type { TargetState } from './status.ts'

export type { TargetState }

export interface UpsertOptions {
  /** PUT replaces an existing connector's config; POST refuses an existing name (409). */
  allowReplace: boolean
  /** The target state of a created connector (POST's initial_state); STARTED when absent. */
  initialState?: TargetState
  /** Keys the request gave as JSON null: reported as validation errors, as Apache does. */
  nullKeys?: readonly string[]
  signal?: AbortSignal
}

export interface Herder {
  readonly workerId: string
  /** Start-up (stored connectors and connector files) is done. */
  readonly ready: boolean
  markReady (): void
  /** GET /health: healthy once the herder answers its queue within a bound. */
  health (): Promise<HealthInfo>

  // ---- Reads
  /** Connector names, sorted. */
  connectors (): string[]
  connectorInfo (name: string): ConnectorInfo
  /** The stored config, PASSWORD-typed values hidden. */
  connectorConfig (name: string): Record<string, string>
  taskConfigs (name: string): TaskInfo[]
  status (name: string): ConnectorStateInfo
  taskStatus (name: string, task: number): TaskStateEntry
  topics (name: string): string[]
  resetTopics (name: string): void

  // ---- Validation and plugins
  validate (config: Readonly<Record<string, string>>, nullKeys?: readonly string[]): Promise<ConfigInfos>
  /** GET /connector-plugins: connectors only, or every plugin kind, in Apache's order. */
  connectorPlugins (connectorsOnly: boolean): PluginInfo[]
  /** GET /connector-plugins/{plugin}/config: the plugin's keys (a connector's with the framework's). */
  connectorPluginConfig (pluginName: string): ConfigKeyInfo[]

  // ---- Changes
  /** A connector file's connector at start-up; rejects when the connector cannot start. */
  putConnectorConfig (name: string, config: Record<string, string>, initialState?: TargetState): Promise<void>
  /** POST /connectors and PUT .../config: validated, then created or replaced. */
  upsertConnector (name: string, config: Record<string, string>, options: UpsertOptions): Promise<PutResult>
  /** PATCH .../config: merged into the current config (null removes a key), then applied like PUT. */
  patchConnectorConfig (name: string, patch: Readonly<Record<string, string | null>>, signal?: AbortSignal): Promise<ConnectorInfo>
  pauseConnector (name: string, signal?: AbortSignal): Promise<void>
  resumeConnector (name: string, signal?: AbortSignal): Promise<void>
  stopConnector (name: string, signal?: AbortSignal): Promise<void>
  restartConnector (name: string, signal?: AbortSignal): Promise<void>
  /** The restart plan (statuses with what restarts shown as RESTARTING), after performing it. */
  restartConnectorAndTasks (name: string, options: { includeTasks: boolean, onlyFailed: boolean }, signal?: AbortSignal): Promise<ConnectorStateInfo>
  restartTask (name: string, task: number, signal?: AbortSignal): Promise<void>
  deleteConnector (name: string, signal?: AbortSignal): Promise<void>

  // ---- Offsets
  connectorOffsets (name: string, signal?: AbortSignal): Promise<OffsetEntry[]>
  /** PATCH .../offsets (`offsets` given) or DELETE .../offsets (undefined); answers the message to show. */
  modifyOffsets (name: string, offsets: readonly OffsetEntry[] | undefined, signal?: AbortSignal): Promise<string>

  // ---- Start-up and shutdown
  /** Connectors persisted by an earlier run, except those connector files give. */
  restorePersisted (stored: ReadonlyMap<string, StoredConnector>, except: ReadonlySet<string>, options?: { start?: boolean }): Promise<void>
  /** Stops every connector and task (bounded); no change is accepted afterwards. */
  stop (): Promise<void>
}

/** One scrape of GET /metrics: the body and its content type. */
export interface MetricsExpositionResult { contentType: string, body: string }

/**
 * What the REST layer asks of the worker's metrics (GET /metrics): the runtime's exposition (src/runtime/metrics)
 * behind this narrow interface, so the REST layer reaches the runtime through this file alone.
 */
export interface MetricsScrape {
  /** Prometheus text format, or OpenMetrics when `openMetrics`. */
  scrape (openMetrics: boolean): Promise<MetricsExpositionResult>
}
