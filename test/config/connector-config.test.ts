// Connector config validation of transformations and predicates: every problem is reported on its own key, with
// Apache's wording where Apache has one.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ensureValidConnectorConfig, validateConnectorConfig } from '../../src/config/connector-config.ts'
import { builtinRegistry } from '../../src/plugins/builtin.ts'

const registry = builtinRegistry()

const SOURCE = { name: 'src', 'connector.class': 'FileStreamSource', topic: 't', file: '/dev/null' }

function errorsByKey (props: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const v of validateConnectorConfig(props, registry).values) if (v.errors.length > 0) out[v.name] = v.errors
  return out
}

test('a valid SMT chain with a predicate has no errors', () => {
  const errors = errorsByKey({
    ...SOURCE,
    transforms: 'cast,route',
    'transforms.cast.type': 'org.apache.kafka.connect.transforms.Cast$Value',
    'transforms.cast.spec': 'int32',
    'transforms.cast.predicate': 'isT',
    'transforms.cast.negate': 'true',
    'transforms.route.type': 'RegexRouter',
    'transforms.route.regex': 't',
    'transforms.route.replacement': 'u',
    predicates: 'isT',
    'predicates.isT.type': 'TopicNameMatches',
    'predicates.isT.pattern': 't.*'
  })
  assert.deepEqual(errors, {})
})

test('an unknown transformation type is reported on its type key', () => {
  const errors = errorsByKey({ ...SOURCE, transforms: 'x', 'transforms.x.type': 'com.example.NoSuchTransform' })
  assert.deepEqual(Object.keys(errors), ['transforms.x.type'])
  assert.match(errors['transforms.x.type']![0]!, /com\.example\.NoSuchTransform/)
})

test('a missing required SMT key is reported with Kafka\'s message under its prefix', () => {
  const errors = errorsByKey({ ...SOURCE, transforms: 'hoist', 'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value' })
  assert.deepEqual(errors, { 'transforms.hoist.field': ['Missing required configuration "transforms.hoist.field" which has no default value.'] })
})

test('an invalid regex is reported on the regex key, the message naming the key as the SMT knows it', () => {
  const errors = errorsByKey({ ...SOURCE, transforms: 'r', 'transforms.r.type': 'RegexRouter', 'transforms.r.regex': '(unclosed', 'transforms.r.replacement': 'x' })
  assert.deepEqual(Object.keys(errors), ['transforms.r.regex'])
  assert.match(errors['transforms.r.regex']![0]!, /^Invalid value \(unclosed for configuration regex: Invalid regex/)
})

test('invalid cast specs are reported on the spec key', () => {
  const cases: Array<[string, string]> = [
    ['a:bytes', 'Cast transformation does not support casting to BYTES; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]'],
    ['', 'Must specify at least one field to cast.'],
    ['int32,a:int8', 'Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec'],
    ['a:b:c', 'Invalid value [a:b:c] for configuration renames: Invalid rename mapping: a:b:c']
  ]
  for (const [spec, message] of cases) {
    const errors = errorsByKey({ ...SOURCE, transforms: 'c', 'transforms.c.type': 'org.apache.kafka.connect.transforms.Cast$Value', 'transforms.c.spec': spec })
    assert.deepEqual(errors, { 'transforms.c.spec': [message] }, `spec ${JSON.stringify(spec)}`)
  }
})

test('a predicate alias that is not defined is reported on the predicate key', () => {
  const errors = errorsByKey({ ...SOURCE, transforms: 'f', 'transforms.f.type': 'Filter', 'transforms.f.predicate': 'nope', predicates: 'other', 'predicates.other.type': 'RecordIsTombstone' })
  assert.deepEqual(Object.keys(errors), ['transforms.f.predicate'])
  assert.match(errors['transforms.f.predicate']![0]!, /^Invalid value nope for configuration transforms\.f\.predicate: Predicate alias nope is not defined in predicates/)
})

test('negate without predicate is an error, as in Apache', () => {
  const errors = errorsByKey({ ...SOURCE, transforms: 'f', 'transforms.f.type': 'Filter', 'transforms.f.negate': 'true' })
  assert.deepEqual(errors, { 'transforms.f.negate': ["Config 'transforms.f.negate' was provided but there is no config 'transforms.f.predicate' defining a predicate to be negated."] })
})

test('a bad predicate config and a bad negate value are reported on their keys', () => {
  const errors = errorsByKey({
    ...SOURCE,
    transforms: 'f',
    'transforms.f.type': 'Filter',
    'transforms.f.predicate': 'p',
    'transforms.f.negate': 'maybe',
    predicates: 'p',
    'predicates.p.type': 'TopicNameMatches'
  })
  assert.deepEqual(errors, {
    'transforms.f.negate': ['Invalid value maybe for configuration transforms.f.negate: Expected value to be either true or false'],
    'predicates.p.pattern': ['Missing required configuration "predicates.p.pattern" which has no default value.']
  })
})

test('a cross-key problem only configure() finds is reported on the type key', () => {
  // TimestampConverter needs a format when converting to a string; its ConfigDef alone cannot say so.
  const errors = errorsByKey({ ...SOURCE, transforms: 'ts', 'transforms.ts.type': 'org.apache.kafka.connect.transforms.TimestampConverter$Value', 'transforms.ts.target.type': 'string' })
  assert.deepEqual(Object.keys(errors), ['transforms.ts.type'])
  assert.match(errors['transforms.ts.type']![0]!, /format/i)
})

test('start-up validation lists every problem in one error naming the connector', () => {
  assert.throws(() => ensureValidConnectorConfig({
    ...SOURCE,
    transforms: 'hoist,c',
    'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
    'transforms.c.type': 'org.apache.kafka.connect.transforms.Cast$Value',
    'transforms.c.spec': 'x:struct'
  }, registry, 'connector src'), (err: Error) => {
    assert.match(err.message, /contains the following 2 error\(s\) \(connector src\)/)
    assert.match(err.message, /transforms\.hoist\.field/)
    assert.match(err.message, /casting to STRUCT/)
    return true
  })
})

// Kafka 4.x validates a sink's topics with ValidList.anyNonDuplicateValues (checked on Apache 4.3.1's
// SinkConnectorConfig): a repeated topic is refused, an unrepeated list is fine.
test('a sink whose topics repeat one is refused with Kafka\'s message', () => {
  const sink = { name: 'snk', 'connector.class': 'FileStreamSink', file: '/dev/null' }
  assert.deepEqual(errorsByKey({ ...sink, topics: 'a, b ,a' }), { topics: ['Configuration \'topics\' values must not be duplicated.'] })
  assert.deepEqual(errorsByKey({ ...sink, topics: 'a,b' }), {})
})

// HTTP clients drop '.' and '..' path segments, so such a connector could never be reached at /connectors/<name>.
// Every other name Apache 4.3.1 accepts (NonEmptyStringWithoutControlChars) stays accepted here.
test('a connector named . or .. is refused on the name key; other names Apache accepts are kept', () => {
  for (const name of ['.', '..', ' .. ']) {
    const errors = errorsByKey({ ...SOURCE, name })
    assert.deepEqual(Object.keys(errors), ['name'], name)
    assert.match(errors.name![0]!, /^Invalid value \.{1,2} for configuration name: a connector cannot be named '\.' or '\.\.'/)
    assert.throws(() => ensureValidConnectorConfig({ ...SOURCE, name }, registry, `connector ${name}`), /configuration name: a connector cannot be named/)
  }
  for (const name of ['...', '.hidden', 'a/b', 'a..b', 'with space', '%2E%2E', 'ü/..']) {
    assert.deepEqual(errorsByKey({ ...SOURCE, name }), {}, name)
  }
  assert.match(errorsByKey({ ...SOURCE, name: '' }).name![0]!, /String may not be empty/)
})
