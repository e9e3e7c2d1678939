// SimpleDateFormat's lenient parsing of Values' three ISO patterns.

import { ConnectDate, ConnectTime, ConnectTimestamp, type Schema, type SchemaAndValue } from '../../api/index.ts'
import { javaDigit } from '../../java/chars.ts'
import { MILLIS_PER_DAY } from './convert-to-string.ts'

const GREGORIAN_CUTOVER_MS = -12219292800000 // 1582-10-15T00:00:00Z
const floorDiv = (a: number, b: number): number => Math.floor(a / b)

/** Days from 1970-01-01 to the first of a (normalised) month, in the Gregorian or Julian calendar. */
function daysFromEpoch (year: number, month0: number, julian: boolean): number {
  const y = year + floorDiv(month0, 12)
  const m = ((month0 % 12) + 12) % 12 + 1
  const a = floorDiv(14 - m, 12)
  const yy = y + 4800 - a
  const mm = m + 12 * a - 3
  const jdn = 1 + floorDiv(153 * mm + 2, 5) + 365 * yy + floorDiv(yy, 4) +
    (julian ? -32083 : -floorDiv(yy, 100) + floorDiv(yy, 400) - 32045)
  return jdn - 2440588
}

interface CalendarFields { year: number, month: number, day: number, hour: number, minute: number, second: number, milli: number }

/** GregorianCalendar (lenient, UTC) from its fields: Julian before the 1582 cutover, as Java's default calendar. */
function calendarMillis (f: CalendarFields): number {
  const timeOfDay = ((f.hour * 60 + f.minute) * 60 + f.second) * 1000 + f.milli
  const at = (julian: boolean): number => (daysFromEpoch(f.year, f.month, julian) + f.day - 1) * MILLIS_PER_DAY + timeOfDay
  if (f.year < 1582) return at(true)
  const gregorian = at(false)
  return gregorian - timeOfDay >= GREGORIAN_CUTOVER_MS ? gregorian : at(true)
}

/**
 * DecimalFormat.parse as SimpleDateFormat uses it for a numeric field (integer only, no grouping), after skipping
 * spaces and tabs; returns Number.intValue() and the end, or null when no number is there.
 */
function parseDateNumber (text: string, start: number): [number, number] | null {
  let i = start
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++
  if (i >= text.length) return null
  let negative = false
  if (text[i] === '-') { negative = true; i++ }
  if (text.startsWith('NaN', i) && !negative) return [0, i + 3]
  if (text[i] === '\u221e') return [negative ? -2147483648 : 2147483647, i + 1]
  let digits = ''
  for (; i < text.length; i++) {
    const d = javaDigit(text.charCodeAt(i))
    if (d < 0) break
    digits += String(d)
  }
  if (digits === '') return null
  let value = BigInt(digits)
  // An exponent is read even by an integer-only format.
  const exp = /^E(-?)(\d+)/.exec(text.slice(i))
  if (exp) {
    const e = Number(exp[2]) * (exp[1] === '-' ? -1 : 1)
    if (Math.abs(e) <= 400) {
      value = e >= 0 ? value * 10n ** BigInt(e) : value / 10n ** BigInt(-e)
      i += exp[0].length
    }
  }
  if (negative) value = -value
  // A long is cut to an int; a larger number was a Double, which saturates.
  if (value >= -(2n ** 63n) && value < 2n ** 63n) return [Number(BigInt.asIntN(32, value)), i]
  return [value < 0n ? -2147483648 : 2147483647, i]
}

type DateField = keyof CalendarFields
const PATTERNS: Record<string, Array<DateField | string>> = {
  date: ['year', '-', 'month', '-', 'day'],
  time: ['hour', ':', 'minute', ':', 'second', '.', 'milli', 'Z'],
  timestamp: ['year', '-', 'month', '-', 'day', 'T', 'hour', ':', 'minute', ':', 'second', '.', 'milli', 'Z']
}
const FIELDS = new Set(['year', 'month', 'day', 'hour', 'minute', 'second', 'milli'])

/** SimpleDateFormat(pattern).parse(text, pos): lenient, trailing text ignored; null when a field or literal fails. */
function parseDatePattern (text: string, pattern: Array<DateField | string>): Date | null {
  const f: CalendarFields = { year: 1970, month: 0, day: 1, hour: 0, minute: 0, second: 0, milli: 0 }
  let pos = 0
  for (const element of pattern) {
    if (FIELDS.has(element)) {
      const n = parseDateNumber(text, pos)
      if (n === null) return null
      f[element as DateField] = element === 'month' ? n[0] - 1 : n[0]
      pos = n[1]
    } else {
      if (text[pos] !== element) return null
      pos++
    }
  }
  return new Date(calendarMillis(f))
}

/** Values.parseAsTemporal: the length picks the pattern. */
export function parseAsTemporal (token: string): SchemaAndValue | null {
  const text = token.replaceAll('\\:', ':')
  let schema: Schema
  let pattern: Array<DateField | string>
  if (text.length === 13) { schema = ConnectTime.SCHEMA; pattern = PATTERNS.time! } else if (text.length === 24) { schema = ConnectTimestamp.SCHEMA; pattern = PATTERNS.timestamp! } else if (text.length === 10) { schema = ConnectDate.SCHEMA; pattern = PATTERNS.date! } else return null
  const date = parseDatePattern(text, pattern)
  return date === null ? null : { schema, value: date }
}
