/**
 * JSON values as the pipeline tests compare them: exact (64-bit integers as bigint, whatever the source), objects as
 * Maps compared without regard to key order, and a line diff of their pretty text for the report.
 */
import { JsonMembers, JsonNumber, readFileJson } from '../util/json-reader.ts'

/** A JSON value: integers are bigints (so 1, 1.0 and 1e0 are equal), other numbers numbers, objects Maps. */
export type Canon = null | boolean | string | number | bigint | Canon[] | Map<string, Canon>

/** A value read from the test file (YAML's JS), from JSON text (the JSON reader's tree), or built in code. */
export function canonical (value: unknown): Canon {
  if (value === null || value === undefined) return null
  if (typeof value === 'boolean' || typeof value === 'string' || typeof value === 'bigint') return value
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value
  if (value instanceof JsonNumber) return value.integral ? BigInt(value.text) : canonical(Number(value.text))
  if (Array.isArray(value)) return value.map(canonical)
  if (value instanceof JsonMembers) return new Map(value.members.map(m => [m.key, canonical(m.value)]))
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [String(k), canonical(v)]))
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') return new Map(Object.entries(value).map(([k, v]) => [k, canonical(v)]))
  return String(value)
}

/** Reads a whole JSON text exactly; throws SyntaxError when the text is not one JSON value. */
export function parseJson (text: string): Canon {
  return canonical(readFileJson(text).value)
}

export function equal (a: Canon, b: Canon): boolean {
  if (a === b) return true
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b)
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => equal(v, b[i]!))
  if (a instanceof Map) {
    return b instanceof Map && a.size === b.size && [...a].every(([k, v]) => b.has(k) && equal(v, b.get(k)!))
  }
  return false
}

/**
 * The part of `actual` that `expected` speaks about: for objects only the expected keys, for arrays element by
 * element. A schema is compared this way, so a test need not spell out what it does not care about (optional: false).
 */
export function project (expected: Canon, actual: Canon): Canon {
  if (expected instanceof Map && actual instanceof Map) {
    return new Map([...expected.keys()].filter(k => actual.has(k)).map(k => [k, project(expected.get(k)!, actual.get(k)!)]))
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return actual.map((v, i) => i < expected.length ? project(expected[i]!, v) : v)
  }
  return actual
}

/** JSON text; `pretty` indents by two and sorts object keys, so two values' texts line up for a diff. */
export function jsonText (value: Canon, pretty = false, indent = ''): string {
  if (value === null) return 'null'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : JSON.stringify(String(value))
  const inner = indent + '  '
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    const items = value.map(v => jsonText(v, pretty, inner))
    return pretty ? `[\n${items.map(i => inner + i).join(',\n')}\n${indent}]` : `[${items.join(',')}]`
  }
  if (value.size === 0) return '{}'
  const keys = pretty ? [...value.keys()].sort() : [...value.keys()]
  const members = keys.map(k => `${JSON.stringify(k)}:${pretty ? ' ' : ''}${jsonText(value.get(k)!, pretty, inner)}`)
  return pretty ? `{\n${members.map(m => inner + m).join(',\n')}\n${indent}}` : `{${members.join(',')}}`
}

export interface DiffLine { mark: ' ' | '-' | '+', text: string }

/** A line diff (longest common subsequence): '-' lines only expected, '+' lines only actual. */
export function lineDiff (expected: readonly string[], actual: readonly string[]): DiffLine[] {
  const n = expected.length
  const m = actual.length
  // lcs[i][j]: the common length of expected[i..] and actual[j..]. Values are small, so the table is fine.
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = expected[i] === actual[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
    }
  }
  const out: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && expected[i] === actual[j]) {
      out.push({ mark: ' ', text: expected[i++]! })
      j++
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push({ mark: '+', text: actual[j++]! })
    } else {
      out.push({ mark: '-', text: expected[i++]! })
    }
  }
  // Removals before additions within a changed run read best ("- was", "+ is").
  return reorderRuns(out)
}

function reorderRuns (lines: DiffLine[]): DiffLine[] {
  const out: DiffLine[] = []
  let run: DiffLine[] = []
  const flush = (): void => {
    out.push(...run.filter(l => l.mark === '-'), ...run.filter(l => l.mark === '+'))
    run = []
  }
  for (const line of lines) {
    if (line.mark === ' ') { flush(); out.push(line) } else run.push(line)
  }
  flush()
  return out
}

/** Long diffs keep `context` unchanged lines around each change; the rest is one "…" line. */
export function trimContext (lines: readonly DiffLine[], context = 3): DiffLine[] {
  if (lines.length <= 12) return [...lines]
  const keep = lines.map(() => false)
  lines.forEach((l, i) => {
    if (l.mark === ' ') return
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = true
  })
  const out: DiffLine[] = []
  let skipped = false
  lines.forEach((l, i) => {
    if (keep[i]) { out.push(l); skipped = false } else if (!skipped) { out.push({ mark: ' ', text: '…' }); skipped = true }
  })
  return out
}
