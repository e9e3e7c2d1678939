import { SinkConnector, type ConfigDef, type ConnectorProps, type TaskClass, type SinkTaskBase } from '../../src/api/index.ts'
import { FILE_CONNECTOR_VERSION, FILE_SINK_CONFIG_DEF } from './config.ts'
import { FileStreamSinkTask } from './file-stream-sink-task.ts'

/** Appends record values as lines to a file (or stdout). tasks.max identical tasks, as Apache does. */
export class FileStreamSinkConnector extends SinkConnector {
  #props: Record<string, string> = {}

  version (): string { return FILE_CONNECTOR_VERSION }

  start (props: ConnectorProps): void {
    FILE_SINK_CONFIG_DEF.parse(props, `connector ${props.name ?? ''}`.trim())
    this.#props = { ...props }
  }

  taskClass (): TaskClass<SinkTaskBase> { return FileStreamSinkTask }

  taskConfigs (maxTasks: number): Array<Record<string, string>> {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props }))
  }

  stop (): void {}

  config (): ConfigDef { return FILE_SINK_CONFIG_DEF }

  /** The sink keeps no offsets of its own: the consumer group's are all there is (Apache's answer too). */
  alterOffsets (): boolean { return true }
}
