/**
 * A sink's consumer group rebalanced on the real broker: two runners (their own offsets files and REST ports) run the
 * same sink connector name, hence the same group `connect-<name>`, on a 2-partition topic. When the second joins,
 * each gets one partition (the first one's revoke path commits what it wrote and lets go); when the second is
 * SIGKILLed, the first takes both partitions back once the group's session timeout (consumer.session.timeout.ms in the
 * worker) expires. Across both moves nothing is lost: every record is in the union of the two sink files.
 */
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { createTopic, kafkaBootstrap, produceMessages, uniqueTopic } from '../harness/kafka.ts'
import { spawnCli, type CliProcess } from '../helpers/cli.ts'
import { readLines } from '../helpers/pipeline.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { removeDir } from '../helpers/remove-dir.ts'

const SESSION_TIMEOUT_MS = 6000 // the broker's group.min.session.timeout.ms

interface Runner { cli: CliProcess, output: string }

async function startRunner (t: TestContext, dir: string, id: string, name: string, topic: string): Promise<Runner> {
  const worker = join(dir, `worker-${id}.properties`)
  const sink = join(dir, `sink-${id}.properties`)
  const output = join(dir, `out-${id}.txt`)
  await writeFile(worker, [
    `bootstrap.servers=${kafkaBootstrap()}`,
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.storage.StringConverter',
    `offset.storage.file.filename=${join(dir, `connect-${id}.offsets`)}`,
    'offset.flush.interval.ms=500',
    'listeners=http://127.0.0.1:0',
    `consumer.session.timeout.ms=${SESSION_TIMEOUT_MS}`,
    'consumer.heartbeat.interval.ms=1000'
  ].join('\n') + '\n')
  await writeFile(sink, [`name=${name}`, 'connector.class=FileStreamSink', `topics=${topic}`, `file=${output}`].join('\n') + '\n')
  const cli = spawnCli([worker, sink])
  t.after(() => cli.kill('SIGKILL'))
  await cli.waitForOutput(/Sink task finished initialization and start/)
  return { cli, output }
}

const partitionOf = (line: string): number => Number(/-p(\d)-/.exec(line)![1])

test('two runners sharing a sink\'s group: both get a partition, the survivor of a SIGKILL takes over after the session timeout, nothing is lost', { timeout: 240000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sink-rebalance-'))
  t.after(async () => { await removeDir(dir) })
  const topic = uniqueTopic('rebalance')
  const name = uniqueTopic('shared-sink')
  await createTopic(topic, 2)
  const produced: string[] = []
  let round = 0
  /** 20 records on each partition, values `r<round>-p<partition>-<i>`; returns them. */
  const produceRound = async (): Promise<string[]> => {
    round++
    const values = [0, 1].flatMap(p => Array.from({ length: 20 }, (_, i) => ({ value: `r${round}-p${p}-${i}`, partition: p })))
    await produceMessages(topic, values)
    produced.push(...values.map(v => v.value))
    return values.map(v => v.value)
  }
  const union = async (...runners: Runner[]): Promise<Set<string>> => new Set((await Promise.all(runners.map(async r => await readLines(r.output)))).flat())

  const a = await startRunner(t, dir, 'a', name, topic)
  const first = await produceRound()
  await waitFor(async () => { const got = await union(a); return first.every(v => got.has(v)) }, { timeoutMs: 60000, what: 'runner a to write round 1' })

  // b joins: produce rounds until b writes some; then in one round each runner writes exactly one partition.
  const b = await startRunner(t, dir, 'b', name, topic)
  let split: { a: Set<number>, b: Set<number> } | null = null
  for (let i = 0; i < 30 && split === null; i++) {
    const [linesA, linesB] = [(await readLines(a.output)).length, (await readLines(b.output)).length]
    const values = await produceRound()
    await waitFor(async () => { const got = await union(a, b); return values.every(v => got.has(v)) }, { timeoutMs: 60000, what: `round ${round} in the union of the sink files` })
    const newA = (await readLines(a.output)).slice(linesA).filter(l => values.includes(l))
    const newB = (await readLines(b.output)).slice(linesB).filter(l => values.includes(l))
    const pa = new Set(newA.map(partitionOf))
    const pb = new Set(newB.map(partitionOf))
    if (pa.size === 1 && pb.size === 1 && [...pa][0] !== [...pb][0]) split = { a: pa, b: pb }
  }
  assert.ok(split, 'after b joined, a round was written half by a and half by b, one partition each')

  // b dies without leaving the group: its partition is nobody's until the session timeout, then a's.
  b.cli.kill('SIGKILL')
  await b.cli.exited
  const killedAt = Date.now()
  const after = await produceRound()
  await waitFor(async () => { const got = new Set(await readLines(a.output)); return after.every(v => got.has(v)) }, { timeoutMs: 90000, what: 'runner a to write both partitions of the round after b died' })
  const takeoverMs = Date.now() - killedAt
  t.diagnostic(`runner a wrote b's partition ${takeoverMs} ms after b was killed (session timeout ${SESSION_TIMEOUT_MS} ms)`)
  // The worker's consumer.session.timeout.ms decides when: librdkafka's own default (45 s) would be far later.
  assert.ok(takeoverMs < SESSION_TIMEOUT_MS + 20000, `the takeover took ${takeoverMs} ms with a session timeout of ${SESSION_TIMEOUT_MS} ms`)

  const all = [...(await readLines(a.output)), ...(await readLines(b.output))]
  const got = new Set(all)
  const lost = produced.filter(v => !got.has(v))
  assert.deepEqual(lost, [], 'every record produced is in a sink file')
  t.diagnostic(`${produced.length} records produced, ${all.length - got.size} written twice`)
  assert.equal((await a.cli.child.exitCode), null, 'runner a still runs')
  a.cli.kill('SIGTERM')
  await a.cli.exited
})
