/**
 * WorkerSourceTask writes acknowledged offsets promptly, not only every offset.flush.interval.ms: after a SIGKILL a
 * restart re-sends what Kafka had not acknowledged, not up to a whole interval of acknowledged records (measured
 * under SIGKILL: most of the source's duplicates were acknowledged records waiting for the interval). task.commit()
 * keeps the interval. The offsets file is the real store; the producer is a double whose deliveries the test makes.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { Schemas, SourceTask, sourceRecord, type SourceRecord } from '../../src/api/index.ts'
import { SimpleHeaderConverter } from '../../src/converters/simple-header-converter.ts'
import { StringConverter } from '../../src/converters/string-converter.ts'
import type { DeliveryCallback, RdKafkaProducer } from '../../src/kafka/rdkafka-producer.ts'
import { TransformationChain } from '../../src/runtime/transformation-chain.ts'
import { WorkerSourceTask, type SourceOffsetStore } from '../../src/runtime/worker-source-task.ts'
import { FileOffsetBackingStore } from '../../src/storage/file-offset-backing-store.ts'
import { createLogger } from '../../src/util/logger.ts'
import { waitFor } from '../helpers/wait-for.ts'

const PARTITION = { file: 'numbers.txt' }

/** Emits `limit` records (offset n = index) in batches of 5, then nothing. */
class NumberedTask extends SourceTask {
  next = 0
  commits = 0
  readonly limit: number
  constructor (limit: number) { super(); this.limit = limit }
  version (): string { return 'test' }
  start (): void {}
  stop (): void {}
  commit (): void { this.commits++ }
  async poll (signal: AbortSignal): Promise<SourceRecord[] | null> {
    await new Promise(resolve => setTimeout(resolve, 5))
    if (signal.aborted || this.next >= this.limit) return null
    return Array.from({ length: Math.min(5, this.limit - this.next) }, () => {
      const n = this.next++
      return sourceRecord({ sourcePartition: PARTITION, sourceOffset: { n }, topic: 't', valueSchema: Schemas.STRING, value: `v${n}` })
    })
  }
}

/** Holds every delivery callback until the test acknowledges it. */
class HeldProducer {
  readonly pending: DeliveryCallback[] = []
  fatalError = null
  send (_t: string, _p: number | null, _v: Buffer | null, _k: Buffer | null, _ts: number | null, _h: unknown, cb: DeliveryCallback): boolean {
    this.pending.push(cb)
    return true
  }

  async drained (): Promise<void> {}
  ackUpTo (last: number): void {
    for (let i = 0; i <= last; i++) {
      const cb = this.pending[i]!
      this.pending[i] = () => {}
      cb(null, { topic: 't', partition: 0, offset: i, timestamp: null })
    }
  }

  async disconnect (): Promise<void> {}
}

function sourceTask (task: NumberedTask, producer: HeldProducer, offsetStore: SourceOffsetStore): WorkerSourceTask {
  const value = new StringConverter()
  value.configure({}, false)
  const key = new StringConverter()
  key.configure({}, true)
  return new WorkerSourceTask({
    id: { connector: 'numbers', task: 0 },
    task,
    props: {},
    createProducer: async () => producer as unknown as RdKafkaProducer,
    keyConverter: key,
    valueConverter: value,
    headerConverter: new SimpleHeaderConverter(),
    transformations: TransformationChain.EMPTY as TransformationChain<SourceRecord>,
    offsetStore,
    // An hour: anything written before the stop was not written by the interval.
    offsetFlushIntervalMs: 3600000,
    offsetFlushTimeoutMs: 5000,
    defaultPartition: null,
    logger: createLogger('test'),
    listener: { onStateChange: () => {} }
  })
}

/** What a restarted worker would read from the offsets file now. */
async function storedOffset (file: string): Promise<Record<string, unknown> | null> {
  const store = new FileOffsetBackingStore(file)
  await store.start()
  return store.get('numbers', PARTITION)
}

test('acknowledged offsets reach the offsets file without waiting for offset.flush.interval.ms; task.commit() keeps the interval', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'source-offset-writes-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const file = join(dir, 'connect.offsets')
  const store = new FileOffsetBackingStore(file)
  await store.start()
  const task = new NumberedTask(20)
  const producer = new HeldProducer()
  const wt = sourceTask(task, producer, store)
  wt.start()
  try {
    await waitFor(() => producer.pending.length === 20, { what: 'twenty records sent' })
    producer.ackUpTo(11)
    // 12 to 19 are not acknowledged: the file holds n=11, the last of the acknowledged prefix, and nothing later.
    await waitFor(async () => (await storedOffset(file))?.n === 11, { timeoutMs: 5000, what: 'the offsets file to hold n=11' })
    assert.equal(task.commits, 0, 'task.commit() runs on offset.flush.interval.ms, not on each prompt offsets write')
    producer.ackUpTo(19)
    await waitFor(async () => (await storedOffset(file))?.n === 19, { timeoutMs: 5000, what: 'the offsets file to hold n=19' })
  } finally {
    wt.signalStop()
    await wt.awaitStop(Date.now() + 5000)
    await store.stop()
  }
  // The final flush at the stop calls task.commit() as before.
  assert.equal(task.commits, 1)
})

test('a prompt write during a slow write waits for it, then writes what was acknowledged meanwhile: offsets never go backwards', async () => {
  const writes: number[] = []
  let release: (() => void) | null = null
  let inFlight = 0
  let overlapped = false
  const store: SourceOffsetStore = {
    get: () => null,
    set: async (_c, entries) => {
      inFlight++
      if (inFlight > 1) overlapped = true
      writes.push(entries[0]!.offset!.n as number)
      // The first write hangs until the test releases it (a slow disk).
      if (writes.length === 1) await new Promise<void>(resolve => { release = resolve })
      inFlight--
    }
  }
  const task = new NumberedTask(20)
  const producer = new HeldProducer()
  const wt = sourceTask(task, producer, store)
  wt.start()
  try {
    await waitFor(() => producer.pending.length === 20, { what: 'twenty records sent' })
    producer.ackUpTo(4)
    await waitFor(() => release !== null, { timeoutMs: 5000, what: 'the first offsets write to start' })
    producer.ackUpTo(14)
    // Well past the gap between prompt writes: the second must wait for the first, whatever the timing.
    await new Promise(resolve => setTimeout(resolve, 200))
    assert.deepEqual(writes, [4])
    release!()
    await waitFor(() => writes.length === 2, { timeoutMs: 5000, what: 'the second offsets write' })
    assert.deepEqual(writes, [4, 14])
    assert.equal(overlapped, false)
  } finally {
    wt.signalStop()
    await wt.awaitStop(Date.now() + 5000)
  }
})
