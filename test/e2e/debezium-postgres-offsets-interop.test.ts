/**
 * Offsets interop of our io.debezium.connector.postgresql.PostgresConnector with Debezium 3.6.1 in Apache Kafka
 * Connect 4.3.1 (issue 15): Debezium snapshots a table and streams half of the changes, stops; ours resumes from
 * Apache's offsets file (same connector name, topic.prefix, slot and publication) into the same topic; then Debezium
 * resumes from our offsets file. Nothing is lost at either hand-over, and the duplicates are counted.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import pg from 'pg'
import { dropReplicationSlot, openTopicCapture, startDebeziumConnect, waitForLogLine, type CapturedRecord } from '../harness/debezium-connect.mjs'
import { kafkaBootstrap } from '../harness/kafka.ts'
import { postgresUrl } from '../harness/postgres.mjs'
import { findApacheOffset, readApacheOffsets } from '../helpers/apache-offsets.ts'
import { spawnCli, stopClisUsing } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { writeWorkerFile } from '../helpers/worker-file.ts'
import { checkRowOrder, databaseUrl, missingChanges, ourConnectorProps, propertiesText, type RowChange } from './debezium-postgres-kit.ts'

const RUN = `dbzinterop${randomBytes(3).toString('hex')}`
const ROWS = 200

/** `n` transactions of numbered versions: mostly one update, every 5th several, every 7th an insert. */
async function applyChanges (db: pg.Client, versions: Map<number, number>, n: number): Promise<void> {
  for (let k = 0; k < n; k++) {
    await db.query('BEGIN')
    const ids = k % 5 === 0 ? [1 + (k * 7) % ROWS, 1 + (k * 13 + 1) % ROWS, 1 + (k * 29 + 2) % ROWS] : [1 + (k * 11) % ROWS]
    for (const id of new Set(ids)) {
      const v = versions.get(id)! + 1
      await db.query('update items set version = $2 where id = $1', [id, v])
      versions.set(id, v)
    }
    if (k % 7 === 0) {
      const id = versions.size + 1
      await db.query('insert into items (id, version) values ($1, 0)', [id])
      versions.set(id, 0)
    }
    await db.query('COMMIT')
  }
}

function changesOf (records: readonly CapturedRecord[]): RowChange[] {
  return records.filter(r => r.value !== null).map(r => {
    const v = r.value.payload ?? r.value
    return { id: Number(v.after.id), version: Number(v.after.version), op: String(v.op) }
  })
}

test('Debezium in Apache Connect and our Postgres source resume each other\'s offsets files: nothing lost', { timeout: 600000 }, async (t) => {
  const url = databaseUrl(RUN)
  const admin = new pg.Client({ connectionString: postgresUrl() })
  await admin.connect()
  await admin.query(`create database ${RUN}`)
  const db = new pg.Client({ connectionString: url })
  await db.connect()
  const dir = await mkdtemp(join(tmpdir(), 'dbz-interop-'))
  const capture = await openTopicCapture({ match: `${RUN}.` })
  const stops: Array<() => Promise<unknown>> = []
  t.after(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {})
    await stopClisUsing(dir)
    await capture.close()
    await dropReplicationSlot(url, RUN).catch(() => {})
    await db.end().catch(() => {})
    await admin.query(`drop database if exists ${RUN} with (force)`).catch(() => {})
    await admin.end()
    await removeDir(dir)
  })

  await db.query('create table items (id int primary key, version int not null)')
  await db.query(`insert into items select g, 0 from generate_series(1, ${ROWS}) g`)
  const versions = new Map<number, number>()
  for (let id = 1; id <= ROWS; id++) versions.set(id, 0)
  // One configuration for both sides: the name, topic.prefix, slot and publication make the same partition and slot.
  // Debezium runs without heartbeats (its stored offset is then its last change's, inside a transaction), ours with
  // them (its stored offset is then the server's idle position, past the last change).
  const props = ourConnectorProps({ name: RUN, url, topicPrefix: RUN, slotName: RUN, extra: { 'table.include.list': 'public.items' } })
  const ourProps = { ...props, 'heartbeat.interval.ms': '1000' }
  const data = (): CapturedRecord[] => capture.records.filter(r => r.value !== null)
  const complete = (): boolean => missingChanges(changesOf(data()), versions).length === 0
  const assertComplete = async (what: string, failure?: () => Promise<string | null>): Promise<void> => {
    await capture.waitFor(complete, { timeoutMs: 120000, what, failure }).catch((err: Error) => {
      assert.fail(`${err.message}; missing: ${missingChanges(changesOf(data()), versions).slice(0, 30).join(' ')}`)
    })
  }

  // 1. Debezium: the snapshot and the first half of the changes, then a clean stop (offsets flushed).
  const apacheDir = join(dir, 'apache-1')
  await mkdir(apacheDir)
  const apache = await startDebeziumConnect({ dir: apacheDir, connectorProps: [props] })
  stops.push(async () => await apache.stop())
  await waitForLogLine(apache, new RegExp(`\\[${RUN}\\|task-0\\] Processing messages`))
  await applyChanges(db, versions, 60)
  await assertComplete('Debezium\'s snapshot and first changes', async () => await apache.failure())
  await capture.waitForQuiet({ quietMs: 2000 })
  await apache.stop()
  const apacheOffsets = readApacheOffsets(apache.offsetsFile)
  const debeziumOffset = findApacheOffset(apacheOffsets, RUN, { server: RUN })
  assert.ok(debeziumOffset?.offset != null, `no offset of ${RUN} in Apache's offsets file: ${JSON.stringify(apacheOffsets)}`)
  const afterDebezium = data().length
  const debeziumDuplicates = checkRowOrder(changesOf(data()), versions).duplicates

  // 2. Ours, from a copy of Apache's offsets file: changes made while nothing ran, then while it runs.
  await applyChanges(db, versions, 30)
  const oursDir = join(dir, 'ours')
  await mkdir(oursDir)
  await copyFile(apache.offsetsFile, join(oursDir, 'connect.offsets'))
  const worker = await writeWorkerFile(oursDir, kafkaBootstrap(), [
    'key.converter=org.apache.kafka.connect.json.JsonConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter',
    'offset.flush.interval.ms=500'
  ])
  const connectorFile = join(oursDir, 'postgres.properties')
  await writeFile(connectorFile, propertiesText(ourProps))
  const ours = spawnCli([worker, connectorFile])
  stops.push(async () => { ours.kill('SIGKILL'); await ours.exited })
  await ours.waitForOutput(/Kafka Connect started/, 60000)
  await applyChanges(db, versions, 30)
  await assertComplete('the rest of the changes, by ours')
  await capture.waitForQuiet({ quietMs: 2000 })
  const oursChanges = changesOf(data().slice(afterDebezium))
  const afterOurs = data().length
  const { duplicates: duplicatesAfterOurs } = checkRowOrder(changesOf(data()), versions)
  ours.kill('SIGTERM')
  await ours.exited
  const ourOffset = findApacheOffset(readApacheOffsets(join(oursDir, 'connect.offsets')), RUN, { server: RUN })
  assert.ok(ourOffset?.offset != null, 'no offset of ours in the offsets file')

  // 3. Debezium again, from a copy of our offsets file.
  await applyChanges(db, versions, 30)
  const apacheDir2 = join(dir, 'apache-2')
  await mkdir(apacheDir2)
  const offsets2 = join(apacheDir2, 'from-ours.offsets')
  await copyFile(join(oursDir, 'connect.offsets'), offsets2)
  const apache2 = await startDebeziumConnect({ dir: apacheDir2, connectorProps: [props], workerProps: { 'offset.storage.file.filename': offsets2 } })
  stops.push(async () => await apache2.stop())
  await waitForLogLine(apache2, new RegExp(`\\[${RUN}\\|task-0\\] Processing messages`))
  await applyChanges(db, versions, 30)
  await assertComplete('the rest of the changes, by Debezium again', async () => await apache2.failure())
  await capture.waitForQuiet({ quietMs: 2000 })
  await apache2.stop()
  const { duplicates } = checkRowOrder(changesOf(data()), versions)
  const debeziumAgain = data().length - afterOurs

  console.info(`offsets interop: Debezium ${afterDebezium} records (${debeziumDuplicates} duplicates), offset ${debeziumOffset.valueText}; ` +
    `ours resumed: ${oursChanges.length} records, ${duplicatesAfterOurs - debeziumDuplicates} duplicates, offset ${ourOffset.valueText}; ` +
    `Debezium resumed from ours: ${debeziumAgain} records, ${duplicates - duplicatesAfterOurs} duplicates`)
  assert.equal(oursChanges.filter(c => c.op === 'r').length, 0, 'ours took a new snapshot instead of resuming Debezium\'s stream')
})
