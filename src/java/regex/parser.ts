import { single, sliceChar } from './case-folding.ts'
import { ALL, chars, LINE_TERMINATORS, not } from './char-set.ts'
import { EscapeParser } from './escape-parser.ts'
import { CANON_EQ, DOTALL, FLAG_LETTERS, MULTILINE, UNIX_LINES } from './flags.ts'
import { UnsupportedJavaRegexError } from './java-pattern-syntax-error.ts'
import { containsAtomic, containsLineEnding, javaDeterministic, lookBehindLength } from './look-behind-length.ts'
import { MAX_REPS, type Node } from './node.ts'

// Parser, continued: sequences, alternatives, atoms, groups and quantifiers (Pattern.expr() downwards).

interface Parsed { root: Node, groupCount: number, names: Map<string, number> }

export class Parser extends EscapeParser {
  parse (): Parsed {
    const root = this.expr()
    if (this.len !== this.cursor) {
      if (this.peek() === 0x29) throw this.error("Unmatched closing ')'")
      throw this.error('Unexpected internal error')
    }
    if (this.unsupported !== null) throw new UnsupportedJavaRegexError(this.unsupported)
    return { root, groupCount: this.groupCount - 1, names: this.names }
  }

  expr (): Node {
    const alts: Node[] = []
    for (;;) {
      alts.push(this.sequence())
      if (this.peek() !== 0x7c) return alts.length === 1 ? alts[0]! : { k: 'alt', alts }
      this.next()
    }
  }

  sequence (): Node {
    const items: Node[] = []
    for (;;) {
      const ch = this.peek()
      let node: Node
      switch (ch) {
        case 0x28: { // (
          const g = this.group0()
          if (g) items.push(g)
          continue
        }
        case 0x5b: // [
          // The c flag (canonical equivalence) changes what a class or property matches, nothing else inline.
          if (this.has(CANON_EQ)) this.refuse('A character class under canonical equivalence (the c flag)')
          node = { k: 'set', set: this.clazz(true) }
          break
        case 0x5c: { // \
          const e = this.nextEscaped()
          if (e === 0x70 || e === 0x50) node = { k: 'set', set: this.familyAfterP(e === 0x50) }
          else { this.unread(); node = this.atom() }
          break
        }
        case 0x5e: // ^
          this.next()
          node = this.caret()
          break
        case 0x24: // $
          this.next()
          node = this.dollar(this.has(MULTILINE))
          break
        case 0x2e: // .
          this.next()
          node = { k: 'set', set: this.has(DOTALL) ? ALL : this.has(UNIX_LINES) ? not(chars(0x0a)) : not(LINE_TERMINATORS) }
          break
        case 0x7c: case 0x29:
          return items.length === 1 ? items[0]! : { k: 'seq', items }
        case 0x5d: case 0x7d:
          node = this.atom()
          break
        case 0x3f: case 0x2a: case 0x2b:
          this.next()
          throw this.error(`Dangling meta character '${String.fromCodePoint(ch)}'`)
        case 0:
          if (this.cursor >= this.len) return items.length === 1 ? items[0]! : { k: 'seq', items }
          node = this.atom()
          break
        default:
          node = this.atom()
      }
      items.push(this.closure(node))
    }
  }

  /** Pattern.atom(): a run of literal characters (a "slice"), or one escape. */
  atom (): Node {
    const buffer: number[] = []
    let prev = -1
    let ch = this.peek()
    for (;;) {
      let stop = false
      switch (ch) {
        case 0x2a: case 0x2b: case 0x3f: case 0x7b:
          if (buffer.length > 1) { this.cursor = prev; buffer.pop() }
          stop = true
          break
        case 0x24: case 0x2e: case 0x5e: case 0x28: case 0x5b: case 0x7c: case 0x29:
          stop = true
          break
        case 0x5c: {
          ch = this.nextEscaped()
          if (ch === 0x70 || ch === 0x50) {
            if (buffer.length > 0) { this.unread(); stop = true; break }
            return { k: 'set', set: this.familyAfterP(ch === 0x50) }
          }
          this.unread()
          prev = this.cursor
          const r = this.escape(false, buffer.length === 0, false)
          if (typeof r === 'number') {
            buffer.push(r)
            ch = this.peek()
            continue
          }
          if (buffer.length === 0) return r
          this.cursor = prev
          stop = true
          break
        }
        case 0:
          if (this.cursor >= this.len) { stop = true; break }
          prev = this.cursor
          buffer.push(ch)
          ch = this.next()
          continue
        default:
          prev = this.cursor
          buffer.push(ch)
          ch = this.next()
          continue
      }
      if (stop) break
    }
    if (buffer.length === 1) return { k: 'set', set: single(buffer[0]!, this.flags) }
    return { k: 'seq', items: buffer.map(c => ({ k: 'set', set: sliceChar(c, this.flags) }) as Node) }
  }

  /**
   * Pattern.escape(): a code point, or (when it is a class, anchor or reference) a node; `create` false only checks.
   * In a class a predicate escape returns its set.
   */
  group0 (): Node | null {
    const save = this.flags
    let node: Node
    let ch = this.next()
    if (ch === 0x3f) {
      ch = this.skip()
      switch (ch) {
        case 0x3a: node = { k: 'group', cap: null, body: this.expr() }; break
        case 0x3d: case 0x21: node = { k: 'look', behind: false, neg: ch === 0x21, body: this.expr() }; break
        case 0x3e: node = { k: 'atomic', body: this.expr() }; break
        case 0x3c: {
          ch = this.read()
          if (ch !== 0x3d && ch !== 0x21) {
            const name = this.groupname(ch)
            if (this.names.has(name)) throw this.error(`Named capturing group <${name}> is already defined`)
            const n = this.groupCount++
            this.names.set(name, n)
            node = { k: 'group', cap: n, body: this.expr() }
            break
          }
          const body = this.expr()
          const info = lookBehindLength(body)
          if (!info.valid) throw this.error('Look-behind group does not have an obvious maximum length')
          // Pattern keeps the maximum in an int; past it the look-behind scans a range that depends on the position.
          if (info.max > MAX_REPS) this.refuse('A look-behind whose maximum length overflows Java\'s int')
          // Java runs a look-behind forwards from each start; JavaScript matches it backwards, where the lookahead
          // and backreference that emulate an atomic group do not work.
          if (containsAtomic(body)) this.refuse('An atomic group, possessive quantifier or repeated \\R inside a look-behind')
          node = { k: 'look', behind: true, neg: ch === 0x21, body }
          break
        }
        case 0x24: case 0x40:
          throw this.error('Unknown group type')
        default: {
          this.unread()
          this.addFlag()
          ch = this.read()
          if (ch === 0x29) return null // inline flags only: they stay until the enclosing group closes
          if (ch !== 0x3a) throw this.error('Unknown inline modifier')
          node = { k: 'group', cap: null, body: this.expr() }
        }
      }
    } else {
      const n = this.groupCount++
      node = { k: 'group', cap: n, body: this.expr() }
    }
    this.accept(0x29, 'Unclosed group')
    this.flags = save
    return this.closure(node)
  }

  addFlag (): void {
    let ch = this.peek()
    for (;;) {
      const f = FLAG_LETTERS[String.fromCodePoint(ch)]
      if (f !== undefined) this.flags |= f
      else if (ch === 0x2d) { this.next(); this.subFlag(); return } else return
      ch = this.next()
    }
  }

  subFlag (): void {
    let ch = this.peek()
    for (;;) {
      const f = FLAG_LETTERS[String.fromCodePoint(ch)]
      if (f === undefined) return
      this.flags &= ~f
      ch = this.next()
    }
  }

  qtype (): 'greedy' | 'lazy' | 'possessive' {
    const ch = this.next()
    if (ch === 0x3f) { this.next(); return 'lazy' }
    if (ch === 0x2b) { this.next(); return 'possessive' }
    return 'greedy'
  }

  closure (node: Node): Node {
    const q = this.quantifier(node)
    // Pattern repeats a node, or a group without alternatives or variable repetitions, by matching it to its end and
    // never backtracking into it: there a \R that took \r\n does not give back the \n.
    if (q.k === 'quant' && containsLineEnding(q.body) && javaDeterministic(q.body)) return { ...q, body: { k: 'atomic', body: q.body } }
    return q
  }

  quantifier (prev: Node): Node {
    const MAX = 0x7fffffff
    let ch = this.peek()
    switch (ch) {
      case 0x3f: return { k: 'quant', body: prev, min: 0, max: 1, type: this.qtype() }
      case 0x2a: return { k: 'quant', body: prev, min: 0, max: Infinity, type: this.qtype() }
      case 0x2b: return { k: 'quant', body: prev, min: 1, max: Infinity, type: this.qtype() }
      case 0x7b: {
        ch = this.skip()
        if (ch >= 0x30 && ch <= 0x39) {
          let cmin = 0
          let cmax: number
          do {
            cmin = cmin * 10 + (ch - 0x30)
            if (cmin > MAX) throw this.error('Illegal repetition range')
          } while ((ch = this.read()) >= 0x30 && ch <= 0x39)
          if (ch === 0x2c) {
            ch = this.read()
            if (ch === 0x7d) {
              this.unread()
              return { k: 'quant', body: prev, min: cmin, max: Infinity, type: this.qtype() }
            }
            cmax = 0
            while (ch >= 0x30 && ch <= 0x39) {
              cmax = cmax * 10 + (ch - 0x30)
              if (cmax > MAX) throw this.error('Illegal repetition range')
              ch = this.read()
            }
          } else {
            cmax = cmin
          }
          if (ch !== 0x7d) throw this.error('Unclosed counted closure')
          if (cmax < cmin) throw this.error('Illegal repetition range')
          this.unread()
          return { k: 'quant', body: prev, min: cmin, max: cmax === MAX ? Infinity : cmax, type: this.qtype() }
        }
        throw this.error('Illegal repetition')
      }
      default: return prev
    }
  }
}
