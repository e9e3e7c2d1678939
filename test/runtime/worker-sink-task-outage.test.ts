/**
 * A broker outage longer than the consumer's session timeout must not freeze the worker. When the group drops the
 * member, librdkafka revokes its partitions (assignment lost); the revoke handler runs on the only JavaScript thread,
 * so a synchronous commit there blocked REST, logging and every other connector for 20 to 46 s. Measured from outside:
 * the REST API is asked every 100 ms throughout the outage and must always answer.
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

test('an outage longer than the session timeout does not freeze the worker: REST answers throughout, output resumes', { timeout: 180000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sink-outage-'))
  t.after(async () => { await removeDir(dir) })
  const { routed, bootstrap } = await startBrokerBehindProxy(t)

  const out = join(dir, 'out.txt')
  await writeFile(join(dir, 'worker.properties'), workerProperties(dir, bootstrap, [
    // The broker's smallest session timeout, so that the outage below outlasts it.
    'consumer.session.timeout.ms=6000',
    'consumer.heartbeat.interval.ms=1000'
  ]))
  await writeFile(join(dir, 'sink.properties'), ['name=outage-sink', 'connector.class=FileStreamSink', 'topics=outage', `file=${out}`].join('\n') + '\n')
  await produceValues(bootstrap, 'outage', ['before'])
  const cli = spawnCli([join(dir, 'worker.properties'), join(dir, 'sink.properties')])
  t.after(() => cli.kill('SIGKILL'))
  const lines = async (): Promise<string[]> => (await readFile(out, 'utf8').catch(() => '')).split('\n')
  await waitFor(async () => (await lines()).includes('before'), { timeoutMs: 60000, what: `'before' in the sink's file; output:\n${cli.stderr.slice(-2000)}` })
  const base = /REST server listening at (http:\/\/[^/\s]+)\//.exec(cli.stderr)![1]!

  await routed.down()
  // Twice the session timeout: the group drops the member, and librdkafka revokes its partitions as lost. The REST
  // API is asked every 100 ms meanwhile; the slowest answer is what a liveness probe would see.
  const outageEnds = Date.now() + 14000
  let slowest = 0
  let failures = 0
  while (Date.now() < outageEnds) {
    const sent = Date.now()
    try {
      const res = await fetch(`${base}/`, { signal: AbortSignal.timeout(10000) })
      await res.arrayBuffer()
      if (!res.ok) failures++
    } catch { failures++ }
    slowest = Math.max(slowest, Date.now() - sent)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  t.diagnostic(`slowest REST answer during the outage: ${slowest} ms`)
  await routed.up()
  assert.equal(failures, 0, 'every REST request during the outage was answered')
  // Not a speed target: the freeze this guards against lasted 20 s and more; an answer within 3 s leaves room for a
  // loaded machine.
  assert.ok(slowest < 3000, `the worker froze: a REST request during the outage took ${slowest} ms`)
  await produceValues(bootstrap, 'outage', ['after'])
  await waitFor(async () => (await lines()).includes('after'), { timeoutMs: 90000, what: `'after' in the sink's file; output:\n${cli.stderr.slice(-3000)}` })
})
