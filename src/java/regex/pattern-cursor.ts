import { isAsciiLower, isAsciiUpper } from './case-folding.ts'
import { COMMENTS, UNIX_LINES } from './flags.ts'
import { JavaPatternSyntaxError } from './java-pattern-syntax-error.ts'

// Parser (Pattern's recursive descent, same cursor moves so that errors carry Java's index): the pattern's
// code points, the \Q…\E pre-pass, and the cursor moves that skip comments-mode whitespace.

export class PatternCursor {
  readonly pattern: string
  temp: number[]
  len: number
  cursor = 0
  flags: number
  groupCount = 1
  readonly names = new Map<string, number>()
  /** The first construct we cannot translate: reported only once the whole pattern parsed, so that a syntax error
   * later in the pattern is still reported as Java reports it. */
  unsupported: string | null = null

  refuse (construct: string): void { this.unsupported ??= construct }

  constructor (pattern: string, flags: number) {
    this.pattern = pattern
    this.flags = flags
    this.temp = [...pattern].map(c => c.codePointAt(0)!)
    this.len = this.temp.length
    this.removeQEQuoting()
    this.temp.push(0, 0)
  }

  has (f: number): boolean { return (this.flags & f) !== 0 }
  error (desc: string): JavaPatternSyntaxError { return new JavaPatternSyntaxError(desc, this.pattern, this.cursor - 1) }
  at (i: number): number { return this.temp[i] ?? 0 }

  /** \Q…\E becomes escaped characters before parsing, as Pattern does. */
  removeQEQuoting (): void {
    const t = this.temp
    const pLen = this.len
    let i = 0
    while (i < pLen - 1) {
      if (t[i] !== 0x5c) i += 1
      else if (t[i + 1] !== 0x51) i += 2
      else break
    }
    if (i >= pLen - 1) return
    const out = t.slice(0, i)
    i += 2
    let inQuote = true
    let beginQuote = true
    while (i < pLen) {
      const c = t[i++]!
      const isAlpha = isAsciiLower(c) || isAsciiUpper(c)
      const isDigit = c >= 0x30 && c <= 0x39
      if (c >= 0x80 || isAlpha) {
        out.push(c)
      } else if (isDigit) {
        if (beginQuote) out.push(0x5c, 0x78, 0x33)
        out.push(c)
      } else if (c !== 0x5c) {
        if (inQuote) out.push(0x5c)
        out.push(c)
      } else if (inQuote) {
        if (t[i] === 0x45) { i++; inQuote = false } else out.push(0x5c, 0x5c)
      } else {
        if (t[i] === 0x51) { i++; inQuote = true; beginQuote = true; continue }
        out.push(c)
        if (i !== pLen) out.push(t[i++]!)
      }
      beginQuote = false
    }
    this.temp = out
    this.len = out.length
  }

  isSpace (c: number): boolean { return (c >= 0x09 && c <= 0x0d) || c === 0x20 }
  isLineSeparator (c: number): boolean {
    return this.has(UNIX_LINES) ? c === 0x0a : (c === 0x0a || c === 0x0d || (c | 1) === 0x2029 || c === 0x85)
  }

  peekPastLine (): number {
    let ch = this.at(++this.cursor)
    while (ch !== 0 && !this.isLineSeparator(ch)) ch = this.at(++this.cursor)
    if (ch === 0 && this.cursor > this.len) { this.cursor = this.len; ch = this.at(this.cursor) }
    return ch
  }

  parsePastLine (): number {
    let ch = this.at(this.cursor++)
    while (ch !== 0 && !this.isLineSeparator(ch)) ch = this.at(this.cursor++)
    if (ch === 0 && this.cursor > this.len) { this.cursor = this.len; ch = this.at(this.cursor++) }
    return ch
  }

  peekPastWhitespace (ch: number): number {
    while (this.isSpace(ch) || ch === 0x23) {
      while (this.isSpace(ch)) ch = this.at(++this.cursor)
      if (ch === 0x23) ch = this.peekPastLine()
    }
    return ch
  }

  parsePastWhitespace (ch: number): number {
    while (this.isSpace(ch) || ch === 0x23) {
      while (this.isSpace(ch)) ch = this.at(this.cursor++)
      if (ch === 0x23) ch = this.parsePastLine()
    }
    return ch
  }

  peek (): number { const ch = this.at(this.cursor); return this.has(COMMENTS) ? this.peekPastWhitespace(ch) : ch }
  read (): number { const ch = this.at(this.cursor++); return this.has(COMMENTS) ? this.parsePastWhitespace(ch) : ch }
  next (): number { const ch = this.at(++this.cursor); return this.has(COMMENTS) ? this.peekPastWhitespace(ch) : ch }
  nextEscaped (): number { return this.at(++this.cursor) }
  skip (): number { const ch = this.at(this.cursor + 1); this.cursor += 2; return ch }
  unread (): void { this.cursor-- }
  accept (ch: number, desc: string): void {
    let test = this.at(this.cursor++)
    if (this.has(COMMENTS)) test = this.parsePastWhitespace(test)
    if (ch !== test) throw this.error(desc)
  }
}
