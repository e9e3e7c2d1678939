/**
 * The Kafka clients' problem log on its own, with librdkafka's texts as the real broker's outage gave them (see
 * rdkafka-client-logging.test.ts for the same on the real broker): a clock of the test's own, a probe it answers.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ClientProblemLog, isConnectionProblem, normaliseProblem, QUIET_MS, SUMMARY_EVERY_MS } from '../../src/kafka/client-problem-log.ts'
import { createLogger, setLogSink, withLogContext } from '../../src/util/logger.ts'
import { waitFor } from '../helpers/wait-for.ts'

const REFUSED = [
  '[thrd:127.0.0.1:38005/1]: 127.0.0.1:38005/1: Connect to ipv4#127.0.0.1:38005 failed: Connection refused (after 0ms in state CONNECT)',
  '[thrd:127.0.0.1:38005/bootstrap]: 127.0.0.1:38005/bootstrap: Connect to ipv4#127.0.0.1:38005 failed: Connection refused (after 0ms in state CONNECT, 1 identical error(s) suppressed)',
  '[thrd:GroupCoordinator]: GroupCoordinator: 127.0.0.1:38005: Connect to ipv4#127.0.0.1:38005 failed: Connection refused (after 12ms in state CONNECT, 3 identical error(s) suppressed)'
]

test('librdkafka reports of one refused broker are one kind of problem, with the address kept', () => {
  const kinds = new Set(REFUSED.map(normaliseProblem))
  assert.deepEqual([...kinds], ['127.0.0.1:38005: Connect to ipv4#127.0.0.1:38005 failed: Connection refused'])
  assert.equal(normaliseProblem('1/3 brokers are down'), normaliseProblem('2/3 brokers are down'))
  // Another broker, or another reason, is another kind.
  assert.notEqual(normaliseProblem(REFUSED[0]!), normaliseProblem(REFUSED[0]!.replaceAll('38005', '38006')))
  assert.notEqual(normaliseProblem(REFUSED[0]!), normaliseProblem(REFUSED[0]!.replace('Connection refused', 'Connection timed out')))
  assert.ok(REFUSED.every(isConnectionProblem))
  assert.ok(isConnectionProblem('all broker connections are down'))
  assert.ok(!isConnectionProblem('Broker: Unknown topic or partition'))
})

interface Harness { lines: string[], problems: ClientProblemLog, clock: { now: number }, probe: { ok: boolean, calls: number } }

function harness (t: { after: (fn: () => void) => void }): Harness {
  const lines: string[] = []
  setLogSink({ write: line => { lines.push(line) } })
  const clock = { now: 1_000_000 }
  const probe = { ok: false, calls: 0 }
  // Created inside a task's log context, as the worker creates its clients; reports arrive outside it.
  const problems = withLogContext('my-sink|task-0', () => new ClientProblemLog({
    logger: createLogger('WorkerSinkTask'),
    client: 'Kafka consumer connector-consumer-my-sink-0',
    bootstrap: '127.0.0.1:38005',
    probe: async () => { probe.calls++; return probe.ok },
    now: () => clock.now,
    probeEveryMs: 5
  }))
  t.after(() => { problems.close(); setLogSink({ write: line => process.stderr.write(line) }) })
  return { lines, problems, clock, probe }
}

test('an outage: the first report at once, repeats held back, a summary every 30 s, one line when Kafka answers', async (t) => {
  const { lines, problems, clock, probe } = harness(t)
  // 25 s of reports as librdkafka gives them, about 9 a second.
  for (let i = 0; i < 225; i++) {
    clock.now += 111
    problems.report(i % 3 === 0 ? 'all broker connections are down' : i % 3 === 1 ? 'broker transport failure' : REFUSED[i % 3]!)
  }
  const warns = lines.filter(l => / WARN /.test(l))
  assert.equal(warns.length, 2, lines.join(''))
  assert.match(warns[0]!, /\[my-sink\|task-0\] Kafka consumer connector-consumer-my-sink-0 lost its connection to Kafka at 127\.0\.0\.1:38005: all broker connections are down/)
  assert.match(warns[1]!, /\[my-sink\|task-0\] .*Connect to ipv4#127\.0\.0\.1:38005 failed: Connection refused \(nothing accepts connections there/)
  assert.doesNotMatch(warns.join(''), /identical|after 0ms|\/bootstrap/)

  clock.now += SUMMARY_EVERY_MS
  await waitFor(() => lines.some(l => /still unreachable/.test(l)), { timeoutMs: 5000, what: `the summary; got:\n${lines.join('')}` })
  const summary = lines.find(l => /still unreachable/.test(l))!
  assert.match(summary, /\[my-sink\|task-0\] .*Kafka at 127\.0\.0\.1:38005 still unreachable after 5\d s \(last: 127\.0\.0\.1:38005: Connect to .* Connection refused\); 223 similar messages suppressed/)
  assert.equal(lines.filter(l => /still unreachable/.test(l)).length, 1)

  // Kafka answers, and nothing was reported for QUIET_MS: one line, at INFO.
  probe.ok = true
  clock.now += QUIET_MS
  await waitFor(() => lines.some(l => /restored/.test(l)), { timeoutMs: 5000, what: `the recovery line; got:\n${lines.join('')}` })
  assert.match(lines.at(-1)!, /INFO \[my-sink\|task-0\] Kafka consumer connector-consumer-my-sink-0: connection to Kafka at 127\.0\.0\.1:38005 restored after 5\d s/)
  assert.equal(problems.inOutage, false)
  // The next outage is reported again.
  problems.report(REFUSED[0]!)
  assert.match(lines.at(-1)!, /WARN .*lost its connection/)
})

test('Kafka answering while a broker is still reported down is not the end of the outage', async (t) => {
  const { lines, problems, clock, probe } = harness(t)
  probe.ok = true
  problems.report(REFUSED[0]!)
  // The probe timer ticks every 5 ms here; reports keep coming every 500 ms of the test's clock, so the outage is
  // never quiet: no probe is sent (each would hold a threadpool thread for nothing) and the outage goes on.
  for (let i = 0; i < 20; i++) {
    const ticks = Date.now() + 20
    await waitFor(() => Date.now() >= ticks, { timeoutMs: 5000, what: 'a few probe timer ticks' })
    clock.now += 500
    problems.report(REFUSED[1]!)
  }
  assert.equal(probe.calls, 0, 'no probe while failures are still reported')
  assert.equal(problems.inOutage, true)
  assert.ok(!lines.some(l => /restored/.test(l)), lines.join(''))
  // Quiet for QUIET_MS: now a probe goes out, and its answer ends the outage.
  clock.now += QUIET_MS
  await waitFor(() => lines.some(l => /restored/.test(l)), { timeoutMs: 5000, what: `the recovery line; got:\n${lines.join('')}` })
  assert.ok(probe.calls >= 1)
})

test('a new problem during an outage and a fatal error are never held back; other problems repeat every 30 s at most', (t) => {
  const { lines, problems, clock } = harness(t)
  problems.report(REFUSED[0]!)
  problems.report(REFUSED[0]!.replace('Connection refused', 'Connection timed out'))
  assert.equal(lines.length, 2)
  assert.match(lines[1]!, /Connection timed out \(no answer/)
  problems.report('Local: Fatal error', { fatal: true })
  problems.report('Local: Fatal error', { fatal: true })
  assert.equal(lines.filter(l => / ERROR \[my-sink\|task-0\] .*fatal error: Local: Fatal error/.test(l)).length, 2)

  lines.length = 0
  for (let i = 0; i < 50; i++) { problems.report('Broker: Unknown topic or partition'); clock.now += 100 }
  assert.equal(lines.length, 1)
  assert.match(lines[0]!, /WARN \[my-sink\|task-0\] Kafka consumer connector-consumer-my-sink-0: Broker: Unknown topic or partition \(retrying\)/)
  clock.now += SUMMARY_EVERY_MS
  problems.report('Broker: Unknown topic or partition')
  assert.equal(lines.length, 2)
  assert.match(lines[1]!, /\(49 similar messages suppressed in the last 3\d s\)/)

  problems.close()
  problems.report('Broker: Another problem')
  assert.equal(lines.length, 2)
})
