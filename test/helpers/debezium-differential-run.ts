/**
 * One run of the Debezium differential tests (issue 15): a fresh database, Debezium 3.6.1's PostgresConnector in
 * Apache Kafka Connect and ours in our CLI, each with one connector per pipeline (own slot, publication and topic
 * prefix <run>_<dbz|our><pipeline>, JsonConverter with schemas). Both start on the rows `setup` wrote, both finish
 * their snapshots, then `streaming` runs once; when every one of ours has caught up with its Debezium twin and the
 * topics are quiet, the captures are compared per topic in order (see debezium-record-diff.ts).
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { postgresUrl } from '../harness/postgres.mjs'
import { freePort, javaProperties, type ApacheConnect } from '../harness/apache-connect.mjs'
import { debeziumPostgresProps, dropReplicationSlot, openTopicCapture, startDebeziumConnect, waitForLogLine, type CapturedRecord } from '../harness/debezium-connect.mjs'
import { kafkaBootstrap } from '../harness/kafka.ts'
import { spawnCli, type CliProcess } from './cli.ts'
import { removeDir } from './remove-dir.ts'
import { compareCaptures, countsPerTopic, normalise, type NatureField } from './debezium-record-diff.ts'

export type Props = Record<string, string>
export const SIDES = ['dbz', 'our'] as const
export const HEARTBEAT_PREFIX = '__debezium-heartbeat'

export interface DifferentialRun {
  /** Unique per run, lower case: names the database, slots, publications and topic prefixes. */
  run: string
  /** Connector properties per pipeline, merged over Debezium's (pgoutput, skipped.operations=none). */
  pipelines: Record<string, Props>
  /** Fields masked per pipeline, as different by nature. */
  nature: Record<string, NatureField[]>
  natureHeaders: ReadonlySet<string>
  /** Creates the tables and the rows the snapshots read. */
  setup: (db: pg.Client) => Promise<void>
  /** Records each pipeline's snapshot writes (the wait before `streaming`). */
  snapshotRecords: (pipeline: string) => number
  streaming: (db: pg.Client) => Promise<void>
  /** Records Debezium's first pipeline writes in all: its snapshot and streaming. */
  expectedRecords: number
  /** A pipeline with heartbeat.interval.ms set: the first heartbeat of each side is compared (ts_ms masked). */
  heartbeatPipeline?: string
}

export interface DifferentialResult {
  problems: string[]
  /** Per pipeline: records per topic (Debezium's; ours are equal when problems is empty). */
  counts: Record<string, Record<string, number>>
}

export const prefixOf = (run: string, side: string, pipeline: string): string => `${run}_${side}${pipeline}`

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
  const exited = cli.exited.then(({ code, signal }) => {
    throw new Error(`our worker exited (code ${code}, signal ${signal}):\n${cli.stderr.slice(-4000)}`)
  })
  await Promise.race([cli.waitForOutput(/Kafka Connect started/, 90000), exited])
  return cli
}

async function stopOurs (cli: CliProcess): Promise<void> {
  cli.kill('SIGTERM')
  const timer = setTimeout(() => cli.kill('SIGKILL'), 30000)
  await cli.exited
  clearTimeout(timer)
}

export async function runDifferential (options: DifferentialRun): Promise<DifferentialResult> {
  const { run, pipelines, nature, natureHeaders } = options
  const names = Object.keys(pipelines)
  const DB = `${run}_db`
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
  const capture = await openTopicCapture({ match: t => t.startsWith(`${run}_`) || t.startsWith(`${HEARTBEAT_PREFIX}.${run}_`) })
  try {
    await options.setup(db)
    const props = (side: string): Props[] => Object.entries(pipelines).map(([pipeline, extra]) => {
      const prefix = prefixOf(run, side, pipeline)
      return debeziumPostgresProps({
        name: prefix,
        url: dbUrl,
        topicPrefix: prefix,
        slotName: prefix,
        extra: { 'publication.name': `${prefix}_pub`, 'skipped.operations': 'none', ...extra }
      })
    })
    await mkdir(join(dir, 'apache'))
    const started = Date.now()
    await Promise.all([
      startDebeziumConnect({ dir: join(dir, 'apache'), connectorProps: props('dbz'), timeoutMs: 180000 }).then(c => { connect = c }),
      startOurs(dir, props('our')).then(c => { ours = c })
    ])
    const failure = async (): Promise<string | null> => {
      const cli = ours as CliProcess | null
      if (cli !== null && cli.child.exitCode !== null) return `our worker exited:\n${cli.stderr.slice(-4000)}`
      const output = cli === null ? '' : cli.stdout + cli.stderr
      const failed = output.indexOf('Task threw an uncaught and unrecoverable exception')
      if (failed >= 0) return `our task failed:\n${output.slice(failed, failed + 3000)}`
      return await (connect as ApacheConnect | null)?.failure() ?? null
    }
    const dataOf = (prefix: string) => (records: readonly CapturedRecord[]): CapturedRecord[] => records.filter(r => r.topic.startsWith(`${prefix}.`))
    // Both sides create their slots before their snapshots start: once every snapshot is in the topics, the streaming
    // changes are in every slot's future. Debezium also says when it streams.
    for (const side of SIDES) {
      for (const pipeline of names) {
        const prefix = prefixOf(run, side, pipeline)
        await capture.waitFor(r => dataOf(prefix)(r).length >= options.snapshotRecords(pipeline), { timeoutMs: 180000, what: `${prefix}'s snapshot`, failure })
        if (side === 'dbz') await waitForLogLine(connect!, new RegExp(`\\[${prefix}\\|task-0\\] Processing messages`), { timeoutMs: 180000 })
      }
    }
    const snapshotsDone = Date.now()
    await options.streaming(db)
    const counts = (): Array<[number, number]> => names.map(p =>
      [dataOf(prefixOf(run, 'dbz', p))(capture.records).length, dataOf(prefixOf(run, 'our', p))(capture.records).length])
    const heartbeatsOf = (side: string): CapturedRecord[] => options.heartbeatPipeline === undefined
      ? []
      : capture.records.filter(r => r.topic === `${HEARTBEAT_PREFIX}.${prefixOf(run, side, options.heartbeatPipeline!)}`)
    // A side falling short is reported by the comparison below, with the records it lacks.
    await capture.waitFor(() => counts()[0]![0] >= options.expectedRecords && counts().every(([a, b]) => b >= a) &&
      SIDES.every(side => options.heartbeatPipeline === undefined || heartbeatsOf(side).length > 0),
    { timeoutMs: 120000, what: 'both sides to catch up', failure })
      .catch((err: Error) => { console.error(`${err.message}; records (Debezium, ours): ${JSON.stringify(counts())}`) })
    await capture.waitForQuiet({ quietMs: 3000, timeoutMs: 60000, failure, ignore: r => r.topic.startsWith(HEARTBEAT_PREFIX) })
    console.info(`started and snapshotted in ${snapshotsDone - started} ms; streamed in ${Date.now() - snapshotsDone} ms`)

    const problems: string[] = []
    const perPipeline: Record<string, Record<string, number>> = {}
    for (const pipeline of names) {
      const [theirs, mine] = SIDES.map(side => {
        const prefix = prefixOf(run, side, pipeline)
        return normalise(dataOf(prefix)(capture.records), prefix, nature[pipeline] ?? [], natureHeaders)
      }) as [ReturnType<typeof normalise>, ReturnType<typeof normalise>]
      perPipeline[pipeline] = countsPerTopic(theirs)
      console.info(`${pipeline}: records per topic (Debezium, ours):`, JSON.stringify(countsPerTopic(theirs)), JSON.stringify(countsPerTopic(mine)))
      if (process.env.DEBEZIUM_DIFF_DUMP) {
        await writeFile(`${process.env.DEBEZIUM_DIFF_DUMP}-${pipeline}.json`, JSON.stringify({ theirs: [...theirs], mine: [...mine] }, null, 1))
      }
      problems.push(...compareCaptures(theirs, mine).map(line => `${pipeline} ${line}`))
      // Which masked fields did differ in this run (a mask nothing needs would hide a difference for nothing).
      const [bare, bareOurs] = SIDES.map(side => normalise(dataOf(prefixOf(run, side, pipeline))(capture.records), prefixOf(run, side, pipeline), [], new Set())) as [typeof theirs, typeof mine]
      const unmasked = compareCaptures(bare, bareOurs)
      const needed = [
        ...(nature[pipeline] ?? []).map(f => f.path.slice(1).join('/')).map(path => `${path}: ${unmasked.filter(line => line.includes(`/${path}:`)).length}`),
        `headers (${[...natureHeaders].join()}): ${unmasked.filter(line => line.includes(' headers/')).length}`
      ]
      console.info(`${pipeline}: records whose masked fields differed:`, needed.join(', '))
    }
    if (options.heartbeatPipeline !== undefined) {
      // Heartbeats: the same topic, key and value schema (prefix aside); ts_ms is the time each one was sent.
      const [dbzBeat, ourBeat] = SIDES.map(side => normalise(heartbeatsOf(side).slice(0, 1), prefixOf(run, side, options.heartbeatPipeline!),
        [{ path: ['value', 'payload', 'ts_ms'], why: 'sending time' }], natureHeaders)) as [ReturnType<typeof normalise>, ReturnType<typeof normalise>]
      problems.push(...compareCaptures(dbzBeat, ourBeat).map(line => `heartbeat ${line}`))
    }
    return { problems, counts: perPipeline }
  } finally {
    await capture.close()
    await Promise.all([(connect as ApacheConnect | null)?.stop(), ours === null ? null : stopOurs(ours)])
    for (const side of SIDES) {
      for (const pipeline of names) await dropReplicationSlot(dbUrl, prefixOf(run, side, pipeline)).catch(() => {})
    }
    await db.end()
    await admin.query(`drop database if exists ${DB} with (force)`)
    await admin.end()
    await removeDir(dir)
  }
}
