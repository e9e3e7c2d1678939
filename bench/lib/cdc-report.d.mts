// Types of cdc-report.mjs, for test/bench (the bench is plain JavaScript, run by `node`).

export interface CdcRunResult {
  scenario: string
  runner: string
  round: number
  [metric: string]: unknown
}

export interface CdcSectionInput {
  results: CdcRunResult[]
  failures: string[]
  runs: number
  rows: number
  changes: number
  connectVersion: string
  setup: { version: string, serverExternal: boolean, serverS: number, pluginS: number }
  loadBefore: number
  loadAfter: number
  totalS: number
  summarizeRun: (r: CdcRunResult) => string
}

export declare function buildCdcSection (run: CdcSectionInput): string
export declare function readCdcSection (file: string): string | null
export declare function writeCdcSection (file: string, section: string | null): void
