/**
 * The AvroConverter part of bench/RESULTS.md: its table and checks from run results, and the merge that lets a run of
 * f,g alone, or of a–e alone, replace only its own part of the file.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { buildAvroSection, splitAvroSection, writeResults, type AvroRunResult, type AvroSectionInput } from '../../bench/lib/avro-report.mjs'

const dir = mkdtempSync(join(tmpdir(), 'bench-avro-report-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function run (scenario: string, runner: string, round: number, recordsPerS: number, extra: Record<string, unknown> = {}): AvroRunResult {
  return {
    scenario, runner, round, recordsPerS, mbPerS: recordsPerS / 10000, peakRssMb: runner === 'ours' ? 200 : 1200, cpuS: 5,
    transferCpuS: 4, readyS: 1, wallS: 9, load1: 2.5, ...extra
  }
}

function input (results: AvroRunResult[]): AvroSectionInput {
  return {
    results, failures: [], scenarios: ['f', 'g'], runs: 3, records: 300000, connectVersion: '4.3.1',
    setup: { registryExternal: false, registryS: 4.2, pluginS: 0 },
    inputs: { avroTopic: { topic: 't', bytes: 300000 * 124, schemaId: 1 } },
    loadBefore: 1, loadAfter: 2, prepS: 10, totalS: 240, summarizeRun: r => `${r.scenario} ${r.runner} round ${r.round}`
  }
}

test('the section holds medians, the ratio to the peer and the checks, between its markers', () => {
  const f = (runner: string, round: number, rate: number, sha: string): AvroRunResult =>
    run('f', runner, round, rate, { payloadSha256: sha, schemaIds: [2], unframed: 0 })
  const results = [
    f('apache', 1, 20000, 'x'), f('ours', 1, 40000, 'x'), f('apache', 2, 30000, 'x'), f('ours', 2, 60000, 'x'),
    run('g', 'apache', 1, 50000, { outputSha256: 'a' }), run('g', 'ours', 1, 75000, { outputSha256: 'b' }),
    run('a', 'ours', 1, 1)
  ]
  const md = buildAvroSection(input(results))
  assert.match(md, /^<!-- bench:avro:start -->/)
  assert.match(md, /<!-- bench:avro:end -->$/)
  assert.match(md, /\| f\. file → topic \(HoistField \+ AvroConverter\) \| records\/s \| 25,000 \(20,000–30,000\) \| 50,000 \(40,000–60,000\) \| 2\.00× \|/)
  assert.match(md, /\| g\. topic → file \(AvroConverter, 4-field struct\) \| records\/s \| 50,000 \| 75,000 \| 1\.50× \|/)
  assert.match(md, /f: the Avro payloads .* of all 4 Apache and our runs are byte-identical; schema ids in the headers: Apache 2, ours 2\./)
  assert.match(md, /g: the sink files of all 2 Apache and our runs are \*\*not identical\*\*/)
  assert.ok(!md.includes('a ours round 1'), 'only f and g are listed')
})

test('a run of f,g replaces only its section; a run of a–e keeps it', () => {
  const file = join(dir, 'RESULTS.md')
  writeFileSync(file, '# Benchmark\n\nmain table\n')
  const first = '<!-- bench:avro:start -->\nfirst\n<!-- bench:avro:end -->'
  writeResults(file, null, first)
  assert.equal(readFileSync(file, 'utf8'), `# Benchmark\n\nmain table\n\n${first}\n`)

  const second = '<!-- bench:avro:start -->\nsecond\n<!-- bench:avro:end -->'
  writeResults(file, null, second)
  assert.equal(readFileSync(file, 'utf8'), `# Benchmark\n\nmain table\n\n${second}\n`)

  writeResults(file, '# Benchmark\n\nnew main table\n', null)
  assert.equal(readFileSync(file, 'utf8'), `# Benchmark\n\nnew main table\n\n${second}\n`)
  assert.deepEqual(splitAvroSection(readFileSync(file, 'utf8')), { main: '# Benchmark\n\nnew main table\n\n\n', avro: second })
})

test('a file without the section splits into itself and null', () => {
  assert.deepEqual(splitAvroSection('# only main\n'), { main: '# only main\n', avro: null })
})
