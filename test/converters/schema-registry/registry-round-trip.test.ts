/**
 * The whole shared corpus through the real registry, for each format: one converter instance writes
 * (fromConnectData: magic byte 0, an id the registry's GET /schemas/ids/{id} resolves under the record's subject),
 * a second instance, which has never seen the schema, reads (toConnectData), and what it gives must be what the
 * format promises (registry-expectations.ts: Avro exactly; JSON Schema equal schemas and values but for what
 * Confluent's converter loses too; Protobuf up to Confluent's documented losses), and for JSON Schema and Protobuf
 * what was read back goes through again exactly (a second pass).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { DataError, Headers, type Schema, type SchemaAndValue } from '../../../src/api/index.ts'
import { AvroConverter, JsonSchemaConverter, ProtobufConverter } from '../../../src/converters/schema-registry/registry-converters.ts'
import type { SchemaRegistryConverter } from '../../../src/converters/schema-registry/schema-registry-converter.ts'
import { registryRequest, schemaRegistryCcompatUrl } from '../../harness/schema-registry.mjs'
import { CORPUS } from './corpus.ts'
import {
  REFUSALS, SCHEMA_TYPES, exactDiff, notWritable, readDiff, valueNotWritable, withoutRegistryVersion, writableEntries, writesNullPayload, type FormatName
} from './registry-expectations.ts'

const run = `${process.pid}-${Date.now().toString(36)}`
let url: string
const converters: SchemaRegistryConverter[] = []

function make (format: FormatName, props: Record<string, string>): SchemaRegistryConverter {
  const c = format === 'avro' ? new AvroConverter() : format === 'json' ? new JsonSchemaConverter() : new ProtobufConverter()
  c.configure({ 'schema.registry.url': url, ...props }, false)
  converters.push(c)
  return c
}

before(() => { url = schemaRegistryCcompatUrl() })
after(() => { for (const c of converters) c.close() })

/** Checks the wire format and the registry's view of the id; returns the version the subject holds it as. */
async function checkRegistered (bytes: Buffer, subject: string, type: string): Promise<{ id: number, version: number }> {
  assert.equal(bytes[0], 0, 'magic byte')
  const id = bytes.readInt32BE(1)
  const byId = await registryRequest('GET', `${url}/schemas/ids/${id}`)
  assert.equal(byId.status, 200, `GET /schemas/ids/${id}: ${byId.text}`)
  assert.equal(byId.body.schemaType ?? 'AVRO', type)
  const versions = await registryRequest('GET', `${url}/schemas/ids/${id}/versions`)
  assert.equal(versions.status, 200, versions.text)
  const mine = (versions.body as Array<{ subject: string, version: number }>).find(v => v.subject === subject)
  assert.ok(mine !== undefined, `id ${id} is registered under ${subject}: ${versions.text}`)
  return { id, version: mine.version }
}

/** Protobuf cannot have an array or map at the root, nor arrays in arrays (Confluent's ProtobufData refuses both). */
const MIN_ENTRIES: Readonly<Record<FormatName, number>> = { avro: 100, protobuf: 80, json: 100 }

interface Pass { writer: SchemaRegistryConverter, reader: SchemaRegistryConverter, ignoreDefaults: boolean }

/** Writes every value of `entry` with one converter and reads it with the other; returns what was read. */
async function roundTrip (format: FormatName, pass: Pass, entryName: string, topic: string): Promise<Array<{ read: SchemaAndValue, version: number | undefined }>> {
  const entry = CORPUS.find(e => e.name === entryName)!
  const type = SCHEMA_TYPES[format]
  const out = []
  for (const value of entry.values) {
    const refusal = valueNotWritable(format, entry, value)
    if (refusal !== null) {
      await assert.rejects(async () => await pass.writer.fromConnectData(topic, Headers.EMPTY, entry.schema, value), (err: unknown) => err instanceof DataError && refusal.test((err as Error).message))
      continue
    }
    const bytes = await pass.writer.fromConnectData(topic, Headers.EMPTY, entry.schema, value)
    if (value === null && !writesNullPayload(format)) {
      assert.equal(bytes, null, 'a null value is written as null')
      out.push({ read: await pass.reader.toConnectData(topic, Headers.EMPTY, null), version: undefined })
      continue
    }
    assert.ok(bytes !== null)
    const { version } = await checkRegistered(bytes, `${topic}-value`, type)
    const read = await pass.reader.toConnectData(topic, Headers.EMPTY, bytes)
    const d = readDiff(format, entry, value, read, version, pass.ignoreDefaults)
    assert.equal(d, null, `${d} (bytes ${bytes.toString('hex').slice(0, 200)})`)
    out.push({ read, version })
  }
  return out
}

function corpusSuite (format: FormatName, props: Record<string, string>, label: string, secondPass: boolean): void {
  describe(`${format} through the registry (${label})`, () => {
    let pass: Pass
    before(() => { pass = { writer: make(format, props), reader: make(format, props), ignoreDefaults: props['ignore.default.for.nullables'] === 'true' } })
    const entries = writableEntries(format)
    it('covers the corpus but for the listed exclusions, which the writer refuses with a DataError', async () => {
      const left = CORPUS.filter(e => notWritable(format, e) !== null)
      assert.ok(entries.length >= MIN_ENTRIES[format], `${entries.length} entries written, ${left.length} left out: ${left.map(e => `${e.name} (${notWritable(format, e)})`).join('; ')}`)
      for (const e of left) {
        const value = e.values.find(v => v !== null)
        await assert.rejects(async () => await pass.writer.fromConnectData(`rt-refused-${run}`, Headers.EMPTY, e.schema, value),
          (err: unknown) => err instanceof DataError && REFUSALS[notWritable(format, e)!]!.test((err as Error).message), e.name)
      }
    })
    entries.forEach((entry, i) => {
      it(entry.name, async () => {
        const topic = `rt-${format}-${label.replace(/\W+/g, '')}-${run}-${i}`
        const firsts = await roundTrip(format, pass, entry.name, topic)
        if (!secondPass) return
        // What the reader gave is the format's own Connect form of the schema: it goes through again exactly.
        for (const [j, first] of firsts.entries()) {
          if (first.read.schema === null) continue
          assert.ok(first.version !== undefined)
          const again = `${topic}-again-${j}`
          const written = withoutRegistryVersion(entry.schema, first.read.schema, first.version).schema
          const bytes = await pass.writer.fromConnectData(again, Headers.EMPTY, first.read.schema, first.read.value)
          assert.ok(bytes !== null)
          const { version } = await checkRegistered(bytes, `${again}-value`, SCHEMA_TYPES[format])
          const read = await pass.reader.toConnectData(again, Headers.EMPTY, bytes)
          const d = exactDiff(written as Schema, first.read.value, read, version, writesNullPayload(format))
          assert.equal(d, null, `second pass: ${d}`)
        }
      })
    })
  })
}

corpusSuite('avro', {}, 'default settings', false)
corpusSuite('avro', { 'ignore.default.for.nullables': 'true' }, 'ignore.default.for.nullables', false)
corpusSuite('protobuf', {}, 'default settings', true)
corpusSuite('json', {}, 'default settings', true)
// The reader gives a null field the schema's default whichever way the writer wrote it.
corpusSuite('json', { 'ignore.default.for.nullables': 'true' }, 'ignore.default.for.nullables', false)
