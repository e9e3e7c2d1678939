// Scenarios s and k's part of bench/RESULTS.md (how cost grows, and the soak): their tables, set-up, checks and run
// log between markers, kept at the end of the file, so that a run of s,k alone replaces only this part and a run
// without them keeps it. Its tables' first column is not "Scenario": bench/results.svg draws a–g only.
import { readFileSync, writeFileSync } from 'node:fs'
import { cell, ratio, stats, table } from './report.mjs'

const START = '<!-- bench:scaling:start -->'
const END = '<!-- bench:scaling:end -->'

/** The soak's goal: RSS that grows by less than this, in MB per minute, after warm-up. */
export const SLOPE_GOAL_MB_PER_MIN = 0.5
/** The tasks.max goal (issue 16): tasks.max=2 at least this many times tasks.max=1 on a 12-partition topic. */
export const TASKS_GOAL = 1.7
/** The first part of the soak left out of the slope (warm-up: JIT, heap sizing, buffers filling). */
export const WARMUP_FRACTION = 0.2

/** The least-squares slope of y over x for points [{ x, y }]; NaN with fewer than two distinct x. */
export function slope (points) {
  const n = points.length
  if (n < 2) return NaN
  const mx = points.reduce((s, p) => s + p.x, 0) / n
  const my = points.reduce((s, p) => s + p.y, 0) / n
  let sxy = 0
  let sxx = 0
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my)
    sxx += (p.x - mx) ** 2
  }
  return sxx === 0 ? NaN : sxy / sxx
}

/**
 * The soak's RSS samples [{ tS, rssMb }] summed up: the slope in MB/min over the samples from `warmupFraction` of the
 * soak on, the RSS at its first and last such sample, and the peak of all samples.
 */
export function soakSummary (samples, warmupFraction = WARMUP_FRACTION) {
  if (samples.length === 0) return null
  const totalS = samples[samples.length - 1].tS
  const fromS = totalS * warmupFraction
  const kept = samples.filter(s => s.tS >= fromS)
  return {
    slopeMbPerMin: slope(kept.map(s => ({ x: s.tS / 60, y: s.rssMb }))),
    fromS,
    startMb: kept[0].rssMb,
    endMb: kept[kept.length - 1].rssMb,
    peakMb: Math.max(...samples.map(s => s.rssMb)),
    n: kept.length
  }
}

const KB = size => (size >= 1024 && size % 1024 === 0 ? `${size / 1024} KB` : `${size} B`)

/** Rows of one part's table: labels, then per metric Apache, ours (and for some, ours / Apache). */
function partRows (results, part, keys, label, metrics) {
  const mine = results.filter(r => r.part === part)
  const seen = new Map()
  for (const r of mine) {
    const key = keys.map(k => r[k]).join('|')
    if (!seen.has(key)) seen.set(key, r)
  }
  const rows = []
  for (const [key, sample] of seen) {
    const same = mine.filter(r => keys.map(k => r[k]).join('|') === key)
    const get = (runner, metric) => stats(same.filter(r => r.runner === runner).map(r => r[metric]))
    const row = [...label(sample, same)]
    for (const m of metrics) {
      const a = get('apache', m.key)
      const o = get('ours', m.key)
      row.push(cell(a, m.format), cell(o, m.format))
      if (m.ratio) row.push(ratio(o, a))
    }
    rows.push(row)
  }
  return rows
}

const METRIC_HEADERS = { recordsPerS: 'records/s', mbPerS: 'MB/s', peakRssMb: 'peak RSS, MB' }
function metricHeader (metrics, apacheName) {
  return metrics.flatMap(m => [`${METRIC_HEADERS[m.key]}: ${apacheName}`, `${METRIC_HEADERS[m.key]}: ours`, ...(m.ratio ? ['ours / Apache'] : [])])
}

const RATE = { key: 'recordsPerS', format: 'rate', ratio: true }
const MBPS = { key: 'mbPerS', format: 'mbps', ratio: false }
const RSS = { key: 'peakRssMb', format: 'mb', ratio: true }

/** tasks.max=2 over tasks.max=1 (medians) per sink kind, partition count and runner. */
export function taskRatios (results) {
  const mine = results.filter(r => r.part === 'partitions')
  const out = []
  for (const sink of [...new Set(mine.map(r => r.sink))]) {
    for (const partitions of [...new Set(mine.filter(r => r.sink === sink).map(r => r.partitions))]) {
      const med = (runner, tasksMax) => stats(mine.filter(r => r.sink === sink && r.partitions === partitions && r.runner === runner && r.tasksMax === tasksMax).map(r => r.recordsPerS))?.median
      const r = runner => {
        const one = med(runner, 1)
        const two = med(runner, 2)
        return one && two ? two / one : null
      }
      const on = mine.find(x => x.sink === sink && x.partitions === partitions && x.runner === 'ours' && x.tasksMax === 2)?.oursTasksOn ?? null
      out.push({ sink, partitions, apache: r('apache'), ours: r('ours'), oursTasksOn: on })
    }
  }
  return out
}

const SINK_NAMES = { string: 'topic → file, StringConverter (as b)', json: 'topic → file, JsonConverter + SMTs (as d)', smt6: 'topic → file, StringConverter + 6 SMTs (c\'s chain)' }
const x = v => (v === null || v === undefined || Number.isNaN(v) ? '–' : `${v.toFixed(2)}×`)

/**
 * The markdown of s and k. run: { results, failures, soaks, runs, cfg (scalingConfig's), connectVersion, tasksSupported,
 * loadBefore, loadAfter, prepS, totalS, soakS, summarizeRun }.
 */
export function buildScalingSection (run) {
  const { results, failures, soaks, runs, cfg, connectVersion, summarizeRun } = run
  const apache = `Apache ${connectVersion}`
  const md = [START, '', '## How cost grows: record size, connectors, partitions and tasks (s); soak (k)', '']
  md.push(`Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with scenarios ` +
    `${[results.length > 0 && 's', soaks.length > 0 && 'k'].filter(Boolean).join(' and ') || 's, k (nothing measured)'}; ` +
    `medians of ${runs} round${runs === 1 ? '' : 's'} with the spread (min–max) in parentheses, Apache and ours on the same broker, alternating. ` +
    'Throughput is from the first to the last record (start-up excluded); peak RSS is the worker\'s VmHWM or its process tree\'s sampled VmRSS, whichever is larger.')
  md.push('')
  const sizes = partRows(results, 'sizes', ['size', 'direction'], r => [KB(r.size), `${r.direction} (${r.records.toLocaleString('en-US')} records)`], [RATE, MBPS, RSS])
  if (sizes.length > 0) {
    md.push('### Record size', '')
    md.push(`Sources: FileStreamSource reading a file of such lines into a topic; sinks: FileStreamSink writing a topic of such records to a file; StringConverter, tasks.max=1. Every size carries the same ${cfg.sizeMb} MB (\`BENCH_SCALING_SIZE_MB\`; 1 MB = 2^20 bytes).`, '')
    md.push(table(['Record size', 'Direction', ...metricHeader([RATE, MBPS, RSS], apache)], sizes, 2), '')
  }
  const connectors = partRows(results, 'connectors', ['connectors'], r => [String(r.connectors), `${(r.records / r.connectors).toLocaleString('en-US')} each`], [RATE, RSS])
  if (connectors.length > 0) {
    md.push('### Connectors in one process', '')
    md.push('N FileStreamSource connectors in one worker, each reading its own copy of a file of 100-byte lines into its own topic; records/s counts all of them, from the first record of any to the last of all.', '')
    md.push(table(['Connectors', 'Records', ...metricHeader([RATE, RSS], apache)], connectors, 2), '')
  }
  const partitions = partRows(results, 'partitions', ['sink', 'partitions', 'tasksMax'],
    (r, same) => [SINK_NAMES[r.sink] ?? r.sink, String(r.partitions), String(r.tasksMax), same.find(s => s.runner === 'ours')?.oursTasksOn ?? '–'], [RATE, RSS])
  const ratios = taskRatios(results)
  if (partitions.length > 0) {
    md.push('### Partitions and tasks.max', '')
    md.push(`A FileStreamSink reading a topic of ${cfg.records.toLocaleString('en-US')} records spread evenly over its partitions, with tasks.max 1 or 2 ` +
      `(on ${run.tasksSupported ? `this build, ours ran with task.placement=${cfg.taskPlacement ?? 'auto (its default)'}` : 'this build, which has no task.placement setting yet: every task of ours ran in the worker\'s process'}).`, '')
    md.push(table(['Sink', 'Partitions', 'tasks.max', "Ours' tasks on", ...metricHeader([RATE, RSS], apache)], partitions, 4), '')
    const goalRows = ratios.map(t => [SINK_NAMES[t.sink] ?? t.sink, String(t.partitions), x(t.apache), x(t.ours), t.oursTasksOn ?? '–',
      t.partitions === 12 && t.ours !== null ? (t.ours >= TASKS_GOAL ? 'met' : '**not met**') : ''])
    md.push(`Throughput of tasks.max=2 over tasks.max=1 (medians; goal: ours ≥ ${TASKS_GOAL}× on 12 partitions):`, '')
    md.push(table(['Sink', 'Partitions', `${apache}: 2 / 1`, 'Ours: 2 / 1', "Ours' tasks (tasks.max=2) on", `Ours ≥ ${TASKS_GOAL}×`], goalRows), '')
  }
  if (soaks.length > 0) {
    md.push('### Soak', '')
    md.push(`One worker runs a FileStreamSource (a file the bench appends to at a steady rate) into a topic and a FileStreamSink from that topic to a file, ` +
      `for the whole soak; the bench samples the worker's RSS (VmRSS of its process tree). The slope is the least-squares fit of RSS over time after the first ${WARMUP_FRACTION * 100}% (warm-up); goal: |slope| < ${SLOPE_GOAL_MB_PER_MIN} MB/min.`, '')
    const rows = soaks.map(s => {
      const sum = soakSummary(s.samples)
      return [s.runner === 'apache' ? apache : 'Ours', `${s.minutes} min`, `${s.rate.toLocaleString('en-US')} lines/s`,
        `${s.written.toLocaleString('en-US')} / ${s.delivered.toLocaleString('en-US')}`, `${s.drainS.toFixed(1)} s`,
        sum ? sum.startMb.toFixed(0) : '–', sum ? sum.endMb.toFixed(0) : '–', s.peakRssMb.toFixed(0),
        sum && Number.isFinite(sum.slopeMbPerMin) ? `${sum.slopeMbPerMin >= 0 ? '+' : ''}${sum.slopeMbPerMin.toFixed(2)}` : '–',
        sum && Number.isFinite(sum.slopeMbPerMin) ? (Math.abs(sum.slopeMbPerMin) < SLOPE_GOAL_MB_PER_MIN ? 'met' : '**not met**') : '–']
    })
    md.push(table(['Runner', 'Length', 'Rate', 'Lines in / out', 'Drained in', 'RSS after warm-up, MB', 'RSS at the end, MB', 'Peak RSS, MB', 'RSS slope, MB/min', 'Goal'], rows, 3), '')
    for (const s of soaks) {
      const perMinute = []
      for (let m = 0; m <= Math.ceil(s.minutes); m++) {
        const sample = s.samples.reduce((best, p) => (Math.abs(p.tS - m * 60) < Math.abs(best.tS - m * 60) ? p : best), s.samples[0])
        if (sample && Math.abs(sample.tS - m * 60) < 30 && !perMinute.some(p => p === sample)) perMinute.push(sample)
      }
      md.push(`* ${s.runner === 'apache' ? apache : 'Ours'}: RSS by minute ${perMinute.map(p => `${(p.tS / 60).toFixed(0)}: ${p.rssMb.toFixed(0)}`).join(', ')} MB; ` +
        `${s.samples.length} samples; CPU ${s.cpuS.toFixed(1)} s in all; start to RUNNING ${s.readyS.toFixed(2)} s; load ${s.load1.toFixed(2)} at the start.`)
    }
    md.push('')
  }
  md.push('### Set-up', '')
  md.push(`* Load average (1 min): ${run.loadBefore.toFixed(2)} before, ${run.loadAfter.toFixed(2)} after, on 2 cores shared with the broker and the bench itself: compare the ratios, not the figures across bench runs.`)
  md.push(`* Cases (\`BENCH_SCALING_PARTS\` ${cfg.parts.join(',')}): sizes ${cfg.sizes.map(KB).join(', ')}; connectors ${cfg.connectors.join(', ')}; ` +
    `partitions ${cfg.partitions.join(', ')} × tasks.max ${cfg.tasks.join(', ')} for the ${cfg.sinks.join(' and ')} sink; ${cfg.records.toLocaleString('en-US')} records per case of connectors and partitions (\`BENCH_SCALING_RECORDS\`), ${cfg.sizeMb} MB per record size. ` +
    `Every run has a fresh worker, offsets file, consumer group and (for sources) topics; the inputs are written once (${(run.prepS ?? 0).toFixed(0)} s) and the topics deleted after.`)
  const on = part => [...new Set(results.filter(r => r.part === part && r.runner === 'ours' && r.oursTasksOn).map(r => r.oursTasksOn))].join(' and ')
  const where = ['sizes', 'connectors', 'partitions'].filter(on).map(p => `${p}: ${on(p)}`)
  if (where.length > 0) md.push(`* Our tasks ran on (${run.tasksSupported ? `task.placement=${cfg.taskPlacement ?? 'auto, the default'}` : 'no task.placement setting in this build'}): ${where.join('; ')}.`)
  md.push(`* Soak: ${cfg.soakMinutes} min (\`BENCH_SOAK_MINUTES\`) at ${cfg.soakRate.toLocaleString('en-US')} lines/s of 100 bytes (\`BENCH_SOAK_RATE\`), ` +
    `runners ${cfg.soakRunners.join(', ')} (\`BENCH_SOAK_RUNNERS\`; Apache's soak is optional: ten more minutes of a JVM whose heap grows to its -Xmx before it levels off).`)
  md.push(`* s took ${((run.totalS ?? 0) / 60).toFixed(1)} min, k ${((run.soakS ?? 0) / 60).toFixed(1)} min.`)
  md.push('')
  const wrong = results.filter(r => r.recordsInTopic !== undefined && r.recordsInTopic !== r.expectedInTopic)
  const fails = failures.filter(f => f.startsWith('s ') || f.startsWith('k '))
  const undelivered = soaks.filter(s => s.delivered !== s.written)
  md.push('### Checks', '')
  const sources = results.filter(r => r.recordsInTopic !== undefined)
  if (sources.length > 0) md.push(`* ${sources.length - wrong.length} of ${sources.length} source runs left exactly the expected records in their topics.`)
  for (const r of wrong) md.push(`* ${summarizeRun(r)}`)
  for (const s of soaks) md.push(`* Soak ${s.runner}: ${s.delivered === s.written ? 'every line appended reached the sink file' : `**${s.delivered} of ${s.written} lines reached the sink file**`}.`)
  if (undelivered.length === 0 && sources.length === 0 && soaks.length === 0) md.push('* (no checks in this run)')
  for (const f of fails) md.push(`* FAILED: ${f}`)
  md.push('', '### Every run', '', '```')
  for (const r of results) md.push(summarizeRun(r))
  md.push('```', '', END)
  return md.join('\n')
}

/** RESULTS.md's current scaling section, or null. */
export function readScalingSection (file) {
  let text = ''
  try { text = readFileSync(file, 'utf8') } catch { return null }
  const start = text.indexOf(START)
  const end = text.indexOf(END)
  return start === -1 || end < start ? null : text.slice(start, end + END.length)
}

/** Puts `section` (or nothing, when null) at the end of RESULTS.md in place of any scaling section it has. */
export function writeScalingSection (file, section) {
  let text = ''
  try { text = readFileSync(file, 'utf8') } catch {}
  const start = text.indexOf(START)
  const end = text.indexOf(END)
  if (start !== -1 && end > start) {
    const after = text.slice(end + END.length).trim()
    text = text.slice(0, start).trimEnd() + (after ? `\n\n${after}` : '')
  }
  text = text.trimEnd()
  writeFileSync(file, `${text}\n${section ? `\n${section}\n` : ''}`)
}

/** The `### heading` block of a section (up to the next `### `), or null. */
function block (section, heading) {
  const at = section.indexOf(`### ${heading}\n`)
  if (at === -1) return null
  const next = section.indexOf('\n### ', at + 4)
  return section.slice(at, next === -1 ? section.length : next + 1)
}

/** `section` with its `### heading` block replaced by `replacement` (or that block put before `### Set-up`). */
function withBlock (section, heading, replacement) {
  const old = block(section, heading)
  if (old !== null) return section.replace(old, replacement ?? '')
  if (replacement === null) return section
  const setUp = section.indexOf('### Set-up\n')
  return setUp === -1 ? section : section.slice(0, setUp) + replacement + section.slice(setUp)
}

/**
 * The section to write after a run of s, k or both: a run of only one of them keeps the other's tables from the
 * previous section (a soak run alone must not drop the scaling tables, nor a scaling run the soak).
 */
export function mergeScalingSection (previous, next, { scaling, soak }) {
  if (next === null) return previous
  if (previous === null || (scaling && soak)) return next
  if (soak && !scaling) return withBlock(previous, 'Soak', block(next, 'Soak'))
  return withBlock(next, 'Soak', block(previous, 'Soak'))
}
