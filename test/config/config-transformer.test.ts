/**
 * Config providers: the substitution engine with Apache's ConfigTransformer semantics, the file, directory and env
 * providers on real files, directories and environment variables, provider set-up from a worker file, and the
 * connector-side resolver (resolve, time-to-live, reverse transform of task configs).
 */
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { ConfigDef, ConfigError, PluginError, type ConfigData, type ConfigProvider } from '../../src/api/index.ts'
import {
  ConfigTransformer, ConnectorConfigResolver, configVariables, instantiateConfigProviders, keysWithVariables, resolveWorkerConfig
} from '../../src/config/config-transformer.ts'
import { DirectoryConfigProvider, EnvVarConfigProvider, FileConfigProvider } from '../../src/providers/index.ts'
import { builtinRegistry } from '../../src/plugins/builtin.ts'
import { loadPluginPath } from '../../src/plugins/loader.ts'
import { ROOT } from '../helpers/cli.ts'
import { setLogSink } from '../../src/util/logger.ts'

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'config-providers-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

/** Records every get() and answers from a fixed table: path → values. */
class TableProvider implements ConfigProvider {
  readonly calls: Array<{ path: string, keys: string[] }> = []
  readonly #table: Record<string, Record<string, string>>
  readonly #ttl: number | null
  closed = false
  constructor (table: Record<string, Record<string, string>>, ttl: number | null = null) {
    this.#table = table
    this.#ttl = ttl
  }

  config (): ConfigDef { return new ConfigDef() }
  get (path: string, keys?: ReadonlySet<string>): ConfigData {
    this.calls.push({ path, keys: [...(keys ?? [])].sort() })
    const values = this.#table[path] ?? {}
    return { data: Object.fromEntries(Object.entries(values).filter(([k]) => !keys || keys.has(k))), ttl: this.#ttl }
  }

  close (): void { this.closed = true }
}

function captureLogs (t: TestContext): string[] {
  const lines: string[] = []
  setLogSink({ write: l => { lines.push(l) } })
  t.after(() => setLogSink({ write: l => process.stderr.write(l) }))
  return lines
}

test('variables are parsed with Apache\'s pattern: provider, optional path, key (which may hold colons)', () => {
  assert.deepEqual(configVariables('a ${file:/etc/x.properties:pw} b ${env:HOME} ${vault:secret/db:user:name} ${env::X}'), [
    { provider: 'file', path: '/etc/x.properties', key: 'pw', text: '${file:/etc/x.properties:pw}' },
    { provider: 'env', path: '', key: 'HOME', text: '${env:HOME}' },
    { provider: 'vault', path: 'secret/db', key: 'user:name', text: '${vault:secret/db:user:name}' },
    { provider: 'env', path: '', key: 'X', text: '${env::X}' }
  ])
  for (const text of ['${}', '${file}', '$file:a:b}', '{file:a:b}', 'plain']) assert.deepEqual(configVariables(text), [], text)
  assert.deepEqual([...keysWithVariables({ a: '${x:y}', b: 'plain', c: 'pre ${p:q:r} post' })], ['a', 'c'])
})

test('substitution: every variable replaced in place; unknown providers and missing keys stay as written; one pass only', async () => {
  const table = new TableProvider({
    '/p': { user: 'alice', password: 's3cret', loop: '${t:/p:user}' },
    '': { solo: 'no-path' }
  })
  const transformer = new ConfigTransformer(new Map<string, ConfigProvider>([['t', table]]))
  const { data, ttls } = await transformer.transform({
    url: 'jdbc://${t:/p:user}:${t:/p:password}@db/${t:/p:missing}',
    solo: '${t:solo}',
    other: '${nope:/p:user}',
    loop: '${t:/p:loop}',
    plain: 'x',
    nested: '${x${t:/p:user}}'
  })
  assert.deepEqual(data, {
    url: 'jdbc://alice:s3cret@db/${t:/p:missing}',
    solo: 'no-path',
    other: '${nope:/p:user}',
    loop: '${t:/p:user}',
    plain: 'x',
    // As in Java: the match starts at the first "${" and names provider "x${t", which does not exist.
    nested: '${x${t:/p:user}}'
  })
  assert.equal(ttls.size, 0)
  // One request per path, for every key wanted from it.
  assert.deepEqual(table.calls, [{ path: '/p', keys: ['loop', 'missing', 'password', 'user'] }, { path: '', keys: ['solo'] }])
})

test('a failing provider fails the resolution with a ConfigError naming the provider, path and keys', async () => {
  const failing: ConfigProvider = { config: () => new ConfigDef(), get: () => { throw new Error('backend down') } }
  const transformer = new ConfigTransformer(new Map([['vault', failing]]))
  await assert.rejects(transformer.transform({ 'db.password': '${vault:secret/db:password}', other: '${vault:secret/db:user}' }),
    (err: unknown) => err instanceof ConfigError &&
      err.message === "Config provider 'vault' failed to provide values for path 'secret/db' (used by db.password, other): backend down")
})

test('time-to-live values are reported per path (the shortest wins)', async () => {
  const a = new TableProvider({ '/a': { k: 'v' } }, 5000)
  const b = new TableProvider({ '/b': { k: 'v' } }, -1)
  const { ttls } = await new ConfigTransformer(new Map<string, ConfigProvider>([['a', a], ['b', b]])).transform({ x: '${a:/a:k}', y: '${b:/b:k}' })
  assert.deepEqual([...ttls], [['/a', 5000]])
})

test('FileConfigProvider reads a properties file (Java syntax, UTF-8); missing keys are left out; unreadable files fail', async (t) => {
  const logs = captureLogs(t)
  const dir = await tempDir(t)
  const file = join(dir, 'creds.properties')
  await writeFile(file, '# secrets\nuser = alice\npassword=p\\u00e4ss\\\n  word\nunicode=Grüße\nempty=\n')
  const provider = new FileConfigProvider()
  provider.configure({})
  assert.deepEqual(provider.get(file, new Set(['user', 'password', 'unicode', 'empty', 'missing'])).data,
    { user: 'alice', password: 'pässword', unicode: 'Grüße', empty: '' })
  assert.deepEqual(provider.get(file).data, { user: 'alice', password: 'pässword', unicode: 'Grüße', empty: '' })
  assert.deepEqual(provider.get('', new Set(['user'])).data, {})
  assert.throws(() => provider.get(join(dir, 'nope.properties'), new Set(['x'])),
    (err: unknown) => err instanceof ConfigError && err.message === `Could not read properties from file ${join(dir, 'nope.properties')}`)
  // Java reads it through a strict UTF-8 decoder.
  const latin1 = join(dir, 'latin1.properties')
  await writeFile(latin1, Buffer.from('k=caf\xe9\n', 'latin1'))
  assert.throws(() => provider.get(latin1, new Set(['k'])), /Could not read properties from file/)
  assert.ok(logs.some(l => l.includes(`Could not read properties from file ${latin1}`)))
})

test('allowed.paths restricts the file and directory providers (components compared, links resolved)', async (t) => {
  const logs = captureLogs(t)
  const dir = await tempDir(t)
  await mkdir(join(dir, 'secrets'))
  await mkdir(join(dir, 'secrets2'))
  await mkdir(join(dir, 'outside'))
  await writeFile(join(dir, 'secrets', 'a.properties'), 'k=inside\n')
  await writeFile(join(dir, 'secrets2', 'a.properties'), 'k=sibling\n')
  await writeFile(join(dir, 'outside', 'a.properties'), 'k=outside\n')
  await symlink(join(dir, 'outside'), join(dir, 'secrets', 'link'))
  const file = new FileConfigProvider()
  file.configure({ 'allowed.paths': join(dir, 'secrets') })
  assert.deepEqual(file.get(join(dir, 'secrets', 'a.properties'), new Set(['k'])).data, { k: 'inside' })
  assert.deepEqual(file.get(join(dir, 'secrets', '..', 'secrets', 'a.properties'), new Set(['k'])).data, { k: 'inside' })
  assert.deepEqual(file.get(join(dir, 'secrets2', 'a.properties'), new Set(['k'])).data, {})
  assert.deepEqual(file.get(join(dir, 'secrets', '..', 'outside', 'a.properties'), new Set(['k'])).data, {})
  assert.deepEqual(file.get(join(dir, 'secrets', 'link', 'a.properties'), new Set(['k'])).data, {})
  assert.deepEqual(file.get('relative/a.properties', new Set(['k'])).data, {})
  assert.ok(logs.some(l => l.includes(`The path ${join(dir, 'secrets2', 'a.properties')} is not allowed to be accessed`)))
  const directory = new DirectoryConfigProvider()
  directory.configure({ 'allowed.paths': `${join(dir, 'secrets2')},${join(dir, 'secrets')}` })
  assert.deepEqual(directory.get(join(dir, 'secrets'), new Set(['a.properties'])).data, { 'a.properties': 'k=inside\n' })
  assert.deepEqual(directory.get(join(dir, 'outside'), new Set(['a.properties'])).data, {})
  for (const bad of ['relative/dir', join(dir, 'does-not-exist')]) {
    assert.throws(() => new FileConfigProvider().configure({ 'allowed.paths': bad }),
      (err: unknown) => err instanceof ConfigError && err.message === `Path ${bad} is not valid. The path should be absolute and exist`)
  }
})

test('DirectoryConfigProvider: a file\'s whole content per key (secret mounts), links followed, subdirectories ignored', async (t) => {
  const logs = captureLogs(t)
  const dir = await tempDir(t)
  const secrets = join(dir, 'secrets')
  await mkdir(join(secrets, '..2024_01_01'), { recursive: true })
  await writeFile(join(secrets, '..2024_01_01', 'password'), 's3cret\n')
  await symlink(join(secrets, '..2024_01_01', 'password'), join(secrets, 'password'))
  await writeFile(join(secrets, 'username'), 'alice')
  await mkdir(join(secrets, 'subdir'))
  const provider = new DirectoryConfigProvider()
  provider.configure({})
  assert.deepEqual(provider.get(secrets, new Set(['password', 'username', 'subdir', 'missing'])).data, { password: 's3cret\n', username: 'alice' })
  assert.deepEqual(Object.keys(provider.get(secrets).data).sort(), ['password', 'username'])
  assert.deepEqual(provider.get(join(secrets, 'username'), new Set(['x'])).data, {})
  assert.ok(logs.some(l => l.includes(`The path ${join(secrets, 'username')} is not a directory`)))
  assert.deepEqual(provider.get(join(dir, 'nope'), new Set(['x'])).data, {})
})

test('EnvVarConfigProvider: the environment at creation, allowlist.pattern as a whole-name Java regex, no paths', () => {
  const env = { KAFKA_PASSWORD: 'pw', KAFKA_USER: 'alice', HOME: '/root', MY_KAFKA_X: 'x' }
  const all = new EnvVarConfigProvider(env)
  all.configure({})
  assert.deepEqual(all.get('', new Set(['KAFKA_PASSWORD', 'HOME', 'NOPE'])).data, { KAFKA_PASSWORD: 'pw', HOME: '/root' })
  const limited = new EnvVarConfigProvider(env)
  limited.configure({ 'allowlist.pattern': 'KAFKA_.*' })
  assert.deepEqual(limited.get('').data, { KAFKA_PASSWORD: 'pw', KAFKA_USER: 'alice' })
  assert.throws(() => limited.get('/x', new Set(['KAFKA_USER'])),
    (err: unknown) => err instanceof ConfigError && err.message === "Path is not supported for EnvVarConfigProvider, invalid value '/x'")
  const quoted = new EnvVarConfigProvider({ 'A.B': '1', AXB: '2' })
  quoted.configure({ 'allowlist.pattern': '\\QA.B\\E' })
  assert.deepEqual(quoted.get('').data, { 'A.B': '1' })
  // The real process environment by default.
  process.env.CONFIG_PROVIDER_TEST_VAR = 'from-env'
  try {
    const real = new EnvVarConfigProvider()
    real.configure({})
    assert.equal(real.get('', new Set(['CONFIG_PROVIDER_TEST_VAR'])).data.CONFIG_PROVIDER_TEST_VAR, 'from-env')
  } finally {
    delete process.env.CONFIG_PROVIDER_TEST_VAR
  }
})

test('providers come from config.providers with their class (name or alias) and param.* settings', async (t) => {
  const logs = captureLogs(t)
  const dir = await tempDir(t)
  await writeFile(join(dir, 'c.properties'), 'user=alice\n')
  const registry = builtinRegistry()
  const providers = await instantiateConfigProviders({
    'config.providers': ' file , env,dir,unset',
    'config.providers.file.class': 'FileConfigProvider',
    'config.providers.file.param.allowed.paths': dir,
    'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
    'config.providers.env.param.allowlist.pattern': 'NOTHING',
    'config.providers.dir.class': 'DirectoryConfigProvider'
  }, registry)
  assert.deepEqual([...providers.keys()], ['file', 'env', 'dir'])
  assert.ok(providers.get('file') instanceof FileConfigProvider)
  assert.ok(providers.get('dir') instanceof DirectoryConfigProvider)
  assert.deepEqual(await providers.get('env')!.get('', new Set(['HOME'])), { data: {} })
  assert.ok(logs.some(l => l.includes("config.providers lists 'unset' but config.providers.unset.class is not set")))
  await assert.rejects(instantiateConfigProviders({ 'config.providers': 'x', 'config.providers.x.class': 'FileConfigProvder' }, registry),
    (err: unknown) => err instanceof PluginError && /^Invalid value FileConfigProvder for configuration config\.providers\.x\.class: Class FileConfigProvder could not be found; did you mean FileConfigProvider/.test(err.message))
  await assert.rejects(instantiateConfigProviders({ 'config.providers': 'f', 'config.providers.f.class': 'FileConfigProvider', 'config.providers.f.param.allowed.paths': 'rel' }, registry),
    (err: unknown) => err instanceof ConfigError && err.message === "Config provider 'f' (config.providers.f.class=FileConfigProvider): Path rel is not valid. The path should be absolute and exist")
})

test('resolveWorkerConfig resolves every worker value (config.providers.* read raw) and closes its providers', async (t) => {
  const dir = await tempDir(t)
  await writeFile(join(dir, 'w.properties'), 'servers=broker:9093\nenable=false\n')
  const raw = {
    'config.providers': 'file',
    'config.providers.file.class': 'FileConfigProvider',
    'bootstrap.servers': `\${file:${dir}/w.properties:servers}`,
    'value.converter.schemas.enable': `\${file:${dir}/w.properties:enable}`,
    'key.converter': 'StringConverter',
    unresolved: `\${file:${dir}/w.properties:nope}`
  }
  const resolved = await resolveWorkerConfig(raw, builtinRegistry())
  assert.deepEqual(resolved.values, { ...raw, 'bootstrap.servers': 'broker:9093', 'value.converter.schemas.enable': 'false' })
  assert.deepEqual([...resolved.variableKeys].sort(), ['bootstrap.servers', 'unresolved', 'value.converter.schemas.enable'])
  // Without config.providers nothing is resolved, even if a value looks like a variable.
  const none = await resolveWorkerConfig({ a: '${file:/x:y}' }, builtinRegistry())
  assert.deepEqual(none.values, { a: '${file:/x:y}' })
})

test('ConnectorConfigResolver: resolves at each call (a changed file is seen), reports TTLs, reverse-transforms task configs, closes its providers', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'db.properties')
  await writeFile(file, 'password=first\n')
  const table = new TableProvider({ '/vault/db': { user: 'svc' } }, 60000)
  const fileProvider = new FileConfigProvider()
  fileProvider.configure({})
  const r = ConnectorConfigResolver.of(new Map<string, ConfigProvider>([['file', fileProvider], ['vault', table]]))
  const raw = { name: 'c', 'connection.password': `\${file:${file}:password}`, 'connection.user': '${vault:/vault/db:user}', 'tasks.max': '1' }
  assert.deepEqual(await r.resolveConnectorConfig(raw), { name: 'c', 'connection.password': 'first', 'connection.user': 'svc', 'tasks.max': '1' })
  await writeFile(file, 'password=second\n')
  const again = await r.transform(raw)
  assert.equal(again.data['connection.password'], 'second')
  assert.deepEqual([...again.ttls], [['/vault/db', 60000]])
  // Task configs a connector built from the resolved config get the raw variables back, key by key.
  assert.deepEqual(r.reverseTransform(raw, [{ 'connection.password': 'second', 'connection.user': 'svc', 'task.id': '0' }, { 'task.id': '1' }]), [
    { 'connection.password': raw['connection.password'], 'connection.user': '${vault:/vault/db:user}', 'task.id': '0' },
    { 'task.id': '1' }
  ])
  assert.deepEqual(await r.resolveConnectorConfig({ a: 'b' }), { a: 'b' })
  await r.close()
  assert.ok(table.closed)
  // Created from a worker file: its own provider instances.
  const fromWorker = await ConnectorConfigResolver.create({ 'config.providers': 'env', 'config.providers.env.class': 'EnvVarConfigProvider' }, builtinRegistry())
  assert.deepEqual(fromWorker.providerNames, ['env'])
  await fromWorker.close()
})

test('a provider plugin from plugin.path (examples/plugins/json-config-provider): alias, params, values and TTL', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'secrets.json')
  await writeFile(file, JSON.stringify({ db: { user: 'connect', password: 's3cret', port: 5432 } }))
  const registry = builtinRegistry()
  await loadPluginPath([join(ROOT, 'examples/plugins/json-config-provider')], registry)
  assert.equal(registry.find('JsonFileConfigProvider', ['config_provider'])?.className, 'com.example.JsonFileConfigProvider')
  const resolver = await ConnectorConfigResolver.create({
    'config.providers': 'json',
    'config.providers.json.class': 'JsonFileConfigProvider',
    'config.providers.json.param.ttl.ms': '60000'
  }, registry)
  t.after(async () => { await resolver.close() })
  const result = await resolver.transform({
    'connection.url': `jdbc:postgresql://db:\${json:${file}:db.port}/app`,
    'connection.user': `\${json:${file}:db.user}`,
    'connection.password': `\${json:${file}:db.password}`,
    other: `\${json:${file}:db.nope}`
  })
  assert.deepEqual(result.data, {
    'connection.url': 'jdbc:postgresql://db:5432/app',
    'connection.user': 'connect',
    'connection.password': 's3cret',
    other: `\${json:${file}:db.nope}`
  })
  assert.deepEqual([...result.ttls], [[file, 60000]])
  await assert.rejects(ConnectorConfigResolver.create({ 'config.providers': 'json', 'config.providers.json.class': 'JsonFileConfigProvider', 'config.providers.json.param.ttl.ms': 'soon' }, registry),
    (err: unknown) => err instanceof ConfigError && /Config provider 'json' \(config\.providers\.json\.class=JsonFileConfigProvider\): Invalid value soon for configuration ttl\.ms/.test(err.message))
})
