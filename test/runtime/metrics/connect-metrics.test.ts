import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConnectMetrics } from '../../../src/runtime/metrics/connect-metrics.ts'
import { SampledStat } from '../../../src/runtime/metrics/sampled-stat.ts'
import { lagsFromStatistics } from '../../../src/runtime/metrics/task-metrics.ts'
import type { ConnectorStateInfo } from '../../../src/rest/entities.ts'

test('SampledStat: rate over the kept windows (at least samples - 1 windows), avg and max, old windows dropped', () => {
  const s = new SampledStat({ windowMs: 1000, samples: 2 }, 0)
  assert.ok(Number.isNaN(s.avg(0)), 'no value yet: NaN, as Apache')
  s.record(10, 0)
  s.record(30, 500)
  s.record(20, 1500)
  assert.equal(s.sum(1600), 60)
  assert.equal(s.avg(1600), 20)
  assert.equal(s.max(1600), 30)
  // 60 records over 1.6 s
  assert.equal(s.rate(1600), 60 / 1.6)
  // A young stat counts at least one full window (samples - 1): 10 records at 100 ms are 10/s, not 100/s.
  const young = new SampledStat({ windowMs: 1000, samples: 2 }, 0)
  young.record(10, 100)
  assert.equal(young.rate(100), 10)
  // The first window (0..1000) is older than 2 windows at 3000: only the 20 of the second remains.
  assert.equal(s.sum(3000), 20)
  assert.equal(s.max(3000), 20)
  assert.equal(s.sum(10_000), 0)
  assert.ok(Number.isNaN(s.max(10_000)))
})

test('per-batch counts reach the snapshot: source poll/write, sink read/send, errors, lag, last commit', () => {
  const m = new ConnectMetrics()
  const src = m.addTask('src', 0, 'source')
  const sink = m.addTask('sink', 0, 'sink')
  src.setState('RUNNING')
  src.recordPoll(100, 2)
  src.pendingWrites += 60
  sink.setState('RUNNING')
  sink.recordPut(50, 48, 1)
  sink.recordCommit(true, 3)
  sink.lags = [{ topic: 't', partition: 0, lag: 5 }, { topic: 't', partition: 1, lag: 7 }]
  sink.errorCounts = () => ({ errors: 2, failures: 2, skipped: 2, retries: 0, logged: 0, dlqRequests: 0, dlqFailures: 0, lastErrorAt: 1 })
  const snap = m.snapshot()
  assert.deepEqual(snap.map(s => [s.connector, s.task, s.type, s.state, s.recordsIn, s.recordsOut, s.errors, s.lag]), [
    ['sink', 0, 'sink', 'RUNNING', 50, 48, 2, 12],
    ['src', 0, 'source', 'RUNNING', 100, 60, 0, null]
  ])
  assert.ok(snap[0]!.lastCommitAt !== null && snap[1]!.lastCommitAt === null)
  assert.equal(src.pendingWrites, 0, 'acknowledged records were folded into the write total')
  assert.equal(sink.sinkActive, 0, 'a commit clears the active count')
})

test('statuses come from the herder when it lends them; task counts per state; removed tasks leave the snapshot', () => {
  const m = new ConnectMetrics()
  m.connectorCreated('c', 'org.example.C', 'source', '1.0')
  const t0 = m.addTask('c', 0, 'source')
  m.addTask('c', 1, 'source')
  t0.setState('RUNNING')
  assert.equal(m.snapshot()[0]!.state, 'RUNNING')
  assert.deepEqual(m.taskCounts('c'), { running: 1, paused: 0, failed: 0, unassigned: 1, destroyed: 0, restarting: 0, total: 2 })
  const status: ConnectorStateInfo = {
    name: 'c', type: 'source', connector: { state: 'PAUSED', worker_id: 'w' },
    tasks: [{ id: 0, state: 'PAUSED', worker_id: 'w' }, { id: 1, state: 'FAILED', worker_id: 'w' }]
  }
  m.useStatuses(name => { if (name !== 'c') throw new Error('unknown'); return status })
  assert.deepEqual(m.snapshot().map(s => s.state), ['PAUSED', 'FAILED'])
  assert.equal(m.connectorStatus(m.connectors()[0]!), 'PAUSED')
  assert.deepEqual(m.taskCounts('c'), { running: 0, paused: 1, failed: 1, unassigned: 0, destroyed: 0, restarting: 0, total: 2 })
  const stale = m.addTask('c', 1, 'source')
  m.removeTask('c', 0, t0)
  m.removeTask('c', 1, t0) // not the current metrics of task 1: kept
  assert.deepEqual(m.tasks(), [stale])
})

test('running and pause ratios follow the time spent in each state', () => {
  const m = new ConnectMetrics({ window: { windowMs: 10_000, samples: 2 } })
  const t = m.addTask('c', 0, 'sink')
  t.setState('RUNNING', Date.now())
  const start = Date.now()
  t.setState('PAUSED', start + 3000)
  const r = t.ratios(start + 4000)
  assert.ok(Math.abs(r.running - 0.75) < 0.01, `running ${r.running}`)
  assert.ok(Math.abs(r.paused - 0.25) < 0.01, `paused ${r.paused}`)
})

test('consumer lag from librdkafka statistics: assigned partitions, the stored (delivered) offset first', () => {
  const json = JSON.stringify({
    topics: {
      b: { partitions: { 0: { partition: 0, consumer_lag: 9, consumer_lag_stored: 4, fetch_state: 'active' }, '-1': { partition: -1, consumer_lag: -1, fetch_state: 'none' } } },
      a: { partitions: { 1: { partition: 1, consumer_lag: 3, fetch_state: 'active' }, 2: { partition: 2, consumer_lag: 5, fetch_state: 'none' }, 0: { partition: 0, consumer_lag: -1, consumer_lag_stored: -1, fetch_state: 'active' } } }
    }
  })
  assert.deepEqual(lagsFromStatistics(json), [{ topic: 'a', partition: 1, lag: 3 }, { topic: 'b', partition: 0, lag: 4 }])
  assert.deepEqual(lagsFromStatistics('not json'), [])
})
