/**
 * Differential tests on the real broker: the same worker and connector configuration runs once in the real Apache
 * Kafka Connect 4.3.1 standalone worker (test/harness/apache-connect.mjs) and once in ours, one after the other, and
 * what they wrote must be the same bytes.
 *
 *  - source: FileStreamSource → an SMT chain (HoistField, InsertField, ValueToKey, Cast, MaskField, InsertHeader,
 *    RegexRouter) → JsonConverter with schemas, compared record by record in Kafka (key, value, headers);
 *  - sink: JSON records with schemas → Filter guarded by a negated HasHeaderKey → ExtractField → FileStreamSink,
 *    compared as output files.
 *
 * Two more tests cover differences this suite found and we then fixed: Java's replacement of encoded surrogates in
 * malformed UTF-8, and the HashMap iteration order of maps JsonConverter reads.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { isDeepStrictEqual } from 'node:util'
import Kafka from 'node-rdkafka'
import { freePort, javaProperties, startApacheConnect } from '../harness/apache-connect.mjs'
import { javaConsume, type JavaConsumedRecord } from '../harness/java-consumer.mjs'
import { consumeAll, createTopic, kafkaBootstrap, produceMessages, uniqueTopic, type ConsumedMessage, type TestMessage } from '../harness/kafka.ts'
import { spawnCli, type CliProcess } from '../helpers/cli.ts'
import { readLines } from '../helpers/pipeline.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { removeDir } from '../helpers/remove-dir.ts'

type Props = Record<string, string>

/** A temporary directory, and cleanups that run last-registered-first before it is removed (even when a test fails). */
async function workspace (t: TestContext, prefix: string): Promise<{ dir: string, defer: (cleanup: () => unknown) => void }> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  const cleanups: Array<() => unknown> = []
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) {
      try { await cleanup() } catch (err) { process.stderr.write(`cleanup failed: ${String(err)}\n`) }
    }
    if (process.env.DIFF_KEEP_DIR) process.stderr.write(`kept ${dir}\n`)
    else await removeDir(dir)
  })
  return { dir, defer: cleanup => { cleanups.push(cleanup) } }
}

/** Rejects as soon as our worker exits, with its output: a worker that failed must not look like a slow one. */
function failOnExit (cli: CliProcess): Promise<never> {
  return cli.exited.then(({ code, signal }) => {
    throw new Error(`our worker exited (code ${code}, signal ${signal}):\n${cli.stderr.slice(-4000)}`)
  })
}

/** Our worker with the same worker settings (its own offsets file and REST port), ready once it logs that it started. */
async function startOurs (dir: string, defer: (cleanup: () => unknown) => void, workerProps: Props, connectorProps: Props[]): Promise<CliProcess> {
  const worker = join(dir, 'ours-worker.properties')
  await writeFile(worker, javaProperties({
    'bootstrap.servers': kafkaBootstrap(),
    'offset.storage.file.filename': join(dir, 'ours-connect.offsets'),
    ...workerProps,
    listeners: `http://127.0.0.1:${await freePort()}`
  }))
  const files = await Promise.all(connectorProps.map(async (props, i) => {
    const file = join(dir, `ours-connector-${i}.properties`)
    await writeFile(file, javaProperties(props))
    return file
  }))
  const cli = spawnCli([worker, ...files])
  defer(() => stopOurs(cli))
  await Promise.race([cli.waitForOutput(/Kafka Connect started/, 60000), failOnExit(cli)])
  return cli
}

/** SIGTERM, then SIGKILL if it has not stopped after 30 s. */
async function stopOurs (cli: CliProcess): Promise<{ code: number | null, signal: NodeJS.Signals | null }> {
  cli.kill('SIGTERM')
  const timer = setTimeout(() => cli.kill('SIGKILL'), 30000)
  try {
    return await cli.exited
  } finally {
    clearTimeout(timer)
  }
}

/** The end offset of partition 0: how many records the topic holds, to catch a run that wrote more than expected. */
async function endOffset (topic: string): Promise<number> {
  const consumer = new Kafka.KafkaConsumer({ 'bootstrap.servers': kafkaBootstrap(), 'group.id': `diff-watermark-${Date.now()}` }, {})
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 30000 }, err => { if (err) reject(err); else resolve() }))
  try {
    return await new Promise<number>((resolve, reject) =>
      consumer.queryWatermarkOffsets(topic, 0, 10000, (err, offsets) => { if (err) reject(err); else resolve(offsets.highOffset) }))
  } finally {
    await new Promise<void>(resolve => consumer.disconnect(() => resolve()))
  }
}

/** Bytes shown as text when they are valid UTF-8 (so assertion diffs are readable), else as hex. */
function show (bytes: Buffer | null): string | null {
  if (bytes === null) return null
  const text = bytes.toString('utf8')
  return Buffer.from(text, 'utf8').equals(bytes) ? text : `hex:${bytes.toString('hex')}`
}

type Comparable = { key: string | null, value: string | null, headers: Array<[string, string | null]> }

function asComparable (record: ConsumedMessage, value: Buffer | null = record.value): Comparable {
  return { key: show(record.key), value: show(value), headers: record.headers.map(h => [h.key, show(h.value)]) }
}

const TS_FIELD = /"ts":"([^"]*)"/g

/**
 * The record as compared when its value has a `ts` field holding the record's timestamp, which no two runs share: it
 * must be exactly the Kafka record's timestamp in Cast's text form (ISO 8601 in UTC, as java.util.Date values become
 * strings through Values.dateFormatFor), and only then is it replaced by a placeholder. The replacement works on
 * latin1 text, so every other byte stays as it was.
 */
function withoutTimestamp (record: ConsumedMessage, where: string): Comparable {
  if (record.value === null) return asComparable(record)
  const text = record.value.toString('latin1')
  const found = [...text.matchAll(TS_FIELD)]
  assert.equal(found.length, 1, `${where}: one "ts" field in ${show(record.value)}`)
  assert.equal(found[0]![1], new Date(record.timestamp!).toISOString(), `${where}: the ts field is the record's timestamp (${record.timestamp})`)
  return asComparable(record, Buffer.from(text.replace(TS_FIELD, '"ts":"<record timestamp>"'), 'latin1'))
}

/**
 * Writes `lines` (each with its terminator) to a file and runs the same FileStreamSource configuration in Apache Kafka
 * Connect and then in ours. `connector(run)` must route the records to `outTopic(run)`; both topics are created
 * here. Returns both runs' records, after checking each wrote exactly one record per line.
 */
async function runSourceBoth (t: TestContext, options: {
  lines: Array<{ bytes: Buffer, terminator: string }>
  worker: Props
  connector: (run: string, input: string, outTopic: (run: string) => string) => Props
}): Promise<{ fromApache: ConsumedMessage[], fromOurs: ConsumedMessage[] }> {
  const { dir, defer } = await workspace(t, 'diff-source-')
  const base = uniqueTopic('diffsrc')
  const outTopic = (run: string): string => `${base}-${run}`
  await createTopic(outTopic('apache'), 1)
  await createTopic(outTopic('ours'), 1)
  const input = join(dir, 'input.txt')
  await writeFile(input, Buffer.concat(options.lines.flatMap(l => [l.bytes, Buffer.from(l.terminator)])))
  const count = options.lines.length

  const apache = await startApacheConnect({ dir, workerProps: options.worker, connectorProps: [options.connector('apache', input, outTopic)] })
  defer(() => apache.stop())
  const fromApache = await consumeAll(outTopic('apache'), count, 60000).catch((err: Error) => assert.fail(`${err.message}\n${apache.describe()}`))
  await apache.stop()
  assert.equal(await endOffset(outTopic('apache')), count, `Apache wrote ${count} records\n${apache.describe()}`)

  const ours = await startOurs(dir, defer, options.worker, [options.connector('ours', input, outTopic)])
  const fromOurs = await Promise.race([consumeAll(outTopic('ours'), count, 60000), failOnExit(ours)])
  const exit = await stopOurs(ours)
  assert.equal(exit.code, 143, ours.stderr.slice(-2000))
  assert.equal(await endOffset(outTopic('ours')), count, 'we wrote as many records as Apache')
  return { fromApache, fromOurs }
}

/** Every record that differs, each with the input line it came from, in one assertion (so one run shows them all). */
function assertSameRecords (actual: Comparable[], expected: Comparable[], lines: Buffer[]): void {
  const differing = expected.flatMap((e, i) => (isDeepStrictEqual(actual[i], e) ? [] : [i]))
  const label = (i: number): string => `record ${i} from line ${show(lines[i]!.subarray(0, 40))}`
  assert.deepEqual(differing.map(i => ({ record: label(i), ...actual[i]! })), differing.map(i => ({ record: label(i), ...expected[i]! })),
    `${differing.length} of ${expected.length} records differ from Apache's`)
}

const JSON_WORKER: Props = {
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'key.converter.schemas.enable': 'true',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'true',
  'offset.flush.interval.ms': '1000'
}

/**
 * Lines of the source file: ASCII, multi-byte UTF-8 (BMP and astral), digits, empty and blank, escapes, controls, and
 * byte sequences that are not UTF-8 (encoded surrogates, which Node and Java decode differently, have their own test).
 */
const SOURCE_LINES: Buffer[] = [
  'plain ascii line',
  'héllo wörld, ça va?',
  '日本語のテキスト',
  'emoji 🚀🎉 and a clef 𝄞',
  'Ωμέγα ελληνικά',
  '12345',
  '007',
  '-3.5e10',
  '0',
  '',
  ' ',
  '\t',
  '   leading and trailing spaces   ',
  'quote " backslash \\ slash / braces {} [] :,',
  'controls \u0001 \u001f and delete \u007f',
  'line separator \u2028 paragraph \u2029 bom \ufeff',
  '<script>&amp;</script>',
  'x'.repeat(3000) + ' long line ' + '€'.repeat(1000)
].map(line => Buffer.from(line, 'utf8')).concat([
  // A stray 0xFF, a truncated three-byte sequence, an overlong NUL, a code point beyond U+10FFFF.
  Buffer.from([0x62, 0xff, 0x61]),
  Buffer.from([0xe6, 0x97, 0x20, 0x78]),
  Buffer.from([0x6f, 0xc0, 0x80, 0x6f]),
  Buffer.from([0x6d, 0xf4, 0x90, 0x80, 0x80, 0x6d]),
  Buffer.from('back to normal', 'utf8')
])

test('source: FileStreamSource → HoistField, InsertField, ValueToKey, Cast, MaskField, InsertHeader, RegexRouter → JsonConverter writes the same bytes as Apache Kafka Connect', { timeout: 300000 }, async (t) => {
  const sourceTopic = uniqueTopic('diffsrc-in')
  // Both runs use this configuration; only RegexRouter's replacement differs, so each writes its own topic while
  // InsertField's topic field (set before the router) names the same source topic in both.
  const connector = (run: string, input: string, outTopic: (run: string) => string): Props => ({
    name: 'diff-source',
    'connector.class': 'FileStreamSource',
    'tasks.max': '1',
    file: input,
    topic: sourceTopic,
    transforms: 'hoist,insert,tokey,cast,mask,tag,route',
    'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
    'transforms.hoist.field': 'line',
    // offset.field applies to sink records only; a source record's Kafka partition is unset, so part is null.
    'transforms.insert.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
    'transforms.insert.static.field': 'origin',
    'transforms.insert.static.value': 'file source ✓',
    'transforms.insert.topic.field': 'topic',
    'transforms.insert.partition.field': 'part',
    'transforms.insert.timestamp.field': 'ts',
    'transforms.tokey.type': 'org.apache.kafka.connect.transforms.ValueToKey',
    'transforms.tokey.fields': 'line',
    // The Timestamp becomes its text form (checked against the record timestamp, see withoutTimestamp()); the null
    // partition keeps its null value under a new optional int64 schema.
    'transforms.cast.type': 'org.apache.kafka.connect.transforms.Cast$Value',
    'transforms.cast.spec': 'ts:string,part:int64',
    'transforms.mask.type': 'org.apache.kafka.connect.transforms.MaskField$Value',
    'transforms.mask.fields': 'origin',
    'transforms.mask.replacement': '«masked»',
    // Parsed by Values.parseString into an array of INT8, written back by SimpleHeaderConverter.
    'transforms.tag.type': 'org.apache.kafka.connect.transforms.InsertHeader',
    'transforms.tag.header': 'tag',
    'transforms.tag.value.literal': '[1, 2, 3]',
    'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
    'transforms.route.regex': '.*',
    'transforms.route.replacement': outTopic(run)
  })
  // Mostly \n, with one \r\n and one lone \r terminator in the middle (never last: a final \r waits for a possible \n).
  const lines = SOURCE_LINES.map((bytes, i) => ({ bytes, terminator: i === 3 ? '\r\n' : i === 6 ? '\r' : '\n' }))
  const { fromApache, fromOurs } = await runSourceBoth(t, { lines, worker: JSON_WORKER, connector })

  // Sanity of the reference itself, so that a broken Apache run can not make the comparison vacuous.
  assert.equal(show(fromApache[1]!.key), '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"line"}],"optional":false},"payload":{"line":"héllo wörld, ça va?"}}')
  assert.match(show(fromApache[1]!.value)!, new RegExp(`"payload":\\{"line":"héllo wörld, ça va\\?","topic":"${sourceTopic}","part":null,"ts":"[^"]+","origin":"«masked»"\\}\\}$`))
  assert.deepEqual(fromApache[0]!.headers, [{ key: 'tag', value: Buffer.from('[1,2,3]') }])

  assertSameRecords(fromOurs.map((r, i) => withoutTimestamp(r, `our record ${i}`)), fromApache.map((r, i) => withoutTimestamp(r, `Apache record ${i}`)), SOURCE_LINES)
})

/** Surrogate code points encoded in three bytes each (CESU-8 / "WTF-8"), which UTF-8 forbids. */
const SURROGATE_LINES: Buffer[] = [
  Buffer.from([0x73, 0xed, 0xa0, 0x80, 0x73]), // s, U+D800 encoded, s
  Buffer.from([0x68, 0xed, 0xbf, 0xbf, 0x68]), // h, U+DFFF encoded, h
  Buffer.from([0x72, 0xed, 0xa0, 0xbd, 0xed, 0xba, 0x80, 0x72]), // r, U+1F680 as a CESU-8 surrogate pair, r
  Buffer.from('plain', 'utf8')
]

// Java's UTF-8 decoder (JDK 17, as used by FileStreamSourceTask's InputStreamReader) replaces each three-byte encoded
// surrogate (ED A0..BF xx) with ONE U+FFFD, where Node's WHATWG decoder gives three; src/java/utf8.ts follows Java.
test('source: FileStreamSource decodes encoded surrogates (invalid UTF-8) into the same replacement characters as Apache Kafka Connect', { timeout: 300000 }, async (t) => {
  const worker: Props = {
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.flush.interval.ms': '1000'
  }
  const connector = (run: string, input: string, outTopic: (run: string) => string): Props => ({
    name: 'diff-source-surrogates',
    'connector.class': 'FileStreamSource',
    file: input,
    topic: outTopic(run)
  })
  const { fromApache, fromOurs } = await runSourceBoth(t, { lines: SURROGATE_LINES.map(bytes => ({ bytes, terminator: '\n' })), worker, connector })
  assert.equal(show(fromApache[0]!.value), 's\ufffds', 'Apache decodes one encoded surrogate into one U+FFFD')
  assertSameRecords(fromOurs.map(r => asComparable(r)), fromApache.map(r => asComparable(r)), SURROGATE_LINES)
})

/** The value envelope of a sink input record: a struct { id, v } where v has a different schema in each record. */
function envelope (id: number, v: { schema: unknown, payload: unknown }): string {
  return JSON.stringify({
    schema: { type: 'struct', optional: false, fields: [{ field: 'id', type: 'int32', optional: false }, { field: 'v', ...(v.schema as object) }] },
    payload: { id, v: v.payload }
  })
}

const KEEP = [{ key: 'keep', value: 'yes' }]

/** Records for the sink: `keep` marks those that pass the filter; the field `v` holds every kind of Connect value. */
const SINK_RECORDS: TestMessage[] = [
  { key: 'k0', value: envelope(0, { schema: { type: 'string', optional: false }, payload: 'plain text' }), headers: KEEP },
  { key: 'k1', value: envelope(1, { schema: { type: 'string', optional: false }, payload: 'dropped: no keep header' }) },
  { key: 'k2', value: envelope(2, { schema: { type: 'string', optional: false }, payload: 'héllo 🚀 日本語 Ωμέγα' }), headers: KEEP },
  { key: 'k3', value: envelope(3, { schema: { type: 'int32', optional: false }, payload: 42 }), headers: [{ key: 'other', value: 'x' }, { key: 'keep', value: '' }] },
  { key: 'k4', value: envelope(4, { schema: { type: 'int64', optional: false }, payload: -1234567890123456 }), headers: KEEP },
  { key: 'k5', value: envelope(5, { schema: { type: 'double', optional: false }, payload: 1e10 }), headers: KEEP },
  { key: 'k6', value: envelope(6, { schema: { type: 'double', optional: false }, payload: 0.1 }), headers: KEEP },
  { key: 'k7', value: envelope(7, { schema: { type: 'float', optional: false }, payload: 0.3 }), headers: KEEP },
  { key: 'k8', value: envelope(8, { schema: { type: 'boolean', optional: false }, payload: true }), headers: KEEP },
  { key: 'k9', value: envelope(9, { schema: { type: 'int32', optional: false }, payload: 7 }), headers: [{ key: 'KEEP', value: 'case differs: dropped' }] },
  { key: 'k10', value: envelope(10, { schema: { type: 'struct', optional: false, fields: [{ field: 'a', type: 'string', optional: false }, { field: 'b', type: 'int64', optional: true }] }, payload: { a: 'x y', b: null } }), headers: KEEP },
  { key: 'k11', value: envelope(11, { schema: { type: 'array', optional: false, items: { type: 'int32', optional: false } }, payload: [1, 2, 3] }), headers: KEEP },
  { key: 'k12', value: envelope(12, { schema: { type: 'map', optional: false, keys: { type: 'string', optional: false }, values: { type: 'int32', optional: false } }, payload: { 'one key': 1 } }), headers: KEEP },
  { key: 'k13', value: envelope(13, { schema: { type: 'string', optional: true }, payload: null }), headers: KEEP },
  { key: 'k14', value: envelope(14, { schema: { type: 'bytes', optional: false, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2' } }, payload: 'AZA=' }), headers: KEEP },
  { key: 'k15', value: null, headers: KEEP },
  { key: 'k16', value: envelope(16, { schema: { type: 'string', optional: false }, payload: 'dropped too' }), headers: [{ key: 'other', value: 'keep' }] },
  { key: 'k17', value: envelope(17, { schema: { type: 'string', optional: false }, payload: 'the last one' }), headers: KEEP }
]

const SINK_WORKER: Props = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'true',
  'offset.flush.interval.ms': '1000'
}

/**
 * Produces `records` to a fresh topic, then runs a FileStreamSink with `transforms` over it in Apache Kafka Connect
 * and then in ours, each until its file has `lines` lines. Each run has its own connector name, hence its own consumer
 * group (connect-<name>) reading from the start. Returns both files.
 */
async function runSinkBoth (t: TestContext, options: { records: TestMessage[], transforms: Props, lines: number }): Promise<{ expected: Buffer, actual: Buffer }> {
  const { dir, defer } = await workspace(t, 'diff-sink-')
  const topic = uniqueTopic('diffsink')
  await createTopic(topic, 1)
  await produceMessages(topic, options.records)
  const connector = (run: string): Props => ({
    name: `diff-sink-${run}-${topic}`,
    'connector.class': 'FileStreamSink',
    'tasks.max': '1',
    topics: topic,
    file: join(dir, `${run}.sink.txt`),
    ...options.transforms
  })
  const linesOf = async (run: string): Promise<string[] | null> => {
    const lines = await readLines(join(dir, `${run}.sink.txt`))
    return lines.length >= options.lines ? lines : null
  }

  const apache = await startApacheConnect({ dir, workerProps: SINK_WORKER, connectorProps: [connector('apache')] })
  defer(() => apache.stop())
  const reference = await waitFor(async () => {
    const failure = await apache.failure()
    return failure ? { failure } : (await linesOf('apache')) && { failure: null }
  }, { timeoutMs: 60000, what: `${options.lines} lines from Apache's FileStreamSink` }).catch((err: Error) => ({ failure: `${err.message}\n${apache.describe()}` }))
  if (reference.failure) assert.fail(`the reference run failed: ${reference.failure}`)
  await apache.stop()
  const expected = await readFile(join(dir, 'apache.sink.txt'))
  assert.equal((await readLines(join(dir, 'apache.sink.txt'))).length, options.lines, `Apache wrote ${options.lines} lines:\n${expected.toString()}`)

  const ours = await startOurs(dir, defer, SINK_WORKER, [connector('ours')])
  await Promise.race([waitFor(() => linesOf('ours'), { timeoutMs: 60000, what: `${options.lines} lines from our FileStreamSink` }), failOnExit(ours)])
  const exit = await stopOurs(ours)
  assert.equal(exit.code, 143, ours.stderr.slice(-2000))
  return { expected, actual: await readFile(join(dir, 'ours.sink.txt')) }
}

/** Line by line first, for a readable diff; then the bytes, which also cover terminators and encoding. */
function assertSameFile (actual: Buffer, expected: Buffer): void {
  assert.ok(expected.length > 0 && actual.length > 0, 'both sink files have content')
  assert.deepEqual(actual.toString('utf8').split('\n'), expected.toString('utf8').split('\n'))
  assert.ok(actual.equals(expected), 'the sink files are byte-identical')
}

test('sink: Filter with a negated HasHeaderKey and ExtractField → FileStreamSink write the same file as Apache Kafka Connect', { timeout: 300000 }, async (t) => {
  const { expected, actual } = await runSinkBoth(t, {
    records: SINK_RECORDS,
    lines: SINK_RECORDS.filter(r => r.headers?.some(h => h.key === 'keep')).length,
    transforms: {
      transforms: 'filter,extract',
      'transforms.filter.type': 'org.apache.kafka.connect.transforms.Filter',
      'transforms.filter.predicate': 'hasKeep',
      'transforms.filter.negate': 'true',
      'transforms.extract.type': 'org.apache.kafka.connect.transforms.ExtractField$Value',
      'transforms.extract.field': 'v',
      predicates: 'hasKeep',
      'predicates.hasKeep.type': 'org.apache.kafka.connect.transforms.predicates.HasHeaderKey',
      'predicates.hasKeep.name': 'keep'
    }
  })
  // The reference must show the filter and the extraction at work before it can judge anything.
  assert.match(expected.toString(), /^plain text\nhéllo 🚀 日本語 Ωμέγα\n42\n/)
  assertSameFile(actual, expected)
})

const STRING_INT_MAP = { type: 'map', optional: false, keys: { type: 'string', optional: false }, values: { type: 'int32', optional: false } }

/** Map values whose JSON order is not Java's HashMap iteration order. */
const MAP_RECORDS: TestMessage[] = [
  { key: 'm0', value: JSON.stringify({ schema: STRING_INT_MAP, payload: { b: 1, a: 2 } }) },
  { key: 'm1', value: JSON.stringify({ schema: STRING_INT_MAP, payload: { zeta: 1, alpha: 2, 10: 3, Z: 4, é: 5, 'key-with-dash': 6, '': 7 } }) },
  // A map with int32 keys is an array of [key, value] pairs in JsonConverter's envelope.
  { key: 'm2', value: JSON.stringify({ schema: { type: 'map', optional: false, keys: { type: 'int32', optional: false }, values: { type: 'string', optional: false } }, payload: [[30, 'c'], [1, 'a'], [17, 'b']] }) },
  // Schemaless (schema null): a JSON object becomes a map all the same.
  { key: 'm3', value: JSON.stringify({ schema: null, payload: { b: 1, a: 2 } }) }
]

// Apache's JsonConverter reads a map into a java.util.HashMap, so FileStreamSink prints it (Map.toString) in HashMap
// iteration order ({b:1,a:2} -> "{a=2, b=1}"); ours reorders what it reads the same way (src/java/hash-map.ts).
test('sink: maps read by JsonConverter reach FileStreamSink in Java HashMap order, as in Apache Kafka Connect', { timeout: 300000 }, async (t) => {
  const { expected, actual } = await runSinkBoth(t, { records: MAP_RECORDS, lines: MAP_RECORDS.length, transforms: {} })
  assert.match(expected.toString(), /^\{a=2, b=1\}\n/, 'Apache prints the first map in HashMap order')
  assertSameFile(actual, expected)
})

/** Lines with nothing or only blanks in them, each with its terminator: every empty one must stay an empty value. */
const BLANK_LINES_LF = ['first', '', '   ', '\t', '', '', ' a b ', '\u00a0', '', 'last'].map(text => ({ text, terminator: '\n' }))
/** The same kinds of lines ended by \r\n and lone \r too (a \r right before \r\n ends an empty line of its own). */
const BLANK_LINES_MIXED = [
  { text: 'crlf', terminator: '\r\n' }, { text: '', terminator: '\r\n' }, { text: 'lone cr', terminator: '\r' },
  { text: '', terminator: '\r' }, { text: '  ', terminator: '\r\n' }, { text: '', terminator: '\n' },
  { text: 'cr then crlf', terminator: '\r' }, { text: '', terminator: '\r\n' }, { text: 'end', terminator: '\n' }
]

function fileOf (lines: Array<{ text: string, terminator: string }>): Buffer {
  return Buffer.from(lines.map(l => l.text + l.terminator).join(''), 'utf8')
}

// Empty lines must arrive in Kafka as empty values, never null: node-rdkafka writes a zero-length Buffer as NULL (a
// tombstone on a compacted topic, and the word "null" in a FileStreamSink). Each line also becomes the record's key
// (HoistField → ValueToKey → ExtractField$Key → ExtractField$Value) and InsertHeader adds an empty header value, so
// empty keys and empty header values are covered too. Both workers run the same four connectors; Kafka's Java
// consumer is the judge of what reached Kafka, and the sink files must be byte for byte the same.
test('source → sink: empty and blank lines, CRLF and lone CR become empty values, keys and header values (not null), and FileStreamSink writes them back as Apache does', { timeout: 300000 }, async (t) => {
  const { dir, defer } = await workspace(t, 'diff-empty-')
  const base = uniqueTopic('diffempty')
  const worker: Props = {
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.flush.interval.ms': '1000'
  }
  const inputs = { lf: fileOf(BLANK_LINES_LF), mixed: fileOf(BLANK_LINES_MIXED) }
  const counts = { lf: BLANK_LINES_LF.length, mixed: BLANK_LINES_MIXED.length }
  const topic = (run: string, kind: string): string => `${base}-${run}-${kind}`
  const sinkFile = (run: string, kind: string): string => join(dir, `${run}-${kind}.sink.txt`)
  for (const kind of ['lf', 'mixed'] as const) await writeFile(join(dir, `${kind}.txt`), inputs[kind])
  const connectors = (run: string): Props[] => (['lf', 'mixed'] as const).flatMap((kind): Props[] => [{
    name: `empty-source-${kind}`,
    'connector.class': 'FileStreamSource',
    file: join(dir, `${kind}.txt`),
    topic: topic(run, kind),
    transforms: 'hoist,tokey,key,value,tag',
    'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
    'transforms.hoist.field': 'line',
    'transforms.tokey.type': 'org.apache.kafka.connect.transforms.ValueToKey',
    'transforms.tokey.fields': 'line',
    'transforms.key.type': 'org.apache.kafka.connect.transforms.ExtractField$Key',
    'transforms.key.field': 'line',
    'transforms.value.type': 'org.apache.kafka.connect.transforms.ExtractField$Value',
    'transforms.value.field': 'line',
    'transforms.tag.type': 'org.apache.kafka.connect.transforms.InsertHeader',
    'transforms.tag.header': 'empty',
    'transforms.tag.value.literal': ''
  }, {
    name: `empty-sink-${kind}`,
    'connector.class': 'FileStreamSink',
    topics: topic(run, kind),
    file: sinkFile(run, kind)
  }])
  for (const run of ['apache', 'ours']) for (const kind of ['lf', 'mixed']) await createTopic(topic(run, kind), 1)
  const sinksDone = (run: string) => async (): Promise<boolean> =>
    (await readLines(sinkFile(run, 'lf'))).length >= counts.lf && (await readLines(sinkFile(run, 'mixed'))).length >= counts.mixed

  const apache = await startApacheConnect({ dir, workerProps: worker, connectorProps: connectors('apache') })
  defer(() => apache.stop())
  await waitFor(sinksDone('apache'), { timeoutMs: 90000, what: 'both of Apache\'s sink files' }).catch((err: Error) => assert.fail(`${err.message}\n${apache.describe()}`))
  await apache.stop()

  const ours = await startOurs(dir, defer, worker, connectors('ours'))
  await Promise.race([waitFor(sinksDone('ours'), { timeoutMs: 90000, what: 'both of our sink files' }), failOnExit(ours)])
  const exit = await stopOurs(ours)
  assert.equal(exit.code, 143, ours.stderr.slice(-2000))

  for (const kind of ['lf', 'mixed'] as const) {
    const [fromApache, fromOurs] = await Promise.all(['apache', 'ours'].map(run => javaConsume(kafkaBootstrap(), topic(run, kind), counts[kind], 60000)))
    const lines = kind === 'lf' ? BLANK_LINES_LF : BLANK_LINES_MIXED
    // The reference itself: Apache writes an empty line as an empty key and value, with an empty header value.
    const firstEmpty = lines.findIndex(l => l.text === '')
    assert.deepEqual(fromApache![firstEmpty]!.value, Buffer.alloc(0), `${kind}: Apache writes an empty value`)
    assert.deepEqual(fromApache![firstEmpty]!.key, Buffer.alloc(0), `${kind}: Apache writes an empty key`)
    assert.deepEqual(fromApache![0]!.headers, [{ key: 'empty', value: Buffer.alloc(0) }], `${kind}: Apache writes an empty header value`)
    const seen = (records: JavaConsumedRecord[]): unknown[] => records.map(r => ({ key: r.key, value: r.value, headers: r.headers }))
    assert.deepEqual(seen(fromOurs!), seen(fromApache!), `${kind}: Kafka's Java consumer reads the same keys, values and headers from both`)
    assert.deepEqual(fromOurs!.map(r => r.value?.toString('utf8') ?? null), lines.map(l => l.text), `${kind}: one value per line, empty ones empty`)

    const [expected, actual] = await Promise.all([readFile(sinkFile('apache', kind)), readFile(sinkFile('ours', kind))])
    assertSameFile(actual, expected)
    // Apache's FileStreamSink ends every line with \n: an \n-only file comes back byte for byte, others normalised.
    assert.ok(actual.equals(Buffer.from(lines.map(l => l.text + '\n').join(''))), `${kind}: the sink file holds every line, \\n-terminated`)
    if (kind === 'lf') assert.ok(actual.equals(inputs.lf), 'lf: the sink file is byte-identical to the input')
  }
})
