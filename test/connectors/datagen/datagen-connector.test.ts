/**
 * The Datagen connector's configuration: kafka-connect-datagen's keys and defaults, exactly one schema source, the
 * key field checked against the schema, schema and annotation errors reported on the key that gave the schema, and
 * one task config per task with its task.id. Also its registration under the class name and the simple name.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { ConfigError, type ConfigValue } from '../../../src/api/index.ts'
import { DatagenConnector } from '../../../connectors/datagen/index.ts'
import { DatagenTask } from '../../../connectors/datagen/datagen-task.ts'
import { builtinRegistry } from '../../../src/plugins/builtin.ts'

const BASE = { name: 'dg', 'kafka.topic': 'users' }

function errors (props: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const v of new DatagenConnector().validate(props) as ConfigValue[]) if (v.errors.length > 0) out[v.name] = v.errors
  return out
}

const USERS_SCHEMA = JSON.stringify({ type: 'record', name: 'u', fields: [{ name: 'id', type: 'int' }] })

test('the keys and defaults are kafka-connect-datagen\'s', () => {
  const def = new DatagenConnector().config()
  const keys = Object.fromEntries(def.keys().map(k => [k.name, [k.type, k.default]]))
  assert.deepEqual(keys, {
    'kafka.topic': ['string', undefined],
    'max.interval': ['long', 500],
    iterations: ['int', -1],
    'schema.string': ['string', ''],
    'schema.filename': ['string', ''],
    'schema.keyfield': ['string', ''],
    quickstart: ['string', ''],
    'random.seed': ['long', null]
  })
})

test('a valid config has no errors, with any of the three schema sources', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'datagen-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const file = join(dir, 'schema.avsc')
  await writeFile(file, `// comments are allowed\n${USERS_SCHEMA}`)
  assert.deepEqual(errors({ ...BASE, quickstart: 'users' }), {})
  assert.deepEqual(errors({ ...BASE, quickstart: 'USERS' }), {}, 'the quickstart name is case-insensitive')
  assert.deepEqual(errors({ ...BASE, 'schema.string': USERS_SCHEMA, 'schema.keyfield': 'id' }), {})
  assert.deepEqual(errors({ ...BASE, 'schema.filename': file, 'random.seed': '42', iterations: '10', 'max.interval': '0' }), {})
  assert.deepEqual(errors({ ...BASE, 'schema.filename': 'orders_schema.avro' }), {}, 'a bundled resource name works as in the original')
})

test('exactly one schema source: none or several are reported on the source keys', () => {
  const message = 'Must set exactly one of schema.string, schema.filename, quickstart'
  assert.deepEqual(errors(BASE), { 'schema.string': [message], 'schema.filename': [message], quickstart: [message] })
  assert.deepEqual(errors({ ...BASE, quickstart: 'users', 'schema.string': USERS_SCHEMA }), { 'schema.string': [message], quickstart: [message] })
  assert.throws(() => new DatagenConnector().start({ ...BASE, quickstart: 'users', 'schema.string': USERS_SCHEMA }),
    (err: Error) => err instanceof ConfigError && /Must set exactly one of schema.string, schema.filename, quickstart \(schema.string, quickstart are set\)/.test(err.message))
  assert.throws(() => new DatagenConnector().start(BASE), /Must set exactly one of/)
})

test('errors name the key: unknown quickstart, bad schema text, missing file, annotations, key field, numbers, topic', () => {
  assert.match(errors({ ...BASE, quickstart: 'nope' }).quickstart![0]!, /^Invalid value nope for configuration quickstart: must be one of clickstream_codes, clickstream, .*users.*pageviews/)
  assert.match(errors({ ...BASE, 'schema.string': '{"type": "record"' })['schema.string']![0]!,
    /^Invalid value for configuration schema.string: Unable to parse the provided schema: not valid JSON: .* at line 1, column 18/)
  assert.match(errors({ ...BASE, 'schema.string': '"int"' })['schema.string']![0]!, /the schema must be an Avro record .*not int/)
  assert.match(errors({ ...BASE, 'schema.filename': '/no/such/file.avsc' })['schema.filename']![0]!,
    /^Invalid value \/no\/such\/file.avsc for configuration schema.filename: Unable to find the schema file/)
  const bad = JSON.stringify({ type: 'record', name: 'r', fields: [{ name: 'f', type: { type: 'int', 'arg.properties': { range: { min: 3, max: 1 } } } }] })
  assert.match(errors({ ...BASE, 'schema.string': bad })['schema.string']![0]!, /arg.properties cannot generate data: r\.f: 'min' field must be strictly less than 'max' field/)
  assert.deepEqual(errors({ ...BASE, quickstart: 'users', 'schema.keyfield': 'nope' }), { 'schema.keyfield': ["The schema does not contain the field provided in 'schema.keyfield'"] })
  assert.throws(() => new DatagenConnector().start({ ...BASE, quickstart: 'users', 'schema.keyfield': 'nope' }), /The schema does not contain the field provided in 'schema.keyfield'/)
  assert.match(errors({ ...BASE, quickstart: 'users', iterations: 'x' }).iterations![0]!, /Invalid value x for configuration iterations: Not a number of type INT/)
  assert.match(errors({ ...BASE, quickstart: 'users', 'random.seed': 'x' })['random.seed']![0]!, /random.seed: Not a number of type LONG/)
  assert.match(errors({ quickstart: 'users' })['kafka.topic']![0]!, /Missing required configuration "kafka.topic"/)
})

test('one task config per task, each with its task.id', () => {
  const connector = new DatagenConnector()
  const props = { ...BASE, quickstart: 'users', 'tasks.max': '3' }
  connector.start(props)
  assert.deepEqual(connector.taskConfigs(3), [0, 1, 2].map(i => ({ ...props, 'task.id': String(i) })))
  assert.equal(connector.taskClass(), DatagenTask)
  assert.equal(connector.kind, 'source')
})

test('the connector resolves by kafka-connect-datagen\'s class name and by its simple name', () => {
  const registry = builtinRegistry()
  for (const name of ['io.confluent.kafka.connect.datagen.DatagenConnector', 'DatagenConnector']) {
    const d = registry.resolveConnector(name)
    assert.equal(d.className, 'io.confluent.kafka.connect.datagen.DatagenConnector')
    assert.equal(d.create().kind, 'source')
  }
})
