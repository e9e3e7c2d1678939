// connect-standalone --test: the CLI run on real test files (no broker), its exit codes and what it prints.
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { runPipelineTestCommand } from '../../src/cli/pipeline-test.ts'
import { runCli } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pipeline-test-'))
  t.after(async () => { await removeDir(dir) })
  return dir
}

/** A sink connector whose values are schemaless JSON, masked and tagged by a chain, and dropped with a header. */
const ORDERS_SINK = `
connector:
  name: orders-sink
  config:
    connector.class: FileStreamSink
    file: orders.txt
    topics: orders
    value.converter: org.apache.kafka.connect.json.JsonConverter
    value.converter.schemas.enable: false
    transforms: skipTests,mask,source
    transforms.skipTests.type: org.apache.kafka.connect.transforms.Filter
    transforms.skipTests.predicate: isTest
    transforms.mask.type: org.apache.kafka.connect.transforms.MaskField$Value
    transforms.mask.fields: card
    transforms.source.type: org.apache.kafka.connect.transforms.InsertField$Value
    transforms.source.static.field: source
    transforms.source.static.value: web
    predicates: isTest
    predicates.isTest.type: org.apache.kafka.connect.transforms.predicates.HasHeaderKey
    predicates.isTest.name: test
`

const ESC = String.fromCharCode(27)

/** The command in this process (the CLI's own tests spawn it): faster, and stdout can claim to be a terminal. */
async function runTests (file: string, tty = false): Promise<{ code: number, stdout: string, stderr: string }> {
  const r = { code: -1, stdout: '', stderr: '' }
  r.code = await runPipelineTestCommand(['node', 'connect-standalone', '--test', file],
    { write: (s: string) => { r.stdout += s }, isTTY: tty }, { write: (s: string) => { r.stderr += s } })
  return r
}

test('the example test file passes: a PASS line per case, a summary, exit 0, no colours in a pipe', async () => {
  const r = await runCli(['--test', 'examples/pipeline.test.yaml'], { env: { NO_COLOR: '' } })
  assert.equal(r.code, 0, r.stdout + r.stderr)
  assert.equal(r.stdout.match(/^PASS {2}/gm)?.length, 5, r.stdout)
  assert.match(r.stdout, /^PASS {2}a value that is not JSON fails at value conversion {2}orders-sink \(sink\)$/m)
  assert.match(r.stdout, /^5 cases: 5 passed, 0 failed \(\d+ ms\)$/m)
  assert.ok(!r.stdout.includes(ESC), 'no escape codes in a pipe')
})

test('a failing case prints FAIL with a readable diff of expected and actual, the others still run, exit 1', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'orders.test.yaml')
  await writeFile(file, `${ORDERS_SINK}
cases:
  - name: the amount is kept
    input:
      topic: orders
      valueEncoding: json
      value: { id: 42, card: "4111", amount: 9.5 }
    output:
      topic: orders
      valueEncoding: json
      value: { id: 42, card: "", amount: 9.75, source: web }
  - name: the card is masked
    input: { topic: orders, encoding: json, value: { id: 1, card: "4111" } }
    output: { encoding: json, value: { id: 1, card: "", source: web } }
`)
  const r = await runCli(['--test', file])
  assert.equal(r.code, 1, r.stdout + r.stderr)
  assert.match(r.stdout, /^FAIL {2}the amount is kept {2}orders-sink \(sink\)$/m)
  assert.match(r.stdout, /orders\.test\.yaml:23$/m, 'the failing case\'s line')
  assert.match(r.stdout, /^ +- expected {2}\+ actual$/m)
  assert.match(r.stdout, /^ +record 1 value \(json\)$/m)
  // The two texts side by side, keys sorted, only the amount differing.
  assert.match(r.stdout, / {8}- {3}"amount": 9\.75,\n {8}\+ {3}"amount": 9\.5,\n {10} {2}"card": "",\n/)
  assert.match(r.stdout, /^PASS {2}the card is masked/m)
  assert.match(r.stdout, /^2 cases: 1 passed, 1 failed/m)
})

test('dropped and expected-error cases pass when they happen and fail when they do not (a JSON test file)', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'orders.test.json')
  const connector = {
    'connector.class': 'FileStreamSink',
    file: 'orders.txt',
    topics: 'orders',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
    transforms: 'skipTests',
    'transforms.skipTests.type': 'org.apache.kafka.connect.transforms.Filter',
    'transforms.skipTests.predicate': 'isTest',
    predicates: 'isTest',
    'predicates.isTest.type': 'org.apache.kafka.connect.transforms.predicates.HasHeaderKey',
    'predicates.isTest.name': 'test'
  }
  await writeFile(file, JSON.stringify({
    connector,
    cases: [
      { name: 'dropped', input: { topic: 'orders', value: '{}', headers: [{ key: 'test', value: 'y' }] }, dropped: true },
      { name: 'not dropped', input: { topic: 'orders', value: '{"id":1}' }, dropped: true },
      { name: 'error', input: { topic: 'orders', value: '{oops' }, error: { stage: 'value conversion', message: '^Converting byte\\[\\] to Kafka Connect data failed' } },
      { name: 'wrong stage', input: { topic: 'orders', value: '{oops' }, error: { stage: 'transformation' } },
      { name: 'no error', input: { topic: 'orders', value: '[1]' }, error: true },
      { name: 'unexpected error', input: [{ topic: 'orders', value: '1' }, { topic: 'orders', value: '{oops' }], output: [{ value: '1' }, { value: '2' }] }
    ]
  }, null, 2))
  const r = await runTests(file)
  assert.equal(r.code, 1, r.stdout + r.stderr)
  assert.match(r.stdout, /^PASS {2}dropped {2}/m)
  assert.match(r.stdout, /^FAIL {2}not dropped {2}[^]*expected the records to be dropped, but 1 came out:\n {8}1\. topic=orders key=null value=\{"id":1\} *\n/m)
  assert.match(r.stdout, /^PASS {2}error {2}/m)
  assert.match(r.stdout, /^FAIL {2}wrong stage {2}[^]*expected an error at transformation, got:\n {8}record 1 failed at value conversion: Converting byte\[\] to Kafka Connect data failed/m)
  assert.match(r.stdout, /^FAIL {2}no error {2}[^]*expected an error, but no record failed; out came:\n {8}1\. topic=orders key=null value=\[1\]/m)
  assert.match(r.stdout, /^FAIL {2}unexpected error {2}[^]*\n {6}record 2 failed at value conversion: Converting byte\[\]/m)
  assert.match(r.stdout, /^6 cases: 2 passed, 4 failed/m)
})

test('a malformed test file exits 1 naming the file, line and field; a missing one names the file', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'bad.test.yaml')
  await writeFile(file, `${ORDERS_SINK}
cases:
  - name: typo
    input:
      topic: orders
      vaule: x
    dropped: true
`)
  let r = await runCli(['--test', file])
  assert.equal(r.code, 1)
  assert.equal(r.stdout, '')
  assert.match(r.stderr, /^ERROR Invalid pipeline test file: .*bad\.test\.yaml:26: cases\[0\]\.input\.vaule: unknown field; expected one of topic, /m)

  await writeFile(file, `${ORDERS_SINK}
cases:
  - name: encoding
    input: { topic: orders, encoding: hex, value: "00" }
    dropped: true
`)
  r = await runTests(file)
  assert.equal(r.code, 1)
  assert.match(r.stderr, /bad\.test\.yaml:24: cases\[0\]\.input\.encoding: must be one of text, json, base64 \(got "hex"\)/)

  r = await runTests(join(dir, 'missing.yaml'))
  assert.equal(r.code, 1)
  assert.match(r.stderr, /Cannot read the test file .*missing\.yaml/)
})

test('a worker that cannot load exits 2, a connector that does not validate exits 3, naming their files', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'x.test.yaml')
  await writeFile(join(dir, 'worker.properties'), 'key.converter=NoSuchConverter\nvalue.converter=StringConverter\noffset.storage.file.filename=x\n')
  await writeFile(file, 'worker: worker.properties\nconnector: { connector.class: FileStreamSink, topics: t, file: x }\ncases: [{ name: a, input: { topic: t }, dropped: true }]\n')
  let r = await runTests(file)
  assert.equal(r.code, 2, r.stderr)
  assert.match(r.stderr, /worker\.properties:1: .*NoSuchConverter/)

  await writeFile(file, 'connector:\n  connector.class: FileStreamSink\n  topics: t\n  file: x\n  transforms: r\n  transforms.r.type: NoSuchTransform\ncases: [{ name: a, input: { topic: t }, dropped: true }]\n')
  r = await runTests(file)
  assert.equal(r.code, 3, r.stderr)
  assert.match(r.stderr, /x\.test\.yaml:6: Invalid value NoSuchTransform for configuration transforms\.r\.type/)
})

test('PASS and FAIL are coloured when stdout is a terminal, unless NO_COLOR is set', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'colour.test.yaml')
  await writeFile(file, `${ORDERS_SINK}
cases:
  - { name: passes, input: { topic: orders, value: "{}" }, output: { encoding: json, value: { card: null, source: web } } }
  - { name: fails, input: { topic: orders, value: "{}" }, output: { encoding: json, value: { card: null, source: app } } }
`)
  const saved = process.env.NO_COLOR
  t.after(() => { if (saved === undefined) delete process.env.NO_COLOR; else process.env.NO_COLOR = saved })
  delete process.env.NO_COLOR
  const coloured = await runTests(file, true)
  assert.equal(coloured.code, 1)
  assert.ok(coloured.stdout.includes(`${ESC}[32m${ESC}[1mPASS`), coloured.stdout)
  assert.ok(coloured.stdout.includes(`${ESC}[31m${ESC}[1mFAIL`), coloured.stdout)
  assert.ok(coloured.stdout.includes(`${ESC}[31m        -   "source": "app"`), 'removed lines red')
  process.env.NO_COLOR = '1'
  const plain = await runTests(file, true)
  assert.ok(!plain.stdout.includes(ESC), plain.stdout)
  assert.equal(plain.stdout.replace(/\(\d+ ms\)/, ''), coloured.stdout.replace(/\x1b\[\d+m/g, '').replace(/\(\d+ ms\)/, ''))
})

test('source side: connector records with schemas in, Kafka bytes out; base64, header mappings, exact 64-bit integers', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'source.test.yaml')
  await writeFile(file, `
worker:
  key.converter: org.apache.kafka.connect.storage.StringConverter
  value.converter: org.apache.kafka.connect.converters.ByteArrayConverter
connector:
  connector.class: FileStreamSource
  file: in.txt
  topic: raw
  transforms: tag
  transforms.tag.type: org.apache.kafka.connect.transforms.InsertHeader
  transforms.tag.header: origin
  transforms.tag.value.literal: lab
cases:
  - name: bytes pass through and the header is added
    input: { topic: raw, key: k1, valueEncoding: base64, value: 3q2+7w==, headers: { seen: "yes" } }
    output: { topic: raw, key: k1, valueEncoding: base64, value: 3q2+7w==, headers: { seen: "yes", origin: lab } }
  - name: a wrong header value and a missing record
    input: { topic: raw, valueEncoding: base64, value: AAE= }
    output:
      - { valueEncoding: base64, value: AAI=, headers: [{ key: origin, value: lap }] }
      - { topic: raw }
  - name: a JSON value is compared exactly
    connector:
      connector.class: FileStreamSource
      file: in.txt
      topic: raw
      value.converter: org.apache.kafka.connect.json.JsonConverter
      value.converter.schemas.enable: false
    input: { topic: raw, valueEncoding: json, valueSchema: { type: int64 }, value: 9007199254740993 }
    output: { valueEncoding: json, value: 9007199254740992 }
`)
  const r = await runTests(file)
  assert.equal(r.code, 1, r.stdout + r.stderr)
  assert.match(r.stdout, /^PASS {2}bytes pass through and the header is added {2}pipeline-test \(source\)$/m)
  assert.match(r.stdout, /^FAIL {2}a wrong header value and a missing record[^]*expected 2 records, got 1\n {8}missing 2\. topic=raw key=\(any\) value=\(any\)\n/m)
  assert.match(r.stdout, / {6}record 1 value \(base64\)\n {8}- base64 AAI=\n {8}\+ base64 AAE=\n {6}record 1 headers\n {8}- origin: "lap"\n {8}\+ origin: "lab"\n/)
  assert.match(r.stdout, /^FAIL {2}a JSON value is compared exactly[^]*\n {8}- 9007199254740992\n {8}\+ 9007199254740993\n/m)
  assert.match(r.stdout, /3 cases: 1 passed, 2 failed/)
})

test('sink side: schemas compared on the keys written; errors.tolerance=all skips a record, and the case sees both', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'sink.test.yaml')
  await writeFile(file, `
connector:
  connector.class: FileStreamSink
  file: out.txt
  topics: t
  errors.tolerance: all
cases:
  - name: the good records come out and the bad one fails at value conversion
    input:
      - { topic: t, encoding: json, value: { schema: { type: int32 }, payload: 1 } }
      - { topic: t, value: "{" }
      - { topic: t, encoding: json, key: { schema: { type: string, optional: true }, payload: k }, value: { schema: { type: int32 }, payload: 3 } }
    error: { stage: value conversion }
    output:
      - { encoding: json, value: 1, valueSchema: { type: int32 } }
      - { encoding: json, key: k, keySchema: { type: string, optional: true }, value: 3 }
  - name: a schema that differs
    input: { topic: t, encoding: json, value: { schema: { type: int32, optional: true }, payload: 1 } }
    output: { encoding: json, value: 1, valueSchema: { type: int64, optional: true } }
`)
  const r = await runTests(file)
  assert.equal(r.code, 1, r.stdout + r.stderr)
  assert.match(r.stdout, /^PASS {2}the good records come out and the bad one fails at value conversion/m)
  assert.match(r.stdout, /^FAIL {2}a schema that differs[^]*record 1 valueSchema \(only the keys written are compared\)\n {10}\{\n {12}"optional": true,\n {8}- {3}"type": "int64"\n {8}\+ {3}"type": "int32"\n/m)
})
