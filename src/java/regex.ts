/**
 * Java regular expressions (java.util.regex.Pattern, JDK 17) translated to JavaScript RegExps with the `v` flag.
 *
 * The parser follows Pattern's own grammar (flags, \Q…\E pre-pass, comments mode, nested classes with unions and
 * `&&` intersections, octal/hex/unicode escapes, dangling metacharacters, unclosed constructs) so that a pattern is
 * accepted exactly when Java accepts it, with Java's PatternSyntaxException text when it is not. What cannot be
 * expressed exactly in JavaScript is refused with an UnsupportedJavaRegexError naming the construct, so a config is
 * refused at validation instead of matching differently in silence.
 *
 * Semantics are resolved at translation time: case-insensitivity (ASCII, or Unicode with `u`) becomes explicit
 * character sets, `.`/`^`/`$`/\Z/\b become the lookarounds that give Java's line-terminator and word rules,
 * possessive quantifiers and atomic groups become `(?=(…))\N`, and named groups become numbered ones (the table of
 * Java group numbers to JavaScript ones is kept for replacement strings).
 *
 * Every caller matches once from the start of the input (Matcher.matches(), or one find() for replaceFirst), which is
 * what makes \G (the end of the previous match) the same as the start of the input.
 */

const CASE_INSENSITIVE = 0x02
const MULTILINE = 0x08
const DOTALL = 0x20
const UNIX_LINES = 0x01
const UNICODE_CASE = 0x40
const COMMENTS = 0x04
const CANON_EQ = 0x80
const UNICODE_CHARACTER_CLASS = 0x100

/** A pattern Java refuses: `message` is PatternSyntaxException.getMessage(), `description` its first part. */
export class JavaPatternSyntaxError extends SyntaxError {
  readonly description: string
  readonly index: number
  constructor (description: string, pattern: string, index: number) {
    let text = description + (index >= 0 ? ` near index ${index}` : '') + '\n' + pattern
    if (index >= 0 && index < pattern.length) text += '\n' + ' '.repeat(index) + '^'
    super(text)
    this.name = 'PatternSyntaxException'
    this.description = description
    this.index = index
  }
}

/** A pattern Java accepts but that has no exact JavaScript translation. */
export class UnsupportedJavaRegexError extends SyntaxError {
  constructor (construct: string) {
    super(`${construct} is not supported (Java accepts it, but it cannot be matched exactly here)`)
    this.name = 'UnsupportedJavaRegexError'
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Character sets

type CSet =
  | { k: 'ranges', r: Array<[number, number]> }
  | { k: 'prop', js: string }
  | { k: 'or', a: CSet[] }
  | { k: 'and', a: CSet, b: CSet }
  | { k: 'not', a: CSet }

const ranges = (...r: Array<[number, number]>): CSet => ({ k: 'ranges', r })
const chars = (...cs: number[]): CSet => ({ k: 'ranges', r: cs.map(c => [c, c] as [number, number]) })
const prop = (js: string): CSet => ({ k: 'prop', js })
const or = (...a: CSet[]): CSet => ({ k: 'or', a })
const not = (a: CSet): CSet => ({ k: 'not', a })
const and = (a: CSet, b: CSet): CSet => ({ k: 'and', a, b })

function escCp (c: number): string {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return String.fromCharCode(c)
  return `\\u{${c.toString(16)}}`
}

function emitSet (s: CSet): string {
  switch (s.k) {
    case 'ranges': {
      const sorted = [...s.r].sort((x, y) => x[0] - y[0])
      const merged: Array<[number, number]> = []
      for (const [lo, hi] of sorted) {
        const last = merged[merged.length - 1]
        if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi)
        else merged.push([lo, hi])
      }
      return '[' + merged.map(([lo, hi]) => lo === hi ? escCp(lo) : `${escCp(lo)}-${escCp(hi)}`).join('') + ']'
    }
    case 'prop': return `[${s.js}]`
    case 'or': return '[' + s.a.map(emitSet).join('') + ']'
    case 'and': return `[${emitSet(s.a)}&&${emitSet(s.b)}]`
    case 'not': return `[^${emitSet(s.a)}]`
  }
}

// Java's predefined classes.
const ASCII_DIGIT = ranges([0x30, 0x39])
const ASCII_WORD = ranges([0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a], [0x5f, 0x5f])
const ASCII_SPACE = ranges([0x09, 0x0d], [0x20, 0x20])
const HORIZ_WS = ranges([0x20, 0x20], [0x09, 0x09], [0xa0, 0xa0], [0x1680, 0x1680], [0x180e, 0x180e], [0x2000, 0x200a], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000])
const VERT_WS = ranges([0x0a, 0x0d], [0x85, 0x85], [0x2028, 0x2029])
const LINE_TERMINATORS = chars(0x0a, 0x0d, 0x85, 0x2028, 0x2029)
const ALL = ranges([0, 0x10ffff])
// Character.isDigit / isLetterOrDigit / isWhitespace etc. as Unicode properties.
const U_DIGIT = prop('\\p{gc=Nd}')
const U_WHITE_SPACE = prop('\\p{White_Space}')
const U_ALPHABETIC = prop('\\p{Alphabetic}')
const U_LOWER = prop('\\p{Lowercase}')
const U_UPPER = prop('\\p{Uppercase}')
const U_TITLE = prop('\\p{gc=Lt}')
const U_CASED_ANY = or(U_LOWER, U_UPPER, U_TITLE)
const U_WORD = or(U_ALPHABETIC, prop('\\p{gc=Mn}'), prop('\\p{gc=Me}'), prop('\\p{gc=Mc}'), U_DIGIT, prop('\\p{gc=Pc}'), chars(0x200c, 0x200d))
const U_PUNCT = prop('\\p{gc=P}')
const U_HEX = or(U_DIGIT, prop('\\p{Hex_Digit}'))
const U_BLANK = or(prop('\\p{gc=Zs}'), chars(0x09))
const U_GRAPH = not(or(prop('\\p{gc=Zs}'), prop('\\p{gc=Zl}'), prop('\\p{gc=Zp}'), prop('\\p{gc=Cc}'), prop('\\p{gc=Cs}'), prop('\\p{gc=Cn}')))
const U_CONTROL = prop('\\p{gc=Cc}')
const LETTER_OR_DIGIT = or(prop('\\p{gc=L}'), U_DIGIT)

const ASCII_PUNCT = ranges([0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e])

const CATEGORIES = new Set(['Cn', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'Mn', 'Me', 'Mc', 'Nd', 'Nl', 'No', 'Zs', 'Zl', 'Zp', 'Cc', 'Cf', 'Co', 'Cs',
  'Pd', 'Ps', 'Pe', 'Pc', 'Po', 'Sm', 'Sc', 'Sk', 'So', 'Pi', 'Pf', 'L', 'M', 'N', 'Z', 'C', 'P', 'S', 'LC'])

/** Pattern's \p{name} table (CharPredicates.forProperty). */
function forProperty (name: string, ci: boolean): CSet | null | 'unsupported' {
  if (CATEGORIES.has(name)) {
    if (ci && (name === 'Lu' || name === 'Ll' || name === 'Lt')) return prop('\\p{gc=LC}')
    return prop(`\\p{gc=${name}}`)
  }
  switch (name) {
    case 'LD': return or(prop('\\p{gc=L}'), U_DIGIT)
    case 'L1': return ranges([0, 0xff])
    case 'all': return ALL
    case 'ASCII': return ranges([0, 0x7f])
    case 'Alnum': return ranges([0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a])
    case 'Alpha': return ranges([0x41, 0x5a], [0x61, 0x7a])
    case 'Blank': return chars(0x20, 0x09)
    case 'Cntrl': return ranges([0, 0x1f], [0x7f, 0x7f])
    case 'Digit': return ASCII_DIGIT
    case 'Graph': return ranges([0x21, 0x7e])
    case 'Lower': return ci ? ranges([0x41, 0x5a], [0x61, 0x7a]) : ranges([0x61, 0x7a])
    case 'Print': return ranges([0x20, 0x7e])
    case 'Punct': return ASCII_PUNCT
    case 'Space': return ASCII_SPACE
    case 'Upper': return ci ? ranges([0x41, 0x5a], [0x61, 0x7a]) : ranges([0x41, 0x5a])
    case 'XDigit': return ranges([0x30, 0x39], [0x41, 0x46], [0x61, 0x66])
    case 'javaLowerCase': return ci ? U_CASED_ANY : U_LOWER
    case 'javaUpperCase': return ci ? U_CASED_ANY : U_UPPER
    case 'javaTitleCase': return ci ? U_CASED_ANY : U_TITLE
    case 'javaAlphabetic': return U_ALPHABETIC
    case 'javaIdeographic': return prop('\\p{Ideographic}')
    case 'javaDigit': return U_DIGIT
    case 'javaDefined': return prop('\\P{gc=Cn}')
    case 'javaLetter': return prop('\\p{gc=L}')
    case 'javaLetterOrDigit': return LETTER_OR_DIGIT
    case 'javaSpaceChar': return prop('\\p{gc=Z}')
    // Character.isWhitespace: separators except the no-break ones, plus the ASCII and information-separator controls.
    case 'javaWhitespace': return or(and(prop('\\p{gc=Z}'), not(chars(0xa0, 0x2007, 0x202f))), ranges([0x09, 0x0d], [0x1c, 0x1f]))
    case 'javaISOControl': return ranges([0, 0x1f], [0x7f, 0x9f])
    case 'javaMirrored': return prop('\\p{Bidi_Mirrored}')
    case 'javaIdentifierIgnorable': return or(ranges([0, 8], [0x0e, 0x1b], [0x7f, 0x9f]), prop('\\p{gc=Cf}'))
    // Character.isJavaIdentifierStart / Part: letters, letter numbers, currency symbols, connectors (and digits, marks
    // and the ignorable controls for Part).
    case 'javaJavaIdentifierStart': return prop('[\\p{gc=L}\\p{gc=Nl}\\p{gc=Sc}\\p{gc=Pc}]')
    case 'javaJavaIdentifierPart': return or(prop('[\\p{gc=L}\\p{gc=Nl}\\p{gc=Sc}\\p{gc=Pc}\\p{gc=Nd}\\p{gc=Mn}\\p{gc=Mc}\\p{gc=Cf}]'), ranges([0, 8], [0x0e, 0x1b], [0x7f, 0x9f]))
    case 'javaUnicodeIdentifierStart': case 'javaUnicodeIdentifierPart':
      return 'unsupported'
    default: return null
  }
}

/** CharPredicates.forUnicodeProperty: binary properties and the POSIX names with Unicode meanings. */
function forUnicodeProperty (name: string, ci: boolean): CSet | null | 'unsupported' {
  switch (name.toUpperCase()) {
    case 'ALPHABETIC': return U_ALPHABETIC
    case 'ASSIGNED': return prop('\\P{gc=Cn}')
    case 'CONTROL': return U_CONTROL
    case 'HEXDIGIT': case 'HEX_DIGIT': return U_HEX
    case 'IDEOGRAPHIC': return prop('\\p{Ideographic}')
    case 'JOINCONTROL': case 'JOIN_CONTROL': return chars(0x200c, 0x200d)
    case 'LETTER': return prop('\\p{gc=L}')
    case 'LOWERCASE': return ci ? U_CASED_ANY : U_LOWER
    case 'NONCHARACTERCODEPOINT': case 'NONCHARACTER_CODE_POINT': return prop('\\p{Noncharacter_Code_Point}')
    case 'TITLECASE': return ci ? U_CASED_ANY : U_TITLE
    case 'PUNCTUATION': return U_PUNCT
    case 'UPPERCASE': return ci ? U_CASED_ANY : U_UPPER
    case 'WHITESPACE': case 'WHITE_SPACE': return U_WHITE_SPACE
    case 'WORD': return U_WORD
    case 'EMOJI': case 'EMOJI_PRESENTATION': case 'EMOJI_MODIFIER': case 'EMOJI_MODIFIER_BASE': case 'EMOJI_COMPONENT':
    case 'EXTENDED_PICTOGRAPHIC':
      return null
    default: return forPosixName(name, ci)
  }
}

/** CharPredicates.forPOSIXName (the UNICODE_CHARACTER_CLASS meanings of \p{Lower} & co). */
function forPosixName (name: string, ci: boolean): CSet | null {
  switch (name.toUpperCase()) {
    case 'ALPHA': return U_ALPHABETIC
    case 'LOWER': return ci ? U_CASED_ANY : U_LOWER
    case 'UPPER': return ci ? U_CASED_ANY : U_UPPER
    case 'SPACE': return U_WHITE_SPACE
    case 'PUNCT': return U_PUNCT
    case 'XDIGIT': return U_HEX
    case 'ALNUM': return or(U_ALPHABETIC, U_DIGIT)
    case 'CNTRL': return U_CONTROL
    case 'DIGIT': return U_DIGIT
    case 'BLANK': return U_BLANK
    case 'GRAPH': return U_GRAPH
    case 'PRINT': return and(or(U_GRAPH, U_BLANK), not(U_CONTROL))
    default: return null
  }
}

// Scripts JDK 17 (Unicode 13) does not know but Node's ICU does.
const NEWER_SCRIPTS = new Set(['CYPRO_MINOAN', 'CPMN', 'OLD_UYGHUR', 'OUGR', 'TANGSA', 'TNSA', 'TOTO', 'VITHKUQI', 'VITH', 'KAWI', 'NAG_MUNDARI', 'NAGM'])

/** Character.UnicodeScript.forName (case-insensitive full names and ISO 15924 codes) as a JS Script= value. */
function forUnicodeScript (name: string): CSet | null {
  const upper = name.toUpperCase()
  if (NEWER_SCRIPTS.has(upper) || !/^[A-Z_]+$/.test(upper)) return null
  const candidates = [upper === 'SIGNWRITING' ? 'SignWriting' : upper.split('_').map(w => w.charAt(0) + w.slice(1).toLowerCase()).join('_')]
  for (const c of candidates) {
    try {
      new RegExp(`\\p{Script=${c}}`, 'v')
      return prop(`\\p{Script=${c}}`)
    } catch { /* not a script name */ }
  }
  return null
}

// ---------------------------------------------------------------------------------------------------------------
// Case folding (Character.toUpperCase / toLowerCase, the simple one-code-point mappings)

function simpleUpper (c: number): number {
  // Greek letters with ypogegrammeni: the full mapping has two characters, the simple one is the titlecase letter.
  if ((c >= 0x1f80 && c <= 0x1f87) || (c >= 0x1f90 && c <= 0x1f97) || (c >= 0x1fa0 && c <= 0x1fa7)) return c + 8
  if (c === 0x1fb3 || c === 0x1fc3 || c === 0x1ff3) return c + 9
  const s = String.fromCodePoint(c).toUpperCase()
  const u = s.codePointAt(0)!
  return s.length === String.fromCodePoint(u).length ? u : c
}

function simpleLower (c: number): number {
  if (c === 0x130) return 0x69
  const s = String.fromCodePoint(c).toLowerCase()
  const l = s.codePointAt(0)!
  return s.length === String.fromCodePoint(l).length ? l : c
}

let cased: number[] | null = null
/** Every code point whose simple upper or lower case differs from itself (none lie above U+1FFFF). */
function casedCodePoints (): number[] {
  if (cased) return cased
  cased = []
  for (let c = 0; c <= 0x1ffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue
    if (simpleUpper(c) !== c || simpleLower(c) !== c) cased.push(c)
  }
  return cased
}

const isAsciiLower = (c: number): boolean => c >= 0x61 && c <= 0x7a
const isAsciiUpper = (c: number): boolean => c >= 0x41 && c <= 0x5a
const asciiToUpper = (c: number): number => isAsciiLower(c) ? c - 0x20 : c
const asciiToLower = (c: number): number => isAsciiUpper(c) ? c + 0x20 : c
const fold = (c: number): number => simpleLower(simpleUpper(c))

/** Pattern.single(): one code point with the case flags in force. */
function single (c: number, flags: number): CSet {
  if (flags & CASE_INSENSITIVE) {
    if (flags & UNICODE_CASE) {
      const upper = simpleUpper(c)
      const lower = simpleLower(upper)
      if (upper !== lower) return singleU(lower)
    } else if (c < 0x80) {
      const lower = asciiToLower(c)
      const upper = asciiToUpper(c)
      if (lower !== upper) return chars(lower, upper)
    }
  }
  return chars(c)
}

/** Matches lower, and every code point whose toLowerCase(toUpperCase(c)) is lower. */
function singleU (lower: number): CSet {
  const out = [lower]
  for (const c of casedCodePoints()) if (fold(c) === lower) out.push(c)
  return chars(...out)
}

/** A character of a multi-character literal (Pattern's SliceU compares toLowerCase(toUpperCase(c))). */
function sliceChar (c: number, flags: number): CSet {
  if ((flags & CASE_INSENSITIVE) && (flags & UNICODE_CASE)) {
    const f = fold(c)
    const out = [c]
    for (const x of casedCodePoints()) if (fold(x) === f) out.push(x)
    return chars(...out)
  }
  return single(c, flags)
}

function rangeSet (lo: number, hi: number, flags: number): CSet {
  if (!(flags & CASE_INSENSITIVE)) return ranges([lo, hi])
  const extra: number[] = []
  if (flags & UNICODE_CASE) {
    for (const c of casedCodePoints()) {
      const up = simpleUpper(c)
      const l = simpleLower(up)
      if ((up >= lo && up <= hi) || (l >= lo && l <= hi)) extra.push(c)
    }
  } else {
    for (let c = 0; c < 0x80; c++) {
      const u = asciiToUpper(c)
      const l = asciiToLower(c)
      if ((u >= lo && u <= hi) || (l >= lo && l <= hi)) extra.push(c)
    }
  }
  return { k: 'ranges', r: [[lo, hi], ...extra.map(c => [c, c] as [number, number])] }
}

// ---------------------------------------------------------------------------------------------------------------
// Syntax tree

type Node =
  | { k: 'seq', items: Node[] }
  | { k: 'alt', alts: Node[] }
  | { k: 'set', set: CSet }
  | { k: 'group', cap: number | null, body: Node }
  | { k: 'look', behind: boolean, neg: boolean, body: Node }
  | { k: 'atomic', body: Node }
  | { k: 'quant', body: Node, min: number, max: number, type: 'greedy' | 'lazy' | 'possessive' }
  | { k: 'assert', js: string }
  | { k: 'raw', js: string, min: number, max: number }
  | { k: 'backref', group: number }

const EMPTY: Node = { k: 'seq', items: [] }
const BEGIN = '^'
const END = '$'

// \b as JDK 17 defines it: word characters are letters, digits and '_' (Character.isLetterOrDigit), and a
// non-spacing mark counts as a word character when it follows a letter or digit.
function boundaryParts (ucc: boolean): { left: string, right: string } {
  const word = emitSet(ucc ? U_WORD : or(LETTER_OR_DIGIT, chars(0x5f)))
  const base = emitSet(LETTER_OR_DIGIT)
  return { left: `(?<=${word}|${base}\\p{gc=Mn}+)`, right: `(?:(?=${word})|(?<=${base}\\p{gc=Mn}*)(?=\\p{gc=Mn}))` }
}

// ---------------------------------------------------------------------------------------------------------------
// Parser (Pattern's recursive descent, same cursor moves so that errors carry Java's index)

interface Parsed { root: Node, groupCount: number, names: Map<string, number> }

class Parser {
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

const FLAG_LETTERS: Record<string, number> = {
  i: CASE_INSENSITIVE, m: MULTILINE, s: DOTALL, d: UNIX_LINES, u: UNICODE_CASE, c: CANON_EQ, x: COMMENTS,
  U: UNICODE_CHARACTER_CLASS | UNICODE_CASE
}

const MAX_REPS = 0x7fffffff

function containsLineEnding (n: Node): boolean {
  switch (n.k) {
    case 'raw': return true
    case 'seq': return n.items.some(containsLineEnding)
    case 'alt': return n.alts.some(containsLineEnding)
    case 'group': case 'atomic': case 'quant': return containsLineEnding(n.body)
    default: return false
  }
}

/** Pattern's TreeInfo.deterministic: no alternatives and no repetition of variable count. */
function javaDeterministic (n: Node): boolean {
  switch (n.k) {
    case 'seq': return n.items.every(javaDeterministic)
    case 'alt': return n.alts.length < 2 && n.alts.every(javaDeterministic)
    case 'group': return javaDeterministic(n.body)
    case 'quant': return n.min === n.max && javaDeterministic(n.body)
    default: return true
  }
}

function containsAtomic (n: Node): boolean {
  switch (n.k) {
    case 'atomic': return true
    case 'quant': return n.type === 'possessive' || containsAtomic(n.body)
    case 'seq': return n.items.some(containsAtomic)
    case 'alt': return n.alts.some(containsAtomic)
    case 'group': case 'look': return containsAtomic(n.body)
    default: return false
  }
}

interface LengthInfo { max: number, valid: boolean, deterministic: boolean }

/** A node that Pattern turns into a single character matcher (a class, or a non-capturing group around one). */
function isCharNode (n: Node): boolean {
  return n.k === 'set' || (n.k === 'group' && n.cap === null && isCharNode(n.body))
}

/**
 * The maximum length JDK 17 computes for a look-behind body (Pattern's TreeInfo): `*`, `+` and `{n,}` on a single
 * character add Integer.MAX_VALUE unchecked; repeated groups and other repeated nodes are checked for int overflow,
 * and are invalid when their content has alternatives or variable repetitions; backreferences are invalid.
 */
function lookBehindLength (n: Node, before = 0): LengthInfo {
  switch (n.k) {
    case 'seq': {
      let max = before
      let valid = true
      let deterministic = true
      for (const x of n.items) {
        const r = lookBehindLength(x, max)
        max = r.max
        valid &&= r.valid
        deterministic &&= r.deterministic
      }
      return { max, valid, deterministic }
    }
    case 'alt': {
      const rs = n.alts.map(a => lookBehindLength(a, 0))
      return { max: before + Math.max(...rs.map(r => r.max)), valid: rs.every(r => r.valid), deterministic: n.alts.length < 2 && rs.every(r => r.deterministic) }
    }
    case 'set': return { max: before + 1, valid: true, deterministic: true }
    case 'group': return lookBehindLength(n.body, before)
    case 'atomic': return { ...lookBehindLength(n.body, before), deterministic: true }
    case 'look': case 'assert': return { max: before, valid: true, deterministic: true }
    case 'raw': return { max: before + n.max, valid: true, deterministic: true }
    case 'backref': return { max: before, valid: false, deterministic: false }
    case 'quant': {
      const body = lookBehindLength(n.body, 0)
      const deterministic = n.min === n.max && body.deterministic
      if (n.min === 0 && n.max === 1) return { max: before + body.max, valid: body.valid, deterministic: false }
      const cmax = n.max === Infinity ? MAX_REPS : n.max
      if (isCharNode(n.body)) return { max: before + cmax, valid: body.valid, deterministic }
      if (n.body.k === 'group' && !body.deterministic) return { max: before, valid: false, deterministic: false }
      const max = before + body.max * cmax
      return { max, valid: body.valid && max <= MAX_REPS, deterministic }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Checks for what JavaScript would match differently

interface Frame { id: number, conditional: boolean }

/**
 * JavaScript clears the captures inside a quantified group at each repetition and lets a backreference to a group
 * that has not matched match the empty string; Java keeps the previous repetition's capture and fails such a
 * backreference. Patterns where this can make a difference are refused.
 */
function checkCaptures (root: Node, capturesVisible: boolean): void {
  // Without visible captures (matches() only), only the groups a backreference reads matter.
  const referenced = new Set<number>()
  const collect = (n: Node): void => {
    if (n.k === 'backref') referenced.add(n.group)
    else if (n.k === 'seq') n.items.forEach(collect)
    else if (n.k === 'alt') n.alts.forEach(collect)
    else if (n.k === 'group' || n.k === 'atomic' || n.k === 'look' || n.k === 'quant') collect(n.body)
  }
  collect(root)
  const relevant = (g: number): boolean => capturesVisible || referenced.has(g)
  let nextId = 0
  const groupPath = new Map<number, Frame[]>()
  const closed = new Set<number>()
  const walk = (n: Node, path: Frame[]): void => {
    const frame = (conditional: boolean): Frame[] => [...path, { id: nextId++, conditional }]
    switch (n.k) {
      case 'seq': for (const x of n.items) walk(x, path); break
      case 'alt': for (const a of n.alts) walk(a, frame(n.alts.length > 1)); break
      case 'group':
        if (n.cap !== null) groupPath.set(n.cap, path)
        walk(n.body, path)
        if (n.cap !== null) closed.add(n.cap)
        break
      case 'atomic': walk(n.body, path); break
      case 'look':
        // Java tries the shortest look-behind first and matches forwards; JavaScript matches backwards, greedily:
        // when the body can match in several ways its captures can differ.
        if (n.behind && !javaDeterministic(n.body) && hasOptionalCapture(n.body, true, relevant)) {
          throw new UnsupportedJavaRegexError('A capturing group inside a look-behind with alternatives or variable repetitions')
        }
        walk(n.body, frame(n.neg))
        break
      case 'quant':
        if (n.max > 1 && hasOptionalCapture(n.body, false, relevant)) {
          throw new UnsupportedJavaRegexError('A capturing group that a later repetition of its quantifier may skip (Java keeps the earlier capture)')
        }
        // Java lets a last repetition match the empty string (and keeps its captures); JavaScript rejects it.
        if (n.max > 1 && minLength(n.body) === 0 && hasOptionalCapture(n.body, true, relevant)) {
          throw new UnsupportedJavaRegexError('A capturing group in a repetition that can match the empty string')
        }
        walk(n.body, frame(n.min === 0))
        break
      case 'backref': {
        const gp = groupPath.get(n.group)
        if (gp === undefined && n.group >= 1 && !closed.has(n.group) && n.group < 0x7fffffff) {
          // A group defined later (or never): Java fails the reference unless a previous repetition set it.
          if (isDefinedAnywhere(root, n.group)) throw new UnsupportedJavaRegexError('A backreference to a group that comes after it')
          break
        }
        if (!closed.has(n.group)) throw new UnsupportedJavaRegexError('A backreference inside the group it refers to')
        let common = 0
        while (common < gp!.length && common < path.length && gp![common]!.id === path[common]!.id) common++
        if (gp!.slice(common).some(f => f.conditional)) {
          throw new UnsupportedJavaRegexError('A backreference to a group that may not have matched')
        }
        break
      }
      default: break
    }
  }
  walk(root, [])
}

function isDefinedAnywhere (n: Node, group: number): boolean {
  switch (n.k) {
    case 'seq': return n.items.some(x => isDefinedAnywhere(x, group))
    case 'alt': return n.alts.some(x => isDefinedAnywhere(x, group))
    case 'group': return n.cap === group || isDefinedAnywhere(n.body, group)
    case 'atomic': case 'look': case 'quant': return isDefinedAnywhere(n.body, group)
    default: return false
  }
}

function hasOptionalCapture (n: Node, optional: boolean, relevant: (g: number) => boolean): boolean {
  switch (n.k) {
    case 'seq': return n.items.some(x => hasOptionalCapture(x, optional, relevant))
    case 'alt': return n.alts.some(x => hasOptionalCapture(x, optional || n.alts.length > 1, relevant))
    case 'group': return (n.cap !== null && optional && relevant(n.cap)) || hasOptionalCapture(n.body, optional, relevant)
    case 'atomic': return hasOptionalCapture(n.body, optional, relevant)
    case 'look': return hasOptionalCapture(n.body, optional || n.neg, relevant)
    case 'quant': return hasOptionalCapture(n.body, optional || n.min === 0, relevant)
    default: return false
  }
}

function minLength (n: Node): number {
  switch (n.k) {
    case 'seq': return n.items.reduce((t, x) => t + minLength(x), 0)
    case 'alt': return Math.min(...n.alts.map(minLength))
    case 'set': return 1
    case 'group': case 'atomic': return minLength(n.body)
    case 'quant': return n.min * minLength(n.body)
    case 'raw': return n.min
    default: return 0
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Emitter

class Emitter {
  jsGroups = 0
  readonly groupIndex: number[] = [0]

  emit (n: Node): string {
    switch (n.k) {
      case 'seq': return n.items.map(x => this.emit(x)).join('')
      case 'alt': return n.alts.map(x => this.emit(x)).join('|')
      case 'set': {
        if (n.set.k === 'ranges' && n.set.r.length === 1 && n.set.r[0]![0] === n.set.r[0]![1]) return escCp(n.set.r[0]![0])
        return emitSet(n.set)
      }
      case 'group': {
        if (n.cap === null) return `(?:${this.emit(n.body)})`
        this.groupIndex[n.cap] = ++this.jsGroups
        return `(${this.emit(n.body)})`
      }
      case 'look': return `(?${n.behind ? '<' : ''}${n.neg ? '!' : '='}${this.emit(n.body)})`
      case 'atomic': {
        // A lookahead is atomic in JavaScript; the backreference then consumes what it matched.
        const g = ++this.jsGroups
        return `(?=(${this.emit(n.body)}))\\${g}`
      }
      case 'quant': {
        const q = n.min === 0 && n.max === Infinity
          ? '*'
          : n.min === 1 && n.max === Infinity
            ? '+'
            : n.min === 0 && n.max === 1 ? '?' : n.max === Infinity ? `{${n.min},}` : n.min === n.max ? `{${n.min}}` : `{${n.min},${n.max}}`
        if (n.type === 'possessive') {
          const g = ++this.jsGroups
          return `(?=(${this.atom(n.body)}${q}))\\${g}`
        }
        return this.atom(n.body) + q + (n.type === 'lazy' ? '?' : '')
      }
      case 'assert': return n.js
      case 'raw': return n.js
      case 'backref': {
        const g = this.groupIndex[n.group]
        // A group that does not exist never matches in Java.
        return g === undefined ? '[]' : `(?:\\${g})`
      }
    }
  }

  atom (n: Node): string {
    const s = this.emit(n)
    if (n.k === 'set' || (n.k === 'group' && n.cap !== null)) return s
    return `(?:${s})`
  }
}

/** A translated pattern: `find` searches, `full` matches the whole input (Matcher.matches()). */
export interface JavaRegex {
  readonly pattern: string
  readonly find: RegExp
  readonly full: RegExp
  /** Java's group count (Matcher.groupCount()). */
  readonly groupCount: number
  /** The Java group number of each named group. */
  readonly names: ReadonlyMap<string, number>
  /** What Java group n captured in a match of `find` or `full` (undefined when it did not take part). */
  group (match: RegExpExecArray, n: number): string | undefined
}

/**
 * Translates a Java pattern; throws JavaPatternSyntaxError (Java refuses it) or UnsupportedJavaRegexError.
 * `captures`: whether the caller reads groups (RegexRouter's replacement); when only matches() counts, patterns whose
 * captures alone would differ are not refused.
 */
export function translateJavaRegex (pattern: string, options: { captures?: boolean } = {}): JavaRegex {
  const parsed = new Parser(pattern, 0).parse()
  checkCaptures(parsed.root, options.captures ?? true)
  const emitter = new Emitter()
  const source = emitter.emit(parsed.root)
  const groupIndex = emitter.groupIndex
  return {
    pattern,
    find: new RegExp(source, 'v'),
    full: new RegExp(`^(?:${source})$`, 'v'),
    groupCount: parsed.groupCount,
    names: parsed.names,
    group: (match, n) => {
      const i = groupIndex[n]
      return i === undefined ? undefined : match[i]
    }
  }
}
