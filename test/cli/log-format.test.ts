/**
 * --log-format and CONNECT_LOG_FORMAT without a broker: invalid values are usage errors (exit 1), the flag wins over the
 * variable, text stays the default, and the CLI's fatal error is a JSON line that hides what its text hides.
 */
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { ExitCode } from '../../src/cli/exit-codes.ts'
import { runCli } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'

const SECRET = 'hunter2-not-a-number'

/** A worker file whose offset.flush.interval.ms comes from a config provider and is invalid: a startup error (exit 2). */
async function badWorker (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'log-format-'))
  t.after(async () => { await removeDir(dir) })
  await writeFile(join(dir, 'secrets.properties'), `interval=${SECRET}\n`)
  const file = join(dir, 'worker.properties')
  await writeFile(file, [
    'bootstrap.servers=127.0.0.1:1',
    'key.converter=StringConverter', 'value.converter=StringConverter',
    'listeners=http://127.0.0.1:0',
    `offset.storage.file.filename=${join(dir, 'connect.offsets')}`,
    'config.providers=file',
    'config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider',
    `offset.flush.interval.ms=\${file:${join(dir, 'secrets.properties')}:interval}`
  ].join('\n') + '\n')
  return file
}

function lines (stderr: string): string[] {
  return stderr.split('\n').filter(l => l !== '')
}

test('an invalid --log-format is a usage error naming the flag and the choices', async () => {
  const r = await runCli(['--log-format', 'yaml', 'worker.properties'], { env: { CONNECT_LOG_FORMAT: '' } })
  assert.equal(r.code, ExitCode.USAGE)
  assert.match(r.stderr, /--log-format <format>' argument 'yaml' is invalid\. Expected text or json\./)
  assert.match(r.stderr, /Usage: connect-standalone/)
})

test('an invalid CONNECT_LOG_FORMAT is a usage error naming the variable', async t => {
  const r = await runCli([await badWorker(t)], { env: { CONNECT_LOG_FORMAT: 'jsn' } })
  assert.equal(r.code, ExitCode.USAGE)
  assert.match(r.stderr, /environment variable CONNECT_LOG_FORMAT has the invalid value 'jsn'\. Expected text or json\./)
  assert.doesNotMatch(r.stderr, /Stopping due to error/, 'nothing runs after a usage error')
})

test('CONNECT_LOG_FORMAT=json: the fatal error is one JSON line with the error\'s name, message and code; a provider\'s secret stays hidden', async t => {
  const r = await runCli([await badWorker(t)], { env: { CONNECT_LOG_FORMAT: 'JSON' } })
  assert.equal(r.code, ExitCode.WORKER_STARTUP)
  assert.ok(!r.stderr.includes(SECRET), r.stderr)
  const records = lines(r.stderr).map(l => JSON.parse(l) as Record<string, any>)
  const fatal = records.find(x => x.level === 'ERROR')
  assert.ok(fatal, r.stderr)
  assert.equal(fatal.logger, 'ConnectStandalone')
  assert.match(fatal.time as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  assert.match(fatal.message as string, /^Stopping due to error: .*:8: Invalid value \$\{file:.*:interval\} for configuration offset\.flush\.interval\.ms/)
  // The cause is the error before the resolved value was hidden: the text never shows it, nor does JSON.
  assert.deepEqual(Object.keys(fatal.error as object), ['name', 'message', 'code'])
  assert.equal(fatal.error.name, 'ConfigError')
  assert.equal(fatal.error.code, 'CONNECT_ERR_CONFIG')
})

test('the flag wins over the variable, and text is the default (an empty variable too)', async t => {
  const worker = await badWorker(t)
  const flag = await runCli(['--log-format', 'text', worker], { env: { CONNECT_LOG_FORMAT: 'json' } })
  const unset = await runCli([worker], { env: { CONNECT_LOG_FORMAT: '' } })
  const flagJson = await runCli(['--log-format=json', worker], { env: { CONNECT_LOG_FORMAT: 'bogus' } })
  for (const r of [flag, unset]) {
    assert.equal(r.code, ExitCode.WORKER_STARTUP)
    assert.match(r.stderr, /^ERROR Stopping due to error: /m)
    assert.ok(lines(r.stderr).every(l => !l.startsWith('{')), r.stderr)
  }
  assert.equal(flagJson.code, ExitCode.WORKER_STARTUP)
  assert.ok(lines(flagJson.stderr).every(l => (JSON.parse(l) as { time?: string }).time !== undefined), flagJson.stderr)
})

test('--help lists the flag and its variable', async () => {
  const r = await runCli(['--help'])
  assert.match(r.stdout + r.stderr, /--log-format <format>\s+log lines on stderr: text[\s\S]*CONNECT_LOG_FORMAT/)
})
