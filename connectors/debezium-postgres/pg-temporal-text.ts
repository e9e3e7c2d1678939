/**
 * PostgreSQL's date/time text output (DateStyle ISO, IntervalStyle postgres: what the snapshot and pgoutput sessions
 * use) read exactly, and the ISO-8601 renderings Debezium's values use (java.time's ISO formatters: years beyond 9999
 * signed, fractions without trailing zeros unless a fixed width is asked for). Dates are proleptic Gregorian, as in
 * both PostgreSQL and java.time; a year "n BC" is the astronomical year 1 - n.
 */
import { civilOf, DataError, epochDayOf } from '../../src/api/index.ts'

const NANOS_PER_DAY = 86_400_000_000_000
const MICROS_PER_SECOND = 1_000_000n

export { civilOf, epochDayOf }

/**
 * Debezium's stand-ins for PostgreSQL's infinite dates (PostgresValueConverter.POSITIVE/NEGATIVE_INFINITY_LOCAL_DATE:
 * -5877611-06-21 and -5877611-06-22, whose epoch days wrap, as Java's int cast, to Integer.MAX_VALUE and MIN_VALUE).
 */
export const POSITIVE_INFINITY_EPOCH_DAY = epochDayOf(-5877611, 6, 21)
export const NEGATIVE_INFINITY_EPOCH_DAY = epochDayOf(-5877611, 6, 22)

/** Java's (int) cast of a long that fits in a double exactly. */
export function toInt32 (n: number): number {
  return n >= -2147483648 && n <= 2147483647 ? n : Number(BigInt.asIntN(32, BigInt(n)))
}

function yearOfEra (yearText: string, bc: boolean): number {
  const y = Number(yearText)
  return bc ? 1 - y : y
}

function fail (kind: string, text: string): never {
  throw new DataError(`Cannot parse PostgreSQL ${kind} value '${text}'`)
}

/** The epoch day of the Julian calendar date 1582-10-05, the day after which Gregorian dates (10-15) begin. */
const JULIAN_OFFSET = epochDayOf(1582, 10, 15) - julianDayCount(1582, 10, 5)

function julianDayCount (year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  return 365 * y + Math.floor(y / 4) + Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1
}

/**
 * The epoch day of date fields as java.util.GregorianCalendar (java.sql.Timestamp) reads them: Julian before
 * 1582-10-15, Gregorian from then on.
 */
export function hybridEpochDayOf (year: number, month: number, day: number): number {
  const julian = year < 1582 || (year === 1582 && (month < 10 || (month === 10 && day < 15)))
  return julian ? julianDayCount(year, month, day) + JULIAN_OFFSET : epochDayOf(year, month, day)
}

const DATE_RE = /^(\d{4,})-(\d{2})-(\d{2})( BC)?$/

/** A date's epoch day; 'infinity' and '-infinity' become Debezium's stand-ins (before the int cast). */
export function parseDate (text: string, calendar: Calendar = 'proleptic'): number {
  if (text === 'infinity') return POSITIVE_INFINITY_EPOCH_DAY
  if (text === '-infinity') return NEGATIVE_INFINITY_EPOCH_DAY
  const m = DATE_RE.exec(text) ?? fail('date', text)
  return dayOf(calendar, m[1]!, m[4] !== undefined, Number(m[2]), Number(m[3]))
}

/**
 * How Debezium's reading of a date's fields goes: 'proleptic' (java.time, as PostgreSQL), 'hybrid' (through a
 * java.util.GregorianCalendar instant: Julian before 1582-10-15), 'fields' (through the fields of a java.sql.Date or
 * Timestamp: the era is lost, so a BC year counts as AD, and the dates the Gregorian reform skipped, 1582-10-05 to
 * 10-14, move on ten days).
 */
export type Calendar = 'proleptic' | 'hybrid' | 'fields'

function dayOf (calendar: Calendar, yearText: string, bc: boolean, month: number, day: number): number {
  if (calendar === 'hybrid') return hybridEpochDayOf(yearOfEra(yearText, bc), month, day)
  if (calendar === 'proleptic') return epochDayOf(yearOfEra(yearText, bc), month, day)
  const year = Number(yearText)
  const skipped = year === 1582 && month === 10 && day >= 5 && day <= 14
  return epochDayOf(year, month, day) + (skipped ? 10 : 0)
}

/** Nanoseconds of a fraction's digits ("5" → 500000000). */
function fractionNanos (digits: string | undefined): number {
  return digits === undefined || digits === '' ? 0 : Number(digits.padEnd(9, '0').slice(0, 9))
}

const TIME_RE = /^(\d+):(\d+):(\d+)(?:\.(\d*))?$/

/** A time's nanoseconds since midnight (up to 24:00:00 inclusive), as Debezium's Strings.asDuration reads it. */
export function parseTime (text: string): number {
  const m = TIME_RE.exec(text) ?? fail('time', text)
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1e9 + fractionNanos(m[4])
}

const OFFSET = '([+-])(\\d{2})(?::?(\\d{2}))?(?::?(\\d{2}))?'
const TIMETZ_RE = new RegExp(`^(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))?${OFFSET}$`)

function offsetSeconds (sign: string | undefined, h: string | undefined, m: string | undefined, s: string | undefined): number {
  if (sign === undefined) return 0
  const seconds = Number(h) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0)
  return sign === '-' ? -seconds : seconds
}

/** A timetz's nanoseconds since midnight moved to UTC (OffsetTime.withOffsetSameInstant(UTC): wraps around the day). */
export function parseTimeTzAtUtc (text: string): number {
  const m = TIMETZ_RE.exec(text) ?? fail('timetz', text)
  const local = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1e9 + fractionNanos(m[4])
  const utc = local - offsetSeconds(m[5], m[6], m[7], m[8]) * 1e9
  return ((utc % NANOS_PER_DAY) + NANOS_PER_DAY) % NANOS_PER_DAY
}

const TIMESTAMP_RE = new RegExp(`^(\\d{4,})-(\\d{2})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))?(?:${OFFSET})?( BC)?$`)

/** An instant as whole seconds since the epoch (floor) and the microseconds within that second (0..999999). */
export interface EpochParts {
  readonly seconds: number
  readonly micros: number
}

/**
 * A timestamp's (or timestamptz's, moved to UTC by its offset) seconds and microseconds since the epoch. The caller
 * handles 'infinity' and '-infinity' first. `calendar`: how Debezium's path reads the date's fields.
 */
export function parseTimestampParts (text: string, withZone: boolean, calendar: Calendar = 'proleptic'): EpochParts {
  const m = TIMESTAMP_RE.exec(text)
  if (!m || (withZone && m[8] === undefined)) fail(withZone ? 'timestamptz' : 'timestamp', text)
  const day = dayOf(calendar, m[1]!, m[12] !== undefined, Number(m[2]), Number(m[3]))
  // Exact in a double: PostgreSQL's range is a few 10^14 seconds.
  const seconds = day * 86400 + (Number(m[4]) * 60 + Number(m[5])) * 60 + Number(m[6]) - offsetSeconds(m[8], m[9], m[10], m[11])
  const digits = m[7]
  const micros = digits === undefined ? 0 : Number(digits.length >= 6 ? digits.slice(0, 6) : digits.padEnd(6, '0'))
  return { seconds, micros }
}

/** The same as exact epoch microseconds (a bigint: PostgreSQL's range exceeds 2^53 micros). */
export function parseTimestampMicros (text: string, withZone: boolean, calendar: Calendar = 'proleptic'): bigint {
  const { seconds, micros } = parseTimestampParts(text, withZone, calendar)
  return BigInt(seconds) * MICROS_PER_SECOND + BigInt(micros)
}

/** java.time's ISO year: at least 4 digits, '+' above 9999, '-' below 0. */
function isoYear (year: number): string {
  const digits = String(Math.abs(year)).padStart(4, '0')
  return year < 0 ? `-${digits}` : year > 9999 ? `+${digits}` : digits
}

const pad2 = (n: number): string => String(n).padStart(2, '0')

/** ISO_LOCAL_DATE of an epoch day. */
export function isoDate (epochDay: number): string {
  const { year, month, day } = civilOf(epochDay)
  return `${isoYear(year)}-${pad2(month)}-${pad2(day)}`
}

/**
 * The fraction of a second as java.time prints it: `width` null (ISO formatters): no point when zero, else the
 * digits without trailing zeros; width 1..9: exactly that many digits (truncated), always with the point.
 */
function fraction (nanos: number, width: number | null): string {
  const digits = String(nanos).padStart(9, '0')
  if (width !== null) return `.${digits.slice(0, width)}`
  const trimmed = digits.replace(/0+$/, '')
  return trimmed === '' ? '' : `.${trimmed}`
}

/** ISO_LOCAL_TIME (HH:mm:ss plus fraction) of nanoseconds since midnight, wrapped into one day as LocalTime does. */
export function isoTime (nanosOfDay: number, width: number | null = null): string {
  const n = ((nanosOfDay % NANOS_PER_DAY) + NANOS_PER_DAY) % NANOS_PER_DAY
  const seconds = Math.floor(n / 1e9)
  return `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}${fraction(n % 1e9, width)}`
}

/** ISO date-time at UTC ('...Z') of epoch microseconds; `width` as for the fraction above. */
export function isoDateTimeUtc (epochMicros: bigint, width: number | null = null): string {
  const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b))
  const seconds = floorDiv(epochMicros, MICROS_PER_SECOND)
  return isoDateTimeUtcParts({ seconds: Number(seconds), micros: Number(epochMicros - seconds * MICROS_PER_SECOND) }, width)
}

/** ISO date-time at UTC of seconds and microseconds since the epoch. */
export function isoDateTimeUtcParts ({ seconds, micros }: EpochParts, width: number | null = null): string {
  const day = Math.floor(seconds / 86400)
  const secondOfDay = seconds - day * 86400
  return `${isoDate(day)}T${isoTime(secondOfDay * 1e9 + micros * 1000, width)}Z`
}

/** An interval as pgjdbc's PGInterval reads PostgreSQL's text (IntervalStyle postgres): each part keeps its sign. */
export interface PgInterval {
  readonly years: number
  readonly months: number
  readonly days: number
  readonly hours: number
  readonly minutes: number
  /** Whole seconds and microseconds as PGInterval keeps them (rounded to the microsecond, both with the sign). */
  readonly wholeSeconds: number
  readonly microSeconds: number
}

function intPart (token: string | null, text: string): number {
  if (token === null || !/^-?\d+$/.test(token)) fail('interval', text)
  const n = Number(token)
  if (n > 2147483647 || n < -2147483648) fail('interval', text)
  return n
}

function secondsPart (token: string, text: string): number {
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(token)) fail('interval', text)
  return Number(token)
}

/** PGInterval.setValue for the 'postgres' style: "1 year 2 mons -3 days -04:05:06.5". */
export function parseInterval (text: string): PgInterval {
  let years = 0
  let months = 0
  let days = 0
  let hours = 0
  let minutes = 0
  let seconds = 0
  const tokens = text.replace(/\+/g, ' ').toLowerCase().split(/\s+/).filter(t => t !== '')
  let valueToken: string | null = null
  tokens.forEach((token, i) => {
    if (i % 2 === 0) {
      const colon = token.indexOf(':')
      if (colon < 0) { valueToken = token; return }
      const negative = token.startsWith('-')
      hours = intPart(token.slice(negative ? 1 : 0, colon), text)
      minutes = intPart(token.slice(colon + 1, colon + 3), text)
      const colon2 = token.indexOf(':', colon + 1)
      if (colon2 >= 0) seconds = secondsPart(token.slice(colon2 + 1), text)
      if (negative) { hours = -hours; minutes = -minutes; seconds = -seconds }
      valueToken = null
    } else if (token.startsWith('year')) years = intPart(valueToken, text)
    else if (token.startsWith('mon')) months = intPart(valueToken, text)
    else if (token.startsWith('day')) days = intPart(valueToken, text)
    else if (token.startsWith('hour')) hours = intPart(valueToken, text)
    else if (token.startsWith('min')) minutes = intPart(valueToken, text)
    else if (token.startsWith('sec')) seconds = secondsPart(valueToken ?? '', text)
  })
  // PGInterval.setSeconds: Math.round of the micros, then Java's truncating division and remainder.
  const totalMicros = Math.round(seconds * 1e6)
  return { years, months, days, hours, minutes, wholeSeconds: Math.trunc(totalMicros / 1e6), microSeconds: totalMicros % 1e6 }
}

/** PGInterval.getSeconds(): a double. */
export function intervalSeconds (i: PgInterval): number {
  return i.wholeSeconds + i.microSeconds / 1e6
}

/** MicroDuration.durationMicros(..., DAYS_PER_MONTH_AVG = 365.25 / 12): Debezium's double arithmetic, truncated. */
export function intervalMicros (i: PgInterval): number | bigint {
  const numberOfDays = ((i.years * 12) + i.months) * (365.25 / 12) + i.days
  const numberOfSeconds = (((numberOfDays * 24 + i.hours) * 60) + i.minutes) * 60 + intervalSeconds(i)
  return javaLongOfDouble(numberOfSeconds * 1e6)
}

/** Java's (long) cast of a double: truncated, saturating at Long.MIN_VALUE / MAX_VALUE, NaN to 0. */
export function javaLongOfDouble (d: number): number | bigint {
  if (Number.isNaN(d)) return 0
  if (d >= 9223372036854775807) return 9223372036854775807n
  if (d <= -9223372036854775808) return -9223372036854775808n
  const t = Math.trunc(d)
  return Number.isSafeInteger(t) ? t : BigInt(t)
}

/**
 * Interval.toIsoString: "P<y>Y<m>M<d>DT<h>H<min>M<s>S", the seconds from BigDecimal.valueOf(double) without trailing
 * zeros in plain notation.
 */
export function intervalIsoString (i: PgInterval): string {
  return `P${i.years}Y${i.months}M${i.days}DT${i.hours}H${i.minutes}M${plainDecimal(intervalSeconds(i))}S`
}

/** A double's shortest decimal (Double.toString's digits) in plain notation without trailing zeros. */
export function plainDecimal (value: number): string {
  if (value === 0) return '0'
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string]
  const negative = mantissa.startsWith('-')
  const digits = mantissa.replace('-', '').replace('.', '').replace(/0+$/, '') || '0'
  const exponent = Number(exponentText)
  let out: string
  if (exponent >= digits.length - 1) out = digits + '0'.repeat(exponent - digits.length + 1)
  else if (exponent >= 0) out = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`
  else out = `0.${'0'.repeat(-exponent - 1)}${digits}`
  return negative ? `-${out}` : out
}
