import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DataError, RetriableError, sourceRecord } from '../../../src/api/index.ts'
import { createLogger } from '../../../src/util/logger.ts'
import { recordCoordinates } from '../../../src/runtime/errors/error-reporters.ts'
import {
  RetryWithToleranceOperator, SKIP, ToleranceExceededError, retryDelay, type ErrorReporter, type ProcessingFailure
} from '../../../src/runtime/errors/retry-with-tolerance-operator.ts'

const logger = createLogger('test')
const record = sourceRecord({ topic: 't', sourcePartition: { file: 'a' }, sourceOffset: { position: 7 }, value: 'v' })

function collecting (): ErrorReporter & { seen: ProcessingFailure[] } {
  const seen: ProcessingFailure[] = []
  return { seen, report: f => { seen.push(f) } }
}

test('backoff doubles from 300 ms, jitters below the cap once past it, and never passes the deadline', () => {
  assert.deepEqual([1, 2, 3, 4].map(a => retryDelay(a, 60000, Infinity)), [300, 600, 1200, 2400])
  assert.equal(retryDelay(3, 1000, Infinity, () => 0.5), 500)
  assert.equal(retryDelay(3, 1000, Infinity, () => 0), 0)
  assert.equal(retryDelay(4, 60000, 50), 50)
})

test('the happy path is synchronous and returns the stage result', () => {
  const op = RetryWithToleranceOperator.failFast(logger, recordCoordinates)
  assert.equal(op.execute('VALUE_CONVERTER', 'C', record, () => 42), 42)
})

test('tolerance none: the first failure throws with stage, class and the record\'s coordinates', () => {
  const reporter = collecting()
  const op = new RetryWithToleranceOperator({ tolerance: 'none', retryTimeoutMs: 0, retryDelayMaxMs: 60000 }, [reporter], logger, recordCoordinates)
  assert.throws(() => op.execute('TRANSFORMATION', 'com.example.Smt', record, () => { throw new DataError('bad field') }), (err: unknown) => {
    assert.ok(err instanceof ToleranceExceededError)
    assert.match(err.message, /^Tolerance exceeded in error handler \(stage TRANSFORMATION, class com\.example\.Smt, record topic=t sourcePartition=\{file=a\} sourceOffset=\{position=7\}\): bad field$/)
    assert.equal((err.cause as Error).message, 'bad field')
    return true
  })
  assert.equal(reporter.seen.length, 1, 'reporters see the failure before the task fails')
})

test('tolerance all: a failure is reported and the record skipped', () => {
  const reporter = collecting()
  const op = new RetryWithToleranceOperator({ tolerance: 'all', retryTimeoutMs: 0, retryDelayMaxMs: 60000 }, [reporter], logger, recordCoordinates)
  assert.equal(op.execute('KEY_CONVERTER', 'K', record, () => { throw new Error('nope') }), SKIP)
  assert.equal(reporter.seen[0]!.stage, 'KEY_CONVERTER')
  assert.equal(reporter.seen[0]!.executingClass, 'K')
  const { lastErrorAt, ...counts } = op.counters
  assert.deepEqual(counts, { failures: 1, skipped: 1, retries: 0, attemptFailures: 1 })
  assert.ok(lastErrorAt > 0 && lastErrorAt <= Date.now(), 'the last error time is set')
})

test('a RetriableError is retried until it succeeds, within errors.retry.timeout', async () => {
  let calls = 0
  const op = new RetryWithToleranceOperator({ tolerance: 'none', retryTimeoutMs: 10_000, retryDelayMaxMs: 1 }, [], logger, recordCoordinates)
  const outcome = op.execute('TRANSFORMATION', 'S', record, () => {
    calls++
    if (calls < 3) throw new RetriableError('not yet')
    return 'done'
  })
  assert.ok(outcome instanceof Promise)
  assert.equal(await outcome, 'done')
  assert.equal(calls, 3)
  assert.equal(op.counters.retries, 2)
  assert.equal(op.counters.attemptFailures, 2, 'two attempts failed before the third succeeded')
  assert.equal(op.counters.failures, 0, 'no record failed')
})

test('exhausted retries fail the task with none and skip with all (not a silent drop)', async () => {
  const failing = (): never => { throw new RetriableError('still down') }
  const none = new RetryWithToleranceOperator({ tolerance: 'none', retryTimeoutMs: 30, retryDelayMaxMs: 5 }, [], logger, recordCoordinates)
  await assert.rejects(async () => await none.execute('VALUE_CONVERTER', 'V', record, failing), ToleranceExceededError)
  const reporter = collecting()
  const all = new RetryWithToleranceOperator({ tolerance: 'all', retryTimeoutMs: 30, retryDelayMaxMs: 5 }, [reporter], logger, recordCoordinates)
  assert.equal(await all.execute('VALUE_CONVERTER', 'V', record, failing), SKIP)
  assert.ok(reporter.seen[0]!.attempts >= 2)
})

test('a non-retriable error during retries stops retrying at once', async () => {
  let calls = 0
  const op = new RetryWithToleranceOperator({ tolerance: 'all', retryTimeoutMs: 10_000, retryDelayMaxMs: 1 }, [], logger, recordCoordinates)
  const outcome = await op.execute('TRANSFORMATION', 'S', record, () => {
    calls++
    if (calls === 1) throw new RetriableError('blip')
    throw new DataError('broken for good')
  })
  assert.equal(outcome, SKIP)
  assert.equal(calls, 2)
})

test('stopping the task ends a retry wait', async () => {
  const abort = new AbortController()
  const op = new RetryWithToleranceOperator({ tolerance: 'all', retryTimeoutMs: -1, retryDelayMaxMs: 60_000 }, [], logger, recordCoordinates, abort.signal)
  const outcome = op.execute('TRANSFORMATION', 'S', record, () => { throw new RetriableError('forever') })
  abort.abort()
  assert.equal(await outcome, SKIP)
})

test('a stage that waits is under the same policy: a rejected RetriableError is retried, a rejected DataError skipped or fatal', async () => {
  let calls = 0
  const op = new RetryWithToleranceOperator({ tolerance: 'none', retryTimeoutMs: 10_000, retryDelayMaxMs: 1 }, [], logger, recordCoordinates)
  const outcome = op.execute('VALUE_CONVERTER', 'io.confluent.connect.avro.AvroConverter', record, async () => {
    calls++
    if (calls < 3) throw new RetriableError('registry unreachable')
    return Buffer.from('ok')
  })
  assert.ok(outcome instanceof Promise)
  assert.deepEqual(await outcome, Buffer.from('ok'))
  assert.equal(calls, 3)
  assert.equal(op.counters.retries, 2)

  const reporter = collecting()
  const all = new RetryWithToleranceOperator({ tolerance: 'all', retryTimeoutMs: 10_000, retryDelayMaxMs: 1 }, [reporter], logger, recordCoordinates)
  assert.equal(await all.execute('VALUE_CONVERTER', 'V', record, async () => { throw new DataError('incompatible schema') }), SKIP)
  assert.equal(reporter.seen[0]!.error.message, 'incompatible schema')
  const none = RetryWithToleranceOperator.failFast(logger, recordCoordinates)
  await assert.rejects(async () => await none.execute('VALUE_CONVERTER', 'V', record, async () => { throw new DataError('incompatible schema') }), ToleranceExceededError)
})
