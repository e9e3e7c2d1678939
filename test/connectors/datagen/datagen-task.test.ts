/**
 * The Datagen task: seeded repeatability (same seed, same records; another seed or another task, other records), the
 * key from schema.keyfield, headers and offsets as kafka-connect-datagen writes them, the iterations limit, resuming
 * from a stored offset, and max.interval pacing and stop.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Schemas, Struct, schemaEquals, valueEquals, type OffsetMap, type SourceRecord } from '../../../src/api/index.ts'
import { DatagenTask } from '../../../connectors/datagen/datagen-task.ts'

function startTask (props: Record<string, string>, offset: OffsetMap | null = null): DatagenTask {
  const task = new DatagenTask()
  task.initialize({
    configs: () => props,
    offsetStorageReader: () => ({
      offset: (partition) => { assert.deepEqual(partition, { 'task.id': Number(props['task.id'] ?? 0) }); return offset },
      offsets: () => new Map()
    })
  })
  task.start({ 'kafka.topic': 'topic', 'max.interval': '0', 'task.id': '0', ...props })
  return task
}

async function take (task: DatagenTask, n: number): Promise<SourceRecord[]> {
  const out: SourceRecord[] = []
  while (out.length < n) {
    const batch = await task.poll(new AbortController().signal)
    assert.ok(batch !== null && batch.length > 0, 'the task generates records')
    out.push(...batch)
  }
  return out.slice(0, n)
}

const sameRecords = (a: SourceRecord[], b: SourceRecord[]): boolean =>
  a.length === b.length && a.every((r, i) => valueEquals(r.value, b[i]!.value) && valueEquals(r.key, b[i]!.key))

test('the same seed gives the same records; another seed, or another task of the connector, other ones', async () => {
  for (const quickstart of ['users', 'orders', 'clickstream', 'purchases']) {
    const a = await take(startTask({ quickstart, 'random.seed': '42' }), 50)
    const b = await take(startTask({ quickstart, 'random.seed': '42' }), 50)
    assert.ok(sameRecords(a, b), `${quickstart}: same seed`)
    const c = await take(startTask({ quickstart, 'random.seed': '43' }), 50)
    assert.ok(!sameRecords(a, c), `${quickstart}: another seed`)
    const task1 = await take(startTask({ quickstart, 'random.seed': '42', 'task.id': '1' }), 50)
    assert.ok(!sameRecords(a, task1), `${quickstart}: another task`)
    assert.ok(sameRecords(task1, await take(startTask({ quickstart, 'random.seed': '42', 'task.id': '1' }), 50)), `${quickstart}: task 1 repeats too`)
  }
  const unseeded = [await take(startTask({ quickstart: 'users' }), 20), await take(startTask({ quickstart: 'users' }), 20)]
  assert.ok(!sameRecords(unseeded[0]!, unseeded[1]!), 'without a seed, each run differs')
})

test('records: value struct, key from the key field, headers and offsets as kafka-connect-datagen writes them', async () => {
  const [first, second] = await take(startTask({ quickstart: 'users', 'random.seed': '1', 'task.id': '2' }), 2)
  assert.equal(first!.topic, 'topic')
  assert.equal(first!.kafkaPartition, null)
  assert.ok(first!.value instanceof Struct)
  assert.equal((first!.valueSchema)!.name, 'ksql.users')
  assert.ok(schemaEquals(first!.keySchema, Schemas.STRING))
  assert.equal(first!.key, (first!.value as Struct).get('userid'))
  assert.deepEqual(first!.sourcePartition, { 'task.id': 2 })
  assert.deepEqual(Object.keys(first!.sourceOffset!), ['task.generation', 'current.iteration', 'random.seed'])
  assert.equal(first!.sourceOffset!['task.generation'], 1)
  assert.equal(first!.sourceOffset!['current.iteration'], 1)
  assert.equal(second!.sourceOffset!['current.iteration'], 2)
  assert.notEqual(first!.sourceOffset!['random.seed'], second!.sourceOffset!['random.seed'])
  assert.deepEqual([...first!.headers].map(h => [h.key, h.value, h.schema?.type]), [['task.generation', 0, 'int64'], ['task.id', 2, 'int64'], ['current.iteration', 0, 'int64']])
  assert.equal([...second!.headers][2]!.value, 1)

  const [view] = await take(startTask({ quickstart: 'pageviews' }), 1)
  assert.ok(schemaEquals(view!.keySchema, Schemas.INT64), 'the key keeps its field\'s type')
  assert.equal(view!.key, 1)
  const [region] = await take(startTask({ quickstart: 'users', 'schema.keyfield': 'regionid' }), 1)
  assert.match(region!.key as string, /^Region_/)
  const [none] = await take(startTask({ 'schema.string': JSON.stringify({ type: 'record', name: 'r', fields: [{ name: 'a', type: 'int' }] }) }), 1)
  assert.equal(none!.key, null)
  assert.ok(schemaEquals(none!.keySchema, Schemas.OPTIONAL_STRING))
})

test('iterations: a task generates that many records, then none (it stays idle, it does not fail)', async () => {
  const task = startTask({ quickstart: 'orders', iterations: '3' })
  const first = await task.poll(new AbortController().signal)
  assert.equal(first!.length, 3)
  assert.deepEqual(first!.map(r => (r.value as Struct).get('orderid')), [0, 1, 2])
  const aborted = AbortSignal.abort()
  assert.equal(await task.poll(aborted), null)
  assert.equal(await task.poll(aborted), null)
  // A restart after the end generates nothing more.
  const again = startTask({ quickstart: 'orders', iterations: '3' }, first![2]!.sourceOffset)
  assert.equal(await again.poll(aborted), null)
  // 0 or less: no limit.
  assert.equal((await startTask({ quickstart: 'orders', iterations: '0' }).poll(aborted))!.length, 500)
})

test('a task resumes from its stored offset: the same records as if it had not stopped, seeded or not', async () => {
  for (const props of [{ quickstart: 'clickstream', 'random.seed': '7' }, { quickstart: 'orders' }, { quickstart: 'users_', 'task.id': '1' }] as Array<Record<string, string>>) {
    const whole = await take(startTask(props), 20)
    const resumed = await take(startTask(props, whole[11]!.sourceOffset), 8)
    assert.ok(sameRecords(resumed, whole.slice(12)), JSON.stringify(props))
    assert.equal([...resumed[0]!.headers][0]!.value, 1, 'the next task generation')
    assert.equal([...resumed[0]!.headers][2]!.value, 12)
    assert.equal(resumed[0]!.sourceOffset!['task.generation'], 2)
    assert.equal(resumed[0]!.sourceOffset!['current.iteration'], 13)
  }
  assert.throws(() => startTask({ quickstart: 'users' }, { position: 3 }), /The stored offset of Datagen task 0 is not one this connector writes/)
})

test('max.interval: one record per poll after a pause of at most max.interval; stop() ends a pause at once', async () => {
  const task = startTask({ quickstart: 'users', 'max.interval': '30' })
  for (let i = 0; i < 3; i++) assert.equal((await task.poll(new AbortController().signal))!.length, 1)
  const slow = startTask({ quickstart: 'users', 'max.interval': '600000' })
  const started = Date.now()
  // Math.random() decides the pause; poll until one is long enough to be cut short (almost always the first).
  let result: SourceRecord[] | null = []
  while (result !== null) {
    const polled = slow.poll(new AbortController().signal)
    setTimeout(() => slow.stop(), 20)
    result = await polled
  }
  assert.ok(Date.now() - started < 5000)
  assert.equal(await slow.poll(new AbortController().signal), null, 'a stopped task generates nothing')
})
