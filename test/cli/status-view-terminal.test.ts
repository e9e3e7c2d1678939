/**
 * The live status view in a real terminal: tmux runs the README's quick start (the embedded broker, FileStreamSource
 * -> FileStreamSink) plus a console sink writing the same records to stdout, and the test reads the screen with
 * capture-pane: one line per task with RUNNING and a non-zero rate, the log lines and the console sink's lines whole
 * above it, no stale copy of the view in the scrollback, nothing of it left after Ctrl-C. A run whose stdout and stderr
 * are a pipe writes no escape code at all, nor does --quiet show a view. Skipped with a message when tmux is missing
 * (.ci/run installs it).
 */
import assert from 'node:assert/strict'
import { execFile, execFileSync } from 'node:child_process'
import { appendFile, cp, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { test, type TestContext } from 'node:test'
import { ROOT } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { waitFor } from '../helpers/wait-for.ts'

const run = promisify(execFile)
const ENTRY = fileURLToPath(new URL('../helpers/run-cli.ts', import.meta.url))
const TSX = fileURLToPath(import.meta.resolve('tsx'))

function tmuxMissing (): string | false {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' })
    return false
  } catch {
    return 'tmux is not installed: the status view needs a real terminal to be tested (.ci/run installs tmux)'
  }
}

const SKIP = tmuxMissing()

/** A tmux server of the test's own (its own socket), one window of 150 x 40 running a plain shell in `dir`. */
async function terminal (t: TestContext, dir: string): Promise<{ send: (...keys: string[]) => Promise<void>, screen: (opts?: { history?: boolean, escapes?: boolean }) => Promise<string> }> {
  const socket = `status-view-${process.pid}-${Date.now()}`
  const tmux = async (...args: string[]): Promise<string> => (await run('tmux', ['-L', socket, ...args], { encoding: 'utf8' })).stdout
  // Without CI, NO_COLOR and FORCE_COLOR of the test's own environment: the terminal alone decides.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['CI', 'NO_COLOR', 'FORCE_COLOR', 'TMUX'].includes(k))) as Record<string, string>
  await run('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-x', '150', '-y', '40', '-c', dir, 'env', '-u', 'CI', '-u', 'NO_COLOR', '-u', 'FORCE_COLOR', 'PS1=$ ', 'bash', '--noprofile', '--norc'], { env: { ...env, TERM: 'xterm-256color' } })
  t.after(async () => { await tmux('kill-server').catch(() => {}) })
  return {
    send: async (...keys) => { await tmux('send-keys', ...keys) },
    screen: async (opts = {}) => await tmux('capture-pane', '-p', '-J', ...(opts.history ? ['-S', '-'] : []), ...(opts.escapes ? ['-e'] : []))
  }
}

/** The quick start in a temporary copy of examples/, its REST port free, and a console sink beside the file sink. */
async function quickStart (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'status-view-'))
  t.after(async () => { await removeDir(dir) })
  await cp(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true })
  const worker = join(dir, 'examples', 'worker.properties')
  await writeFile(worker, (await readFile(worker, 'utf8')).replace(/^listeners=.*$/m, 'listeners=http://127.0.0.1:0'))
  await writeFile(join(dir, 'examples', 'connect-console-sink.properties'), 'name=console-sink\nconnector.class=FileStreamSink\ntopics=connect-test\n')
  return dir
}

const COMMAND = `node --import ${TSX} ${ENTRY} --embedded-broker examples/worker.properties examples/connect-file-source.properties examples/connect-file-sink.properties examples/connect-console-sink.properties`
const VIEW_LINE = /^(local-file-source|local-file-sink|console-sink)\[0\] +(source|sink) +[A-Z]+ +in +\S+\/s +out +\S+\/s +total /

/** Appends numbered lines to the source's file every 100 ms, so that records keep flowing. */
function feed (t: TestContext, file: string): { count: () => number, stop: () => void } {
  let n = 0
  // Errors ignored: the directory may go before the after-hook that stops this.
  const timer = setInterval(() => { appendFile(file, `status-view-line-${n++}\n`).catch(() => {}) }, 100)
  t.after(() => { clearInterval(timer) })
  return { count: () => n, stop: () => { clearInterval(timer) } }
}

test('the quick start in a terminal: one line per task under the log, RUNNING with a non-zero rate, gone after Ctrl-C', { skip: SKIP, timeout: 90_000 }, async t => {
  const dir = await quickStart(t)
  const term = await terminal(t, dir)
  await term.send(COMMAND, 'Enter')
  await waitFor(async () => /Kafka Connect started in/.test(await term.screen({ history: true })), { timeoutMs: 45_000, what: 'the worker to start' })
  const fed = feed(t, join(dir, 'examples', 'test.txt'))

  // The source's line shows records flowing in and out: at least 1 record/s each way.
  const source = /^local-file-source\[0\] +source +RUNNING +in +(?!0\/s|-\/s)\S+\/s +out +(?!0\/s|-\/s)\S+\/s/m
  const screen = await waitFor(async () => {
    const s = await term.screen()
    return source.test(s) && /^local-file-sink\[0\] +sink +RUNNING /m.test(s) && /^console-sink\[0\] +sink +RUNNING .* total [1-9]/m.test(s) &&
      /^status-view-line-\d+$/m.test(s) ? s : null
  }, { timeoutMs: 30_000, what: 'the view with RUNNING tasks and a rate, and the console sink\'s lines' })

  // The view is the last three lines of the screen, one per task, sorted by connector.
  const lines = screen.split('\n').filter(l => l.trim() !== '')
  assert.deepEqual(lines.slice(-3).map(l => VIEW_LINE.exec(l)?.[1]), ['console-sink', 'local-file-sink', 'local-file-source'], screen)
  // Colour on a colour terminal: RUNNING in green.
  assert.match(await term.screen({ escapes: true }), /\x1b\[32mRUNNING/)

  // Nothing stale in the scrollback: exactly one copy of the view; every log line whole and starting its own line;
  // the console sink's records each on a line of their own, in order.
  const history = (await term.screen({ history: true })).split('\n')
  assert.equal(history.filter(l => VIEW_LINE.test(l)).length, 3, history.join('\n'))
  const started = history.findIndex(l => /Kafka Connect started in/.test(l))
  assert.ok(started >= 0)
  const quickStartLines = (await readFile(join(ROOT, 'examples', 'test.txt'), 'utf8')).split('\n')
  for (const l of history.slice(started + 1)) {
    if (l.trim() === '' || VIEW_LINE.test(l)) continue
    const whole = /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] (ERROR|WARN|INFO|DEBUG) /.test(l) || /^status-view-line-\d+$/.test(l) || quickStartLines.includes(l)
    assert.ok(whole && !/\/s +(out|total) /.test(l), `a garbled line: ${JSON.stringify(l)}\n${history.join('\n')}`)
  }
  const records = history.filter(l => /^status-view-line-\d+$/.test(l)).map(l => Number(l.slice('status-view-line-'.length)))
  assert.ok(records.length > 0, history.join('\n'))
  assert.deepEqual(records, records.map((_, i) => records[0]! + i), 'the console sink\'s lines whole and in order')

  // Ctrl-C: the worker stops and the view is erased.
  fed.stop()
  await term.send('C-c')
  const after = await waitFor(async () => {
    const s = await term.screen({ history: true })
    return /Kafka Connect stopped/.test(s) && /^\$ ?$/m.test(s.split(/Kafka Connect stopped.*\n/)[1] ?? '') ? s : null
  }, { timeoutMs: 30_000, what: 'the worker to stop and the shell prompt' })
  assert.equal(after.split('\n').filter(l => VIEW_LINE.test(l)).length, 0, after)
})

test('a run whose stdout and stderr are a pipe has no view and writes no escape code', { skip: SKIP, timeout: 90_000 }, async t => {
  const dir = await quickStart(t)
  const term = await terminal(t, dir)
  // The reader ignores Ctrl-C, so that it reads the worker's last lines.
  await term.send(`${COMMAND} 2>&1 | (trap '' INT; cat > out.txt)`, 'Enter')
  const out = join(dir, 'out.txt')
  await waitFor(async () => /Kafka Connect started in/.test(await readFile(out, 'utf8').catch(() => '')), { timeoutMs: 45_000, what: 'the worker to start' })
  const fed = feed(t, join(dir, 'examples', 'test.txt'))
  await waitFor(async () => fed.count() > 5 && /status-view-line-3\n/.test(await readFile(out, 'utf8')), { timeoutMs: 30_000, what: 'records on stdout' })
  fed.stop()
  await term.send('C-c')
  const text = await waitFor(async () => {
    const s = await readFile(out, 'utf8')
    return /Kafka Connect stopped/.test(s) ? s : null
  }, { timeoutMs: 30_000, what: 'the worker to stop' })
  assert.ok(!text.includes('\x1b'), `an escape code in a pipe:\n${text}`)
  assert.ok(!text.split('\n').some(l => VIEW_LINE.test(l)), text)
})

test('--quiet: no view in a terminal, the log and the console sink\'s lines as without it', { skip: SKIP, timeout: 90_000 }, async t => {
  const dir = await quickStart(t)
  const term = await terminal(t, dir)
  await term.send(`${COMMAND} --quiet`, 'Enter')
  await waitFor(async () => /Kafka Connect started in/.test(await term.screen({ history: true })), { timeoutMs: 45_000, what: 'the worker to start' })
  const fed = feed(t, join(dir, 'examples', 'test.txt'))
  // A view is drawn as soon as the worker started, and again each second: past one refresh.
  const history = await waitFor(async () => {
    const s = await term.screen({ history: true })
    return fed.count() > 15 && /^status-view-line-3$/m.test(s) ? s : null
  }, { timeoutMs: 30_000, what: 'records on the terminal' })
  fed.stop()
  assert.ok(!history.split('\n').some(l => VIEW_LINE.test(l)), history)
  await term.send('C-c')
  await waitFor(async () => /Kafka Connect stopped/.test(await term.screen({ history: true })), { timeoutMs: 30_000, what: 'the worker to stop' })
})
