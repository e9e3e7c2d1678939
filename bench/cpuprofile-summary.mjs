// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by area of the code.
//
//   node bench/cpuprofile-summary.mjs <file.cpuprofile> [--top 25]
//
// Functions compiled from TypeScript are shown at their .ts position (through dist/'s source maps). Time spent in
// native code (librdkafka's produce(), Buffer copies) is counted in the JavaScript function that called it.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../', import.meta.url))

// ---- Source maps (only what is needed: the original position of a generated line and column) -------------------

const B64 = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]))

function decodeVlq (text) {
  const out = []
  let value = 0
  let shift = 0
  for (const ch of text) {
    const digit = B64.get(ch)
    value += (digit & 31) << shift
    if (digit & 32) { shift += 5; continue }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1)
    value = 0
    shift = 0
  }
  return out
}

const maps = new Map()
/** For a generated file: lines[generatedLine] = [[generatedColumn, sourceIndex, originalLine], ...], and the sources. */
function sourceMap (file) {
  if (maps.has(file)) return maps.get(file)
  let map = null
  try {
    const raw = JSON.parse(readFileSync(`${file}.map`, 'utf8'))
    const lines = []
    let source = 0
    let origLine = 0
    for (const lineText of raw.mappings.split(';')) {
      const segments = []
      let column = 0
      for (const seg of lineText.split(',')) {
        if (!seg) continue
        const f = decodeVlq(seg)
        column += f[0]
        if (f.length >= 4) {
          source += f[1]
          origLine += f[2]
          segments.push([column, source, origLine])
        }
      }
      lines.push(segments)
    }
    map = { lines, sources: raw.sources.map(s => resolve(dirname(file), raw.sourceRoot ?? '', s)) }
  } catch {}
  maps.set(file, map)
  return map
}

/** "src/x.ts:12" for a dist/ position (0-based line and column), else the generated position. */
function position (url, line, column) {
  let file = url
  if (file.startsWith('file://')) file = fileURLToPath(file)
  if (!file.startsWith('/')) return `${url}:${line + 1}`
  const map = file.includes(`${join('dist', '')}`) && existsSync(`${file}.map`) ? sourceMap(file) : null
  const segments = map?.lines[line]
  if (segments && segments.length > 0) {
    let best = segments[0]
    for (const s of segments) if (s[0] <= column) best = s
    return `${relative(ROOT, map.sources[best[1]])}:${best[2] + 1}`
  }
  const rel = relative(ROOT, file)
  return `${rel.startsWith('..') ? file : rel}:${line + 1}`
}

/** Coarse areas, for a first look at where the time goes. */
function area (url, name) {
  if (name === '(garbage collector)') return 'garbage collection'
  if (name === '(program)') return 'V8/native, outside JS (program)'
  if (name === '(idle)') return 'idle'
  if (!url) return 'native/builtin'
  if (url.startsWith('node:')) return 'Node.js core'
  if (url.includes('/node_modules/node-rdkafka/')) return 'node-rdkafka (JS + native calls)'
  if (url.includes('/node_modules/')) return 'other npm packages'
  const m = /\/dist\/(src\/[^/]+|connectors\/[^/]+)\//.exec(url)
  if (m) return m[1]
  return 'other'
}

export function summarize (profile, { top = 25 } = {}) {
  const byId = new Map(profile.nodes.map(n => [n.id, n]))
  const self = new Map()
  const { samples, timeDeltas } = profile
  const mean = samples.length > 0 ? (profile.endTime - profile.startTime) / samples.length : 0
  for (let i = 0; i < samples.length; i++) {
    const dt = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : mean
    self.set(samples[i], (self.get(samples[i]) ?? 0) + Math.max(0, dt))
  }
  const byFunction = new Map()
  const byArea = new Map()
  let total = 0
  let idle = 0
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id)
    const name = callFrame.functionName || '(anonymous)'
    if (name === '(idle)') { idle += us; continue }
    total += us
    const key = `${name}  ${callFrame.url ? position(callFrame.url, callFrame.lineNumber, callFrame.columnNumber) : ''}`.trim()
    byFunction.set(key, (byFunction.get(key) ?? 0) + us)
    const a = area(callFrame.url, name)
    byArea.set(a, (byArea.get(a) ?? 0) + us)
  }
  const sorted = m => [...m].sort((x, y) => y[1] - x[1])
  return {
    totalMs: total / 1000,
    idleMs: idle / 1000,
    wallMs: (profile.endTime - profile.startTime) / 1000,
    functions: sorted(byFunction).slice(0, top).map(([fn, us]) => ({ fn, ms: us / 1000, pct: (100 * us) / total })),
    areas: sorted(byArea).map(([a, us]) => ({ area: a, ms: us / 1000, pct: (100 * us) / total }))
  }
}

export function formatSummary (s, title = '') {
  const out = []
  if (title) out.push(title)
  out.push(`  busy ${(s.totalMs / 1000).toFixed(2)} s of ${(s.wallMs / 1000).toFixed(2)} s sampled (idle ${(s.idleMs / 1000).toFixed(2)} s)`)
  out.push('  by area:')
  for (const a of s.areas) out.push(`    ${a.pct.toFixed(1).padStart(5)} %  ${a.ms.toFixed(0).padStart(7)} ms  ${a.area}`)
  out.push('  top functions (self time):')
  for (const f of s.functions) out.push(`    ${f.pct.toFixed(1).padStart(5)} %  ${f.ms.toFixed(0).padStart(7)} ms  ${f.fn}`)
  return out.join('\n')
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const topAt = args.indexOf('--top')
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25
  if (args.length === 0) {
    process.stderr.write('usage: node bench/cpuprofile-summary.mjs <file.cpuprofile>... [--top N]\n')
    process.exit(1)
  }
  for (const file of args) {
    process.stdout.write(formatSummary(summarize(JSON.parse(readFileSync(file, 'utf8')), { top }), file) + '\n\n')
  }
}
