/**
 * Differential test against Apache Kafka 4.3.1: every line of golden.jsonl holds what the real SimpleHeaderConverter
 * (Values.parseString / convertToString) and InsertHeader did with one header value (see generate-golden.mjs). Values
 * are compared with their Java types, so an INT8 42 and an INT16 42 differ, as do 1.0E21 as float32 and as float64.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { BigDecimal, decodeUtf8Java, javaDoubleToString, javaFloatToString, sinkRecord, type Schema } from '../../../src/api/index.ts'
import { SimpleHeaderConverter } from '../../../src/converters/simple-header-converter.ts'
import { InsertHeader } from '../../../src/transforms/insert-header.ts'

interface GoldenCase {
  name: string
  group: string
  text?: string
  bytes?: string
  decoded?: string
  header: unknown
  written?: unknown
  insert?: unknown
}

interface Utf8Group { utf8Group: number, count: number, sha256: string }

const HERE = dirname(fileURLToPath(import.meta.url))
const lines = readFileSync(join(HERE, 'golden.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l) as GoldenCase | Utf8Group)
const cases = lines.filter((l): l is GoldenCase => 'name' in l)
const utf8Groups = lines.filter((l): l is Utf8Group => 'utf8Group' in l)

function renderSchema (s: Schema | null | undefined): unknown {
  if (s === null || s === undefined) return null
  const o: Record<string, unknown> = { type: s.type, optional: s.optional }
  if (s.name !== undefined) o.name = s.name
  if (s.version !== undefined) o.version = s.version
  if (s.parameters !== undefined && Object.keys(s.parameters).length > 0) o.parameters = { ...s.parameters }
  if (s.type === 'array') o.valueSchema = renderSchema(s.valueSchema)
  if (s.type === 'map') {
    o.keySchema = renderSchema(s.keySchema)
    o.valueSchema = renderSchema(s.valueSchema)
  }
  return o
}

const INT_RANGES: Array<[string, number]> = [['int8', 2 ** 7], ['int16', 2 ** 15], ['int32', 2 ** 31]]

const NUMERIC = new Set(['int8', 'int16', 'int32', 'int64', 'float32', 'float64'])

/**
 * A value with the Java class Apache would hold: taken from the schema where it describes the value, otherwise the
 * narrowest type parseString gives such a number. The schema does not describe it for elements of an array or map
 * whose elements have no common schema, nor below a nested array or map: Apache gives the outer container the
 * schema merged from its elements but leaves the inner values as parsed ([[1],[1000]] holds a Byte under INT16).
 */
function renderValue (schema: Schema | null | undefined, v: unknown, trusted = true): unknown {
  if (v === null || v === undefined) return null
  if (typeof v === 'boolean') return v
  if (typeof v === 'string') return { string: v }
  if (typeof v === 'bigint') return { int64: v.toString() }
  if (v instanceof Date) return { date: String(v.getTime()) }
  if (v instanceof BigDecimal) return { decimal: v.unscaled.toString(), scale: v.scale }
  if (v instanceof Uint8Array) return { bytes: Buffer.from(v).toString('base64') }
  const below = (s: Schema | undefined): boolean => trusted && s?.type !== 'array' && s?.type !== 'map'
  if (Array.isArray(v)) return v.map(e => renderValue(schema?.valueSchema, e, below(schema?.valueSchema)))
  if (v instanceof Map) {
    return { map: [...v].map(([k, e]) => [renderValue(schema?.keySchema, k, below(schema?.keySchema)), renderValue(schema?.valueSchema, e, below(schema?.valueSchema))]) }
  }
  if (typeof v === 'number') {
    let type = trusted && schema !== undefined && schema !== null && NUMERIC.has(schema.type) ? schema.type : undefined
    if (type === undefined) {
      if (Number.isInteger(v) && !Object.is(v, -0) && Math.abs(v) < 2 ** 63) type = INT_RANGES.find(([, r]) => v >= -r && v < r)?.[0] as Schema['type'] ?? 'int64'
      else type = Math.fround(v) === v || Number.isNaN(v) ? 'float32' : 'float64'
    }
    if (type === 'float32') return { float32: javaFloatToString(v) }
    if (type === 'float64') return { float64: javaDoubleToString(v) }
    return { [type]: String(v) }
  }
  return { unknown: String(v) }
}

function renderSv (sv: { schema: Schema | null, value: unknown }): unknown {
  return { schema: renderSchema(sv.schema), value: renderValue(sv.schema, sv.value) }
}

/** Golden header results drop the markers that only say how Java got there. */
function expectedSv (g: unknown): unknown {
  const { javaNull: _n, addError: _a, ...rest } = g as Record<string, unknown>
  return rest
}

/**
 * Cases where we knowingly differ from Apache, each with the reason (the README lists them). They are still run:
 * the test fails if one starts to match, so the list stays true.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'temporal: "2024-01-∞0"': 'a lenient day of month of Integer.MAX_VALUE lands ~5.9 million years ahead, beyond what a JavaScript Date holds',
  'element types: "[1.00000001, \\"a\\"]"': 'a float that is a whole number (1.0), inside an array with no common element schema, is written back as 1: a JavaScript number does not say it was a Float',
  'element types: "[16777217.5, \\"a\\"]"': 'as above: the float 1.6777218E7 is written back as 16777218'
}

const converter = new SimpleHeaderConverter()
converter.configure({})

test(`golden file covers every class (${cases.length} cases)`, () => {
  const groups = new Map<string, number>()
  for (const c of cases) groups.set(c.group, (groups.get(c.group) ?? 0) + 1)
  for (const [group, n] of groups) assert.ok(n >= 5, `${group} has only ${n} cases`)
})

function check (c: GoldenCase): void {
  {
    const bytes = c.bytes !== undefined ? Buffer.from(c.bytes, 'base64') : Buffer.from(c.text!, 'utf8')
    const h = c.header as Record<string, unknown>
    if ('error' in h) {
      assert.throws(() => converter.toConnectHeader('topic', 'h', bytes))
      return
    }
    const sv = converter.toConnectHeader('topic', 'h', bytes)
    assert.deepEqual(renderSv(sv), expectedSv(h), 'toConnectHeader')
    const written = converter.fromConnectHeader('topic', 'h', sv.schema, sv.value)
    // Apache's toConnectHeader returns null (no SchemaAndValue) for the text null; nothing is written back then.
    assert.deepEqual(written === null ? null : written.toString('base64'), c.written ?? null, `fromConnectHeader wrote ${String(written)}`)
    if (c.insert !== undefined) {
      const ins = c.insert as Record<string, unknown>
      const smt = new InsertHeader()
      if ('error' in ins) {
        assert.throws(() => { smt.configure({ header: 'h', 'value.literal': c.text! }) })
        return
      }
      smt.configure({ header: 'h', 'value.literal': c.text! })
      const rec = smt.apply(sinkRecord({ topic: 'topic', kafkaPartition: 0, kafkaOffset: 0 }))
      const header = rec.headers.lastWithName('h')!
      assert.deepEqual(renderSv(header), expectedSv(ins), 'InsertHeader')
    }
  }
}

for (const c of cases) {
  const known = KNOWN_DIFFERENCES[c.name]
  test(known === undefined ? c.name : `${c.name} (known difference: ${known})`, () => {
    if (known === undefined) check(c)
    else assert.throws(() => { check(c) }, assert.AssertionError, 'this known difference is gone: drop it from KNOWN_DIFFERENCES')
  })
}

test('every known difference names a golden case', () => {
  for (const name of Object.keys(KNOWN_DIFFERENCES)) assert.ok(cases.some(c => c.name === name), name)
})

/** The enumeration of ValuesGolden.utf8Sequences, in the same order. */
const ALPHABET = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff]
function utf8Sequences (first: number): number[][] {
  const out: number[][] = [[first]]
  for (let b = 0; b < 256; b++) out.push([first, b])
  for (const b of ALPHABET) for (const c of ALPHABET) out.push([first, b, c])
  if (first >= 0xc0) for (const b of ALPHABET) for (const c of ALPHABET) for (const d of ALPHABET) out.push([first, b, c, d])
  return out
}

test(`decodeUtf8Java decodes as Java's new String(bytes, UTF_8) (${utf8Groups.length} groups of byte sequences)`, () => {
  assert.equal(utf8Groups.length, 256)
  const separator = Buffer.from('\uffff', 'utf16le')
  const wrong: string[] = []
  for (const g of utf8Groups) {
    const seqs = utf8Sequences(g.utf8Group)
    assert.equal(seqs.length, g.count)
    const sha = createHash('sha256')
    // Each sequence inside a larger buffer too, as FileStreamSource decodes a line out of its read buffer.
    const padded = Buffer.alloc(6, 0xbf)
    for (const seq of seqs) {
      const bytes = Buffer.from(seq)
      const text = decodeUtf8Java(bytes)
      padded.set(bytes, 1)
      assert.equal(decodeUtf8Java(padded, 1, 1 + bytes.length), text)
      sha.update(Buffer.from(text, 'utf16le')).update(separator)
    }
    if (sha.digest('hex') !== g.sha256) wrong.push(`0x${g.utf8Group.toString(16)}`)
  }
  assert.deepEqual(wrong, [], 'byte sequences starting with these bytes decode differently from Java')
})
