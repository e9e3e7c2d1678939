import { SinkConnector, type ConfigDef, type ConfigValue, type ConnectorProps, type SinkTaskBase, type TaskClass } from '../../src/api/index.ts'
import { JDBC_SINK_CONFIG_DEF, JDBC_SINK_VERSION, jdbcSinkSettings, validateJdbcSink } from './config.ts'
import { JdbcSinkTask } from './jdbc-sink-task.ts'

/**
 * Debezium's JDBC sink connector (io.debezium.connector.jdbc.JdbcSinkConnector) for PostgreSQL targets: Debezium
 * change events and flat records written into tables it can create and extend. tasks.max identical tasks, as Debezium.
 */
export class JdbcSinkConnector extends SinkConnector {
  #props: Record<string, string> = {}

  version (): string { return JDBC_SINK_VERSION }

  start (props: ConnectorProps): void {
    jdbcSinkSettings(props, `connector ${props.name ?? ''}`.trim())
    this.#props = { ...props }
  }

  taskClass (): TaskClass<SinkTaskBase> { return JdbcSinkTask }

  taskConfigs (maxTasks: number): Array<Record<string, string>> {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props }))
  }

  stop (): void {}

  config (): ConfigDef { return JDBC_SINK_CONFIG_DEF }

  override validate (props: ConnectorProps): ConfigValue[] { return validateJdbcSink(props) }

  /** The sink keeps no offsets of its own: the consumer group's are all there is. */
  alterOffsets (): boolean { return true }
}
