// Runs every case of golden.jsonl (outputs of the JDK's SimpleDateFormat and of Apache 4.3.1's TimestampConverter and
// TimestampRouter, see generate-golden.mjs) against our SimpleDateFormat and SMTs. Where we cannot answer as Java does,
// we must refuse with an error (never answer differently): those cases are listed in REFUSED with the reason.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, ConnectError, DataError, Headers, sourceRecord } from '../../../src/api/index.ts'
import { JsonConverter } from '../../../src/converters/json/json-converter.ts'
import { SimpleDateFormat, UnsupportedZoneNameError } from '../../../src/transforms/util/simple-date-format.ts'
import { TimestampConverterValue } from '../../../src/transforms/timestamp-converter.ts'
import { TimestampRouter } from '../../../src/transforms/timestamp-router.ts'

const HERE = dirname(fileURLToPath(import.meta.url))

interface Envelope { schema: unknown, payload: unknown }
interface JavaError { stage: string, class: string, message: string, errorOffset?: number }
interface GoldenCase {
  name: string
  kind: 'format' | 'parse' | 'smt'
  pattern?: string
  millis?: number
  text?: string
  class?: string
  config?: Record<string, string>
  value?: Envelope
  timestamp?: number
  expected: { text?: string, millis?: string, zone?: string, topic?: string, value?: Envelope, error?: JavaError }
}

// Cases where Java answers and we refuse, by the reason the test checks.
const MAX_MILLIS = 8.64e15
const zoneSwitch = (c: GoldenCase): boolean => c.expected.zone !== undefined
const beyondJsDate = (c: GoldenCase): boolean => c.expected.millis !== undefined && !(Math.abs(Number(c.expected.millis)) <= MAX_MILLIS)

const converter = new JsonConverter()
converter.configure({ 'schemas.enable': 'true' }, false)
const decode = (e: Envelope): { schema: ReturnType<JsonConverter['toConnectData']>['schema'], value: unknown } =>
  converter.toConnectData('t', Headers.EMPTY, Buffer.from(JSON.stringify(e)))
const encode = (schema: Parameters<JsonConverter['fromConnectData']>[2], value: unknown): unknown =>
  JSON.parse(converter.fromConnectData('t', Headers.EMPTY, schema, value)!.toString('utf8'))

function checkError (err: unknown, expected: JavaError): void {
  assert.ok(err instanceof Error, `expected an Error, got ${String(err)}`)
  const cls = expected.class.split('.').pop()
  if (cls === 'ConfigException') assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err.name}: ${err.message}`)
  else if (cls === 'DataException') assert.ok(err instanceof DataError, `expected DataError, got ${err.name}: ${err.message}`)
  else if (cls === 'ConnectException') assert.ok(ConnectError.is(err), `expected ConnectError, got ${err.name}: ${err.message}`)
  else assert.ok(!(err instanceof DataError) && !(err instanceof ConfigError), `expected a plain ${cls}, got ${err.name}`)
  assert.equal(err.message, expected.message)
}

function runParse (c: GoldenCase): void {
  const e = c.expected
  let f: SimpleDateFormat
  try {
    f = new SimpleDateFormat(c.pattern!)
  } catch (err) {
    assert.ok(e.error?.stage === 'compile', `unexpected compile error ${String(err)}`)
    return assert.equal((err as Error).message, e.error.message)
  }
  assert.ok(e.error?.stage !== 'compile', `Java refuses the pattern: ${e.error?.message}`)
  if (c.kind === 'format') return assert.equal(f.format(c.millis!), e.text)
  if (zoneSwitch(c)) return assert.throws(() => f.parse(c.text!), UnsupportedZoneNameError)
  if (beyondJsDate(c)) return assert.throws(() => f.parse(c.text!), RangeError)
  const r = f.parse(c.text!)
  if (e.error) return assert.deepEqual(r, { errorOffset: e.error.errorOffset }, `Java: ${e.error.message}`)
  assert.equal(typeof r === 'number' ? String(r) : r, e.millis)
}

function runSmt (c: GoldenCase): void {
  const e = c.expected
  const smt = c.class!.endsWith('TimestampRouter') ? new TimestampRouter() : new TimestampConverterValue()
  if (e.error?.stage === 'configure') return assert.throws(() => smt.configure(c.config!), err => { checkError(err, e.error!); return true })
  smt.configure(c.config!)
  const v = c.value ? decode(c.value) : { schema: null, value: null }
  const record = sourceRecord({ topic: 'orders', kafkaPartition: 0, timestamp: c.timestamp ?? null, keySchema: null, key: null, valueSchema: v.schema, value: v.value })
  if (e.error) return assert.throws(() => smt.apply(record), err => { checkError(err, e.error!); return true })
  const out = smt.apply(record)
  assert.equal(out.topic, e.topic)
  assert.deepEqual(encode(out.valueSchema, out.value), e.value)
}

const cases: GoldenCase[] = readFileSync(join(HERE, 'golden.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l) as GoldenCase)

for (const c of cases) {
  test(`${c.kind}: ${c.name}`, () => c.kind === 'smt' ? runSmt(c) : runParse(c))
}

test('golden covers every pattern letter both ways', () => {
  for (const letter of 'GyMdkHmsSEDFwWahKzZYuXL') {
    const has = (kind: string): boolean => cases.some(c => c.kind === kind && c.pattern?.replace(/'[^']*'/g, '').includes(letter))
    assert.ok(has('format') && has('parse'), `pattern letter ${letter}`)
  }
})
