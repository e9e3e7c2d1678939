/**
 * The REST API's bodies (Apache's org.apache.kafka.connect.runtime.rest.entities): what the Herder answers and the
 * resources send. Property order is the JSON order Apache's Jackson writes, so keep it when adding fields.
 */

/** Connector and task states (Apache's AbstractStatus.State) as the status endpoints show them. */
export type State = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING'

/** Jackson order of Apache's status objects: state, worker_id, the plugin's version (Kafka 4.1+), then trace. */
export interface ConnectorStateEntry { state: State, worker_id: string, version?: string, trace?: string }
export interface TaskStateEntry { id: number, state: State, worker_id: string, version?: string, trace?: string }

/** GET /connectors/{name}/status and the restart plan of POST .../restart (Apache's ConnectorStateInfo). */
export interface ConnectorStateInfo {
  name: string
  connector: ConnectorStateEntry
  tasks: TaskStateEntry[]
  type: 'source' | 'sink'
}

export interface ConnectorTaskId { connector: string, task: number }

export interface ConnectorInfo {
  name: string
  config: Record<string, string>
  tasks: ConnectorTaskId[]
  type: 'source' | 'sink'
}

export interface TaskInfo { id: ConnectorTaskId, config: Record<string, string> }

/** One partition's offset in GET/PATCH .../offsets; a null offset resets its partition. */
export interface OffsetEntry { partition: Record<string, unknown>, offset: Record<string, unknown> | null }

/** The outcome of PUT .../config: 201 when created, 200 when replaced. */
export interface PutResult { created: boolean, info: ConnectorInfo }

export interface PluginInfo { class: string, type: string, version?: string }

export interface ServerInfo { version: string, commit: string, kafka_cluster_id: string | null }

/** GET /health: the status code and its body. */
export interface HealthInfo { status: number, body: { status: string, message: string } }

/** Property order of Apache 4.3's ConfigKeyInfo (the position in its group is `order_in_group`, after `group`). */
export interface ConfigKeyInfo {
  name: string
  type: string
  required: boolean
  default_value: string | null
  importance: string
  documentation: string | null
  group: string | null
  order_in_group: number
  width: string
  display_name: string
  dependents: string[]
}

export interface ConfigValueInfo {
  name: string
  value: string | null
  recommended_values: string[]
  errors: string[]
  visible: boolean
}

export interface ConfigInfo { definition: ConfigKeyInfo | null, value: ConfigValueInfo }

export interface ConfigInfos {
  name: string
  error_count: number
  groups: string[]
  configs: ConfigInfo[]
}
