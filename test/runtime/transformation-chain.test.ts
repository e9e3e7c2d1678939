/**
 * TransformationChain: stage order, predicates with negate, Apache's negate-without-predicate message, dropping
 * records, and records never being mutated.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  ConfigDef, ConfigError, Headers, PluginError, definePlugins, newRecord, plugin, sourceRecord,
  type AnyRecord, type Predicate, type SourceRecord, type Transformation
} from '../../src/api/index.ts'
import { PluginRegistry } from '../../src/plugins/registry.ts'
import { TransformationChain } from '../../src/runtime/transformation-chain.ts'

/** Appends its `suffix` config to string values. */
class AppendSuffix implements Transformation {
  readonly kind = 'transformation'
  suffix = ''
  configure (configs: Readonly<Record<string, string>>): void { this.suffix = configs.suffix ?? '' }
  apply (record: AnyRecord): AnyRecord { return newRecord(record, { value: `${String(record.value)}${this.suffix}` }) }
  config (): ConfigDef { return new ConfigDef() }
}

/** Drops every record. */
class DropAll implements Transformation {
  readonly kind = 'transformation'
  configure (): void {}
  apply (): null { return null }
  config (): ConfigDef { return new ConfigDef() }
}

/** Mutates its input in place if it can (it must not be able to). */
class Mutator implements Transformation {
  readonly kind = 'transformation'
  configure (): void {}
  apply (record: AnyRecord): AnyRecord {
    (record as { value: unknown }).value = 'mutated'
    return record
  }

  config (): ConfigDef { return new ConfigDef() }
}

/** True when the record's topic equals the configured `pattern`. */
class TopicIs implements Predicate {
  readonly kind = 'predicate'
  topic = ''
  configure (configs: Readonly<Record<string, string>>): void { this.topic = configs.pattern ?? '' }
  test (record: AnyRecord): boolean { return record.topic === this.topic }
  config (): ConfigDef { return new ConfigDef() }
}

function registry (): PluginRegistry {
  return new PluginRegistry().registerManifest(definePlugins([
    plugin({ kind: 'transformation', className: 'test.AppendSuffix', version: '1', create: () => new AppendSuffix() }),
    plugin({ kind: 'transformation', className: 'test.DropAll', version: '1', create: () => new DropAll() }),
    plugin({ kind: 'transformation', className: 'test.Mutator', version: '1', create: () => new Mutator() }),
    plugin({ kind: 'predicate', className: 'test.TopicIs', version: '1', create: () => new TopicIs() })
  ]), 'test')
}

function deepFreeze<T> (value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

function record (topic: string, value: unknown): SourceRecord {
  return sourceRecord({ topic, value, sourcePartition: { f: 'x' }, sourceOffset: { p: 1 } })
}

test('stages run in the order of `transforms`, each with its own config', () => {
  const chain = TransformationChain.build({
    transforms: 'second, first',
    'transforms.first.type': 'test.AppendSuffix',
    'transforms.first.suffix': '-1',
    'transforms.second.type': 'AppendSuffix',
    'transforms.second.suffix': '-2'
  }, registry())
  assert.equal(chain.isEmpty, false)
  assert.equal(chain.apply(record('t', 'v'))?.value, 'v-2-1')
})

test('an empty chain returns the record itself', () => {
  const r = record('t', 'v')
  const chain = TransformationChain.build({ transforms: '' }, registry())
  assert.equal(chain.isEmpty, true)
  assert.equal(chain.apply(r), r)
  assert.equal(TransformationChain.EMPTY.apply(r), r)
})

test('a predicate guards its stage; negate inverts it', () => {
  const props = {
    transforms: 'onlyA, notA',
    'transforms.onlyA.type': 'test.AppendSuffix',
    'transforms.onlyA.suffix': '+a',
    'transforms.onlyA.predicate': 'isA',
    'transforms.notA.type': 'test.AppendSuffix',
    'transforms.notA.suffix': '+other',
    'transforms.notA.predicate': 'isA',
    'transforms.notA.negate': 'true',
    predicates: 'isA',
    'predicates.isA.type': 'test.TopicIs',
    'predicates.isA.pattern': 'a'
  }
  const chain = TransformationChain.build(props, registry())
  assert.equal(chain.apply(record('a', 'v'))?.value, 'v+a')
  assert.equal(chain.apply(record('b', 'v'))?.value, 'v+other')

  const notNegated = TransformationChain.build({ ...props, 'transforms.notA.negate': 'false' }, registry())
  assert.equal(notNegated.apply(record('a', 'v'))?.value, 'v+a+other')
  assert.equal(notNegated.apply(record('b', 'v'))?.value, 'v')
})

test('negate without predicate is refused with Apache\'s message', () => {
  assert.throws(() => TransformationChain.build({
    transforms: 'a',
    'transforms.a.type': 'test.AppendSuffix',
    'transforms.a.negate': 'true'
  }, registry()), (err: unknown) => err instanceof ConfigError &&
    err.message === "Config 'transforms.a.negate' was provided but there is no config 'transforms.a.predicate' defining a predicate to be negated.")
})

test('a predicate alias that is not defined is refused', () => {
  assert.throws(() => TransformationChain.build({
    transforms: 'a',
    'transforms.a.type': 'test.AppendSuffix',
    'transforms.a.predicate': 'missing'
  }, registry()), (err: unknown) => err instanceof ConfigError &&
    err.message === 'Invalid value missing for configuration transforms.a.predicate: Predicate alias missing is not defined in predicates')
})

test('an unknown transformation type names its key', () => {
  assert.throws(() => TransformationChain.build({ transforms: 'a', 'transforms.a.type': 'test.Nope' }, registry()),
    (err: unknown) => err instanceof PluginError && /^Invalid value test\.Nope for configuration transforms\.a\.type: Class test\.Nope could not be found/.test(err.message))
})

test('a stage returning null drops the record and later stages do not run', () => {
  let laterCalls = 0
  const reg = registry().register(plugin({
    kind: 'transformation',
    className: 'test.Counter',
    version: '1',
    create: () => ({ kind: 'transformation', configure () {}, apply: r => { laterCalls++; return r }, config: () => new ConfigDef() })
  }))
  const chain = TransformationChain.build({
    transforms: 'suffix, drop, count',
    'transforms.suffix.type': 'test.AppendSuffix',
    'transforms.drop.type': 'test.DropAll',
    'transforms.count.type': 'test.Counter'
  }, reg)
  assert.equal(chain.apply(record('t', 'v')), null)
  assert.equal(laterCalls, 0)
})

test('records are not mutated by the chain', () => {
  const chain = TransformationChain.build({
    transforms: 'x, y',
    'transforms.x.type': 'test.AppendSuffix',
    'transforms.x.suffix': '!',
    'transforms.y.type': 'test.AppendSuffix',
    'transforms.y.suffix': '?'
  }, registry())
  const input = deepFreeze(sourceRecord({
    topic: 't',
    value: 'v',
    sourcePartition: { f: 'x' },
    sourceOffset: { p: 1 },
    headers: new Headers().with('h', ['a'])
  }))
  const snapshot = { ...input }
  const out = chain.apply(input)
  assert.equal(out?.value, 'v!?')
  assert.notEqual(out, input)
  assert.ok(Object.isFrozen(out))
  assert.deepEqual({ ...input }, snapshot)
  assert.equal(input.value, 'v')
  assert.deepEqual(input.headers.lastWithName('h')?.value, ['a'])
})

test('records from sourceRecord are frozen, so a mutating stage fails loudly', () => {
  const chain = TransformationChain.build({ transforms: 'm', 'transforms.m.type': 'test.Mutator' }, registry())
  const input = record('t', 'v')
  assert.throws(() => chain.apply(input), TypeError)
  assert.equal(input.value, 'v')
})

test('close() closes every transformation and predicate', () => {
  const closed: string[] = []
  const reg = new PluginRegistry()
    .register(plugin({
      kind: 'transformation',
      className: 'test.Closable',
      version: '1',
      create: () => ({ kind: 'transformation', configure () {}, apply: r => r, config: () => new ConfigDef(), close: () => { closed.push('t') } })
    }))
    .register(plugin({
      kind: 'predicate',
      className: 'test.ClosablePredicate',
      version: '1',
      create: () => ({ kind: 'predicate', configure () {}, test: () => true, config: () => new ConfigDef(), close: () => { closed.push('p') } })
    }))
  const chain = TransformationChain.build({
    transforms: 'c',
    'transforms.c.type': 'test.Closable',
    'transforms.c.predicate': 'p',
    predicates: 'p',
    'predicates.p.type': 'test.ClosablePredicate'
  }, reg)
  chain.close()
  assert.deepEqual(closed, ['t', 'p'])
})
