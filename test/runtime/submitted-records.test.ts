/**
 * SubmittedRecords: offsets are committable only up to the first unacknowledged record of each source partition.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SubmittedRecords, partitionKey } from '../../src/runtime/submitted-records.ts'

test('out-of-order acks: an offset is committable only once every earlier record of its partition is acked', () => {
  const sr = new SubmittedRecords()
  const p = { file: 'a.txt' }
  const r1 = sr.submit(p, { position: 10 })
  const r2 = sr.submit(p, { position: 20 })
  const r3 = sr.submit(p, { position: 30 })
  assert.equal(sr.outstanding, 3)

  sr.ack(r3)
  sr.ack(r2)
  assert.deepEqual(sr.committableOffsets(), { offsets: [], committed: 0 }, 'r1 still blocks r2 and r3')
  assert.equal(sr.outstanding, 1)

  sr.ack(r1)
  assert.deepEqual(sr.committableOffsets(), { offsets: [{ partition: p, offset: { position: 30 } }], committed: 3 })
  assert.equal(sr.outstanding, 0)
  assert.deepEqual(sr.committableOffsets(), { offsets: [], committed: 0 }, 'nothing is committed twice')
})

test('the acknowledged prefix is committed, later gaps wait', () => {
  const sr = new SubmittedRecords()
  const p = { file: 'a.txt' }
  const recs = [1, 2, 3, 4, 5].map(n => sr.submit(p, { position: n }))
  sr.ack(recs[0]!)
  sr.ack(recs[1]!)
  sr.ack(recs[3]!)
  assert.deepEqual(sr.committableOffsets(), { offsets: [{ partition: p, offset: { position: 2 } }], committed: 2 })
  sr.ack(recs[2]!)
  assert.deepEqual(sr.committableOffsets(), { offsets: [{ partition: p, offset: { position: 4 } }], committed: 2 })
  sr.ack(recs[4]!)
  assert.deepEqual(sr.committableOffsets().offsets, [{ partition: p, offset: { position: 5 } }])
})

test('partitions are independent', () => {
  const sr = new SubmittedRecords()
  const a = { file: 'a' }
  const b = { file: 'b' }
  const a1 = sr.submit(a, { n: 1 })
  const b1 = sr.submit(b, { n: 1 })
  const a2 = sr.submit(a, { n: 2 })
  const b2 = sr.submit(b, { n: 2 })
  sr.ack(b1)
  sr.ack(b2)
  sr.ack(a2)
  assert.deepEqual(sr.committableOffsets(), { offsets: [{ partition: b, offset: { n: 2 } }], committed: 2 })
  sr.ack(a1)
  assert.deepEqual(sr.committableOffsets(), { offsets: [{ partition: a, offset: { n: 2 } }], committed: 2 })
})

test('partition identity ignores key order', () => {
  assert.equal(partitionKey({ a: 1, b: 'x' }), partitionKey({ b: 'x', a: 1 }))
  assert.notEqual(partitionKey({ a: 1 }), partitionKey({ a: '1' }))
  assert.notEqual(partitionKey({ a: 1n }), partitionKey({ a: 1 }))
  // int64 values past 2^53 keep their identity, and a bigint is not the string that spells it.
  assert.equal(partitionKey({ a: 2n ** 63n - 1n }), partitionKey({ a: 9223372036854775807n }))
  assert.notEqual(partitionKey({ a: 9007199254740993n }), partitionKey({ a: 9007199254740992n }))
  assert.notEqual(partitionKey({ a: 10n }), partitionKey({ a: '10n' }))
  assert.notEqual(partitionKey({ a: 10n }), partitionKey({ a: '10' }))

  const sr = new SubmittedRecords()
  const first = sr.submit({ db: 'x', table: 't' }, { id: 1 })
  const second = sr.submit({ table: 't', db: 'x' }, { id: 2 })
  assert.equal(first.partitionKey, second.partitionKey)
  sr.ack(second)
  assert.equal(sr.committableOffsets().offsets.length, 0, 'the reordered partition is the same queue, blocked by the first record')
  sr.ack(first)
  const { offsets, committed } = sr.committableOffsets()
  assert.equal(committed, 2)
  assert.equal(offsets.length, 1)
  assert.deepEqual(offsets[0]!.offset, { id: 2 })

  // Equal bigint values in two partition objects are one partition; a string spelling the same is another.
  const big = sr.submit({ n: 10n }, { id: 1 })
  const bigAgain = sr.submit({ n: 10n }, { id: 2 })
  const text = sr.submit({ n: '10n' }, { id: 3 })
  sr.ack(bigAgain)
  sr.ack(text)
  assert.deepEqual(sr.committableOffsets(), { offsets: [{ partition: { n: '10n' }, offset: { id: 3 } }], committed: 1 })
  sr.ack(big)
  assert.deepEqual(sr.committableOffsets(), { offsets: [{ partition: { n: 10n }, offset: { id: 2 } }], committed: 2 })
})

test('records without a source partition count as outstanding but carry no offset', () => {
  const sr = new SubmittedRecords()
  const r = sr.submit(null, null)
  assert.equal(sr.outstanding, 1)
  sr.ack(r)
  assert.equal(sr.outstanding, 0)
  assert.deepEqual(sr.committableOffsets(), { offsets: [], committed: 0 })
})

test('acking the same record twice counts once', () => {
  const sr = new SubmittedRecords()
  const r1 = sr.submit({ p: 1 }, { o: 1 })
  sr.submit({ p: 1 }, { o: 2 })
  sr.ack(r1)
  sr.ack(r1)
  assert.equal(sr.outstanding, 1)
})

test('a long acknowledged run is committed in full', () => {
  const sr = new SubmittedRecords()
  const recs = Array.from({ length: 10000 }, (_, i) => sr.submit({ p: 'x' }, { o: i }))
  for (const r of recs.slice(0, 9000)) sr.ack(r)
  assert.deepEqual(sr.committableOffsets(), { offsets: [{ partition: { p: 'x' }, offset: { o: 8999 } }], committed: 9000 })
  for (const r of recs.slice(9000)) sr.ack(r)
  assert.deepEqual(sr.committableOffsets(), { offsets: [{ partition: { p: 'x' }, offset: { o: 9999 } }], committed: 1000 })
})

test('awaitAllAcked resolves true at once when nothing is outstanding', async () => {
  assert.equal(await new SubmittedRecords().awaitAllAcked(0), true)
})

test('awaitAllAcked resolves true when the last record is acked', async () => {
  const sr = new SubmittedRecords()
  const r1 = sr.submit({ p: 1 }, { o: 1 })
  const r2 = sr.submit(null, null)
  const waiting = sr.awaitAllAcked(30000)
  sr.ack(r1)
  let settled = false
  void waiting.then(() => { settled = true })
  await new Promise(resolve => setImmediate(resolve))
  assert.equal(settled, false, 'one record is still outstanding')
  sr.ack(r2)
  assert.equal(await waiting, true)
})

test('awaitAllAcked resolves false when the timeout passes first', async () => {
  const sr = new SubmittedRecords()
  const r = sr.submit({ p: 1 }, { o: 1 })
  assert.equal(await sr.awaitAllAcked(20), false)
  // A later ack does not trip over the expired waiter, and a new wait still works.
  const again = sr.awaitAllAcked(30000)
  sr.ack(r)
  assert.equal(await again, true)
})
