// Character sets

export type CSet =
  | { k: 'ranges', r: Array<[number, number]> }
  | { k: 'prop', js: string }
  | { k: 'or', a: CSet[] }
  | { k: 'and', a: CSet, b: CSet }
  | { k: 'not', a: CSet }

export const ranges = (...r: Array<[number, number]>): CSet => ({ k: 'ranges', r })
export const chars = (...cs: number[]): CSet => ({ k: 'ranges', r: cs.map(c => [c, c] as [number, number]) })
const prop = (js: string): CSet => ({ k: 'prop', js })
export const or = (...a: CSet[]): CSet => ({ k: 'or', a })
export const not = (a: CSet): CSet => ({ k: 'not', a })
export const and = (a: CSet, b: CSet): CSet => ({ k: 'and', a, b })

export function escCp (c: number): string {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return String.fromCharCode(c)
  return `\\u{${c.toString(16)}}`
}

export function emitSet (s: CSet): string {
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
export const ASCII_DIGIT = ranges([0x30, 0x39])
export const ASCII_WORD = ranges([0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a], [0x5f, 0x5f])
export const ASCII_SPACE = ranges([0x09, 0x0d], [0x20, 0x20])
export const HORIZ_WS = ranges([0x20, 0x20], [0x09, 0x09], [0xa0, 0xa0], [0x1680, 0x1680], [0x180e, 0x180e], [0x2000, 0x200a], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000])
export const VERT_WS = ranges([0x0a, 0x0d], [0x85, 0x85], [0x2028, 0x2029])
export const LINE_TERMINATORS = chars(0x0a, 0x0d, 0x85, 0x2028, 0x2029)
export const ALL = ranges([0, 0x10ffff])
// Character.isDigit / isLetterOrDigit / isWhitespace etc. as Unicode properties.
export const U_DIGIT = prop('\\p{gc=Nd}')
export const U_WHITE_SPACE = prop('\\p{White_Space}')
const U_ALPHABETIC = prop('\\p{Alphabetic}')
const U_LOWER = prop('\\p{Lowercase}')
const U_UPPER = prop('\\p{Uppercase}')
const U_TITLE = prop('\\p{gc=Lt}')
const U_CASED_ANY = or(U_LOWER, U_UPPER, U_TITLE)
export const U_WORD = or(U_ALPHABETIC, prop('\\p{gc=Mn}'), prop('\\p{gc=Me}'), prop('\\p{gc=Mc}'), U_DIGIT, prop('\\p{gc=Pc}'), chars(0x200c, 0x200d))
const U_PUNCT = prop('\\p{gc=P}')
const U_HEX = or(U_DIGIT, prop('\\p{Hex_Digit}'))
const U_BLANK = or(prop('\\p{gc=Zs}'), chars(0x09))
const U_GRAPH = not(or(prop('\\p{gc=Zs}'), prop('\\p{gc=Zl}'), prop('\\p{gc=Zp}'), prop('\\p{gc=Cc}'), prop('\\p{gc=Cs}'), prop('\\p{gc=Cn}')))
const U_CONTROL = prop('\\p{gc=Cc}')
export const LETTER_OR_DIGIT = or(prop('\\p{gc=L}'), U_DIGIT)

const ASCII_PUNCT = ranges([0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e])

const CATEGORIES = new Set(['Cn', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'Mn', 'Me', 'Mc', 'Nd', 'Nl', 'No', 'Zs', 'Zl', 'Zp', 'Cc', 'Cf', 'Co', 'Cs',
  'Pd', 'Ps', 'Pe', 'Pc', 'Po', 'Sm', 'Sc', 'Sk', 'So', 'Pi', 'Pf', 'L', 'M', 'N', 'Z', 'C', 'P', 'S', 'LC'])

/** Pattern's \p{name} table (CharPredicates.forProperty). */
export function forProperty (name: string, ci: boolean): CSet | null | 'unsupported' {
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
export function forUnicodeProperty (name: string, ci: boolean): CSet | null | 'unsupported' {
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
export function forPosixName (name: string, ci: boolean): CSet | null {
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
export function forUnicodeScript (name: string): CSet | null {
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
