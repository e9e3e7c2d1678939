/** The shared corpus is well-formed, and its equality helper tells equal from different. */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { BigDecimal, Decimal, DECIMAL_LOGICAL_NAME, SchemaBuilder, Schemas, Struct, validateValue, type Schema } from '../../../src/api/index.ts'
import { CORPUS, connectSchemaEquals, connectValueEquals, corpusWithout, schemaDiff, valueDiff } from './corpus.ts'

function checkDecimals (schema: Schema, value: unknown): void {
  if (value === null || value === undefined) return
  if (schema.name === DECIMAL_LOGICAL_NAME) {
    assert.equal((value as BigDecimal).scale, Decimal.scale(schema), `decimal ${String(value)} has the schema's scale`)
    const precision = schema.parameters?.['connect.decimal.precision']
    if (precision !== undefined) {
      const u = (value as BigDecimal).unscaled
      assert.ok((u < 0n ? -u : u).toString().length <= Number(precision), `decimal ${String(value)} fits precision ${precision}`)
    }
    return
  }
  if (schema.type === 'struct') for (const f of schema.fields ?? []) checkDecimals(f.schema, (value as Struct).getWithoutDefault(f.name))
  if (schema.type === 'array') for (const v of value as unknown[]) checkDecimals(schema.valueSchema!, v)
  if (schema.type === 'map') for (const [k, v] of value as Map<unknown, unknown>) { checkDecimals(schema.keySchema!, k); checkDecimals(schema.valueSchema!, v) }
}

describe('schema registry corpus', () => {
  it('has at least 110 entries with unique names', () => {
    assert.ok(CORPUS.length >= 110, `${CORPUS.length} entries`)
    assert.equal(new Set(CORPUS.map(e => e.name)).size, CORPUS.length)
  })

  it('every value is valid for its schema, decimals carry the schema scale', () => {
    for (const e of CORPUS) {
      assert.ok(e.values.length > 0, `${e.name} has values`)
      for (const v of e.values) {
        assert.doesNotThrow(() => { validateValue(e.schema, v) }, e.name)
        checkDecimals(e.schema, v)
      }
    }
  })

  it('covers every type, logical type and tag', () => {
    const types = new Set<string>()
    const names = new Set<string>()
    const walk = (s: Schema): void => {
      types.add(s.type)
      if (s.name) names.add(s.name)
      for (const f of s.fields ?? []) walk(f.schema)
      if (s.keySchema) walk(s.keySchema)
      if (s.valueSchema) walk(s.valueSchema)
    }
    for (const e of CORPUS) walk(e.schema)
    for (const t of ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string', 'bytes', 'array', 'map', 'struct']) assert.ok(types.has(t), t)
    for (const n of ['Decimal', 'Date', 'Time', 'Timestamp']) assert.ok(names.has(`org.apache.kafka.connect.data.${n}`), n)
    const tags = new Set(CORPUS.flatMap(e => e.tags ?? []))
    for (const t of ['non-string-map-keys', 'struct-map-keys', 'needs-scrub', 'float-special', 'int64-big', 'enum', 'union', 'defaults', 'optional-items']) assert.ok(tags.has(t), t)
    assert.ok(corpusWithout(['needs-scrub']).length < CORPUS.length)
  })

  it('equality: each entry equals itself and differs from a changed copy', () => {
    for (const e of CORPUS) {
      assert.ok(connectSchemaEquals(e.schema, e.schema), e.name)
      for (const v of e.values) assert.ok(connectValueEquals(v, v), e.name)
    }
    assert.equal(schemaDiff(Schemas.INT32, Schemas.OPTIONAL_INT32), 'schema.optional: false vs true')
    const s = SchemaBuilder.struct().name('x').field('f', Schemas.FLOAT64).field('l', Schemas.INT64).build()
    const a = new Struct(s).put('f', Number.NaN).put('l', 5)
    assert.ok(connectValueEquals(a, new Struct(s).put('f', Number.NaN).put('l', 5n)), 'NaN and number/bigint')
    assert.equal(valueDiff(a, new Struct(s).put('f', 1).put('l', 5)), 'value.f: NaN vs 1')
    assert.ok(!connectValueEquals(0, -0))
    assert.ok(!connectValueEquals(new BigDecimal(1n, 1), new BigDecimal(10n, 2)))
    assert.ok(connectValueEquals(new Map([[Buffer.from([1]), 1]]), new Map([[Buffer.from([1]), 1]])))
    assert.ok(!connectValueEquals(new Map([['a', 1]]), new Map([['a', 2]])))
    assert.ok(connectValueEquals({ a: 1 }, new Map([['a', 1]])))
  })
})
