/**
 * `--watch` on the real broker: a FileStreamSource -> FileStreamSink pipeline whose connector files change while the
 * worker runs. The sink's file is given on the command line, the source's lives in a `--watch DIR` directory.
 */
import assert from 'node:assert/strict'
import { appendFile, mkdir, mkdtemp, rename, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createTopic, kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'
import { spawnCli, type CliProcess } from '../helpers/cli.ts'
import { readLines } from '../helpers/pipeline.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { http } from '../helpers/rest.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { workerProperties } from '../helpers/worker-file.ts'

const count = (cli: CliProcess, re: RegExp): number => (cli.stderr.match(new RegExp(re.source, 'g')) ?? []).length

test('--watch applies edits, rename-overs, new and removed files, keeps a paused connector paused and refuses a broken edit', { timeout: 120000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'watch-'))
  t.after(async () => { await removeDir(dir) })
  const conf = join(dir, 'conf')
  const cliDir = join(dir, 'cli')
  await mkdir(conf)
  await mkdir(cliDir)
  const topic = uniqueTopic('watch')
  await createTopic(topic, 1)
  // Connector names (and so sink groups) of their own: a killed earlier run's consumers would hold the group.
  const [source, sinkName, extraName] = [`${topic}-source`, `${topic}-sink`, `${topic}-extra`]
  const input = join(dir, 'input.txt')
  const out = (n: number): string => join(dir, `out${n}.txt`)
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, workerProperties(dir, kafkaBootstrap(), ['consumer.auto.offset.reset=earliest']))
  await writeFile(input, 'a1\n')
  const sourceFile = join(conf, 'source.properties')
  await writeFile(sourceFile, `name=${source}\nconnector.class=FileStreamSource\nfile=${input}\ntopic=${topic}\n`)
  const sinkFile = join(cliDir, 'sink.properties')
  const sink = (file: string, extra = ''): string => `name=${sinkName}\nconnector.class=FileStreamSink\ntopics=${topic}\nfile=${file}\n${extra}`
  await writeFile(sinkFile, sink(out(1)))

  const cli = spawnCli(['--watch', conf, worker, sinkFile])
  t.after(() => { cli.kill('SIGKILL') })
  await cli.waitForOutput(/Kafka Connect started/, 60000)
  const base = /REST server listening at (http:\/\/[^/\s]+)\//.exec(cli.stderr)?.[1]
  assert.ok(base, cli.stderr)
  const get = async (path: string): Promise<unknown> => (await http(base, 'GET', path)).body
  const sinkConfig = async (): Promise<string | undefined> => ((await get(`/connectors/${sinkName}/config`)) as Record<string, string>).file
  const lineIn = async (file: string, line: string): Promise<void> => {
    await waitFor(async () => (await readLines(file)).includes(line), { timeoutMs: 30000, what: `${line} in ${file}; log:\n${cli.stderr.slice(-3000)}` })
  }
  await lineIn(out(1), 'a1')
  // A touch without a change does nothing (checked at the end: no reconfiguration of the source).
  await utimes(sourceFile, new Date(), new Date())

  // An edit in place: the sink writes into its new file.
  await writeFile(sinkFile, sink(out(2)))
  await cli.waitForOutput(new RegExp(`Reconfigured connector ${sinkName} ` + String.raw`from \S+sink\.properties \(changed: file\)`))
  assert.equal(await sinkConfig(), out(2))
  await appendFile(input, 'a2\n')
  await lineIn(out(2), 'a2')

  // An editor's save: a temporary file renamed over the watched one.
  const tmp = join(cliDir, '.sink.properties.tmp')
  await writeFile(tmp, sink(out(3)))
  await rename(tmp, sinkFile)
  await waitFor(async () => await sinkConfig() === out(3), { what: 'the rename-over applied' })
  await appendFile(input, 'a3\n')
  await lineIn(out(3), 'a3')

  // A broken edit: not applied, the log names the file, the line and the key; the old config keeps running.
  await writeFile(sinkFile, sink(out(9), 'tasks.max=two\n'))
  await cli.waitForOutput(new RegExp(String.raw`ERROR .*Not applying \S+sink\.properties; connector ${sinkName} keeps its previous config[^]*sink\.properties:5: tasks\.max: Invalid value two`))
  // And one that does not parse: its line too.
  await writeFile(sinkFile, sink(out(9), 'a\\u12\n'))
  await cli.waitForOutput(/ERROR .*Not applying \S+sink\.properties;[^\n]*\n[^\n]*sink\.properties[^\n]*line 5/)
  assert.equal(await sinkConfig(), out(3))
  await appendFile(input, 'a4\n')
  await lineIn(out(3), 'a4')
  assert.deepEqual(await readLines(out(9)), [])

  // A paused connector stays paused through an edit, and resumes with the new config.
  assert.equal((await http(base, 'PUT', `/connectors/${sinkName}/pause`)).status, 202)
  await waitFor(async () => ((await get(`/connectors/${sinkName}/status`)) as { connector: { state: string } }).connector.state === 'PAUSED')
  await writeFile(sinkFile, sink(out(4)))
  await cli.waitForOutput(new RegExp(`Reconfigured connector ${sinkName} ` + String.raw`from \S+ \(changed: file\); it stays PAUSED`))
  assert.equal(await sinkConfig(), out(4))
  assert.equal(((await get(`/connectors/${sinkName}/status`)) as { connector: { state: string } }).connector.state, 'PAUSED')
  await appendFile(input, 'a5\n')
  assert.equal((await http(base, 'PUT', `/connectors/${sinkName}/resume`)).status, 202)
  await lineIn(out(4), 'a5')

  // A new file in the watched directory starts its connector (a second sink: its own group, from the start).
  const extra = join(conf, 'extra.yaml')
  await writeFile(extra, `name: ${extraName}\nconnector.class: FileStreamSink\ntopics: ${topic}\nfile: ${out(5)}\n`)
  await lineIn(out(5), 'a5')
  assert.ok((await get('/connectors') as string[]).includes(extraName))
  // Its connector renamed in the file: the old one goes, the new one comes.
  await writeFile(extra, `name: ${extraName}2\nconnector.class: FileStreamSink\ntopics: ${topic}\nfile: ${out(6)}\n`)
  await waitFor(async () => { const names = await get('/connectors') as string[]; return names.includes(`${extraName}2`) && !names.includes(extraName) }, { what: 'the renamed connector' })
  await lineIn(out(6), 'a5')
  // The file removed: its connector is deleted.
  await rm(extra)
  await waitFor(async () => !(await get('/connectors') as string[]).includes(`${extraName}2`), { what: `${extraName}2 deleted` })
  await cli.waitForOutput(new RegExp(`Deleted connector ${extraName}2: its file ` + String.raw`\S+extra\.yaml was removed`))
  assert.deepEqual(await get('/connectors'), [sinkName, source])

  // The worker file: a restart is needed, and said so.
  await appendFile(worker, 'offset.flush.interval.ms=1000\n')
  await cli.waitForOutput(/WARN .*worker file \S+worker\.properties changed: .*restart the worker/)

  assert.equal(count(cli, new RegExp(`Reconfigured connector ${source}`)), 0, 'a touch reconfigured nothing')
  cli.kill('SIGTERM')
  const exit = await cli.exited
  assert.equal(exit.code, 143, cli.stderr.slice(-2000))
})
