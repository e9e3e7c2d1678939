// `npm run bench:profile`: runs our worker under `node --cpu-prof` on scenarios a–d and h (as bench/run.mjs runs them)
// and prints where its CPU time goes. The profiles stay in bench/profiles/<scenario>.cpuprofile (open them in Chrome
// DevTools or VS Code for the call trees).
//
//   BENCH_RECORDS=500000          records per scenario
//   BENCH_SCENARIOS=a,b,c,d       (h: Postgres CDC, with BENCH_CDC_ROWS, BENCH_CDC_CHANGES, BENCH_POSTGRES_URL as in run.mjs)
//   BENCH_TOP=25                  functions listed per scenario
//   BENCH_BOOTSTRAP_SERVERS=host:port   use this broker instead of starting one
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { startKafkaBroker } from '../test/harness/kafka-broker.mjs'
import { formatSummary, summarize } from './cpuprofile-summary.mjs'
import { startCdcSetup } from './lib/cdc.mjs'
import { openKafka } from './lib/kafka.mjs'
import { ROOT } from './lib/runners.mjs'
import { ensureBuilt, log, prepareInputs, runOne, SCENARIO_TITLES, summarizeRun } from './lib/scenarios.mjs'

const RECORDS = Number(process.env.BENCH_RECORDS || 500000)
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'a,b,c,d').split(',').map(s => s.trim()).filter(Boolean)
for (const s of SCENARIOS) if (!['a', 'b', 'c', 'd', 'h'].includes(s)) throw new Error(`BENCH_SCENARIOS: ${s} is not one of a, b, c, d, h`)
const TOP = Number(process.env.BENCH_TOP || 25)
const OUT = join(ROOT, 'bench', 'profiles')

async function main () {
  ensureBuilt()
  const external = process.env.BENCH_BOOTSTRAP_SERVERS
  const broker = external ? null : await startKafkaBroker({ heap: '1g' })
  const bootstrap = external ?? broker.bootstrapServers
  const work = mkdtempSync(join(tmpdir(), 'connect-bench-profile-'))
  const kafka = await openKafka(bootstrap)
  let failed = false
  let cdc = null
  try {
    mkdirSync(OUT, { recursive: true })
    const stamp = `p${Date.now().toString(36)}`
    const inputs = await prepareInputs({ kafka, bootstrap, work, records: RECORDS, scenarios: SCENARIOS, stamp })
    if (SCENARIOS.includes('h')) cdc = await startCdcSetup({ stamp })
    const ctx = { bootstrap, kafka, work, inputs, stamp, records: RECORDS, keep: false, cdc, cdcRows: Number(process.env.BENCH_CDC_ROWS || 1000000), cdcChanges: Number(process.env.BENCH_CDC_CHANGES || 200000) }
    for (const scenario of SCENARIOS) {
      const dir = join(work, `${scenario}-ours-1`)
      mkdirSync(dir, { recursive: true })
      let result
      try {
        result = await runOne({ scenario, runner: 'ours', round: 1, ctx: { ...ctx, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] } })
      } catch (err) {
        failed = true
        log(`${scenario} FAILED: ${err.stack ?? err}`)
        continue
      }
      const profile = readdirSync(dir).find(f => f.endsWith('.cpuprofile'))
      if (!profile) {
        failed = true
        log(`${scenario}: no .cpuprofile was written in ${dir}`)
        continue
      }
      const target = join(OUT, `${scenario}.cpuprofile`)
      copyFileSync(join(dir, profile), target)
      const summary = summarize(JSON.parse(readFileSync(target, 'utf8')), { top: TOP })
      process.stdout.write(`\n${formatSummary(summary, `${SCENARIO_TITLES[scenario]}: ${summarizeRun(result)} (profiled: slower than unprofiled)\n  ${relative(ROOT, target)}`)}\n`)
    }
  } finally {
    await kafka.close()
    await cdc?.stop()
    await broker?.stop()
    rmSync(work, { recursive: true, force: true })
  }
  return failed ? 1 : 0
}

// Exit explicitly: the harness's stop() leaves a 30 s fallback timer running after the broker has exited.
process.exit(await main())
