/**
 * Payload bytes against protobuf-java's (protobuf-java.golden.jsonl, made by generate-golden.ts): the messages
 * Confluent's rules make of the cases in java-golden-cases.ts, encoded by protobuf-java; every corpus value as we
 * write it, parsed and written again by protobuf-java; the calendar fields java.util.Calendar gives for Dates.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { ProtobufFormat } from '../../../../src/converters/schema-registry/protobuf/protobuf-format.ts'
import { DEFAULT_PROTOBUF_DATA_OPTIONS } from '../../../../src/converters/schema-registry/protobuf/protobuf-data-config.ts'
import { decodeMessageIndexes } from '../../../../src/converters/schema-registry/protobuf/message-indexes.ts'
import { dateFromFields, dateToFields } from '../../../../src/converters/schema-registry/protobuf/protobuf-logical.ts'
import { CORPUS, valueDiff } from '../corpus.ts'
import { CALENDAR_DAYS, JAVA_GOLDEN_CASES } from './java-golden-cases.ts'

interface Golden { kind: string, java: string, case?: string, entry?: string, index?: number, millis?: number }
const GOLDEN: Golden[] = readFileSync(new URL('./protobuf-java.golden.jsonl', import.meta.url), 'utf8').trim().split('\n').slice(1).map(l => JSON.parse(l) as Golden)

/** Our payload without its message indexes. */
function message (format: ProtobufFormat, schema: Parameters<ProtobufFormat['fromConnectSchema']>[0], value: unknown): Buffer {
  const payload = format.serialize(format.fromConnectSchema(schema), schema, value)
  return payload.subarray(decodeMessageIndexes(payload).offset)
}

describe('Protobuf payloads against protobuf-java', () => {
  it('the golden file covers every case, corpus value and day', () => {
    assert.equal(GOLDEN.filter(g => g.kind === 'encode').length, JAVA_GOLDEN_CASES.length)
    assert.equal(GOLDEN.filter(g => g.kind === 'calendar').length, CALENDAR_DAYS.length)
    assert.ok(GOLDEN.filter(g => g.kind === 'reserialize').length >= 150)
  })

  for (const c of JAVA_GOLDEN_CASES) {
    it(`encodes like protobuf-java: ${c.name}`, () => {
      const format = new ProtobufFormat({ ...DEFAULT_PROTOBUF_DATA_OPTIONS, ...c.options })
      const golden = GOLDEN.find(g => g.kind === 'encode' && g.case === c.name)!
      assert.equal(message(format, c.schema, c.value).toString('hex'), golden.java)
      // And protobuf-java's bytes read back as the value (a second read of ours would prove nothing new).
      const written = format.fromConnectSchema(c.schema)
      const indexes = format.serialize(written, c.schema, c.value).subarray(0, 1 + (written.recordName?.startsWith('google.') === true ? 1 : 0))
      const back = format.read(written, format.toConnectSchema(written), Buffer.concat([indexes, Buffer.from(golden.java, 'hex')]))
      const ours = format.read(written, format.toConnectSchema(written), format.serialize(written, c.schema, c.value))
      assert.equal(valueDiff(back.value, ours.value), null)
    })
  }

  it('writes every corpus value in protobuf-java\'s canonical encoding', () => {
    const format = new ProtobufFormat(DEFAULT_PROTOBUF_DATA_OPTIONS)
    let checked = 0
    for (const g of GOLDEN.filter(x => x.kind === 'reserialize')) {
      const e = CORPUS.find(x => x.name === g.entry)!
      assert.equal(message(format, e.schema, e.values[g.index!]).toString('hex'), g.java, `${g.entry} value ${g.index}`)
      checked++
    }
    assert.ok(checked >= 150)
  })

  it('gives google.type.Date the fields of a UTC java.util.Calendar (Julian before 1582-10-15, year of era)', () => {
    for (const g of GOLDEN.filter(x => x.kind === 'calendar')) {
      const f = dateToFields(new Date(g.millis!))
      assert.equal(`${f.year} ${f.month} ${f.day}`, g.java, `day ${g.millis! / 86400000}`)
      // A non-lenient Calendar set to those fields (AD) gives the day back, for days of the common era.
      if (g.millis! >= -62135596800000) assert.equal(dateFromFields(f).getTime(), g.millis)
    }
  })
})
