/**
 * What the crash and offsets-interop tests of our Postgres source share: a database URL, the connector's properties
 * (the same as Debezium's, so that each side can resume the other's offsets), the per-row order check and the slot's
 * lag behind the server's WAL.
 */
import assert from 'node:assert/strict'
import type pg from 'pg'
import { debeziumPostgresProps } from '../harness/debezium-connect.mjs'
import { postgresUrl } from '../harness/postgres.mjs'

/** The dev server's URL with another database. */
export function databaseUrl (name: string): string {
  const url = new URL(postgresUrl())
  url.pathname = `/${name}`
  return url.toString()
}

/** Debezium's PostgresConnector properties with a publication of the connector's own. */
export function ourConnectorProps (o: { name: string, url: string, topicPrefix: string, slotName: string, extra?: Record<string, string> }): Record<string, string> {
  return debeziumPostgresProps({ ...o, extra: { 'publication.name': `${o.slotName}_pub`, ...o.extra } })
}

/** A Java properties file's text (values here have no characters needing escapes). */
export function propertiesText (props: Record<string, string>): string {
  return Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n'
}

export interface RowChange {
  id: number
  version: number
  /** r, c, u */
  op: string
}

/**
 * Per row, in topic order: a version seen for the first time is the next one after the highest seen so far, or (a
 * snapshot record only) any higher one, since changes committed before a snapshot's point are not events; a version
 * seen before is a replay after a restart and counts as a duplicate. Every version from the row's last snapshot
 * record (0 for a row inserted later) to the last one written is there, and the row's last record is its last
 * version. `written` maps each id to its last version. Replays count the runs of duplicates per row.
 */
export function checkRowOrder (changes: readonly RowChange[], written: ReadonlyMap<number, number>): { duplicates: number, snapshotDuplicates: number, replays: number } {
  const rows = new Map<number, { seen: Set<number>, max: number, base: number, last: number, replaying: boolean }>()
  let duplicates = 0
  let snapshotDuplicates = 0
  let replays = 0
  for (const [k, c] of changes.entries()) {
    let row = rows.get(c.id)
    if (row === undefined) rows.set(c.id, row = { seen: new Set(), max: -1, base: 0, last: -1, replaying: false })
    if (c.op === 'r') row.base = c.version
    if (row.seen.has(c.version)) {
      duplicates++
      if (c.op === 'r') snapshotDuplicates++
      if (!row.replaying) replays++
      row.replaying = true
    } else {
      if (c.version !== row.max + 1 && !(c.op === 'r' && c.version > row.max)) {
        assert.fail(`row ${c.id}: version ${c.version} (op ${c.op}, record ${k}) after versions up to ${row.max}: out of commit order or a version lost`)
      }
      row.seen.add(c.version)
      row.max = c.version
      row.replaying = false
    }
    row.last = c.version
  }
  for (const [id, version] of written) {
    const row = rows.get(id)
    assert.ok(row !== undefined, `row ${id}: no record at all`)
    for (let v = row.base; v <= version; v++) assert.ok(row.seen.has(v), `row ${id}: version ${v} is missing (last snapshot version ${row.base}, last written ${version})`)
    assert.equal(row.last, version, `row ${id}: the last record has version ${row.last}, not the last written ${version}`)
  }
  return { duplicates, snapshotDuplicates, replays }
}

/**
 * The (id, version) pairs written that are not in `changes` yet: per row every version from its last snapshot record's
 * (0 for a row with none) to the last written.
 */
export function missingChanges (changes: readonly RowChange[], written: ReadonlyMap<number, number>): string[] {
  const rows = new Map<number, { base: number, seen: Set<number> }>()
  for (const c of changes) {
    let row = rows.get(c.id)
    if (row === undefined) rows.set(c.id, row = { base: 0, seen: new Set() })
    if (c.op === 'r') row.base = c.version
    row.seen.add(c.version)
  }
  const missing: string[] = []
  for (const [id, version] of written) {
    const row = rows.get(id)
    for (let v = row?.base ?? 0; v <= version; v++) if (row?.seen.has(v) !== true) missing.push(`${id}:${v}`)
  }
  return missing
}

/** Bytes of WAL between the slot's confirmed flush LSN and the server's current position. */
export async function slotLag (db: pg.Client, slot: string): Promise<bigint> {
  const { rows } = await db.query<{ lag: string | null }>(
    'select pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint::text as lag from pg_replication_slots where slot_name = $1', [slot])
  if (rows.length === 0 || rows[0]!.lag === null) throw new Error(`no replication slot ${slot}`)
  return BigInt(rows[0]!.lag)
}
