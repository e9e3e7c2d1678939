/**
 * --log-format json on a real pipeline (the dev broker): every stderr line is one JSON object, task lines carry their
 * connector and task, a failed task's error comes with its cause chain, and a PASSWORD-typed setting never shows.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'
import { spawnCli } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'
import { http } from '../helpers/rest.ts'
import { waitFor } from '../helpers/wait-for.ts'
import { writeWorkerFile } from '../helpers/worker-file.ts'

const SECRET = 'TopSecret-json-logs-42'

interface LogLine { time: string, level: string, logger: string, connector?: string, task?: number, message: string, error?: Record<string, any> }

test('--log-format json: a FileStreamSource pipeline logs JSON lines with connector and task, secrets hidden', { timeout: 120000 }, async t => {
  const dir = await mkdtemp(join(tmpdir(), 'json-logs-'))
  t.after(async () => { await removeDir(dir) })
  const worker = await writeWorkerFile(dir, kafkaBootstrap())
  const avro = (scope: string): string => [
    'value.converter=io.confluent.connect.avro.AvroConverter',
    `value.converter.schema.registry.url=mock://${scope}`,
    'value.converter.basic.auth.credentials.source=USER_INFO',
    // PASSWORD-typed (basic.auth.user.info): REST shows [hidden], and so must every log line.
    `value.converter.basic.auth.user.info=alice:${SECRET}`
  ].join('\n')
  const input = join(dir, 'in.txt')
  const output = join(dir, 'out.txt')
  await writeFile(input, 'first "quoted"\nsecond é\nthird\n')
  const topic = uniqueTopic('json-logs')
  const plainTopic = uniqueTopic('json-logs-plain')
  const files = {
    // The pipeline: file -> Avro (mock registry) -> topic -> Avro -> file.
    source: `name=jl-source\nconnector.class=FileStreamSource\nfile=${input}\ntopic=${topic}\n${avro('json-logs')}\n`,
    sink: `name=jl-sink\nconnector.class=FileStreamSink\nfile=${output}\ntopics=${topic}\n${avro('json-logs')}\n`,
    // A task that fails: plain strings read with the Avro converter (a DataError under the tolerance error).
    plain: `name=jl-plain\nconnector.class=FileStreamSource\nfile=${input}\ntopic=${plainTopic}\n`,
    failing: `name=jl-failing\nconnector.class=FileStreamSink\nfile=${join(dir, 'never.txt')}\ntopics=${plainTopic}\n${avro('json-logs')}\n`
  }
  const paths: string[] = []
  for (const [name, text] of Object.entries(files)) {
    const p = join(dir, `${name}.properties`)
    await writeFile(p, text)
    paths.push(p)
  }
  const cli = spawnCli(['--log-format', 'json', worker, ...paths], { env: { CONNECT_LOG_FORMAT: '' } })
  t.after(() => { cli.kill('SIGKILL') })
  await cli.waitForOutput(/"message":"Kafka Connect started/, 60000)
  await waitFor(() => existsSync(output) && readFileSync(output, 'utf8') === 'first "quoted"\nsecond é\nthird\n', { timeoutMs: 60000, what: 'the sink file to hold the 3 lines' })
  await cli.waitForOutput(/"level":"ERROR","logger":"WorkerSinkTask","connector":"jl-failing","task":0/, 60000)

  // The setting is PASSWORD-typed indeed: the REST API hides it.
  const base = /"message":"REST server listening at (http:\/\/127\.0\.0\.1:\d+)\/"/.exec(cli.stderr)?.[1]
  assert.ok(base, cli.stderr)
  const config = await http(base, 'GET', '/connectors/jl-sink/config')
  assert.equal((config.body as Record<string, string>)['value.converter.basic.auth.user.info'], '[hidden]')

  cli.kill('SIGTERM')
  const exit = await cli.exited
  assert.ok(exit.code === 143 || exit.signal === 'SIGTERM', `exit ${JSON.stringify(exit)}`)
  assert.ok(!cli.stderr.includes(SECRET) && !cli.stdout.includes(SECRET), 'the password never shows')

  assert.ok(cli.stderr.endsWith('\n'))
  const lines = cli.stderr.slice(0, -1).split('\n')
  const records = lines.map(l => {
    try {
      return JSON.parse(l) as LogLine
    } catch (err) {
      assert.fail(`not a JSON line: ${l} (${String(err)})`)
    }
  })
  for (const r of records) {
    assert.match(r.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    assert.ok(['ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'].includes(r.level), r.level)
    assert.equal(typeof r.logger, 'string')
    assert.equal(typeof r.message, 'string')
    // Task lines carry their connector and task.
    if (/^Worker(Source|Sink)Task/.test(r.logger)) {
      assert.ok(['jl-source', 'jl-sink', 'jl-plain', 'jl-failing'].includes(r.connector ?? ''), JSON.stringify(r))
      assert.equal(r.task, 0, JSON.stringify(r))
    }
  }
  const started = (connector: string, kind: 'Source' | 'Sink'): LogLine | undefined =>
    records.find(r => r.logger === `Worker${kind}Task` && r.connector === connector && /task finished initialization and start/.test(r.message))
  assert.ok(started('jl-source', 'Source'), cli.stderr)
  assert.ok(started('jl-sink', 'Sink'), cli.stderr)
  // Connector lines carry the connector only.
  const created = records.find(r => r.logger === 'WorkerConnector' && r.connector === 'jl-source')
  assert.ok(created && !('task' in created), cli.stderr)
  assert.ok(records.some(r => r.logger === 'ConnectStandalone' && r.message === 'Kafka Connect stopping (SIGTERM)' && r.connector === undefined))

  // The failed task: its error with its cause chain, each with name, message, code and stack.
  const failed = records.find(r => r.level === 'ERROR' && r.connector === 'jl-failing')
  assert.ok(failed?.error, cli.stderr)
  assert.equal(failed.task, 0)
  const error = failed.error
  assert.match(error.message as string, /Tolerance exceeded in error handler/)
  assert.equal(error.code, 'CONNECT_ERR_CONNECT')
  assert.match(error.stack as string, /^\w+: Tolerance exceeded/)
  assert.equal(error.cause.name, 'DataError')
  assert.equal(error.cause.code, 'CONNECT_ERR_DATA')
  assert.match(error.cause.message as string, /Unknown magic byte/)
  assert.match(error.cause.stack as string, /\n {4}at /)
})
