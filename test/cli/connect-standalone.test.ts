import assert from 'node:assert/strict'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { ROOT, runCli } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cli-test-'))
  t.after(async () => { await removeDir(dir) })
  return dir
}

const WORKER = (dir: string, extra = ''): string => [
  'bootstrap.servers=127.0.0.1:1',
  'key.converter=org.apache.kafka.connect.storage.StringConverter',
  'value.converter=org.apache.kafka.connect.storage.StringConverter',
  `offset.storage.file.filename=${join(dir, 'connect.offsets')}`,
  extra,
  // After `extra`, so the line numbers the tests expect stay put; a free port, never 8083.
  extra.includes('listeners=') ? '' : 'listeners=http://127.0.0.1:0'
].join('\n') + '\n'

test('no arguments prints usage and exits 1', async () => {
  const r = await runCli([])
  assert.equal(r.code, 1)
  assert.match(r.stderr, /worker\.properties/)
})

test('--help exits 1 like Apache and shows the usage', async () => {
  const r = await runCli(['--help'])
  assert.equal(r.code, 1)
  assert.match(r.stdout + r.stderr, /Usage: connect-standalone/)
  assert.match(r.stdout + r.stderr, /--embedded-broker/)
})

test('--version prints the version first, then what it is and runs on, and exits 0', async () => {
  const r = await runCli(['--version'])
  assert.equal(r.code, 0)
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }
  const librdkafka = (createRequire(import.meta.url)('node-rdkafka') as { librdkafkaVersion: string }).librdkafkaVersion
  assert.equal(r.stdout, `${pkg.version} connect-standalone (Apache Kafka Connect 4.3 compatible; Node ${process.version}, librdkafka ${librdkafka})\n`)
  assert.equal((await runCli(['-v'])).stdout, r.stdout)
})

test('a missing worker file exits 2 naming the file', async (t) => {
  const dir = await tempDir(t)
  const r = await runCli([join(dir, 'nope.properties')])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /nope\.properties/)
  assert.match(r.stderr, /no such file/i)
})

test('a malformed \\u escape in the worker file exits 2 naming file and line', async (t) => {
  const dir = await tempDir(t)
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, WORKER(dir, 'foo=bar\\u12G4'))
  const r = await runCli([worker])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /worker\.properties/)
  assert.match(r.stderr, /line 5/)
  assert.match(r.stderr, /Malformed \\uxxxx encoding/)
})

test('an invalid number in the worker file exits 2 naming key, value and line', async (t) => {
  const dir = await tempDir(t)
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, WORKER(dir, 'offset.flush.interval.ms=ten'))
  const r = await runCli([worker])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /worker\.properties:5: Invalid value ten for configuration offset\.flush\.interval\.ms: Not a number of type LONG/)
})

test('a missing required worker key exits 2 with Kafka\'s message', async (t) => {
  const dir = await tempDir(t)
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, 'key.converter=StringConverter\nvalue.converter=StringConverter\n')
  const r = await runCli([worker])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /Missing required configuration "offset\.storage\.file\.filename" which has no default value\./)
})

test('an unsupported producer setting is an error naming it', async (t) => {
  const dir = await tempDir(t)
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, WORKER(dir, 'producer.no.such.setting=1'))
  const r = await runCli([worker])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /producer\.no\.such\.setting/)
})

test('an unreachable broker at start-up exits 2 with a clear message', async (t) => {
  const dir = await tempDir(t)
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, WORKER(dir))
  const r = await runCli([worker], { timeoutMs: 60000 })
  assert.equal(r.code, 2)
  assert.match(r.stderr, /Failed to connect to and describe Kafka cluster at 127\.0\.0\.1:1/)
})

// The following need a reachable broker only to get past the worker stage; the embedded broker is enough.

test('an unreadable connector file exits 3 naming it', async (t) => {
  const dir = await tempDir(t)
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, WORKER(dir))
  const missing = join(dir, 'missing.properties')
  const r = await runCli(['--embedded-broker', worker, missing])
  assert.equal(r.code, 3)
  assert.match(r.stderr, /missing\.properties/)
  assert.match(r.stderr, /no such file/i)
})

test('a connector JSON file with a syntax error exits 3 naming file, line and column', async (t) => {
  const dir = await tempDir(t)
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, WORKER(dir))
  const connector = join(dir, 'conn.json')
  await writeFile(connector, '{\n  "name": "x",\n  "connector.class": "FileStreamSource"\n  "topic": "t"\n}\n')
  const r = await runCli(['--embedded-broker', worker, connector])
  assert.equal(r.code, 3)
  assert.match(r.stderr, /conn\.json/)
  assert.match(r.stderr, /line 4/)
})

test('an unknown connector.class exits 3 and suggests the nearest names', async (t) => {
  const dir = await tempDir(t)
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, WORKER(dir))
  const connector = join(dir, 'conn.properties')
  await writeFile(connector, 'name=x\nconnector.class=FileStreamSorce\ntopic=t\n')
  const r = await runCli(['--embedded-broker', worker, connector])
  assert.equal(r.code, 3)
  assert.match(r.stderr, /Failed to find any class that implements Connector and which name matches FileStreamSorce/)
  assert.match(r.stderr, /did you mean FileStreamSource/)
  assert.match(r.stderr, /conn\.properties:2/)
})

test('a missing required connector key exits 3 naming it', async (t) => {
  const dir = await tempDir(t)
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, WORKER(dir))
  const connector = join(dir, 'conn.properties')
  await writeFile(connector, 'name=x\nconnector.class=FileStreamSource\nfile=in.txt\n')
  const r = await runCli(['--embedded-broker', worker, connector])
  assert.equal(r.code, 3)
  assert.match(r.stderr, /Missing required configuration "topic" which has no default value\./)
  assert.match(r.stderr, /conn\.properties/)
})

test('an invalid number in a connector file exits 3 naming key and line', async (t) => {
  const dir = await tempDir(t)
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, WORKER(dir))
  const connector = join(dir, 'conn.properties')
  await writeFile(connector, 'name=x\nconnector.class=FileStreamSource\ntopic=t\ntasks.max=two\n')
  const r = await runCli(['--embedded-broker', worker, connector])
  assert.equal(r.code, 3)
  assert.match(r.stderr, /conn\.properties:4: Invalid value two for configuration tasks\.max: Not a number of type INT/)
})

test('a connector file without a name exits 3 with Apache\'s message', async (t) => {
  const dir = await tempDir(t)
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, WORKER(dir))
  const connector = join(dir, 'conn.properties')
  await writeFile(connector, 'connector.class=FileStreamSource\ntopic=t\n')
  const r = await runCli(['--embedded-broker', worker, connector])
  assert.equal(r.code, 3)
  assert.match(r.stderr, /is missing the mandatory 'name' configuration/)
})

test('--dry-run pipes JSON lines through a connector\'s pipeline with no broker, and names the failing line', async (t) => {
  const dir = await tempDir(t)
  const worker = join(dir, 'worker.properties')
  // No reachable broker is configured: a dry run never connects.
  await writeFile(worker, WORKER(dir, 'plugin.path=' + join(process.cwd(), 'examples/plugins')))
  const connector = join(dir, 'source.properties')
  await writeFile(connector, 'name=s\nconnector.class=FileStreamSource\ntopic=t\ntransforms=up\ntransforms.up.type=com.example.UppercaseValue\n')
  const ok = await runCli(['--dry-run', worker, connector], {
    input: '{"topic":"t","partition":0,"timestamp":1,"key":null,"value":{"schema":{"type":"string","optional":false},"payload":"héllo"},"headers":[]}\n'
  })
  assert.equal(ok.code, 0, ok.stderr)
  assert.equal(ok.stdout, '{"topic":"t","partition":0,"timestamp":1,"key":null,"value":"HÉLLO","headers":[]}\n')
  assert.match(ok.stderr, /1 read, 1 written/)
  const bad = await runCli(['--dry-run', worker, connector], { input: '{"topic":"t","value":null}\n{"topic":\n' })
  assert.equal(bad.code, 3)
  assert.match(bad.stderr, /Input line 2 failed at input: not valid JSON/)
})

test('--dry-run runs Apache\'s built-in SMTs and predicates by class name and alias', async (t) => {
  const dir = await tempDir(t)
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, WORKER(dir).replace('value.converter=org.apache.kafka.connect.storage.StringConverter', 'value.converter=org.apache.kafka.connect.json.JsonConverter'))
  const connector = join(dir, 'smt.properties')
  await writeFile(connector, [
    'name=s', 'connector.class=FileStreamSource', 'topic=t', 'transforms=route,hoist,insert',
    'transforms.hoist.type=org.apache.kafka.connect.transforms.HoistField$Value', 'transforms.hoist.field=line',
    'transforms.insert.type=org.apache.kafka.connect.transforms.InsertField$Value', 'transforms.insert.static.field=source', 'transforms.insert.static.value=file',
    'transforms.route.type=RegexRouter', 'transforms.route.regex=(.*)', 'transforms.route.replacement=$1-routed',
    'transforms.route.predicate=tombstone', 'transforms.route.negate=true',
    'predicates=tombstone', 'predicates.tombstone.type=RecordIsTombstone'
  ].join('\n') + '\n')
  const r = await runCli(['--dry-run', worker, connector], {
    input: '{"topic":"t","value":{"schema":{"type":"string","optional":false},"payload":"hello"}}\n{"topic":"t","value":null}\n'
  })
  assert.equal(r.code, 0, r.stderr)
  const [first, second] = r.stdout.trim().split('\n').map(l => JSON.parse(l) as { topic: string, value: string | null })
  assert.equal(first!.topic, 't-routed')
  assert.equal(first!.value, '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"line"},{"type":"string","optional":true,"field":"source"}],"optional":false},"payload":{"line":"hello","source":"file"}}')
  // The tombstone is not routed (negated predicate); HoistField keeps a null value null.
  assert.equal(second!.topic, 't')
})
