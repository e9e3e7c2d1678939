/**
 * What the Kafka clients log while the broker is away, through the real CLI with a source and a sink on a broker of
 * the test's own behind a TCP proxy. librdkafka reports the same refused connection again and again with varying text
 * ("after 0ms in state CONNECT", counts of brokers down), which used to give about 9 warnings a second without the
 * connector's name. An outage must give the first occurrence of each problem at once, then at most a periodic summary,
 * and one line when the connection is back; every line names the connector and task.
 */
import assert from 'node:assert/strict'
import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { spawnCli } from '../helpers/cli.ts'
import { startBrokerBehindProxy } from '../helpers/outage-proxy.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { workerProperties } from '../helpers/worker-file.ts'
import { removeDir } from '../helpers/remove-dir.ts'

const OUTAGE_MS = 10000

/** The WARN and ERROR lines of a log (a line with a stack trace counts once: continuation lines have no level). */
function problemLines (log: string): string[] {
  return log.split('\n').filter(l => /^\[[^\]]+\] (WARN|ERROR) /.test(l))
}

test('a broker outage logs each problem once with the task context, a bounded summary, and the recovery', { timeout: 180000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'outage-logging-'))
  t.after(async () => { await removeDir(dir) })
  const { routed, bootstrap } = await startBrokerBehindProxy(t)

  const input = join(dir, 'in.txt')
  const out = join(dir, 'out.txt')
  await writeFile(input, 'before\n')
  await writeFile(join(dir, 'worker.properties'), workerProperties(dir, bootstrap))
  await writeFile(join(dir, 'source.properties'), `name=log-source\nconnector.class=FileStreamSource\nfile=${input}\ntopic=outage-logs\n`)
  await writeFile(join(dir, 'sink.properties'), `name=log-sink\nconnector.class=FileStreamSink\nfile=${out}\ntopics=outage-logs\n`)
  const cli = spawnCli([join(dir, 'worker.properties'), join(dir, 'source.properties'), join(dir, 'sink.properties')])
  t.after(() => cli.kill('SIGKILL'))
  const delivered = async (line: string): Promise<boolean> => (await readFile(out, 'utf8').catch(() => '')).split('\n').includes(line)
  await waitFor(() => delivered('before'), { timeoutMs: 90000, what: `'before' in the sink's file; output:\n${cli.stderr.slice(-3000)}` })

  const start = cli.stderr.length
  await routed.down()
  const cutAt = Date.now()
  // Measured wall-clock time, not a sleep used as synchronisation: the CLI keeps retrying meanwhile.
  const outageEnds = Date.now() + OUTAGE_MS
  await waitFor(() => Date.now() >= outageEnds, { timeoutMs: OUTAGE_MS + 5000, intervalMs: 200, what: 'the end of the outage' })
  const during = cli.stderr.slice(start)
  const end = cli.stderr.length
  const problems = problemLines(during)
  t.diagnostic(`${problems.length} WARN/ERROR lines in ${OUTAGE_MS / 1000} s of outage (${(problems.length / (OUTAGE_MS / 1000)).toFixed(1)} a second)`)
  const perSecond = new Map<string, number>()
  for (const l of problems) { const sec = l.slice(12, 20); perSecond.set(sec, (perSecond.get(sec) ?? 0) + 1) }
  t.diagnostic(`per second: ${[...perSecond].map(([s, n]) => `${s} ${n}`).join(', ')}`)
  for (const l of problems.slice(0, 12)) t.diagnostic(l)
  // Two clients (the source's producer, the sink's consumer), each with a first line for the outage and one for
  // librdkafka's reason, at the start, whatever the outage's length: nothing more during its second half. The
  // summaries come every 30 s, after this outage.
  assert.ok(problems.length >= 2, `the outage was not reported by both clients:\n${during}`)
  assert.ok(problems.length <= 6, `${problems.length} warnings in ${OUTAGE_MS / 1000} s of outage:\n${problems.join('\n')}`)
  const at = (line: string): number => Date.parse(line.slice(1, 24).replace(' ', 'T') + 'Z')
  const late = problems.filter(l => at(l) >= cutAt + OUTAGE_MS / 2)
  assert.ok(late.length <= 1, `${late.length} warnings in the second half of the outage:\n${late.join('\n')}`)
  for (const l of problems) assert.match(l, /\[log-(source|sink)\|task-0\]/, `a line without the connector and task: ${l}`)
  assert.ok(problems.some(l => l.includes(`127.0.0.1:${routed.port}`)), `no line names the broker's address:\n${problems.join('\n')}`)

  await routed.up()
  await appendFile(input, 'after\n')
  await waitFor(() => delivered('after'), { timeoutMs: 60000, what: `'after' in the sink's file; output:\n${cli.stderr.slice(-3000)}` })
  // Both tasks' clients say once that Kafka answers again.
  await waitFor(() => /\[log-source\|task-0\].*[Cc]onnection to Kafka .*restored/.test(cli.stderr.slice(end)) &&
    /\[log-sink\|task-0\].*[Cc]onnection to Kafka .*restored/.test(cli.stderr.slice(end)),
  { timeoutMs: 30000, what: `a recovery line from each task; after the outage:\n${cli.stderr.slice(end)}` })

  const restored = cli.stderr.slice(end).split('\n').filter(l => /restored/.test(l))
  assert.equal(restored.length, 2, `one recovery line per client:\n${restored.join('\n')}`)
  t.diagnostic(`after the outage:\n${cli.stderr.slice(end).split('\n').filter(l => /WARN|ERROR|restored/.test(l)).slice(0, 12).join('\n')}`)
})
