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

// Calendar field indices (java.util.Calendar), plus CalendarBuilder's two pseudo fields.
const ERA = 0
const YEAR = 1
const MONTH = 2
const WEEK_OF_YEAR = 3
const WEEK_OF_MONTH = 4
const DAY_OF_MONTH = 5
const DAY_OF_YEAR = 6
const DAY_OF_WEEK = 7
const DAY_OF_WEEK_IN_MONTH = 8
const AM_PM = 9
const HOUR = 10
const HOUR_OF_DAY = 11
const MINUTE = 12
const SECOND = 13
const MILLISECOND = 14
const ZONE_OFFSET = 15
const DST_OFFSET = 16
const WEEK_YEAR = 17
const ISO_DAY_OF_WEEK = 18
const CALENDAR_FIELDS = 17

const PATTERN_CHARS = 'GyMdkHmsSEDFwWahKzZYuXL'
const PATTERN_FIELD = [ERA, YEAR, MONTH, DAY_OF_MONTH, HOUR_OF_DAY, HOUR_OF_DAY, MINUTE, SECOND, MILLISECOND, DAY_OF_WEEK, DAY_OF_YEAR,
  DAY_OF_WEEK_IN_MONTH, WEEK_OF_YEAR, WEEK_OF_MONTH, AM_PM, HOUR, HOUR, ZONE_OFFSET, ZONE_OFFSET, WEEK_YEAR, ISO_DAY_OF_WEEK, ZONE_OFFSET, MONTH]
// Letters whose field, when it follows a number, makes the number stop at its pattern width ("yyyyMMdd").
const OBEY_COUNT = new Set('ydkHmsSDFwWhKYu')

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const SHORT_MONTHS = MONTHS.map(m => m.slice(0, 3))
const WEEKDAYS = ['', 'Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const SHORT_WEEKDAYS = WEEKDAYS.map(d => d.slice(0, 3))
const ERAS = ['BC', 'AD']
const AM_PM_NAMES = ['AM', 'PM']
// The UTC zone's names in en_US, in the order Java tries them (long/short standard, long/short daylight).
const UTC_NAMES = ['Coordinated Universal Time', 'UTC']

const DAY = 86400000
const BCE = 0
const CE = 1
const SUNDAY = 1
const FIRST_DAY_OF_WEEK = SUNDAY
const MINIMAL_DAYS_IN_FIRST_WEEK = 1
// Fixed dates count days from 0001-01-01 (Gregorian) = 1; 1970-01-01 is 719163.
const EPOCH_OFFSET = 719163
const CUTOVER_YEAR = 1582
const CUTOVER_DATE = 577736 // 1582-10-15, the first Gregorian day
// JS Dates (and so Connect Timestamps here) hold at most 8.64e15 ms either side of the epoch.
const MAX_MILLIS = 8.64e15

const floorDiv = (a: number, b: number): number => Math.floor(a / b)
const mod = (a: number, b: number): number => a - Math.floor(a / b) * b

/** Thrown where Java's formatter would switch to another time zone (see the file comment). */
export class UnsupportedZoneNameError extends Error {}

// ---- Calendar arithmetic ----------------------------------------------------------------------------------------

const gregorianLeap = (y: number): boolean => mod(y, 4) === 0 && (mod(y, 100) !== 0 || mod(y, 400) === 0)
const julianLeap = (y: number): boolean => mod(y, 4) === 0

/** Fixed date of (year, month 1-12, day) in the Gregorian or the Julian calendar (proleptic, year 0 = 1 BC). */
function fixedDate (julian: boolean, year: number, month: number, day: number): number {
  const p = year - 1
  let days = julian
    ? -2 + 365 * p + floorDiv(p, 4)
    : 365 * p + floorDiv(p, 4) - floorDiv(p, 100) + floorDiv(p, 400)
  days += floorDiv(367 * month - 362, 12) + day
  if (month > 2) days -= (julian ? julianLeap(year) : gregorianLeap(year)) ? 1 : 2
  return days
}

function dateOf (julian: boolean, fd: number): { year: number, month: number, day: number } {
  let year: number
  if (julian) {
    year = floorDiv(4 * (fd + 1) + 1464, 1461)
  } else {
    const d0 = fd - 1
    const n400 = floorDiv(d0, 146097)
    const d1 = mod(d0, 146097)
    const n100 = floorDiv(d1, 36524)
    const d2 = mod(d1, 36524)
    const n4 = floorDiv(d2, 1461)
    const d3 = mod(d2, 1461)
    const n1 = floorDiv(d3, 365)
    year = 400 * n400 + 100 * n100 + 4 * n4 + n1
    if (n100 !== 4 && n1 !== 4) year++
  }
  const leap = julian ? julianLeap(year) : gregorianLeap(year)
  const prior = fd - fixedDate(julian, year, 1, 1)
  const correction = fd < fixedDate(julian, year, 3, 1) ? 0 : leap ? 1 : 2
  const month = floorDiv(12 * (prior + correction) + 373, 367)
  return { year, month, day: fd - fixedDate(julian, year, month, 1) + 1 }
}

/** The fixed date of the given day of week (1 = Sunday) on or before fd. */
const dayOfWeekOnOrBefore = (fd: number, dayOfWeek: number): number => fd - mod(fd - (dayOfWeek - 1), 7)

/** Week number of fd in the period starting at day1, with Sunday-first weeks and a 1-day minimal first week. */
function weekNumber (day1: number, fd: number): number {
  let first = dayOfWeekOnOrBefore(day1 + 6, FIRST_DAY_OF_WEEK)
  if (first - day1 >= MINIMAL_DAYS_IN_FIRST_WEEK) first -= 7
  return floorDiv(fd - first, 7) + 1
}

/** January 1 of a (normalized) year in the calendar in force then; 1582 starts in the Julian calendar. */
const jan1 = (year: number): number => fixedDate(year <= CUTOVER_YEAR, year, 1, 1)

interface Fields {
  era: number, year: number, normalizedYear: number, month: number, dayOfMonth: number, dayOfYear: number, dayOfWeek: number,
  dayOfWeekInMonth: number, weekOfYear: number, weekOfMonth: number, weekYear: number, millisOfDay: number
}

/** GregorianCalendar.computeFields in UTC. */
function fieldsOf (millis: number): Fields {
  const fd = floorDiv(millis, DAY) + EPOCH_OFFSET
  const millisOfDay = mod(millis, DAY)
  const julian = fd < CUTOVER_DATE
  const d = dateOf(julian, fd)
  const y = d.year
  let yearStart = fixedDate(julian, y, 1, 1)
  let month1 = fd - d.day + 1
  if (y === CUTOVER_YEAR) {
    // The cutover year starts on the Julian January 1 and October 1582 on the Julian October 1.
    yearStart = jan1(y)
    if (!julian && d.month === 10) month1 = fixedDate(true, y, 10, 1)
  }
  let weekOfYear = weekNumber(yearStart, fd)
  let weekYear = y
  const nextStart = dayOfWeekOnOrBefore(jan1(y + 1) + 6, FIRST_DAY_OF_WEEK)
  if (nextStart - jan1(y + 1) >= MINIMAL_DAYS_IN_FIRST_WEEK && fd >= nextStart - 7) {
    // The week holding next January 1 is week 1 of the next year.
    weekOfYear = 1
    weekYear = y + 1
  }
  if (y <= CUTOVER_YEAR + 1) weekYear = slowWeekYear(y, fd - yearStart + 1)
  return {
    era: y > 0 ? CE : BCE,
    year: y > 0 ? y : 1 - y,
    normalizedYear: y,
    month: d.month - 1,
    dayOfMonth: d.day,
    dayOfYear: fd - yearStart + 1,
    dayOfWeek: mod(fd, 7) + 1,
    dayOfWeekInMonth: floorDiv(fd - month1, 7) + 1,
    weekOfYear,
    weekOfMonth: weekNumber(month1, fd),
    weekYear,
    millisOfDay
  }
}

/**
 * GregorianCalendar.getWeekYear's general path, which Java takes up to 1583. It finds the next year by setting the
 * era's YEAR to the proleptic year + 1, so in BC years it looks at the wrong year's January 1; reproduced as is.
 */
function slowWeekYear (year: number, dayOfYear: number): number {
  const yearLength = year === CUTOVER_YEAR ? jan1(year + 1) - jan1(year) : (year < CUTOVER_YEAR ? julianLeap(year) : gregorianLeap(year)) ? 366 : 365
  if (dayOfYear > MINIMAL_DAYS_IN_FIRST_WEEK && dayOfYear < yearLength - 6) return year
  const firstSunday = (start: number): number => mod(FIRST_DAY_OF_WEEK - (mod(start, 7) + 1), 7)
  const minDayOfYear = firstSunday(jan1(year)) + 1
  if (dayOfYear < minDayOfYear) return minDayOfYear <= MINIMAL_DAYS_IN_FIRST_WEEK ? year - 1 : year
  const next = year > 0 ? year + 1 : -year
  const daysBefore = firstSunday(jan1(next)) || 7
  return yearLength - dayOfYear + 1 <= 7 - daysBefore ? year + 1 : year
}

/** A java.util.Calendar's set fields: values and the stamps that order them (0 = unset). */
class CalendarState {
  readonly value: number[] = new Array<number>(CALENDAR_FIELDS).fill(0)
  readonly stamp: number[] = new Array<number>(CALENDAR_FIELDS).fill(0)
  #next = 2

  set (field: number, v: number): void {
    this.value[field] = v
    this.stamp[field] = this.#next++
  }

  isSet (field: number): boolean { return this.stamp[field]! > 0 }
  get (field: number): number { return this.value[field]! }
}

const aggregate = (a: number, b: number): number => a === 0 || b === 0 ? 0 : Math.max(a, b)

/** Calendar.selectFields: which fields decide the date and the time of day. */
/** A set of calendar fields as a bit mask (bit n = field n). */
type Mask = number
const has = (mask: Mask, field: number): boolean => (mask & (1 << field)) !== 0

function selectFields (c: CalendarState): Mask {
  const s = c.stamp
  let mask: Mask = 1 << YEAR
  if (s[ERA]! > 0) mask |= 1 << ERA
  const dowStamp = s[DAY_OF_WEEK]!
  const monthStamp = s[MONTH]!
  let domStamp = s[DAY_OF_MONTH]!
  let womStamp = aggregate(s[WEEK_OF_MONTH]!, dowStamp)
  let dowimStamp = aggregate(s[DAY_OF_WEEK_IN_MONTH]!, dowStamp)
  const doyStamp = s[DAY_OF_YEAR]!
  let woyStamp = aggregate(s[WEEK_OF_YEAR]!, dowStamp)
  let best = Math.max(domStamp, womStamp, dowimStamp, doyStamp, woyStamp)
  if (best === 0) {
    womStamp = s[WEEK_OF_MONTH]!
    dowimStamp = Math.max(s[DAY_OF_WEEK_IN_MONTH]!, dowStamp)
    woyStamp = s[WEEK_OF_YEAR]!
    best = Math.max(womStamp, dowimStamp, woyStamp)
    if (best === 0) best = domStamp = monthStamp
  }
  if (best === domStamp || (best === womStamp && s[WEEK_OF_MONTH]! >= s[WEEK_OF_YEAR]!) ||
      (best === dowimStamp && s[DAY_OF_WEEK_IN_MONTH]! >= s[WEEK_OF_YEAR]!)) {
    mask |= 1 << MONTH
    if (best === domStamp) {
      mask |= 1 << DAY_OF_MONTH
    } else {
      if (dowStamp !== 0) mask |= 1 << DAY_OF_WEEK
      if (womStamp === dowimStamp) {
        mask |= 1 << (s[WEEK_OF_MONTH]! >= s[DAY_OF_WEEK_IN_MONTH]! ? WEEK_OF_MONTH : DAY_OF_WEEK_IN_MONTH)
      } else if (best === womStamp) {
        mask |= 1 << WEEK_OF_MONTH
      } else if (s[DAY_OF_WEEK_IN_MONTH]! !== 0) {
        mask |= 1 << DAY_OF_WEEK_IN_MONTH
      }
    }
  } else if (best === doyStamp) {
    mask |= 1 << DAY_OF_YEAR
  } else {
    if (dowStamp !== 0) mask |= 1 << DAY_OF_WEEK
    mask |= 1 << WEEK_OF_YEAR
  }
  const hourOfDayStamp = s[HOUR_OF_DAY]!
  const hourStamp = aggregate(s[HOUR]!, s[AM_PM]!)
  let bestHour = Math.max(hourStamp, hourOfDayStamp)
  if (bestHour === 0) bestHour = Math.max(s[HOUR]!, s[AM_PM]!)
  if (bestHour !== 0) {
    if (bestHour === hourOfDayStamp) {
      mask |= 1 << HOUR_OF_DAY
    } else {
      mask |= 1 << HOUR
      if (s[AM_PM]! !== 0) mask |= 1 << AM_PM
    }
  }
  for (const f of [MINUTE, SECOND, MILLISECOND, ZONE_OFFSET, DST_OFFSET]) if (s[f]! > 0) mask |= 1 << f
  return mask
}

function monthLength (month0: number, year: number): number {
  const leap = year > CUTOVER_YEAR ? gregorianLeap(year) : julianLeap(year)
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month0]!
}

/** GregorianCalendar.getFixedDate: the date part from the selected fields, in one calendar system. */
function dateFromFields (c: CalendarState, julian: boolean, yearIn: number, mask: Mask): number {
  let year = yearIn
  let month = 0
  if (has(mask, MONTH)) {
    month = c.get(MONTH)
    if (month > 11 || month < 0) {
      year = (year + floorDiv(month, 12)) | 0
      month = mod(month, 12)
    }
  }
  let fd = fixedDate(julian, year, month + 1, 1)
  if (has(mask, MONTH)) {
    if (has(mask, DAY_OF_MONTH)) {
      if (c.isSet(DAY_OF_MONTH)) fd += c.get(DAY_OF_MONTH) - 1
    } else if (has(mask, WEEK_OF_MONTH)) {
      let first = dayOfWeekOnOrBefore(fd + 6, FIRST_DAY_OF_WEEK)
      if (first - fd >= MINIMAL_DAYS_IN_FIRST_WEEK) first -= 7
      if (has(mask, DAY_OF_WEEK)) first = dayOfWeekOnOrBefore(first + 6, c.get(DAY_OF_WEEK))
      // Java multiplies these week counts in int arithmetic (it wraps); WEEK_OF_YEAR's below in long.
      fd = first + Math.imul(7, (c.get(WEEK_OF_MONTH) - 1) | 0)
    } else {
      const dayOfWeek = has(mask, DAY_OF_WEEK) ? c.get(DAY_OF_WEEK) : FIRST_DAY_OF_WEEK
      const dowim = has(mask, DAY_OF_WEEK_IN_MONTH) ? c.get(DAY_OF_WEEK_IN_MONTH) : 1
      if (dowim >= 0) {
        fd = dayOfWeekOnOrBefore(fd + Math.imul(7, dowim) - 1, dayOfWeek)
      } else {
        const lastDate = (monthLength(month, year) + Math.imul(7, (dowim + 1) | 0)) | 0
        fd = dayOfWeekOnOrBefore(fd + lastDate - 1, dayOfWeek)
      }
    }
  } else if (has(mask, DAY_OF_YEAR)) {
    fd += c.get(DAY_OF_YEAR) - 1
  } else {
    let first = dayOfWeekOnOrBefore(fd + 6, FIRST_DAY_OF_WEEK)
    if (first - fd >= MINIMAL_DAYS_IN_FIRST_WEEK) first -= 7
    if (has(mask, DAY_OF_WEEK) && c.get(DAY_OF_WEEK) !== FIRST_DAY_OF_WEEK) first = dayOfWeekOnOrBefore(first + 6, c.get(DAY_OF_WEEK))
    fd = first + 7 * (c.get(WEEK_OF_YEAR) - 1)
  }
  return fd
}

/** GregorianCalendar.computeTime (lenient, UTC): epoch milliseconds from the set fields. */
function computeTime (c: CalendarState): number {
  const mask = selectFields(c)
  let year = c.isSet(YEAR) ? c.get(YEAR) : 1970
  const era = c.isSet(ERA) ? c.get(ERA) : CE
  if (era === BCE) year = (1 - year) | 0
  let timeOfDay = has(mask, HOUR_OF_DAY) ? c.get(HOUR_OF_DAY) : c.get(HOUR) + (has(mask, AM_PM) ? 12 * c.get(AM_PM) : 0)
  timeOfDay = ((timeOfDay * 60 + c.get(MINUTE)) * 60 + c.get(SECOND)) * 1000 + c.get(MILLISECOND)
  let fd = floorDiv(timeOfDay, DAY)
  timeOfDay = mod(timeOfDay, DAY)
  // Julian before the cutover, Gregorian from it; a Julian date that falls after it (1582-10-05..14) is read in
  // the Julian calendar, and a date relative to the cutover year's start counts from its Julian January 1.
  if (year > CUTOVER_YEAR) {
    const gfd = fd + dateFromFields(c, false, year, mask)
    fd = gfd >= CUTOVER_DATE ? gfd : fd + dateFromFields(c, true, year, mask)
  } else if (year < CUTOVER_YEAR) {
    fd += dateFromFields(c, true, year, mask)
  } else {
    const jfd = fd + dateFromFields(c, true, year, mask)
    const gfd = fd + dateFromFields(c, false, year, mask)
    if (has(mask, DAY_OF_YEAR) || has(mask, WEEK_OF_YEAR)) fd = jfd
    else fd = gfd >= CUTOVER_DATE && jfd >= CUTOVER_DATE ? gfd : jfd
  }
  const offset = (has(mask, ZONE_OFFSET) ? c.get(ZONE_OFFSET) : 0) + (has(mask, DST_OFFSET) ? c.get(DST_OFFSET) : 0)
  const days = fd - EPOCH_OFFSET
  if (Math.abs(days) < 1e8) return days * DAY + timeOfDay - offset
  // Far years: Java's long arithmetic wraps (and a week date takes its era from the wrapped instant).
  return Number(BigInt.asIntN(64, BigInt(days) * BigInt(DAY) + BigInt(timeOfDay - offset)))
}

/** The calendar fields GregorianCalendar holds for an instant, as a CalendarState with everything set. */
function setFromFields (c: CalendarState, f: Fields): void {
  c.set(ERA, f.era)
  c.set(YEAR, f.year)
  c.set(MONTH, f.month)
  c.set(DAY_OF_MONTH, f.dayOfMonth)
}

/** GregorianCalendar.setWeekDate followed by getTime: the week date replaces the date, the time of day stays. */
function weekDate (c: CalendarState, weekYear: number, weekOfYear: number, dayOfWeek: number): number {
  const era = fieldsOf(computeTime(c)).era
  const start = new CalendarState()
  start.set(ERA, era)
  start.set(YEAR, weekYear)
  start.set(WEEK_OF_YEAR, 1)
  start.set(DAY_OF_WEEK, FIRST_DAY_OF_WEEK)
  let days = dayOfWeek - FIRST_DAY_OF_WEEK
  if (days < 0) days += 7
  days = (days + Math.imul(7, (weekOfYear - 1) | 0)) | 0 // int arithmetic in Java
  const target = fieldsOf(computeTime(start) + days * DAY)
  setFromFields(c, target)
  return computeTime(c)
}

// ---- Numbers (DecimalFormat.parse as SimpleDateFormat's integer-only, ungrouped number format reads them) ----------

/** Number.intValue() of what DecimalFormat reads at `start` (up to `end`), and where it stopped; null for none. */
function parseNumber (text: string, start: number, end: number): [number, number] | null {
  let i = start
  let negative = false
  if (i < end && text[i] === '-') { negative = true; i++ }
  if (text.startsWith('NaN', i) && i + 3 <= end && !negative) return [0, i + 3]
  if (i < end && text[i] === '\u221e') return [negative ? -2147483648 : 2147483647, i + 1]
  // Fast path: up to 9 ASCII digits and no exponent, an int as it is.
  let small = 0
  let j = i
  while (j < end && j - i < 10) {
    const code = text.charCodeAt(j)
    if (code < 0x30 || code > 0x39) break
    small = small * 10 + code - 0x30
    j++
  }
  if (j > i && j - i <= 9 && (j >= end || (text.charCodeAt(j) !== 0x45 && javaDigit(text.charCodeAt(j)) < 0))) return [negative ? -small : small, j]
  const readDigits = (): string => {
    let digits = ''
    for (; i < end; i++) {
      const d = javaDigit(text.charCodeAt(i))
      if (d < 0) break
      digits += String(d)
    }
    return digits
  }
  const mantissa = readDigits()
  if (mantissa === '') return null
  // DigitList: the significant digits (no leading or trailing zeros) and where the decimal point sits.
  const significant = mantissa.replace(/^0+/, '')
  let decimalAt = significant.length
  const digits = significant.replace(/0+$/, '')
  // Even an integer-only format reads an exponent: 'E', an optional '-', digits (any script). One beyond a long is
  // not read at all; otherwise Java keeps (int) of it and moves the point with int arithmetic (which wraps).
  if (text[i] === 'E' && i < end) {
    const back = i
    i++
    const minus = i < end && text[i] === '-'
    if (minus) i++
    const e = readDigits()
    const value = e === '' ? null : BigInt(e)
    if (value === null || value > 2n ** 63n - 1n) {
      i = back
    } else {
      const exponent = Number(BigInt.asIntN(32, value))
      decimalAt = (decimalAt + (minus ? -exponent : exponent)) | 0
    }
  }
  if (digits === '') return [0, i]
  // A whole number within a long is a Long, cut to an int; anything else was a Double, which saturates.
  if (decimalAt >= digits.length && decimalAt <= 19) {
    let value = BigInt(digits) * 10n ** BigInt(decimalAt - digits.length)
    if (negative) value = -value
    if (value >= -(2n ** 63n) && value < 2n ** 63n) return [Number(BigInt.asIntN(32, value)), i]
  }
  if (decimalAt <= 0) return [0, i]
  if (decimalAt > 10) return [negative ? -2147483648 : 2147483647, i]
  const whole = Number(digits.slice(0, decimalAt).padEnd(decimalAt, '0')) * (negative ? -1 : 1)
  return [Math.max(-2147483648, Math.min(2147483647, whole)), i]
}

// ---- Patterns -----------------------------------------------------------------------------------------------------

type Token = { letter: string, count: number } | { literal: string }

/** SimpleDateFormat.compile; throws Error with Java's IllegalArgumentException message. */
function compile (pattern: string): Token[] {
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

/** DecimalFormat with minimum `min` and at most `max` integer digits (the low ones kept), as zeroPaddingNumber. */
function padNumber (value: number, min: number, max = Infinity): string {
  let digits = String(Math.abs(value))
  if (digits.length > max) digits = digits.slice(digits.length - max)
  return (value < 0 ? '-' : '') + digits.padStart(min, '0')
}

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

// Letters whose field is read as a number (M and L only up to two letters).
const NUMERIC_PARSE = new Set('yYMLdkHmsSDFwWhKu')

/** CalendarBuilder: fields in the order parsing met them. */
class Builder {
  readonly value: number[] = new Array<number>(19).fill(0)
  readonly stamp: number[] = new Array<number>(19).fill(0)
  #next = 2

  set (field: number, v: number): void {
    let f = field
    let x = v
    if (f === ISO_DAY_OF_WEEK) {
      f = DAY_OF_WEEK
      if (x >= 1 && x <= 7) x = x === 7 ? SUNDAY : x + 1
    }
    this.stamp[f] = this.#next++
    this.value[f] = x
  }

  isSet (field: number): boolean { return this.stamp[field]! > 0 }

  /** CalendarBuilder.establish + Calendar.getTime. */
  establish (yearShift: number): number {
    const cal = new CalendarState()
    const order = [...Array(CALENDAR_FIELDS).keys()].filter(f => this.isSet(f)).sort((a, b) => this.stamp[a]! - this.stamp[b]!)
    for (const f of order) cal.set(f, this.value[f]! + (f === YEAR ? yearShift : 0))
    if (!(this.isSet(WEEK_YEAR) && this.stamp[WEEK_YEAR]! > this.stamp[YEAR]!)) return computeTime(cal)
    // A week year read after any calendar year: the date is that week date, whatever month and day say.
    let weekOfYear = this.isSet(WEEK_OF_YEAR) ? this.value[WEEK_OF_YEAR]! : 1
    let dayOfWeek = this.isSet(DAY_OF_WEEK) ? this.value[DAY_OF_WEEK]! : FIRST_DAY_OF_WEEK
    if (dayOfWeek < 1 || dayOfWeek > 7) {
      // Lenient: an out-of-range day number moves whole weeks, counted as ISO day numbers.
      if (dayOfWeek >= 8) {
        dayOfWeek--
        weekOfYear = (weekOfYear + floorDiv(dayOfWeek, 7)) | 0
        dayOfWeek = (dayOfWeek % 7) + 1
      } else {
        while (dayOfWeek <= 0) { dayOfWeek += 7; weekOfYear-- }
      }
      dayOfWeek = dayOfWeek === 7 ? SUNDAY : dayOfWeek + 1
    }
    return weekDate(cal, this.value[WEEK_YEAR]! + yearShift, weekOfYear, dayOfWeek)
  }
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

function formatField (f: Fields, letter: string, count: number): string {
  const hourOfDay = Math.floor(f.millisOfDay / 3600000)
  switch (letter) {
    case 'G': return ERAS[f.era]!
    case 'y': return count === 2 ? padNumber(f.year, 2, 2) : padNumber(f.year, count)
    case 'Y': return count === 2 ? padNumber(f.weekYear, 2, 2) : padNumber(f.weekYear, count)
    case 'M': case 'L': return count >= 4 ? MONTHS[f.month]! : count === 3 ? SHORT_MONTHS[f.month]! : padNumber(f.month + 1, count)
    case 'd': return padNumber(f.dayOfMonth, count)
    case 'H': return padNumber(hourOfDay, count)
    case 'k': return padNumber(hourOfDay || 24, count)
    case 'K': return padNumber(hourOfDay % 12, count)
    case 'h': return padNumber(hourOfDay % 12 || 12, count)
    case 'm': return padNumber(Math.floor(f.millisOfDay / 60000) % 60, count)
    case 's': return padNumber(Math.floor(f.millisOfDay / 1000) % 60, count)
    case 'S': return padNumber(f.millisOfDay % 1000, count)
    case 'E': return count >= 4 ? WEEKDAYS[f.dayOfWeek]! : SHORT_WEEKDAYS[f.dayOfWeek]!
    case 'u': return padNumber(f.dayOfWeek === SUNDAY ? 7 : f.dayOfWeek - 1, count)
    case 'D': return padNumber(f.dayOfYear, count)
    case 'F': return padNumber(f.dayOfWeekInMonth, count)
    case 'w': return padNumber(f.weekOfYear, count)
    case 'W': return padNumber(f.weekOfMonth, count)
    case 'a': return AM_PM_NAMES[hourOfDay < 12 ? 0 : 1]!
    case 'z': return count >= 4 ? UTC_NAMES[0]! : UTC_NAMES[1]!
    case 'Z': return '+0000'
    default: return 'Z' // 'X'
  }
}
