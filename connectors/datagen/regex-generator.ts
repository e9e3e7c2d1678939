/**
 * Generates strings that match a regular expression, for the `regex` annotation: literals, escapes (\d \w \s and
 * their negations, \t \n \r \f \v, \xHH, \uHHHH, escaped punctuation), `.`, character classes with ranges and
 * negation, groups (capturing, `(?:`, named), alternation and the quantifiers * + ? {n} {n,} {n,m} (lazy and
 * possessive forms behave as greedy). Anchors and \b match the empty string. Back-references and look-arounds cannot
 * be generated and are refused. `.` and negated classes draw from printable ASCII.
 *
 * A length range steers the choices (repetition counts, alternatives) so the string falls inside it when the
 * expression allows; when it cannot, the nearest length wins (the longest when even that is too short), which is how
 * a bounded random walk over the expression's automaton behaves in avro-random-generator.
 */
import type { Prng } from './prng.ts'

type Node =
  | { readonly kind: 'set', readonly ranges: ReadonlyArray<readonly [number, number]>, readonly size: number }
  | { readonly kind: 'seq', readonly items: readonly Node[] }
  | { readonly kind: 'alt', readonly options: readonly Node[] }
  | { readonly kind: 'rep', readonly node: Node, readonly min: number, readonly max: number }

export class RegexSyntaxError extends Error {}

/** How many extra repetitions an unbounded quantifier (* + {n,}) may add when no length bound limits it. */
const UNBOUNDED_EXTRA = 8
/** An explicit but huge maximum length is followed only this far beyond the minimum. */
const MAX_STRETCH = 64
const PRINTABLE: readonly [number, number] = [0x20, 0x7e]
const EMPTY: Node = { kind: 'seq', items: [] }

function set (ranges: ReadonlyArray<readonly [number, number]>): Node {
  return { kind: 'set', ranges, size: ranges.reduce((n, [a, b]) => n + b - a + 1, 0) }
}

const DIGIT: ReadonlyArray<readonly [number, number]> = [[0x30, 0x39]]
const WORD: ReadonlyArray<readonly [number, number]> = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]
const SPACE: ReadonlyArray<readonly [number, number]> = [[0x09, 0x0d], [0x20, 0x20]]

/** The printable ASCII characters outside `ranges`. */
function complement (ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = []
  let next = PRINTABLE[0]
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    if (a > next) out.push([next, Math.min(a - 1, PRINTABLE[1])])
    next = Math.max(next, b + 1)
  }
  if (next <= PRINTABLE[1]) out.push([next, PRINTABLE[1]])
  return out.filter(([a, b]) => a <= b)
}

export class RegexGenerator {
  readonly #root: Node
  readonly #lengths = new Map<Node, readonly [number, number]>()

  constructor (pattern: string) {
    this.#root = new RegexParser(pattern).parse()
  }

  /** The shortest and longest lengths the expression matches (the longest may be Infinity). */
  lengthRange (): readonly [number, number] { return this.#len(this.#root) }

  /** A matching string, of a length in [minLength, maxLength] when the expression allows one. */
  generate (rng: Prng, minLength = 0, maxLength = Infinity): string {
    const [shortest, longest] = this.#len(this.#root)
    // Bounds the expression cannot meet move to its nearest lengths, so no attempt is wasted on them.
    const lo = Math.min(minLength, longest)
    const stretched = maxLength === Infinity ? Infinity : Math.min(maxLength, Math.max(minLength, shortest) + MAX_STRETCH)
    const hi = Math.max(stretched, shortest, lo)
    let best = ''
    for (let attempt = 0; attempt < 5; attempt++) {
      const s = this.#gen(this.#root, lo, hi, rng)
      const n = s.length
      if (n >= lo && n <= hi) return s
      if (attempt === 0 || Math.abs(n - lo) < Math.abs(best.length - lo)) best = s
    }
    return best
  }

  #len (node: Node): readonly [number, number] {
    let r = this.#lengths.get(node)
    if (r !== undefined) return r
    switch (node.kind) {
      case 'set': r = [1, 1]; break
      case 'seq': r = node.items.reduce<[number, number]>((acc, n) => { const [a, b] = this.#len(n); return [acc[0] + a, acc[1] + b] }, [0, 0]); break
      case 'alt': {
        const all = node.options.map(o => this.#len(o))
        r = [Math.min(...all.map(x => x[0])), Math.max(...all.map(x => x[1]))]
        break
      }
      case 'rep': {
        const [a, b] = this.#len(node.node)
        r = [node.min * a, b === 0 ? 0 : node.max === Infinity ? Infinity : node.max * b]
        break
      }
    }
    this.#lengths.set(node, r)
    return r
  }

  #gen (node: Node, lo: number, hi: number, rng: Prng): string {
    switch (node.kind) {
      case 'set': {
        let i = rng.nextInt(node.size)
        for (const [a, b] of node.ranges) {
          if (i <= b - a) return String.fromCodePoint(a + i)
          i -= b - a + 1
        }
        return ''
      }
      case 'seq': return this.#seq(node.items, lo, hi, rng)
      case 'alt': {
        const fits = node.options.filter(o => { const [a, b] = this.#len(o); return a <= hi && b >= lo })
        const pool = fits.length > 0 ? fits : node.options
        return this.#gen(pool[rng.nextInt(pool.length)]!, lo, hi, rng)
      }
      case 'rep': {
        const [cMin, cMax] = this.#len(node.node)
        let top = node.max
        if (top === Infinity) top = Number.isFinite(hi) && cMin > 0 ? Math.max(node.min, Math.floor(hi / cMin)) : node.min + UNBOUNDED_EXTRA
        const feasible: number[] = []
        for (let k = node.min; k <= top; k++) if (k * cMin <= hi && k * cMax >= lo) feasible.push(k)
        // None fits: the nearest count (the most when even that is too short).
        const k = feasible.length > 0 ? feasible[rng.nextInt(feasible.length)]! : (top * cMax < lo ? top : node.min)
        return this.#repeat(node.node, k, lo, hi, rng)
      }
    }
  }

  /** Each item gets the part of [lo, hi] that still lets the items after it fit (loops, not closures: this is hot). */
  #seq (items: readonly Node[], lo: number, hi: number, rng: Prng): string {
    // Suffix sums, built from the end (subtracting would give Infinity - Infinity).
    const n = items.length
    const restMin = new Array<number>(n + 1)
    const restMax = new Array<number>(n + 1)
    restMin[n] = 0
    restMax[n] = 0
    for (let i = n - 1; i >= 0; i--) {
      const [a, b] = this.#len(items[i]!)
      restMin[i] = restMin[i + 1]! + a
      restMax[i] = restMax[i + 1]! + b
    }
    let out = ''
    for (let i = 0; i < n; i++) {
      const [a, b] = this.#len(items[i]!)
      const cLo = clamp(lo - out.length - restMax[i + 1]!, a, b)
      out += this.#gen(items[i]!, cLo, Math.max(cLo, clamp(hi - out.length - restMin[i + 1]!, a, b)), rng)
    }
    return out
  }

  /** `count` repetitions of one node, shared out as #seq does. */
  #repeat (node: Node, count: number, lo: number, hi: number, rng: Prng): string {
    const [a, b] = this.#len(node)
    let out = ''
    for (let left = count - 1; left >= 0; left--) {
      // 0 × Infinity is NaN: no repetitions left means nothing left to fit.
      const cLo = clamp(lo - out.length - (left === 0 ? 0 : left * b), a, b)
      out += this.#gen(node, cLo, Math.max(cLo, clamp(hi - out.length - left * a, a, b)), rng)
    }
    return out
  }
}

function clamp (x: number, a: number, b: number): number {
  return x < a ? a : x > b ? b : x
}

class RegexParser {
  readonly #p: string
  #i = 0

  constructor (pattern: string) { this.#p = pattern }

  #fail (what: string): never {
    throw new RegexSyntaxError(`${what} at index ${this.#i} of regex ${JSON.stringify(this.#p)}`)
  }

  parse (): Node {
    const node = this.#alternation()
    if (this.#i < this.#p.length) this.#fail("unmatched ')'")
    return node
  }

  #alternation (): Node {
    const options = [this.#sequence()]
    while (this.#p[this.#i] === '|') {
      this.#i++
      options.push(this.#sequence())
    }
    return options.length === 1 ? options[0]! : { kind: 'alt', options }
  }

  #sequence (): Node {
    const items: Node[] = []
    while (this.#i < this.#p.length && this.#p[this.#i] !== '|' && this.#p[this.#i] !== ')') {
      const atom = this.#atom()
      items.push(this.#quantified(atom))
    }
    return items.length === 1 ? items[0]! : { kind: 'seq', items }
  }

  #quantified (atom: Node): Node {
    let node = atom
    for (;;) {
      const c = this.#p[this.#i]
      let min: number
      let max: number
      if (c === '*') { min = 0; max = Infinity; this.#i++ }
      else if (c === '+') { min = 1; max = Infinity; this.#i++ }
      else if (c === '?') { min = 0; max = 1; this.#i++ }
      else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.#p.slice(this.#i))
        if (!m) return node
        min = Number(m[1])
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])
        if (max < min) this.#fail('illegal repetition range')
        this.#i += m[0].length
      } else {
        return node
      }
      // Lazy and possessive forms generate the same strings.
      if (this.#p[this.#i] === '?' || this.#p[this.#i] === '+') this.#i++
      node = { kind: 'rep', node, min, max }
    }
  }

  #atom (): Node {
    const p = this.#p
    const c = p[this.#i]!
    switch (c) {
      case '(': {
        this.#i++
        if (p[this.#i] === '?') {
          const rest = p.slice(this.#i)
          if (rest.startsWith('?:')) this.#i += 2
          else if (/^\?P?<[A-Za-z][A-Za-z0-9]*>/.test(rest)) this.#i = p.indexOf('>', this.#i) + 1
          else this.#fail('look-arounds and inline flags cannot be generated')
        }
        const inner = this.#alternation()
        if (p[this.#i] !== ')') this.#fail("missing ')'")
        this.#i++
        return inner
      }
      case '[': return this.#class()
      case '.': this.#i++; return set([PRINTABLE])
      case '^': case '$': this.#i++; return EMPTY
      case '\\': return this.#escape(false) as Node
      case '*': case '+': case '?': return this.#fail(`dangling meta character '${c}'`)
      default: {
        const cp = p.codePointAt(this.#i)!
        this.#i += cp > 0xffff ? 2 : 1
        return set([[cp, cp]])
      }
    }
  }

  /** An escape; in a class, returns the ranges it stands for. */
  #escape (inClass: boolean): Node | Array<readonly [number, number]> {
    const p = this.#p
    const e = p[this.#i + 1]
    if (e === undefined) this.#fail('trailing backslash')
    this.#i += 2
    const ranges = (r: ReadonlyArray<readonly [number, number]>): Node | Array<readonly [number, number]> => inClass ? [...r] : set(r)
    switch (e) {
      case 'd': return ranges(DIGIT)
      case 'D': return ranges(complement(DIGIT))
      case 'w': return ranges(WORD)
      case 'W': return ranges(complement(WORD))
      case 's': return ranges(SPACE)
      case 'S': return ranges(complement(SPACE))
      case 't': return ranges([[9, 9]])
      case 'n': return ranges([[10, 10]])
      case 'v': return ranges([[11, 11]])
      case 'f': return ranges([[12, 12]])
      case 'r': return ranges([[13, 13]])
      case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G':
        if (inClass && e === 'b') return [[8, 8]]
        if (inClass) this.#fail(`\\${e} in a character class`)
        return EMPTY
      case 'x': case 'u': {
        const n = e === 'x' ? 2 : 4
        const hex = p.slice(this.#i, this.#i + n)
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) this.#fail(`illegal \\${e} escape`)
        this.#i += n
        const cp = parseInt(hex, 16)
        return ranges([[cp, cp]])
      }
      default:
        if (/[1-9]/.test(e)) this.#fail('back-references cannot be generated')
        if (/[A-Za-z0-9]/.test(e)) this.#fail(`unsupported escape \\${e}`)
        return ranges([[e.codePointAt(0)!, e.codePointAt(0)!]])
    }
  }

  #class (): Node {
    const p = this.#p
    this.#i++
    const negate = p[this.#i] === '^'
    if (negate) this.#i++
    const ranges: Array<readonly [number, number]> = []
    let first = true
    for (;;) {
      const c = p[this.#i]
      if (c === undefined) this.#fail("unclosed character class, missing ']'")
      if (c === ']' && !first) { this.#i++; break }
      first = false
      if (c === '[' || (c === '&' && p[this.#i + 1] === '&')) this.#fail('nested classes and intersections are not supported')
      let lo: number
      if (c === '\\') {
        const r = this.#escape(true) as Array<readonly [number, number]>
        if (r.length !== 1 || r[0]![0] !== r[0]![1]) { ranges.push(...r); continue }
        lo = r[0]![0]
      } else {
        lo = p.codePointAt(this.#i)!
        this.#i += lo > 0xffff ? 2 : 1
      }
      if (p[this.#i] === '-' && p[this.#i + 1] !== ']' && p[this.#i + 1] !== undefined) {
        this.#i++
        let hi: number
        if (p[this.#i] === '\\') {
          const r = this.#escape(true) as Array<readonly [number, number]>
          if (r.length !== 1 || r[0]![0] !== r[0]![1]) this.#fail('illegal character range')
          hi = r[0]![0]
        } else {
          hi = p.codePointAt(this.#i)!
          this.#i += hi > 0xffff ? 2 : 1
        }
        if (hi < lo) this.#fail('illegal character range')
        ranges.push([lo, hi])
      } else {
        ranges.push([lo, lo])
      }
    }
    const result = negate ? complement(ranges) : ranges
    if (result.length === 0) this.#fail('empty character class')
    return set(result)
  }
}
