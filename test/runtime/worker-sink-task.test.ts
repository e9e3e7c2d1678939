/**
 * WorkerSinkTask against the real broker (KAFKA_BOOTSTRAP_SERVERS), with its read-ahead: the next consume() is in
 * flight while a batch is put(). What must hold whatever the read-ahead fetched:
 * - records of a partition paused meanwhile (by the task or the connector) are held and delivered after resume, once,
 *   in offset order;
 * - a seek (context.offset) drops what was fetched before it for that partition and delivery continues from the
 *   sought offset with nothing skipped;
 * - only records passed to put() move the committed offsets.
 *
 * Each test produces to a fresh topic (record i of partition p has the value `p<p>-<i>`, at offset i), runs one task
 * with small batches (many read-aheads), and checks every (partition, offset, value) that reached put().
 *
 * The two resume tests below found two read-ahead bugs (fixed): a resumed partition lost one read-ahead batch, which
 * was replaced unawaited, and records fetched after a resume from outside the loop overtook the held ones.
 */
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import Kafka from 'node-rdkafka'
import {
  SinkTask, type SinkRecord, type SinkTaskContext, type TopicPartition, type TopicPartitionOffset
} from '../../src/api/index.ts'
import { SimpleHeaderConverter } from '../../src/converters/simple-header-converter.ts'
import { StringConverter } from '../../src/converters/string-converter.ts'
import { RdKafkaGroupOffsets } from '../../src/kafka/consumer-group-offsets.ts'
import { RdKafkaConsumer } from '../../src/kafka/rdkafka-consumer.ts'
import type { State } from '../../src/runtime/status.ts'
import { TransformationChain } from '../../src/runtime/transformation-chain.ts'
import { WorkerSinkTask } from '../../src/runtime/worker-sink-task.ts'
import { createLogger } from '../../src/util/logger.ts'
import { createTopic, kafkaBootstrap, produceMessages, uniqueTopic, type TestMessage } from '../harness/kafka.ts'
import { waitFor } from '../helpers/wait-for.ts'

const MAX_POLL_RECORDS = 50
const FLUSH_INTERVAL_MS = 100

interface Delivery { partition: number, offset: number, value: string, batch: number }

/** Records every record passed to put(); the hooks let each test act as a connector would. */
class RecordingTask extends SinkTask {
  readonly deliveries: Delivery[] = []
  batches = 0
  preCommits = 0
  /** Highest offset passed to put() per partition. */
  readonly lastPut = new Map<number, number>()
  /** Per partition, the first offset from 0 on not yet passed to put(): everything below it was put. */
  readonly covered = new Map<number, number>()
  readonly #seen = new Map<number, Set<number>>()
  onOpen: ((parts: readonly TopicPartition[], ctx: SinkTaskContext) => void) | null = null
  /** Runs when put() starts, before its records are recorded. */
  beforePut: ((records: readonly SinkRecord[]) => void) | null = null
  /** Runs after the batch was recorded (a task pausing, seeking, or slow to write). */
  afterPut: ((records: readonly SinkRecord[], ctx: SinkTaskContext) => void | Promise<void>) | null = null
  onPreCommit: ((offsets: readonly TopicPartitionOffset[]) => void) | null = null

  get ctx (): SinkTaskContext { return this.context }
  version (): string { return 'test' }
  start (): void {}
  stop (): void {}

  override open (parts: readonly TopicPartition[]): void { this.onOpen?.(parts, this.context) }

  async put (records: readonly SinkRecord[]): Promise<void> {
    this.beforePut?.(records)
    this.batches++
    for (const r of records) {
      const partition = r.kafkaPartition ?? -1
      this.deliveries.push({ partition, offset: r.kafkaOffset, value: String(r.value), batch: this.batches })
      if (r.kafkaOffset > (this.lastPut.get(partition) ?? -1)) this.lastPut.set(partition, r.kafkaOffset)
      let seen = this.#seen.get(partition)
      if (!seen) this.#seen.set(partition, seen = new Set())
      seen.add(r.kafkaOffset)
      let next = this.covered.get(partition) ?? 0
      while (seen.has(next)) next++
      this.covered.set(partition, next)
    }
    await this.afterPut?.(records, this.context)
  }

  /** Returns the offsets it was given (what a task that writes synchronously in put() does). */
  override async preCommit (offsets: readonly TopicPartitionOffset[]): Promise<readonly TopicPartitionOffset[]> {
    this.preCommits++
    this.onPreCommit?.(offsets)
    return offsets
  }

  offsets (partition: number): number[] {
    return this.deliveries.filter(d => d.partition === partition).map(d => d.offset)
  }

  count (partition?: number): number {
    return partition === undefined ? this.deliveries.length : this.deliveries.filter(d => d.partition === partition).length
  }
}

/** Produces `perPartition` records to each partition: record i of partition p is `p<p>-<i>`, at offset i. */
async function produceTopic (prefix: string, partitions: number, perPartition: number): Promise<string> {
  const topic = uniqueTopic(prefix)
  await createTopic(topic, partitions)
  await produceMore(topic, Array.from({ length: partitions }, (_, p) => p), 0, perPartition)
  return topic
}

/** Appends records `from` to `from + count - 1` to each of the partitions (which hold exactly `from` records). */
async function produceMore (topic: string, partitions: readonly number[], from: number, count: number): Promise<void> {
  const messages: TestMessage[] = []
  for (let i = from; i < from + count; i++) {
    for (const p of partitions) messages.push({ partition: p, key: null, value: `p${p}-${i}` })
  }
  await produceMessages(topic, messages)
}

/** A sink's write taking a few ms: the read-ahead started before put() has fetched its records by the time it ends. */
async function slowWrite (): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, 5))
}

interface Running {
  wt: WorkerSinkTask
  task: RecordingTask
  topic: string
  group: string
  states: State[]
  stop: () => Promise<void>
}

/**
 * The real consumer, except that consume() waits up to `ms` for records instead of its 200 ms (it polls again while
 * it gets none). 0: the consumer as it is.
 */
function withLongPoll (ms: number, consumer: RdKafkaConsumer): RdKafkaConsumer {
  if (ms <= 0) return consumer
  return new Proxy(consumer, {
    get (target, prop) {
      if (prop === 'consume') {
        return async (max: number) => {
          const deadline = Date.now() + ms
          for (;;) {
            const messages = await target.consume(max)
            if (messages.length > 0 || Date.now() >= deadline) return messages
          }
        }
      }
      const value: unknown = Reflect.get(target, prop, target)
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    }
  })
}

/** Builds the task as StandaloneHerder does (StringConverter key and value, no transformations) and starts it. */
function startSinkTask (t: TestContext, task: RecordingTask, topic: string, longPollMs = 0, flushIntervalMs = FLUSH_INTERVAL_MS): Running {
  const group = `connect-${topic}`
  const logger = createLogger('WorkerSinkTask')
  const keyConverter = new StringConverter()
  keyConverter.configure({}, true)
  const valueConverter = new StringConverter()
  valueConverter.configure({}, false)
  const states: State[] = []
  const wt = new WorkerSinkTask({
    id: { connector: topic, task: 0 },
    task,
    props: {},
    createConsumer: async listeners => withLongPoll(longPollMs, await RdKafkaConsumer.create({
      global: {
        'bootstrap.servers': kafkaBootstrap(),
        'group.id': group,
        'allow.auto.create.topics': true,
        'client.id': `connector-consumer-${topic}-0`,
        'enable.auto.commit': false
      },
      topic: { 'auto.offset.reset': 'earliest' },
      logger,
      listeners
    })),
    subscription: [topic],
    keyConverter,
    valueConverter,
    headerConverter: new SimpleHeaderConverter(),
    transformations: TransformationChain.EMPTY as TransformationChain<SinkRecord>,
    offsetFlushIntervalMs: flushIntervalMs,
    maxPollRecords: MAX_POLL_RECORDS,
    embeddedBroker: false,
    logger,
    listener: { onStateChange: (_id, state) => { states.push(state) } }
  })
  wt.start()
  let stopped: Promise<void> | null = null
  const stop = async (): Promise<void> => {
    stopped ??= (async () => {
      wt.signalStop()
      const finished = await wt.awaitStop(Date.now() + 20000)
      if (!finished) wt.cancel()
      assert.ok(finished, 'the task stopped within 20 s')
    })()
    await stopped
  }
  t.after(async () => { await stop().catch(() => {}) })
  return { wt, task, topic, group, states, stop }
}

/** Waits for a condition; a task that failed meanwhile ends the wait with its trace. */
async function until (r: Running, what: string, check: () => boolean, timeoutMs = 20000): Promise<void> {
  try {
    await waitFor(() => r.wt.state === 'FAILED' || check(), { what, timeoutMs, intervalMs: 10 })
  } catch (err) {
    throw new Error(`${(err as Error).message}; delivered so far: ${describeDeliveries(r.task)}`)
  }
  if (r.wt.state === 'FAILED') throw new Error(`the task failed while waiting for ${what}: ${r.wt.trace ?? ''}`)
}

/** Per partition: how many records, and where the delivered offsets are not one contiguous run. */
function describeDeliveries (task: RecordingTask): string {
  const partitions = [...new Set(task.deliveries.map(d => d.partition))].sort((a, b) => a - b)
  return partitions.map(p => {
    const offsets = task.offsets(p)
    const breaks: string[] = []
    for (let i = 1; i < offsets.length; i++) {
      if (offsets[i] !== offsets[i - 1]! + 1) breaks.push(`${offsets[i - 1]} -> ${offsets[i]} (batch ${task.deliveries.filter(d => d.partition === p)[i]!.batch})`)
    }
    return `partition ${p}: ${offsets.length} records, offsets ${offsets[0]}..${offsets[offsets.length - 1]}${breaks.length > 0 ? `, breaks: ${breaks.slice(0, 10).join(', ')}` : ''}`
  }).join('; ')
}

/**
 * Waits until `done`, or until delivery stalled: nothing new put() while the loop went round several times (records
 * lost for good never arrive; the assertions that follow then say which are missing, without waiting for a timeout).
 */
async function untilDelivered (r: Running, what: string, done: () => boolean, timeoutMs = 30000): Promise<void> {
  let count = -1
  let roundsAtChange = 0
  let timeAtChange = 0
  await until(r, what, () => {
    if (done()) return true
    if (r.task.count() !== count) { count = r.task.count(); roundsAtChange = r.task.preCommits; timeAtChange = Date.now() }
    // Before the first record the group may still be forming (the first test also creates __consumer_offsets).
    return count > 0 && r.task.preCommits - roundsAtChange >= 3 && Date.now() - timeAtChange >= 1500
  }, timeoutMs)
}

/**
 * Waits until the loop has gone round a few more times (each round that reaches the flush interval calls preCommit):
 * what would still arrive (a duplicate, a record delivered while paused) has had its chance.
 */
async function moreRounds (r: Running, what: string, rounds = 3): Promise<void> {
  const base = r.task.preCommits
  await until(r, `${rounds} more preCommit calls (${what})`, () => r.task.preCommits >= base + rounds)
}

/** Null when `offsets` is exactly from, from+1, ..., to-1; otherwise what is wrong with it. */
function sequenceProblem (offsets: readonly number[], from: number, to: number): string | null {
  const problems: string[] = []
  if (offsets.length !== to - from) problems.push(`${offsets.length} records where ${to - from} were expected`)
  const i = offsets.findIndex((o, k) => o !== from + k)
  if (i >= 0) problems.push(`out of sequence at index ${i}: offset ${offsets[i]} where ${from + i} was expected (around it: ${offsets.slice(Math.max(0, i - 3), i + 4).join(', ')})`)
  const seen = new Map<number, number>()
  for (const o of offsets) seen.set(o, (seen.get(o) ?? 0) + 1)
  const duplicates = [...seen].filter(([, n]) => n > 1).map(([o]) => o)
  const missing: number[] = []
  for (let o = from; o < to; o++) if (!seen.has(o)) missing.push(o)
  if (duplicates.length > 0) problems.push(`${duplicates.length} offsets delivered more than once (${duplicates.slice(0, 10).join(', ')}${duplicates.length > 10 ? ', ...' : ''})`)
  if (missing.length > 0) problems.push(`${missing.length} offsets never delivered (${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''})`)
  return problems.length === 0 ? null : problems.join('; ')
}

function assertSequence (offsets: readonly number[], from: number, to: number, what: string): void {
  const problem = sequenceProblem(offsets, from, to)
  assert.equal(problem, null, `${what}: ${problem}`)
}

/** Every delivered value belongs to its (partition, offset): no record was attributed to another offset. */
function assertValues (task: RecordingTask): void {
  const wrong = task.deliveries.filter(d => d.value !== `p${d.partition}-${d.offset}`)
  assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} records with a value not matching their offset`)
}

async function committedOffsets (r: Running): Promise<Map<number, number>> {
  const list = await new RdKafkaGroupOffsets({ 'bootstrap.servers': kafkaBootstrap() }).list(r.group, [r.topic])
  return new Map(list.map(o => [o.partition, o.offset]))
}

async function assertCommitted (r: Running, expected: ReadonlyMap<number, number>): Promise<void> {
  const committed = await committedOffsets(r)
  assert.deepEqual([...committed].sort((a, b) => a[0] - b[0]), [...expected].sort((a, b) => a[0] - b[0]), 'committed offsets of the group after stop')
}

const allPartitions = (partitions: number, offset: number): Map<number, number> =>
  new Map(Array.from({ length: partitions }, (_, p) => [p, offset]))

/** A consumer of the task's group that never joins it, reading the group's committed offsets as they move. */
async function openCommittedReader (group: string, topic: string, partitions: number): Promise<{ read: () => Promise<Map<number, number>>, close: () => Promise<void> }> {
  const consumer = new Kafka.KafkaConsumer({
    'bootstrap.servers': kafkaBootstrap(), 'group.id': group, 'client.id': 'worker-sink-task-test-committed', 'enable.auto.commit': false
  }, {})
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 10000 }, err => { if (err) reject(err); else resolve() }))
  const parts = Array.from({ length: partitions }, (_, p) => ({ topic, partition: p }))
  return {
    read: async () => await new Promise((resolve, reject) => {
      consumer.committed(parts, 10000, (err, tps) => {
        if (err) reject(err)
        else resolve(new Map(tps.filter(tp => typeof tp.offset === 'number' && tp.offset >= 0).map(tp => [tp.partition, tp.offset])))
      })
    }),
    close: async () => { await new Promise<void>(resolve => consumer.disconnect(() => resolve())) }
  }
}

// ---- a. plain delivery ------------------------------------------------------------------------------------------

for (const [partitions, perPartition] of [[1, 5000], [3, 2000]] as const) {
  test(`plain delivery, ${partitions} partition(s) x ${perPartition}: every record once, in offset order; committed = end offset`, async t => {
    const topic = await produceTopic('wst-plain', partitions, perPartition)
    const r = startSinkTask(t, new RecordingTask(), topic)
    await untilDelivered(r, `all ${partitions * perPartition} records`, () => r.task.count() >= partitions * perPartition)
    await moreRounds(r, 'no duplicates after the last record')
    await r.stop()
    for (let p = 0; p < partitions; p++) assertSequence(r.task.offsets(p), 0, perPartition, `partition ${p}`)
    assertValues(r.task)
    assert.ok(r.task.batches >= (partitions * perPartition) / MAX_POLL_RECORDS, `batches of at most ${MAX_POLL_RECORDS} (${r.task.batches} batches)`)
    await assertCommitted(r, allPartitions(partitions, perPartition))
    assert.deepEqual(r.states, ['RUNNING', 'UNASSIGNED'])
  })
}

test('stop commits what was put (no periodic commit within a 10-minute flush interval), without blocking the event loop', async t => {
  const topic = await produceTopic('wst-close-commit', 2, 500)
  const r = startSinkTask(t, new RecordingTask(), topic, 0, 600000)
  await untilDelivered(r, 'all 1000 records', () => r.task.count() >= 1000)
  assert.deepEqual(await committedOffsets(r), new Map(), 'nothing committed while running (the interval has not come)')
  // The final commit used to be librdkafka's synchronous one, on the only JavaScript thread: a timer shows any stall.
  let longestGapMs = 0
  let last = performance.now()
  const ticker = setInterval(() => { const now = performance.now(); longestGapMs = Math.max(longestGapMs, now - last); last = now }, 5)
  try {
    await r.stop()
  } finally {
    clearInterval(ticker)
  }
  assert.equal(r.task.preCommits, 1, 'one preCommit: the one at stop')
  await assertCommitted(r, allPartitions(2, 500))
  t.diagnostic(`longest event-loop gap during stop: ${longestGapMs.toFixed(1)} ms`)
})

// ---- b. the task pauses and resumes partitions ------------------------------------------------------------------

/**
 * One partition, paused by the task in put() (after a write long enough for the read-ahead to have fetched the next
 * records, which must then be held) and resumed by `resume` (given the preCommit calls seen while paused).
 */
async function singlePartitionPauseResume (t: TestContext, options: {
  resumeFrom: 'preCommit' | 'timer'
  pauseAt: readonly number[]
  longPollMs?: number
}): Promise<void> {
  const perPartition = 5000
  const topic = await produceTopic('wst-task-pause-1', 1, perPartition)
  const task = new RecordingTask()
  const tp = { topic, partition: 0 }
  const pauseAt = options.pauseAt
  let paused = false
  let pauses = 0
  let resumes = 0
  let commitsAtPause = 0
  let countAtPause = 0
  let deliveredWhilePaused = 0
  task.beforePut = records => { if (paused) deliveredWhilePaused += records.length }
  task.afterPut = async (_records, ctx) => {
    await slowWrite()
    if (paused || pauses >= pauseAt.length || task.count() < pauseAt[pauses]!) return
    ctx.pause(tp)
    paused = true
    pauses++
    commitsAtPause = task.preCommits
    countAtPause = task.count()
  }
  const resume = (ctx: SinkTaskContext): void => {
    assert.equal(task.count(), countAtPause, 'nothing delivered while paused')
    paused = false
    resumes++
    ctx.resume(tp)
  }
  // A task that waits for its buffer to drain resumes from its flush (preCommit): inside the worker's loop.
  if (options.resumeFrom === 'preCommit') task.onPreCommit = () => { if (paused && task.preCommits >= commitsAtPause + 3) resume(task.ctx) }
  const r = startSinkTask(t, task, topic, options.longPollMs)
  for (let cycle = 1; cycle <= pauseAt.length; cycle++) {
    await until(r, `pause ${cycle}`, () => paused)
    assert.ok(countAtPause < perPartition, `paused mid-stream (${countAtPause} of ${perPartition} delivered)`)
    if (options.resumeFrom === 'timer') {
      // A task's own timer resumes: outside the loop, which is then waiting in consume().
      await moreRounds(r, `paused ${cycle}`, 1)
      resume(task.ctx)
    }
    await until(r, `resume ${cycle}`, () => resumes >= cycle)
  }
  await untilDelivered(r, 'all records', () => task.count() >= perPartition)
  await moreRounds(r, 'no duplicates after the last record')
  await r.stop()
  assert.equal(pauses, pauseAt.length)
  assert.equal(deliveredWhilePaused, 0, 'records delivered while the partition was paused')
  assertSequence(task.offsets(0), 0, perPartition, 'partition 0')
  assertValues(task)
  await assertCommitted(r, allPartitions(1, perPartition))
}

test('task pause/resume, 1 partition: paused in put(), resumed from preCommit(); nothing delivered while paused, then everything once, in order', async t => {
  await singlePartitionPauseResume(t, { resumeFrom: 'preCommit', pauseAt: [1000, 2500, 4000] })
})

test('task pause/resume, 1 partition: paused in put(), resumed from a timer while the loop waits in consume(); held records first, everything once, in order', async t => {
  // The consumer's poll waits up to 1 s for records (as a Java poll with a long timeout would), so the consume() in
  // flight when the timer resumes lasts until librdkafka fetched again (200 ms, the worker's own, loses this race
  // only sometimes: librdkafka takes 200 to 1000 ms to fetch a resumed partition).
  await singlePartitionPauseResume(t, { resumeFrom: 'timer', pauseAt: [1000, 3000], longPollMs: 1000 })
})

test('task pause/resume, 3 partitions: one partition paused in put() while the others flow, resumed from put(); everything once, in order', async t => {
  const partitions = 3
  const initial = 1000
  /** Records appended to partitions 1 and 2 after each pause: the others certainly flow while partition 0 waits. */
  const wave = 500
  const topic = await produceTopic('wst-task-pause-3', partitions, initial)
  const task = new RecordingTask()
  const tp = { topic, partition: 0 }
  /** Pause partition 0 once it delivered this many records; resume it after this many records of the others. */
  const pauseAt = [200, 600]
  const resumeAfterOthers = 400
  let paused = false
  let pauses = 0
  let resumes = 0
  let othersAtPause = 0
  let pausedDelivered = 0
  let othersWhilePaused = 0
  task.beforePut = records => {
    if (!paused) return
    for (const rec of records) {
      if (rec.kafkaPartition === 0) pausedDelivered++
      else othersWhilePaused++
    }
  }
  task.afterPut = async (records, ctx) => {
    const othersNow = task.count() - task.count(0)
    if (paused) {
      if (othersNow - othersAtPause < resumeAfterOthers) return
      // Resumed while the read-ahead is in flight, with other partitions' records in it.
      paused = false
      resumes++
      ctx.resume(tp)
    } else if (pauses < pauseAt.length && task.count(0) >= pauseAt[pauses]! && records.some(rec => rec.kafkaPartition === 0)) {
      await slowWrite()
      ctx.pause(tp)
      paused = true
      pauses++
      othersAtPause = othersNow
    }
  }
  const r = startSinkTask(t, task, topic)
  let others = initial
  for (let cycle = 1; cycle <= pauseAt.length; cycle++) {
    await until(r, `pause ${cycle} of partition 0`, () => pauses >= cycle)
    await produceMore(topic, [1, 2], others, wave)
    others += wave
    await until(r, `resume ${cycle} of partition 0`, () => resumes >= cycle)
  }
  await untilDelivered(r, 'all records', () => task.count(0) >= initial && task.count(1) >= others && task.count(2) >= others)
  await moreRounds(r, 'no duplicates after the last record')
  await r.stop()
  assert.equal(pausedDelivered, 0, 'records of partition 0 delivered while it was paused')
  assert.ok(othersWhilePaused >= pauseAt.length * resumeAfterOthers, `the other partitions kept flowing while partition 0 was paused (${othersWhilePaused} records)`)
  assertSequence(task.offsets(0), 0, initial, 'partition 0')
  for (const p of [1, 2]) assertSequence(task.offsets(p), 0, others, `partition ${p}`)
  assertValues(task)
  await assertCommitted(r, new Map([[0, initial], [1, others], [2, others]]))
})

// ---- c. the connector is paused and resumed -------------------------------------------------------------------

test('connector pause/resume (WorkerTask pause()/resume()) mid-stream: nothing put while PAUSED, then everything once, in order', async t => {
  const partitions = 3
  const perPartition = 2000
  const total = partitions * perPartition
  const topic = await produceTopic('wst-connector-pause', partitions, perPartition)
  const task = new RecordingTask()
  let r: Running | null = null
  let paused = false
  let putsWhilePaused = 0
  const pauseAt = [1500, 3500]
  let pauses = 0
  const pause = (): void => { r!.wt.pause(); paused = true }
  task.beforePut = () => { if (paused) putsWhilePaused++ }
  task.afterPut = () => {
    if (paused || pauses >= pauseAt.length || task.count() < pauseAt[pauses]!) return
    pauses++
    // The first pause arrives during put() (the read-ahead in flight), the second from outside, at the loop's
    // next turn of the event loop (typically while it awaits the read-ahead).
    if (pauses === 1) pause()
    else setImmediate(pause)
  }
  r = startSinkTask(t, task, topic)
  for (let cycle = 1; cycle <= pauseAt.length; cycle++) {
    await until(r, `pause ${cycle}`, () => paused)
    const countAtPause = task.count()
    assert.equal(r.wt.state, 'PAUSED')
    await moreRounds(r, `paused ${cycle}`)
    assert.equal(putsWhilePaused, 0, 'put() calls while PAUSED')
    assert.ok(task.count() - countAtPause <= MAX_POLL_RECORDS, 'at most the batch already in put() when paused')
    assert.ok(task.count() < total, `paused mid-stream (${task.count()} of ${total} delivered)`)
    paused = false
    r.wt.resume()
    assert.equal(r.wt.state, 'RUNNING')
  }
  await untilDelivered(r, 'all records', () => task.count() >= total)
  await moreRounds(r, 'no duplicates after the last record')
  await r.stop()
  assert.equal(pauses, 2)
  for (let p = 0; p < partitions; p++) assertSequence(task.offsets(p), 0, perPartition, `partition ${p}`)
  assertValues(task)
  await assertCommitted(r, allPartitions(partitions, perPartition))
  assert.deepEqual(r.states, ['RUNNING', 'PAUSED', 'RUNNING', 'PAUSED', 'RUNNING', 'UNASSIGNED'])
})

// ---- d. seek in open() ------------------------------------------------------------------------------------------

test('seek in open(): each partition starts at the offset open() asked for; every offset from there once, in order', async t => {
  const partitions = 3
  const perPartition = 2000
  const start = [250, 1000, 1990]
  const topic = await produceTopic('wst-seek-open', partitions, perPartition)
  const task = new RecordingTask()
  const sought = new Set<number>()
  task.onOpen = (parts, ctx) => {
    for (const p of parts) {
      if (sought.has(p.partition)) continue
      sought.add(p.partition)
      ctx.offset(p, start[p.partition]!)
    }
  }
  const r = startSinkTask(t, task, topic)
  const expected = start.reduce((n, k) => n + perPartition - k, 0)
  await untilDelivered(r, `the ${expected} records from the sought offsets`, () => task.count() >= expected)
  await moreRounds(r, 'nothing more after the last record')
  await r.stop()
  assert.equal(sought.size, partitions)
  for (let p = 0; p < partitions; p++) {
    assert.equal(task.offsets(p)[0], start[p], `first record put for partition ${p}`)
    assertSequence(task.offsets(p), start[p]!, perPartition, `partition ${p}`)
  }
  assertValues(task)
  await assertCommitted(r, allPartitions(partitions, perPartition))
})

// ---- e. seek in put() (rewind) ----------------------------------------------------------------------------------

const rewinds = [
  {
    partitions: 1,
    perPartition: 5000,
    rewindTo: 1000,
    what: 'the partition being delivered, after offset 3000',
    /** The partition to rewind now, or null to wait. */
    choose: (task: RecordingTask, records: readonly SinkRecord[]): number | null => records.some(rec => rec.kafkaOffset >= 3000) ? 0 : null
  },
  {
    partitions: 3,
    perPartition: 2000,
    rewindTo: 100,
    // Batches come in long runs of one partition: the read-ahead in flight holds the delivered partition's records,
    // which must survive the seek of the other one.
    what: 'another partition than the one being delivered',
    choose: (task: RecordingTask, records: readonly SinkRecord[]): number | null => {
      const delivering = records[records.length - 1]?.kafkaPartition
      if (task.count() < 2500) return null
      const candidates = [0, 1, 2].filter(p => p !== delivering && task.count(p) >= 300)
      return candidates.length === 0 ? null : candidates.sort((a, b) => task.count(b) - task.count(a))[0]!
    }
  }
]

for (const { partitions, perPartition, rewindTo, what, choose } of rewinds) {
  test(`seek in put() (rewind), ${partitions} partition(s), ${what}: delivery restarts at the sought offset, nothing skipped after it`, async t => {
    const topic = await produceTopic('wst-seek-put', partitions, perPartition)
    const task = new RecordingTask()
    let rewindBatch = 0
    let rewound = -1
    task.afterPut = (records, ctx) => {
      if (rewindBatch !== 0) return
      const p = choose(task, records)
      if (p === null) return
      rewindBatch = task.batches
      rewound = p
      ctx.offset({ topic, partition: p }, rewindTo)
    }
    const r = startSinkTask(t, task, topic)
    await until(r, 'the rewind', () => rewindBatch !== 0)
    assert.ok(task.count() < partitions * perPartition, `rewound mid-stream (${task.count()} records delivered)`)
    const before = task.deliveries.filter(d => d.partition === rewound && d.batch <= rewindBatch).map(d => d.offset)
    const lastBefore = before[before.length - 1]!
    assert.ok(lastBefore > rewindTo, `a rewind (partition ${rewound} from ${lastBefore} to ${rewindTo})`)
    const expected = partitions * perPartition + (lastBefore + 1 - rewindTo)
    await untilDelivered(r, `${expected} records (the rewound ones twice)`, () => task.count() >= expected)
    await moreRounds(r, 'nothing more after the last record')
    await r.stop()
    assertSequence(before, 0, lastBefore + 1, `partition ${rewound} up to the rewind`)
    const after = task.deliveries.filter(d => d.partition === rewound && d.batch > rewindBatch).map(d => d.offset)
    assert.equal(after[0], rewindTo, 'the first record put after the rewind is at the sought offset (nothing fetched before the seek)')
    assertSequence(after, rewindTo, perPartition, `partition ${rewound} after the rewind`)
    for (let p = 0; p < partitions; p++) if (p !== rewound) assertSequence(task.offsets(p), 0, perPartition, `partition ${p} (not rewound)`)
    assertValues(task)
    await assertCommitted(r, allPartitions(partitions, perPartition))
  })
}

// ---- f. committed offsets never run ahead of put() --------------------------------------------------------------

test('committed offsets never run ahead of put(): slow put(), read-ahead records held by a pause, sampled while running and after stop', async t => {
  const partitions = 2
  const perPartition = 2000
  const topic = await produceTopic('wst-commit', partitions, perPartition)
  const task = new RecordingTask()
  /** What may be committed for a partition: everything below it was passed to put(). */
  const bound = (partition: number): number => task.covered.get(partition) ?? 0
  const aheadInPreCommit: string[] = []
  task.onPreCommit = offsets => {
    for (const o of offsets) {
      if (o.offset > bound(o.partition)) aheadInPreCommit.push(`preCommit offered ${o.offset} for partition ${o.partition}, put up to ${bound(o.partition) - 1}`)
    }
  }
  let r: Running | null = null
  let paused = false
  let pausedOnce = false
  task.afterPut = async () => {
    // A sink that takes a while to write each batch; meanwhile the next records are fetched ahead.
    await slowWrite()
    if (!pausedOnce && task.count() >= perPartition / 2) { r!.wt.pause(); paused = true; pausedOnce = true }
  }
  r = startSinkTask(t, task, topic)
  const reader = await openCommittedReader(r.group, topic, partitions)
  t.after(reader.close)
  const ahead: string[] = []
  let samples = 0
  let nonZeroSamples = 0
  const sample = async (): Promise<Map<number, number>> => {
    const committed = await reader.read()
    samples++
    for (const [p, c] of committed) {
      if (c > 0) nonZeroSamples++
      // The bound is read after the answer: the commit it saw was made no later than now.
      if (c > bound(p)) ahead.push(`partition ${p} committed ${c} with records put up to ${bound(p) - 1}`)
    }
    return committed
  }
  /** What was put so far, as committed offsets read back (a partition nothing was put from has none). */
  const coveredNow = (): Map<number, number> => new Map(Array.from({ length: partitions }, (_, p) => [p, bound(p)] as const).filter(([, c]) => c > 0))
  let sampling = true
  const sampler = (async () => { while (sampling) await sample() })()
  try {
    await until(r, 'the pause', () => paused)
    const atPause = coveredNow()
    // While paused the read-ahead's records are held: the committed offsets reach what was put, and stay there.
    await waitFor(async () => JSON.stringify([...await sample()]) === JSON.stringify([...atPause]), { what: `committed offsets ${JSON.stringify([...atPause])} while paused`, timeoutMs: 10000 })
    await moreRounds(r, 'paused, commits going on')
    assert.deepEqual(await sample(), atPause, 'committed offsets while paused (held records not committed)')
    assert.deepEqual(coveredNow(), atPause, 'nothing delivered while paused')
    assert.ok(task.count() < partitions * perPartition, `paused mid-stream (${task.count()} delivered)`)
    paused = false
    r.wt.resume()
    await untilDelivered(r, 'all records', () => task.count() >= partitions * perPartition, 30000)
    await moreRounds(r, 'the last commit')
  } finally {
    sampling = false
    await sampler
  }
  await r.stop()
  assert.deepEqual(aheadInPreCommit, [], 'offsets offered to preCommit beyond the records put')
  assert.deepEqual(ahead, [], 'committed offsets beyond the records put')
  assert.ok(samples >= 10 && nonZeroSamples >= 5, `sampled the committed offsets while running (${samples} samples, ${nonZeroSamples} non-zero)`)
  for (let p = 0; p < partitions; p++) assertSequence(task.offsets(p), 0, perPartition, `partition ${p}`)
  assertValues(task)
  assert.deepEqual(await sample(), allPartitions(partitions, perPartition), 'committed offsets after stop')
  await assertCommitted(r, allPartitions(partitions, perPartition))
})
