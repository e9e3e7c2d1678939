// Scenario 5: the fault-like cases of issue 11, one quick check each.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { restGet } from '../../harness/apache-connect.mjs'
import { fillTopic } from '../../../bench/lib/kafka.mjs'
import { line } from '../../../bench/lib/data.mjs'
import { committedOffset } from './kafka.mjs'
import { delay, shellCode, SINK, SOURCE, startWorker, waitUntil, workerProps } from './worker.mjs'

/** 5a: a line over the producer's limit (1 MB) with errors.tolerance=all is skipped; the other lines arrive. */
export async function oversizedRecord ({ work, bootstrap, kafka, stamp }) {
  const dir = join(work, 'oversized')
  mkdirSync(dir, { recursive: true })
  const input = join(dir, 'input.txt')
  const lines = []
  for (let i = 0; i < 100; i++) lines.push(i === 50 ? 'x'.repeat(1_200_000) : line(i))
  writeFileSync(input, lines.join('\n') + '\n')
  const topic = `chaos-${stamp}-oversized`
  await kafka.createTopic(topic)
  const name = `chaos-oversized-${stamp}`
  const w = await startWorker({
    work: dir,
    workerProps: workerProps(bootstrap, join(dir, 'connect.offsets')),
    connectorProps: [{ name, 'connector.class': SOURCE, 'tasks.max': '1', file: input, topic, 'errors.tolerance': 'all', 'errors.log.enable': 'true' }]
  })
  try {
    let delivered = 0
    try { delivered = await waitUntil(async () => { const n = await kafka.count(topic); return n >= 99 ? n : false }, { timeoutMs: 30000, what: '99 records' }) } catch { delivered = await kafka.count(topic) }
    // Anything more (the big line after all) would arrive with the rest.
    await delay(1000)
    delivered = await kafka.count(topic)
    const status = await restGet(`${w.restUrl}/connectors/${name}/status`)
    const taskState = status.body?.tasks?.[0]?.state ?? `HTTP ${status.status}`
    return { delivered, taskState }
  } finally {
    await w.stop()
  }
}

/** 5b: a second runner on the offsets file of a running one is refused. */
export async function secondRunner ({ work, bootstrap, kafka, stamp }) {
  const dir = join(work, 'second-runner')
  mkdirSync(dir, { recursive: true })
  const input = join(dir, 'input.txt')
  writeFileSync(input, 'one\ntwo\n')
  const topic = `chaos-${stamp}-second-runner`
  await kafka.createTopic(topic)
  const props = workerProps(bootstrap, join(dir, 'connect.offsets'))
  const connectorProps = [{ name: `chaos-second-${stamp}`, 'connector.class': SOURCE, 'tasks.max': '1', file: input, topic }]
  const first = await startWorker({ work: dir, workerProps: props, connectorProps })
  try {
    const started = performance.now()
    const second = await startWorker({ work: dir, workerProps: props, connectorProps, waitReady: false })
    const exit = await second.waitExit(30000)
    const ms = performance.now() - started
    if (!exit) await second.kill('SIGKILL')
    await second.stop()
    const message = second.logText().split('\n').find(l => /lock|already|in use/i.test(l)) ?? second.logText().trim().split('\n').pop() ?? ''
    return { code: shellCode(exit), ms, message: message.trim(), firstAlive: first.isAlive() === true }
  } finally {
    await first.stop()
  }
}

/** 5c: FileStreamSink to /dev/null commits its offsets (the consumer group's offset reaches the end). */
export async function devNullCommits ({ work, bootstrap, kafka, stamp }) {
  const dir = join(work, 'dev-null')
  mkdirSync(dir, { recursive: true })
  const topic = `chaos-${stamp}-dev-null`
  await kafka.createTopic(topic)
  const records = 1000
  await fillTopic(bootstrap, topic, records, i => ({ value: Buffer.from(line(i)) }))
  const name = `chaos-devnull-${stamp}`
  const started = performance.now()
  const w = await startWorker({
    work: dir,
    workerProps: workerProps(bootstrap, join(dir, 'connect.offsets'), { 'offset.flush.interval.ms': '500' }),
    connectorProps: [{ name, 'connector.class': SINK, 'tasks.max': '1', file: '/dev/null', topics: topic }]
  })
  try {
    let committed = -1001
    try {
      await waitUntil(async () => { committed = await committedOffset(bootstrap, `connect-${name}`, topic); return committed >= records }, { timeoutMs: 30000, intervalMs: 250, what: 'the group to commit' })
    } catch {}
    return { records, committed, ms: performance.now() - started }
  } finally {
    await w.stop()
  }
}
