/**
 * The regex annotation's generator: every string matches its expression (checked with JavaScript's RegExp), length
 * bounds steer the length where the expression allows, and what cannot be generated is refused.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Prng } from '../../../connectors/datagen/prng.ts'
import { RegexGenerator, RegexSyntaxError } from '../../../connectors/datagen/regex-generator.ts'

const PATTERNS = [
  'User_[1-9]', 'Item_[1-9][0-9]{0,2}', 'City_[1-9]{0,2}', '[A-Z][1-9]{8,8}', '[a-zA-Z]{5,15}', '\\d{3}-\\d{4}',
  '(ab|cde)+x', '[^a-z]{3}', 'a.c\\.', '(?:red|green|blue)-[0-9a-f]{6}', '(?<word>\\w+)\\s\\S', '[\\d_-]+', '^[\\x41-\\x43]\\u0044$',
  'x*y?z+', 'a{2,}b{,3}', '[\\]a]|[\\]]', '\\W\\D', 'colou?r', '(a|b|)c', '(a*b)*c', '(x+|y)*z'
]

test('generated strings match their expression', () => {
  const rng = new Prng(1n)
  for (const pattern of PATTERNS) {
    const re = new RegExp(`^(?:${pattern})$`)
    const g = new RegexGenerator(pattern)
    for (let i = 0; i < 200; i++) {
      const s = g.generate(rng)
      assert.ok(re.test(s), `${pattern} gave ${JSON.stringify(s)}`)
    }
  }
})

test('a length range steers repetitions and alternatives; an impossible one gives the nearest length', () => {
  const rng = new Prng(2n)
  const lengths = (pattern: string, lo: number, hi: number): Set<number> => {
    const g = new RegexGenerator(pattern)
    return new Set(Array.from({ length: 300 }, () => g.generate(rng, lo, hi).length))
  }
  assert.deepEqual(lengths('[a-zA-Z]*', 10, 10), new Set([10]))
  assert.deepEqual([...lengths('[a-z]{0,15}', 5, 15)].every(n => n >= 5 && n <= 15), true)
  // The library's default bounds (8 to 15) lengthen what can be lengthened, and keep the longest when 8 is out of reach.
  assert.deepEqual(lengths('Item_[1-9][0-9]{0,2}', 8, 15), new Set([8]))
  assert.deepEqual(lengths('City_[1-9]{0,2}', 8, 15), new Set([7]))
  assert.deepEqual(lengths('User_[1-9]{0,1}', 8, 15), new Set([6]))
  assert.deepEqual(lengths('(aa|bbbbb)c', 6, 6), new Set([6]))
  assert.deepEqual(lengths('[a-z]{3,20}', 0, 4), new Set([3, 4]))
  assert.ok([...lengths('(a+b)*', 5, 9)].every(n => n >= 5 && n <= 9))
  // No bound: an unbounded quantifier adds at most a few repetitions.
  assert.ok(Math.max(...lengths('a+', 0, Infinity)) <= 9)
})

test('without bounds, every alternative and repetition count occurs', () => {
  const rng = new Prng(3n)
  const g = new RegexGenerator('(x|yy|zzz)[0-9]{0,2}')
  const seen = new Set(Array.from({ length: 2000 }, () => g.generate(rng)).map(s => s.replace(/[0-9]/g, '#')))
  assert.equal(seen.size, 9)
})

test('the same seed gives the same strings', () => {
  const run = (seed: bigint): string[] => { const rng = new Prng(seed); const g = new RegexGenerator('[A-Z]{3}-\\d{5}'); return Array.from({ length: 20 }, () => g.generate(rng)) }
  assert.deepEqual(run(9n), run(9n))
  assert.notDeepEqual(run(9n), run(10n))
})

test('what cannot be generated is refused, with the position', () => {
  for (const [pattern, re] of [
    ['(a)\\1', /back-references/], ['a(?=b)', /look-arounds/], ['(?i)a', /inline flags/], ['[a-', /unclosed character class/],
    ['(ab', /missing '\)'/], ['ab)', /unmatched '\)'/], ['*a', /dangling meta character/], ['[z-a]', /illegal character range/],
    ['a{3,1}', /illegal repetition range/], ['\\p{L}', /unsupported escape \\p/], ['[^\\x20-\\x7e]', /empty character class/], ['[a&&b]', /intersections/]
  ] as const) {
    assert.throws(() => new RegexGenerator(pattern), (err: Error) => err instanceof RegexSyntaxError && re.test(err.message) && /at index \d+/.test(err.message), pattern)
  }
})
