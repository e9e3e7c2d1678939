/**
 * The runner resumes from an offsets file written by the real Java classes (as Apache Kafka Connect writes it), and
 * the file it leaves behind reads back in Java.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { spawnCli } from '../helpers/cli.ts'
import { readLines } from '../helpers/pipeline.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { removeDir } from '../helpers/remove-dir.ts'

const TOOL = fileURLToPath(new URL('../storage/java/OffsetsFileTool.java', import.meta.url))

test('a source resumes from an Apache-written offsets file, and Java reads the file the runner wrote', { timeout: 120000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'offsets-e2e-'))
  t.after(async () => { await removeDir(dir) })
  execFileSync('javac', ['-d', dir, TOOL])
  const input = join(dir, 'input.txt')
  const lines = ['already sent 1', 'already sent 2', 'new line 3', 'new line 4']
  await writeFile(input, lines.map(l => l + '\n').join(''))
  const position = Buffer.byteLength('already sent 1\nalready sent 2\n')
  // What Apache's standalone worker would have left after sending the first two lines.
  const key = `["resume-source",{"filename":"${input}"}]`
  execFileSync('java', ['-cp', dir, 'OffsetsFileTool', 'write', join(dir, 'connect.offsets')],
    { input: `${Buffer.from(key).toString('base64')} ${Buffer.from(`{"position":${position}}`).toString('base64')}\n` })

  await writeFile(join(dir, 'worker.properties'), [
    'key.converter=StringConverter', 'value.converter=StringConverter',
    'listeners=http://127.0.0.1:0',
    `offset.storage.file.filename=${join(dir, 'connect.offsets')}`, 'offset.flush.interval.ms=200'
  ].join('\n') + '\n')
  await writeFile(join(dir, 'source.properties'), `name=resume-source\nconnector.class=FileStreamSource\nfile=${input}\ntopic=resume\n`)
  await writeFile(join(dir, 'sink.properties'), `name=resume-sink\nconnector.class=FileStreamSink\nfile=${join(dir, 'out.txt')}\ntopics=resume\n`)
  const cli = spawnCli(['--embedded-broker', join(dir, 'worker.properties'), join(dir, 'source.properties'), join(dir, 'sink.properties')])
  t.after(() => cli.kill('SIGKILL'))
  const out = await waitFor(async () => { const l = await readLines(join(dir, 'out.txt')); return l.length >= 2 ? l : null }, { timeoutMs: 60000, what: 'the new lines' })
  assert.deepEqual(out, ['new line 3', 'new line 4'])
  cli.kill('SIGTERM')
  assert.equal((await cli.exited).code, 143)

  const read = execFileSync('java', ['-cp', dir, 'OffsetsFileTool', 'read', join(dir, 'connect.offsets')]).toString().trim().split('\n')
  const entries = read.map(l => l.split(' ').map(b => Buffer.from(b, 'base64').toString('utf8')))
  assert.deepEqual(entries, [[key, `{"position":${Buffer.byteLength(lines.join('\n') + '\n')}}`]])
})
