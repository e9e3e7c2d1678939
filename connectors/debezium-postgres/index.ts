/** Plugin manifest of the Debezium-compatible PostgreSQL source, under Debezium's class name. */
import { definePlugins, plugin } from '../../src/api/index.ts'
import { POSTGRES_CONNECTOR_VERSION } from './config.ts'
import { PostgresConnector } from './postgres-connector.ts'

export { PostgresConnector }

export default definePlugins([
  plugin({
    kind: 'source',
    className: 'io.debezium.connector.postgresql.PostgresConnector',
    version: POSTGRES_CONNECTOR_VERSION,
    create: () => new PostgresConnector()
  })
])
