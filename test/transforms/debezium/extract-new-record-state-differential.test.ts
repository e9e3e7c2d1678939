// Differential test of ExtractNewRecordState against the real one (issue 15): Debezium 3.6.1's PostgresConnector in
// Apache Kafka Connect 4.3.1 captures one DML script on the real PostgreSQL several times over, once raw and once per
// SMT configuration below (each connector its own slot, publication and topic prefix, JsonConverter with schemas).
// Our SMT is then applied to the raw records (decoded with our JsonConverter, transformed, encoded again) and the
// result must equal Debezium's SMT output record by record, per topic in order: topic, key, value (schema and
// payload), headers. The only fields allowed to differ are those that differ between any two connectors by nature
// (NATURE below: processing times, and the snapshot's own LSN and time, which each connector takes for itself).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { Headers, Schemas, Struct, sourceRecord } from '../../../src/api/index.ts'
import type { SourceRecord } from '../../../src/api/index.ts'
import { JsonConverter } from '../../../src/converters/json/json-converter.ts'
import { SimpleHeaderConverter } from '../../../src/converters/simple-header-converter.ts'
import { ExtractNewRecordState } from '../../../src/transforms/debezium/extract-new-record-state.ts'
import { postgresUrl } from '../../harness/postgres.mjs'
import { debeziumPostgresProps, openTopicCapture, startDebeziumConnect } from '../../harness/debezium-connect.mjs'
import { removeDir } from '../../helpers/remove-dir.ts'
import { DML_FIXTURE, SNAPSHOT_ROW_COUNTS, applySql } from '../../connectors/debezium-postgres/fixtures/dml-fixture.ts'
import { JsonNumber, readJson } from '../../../src/util/json-reader.ts'
import type { JsonNode } from '../../../src/util/json-reader.ts'

const RUN = `ens${randomBytes(3).toString('hex')}`
const DB = `${RUN}_db`
const prefix = (v: string): string => `${RUN}_${v}`
const ROUTED_EU = `${prefix('rwt')}.routed_eu`
const ROUTED_US = `${prefix('rwt')}.routed_us`

interface Variant { name: string, smt: Record<string, string>, tables?: string[] }

/** The SMT configurations compared (each also runs in Debezium as transforms.unwrap.*). */
const VARIANTS: Variant[] = [
  { name: 'dfl', smt: {} },
  // The classic 2.x configuration: Debezium 3.x no longer reads delete.handling.mode, so this is tombstone mode.
  { name: 'rwr', smt: { 'delete.handling.mode': 'rewrite', 'add.fields': 'op,table,lsn,source.ts_ms', 'add.headers': 'db,op' } },
  {
    name: 'rwt',
    smt: {
      'delete.tombstone.handling.mode': 'rewrite-with-tombstone', 'drop.tombstones': 'false', 'add.fields.prefix': 'meta_', 'route.by.field': 'region',
      'add.fields': 'op,source.ts_ms:EVENT_TS,ts_ms,transaction.id,total_order,snapshot', 'add.headers': 'op,table,lsn,transaction.id', 'add.headers.prefix': 'h_'
    },
    // route.by.field needs its column in every table captured.
    tables: ['public.items', 'public.other']
  },
  { name: 'dtt', smt: { 'delete.tombstone.handling.mode': 'delete-to-tombstone', 'add.fields': 'ts_ms,ts_us,ts_ns,xmin,sequence,txId', 'add.headers': 'op' } },
  { name: 'drp', smt: { 'delete.tombstone.handling.mode': 'drop', 'add.fields': 'op,schema,db' } }
]

/** Field names (payload fields or headers) whose values differ between two connectors by nature. */
const NATURE = {
  always: new Set(['__ts_ms', 'meta_ts_ms', '__ts_us', '__ts_ns', '__debezium.context.runId']),
  // A snapshot read carries the connector's own snapshot LSN, time and transaction, and its place in that connector's
  // snapshot (first, first_in_data_collection, ...: rwt snapshots two tables, the raw connector seven).
  snapshot: new Set(['__lsn', '__source_ts_ms', 'meta_EVENT_TS', 'h_lsn', '__sequence', '__txId', 'meta_snapshot'])
}

const SCHEMA = `
create table items (id int primary key, name text not null, qty int default 5, price numeric(10,2), amount numeric,
  region text, tags text[], doc jsonb, active boolean default true, created timestamptz default '2024-01-02T03:04:05Z',
  uid uuid, note text);
create table other (k text primary key, v bigint, d date, region text);
insert into items (id, name, qty, price, amount, region, tags, doc, uid) values
  (1, 'one', 1, 10.50, 1.25, '${ROUTED_EU}', '{a,b}', '{"x": 1}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
  (2, 'two', null, null, null, '${ROUTED_US}', null, null, null),
  (3, 'three', 3, 0, -7, null, '{}', '[]', null);
insert into other values ('a', 1, '2020-02-29', '${ROUTED_US}'), ('b', 2, null, null)`

const STREAMING = [
  `insert into items (id, name, qty, price, amount, region) values (10, 'ten', null, 1.5, 3.14159, '${ROUTED_EU}'), (11, 'eleven', 7, null, null, null)`,
  "update items set qty = 9, note = 'x', tags = '{z}' where id = 10",
  'update items set id = 12 where id = 11',
  "begin; insert into other values ('c', 3, '1999-12-31', '${ROUTED_EU}'); update other set v = 20 where k = 'b'; delete from items where id = 1; delete from other where k = 'a'; commit",
  'delete from items where id = 10',
  'truncate other',
  'alter table items replica identity full',
  "update items set name = 'full', region = '${ROUTED_US}' where id = 2",
  'delete from items where id = 2',
  "insert into items (id, name, region) values (20, 'blank', '   ')",
  "insert into other values ('last', 99, null, null)"
].map(s => s.replace('${ROUTED_US}', ROUTED_US).replace('${ROUTED_EU}', ROUTED_EU))

interface Captured { topic: string, key: unknown, value: unknown, keyText: string | null, valueText: string | null, headers: Array<{ key: string, value: string | null }> }

const json = new JsonConverter()
json.configure({ 'schemas.enable': 'true' }, false)
// The raw connector writes nulls as nulls (replace.null.with.default=false), and they are read back as nulls: a column
// default written in place of a null would hide what the SMT sees (add.fields copies values without defaults).
const rawJson = new JsonConverter()
rawJson.configure({ 'schemas.enable': 'true', 'replace.null.with.default': 'false' }, false)
const RAW_CONVERTER = {
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'true',
  'value.converter.replace.null.with.default': 'false'
}
const headerConverter = new SimpleHeaderConverter()

/** Raw JSON of the raw connector, renamed to a variant's prefix (topic, schema names, source.name). */
function renamed (text: string, from: string, to: string): string {
  return text.split(`"${from}.`).join(`"${to}.`).split(`"name":"${from}"`).join(`"name":"${to}"`)
}

const NON_FINITE: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY }

/**
 * JsonConverter writes a NaN or infinite float as the string "NaN" / "Infinity" and reads such a string back as 0.0
 * (Jackson's floatValue() of a text node), in Apache's converter as in ours: the raw topic cannot carry them, while
 * Debezium's in-process SMT sees them. The raw JSON says what they were, so they are put back before our SMT runs.
 */
function restoreNonFinite (struct: Struct, json: unknown): void {
  if (typeof json !== 'object' || json === null) return
  for (const f of struct.schema.fields ?? []) {
    const j = (json as Record<string, unknown>)[f.name]
    const v = struct.getWithoutDefault(f.name)
    if ((f.schema.type === 'float32' || f.schema.type === 'float64') && typeof j === 'string' && j in NON_FINITE) struct.put(f.name, NON_FINITE[j])
    else if (v instanceof Struct) restoreNonFinite(v, j)
  }
}

function toRecord (r: Captured, variant: string): SourceRecord {
  const from = prefix('raw')
  const to = prefix(variant)
  // The exact text Debezium's JsonConverter wrote (int64 beyond 2^53 included).
  const decode = (text: string | null): { schema: SourceRecord['valueSchema'], value: unknown } => {
    if (text === null || text === '') return { schema: null, value: null }
    return rawJson.toConnectData(r.topic, Headers.EMPTY, Buffer.from(renamed(text, from, to)))
  }
  const key = decode(r.keyText)
  const value = decode(r.valueText)
  if (value.value instanceof Struct) restoreNonFinite(value.value, (canonical(r.valueText) as { payload: unknown }).payload)
  let headers = Headers.EMPTY
  // Debezium's context headers name the connector's logical name (its topic prefix).
  for (const h of r.headers) headers = headers.with(h.key, h.value === from ? to : h.value, Schemas.OPTIONAL_STRING)
  return sourceRecord({ topic: to + r.topic.slice(from.length), keySchema: key.schema, key: key.value, valueSchema: value.schema, value: value.value, headers })
}

function fromRecord (r: SourceRecord): Captured {
  const enc = (schema: SourceRecord['valueSchema'], v: unknown): string | null => {
    const bytes = json.fromConnectData(r.topic, r.headers, schema, v)
    return bytes === null ? null : bytes.toString('utf8')
  }
  const keyText = enc(r.keySchema, r.key)
  const valueText = enc(r.valueSchema, r.value)
  return {
    topic: r.topic,
    key: canonical(keyText),
    value: canonical(valueText),
    keyText,
    valueText,
    headers: r.headers.toArray().map(h => {
      const b = headerConverter.fromConnectHeader(r.topic, h.key, h.schema, h.value)
      // The capture (librdkafka) reads a null header value as an empty one, so ours is compared the same way.
      return { key: h.key, value: b === null ? '' : b.toString('utf8') }
    })
  }
}

/**
 * JSON text as plain values to compare, read as Jackson reads it: numbers stay their text ('#1.0E10'), so int64
 * values stay exact and number formatting is compared too.
 */
function canonical (text: string | null): unknown {
  if (text === null || text === '') return null
  const plain = (n: JsonNode): unknown => {
    if (n instanceof JsonNumber) return `#${n.text}`
    if (Array.isArray(n)) return n.map(plain)
    if (n instanceof Map) return Object.fromEntries([...n].map(([k, v]) => [k, plain(v)]))
    return n
  }
  return plain(readJson(Buffer.from(text, 'utf8')) ?? null)
}

/** Paths where two JSON values differ. */
function diff (a: unknown, b: unknown, path: string, out: string[]): void {
  if (a === b) return
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    for (const k of keys) diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out)
    return
  }
  out.push(path)
}

function allowed (path: string, snapshot: boolean): boolean {
  const m = /^(?:value\.payload\.|headers\.(\d+)\.value$)/.exec(path)
  if (!m) return false
  const name = path.startsWith('value.payload.') ? path.slice('value.payload.'.length) : null
  const check = (n: string): boolean => NATURE.always.has(n) || (snapshot && NATURE.snapshot.has(n))
  return name !== null ? !name.includes('.') && check(name) : false
}

function byTopic (records: Captured[]): Map<string, Captured[]> {
  const m = new Map<string, Captured[]>()
  for (const r of records) { const l = m.get(r.topic) ?? []; l.push(r); m.set(r.topic, l) }
  return m
}

/**
 * Output records by topic and source table (the key schema's name): route.by.field sends rows of several tables to
 * one topic, where only each table's own order is defined (the tables' topics are read one by one here).
 */
function byTopicAndTable (records: Captured[]): Map<string, Captured[]> {
  const m = new Map<string, Captured[]>()
  for (const r of records) {
    const table = String((r.key as { schema?: { name?: string } } | null)?.schema?.name ?? '')
    const id = `${r.topic} ${table}`
    const l = m.get(id) ?? []
    l.push(r)
    m.set(id, l)
  }
  return m
}

test('ExtractNewRecordState: ours over the raw events equals Debezium 3.6.1\'s SMT, record by record', { timeout: 600_000 }, async t => {
  const admin = new pg.Client({ connectionString: postgresUrl() })
  await admin.connect()
  const url = new URL(postgresUrl())
  url.pathname = `/${DB}`
  await admin.query(`create database ${DB}`)
  const db = new pg.Client({ connectionString: url.toString() })
  await db.connect()
  const dir = await mkdtemp(join(tmpdir(), 'ens-diff-'))
  let connect: Awaited<ReturnType<typeof startDebeziumConnect>> | null = null
  let capture: Awaited<ReturnType<typeof openTopicCapture>> | null = null
  try {
    await db.query(SCHEMA)
    // The Postgres connector's fixture too: every column type it maps, no-key, composite-key, FULL identity and
    // TOASTed tables.
    await applySql(db, DML_FIXTURE.schema)
    await applySql(db, DML_FIXTURE.snapshot)
    const common = { 'skipped.operations': 'none', 'provide.transaction.metadata': 'true' }
    const connectors = [
      debeziumPostgresProps({ name: prefix('raw'), url: url.toString(), topicPrefix: prefix('raw'), slotName: prefix('raw'), extra: { ...common, ...RAW_CONVERTER, 'publication.name': prefix('raw') } }),
      ...VARIANTS.map(v => debeziumPostgresProps({
        name: prefix(v.name),
        url: url.toString(),
        topicPrefix: prefix(v.name),
        slotName: prefix(v.name),
        extra: {
          ...common,
          'publication.name': prefix(v.name),
          ...(v.tables ? { 'table.include.list': v.tables.join(',') } : {}),
          transforms: 'unwrap',
          'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
          ...Object.fromEntries(Object.entries(v.smt).map(([k, val]) => [`transforms.unwrap.${k}`, val]))
        }
      }))
    ]
    capture = await openTopicCapture({ match: new RegExp(`^${RUN}_`) })
    connect = await startDebeziumConnect({ dir, connectorProps: connectors })
    const failure = connect.failure.bind(connect)
    const cap = capture
    // Every connector's snapshot is in before any change is made, so that each connector streams the same changes.
    const snapshotOf = (p: string): number => cap.records.filter(r => r.topic.startsWith(`${prefix(p)}.`) && !r.topic.endsWith('.transaction')).length
    const fixtureRows = Object.values(SNAPSHOT_ROW_COUNTS).reduce((a, b) => a + b, 0)
    const expectedSnapshot = (v?: Variant): number => v?.tables ? 5 : 5 + fixtureRows
    await cap.waitFor(() => snapshotOf('raw') >= expectedSnapshot() && VARIANTS.every(v => snapshotOf(v.name) >= expectedSnapshot(v)), { timeoutMs: 240_000, what: 'the snapshots', failure })
    const slots = async (): Promise<number> => Number((await admin.query('select count(*) as n from pg_replication_slots where database = $1 and active', [DB])).rows[0].n)
    for (let i = 0; (await slots()) < connectors.length; i++) {
      if (i > 600) throw new Error('replication slots not all active')
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    const snapshotCount = new Map(VARIANTS.map(v => [v.name, snapshotOf(v.name)]))
    snapshotCount.set('raw', snapshotOf('raw'))
    await applySql(db, DML_FIXTURE.streaming)
    for (const s of STREAMING) await db.query(s)
    const lastOf = (p: string): boolean => cap.records.some(r => r.topic === `${prefix(p)}.public.other` && JSON.stringify(r.key).includes('"last"'))
    await cap.waitFor(() => lastOf('raw') && VARIANTS.every(v => lastOf(v.name)), { timeoutMs: 240_000, what: 'the last change', failure })
    await cap.waitForQuiet({ quietMs: 5000, timeoutMs: 120_000, failure })

    const raw = cap.records.filter(r => r.topic.startsWith(`${prefix('raw')}.`)) as Captured[]
    t.diagnostic(`${raw.length} raw records, ${cap.records.length} in all`)
    const report: string[] = []
    for (const v of VARIANTS) {
      const smt = new ExtractNewRecordState()
      smt.configure(v.smt)
      const ours: Array<Captured & { snapshot: boolean }> = []
      // Topic by topic, each in its order: the capture interleaves topics in no particular order, while a delete and
      // its tombstone follow each other in what the connector emits (and the SMT relies on that, see its headers).
      const snapshotRaw = new Set(raw.slice(0, snapshotCount.get('raw')))
      for (const list of byTopic(raw).values()) {
        for (const r of list) {
          if (v.tables && !r.topic.endsWith('.transaction') && !v.tables.some(tb => r.topic.endsWith(`.${tb}`))) continue
          const out = smt.apply(toRecord(r, v.name))
          if (out !== null) ours.push({ ...fromRecord(out), snapshot: snapshotRaw.has(r) && !r.topic.endsWith('.transaction') })
        }
      }
      let theirs = cap.records.filter(r => r.topic.startsWith(`${prefix(v.name)}.`)) as Captured[]
      // A connector capturing some tables only has transaction events of its own (other counts): data topics only.
      if (v.tables) {
        theirs = theirs.filter(r => !r.topic.endsWith('.transaction'))
        ours.splice(0, ours.length, ...ours.filter(r => !r.topic.endsWith('.transaction')))
      }
      theirs = theirs.map(r => ({ ...r, key: canonical(r.keyText), value: canonical(r.valueText) }))
      const oursBy = byTopicAndTable(ours)
      const theirsBy = byTopicAndTable(theirs)
      assert.deepEqual([...oursBy.keys()].sort(), [...theirsBy.keys()].sort(), `${v.name}: topics`)
      const differing = new Set<string>()
      for (const [topic, list] of theirsBy) {
        const mine = oursBy.get(topic)! as Array<Captured & { snapshot: boolean }>
        assert.equal(mine.length, list.length, `${v.name} ${topic}: record count (ours ${mine.length}, Debezium ${list.length})`)
        list.forEach((d, i) => {
          const o = mine[i]!
          const paths: string[] = []
          diff({ key: o.key, value: o.value, headers: o.headers }, { key: d.key, value: d.value, headers: d.headers }, '', paths)
          for (const p of paths.map(p => p.slice(1))) {
            const headerName = /^headers\.(\d+)\.value$/.exec(p)
            const name = headerName ? o.headers[Number(headerName[1])]!.key : null
            const ok = name !== null ? (NATURE.always.has(name) || (o.snapshot && NATURE.snapshot.has(name))) : allowed(p, o.snapshot)
            assert.ok(ok, `${v.name} ${topic} #${i}: ${p} differs\n ours:     ${JSON.stringify(o)}\n Debezium: ${JSON.stringify(d)}`)
            differing.add(name !== null ? `header ${name}` : p)
          }
        })
      }
      const counts = [...byTopic(theirs)].map(([tp, l]) => `${tp.slice(RUN.length + 1)}=${l.length}`).join(' ')
      report.push(`${v.name}: ${theirs.length} records equal (${counts}); differing by nature: ${[...differing].sort().join(', ') || 'none'}`)
    }
    for (const line of report) t.diagnostic(line)
  } finally {
    await capture?.close()
    await connect?.stop()
    await db.end()
    // A slot left behind would hold WAL on the server: drop every slot of the database, ending a walsender that
    // has not gone yet with the JVM.
    for (let i = 0; i < 100; i++) {
      const left = (await admin.query('select slot_name, active_pid from pg_replication_slots where database = $1', [DB])).rows as Array<{ slot_name: string, active_pid: number | null }>
      if (left.length === 0) break
      for (const slot of left) {
        if (slot.active_pid !== null) await admin.query('select pg_terminate_backend($1)', [slot.active_pid]).catch(() => {})
        else await admin.query('select pg_drop_replication_slot($1)', [slot.slot_name]).catch(() => {})
      }
      await new Promise(resolve => setTimeout(resolve, 200))
    }
    await admin.query(`drop database if exists ${DB} with (force)`).catch(() => {})
    await admin.end()
    await removeDir(dir)
  }
})
