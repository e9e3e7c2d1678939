import { SourceConnector, type ConfigDef, type ConnectorProps, type TaskClass, type SourceTaskBase } from '../../src/api/index.ts'
import { FILE_CONNECTOR_VERSION, FILE_SOURCE_CONFIG_DEF } from './config.ts'
import { FileStreamSourceTask } from './file-stream-source-task.ts'

/** Reads lines from a file (or stdin) into one topic. Always one task: a single reader keeps line order. */
export class FileStreamSourceConnector extends SourceConnector {
  #props: Record<string, string> = {}

  version (): string { return FILE_CONNECTOR_VERSION }

  start (props: ConnectorProps): void {
    // Parse now so a bad config fails the connector at start with every problem listed.
    FILE_SOURCE_CONFIG_DEF.parse(props, `connector ${props.name ?? ''}`.trim())
    this.#props = { ...props }
  }

  taskClass (): TaskClass<SourceTaskBase> { return FileStreamSourceTask }

  taskConfigs (_maxTasks: number): Array<Record<string, string>> {
    // Only one input stream makes sense, whatever tasks.max says.
    return [{ ...this.#props }]
  }

  stop (): void {}

  config (): ConfigDef { return FILE_SOURCE_CONFIG_DEF }
}
