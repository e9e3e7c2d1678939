import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeUtf8Java } from '../../src/api/index.ts'

const hex = (s: string): Buffer => Buffer.from(s.replace(/ /g, ''), 'hex')

test('an encoded surrogate becomes one U+FFFD, as Java decodes it (WHATWG would give three)', () => {
  assert.equal(decodeUtf8Java(hex('73 ED A0 80 73')), 's\uFFFDs')
  assert.equal(decodeUtf8Java(hex('ED BF BF')), '\uFFFD')
  // A CESU-8 surrogate pair: two replacement characters, not six.
  assert.equal(decodeUtf8Java(hex('ED A0 BD ED B2 A9')), '\uFFFD\uFFFD')
  // A surrogate's first two bytes without a third are one malformed sequence for Java too (WHATWG: two), whatever
  // follows them (checked against Java 17 in test/converters/values/golden.test.ts).
  assert.equal(decodeUtf8Java(hex('ED A0')), '\uFFFD')
  assert.equal(decodeUtf8Java(hex('ED BF 41')), '\uFFFDA')
  assert.equal(decodeUtf8Java(hex('ED A0 ED A0 80')), '\uFFFD\uFFFD')
})

test('everything else decodes as Buffer#toString does, and only the given range is read', () => {
  for (const s of ['FF', 'E2 82', 'C0 80', 'F4 90 80 80', 'ED 9F BF', 'ED 80', 'ED', 'ED 41', '68 C3 A9', 'ED 95 9C EF BF BD']) {
    assert.equal(decodeUtf8Java(hex(s)), hex(s).toString('utf8'), s)
  }
  const buf = hex('61 ED A0 80 62 63')
  assert.equal(decodeUtf8Java(buf, 4, 6), 'bc')
  assert.equal(decodeUtf8Java(buf, 0, 3), 'a\uFFFD', 'a surrogate cut by the range end is one malformed sequence')
  assert.equal(decodeUtf8Java(buf, 0, 2), 'a\uFFFD')
})
