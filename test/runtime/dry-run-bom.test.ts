// --dry-run must show a leading byte order mark (U+FEFF) that the produced bytes carry: a UTF-8 decoder drops it by
// default, so the shown record looked like the same record without it, while Kafka gets 3 more bytes.
import assert from 'node:assert/strict'
import { PassThrough, Readable } from 'node:stream'
import { test } from 'node:test'
import { builtinRegistry } from '../../src/plugins/builtin.ts'
import { runDryRun, type DryRunOptions } from '../../src/runtime/dry-run.ts'

const STRINGS = {
  keyConverter: { className: 'StringConverter', props: {} },
  valueConverter: { className: 'StringConverter', props: {} },
  headerConverter: { className: 'SimpleHeaderConverter', props: {} }
}

async function dryRun (kind: 'source' | 'sink', lines: string[]): Promise<string[]> {
  const output = new PassThrough()
  let text = ''
  output.on('data', (d: Buffer) => { text += d.toString() })
  const options: DryRunOptions = {
    kind,
    connectorConfig: { name: 'c', 'connector.class': 'x' },
    worker: STRINGS,
    registry: builtinRegistry(),
    input: Readable.from(lines.map(l => l + '\n')),
    output,
    report: () => {}
  }
  await runDryRun(options)
  return text.split('\n').filter(Boolean)
}

const str = (payload: string): string => `{"schema":{"type":"string","optional":false},"payload":${JSON.stringify(payload)}}`

test('source: bytes starting with a byte order mark show it as \\ufeff (key, value and header)', async () => {
  const lines = await dryRun('source', [
    `{"topic":"t","key":${str('\ufeffk')},"value":${str('\ufeffhello')},"headers":[{"key":"h","value":${str('\ufeffv')}}]}`,
    `{"topic":"t","key":null,"value":${str('a\ufeffb')}}`
  ])
  assert.deepEqual(lines, [
    '{"topic":"t","partition":null,"timestamp":null,"key":"\\ufeffk","value":"\\ufeffhello","headers":[{"key":"h","value":"\\ufeffv"}]}',
    '{"topic":"t","partition":null,"timestamp":null,"key":null,"value":"a\\ufeffb","headers":[]}'
  ])
  // What is shown reads back as the bytes Kafka would get.
  const shown = JSON.parse(lines[0]!) as { value: string }
  assert.deepEqual(Buffer.from(shown.value, 'utf8'), Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('hello')]))
})

test('an input line starting with a byte order mark (a file saved with one) is read as the same line without it', async () => {
  const lines = await dryRun('source', [`\ufeff{"topic":"t","key":null,"value":${str('x')}}`])
  assert.deepEqual(lines, ['{"topic":"t","partition":null,"timestamp":null,"key":null,"value":"x","headers":[]}'])
})

test('sink: a Kafka value starting with a byte order mark reaches put() with it, shown as \\ufeff', async () => {
  const lines = await dryRun('sink', ['{"topic":"t","partition":0,"offset":1,"key":null,"value":"\\ufeffhello"}'])
  assert.equal(lines.length, 1)
  assert.match(lines[0]!, /\\ufeffhello/)
})
