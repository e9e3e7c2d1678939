// Every config key that takes a Java regex goes through the same translator: a pattern Java accepts is accepted, one
// Java refuses is reported on its key with Java's message, and one we cannot match exactly is refused on its key
// naming the construct (never matched differently in silence).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { validateConnectorConfig } from '../../../src/config/connector-config.ts'
import { builtinRegistry } from '../../../src/plugins/builtin.ts'
import { CorsPolicy } from '../../../src/rest/cors.ts'
import { EnvVarConfigProvider } from '../../../src/providers/env-var-config-provider.ts'
import { javaRegexToJs } from '../../../src/java/pattern.ts'

const registry = builtinRegistry()
const SINK = { name: 'snk', 'connector.class': 'FileStreamSink', file: '/dev/null' }
const SOURCE = { name: 'src', 'connector.class': 'FileStreamSource', topic: 't', file: '/dev/null' }

function errorsByKey (props: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const v of validateConnectorConfig(props, registry).values) if (v.errors.length > 0) out[v.name] = v.errors
  return out
}

test('topics.regex: Java patterns JavaScript lacks are accepted', () => {
  for (const p of ['[a-z&&[^aeiou]]+', '(?x) orders \\. .*', '(?i)Orders(?-i)_v\\d', '[[:alpha:]]+', 'logs-\\x{41}.*']) {
    assert.deepEqual(errorsByKey({ ...SINK, 'topics.regex': p }), {}, p)
  }
})

test('topics.regex: a pattern Java refuses is reported with Java\'s message', () => {
  assert.deepEqual(errorsByKey({ ...SINK, 'topics.regex': 'a{,3}' }), {
    'topics.regex': ['Invalid value a{,3} for configuration topics.regex: Invalid regex: Illegal repetition near index 2\na{,3}\n  ^']
  })
  assert.match(errorsByKey({ ...SINK, 'topics.regex': '\\y' })['topics.regex']![0]!, /Illegal\/unsupported escape sequence near index 1/)
})

test('topics.regex: a construct we cannot match exactly is refused on the key, naming it', () => {
  const errors = errorsByKey({ ...SINK, 'topics.regex': '\\p{InGreek}+' })
  assert.deepEqual(Object.keys(errors), ['topics.regex'])
  assert.match(errors['topics.regex']![0]!, /Unsupported regex: The Unicode block property \\p\{InGreek\} is not supported/)
})

test('the sink subscription matches whole topic names with Java semantics', () => {
  const re = javaRegexToJs('[a-z&&[^aeiou]]+')
  assert.equal(re.test('xyz'), true)
  assert.equal(re.test('xyza'), false)
  assert.equal(javaRegexToJs('orders$').test('orders\n'), false, 'matches() must reach the end, after $')
  assert.equal(javaRegexToJs('orders$\n').test('orders\n'), true, 'Java\'s $ matches before a final line terminator')
})

test('RegexRouter and TopicNameMatches report unsupported constructs on their keys', () => {
  const errors = errorsByKey({
    ...SOURCE,
    transforms: 'route',
    'transforms.route.type': 'RegexRouter',
    'transforms.route.regex': '(?:(a)|b)+',
    'transforms.route.replacement': '$1',
    'transforms.route.predicate': 'p',
    predicates: 'p',
    'predicates.p.type': 'TopicNameMatches',
    'predicates.p.pattern': 'a\\X'
  })
  assert.match(errors['transforms.route.regex']![0]!, /Unsupported regex: A capturing group that a later repetition/)
  assert.match(errors['predicates.p.pattern']![0]!, /Unsupported regex: The grapheme cluster matcher \\X/)
})

test('TopicNameMatches accepts a pattern whose captures alone would differ (it only asks matches())', () => {
  const errors = errorsByKey({
    ...SOURCE,
    transforms: 'f',
    'transforms.f.type': 'Filter',
    'transforms.f.predicate': 'p',
    predicates: 'p',
    'predicates.p.type': 'TopicNameMatches',
    'predicates.p.pattern': '(?:(a)|b)+'
  })
  assert.deepEqual(errors, {})
})

test('CORS origins and the env provider allowlist use the same translator', () => {
  const cors = new CorsPolicy('https://[a-z&&[^x]]+\\.example\\.com', '')
  assert.equal(cors.allows('https://app.example.com'), true)
  assert.equal(cors.allows('https://xx.example.com'), false)
  assert.throws(() => new CorsPolicy('a{,3}', ''), /access\.control\.allow\.origin: Invalid regex: Illegal repetition/)
  const env = new EnvVarConfigProvider({ APP_ONE: '1', APP_TWO: '2', OTHER: '3' })
  env.configure({ 'allowlist.pattern': '(?i)app_(?-i)[A-Z]+' })
  assert.deepEqual(Object.keys(env.get('').data).sort(), ['APP_ONE', 'APP_TWO'])
  assert.throws(() => env.configure({ 'allowlist.pattern': '\\p{InBasic_Latin}+' }), /allowlist\.pattern: Unsupported regex: The Unicode block property/)
})
