/**
 * Every stop is bounded: a SIGTERM while the broker is away, and a connector or worker file that is a FIFO nobody
 * writes to, end the process within a bound and say what was left behind. Real processes, real files, a broker of
 * the test's own (it is stopped for the outage).
 */
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { appendFile, mkdtemp, open, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test, type TestContext } from 'node:test'
import { startKafkaBroker } from '../harness/kafka-broker.mjs'
import { spawnCli, type CliProcess } from '../helpers/cli.ts'
import { produceValues } from '../helpers/outage-proxy.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { removeDir } from '../helpers/remove-dir.ts'

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bounded-stop-'))
  t.after(async () => { await removeDir(dir) })
  return dir
}

function workerProperties (dir: string, bootstrap: string, extra: string[] = []): string {
  return [
    `bootstrap.servers=${bootstrap}`,
    'key.converter=StringConverter', 'value.converter=StringConverter',
    'listeners=http://127.0.0.1:0',
    `offset.storage.file.filename=${join(dir, 'connect.offsets')}`,
    'offset.flush.interval.ms=500',
    ...extra
  ].join('\n') + '\n'
}

function mkfifo (path: string): void {
  execFileSync('mkfifo', [path])
}

/** A signal ends the process: by its exit code, or by the signal itself (which a shell reports as 128 + n). */
function exitedBy (exit: { code: number | null, signal: NodeJS.Signals | null }, code: number, signal: NodeJS.Signals): boolean {
  return exit.code === code || (exit.code === null && exit.signal === signal)
}

async function within<T> (promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([promise, new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => { reject(new Error(`${what} did not happen within ${ms} ms`)) }, ms)
    })])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Whether the process has `path` open, or one of its threads is blocked opening a FIFO (the old start-up: a
 * threadpool thread in open(), which Linux shows as waiting in wait_for_partner).
 */
function holdsOpen (cli: CliProcess, path: string): boolean {
  const pid = cli.child.pid ?? 0
  try {
    if (readdirSync(`/proc/${pid}/fd`).some(fd => { try { return readlinkSync(`/proc/${pid}/fd/${fd}`) === path } catch { return false } })) return true
    return readdirSync(`/proc/${pid}/task`).some(tid => { try { return readFileSync(`/proc/${pid}/task/${tid}/wchan`, 'utf8') === 'wait_for_partner' } catch { return false } })
  } catch {
    return false
  }
}

function killLater (t: TestContext, cli: CliProcess): void {
  t.after(() => { cli.kill('SIGKILL') })
}

test('SIGTERM while the broker is away exits within the shutdown bound, with 143, and says what it abandoned', { timeout: 180000 }, async (t) => {
  const dir = await tempDir(t)
  const broker = await startKafkaBroker()
  t.after(async () => { await broker.stop() })
  const topic = 'bounded-stop-outage'
  const source = join(dir, 'source.txt')
  const sink = join(dir, 'sink.txt')
  await writeFile(source, Array.from({ length: 20 }, (_v, i) => `line-${i}`).join('\n') + '\n')
  const graceful = 1500
  const flush = 1000
  await writeFile(join(dir, 'worker.properties'), workerProperties(dir, broker.bootstrapServers, [
    `task.shutdown.graceful.timeout.ms=${graceful}`, `offset.flush.timeout.ms=${flush}`,
    // A short session, so that the outage outlasts it before the signal (the case that hung: the close waits for a group it lost).
    'consumer.session.timeout.ms=6000', 'consumer.heartbeat.interval.ms=1000'
  ]))
  await writeFile(join(dir, 'source.properties'), `name=outage-source\nconnector.class=FileStreamSource\nfile=${source}\ntopic=${topic}\n`)
  await writeFile(join(dir, 'sink.properties'), `name=outage-sink\nconnector.class=FileStreamSink\nfile=${sink}\ntopics=${topic}\n`)
  const cli = spawnCli([join(dir, 'worker.properties'), join(dir, 'source.properties'), join(dir, 'sink.properties')])
  killLater(t, cli)
  await cli.waitForOutput(/Kafka Connect started/, 90000)
  // Both pipelines ran against the broker: every line went through Kafka into the sink's file.
  await waitFor(() => existsSync(sink) && readFileSync(sink, 'utf8').split('\n').filter(Boolean).length === 20, { timeoutMs: 60000, what: 'the sink file to hold the 20 lines' })

  await broker.stop()
  // Records keep coming during the outage: the source reads them, its producer queues them for a broker that is away.
  await appendFile(source, Array.from({ length: 200 }, (_v, i) => `during-outage-${i}`).join('\n') + '\n')
  await cli.waitForOutput(/Kafka producer \S+ lost its connection to Kafka[^]*Kafka consumer \S+ lost its connection to Kafka|Kafka consumer \S+ lost its connection to Kafka[^]*Kafka producer \S+ lost its connection to Kafka/, 30000)
  // The outage lasts longer than the sink's session (6 s) before the signal, as in the report: an outage's length is
  // the condition here, not a synchronisation, and the worker shows it is still waiting for the broker after it.
  const outageMs = 8000
  await new Promise(resolve => setTimeout(resolve, outageMs))
  // Repeats of the outage's warnings are held back (summarised every 30 s): the worker still misses the broker when
  // no client has said that its connection is back.
  assert.doesNotMatch(cli.stderr, /connection to Kafka at \S+ restored/, 'the worker still to miss the broker')
  const before = Date.now()
  cli.kill('SIGTERM')
  // The bound: the tasks' graceful timeout, the offsets flush timeout and the margin of 5 s; a little more for a
  // loaded machine. Without the bound the process never exits.
  const bound = graceful + flush + 5000
  const exit = await within(cli.exited, bound + 10000, 'exit after SIGTERM during the outage')
  const exitedAt = Date.now()
  const took = Date.now() - before
  t.diagnostic(`exit ${JSON.stringify(exit)} after ${took} ms`)
  assert.ok(exitedBy(exit, 143, 'SIGTERM'), `exit ${JSON.stringify(exit)}\n${cli.stderr.slice(-3000)}`)
  assert.ok(took < bound + 10000, `stop took ${took} ms`)
  const output = cli.stdout + cli.stderr
  assert.match(output, /Kafka Connect stopping \(SIGTERM\)/)
  // Once the shutdown is over the process ends: it does not wait for a client's close left running in librdkafka.
  const stoppedAt = /\[(\S+ \S+)\] INFO Kafka Connect stopped/.exec(output)?.[1]
  assert.ok(stoppedAt !== undefined, 'the shutdown logs its end')
  const afterStopped = exitedAt - new Date(`${stoppedAt.replace(' ', 'T')}Z`).getTime()
  assert.ok(afterStopped < 3000, `the process exited ${afterStopped} ms after 'Kafka Connect stopped'`)
  // What was left behind is named: a Kafka client whose close did not finish, or the step the bound cut short.
  assert.match(output, /(Abandoned Kafka clients whose close did not finish in time|Exiting without waiting for native work that did not finish|Shutdown did not finish within \d+ ms).*Kafka (consumer|producer) \S+#(consumer|producer)-\d+: disconnect/)
})

test('SIGTERM while the broker is away and a sink holds uncommitted records exits within the bound', { timeout: 180000 }, async (t) => {
  // The outage is shorter than the session timeout, so the sink still owns its partitions and commits at stop. That
  // commit used to be librdkafka's synchronous one, which waits for the coordinator on the only JavaScript thread:
  // no timer could fire, so neither the graceful timeout nor the final bound could end the stop.
  const dir = await tempDir(t)
  const broker = await startKafkaBroker()
  t.after(async () => { await broker.stop() })
  const topic = 'bounded-stop-uncommitted'
  const sink = join(dir, 'sink.txt')
  const graceful = 1500
  await writeFile(join(dir, 'worker.properties'), workerProperties(dir, broker.bootstrapServers, [
    `task.shutdown.graceful.timeout.ms=${graceful}`, 'offset.flush.timeout.ms=1000'
  ]).replace('offset.flush.interval.ms=500', 'offset.flush.interval.ms=600000'))
  await writeFile(join(dir, 'sink.properties'), `name=uncommitted-sink\nconnector.class=FileStreamSink\nfile=${sink}\ntopics=${topic}\n`)
  const cli = spawnCli([join(dir, 'worker.properties'), join(dir, 'sink.properties')])
  killLater(t, cli)
  await cli.waitForOutput(/Kafka Connect started/, 90000)
  await produceValues(broker.bootstrapServers, topic, Array.from({ length: 20 }, (_v, i) => `line-${i}`))
  await waitFor(() => existsSync(sink) && readFileSync(sink, 'utf8').split('\n').filter(Boolean).length === 20, { timeoutMs: 60000, what: 'the sink file to hold the 20 lines' })

  await broker.stop()
  await cli.waitForOutput(/Kafka consumer \S+ lost its connection to Kafka/, 30000)
  const before = Date.now()
  cli.kill('SIGTERM')
  const bound = graceful + 5000
  const exit = await within(cli.exited, bound + 10000, 'exit after SIGTERM during the outage')
  const took = Date.now() - before
  t.diagnostic(`exit ${JSON.stringify(exit)} after ${took} ms`)
  assert.ok(exitedBy(exit, 143, 'SIGTERM'), `exit ${JSON.stringify(exit)}\n${cli.stderr.slice(-3000)}`)
  assert.match(cli.stderr, /Kafka Connect stopped/)
})

test('a connector file that is a FIFO with no writer: SIGTERM exits within 2 s', { timeout: 60000 }, async (t) => {
  const dir = await tempDir(t)
  await writeFile(join(dir, 'worker.properties'), workerProperties(dir, process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9'))
  const fifo = join(dir, 'connector.properties')
  mkfifo(fifo)
  const cli = spawnCli([join(dir, 'worker.properties'), fifo], { env: { CONNECT_PIPE_READ_TIMEOUT_MS: '120000' } })
  killLater(t, cli)
  // The connector files are read once the worker runs (Kafka answered, the offsets file is locked and read).
  await waitFor(() => existsSync(join(dir, 'connect.offsets.lock')) && holdsOpen(cli, fifo) ? true : null,
    { timeoutMs: 45000, what: `the worker to open the connector file; got:\n${cli.stderr}` })
  const before = Date.now()
  cli.kill('SIGTERM')
  const exit = await within(cli.exited, 5000, 'exit after SIGTERM')
  assert.ok(exitedBy(exit, 143, 'SIGTERM'), `exit ${JSON.stringify(exit)}\n${cli.stderr.slice(-3000)}`)
  assert.ok(Date.now() - before < 2500, `stop took ${Date.now() - before} ms`)
  assert.equal(existsSync(join(dir, 'connect.offsets.lock')), false, 'the offsets file lock is released')
})

test('a connector file that is a FIFO with no writer fails start-up after the pipe bound, naming the file', { timeout: 60000 }, async (t) => {
  const dir = await tempDir(t)
  await writeFile(join(dir, 'worker.properties'), workerProperties(dir, process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9'))
  const fifo = join(dir, 'connector.properties')
  mkfifo(fifo)
  const cli = spawnCli([join(dir, 'worker.properties'), fifo], { env: { CONNECT_PIPE_READ_TIMEOUT_MS: '1500' } })
  killLater(t, cli)
  const exit = await within(cli.exited, 45000, 'exit on the FIFO without a writer')
  assert.equal(exit.code, 3, cli.stderr)
  assert.match(cli.stderr, new RegExp(`Cannot read file '${fifo}': it is a pipe \\(FIFO\\) and nothing was written to it within 1500 ms`))
})

test('a worker file that is a FIFO with no writer: SIGTERM during start-up exits within 2 s with 143', { timeout: 60000 }, async (t) => {
  const dir = await tempDir(t)
  const fifo = join(dir, 'worker.properties')
  mkfifo(fifo)
  const cli = spawnCli([fifo], { env: { CONNECT_PIPE_READ_TIMEOUT_MS: '120000' } })
  killLater(t, cli)
  await waitFor(() => holdsOpen(cli, fifo) ? true : null, { timeoutMs: 30000, what: 'the worker to open the FIFO' })
  const before = Date.now()
  cli.kill('SIGTERM')
  const exit = await within(cli.exited, 5000, 'exit after SIGTERM during start-up')
  assert.ok(exitedBy(exit, 143, 'SIGTERM'), `exit ${JSON.stringify(exit)}\n${cli.stderr}`)
  assert.ok(Date.now() - before < 2500, `stop took ${Date.now() - before} ms`)
})

test('SIGTERM while Kafka is being tried at start-up exits within 2 s with 143 and releases the offsets file lock', { timeout: 60000 }, async (t) => {
  const dir = await tempDir(t)
  // Port 9 (discard) refuses: the worker keeps trying for its start-up bound.
  await writeFile(join(dir, 'worker.properties'), workerProperties(dir, '127.0.0.1:9'))
  const cli = spawnCli([join(dir, 'worker.properties')])
  killLater(t, cli)
  const lock = join(dir, 'connect.offsets.lock')
  await waitFor(() => existsSync(lock) ? true : null, { timeoutMs: 30000, what: 'the offsets file lock' })
  const before = Date.now()
  cli.kill('SIGTERM')
  const exit = await within(cli.exited, 5000, 'exit after SIGTERM during start-up')
  assert.equal(exit.code, 143, `exit ${JSON.stringify(exit)}\n${cli.stderr}`)
  assert.ok(Date.now() - before < 2500, `stop took ${Date.now() - before} ms`)
  assert.match(cli.stderr, /Received SIGTERM during start-up, exiting/)
  assert.equal(existsSync(lock), false, 'the offsets file lock is released')
})

test('a FIFO whose writer comes later, and the shell\'s <(cat file), still work as connector files', { timeout: 90000 }, async (t) => {
  const dir = await tempDir(t)
  await writeFile(join(dir, 'worker.properties'), workerProperties(dir, process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9'))
  const fifo = join(dir, 'late.properties')
  mkfifo(fifo)
  await writeFile(join(dir, 'substituted.properties'), `name=substituted\nconnector.class=FileStreamSink\nfile=${join(dir, 'b.txt')}\ntopics=bounded-stop-unused\n`)
  // Through bash, as a user types it: the connector file is /dev/fd/N, a pipe with cat writing into it.
  const entry = fileURLToPath(new URL('../helpers/run-cli.ts', import.meta.url))
  const tsx = import.meta.resolve('tsx')
  const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`
  const child = spawn('bash', ['-c', `exec ${quote(process.execPath)} --import ${quote(tsx)} ${quote(entry)} ${quote(join(dir, 'worker.properties'))} ${quote(fifo)} <(cat ${quote(join(dir, 'substituted.properties'))})`],
    { env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => { output += d.toString() })
  child.stderr.on('data', (d: Buffer) => { output += d.toString() })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>(resolve => child.on('exit', (code, signal) => { resolve({ code, signal }) }))
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  // The writer of the named FIFO comes while the worker waits for it.
  const writer = await open(fifo, 'w')
  await writer.write(`name=late\nconnector.class=FileStreamSink\nfile=${join(dir, 'a.txt')}\ntopics=bounded-stop-unused\n`)
  await writer.close()
  await waitFor(() => /Kafka Connect started/.test(output) ? true : null, { timeoutMs: 60000, what: `the worker to start; got:\n${output}` })
  assert.match(output, /Created connector late from /)
  assert.match(output, /Created connector substituted from \/dev\/fd\//)
  child.kill('SIGTERM')
  const exit = await within(exited, 30000, 'exit after SIGTERM')
  assert.equal(exit.code, 143, output)
})

// A plain-JS plugin whose connector never finishes stop(): nothing bounds it but the shutdown's final deadline.
const STUCK_CONNECTOR_PLUGIN = `
const configDef = { keys: () => [], validate: () => [], names: () => [], has: () => false, get: () => undefined }
class IdleTask {
  initialize () {}
  version () { return '1' }
  start () {}
  poll () { return new Promise(resolve => setTimeout(() => resolve([]), 100)) }
  stop () {}
}
class StuckConnector {
  kind = 'source'
  initialize () {}
  version () { return '1' }
  start () {}
  taskClass () { return IdleTask }
  taskConfigs () { return [{}] }
  stop () { return new Promise(() => {}) }
  config () { return configDef }
  validate () { return [] }
}
export default { apiVersion: 1, plugins: [{ kind: 'source', className: 'com.example.StuckSource', version: '1', create: () => new StuckConnector() }] }
`

test('a shutdown step that never ends is cut at the final bound, named, and the process exits with 143', { timeout: 90000 }, async (t) => {
  const dir = await tempDir(t)
  await writeFile(join(dir, 'stuck.mjs'), STUCK_CONNECTOR_PLUGIN)
  const graceful = 500
  const flush = 500
  await writeFile(join(dir, 'worker.properties'), workerProperties(dir, process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9', [
    `task.shutdown.graceful.timeout.ms=${graceful}`, `offset.flush.timeout.ms=${flush}`, `plugin.path=${join(dir, 'stuck.mjs')}`
  ]))
  await writeFile(join(dir, 'stuck.properties'), 'name=stuck\nconnector.class=StuckSource\n')
  const cli = spawnCli([join(dir, 'worker.properties'), join(dir, 'stuck.properties')])
  killLater(t, cli)
  await cli.waitForOutput(/Kafka Connect started/)
  const before = Date.now()
  cli.kill('SIGTERM')
  const bound = graceful + flush + 5000
  const exit = await within(cli.exited, bound + 10000, 'exit after SIGTERM with a connector that never stops')
  const took = Date.now() - before
  assert.ok(exitedBy(exit, 143, 'SIGTERM'), `exit ${JSON.stringify(exit)}\n${cli.stderr.slice(-3000)}`)
  assert.ok(took >= bound - 500 && took < bound + 10000, `stop took ${took} ms`)
  assert.match(cli.stderr, new RegExp(`Shutdown did not finish within ${bound} ms \\(task\\.shutdown\\.graceful\\.timeout\\.ms ${graceful} \\+ offset\\.flush\\.timeout\\.ms ${flush} \\+ 5000 ms\\): abandoned while stopping the connectors and their tasks`))
})
