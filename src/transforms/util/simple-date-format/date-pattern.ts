// SimpleDateFormat patterns: the pattern letters, their calendar fields, and the compiled form.

import { AM_PM, DAY_OF_MONTH, DAY_OF_WEEK, DAY_OF_WEEK_IN_MONTH, DAY_OF_YEAR, ERA, HOUR, HOUR_OF_DAY, ISO_DAY_OF_WEEK, MILLISECOND, MINUTE, MONTH, SECOND, WEEK_OF_MONTH, WEEK_OF_YEAR, WEEK_YEAR, YEAR, ZONE_OFFSET } from './gregorian-calendar.ts'

export const PATTERN_CHARS = 'GyMdkHmsSEDFwWahKzZYuXL'
export const PATTERN_FIELD = [ERA, YEAR, MONTH, DAY_OF_MONTH, HOUR_OF_DAY, HOUR_OF_DAY, MINUTE, SECOND, MILLISECOND, DAY_OF_WEEK, DAY_OF_YEAR,
  DAY_OF_WEEK_IN_MONTH, WEEK_OF_YEAR, WEEK_OF_MONTH, AM_PM, HOUR, HOUR, ZONE_OFFSET, ZONE_OFFSET, WEEK_YEAR, ISO_DAY_OF_WEEK, ZONE_OFFSET, MONTH]
// Letters whose field, when it follows a number, makes the number stop at its pattern width ("yyyyMMdd").
export const OBEY_COUNT = new Set('ydkHmsSDFwWhKYu')

// Letters whose field is read as a number (M and L only up to two letters).
export const NUMERIC_PARSE = new Set('yYMLdkHmsSDFwWhKu')

export type Token = { letter: string, count: number } | { literal: string }

/** SimpleDateFormat.compile; throws Error with Java's IllegalArgumentException message. */
export function compile (pattern: string): Token[] {
  const tokens: Token[] = []
  let inQuote = false
  let quoted = ''
  let last = ''
  let count = 0
  const flush = (): void => {
    if (count === 0) return
    if (last === 'X' && count >= 4) throw new Error(`invalid ISO 8601 format: length=${count}`)
    tokens.push({ letter: last, count })
    last = ''
    count = 0
  }
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        i++
        flush()
        if (inQuote) quoted += "'"
        else tokens.push({ literal: "'" })
        continue
      }
      flush()
      if (inQuote) tokens.push({ literal: quoted })
      quoted = ''
      inQuote = !inQuote
      continue
    }
    if (inQuote) { quoted += c; continue }
    if (!/[a-zA-Z]/.test(c)) {
      flush()
      tokens.push({ literal: c })
      continue
    }
    if (!PATTERN_CHARS.includes(c)) throw new Error(`Illegal pattern character '${c}'`)
    if (last === '' || last === c) { last = c; count++; continue }
    flush()
    last = c
    count = 1
  }
  if (inQuote) throw new Error('Unterminated quote')
  flush()
  // Adjacent literals are one literal to match, as Java's compiled form has them.
  const merged: Token[] = []
  for (const t of tokens) {
    const prev = merged[merged.length - 1]
    if ('literal' in t && prev !== undefined && 'literal' in prev) merged[merged.length - 1] = { literal: prev.literal + t.literal }
    else merged.push(t)
  }
  return merged.filter(t => !('literal' in t) || t.literal !== '')
}
