// Types of scaling.mjs's pure parts, for test/bench (the bench is plain JavaScript, run by `node`).
import type { ScalingConfig } from './scaling-report.mjs'

export declare const SCALING_SCENARIO: 's'
export declare const SOAK_SCENARIO: 'k'
export declare function scalingConfig (env?: Record<string, string | undefined>): ScalingConfig
export declare function oursTasksOn (cfg: ScalingConfig, tasksMax: number, supported?: boolean): 'worker process' | 'own processes'
export declare function recordsOfSize (mb: number, size: number): number
export declare function scalingWorkerProps (runner: string, json: boolean, dir: string, bootstrap: string, cfg: ScalingConfig): Record<string, string>
