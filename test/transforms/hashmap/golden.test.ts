// Runs every case of golden.jsonl (outputs of the real JDK and Apache 4.3.1 classes, see generate-golden.mjs): the
// iteration order of java.util.HashMap, JsonConverter maps of every key type, schemaless SMT chains, MaskField
// replacements and the list validators. Key order is compared exactly: it decides the bytes a record carries and so
// the partition a key hashes to.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Headers, javaDoubleHash, javaFloatHash, javaHashMapOrder, javaLongHash, javaStringHash, sourceRecord } from '../../../src/api/index.ts'
import type { AnyRecord, JavaHashMapCreation, Schema, Transformation } from '../../../src/api/index.ts'
import { JsonConverter } from '../../../src/converters/json/json-converter.ts'
import { builtinTransformations } from '../../../src/transforms/index.ts'
import { renderValue } from '../../../connectors/file/render-value.ts'

interface GoldenError { stage: string, class: string, message: string | null, step?: number }
interface Side { text: string, json?: string | null, jsonError?: string }
interface OrderCase { kind: 'order', name: string, keyType: string, keys: unknown[], creation: string, capacity?: number, expected: { order: number[] } }
interface JsonCase { kind: 'json', name: string, input: string, config: Record<string, string>, expected: { text?: string, output?: string, writeError?: GoldenError, error?: GoldenError } }
interface SmtCase {
  kind: 'smt'
  name: string
  schemas?: boolean
  chain: Array<{ class: string, config: Record<string, string> }>
  key: string | null
  value: string | null
  headers?: Array<{ key: string, value: string }>
  expected: { key?: Side, value?: Side, headers?: Array<{ key: string, value: Side }>, error?: GoldenError }
}
interface ValidateCase { kind: 'validate', name: string, class: string, config: Record<string, string>, expected: { errors: Record<string, string[]>, embeddedParse: string | null } }
type GoldenCase = OrderCase | JsonCase | SmtCase | ValidateCase

const HERE = dirname(fileURLToPath(import.meta.url))
const cases = readFileSync(join(HERE, 'golden.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l) as GoldenCase)

// Differences we keep, each with its reason (the README lists them).
const NO_DOUBLE = 'a schemaless double with an integral value is a plain JS number: written as 300, not 300.0'
const NO_CLASS = 'a schemaless number carries no Java class: an Integer, Short, Byte, Float or integral Double reads as a Long'
const DEVIATIONS = new Map<string, string>([
  ['smt: Cast several fields', NO_DOUBLE],
  ...['300', '-129', '1e3', '1E+2', '0.5e1', '+7', '5.', ' 1', '-0', '-0.0'].map(r => [`smt: MaskField schemaless replacement ${r}`, NO_DOUBLE] as [string, string]),
  ['smt: MaskField schemaless no replacement', NO_DOUBLE],
  ['smt: TimestampConverter schemaless integral Double', NO_CLASS],
  ['smt: TimestampConverter schemaless exponent Double', NO_CLASS],
  ['smt: TimestampConverter after Cast to int32', NO_CLASS],
  ['smt: TimestampConverter after Cast to int8', NO_CLASS],
  ['smt: TimestampConverter after Cast to float32', NO_CLASS],
  ['smt: TimestampConverter whole schemaless after Cast int16', NO_CLASS],
  ['smt: TimestampConverter whole schemaless Double', NO_CLASS],
  // -0.0 reads as +0 (as Java's BigDecimal-based reading gives 0.0), which is then indistinguishable from a Long 0.
  ['smt: TimestampConverter schemaless negative zero Double', NO_CLASS],
  ['smt: TimestampConverter schemaless Long beyond 2^53', 'a JS Date holds +-8.64e15 ms; Java\'s Date of 9007199254740993 ms (year 287396) is out of its range']
])

function errorMessage (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

// ---- HashMap order
const javaNumber = (k: unknown): number => typeof k === 'string' ? Number(k) : k as number
/** Double.compare / Float.compare: -0.0 below 0.0, NaN above everything and equal to itself. */
function javaNumberCompare (a: number, b: number): number {
  if (a < b) return -1
  if (a > b) return 1
  const ka = Number.isNaN(a) ? 2 : Object.is(a, -0) ? 0 : 1
  const kb = Number.isNaN(b) ? 2 : Object.is(b, -0) ? 0 : 1
  return ka - kb
}

function runOrder (c: OrderCase): number[] {
  const creation: JavaHashMapCreation = c.creation === 'copy'
    ? { kind: 'copy', sourceSize: c.keys.length }
    : c.creation === 'capacity' ? { kind: 'capacity', initialCapacity: c.capacity! } : { kind: 'default' }
  let keys: unknown[]
  let hash: (k: unknown) => number
  let compare: (a: unknown, b: unknown) => number
  switch (c.keyType) {
    case 'string':
      keys = c.keys
      hash = k => javaStringHash(k as string)
      compare = (a, b) => (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0
      break
    case 'int':
      keys = c.keys
      hash = k => (k as number) | 0
      compare = (a, b) => (a as number) - (b as number)
      break
    case 'long':
      keys = c.keys.map(k => BigInt(k as string | number))
      hash = k => javaLongHash(k as bigint)
      compare = (a, b) => (a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0
      break
    case 'double':
      keys = c.keys.map(javaNumber)
      hash = k => javaDoubleHash(k as number)
      compare = (a, b) => javaNumberCompare(a as number, b as number)
      break
    default:
      keys = c.keys.map(k => Math.fround(javaNumber(k)))
      hash = k => javaFloatHash(k as number)
      compare = (a, b) => javaNumberCompare(a as number, b as number)
  }
  return javaHashMapOrder(keys.map((k, i) => [k, i] as const), hash, creation, compare).map(([, i]) => i)
}

// ---- JsonConverter
function runJson (c: JsonCase): JsonCase['expected'] {
  const converter = new JsonConverter()
  converter.configure(c.config, false)
  let sv: { schema: Schema | null, value: unknown }
  try {
    sv = converter.toConnectData('t', Headers.EMPTY, Buffer.from(c.input, 'utf8'))
  } catch (err) {
    return { error: { stage: 'read', class: '', message: errorMessage(err) } }
  }
  const out: JsonCase['expected'] = { text: renderValue(sv.value, sv.schema) }
  try {
    out.output = converter.fromConnectData('t', Headers.EMPTY, sv.schema, sv.value)!.toString('utf8')
  } catch (err) {
    out.writeError = { stage: 'write', class: '', message: errorMessage(err) }
  }
  return out
}

// ---- SMT chains
const registry = new Map(builtinTransformations.plugins.map(d => [d.className, d]))

function side (converter: JsonConverter, schema: Schema | null, value: unknown): Side {
  const out: Side = { text: renderValue(value, schema) }
  try {
    const bytes = converter.fromConnectData('t', Headers.EMPTY, schema, value)
    out.json = bytes === null ? null : bytes.toString('utf8')
  } catch (err) {
    out.jsonError = errorMessage(err)
  }
  return out
}

function runSmt (c: SmtCase): SmtCase['expected'] {
  const converter = new JsonConverter()
  converter.configure({ 'schemas.enable': c.schemas === true ? 'true' : 'false' }, false)
  const read = (text: string | null): { schema: Schema | null, value: unknown } =>
    text === null ? { schema: null, value: null } : converter.toConnectData('t', Headers.EMPTY, Buffer.from(text, 'utf8'))
  const key = read(c.key)
  const value = read(c.value)
  let headers = Headers.EMPTY
  for (const h of c.headers ?? []) {
    const hv = read(h.value)
    headers = headers.with(h.key, hv.value, hv.schema)
  }
  let record: AnyRecord = sourceRecord({ topic: 't', kafkaPartition: 0, keySchema: key.schema, key: key.value, valueSchema: value.schema, value: value.value, timestamp: 0, headers })
  for (const [step, s] of c.chain.entries()) {
    const descriptor = registry.get(`org.apache.kafka.connect.transforms.${s.class}`)
    assert.ok(descriptor, `no transformation ${s.class}`)
    const t = descriptor.create() as Transformation
    try {
      t.configure(s.config)
    } catch (err) {
      return { error: { stage: 'configure', class: '', message: errorMessage(err), step } }
    }
    try {
      record = t.apply(record)!
    } catch (err) {
      return { error: { stage: 'apply', class: '', message: errorMessage(err), step } }
    }
  }
  return {
    key: side(converter, record.keySchema, record.key),
    value: side(converter, record.valueSchema, record.value),
    headers: [...record.headers].map(h => ({ key: h.key, value: side(converter, h.schema, h.value) }))
  }
}

// ---- Config validation: the transformation's own validate(), and parse() of its keys embedded as a connector's
function runValidate (c: ValidateCase): ValidateCase['expected'] {
  const descriptor = registry.get(`org.apache.kafka.connect.transforms.${c.class}`)
  assert.ok(descriptor, `no transformation ${c.class}`)
  const def = (descriptor.create() as Transformation).config()
  const errors: Record<string, string[]> = {}
  for (const v of def.validate(c.config)) if (v.errors.length > 0) errors[v.name] = v.errors
  const prefixed = Object.fromEntries(Object.entries(c.config).map(([k, v]) => [`transforms.x.${k}`, v]))
  let embeddedParse: string | null = null
  try {
    def.embed('transforms.x.', 'Transforms: x').parse(prefixed)
  } catch (err) {
    embeddedParse = errorMessage(err)
  }
  return { errors, embeddedParse }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/**
 * Java's error classes have no meaning here; the stage, step and message do: the class tags and the class prefix of
 * a write error are dropped. The generator printed its texts through Java's UTF-8 encoder, which writes a lone
 * surrogate as '?' (as FileStreamSink's would): ours are encoded alike before comparing.
 */
function comparable (expected: Record<string, unknown>): unknown {
  return JSON.parse(JSON.stringify(expected, (k, v: unknown) => {
    if (k === 'class') return undefined
    if (k === 'jsonError' && typeof v === 'string') return v.replace(/^[\w.$]+: /, '')
    if (k === 'text' && typeof v === 'string') return v.replace(LONE_SURROGATE, '?')
    return v
  }))
}

for (const c of cases) {
  const title = `${c.kind}: ${c.name}`
  test(title, { skip: DEVIATIONS.get(title) ?? false }, () => {
    if (c.kind === 'order') {
      assert.deepEqual(runOrder(c), c.expected.order)
    } else if (c.kind === 'json') {
      assert.deepEqual(comparable(runJson(c)), comparable(c.expected))
    } else if (c.kind === 'validate') {
      assert.deepEqual(runValidate(c), c.expected)
    } else {
      assert.deepEqual(comparable(runSmt(c)), comparable(c.expected))
    }
  })
}
