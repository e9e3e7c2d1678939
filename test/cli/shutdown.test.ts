/**
 * Shutdown through the CLI with a plugin loaded from plugin.path: a task that ignores stop() keeps the first signal
 * waiting (up to task.shutdown.graceful.timeout.ms); a second signal exits at once.
 */
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { spawnCli } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'

// A plain-JS plugin module: descriptors are duck-typed, so it needs no import from this package.
const STUBBORN_PLUGIN = `
const configDef = { keys: () => [], validate: () => [], names: () => [], has: () => false, get: () => undefined }
class StubbornTask {
  initialize () {}
  version () { return '1' }
  start () {}
  poll () { return new Promise(() => {}) }        // never returns, ignores the abort signal
  stop () { return new Promise(() => {}) }        // never finishes either
}
class StubbornConnector {
  kind = 'source'
  initialize () {}
  version () { return '1' }
  start () {}
  taskClass () { return StubbornTask }
  taskConfigs () { return [{}] }
  stop () {}
  config () { return configDef }
  validate () { return [] }
}
export default { apiVersion: 1, plugins: [{ kind: 'source', className: 'com.example.StubbornSource', version: '1', create: () => new StubbornConnector() }] }
`

async function stubbornWorker (t: TestContext, gracefulMs: number): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'shutdown-'))
  t.after(async () => { await removeDir(dir) })
  await writeFile(join(dir, 'stubborn.mjs'), STUBBORN_PLUGIN)
  await writeFile(join(dir, 'worker.properties'), [
    'key.converter=StringConverter', 'value.converter=StringConverter',
    'listeners=http://127.0.0.1:0',
    `offset.storage.file.filename=${join(dir, 'connect.offsets')}`,
    `task.shutdown.graceful.timeout.ms=${gracefulMs}`,
    `plugin.path=${join(dir, 'stubborn.mjs')}`
  ].join('\n') + '\n')
  await writeFile(join(dir, 'stubborn.properties'), 'name=stubborn\nconnector.class=StubbornSource\n')
  return [join(dir, 'worker.properties'), join(dir, 'stubborn.properties')]
}

test('a task that will not stop is abandoned after task.shutdown.graceful.timeout.ms', { timeout: 60000 }, async (t) => {
  const cli = spawnCli(await stubbornWorker(t, 1500))
  t.after(() => cli.kill('SIGKILL'))
  await cli.waitForOutput(/Kafka Connect started/)
  const before = Date.now()
  cli.kill('SIGTERM')
  const exit = await cli.exited
  const took = Date.now() - before
  assert.equal(exit.code, 143)
  assert.ok(took >= 1400 && took < 15000, `stop took ${took} ms`)
  assert.match(cli.stderr, /did not stop within task\.shutdown\.graceful\.timeout\.ms/)
})

test('a second SIGTERM exits at once while the first waits for a task that will not stop', { timeout: 60000 }, async (t) => {
  const cli = spawnCli(await stubbornWorker(t, 60000))
  t.after(() => cli.kill('SIGKILL'))
  await cli.waitForOutput(/Kafka Connect started/)
  assert.match(cli.stderr, /Loaded 1 plugin module\(s\) from plugin\.path/)
  cli.kill('SIGTERM')
  await cli.waitForOutput(/Kafka Connect stopping \(SIGTERM\)/)
  const before = Date.now()
  cli.kill('SIGTERM')
  const exit = await cli.exited
  assert.equal(exit.code, 143)
  assert.ok(Date.now() - before < 5000, 'the second signal should exit immediately')
  assert.match(cli.stderr, /Received SIGTERM again, exiting immediately/)
})
