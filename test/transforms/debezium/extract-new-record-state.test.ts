// ExtractNewRecordState over hand-built Debezium Postgres events: every delete.tombstone.handling.mode, add.fields,
// add.headers, route.by.field, drop.fields.*, non-envelope records, schema caching and the configuration, with the
// output Debezium 3.6.1 gives (read from its sources; the differential test checks the same against the real SMT).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError, DataError, Headers, Schemas, Struct, sinkRecord, sourceRecord } from '../../../src/api/index.ts'
import type { AnyRecord, Schema, SourceRecord } from '../../../src/api/index.ts'
import { JsonConverter } from '../../../src/converters/json/json-converter.ts'
import { builtinTransformations } from '../../../src/transforms/index.ts'
import { builtinRegistry } from '../../../src/plugins/builtin.ts'
import { validateConnectorConfig } from '../../../src/config/connector-config.ts'
import { CLASS_NAME, ExtractNewRecordState } from '../../../src/transforms/debezium/extract-new-record-state.ts'
import { ENVELOPE_SCHEMA, ROW_SCHEMA, event, heartbeat, tombstone } from './envelopes.ts'

function smt (configs: Record<string, string> = {}): ExtractNewRecordState {
  const t = new ExtractNewRecordState()
  t.configure(configs)
  return t
}

function fieldsOf (schema: Schema | null): Array<[string, string, boolean]> {
  return (schema?.fields ?? []).map(f => [f.name, f.schema.type, f.schema.optional])
}

function valueOf (record: AnyRecord | null): Record<string, unknown> | null {
  if (record === null) return null
  const v = record.value
  if (v === null) return null
  assert.ok(v instanceof Struct)
  return Object.fromEntries((v.schema.fields ?? []).map(f => [f.name, v.getWithoutDefault(f.name)]))
}

const CREATE = event({ op: 'c', after: { id: 1, name: 'a', qty: 2 } })
const UPDATE = event({ op: 'u', before: { id: 1, name: 'a', qty: 2 }, after: { id: 1, name: 'b', qty: 3 }, tx: true })
const READ = event({ op: 'r', after: { id: 2, name: 'snap' } })
const DELETE = event({ op: 'd', before: { id: 1, name: 'b', qty: null } })
const TRUNCATE = event({ op: 't' })
const ROW_FIELDS: Array<[string, string, boolean]> = [['id', 'int32', false], ['name', 'string', true], ['qty', 'int32', true], ['route', 'string', true]]

test('registered under Debezium\'s class name', () => {
  const d = builtinTransformations.plugins.find(p => p.className === CLASS_NAME)
  assert.ok(d)
  assert.equal(d.kind, 'transformation')
  assert.ok(d.create() instanceof ExtractNewRecordState)
})

test('a connector file naming it (full or simple name) validates; a bad mode is reported on its key (unprefixed in the message, as Kafka\'s ConfigDef.embed does)', () => {
  const registry = builtinRegistry()
  const base = { name: 'sink', 'connector.class': 'FileStreamSink', file: '/dev/null', topics: 't', transforms: 'unwrap' }
  const errors = (props: Record<string, string>): Record<string, string[]> =>
    Object.fromEntries(validateConnectorConfig(props, registry).values.filter(v => v.errors.length > 0).map(v => [v.name, v.errors]))
  assert.deepEqual(errors({ ...base, 'transforms.unwrap.type': CLASS_NAME, 'transforms.unwrap.add.fields': 'op,table' }), {})
  assert.deepEqual(errors({ ...base, 'transforms.unwrap.type': 'ExtractNewRecordState' }), {})
  assert.deepEqual(errors({ ...base, 'transforms.unwrap.type': CLASS_NAME, 'transforms.unwrap.delete.tombstone.handling.mode': 'keep' }), {
    'transforms.unwrap.delete.tombstone.handling.mode': ['Invalid value keep for configuration delete.tombstone.handling.mode: Value must be one of drop, tombstone, rewrite-with-tombstone, rewrite, delete-to-tombstone']
  })
})

test('defaults: create, update and read become the after row, on a required copy of the Value schema', () => {
  const t = smt()
  for (const [rec, expected] of [[CREATE, { id: 1, name: 'a', qty: 2, route: null }], [UPDATE, { id: 1, name: 'b', qty: 3, route: null }], [READ, { id: 2, name: 'snap', qty: null, route: null }]] as const) {
    const out = t.apply(rec)!
    // Debezium always runs its add-fields step, whose copySchemaBasics drops the optional flag of the after schema.
    assert.deepEqual(fieldsOf(out.valueSchema), ROW_FIELDS)
    assert.equal(out.valueSchema!.name, 'dbz.public.t.Value')
    assert.equal(out.valueSchema!.optional, false)
    assert.equal(out.valueSchema!.fields![2]!.schema, ROW_SCHEMA.fields![2]!.schema, 'field schemas (defaults included) are kept')
    assert.deepEqual(valueOf(out), expected)
    assert.equal(out.topic, rec.topic)
    assert.equal(out.key, rec.key)
    assert.equal(out.keySchema, rec.keySchema)
    assert.equal(out.timestamp, rec.timestamp)
    assert.equal(out.headers.size, 0)
    assert.deepEqual((out as SourceRecord).sourceOffset, rec.sourceOffset)
  }
})

test('defaults (tombstone mode): a delete keeps the Value schema with a null value; the tombstone and a truncate are dropped', () => {
  const t = smt()
  const out = t.apply(DELETE)!
  assert.equal(out.value, null)
  assert.equal(out.valueSchema, ROW_SCHEMA)
  assert.equal(out.key, DELETE.key)
  assert.equal(t.apply(tombstone(1)), null)
  assert.equal(t.apply(TRUNCATE), null)
  // With JsonConverter schemas on this is not a Kafka tombstone but an envelope with a null payload, as in Debezium.
  const json = new JsonConverter()
  json.configure({ 'schemas.enable': 'true' }, false)
  const bytes = json.fromConnectData(out.topic, out.headers, out.valueSchema, out.value)
  assert.ok(bytes)
  const env = JSON.parse(bytes.toString()) as { schema: { name: string, optional: boolean }, payload: unknown }
  assert.equal(env.payload, null)
  assert.equal(env.schema.name, 'dbz.public.t.Value')
  assert.equal(env.schema.optional, true)
})

test('drop: deletes and tombstones are dropped, other events flattened', () => {
  const t = smt({ 'delete.tombstone.handling.mode': 'drop' })
  assert.equal(t.apply(DELETE), null)
  assert.equal(t.apply(tombstone(1)), null)
  assert.deepEqual(valueOf(t.apply(CREATE)), { id: 1, name: 'a', qty: 2, route: null })
})

test('delete-to-tombstone: a delete becomes a real tombstone (no schema), original tombstones are dropped', () => {
  const t = smt({ 'delete.tombstone.handling.mode': 'delete-to-tombstone' })
  const out = t.apply(DELETE)!
  assert.equal(out.value, null)
  assert.equal(out.valueSchema, null)
  assert.equal(out.key, DELETE.key)
  assert.equal(t.apply(tombstone(1)), null)
  assert.equal(t.apply(TRUNCATE), null)
})

test('rewrite: __deleted appended as an optional string, on a required copy of the Value schema; tombstones dropped', () => {
  const t = smt({ 'delete.tombstone.handling.mode': 'rewrite' })
  const c = t.apply(CREATE)!
  assert.deepEqual(fieldsOf(c.valueSchema), [...ROW_FIELDS, ['__deleted', 'string', true]])
  assert.equal(c.valueSchema!.name, 'dbz.public.t.Value')
  assert.equal(c.valueSchema!.optional, false)
  assert.deepEqual(valueOf(c), { id: 1, name: 'a', qty: 2, route: null, __deleted: 'false' })
  const d = t.apply(DELETE)!
  // replace.null.with.default=true (the default): InsertField copies the before row with the column default (qty 5).
  assert.deepEqual(valueOf(d), { id: 1, name: 'b', qty: 5, route: null, __deleted: 'true' })
  assert.equal(t.apply(tombstone(1)), null)
  assert.equal(t.apply(TRUNCATE), null)
  const raw = smt({ 'delete.tombstone.handling.mode': 'rewrite', 'replace.null.with.default': 'false' })
  assert.deepEqual(valueOf(raw.apply(DELETE)), { id: 1, name: 'b', qty: null, route: null, __deleted: 'true' })
})

test('rewrite-with-tombstone: as rewrite, and the tombstone is kept as it is', () => {
  const t = smt({ 'delete.tombstone.handling.mode': ' Rewrite-With-Tombstone ' })
  const ts = tombstone(1)
  assert.equal(t.apply(ts), ts)
  assert.equal(valueOf(t.apply(DELETE))!.__deleted, 'true')
  assert.equal(valueOf(t.apply(UPDATE))!.__deleted, 'false')
})

test('add.fields: envelope, source and transaction fields appended in order, optional, renamed with a colon', () => {
  const t = smt({ 'add.fields': 'op, table,lsn,source.ts_ms,ts_ms,ts_us,transaction.id,total_order,snapshot:SNAP,missing' })
  const out = t.apply(UPDATE)!
  assert.deepEqual(fieldsOf(out.valueSchema), [...ROW_FIELDS, ['__op', 'string', true], ['__table', 'string', true], ['__lsn', 'int64', true],
    ['__source_ts_ms', 'int64', true], ['__ts_ms', 'int64', true], ['__ts_us', 'int64', true], ['__transaction_id', 'string', true],
    ['__total_order', 'int64', true], ['__SNAP', 'string', true]])
  assert.equal(out.valueSchema!.optional, false)
  assert.equal(out.valueSchema!.name, 'dbz.public.t.Value')
  // The snapshot field keeps its logical name, version and parameters but not its default (copySchemaBasics), made
  // optional: a null snapshot value stays null (Debezium's output, checked by the differential test).
  const snap = out.valueSchema!.fields!.find(f => f.name === '__SNAP')!.schema
  assert.equal(snap.name, 'io.debezium.data.Enum')
  assert.equal(snap.version, 1)
  assert.equal(snap.defaultValue, undefined)
  assert.equal(snap.parameters?.allowed, 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental')
  assert.deepEqual(valueOf(out), { id: 1, name: 'b', qty: 3, route: null, __op: 'u', __table: 't', __lsn: 24023128, __source_ts_ms: 1700000000000,
    __ts_ms: 1700000000123, __ts_us: 1700000000123456, __transaction_id: '771:24023128', __total_order: 2, __SNAP: 'false' })
  // No transaction block (a snapshot read): the transaction fields are null, still present.
  const r = valueOf(t.apply(READ))!
  assert.equal(r.__transaction_id, null)
  assert.equal(r.__op, 'r')
  assert.equal(r.__SNAP, 'true')
})

test('add.fields.prefix, and add.fields with rewrite: __deleted comes before the added fields, deletes get them too', () => {
  const t = smt({ 'add.fields': 'op,table', 'add.fields.prefix': 'meta_', 'delete.tombstone.handling.mode': 'rewrite' })
  const c = t.apply(CREATE)!
  assert.deepEqual(fieldsOf(c.valueSchema).map(f => f[0]), ['id', 'name', 'qty', 'route', '__deleted', 'meta_op', 'meta_table'])
  assert.deepEqual(valueOf(t.apply(DELETE)), { id: 1, name: 'b', qty: 5, route: null, __deleted: 'true', meta_op: 'd', meta_table: 't' })
  // In tombstone mode a delete has no value, so nothing is added.
  const plain = smt({ 'add.fields': 'op' }).apply(DELETE)!
  assert.equal(plain.value, null)
  assert.equal(plain.valueSchema, ROW_SCHEMA)
})

test('add.fields copies the row values without applying defaults', () => {
  const out = smt({ 'add.fields': 'op' }).apply(event({ op: 'c', after: { id: 3, qty: null } }))!
  assert.equal(valueOf(out)!.qty, null)
})

test('add.headers: source and envelope fields as headers with optional schemas; a tombstone gets only op=d as a STRING', () => {
  const t = smt({ 'add.headers': 'db,op,transaction.id,nothere', 'delete.tombstone.handling.mode': 'rewrite-with-tombstone' })
  const existing = new Headers().with('keep', 'me', Schemas.STRING)
  const input = event({ op: 'c', after: { id: 1 }, headers: existing })
  const out = t.apply(input)!
  assert.deepEqual(out.headers.toArray().map(h => [h.key, h.value, h.schema?.type, h.schema?.optional]), [
    ['keep', 'me', 'string', false], ['__db', 'inventory', 'string', true], ['__op', 'c', 'string', true], ['__transaction_id', null, 'string', true]])
  assert.equal(input.headers, existing, 'the input record is not changed')
  const ts = t.apply(tombstone(1))!
  assert.deepEqual(ts.headers.toArray().map(h => [h.key, h.value, h.schema?.type, h.schema?.optional]), [['__op', 'd', 'string', false]])
  // Debezium's connector shares one headers object between a delete and its tombstone, so the tombstone that follows
  // a delete carries the delete's added headers too (source records only; a sink reads them as separate records).
  const del = t.apply(DELETE)!
  assert.deepEqual(del.headers.toArray().map(h => [h.key, h.value]), [['__db', 'inventory'], ['__op', 'd'], ['__transaction_id', null]])
  const after = t.apply(tombstone(1))!
  assert.deepEqual(after.headers.toArray().map(h => [h.key, h.value]), [['__db', 'inventory'], ['__op', 'd'], ['__transaction_id', null], ['__op', 'd']])
  t.apply(DELETE)
  assert.equal(t.apply(tombstone(2))!.headers.size, 1, 'another key')
  t.apply(DELETE)
  t.apply(CREATE)
  assert.equal(t.apply(tombstone(1))!.headers.size, 1, 'not right after its delete')
  const sinkDelete = sinkRecord({ topic: DELETE.topic, kafkaPartition: 0, kafkaOffset: 7, keySchema: DELETE.keySchema, key: DELETE.key, valueSchema: DELETE.valueSchema, value: DELETE.value })
  t.apply(sinkDelete)
  const sinkTombstone = sinkRecord({ topic: DELETE.topic, kafkaPartition: 0, kafkaOffset: 8, keySchema: DELETE.keySchema, key: DELETE.key })
  assert.equal(t.apply(sinkTombstone)!.headers.size, 1, 'sink records')
  const prefixed = smt({ 'add.headers': 'op:operation', 'add.headers.prefix': 'dbz.' }).apply(CREATE)!
  assert.deepEqual(prefixed.headers.toArray().map(h => [h.key, h.value]), [['dbz.operation', 'c']])
})

test('route.by.field: the row\'s column (the before row for deletes) becomes the topic; null or blank keeps it', () => {
  const t = smt({ 'route.by.field': 'route', 'delete.tombstone.handling.mode': 'rewrite' })
  assert.equal(t.apply(event({ op: 'c', after: { id: 1, route: 'orders_eu' } }))!.topic, 'orders_eu')
  assert.equal(t.apply(event({ op: 'd', before: { id: 1, route: 'orders_us' } }))!.topic, 'orders_us')
  assert.equal(t.apply(event({ op: 'c', after: { id: 1, route: null } }))!.topic, 'dbz.public.t')
  assert.equal(t.apply(event({ op: 'c', after: { id: 1, route: '  ' } }))!.topic, 'dbz.public.t')
  const tomb = smt({ 'route.by.field': 'route' }).apply(event({ op: 'd', before: { id: 1, route: 'gone' } }))!
  assert.equal(tomb.topic, 'gone')
  assert.equal(tomb.value, null)
  assert.throws(() => smt({ 'route.by.field': 'nope' }).apply(CREATE), (e: unknown) => e instanceof DataError && /nope is not a valid field name/.test(e.message))
  assert.throws(() => smt({ 'route.by.field': 'id' }).apply(CREATE), (e: unknown) => e instanceof DataError && /Field 'id' is not of type STRING/.test(e.message))
})

test('drop.fields.header.name: optional fields named in the header are removed (required ones too when not schema compatible, from the key if asked)', () => {
  const headers = new Headers().with('drop', ['name', 'id'], null)
  const rec = event({ op: 'c', after: { id: 1, name: 'x', qty: 1 }, headers })
  const compatible = smt({ 'drop.fields.header.name': 'drop' }).apply(rec)!
  assert.deepEqual(fieldsOf(compatible.valueSchema).map(f => f[0]), ['id', 'qty', 'route'])
  const strict = smt({ 'drop.fields.header.name': 'drop', 'drop.fields.keep.schema.compatible': 'false', 'drop.fields.from.key': 'true' }).apply(rec)!
  assert.deepEqual(fieldsOf(strict.valueSchema).map(f => f[0]), ['qty', 'route'])
  assert.deepEqual(fieldsOf(strict.keySchema), [])
  assert.deepEqual(fieldsOf(smt({ 'drop.fields.header.name': 'other' }).apply(rec)!.valueSchema), ROW_FIELDS)
})

test('records that are not change events pass unchanged: heartbeats, schemaless values, other schemas', () => {
  const t = smt({ 'add.headers': 'op', 'add.fields': 'op', 'route.by.field': 'route', 'delete.tombstone.handling.mode': 'rewrite' })
  const hb = heartbeat()
  assert.equal(t.apply(hb), hb)
  const schemaless = sourceRecord({ topic: 'x', value: new Map<string, unknown>([['op', 'c'], ['after', { id: 1 }]]) })
  assert.equal(t.apply(schemaless), schemaless)
  const unnamed = sourceRecord({ topic: 'x', valueSchema: Schemas.STRING, value: 'hello' })
  assert.equal(t.apply(unnamed), unnamed)
})

test('schema cache: one output schema per (row schema, op)', () => {
  const t = smt({ 'add.fields': 'op' })
  const a = t.apply(event({ op: 'c', after: { id: 1 } }))!
  const b = t.apply(event({ op: 'c', after: { id: 2 } }))!
  const u = t.apply(UPDATE)!
  assert.equal(a.valueSchema, b.valueSchema)
  assert.notEqual(a.valueSchema, u.valueSchema)
  assert.deepEqual(fieldsOf(a.valueSchema), fieldsOf(u.valueSchema))
})

test('configuration: the mode is checked (Debezium\'s message), names are parsed as Debezium does, removed 2.x keys are ignored', () => {
  assert.throws(() => smt({ 'delete.tombstone.handling.mode': 'keep' }), (e: unknown) => e instanceof ConfigError &&
    e.message.includes("The 'delete.tombstone.handling.mode' value 'keep' is invalid: Value must be one of"))
  const problems = new ExtractNewRecordState().config().validate({ 'delete.tombstone.handling.mode': 'keep' })
  const errors = problems.find(p => p.name === 'delete.tombstone.handling.mode')!.errors
  assert.deepEqual(errors, ['Invalid value keep for configuration delete.tombstone.handling.mode: Value must be one of drop, tombstone, rewrite-with-tombstone, rewrite, delete-to-tombstone'])
  assert.throws(() => smt({ 'add.fields': 'a:b:c' }), (e: unknown) => e instanceof ConfigError && /Unexpected field name: a:b:c/.test(e.message))
  // Debezium 3.x no longer reads drop.tombstones / delete.handling.mode: the defaults (tombstone mode) apply.
  const legacy = smt({ 'drop.tombstones': 'false', 'delete.handling.mode': 'rewrite' })
  assert.equal(legacy.apply(tombstone(1)), null)
  assert.equal(legacy.apply(DELETE)!.value, null)
  // An unparseable boolean falls back to its default, as Debezium's Configuration.getBoolean does.
  assert.equal(valueOf(smt({ 'delete.tombstone.handling.mode': 'rewrite', 'replace.null.with.default': 'maybe' }).apply(DELETE))!.qty, 5)
  assert.equal(ENVELOPE_SCHEMA.name, 'dbz.public.t.Envelope')
})
