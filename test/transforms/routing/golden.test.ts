// Runs every case of golden.jsonl (outputs of the real Apache 4.3.1 classes, see generate-golden.mjs) against our
// SMTs and predicates. Values travel as JsonConverter envelopes in both directions, so the comparison is on the same
// JSON Apache's converter writes; schemaless values use a small tagged form with map keys in iteration order.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BigDecimal, ConfigError, ConnectError, DataError, Headers, Struct, parseType, sourceRecord } from '../../../src/api/index.ts'
import type { AnyRecord, ConfigDef, ConfigType, Predicate, Schema, Transformation } from '../../../src/api/index.ts'
import { JsonConverter } from '../../../src/converters/json/json-converter.ts'

const HERE = dirname(fileURLToPath(import.meta.url))

interface Envelope { schema: unknown, payload: unknown }
interface GoldenCase {
  name: string
  class: string
  configdef?: boolean
  config?: Record<string, string>
  record?: { topic: string, partition: number | null, timestamp: number | null, key: Envelope | null, value: Envelope | null, headers: Array<{ key: string, value: Envelope }> }
  expected: {
    configdef?: Array<{ name: string, type: string, required?: boolean, default?: unknown, documentation: string, importance: string, validator: string | null }>
    error?: { stage: string, class: string, message: string }
    test?: boolean
    record?: Record<string, unknown> | null
  }
}

type Plugin = Transformation | Predicate
const T = 'org.apache.kafka.connect.transforms.'
const MODULES: Record<string, () => Promise<Plugin>> = {
  [T + 'TimestampConverter$Key']: async () => new (await import('../../../src/transforms/timestamp-converter.ts')).TimestampConverterKey(),
  [T + 'TimestampConverter$Value']: async () => new (await import('../../../src/transforms/timestamp-converter.ts')).TimestampConverterValue(),
  [T + 'HeaderFrom$Key']: async () => new (await import('../../../src/transforms/header-from.ts')).HeaderFromKey(),
  [T + 'HeaderFrom$Value']: async () => new (await import('../../../src/transforms/header-from.ts')).HeaderFromValue(),
  [T + 'TimestampRouter']: async () => new (await import('../../../src/transforms/timestamp-router.ts')).TimestampRouter(),
  [T + 'RegexRouter']: async () => new (await import('../../../src/transforms/regex-router.ts')).RegexRouter(),
  [T + 'Filter']: async () => new (await import('../../../src/transforms/filter.ts')).Filter(),
  [T + 'DropHeaders']: async () => new (await import('../../../src/transforms/drop-headers.ts')).DropHeaders(),
  [T + 'InsertHeader']: async () => new (await import('../../../src/transforms/insert-header.ts')).InsertHeader(),
  [T + 'predicates.TopicNameMatches']: async () => new (await import('../../../src/transforms/predicates/topic-name-matches.ts')).TopicNameMatches(),
  [T + 'predicates.HasHeaderKey']: async () => new (await import('../../../src/transforms/predicates/has-header-key.ts')).HasHeaderKey(),
  [T + 'predicates.RecordIsTombstone']: async () => new (await import('../../../src/transforms/predicates/record-is-tombstone.ts')).RecordIsTombstone()
}

const converter = new JsonConverter()
converter.configure({ 'schemas.enable': 'true' }, false)

function decode (envelope: Envelope | null | undefined): { schema: Schema | null, value: unknown } {
  if (!envelope) return { schema: null, value: null }
  const sv = converter.toConnectData('t', Headers.EMPTY, Buffer.from(JSON.stringify(envelope)))
  return { schema: sv.schema, value: sv.value }
}

function plain (v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString('base64') }
  if (v instanceof Date) return { $date: v.getTime() }
  if (v instanceof BigDecimal) return { $decimal: v.toString() }
  if (v instanceof Struct) return { $struct: describe(v.schema, v) }
  if (Array.isArray(v)) return v.map(plain)
  // Entries in iteration order, as RoutingSmtGolden.plain writes Java's: the key-order check below depends on it.
  const entries: Array<[string, unknown]> = v instanceof Map ? [...v].map(([k, x]) => [String(k), x]) : Object.entries(v as object)
  return Object.fromEntries(entries.map(([k, x]) => [k, plain(x)]))
}

function describe (schema: Schema | null, value: unknown): unknown {
  if (schema) return JSON.parse(converter.fromConnectData('t', Headers.EMPTY, schema, value)!.toString('utf8'))
  return { schema: null, payload: plain(value) }
}

function describeRecord (r: AnyRecord): Record<string, unknown> {
  return {
    topic: r.topic,
    partition: r.kafkaPartition,
    timestamp: r.timestamp,
    key: describe(r.keySchema, r.key),
    value: describe(r.valueSchema, r.value),
    headers: r.headers.toArray().map(h => ({ key: h.key, value: describe(h.value instanceof Struct ? h.value.schema : h.schema, h.value) }))
  }
}

function checkConfigDef (def: ConfigDef, expected: NonNullable<GoldenCase['expected']['configdef']>): void {
  assert.deepEqual(def.names(), expected.map(k => k.name))
  for (const k of expected) {
    const ours = def.get(k.name)!
    const type = ours.type as ConfigType
    assert.equal(type.toUpperCase(), k.type, `${k.name} type`)
    assert.equal(ours.documentation, k.documentation, `${k.name} documentation`)
    assert.equal(ours.importance.toUpperCase(), k.importance, `${k.name} importance`)
    assert.equal(ours.validator === undefined ? null : String(ours.validator), k.validator, `${k.name} validator`)
    if (k.required) {
      assert.equal(ours.default, undefined, `${k.name} must be required`)
    } else {
      const d = typeof ours.default === 'string' ? parseType(k.name, ours.default, type) : ours.default
      assert.deepEqual(d, k.default, `${k.name} default`)
    }
  }
}

function checkError (err: unknown, expected: { class: string, message: string }): void {
  assert.ok(err instanceof Error, `expected an Error, got ${String(err)}`)
  const cls = expected.class.split('.').pop()
  if (cls === 'ConfigException') assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err.name}: ${err.message}`)
  else if (cls === 'DataException') assert.ok(err instanceof DataError, `expected DataError, got ${err.name}: ${err.message}`)
  else if (cls === 'ConnectException') assert.ok(ConnectError.is(err), `expected ConnectError, got ${err.name}: ${err.message}`)
  // java.util.regex's parse messages (and their caret lines) are not reproducible; everything before them is.
  const regexAt = expected.message.indexOf('Invalid regex: ')
  if (regexAt >= 0) assert.equal(err.message.slice(0, regexAt + 15), expected.message.slice(0, regexAt + 15))
  else assert.equal(err.message, expected.message)
}

const cases: GoldenCase[] = readFileSync(join(HERE, 'golden.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l) as GoldenCase)

for (const c of cases) {
  const make = MODULES[c.class]
  test(`${c.class.slice(T.length)}: ${c.name}`, { skip: make ? false : 'not implemented' }, async () => {
    const p = await make!()
    if (c.expected.configdef) return checkConfigDef(p.config(), c.expected.configdef)
    const e = c.expected
    if (e.error?.stage === 'configure') return assert.throws(() => p.configure(c.config ?? {}), err => { checkError(err, e.error!); return true })
    p.configure(c.config ?? {})
    const r = c.record!
    const key = decode(r.key)
    const value = decode(r.value)
    let headers = Headers.EMPTY
    for (const h of r.headers ?? []) {
      const hv = decode(h.value)
      headers = headers.with(h.key, hv.value, hv.schema)
    }
    const record = sourceRecord({ topic: r.topic, kafkaPartition: r.partition, timestamp: r.timestamp, keySchema: key.schema, key: key.value, valueSchema: value.schema, value: value.value, headers })
    const run = (): unknown => p.kind === 'predicate' ? p.test(record) : p.apply(record)
    if (e.error) return assert.throws(run, err => { checkError(err, e.error!); return true })
    const out = run()
    if ('test' in e) return assert.equal(out, e.test)
    if (e.record === null) return assert.equal(out, null)
    assert.deepEqual(describeRecord(out as AnyRecord), e.record)
    // Key order as well (schemaless HashMap outputs), except where integer-like keys reorder a parsed JSON object.
    if (!/"\d+":/.test(JSON.stringify(e.record))) assert.equal(JSON.stringify(describeRecord(out as AnyRecord)), JSON.stringify(e.record), 'key order')
  })
}
