/**
 * Crash safety end to end on the real broker. SIGKILL at several points while lines are still being appended loses
 * no line: the sink file only ever rewinds (re-delivery after the last flush), it never skips. SIGTERM flushes source
 * offsets and commits sink offsets, so a restart delivers nothing twice.
 */
import assert from 'node:assert/strict'
import { appendFile, writeFile } from 'node:fs/promises'
import { test } from 'node:test'
import { createTopic, kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'
import { spawnCli, type CliProcess } from '../helpers/cli.ts'
import { pipelineFiles, readLines } from '../helpers/pipeline.ts'
import { waitFor } from '../helpers/wait-for.ts'

const line = (i: number): string => `${String(i).padStart(6, '0')} crash-test ünïcödé 日本 🚀`

async function startCli (args: string[]): Promise<CliProcess> {
  const cli = spawnCli(args)
  await cli.waitForOutput(/Kafka Connect started/)
  return cli
}

/**
 * Output must be ascending runs of the input where each run restarts at or before where the last one stopped: a
 * forward jump is a lost line; a backward jump (a rewind) is re-delivery after a crash.
 */
function checkNoLossOnlyRewinds (out: string[], total: number): { duplicates: number, rewinds: number } {
  let next = 0
  let duplicates = 0
  let rewinds = 0
  let previous = -1
  for (let k = 0; k < out.length; k++) {
    const n = Number(out[k]!.slice(0, 6))
    assert.equal(out[k], line(n), `output line ${k} is not an input line: ${out[k]}`)
    if (n > next) assert.fail(`lines ${next}..${n - 1} were lost before output line ${k}`)
    if (n !== previous + 1) rewinds++
    if (n < next) duplicates++
    else next = n + 1
    previous = n
  }
  assert.equal(next, total, `only ${next} of ${total} distinct lines arrived`)
  return { duplicates, rewinds }
}

test('SIGKILL at several points loses no line; only records after the last flush repeat', { timeout: 300000 }, async (t) => {
  const topic = uniqueTopic('crash')
  await createTopic(topic, 1)
  // A killed consumer stays in its group until its session times out; the broker's minimum keeps restarts quick.
  const files = await pipelineFiles(t, { bootstrap: kafkaBootstrap(), topic, flushMs: 200, extraWorker: 'consumer.session.timeout.ms=6000\nconsumer.heartbeat.interval.ms=1000' })
  const total = 30000
  let written = 0
  const appendBatch = async (n: number): Promise<void> => {
    const end = Math.min(total, written + n)
    let chunk = ''
    for (; written < end; written++) chunk += line(written) + '\n'
    if (chunk) await appendFile(files.input, chunk)
  }
  await writeFile(files.input, '')
  await appendBatch(2000)
  const procs: CliProcess[] = []
  t.after(() => { for (const p of procs) p.kill('SIGKILL') })

  // Kill three times, each while the source is still reading appended lines and the sink is still writing.
  for (const killAt of [3000, 9000, 17000]) {
    const cli = await startCli([files.worker, files.source, files.sink])
    procs.push(cli)
    await waitFor(async () => {
      await appendBatch(500)
      return (await readLines(files.output)).length >= killAt
    }, { timeoutMs: 120000, intervalMs: 20, what: `${killAt} lines in the sink` })
    cli.kill('SIGKILL')
    const exit = await cli.exited
    assert.equal(exit.signal, 'SIGKILL')
  }

  const cli = await startCli([files.worker, files.source, files.sink])
  procs.push(cli)
  let distinct = 0
  try {
    await waitFor(async () => {
      await appendBatch(2000)
      distinct = new Set(await readLines(files.output)).size
      return written === total && distinct === total
    }, { timeoutMs: 120000, what: 'every line in the sink after the restarts' })
  } catch (err) {
    assert.fail(`${(err as Error).message}: ${distinct} of ${total} distinct lines; worker log:\n${cli.stderr.slice(-4000)}`)
  }
  cli.kill('SIGTERM')
  assert.equal((await cli.exited).code, 143)

  const out = await readLines(files.output)
  const { duplicates, rewinds } = checkNoLossOnlyRewinds(out, total)
  // Duplicates come only from restarting after the last flush. Each kill adds at most one rewind to the topic (the
  // source re-reads from its flushed position) and one to the output (the sink re-consumes from its committed
  // offset); a sink rewind can reach back over the topic's earlier rewinds and so repeat them: after kill j the sink
  // re-reads at most the j rewinds the topic has by then. For k kills: k + (1 + ... + k) rewinds at most.
  const kills = 3
  const bound = kills + kills * (kills + 1) / 2
  assert.ok(rewinds <= bound, `expected at most ${bound} rewinds for ${kills} kills, found ${rewinds} (${duplicates} duplicate lines)`)
})

test('SIGTERM leaves flushed offsets and committed sink offsets: a restart duplicates nothing', { timeout: 300000 }, async (t) => {
  const topic = uniqueTopic('sigterm')
  await createTopic(topic, 1)
  // A long flush interval proves the offsets come from the shutdown flush, not from a periodic one.
  const files = await pipelineFiles(t, { bootstrap: kafkaBootstrap(), topic, flushMs: 600000 })
  const first = Array.from({ length: 20000 }, (_, i) => line(i))
  await writeFile(files.input, first.join('\n') + '\n')

  const cli1 = await startCli([files.worker, files.source, files.sink])
  t.after(() => cli1.kill('SIGKILL'))
  await waitFor(async () => (await readLines(files.output)).length >= first.length, { timeoutMs: 120000, what: 'first batch in the sink' })
  cli1.kill('SIGTERM')
  assert.equal((await cli1.exited).code, 143, cli1.stderr.slice(-2000))

  const more = Array.from({ length: 5000 }, (_, i) => line(first.length + i))
  await appendFile(files.input, more.join('\n') + '\n')
  const cli2 = await startCli([files.worker, files.source, files.sink])
  t.after(() => cli2.kill('SIGKILL'))
  const expected = [...first, ...more]
  const out = await waitFor(async () => { const l = await readLines(files.output); return l.length >= expected.length ? l : null },
    { timeoutMs: 120000, what: 'second batch in the sink' })
  cli2.kill('SIGTERM')
  assert.equal((await cli2.exited).code, 143)
  const final = await readLines(files.output)
  assert.equal(final.length, expected.length, `expected no duplicates, got ${final.length - expected.length} extra lines`)
  assert.deepEqual(out.slice(0, expected.length), expected)
})
