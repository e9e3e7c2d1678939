/**
 * PluginRegistry: Kafka's naming rules (class name, simple name, pruned name), ambiguous aliases, helpful errors
 * with suggestions, duplicate registration and SPI version checks.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  API_VERSION, ConfigDef, ErrorCode, PluginError, plugin, type PluginDescriptor, type Transformation
} from '../../src/api/index.ts'
import { builtinRegistry } from '../../src/plugins/builtin.ts'
import { PluginRegistry, prunedName, simpleName, suggest } from '../../src/plugins/registry.ts'

const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector'
const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector'
const STRING_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter'

function transformation (className: string, tag: string): PluginDescriptor<'transformation'> {
  const t: Transformation = {
    kind: 'transformation',
    configure () {},
    apply: record => record,
    config: () => new ConfigDef()
  }
  return plugin({ kind: 'transformation', className, version: tag, create: () => t })
}

function pluginError (fn: () => unknown): PluginError {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof PluginError, `expected a PluginError, got ${String(err)}`)
    return err
  }
  assert.fail('expected a PluginError to be thrown')
}

test('simpleName and prunedName follow Java naming', () => {
  assert.equal(simpleName(SOURCE), 'FileStreamSourceConnector')
  assert.equal(simpleName('org.apache.kafka.connect.transforms.InsertField$Value'), 'Value')
  assert.equal(simpleName('NoPackage'), 'NoPackage')
  assert.equal(prunedName(SOURCE, 'source'), 'FileStreamSource')
  assert.equal(prunedName(STRING_CONVERTER, 'converter'), 'String')
  assert.equal(prunedName('a.Connector', 'source'), null)
  assert.equal(prunedName('a.Foo', 'transformation'), null)
})

test('connector.class resolves by class name, simple name and pruned alias', () => {
  const registry = builtinRegistry()
  for (const name of [SOURCE, 'FileStreamSourceConnector', 'FileStreamSource']) {
    const d = registry.resolveConnector(name)
    assert.equal(d.className, SOURCE, name)
    assert.equal(d.kind, 'source')
  }
  for (const name of [SINK, 'FileStreamSinkConnector', 'FileStreamSink']) {
    const d = registry.resolveConnector(name)
    assert.equal(d.className, SINK, name)
    assert.equal(d.kind, 'sink')
  }
  assert.equal(registry.resolveConnector('FileStreamSource').create().kind, 'source')
})

test('converters resolve by simple name, pruned name and class name', () => {
  const registry = builtinRegistry()
  for (const name of ['StringConverter', 'String', STRING_CONVERTER]) {
    const d = registry.find(name, ['converter'])
    assert.ok(d, name)
    assert.equal(d.className, STRING_CONVERTER)
    assert.equal(d.kind, 'converter')
  }
  assert.equal(registry.find('String', ['header_converter'])?.kind, 'header_converter')
  assert.equal(registry.find('JsonConverter', ['converter'])?.className, 'org.apache.kafka.connect.json.JsonConverter')
  // The kind filter applies: a header-only converter is not a converter.
  assert.equal(registry.find('SimpleHeaderConverter', ['converter']), undefined)
  // Connector names do not resolve as converters.
  assert.equal(registry.find('FileStreamSource', ['converter']), undefined)
})

test('an unknown connector gives Kafka\'s message with a did-you-mean suggestion', () => {
  const registry = builtinRegistry()
  const err = pluginError(() => registry.resolveConnector('FileStreamSorce'))
  assert.equal(err.code, ErrorCode.PLUGIN_NOT_FOUND)
  assert.match(err.message, /^Failed to find any class that implements Connector and which name matches FileStreamSorce/)
  assert.match(err.message, /did you mean FileStreamSource\b/)
  assert.ok(err.message.includes(`Available connectors are: io.confluent.kafka.connect.datagen.DatagenConnector, io.debezium.connector.jdbc.JdbcSinkConnector, io.debezium.connector.postgresql.PostgresConnector, ${SINK}, ${SOURCE}`), err.message)

  const far = pluginError(() => registry.resolveConnector('com.acme.Nothing'))
  assert.match(far.message, /which name matches com\.acme\.Nothing\. Available connectors/)
  assert.ok(!far.message.includes('did you mean'))
})

test('resolve() of an unknown converter names the config key and suggests a near name', () => {
  const registry = builtinRegistry()
  const err = pluginError(() => registry.resolve('StringConvertr', ['converter'], 'value.converter'))
  assert.match(err.message, /^Invalid value StringConvertr for configuration value.converter: Class StringConvertr could not be found; did you mean StringConverter/)
})

test('an unknown converter says it is not built in, lists the converters that are, and names plugin.path', () => {
  const registry = builtinRegistry()
  const err = pluginError(() => registry.resolve('com.acme.XmlConverter', ['converter'], 'value.converter'))
  assert.match(err.message, /^Invalid value com\.acme\.XmlConverter for configuration value\.converter: Class com\.acme\.XmlConverter could not be found\. It is not built in; the converters that are: /)
  for (const builtin of registry.list(['converter'])) assert.ok(err.message.includes(builtin.descriptor.className), builtin.descriptor.className)
  assert.match(err.message, /org\.apache\.kafka\.connect\.json\.JsonConverter/)
  assert.match(err.message, /plugin module listed in the worker's plugin\.path/)
  // A transformation gets no converter hint.
  assert.doesNotMatch(pluginError(() => registry.resolve('com.acme.Nope', ['transformation'], 'transforms.t.type')).message, /plugin\.path/)
})

test('ambiguous simple names are not aliases, full names still resolve', () => {
  const registry = new PluginRegistry()
    .register(transformation('x.Foo$Value', 'foo'))
    .register(transformation('y.Bar$Value', 'bar'))
  assert.equal(registry.find('Value', ['transformation']), undefined)
  assert.throws(() => registry.resolve('Value', ['transformation'], 'transforms.t.type'), /Class Value could not be found/)
  assert.equal(registry.find('x.Foo$Value', ['transformation'])?.version, 'foo')
  assert.equal(registry.find('y.Bar$Value', ['transformation'])?.version, 'bar')
})

test('ambiguous connector aliases are reported as such', () => {
  const registry = builtinRegistry()
  const other = builtinRegistry().resolveConnector(SOURCE)
  registry.register({ ...other, className: 'com.acme.FileStreamSourceConnector' }, 'acme')
  assert.equal(registry.find('FileStreamSource', ['source']), undefined)
  const err = pluginError(() => registry.resolveConnector('FileStreamSource'))
  assert.match(err.message, /More than one connector matches alias FileStreamSource/)
  assert.ok(err.message.includes('com.acme.FileStreamSourceConnector') && err.message.includes(SOURCE))
  assert.equal(registry.resolveConnector('com.acme.FileStreamSourceConnector').className, 'com.acme.FileStreamSourceConnector')
})

test('registering the same class and kind twice throws, naming both origins', () => {
  const registry = new PluginRegistry().register(transformation('a.B', '1'), 'first.js')
  const err = pluginError(() => registry.register(transformation('a.B', '2'), 'second.js'))
  assert.equal(err.message, 'Plugin a.B (transformation) from second.js is already registered from first.js')
  assert.equal(registry.find('a.B', ['transformation'])?.version, '1')
  // The same class name under another kind is allowed (StringConverter is both converter and header converter).
  assert.ok(builtinRegistry().find(STRING_CONVERTER, ['header_converter']))
  assert.throws(() => builtinRegistry().registerManifest({ apiVersion: API_VERSION, plugins: [builtinRegistry().resolveConnector(SOURCE)] }), /already registered/)
})

test('a manifest for another SPI version is refused', () => {
  const registry = new PluginRegistry()
  const err = pluginError(() => registry.registerManifest({ apiVersion: API_VERSION + 1, plugins: [transformation('a.B', '1')] }, 'plugin.js'))
  assert.equal(err.message, `Plugin module plugin.js was built for SPI version ${API_VERSION + 1}, this runner provides version ${API_VERSION}`)
  assert.equal(registry.list().length, 0)
})

test('explicit aliases, clone() and list()', () => {
  const registry = new PluginRegistry().register({ ...transformation('com.acme.Upper', '1'), aliases: ['Shout'] })
  assert.equal(registry.find('Shout', ['transformation'])?.className, 'com.acme.Upper')
  const copy = registry.clone()
  copy.register(transformation('com.acme.Lower', '1'))
  assert.deepEqual(copy.list().map(p => p.descriptor.className), ['com.acme.Lower', 'com.acme.Upper'])
  assert.deepEqual(registry.list().map(p => p.descriptor.className), ['com.acme.Upper'])
  // Aliases are recomputed after a new registration.
  copy.register(transformation('org.other.Upper', '2'))
  assert.equal(copy.find('Upper', ['transformation']), undefined)
  assert.equal(registry.find('Upper', ['transformation'])?.className, 'com.acme.Upper')
})

test('suggest() offers the nearest names, or nothing', () => {
  assert.equal(suggest('Strng', ['String', 'Json', 'ByteArray']), '; did you mean String')
  assert.equal(suggest('zzzzzzzzzz', ['String']), '')
})
