/**
 * JsonConverter's fast path for reading {"schema":…,"payload":…} envelopes (a schema seen before is not parsed and
 * converted again) must give exactly what the general reader gives. The general reader is forced here by a space
 * after the opening brace, which the fast path does not take.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DataError, Headers, Struct } from '../../src/api/index.ts'
import { JsonConverter, SCHEMAS_CACHE_SIZE_CONFIG } from '../../src/converters/json/json-converter.ts'

function converter (config: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter()
  c.configure(config, false)
  return c
}

const read = (c: JsonConverter, text: string) => c.toConnectData('t', Headers.EMPTY, Buffer.from(text, 'utf8'))
/** The same envelope, laid out so that only the general reader reads it. */
const spaced = (text: string): string => `{ ${text.slice(1)}`

const STRUCT_SCHEMA = '{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"}],"optional":false,"name":"r"}'
const envelope = (schema: string, payload: string): string => `{"schema":${schema},"payload":${payload}}`

test('a repeated envelope schema reads as the general reader reads it, as one schema instance', () => {
  const c = converter()
  const general = converter()
  const first = read(c, envelope(STRUCT_SCHEMA, '{"id":1,"name":"a"}'))
  const second = read(c, envelope(STRUCT_SCHEMA, '{"id":2,"name":null}'))
  assert.equal(first.schema, second.schema)
  assert.deepEqual(first, read(general, spaced(envelope(STRUCT_SCHEMA, '{"id":1,"name":"a"}'))))
  assert.deepEqual(second, read(general, spaced(envelope(STRUCT_SCHEMA, '{"id":2,"name":null}'))))
  assert.ok(second.value instanceof Struct)
  assert.equal((second.value as Struct).get('id'), 2)
})

test('alternating schemas, primitive and null schemas, and a schema that only starts like the last one', () => {
  const c = converter()
  const general = converter()
  const inputs = [
    envelope(STRUCT_SCHEMA, '{"id":1}'),
    envelope('{"type":"string","optional":false}', '"x"'),
    envelope(STRUCT_SCHEMA, '{"id":3,"name":"c"}'),
    envelope('null', '{"a":[1,2.5,"s"]}'),
    envelope('{"type":"string","optional":false}', '"y"'),
    envelope('{"type":"string","optional":false,"name":"n"}', '"z"'),
    envelope('{"type":"int32","optional":false}', '12')
  ]
  for (const text of inputs) assert.deepEqual(read(c, text), read(general, spaced(text)), text)
})

test('errors are the general reader\'s, also right after a schema was cached', () => {
  const c = converter()
  read(c, envelope(STRUCT_SCHEMA, '{"id":1}'))
  const bad = [
    envelope('{"type":"nope","optional":false}', '1'),
    envelope(STRUCT_SCHEMA, '{"id":1'),
    envelope(STRUCT_SCHEMA, '{"id":1}') + ',"extra":1}',
    `{"schema":${STRUCT_SCHEMA},"payload":{"id":1},"other":2}`,
    `{"schema":${STRUCT_SCHEMA}}`,
    envelope(STRUCT_SCHEMA, '"not a struct"')
  ]
  for (const text of bad) {
    let fast: unknown
    let general: unknown
    try { fast = read(c, text) } catch (err) { fast = err }
    try { general = read(converter(), spaced(text)) } catch (err) { general = err }
    if (general instanceof Error) {
      assert.ok(fast instanceof DataError, `${text}: expected an error, got ${JSON.stringify(fast)}`)
      assert.equal((fast as Error).message, general.message, text)
    } else {
      assert.deepEqual(fast, general, text)
    }
  }
})

test('duplicate keys keep the general reader\'s meaning (the last value wins)', () => {
  const text = `{"schema":{"type":"int32","optional":false},"payload":1,"payload":2}`
  assert.deepEqual(read(converter(), text), read(converter(), spaced(text)))
  assert.equal(read(converter(), text).value, 2)
})

test('schemas.cache.size=0 reads every envelope the general way', () => {
  const c = converter({ [SCHEMAS_CACHE_SIZE_CONFIG]: '0' })
  const a = read(c, envelope(STRUCT_SCHEMA, '{"id":1}'))
  const b = read(c, envelope(STRUCT_SCHEMA, '{"id":2}'))
  assert.notEqual(a.schema, b.schema)
  assert.deepEqual(a.schema, b.schema)
})

test('the cache holds at most schemas.cache.size schemas and stays correct past it', () => {
  const c = converter({ [SCHEMAS_CACHE_SIZE_CONFIG]: '2' })
  const general = converter()
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 5; i++) {
      const text = envelope(`{"type":"struct","fields":[{"type":"int32","optional":false,"field":"f${i}"}],"optional":false}`, `{"f${i}":${i}}`)
      assert.deepEqual(read(c, text), read(general, spaced(text)))
    }
  }
})
