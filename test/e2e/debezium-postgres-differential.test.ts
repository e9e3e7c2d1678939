/**
 * The differential test of issue 15: Debezium 3.6.1.Final's PostgresConnector (in Apache Kafka Connect 4.3.1) and ours
 * (in our CLI) capture the same database at the same time, each with its own slot, publication and topic prefix, and
 * write JsonConverter records with schemas. One database holds the fixture's schema and snapshot rows; both start,
 * both finish their snapshots, then the fixture's streaming script runs once (inserts, updates including key changes
 * and unchanged TOAST, deletes, a truncate, a multi-statement transaction, every column type with NULLs, NaN and
 * infinities). Three pipelines run on each side:
 *
 *   raw  the change events themselves (skipped.operations=none so the truncate is emitted; heartbeats every second)
 *   dfl  ExtractNewRecordState with its defaults
 *   rwr  ExtractNewRecordState, delete.tombstone.handling.mode=rewrite, add.fields=op,table,lsn,source.ts_ms,
 *        add.headers=db,op
 *
 * Per topic, in order, keys, values (schema and payload) and headers must be equal once each side's topic prefix is
 * replaced by PREFIX, except the fields of NATURE below, which differ between any two connectors by nature.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { postgresUrl } from '../harness/postgres.mjs'
import { freePort, javaProperties, type ApacheConnect } from '../harness/apache-connect.mjs'
import { debeziumPostgresProps, dropReplicationSlot, openTopicCapture, startDebeziumConnect, waitForLogLine, type CapturedRecord } from '../harness/debezium-connect.mjs'
import { kafkaBootstrap } from '../harness/kafka.ts'
import { spawnCli, type CliProcess } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { compareCaptures, countsPerTopic, normalise, type NatureField } from '../helpers/debezium-record-diff.ts'
import { applySql, DML_FIXTURE, SNAPSHOT_ROW_COUNTS } from '../connectors/debezium-postgres/fixtures/dml-fixture.ts'

const RUN = `dd${randomBytes(3).toString('hex')}`
const DB = `${RUN}_db`
const SNAPSHOT_ROWS = Object.values(SNAPSHOT_ROW_COUNTS).reduce((a, b) => a + b, 0)
const HEARTBEAT_PREFIX = '__debezium-heartbeat'

type Props = Record<string, string>
const UNWRAP = { transforms: 'unwrap', 'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState' }
const PIPELINES: Record<string, Props> = {
  raw: { 'heartbeat.interval.ms': '1000' },
  dfl: { ...UNWRAP },
  rwr: {
    ...UNWRAP,
    'transforms.unwrap.delete.tombstone.handling.mode': 'rewrite',
    'transforms.unwrap.add.fields': 'op,table,lsn,source.ts_ms',
    'transforms.unwrap.add.headers': 'db,op'
  }
}
const SIDES = ['dbz', 'our'] as const
const prefixOf = (side: string, pipeline: string): string => `${RUN}_${side}${pipeline}`

/** The snapshot's records are the first SNAPSHOT_ROW_COUNTS[table] of each table's topic (a snapshot reads in order). */
const isSnapshot = (_json: any, index: number, topic: string): boolean =>
  index < (SNAPSHOT_ROW_COUNTS[topic.replace(/^PREFIX\./, '')] ?? 0)

/**
 * The fields that differ between any two connectors by nature. Both stream the same WAL, so every streaming record's
 * lsn, txId, sequence and source times must be equal; the snapshot records carry each connector's own snapshot (its
 * slot's consistent point and its snapshot transaction) and its own reading time.
 */
const NATURE: Record<string, NatureField[]> = {
  raw: [
    { path: ['value', 'payload', 'ts_ms'], why: 'processing time' },
    { path: ['value', 'payload', 'ts_us'], why: 'processing time' },
    { path: ['value', 'payload', 'ts_ns'], why: 'processing time' },
    ...['ts_ms', 'ts_us', 'ts_ns'].map(f => ({ path: ['value', 'payload', 'source', f], why: 'snapshot reading time', when: isSnapshot })),
    ...['lsn', 'txId', 'sequence'].map(f => ({ path: ['value', 'payload', 'source', f], why: "the connector's own snapshot", when: isSnapshot }))
  ],
  dfl: [],
  rwr: [
    { path: ['value', 'payload', '__lsn'], why: "the connector's own snapshot", when: isSnapshot },
    { path: ['value', 'payload', '__source_ts_ms'], why: 'snapshot reading time', when: isSnapshot }
  ]
}
/** Headers whose values differ by nature: the id of the connector's run. */
const NATURE_HEADERS = new Set(['__debezium.context.runId'])

async function startOurs (dir: string, props: Props[]): Promise<CliProcess> {
  const worker = join(dir, 'ours-worker.properties')
  await writeFile(worker, javaProperties({
    'bootstrap.servers': kafkaBootstrap(),
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': 'true',
    'value.converter.schemas.enable': 'true',
    'offset.storage.file.filename': join(dir, 'ours.offsets'),
    'offset.flush.interval.ms': '1000',
    listeners: `http://127.0.0.1:${await freePort()}`
  }))
  const files = await Promise.all(props.map(async (p, i) => {
    const file = join(dir, `ours-connector-${i}.properties`)
    await writeFile(file, javaProperties(p))
    return file
  }))
  const cli = spawnCli([worker, ...files])
  await Promise.race([cli.waitForOutput(/Kafka Connect started/, 90000), failOnExit(cli)])
  return cli
}

function failOnExit (cli: CliProcess): Promise<never> {
  return cli.exited.then(({ code, signal }) => {
    throw new Error(`our worker exited (code ${code}, signal ${signal}):\n${cli.stderr.slice(-4000)}`)
  })
}

async function stopOurs (cli: CliProcess): Promise<void> {
  cli.kill('SIGTERM')
  const timer = setTimeout(() => cli.kill('SIGKILL'), 30000)
  await cli.exited
  clearTimeout(timer)
}

test('Debezium 3.6.1 and ours capture the same snapshot and streaming changes: equal record by record', { timeout: 300000 }, async () => {
  const admin = new pg.Client({ connectionString: postgresUrl() })
  await admin.connect()
  await admin.query(`create database ${DB}`)
  const url = new URL(postgresUrl())
  url.pathname = `/${DB}`
  const dbUrl = url.toString()
  const dir = await mkdtemp(join(tmpdir(), 'dbz-differential-'))
  const db = new pg.Client({ connectionString: dbUrl })
  await db.connect()
  let connect: ApacheConnect | null = null
  let ours: CliProcess | null = null
  const capture = await openTopicCapture({ match: t => t.startsWith(`${RUN}_`) || t.startsWith(`${HEARTBEAT_PREFIX}.${RUN}_`) })
  try {
    await applySql(db, DML_FIXTURE.schema)
    await applySql(db, DML_FIXTURE.snapshot)

    const props = (side: string): Props[] => Object.entries(PIPELINES).map(([pipeline, extra]) => {
      const prefix = prefixOf(side, pipeline)
      return debeziumPostgresProps({
        name: prefix,
        url: dbUrl,
        topicPrefix: prefix,
        slotName: prefix,
        extra: { 'publication.name': `${prefix}_pub`, 'skipped.operations': 'none', ...extra }
      })
    })
    await mkdir(join(dir, 'apache'))
    const started = Date.now();
    [connect, ours] = await Promise.all([
      startDebeziumConnect({ dir: join(dir, 'apache'), connectorProps: props('dbz'), timeoutMs: 180000 }).then(c => { connect = c; return c }),
      startOurs(dir, props('our')).then(c => { ours = c; return c })
    ])
    const failure = async (): Promise<string | null> => {
      if (ours!.child.exitCode !== null) return `our worker exited:\n${ours!.stderr.slice(-4000)}`
      return await connect!.failure()
    }
    const dataOf = (prefix: string) => (records: CapturedRecord[]): CapturedRecord[] => records.filter(r => r.topic.startsWith(`${prefix}.`))
    // Both sides' slots exist before their snapshots start: once every snapshot is in the topics, the streaming script
    // is in every slot's future. Debezium also says when it streams.
    for (const side of SIDES) {
      for (const pipeline of Object.keys(PIPELINES)) {
        const prefix = prefixOf(side, pipeline)
        await capture.waitFor(r => dataOf(prefix)(r).length >= SNAPSHOT_ROWS, { timeoutMs: 180000, what: `${prefix}'s snapshot`, failure })
        if (side === 'dbz') await waitForLogLine(connect, new RegExp(`\\[${prefix}\\|task-0\\] Processing messages`), { timeoutMs: 180000 })
      }
    }
    const snapshotsDone = Date.now()
    await applySql(db, DML_FIXTURE.streaming)
    // Debezium's raw pipeline writes 34 streaming records for the script (truncate included); each of ours must reach
    // its Debezium twin's count, then everything must stay quiet.
    const counts = (): Array<[number, number]> => Object.keys(PIPELINES).map(p =>
      [dataOf(prefixOf('dbz', p))(capture.records).length, dataOf(prefixOf('our', p))(capture.records).length])
    const heartbeatsOf = (side: string): CapturedRecord[] => capture.records.filter(r => r.topic === `${HEARTBEAT_PREFIX}.${prefixOf(side, 'raw')}`)
    await capture.waitFor(() => counts()[0]![0] >= SNAPSHOT_ROWS + 34 && counts().every(([a, b]) => b >= a) &&
      SIDES.every(side => heartbeatsOf(side).length > 0), { timeoutMs: 120000, what: 'both sides to catch up', failure })
      .catch(err => { console.error(err); console.error('counts (Debezium, ours):', counts()) })
    await capture.waitForQuiet({ quietMs: 3000, timeoutMs: 60000, failure, ignore: r => r.topic.startsWith(HEARTBEAT_PREFIX) })
    console.info(`started and snapshotted in ${snapshotsDone - started} ms; streamed in ${Date.now() - snapshotsDone} ms`)

    const problems: string[] = []
    for (const [pipeline] of Object.entries(PIPELINES)) {
      const [theirs, mine] = SIDES.map(side => {
        const prefix = prefixOf(side, pipeline)
        return normalise(dataOf(prefix)(capture.records), prefix, NATURE[pipeline] ?? [], NATURE_HEADERS)
      })
      console.info(`${pipeline}: records per topic (Debezium, ours):`, JSON.stringify(countsPerTopic(theirs!)), JSON.stringify(countsPerTopic(mine!)))
      if (process.env.DEBEZIUM_DIFF_DUMP) await writeFile(`${process.env.DEBEZIUM_DIFF_DUMP}-${pipeline}.json`, JSON.stringify({ theirs: [...theirs!], mine: [...mine!], raw: capture.records.filter(r => r.topic.includes(pipeline)) }, null, 1))
      problems.push(...compareCaptures(theirs!, mine!).map(line => `${pipeline} ${line}`))
      // Which of the masked fields did differ in this run (a mask nothing needs would hide a difference for nothing).
      const [bare, bareOurs] = SIDES.map(side => normalise(dataOf(prefixOf(side, pipeline))(capture.records), prefixOf(side, pipeline), [], new Set()))
      const unmasked = compareCaptures(bare!, bareOurs!)
      const needed = [
        ...(NATURE[pipeline] ?? []).map(f => f.path.slice(1).join('/')).map(path => `${path}: ${unmasked.filter(line => line.includes(`/${path}:`)).length}`),
        `headers (${[...NATURE_HEADERS].join()}): ${unmasked.filter(line => line.includes(' headers/')).length}`
      ]
      console.info(`${pipeline}: records whose masked fields differed:`, needed.join(', '))
    }
    // Heartbeats: the same key, schema and topic (prefix aside); ts_ms is the time each one was sent.
    const [dbzBeat, ourBeat] = SIDES.map(side => {
      const prefix = prefixOf(side, 'raw')
      return normalise(heartbeatsOf(side).slice(0, 1), prefix, [{ path: ['value', 'payload', 'ts_ms'], why: 'sending time' }], NATURE_HEADERS)
    })
    problems.push(...compareCaptures(dbzBeat!, ourBeat!).map(line => `heartbeat ${line}`))
    assert.deepEqual(problems, [], `${problems.length} differences:\n${problems.join('\n')}`)
  } finally {
    await capture.close()
    await Promise.all([
      connect === null ? null : (connect as ApacheConnect).stop(),
      ours === null ? null : stopOurs(ours)
    ])
    for (const side of SIDES) {
      for (const pipeline of Object.keys(PIPELINES)) await dropReplicationSlot(dbUrl, prefixOf(side, pipeline)).catch(() => {})
    }
    await db.end()
    await admin.query(`drop database if exists ${DB} with (force)`)
    await admin.end()
    await removeDir(dir)
  }
})
