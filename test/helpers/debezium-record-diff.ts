/**
 * Record-by-record comparison of two Debezium-shaped captures (Debezium's and ours), for the differential tests of
 * issue 15. Each side's topic prefix is replaced by PREFIX (in topics, schema names, source.name and headers), int64
 * values keep every digit (JSON.parse would round them past 2^53), fields listed as different by nature are masked
 * where present, and what is left must be equal: per topic, in order, key, value (schema and payload) and headers.
 */
import type { CapturedRecord } from '../harness/debezium-connect.mjs'

/** A field that differs by nature: `path` inside the value (or key) JSON, masked when `when(record, index)` holds. */
export interface NatureField {
  /** 'value' or 'key', then the JSON path: ['value', 'payload', 'source', 'lsn']. */
  path: readonly string[]
  why: string
  /** Which records (default all): index is the record's position in its topic. */
  when?: (json: any, index: number, topic: string) => boolean
}

export interface Normalised {
  topic: string
  key: unknown
  value: unknown
  headers: Array<[string, string | null]>
}

/** JSON.parse keeping integers of 16 digits or more exact (as the string '#<digits>'). */
export function parseExact (text: string | null): unknown {
  if (text === null || text.length === 0) return null
  return JSON.parse(text.replace(/([:,[]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"#$2"'))
}

export function normalise (records: readonly CapturedRecord[], prefix: string, nature: readonly NatureField[], maskedHeaders: ReadonlySet<string>): Map<string, Normalised[]> {
  const byTopic = new Map<string, Normalised[]>()
  const swap = (text: string | null): string | null => text === null ? null : text.split(prefix).join('PREFIX')
  for (const r of records) {
    const topic = swap(r.topic)!
    const list = byTopic.get(topic) ?? []
    const doc = { key: parseExact(swap(r.keyText)), value: parseExact(swap(r.valueText)) }
    for (const field of nature) {
      if (field.when !== undefined && !field.when(doc.value, list.length, topic)) continue
      mask(doc, field.path, `<${field.why}>`)
    }
    const headers = r.headers.map(h => [h.key, maskedHeaders.has(h.key) ? '<masked>' : swap(h.value)] as [string, string | null])
    list.push({ topic, key: doc.key, value: doc.value, headers })
    byTopic.set(topic, list)
  }
  return byTopic
}

function mask (doc: any, path: readonly string[], by: string): void {
  let at = doc
  for (const step of path.slice(0, -1)) {
    if (at === null || typeof at !== 'object') return
    at = at[step]
  }
  const last = path[path.length - 1] ?? ''
  if (at !== null && typeof at === 'object' && last in at) at[last] = by
}

/** The paths where a and b differ ('' for the root), at most `limit`. */
export function differences (a: unknown, b: unknown, path = '', out: string[] = [], limit = 12): string[] {
  if (out.length >= limit) return out
  if (Object.is(a, b)) return out
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a) ? [...Array(Math.max(a.length, (b as unknown[]).length)).keys()].map(String) : [...new Set([...Object.keys(a), ...Object.keys(b)])]
    for (const k of keys) differences((a as any)[k], (b as any)[k], `${path}/${k}`, out, limit)
    // Same fields in another order is a difference too (JsonConverter writes them in schema order).
    if (!Array.isArray(a) && out.length === 0 && Object.keys(a).join() !== Object.keys(b).join()) out.push(`${path} field order: ${Object.keys(a).join()} vs ${Object.keys(b).join()}`)
    return out
  }
  out.push(`${path}: ${short(a)} vs ${short(b)}`)
  return out
}

function short (v: unknown): string {
  const text = JSON.stringify(v) ?? String(v)
  return text.length > 300 ? `${text.slice(0, 300)}...` : text
}

/**
 * Every difference between Debezium's normalised capture and ours, as readable lines (empty when equal): topics missing
 * on a side, record counts, then per record the differing paths of key, value and headers.
 */
export function compareCaptures (theirs: Map<string, Normalised[]>, ours: Map<string, Normalised[]>): string[] {
  const lines: string[] = []
  for (const topic of [...new Set([...theirs.keys(), ...ours.keys()])].sort()) {
    const a = theirs.get(topic) ?? []
    const b = ours.get(topic) ?? []
    if (a.length !== b.length) lines.push(`${topic}: Debezium wrote ${a.length} records, ours ${b.length}`)
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const x = a[i]
      const y = b[i]
      if (x === undefined || y === undefined) {
        lines.push(`${topic}[${i}]: only ${x === undefined ? 'ours' : 'Debezium'} has ${short((x ?? y)!.value)}`)
        continue
      }
      for (const part of ['key', 'value', 'headers'] as const) {
        for (const d of differences(x[part], y[part])) lines.push(`${topic}[${i}] ${part}${d} (Debezium vs ours)`)
      }
    }
  }
  return lines
}

/** Records per topic, for the report. */
export function countsPerTopic (capture: Map<string, Normalised[]>): Record<string, number> {
  return Object.fromEntries([...capture].sort(([a], [b]) => a.localeCompare(b)).map(([topic, list]) => [topic, list.length]))
}
