/**
 * ReplicationStream against the real PostgreSQL server, in a database of this file's own: pgoutput messages decoded
 * from real DML (NULLs, text values exactly as printed, unchanged TOAST, REPLICA IDENTITY FULL, a primary-key change,
 * truncate, a multi-statement transaction), the exported snapshot, confirmed_flush_lsn moving only on acknowledge()
 * and exactly there, redelivery of unacknowledged transactions after a restart, backpressure, a bounded stop while the
 * server is streaming, and a slot in use by another connection.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, test } from 'node:test'
import pg from 'pg'
import { ConnectError } from '../../../src/api/index.ts'
import { formatLsn, parseLsn, type Lsn } from '../../../connectors/debezium-postgres/lsn.ts'
import { UNCHANGED_TOAST, type PgoutputMessage, type Tuple } from '../../../connectors/debezium-postgres/pgoutput-decoder.ts'
import {
  dropReplicationSlot, readReplicationSlot, ReplicationStream, type KeepaliveEvent, type MessageEvent
} from '../../../connectors/debezium-postgres/replication-stream.ts'
import { postgresUrl } from '../../harness/postgres.mjs'
import { waitFor } from '../../helpers/wait-for.ts'

const DB = `repl_stream_${process.pid}`
let dbUrl = ''
let db: pg.Client
const slots = new Set<string>()
/** Slots are cluster-wide: names of this process's own. */
const SLOT = (name: string): string => `slot_${name}_${process.pid}`
const streams: ReplicationStream[] = []

before(async () => {
  const admin = new pg.Client({ connectionString: postgresUrl() })
  await admin.connect()
  await admin.query(`drop database if exists ${DB}`)
  await admin.query(`create database ${DB}`)
  await admin.end()
  dbUrl = postgresUrl().replace(/\/[^/?]*(\?|$)/, `/${DB}$1`)
  db = new pg.Client({ connectionString: dbUrl })
  await db.connect()
})

// Slots are few on a shared server (max_replication_slots) and hold WAL: each test's go when it ends.
afterEach(async () => {
  for (const s of streams.splice(0)) await s.stop()
  for (const slot of slots) {
    await waitFor(async () => (await readReplicationSlot(db, slot))?.active !== true, { what: `slot ${slot} to be released` })
    await dropReplicationSlot(db, slot)
  }
  slots.clear()
})

after(async () => {
  await db.end()
  const admin = new pg.Client({ connectionString: postgresUrl() })
  await admin.connect()
  await admin.query(`drop database if exists ${DB} with (force)`)
  await admin.end()
})

function newStream (options: ConstructorParameters<typeof ReplicationStream>[1] = {}): ReplicationStream {
  const s = new ReplicationStream({ connectionString: dbUrl }, { statusIntervalMs: 200, ...options })
  streams.push(s)
  return s
}

async function newSlot (name: string): Promise<Lsn> {
  const s = newStream()
  slots.add(name)
  const created = await s.createSlot(name)
  await s.stop()
  return created.consistentPoint
}

/** Keepalive events readCommits() passed over, per stream. */
const keepalives = new Map<ReplicationStream, KeepaliveEvent[]>()

/** Reads message events until `commits` Commit messages have come (keepalives among them go to `keepalives`). */
async function readCommits (s: ReplicationStream, commits: number, timeoutMs = 20000): Promise<MessageEvent[]> {
  const out: MessageEvent[] = []
  const deadline = Date.now() + timeoutMs
  let seen = 0
  while (seen < commits) {
    if (Date.now() > deadline) throw new Error(`timed out with ${seen} of ${commits} commits: ${out.map(e => e.message.tag).join(' ')}`)
    for (const e of await s.read({ timeoutMs: 500 })) {
      if (e.kind !== 'message') {
        keepalives.set(s, [...keepalives.get(s) ?? [], e])
        continue
      }
      out.push(e)
      if (e.message.tag === 'commit') seen++
    }
  }
  return out
}

const tags = (events: MessageEvent[]): string[] => events.map(e => e.message.tag)
const only = <T extends PgoutputMessage['tag']>(events: MessageEvent[], tag: T): Array<Extract<PgoutputMessage, { tag: T }>> =>
  events.map(e => e.message).filter((m): m is Extract<PgoutputMessage, { tag: T }> => m.tag === tag)

async function tx (statements: string[]): Promise<number> {
  await db.query('begin')
  for (const sql of statements) await db.query(sql)
  const xid = Number((await db.query('select pg_current_xact_id()::text as x')).rows[0].x)
  await db.query('commit')
  return xid
}

test('real DML decodes: values as text, NULLs, unchanged TOAST, FULL old rows, key change, truncate, transactions', async () => {
  await db.query(`create table t (id int primary key, name text, amount numeric, at timestamp(6), big text)`)
  await db.query(`create table f (id int, note text)`)
  await db.query('alter table f replica identity full')
  await db.query('create publication pub_all for table t, f')
  await newSlot(SLOT('dml'))
  const big = (await db.query("select string_agg(md5(random()::text), '') as s from generate_series(1, 400)")).rows[0].s as string
  assert.ok(big.length > 8192)

  const xids = [
    await tx([`insert into t values (1, 'one', 12345678901234567890.123456789, '2024-01-02 03:04:05.123456', null), (2, null, 'NaN', null, null)`]),
    await tx([`insert into t values (3, 'three', 0.10, '1999-12-31 23:59:59.000001', '${big}')`]),
    await tx([`update t set name = 'THREE' where id = 3`]),
    await tx([`update t set id = 20 where id = 2`]),
    await tx([`delete from t where id = 1`]),
    await tx([`insert into f values (1, 'a')`, `update f set note = 'b' where id = 1`, `delete from f where id = 1`]),
    await tx([`truncate t, f restart identity cascade`])
  ]
  const s = newStream()
  await s.start(SLOT('dml'), 0n, ['pub_all'])
  const events = await readCommits(s, xids.length)
  const relT = only(events, 'relation').find(r => r.name === 't')!
  const relF = only(events, 'relation').find(r => r.name === 'f')!
  assert.deepEqual(relT.columns.map(c => [c.name, c.isKey, c.typeOid]), [['id', true, 23], ['name', false, 25], ['amount', false, 1700], ['at', false, 1114], ['big', false, 25]])
  assert.equal(relT.schema, 'public')
  assert.equal(relT.replicaIdentity, 'd')
  assert.equal(relF.replicaIdentity, 'f')
  assert.deepEqual(relF.columns.map(c => c.isKey), [true, true], 'FULL: every column is part of the identity')

  // Transactions: Begin ... Commit, each with the xid the session saw, LSNs consistent.
  const begins = only(events, 'begin')
  const commits = only(events, 'commit')
  assert.deepEqual(begins.map(b => b.xid), xids)
  for (let i = 0; i < commits.length; i++) {
    assert.equal(begins[i]!.finalLsn, commits[i]!.commitLsn)
    assert.ok(commits[i]!.endLsn > commits[i]!.commitLsn)
    assert.equal(begins[i]!.commitTime, commits[i]!.commitTime)
    assert.ok(Math.abs(Number(commits[i]!.commitTime / 1000n) - Date.now()) < 600_000, 'commit time in Unix microseconds')
  }
  const commitEvents = events.filter(e => e.message.tag === 'commit')
  assert.deepEqual(commitEvents.map(e => e.walStart), commits.map(c => c.endLsn), "a Commit's walStart is the end of its record")
  for (const e of events) {
    if (e.message.tag === 'begin' || e.message.tag === 'commit') continue
    assert.equal(e.transaction?.xid, begins.find(b => b.finalLsn === e.transaction?.finalLsn)?.xid)
  }
  const changes = events.filter(e => ['insert', 'update', 'delete'].includes(e.message.tag))
  assert.ok(changes.every(e => e.relation !== undefined && e.transaction !== undefined))
  const sixth = events.filter(e => e.transaction?.xid === xids[5])
  assert.deepEqual(tags(sixth), ['begin', 'relation', 'insert', 'update', 'delete', 'commit'], 'one multi-statement transaction')
  const changeLsns = sixth.slice(2, 5).map(e => e.walStart)
  assert.ok(changeLsns[0]! < changeLsns[1]! && changeLsns[1]! < changeLsns[2]!, 'changes at increasing LSNs')

  const inserts = only(events, 'insert')
  assert.deepEqual(inserts[0]!.newTuple, ['1', 'one', '12345678901234567890.123456789', '2024-01-02 03:04:05.123456', null])
  assert.deepEqual(inserts[1]!.newTuple, ['2', null, 'NaN', null, null])
  assert.deepEqual(inserts[2]!.newTuple, ['3', 'three', '0.10', '1999-12-31 23:59:59.000001', big])
  const updates = only(events, 'update')
  assert.deepEqual(updates[0], { tag: 'update', relationId: relT.relationId, oldKind: undefined, oldTuple: undefined, newTuple: ['3', 'THREE', '0.10', '1999-12-31 23:59:59.000001', UNCHANGED_TOAST] },
    'the TOASTed big column, unchanged, is not sent')
  assert.deepEqual(updates[1], { tag: 'update', relationId: relT.relationId, oldKind: 'K', oldTuple: ['2', null, null, null, null], newTuple: ['20', null, 'NaN', null, null] },
    'a key change sends the old key')
  assert.deepEqual(updates[2], { tag: 'update', relationId: relF.relationId, oldKind: 'O', oldTuple: ['1', 'a'], newTuple: ['1', 'b'] })
  const deletes = only(events, 'delete')
  assert.deepEqual(deletes, [
    { tag: 'delete', relationId: relT.relationId, oldKind: 'K', oldTuple: ['1', null, null, null, null] },
    { tag: 'delete', relationId: relF.relationId, oldKind: 'O', oldTuple: ['1', 'b'] }
  ])
  const truncates = only(events, 'truncate')
  assert.equal(truncates.length, 1)
  assert.deepEqual([...truncates[0]!.relationIds].sort(), [relT.relationId, relF.relationId].sort())
  assert.equal(truncates[0]!.cascade, true)
  assert.equal(truncates[0]!.restartIdentity, true)
  await s.stop()
  assert.equal(s.closed, true)
  assert.deepEqual(await s.read(), [])
})

test("the replication connection's session settings (options) shape the text pgoutput sends", async () => {
  await db.query('create table styled (id int primary key, d date, tz timestamptz, b bytea)')
  await db.query('create publication pub_styled for table styled')
  const start = await newSlot(SLOT('styled'))
  await db.query(`insert into styled values (1, '2024-03-04', '2024-03-04 05:06:07.123456+02', '\\x0102')`)
  const texts: Tuple[] = []
  for (const options of ['-c DateStyle=ISO,MDY -c TimeZone=UTC -c bytea_output=hex', '-c DateStyle=SQL,DMY -c TimeZone=Asia/Tokyo -c bytea_output=escape']) {
    const s = new ReplicationStream({ connectionString: dbUrl, options })
    streams.push(s)
    await s.start(SLOT('styled'), start, ['pub_styled'])
    texts.push(only(await readCommits(s, 1), 'insert')[0]!.newTuple)
    await s.stop()
  }
  assert.deepEqual(texts, [
    ['1', '2024-03-04', '2024-03-04 03:06:07.123456+00', '\\x0102'],
    ['1', '04/03/2024', '04/03/2024 12:06:07.123456 JST', '\\001\\002']
  ])
})

test('the exported snapshot is usable while the stream is idle; later changes come in the stream', async () => {
  await db.query('create table snap (id int primary key)')
  await db.query('insert into snap values (1)')
  await db.query('create publication pub_snap for table snap')
  const s = newStream()
  slots.add(SLOT('snap'))
  const created = await s.createSlot(SLOT('snap'), { exportSnapshot: true })
  assert.match(created.snapshotName ?? '', /^[0-9A-F]+-[0-9A-F]+-\d+$/)
  assert.equal((await readReplicationSlot(db, SLOT('snap')))?.confirmedFlushLsn, created.consistentPoint)
  await db.query('insert into snap values (2)')
  const reader = new pg.Client({ connectionString: dbUrl })
  await reader.connect()
  await reader.query('begin isolation level repeatable read')
  await reader.query(`set transaction snapshot '${created.snapshotName!}'`)
  assert.deepEqual((await reader.query('select id from snap order by id')).rows.map(r => r.id), [1], 'the snapshot predates the insert of 2')
  await reader.query('commit')
  await reader.end()
  await s.start(SLOT('snap'), created.consistentPoint, ['pub_snap'])
  // The async iterator, until stop() ends it.
  const inserts: Tuple[] = []
  for await (const e of s) {
    if (e.kind !== 'message') continue
    if (e.message.tag === 'insert') inserts.push(e.message.newTuple)
    if (e.message.tag === 'commit') void s.stop()
  }
  assert.deepEqual(inserts, [['2']])
})

test('logical decoding messages, when asked for: transactional inside their transaction, others alone', async () => {
  await db.query('create table msg (id int primary key)')
  await db.query('create publication pub_msg for table msg')
  const start = await newSlot(SLOT('msg'))
  const xid = await tx(["select pg_logical_emit_message(true, 'app', 'in tx')", 'insert into msg values (1)'])
  await db.query("select pg_logical_emit_message(false, 'app', convert_to('alone ü', 'UTF8'))")
  const s = newStream()
  await s.start(SLOT('msg'), start, ['pub_msg'], { messages: true })
  const events = await readCommits(s, 1)
  const more = await waitFor(async () => (await s.read({ timeoutMs: 200 })).filter(e => e.kind === 'message'), { what: 'the non-transactional message' })
  const [inTx, alone] = [...events, ...more].filter((e): e is MessageEvent => e.kind === 'message' && e.message.tag === 'message')
  assert.ok(inTx?.message.tag === 'message' && alone?.message.tag === 'message')
  assert.deepEqual([inTx.message.transactional, inTx.message.prefix, inTx.message.content.toString(), inTx.transaction?.xid], [true, 'app', 'in tx', xid])
  assert.deepEqual([alone.message.transactional, alone.message.content.toString(), alone.transaction], [false, 'alone ü', undefined])
  await s.stop()
})

test('confirmed_flush_lsn moves only on acknowledge(), exactly there; unacknowledged transactions come again', async () => {
  await db.query('create table ack (id int primary key)')
  await db.query('create publication pub_ack for table ack')
  const start = await newSlot(SLOT('ack'))
  await tx(['insert into ack values (1)'])
  await tx(['insert into ack values (2)'])
  const s = newStream({ statusIntervalMs: 100 })
  await s.start(SLOT('ack'), start, ['pub_ack'])
  const first = await readCommits(s, 2)
  const [c1, c2] = only(first, 'commit')
  // The server hears from us (write position past both commits) but the flush position stays where it was.
  await waitFor(async () => {
    const { rows } = await db.query('select r.write_lsn::text as w from pg_stat_replication r join pg_replication_slots s on s.active_pid = r.pid where s.slot_name = $1', [SLOT('ack')])
    return rows.some(r => r.w !== null && parseLsn(r.w) >= c2!.endLsn)
  }, { what: 'status updates with the write position' })
  assert.equal((await readReplicationSlot(db, SLOT('ack')))?.confirmedFlushLsn, start, 'no acknowledge: confirmed_flush_lsn stays')
  s.acknowledge(c1!.endLsn)
  await waitFor(async () => (await readReplicationSlot(db, SLOT('ack')))?.confirmedFlushLsn !== start, { what: 'confirmed_flush_lsn to move' })
  assert.equal(formatLsn((await readReplicationSlot(db, SLOT('ack')))!.confirmedFlushLsn!), formatLsn(c1!.endLsn), 'exactly the acknowledged LSN')
  s.acknowledge(c1!.commitLsn)
  assert.equal(s.acknowledgedLsn, c1!.endLsn, 'acknowledging a lower LSN changes nothing')
  await s.stop()
  assert.equal(formatLsn((await readReplicationSlot(db, SLOT('ack')))!.confirmedFlushLsn!), formatLsn(c1!.endLsn))

  // Restart at the acknowledged LSN: the first transaction is done, the second comes again (at-least-once).
  const again = newStream()
  await again.start(SLOT('ack'), c1!.endLsn, ['pub_ack'])
  const replay = await readCommits(again, 1)
  assert.deepEqual(only(replay, 'insert').map(i => i.newTuple), [['2']])
  assert.equal(only(replay, 'commit')[0]!.endLsn, c2!.endLsn)
  await again.stop()
  // Starting lower than confirmed_flush_lsn changes nothing: the server starts at the slot's position.
  const fromZero = newStream()
  await fromZero.start(SLOT('ack'), 0n, ['pub_ack'])
  assert.deepEqual(only(await readCommits(fromZero, 1), 'insert').map(i => i.newTuple), [['2']])
  // WAL written for tables outside the publication: the server, having sent nothing, pings with its position, which
  // the stream passes on as a keepalive (outside any transaction): acknowledging it keeps an idle slot moving.
  await db.query('create table ack_other (id int)')
  await tx(['insert into ack_other values (1)'])
  let idle = false
  const deadline = Date.now() + 20000
  while (!idle && Date.now() < deadline) {
    for (const e of await fromZero.read({ timeoutMs: 500 })) {
      assert.equal(e.kind, 'keepalive', 'nothing of ack_other is sent')
      if (e.kind === 'keepalive') idle = e.walEnd > c2!.endLsn
    }
  }
  assert.ok(idle, 'a keepalive past the last commit')
  await fromZero.stop()

  // messages(): starts, yields messages and null ticks; idleLsn follows keepalives outside transactions.
  const loop = newStream()
  const controller = new AbortController()
  await tx(['insert into ack values (3)'])
  const seen: string[] = []
  let ticks = 0
  let lastCommit = 0n
  for await (const item of loop.messages({ slot: SLOT('ack'), startLsn: c1!.endLsn, publications: ['pub_ack'], idleMs: 100, signal: controller.signal })) {
    if (item === null) {
      ticks++
      if (lastCommit > 0n && loop.idleLsn > lastCommit) controller.abort()
      continue
    }
    seen.push(item.message.tag)
    if (item.message.tag === 'commit' && seen.filter(t => t === 'commit').length === 2) {
      lastCommit = item.walStart
      await tx(['insert into ack_other values (2)'])
    }
  }
  assert.deepEqual(seen.filter(t => t !== 'relation'), ['begin', 'insert', 'commit', 'begin', 'insert', 'commit'])
  assert.ok(ticks > 0)
  await loop.stop()
})

test('backpressure pauses the socket at maxQueue; a stop while the server streams is bounded', async () => {
  await db.query('create table bulk (id int primary key, pad text)')
  await db.query('create publication pub_bulk for table bulk')
  const start = await newSlot(SLOT('bulk'))
  await db.query("insert into bulk select g, repeat('x', 200) from generate_series(1, 60000) g")
  // wal_sender_timeout of 1 s: a paused consumer must keep the server content with its periodic status updates.
  const s = new ReplicationStream({ connectionString: dbUrl, options: '-c wal_sender_timeout=1000' }, { maxQueue: 64, stopTimeoutMs: 2000, statusIntervalMs: 200 })
  streams.push(s)
  await s.start(SLOT('bulk'), start, ['pub_bulk'])
  await waitFor(() => s.isPaused, { what: 'the socket to pause' })
  const backlog = s.backlog
  assert.ok(backlog >= 64, `backlog ${backlog}`)
  // Held paused for 3 s (the point of the check, not a synchronisation): nothing more is decoded, the server waits.
  await new Promise(resolve => setTimeout(resolve, 3000))
  assert.equal(s.backlog, backlog, 'a paused socket decodes nothing more')
  // Reading drains the queue and resumes the socket; more inserts come.
  let inserts = 0
  while (inserts < 5000) {
    for (const e of await s.read({ max: 100, timeoutMs: 5000 })) if (e.kind === 'message' && e.message.tag === 'insert') inserts++
  }
  const t0 = Date.now()
  await s.stop()
  const stopMs = Date.now() - t0
  assert.ok(stopMs < 4000, `stop took ${stopMs} ms`)
  await waitFor(async () => (await readReplicationSlot(db, SLOT('bulk')))?.active === false, { what: 'the slot to be released' })
  assert.equal((await readReplicationSlot(db, SLOT('bulk')))?.confirmedFlushLsn, start, 'nothing acknowledged, nothing confirmed')
  process.stderr.write(`[replication-stream] bounded stop mid-transaction: ${stopMs} ms\n`)

  // Aborting the stream's signal stops it: a waiting read() returns at once, the slot is released.
  const controller = new AbortController()
  const aborted = newStream({ signal: controller.signal })
  await aborted.start(SLOT('bulk'), start, ['pub_bulk'])
  await waitFor(() => aborted.backlog > 0, { what: 'events' })
  await aborted.read()
  const waiting = aborted.read()
  controller.abort()
  const t1 = Date.now()
  assert.ok((await waiting).length >= 0)
  assert.ok(Date.now() - t1 < 1000)
  assert.equal(aborted.closed, true)
  await aborted.stop()
  await waitFor(async () => (await readReplicationSlot(db, SLOT('bulk')))?.active === false, { what: 'the slot to be released after abort' })

  // A stop while the server is starting the stream: start() returns, nothing is left running.
  const early = newStream()
  const starting = early.start(SLOT('bulk'), start, ['pub_bulk'])
  await early.stop()
  await starting
  assert.equal(early.closed, true)
  assert.deepEqual(await early.read({ timeoutMs: 10 }), [])
  await waitFor(async () => (await readReplicationSlot(db, SLOT('bulk')))?.active === false, { what: 'the slot to be released after an early stop' })
})

test('keepalives that ask for a reply are answered: an idle stream outlives wal_sender_timeout', async () => {
  await db.query('create table quiet (id int primary key)')
  await db.query('create publication pub_quiet for table quiet')
  const start = await newSlot(SLOT('quiet'))
  // No unasked status update for a minute: only the replies to the server's pings keep the connection.
  const s = new ReplicationStream({ connectionString: dbUrl, options: '-c wal_sender_timeout=1000' }, { statusIntervalMs: 60000 })
  streams.push(s)
  await s.start(SLOT('quiet'), start, ['pub_quiet'])
  const pid = await waitFor(async () => (await readReplicationSlot(db, SLOT('quiet')))?.activePid, { what: 'the walsender' })
  const until = Date.now() + 3500
  while (Date.now() < until) await s.read({ timeoutMs: until - Date.now() }) // throws if the server dropped us
  assert.equal((await readReplicationSlot(db, SLOT('quiet')))?.activePid, pid, 'the same walsender after 3.5 timeouts')
  await tx(['insert into quiet values (1)'])
  assert.deepEqual(only(await readCommits(s, 1), 'insert').map(i => i.newTuple), [['1']])
  await s.stop()
})

test('a slot in use by another connection, a missing slot, a missing publication: clear coded errors', async () => {
  await db.query('create table busy (id int primary key)')
  await db.query('create publication pub_busy for table busy')
  const start = await newSlot(SLOT('busy'))
  const first = newStream()
  await first.start(SLOT('busy'), start, ['pub_busy'])
  const second = newStream()
  await assert.rejects(second.start(SLOT('busy'), start, ['pub_busy']), (err: unknown) => {
    assert.ok(ConnectError.is(err) && err.code === 'CONNECT_ERR_RETRIABLE' && err.retriable)
    assert.match(err.message, new RegExp(`replication slot "${SLOT('busy')}"`))
    assert.match(err.message, /in use by another connection.*active for PID \d+/)
    return true
  })
  await assert.rejects(dropReplicationSlot(db, SLOT('busy')), /cannot drop the slot \(replication slot "slot_busy_\d+"\).*is active/)
  await first.stop()
  // Right after a stop the walsender may still be exiting: a drop with waitMs waits for it.
  const scratch = newStream()
  await scratch.createSlot(SLOT('scratch'))
  await scratch.stop()
  assert.equal(await dropReplicationSlot(db, SLOT('scratch'), { waitMs: 20000 }), true)
  assert.equal(await dropReplicationSlot(db, SLOT('scratch')), false, 'no such slot: nothing to drop')

  await assert.rejects(newStream().start('no_such_slot', 0n, ['pub_busy']), (err: unknown) => {
    assert.ok(ConnectError.is(err) && err.code === 'CONNECT_ERR_CONFIG')
    assert.match(err.message, /replication slot "no_such_slot".*does not exist/)
    return true
  })
  await assert.rejects(newStream().start('Bad-Name', 0n, ['pub_busy']), /invalid replication slot name 'Bad-Name'/)

  const missingPub = newStream()
  await missingPub.start(SLOT('busy'), start, ['no_such_pub'])
  await tx(['insert into busy values (1)'])
  await assert.rejects(readCommits(missingPub, 1), (err: unknown) => {
    assert.ok(ConnectError.is(err) && err.code === 'CONNECT_ERR_CONFIG', String(err))
    assert.match(err.message, /publication "no_such_pub" does not exist/)
    return true
  })
  await missingPub.stop()

  // The server ends the connection (a walsender terminated, as on a failover): retriable.
  const cut = newStream()
  await cut.start(SLOT('busy'), start, ['pub_busy'])
  const pid = await waitFor(async () => (await readReplicationSlot(db, SLOT('busy')))?.activePid, { what: 'the walsender' })
  await db.query('select pg_terminate_backend($1)', [pid])
  await assert.rejects(readCommits(cut, 1000), (err: unknown) => {
    assert.ok(ConnectError.is(err) && err.code === 'CONNECT_ERR_RETRIABLE', String(err))
    assert.match(err.message, new RegExp(`replication slot "${SLOT('busy')}"`))
    return true
  })
  await cut.stop()
})
