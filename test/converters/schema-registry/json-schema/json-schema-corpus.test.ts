/**
 * The shared corpus through the JSON Schema format as the converter uses it: fromConnectSchema, the text parsed back,
 * toConnectSchema; each value serialized and read back. JSON Schema carries every Connect type (connect.type,
 * connect.index, connect.parameters...), so schemas come back equal; values come back equal but for what Confluent's
 * converter loses too, each checked by an expected read-back model and counted by reason:
 *  - struct-default: a STRUCT default cannot be written (Kafka's Struct of the default has the schema without the
 *    default, so Confluent's fromConnectData says "Mismatching schema.", and so do we);
 *  - null-read-as-default: a null where the schema has a default is written as the default (or, with
 *    ignore.default.for.nullables, as null, which the reader replaces with the default anyway);
 *  - float-special: NaN and ±Infinity are written as strings (Jackson quotes them), which a float field reads as 0.0;
 *    -0.0 reads back as 0.0 (read as an exact decimal, which has no negative zero);
 *  - decimal-default-scale (decimal.format=NUMERIC): a Decimal default loses its trailing fraction zeros (org.json
 *    prints the schema's numbers without them), so its scale changes.
 * A second pass proves the rest exact: the read-back schema writes the same text, and read-back values round-trip.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { BigDecimal, DECIMAL_LOGICAL_NAME, Struct, type Schema } from '../../../../src/api/index.ts'
import { DEFAULT_SETTINGS, type JsonSchemaSettings } from '../../../../src/converters/schema-registry/json-schema/json-schema-config.ts'
import { JsonSchemaFormat } from '../../../../src/converters/schema-registry/json-schema/json-schema-format.ts'
import { CORPUS, schemaDiff, valueDiff, type CorpusEntry } from '../corpus.ts'

type Reason = 'struct-default' | 'null-read-as-default' | 'float-special' | 'decimal-default-scale'

/** Records which losses an entry met. */
class Losses {
  readonly seen = new Set<Reason>()
  add (r: Reason): void { this.seen.add(r) }
}

/** The Connect value Confluent's converter reads back for `value`, given the schema it reads back. */
function expectedValue (schema: Schema, value: unknown, losses: Losses): unknown {
  if (value === null || value === undefined) {
    if (schema.defaultValue !== undefined && schema.defaultValue !== null) {
      losses.add('null-read-as-default')
      return schema.defaultValue
    }
    return null
  }
  if (schema.name === DECIMAL_LOGICAL_NAME) return value
  switch (schema.type) {
    case 'float32': case 'float64': {
      const n = value as number
      if (!Number.isFinite(n) || Object.is(n, -0)) {
        losses.add('float-special')
        return 0
      }
      return n
    }
    case 'array': return (value as unknown[]).map(v => expectedValue(schema.valueSchema!, v, losses))
    case 'map': {
      const entries = value instanceof Map ? [...value as Map<unknown, unknown>] : Object.entries(value as object)
      return new Map(entries.map(([k, v]) => [k, expectedValue(schema.valueSchema!, v, losses)]))
    }
    case 'struct': {
      const out = new Struct(schema)
      for (const f of schema.fields ?? []) {
        const v = expectedValue(f.schema, (value as Struct).getWithoutDefault(f.name), losses)
        if (v !== null) out.put(f.name, v)
      }
      return out
    }
    default: return value
  }
}

/** The schema read back: the original, but for NUMERIC Decimal defaults without their trailing zeros. */
function expectedSchema (schema: Schema, settings: JsonSchemaSettings, losses: Losses): Schema {
  if (schema.name === DECIMAL_LOGICAL_NAME && settings.decimalFormat === 'NUMERIC' && schema.defaultValue instanceof BigDecimal) {
    const stripped = BigDecimal.parse(schema.defaultValue.toString().replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''))
    if (stripped.scale !== schema.defaultValue.scale) {
      losses.add('decimal-default-scale')
      return Object.freeze({ ...schema, defaultValue: stripped })
    }
    return schema
  }
  if (schema.type !== 'struct' || schema.fields === undefined) return schema
  const changed = schema.fields.map(f => expectedSchema(f.schema, settings, losses))
  if (changed.every((s, i) => s === schema.fields![i]!.schema)) return schema
  return Object.freeze({ ...schema, fields: Object.freeze(schema.fields.map((f, i) => Object.freeze({ ...f, schema: changed[i]! }))) })
}

function hasStructDefault (schema: Schema): boolean {
  if (schema.type === 'struct' && schema.defaultValue != null) return true
  return [...(schema.fields ?? []).map(f => f.schema), schema.keySchema, schema.valueSchema].some(s => s !== undefined && hasStructDefault(s))
}

function roundTrip (format: JsonSchemaFormat, e: CorpusEntry, tally: Map<Reason, string[]>): void {
  const losses = new Losses()
  if (hasStructDefault(e.schema)) {
    assert.throws(() => format.fromConnectSchema(e.schema), /Mismatching schema\./)
    tally.set('struct-default', [...tally.get('struct-default') ?? [], e.name])
    return
  }
  const written = format.fromConnectSchema(e.schema)
  const parsed = format.parse(written.text, written.references)
  const read = format.toConnectSchema(parsed)
  const wanted = expectedSchema(e.schema, format.settings, losses)
  assert.equal(schemaDiff(read, wanted), null, `${e.name}: schema`)
  for (const v of e.values) {
    if (v === null && !e.schema.optional && e.schema.defaultValue == null) continue
    const payload = format.serialize(written, e.schema, v)
    const back = format.deserialize(parsed, read, payload)
    assert.equal(valueDiff(back, expectedValue(wanted, v, losses)), null, `${e.name}: value ${payload.toString()}`)
    // What came back goes through again unchanged.
    assert.equal(valueDiff(format.deserialize(parsed, read, format.serialize(written, read, back)), back), null, `${e.name}: second pass`)
  }
  // The read-back schema is written as the same text (a fixed point), unless a default changed on the way.
  if (!losses.seen.has('decimal-default-scale')) assert.equal(format.fromConnectSchema(read).text, written.text, `${e.name}: text`)
  for (const r of losses.seen) tally.set(r, [...tally.get(r) ?? [], e.name])
}

const SETTINGS: Array<[string, JsonSchemaSettings, Reason[]]> = [
  ['default settings', DEFAULT_SETTINGS, ['struct-default', 'null-read-as-default', 'float-special']],
  ['NUMERIC decimals, generalized sum types, closed objects, ignore.default.for.nullables, indented', {
    ...DEFAULT_SETTINGS, decimalFormat: 'NUMERIC', generalizedSumTypeSupport: true, allowAdditionalProperties: false, ignoreDefaultForNullables: true, indentOutput: true
  }, ['struct-default', 'null-read-as-default', 'float-special', 'decimal-default-scale']]
]

describe('JSON Schema format: the shared corpus', () => {
  for (const [label, settings, reasons] of SETTINGS) {
    it(`round-trips every entry (${label}), losing only what Confluent loses`, () => {
      const format = new JsonSchemaFormat(settings)
      const tally = new Map<Reason, string[]>()
      for (const e of CORPUS) roundTrip(format, e, tally)
      assert.deepEqual([...tally.keys()].sort(), [...reasons].sort())
      // Every float-special entry meets the loss; nothing else does.
      const floatSpecial = CORPUS.filter(e => e.tags?.includes('float-special') === true).map(e => e.name)
      assert.deepEqual(tally.get('float-special'), floatSpecial)
      for (const name of tally.get('null-read-as-default') ?? []) assert.ok(CORPUS.find(e => e.name === name)?.tags?.includes('defaults'), name)
    })
  }

  it('gives the top-level schema the registry version when it names none, as Confluent\'s converter does', () => {
    const format = new JsonSchemaFormat(DEFAULT_SETTINGS)
    for (const e of CORPUS.filter(x => !hasStructDefault(x.schema)).slice(0, 40)) {
      const read = format.toConnectSchema(format.parse(format.fromConnectSchema(e.schema).text, []), 7)
      // An optional struct is a oneOf whose version goes to the struct inside.
      assert.equal(read.version, e.schema.version ?? 7, e.name)
    }
  })
})
