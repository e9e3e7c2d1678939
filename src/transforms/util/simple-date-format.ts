/**
 * java.text.SimpleDateFormat as Kafka's TimestampConverter and TimestampRouter build it: `new SimpleDateFormat(pattern)`
 * with the time zone set to UTC, the en_US locale (English names, weeks starting on Sunday, one day minimum in the
 * first week) and lenient parsing. The calendar is java.util.GregorianCalendar's: Julian before 1582-10-15, eras,
 * week years. Parsing follows SimpleDateFormat.parse(String): fields are collected with their order of appearance and
 * resolved as Calendar resolves them (the most recently set combination wins, out-of-range values roll over), and
 * trailing text is ignored.
 *
 * One thing cannot be reproduced: a time zone name other than UTC's (`PST`, `Central European Standard Time`) switches
 * Java's formatter to that zone for good, so that every later record is formatted and parsed in it; parsing such a
 * name throws UnsupportedZoneNameError instead.
 */

import { javaDigit } from '../../api/index.ts'
import { JAVA_ZONE_NAMES } from './java-zone-names.ts'
import { Builder } from './simple-date-format/calendar-builder.ts'
import { AM_PM_NAMES, ERAS, MONTHS, SHORT_MONTHS, SHORT_WEEKDAYS, UTC_NAMES, WEEKDAYS } from './simple-date-format/date-format-symbols.ts'
import { compile, NUMERIC_PARSE, OBEY_COUNT, PATTERN_CHARS, PATTERN_FIELD, type Token } from './simple-date-format/date-pattern.ts'
import { parseNumber } from './simple-date-format/decimal-format.ts'
import { formatField } from './simple-date-format/format-field.ts'
import { AM_PM, DAY_OF_WEEK, DST_OFFSET, ERA, fieldsOf, floorDiv, MAX_MILLIS, mod, MONTH, ZONE_OFFSET } from './simple-date-format/gregorian-calendar.ts'

/** Thrown where Java's formatter would switch to another time zone (see the file comment). */
export class UnsupportedZoneNameError extends Error {}

/** String.regionMatches(true, ...) of `name` at `start`: case-insensitive char by char, as Java compares. */
function matchesAt (text: string, start: number, name: string): boolean {
  if (start + name.length > text.length) return false
  for (let i = 0; i < name.length; i++) {
    const a = text[start + i]!
    const b = name[i]!
    if (a === b) continue
    const ua = a.toUpperCase()
    const ub = b.toUpperCase()
    if (ua.length === 1 && ua === ub) continue
    if (ua.length === 1 && ua.toLowerCase() === ub.toLowerCase()) continue
    return false
  }
  return true
}

/** SimpleDateFormat.matchString: the longest name matching at `start`, as [index, end]. */
function matchName (text: string, start: number, names: string[]): [number, number] | null {
  let best = -1
  let bestLength = 0
  names.forEach((name, i) => {
    if (name.length > bestLength && matchesAt(text, start, name)) { best = i; bestLength = name.length }
  })
  return best < 0 ? null : [best, start + bestLength]
}

/** A text field: the long names first, then the short ones; names are matched where the field began. */
function matchNames (text: string, start: number, pos: number, names: string[], short: string[] | null, field: number, b: Builder): number | ParseFailure {
  const m = matchName(text, start, names) ?? (short === null ? null : matchName(text, start, short))
  if (m === null) return { errorOffset: pos }
  b.set(field, m[0])
  return m[1]
}

export interface ParseFailure { errorOffset: number }

/** A compiled SimpleDateFormat pattern with the time zone fixed to UTC and the en_US locale. */
export class SimpleDateFormat {
  readonly pattern: string
  readonly #tokens: Token[]
  readonly #centuryStart: number
  readonly #centuryStartYear: number

  /** Throws Error with Java's IllegalArgumentException message for a bad pattern. */
  constructor (pattern: string) {
    this.pattern = pattern
    this.#tokens = compile(pattern)
    // Two-digit years land within 80 years before and 20 after the moment the format was made.
    const start = new Date()
    const month = start.getUTCMonth()
    start.setUTCFullYear(start.getUTCFullYear() - 80)
    if (start.getUTCMonth() !== month) start.setUTCDate(0) // 29 February to 28 February, as Calendar.add does
    this.#centuryStart = start.getTime()
    this.#centuryStartYear = fieldsOf(this.#centuryStart).normalizedYear
  }

  format (millis: number): string {
    const f = fieldsOf(millis)
    let out = ''
    for (const t of this.#tokens) out += 'literal' in t ? t.literal : formatField(f, t.letter, t.count)
    return out
  }

  /**
   * SimpleDateFormat.parse(String): the epoch milliseconds, or a ParseFailure where Java throws ParseException.
   * Throws UnsupportedZoneNameError for a zone name Java would switch to, RangeError beyond what a JS Date holds.
   */
  parse (text: string): number | ParseFailure {
    const b = new Builder()
    let pos = 0
    const state = { ambiguousYear: false }
    const tokens = this.#tokens
    for (let ti = 0; ti < tokens.length; ti++) {
      const t = tokens[ti]!
      if ('literal' in t) {
        if (!text.startsWith(t.literal, pos)) {
          let at = pos
          while (at < text.length && text[at] === t.literal[at - pos]) at++
          return { errorOffset: at }
        }
        pos += t.literal.length
        continue
      }
      const next = tokens[ti + 1]
      const obeyCount = next !== undefined && 'letter' in next &&
        (OBEY_COUNT.has(next.letter) || ((next.letter === 'M' || next.letter === 'L') && next.count <= 2))
      const r = this.#subParse(text, pos, t.letter, t.count, obeyCount, b, state)
      if (typeof r !== 'number') return r
      pos = r
    }
    // DateFormat.parse(String) treats a parse that consumed nothing as a failure.
    if (pos === 0) return { errorOffset: -1 }
    let millis = b.establish(0)
    if (state.ambiguousYear && millis < this.#centuryStart) millis = b.establish(100)
    if (!(Math.abs(millis) <= MAX_MILLIS)) throw new RangeError(`the parsed date is outside the range of timestamps supported here (about 271821 BC to 275760 AD)`)
    return millis
  }

  /** One field at `start`: the end position, or a failure. */
  #subParse (text: string, start: number, letter: string, count: number, obeyCount: boolean, b: Builder, state: { ambiguousYear: boolean }): number | ParseFailure {
    let pos = start
    for (;;) {
      if (pos >= text.length) return { errorOffset: start }
      if (text[pos] !== ' ' && text[pos] !== '\t') break
      pos++
    }
    const actualStart = pos
    if (NUMERIC_PARSE.has(letter) && !((letter === 'M' || letter === 'L') && count > 2)) {
      // With obeyCount the text is cut at the field's width, counted from before the skipped spaces.
      const numberEnd = obeyCount ? start + count : text.length
      const n = numberEnd > text.length ? null : parseNumber(text, pos, numberEnd)
      if (n === null) return { errorOffset: pos }
      let value = n[0]
      switch (letter) {
        case 'y': case 'Y':
          if (count <= 2 && n[1] - actualStart === 2 && javaDigit(text.charCodeAt(actualStart)) >= 0 && javaDigit(text.charCodeAt(actualStart + 1)) >= 0) {
            // The two digits could name either end of the 100-year window only when they equal its start year's.
            const twoDigit = mod(this.#centuryStartYear, 100)
            state.ambiguousYear = value === twoDigit
            value += floorDiv(this.#centuryStartYear, 100) * 100 + (value < twoDigit ? 100 : 0)
          }
          break
        case 'M': case 'L': value = (value - 1) | 0; break
        case 'k': if (value === 24) value = 0; break
        case 'h': if (value === 12) value = 0; break
      }
      b.set(PATTERN_FIELD[PATTERN_CHARS.indexOf(letter)]!, value)
      return n[1]
    }
    switch (letter) {
      case 'M': case 'L': return matchNames(text, start, pos, MONTHS, SHORT_MONTHS, MONTH, b)
      case 'G': return matchNames(text, start, pos, ERAS, null, ERA, b)
      case 'E': return matchNames(text, start, pos, WEEKDAYS, SHORT_WEEKDAYS, DAY_OF_WEEK, b)
      case 'a': return matchNames(text, start, pos, AM_PM_NAMES, null, AM_PM, b)
      case 'z': case 'Z': return this.#parseZone(text, start, pos, letter, b)
      default: { // 'X'
        const c = text[pos]
        if (c === 'Z') { b.set(ZONE_OFFSET, 0); b.set(DST_OFFSET, 0); return pos + 1 }
        if (c !== '+' && c !== '-') return { errorOffset: pos + 1 }
        return numericZone(text, pos + 1, c === '-' ? -1 : 1, count, count === 3, b)
      }
    }
  }

  /** 'z' and 'Z' read the same forms: GMT, GMT±hh:mm, ±hhmm, or a zone name. */
  #parseZone (text: string, start: number, pos: number, letter: string, b: Builder): number | ParseFailure {
    const c = text[pos]!
    if (c === '+' || c === '-') return numericZone(text, pos + 1, c === '-' ? -1 : 1, 0, false, b)
    // Java looks for "GMT" where the field began, before the skipped spaces: after spaces it is read as a zone name.
    if ((c === 'G' || c === 'g') && matchesAt(text, start, 'GMT')) {
      const after = start + 3
      const s = text[after]
      if (s !== '+' && s !== '-') { b.set(ZONE_OFFSET, 0); b.set(DST_OFFSET, 0); return after }
      return numericZone(text, after + 1, s === '-' ? -1 : 1, 0, true, b)
    }
    for (const name of UTC_NAMES) {
      if (matchesAt(text, pos, name)) {
        // The formatter's own zone, whose standard and daylight names are the same: Java sets no field, so an
        // offset read earlier still applies, else the zone's (0).
        return pos + name.length
      }
    }
    const other = JAVA_ZONE_NAMES.find(name => matchesAt(text, pos, name))
    if (other !== undefined) {
      throw new UnsupportedZoneNameError(`the time zone name '${other}' (pattern letter ${letter}) is not supported: Java's SimpleDateFormat switches to that zone for this and every later record it formats or parses; only UTC, GMT and numeric offsets are accepted`)
    }
    return { errorOffset: pos }
  }
}

/** SimpleDateFormat.subParseNumericZone: [+-]hh[[:]mm] after the sign; count 1 reads hours only. */
function numericZone (text: string, start: number, sign: number, count: number, colon: boolean, b: Builder): number | ParseFailure {
  let index = start
  const at = (): string | undefined => text[index++]
  const isDigit = (c: string | undefined): c is string => c !== undefined && c >= '0' && c <= '9'
  const failed = (): ParseFailure => ({ errorOffset: index - 1 })
  let c = at()
  if (!isDigit(c)) return failed()
  let hours = Number(c)
  c = at()
  if (isDigit(c)) {
    hours = hours * 10 + Number(c)
  } else {
    if (c === undefined || count > 0 || !colon) return failed()
    index--
  }
  if (hours > 23) return failed()
  let minutes = 0
  if (count !== 1) {
    c = at()
    if (colon) {
      if (c !== ':') return failed()
      c = at()
    }
    if (!isDigit(c)) return failed()
    minutes = Number(c)
    c = at()
    if (!isDigit(c)) return failed()
    minutes = minutes * 10 + Number(c)
    if (minutes > 59) return failed()
  }
  b.set(ZONE_OFFSET, (minutes + hours * 60) * 60000 * sign)
  b.set(DST_OFFSET, 0)
  return index
}
