/**
 * Two runners on one offsets file (or one connector configs file) would both run every connector and deliver
 * everything twice: the second is refused while the first runs, and a runner that stopped, cleanly or by SIGKILL, does
 * not block the next start. Real processes through the CLI, on the real broker.
 */
import assert from 'node:assert/strict'
import { access, mkdtemp, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { kafkaBootstrap } from '../harness/kafka.ts'
import { spawnCli, type CliProcess } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'state-lock-'))
  t.after(async () => { await removeDir(dir) })
  return dir
}

async function workerFile (dir: string, name: string, settings: string[]): Promise<string> {
  const file = join(dir, name)
  await writeFile(file, [
    `bootstrap.servers=${kafkaBootstrap()}`,
    'key.converter=StringConverter', 'value.converter=StringConverter',
    'listeners=http://127.0.0.1:0',
    ...settings
  ].join('\n') + '\n')
  return file
}

/** A runner that has started; killed at the end of the test whatever happened. */
async function startRunner (t: TestContext, worker: string): Promise<{ cli: CliProcess, restUrl: string }> {
  const cli = spawnCli([worker])
  t.after(() => cli.kill('SIGKILL'))
  await cli.waitForOutput(/Kafka Connect started/)
  const restUrl = /REST (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.stderr)?.[1]
  assert.ok(restUrl, `no REST address in:\n${cli.stderr}`)
  return { cli, restUrl }
}

/** Runs a runner that must be refused; returns its exit code and stderr. */
async function refusedRunner (t: TestContext, worker: string): Promise<{ code: number | null, stderr: string }> {
  const cli = spawnCli([worker])
  t.after(() => cli.kill('SIGKILL'))
  const { code } = await cli.exited
  return { code, stderr: cli.stderr }
}

async function stillServing (first: { cli: CliProcess, restUrl: string }): Promise<void> {
  assert.equal(first.cli.child.exitCode, null, 'the first runner should keep running')
  const res = await fetch(`${first.restUrl}/connectors`)
  assert.equal(res.status, 200)
}

async function exists (file: string): Promise<boolean> {
  return await access(file).then(() => true, () => false)
}

function escape (text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

test('a second runner on the same offsets file is refused while the first runs; after a SIGTERM the next one starts', { timeout: 120000 }, async (t) => {
  const dir = await tempDir(t)
  const offsets = join(dir, 'connect.offsets')
  const worker = await workerFile(dir, 'worker.properties', [`offset.storage.file.filename=${offsets}`])
  const first = await startRunner(t, worker)

  const second = await refusedRunner(t, worker)
  assert.equal(second.code, 3, second.stderr)
  const pid = first.cli.child.pid!
  assert.match(second.stderr, new RegExp(`Stopping due to error: The source offsets file '${escape(offsets)}' is in use by another runner: ` +
    `pid ${pid} on host ${escape(hostname())} \\(locked at [^)]+\\), which is running; its lock is '${escape(offsets)}\\.lock'\\. ` +
    'Two runners on one file would both run every connector and deliver everything twice\\. ' +
    'Stop that runner first, or give this one its own offset\\.storage\\.file\\.filename\\.'))
  // Refused before it bound a port or tried Kafka.
  assert.doesNotMatch(second.stderr, /Kafka Connect started|REST server listening|Embedded broker/)
  await stillServing(first)

  first.cli.kill('SIGTERM')
  assert.equal((await first.cli.exited).code, 143)
  assert.equal(await exists(`${offsets}.lock`), false, 'a clean stop removes the lock')
  const third = await startRunner(t, worker)
  assert.doesNotMatch(third.cli.stderr, /stale lock/)
  third.cli.kill('SIGTERM')
  assert.equal((await third.cli.exited).code, 143)
})

test('a SIGKILLed runner\'s lock does not block the next start: it is taken over with a log line', { timeout: 120000 }, async (t) => {
  const dir = await tempDir(t)
  const offsets = join(dir, 'connect.offsets')
  const worker = await workerFile(dir, 'worker.properties', [`offset.storage.file.filename=${offsets}`])
  const first = await startRunner(t, worker)
  const pid = first.cli.child.pid!
  first.cli.kill('SIGKILL')
  await first.cli.exited
  assert.equal(await exists(`${offsets}.lock`), true, 'a SIGKILL leaves the lock behind')

  const next = await startRunner(t, worker)
  assert.match(next.cli.stderr, new RegExp(`Took over the stale lock '${escape(offsets)}\\.lock' of the source offsets file '${escape(offsets)}': ` +
    `pid ${pid} on host ${escape(hostname())} \\(locked at [^)]+\\) is no longer running`))
  // And it holds the lock now: yet another runner is refused, naming the new owner.
  const again = await refusedRunner(t, worker)
  assert.equal(again.code, 3, again.stderr)
  assert.match(again.stderr, new RegExp(`in use by another runner: pid ${next.cli.child.pid!} on host`))
  await stillServing(next)
  next.cli.kill('SIGTERM')
  assert.equal((await next.cli.exited).code, 143)
  assert.equal(await exists(`${offsets}.lock`), false)
})

test('a connector configs file configured separately is locked too: shared by runners with their own offsets files', { timeout: 120000 }, async (t) => {
  const dir = await tempDir(t)
  const configs = join(dir, 'shared-connectors.json')
  const workerA = await workerFile(dir, 'a.properties', [`offset.storage.file.filename=${join(dir, 'a.offsets')}`, `connector.configs.file.filename=${configs}`])
  const workerB = await workerFile(dir, 'b.properties', [`offset.storage.file.filename=${join(dir, 'b.offsets')}`, `connector.configs.file.filename=${configs}`])
  const first = await startRunner(t, workerA)

  const second = await refusedRunner(t, workerB)
  assert.equal(second.code, 3, second.stderr)
  assert.match(second.stderr, new RegExp(`The connector configs file '${escape(configs)}' is in use by another runner: pid ${first.cli.child.pid!} on host ` +
    `${escape(hostname())} .*its lock is '${escape(configs)}\\.lock'\\..* give this one its own connector\\.configs\\.file\\.filename\\.`))
  // The refused runner let go of the offsets file it had locked first.
  assert.equal(await exists(join(dir, 'b.offsets.lock')), false)
  await stillServing(first)

  const pid = first.cli.child.pid!
  first.cli.kill('SIGKILL')
  await first.cli.exited
  const next = await startRunner(t, workerB)
  assert.match(next.cli.stderr, new RegExp(`Took over the stale lock '${escape(configs)}\\.lock' of the connector configs file '${escape(configs)}': pid ${pid} `))
  next.cli.kill('SIGTERM')
  assert.equal((await next.cli.exited).code, 143)
  assert.equal(await exists(`${configs}.lock`), false)
  assert.equal(await exists(join(dir, 'b.offsets.lock')), false)
})
