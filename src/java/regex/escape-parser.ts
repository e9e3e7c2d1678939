import { asciiToLower, asciiToUpper, isAsciiLower, isAsciiUpper, rangeSet, simpleLower, simpleUpper, single } from './case-folding.ts'
import { ALL, and, ASCII_DIGIT, ASCII_SPACE, ASCII_WORD, chars, forPosixName, forProperty, forUnicodeProperty, forUnicodeScript, HORIZ_WS, not, or, U_DIGIT, U_WHITE_SPACE, U_WORD, VERT_WS, type CSet } from './char-set.ts'
import { CANON_EQ, CASE_INSENSITIVE, MULTILINE, UNICODE_CASE, UNICODE_CHARACTER_CLASS, UNIX_LINES } from './flags.ts'
import { BEGIN, boundaryParts, EMPTY, END, type Node } from './node.ts'
import { PatternCursor } from './pattern-cursor.ts'

// Parser, continued: the escapes, anchors, references and character classes of Pattern's grammar.

export class EscapeParser extends PatternCursor {
  caret (): Node {
    if (!this.has(MULTILINE)) return { k: 'assert', js: BEGIN }
    // Java's multiline ^: not at the end of input, and not between \r and \n.
    if (this.has(UNIX_LINES)) return { k: 'assert', js: '(?!$)(?:^|(?<=\\n))' }
    return { k: 'assert', js: '(?!$)(?:^|(?<=[\\n\\u{85}\\u{2028}\\u{2029}])|(?<=\\r)(?!\\n))' }
  }

  dollar (multiline: boolean): Node {
    if (this.has(UNIX_LINES)) return { k: 'assert', js: multiline ? '(?=\\n|$)' : '(?=\\n?$)' }
    // Java's $ never matches between \r and \n; without MULTILINE it also matches before a final line terminator.
    if (multiline) return { k: 'assert', js: '(?:(?=[\\r\\u{85}\\u{2028}\\u{2029}]|$)|(?<!\\r)(?=\\n))' }
    return { k: 'assert', js: '(?:(?=\\r\\n$|[\\r\\u{85}\\u{2028}\\u{2029}]?$)|(?<!\\r)(?=\\n$))' }
  }

  escape (inclass: boolean, create: boolean, isrange: boolean): number | Node {
    const ch = this.skip()
    const ucc = this.has(UNICODE_CHARACTER_CLASS)
    const cls = (s: CSet): Node => ({ k: 'set', set: s })
    switch (ch) {
      case 0x30: return this.octal()
      case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x36: case 0x37: case 0x38: case 0x39:
        if (inclass) break
        return create ? this.ref(ch - 0x30) : EMPTY
      case 0x41: if (inclass) break; return { k: 'assert', js: BEGIN } // \A
      case 0x42: { // \B
        if (inclass) break
        const { left, right } = boundaryParts(ucc)
        return { k: 'assert', js: `(?:${left}${right}|(?!${left})(?!${right}))` }
      }
      case 0x44: return cls(not(ucc ? U_DIGIT : ASCII_DIGIT))
      case 0x47: if (inclass) break; return { k: 'assert', js: BEGIN } // \G: see the module comment
      case 0x48: return cls(not(HORIZ_WS))
      case 0x4e: return this.namedChar()
      case 0x52: // \R: \r\n, or one vertical whitespace (backtracking from \r\n to \r; see closure())
        if (inclass) break
        return { k: 'raw', js: '(?:\\r\\n|[\\n\\u{b}\\f\\r\\u{85}\\u{2028}\\u{2029}])', min: 1, max: 2 }
      case 0x53: return cls(not(ucc ? U_WHITE_SPACE : ASCII_SPACE))
      case 0x56: return cls(not(VERT_WS))
      case 0x57: return cls(not(ucc ? U_WORD : ASCII_WORD))
      case 0x58: if (inclass) break; if (create) this.refuse('The grapheme cluster matcher \\X'); return EMPTY
      case 0x5a: if (inclass) break; return this.dollar(false) // \Z
      case 0x61: return 0x07
      case 0x62: { // \b
        if (inclass) break
        if (create && this.peek() === 0x7b) {
          if (this.skip() === 0x67) {
            if (this.read() === 0x7d) { this.refuse('The grapheme cluster boundary \\b{g}'); return EMPTY }
            break
          }
          this.unread(); this.unread()
        }
        const { left, right } = boundaryParts(ucc)
        return { k: 'assert', js: `(?:${left}(?!${right})|(?!${left})${right})` }
      }
      case 0x63: return this.control()
      case 0x64: return cls(ucc ? U_DIGIT : ASCII_DIGIT)
      case 0x65: return 0x1b
      case 0x66: return 0x0c
      case 0x68: return cls(HORIZ_WS)
      case 0x6b: { // \k<name>
        if (inclass) break
        if (this.read() !== 0x3c) throw this.error("\\k is not followed by '<' for named capturing group")
        const name = this.groupname(this.read())
        const n = this.names.get(name)
        if (n === undefined) throw this.error(`named capturing group <${name}> does not exist`)
        return create ? this.backref(n) : EMPTY
      }
      case 0x6e: return 0x0a
      case 0x72: return 0x0d
      case 0x73: return cls(ucc ? U_WHITE_SPACE : ASCII_SPACE)
      case 0x74: return 0x09
      case 0x75: return this.unicode()
      case 0x76: if (isrange) return 0x0b; return cls(VERT_WS)
      case 0x77: return cls(ucc ? U_WORD : ASCII_WORD)
      case 0x78: return this.hex()
      case 0x7a: if (inclass) break; return { k: 'assert', js: END } // \z
      case 0x43: case 0x45: case 0x46: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4f: case 0x50:
      case 0x51: case 0x54: case 0x55: case 0x59: case 0x67: case 0x69: case 0x6a: case 0x6c: case 0x6d: case 0x6f:
      case 0x70: case 0x71: case 0x79:
        break
      default:
        return ch
    }
    throw this.error('Illegal/unsupported escape sequence')
  }

  octal (): number {
    const isOct = (c: number): boolean => c >= 0x30 && c <= 0x37
    const n = this.read()
    if (isOct(n)) {
      const m = this.read()
      if (isOct(m)) {
        const o = this.read()
        if (isOct(o) && n <= 0x33) return (n - 0x30) * 64 + (m - 0x30) * 8 + (o - 0x30)
        this.unread()
        return (n - 0x30) * 8 + (m - 0x30)
      }
      this.unread()
      return n - 0x30
    }
    throw this.error('Illegal octal escape sequence')
  }

  control (): number {
    if (this.cursor < this.len) return this.read() ^ 64
    throw this.error('Illegal control escape sequence')
  }

  hexDigit (c: number): number {
    if (c >= 0x30 && c <= 0x39) return c - 0x30
    if (c >= 0x41 && c <= 0x46) return c - 0x37
    if (c >= 0x61 && c <= 0x66) return c - 0x57
    return -1
  }

  hex (): number {
    const n = this.read()
    if (this.hexDigit(n) >= 0) {
      const m = this.read()
      if (this.hexDigit(m) >= 0) return this.hexDigit(n) * 16 + this.hexDigit(m)
    } else if (n === 0x7b && this.hexDigit(this.peek()) >= 0) {
      let ch = 0
      let d: number
      while (this.hexDigit(d = this.read()) >= 0) {
        ch = ch * 16 + this.hexDigit(d)
        if (ch > 0x10ffff) throw this.error('Hexadecimal codepoint is too big')
      }
      if (d !== 0x7d) throw this.error('Unclosed hexadecimal escape sequence')
      return ch
    }
    throw this.error('Illegal hexadecimal escape sequence')
  }

  uxxxx (): number {
    let n = 0
    for (let i = 0; i < 4; i++) {
      const d = this.hexDigit(this.read())
      if (d < 0) throw this.error('Illegal Unicode escape sequence')
      n = n * 16 + d
    }
    return n
  }

  unicode (): number {
    const n = this.uxxxx()
    if (n >= 0xd800 && n <= 0xdbff) {
      const cur = this.cursor
      if (this.read() === 0x5c && this.read() === 0x75) {
        const n2 = this.uxxxx()
        if (n2 >= 0xdc00 && n2 <= 0xdfff) return (n - 0xd800) * 0x400 + (n2 - 0xdc00) + 0x10000
      }
      this.cursor = cur
    }
    return n
  }

  namedChar (): number {
    if (this.read() === 0x7b) {
      while (this.read() !== 0x7d) {
        if (this.cursor >= this.len) throw this.error('Unclosed character name escape sequence')
      }
      this.refuse('The character name escape \\N{...}')
      return 0
    }
    throw this.error('Illegal character name escape sequence')
  }

  ref (first: number): Node {
    let refNum = first
    for (;;) {
      const ch = this.peek()
      if (ch < 0x30 || ch > 0x39) break
      const n = refNum * 10 + (ch - 0x30)
      if (this.groupCount - 1 < n) break
      refNum = n
      this.read()
    }
    return this.backref(refNum)
  }

  backref (n: number): Node {
    if (this.has(CASE_INSENSITIVE)) this.refuse('A backreference with case-insensitive matching')
    return { k: 'backref', group: n }
  }

  groupname (first: number): string {
    let ch = first
    if (!(isAsciiLower(ch) || isAsciiUpper(ch))) throw this.error('capturing group name does not start with a Latin letter')
    let name = ''
    do {
      name += String.fromCharCode(ch)
      ch = this.read()
    } while (isAsciiLower(ch) || isAsciiUpper(ch) || (ch >= 0x30 && ch <= 0x39))
    if (ch !== 0x3e) throw this.error("named capturing group is missing trailing '>'")
    return name
  }

  /** After \p or \P: one letter, or {name}. */
  familyAfterP (complement: boolean): CSet {
    if (this.has(CANON_EQ)) this.refuse('A character property under canonical equivalence (the c flag)')
    const ch = this.next()
    let oneLetter = true
    if (ch !== 0x7b) this.unread()
    else oneLetter = false
    return this.family(oneLetter, complement)
  }

  family (singleLetter: boolean, complement: boolean): CSet {
    this.next()
    let name: string
    if (singleLetter) {
      name = String.fromCodePoint(this.at(this.cursor))
      this.read()
    } else {
      const i = this.cursor
      // Pattern.mark('}') puts a sentinel at the end so that the scan stops there.
      const saved = this.temp[this.len]!
      this.temp[this.len] = 0x7d
      while (this.read() !== 0x7d) { /* scan to '}' */ }
      this.temp[this.len] = saved
      const j = this.cursor
      if (j > this.len) throw this.error('Unclosed character family')
      if (i + 1 >= j) throw this.error('Empty character family')
      name = String.fromCodePoint(...this.temp.slice(i, j - 1))
    }
    const ci = this.has(CASE_INSENSITIVE)
    let p: CSet | null | 'unsupported' = null
    const eq = name.indexOf('=')
    if (eq !== -1) {
      const value = name.slice(eq + 1)
      const key = name.slice(0, eq).toLowerCase()
      switch (key) {
        case 'sc': case 'script': p = forUnicodeScript(value); break
        case 'blk': case 'block': this.refuse(`The Unicode block property \\p{${name}}`); return ALL
        case 'gc': case 'general_category': p = forProperty(value, ci); break
      }
      if (p === null) throw this.error(`Unknown Unicode property {name=<${key}>, value=<${value}>}`)
    } else {
      if (name.startsWith('In')) { this.refuse(`The Unicode block property \\p{${name}}`); return ALL }
      if (name.startsWith('Is')) {
        const short = name.slice(2)
        p = forUnicodeProperty(short, ci)
        if (p === null) p = forProperty(short, ci)
        if (p === null) p = forUnicodeScript(short)
      } else {
        if (this.has(UNICODE_CHARACTER_CLASS)) p = forPosixName(name, ci)
        if (p === null) p = forProperty(name, ci)
      }
      if (p === null) throw this.error(`Unknown character property name {${name}}`)
    }
    if (p === 'unsupported') { this.refuse(`The character property \\p{${name}}`); return ALL }
    return complement ? not(p) : p
  }

  /** Pattern.clazz(): the cursor is on '[' (or, for the right side of &&, just before the first character). */
  clazz (consume: boolean): CSet {
    let prev: CSet | null = null
    let curr: CSet | null = null
    const bits: number[] = []
    let hasBits = false
    let isNeg = false
    let ch = this.next()
    if (ch === 0x5e && this.temp[this.cursor - 1] === 0x5b) {
      ch = this.next()
      isNeg = true
    }
    const bitSet = (): CSet => chars(...bits)
    for (;;) {
      switch (ch) {
        case 0x5b: {
          curr = this.clazz(true)
          prev = prev === null ? curr : or(prev, curr)
          ch = this.peek()
          continue
        }
        case 0x26: {
          ch = this.next()
          if (ch === 0x26) {
            ch = this.next()
            let right: CSet | null = null
            while (ch !== 0x5d && ch !== 0x26) {
              if (ch === 0x5b) {
                right = right === null ? this.clazz(true) : or(right, this.clazz(true))
              } else {
                this.unread()
                right = right === null ? this.clazz(false) : or(right, this.clazz(false))
              }
              ch = this.peek()
            }
            if (hasBits) {
              if (prev === null) { prev = curr = bitSet() } else prev = or(prev, bitSet())
              hasBits = false
            }
            if (right !== null) curr = right
            if (prev === null) {
              if (right === null) throw this.error('Bad class syntax')
              prev = right
            } else {
              if (curr === null) throw this.error('Bad intersection syntax')
              prev = and(prev, curr)
            }
          } else {
            this.unread()
            break
          }
          continue
        }
        case 0:
          if (this.cursor >= this.len) throw this.error('Unclosed character class')
          break
        case 0x5d:
          if (prev !== null || hasBits) {
            if (consume) this.next()
            if (prev === null) prev = bitSet()
            else if (hasBits) prev = or(prev, bitSet())
            return isNeg ? not(prev) : prev
          }
          break
      }
      const r = this.range(bits)
      if (r === null) {
        hasBits = true
      } else {
        if (prev === null) prev = r
        else if (prev !== r) prev = or(prev, r)
        curr = r
      }
      ch = this.peek()
    }
  }

  /** Pattern.bitsOrSingle: Latin-1 characters collect into one set (BitClass), the others are single predicates. */
  bitsOrSingle (bits: number[], ch: number): CSet | null {
    const f = this.flags
    const uci = (f & CASE_INSENSITIVE) && (f & UNICODE_CASE)
    if (ch < 256 && !(uci && [0xff, 0xb5, 0x49, 0x69, 0x53, 0x73, 0x4b, 0x6b, 0xc5, 0xe5].includes(ch))) {
      if (f & CASE_INSENSITIVE) {
        if (ch < 0x80) bits.push(asciiToUpper(ch), asciiToLower(ch))
        else if (f & UNICODE_CASE) bits.push(simpleLower(ch), simpleUpper(ch))
      }
      bits.push(ch)
      return null
    }
    return single(ch, f)
  }

  range (bits: number[]): CSet | null {
    let ch = this.peek()
    if (ch === 0x5c) {
      ch = this.nextEscaped()
      if (ch === 0x70 || ch === 0x50) return this.familyAfterP(ch === 0x50)
      const isrange = this.temp[this.cursor + 1] === 0x2d
      this.unread()
      const e = this.escape(true, true, isrange)
      if (typeof e !== 'number') return (e as { set: CSet }).set
      ch = e
    } else {
      this.next()
    }
    if (ch >= 0) {
      if (this.peek() === 0x2d) {
        const endRange = this.at(this.cursor + 1)
        if (endRange === 0x5b) return this.bitsOrSingle(bits, ch)
        if (endRange !== 0x5d) {
          this.next()
          let m = this.peek()
          if (m === 0x5c) {
            const e = this.escape(true, false, true)
            m = typeof e === 'number' ? e : -1
          } else {
            this.next()
          }
          if (m < ch) throw this.error('Illegal character range')
          return rangeSet(ch, m, this.flags)
        }
      }
      return this.bitsOrSingle(bits, ch)
    }
    throw this.error(`Unexpected character '${String.fromCodePoint(ch)}'`)
  }
}
