// Medians, spreads and the results table (markdown, printed to the terminal and written to bench/RESULTS.md).

export function stats (values) {
  const v = values.filter(x => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b)
  if (v.length === 0) return null
  const mid = v.length >> 1
  const median = v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2
  return { median, min: v[0], max: v[v.length - 1], n: v.length }
}

const int = x => Math.round(x).toLocaleString('en-US')
export const FORMATS = {
  rate: x => int(x),
  mbps: x => x.toFixed(1),
  seconds: x => x.toFixed(2),
  mb: x => x.toFixed(0)
}

export function cell (s, format) {
  if (!s) return '–'
  const f = FORMATS[format]
  return s.n > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median)
}

export function ratio (ours, other) {
  if (!ours || !other || other.median === 0) return '–'
  const r = ours.median / other.median
  return r >= 10 ? `${r.toFixed(0)}×` : r >= 1 ? `${r.toFixed(2)}×` : `${r.toFixed(2)}×`
}

/** A markdown table from rows of cells: the first `labels` columns left-aligned, the others (numbers) right-aligned. */
export function table (header, rows, labels = 2) {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i < labels ? '---' : '---:')).join(' | ')} |`]
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`)
  return lines.join('\n')
}
