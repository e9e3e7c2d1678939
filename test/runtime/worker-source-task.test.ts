/**
 * WorkerSourceTask with a small producer double (the real broker is covered by the e2e tests): backpressure from a
 * full producer queue stops polling, and offsets are flushed only up to the last record acknowledged in order.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Headers, RetriableError, Schemas, SourceTask, sourceRecord, type SourceRecord } from '../../src/api/index.ts'
import { ByteArrayConverter } from '../../src/converters/byte-array-converter.ts'
import { StringConverter } from '../../src/converters/string-converter.ts'
import { SimpleHeaderConverter } from '../../src/converters/simple-header-converter.ts'
import type { DeliveryCallback, RdKafkaProducer } from '../../src/kafka/rdkafka-producer.ts'
import { TransformationChain } from '../../src/runtime/transformation-chain.ts'
import { WorkerSourceTask } from '../../src/runtime/worker-source-task.ts'
import { createLogger } from '../../src/util/logger.ts'
import { waitFor } from '../helpers/wait-for.ts'

class CountingTask extends SourceTask {
  polls = 0
  next = 0
  /** The first polls throw RetriableError (a source system that is briefly unavailable). */
  retriableFailures = 0
  version (): string { return 'test' }
  start (): void {}
  stop (): void {}
  async poll (signal: AbortSignal): Promise<SourceRecord[] | null> {
    this.polls++
    if (signal.aborted) return null
    if (this.retriableFailures > 0) { this.retriableFailures--; throw new RetriableError('source briefly unavailable') }
    const records = Array.from({ length: 10 }, () => {
      const i = this.next++
      return sourceRecord({ sourcePartition: { p: 'a' }, sourceOffset: { n: i }, topic: 't', valueSchema: Schemas.STRING, value: `v${i}` })
    })
    await new Promise(resolve => setImmediate(resolve))
    return records
  }
}

/** A producer double: a bounded queue, deliveries acknowledged by the test. */
class FakeProducer {
  readonly pending: DeliveryCallback[] = []
  capacity: number
  fatalError = null
  constructor (capacity: number) { this.capacity = capacity }
  send (_t: string, _p: number | null, _v: Buffer | null, _k: Buffer | null, _ts: number | null, _h: unknown, cb: DeliveryCallback): boolean {
    if (this.pending.length >= this.capacity) return false
    this.pending.push(cb)
    return true
  }

  async drained (): Promise<void> { await new Promise(resolve => setTimeout(resolve, 5)) }
  ack (index: number): void {
    const cb = this.pending[index]!
    this.pending[index] = () => {}
    cb(null, { topic: 't', partition: 0, offset: index, timestamp: null })
  }

  async disconnect (): Promise<void> {}
}

function setup (capacity: number) {
  const task = new CountingTask()
  const producer = new FakeProducer(capacity)
  const flushed: Array<Record<string, unknown> | null> = []
  const value = new StringConverter()
  value.configure({}, false)
  const key = new StringConverter()
  key.configure({}, true)
  const wt = new WorkerSourceTask({
    id: { connector: 'c', task: 0 },
    task,
    props: {},
    createProducer: async () => producer as unknown as RdKafkaProducer,
    keyConverter: key,
    valueConverter: value,
    headerConverter: new SimpleHeaderConverter(),
    transformations: TransformationChain.EMPTY as TransformationChain<SourceRecord>,
    offsetStore: {
      get: () => null,
      set: async (_c, entries) => { for (const e of entries) flushed.push(e.offset) }
    },
    offsetFlushIntervalMs: 3600000,
    offsetFlushTimeoutMs: 200,
    defaultPartition: null,
    logger: createLogger('test'),
    listener: { onStateChange: () => {} }
  })
  return { task, producer, flushed, wt }
}

test('a full producer queue stops polling: memory stays bounded', async () => {
  const { task, producer, wt } = setup(25)
  wt.start()
  await waitFor(() => producer.pending.length === 25, { what: 'the queue to fill' })
  const pollsWhenFull = task.polls
  // Give the loop many chances to poll again; it must not while the queue is full.
  for (let i = 0; i < 20; i++) await new Promise(resolve => setTimeout(resolve, 5))
  assert.equal(task.polls, pollsWhenFull)
  assert.equal(producer.pending.length, 25)
  // Deliveries free room: polling resumes.
  producer.capacity = 60
  await waitFor(() => task.polls > pollsWhenFull, { what: 'polling to resume' })
  wt.signalStop()
  await wt.awaitStop(Date.now() + 2000)
})

test('offsets flush only up to the last record acknowledged in order', async () => {
  const { producer, flushed, wt } = setup(10)
  wt.start()
  await waitFor(() => producer.pending.length === 10, { what: 'ten records sent' })
  // Acknowledge 0, 1, 2 and 5: only offset n=2 is committable (3 and 4 are outstanding).
  for (const i of [0, 1, 2, 5]) producer.ack(i)
  await wt.commitOffsets()
  assert.deepEqual(flushed, [{ n: 2 }])
  for (const i of [3, 4]) producer.ack(i)
  await wt.commitOffsets()
  assert.deepEqual(flushed, [{ n: 2 }, { n: 5 }])
  wt.signalStop()
  await wt.awaitStop(Date.now() + 2000)
})

test('a RetriableError from poll() means "poll again", not a failed task', async () => {
  const { task, producer, wt } = setup(1000)
  task.retriableFailures = 2
  wt.start()
  await waitFor(() => producer.pending.length >= 10, { what: 'records after the retriable failures' })
  assert.equal(task.retriableFailures, 0)
  assert.equal(wt.state, 'RUNNING')
  wt.signalStop()
  producer.pending.forEach((_cb, i) => producer.ack(i))
  assert.ok(await wt.awaitStop(Date.now() + 5000))
  assert.notEqual(wt.state, 'FAILED')
})

test('a header value node-rdkafka cannot write byte for byte fails the task naming the header, instead of reaching Kafka altered', async () => {
  class HeaderTask extends SourceTask {
    sent = false
    version (): string { return 'test' }
    start (): void {}
    stop (): void {}
    async poll (signal: AbortSignal): Promise<SourceRecord[] | null> {
      await new Promise(resolve => setImmediate(resolve))
      if (this.sent || signal.aborted) return null
      this.sent = true
      const headers = Headers.EMPTY.with('text', Buffer.from('fine', 'utf8'), Schemas.BYTES).with('trace-id', Buffer.from([0xca, 0xfe, 0x00, 0x01]), Schemas.BYTES)
      return [sourceRecord({ sourcePartition: { p: 'a' }, sourceOffset: { n: 0 }, topic: 't', valueSchema: Schemas.STRING, value: 'v', headers })]
    }
  }
  const producer = new FakeProducer(100)
  const value = new StringConverter()
  value.configure({}, false)
  const headerConverter = new ByteArrayConverter()
  headerConverter.configure({}, false)
  const states: Array<{ state: string, trace?: string }> = []
  const wt = new WorkerSourceTask({
    id: { connector: 'c', task: 0 },
    task: new HeaderTask(),
    props: {},
    createProducer: async () => producer as unknown as RdKafkaProducer,
    keyConverter: value,
    valueConverter: value,
    headerConverter,
    transformations: TransformationChain.EMPTY as TransformationChain<SourceRecord>,
    offsetStore: { get: () => null, set: async () => {} },
    offsetFlushIntervalMs: 3600000,
    offsetFlushTimeoutMs: 200,
    defaultPartition: null,
    logger: createLogger('test'),
    listener: { onStateChange: (_id, state, trace) => { states.push({ state, trace }) } }
  })
  wt.start()
  await waitFor(() => wt.state === 'FAILED', { what: 'the task to fail' })
  assert.equal(producer.pending.length, 0, 'nothing was sent')
  const trace = states.find(s => s.state === 'FAILED')?.trace ?? ''
  assert.match(trace, /Header 'trace-id' cannot be written to Kafka byte for byte: it contains a NUL byte/)
  assert.match(trace, /HEADER_CONVERTER|header/i)
  await wt.awaitStop(Date.now() + 2000)
})

test('a task whose Kafka client cannot be created still releases what it holds: stop() and the transformation chain', async () => {
  const task = new CountingTask()
  let stopped = 0
  task.stop = () => { stopped++ }
  let chainClosed = 0
  const chain = Object.assign(Object.create(TransformationChain.EMPTY) as TransformationChain<SourceRecord>, { close: () => { chainClosed++ } })
  const value = new StringConverter()
  value.configure({}, false)
  const wt = new WorkerSourceTask({
    id: { connector: 'c', task: 0 },
    task,
    props: {},
    createProducer: async () => { throw new Error('no producer: bad ssl.truststore.location') },
    keyConverter: value,
    valueConverter: value,
    headerConverter: new SimpleHeaderConverter(),
    transformations: chain,
    offsetStore: { get: () => null, set: async () => {} },
    offsetFlushIntervalMs: 3600000,
    offsetFlushTimeoutMs: 200,
    defaultPartition: null,
    logger: createLogger('test'),
    listener: { onStateChange: () => {} }
  })
  wt.start()
  await waitFor(() => wt.state === 'FAILED', { what: 'the task to fail' })
  assert.match(wt.trace ?? '', /no producer: bad ssl\.truststore\.location/)
  assert.equal(await wt.awaitStop(Date.now() + 2000), true)
  assert.equal(chainClosed, 1, 'the transformation chain was closed')
  assert.equal(stopped, 1, 'task.stop() was called, as Apache closes a task whose start failed')
  assert.equal(task.polls, 0)
})
