/** sasl.jaas.config parsing with the Java client's tokenizer rules, and errors that never show option values. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { JaasParseError, parseJaasConfig } from '../../src/java/jaas.ts'

const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule'

test('the usual PLAIN and SCRAM values', () => {
  const [plain] = parseJaasConfig(`${PLAIN} required username="alice" password="alice-secret";`)
  assert.equal(plain!.loginModule, PLAIN)
  assert.equal(plain!.controlFlag, 'REQUIRED')
  assert.deepEqual([...plain!.options], [['username', 'alice'], ['password', 'alice-secret']])
  const [scram] = parseJaasConfig('org.apache.kafka.common.security.scram.ScramLoginModule Required\n  username=bob\n  password=\'p w\';')
  assert.equal(scram!.controlFlag, 'REQUIRED')
  assert.deepEqual(Object.fromEntries(scram!.options), { username: 'bob', password: 'p w' })
})

test('quoted values: backslash escapes, the other quote, no closing quote before the line end', () => {
  const [e] = parseJaasConfig(`${PLAIN} required a="x\\"y" b='it"s' c="tab\\there" d="\\101\\0612" e="\\q";`)
  assert.deepEqual(Object.fromEntries(e!.options), { a: 'x"y', b: 'it"s', c: 'tab\there', d: 'A12', e: 'q' })
  // An unterminated quote ends at the line end, as in StreamTokenizer.
  const [f] = parseJaasConfig(`${PLAIN} required a="open\n;`)
  assert.equal(f!.options.get('a'), 'open')
})

test('unquoted words take any character but whitespace, ; = quotes and /', () => {
  const [e] = parseJaasConfig(`${PLAIN} optional username=us$er-1.x@EXAMPLE password=p#ss!w0rd;`)
  assert.equal(e!.controlFlag, 'OPTIONAL')
  assert.deepEqual(Object.fromEntries(e!.options), { username: 'us$er-1.x@EXAMPLE', password: 'p#ss!w0rd' })
})

test('comments: /* */, // and a lone / run as in Java (so an unquoted path is cut)', () => {
  const [e] = parseJaasConfig(`/* lead */ ${PLAIN} // the module\n required username="a" /* x */ password="b";`)
  assert.deepEqual(Object.fromEntries(e!.options), { username: 'a', password: 'b' })
  // keyTab=/etc/x: the slash starts a comment, so the value is the next token: Java reports the same.
  assert.throws(() => parseJaasConfig('com.sun.security.auth.module.Krb5LoginModule required keyTab=/etc/x.keytab;'),
    (err: unknown) => err instanceof JaasParseError && err.message === "Value not specified for key 'keyTab' in JAAS config")
})

test('several entries and the Java error messages', () => {
  assert.equal(parseJaasConfig(`${PLAIN} required; ${PLAIN} sufficient;`).length, 2)
  const cases: Array<[string, string]> = [
    ['', 'Login module not specified in JAAS config'],
    ['   ', 'Login module not specified in JAAS config'],
    [PLAIN, 'Login module control flag not specified in JAAS config'],
    [`${PLAIN} always;`, "Invalid login module control flag 'always' in JAAS config"],
    [`${PLAIN} required username="a"`, 'JAAS config entry not terminated by semi-colon'],
    [`${PLAIN} required password;`, "Value not specified for key 'password' in JAAS config"],
    [`${PLAIN} required password=;`, "Value not specified for key 'password' in JAAS config"]
  ]
  for (const [text, message] of cases) {
    assert.throws(() => parseJaasConfig(text), (err: unknown) => err instanceof JaasParseError && err.message === message, text)
  }
})

test('error messages never contain option values', () => {
  for (const text of [`${PLAIN} required username="alice" password="s3cr3t"`, `${PLAIN} required password="s3cr3t" user;`]) {
    assert.throws(() => parseJaasConfig(text), (err: unknown) => err instanceof Error && !err.message.includes('s3cr3t'))
  }
})
