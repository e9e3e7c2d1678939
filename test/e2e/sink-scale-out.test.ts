/**
 * A sink scaled out across runners on the real broker (issue 16): three connect-standalone processes, each with its
 * own REST port, offsets file and sink file, run the same FileStreamSink connector name, hence one consumer group
 * `connect-<name>`, over a 12-partition topic that a producer keeps filling. Two start, a third joins later (it gets
 * partitions; the others keep theirs: cooperative-sticky), then one is SIGKILLed mid-stream; the survivors take its
 * partitions once its session times out. Then one survivor stops gracefully: it leaves the group, the last runner
 * takes its partitions at once and writes none of its records again. Every record reaches the union of the sink
 * files, and every duplicate is accounted for:
 * - after the kill: exactly the killed runner's records past the group's committed offsets (read right after the
 *   kill, before anyone took over), on its partitions only, and no more than it wrote in its last two commit
 *   intervals plus one poll batch;
 * - after a join: only on partitions that moved, each the previous owner's tail written after its last commit,
 *   spanning no more than one commit interval (plus slack for the sampling).
 */
import assert from 'node:assert/strict'
import { statSync } from 'node:fs'
import { mkdtemp, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import Kafka from 'node-rdkafka'
import { createTopic, kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'
import { spawnCli, type CliProcess } from '../helpers/cli.ts'
import { readLines } from '../helpers/pipeline.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { waitFor } from '../helpers/wait-for.ts'

const PARTITIONS = 12
const FLUSH_MS = 1000 // offset.flush.interval.ms: how often each runner commits what it wrote
const SESSION_MS = 6000 // the broker's group.min.session.timeout.ms: how long a killed member holds its partitions
const HEARTBEAT_MS = 1000
// consumer.max.poll.records: one batch. Smaller than the default 500, which a runner given 4 partitions of 1,000
// records/s would fill only every 1.5 s, committing right after each: the kill would find nothing uncommitted.
const MAX_POLL = 100
const RATE = 1000 // records/s produced
const MIN_RECORDS = 30000
const LINE = 11 // 'p03-000123\n': fixed width, so a file's size says how many lines it has

const value = (p: number, o: number): string => `p${String(p).padStart(2, '0')}-${String(o).padStart(6, '0')}`
const parse = (v: string): { p: number, o: number } => ({ p: Number(v.slice(1, 3)), o: Number(v.slice(4)) })

interface Runner { id: string, cli: CliProcess, output: string, base: string, timeline: Array<[number, number]> }

async function startRunner (t: TestContext, dir: string, id: string, name: string, topic: string): Promise<Runner> {
  const worker = join(dir, `worker-${id}.properties`)
  const sink = join(dir, `sink-${id}.properties`)
  const output = join(dir, `out-${id}.txt`)
  await writeFile(worker, [
    `bootstrap.servers=${kafkaBootstrap()}`,
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.storage.StringConverter',
    `offset.storage.file.filename=${join(dir, `connect-${id}.offsets`)}`,
    `offset.flush.interval.ms=${FLUSH_MS}`,
    'listeners=http://127.0.0.1:0',
    `consumer.session.timeout.ms=${SESSION_MS}`,
    `consumer.heartbeat.interval.ms=${HEARTBEAT_MS}`,
    `consumer.max.poll.records=${MAX_POLL}`,
    // A member joining or leaving moves only the partitions that change owner; the eager default revokes them all.
    'consumer.partition.assignment.strategy=org.apache.kafka.clients.consumer.CooperativeStickyAssignor'
  ].join('\n') + '\n')
  await writeFile(sink, [`name=${name}`, 'connector.class=FileStreamSink', `topics=${topic}`, `file=${output}`].join('\n') + '\n')
  const cli = spawnCli([worker, sink])
  t.after(() => cli.kill('SIGKILL'))
  // SCALE_OUT_LOG_DIR=/tmp/x keeps each runner's output, for reading a failure.
  const logDir = process.env.SCALE_OUT_LOG_DIR
  if (logDir) t.after(async () => { await writeFile(join(logDir, `runner-${id}.log`), cli.stdout + cli.stderr) })
  await cli.waitForOutput(/Kafka Connect started/, 90000)
  const m = /REST server listening at (http:\/\/[^/\s]+)\//.exec(cli.stderr)
  assert.ok(m, `runner ${id} printed no REST address`)
  return { id, cli, output, base: m[1]!, timeline: [] }
}

/** The sink task's partition_count and offset_commit_completion_total from the runner's GET /metrics. */
async function taskMetrics (r: Runner): Promise<{ partitions: number, commits: number }> {
  const text = await (await fetch(`${r.base}/metrics`)).text()
  const metric = (name: string): number => Number(new RegExp(`^kafka_connect_sink_task_metrics_${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
  return { partitions: metric('partition_count'), commits: metric('offset_commit_completion_total') }
}

async function lineCount (r: Runner): Promise<number> {
  try { return Math.floor((await stat(r.output)).size / LINE) } catch { return 0 }
}

/** Lines the runner had written at time `at` (its last sample at or before then). */
function linesAt (r: Runner, at: number): number {
  let n = 0
  for (const [time, lines] of r.timeline) { if (time > at) break; n = lines }
  return n
}

/** When the runner's line `index` was first seen written. */
function lineTime (r: Runner, index: number): number {
  return r.timeline.find(([, lines]) => lines > index)?.[0] ?? Infinity
}

/** A producer at RATE records/s, round-robin over the partitions, value = partition and offset. */
async function startProducer (topic: string): Promise<{ produced: () => number, stop: () => Promise<{ misplaced: number }> }> {
  const producer = new Kafka.Producer({ 'bootstrap.servers': kafkaBootstrap(), 'client.id': 'scale-out-producer', dr_cb: true, 'enable.idempotence': true, 'linger.ms': 5 }, { acks: -1 })
  await new Promise<void>((resolve, reject) => producer.connect({ timeout: 30000 }, err => { if (err) reject(err); else resolve() }))
  producer.setPollInterval(20)
  let seq = 0
  let pending = 0
  let misplaced = 0
  let failed: Error | null = null
  producer.on('delivery-report', (err, report) => {
    pending--
    if (err) failed ??= new Error(`delivery failed: ${err.message}`)
    // The value names the offset it should land at: the idempotent producer keeps each partition's order.
    else if (value(report.partition, Number(report.offset)) !== String(report.opaque)) misplaced++
  })
  const started = Date.now()
  const timer = setInterval(() => {
    const target = Math.floor((Date.now() - started) * RATE / 1000)
    for (; seq < target; seq++) {
      const p = seq % PARTITIONS
      const v = value(p, Math.floor(seq / PARTITIONS))
      producer.produce(topic, p, Buffer.from(v), Buffer.from(`k${seq}`), null, v)
      pending++
    }
  }, 50)
  let stopped = false
  return {
    produced: () => seq,
    stop: async () => {
      clearInterval(timer)
      if (stopped) return { misplaced }
      stopped = true
      await waitFor(() => pending === 0 || failed, { timeoutMs: 30000, what: 'the producer\'s delivery reports' })
      await new Promise<void>(resolve => producer.disconnect(() => resolve()))
      if (failed) throw failed
      return { misplaced }
    }
  }
}

/** A reader of the group's committed offsets (next offset to read per partition; -1001 where none) that never joins it. */
async function offsetsReader (group: string, topic: string): Promise<{ read: () => Promise<number[]>, close: () => Promise<void> }> {
  const consumer = new Kafka.KafkaConsumer({ 'bootstrap.servers': kafkaBootstrap(), 'group.id': group, 'enable.auto.commit': false }, {})
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 10000 }, err => { if (err) reject(err); else resolve() }))
  const parts = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition }))
  let closed = false
  return {
    read: async () => {
      const offsets = await new Promise<Kafka.TopicPartitionOffset[]>((resolve, reject) =>
        consumer.committed(parts, 5000, (err, tps) => { if (err) reject(err); else resolve(tps) }))
      return parts.map(({ partition }) => offsets.find(o => o.partition === partition)?.offset ?? -1001)
    },
    close: async () => { if (!closed) { closed = true; await new Promise<void>(resolve => consumer.disconnect(() => resolve())) } }
  }
}

async function deleteTopic (topic: string): Promise<void> {
  const admin = Kafka.AdminClient.create({ 'bootstrap.servers': kafkaBootstrap() })
  await new Promise<void>(resolve => admin.deleteTopic(topic, 10000, () => resolve()))
  admin.disconnect()
}

test('three runners share a sink\'s group: a joiner gets partitions, a SIGKILLed one\'s are taken over, nothing is lost, duplicates are its uncommitted tail', { timeout: 240000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sink-scale-out-'))
  t.after(async () => { await removeDir(dir) })
  const topic = uniqueTopic('scale-out')
  const name = uniqueTopic('scale-out-sink')
  await createTopic(topic, PARTITIONS)
  t.after(async () => { await deleteTopic(topic) })
  const runners: Runner[] = []
  // Each runner's line count over time (synchronous: samples stay in time order), to date what it wrote when.
  const sampler = setInterval(() => {
    const now = Date.now()
    for (const r of runners) {
      const n = Math.floor((statSync(r.output, { throwIfNoEntry: false })?.size ?? 0) / LINE)
      if (n > (r.timeline.at(-1)?.[1] ?? -1)) r.timeline.push([now, n])
    }
  }, 50)
  t.after(() => clearInterval(sampler))
  let seen = ''
  /** Each runner's partition count when they all hold some, share all 12 and have written; null until then. */
  const holding = async (rs: Runner[]): Promise<number[] | null> => {
    const counts = (await Promise.all(rs.map(taskMetrics))).map(m => m.partitions)
    const lines = await Promise.all(rs.map(lineCount))
    seen = rs.map((r, i) => `${r.id}: ${counts[i]} partitions, ${lines[i]} lines`).join('; ')
    return counts.every(c => c > 0) && counts.reduce((x, y) => x + y, 0) === PARTITIONS && lines.every(n => n > 0) ? counts : null
  }

  // Two runners split the partitions and write.
  const [a, b] = await Promise.all([startRunner(t, dir, 'a', name, topic), startRunner(t, dir, 'b', name, topic)])
  runners.push(a, b)
  const producer = await startProducer(topic)
  t.after(async () => { await producer.stop().catch(() => {}) })
  const split = await waitFor(async () => await holding([a, b]), { timeoutMs: 60000, intervalMs: 250, get what () { return `runners a and b to share the 12 partitions and write (${seen})` } })
  t.diagnostic(`a and b hold ${split.join(' + ')} partitions`)

  // A third joins: it gets partitions (taken from the two, who keep the rest) and writes them.
  const joinedAt = Date.now()
  const c = await startRunner(t, dir, 'c', name, topic)
  runners.push(c)
  const cStarted = Date.now()
  const three = await waitFor(async () => await holding([a, b, c]), { timeoutMs: 60000, intervalMs: 250, get what () { return `runner c to get partitions and write (${seen})` } })
  t.diagnostic(`c started in ${cStarted - joinedAt} ms, then held partitions and wrote in ${Date.now() - cStarted} ms: a, b, c hold ${three.join(', ')}`)
  // c commits past what it took over before anyone dies, so the kill's accounting below sees only the killed one's tail.
  await waitFor(async () => (await taskMetrics(c)).commits >= 3, { timeoutMs: 30000, intervalMs: 250, what: 'runner c to commit' })
  const steadyFrom = Date.now()

  // b dies without leaving the group: its partitions are nobody's until the session times out.
  const k = b
  const survivors = [a, c]
  const reader = await offsetsReader(`connect-${name}`, topic)
  t.after(async () => { await reader.close() })
  k.cli.kill('SIGKILL')
  const killedAt = Date.now()
  await k.cli.exited
  // b's last commits: the same answer twice in a row (a commit b sent just before dying may land a moment later),
  // read while the survivors still hold only their own partitions (nobody has read, let alone committed, b's yet).
  let committed: number[] = []
  await waitFor(async () => {
    const before = committed
    committed = await reader.read()
    return before.join() === committed.join()
  }, { timeoutMs: 10000, intervalMs: 200, what: 'the group\'s committed offsets to settle after the kill' })
  const heldAfterRead = (await Promise.all(survivors.map(taskMetrics))).reduce((n, m) => n + m.partitions, 0)
  assert.ok(heldAfterRead < PARTITIONS, `the survivors took b's partitions ${Date.now() - killedAt} ms after the kill, before its commits were read`)
  await reader.close()
  runners.splice(runners.indexOf(k), 1)
  await waitFor(async () => await holding(survivors), { timeoutMs: 60000, intervalMs: 250, get what () { return `the survivors to take all 12 partitions (${seen})` } })
  const takeoverMs = Date.now() - killedAt
  t.diagnostic(`a and c hold all partitions ${takeoverMs} ms after b was killed (session timeout ${SESSION_MS} ms)`)
  assert.ok(takeoverMs < SESSION_MS + 20000, `the takeover took ${takeoverMs} ms`)

  // c stops (SIGTERM): it commits what it wrote, closes its partitions and leaves the group, so a takes them at once,
  // not a session timeout after c's last heartbeat (at least SESSION_MS - HEARTBEAT_MS after c exited), and writes
  // none of them again (checked below).
  await waitFor(async () => (await taskMetrics(c)).commits >= 3, { timeoutMs: 30000, intervalMs: 250, what: 'runner c to commit after the takeover' })
  c.cli.kill('SIGTERM')
  const { code } = await c.cli.exited
  const cExited = Date.now()
  assert.equal(code, 143, 'runner c stopped gracefully')
  runners.splice(runners.indexOf(c), 1)
  await waitFor(async () => await holding([a]), { timeoutMs: 60000, intervalMs: 100, get what () { return `runner a to take c's partitions (${seen})` } })
  const leaveMs = Date.now() - cExited
  t.diagnostic(`a holds all partitions ${leaveMs} ms after c stopped`)
  assert.ok(leaveMs < SESSION_MS - HEARTBEAT_MS, `a took c's partitions ${leaveMs} ms after c exited: c did not leave the group`)

  // Keep producing after the moves, then wait for every record.
  const atTakeover = producer.produced()
  await waitFor(() => producer.produced() >= Math.max(MIN_RECORDS, atTakeover + 3000), { timeoutMs: 60000, what: 'the producer' })
  const { misplaced } = await producer.stop()
  assert.equal(misplaced, 0, 'every record landed at the offset its value names')
  const total = producer.produced()
  const expected = new Set(Array.from({ length: total }, (_, seq) => value(seq % PARTITIONS, Math.floor(seq / PARTITIONS))))
  const all = [a, k, c]
  let files: string[][] = []
  await waitFor(async () => {
    files = await Promise.all(all.map(async r => await readLines(r.output)))
    let found = 0
    for (const v of new Set(files.flat())) if (expected.has(v)) found++
    return found === total
  }, { timeoutMs: 90000, what: `all ${total} records in the union of the sink files` })
  clearInterval(sampler)
  const [linesA, linesK, linesC] = files as [string[], string[], string[]]

  // Nothing lost, nothing foreign.
  const union = new Set(files.flat())
  assert.deepEqual([...union].filter(v => !expected.has(v)), [], 'only produced records were written')
  assert.equal(union.size, total, 'every record produced was written')
  for (const [r, lines] of [[a, linesA], [k, linesK], [c, linesC]] as const) {
    // With cooperative-sticky a partition never comes back to the runner that lost it: no runner writes one twice.
    assert.equal(new Set(lines).size, lines.length, `runner ${r.id} wrote no record twice`)
  }

  // The kill: the records b wrote past the group's commits, and only those, are written again by a survivor.
  const kMax = Array.from({ length: PARTITIONS }, () => -1)
  for (const v of linesK) { const { p, o } = parse(v); kMax[p] = Math.max(kMax[p]!, o) }
  const uncommitted = new Set<string>()
  for (let p = 0; p < PARTITIONS; p++) for (let o = Math.max(0, committed[p]!); o <= kMax[p]!; o++) uncommitted.add(value(p, o))
  const survivorLines = new Set([...linesA, ...linesC])
  const killDuplicates = linesK.filter(v => survivorLines.has(v) && uncommitted.has(v))
  assert.deepEqual([...uncommitted].filter(v => !survivorLines.has(v)), [], 'every record b wrote past its last commit was re-delivered to a survivor')
  assert.equal(killDuplicates.length, uncommitted.size)
  const killPartitions = [...new Set([...uncommitted].map(v => parse(v).p))].sort((x, y) => x - y)
  // b commits at the end of the first batch put after each interval: what it wrote past its last commit fits in one
  // interval and that batch; two intervals where that commit was sent but had not landed when b died.
  const killedLines = linesK.length
  const lastInterval = killedLines - linesAt(k, killedAt - FLUSH_MS)
  const twoIntervals = Math.max(...[...k.timeline.map(([time]) => time).filter(time => time >= steadyFrom && time <= killedAt), killedAt]
    .map(time => linesAt(k, time) - linesAt(k, time - 2 * FLUSH_MS)))
  t.diagnostic(`kill: b had written ${killedLines} records, ${uncommitted.size} past its last commit (partitions ${killPartitions.join(',')}), ` +
    `all written again by a survivor; b wrote ${lastInterval} in its last ${FLUSH_MS} ms, at most ${twoIntervals} in any ${2 * FLUSH_MS} ms since c joined`)
  assert.ok(uncommitted.size <= twoIntervals + MAX_POLL,
    `the kill's duplicates (${uncommitted.size}) are at most what b wrote in two commit intervals (${twoIntervals}, the most it wrote in any ${2 * FLUSH_MS} ms since c joined) plus one poll batch (${MAX_POLL})`)

  // Rebalances without a death (b joining a, c joining both, c leaving): the other duplicates are, per partition that
  // moved, the previous owner's tail after its last commit, which the new owner wrote again from that commit on.
  const copies = new Map<string, Array<{ r: Runner, i: number }>>()
  for (const [r, lines] of [[a, linesA], [k, linesK], [c, linesC]] as const) {
    lines.forEach((v, i) => {
      if (uncommitted.has(v)) return // the kill's, counted above
      const l = copies.get(v)
      if (l) l.push({ r, i }); else copies.set(v, [{ r, i }])
    })
  }
  const handoffs = new Map<string, { owner: Runner, first: number, last: number, count: number }>()
  for (const [v, list] of copies) {
    if (list.length < 2) continue
    list.sort((x, y) => lineTime(x.r, x.i) - lineTime(y.r, y.i))
    for (let j = 1; j < list.length; j++) {
      const from = list[j - 1]!
      const key = `p${parse(v).p} ${from.r.id}>${list[j]!.r.id}`
      const d = handoffs.get(key) ?? { owner: from.r, first: from.i, last: from.i, count: 0 }
      d.first = Math.min(d.first, from.i)
      d.last = Math.max(d.last, from.i)
      d.count++
      handoffs.set(key, d)
    }
  }
  const spans: string[] = []
  for (const [key, d] of handoffs) {
    const span = lineTime(d.owner, d.last) - lineTime(d.owner, d.first)
    spans.push(`${key} ${d.count} over ${span} ms`)
    // At most one interval: the revoked owner's last commit was sent within one, and the revocation sends it again.
    // The slack is for this process's sampling of the files, late when the machine is loaded.
    assert.ok(span <= FLUSH_MS + 2000, `${key}: the duplicated tail spans ${span} ms of ${d.owner.id}'s writing, more than a commit interval (${FLUSH_MS} ms) and 2 s of slack`)
  }
  const fromStop = [...handoffs.keys()].filter(key => key.endsWith(' c>a'))
  assert.deepEqual(fromStop, [], 'a wrote again nothing of what c wrote before its graceful stop')
  const joinCount = [...handoffs.values()].reduce((s, d) => s + d.count, 0)
  const written = files.reduce((s, f) => s + f.length, 0)
  assert.equal(written - total, joinCount + uncommitted.size, 'every duplicate is from the join or the kill')
  t.diagnostic(`rebalances without a death: ${joinCount} duplicates in ${handoffs.size} partition moves (${spans.join('; ') || 'none'})`)
  t.diagnostic(`${total} records produced at ${RATE}/s, ${written} written: ${written - total} duplicates (${(100 * (written - total) / total).toFixed(2)} %), none lost`)

  for (const r of survivors) r.cli.kill('SIGTERM')
  await Promise.all(survivors.map(async r => await r.cli.exited))
})
