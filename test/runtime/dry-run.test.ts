import assert from 'node:assert/strict'
import { PassThrough, Readable } from 'node:stream'
import { test } from 'node:test'
import { ConfigDef, definePlugins, newRecord, plugin, type AnyRecord, type Transformation } from '../../src/api/index.ts'
import { builtinRegistry } from '../../src/plugins/builtin.ts'
import { DryRunError, runDryRun, type DryRunOptions } from '../../src/runtime/dry-run.ts'

const WORKER = {
  keyConverter: { className: 'StringConverter', props: {} },
  valueConverter: { className: 'org.apache.kafka.connect.json.JsonConverter', props: { 'schemas.enable': 'false' } },
  headerConverter: { className: 'SimpleHeaderConverter', props: {} }
}

/** Test SMTs: drop records whose value is "drop", fail on "boom", upper-case the rest. */
class Shout implements Transformation {
  readonly kind = 'transformation'
  configure (): void {}
  config (): ConfigDef { return new ConfigDef() }
  apply (r: AnyRecord): AnyRecord | null {
    if (r.value === 'drop') return null
    if (r.value === 'boom') throw new Error('boom!')
    return typeof r.value === 'string' ? newRecord(r, { value: r.value.toUpperCase() }) : r
  }
}

function registry () {
  return builtinRegistry().registerManifest(definePlugins([plugin({ kind: 'transformation', className: 'test.Shout', version: '1', create: () => new Shout() })]), 'test')
}

async function dryRun (kind: 'source' | 'sink', lines: string[], extra: Record<string, string> = {}) {
  const output = new PassThrough()
  let text = ''
  output.on('data', (d: Buffer) => { text += d.toString() })
  const reports: string[] = []
  const options: DryRunOptions = {
    kind,
    connectorConfig: { name: 'c', 'connector.class': 'x', transforms: 'shout', 'transforms.shout.type': 'test.Shout', ...extra },
    worker: WORKER,
    registry: registry(),
    input: Readable.from(lines.map(l => l + '\n')),
    output,
    report: m => reports.push(m)
  }
  const result = await runDryRun(options)
  return { result, lines: text.split('\n').filter(Boolean), reports }
}

const env = (type: string, payload: string): string => `{"schema":{"type":"${type}","optional":false},"payload":${payload}}`

test('source: records go through the SMT chain and the converters; dropped records print nothing', async () => {
  const { result, lines } = await dryRun('source', [
    `{"topic":"t","partition":1,"timestamp":5,"key":${env('string', '"k"')},"value":${env('string', '"hi 🚀"')},"headers":[{"key":"h","value":${env('string', '"v"')}}]}`,
    `{"topic":"t","partition":null,"timestamp":null,"key":null,"value":${env('string', '"drop"')},"headers":[]}`,
    `{"topic":"t","value":${env('int64', '9007199254740993')}}`
  ])
  assert.deepEqual(lines, [
    '{"topic":"t","partition":1,"timestamp":5,"key":"k","value":"\\"HI \\\\uD83D\\\\uDE80\\"","headers":[{"key":"h","value":"v"}]}',
    '{"topic":"t","partition":null,"timestamp":null,"key":null,"value":"9007199254740993","headers":[]}'
  ])
  assert.deepEqual(result, { read: 3, written: 2, dropped: 1, skipped: 0 })
})

test('sink: Kafka records are converted then transformed, printed in envelope form; bytes may be base64', async () => {
  const { lines } = await dryRun('sink', [
    '{"topic":"t","partition":0,"offset":41,"timestamp":7,"key":"k","value":"\\"quiet\\"","headers":[{"key":"h","value":{"base64":"/w=="}}]}'
  ])
  assert.deepEqual(lines, [
    '{"topic":"t","partition":0,"offset":41,"timestamp":7,"key":{"schema":{"type":"string","optional":true},"payload":"k"},' +
    '"value":{"schema":null,"payload":"QUIET"},"headers":[{"key":"h","value":{"schema":{"type":"string","optional":false},"payload":"\uFFFD"}}]}'
  ])
})

test('errors.tolerance=none stops at the first failure naming the line and the stage', async () => {
  await assert.rejects(dryRun('source', [`{"topic":"t","value":${env('string', '"ok"')}}`, `{"topic":"t","value":${env('string', '"boom"')}}`]),
    (err: unknown) => {
      assert.ok(err instanceof DryRunError)
      assert.equal(err.line, 2)
      assert.equal(err.stage, 'transformation')
      assert.match(err.message, /Input line 2 failed at transformation: boom!/)
      return true
    })
  await assert.rejects(dryRun('source', ['{"topic":"t"', '']), /Input line 1 failed at input: not valid JSON/)
  await assert.rejects(dryRun('sink', ['{"topic":"t","value":"not json"}']), /Input line 1 failed at value conversion/)
})

test('errors.tolerance=all skips failing records and reports them', async () => {
  const { result, lines, reports } = await dryRun('source', [
    `{"topic":"t","value":${env('string', '"boom"')}}`, `{"topic":"t","value":${env('string', '"fine"')}}`
  ], { 'errors.tolerance': 'all' })
  assert.equal(lines.length, 1)
  assert.deepEqual(result, { read: 2, written: 1, dropped: 0, skipped: 1 })
  assert.match(reports[0]!, /Input line 1 failed at transformation: boom!/)
})

test('source: a header value node-rdkafka could not write byte for byte fails at header conversion, as in a real run', async () => {
  const bytesHeader = (b64: string): string => `{"topic":"t","value":${env('string', '"v"')},"headers":[{"key":"trace","value":${env('bytes', `"${b64}"`)}}]}`
  const extra = { 'header.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter' }
  // "hi" is valid UTF-8: written as it is.
  const { lines } = await dryRun('source', [bytesHeader(Buffer.from('hi').toString('base64'))], extra)
  assert.match(lines[0]!, /"headers":\[\{"key":"trace","value":"hi"\}\]/)
  await assert.rejects(dryRun('source', [bytesHeader(Buffer.from([0xca, 0xfe, 0x00, 0x01]).toString('base64'))], extra), (err: unknown) => {
    assert.ok(err instanceof DryRunError)
    assert.equal(err.stage, 'header conversion')
    assert.match(err.message, /Input line 1 failed at header conversion: Header 'trace' cannot be written to Kafka byte for byte: it contains a NUL byte/)
    return true
  })
})

// Apache's source task converts headers, then the key, then the value; its sink task the key, then the value, then the
// headers. A record that fails two stages is reported at the first of them in that order (this decides the status
// trace and the dead-letter queue's __connect.errors.stage), so each case below fails both its key and its headers.
test('source: headers are converted before the key, as in Apache (a record failing both fails at header conversion)', async () => {
  const line = `{"topic":"t","key":${env('string', '"not a number"')},"value":${env('string', '"v"')},"headers":[{"key":"h","value":${env('bytes', '"AAE="')}}]}`
  const extra = { 'key.converter': 'org.apache.kafka.connect.converters.IntegerConverter', 'header.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter' }
  await assert.rejects(dryRun('source', [line], extra), (err: unknown) => {
    assert.ok(err instanceof DryRunError)
    assert.equal(err.stage, 'header conversion')
    return true
  })
  // Without the bad header the same record fails at the key: both stages really fail.
  const noHeader = `{"topic":"t","key":${env('string', '"not a number"')},"value":${env('string', '"v"')}}`
  await assert.rejects(dryRun('source', [noHeader], extra), (err: unknown) => err instanceof DryRunError && err.stage === 'key conversion')
})

test('sink: the key and value are converted before the headers, as in Apache (a record failing both fails at key conversion)', async () => {
  const extra = {
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': 'false',
    'header.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'header.converter.schemas.enable': 'false'
  }
  const line = '{"topic":"t","key":"{not json","value":"\\"v\\"","headers":[{"key":"h","value":"{not json either"}]}'
  await assert.rejects(dryRun('sink', [line], extra), (err: unknown) => {
    assert.ok(err instanceof DryRunError)
    assert.equal(err.stage, 'key conversion')
    return true
  })
  const goodKey = '{"topic":"t","key":"1","value":"\\"v\\"","headers":[{"key":"h","value":"{not json either"}]}'
  await assert.rejects(dryRun('sink', [goodKey], extra), (err: unknown) => err instanceof DryRunError && err.stage === 'header conversion')
  // A header that converts is seen by the record as before.
  const { lines } = await dryRun('sink', ['{"topic":"t","key":"1","value":"\\"v\\"","headers":[{"key":"h","value":"2"}]}'], extra)
  assert.match(lines[0]!, /"headers":\[\{"key":"h","value":\{"schema":null,"payload":2\}\}\]/)
})
