// Types of avro-report.mjs, for test/bench (the bench is plain JavaScript, run by `node`).

export interface AvroRunResult {
  scenario: string
  runner: string
  round: number
  [metric: string]: unknown
}

export interface AvroSectionInput {
  results: AvroRunResult[]
  failures: string[]
  scenarios: string[]
  runs: number
  records: number
  connectVersion: string
  setup: { registryExternal: boolean, registryS: number, pluginS: number }
  inputs: { avroTopic?: { topic: string, bytes: number, schemaId: number } }
  loadBefore: number
  loadAfter: number
  prepS: number
  totalS: number
  summarizeRun: (r: AvroRunResult) => string
}

export declare function buildAvroSection (run: AvroSectionInput): string
export declare function splitAvroSection (text: string): { main: string, avro: string | null }
export declare function writeResults (file: string, mainReport: string | null, avroSection: string | null): void
