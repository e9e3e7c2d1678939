/** Plugin manifest of the JDBC sink, under Debezium's class name (its simple name JdbcSinkConnector is an alias). */
import { definePlugins, plugin } from '../../src/api/index.ts'
import { JDBC_SINK_VERSION } from './config.ts'
import { JdbcSinkConnector } from './jdbc-sink-connector.ts'

export { JdbcSinkConnector }

export default definePlugins([
  plugin({
    kind: 'sink',
    className: 'io.debezium.connector.jdbc.JdbcSinkConnector',
    version: JDBC_SINK_VERSION,
    create: () => new JdbcSinkConnector()
  })
])
