/**
 * Crash safety of our io.debezium.connector.postgresql.PostgresConnector end to end (issue 15): the runner is
 * SIGKILLed again and again, during the initial snapshot and while it streams under continuous writes, and restarted
 * with the same offsets file. At the end every change written is in the topic, in commit order per row (replays
 * allowed), and the replication slot's confirmed flush LSN has caught up with the server's WAL.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import pg from 'pg'
import { dropReplicationSlot, openTopicCapture, type CapturedRecord } from '../harness/debezium-connect.mjs'
import { kafkaBootstrap } from '../harness/kafka.ts'
import { findApacheOffset, readApacheOffsets } from '../helpers/apache-offsets.ts'
import { postgresUrl } from '../harness/postgres.mjs'
import { spawnCli, stopClisUsing, type CliProcess } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { writeWorkerFile } from '../helpers/worker-file.ts'
import { checkRowOrder, databaseUrl, missingChanges, ourConnectorProps, propertiesText, slotLag } from './debezium-postgres-kit.ts'

const RUN = `dbzcrash${randomBytes(3).toString('hex')}`
const SNAPSHOT_ROWS = 30000

/** Commits numbered versions: one row a transaction mostly, some transactions of several rows, some inserts. */
class Writer {
  readonly versions = new Map<number, number>()
  transactions = 0
  #nextId: number
  #stopped = false
  #done: Promise<void> | null = null
  readonly #db: pg.Client

  constructor (db: pg.Client, rows: number) {
    this.#db = db
    for (let id = 1; id <= rows; id++) this.versions.set(id, 0)
    this.#nextId = rows + 1
  }

  start (): void {
    this.#done = (async () => {
      while (!this.#stopped) {
        const dice = Math.random()
        await this.#db.query('BEGIN')
        if (dice < 0.1) {
          await this.#insert()
        } else {
          // Updates concentrate on a few hundred rows so that each row sees many versions.
          const n = dice < 0.25 ? 2 + Math.floor(Math.random() * 4) : 1
          const ids = new Set<number>()
          while (ids.size < n) ids.add(1 + Math.floor(Math.random() * 300))
          for (const id of ids) await this.#update(id)
          if (dice < 0.15) await this.#insert()
        }
        await this.#db.query('COMMIT')
        this.transactions++
        // Throttled so the catch-up after the last kill stays short.
        await new Promise(resolve => setTimeout(resolve, 4))
      }
    })()
  }

  async #update (id: number): Promise<void> {
    const v = this.versions.get(id)! + 1
    await this.#db.query('update items set version = $2 where id = $1', [id, v])
    this.versions.set(id, v)
  }

  async #insert (): Promise<void> {
    const id = this.#nextId++
    await this.#db.query('insert into items (id, version, pad) values ($1, 0, $2)', [id, `row ${id}`])
    this.versions.set(id, 0)
  }

  async stop (): Promise<void> {
    this.#stopped = true
    await this.#done
  }
}

interface Change { id: number, version: number, op: string, snapshot: string, lsn: number }

function changesOf (records: readonly CapturedRecord[]): Change[] {
  return records.filter(r => r.value !== null).map(r => ({
    id: Number(r.value.after.id),
    version: Number(r.value.after.version),
    op: String(r.value.op),
    snapshot: String(r.value.source.snapshot),
    lsn: Number(r.value.source.lsn)
  }))
}

/** Lengths of the runs of streamed records that repeat earlier positions (one run per restart that replayed). */
function streamingReplays (changes: readonly Change[]): number[] {
  const runs: number[] = []
  let max = -1
  let run = 0
  for (const c of changes) {
    if (c.op === 'r') continue
    if (c.lsn <= max) { run++; continue }
    if (run > 0) runs.push(run)
    run = 0
    max = c.lsn
  }
  if (run > 0) runs.push(run)
  return runs
}

test('SIGKILLed again and again during the snapshot and while streaming, the Postgres source loses no change and keeps row order', { timeout: 300000 }, async (t) => {
  const url = databaseUrl(RUN)
  const admin = new pg.Client({ connectionString: postgresUrl() })
  await admin.connect()
  await admin.query(`create database ${RUN}`)
  const db = new pg.Client({ connectionString: url })
  await db.connect()
  const writerDb = new pg.Client({ connectionString: url })
  await writerDb.connect()
  const dir = await mkdtemp(join(tmpdir(), 'dbz-crash-'))
  const capture = await openTopicCapture({ match: `${RUN}.` })
  let writer: Writer | null = null
  t.after(async () => {
    await writer?.stop().catch(() => {})
    await stopClisUsing(dir)
    await capture.close()
    await dropReplicationSlot(url, RUN).catch(() => {})
    await db.end().catch(() => {})
    await writerDb.end().catch(() => {})
    await admin.query(`drop database if exists ${RUN} with (force)`).catch(() => {})
    await admin.end()
    await removeDir(dir)
  })

  await db.query('create table items (id int primary key, version int not null, pad text)')
  await db.query(`insert into items select g, 0, 'row ' || g from generate_series(1, ${SNAPSHOT_ROWS}) g`)
  const worker = await writeWorkerFile(dir, kafkaBootstrap(), [
    'key.converter=org.apache.kafka.connect.json.JsonConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable=false',
    'value.converter.schemas.enable=false',
    'offset.flush.interval.ms=300'
  ])
  const connector = join(dir, 'postgres.properties')
  await writeFile(connector, propertiesText(ourConnectorProps({
    name: RUN,
    url,
    topicPrefix: RUN,
    slotName: RUN,
    extra: { 'snapshot.fetch.size': '200', 'heartbeat.interval.ms': '500', 'max.batch.size': '512', 'table.include.list': 'public.items' }
  })))

  const t0 = Date.now()
  const progress = (what: string): void => { console.info(`[crash ${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}: ${data().length} records, ${writer?.transactions ?? 0} transactions`) }
  const data = (): CapturedRecord[] => capture.records.filter(r => r.value !== null)
  let kills = 0
  let cli: CliProcess | null = null
  const start = async (): Promise<CliProcess> => {
    const proc = spawnCli([worker, connector])
    await proc.waitForOutput(/Kafka Connect started/, 60000)
    progress('started')
    return proc
  }
  const kill = async (proc: CliProcess): Promise<void> => {
    proc.kill('SIGKILL')
    progress(`kill ${kills + 1}`)
    assert.equal((await proc.exited).signal, 'SIGKILL')
    kills++
  }

  // During the snapshot: each run is killed once it emitted a few thousand more snapshot records.
  const snapshotKills = 3
  for (let i = 0; i < snapshotKills; i++) {
    const before = data().length
    cli = await start()
    if (i === 0) {
      // The writes start once the slot exists: every later change must reach the topic as a change event.
      await waitFor(async () => (await db.query('select 1 from pg_replication_slots where slot_name = $1', [RUN])).rowCount === 1, { timeoutMs: 60000, what: 'the replication slot' })
      writer = new Writer(writerDb, SNAPSHOT_ROWS)
      writer.start()
    }
    const want = before + 1000 + Math.floor(Math.random() * 3000)
    await capture.waitFor(() => data().length >= want, { timeoutMs: 90000, what: `${want} records (snapshot run ${i + 1})` })
    assert.ok(!changesOf(data().slice(before)).some(c => c.snapshot === 'last'), 'the snapshot finished before its kill: make it bigger')
    await kill(cli)
  }

  // Let a snapshot finish, then kill during streaming.
  const before = data().length
  cli = await start()
  await capture.waitFor(() => changesOf(data().slice(before)).some(c => c.snapshot === 'last'), { timeoutMs: 120000, what: 'the snapshot\'s last record' })
  const streamingKills = 8
  for (let i = 0; i < streamingKills; i++) {
    const from = data().length
    const want = 10 + Math.floor(Math.random() * 150)
    await capture.waitFor(() => changesOf(data().slice(from)).filter(c => c.op !== 'r').length >= want, { timeoutMs: 60000, what: `${want} streamed changes (streaming run ${i + 1})` })
    await kill(cli)
    cli = await start()
  }

  await writer!.stop()
  progress('writes stopped')
  let missing: string[] = []
  await capture.waitFor(() => (missing = missingChanges(changesOf(data()), writer!.versions)).length === 0, { timeoutMs: 60000, what: 'every change written' })
    .catch((err: Error) => assert.fail(`${err.message}; missing ${missing.length}: ${missing.slice(0, 30).join(' ')}\n${cli!.stderr.slice(-3000)}`))
  progress('caught up')

  const changes = changesOf(data())
  const { duplicates, snapshotDuplicates, replays } = checkRowOrder(changes, writer!.versions)

  // The slot follows: once caught up and flushed, its confirmed flush LSN is near the server's WAL position.
  let lag = 0n
  await waitFor(async () => { lag = await slotLag(db, RUN); return lag < 64n * 1024n }, { timeoutMs: 30000, intervalMs: 250, what: 'the slot to catch up' })
    .catch(() => assert.fail(`the slot lags ${lag} bytes behind pg_current_wal_lsn() after the catch-up`))
  // Never ahead of the offsets file (Debezium resuming from it refuses a slot whose restart LSN passed lsn_proc).
  const slot = (await db.query<{ restart: string, confirmed: string }>(
    "select pg_wal_lsn_diff(restart_lsn, '0/0')::bigint::text as restart, pg_wal_lsn_diff(confirmed_flush_lsn, '0/0')::bigint::text as confirmed from pg_replication_slots where slot_name = $1", [RUN])).rows[0]!
  // Read after the slot: the file only ever moves ahead of it.
  const stored = findApacheOffset(readApacheOffsets(join(dir, 'connect.offsets')), RUN, { server: RUN })?.offset
  assert.ok(stored != null && BigInt(slot.restart) <= BigInt(stored.lsn_proc as number) && BigInt(slot.confirmed) <= BigInt(stored.lsn_commit as number),
    `the slot (restart ${slot.restart}, confirmed ${slot.confirmed}) is ahead of the stored offset ${JSON.stringify(stored)}`)
  cli.kill('SIGTERM')
  await cli.exited
  console.info(`crash test: ${kills} kills (${snapshotKills} in the snapshot), ${writer!.transactions} transactions, ${new Set(changes.map(c => `${c.id}:${c.version}`)).size} distinct (id, version) pairs, ${changes.length} records, ${duplicates} duplicates (${snapshotDuplicates} of them snapshot records of a snapshot that started over), ${replays} replays, streamed replays per restart [${streamingReplays(changes).join(', ')}], slot lag ${lag} bytes`)
  assert.ok(kills >= 10)
})
