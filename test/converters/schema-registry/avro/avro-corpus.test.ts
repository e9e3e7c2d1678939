/**
 * The whole shared corpus through the Avro format: Connect schema to registry text, the text parsed back to the
 * Connect schema a reader gets, and every value written and read back. Known exceptions are by corpus tag.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DataError } from '../../../../src/api/index.ts'
import { AvroFormat } from '../../../../src/converters/schema-registry/avro/avro-format.ts'
import { DEFAULT_AVRO_DATA_OPTIONS } from '../../../../src/converters/schema-registry/avro/avro-data-config.ts'
import { CORPUS, schemaDiff, valueDiff, withStructDefaults } from '../corpus.ts'

const format = new AvroFormat()
const ignoring = new AvroFormat({ ...DEFAULT_AVRO_DATA_OPTIONS, ignoreDefaultForNullables: true })

describe('Avro format over the shared corpus', () => {
  for (const entry of CORPUS) {
    const tags = entry.tags ?? []
    if (tags.includes('needs-scrub')) {
      it(`${entry.name}: refused without scrub.invalid.names`, () => {
        assert.throws(() => format.fromConnectSchema(entry.schema), (err: unknown) => err instanceof DataError && /Illegal (initial )?character/.test((err as Error).message))
      })
      continue
    }
    it(entry.name, () => {
      const written = format.fromConnectSchema(entry.schema)
      assert.equal(format.fromConnectSchema(entry.schema).text, written.text, 'cached, same text')
      assert.equal(new AvroFormat().fromConnectSchema(entry.schema).text, written.text, 'same text from a fresh format')
      const read = format.parse(written.text, [])
      const connect = format.toConnectSchema(read)
      const d = schemaDiff(connect, entry.schema)
      assert.equal(d, null, `${d} in ${written.text}`)
      for (const value of entry.values) {
        const payload = format.serialize(written, entry.schema, value)
        const back = format.deserialize(read, connect, payload)
        const dv = valueDiff(back, withStructDefaults(entry.schema, value))
        assert.equal(dv, null, `${dv} (payload ${payload.toString('hex')})`)
        const exact = ignoring.deserialize(read, connect, ignoring.serialize(written, entry.schema, value))
        const de = valueDiff(exact, value)
        assert.equal(de, null, `ignore.default.for.nullables: ${de}`)
      }
    })
  }
})
