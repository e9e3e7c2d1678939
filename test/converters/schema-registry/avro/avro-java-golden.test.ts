/**
 * Our Avro texts and payloads against Apache Avro's Java library (avro-java.golden.jsonl, from generate-golden.ts):
 * every schema text is what Java's Schema.toString() prints for it, so Confluent's serializer would register the same
 * text, and every payload is the bytes Java's GenericDatumWriter writes for the datum (string-keyed maps in the order
 * of the HashMap Confluent's AvroData fills).
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { goldenCases } from './golden-cases.ts'

interface Golden { name: string, text?: string, payloads?: string[], error?: string }

const lines = readFileSync(new URL('./avro-java.golden.jsonl', import.meta.url), 'utf8').trim().split('\n')
const golden = new Map(lines.slice(1).map(l => JSON.parse(l) as Golden).map(g => [g.name, g]))

describe('Avro texts and payloads equal Java Avro\'s', () => {
  const cases = goldenCases()
  it('covers every case', () => {
    assert.ok(cases.length >= 140)
    assert.deepEqual(cases.map(c => c.name).sort(), [...golden.keys()].sort())
  })
  for (const c of cases) {
    it(c.name, () => {
      const g = golden.get(c.name)
      assert.ok(g, 'in the golden file')
      assert.equal(g.error, undefined)
      assert.equal(c.text, g.text)
      assert.deepEqual(c.payloads, g.payloads)
    })
  }
})
