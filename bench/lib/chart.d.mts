// Types of chart.mjs, for test/bench (the bench is plain JavaScript, run by `node`).

export interface Stat { median: number, min: number, max: number }
export type MetricId = 'throughput' | 'rss'
export type RunnerId = 'apache' | 'ours' | 'ceiling'

export interface ChartScenario {
  id: string
  title: string
  values: Partial<Record<MetricId, Partial<Record<RunnerId, Stat>>>>
}

export interface Chart {
  scenarios: ChartScenario[]
  runs: Array<{ scenarios: string[], headers: Partial<Record<RunnerId, string>>, generated: { at: string, rounds: number, records: number } | null }>
  names: Partial<Record<RunnerId, string>>
}

export declare const RUNNERS: ReadonlyArray<{ id: RunnerId, legend: string, color: string }>
export declare const METRICS: ReadonlyArray<{ id: MetricId, row: string, title: string, hint: string, unit: string }>
export declare function parseCell (text: string): Stat | null
export declare function chartFromMarkdown (text: string): Chart
export declare function renderChart (chart: Chart): string
export declare function writeChart (resultsFile: string, svgFile: string): Chart
export declare function valueLabel (metric: MetricId, stat: Stat): string
export declare function ticks (max: number): number[]
export declare function grouped (x: number): string
export declare function escapeXml (s: string): string
