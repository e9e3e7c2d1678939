/** Connector and task states (Kafka's AbstractStatus.State) and the status entries the REST API shows. */
export type State = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING'
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED'

export interface StatusEntry {
  state: State
  trace?: string
}

export interface TaskStatusEntry extends StatusEntry {
  id: number
}
