// Inputs that keep arriving while faults happen, so every kill or outage hits a pipeline with work in flight:
// lines appended to a source file at a steady rate, and records produced to a topic at a steady rate. Line i is
// bench/lib/data.mjs's line(i) (a 10-digit sequence number first), so loss, duplicates and torn lines can be counted.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { line } from '../../../bench/lib/data.mjs'

const Kafka = createRequire(import.meta.url)('node-rdkafka')
const TICK_MS = 20

function lines (from, to) {
  let text = ''
  for (let i = from; i < to; i++) text += line(i) + '\n'
  return text
}

/** Feeds lines [from, total) at `perSecond` by calling `emit(from, to)` every tick; `done` resolves when all were fed. */
function steady ({ from, total, perSecond, emit }) {
  let next = from
  let stopped = false
  const started = performance.now()
  let timer
  let finish
  let busy = false
  const done = new Promise((resolve, reject) => {
    finish = resolve
    const tick = async () => {
      const due = Math.min(total, from + Math.floor((performance.now() - started) * perSecond / 1000))
      busy = true
      try {
        if (due > next) { await emit(next, due); next = due }
      } catch (err) { return reject(err) } finally { busy = false }
      if (next >= total || stopped) return resolve(next)
      timer = setTimeout(tick, TICK_MS)
    }
    timer = setTimeout(tick, 0)
  })
  return {
    get fed () { return next },
    done,
    /** Stops feeding; resolves how many were fed (after an emit in progress finished). */
    stop () {
      stopped = true
      if (!busy) { clearTimeout(timer); finish(next) }
      return done
    }
  }
}

/** Writes lines [0, initial) to `file`, then appends lines up to `total` at `perSecond`. */
export function appendLines (file, { initial = 0, total, perSecond }) {
  writeFileSync(file, lines(0, initial))
  return steady({ from: initial, total, perSecond, emit: (a, b) => appendFileSync(file, lines(a, b)) })
}

/** Produces line(i) for i in [0, total) to partition 0 of `topic`, `initial` at once, then at `perSecond`. */
export async function produceLines (bootstrap, topic, { initial = 0, total, perSecond }) {
  const producer = new Kafka.Producer({
    'bootstrap.servers': bootstrap, 'client.id': 'chaos-feed', dr_cb: true, 'enable.idempotence': true, 'linger.ms': 5
  }, { acks: -1 })
  await new Promise((resolve, reject) => producer.connect({ timeout: 30000 }, err => (err ? reject(err) : resolve())))
  producer.setPollInterval(10)
  let delivered = 0
  let failed = null
  producer.on('delivery-report', err => { if (err) failed ??= err; else delivered++ })
  const emit = async (a, b) => {
    for (let i = a; i < b; i++) {
      for (;;) {
        try { producer.produce(topic, 0, Buffer.from(line(i))); break } catch (err) {
          if (err.code !== Kafka.CODES.ERRORS.ERR__QUEUE_FULL) throw err
          await new Promise(resolve => setTimeout(resolve, 5))
        }
      }
    }
  }
  await emit(0, initial)
  const feed = steady({ from: initial, total, perSecond, emit })
  return {
    get fed () { return feed.fed },
    done: feed.done,
    stop: feed.stop,
    /** Waits until every produced record was acknowledged, then disconnects. */
    async close () {
      await feed.done
      const deadline = Date.now() + 60000
      while (delivered < feed.fed && !failed && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
      await new Promise(resolve => producer.disconnect(() => resolve()))
      if (failed) throw failed
      if (delivered < feed.fed) throw new Error(`${topic}: only ${delivered} of ${feed.fed} records acknowledged within 60 s`)
    }
  }
}

/**
 * Counts line numbers [0, total) in `values` (strings): lost (never seen), duplicates (copies beyond the first, as a
 * share of `total`), the most copies of one line, and values that are not an intact line (torn writes).
 */
export function tally (values, total) {
  const copies = new Uint32Array(total)
  let torn = 0
  let extra = 0
  for (const v of values) {
    const n = Number(v.slice(0, 10))
    if (v.length !== 100 || !Number.isInteger(n) || n < 0 || n >= total || v !== line(n)) { torn++; continue }
    copies[n]++
  }
  let lost = 0
  let worst = 0
  for (let i = 0; i < total; i++) {
    if (copies[i] === 0) lost++
    else extra += copies[i] - 1
    if (copies[i] > worst) worst = copies[i]
  }
  return { lost, duplicates: extra, duplicatePct: 100 * extra / total, worst, torn, records: values.length }
}

/** The lines of a file (a final line without its newline counts too). */
export function fileLines (file) {
  let text = ''
  try { text = readFileSync(file, 'latin1') } catch { return [] }
  const out = text.split('\n')
  if (out[out.length - 1] === '') out.pop()
  return out
}
