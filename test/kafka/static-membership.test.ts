/**
 * Static membership (KIP-345) on the real broker, through the real CLI: a sink with consumer.group.instance.id that
 * is restarted with other `topics` must consume the topics it has now. A static member that rejoins a stable group
 * gets back the assignment its previous run had, without a rebalance, so the restarted sink held the old topics'
 * partitions and consumed nothing, silently. Java's consumer sees an assignment that does not match its subscription
 * and rejoins; so must we, and say so.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createTopic, kafkaBootstrap, produceMessages, uniqueTopic } from '../harness/kafka.ts'
import { spawnCli } from '../helpers/cli.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { workerProperties } from '../helpers/worker-file.ts'
import { removeDir } from '../helpers/remove-dir.ts'

test('a static member restarted with other topics rejoins and consumes them', { timeout: 180000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'static-member-'))
  t.after(async () => { await removeDir(dir) })
  const first = uniqueTopic('static-a')
  const second = uniqueTopic('static-b')
  await createTopic(first)
  await createTopic(second)
  const out = join(dir, 'out.txt')
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, workerProperties(dir, kafkaBootstrap(), [
    // The group keeps a static member this long after its process went away: the restart below comes well within it,
    // so the broker hands the restarted member its old assignment.
    'consumer.session.timeout.ms=60000',
    `consumer.group.instance.id=${uniqueTopic('instance')}`
  ]))
  const name = uniqueTopic('static-sink')
  const sink = async (topic: string): Promise<string> => {
    const file = join(dir, `sink-${topic}.properties`)
    await writeFile(file, [`name=${name}`, 'connector.class=FileStreamSink', `topics=${topic}`, `file=${out}`].join('\n') + '\n')
    return file
  }
  const lines = async (): Promise<string[]> => (await readFile(out, 'utf8').catch(() => '')).split('\n')

  await produceMessages(first, [{ value: 'from-first' }])
  const one = spawnCli([worker, await sink(first)])
  t.after(() => one.kill('SIGKILL'))
  await waitFor(async () => (await lines()).includes('from-first'), { timeoutMs: 60000, what: `'from-first' in the sink's file; output:\n${one.stderr.slice(-2000)}` })
  one.kill('SIGTERM')
  await one.exited

  await produceMessages(second, [{ value: 'from-second' }])
  const two = spawnCli([worker, await sink(second)])
  t.after(() => two.kill('SIGKILL'))
  // Well before the 60 s session timeout: the old member cannot have expired, so only a rejoin brings the record.
  await waitFor(async () => (await lines()).includes('from-second'), { timeoutMs: 30000, what: `'from-second' in the sink's file; output:\n${(two.stdout + two.stderr).slice(-3000)}` })
  const said = (two.stdout + two.stderr).split('\n').find(l => l.includes('rejoining the group with the current subscription'))
  t.diagnostic(said ?? '(no rejoin line)')
  assert.ok(said?.includes(first), 'the rejoin is logged, naming the old topic')
})
