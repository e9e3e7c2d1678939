import { SourceConnector, type ConfigDef, type ConfigValue, type ConnectorProps, type SourceTaskBase, type TaskClass } from '../../src/api/index.ts'
import {
  DATAGEN_CONFIG_DEF, DATAGEN_CONNECTOR_VERSION, KEYFIELD_ERROR, SCHEMA_KEYFIELD_CONFIG, SCHEMA_SOURCE_ERROR, SCHEMA_SOURCE_KEYS, TASK_ID_CONFIG,
  datagenSettings, loadSchema, type SchemaSourceKey
} from './config.ts'
import { DatagenTask } from './datagen-task.ts'

/**
 * kafka-connect-datagen's DatagenConnector: random records from an Avro schema (a bundled quickstart, or one given
 * inline or in a file) shaped by its arg.properties annotations. Each of the tasks.max tasks generates its own stream
 * (task.id 0 to tasks.max - 1), which a restart resumes from the task's stored offset.
 */
export class DatagenConnector extends SourceConnector {
  #props: Record<string, string> = {}

  version (): string { return DATAGEN_CONNECTOR_VERSION }

  start (props: ConnectorProps): void {
    // Checks everything now, so a bad config fails the connector at start with the key named.
    datagenSettings(props, `connector ${props.name ?? ''}`.trim())
    this.#props = { ...props }
  }

  taskClass (): TaskClass<SourceTaskBase> { return DatagenTask }

  taskConfigs (maxTasks: number): Array<Record<string, string>> {
    return Array.from({ length: maxTasks }, (_, i) => ({ ...this.#props, [TASK_ID_CONFIG]: String(i) }))
  }

  stop (): void {}

  config (): ConfigDef { return DATAGEN_CONFIG_DEF }

  /** Each key on its own, then exactly one schema source, then the key field against that schema (as theirs). */
  override validate (props: ConnectorProps): ConfigValue[] {
    const values = DATAGEN_CONFIG_DEF.validate(props)
    const byName = new Map(values.map(v => [v.name, v]))
    const set = values.filter(v => (SCHEMA_SOURCE_KEYS as readonly string[]).includes(v.name) && typeof v.value === 'string' && v.value !== '')
    if (set.length !== 1) {
      const blamed = set.length > 1 ? set : values.filter(v => (SCHEMA_SOURCE_KEYS as readonly string[]).includes(v.name))
      for (const v of blamed) v.errors.push(SCHEMA_SOURCE_ERROR)
      return values
    }
    if (values.some(v => v.errors.length > 0)) return values
    const keyField = byName.get(SCHEMA_KEYFIELD_CONFIG)!
    if (typeof keyField.value === 'string' && keyField.value !== '') {
      const source = set[0]!
      const avro = loadSchema(source.name as SchemaSourceKey, source.value as string)
      if (!avro.fields.some(f => f.name === keyField.value)) keyField.errors.push(KEYFIELD_ERROR)
    }
    return values
  }
}
