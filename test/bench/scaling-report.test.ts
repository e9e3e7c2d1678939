/**
 * The scaling part of bench/RESULTS.md (scenarios s and k): the soak's RSS slope, the tables and tasks.max ratios from
 * run results, the BENCH_* settings, and how the section stays at the end of the file whichever part a run rewrites.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { writeResults } from '../../bench/lib/avro-report.mjs'
import { writeCdcSection } from '../../bench/lib/cdc-report.mjs'
import { oursTasksOn, recordsOfSize, scalingConfig, scalingWorkerProps } from '../../bench/lib/scaling.mjs'
import {
  buildScalingSection, mergeScalingSection, readScalingSection, slope, soakSummary, taskRatios, writeScalingSection,
  type ScalingRunResult, type ScalingSectionInput, type SoakResult
} from '../../bench/lib/scaling-report.mjs'

const dir = mkdtempSync(join(tmpdir(), 'bench-scaling-report-'))
after(() => rmSync(dir, { recursive: true, force: true }))

test('slope is the least-squares fit, NaN without two distinct x', () => {
  assert.equal(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }]), 2)
  // Noise around y = 100 - 0.5x: the fit finds the trend.
  const noisy = Array.from({ length: 50 }, (_, i) => ({ x: i, y: 100 - 0.5 * i + (i % 2 === 0 ? 1 : -1) }))
  assert.ok(Math.abs(slope(noisy) + 0.5) < 0.01, String(slope(noisy)))
  assert.ok(Number.isNaN(slope([{ x: 1, y: 1 }])))
  assert.ok(Number.isNaN(slope([{ x: 1, y: 1 }, { x: 1, y: 2 }])))
})

test('the soak summary leaves the warm-up out of the slope, in MB per minute', () => {
  // Ten minutes sampled every 5 s: RSS climbs 50 MB in the first minute, then stays flat at 150 MB.
  const samples = Array.from({ length: 121 }, (_, i) => ({ tS: i * 5, rssMb: i * 5 < 60 ? 100 + i * 5 * 50 / 60 : 150 }))
  const flat = soakSummary(samples)
  assert.ok(flat)
  assert.equal(flat.slopeMbPerMin, 0)
  assert.equal(flat.fromS, 120)
  assert.equal(flat.startMb, 150)
  assert.equal(flat.endMb, 150)
  assert.equal(flat.peakMb, 150)
  assert.equal(flat.n, 97)
  // A leak of 2 MB/min after the warm-up shows as +2.
  const leaking = soakSummary(samples.map(s => ({ tS: s.tS, rssMb: s.rssMb + 2 * s.tS / 60 })))
  assert.ok(leaking && Math.abs(leaking.slopeMbPerMin - 2) < 1e-9, String(leaking?.slopeMbPerMin))
  assert.equal(soakSummary([]), null)
})

function run (part: ScalingRunResult['part'], runner: string, round: number, recordsPerS: number, fields: Record<string, unknown>): ScalingRunResult {
  return { part, runner, round, records: 1000, recordsPerS, mbPerS: recordsPerS / 10000, peakRssMb: runner === 'ours' ? 120 : 800, cpuS: 2, readyS: 1, load1: 1, ...fields }
}

function soak (rssMb: (tS: number) => number): SoakResult {
  return {
    runner: 'ours', minutes: 10, rate: 5000, written: 3_000_000, delivered: 3_000_000, drainS: 0.3, readyS: 0.6, peakRssMb: 140, cpuS: 60, load1: 1,
    samples: Array.from({ length: 121 }, (_, i) => ({ tS: i * 5, rssMb: rssMb(i * 5) }))
  }
}

function input (results: ScalingRunResult[], soaks: SoakResult[], failures: string[] = []): ScalingSectionInput {
  return {
    results, soaks, failures, runs: 2, cfg: scalingConfig({}), connectVersion: '4.3.1', tasksSupported: false,
    loadBefore: 1, loadAfter: 2, prepS: 10, totalS: 600, soakS: 610, summarizeRun: r => `s ${r.runner} round ${r.round} ${r.part}`
  }
}

const partitionRuns = (sink: string, partitions: number, one: [number, number], two: [number, number], onTwo = 'worker process'): ScalingRunResult[] => [
  run('partitions', 'apache', 1, one[0], { sink, partitions, tasksMax: 1 }),
  run('partitions', 'ours', 1, one[1], { sink, partitions, tasksMax: 1, oursTasksOn: 'worker process' }),
  run('partitions', 'apache', 1, two[0], { sink, partitions, tasksMax: 2 }),
  run('partitions', 'ours', 1, two[1], { sink, partitions, tasksMax: 2, oursTasksOn: onTwo })
]

test('tasks.max ratios are medians of tasks.max=2 over tasks.max=1, per sink, partitions and runner', () => {
  const ratios = taskRatios([...partitionRuns('string', 12, [100, 200], [180, 360], 'own processes'), ...partitionRuns('json', 1, [50, 80], [50, 0])])
  assert.deepEqual(ratios[0], { sink: 'string', partitions: 12, apache: 1.8, ours: 1.8, oursTasksOn: 'own processes' })
  assert.equal(ratios[1]?.apache, 1)
  assert.equal(ratios[1]?.ours, null, 'a zero rate is no ratio')
})

test('the section holds the three tables with medians and ratios, the goals judged, the soak slope and the runs', () => {
  const results = [
    run('sizes', 'apache', 1, 1000, { size: 102400, direction: 'sink' }), run('sizes', 'ours', 1, 2000, { size: 102400, direction: 'sink' }),
    run('sizes', 'ours', 2, 4000, { size: 102400, direction: 'sink' }),
    run('connectors', 'apache', 1, 500, { connectors: 50, records: 5000, recordsInTopic: 5001, expectedInTopic: 5000 }),
    run('connectors', 'ours', 1, 1500, { connectors: 50, records: 5000, recordsInTopic: 5000, expectedInTopic: 5000 }),
    ...partitionRuns('string', 12, [100, 200], [150, 300]),
    ...partitionRuns('json', 12, [100, 100], [150, 200])
  ]
  const md = buildScalingSection(input(results, [soak(t => (t < 60 ? 100 + t : 160))], ['s size-100-sink ours round 2: boom', 'a ours round 1: unrelated']))
  assert.match(md, /^<!-- bench:scaling:start -->/)
  assert.match(md, /<!-- bench:scaling:end -->$/)
  assert.doesNotMatch(md, /^\| Scenario \|/m, 'the chart draws "| Scenario |" tables only: this section has none')
  // Record size: the median of ours' two rounds, with the spread, and the ratio to Apache.
  assert.match(md, /\| 100 KB \| sink \(1,000 records\) \| 1,000 \| 3,000 \(2,000–4,000\) \| 3\.00× \|/)
  assert.match(md, /\| 50 \| 100 each \| 500 \| 1,500 \| 3\.00× \| 800 \| 120 \| 0\.15× \|/)
  assert.match(md, /\| topic → file, StringConverter \(as b\) \| 12 \| 2 \| worker process \| 150 \| 300 \| 2\.00× \|/)
  assert.match(md, /every task of ours ran in the worker's process/)
  assert.match(md, /Our tasks ran on \(no task\.placement setting in this build\): partitions: worker process\./)
  // The goal on 12 partitions: 1.5× for the string sink (not met), 2.0× for the JSON one (met).
  assert.match(md, /\| topic → file, StringConverter \(as b\) \| 12 \| 1\.50× \| 1\.50× \| worker process \| \*\*not met\*\* \|/)
  assert.match(md, /\| topic → file, JsonConverter \+ SMTs \(as d\) \| 12 \| 1\.50× \| 2\.00× \| worker process \| met \|/)
  // The soak: flat after its first minute, so the slope is 0 and the goal met.
  assert.match(md, /\| Ours \| 10 min \| 5,000 lines\/s \| 3,000,000 \/ 3,000,000 \| 0\.3 s \| 160 \| 160 \| 140 \| \+0\.00 \| met \|/)
  assert.match(md, /RSS by minute 0: 100, 1: 160, 2: 160/)
  // Checks: the duplicate, the failure of s (not a's), every run listed.
  assert.match(md, /1 of 2 source runs left exactly the expected records/)
  assert.match(md, /FAILED: s size-100-sink ours round 2: boom/)
  assert.doesNotMatch(md, /unrelated/)
  assert.equal(md.match(/^s (ours|apache) round \d/gm)?.length, results.length)
})

test('a growing soak fails its goal; a section without s has no tables of s', () => {
  const md = buildScalingSection(input([], [soak(t => 100 + t / 60)]))
  assert.match(md, /\| \+1\.00 \| \*\*not met\*\* \|/)
  assert.doesNotMatch(md, /### Record size|### Connectors|### Partitions/)
})

test('settings: defaults, lists, task.placement for ours only, and wrong values refused', () => {
  const cfg = scalingConfig({})
  assert.deepEqual([cfg.records, cfg.sizes, cfg.connectors, cfg.partitions, cfg.tasks, cfg.sinks, cfg.soakMinutes, cfg.soakRunners, cfg.taskPlacement],
    [500_000, [100, 1024, 10240, 102400], [1, 10, 50], [1, 12, 48], [1, 2], ['string', 'json'], 10, ['ours'], null])
  const small = scalingConfig({ BENCH_SCALING_RECORDS: '2_000', BENCH_SCALING_CONNECTORS: '1, 3', BENCH_SOAK_MINUTES: '0.5', BENCH_TASK_PLACEMENT: 'process' })
  assert.deepEqual([small.records, small.connectors, small.soakMinutes, small.taskPlacement], [2000, [1, 3], 0.5, 'process'])
  assert.throws(() => scalingConfig({ BENCH_SCALING_PARTITIONS: '0' }), /BENCH_SCALING_PARTITIONS/)
  assert.throws(() => scalingConfig({ BENCH_TASK_PLACEMENT: 'cores' }), /BENCH_TASK_PLACEMENT/)
  assert.throws(() => scalingConfig({ BENCH_SOAK_MINUTES: '-1' }), /BENCH_SOAK_MINUTES/)
  assert.equal(scalingWorkerProps('ours', false, dir, 'k:9092', small)['task.placement'], 'process')
  assert.equal(scalingWorkerProps('apache', false, dir, 'k:9092', small)['task.placement'], undefined)
  assert.equal(scalingWorkerProps('ours', true, dir, 'k:9092', cfg)['value.converter'], 'org.apache.kafka.connect.json.JsonConverter')
  // Where our tasks run: nowhere but the worker's process until the build knows task.placement; auto = own processes when tasks.max > 1.
  assert.equal(oursTasksOn(small, 1, false), 'worker process')
  assert.equal(oursTasksOn(small, 1, true), 'own processes')
  assert.equal(oursTasksOn(cfg, 1, true), 'worker process')
  assert.equal(oursTasksOn(cfg, 2, true), 'own processes')
  assert.equal(cfg.sizeMb, 100)
  assert.equal(recordsOfSize(100, 100), 1_048_576)
  assert.equal(recordsOfSize(100, 102400), 1024)
  assert.equal(recordsOfSize(0.5, 102400), 20)
})

test('the section stays at the end of RESULTS.md whichever part a run rewrites, and a run without it keeps it', () => {
  const file = join(dir, 'RESULTS.md')
  writeFileSync(file, '# Benchmark\n\nold main\n')
  const section = buildScalingSection(input([run('connectors', 'ours', 1, 1500, { connectors: 1 })], []))
  writeScalingSection(file, section)
  assert.equal(readScalingSection(file), section)
  // A later run of a–e and h, as bench/run.mjs writes it: the previous scaling section is read first and put back last.
  const previous = readScalingSection(file)
  writeResults(file, '# Benchmark\n\nnew main', null)
  writeCdcSection(file, '<!-- bench:cdc:start -->\ncdc\n<!-- bench:cdc:end -->')
  writeScalingSection(file, previous)
  const text = readFileSync(file, 'utf8')
  assert.ok(text.startsWith('# Benchmark\n\nnew main\n'), text)
  assert.ok(text.indexOf('bench:cdc:end') < text.indexOf('bench:scaling:start'), text)
  assert.ok(text.endsWith('<!-- bench:scaling:end -->\n'))
  assert.doesNotMatch(text, /old main/)
  // Written again: replaced, not added.
  writeScalingSection(file, section)
  assert.equal(readFileSync(file, 'utf8').split('bench:scaling:start').length, 2)
  writeScalingSection(file, null)
  assert.equal(readScalingSection(file), null)
})

test('a run of only s or only k keeps the other\'s tables from the previous section', () => {
  const section = (tag: string, soak: boolean): string => ['<!-- bench:scaling:start -->', '', '## How cost grows', '', `### Record size\n\nsizes ${tag}\n`,
    ...(soak ? [`### Soak\n\nsoak ${tag}\n`] : []), `### Set-up\n\nset-up ${tag}\n`, '<!-- bench:scaling:end -->'].join('\n')
  const previous = section('old', true)
  const onlyK = mergeScalingSection(previous, section('new', true).replace('sizes new', ''), { scaling: false, soak: true })!
  assert.match(onlyK, /sizes old/)
  assert.match(onlyK, /soak new/)
  assert.doesNotMatch(onlyK, /soak old/)
  const onlyS = mergeScalingSection(previous, section('new', false), { scaling: true, soak: false })!
  assert.match(onlyS, /sizes new/)
  assert.match(onlyS, /soak old/)
  assert.ok(onlyS.indexOf('### Soak') < onlyS.indexOf('### Set-up'))
  assert.equal(mergeScalingSection(previous, section('new', true), { scaling: true, soak: true }), section('new', true))
  assert.equal(mergeScalingSection(null, section('new', false), { scaling: true, soak: false }), section('new', false))
  assert.equal(mergeScalingSection(previous, null, { scaling: false, soak: false }), previous)
})
