/**
 * ConfigDef: Kafka's parsing rules (trim, list splitting, case-insensitive booleans, strict numbers), Kafka's error
 * wording, validators, validate() vs parse(), Password hiding and the Markdown docs.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  ConfigDef, ConfigError, NonEmptyString, NonEmptyStringWithoutControlChars, Password, Range, ValidString, invalidValueMessage, parseType
} from '../../src/api/index.ts'

function configError (fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`)
    return err
  }
  assert.fail('expected a ConfigError to be thrown')
}

test('parseType: string and class values are trimmed', () => {
  assert.equal(parseType('k', '  hello world \t', 'string'), 'hello world')
  assert.equal(parseType('k', ' org.example.Foo ', 'class'), 'org.example.Foo')
  assert.equal(parseType('k', '', 'string'), '')
})

// Kafka trims with Java's String.trim() and splits lists on Java's \s: control characters go, Unicode spaces stay.
test('parseType: trims and splits as Java does (control characters stripped, U+00A0, U+2028 and U+FEFF kept)', () => {
  assert.equal(parseType('k', '\u0000\u001f x \u0001', 'string'), 'x')
  assert.equal(parseType('k', '\u00a0x\ufeff', 'string'), '\u00a0x\ufeff')
  assert.equal(parseType('k', '\u2028x\u3000', 'class'), '\u2028x\u3000')
  assert.deepEqual(parseType('k', 'a\u00a0,\u00a0b , c', 'list'), ['a\u00a0', '\u00a0b', 'c'])
  assert.deepEqual(parseType('k', '\u000ba\u000b,\u000bb', 'list'), ['a', 'b'])
})

test('parseType: list splits on commas with surrounding whitespace and keeps empty items', () => {
  assert.deepEqual(parseType('k', 'a,b,c', 'list'), ['a', 'b', 'c'])
  assert.deepEqual(parseType('k', '  a ,  b,c  ', 'list'), ['a', 'b', 'c'])
  assert.deepEqual(parseType('k', 'a,,b', 'list'), ['a', '', 'b'])
  assert.deepEqual(parseType('k', 'a b', 'list'), ['a b'])
  assert.deepEqual(parseType('k', '', 'list'), [])
  assert.deepEqual(parseType('k', '   ', 'list'), [])
})

test('parseType: booleans are true/false in any case, anything else is Kafka\'s error', () => {
  assert.equal(parseType('k', 'true', 'boolean'), true)
  assert.equal(parseType('k', ' TRUE ', 'boolean'), true)
  assert.equal(parseType('k', 'False', 'boolean'), false)
  assert.equal(parseType('k', 'fAlSe', 'boolean'), false)
  const err = configError(() => parseType('k', 'x', 'boolean'))
  assert.equal(err.message, 'Invalid value x for configuration k: Expected value to be either true or false')
  assert.deepEqual(err.problems, [err.message])
  assert.equal(configError(() => parseType('k', 'yes', 'boolean')).message,
    'Invalid value yes for configuration k: Expected value to be either true or false')
  configError(() => parseType('k', '1', 'boolean'))
})

test('parseType: int accepts signed decimal integers within 32 bits', () => {
  assert.equal(parseType('k', '42', 'int'), 42)
  assert.equal(parseType('k', ' -7 ', 'int'), -7)
  assert.equal(parseType('k', '+5', 'int'), 5)
  assert.equal(parseType('k', '2147483647', 'int'), 2147483647)
  assert.equal(parseType('k', '-2147483648', 'int'), -2147483648)
})

test('parseType: int rejects out-of-range and non-integers with "Not a number of type INT"', () => {
  for (const bad of ['2147483648', '-2147483649', '1.5', 'abc', '', '0x10', '1e3', '12a']) {
    const err = configError(() => parseType('k', bad, 'int'))
    assert.equal(err.message, `Invalid value ${bad} for configuration k: Not a number of type INT`)
  }
})

test('parseType: short and long ranges', () => {
  assert.equal(parseType('k', '32767', 'short'), 32767)
  assert.equal(configError(() => parseType('k', '32768', 'short')).message,
    'Invalid value 32768 for configuration k: Not a number of type SHORT')
  assert.equal(parseType('k', '9007199254740991', 'long'), Number.MAX_SAFE_INTEGER)
  assert.equal(parseType('k', '3000000000', 'long'), 3000000000)
  assert.equal(configError(() => parseType('k', '12.0', 'long')).message,
    'Invalid value 12.0 for configuration k: Not a number of type LONG')
  configError(() => parseType('k', 'ten', 'long'))
})

test('parseType: double accepts Java double syntax', () => {
  assert.equal(parseType('k', '1.5', 'double'), 1.5)
  assert.equal(parseType('k', ' -2 ', 'double'), -2)
  assert.equal(parseType('k', '.5', 'double'), 0.5)
  assert.equal(parseType('k', '1e3', 'double'), 1000)
  assert.equal(parseType('k', '2.5d', 'double'), 2.5)
  assert.equal(parseType('k', '3f', 'double'), 3)
  assert.ok(Number.isNaN(parseType('k', 'NaN', 'double')))
  assert.equal(parseType('k', '-Infinity', 'double'), -Infinity)
  assert.equal(configError(() => parseType('k', 'abc', 'double')).message,
    'Invalid value abc for configuration k: Not a number of type DOUBLE')
  configError(() => parseType('k', '', 'double'))
  configError(() => parseType('k', '1.2.3', 'double'))
})

test('parseType: password is wrapped and trimmed', () => {
  const p = parseType('k', ' s3cret ', 'password')
  assert.ok(p instanceof Password)
  assert.equal(p.value(), 's3cret')
})

test('a required key without a value gives Kafka\'s missing-config message', () => {
  const def = new ConfigDef().define({ name: 'k', type: 'string', importance: 'high', documentation: 'd' })
  const err = configError(() => def.parse({}))
  assert.equal(err.message, 'Missing required configuration "k" which has no default value.')
  assert.deepEqual(err.problems, ['Missing required configuration "k" which has no default value.'])
  assert.equal(def.parse({ k: ' v ' }).string('k'), 'v')
})

test('defaults: string defaults are parsed, null means optional with no value', () => {
  const def = new ConfigDef()
    .define({ name: 'n', type: 'int', default: '10', importance: 'low', documentation: 'd' })
    .define({ name: 'l', type: 'list', default: 'a, b', importance: 'low', documentation: 'd' })
    .define({ name: 'o', type: 'string', default: null, importance: 'low', documentation: 'd' })
  const parsed = def.parse({})
  assert.equal(parsed.int('n'), 10)
  assert.deepEqual(parsed.list('l'), ['a', 'b'])
  assert.equal(parsed.string('o'), null)
})

test('Range.atLeast and Range.between validators use Kafka\'s messages', () => {
  assert.throws(() => Range.atLeast(1).ensureValid('batch', 0), (err: unknown) =>
    err instanceof ConfigError && err.message === 'Invalid value 0 for configuration batch: Value must be at least 1')
  Range.atLeast(1).ensureValid('batch', 1)
  assert.equal(String(Range.atLeast(1)), '[1,...]')
  const between = Range.between(1, 10)
  assert.throws(() => between.ensureValid('k', 11), { message: 'Invalid value 11 for configuration k: Value must be no more than 10' })
  assert.throws(() => between.ensureValid('k', 0), { message: 'Invalid value 0 for configuration k: Value must be at least 1' })
  assert.equal(String(between), '[1,...,10]')
})

test('a validator failure inside parse() carries the key and value', () => {
  const def = new ConfigDef().define({ name: 'batch.size', type: 'int', default: 5, validator: Range.atLeast(1), importance: 'low', documentation: 'd' })
  assert.equal(configError(() => def.parse({ 'batch.size': '0' })).message,
    'Invalid value 0 for configuration batch.size: Value must be at least 1')
  assert.equal(def.parse({ 'batch.size': '3' }).int('batch.size'), 3)
})

test('ValidString.in lists the allowed values', () => {
  const v = ValidString.in('none', 'all')
  assert.throws(() => v.ensureValid('errors.tolerance', 'some'), (err: unknown) =>
    err instanceof ConfigError && err.message === 'Invalid value some for configuration errors.tolerance: String must be one of: none, all')
  v.ensureValid('errors.tolerance', 'all')
  assert.throws(() => v.ensureValid('errors.tolerance', 'ALL'), /String must be one of: none, all/)
  const ci = ValidString.inCaseInsensitive('none', 'all')
  ci.ensureValid('k', 'ALL')
  assert.throws(() => ci.ensureValid('k', 'x'), /String must be one of \(case insensitive\): none, all/)
})

test('NonEmptyString rejects the empty string', () => {
  assert.throws(() => NonEmptyString.ensureValid('topic', ''), {
    message: 'Invalid value  for configuration topic: String must be non-empty'
  })
  NonEmptyString.ensureValid('topic', 't')
  // An empty value after trimming is rejected through parse() too.
  const def = new ConfigDef().define({ name: 'topic', type: 'string', validator: NonEmptyString, importance: 'high', documentation: 'd' })
  assert.match(configError(() => def.parse({ topic: '   ' })).message, /String must be non-empty/)
})

test('NonEmptyStringWithoutControlChars rejects empty strings and control characters', () => {
  assert.throws(() => NonEmptyStringWithoutControlChars.ensureValid('name', ''), /String may not be empty/)
  assert.throws(() => NonEmptyStringWithoutControlChars.ensureValid('name', 'a\tb\u0007'), {
    message: 'Invalid value a\tb\u0007 for configuration name: String may not contain control sequences but had the following ASCII chars: 9, 7'
  })
  assert.throws(() => NonEmptyStringWithoutControlChars.ensureValid('name', 'x\u0085'), /following ASCII chars: 133/)
  NonEmptyStringWithoutControlChars.ensureValid('name', 'my-connector é 日本')
})

function threeKeyDef (): ConfigDef {
  return new ConfigDef()
    .define({ name: 'topic', type: 'string', importance: 'high', documentation: 'the topic' })
    .define({ name: 'batch.size', type: 'int', default: 2000, validator: Range.atLeast(1), importance: 'low', documentation: 'batch' })
    .define({ name: 'enabled', type: 'boolean', default: true, importance: 'low', documentation: 'on/off' })
    .define({ name: 'mode', type: 'string', default: 'none', validator: ValidString.in('none', 'all'), importance: 'low', documentation: 'mode', recommendedValues: ['none', 'all'] })
}

test('validate() collects every error per key and never throws', () => {
  const def = threeKeyDef()
  const values = def.validate({ 'batch.size': '0', enabled: 'maybe', mode: 'all' })
  assert.deepEqual(values.map(v => v.name), ['topic', 'batch.size', 'enabled', 'mode'])
  const byName = new Map(values.map(v => [v.name, v]))
  assert.deepEqual(byName.get('topic')!.errors, ['Missing required configuration "topic" which has no default value.'])
  assert.deepEqual(byName.get('batch.size')!.errors, ['Invalid value 0 for configuration batch.size: Value must be at least 1'])
  assert.equal(byName.get('batch.size')!.rawValue, '0')
  assert.deepEqual(byName.get('enabled')!.errors, ['Invalid value maybe for configuration enabled: Expected value to be either true or false'])
  assert.deepEqual(byName.get('mode')!.errors, [])
  assert.equal(byName.get('mode')!.value, 'all')
  assert.deepEqual(byName.get('mode')!.recommendedValues, ['none', 'all'])
  assert.equal(byName.get('topic')!.rawValue, undefined)
})

test('parse() throws one ConfigError listing every problem', () => {
  const def = threeKeyDef()
  const err = configError(() => def.parse({ 'batch.size': '0', enabled: 'maybe' }, 'connector x'))
  assert.equal(err.problems.length, 3)
  assert.deepEqual(err.problems, [
    'Missing required configuration "topic" which has no default value.',
    'Invalid value 0 for configuration batch.size: Value must be at least 1',
    'Invalid value maybe for configuration enabled: Expected value to be either true or false'
  ])
  assert.match(err.message, /^3 configuration problems in connector x:\n/)
  for (const p of err.problems) assert.ok(err.message.includes(p), `message lists ${p}`)
})

test('parse() with a single problem names the context in parentheses', () => {
  const err = configError(() => threeKeyDef().parse({ 'batch.size': '3' }, 'connector x'))
  assert.equal(err.message, 'Missing required configuration "topic" which has no default value. (connector x)')
})

test('parse() returns typed values and the originals', () => {
  const parsed = threeKeyDef().parse({ topic: ' t ', enabled: 'FALSE', 'other.key': 'z' })
  assert.equal(parsed.string('topic'), 't')
  assert.equal(parsed.int('batch.size'), 2000)
  assert.equal(parsed.boolean('enabled'), false)
  assert.deepEqual(parsed.originals(), { topic: ' t ', enabled: 'FALSE', 'other.key': 'z' })
  assert.deepEqual(parsed.originalsWithPrefix('other.'), { key: 'z' })
  assert.throws(() => parsed.string('nope'), /Unknown configuration 'nope'/)
})

test('Password never prints its value', () => {
  const p = new Password('hunter2')
  assert.equal(p.value(), 'hunter2')
  assert.equal(String(p), '[hidden]')
  assert.equal(`${p}`, '[hidden]')
  assert.equal(JSON.stringify({ p }), '{"p":"[hidden]"}')
  assert.ok(!JSON.stringify([p]).includes('hunter2'))
  const def = new ConfigDef().define({ name: 'secret', type: 'password', importance: 'high', documentation: 'd' })
  const parsed = def.parse({ secret: 'hunter2' })
  assert.equal(parsed.password('secret')!.value(), 'hunter2')
  assert.equal(String(parsed.password('secret')), '[hidden]')
})

test('invalid-value messages hide Password values', () => {
  assert.equal(invalidValueMessage('secret', new Password('hunter2'), 'bad'), 'Invalid value [hidden] for configuration secret: bad')
  assert.equal(invalidValueMessage('l', ['a', 'b'], 'bad'), 'Invalid value a,b for configuration l: bad')
  assert.equal(invalidValueMessage('k', 'v', ''), 'Invalid value v for configuration k')
})

test('toMarkdown contains every key with its default and validator', () => {
  const md = threeKeyDef().toMarkdown()
  for (const key of ['topic', 'batch.size', 'enabled', 'mode']) assert.ok(md.includes(`\`${key}\``), `docs mention ${key}`)
  assert.match(md, /\| `topic` \| string \| \*required\* \|/)
  assert.match(md, /\| `batch.size` \| int \| `2000` \| \[1,\.\.\.\] \| low \| batch \|/)
  assert.ok(md.endsWith('\n'))
})

test('define() refuses a key defined twice', () => {
  const def = new ConfigDef().define({ name: 'k', type: 'string', importance: 'low', documentation: 'd' })
  assert.throws(() => def.define({ name: 'k', type: 'int', importance: 'low', documentation: 'd' }), /Configuration k is defined twice/)
})
