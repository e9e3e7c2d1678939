/**
 * The README's quick start: the example files on the embedded broker, run from a copy of the repository's examples.
 */
import assert from 'node:assert/strict'
import { cp, mkdtemp, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { decodeOffsetsFile } from '../../src/java/serialization.ts'
import { ROOT, spawnCli } from '../helpers/cli.ts'
import { readLines } from '../helpers/pipeline.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { removeDir } from '../helpers/remove-dir.ts'

test('the example pipeline runs on the embedded broker and stops cleanly', { timeout: 120000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'quickstart-'))
  t.after(async () => { await removeDir(dir) })
  await cp(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true })
  const expected = (await readFile(join(dir, 'examples/test.txt'), 'utf8')).split('\n').filter((l, i, a) => i < a.length - 1 || l !== '')

  const cli = spawnCli(['--embedded-broker', 'examples/worker.properties', 'examples/connect-file-source.properties', 'examples/connect-file-sink.properties'], { cwd: dir })
  t.after(() => cli.kill('SIGKILL'))
  await cli.waitForOutput(/Embedded broker started at 127\.0\.0\.1:\d+/)
  const out = await waitFor(async () => { const l = await readLines(join(dir, 'test.sink.txt')); return l.length >= expected.length ? l : null },
    { timeoutMs: 60000, what: 'the sink file' })
  assert.deepEqual(out, expected)
  assert.match(cli.stderr, /IN MEMORY ONLY/)
  cli.kill('SIGINT')
  const exit = await cli.exited
  assert.equal(exit.code, 130)
  // The shutdown flushed the source offset: one entry, the source file, at its end (the whole file was read).
  const offsetsFile = join(dir, 'connect.offsets')
  const entries = decodeOffsetsFile(await readFile(offsetsFile), offsetsFile).map(([k, v]) => [k.toString('utf8'), v === null ? null : JSON.parse(v.toString('utf8')) as unknown])
  const size = (await stat(join(dir, 'examples/test.txt'))).size
  assert.deepEqual(entries, [['["local-file-source",{"filename":"examples/test.txt"}]', { position: size }]])
})

test('JSON (POST body shape) and YAML connector files from examples/ run on the embedded broker', { timeout: 120000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'quickstart-json-'))
  t.after(async () => { await removeDir(dir) })
  await cp(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true })
  const expected = await readLines(join(dir, 'examples/test.txt'))
  const cli = spawnCli(['examples/worker.properties', 'examples/connect-file-source.json', 'examples/connect-file-sink.yaml'], { cwd: dir })
  t.after(() => cli.kill('SIGKILL'))
  const out = await waitFor(async () => { const l = await readLines(join(dir, 'test.sink.yaml.txt')); return l.length >= expected.length ? l : null },
    { timeoutMs: 60000, what: 'the YAML sink\'s file' })
  assert.deepEqual(out, expected)
  // No bootstrap.servers in the example worker: the embedded broker starts on its own.
  assert.match(cli.stderr, /Embedded broker started/)
  cli.kill('SIGTERM')
  assert.equal((await cli.exited).code, 143)
})
