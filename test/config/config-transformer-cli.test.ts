/**
 * Config providers through the CLI: worker values from the file, env and directory providers and from a provider
 * plugin on plugin.path (the dry run, no broker), bootstrap.servers and a converter setting from a file provider
 * on the real broker, and start-up errors. The logs show the variables as written, never the values behind them.
 */
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { consumeAll, createTopic, kafkaBootstrap, uniqueTopic } from '../harness/kafka.ts'
import { ROOT, runCli, spawnCli } from '../helpers/cli.ts'
import { removeDir } from '../helpers/remove-dir.ts'

const SECRET = 'pr0vider-s3cret'

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'providers-cli-'))
  t.after(async () => { await removeDir(dir) })
  return dir
}

const PROVIDERS = [
  'config.providers=file,env,dir,json',
  'config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider',
  'config.providers.env.class=EnvVarConfigProvider',
  'config.providers.env.param.allowlist.pattern=PROVIDERS_CLI_.*',
  'config.providers.dir.class=DirectoryConfigProvider',
  'config.providers.json.class=com.example.JsonFileConfigProvider',
  `plugin.path=${join(ROOT, 'examples/plugins/json-config-provider')}`
]

const RECORD = '{"topic":"t","partition":null,"timestamp":null,"key":{"schema":{"type":"string","optional":false},"payload":"k"},' +
  '"value":{"schema":{"type":"string","optional":false},"payload":"hello"},"headers":[]}\n'

test('dry run: converter settings from the file, env, directory and plugin providers, a connector setting too; logs keep the variables', async (t) => {
  const dir = await tempDir(t)
  await writeFile(join(dir, 'creds.properties'), `jaas=org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="${SECRET}";\nkeySchemas=false\n`)
  await mkdir(join(dir, 'secrets'))
  await writeFile(join(dir, 'secrets', 'value-converter'), 'org.apache.kafka.connect.json.JsonConverter')
  await writeFile(join(dir, 'settings.json'), JSON.stringify({ value: { schemas: false } }))
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, [
    ...PROVIDERS,
    'key.converter=${env:PROVIDERS_CLI_KEY_CONVERTER}',
    `key.converter.schemas.enable=\${file:${dir}/creds.properties:keySchemas}`,
    `value.converter=\${dir:${dir}/secrets:value-converter}`,
    `value.converter.schemas.enable=\${json:${dir}/settings.json:value.schemas}`,
    `producer.sasl.jaas.config=\${file:${dir}/creds.properties:jaas}`,
    `offset.storage.file.filename=${join(dir, 'offsets')}`
  ].join('\n') + '\n')
  await writeFile(join(dir, 'routing.properties'), 'target=routed-topic\n')
  const connector = join(dir, 'source.properties')
  // The connector's own variables are resolved with the worker's providers too.
  await writeFile(connector, 'name=s\nconnector.class=FileStreamSource\ntopic=t\nfile=in.txt\ntransforms=route\n' +
    `transforms.route.type=RegexRouter\ntransforms.route.regex=.*\ntransforms.route.replacement=\${file:${dir}/routing.properties:target}\n`)
  const r = await runCli(['--dry-run', worker, connector], { input: RECORD, env: { PROVIDERS_CLI_KEY_CONVERTER: 'org.apache.kafka.connect.json.JsonConverter' } })
  assert.equal(r.code, 0, r.stderr)
  // Schemaless JSON for key and value: both converters and their schemas.enable=false came from providers.
  assert.equal(r.stdout, '{"topic":"routed-topic","partition":null,"timestamp":null,"key":"\\"k\\"","value":"\\"hello\\"","headers":[]}\n')
  assert.match(r.stderr, /Ignoring producer\.sasl\.jaas\.config: security\.protocol is not set/)
  assert.ok(!r.stderr.includes(SECRET), r.stderr)
})

test('a variable the provider cannot resolve stays as written, and validation shows the variable, not the value', async (t) => {
  const dir = await tempDir(t)
  await writeFile(join(dir, 'c.properties'), `interval=${SECRET}\n`)
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, [...PROVIDERS,
    'key.converter=StringConverter', 'value.converter=StringConverter', `offset.storage.file.filename=${join(dir, 'offsets')}`,
    `offset.flush.interval.ms=\${file:${dir}/c.properties:interval}`].join('\n') + '\n')
  const r = await runCli(['--dry-run', worker, join(dir, 'none.properties')])
  assert.equal(r.code, 2)
  assert.match(r.stderr, new RegExp(`worker\\.properties:\\d+: Invalid value \\$\\{file:${dir.replace(/[/.]/g, '\\$&')}/c\\.properties:interval\\} for configuration offset\\.flush\\.interval\\.ms: Not a number of type LONG`))
  assert.ok(!r.stderr.includes(SECRET), r.stderr)

  await writeFile(worker, [...PROVIDERS,
    'key.converter=${file:' + dir + '/c.properties:nope}', 'value.converter=StringConverter', `offset.storage.file.filename=${join(dir, 'offsets')}`].join('\n') + '\n')
  const missingKey = await runCli(['--dry-run', worker, join(dir, 'none.properties')])
  assert.equal(missingKey.code, 2)
  assert.match(missingKey.stderr, /Invalid value \$\{file:.*c\.properties:nope\} for configuration key\.converter \(.*worker\.properties\): Class \$\{file:.*:nope\} could not be found/)
})

test('real broker: connector keys of every type may hold variables; validation (files and REST) sees the resolved values and shows only the variables', { timeout: 120000 }, async (t) => {
  const dir = await tempDir(t)
  const topic = uniqueTopic('providers-typed')
  await createTopic(topic, 1)
  await writeFile(join(dir, 'in.txt'), 'one\ntwo\n')
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, [...PROVIDERS, `bootstrap.servers=${kafkaBootstrap()}`, 'listeners=http://127.0.0.1:0',
    'key.converter=StringConverter', 'value.converter=StringConverter', `offset.storage.file.filename=${join(dir, 'offsets')}`].join('\n') + '\n')
  const connector = join(dir, 'source.properties')
  // INT keys from the env provider: Apache resolves them before validating, and so must we.
  await writeFile(connector, `name=typed\nconnector.class=FileStreamSource\ntopic=${topic}\nfile=${join(dir, 'in.txt')}\n` +
    'tasks.max=${env:PROVIDERS_CLI_TASKS}\nbatch.size=${env:PROVIDERS_CLI_BATCH}\n')
  const env = { PROVIDERS_CLI_TASKS: '1', PROVIDERS_CLI_BATCH: '100', PROVIDERS_CLI_BAD: SECRET }
  const cli = spawnCli([worker, connector], { env })
  t.after(async () => { cli.kill('SIGKILL'); await cli.exited })
  await cli.waitForOutput(/REST server listening at http:\/\/127\.0\.0\.1:\d+\//)
  await cli.waitForOutput(/Created connector typed/)
  const received = await consumeAll(topic, 2)
  assert.deepEqual(received.map(m => m.value?.toString()), ['one', 'two'])

  // REST validation of a config whose INT value resolves to text: the error and the value name the variable.
  const port = /REST server listening at http:\/\/127\.0\.0\.1:(\d+)\//.exec(cli.stderr)![1]
  const res = await fetch(`http://127.0.0.1:${port}/connector-plugins/FileStreamSource/config/validate`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ 'connector.class': 'FileStreamSource', name: 'v', topic, 'tasks.max': '${env:PROVIDERS_CLI_TASKS}', 'batch.size': '${env:PROVIDERS_CLI_BAD}' })
  })
  const text = await res.text()
  assert.equal(res.status, 200, text)
  assert.ok(!text.includes(SECRET), text)
  const body = JSON.parse(text) as { error_count: number, configs: Array<{ value: { name: string, value: string | null, errors: string[] } }> }
  const byName = new Map(body.configs.map(c => [c.value.name, c.value]))
  assert.deepEqual(byName.get('tasks.max')?.errors, [])
  assert.equal(byName.get('tasks.max')?.value, '${env:PROVIDERS_CLI_TASKS}')
  // Apache's pair for a value that does not parse: the parse error, then the validator's on no value.
  assert.deepEqual(byName.get('batch.size')?.errors, ['Invalid value ${env:PROVIDERS_CLI_BAD} for configuration batch.size: Not a number of type INT',
    'Invalid value null for configuration batch.size: Value must be non-null'])
  assert.equal(body.error_count, 2, text)
  cli.kill('SIGTERM')
  await cli.exited

  // A connector file whose variable resolves to text: start-up names the line and the variable, not the value.
  await writeFile(connector, `name=typed\nconnector.class=FileStreamSource\ntopic=${topic}\nfile=${join(dir, 'in.txt')}\nbatch.size=\${env:PROVIDERS_CLI_BAD}\n`)
  const bad = await runCli([worker, connector], { env })
  assert.notEqual(bad.code, 0)
  assert.match(bad.stderr, /source\.properties:5: Invalid value \$\{env:PROVIDERS_CLI_BAD\} for configuration batch\.size: Not a number of type INT/)
  assert.ok(!bad.stderr.includes(SECRET), bad.stderr)
})

test('real broker: config.action.reload=restart restarts the connector and its tasks when provider values expire; the tasks get the new value', { timeout: 120000 }, async (t) => {
  const dir = await tempDir(t)
  const first = uniqueTopic('providers-ttl-a')
  const second = uniqueTopic('providers-ttl-b')
  await createTopic(first, 1)
  await createTopic(second, 1)
  const settings = join(dir, 'settings.json')
  await writeFile(settings, JSON.stringify({ route: { topic: first } }))
  await writeFile(join(dir, 'in.txt'), 'one\ntwo\n')
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, [...PROVIDERS, 'config.providers.json.param.ttl.ms=1500', `bootstrap.servers=${kafkaBootstrap()}`,
    'listeners=http://127.0.0.1:0', 'key.converter=StringConverter', 'value.converter=StringConverter',
    `offset.storage.file.filename=${join(dir, 'offsets')}`, 'offset.flush.interval.ms=200'].join('\n') + '\n')
  const connector = join(dir, 'source.properties')
  await writeFile(connector, `name=ttl\nconnector.class=FileStreamSource\nfile=${join(dir, 'in.txt')}\ntopic=\${json:${settings}:route.topic}\n`)
  const cli = spawnCli([worker, connector])
  t.after(async () => { cli.kill('SIGKILL'); await cli.exited })
  await cli.waitForOutput(/Scheduling a restart of connector ttl in 1500 ms/)
  assert.deepEqual((await consumeAll(first, 2)).map(m => m.value?.toString()), ['one', 'two'])

  // The value changes; once it expires the connector and its task restart and resolve it again.
  await writeFile(settings, JSON.stringify({ route: { topic: second } }))
  await cli.waitForOutput(/Restarting connector ttl and its tasks: config provider values it uses have expired/)
  const restarted = (): boolean => (cli.stderr.split('WorkerSourceTask{id=ttl-0} Source task finished initialization and start').length - 1) >= 2
  await cli.waitForOutput(/Restarting connector ttl[\s\S]*WorkerSourceTask\{id=ttl-0\} Source task finished initialization and start/)
  assert.ok(restarted(), 'the task started a second time')
  await writeFile(join(dir, 'in.txt'), 'one\ntwo\nthree\n')
  assert.deepEqual((await consumeAll(second, 1)).map(m => m.value?.toString()), ['three'], 'the restarted task writes to the new topic')
  assert.ok(!cli.stderr.includes(second), 'the log shows the variable, not the resolved topic')
})

test('an unreadable provider file and an unknown provider class stop start-up with exit code 2, naming the key', async (t) => {
  const dir = await tempDir(t)
  const worker = join(dir, 'worker.properties')
  const base = ['key.converter=StringConverter', 'value.converter=StringConverter', `offset.storage.file.filename=${join(dir, 'offsets')}`]
  await writeFile(worker, [...PROVIDERS, ...base, `bootstrap.servers=\${file:${dir}/missing.properties:servers}`].join('\n') + '\n')
  const r = await runCli([worker])
  assert.equal(r.code, 2)
  assert.match(r.stderr, new RegExp(`Config provider 'file' failed to provide values for path '${dir}/missing\\.properties' \\(used by bootstrap\\.servers\\): Could not read properties from file`))
  await writeFile(worker, ['config.providers=vault', 'config.providers.vault.class=com.example.VaultConfigProvider', ...base, 'x=${vault:a:b}'].join('\n') + '\n')
  const unknown = await runCli([worker])
  assert.equal(unknown.code, 2)
  assert.match(unknown.stderr, /Invalid value com\.example\.VaultConfigProvider for configuration config\.providers\.vault\.class: Class com\.example\.VaultConfigProvider could not be found \(.*worker\.properties\)/)
})

test('real broker: bootstrap.servers and a converter setting from a file provider; the log shows only the variable', { timeout: 120000 }, async (t) => {
  const dir = await tempDir(t)
  const topic = uniqueTopic('providers')
  await createTopic(topic, 1)
  const creds = join(dir, 'kafka.properties')
  await writeFile(creds, `servers=${kafkaBootstrap()}\nschemas=false\n`)
  await writeFile(join(dir, 'in.txt'), 'one\ntwo\n')
  const worker = join(dir, 'worker.properties')
  await writeFile(worker, [
    'config.providers=file',
    'config.providers.file.class=FileConfigProvider',
    `bootstrap.servers=\${file:${creds}:servers}`,
    'key.converter=org.apache.kafka.connect.storage.StringConverter',
    'value.converter=org.apache.kafka.connect.json.JsonConverter',
    `value.converter.schemas.enable=\${file:${creds}:schemas}`,
    `offset.storage.file.filename=${join(dir, 'offsets')}`,
    'offset.flush.interval.ms=1000',
    'listeners=http://127.0.0.1:0'
  ].join('\n') + '\n')
  const source = join(dir, 'source.properties')
  await writeFile(source, `name=${topic}-src\nconnector.class=FileStreamSource\ntopic=${topic}\nfile=${join(dir, 'in.txt')}\n`)
  const cli = spawnCli([worker, source])
  t.after(() => cli.kill('SIGKILL'))
  await cli.waitForOutput(/Kafka Connect started/)
  const messages = await consumeAll(topic, 2, 60000)
  // Schemaless JSON strings: value.converter.schemas.enable=false came from the provider.
  assert.deepEqual(messages.map(m => m.value?.toString()), ['"one"', '"two"'])
  cli.kill('SIGTERM')
  assert.equal((await cli.exited).code, 143, cli.stderr.slice(-2000))
  const started = cli.stderr.split('\n').find(l => l.includes('Kafka Connect started')) ?? ''
  assert.ok(started.includes(`Kafka \${file:${creds}:servers}`), started)
  assert.ok(!cli.stderr.includes(kafkaBootstrap()), `the resolved bootstrap.servers is not logged:\n${cli.stderr}`)
})
