/** Plugin manifest of the Datagen connector, under kafka-connect-datagen's class name. */
import { definePlugins, plugin } from '../../src/api/index.ts'
import { DATAGEN_CONNECTOR_VERSION } from './config.ts'
import { DatagenConnector } from './datagen-connector.ts'

export { DatagenConnector }

export default definePlugins([
  plugin({
    kind: 'source',
    className: 'io.confluent.kafka.connect.datagen.DatagenConnector',
    version: DATAGEN_CONNECTOR_VERSION,
    create: () => new DatagenConnector()
  })
])
