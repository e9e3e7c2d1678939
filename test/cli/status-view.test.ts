/**
 * The live status view against a fake provider and a fake terminal: a small screen model that applies what the view
 * writes (text, \r, \n, cursor up, erase to the end of the screen), so the tests read the screen a user would see.
 */
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { test } from 'node:test'
import { Chalk } from 'chalk'
import {
  RateTracker, StatusView, compactNumber, displayWidth, renderStatusLines, statusViewColorLevel, statusViewWanted, type ViewStream
} from '../../src/cli/status-view.ts'
import type { TaskSnapshot } from '../../src/runtime/metrics/task-snapshot.ts'

/** A terminal's screen (with its scrollback): the lines written, the cursor, and the control sequences the view uses. */
class Screen {
  lines: string[] = ['']
  row = 0
  col = 0
  /** Every escape sequence seen, for the colour checks. */
  escapes: string[] = []

  feed (s: string): void {
    for (let i = 0; i < s.length; i++) {
      const ch = s[i]!
      if (ch === '\x1b') {
        const m = /^\x1b\[(\d*)([A-Za-z])/.exec(s.slice(i))
        assert.ok(m, `unknown escape at ${JSON.stringify(s.slice(i, i + 8))}`)
        this.escapes.push(m[0])
        const n = m[1] === '' ? 1 : Number(m[1])
        if (m[2] === 'A') this.row = Math.max(0, this.row - n)
        else if (m[2] === 'J') { this.lines[this.row] = this.lines[this.row]!.slice(0, this.col); this.lines.length = this.row + 1 } else assert.equal(m[2], 'm', `unexpected escape ${m[0]}`)
        i += m[0].length - 1
      } else if (ch === '\r') {
        this.col = 0
      } else if (ch === '\n') {
        // A terminal's onlcr: \n moves to the start of the next line.
        this.row++
        this.col = 0
        if (this.lines.length <= this.row) this.lines.push('')
      } else {
        const line = this.lines[this.row]!.padEnd(this.col)
        this.lines[this.row] = line.slice(0, this.col) + ch + line.slice(this.col + 1)
        this.col++
      }
    }
  }

  /** The screen's text, colours removed, without the empty line the cursor may sit on. */
  text (): string[] {
    const out = [...this.lines]
    while (out.length > 0 && out[out.length - 1] === '') out.pop()
    return out
  }
}

class FakeTty extends EventEmitter implements ViewStream {
  readonly isTTY = true
  columns: number
  rows = 24
  /** Calls each write's callback, unless a test plays a stuck terminal. */
  stuck = false
  readonly screen: Screen
  constructor (screen: Screen, columns = 120) {
    super()
    this.screen = screen
    this.columns = columns
  }

  write (chunk: string | Uint8Array, ...rest: any[]): boolean {
    this.screen.feed(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString())
    const cb = rest.find(r => typeof r === 'function') as (() => void) | undefined
    if (cb && !this.stuck) process.nextTick(cb)
    return true
  }
}

const plain = new Chalk({ level: 0 })

function snap (over: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return { connector: 'local-file-source', task: 0, type: 'source', state: 'RUNNING', recordsIn: 0, recordsOut: 0, errors: 0, lag: null, lastCommitAt: null, ...over }
}

test('the view shows only on a terminal, outside CI, without --quiet and without JSON logs', () => {
  const tty = { isTTY: true, write: () => true }
  const base = { stream: tty, env: {}, quiet: false, logFormat: 'text' }
  assert.equal(statusViewWanted(base), true)
  assert.equal(statusViewWanted({ ...base, stream: { write: () => true } }), false, 'a pipe or a file')
  assert.equal(statusViewWanted({ ...base, stream: { isTTY: false, write: () => true } }), false)
  assert.equal(statusViewWanted({ ...base, env: { CI: 'true' } }), false)
  assert.equal(statusViewWanted({ ...base, env: { CI: '1' } }), false)
  assert.equal(statusViewWanted({ ...base, env: { CI: 'false' } }), true)
  assert.equal(statusViewWanted({ ...base, env: { CI: '' } }), true)
  assert.equal(statusViewWanted({ ...base, env: { TERM: 'dumb' } }), false, 'no cursor movement')
  assert.equal(statusViewWanted({ ...base, quiet: true }), false)
  assert.equal(statusViewWanted({ ...base, logFormat: 'json' }), false)
})

test('NO_COLOR turns the colours off', () => {
  assert.equal(statusViewColorLevel({ NO_COLOR: '1' }), 0)
})

test('rates come from successive totals; none before the second sample or after a counter went back', () => {
  const r = new RateTracker()
  const key = 'c\u00000'
  assert.deepEqual(r.update([snap({ connector: 'c', recordsIn: 100, recordsOut: 90 })], 10_000).get(key), { in: null, out: null })
  assert.deepEqual(r.update([snap({ connector: 'c', recordsIn: 300, recordsOut: 90 })], 12_000).get(key), { in: 100, out: 0 })
  assert.deepEqual(r.update([snap({ connector: 'c', recordsIn: 5, recordsOut: 5 })], 13_000).get(key), { in: null, out: null }, 'a restarted task')
  assert.deepEqual(r.update([snap({ connector: 'c', recordsIn: 15, recordsOut: 10 })], 13_500).get(key), { in: 20, out: 10 })
  r.update([], 14_000)
  assert.deepEqual(r.update([snap({ connector: 'c', recordsIn: 50 })], 15_000).get(key), { in: null, out: null }, 'a task that went away starts over')
})

test('numbers are compact', () => {
  assert.deepEqual([0, 950, 1000, 12_345, 99_999, 123_456, 4_567_890, 2e9].map(compactNumber), ['0', '950', '1k', '12.3k', '99.9k', '123k', '4.5M', '2G'])
})

test('a line per task: state, rates in and out, totals, lag, errors, time since the last commit', () => {
  const tasks = [
    snap({ connector: 'sink', type: 'sink', recordsIn: 1200, recordsOut: 1150, lag: 7, errors: 2, lastCommitAt: 95_000, state: 'FAILED' }),
    snap({ recordsIn: 40, recordsOut: 40 })
  ]
  const rates = new Map([['sink\u00000', { in: 50, out: 2.5 }], ['local-file-source\u00000', { in: 0, out: null }]])
  const lines = renderStatusLines(tasks, rates, { now: 100_000, width: 200, maxLines: 10, chalk: plain })
  assert.equal(lines.length, 2)
  assert.match(lines[0]!, /^local-file-source\[0\] source RUNNING +in +0\/s +out +-\/s +total 40\/40 +lag - +errors 0 +commit never$/)
  assert.match(lines[1]!, /^sink\[0\] +sink +FAILED +in +50\/s +out +2\.5\/s +total 1\.2k\/1\.1k +lag 7 +errors 2 +commit 5s ago$/)
  assert.ok(!lines.join('').includes('\x1b'), 'no colour at level 0')
  const coloured = renderStatusLines(tasks, rates, { now: 100_000, width: 200, maxLines: 10, chalk: new Chalk({ level: 1 }) })
  assert.ok(coloured[0]!.includes('\x1b[32mRUNNING'), coloured[0])
  assert.ok(coloured[1]!.includes('\x1b[31m\x1b[1mFAILED') || coloured[1]!.includes('\x1b[1m\x1b[31mFAILED'), coloured[1])
})

test('lines are cut to the terminal width, colour codes not counted; too many tasks end in a count', () => {
  const tasks = Array.from({ length: 6 }, (_, i) => snap({ task: i, recordsIn: 10 * i }))
  for (const level of [0, 3] as const) {
    const lines = renderStatusLines(tasks, new Map(), { now: 0, width: 40, maxLines: 4, chalk: new Chalk({ level }) })
    assert.equal(lines.length, 4)
    for (const l of lines.slice(0, 3)) {
      const visible = l.replace(/\x1b\[[0-9;]*m/g, '')
      assert.equal([...visible].length, 40, visible)
      assert.ok(visible.endsWith('…'), visible)
    }
    assert.equal(lines[3]!.replace(/\x1b\[[0-9;]*m/g, ''), '… and 3 more tasks')
  }
})

test('wide characters count two columns, so a line never wraps; control characters in a name are shown as ?', () => {
  assert.equal(displayWidth('日本語-sink'), 11)
  assert.equal(displayWidth('e\u0301🚀'), 3)
  const tasks = [snap({ connector: '日本語-sink', type: 'sink' }), snap({ connector: 'sink-abcdef', type: 'sink' }), snap({ connector: 'a\nb\x1b[2J' })]
  const wide = renderStatusLines(tasks, new Map(), { now: 0, width: 200, maxLines: 10, chalk: plain })
  assert.equal(wide[0], 'a?b?[2J[0]     source RUNNING    in -/s  out -/s  total 0/0  lag -  errors 0  commit never')
  // The type column starts at column 15 on every line, the wide name's included.
  assert.deepEqual(wide.map(l => displayWidth(l.slice(0, l.search(/ (source|sink) /)))), [14, 14, 14], wide.join('\n'))
  assert.ok(wide[2]!.startsWith('日本語-sink[0] sink '), wide[2])
  for (const width of [5, 6, 7, 30]) {
    for (const l of renderStatusLines(tasks, new Map(), { now: 0, width, maxLines: 10, chalk: plain })) assert.ok(displayWidth(l) <= width, `${l} in ${width}`)
  }
})

/** A view on a fake terminal whose stdout shares the screen, refreshed only when the test says. */
function setup (provider: () => TaskSnapshot[], columns = 120): { screen: Screen, stderr: FakeTty, stdout: FakeTty, view: StatusView, clock: { now: number } } {
  const screen = new Screen()
  const stderr = new FakeTty(screen, columns)
  const stdout = new FakeTty(screen, columns)
  const clock = { now: 1_000_000 }
  const view = new StatusView({ provider, stream: stderr, alsoGuard: [stdout], refreshMs: 3_600_000, now: () => clock.now, colorLevel: 0 })
  return { screen, stderr, stdout, view, clock }
}

test('log lines and stdout scroll above the view; the view stays the last lines and is redrawn with new rates', async t => {
  let total = 0
  const { screen, stderr, stdout, view, clock } = setup(() => [snap({ recordsIn: total, recordsOut: total, lastCommitAt: 1_000_000 }), snap({ connector: 'local-file-sink', type: 'sink', recordsIn: total, lag: 0 })])
  t.after(async () => { await view.stop() })
  stderr.write('before the view\n')
  view.start()
  assert.deepEqual(screen.text().slice(0, 1), ['before the view'])
  assert.equal(screen.text().length, 3)
  assert.match(screen.text()[1]!, /^local-file-sink\[0\] +sink +RUNNING +in +-\/s/)

  for (let i = 0; i < 5; i++) {
    stderr.write(`[2026-12-04 19:00:0${i}] INFO log line ${i}\n`)
    stdout.write(`console record ${i}\n`)
  }
  await nextTurn()
  total = 300
  clock.now += 1000
  view.refresh()
  stderr.write('a last log line\n')
  await nextTurn()
  const text = screen.text()
  assert.deepEqual(text.slice(0, -2), ['before the view',
    ...[0, 1, 2, 3, 4].flatMap(i => [`[2026-12-04 19:00:0${i}] INFO log line ${i}`, `console record ${i}`]), 'a last log line'])
  assert.match(text.at(-2)!, /^local-file-sink\[0\] +sink +RUNNING +in +300\/s +out +0\/s +total 300\/0 +lag 0 +errors 0 +commit never$/)
  assert.match(text.at(-1)!, /^local-file-source\[0\] source RUNNING +in +300\/s +out +300\/s +total 300\/300 +lag - +errors 0 +commit 1s ago$/)
})

test('a half-written line is not broken by the view: it is drawn again once the line ends', async t => {
  const { screen, stdout, view } = setup(() => [snap()])
  t.after(async () => { await view.stop() })
  view.start()
  stdout.write('abc')
  view.refresh()
  await nextTurn()
  assert.deepEqual(screen.text(), ['abc'])
  stdout.write('def\n')
  await nextTurn()
  assert.equal(screen.text()[0], 'abcdef')
  assert.match(screen.text()[1]!, /^local-file-source\[0\] source RUNNING/)
  assert.equal(screen.text().length, 2)
})

test('a resize cuts the lines to the new width without a new sample; a provider that throws keeps the last lines', async t => {
  let fail = false
  let calls = 0
  const { screen, stderr, view } = setup(() => { calls++; if (fail) throw new Error('metrics closed'); return [snap()] })
  t.after(async () => { await view.stop() })
  view.start()
  stderr.columns = 21
  stderr.emit('resize')
  assert.equal(calls, 1, 'the rates keep spanning a whole refresh')
  assert.deepEqual(screen.text(), ['local-file-source[0]'.slice(0, 19) + '…'])
  fail = true
  view.refresh()
  stderr.write('line\n')
  await nextTurn()
  assert.deepEqual(screen.text(), ['line', 'local-file-source[0…'])
})

test('stop erases the view and gives the streams their write back, and is bounded when the terminal does not answer', async () => {
  const { screen, stderr, stdout, view } = setup(() => [snap(), snap({ task: 1 })])
  const [errWrite, outWrite] = [stderr.write, stdout.write]
  stderr.write('kept\n')
  view.start()
  assert.notEqual(stdout.write, outWrite)
  assert.equal(screen.text().length, 3)
  stderr.stuck = true
  const started = Date.now()
  await view.stop(100)
  assert.ok(Date.now() - started < 2000)
  assert.deepEqual(screen.text(), ['kept'])
  assert.equal(stderr.write, errWrite)
  assert.equal(stdout.write, outWrite)
  stdout.write('after\n')
  await nextTurn()
  assert.deepEqual(screen.text(), ['kept', 'after'])
  await view.stop() // a second stop does nothing
})
