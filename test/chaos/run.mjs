// `npm run chaos`: the fault suite of issue 11 on a real Kafka broker of its own (behind a TCP proxy that can cut it
// off), against the built CLI (dist/, rebuilt first when stale, as `npm run bench` does). Not part of `npm test`.
// Prints a markdown table (scenario, measured, target, pass/fail), writes it to test/chaos/RESULTS.md after a full
// run, and exits 1 when a target is missed.
//
//   CHAOS_SCENARIOS=1,2,3,4,5   a subset: 1 source SIGKILLs, 2 sink SIGKILLs, 3 broker outages, 4 SIGTERM during an
//                                outage, 5 the quick fault cases (oversized record, second runner, sink to /dev/null)
//   CHAOS_KILLS=20              SIGKILLs per pipeline (scenarios 1 and 2)
//   CHAOS_LINES=200000          numbered lines per pipeline (scenarios 1 and 2)
//   CHAOS_OUTAGES=15,60         outage lengths in seconds (scenario 3)
//   CHAOS_RESULTS=path          where to write the markdown ("-" for nowhere; default test/chaos/RESULTS.md, written
//                                only by a run of every scenario at the default scale)
//   CHAOS_KEEP=1                keep the work directory (inputs, logs, sink files)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openKafka } from '../../bench/lib/kafka.mjs'
import { table } from '../../bench/lib/report.mjs'
import { ensureBuilt } from '../../bench/lib/scenarios.mjs'
import { ROOT } from '../../bench/lib/runners.mjs'
import { devNullCommits, oversizedRecord, secondRunner } from './lib/cases.mjs'
import { startBrokerBehindProxy } from './lib/kafka.mjs'
import { sinkKills, sourceKills } from './lib/kills.mjs'
import { outages, sigtermDuringOutage } from './lib/outages.mjs'

const started = performance.now()
const log = message => process.stderr.write(`[chaos ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`)
const envInt = (name, fallback) => {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw.replace(/_/g, ''))
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not ${raw}`)
  return n
}
const ALL = ['1', '2', '3', '4', '5']
const SCENARIOS = (process.env.CHAOS_SCENARIOS ?? ALL.join(',')).split(',').map(s => s.trim()).filter(Boolean)
for (const s of SCENARIOS) if (!ALL.includes(s)) throw new Error(`CHAOS_SCENARIOS: unknown scenario ${s} (1 to 5)`)
const KILLS = envInt('CHAOS_KILLS', 20)
const LINES = envInt('CHAOS_LINES', 200_000)
const OUTAGES = (process.env.CHAOS_OUTAGES ?? '15,60').split(',').map(s => Number(s.trim()))
if (OUTAGES.some(s => !Number.isFinite(s) || s <= 0)) throw new Error(`CHAOS_OUTAGES: seconds, comma-separated, not ${process.env.CHAOS_OUTAGES}`)
const FULL = ALL.every(s => SCENARIOS.includes(s)) && KILLS >= 20 && LINES >= 200_000 && OUTAGES.includes(15) && OUTAGES.includes(60)
const RESULTS_FILE = process.env.CHAOS_RESULTS === '-' ? null : (process.env.CHAOS_RESULTS || (FULL ? join(ROOT, 'test', 'chaos', 'RESULTS.md') : null))

const rows = []
const row = (scenario, measured, target, pass) => rows.push([scenario, measured, target, pass === null ? 'reported' : pass ? 'pass' : '**FAIL**'])
const s1 = ms => `${(ms / 1000).toFixed(2)} s`
const pct = x => `${x.toFixed(2)} %`
const int = n => n.toLocaleString('en-US')

function killRows (label, r) {
  row(`${label}: lost`, `${int(r.lost)} of ${int(r.lines)} after ${r.kills} SIGKILLs`, '0', r.lost === 0)
  row(`${label}: duplicates`, `${pct(r.duplicatePct)} (${int(r.duplicates)}), worst line ${r.worst} copies`, 'reported', null)
  if (r.torn > 0 || label.startsWith('2')) row(`${label}: torn or foreign lines`, int(r.torn), '0', r.torn === 0)
  // A life that ends before the stored offset moves re-reads all it read (where the source's duplicates come from).
  if (r.advanced !== undefined) row(`${label}: lives in which the stored source offset moved`, `${r.advanced} of ${r.kills}`, 'reported', null)
  if (r.tempFiles !== undefined) row(`${label}: offsets temp files left beside the offsets file`, int(r.tempFiles), 'reported', null)
  if (label.startsWith('1')) row(`${label}: offsets file parsed after every kill`, r.unparsable === 0 ? `yes (${r.kills} of ${r.kills})` : `no: ${r.unparsable} of ${r.kills} did not parse`, 'yes', r.unparsable === 0)
}

const work = mkdtempSync(join(tmpdir(), 'connect-chaos-'))
const stamp = Date.now().toString(36)
let broker = null
let kafka = null
let failed = false
try {
  log(`dist/: ${ensureBuilt()}`)
  log('starting a Kafka broker of our own behind a TCP proxy')
  broker = await startBrokerBehindProxy()
  kafka = await openKafka(broker.bootstrap)
  const ctx = { work, bootstrap: broker.bootstrap, kafka, routed: broker.routed, stamp, kills: KILLS, lines: LINES, log }
  const attempt = async (name, fn) => {
    try { await fn() } catch (err) {
      log(`${name} failed: ${err.stack ?? err}`)
      row(name, `did not complete: ${String(err.message).split('\n')[0]}`, 'completes', false)
    }
  }

  if (SCENARIOS.includes('1')) {
    await attempt('1. source SIGKILLs', async () => {
      log(`1. FileStreamSource, ${LINES} lines, ${KILLS} SIGKILLs`)
      killRows('1. FileStreamSource → topic, SIGKILLs', await sourceKills(ctx))
    })
  }
  if (SCENARIOS.includes('2')) {
    await attempt('2. sink SIGKILLs', async () => {
      log(`2. FileStreamSink, ${LINES} records, ${KILLS} SIGKILLs`)
      killRows('2. topic → FileStreamSink, SIGKILLs', await sinkKills(ctx))
    })
  }
  if (SCENARIOS.includes('3')) {
    await attempt('3. broker outages', async () => {
      log(`3. broker outages of ${OUTAGES.join(', ')} s under source → topic → sink`)
      const r = await outages({ ...ctx, durationsS: OUTAGES })
      for (const o of r.outages) {
        const label = `3. ${o.seconds} s outage`
        row(`${label}: slowest REST answer (event-loop pause bound)`, `${o.during.maxMs.toFixed(0)} ms over ${o.during.count} requests`, '< 1000 ms', o.during.maxMs < 1000)
        row(`${label}: REST failures`, o.during.failures === 0 ? '0' : `${o.during.failures} (${o.during.firstFailure})`, '0', o.during.failures === 0)
        row(`${label}: broker up → a line appended during the outage in the sink's file`, o.resumeMs === null ? 'not within 180 s' : s1(o.resumeMs), '≤ 2 s', o.resumeMs !== null && o.resumeMs <= 2000)
        row(`${label}: WARN/ERROR log lines during the outage`, `${o.warnErrors} (${o.warnPerS.toFixed(1)}/s)`, 'reported', null)
      }
      row('3. after the outages: lost', `${int(r.final.lost)} of ${int(r.final.total)} lines (duplicates ${int(r.final.duplicates)}, torn ${r.final.torn})`, '0', r.final.lost === 0 && r.final.torn === 0)
    })
  }
  if (SCENARIOS.includes('4')) {
    await attempt('4. SIGTERM during an outage', async () => {
      const r = await sigtermDuringOutage({ ...ctx, afterS: 5 })
      const code = r.exit ? (r.exit.code ?? `${r.exit.signal} (${128 + (r.exit.signal === 'SIGTERM' ? 15 : r.exit.signal === 'SIGINT' ? 2 : 9)})`) : 'none'
      row('4. SIGTERM 5 s into an outage: exit time', r.exitMs === null ? `no exit within ${s1(r.boundMs + 60000)}` : s1(r.exitMs), `≤ ${s1(r.boundMs)} (graceful 5 s + flush 5 s + 5 s)`, r.exitMs !== null && r.exitMs <= r.boundMs)
      row('4. SIGTERM 5 s into an outage: exit code', String(code), '143 or 0', r.exit !== null && (r.exit.code === 0 || r.exit.code === 143 || r.exit.signal === 'SIGTERM'))
    })
  }
  if (SCENARIOS.includes('5')) {
    await attempt('5a. oversized record', async () => {
      const r = await oversizedRecord(ctx)
      row('5a. 1.2 MB line among 100, errors.tolerance=all', `${r.delivered} of 99 others delivered, task ${r.taskState}`, '99, RUNNING', r.delivered === 99 && r.taskState === 'RUNNING')
    })
    await attempt('5b. second runner', async () => {
      const r = await secondRunner(ctx)
      row('5b. second runner on the same offsets file', `exit ${r.code} after ${s1(r.ms)}; first still running: ${r.firstAlive ? 'yes' : 'no'}; "${r.message.replace(/\|/g, '\\|').slice(0, 160)}"`, 'refused (non-zero), first unaffected', r.code !== null && r.code !== 0 && r.firstAlive)
    })
    await attempt('5c. sink to /dev/null', async () => {
      const r = await devNullCommits(ctx)
      row('5c. FileStreamSink to /dev/null commits', `group offset ${r.committed} of ${r.records} after ${s1(r.ms)}`, `${r.records} within 30 s`, r.committed >= r.records)
    })
  }
} catch (err) {
  log(`the suite could not run: ${err.stack ?? err}`)
  row('suite', `did not run: ${String(err.message).split('\n')[0]}`, 'runs', false)
} finally {
  await kafka?.close().catch(() => {})
  await broker?.close().catch(err => log(`stopping the broker: ${err.message}`))
  if (process.env.CHAOS_KEEP === '1') log(`work directory kept: ${work}`)
  else rmSync(work, { recursive: true, force: true })
}

failed = rows.some(r => r[3] !== 'pass' && r[3] !== 'reported')
const minutes = ((performance.now() - started) / 60000).toFixed(1)
const md = [
  '# Fault suite (`npm run chaos`)',
  '',
  `Generated by \`npm run chaos\` (test/chaos/run.mjs) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC in ${minutes} min ` +
    `against the built CLI (dist/) and a real Apache Kafka broker of its own${SCENARIOS.some(s => s === '3' || s === '4') ? ' behind a TCP proxy that refuses everything during an outage' : ''}. ` +
    [
      SCENARIOS.some(s => s === '1' || s === '2') ? `Scenarios 1 and 2: ${KILLS} SIGKILLs per pipeline at random moments while ${int(LINES)} numbered lines flow (offset.flush.interval.ms=500; the sink with consumer.session.timeout.ms=6000 so that a restart gets its partition back within seconds).` : '',
      SCENARIOS.includes('3') ? `Scenario 3: outages of ${OUTAGES.join(' and ')} s while a source → topic → sink pipeline runs with lines appended at 500/s; REST (\`/\` and both connectors' status) probed every 100 ms.` : ''
    ].filter(Boolean).join(' '),
  '',
  table(['Scenario', 'Measured', 'Target', 'Result'], rows),
  ''
].join('\n')
process.stdout.write(md + '\n')
if (RESULTS_FILE) { writeFileSync(RESULTS_FILE, md); log(`written to ${RESULTS_FILE}`) }
process.exit(failed ? 1 : 0)
