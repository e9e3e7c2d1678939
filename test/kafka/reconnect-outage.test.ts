/**
 * Recovery after a broker outage, through the real CLI on a broker of its own. The broker advertises a TCP proxy in
 * front of it, so the outage is what clients see when a broker goes away: open connections drop and new ones are
 * refused, then the same address answers again. 15 s is long enough for librdkafka's own reconnect backoff to reach
 * its 10 s cap, after which output resumed 3 to 7 s after the broker's return; with Java's 1 s it must be within 2 s.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { spawnCli } from '../helpers/cli.ts'
import { produceValues, startBrokerBehindProxy } from '../helpers/outage-proxy.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { workerProperties } from '../helpers/worker-file.ts'
import { removeDir } from '../helpers/remove-dir.ts'

test('a sink resumes within 2 s of the broker coming back after a 15 s outage', { timeout: 180000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'reconnect-'))
  t.after(async () => { await removeDir(dir) })
  const { routed, bootstrap } = await startBrokerBehindProxy(t)

  const out = join(dir, 'out.txt')
  await writeFile(join(dir, 'worker.properties'), workerProperties(dir, bootstrap))
  await writeFile(join(dir, 'sink.properties'), [
    'name=outage-sink', 'connector.class=FileStreamSink', 'topics=outage', `file=${out}`
  ].join('\n') + '\n')
  await produceValues(bootstrap, 'outage', ['before'])
  const cli = spawnCli([join(dir, 'worker.properties'), join(dir, 'sink.properties')])
  t.after(() => cli.kill('SIGKILL'))
  const contains = async (line: string): Promise<boolean> => (await readFile(out, 'utf8').catch(() => '')).split('\n').includes(line)
  await waitFor(() => contains('before'), { timeoutMs: 60000, what: `'before' in the sink's file; output:\n${cli.stderr.slice(-2000)}` })

  await routed.down()
  // The outage lasts 15 s of wall-clock time, measured rather than slept: the CLI keeps retrying meanwhile.
  const outageEnds = Date.now() + 15000
  await waitFor(() => Date.now() >= outageEnds, { timeoutMs: 20000, intervalMs: 200, what: 'the end of the outage' })
  await routed.up()
  const back = Date.now()
  await produceValues(bootstrap, 'outage', ['after'])
  await waitFor(() => contains('after'), { timeoutMs: 30000, intervalMs: 20, what: `'after' in the sink's file` })
  const resumedMs = Date.now() - back
  t.diagnostic(`output resumed ${resumedMs} ms after the broker came back`)
  assert.ok(resumedMs <= 2000, `output resumed only ${resumedMs} ms after the broker came back`)
})
