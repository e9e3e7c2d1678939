import { SourceConnector, type ConfigDef, type ConfigValue, type ConnectorProps, type SourceTaskBase, type TaskClass } from '../../src/api/index.ts'
import { parsePostgresConnectorConfig, POSTGRES_CONNECTOR_VERSION, postgresConnectorConfigDef, validatePostgresConnectorConfig } from './config.ts'
import { PostgresSourceTask } from './postgres-source-task.ts'

/**
 * Debezium's PostgreSQL connector (io.debezium.connector.postgresql.PostgresConnector), rebuilt: a snapshot, then
 * change events from a pgoutput replication slot, in Debezium's topics, schemas, envelopes and offsets. One task,
 * as Debezium's (a replication slot has one reader).
 */
export class PostgresConnector extends SourceConnector {
  #props: Record<string, string> = {}

  version (): string { return POSTGRES_CONNECTOR_VERSION }

  start (props: ConnectorProps): void {
    // Every problem now, named by key, rather than in the task.
    parsePostgresConnectorConfig(props)
    this.#props = { ...props }
  }

  taskClass (): TaskClass<SourceTaskBase> { return PostgresSourceTask }

  taskConfigs (_maxTasks: number): Array<Record<string, string>> {
    return [{ ...this.#props }]
  }

  stop (): void {}

  config (): ConfigDef { return postgresConnectorConfigDef }

  override validate (props: ConnectorProps): ConfigValue[] {
    return validatePostgresConnectorConfig(props)
  }
}
