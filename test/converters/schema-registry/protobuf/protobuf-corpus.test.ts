/**
 * The shared corpus through the Protobuf format, as the converter uses it: fromConnectSchema, the text parsed back,
 * toConnectSchema; each value serialized and read back. Confluent's mapping is lossy by design (proto3 has no
 * required fields, no defaults, no docs), so the first pass is checked by LossWalk: every difference must be a listed
 * loss, recorded by tag. What is read back then round-trips exactly (a second pass gives equal schemas and values),
 * and with enhanced.protobuf.schema.support the .proto text itself is a fixed point.
 */
import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Schema } from '../../../../src/api/index.ts'
import { ProtobufFormat } from '../../../../src/converters/schema-registry/protobuf/protobuf-format.ts'
import { DEFAULT_PROTOBUF_DATA_OPTIONS } from '../../../../src/converters/schema-registry/protobuf/protobuf-data-config.ts'
import { CORPUS, schemaDiff, valueDiff, type CorpusEntry } from '../corpus.ts'
import { LOSSES, LossWalk } from './protobuf-losses.ts'

const LOGICAL_ROOT = /^org\.apache\.kafka\.connect\.data\.(Decimal|Date|Time|Timestamp)$/

/** A null anywhere inside an array: a repeated Protobuf field cannot hold one (Confluent's write fails too). */
function hasNullItem (schema: Schema, value: unknown): boolean {
  if (value === null || value === undefined) return false
  switch (schema.type) {
    case 'array': return (value as unknown[]).some(v => v === null || hasNullItem(schema.valueSchema!, v))
    case 'map': return [...(value instanceof Map ? value : new Map(Object.entries(value as object)))].some(([k, v]) => hasNullItem(schema.keySchema!, k) || hasNullItem(schema.valueSchema!, v))
    case 'struct': return (schema.fields ?? []).some(f => hasNullItem(f.schema, (value as { get: (n: string) => unknown }).get(f.name)))
    default: return false
  }
}

/** Why an entry cannot be written at all, with the error Confluent's mapping gives, or null. */
function notWritable (e: CorpusEntry, scrub: boolean): { why: string, error: RegExp } | null {
  if (e.schema.type === 'array' || e.schema.type === 'map') return { why: 'array-map-root', error: /Unsupported root schema of type (ARRAY|MAP)/ }
  if (e.tags?.includes('nested-arrays') === true) return { why: 'nested-arrays', error: /Array cannot be nested/ }
  if (!scrub && e.tags?.includes('needs-scrub') === true) return { why: 'needs-scrub', error: /is not a valid identifier/ }
  return null
}

const lossCount = new Map<string, number>()
const unwritable = new Map<string, string[]>()
const note = (map: Map<string, string[]>, key: string, name: string): void => { map.set(key, [...map.get(key) ?? [], name]) }

function roundTrip (format: ProtobufFormat, e: CorpusEntry, scrub: boolean): void {
  const blocked = notWritable(e, scrub)
  if (blocked !== null) {
    assert.throws(() => format.fromConnectSchema(e.schema), blocked.error)
    note(unwritable, blocked.why, e.name)
    return
  }
  const written = format.fromConnectSchema(e.schema)
  const parsed = format.parse(written.text, written.references)
  // A primitive's schema is wrappers.proto, whose first message is not its own: the payload's indexes select it.
  const read = format.toConnectSchema(parsed.withMessage(written.recordName!))
  const walk = new LossWalk(scrub)
  const logicalRoot = e.schema.name !== undefined && LOGICAL_ROOT.test(e.schema.name)
  if (logicalRoot) {
    // Written as its message (Decimal, Date...) under the wrapper of its base type; read back as that wrapper.
    assert.equal(read.type, e.schema.type === 'int32' ? 'int32' : e.schema.type === 'int64' ? 'int64' : 'bytes')
    walk.losses.add('logical-root')
  } else {
    walk.schema(e.schema, read)
  }
  const values: unknown[] = []
  for (const v of e.values) {
    if (v === null) { walk.losses.add('root-optional'); continue } // the converter writes null for a null value
    if (hasNullItem(e.schema, v)) {
      assert.throws(() => format.serialize(written, e.schema, v), /null element/)
      note(unwritable, 'null-items', `${e.name} (a value)`)
      continue
    }
    const got = format.read(parsed, format.toConnectSchema(parsed), format.serialize(written, e.schema, v))
    assert.equal(got.schema, read)
    if (!logicalRoot) walk.value(e.schema, v, read, got.value)
    values.push(got.value)
  }
  for (const l of walk.losses) lossCount.set(l, (lossCount.get(l) ?? 0) + 1)

  // What was read back is Confluent's own Connect form of the schema: it goes through again unchanged.
  const again = format.fromConnectSchema(read)
  const parsedAgain = format.parse(again.text, again.references)
  const readAgain = format.toConnectSchema(parsedAgain.withMessage(again.recordName!))
  assert.equal(schemaDiff(readAgain, read), null, 'second pass schema')
  for (const v of values) {
    const got = format.read(parsedAgain, format.toConnectSchema(parsedAgain), format.serialize(again, read, v)).value
    assert.equal(valueDiff(got, v), null, 'second pass value')
  }
}

describe('Protobuf format over the corpus (default settings)', () => {
  const format = new ProtobufFormat(DEFAULT_PROTOBUF_DATA_OPTIONS)
  for (const e of CORPUS) it(e.name, () => { roundTrip(format, e, false) })

  after(() => {
    const lines = [...lossCount].sort(([a], [b]) => a < b ? -1 : 1).map(([tag, n]) => `  ${tag} (${n} entries): ${LOSSES[tag] ?? '?'}`)
    const blocked = [...unwritable].map(([why, names]) => `  ${why}: ${names.length} (${names.slice(0, 3).join('; ')}${names.length > 3 ? '; ...' : ''})`)
    process.stdout.write(`# Protobuf losses by tag:\n${lines.join('\n')}\n# not writable:\n${blocked.join('\n')}\n`)
  })
})

describe('Protobuf format over the corpus (scrub.invalid.names, enhanced.protobuf.schema.support)', () => {
  const format = new ProtobufFormat({ ...DEFAULT_PROTOBUF_DATA_OPTIONS, scrubInvalidNames: true, enhancedSchemaSupport: true })
  for (const e of CORPUS) {
    if (notWritable(e, true) !== null) continue
    it(`${e.name}: the text is a fixed point`, () => {
      const written = format.fromConnectSchema(e.schema)
      const read = format.toConnectSchema(format.parse(written.text, written.references))
      assert.equal(format.fromConnectSchema(read).text, written.text)
    })
  }
  it('names that need scrubbing are written scrubbed and read back', () => {
    const plain = new ProtobufFormat({ ...DEFAULT_PROTOBUF_DATA_OPTIONS, scrubInvalidNames: true })
    for (const e of CORPUS.filter(x => x.tags?.includes('needs-scrub') === true)) roundTrip(plain, e, true)
  })
})
