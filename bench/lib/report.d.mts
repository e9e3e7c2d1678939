// Types of report.mjs, for test/bench (the bench is plain JavaScript, run by `node`).

export interface Stats { median: number, min: number, max: number, n: number }
export type Format = 'rate' | 'mbps' | 'seconds' | 'mb'

export declare function stats (values: unknown[]): Stats | null
export declare const FORMATS: Record<Format, (x: number) => string>
export declare function cell (s: Stats | null, format: Format): string
export declare function ratio (ours: Stats | null, other: Stats | null): string
export declare function table (header: string[], rows: string[][], labels?: number): string
