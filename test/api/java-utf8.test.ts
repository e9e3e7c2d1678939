import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeUtf8Java } from '../../src/api/index.ts'

const hex = (s: string): Buffer => Buffer.from(s.replace(/ /g, ''), 'hex')

test('an encoded surrogate becomes one U+FFFD, as Java decodes it (WHATWG would give three)', () => {
  assert.equal(decodeUtf8Java(hex('73 ED A0 80 73')), 's\uFFFDs')
  assert.equal(decodeUtf8Java(hex('ED BF BF')), '\uFFFD')
  // A CESU-8 surrogate pair: two replacement characters, not six.
  assert.equal(decodeUtf8Java(hex('ED A0 BD ED B2 A9')), '\uFFFD\uFFFD')
})

test('everything else decodes as Buffer#toString does, and only the given range is read', () => {
  for (const s of ['FF', 'E2 82', 'C0 80', 'F4 90 80 80', 'ED 9F BF', 'ED A0', '68 C3 A9']) {
    assert.equal(decodeUtf8Java(hex(s)), hex(s).toString('utf8'), s)
  }
  const buf = hex('61 ED A0 80 62 63')
  assert.equal(decodeUtf8Java(buf, 4, 6), 'bc')
  assert.equal(decodeUtf8Java(buf, 0, 3), buf.toString('utf8', 0, 3), 'a truncated sequence at the range end is not a surrogate')
})
