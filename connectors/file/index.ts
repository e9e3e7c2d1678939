/** Plugin manifest of the FileStream connectors, under Apache's class names. */
import { definePlugins, plugin } from '../../src/api/index.ts'
import { FILE_CONNECTOR_VERSION } from './config.ts'
import { FileStreamSinkConnector } from './file-stream-sink-connector.ts'
import { FileStreamSourceConnector } from './file-stream-source-connector.ts'

export { FileStreamSinkConnector, FileStreamSourceConnector }

export default definePlugins([
  plugin({
    kind: 'source',
    className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    version: FILE_CONNECTOR_VERSION,
    create: () => new FileStreamSourceConnector()
  }),
  plugin({
    kind: 'sink',
    className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    version: FILE_CONNECTOR_VERSION,
    create: () => new FileStreamSinkConnector()
  })
])
