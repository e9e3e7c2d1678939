// Types of scaling-report.mjs, for test/bench (the bench is plain JavaScript, run by `node`).

export interface ScalingRunResult {
  part: 'sizes' | 'connectors' | 'partitions'
  runner: string
  round: number
  records: number
  recordsPerS: number
  peakRssMb: number
  [field: string]: unknown
}

export interface SoakSample { tS: number, rssMb: number }

export interface SoakResult {
  runner: string
  minutes: number
  rate: number
  samples: SoakSample[]
  written: number
  delivered: number
  drainS: number
  readyS: number
  peakRssMb: number
  cpuS: number
  load1: number
}

export interface ScalingConfig {
  records: number
  sizeMb: number
  parts: string[]
  sizes: number[]
  connectors: number[]
  partitions: number[]
  tasks: number[]
  sinks: string[]
  taskPlacement: string | null
  soakMinutes: number
  soakRate: number
  soakRunners: string[]
}

export interface ScalingSectionInput {
  results: ScalingRunResult[]
  failures: string[]
  soaks: SoakResult[]
  runs: number
  cfg: ScalingConfig
  connectVersion: string
  tasksSupported: boolean
  loadBefore: number
  loadAfter: number
  prepS?: number
  totalS?: number
  soakS?: number
  summarizeRun: (r: ScalingRunResult) => string
}

export interface SoakSummary { slopeMbPerMin: number, fromS: number, startMb: number, endMb: number, peakMb: number, n: number }
export interface TaskRatio { sink: string, partitions: number, apache: number | null, ours: number | null, oursTasksOn: string | null }

export declare const SLOPE_GOAL_MB_PER_MIN: number
export declare const TASKS_GOAL: number
export declare const WARMUP_FRACTION: number
export declare function slope (points: Array<{ x: number, y: number }>): number
export declare function soakSummary (samples: SoakSample[], warmupFraction?: number): SoakSummary | null
export declare function taskRatios (results: ScalingRunResult[]): TaskRatio[]
export declare function buildScalingSection (run: ScalingSectionInput): string
export declare function readScalingSection (file: string): string | null
export declare function writeScalingSection (file: string, section: string | null): void
export declare function mergeScalingSection (previous: string | null, next: string | null, ran: { scaling: boolean, soak: boolean }): string | null
