/**
 * Connector and Task contracts shared by sources and sinks (Kafka's connector package).
 *
 * The runtime tells connector kinds apart by the `kind` discriminant, never by `instanceof`, so plugins that bundle
 * their own copy of this module still work.
 */
import type { ConfigDef, ConfigValue } from './config-def.ts'
import type { PluginMetrics } from './plugin-metrics.ts'

export type ConnectorProps = Readonly<Record<string, string>>

export interface ConnectorContext {
  /** Asks the runtime to call taskConfigs() again and restart the tasks if their configs changed. */
  requestTaskReconfiguration (): void
  /** Fails the connector with this error (it shows in the status with its trace). */
  raiseError (error: Error): void
  /** The connector's own metrics (KIP-877), tagged with its name; absent in runtimes without metrics. */
  readonly pluginMetrics?: PluginMetrics
}

export interface Task {
  version (): string
  /** Called once, after initialize(), with the task's config. May be async. */
  start (props: ConnectorProps): void | Promise<void>
  /** Must make any pending blocking call settle promptly. Bounded by task.shutdown.graceful.timeout.ms. */
  stop (): void | Promise<void>
}

export type TaskClass<T extends Task = Task> = new () => T

export interface ConnectorBase<T extends Task = Task> {
  readonly kind: 'source' | 'sink'
  initialize (context: ConnectorContext): void
  version (): string
  start (props: ConnectorProps): void | Promise<void>
  /** The task implementation the runtime instantiates for each task config. */
  taskClass (): TaskClass<T>
  /** At most maxTasks configs, one per task to run. */
  taskConfigs (maxTasks: number): Array<Record<string, string>>
  stop (): void | Promise<void>
  /** The connector's own keys; the runtime merges the common connector keys. */
  config (): ConfigDef
  /** Cross-field checks on top of config().validate(); the default validates config() only. */
  validate? (props: ConnectorProps): ConfigValue[]
  /**
   * Called (on a fresh instance, never started) before the runtime alters or resets this connector's offsets through
   * the REST API; `offset: null` means reset. Throw to refuse. Return true when the connector has nothing else to
   * alter (it keeps no offsets of its own elsewhere); false, or no method, means only the framework's offsets change.
   */
  alterOffsets? (config: ConnectorProps, offsets: ReadonlyArray<{ partition: Readonly<Record<string, unknown>>, offset: Readonly<Record<string, unknown>> | null }>): boolean | Promise<boolean>
}

/** Convenience base class holding the context; implementing the interface directly works just as well. */
export abstract class Connector<T extends Task = Task> implements ConnectorBase<T> {
  abstract readonly kind: 'source' | 'sink'
  #context: ConnectorContext | undefined

  initialize (context: ConnectorContext): void { this.#context = context }

  protected get context (): ConnectorContext {
    if (!this.#context) throw new Error('Connector used before initialize()')
    return this.#context
  }

  abstract version (): string
  abstract start (props: ConnectorProps): void | Promise<void>
  abstract taskClass (): TaskClass<T>
  abstract taskConfigs (maxTasks: number): Array<Record<string, string>>
  abstract stop (): void | Promise<void>
  abstract config (): ConfigDef

  validate (props: ConnectorProps): ConfigValue[] {
    return this.config().validate(props)
  }
}
