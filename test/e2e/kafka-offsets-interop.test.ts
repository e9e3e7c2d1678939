/**
 * Issue 16's offsets interop on the real broker: source offsets move through a Kafka offsets topic between the real
 * Apache Kafka Connect 4.3.1 in distributed mode (test/harness/apache-connect-distributed.mjs) and our runner given
 * offset.storage.topic, in both directions. FileStreamSource reads the first half of a file on one side, which stops
 * once that half is in Kafka and its offset in the offsets topic; the second half is appended and the other side,
 * with the same connector name and the same offsets topic, must send exactly the second half. The offsets records
 * both write must be the same bytes: the same key, a value in the same JSON form, the same partition, no headers. The
 * connector names hold non-ASCII characters, so the key also shows both escape JSON strings alike.
 */
import assert from 'node:assert/strict'
import { appendFile, mkdtemp, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import Kafka from 'node-rdkafka'
import { freePort, javaProperties } from '../harness/apache-connect.mjs'
import { startApacheConnectDistributed, type ApacheConnectDistributed } from '../harness/apache-connect-distributed.mjs'
import { consumeAll, createTopic, kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'
import { spawnCli, type CliProcess } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'

const LINES = 2000
const HALF = LINES / 2
const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter'

interface OffsetsRecord { partition: number, offset: number, key: Buffer | null, value: Buffer | null, headers: number }

/** A temp dir, the topics a test made, and cleanups run last-registered-first, all undone even when the test fails. */
async function workspace (t: TestContext): Promise<{ dir: string, defer: (cleanup: () => unknown) => void, topics: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'kafka-offsets-interop-'))
  const cleanups: Array<() => unknown> = []
  const topics: string[] = []
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) {
      try { await cleanup() } catch (err) { process.stderr.write(`cleanup failed: ${String(err)}\n`) }
    }
    await deleteTopics(topics)
    await removeDir(dir)
  })
  return { dir, defer: cleanup => { cleanups.push(cleanup) }, topics }
}

async function deleteTopics (topics: readonly string[]): Promise<void> {
  const admin = Kafka.AdminClient.create({ 'bootstrap.servers': kafkaBootstrap(), 'client.id': 'kafka-offsets-interop-cleanup' })
  try {
    await Promise.all(topics.map(async topic => await new Promise<void>(resolve =>
      admin.deleteTopic(topic, 30000, err => {
        if (err && err.code !== Kafka.CODES.ERRORS.ERR_UNKNOWN_TOPIC_OR_PART) process.stderr.write(`deleting topic ${topic}: ${err.message}\n`)
        resolve()
      }))))
  } finally {
    admin.disconnect()
  }
}

/** Every record of `topic` up to its end offsets at the time of the call, ordered by partition, then offset. */
async function readTopic (topic: string): Promise<OffsetsRecord[]> {
  const consumer = new Kafka.KafkaConsumer({
    'bootstrap.servers': kafkaBootstrap(), 'group.id': `kafka-offsets-interop-${randomBytes(4).toString('hex')}`, 'enable.auto.commit': false
  }, {})
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 30000 }, err => { if (err) reject(err); else resolve() }))
  try {
    const metadata = await new Promise<Kafka.Metadata>((resolve, reject) =>
      consumer.getMetadata({ topic, timeout: 10000 }, (err, data) => { if (err) reject(err); else resolve(data) }))
    const partitions = metadata.topics.find(t => t.name === topic)?.partitions.map(p => p.id) ?? []
    if (partitions.length === 0) throw new Error(`Topic ${topic} does not exist`)
    const ends = new Map<number, number>()
    for (const partition of partitions) {
      const { lowOffset, highOffset } = await new Promise<Kafka.WatermarkOffsets>((resolve, reject) =>
        consumer.queryWatermarkOffsets(topic, partition, 10000, (err, offsets) => { if (err) reject(err); else resolve(offsets) }))
      if (highOffset > lowOffset) ends.set(partition, highOffset)
    }
    const out: OffsetsRecord[] = []
    if (ends.size === 0) return out
    consumer.assign([...ends.keys()].map(partition => ({ topic, partition, offset: -2 /* beginning */ })))
    const deadline = Date.now() + 30000
    while (ends.size > 0) {
      if (Date.now() > deadline) throw new Error(`Timed out reading ${topic} to its end offsets`)
      const batch = await new Promise<Kafka.Message[]>((resolve, reject) =>
        consumer.consume(500, (err, messages) => { if (err) reject(err); else resolve(messages) }))
      for (const m of batch) {
        const end = ends.get(m.partition)
        if (end === undefined || m.offset >= end) continue
        out.push({ partition: m.partition, offset: m.offset, key: m.key == null ? null : Buffer.from(m.key), value: m.value, headers: m.headers?.length ?? 0 })
        if (m.offset >= end - 1) ends.delete(m.partition)
      }
    }
    return out.sort((a, b) => a.partition - b.partition || a.offset - b.offset)
  } finally {
    await new Promise<void>(resolve => consumer.disconnect(() => resolve()))
  }
}

/** The records stored under `key`, in the order they were written (one partition holds them all). */
function recordsFor (records: readonly OffsetsRecord[], key: Buffer): OffsetsRecord[] {
  return records.filter(r => r.key?.equals(key))
}

type Failure = () => Promise<string | null>

/**
 * Polls `check` until it returns a value, for at most 60 s; ends at once when `failure` reports that the worker doing
 * the work died or failed (a broken worker must not look like a slow one).
 */
async function poll<T> (check: () => Promise<T | null>, failure: Failure, what: () => string): Promise<T> {
  const deadline = Date.now() + 60000
  for (;;) {
    const why = await failure()
    if (why) throw new Error(`while waiting for ${what()}: ${why}`)
    const value = await check()
    if (value !== null) return value
    if (Date.now() > deadline) throw new Error(`Timed out after 60 s waiting for ${what()}`)
    await new Promise(resolve => setTimeout(resolve, 250))
  }
}

/** Waits until the last offset stored under `key` is {"position": `position`}; returns that key's records. */
async function waitForPosition (topic: string, key: Buffer, position: number, what: string, failure: Failure): Promise<OffsetsRecord[]> {
  let last = '(none)'
  return await poll(async () => {
    const mine = recordsFor(await readTopic(topic), key)
    last = mine.at(-1)?.value?.toString() ?? '(none)'
    return last === `{"position":${position}}` ? mine : null
  }, failure, () => `${what}: offset {"position":${position}} in ${topic} (last stored: ${last})`)
}

/** How many records partition 0 of `topic` holds: its end offset (no transactions, no compaction). */
async function recordCount (topic: string): Promise<number> {
  const consumer = new Kafka.KafkaConsumer({ 'bootstrap.servers': kafkaBootstrap(), 'group.id': `kafka-offsets-interop-${randomBytes(4).toString('hex')}` }, {})
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 30000 }, err => { if (err) reject(err); else resolve() }))
  try {
    return await new Promise<number>((resolve, reject) =>
      consumer.queryWatermarkOffsets(topic, 0, 10000, (err, offsets) => { if (err) reject(err); else resolve(offsets.highOffset) }))
  } finally {
    await new Promise<void>(resolve => consumer.disconnect(() => resolve()))
  }
}

/**
 * The file's lines; `text(from, to)` is lines [from, to) as they are written, `bytes(n)` the length of the first n.
 * ASCII only: Apache's FileStreamSource counts its position in UTF-16 units (and skips that many bytes to resume),
 * ours in bytes, so non-ASCII lines would make the two disagree on every position (a FileStreamSource difference the
 * README lists, not the offsets store's).
 */
function fileLines (label: string): { lines: string[], text: (from: number, to: number) => string, bytes: (n: number) => number } {
  const tag = randomBytes(3).toString('hex')
  const lines = Array.from({ length: LINES }, (_, i) => `${label} line ${String(i).padStart(4, '0')} ${tag}`)
  const text = (from: number, to: number): string => lines.slice(from, to).map(l => `${l}\n`).join('')
  return { lines, text, bytes: n => Buffer.byteLength(text(0, n)) }
}

/** Our runner keeping its source offsets in `offsetsTopic`; killed at the end of the test if still running. */
async function startOurs (dir: string, defer: (cleanup: () => unknown) => void, offsetsTopic: string, connector: Record<string, string>): Promise<CliProcess> {
  const worker = join(dir, 'ours-worker.properties')
  await writeFile(worker, javaProperties({
    'bootstrap.servers': kafkaBootstrap(),
    'key.converter': STRING_CONVERTER,
    'value.converter': STRING_CONVERTER,
    'offset.storage.topic': offsetsTopic,
    'offset.storage.replication.factor': '1',
    'offset.storage.partitions': '5',
    'offset.flush.interval.ms': '500',
    listeners: `http://127.0.0.1:${await freePort()}`
  }))
  const connectorFile = join(dir, 'ours-connector.properties')
  await writeFile(connectorFile, javaProperties(connector))
  const cli = spawnCli([worker, connectorFile])
  defer(async () => { cli.kill('SIGKILL'); await cli.exited })
  return cli
}

/** Null while our runner runs, else its exit and output (for waits that must end at once when it died). */
function oursFailure (cli: CliProcess): Failure {
  return async () => cli.child.exitCode !== null || cli.child.signalCode !== null
    ? `our runner exited (code ${cli.child.exitCode}, signal ${cli.child.signalCode}):\n${cli.stderr.slice(-4000)}`
    : null
}

async function stopOurs (cli: CliProcess): Promise<void> {
  cli.kill('SIGTERM')
  const timer = setTimeout(() => cli.kill('SIGKILL'), 30000)
  const { code, signal } = await cli.exited
  clearTimeout(timer)
  assert.equal(code, 143, `our runner stops cleanly on SIGTERM (signal ${signal}):\n${cli.stderr.slice(-3000)}`)
}

async function waitForRecords (topic: string, count: number, what: string, failure: Failure): Promise<void> {
  let last = 0
  await poll(async () => { last = await recordCount(topic); return last >= count ? last : null }, failure,
    () => `${what}: ${count} records in ${topic} (${last} so far)`)
}

/** Topic `data` holds exactly `lines`, once each and in order, with null keys. */
async function assertExactlyOnce (data: string, lines: readonly string[]): Promise<void> {
  assert.equal(await recordCount(data), lines.length, `${data} holds exactly ${lines.length} records (nothing repeated)`)
  const records = await consumeAll(data, lines.length, 30000)
  assert.deepEqual(records.map(r => r.value?.toString()), lines, 'every line once, in order')
  assert.ok(records.every(r => r.key === null), 'FileStreamSource records have no key')
}

/** The offsets records written under `key` have Apache's form: that key, {"position":<n>} values, no headers. */
function assertOffsetsForm (records: readonly OffsetsRecord[], key: Buffer, who: string): void {
  assert.ok(records.length > 0, `${who} wrote an offset`)
  for (const r of records) {
    assert.ok(r.key?.equals(key), `${who}'s key bytes: ${r.key?.toString()}`)
    assert.match(r.value?.toString() ?? 'null', /^\{"position":\d+\}$/, `${who}'s value bytes`)
    assert.equal(r.headers, 0, `${who} writes no headers`)
  }
}

/** Fresh names for Apache's internal topics, registered for deletion before the worker creates them. */
function internalTopics (topics: string[]): Record<string, string> {
  const names = {
    'config.storage.topic': uniqueTopic('kafka-offsets-interop-configs'),
    'status.storage.topic': uniqueTopic('kafka-offsets-interop-status'),
    'offset.storage.topic': uniqueTopic('kafka-offsets-interop-offsets')
  }
  topics.push(...Object.values(names))
  return names
}

/** One diagnostic line per offsets record, in the test's output: who wrote it, where, and its bytes. */
function describeRecords (t: TestContext, who: string, records: readonly OffsetsRecord[]): void {
  for (const r of records) t.diagnostic(`${who}: partition ${r.partition} offset ${r.offset} key ${r.key?.toString() ?? 'null'} value ${r.value?.toString() ?? 'null'}`)
}

/**
 * The offsets key both sides must write, spelled out here: JsonConverter's compact JSON, in which Jackson keeps 'é' as
 * raw UTF-8 but escapes both UTF-16 surrogates of '🚀' in upper-case hex (JSON.stringify would keep it raw).
 */
function offsetsKey (name: string, file: string): Buffer {
  return Buffer.from(JSON.stringify([name, { filename: file }]).replaceAll('🚀', '\\uD83D\\uDE80'))
}

function connectorConfig (name: string, file: string, topic: string): Record<string, string> {
  return { name, 'connector.class': 'FileStreamSource', 'tasks.max': '1', file, topic }
}

test('Apache Connect distributed stops halfway; ours resumes from the same offsets topic, nothing lost or repeated', { timeout: 150000 }, async (t) => {
  const { dir, defer, topics } = await workspace(t)
  const name = `interop-a-é🚀-${randomBytes(3).toString('hex')}`
  const data = uniqueTopic('kafka-offsets-interop-a')
  topics.push(data)
  await createTopic(data, 1)
  const file = join(dir, 'input.txt')
  const { lines, text, bytes } = fileLines('interop-a')
  await writeFile(file, text(0, HALF))
  const key = offsetsKey(name, file)

  // Apache creates its offsets topic with its default 25 partitions.
  const apache: ApacheConnectDistributed = await startApacheConnectDistributed({ dir, workerProps: internalTopics(topics) })
  defer(async () => await apache.stop())
  await apache.createConnector(connectorConfig(name, file, data))
  await waitForRecords(data, HALF, 'Apache sends the first half', async () => await apache.failure())
  await waitForPosition(apache.topics.offset, key, bytes(HALF), 'Apache commits the first half', async () => await apache.failure())
  await apache.stopConnector(name)
  assert.deepEqual((await apache.connectorOffsets(name)).offsets, [{ partition: { filename: file }, offset: { position: bytes(HALF) } }])
  assert.equal((await apache.stop()).code, 143, apache.describe())
  const fromApache = recordsFor(await readTopic(apache.topics.offset), key)
  assertOffsetsForm(fromApache, key, 'Apache')
  assert.equal(fromApache.at(-1)!.value!.toString(), `{"position":${bytes(HALF)}}`)
  assert.equal(await recordCount(data), HALF, 'Apache sent the first half only')

  await appendFile(file, text(HALF, LINES))
  const ours = await startOurs(dir, defer, apache.topics.offset, connectorConfig(name, file, data))
  await waitForRecords(data, LINES, 'ours sends the second half', oursFailure(ours))
  await waitForPosition(apache.topics.offset, key, bytes(LINES), 'ours commits the whole file', oursFailure(ours))
  await stopOurs(ours)
  await assertExactlyOnce(data, lines)

  // Ours appended its records under Apache's key, in the partition Apache's producer chose (murmur2 of the key).
  const oursRecords = recordsFor(await readTopic(apache.topics.offset), key).slice(fromApache.length)
  assertOffsetsForm(oursRecords, key, 'ours')
  assert.ok(oursRecords.every(r => r.partition === fromApache[0]!.partition),
    `ours writes to partition ${fromApache[0]!.partition} as Apache did, not ${oursRecords.map(r => r.partition).join(',')}`)
  assert.equal(oursRecords.at(-1)!.value!.toString(), `{"position":${bytes(LINES)}}`)
  describeRecords(t, 'Apache', fromApache)
  describeRecords(t, 'ours', oursRecords)
})

test('ours stops halfway; Apache Connect distributed resumes from the offsets topic ours created, nothing lost or repeated; ours honours Apache\'s offsets reset', { timeout: 150000 }, async (t) => {
  const { dir, defer, topics } = await workspace(t)
  const name = `interop-b-é🚀-${randomBytes(3).toString('hex')}`
  const data = uniqueTopic('kafka-offsets-interop-b')
  const offsets = uniqueTopic('kafka-offsets-interop-offsets')
  topics.push(data, offsets)
  await createTopic(data, 1)
  const file = join(dir, 'input.txt')
  const { lines, text, bytes } = fileLines('interop-b')
  await writeFile(file, text(0, HALF))
  const key = offsetsKey(name, file)

  // Ours creates the offsets topic (5 partitions, compacted: Apache refuses an offsets topic that is not).
  const ours = await startOurs(dir, defer, offsets, connectorConfig(name, file, data))
  await waitForRecords(data, HALF, 'ours sends the first half', oursFailure(ours))
  await waitForPosition(offsets, key, bytes(HALF), 'ours commits the first half', oursFailure(ours))
  await stopOurs(ours)
  const fromOurs = recordsFor(await readTopic(offsets), key)
  assertOffsetsForm(fromOurs, key, 'ours')
  assert.equal(fromOurs.at(-1)!.value!.toString(), `{"position":${bytes(HALF)}}`)
  assert.equal(await recordCount(data), HALF, 'ours sent the first half only')

  await appendFile(file, text(HALF, LINES))
  const apache = await startApacheConnectDistributed({ dir, workerProps: { ...internalTopics(topics), 'offset.storage.topic': offsets } })
  defer(async () => await apache.stop())
  await apache.createConnector(connectorConfig(name, file, data))
  await waitForRecords(data, LINES, 'Apache sends the second half', async () => await apache.failure())
  await waitForPosition(offsets, key, bytes(LINES), 'Apache commits the whole file', async () => await apache.failure())
  await apache.stopConnector(name)
  assert.deepEqual((await apache.connectorOffsets(name)).offsets, [{ partition: { filename: file }, offset: { position: bytes(LINES) } }])
  await assertExactlyOnce(data, lines)

  // Apache appended its records under the key ours wrote, in the partition ours chose.
  const fromApache = recordsFor(await readTopic(offsets), key).slice(fromOurs.length)
  assertOffsetsForm(fromApache, key, 'Apache')
  assert.ok(fromOurs.every(r => r.partition === fromApache[0]!.partition),
    `ours wrote to partition ${fromOurs.map(r => r.partition).join(',')}, Apache to ${fromApache[0]!.partition}`)
  assert.equal(fromApache.at(-1)!.value!.toString(), `{"position":${bytes(LINES)}}`)
  describeRecords(t, 'ours', fromOurs)
  describeRecords(t, 'Apache', fromApache)

  // Apache's offsets reset (KIP-875) leaves a tombstone under that key; ours, started again, reads the file from its start.
  await apache.resetConnectorOffsets(name)
  const written = fromOurs.length + fromApache.length
  const tombstone = await poll(async () => recordsFor(await readTopic(offsets), key)[written] ?? null,
    async () => await apache.failure(), () => `Apache's tombstone for ${key.toString()} in ${offsets}`)
  assert.equal(tombstone.value, null, 'a reset is a null value')
  assert.equal(tombstone.partition, fromApache[0]!.partition, 'in the same partition')
  assert.equal(tombstone.headers, 0)
  describeRecords(t, 'Apache', [tombstone])
  assert.equal((await apache.stop()).code, 143, apache.describe())
  const again = await startOurs(dir, defer, offsets, connectorConfig(name, file, data))
  await waitForRecords(data, 2 * LINES, 'ours reads the whole file again after the reset', oursFailure(again))
  await waitForPosition(offsets, key, bytes(LINES), 'ours commits the whole file again', oursFailure(again))
  await stopOurs(again)
  await assertExactlyOnce(data, [...lines, ...lines])
})
