/**
 * Plugin loading from plugin.path: the TypeScript example plugin (through tsx), plain .mjs modules, packages, and
 * the errors for malformed or missing entries.
 */
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { PluginError, sourceRecord, type SourceRecord } from '../../src/api/index.ts'
import { checkManifest, loadPluginPath } from '../../src/plugins/loader.ts'
import { PluginRegistry } from '../../src/plugins/registry.ts'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const API_URL = pathToFileURL(join(ROOT, 'src/api/index.ts')).href

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'loader-test-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

async function rejection (promise: Promise<unknown>): Promise<PluginError> {
  try {
    await promise
  } catch (err) {
    assert.ok(err instanceof PluginError, `expected a PluginError, got ${String(err)}`)
    return err
  }
  assert.fail('expected a PluginError')
}

/** A plain-JS plugin module, written without the SPI helpers (the manifest is just data). */
function jsPlugin (className: string): string {
  return `export default {
  apiVersion: 1,
  plugins: [{
    kind: 'transformation',
    className: ${JSON.stringify(className)},
    version: '2.0.0',
    create: () => ({
      kind: 'transformation',
      configure () {},
      apply (record) { return { ...record, value: String(record.value) + '!' } },
      config () { return null }
    })
  }]
}
`
}

test('loads the TypeScript example plugin and its transformation upper-cases values', async () => {
  const registry = new PluginRegistry()
  const loaded = await loadPluginPath([join(ROOT, 'examples/plugins')], registry)
  assert.deepEqual(loaded, [join(ROOT, 'examples/plugins/json-config-provider/index.ts'), join(ROOT, 'examples/plugins/line-tools/index.ts'),
    join(ROOT, 'examples/plugins/uppercase-transform/index.ts')])
  const descriptor = registry.find('com.example.UppercaseValue', ['transformation'])
  assert.ok(descriptor, 'com.example.UppercaseValue is registered')
  assert.equal(descriptor.version, '1.0.0')
  assert.equal(registry.find('UppercaseValue', ['transformation'])?.className, 'com.example.UppercaseValue')
  assert.equal(registry.list()[0]!.origin, loaded[0])

  const transform = descriptor.create()
  transform.configure({})
  const input = sourceRecord({ topic: 't', value: 'héllo world', sourcePartition: { f: 'x' }, sourceOffset: { p: 1 } })
  const out = transform.apply(input) as SourceRecord | null
  assert.ok(out)
  assert.equal(out.value, 'HÉLLO WORLD')
  assert.equal(out.topic, 't')
  assert.deepEqual(out.sourceOffset, { p: 1 })
  assert.equal(input.value, 'héllo world', 'the input record is unchanged')
  const nonString = sourceRecord({ topic: 't', value: 42 })
  assert.equal(transform.apply(nonString), nonString)
})

test('loads a .mjs plugin module from a directory and a file entry', async t => {
  const dir = await tempDir(t)
  await writeFile(join(dir, 'exclaim.mjs'), jsPlugin('com.acme.Exclaim'))
  await writeFile(join(dir, 'README.md'), 'not a module')
  await writeFile(join(dir, 'types.d.ts'), 'export {}')
  await writeFile(join(dir, '.hidden.mjs'), 'throw new Error("must not be loaded")')
  const registry = new PluginRegistry()
  const loaded = await loadPluginPath([dir], registry)
  assert.deepEqual(loaded, [join(dir, 'exclaim.mjs')])
  const transform = registry.create('Exclaim', ['transformation'], 'transforms.x.type')
  const out = transform.apply(sourceRecord({ topic: 't', value: 'hi' }))
  assert.equal(out?.value, 'hi!')

  const other = await tempDir(t)
  const file = join(other, 'one.mjs')
  await writeFile(file, jsPlugin('com.acme.One'))
  const registry2 = new PluginRegistry()
  assert.deepEqual(await loadPluginPath([file], registry2), [file])
  assert.equal(registry2.find('com.acme.One', ['transformation'])?.version, '2.0.0')
})

test('loads a plugin package through its package.json main', async t => {
  const dir = await tempDir(t)
  const pkg = join(dir, 'my-plugin')
  await mkdir(join(pkg, 'lib'), { recursive: true })
  await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'my-plugin', type: 'module', main: 'lib/main.js' }))
  await writeFile(join(pkg, 'lib/main.js'), jsPlugin('com.acme.Packaged'))
  const registry = new PluginRegistry()
  assert.deepEqual(await loadPluginPath([dir], registry), [join(pkg, 'lib/main.js')])
  assert.ok(registry.find('Packaged', ['transformation']))
})

test('a TypeScript plugin in a temp dir imports the SPI and loads', async t => {
  const dir = await tempDir(t)
  await writeFile(join(dir, 'reverse.ts'), `import { ConfigDef, definePlugins, newRecord, plugin, type AnyRecord } from ${JSON.stringify(API_URL)}
const create = () => ({
  kind: 'transformation' as const,
  configure (): void {},
  apply: (r: AnyRecord) => newRecord(r, { value: [...String(r.value)].reverse().join('') }),
  config: () => new ConfigDef()
})
export default definePlugins([plugin({ kind: 'transformation', className: 'com.acme.Reverse', version: '1', create })])
`)
  const registry = new PluginRegistry()
  await loadPluginPath([dir], registry)
  const out = registry.create('Reverse', ['transformation'], 'k').apply(sourceRecord({ topic: 't', value: 'abc' }))
  assert.equal(out?.value, 'cba')
})

test('a module without a default export is a PluginError naming the file', async t => {
  const dir = await tempDir(t)
  const file = join(dir, 'nodefault.mjs')
  await writeFile(file, 'export const plugins = []\n')
  const registry = new PluginRegistry()
  const err = await rejection(loadPluginPath([dir], registry))
  assert.ok(err.message.includes(file), err.message)
  assert.match(err.message, /has no default export/)
  assert.equal(registry.list().length, 0)
})

test('a module that fails to import is a PluginError naming the file', async t => {
  const dir = await tempDir(t)
  const file = join(dir, 'broken.mjs')
  await writeFile(file, 'throw new Error("boom at import")\n')
  const err = await rejection(loadPluginPath([file], new PluginRegistry()))
  assert.equal(err.message, `Cannot load plugin module ${file}: boom at import`)
})

test('a missing plugin.path entry is a PluginError naming the entry', async t => {
  const dir = await tempDir(t)
  const missing = join(dir, 'does-not-exist')
  const err = await rejection(loadPluginPath([missing], new PluginRegistry()))
  assert.equal(err.message, `plugin.path entry '${missing}' cannot be read: ENOENT`)
})

test('checkManifest names the faulty field', () => {
  assert.throws(() => checkManifest({ apiVersion: 1, plugins: [{ kind: 'widget', className: 'a.B', version: '1', create: () => null }] }, 'm.js'),
    (err: unknown) => err instanceof PluginError && /^Plugin module m\.js plugins\[0\]\.kind is "widget"; expected one of source, sink/.test(err.message))
  assert.throws(() => checkManifest({ apiVersion: 1, plugins: [{ kind: 'source', className: '', version: '1', create: () => null }] }, 'm.js'),
    /plugins\[0\]\.className must be a non-empty string/)
  assert.throws(() => checkManifest({ apiVersion: '1', plugins: [] }, 'm.js'), /default export has no numeric apiVersion/)
  assert.throws(() => checkManifest({ apiVersion: 1 }, 'm.js'), /default export has no plugins array/)
  const ok = { apiVersion: 1, plugins: [] }
  assert.equal(checkManifest(ok, 'm.js'), ok)
})

test('a .ts plugin in a "type": "commonjs" directory with no node_modules gets the worker\'s own connect-standalone/api', async t => {
  const dir = await tempDir(t)
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'cjs-plugins', version: '1.0.0', type: 'commonjs' }))
  await mkdir(join(dir, 'plugins'))
  await writeFile(join(dir, 'plugins', 'shout.ts'), `import { ConfigDef, definePlugins, plugin, type AnyRecord, type Transformation } from 'connect-standalone/api'
class Shout implements Transformation {
  readonly kind = 'transformation'
  configure (): void {}
  apply (record: AnyRecord): AnyRecord { return record }
  config (): ConfigDef { return new ConfigDef() }
}
export const PluginConfigDef = ConfigDef
export default definePlugins([plugin({ kind: 'transformation', className: 'com.acme.Shout', version: '1.0.0', create: () => new Shout() })])
`)
  const registry = new PluginRegistry()
  await loadPluginPath([join(dir, 'plugins')], registry)
  assert.equal(registry.find('com.acme.Shout', ['transformation'])?.version, '1.0.0')
  const plugin = await import(pathToFileURL(join(dir, 'plugins', 'shout.ts')).href) as { PluginConfigDef: unknown }
  const api = await import(API_URL) as { ConfigDef: unknown }
  assert.equal(plugin.PluginConfigDef, api.ConfigDef, 'the plugin shares the worker\'s API module (one ConfigDef class)')
})

test('CommonJS plugins (.cts through tsx, plain .cjs) that require connect-standalone/api get the worker\'s own API', async t => {
  // A folder outside any project: CommonJS's own resolver finds no connect-standalone here, and Node 20 cannot hand
  // an ES module to require() inside a module loaded through hooks; both used to fail the load.
  const dir = await tempDir(t)
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'cjs-plugins', version: '1.0.0', type: 'commonjs' }))
  await mkdir(join(dir, 'plugins'))
  await writeFile(join(dir, 'plugins', 'whisper.cts'), `import { ConfigDef, definePlugins, newRecord, plugin, type AnyRecord, type Transformation } from 'connect-standalone/api'
class Whisper implements Transformation {
  readonly kind = 'transformation'
  configure (): void {}
  apply (record: AnyRecord): AnyRecord { return typeof record.value === 'string' ? newRecord(record, { value: record.value.toLowerCase() }) : record }
  config (): ConfigDef { return new ConfigDef() }
}
export const PluginConfigDef = ConfigDef
export default definePlugins([plugin({ kind: 'transformation', className: 'com.acme.Whisper', version: '2.0.0', create: () => new Whisper() })])
`)
  await writeFile(join(dir, 'plugins', 'echo.cjs'), `const api = require('connect-standalone/api')
class Echo {
  constructor () { this.kind = 'transformation' }
  configure () {}
  apply (record) { return record }
  config () { return new api.ConfigDef() }
}
module.exports = api.definePlugins([api.plugin({ kind: 'transformation', className: 'com.acme.Echo', version: '3.0.0', create: () => new Echo() })])
module.exports.ApiConfigDef = api.ConfigDef
`)
  const registry = new PluginRegistry()
  await loadPluginPath([join(dir, 'plugins')], registry)
  assert.equal(registry.find('com.acme.Whisper', ['transformation'])?.version, '2.0.0')
  assert.equal(registry.find('com.acme.Echo', ['transformation'])?.version, '3.0.0')
  const api = await import(API_URL) as { ConfigDef: unknown, sourceRecord: typeof sourceRecord }
  const whisper = registry.find('com.acme.Whisper', ['transformation'])!.create() as { apply: (r: SourceRecord) => SourceRecord, config: () => unknown }
  assert.equal(whisper.apply(api.sourceRecord({ topic: 't', value: 'QUIET' })).value, 'quiet')
  assert.ok(whisper.config() instanceof (api.ConfigDef as new () => unknown), 'the .cts plugin shares the worker\'s ConfigDef class')
  const echo = registry.find('com.acme.Echo', ['transformation'])!.create() as { config: () => unknown }
  assert.ok(echo.config() instanceof (api.ConfigDef as new () => unknown), 'the .cjs plugin shares the worker\'s ConfigDef class')
})
