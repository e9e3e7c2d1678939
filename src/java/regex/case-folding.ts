import { chars, ranges, type CSet } from './char-set.ts'
import { CASE_INSENSITIVE, UNICODE_CASE } from './flags.ts'

// Case folding (Character.toUpperCase / toLowerCase, the simple one-code-point mappings)

export function simpleUpper (c: number): number {
  // Greek letters with ypogegrammeni: the full mapping has two characters, the simple one is the titlecase letter.
  if ((c >= 0x1f80 && c <= 0x1f87) || (c >= 0x1f90 && c <= 0x1f97) || (c >= 0x1fa0 && c <= 0x1fa7)) return c + 8
  if (c === 0x1fb3 || c === 0x1fc3 || c === 0x1ff3) return c + 9
  const s = String.fromCodePoint(c).toUpperCase()
  const u = s.codePointAt(0)!
  return s.length === String.fromCodePoint(u).length ? u : c
}

export function simpleLower (c: number): number {
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

export const isAsciiLower = (c: number): boolean => c >= 0x61 && c <= 0x7a
export const isAsciiUpper = (c: number): boolean => c >= 0x41 && c <= 0x5a
export const asciiToUpper = (c: number): number => isAsciiLower(c) ? c - 0x20 : c
export const asciiToLower = (c: number): number => isAsciiUpper(c) ? c + 0x20 : c
const fold = (c: number): number => simpleLower(simpleUpper(c))

/** Pattern.single(): one code point with the case flags in force. */
export function single (c: number, flags: number): CSet {
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
export function sliceChar (c: number, flags: number): CSet {
  if ((flags & CASE_INSENSITIVE) && (flags & UNICODE_CASE)) {
    const f = fold(c)
    const out = [c]
    for (const x of casedCodePoints()) if (fold(x) === f) out.push(x)
    return chars(...out)
  }
  return single(c, flags)
}

export function rangeSet (lo: number, hi: number, flags: number): CSet {
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
