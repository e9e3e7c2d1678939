// Scenarios 1 and 2: SIGKILL the worker at random moments while its pipeline has work in flight, restart it each
// time on the same offsets file, run to the end, and count every line: lost, duplicated, torn.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { appendLines, fileLines, produceLines, tally } from './feed.mjs'
import { topicValues } from './kafka.mjs'
import { delay, SINK, SOURCE, startWorker, waitUntil, workerProps } from './worker.mjs'

// Each life of the worker: ready, then killed after a random 0.2 to 2.2 s (so across the offset flushes, every 0.5 s).
const LIFE_MIN_MS = 200
const LIFE_SPREAD_MS = 2000
/** Input arrives for about this long per kill, so every kill meets records in flight. */
const FEED_MS_PER_KILL = 2500
const OFFSET_FLUSH_MS = '500'
// A SIGKILLed sink leaves its group member behind until the session times out; the restarted one gets the partition
// only then (in Java too, without static membership). At the default 45 s, 20 kills would take 15 minutes: the sink
// runs with the broker's minimum session timeout, 6 s, and its input arrives for about as long as each life lasts.
const SINK_SESSION_TIMEOUT_MS = '6000'
const SINK_FEED_MS_PER_KILL = 8000

/** Waits until `read()` is at least `min` and has not changed for `stableMs`; returns the value. */
export async function settle (read, min, { stableMs = 3000, timeoutMs = 180000, what }) {
  let last = -1
  let since = performance.now()
  return await waitUntil(async () => {
    const v = await read()
    if (v !== last) { last = v; since = performance.now(); return false }
    return v >= min && performance.now() - since >= stableMs ? v : false
  }, { timeoutMs, intervalMs: 200, what })
}

export function fileSize (file) {
  try { return statSync(file).size } catch { return 0 }
}

/** The runner's own decoder of the offsets file (Java serialisation), from dist/ wherever the build puts it. */
async function offsetsDecoder () {
  const candidates = ['../../../dist/src/java/serialization.js', '../../../dist/src/storage/java-serialization.js']
  for (const candidate of candidates) {
    try { return await import(candidate) } catch (err) { if (err.code !== 'ERR_MODULE_NOT_FOUND') throw err }
  }
  throw new Error(`the offsets file decoder is in none of ${candidates.join(', ')}: build with npm run build`)
}

/**
 * Reads the offsets file as the runner would: { parses, position } (position: the largest stored `position` of a
 * source partition, -1 when none or the file is absent).
 */
async function readOffsetsFile (file) {
  if (!existsSync(file)) return { parses: true, position: -1 }
  const { decodeOffsetsFile } = await offsetsDecoder()
  let entries
  try { entries = decodeOffsetsFile(readFileSync(file), file) } catch { return { parses: false, position: -1 } }
  let position = -1
  for (const entry of entries) {
    try { position = Math.max(position, Number(JSON.parse(Buffer.from(entry[1]).toString('utf8')).position)) } catch {}
  }
  return { parses: true, position }
}

/**
 * Starts, kills and restarts the worker `kills` times. With `progress` (a number that grows as the pipeline moves),
 * each life is counted from the moment it first moves, so every kill lands while records flow.
 */
async function killLoop ({ dir, kills, props, connectorProps, offsetsFile, log, progress }) {
  let unparsable = 0
  let advanced = 0
  let lastPosition = -1
  const lives = []
  for (let k = 0; k < kills; k++) {
    const w = await startWorker({ work: dir, workerProps: props, connectorProps })
    if (progress) {
      const at = await progress()
      await waitUntil(async () => (await progress()) > at, { timeoutMs: 60000, intervalMs: 20, what: `the pipeline to move after restart ${k}` })
    }
    const lifeMs = LIFE_MIN_MS + Math.random() * LIFE_SPREAD_MS
    await delay(lifeMs)
    const exit = await w.kill('SIGKILL')
    await w.stop()
    if (!exit || exit.signal !== 'SIGKILL') throw new Error(`kill ${k + 1}: the worker did not die by SIGKILL (${JSON.stringify(exit)})\n${w.describe()}`)
    const stored = await readOffsetsFile(offsetsFile)
    if (!stored.parses) unparsable++
    if (stored.position > lastPosition) { advanced++; lastPosition = stored.position }
    lives.push(lifeMs)
    log(`kill ${k + 1}/${kills} after ${Math.round(lifeMs)} ms of RUNNING`)
  }
  return { unparsable, advanced }
}

/** Scenario 1: FileStreamSource → topic under SIGKILLs. */
export async function sourceKills ({ work, bootstrap, kafka, stamp, kills, lines, log }) {
  const dir = join(work, 'source-kills')
  mkdirSync(dir, { recursive: true })
  const input = join(dir, 'input.txt')
  const offsetsFile = join(dir, 'connect.offsets')
  const topic = `chaos-${stamp}-source-kills`
  await kafka.createTopic(topic)
  const feed = appendLines(input, { initial: Math.floor(lines / 10), total: lines, perSecond: lines / (kills * FEED_MS_PER_KILL / 1000) })
  const props = workerProps(bootstrap, offsetsFile, { 'offset.flush.interval.ms': OFFSET_FLUSH_MS })
  const connectorProps = [{ name: `chaos-source-${stamp}`, 'connector.class': SOURCE, 'tasks.max': '1', file: input, topic }]
  const { unparsable, advanced } = await killLoop({ dir, kills, props, connectorProps, offsetsFile, log })
  await feed.done
  log(`all ${lines} lines written; running to the end`)
  const w = await startWorker({ work: dir, workerProps: props, connectorProps })
  const records = await settle(() => kafka.count(topic), lines, { what: `${topic} to hold at least ${lines} records and stop growing` })
  log(`${topic} holds ${records} records; stopping the worker`)
  await w.stop()
  log('reading the topic back')
  const t = tally(await topicValues(bootstrap, topic, records), lines)
  // An offsets write cut short by a kill leaves its temp file (the atomic write's rename never came).
  const tempFiles = readdirSync(dir).filter(f => f.startsWith('connect.offsets.tmp-')).length
  return { ...t, kills, lines, unparsable, tempFiles, advanced }
}

/** Scenario 2: topic → FileStreamSink under SIGKILLs. */
export async function sinkKills ({ work, bootstrap, kafka, stamp, kills, lines, log }) {
  const dir = join(work, 'sink-kills')
  mkdirSync(dir, { recursive: true })
  const output = join(dir, 'sink.txt')
  const offsetsFile = join(dir, 'connect.offsets')
  const topic = `chaos-${stamp}-sink-kills`
  await kafka.createTopic(topic)
  const feed = await produceLines(bootstrap, topic, { initial: Math.floor(lines / 10), total: lines, perSecond: lines / (kills * SINK_FEED_MS_PER_KILL / 1000) })
  const props = workerProps(bootstrap, offsetsFile, { 'offset.flush.interval.ms': OFFSET_FLUSH_MS, 'consumer.session.timeout.ms': SINK_SESSION_TIMEOUT_MS })
  const connectorProps = [{ name: `chaos-sink-${stamp}`, 'connector.class': SINK, 'tasks.max': '1', file: output, topics: topic }]
  const { unparsable } = await killLoop({ dir, kills, props, connectorProps, offsetsFile, log, progress: () => fileSize(output) })
  await feed.close()
  log(`all ${lines} records produced; running to the end`)
  const w = await startWorker({ work: dir, workerProps: props, connectorProps })
  // By size (lines are 101 bytes with their newline): reading 20 MB every 200 ms would load the machine.
  await settle(() => fileSize(output), lines * 101, { what: `${output} to hold at least ${lines} lines and stop growing` })
  log('the sink file stopped growing; stopping the worker')
  await w.stop()
  const t = tally(fileLines(output), lines)
  return { ...t, kills, lines, unparsable }
}
