import { ConnectError, SourceConnector, type ConfigDef, type ConnectorProps, type TaskClass, type SourceTaskBase } from '../../src/api/index.ts'
import { FILE_CONNECTOR_VERSION, FILE_SOURCE_CONFIG_DEF } from './config.ts'
import { FILENAME_FIELD, FileStreamSourceTask, POSITION_FIELD } from './file-stream-source-task.ts'

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

  /** Accepts only offsets this connector could have written: `{"filename": …}` → `{"position": <bytes ≥ 0>}`. */
  alterOffsets (_config: ConnectorProps, offsets: ReadonlyArray<{ partition: Readonly<Record<string, unknown>>, offset: Readonly<Record<string, unknown>> | null }>): boolean {
    for (const { partition, offset } of offsets) {
      if (typeof partition[FILENAME_FIELD] !== 'string') {
        throw new ConnectError(`The partition of a FileStreamSourceConnector offset must contain the key '${FILENAME_FIELD}' with a file name as its value`)
      }
      if (offset === null) continue
      const position = offset[POSITION_FIELD]
      if (typeof position !== 'number' || !Number.isInteger(position) || position < 0) {
        throw new ConnectError(`The offset of a FileStreamSourceConnector must contain the key '${POSITION_FIELD}' with a non-negative integer (a byte position) as its value`)
      }
    }
    return true
  }
}
