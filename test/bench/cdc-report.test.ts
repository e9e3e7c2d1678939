/**
 * The Postgres CDC part of bench/RESULTS.md (scenario h): its table and checks from run results, and how it stays at
 * the end of the file whichever other part a bench run rewrites.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { writeResults } from '../../bench/lib/avro-report.mjs'
import { buildCdcSection, readCdcSection, writeCdcSection, type CdcRunResult, type CdcSectionInput } from '../../bench/lib/cdc-report.mjs'

const dir = mkdtempSync(join(tmpdir(), 'bench-cdc-report-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function run (runner: string, round: number, snapshotRowsPerS: number, streamRowsPerS: number, extra: Record<string, unknown> = {}): CdcRunResult {
  return {
    scenario: 'h', runner, round, snapshotRowsPerS, streamRowsPerS, snapshotWallS: 30, snapshotCpuS: 20, streamLagS: 2,
    streamCpuS: 5, readyS: runner === 'ours' ? 0.5 : 8, firstRecordS: 1, snapshotPeakRssMb: 150, peakRssMb: runner === 'ours' ? 200 : 1000,
    cpuS: 30, writeS: 3, loadS: 6, load1: 2, recordsInTopic: 1200, expectedInTopic: 1200, ...extra
  }
}

function input (results: CdcRunResult[], failures: string[] = []): CdcSectionInput {
  return {
    results, failures, runs: 2, rows: 1000, changes: 200, connectVersion: '4.3.1',
    setup: { version: '15.18', serverExternal: false, serverS: 3, pluginS: 0 },
    loadBefore: 1, loadAfter: 2, totalS: 300, summarizeRun: r => `${r.scenario} ${r.runner} round ${r.round}`
  }
}

test('the section holds medians and the ratio to Debezium per metric, the checks and the runs, between its markers', () => {
  const results = [
    run('apache', 1, 20000, 10000), run('ours', 1, 30000, 40000), run('apache', 2, 30000, 20000),
    run('ours', 2, 50000, 20000, { recordsInTopic: 1201 }), { scenario: 'a', runner: 'ours', round: 1, recordsPerS: 1 }
  ]
  const md = buildCdcSection(input(results, ['h ours round 3: boom', 'a ours round 1: unrelated-failure']))
  assert.match(md, /^<!-- bench:cdc:start -->/)
  assert.match(md, /<!-- bench:cdc:end -->$/)
  assert.match(md, /\| Postgres CDC \| Metric \| Debezium \S+ in Apache 4\.3\.1 \| Ours \| Ours \/ Debezium \|/)
  assert.match(md, /\| h\. Postgres CDC [^|]*\| snapshot: rows\/s \(1,000 rows\) \| 25,000 \(20,000–30,000\) \| 40,000 \(30,000–50,000\) \| 1\.60× \|/)
  assert.match(md, /\|  \| streaming: changes\/s \(200 changes\) \| 15,000 \(10,000–20,000\) \| 30,000 \(20,000–40,000\) \| 2\.00× \|/)
  assert.match(md, /\|  \| peak RSS, MB \| 1000 \(1000–1000\) \| 200 \(200–200\) \| 0\.20× \|/)
  assert.match(md, /\|  \| start to RUNNING, s \| 8\.00 \(8\.00–8\.00\) \| 0\.50 \(0\.50–0\.50\) \| 0\.06× \|/)
  assert.match(md, /3 of 4 runs left exactly 1,200 records/)
  assert.match(md, /h ours round 2: the topic holds 1201 records, not 1200/)
  assert.match(md, /FAILED: h ours round 3: boom/)
  assert.ok(!md.includes('unrelated-failure') && !md.includes('a ours round 1'), 'only h is listed')
  // Not a "| Scenario | Metric |" table: bench/results.svg draws a–g only.
  assert.ok(!md.includes('| Scenario |'))
})

test('the section stays last: replaced by a run of h, kept by runs of the other scenarios', () => {
  const file = join(dir, 'RESULTS.md')
  const avro = '<!-- bench:avro:start -->\navro\n<!-- bench:avro:end -->'
  const cdc1 = '<!-- bench:cdc:start -->\nfirst\n<!-- bench:cdc:end -->'
  const cdc2 = '<!-- bench:cdc:start -->\nsecond\n<!-- bench:cdc:end -->'
  writeFileSync(file, '# Benchmark\n\nmain table\n')
  assert.equal(readCdcSection(file), null)
  // bench/run.mjs: read the old section, let writeResults write the rest, then put back the new or the old one.
  const write = (main: string | null, avroSection: string | null, cdc: string | null): void => {
    const previous = readCdcSection(file)
    writeResults(file, main, avroSection)
    writeCdcSection(file, cdc ?? previous)
  }
  write(null, null, cdc1)
  assert.equal(readFileSync(file, 'utf8'), `# Benchmark\n\nmain table\n\n${cdc1}\n`)
  write(null, avro, null)
  assert.equal(readFileSync(file, 'utf8'), `# Benchmark\n\nmain table\n\n${avro}\n\n${cdc1}\n`)
  write('# Benchmark\n\nnew main\n', null, null)
  assert.equal(readFileSync(file, 'utf8'), `# Benchmark\n\nnew main\n\n${avro}\n\n${cdc1}\n`)
  write(null, null, cdc2)
  assert.equal(readFileSync(file, 'utf8'), `# Benchmark\n\nnew main\n\n${avro}\n\n${cdc2}\n`)
  assert.equal(readCdcSection(file), cdc2)
})
