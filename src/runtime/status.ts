/** Connector and task states (Kafka's AbstractStatus.State) and the status entries the REST API shows. */
import type { State } from '../rest/entities.ts'

/** The states are the ones the REST API shows (one definition, with the REST entities). */
export type { State }
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED'

export interface StatusEntry {
  state: State
  trace?: string
}

export interface TaskStatusEntry extends StatusEntry {
  id: number
}
