/**
 * Connect's logical values and their Protobuf messages, as Confluent's converters compute them: Decimal as
 * confluent.type.Decimal (two's-complement unscaled bytes, precision = its digit count, scale); Date as google.type.Date
 * from a UTC java.util.GregorianCalendar (so days before 1582-10-15 are Julian dates, and a year before 1 AD is written
 * as its year of era); Time as google.type.TimeOfDay; Timestamp as google.protobuf.Timestamp (seconds and nanos,
 * within years 1 to 9999 as protobuf-java's Timestamps checks).
 */
import { BigDecimal, DataError, bigintToBytes, bytesToBigint } from '../../../api/index.ts'

const MILLIS_PER_DAY = 86400000
/** Julian day number of 1970-01-01, and of the Gregorian cutover 1582-10-15. */
const EPOCH_JDN = 2440588
const CUTOVER_JDN = 2299161
const MIN_SECONDS = -62135596800n
const MAX_SECONDS = 253402300799n

export interface DateFields { year: number, month: number, day: number }

/** BigDecimal.precision(): the digit count of the unscaled value (1 for zero). */
export function decimalPrecision (unscaled: bigint): number {
  return (unscaled < 0n ? -unscaled : unscaled).toString().length
}

export function decimalToFields (value: BigDecimal): { value: Buffer, precision: number, scale: number } {
  return { value: bigintToBytes(value.unscaled), precision: decimalPrecision(value.unscaled), scale: value.scale }
}

/** new BigDecimal(new BigInteger(bytes), scale, new MathContext(precision)), rounding half up to `precision` digits. */
export function decimalFromFields (bytes: Uint8Array, precision: number | null, scale: number): BigDecimal {
  let unscaled = bytesToBigint(bytes)
  let s = scale
  if (precision !== null && precision > 0) {
    while (decimalPrecision(unscaled) > precision) {
      const drop = 10n ** BigInt(decimalPrecision(unscaled) - precision)
      const negative = unscaled < 0n
      const magnitude = negative ? -unscaled : unscaled
      let q = magnitude / drop
      if ((magnitude % drop) * 2n >= drop) q += 1n
      unscaled = negative ? -q : q
      s -= decimalPrecision(drop) - 1
    }
  }
  return new BigDecimal(unscaled, s)
}

const floorDiv = (a: number, b: number): number => Math.floor(a / b)

/** The calendar fields a UTC GregorianCalendar gives for a day (Julian before the cutover; YEAR is the year of era). */
export function dateToFields (date: Date): DateFields {
  const ms = date.getTime()
  if (ms % MILLIS_PER_DAY !== 0) throw new DataError('Kafka Connect Date type should not have any time fields set to non-zero values.')
  const days = ms / MILLIS_PER_DAY
  const jdn = days + EPOCH_JDN
  let year: number, month: number, day: number
  if (jdn >= CUTOVER_JDN) {
    const d = new Date(ms)
    year = d.getUTCFullYear()
    month = d.getUTCMonth() + 1
    day = d.getUTCDate()
  } else {
    const c = jdn + 32082
    const dd = floorDiv(4 * c + 3, 1461)
    const e = c - floorDiv(1461 * dd, 4)
    const m = floorDiv(5 * e + 2, 153)
    day = e - floorDiv(153 * m + 2, 5) + 1
    month = m + 3 - 12 * floorDiv(m, 10)
    year = dd - 4800 + floorDiv(m, 10)
  }
  return { year: year <= 0 ? 1 - year : year, month, day }
}

const julianLeap = (y: number): boolean => y % 4 === 0
const gregorianLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** A non-lenient UTC GregorianCalendar set to year (AD), month and day: the day's midnight, or a DataError. */
export function dateFromFields ({ year, month, day }: DateFields): Date {
  const gregorian = year > 1582 || (year === 1582 && (month > 10 || (month === 10 && day >= 15)))
  const inGap = year === 1582 && month === 10 && day > 4 && day < 15
  const leap = gregorian ? gregorianLeap(year) : julianLeap(year)
  const maxDay = month === 2 && leap ? 29 : MONTH_DAYS[month - 1] ?? 0
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > maxDay || inGap) {
    throw new DataError(`Invalid google.type.Date for a Connect Date: year ${year}, month ${month}, day ${day}`)
  }
  const a = floorDiv(14 - month, 12)
  const y = year + 4800 - a
  const m = month + 12 * a - 3
  const base = day + floorDiv(153 * m + 2, 5) + 365 * y + floorDiv(y, 4)
  const jdn = gregorian ? base - floorDiv(y, 100) + floorDiv(y, 400) - 32045 : base - 32083
  return new Date((jdn - EPOCH_JDN) * MILLIS_PER_DAY)
}

export interface TimeFields { hours: number, minutes: number, seconds: number, nanos: number }

export function timeToFields (time: Date): TimeFields {
  const ms = time.getTime()
  if (ms < 0 || ms > MILLIS_PER_DAY) throw new DataError('Time values must use number of millis greater than 0 and less than 86400000')
  const t = ms % MILLIS_PER_DAY
  return { hours: Math.floor(t / 3600000), minutes: Math.floor(t / 60000) % 60, seconds: Math.floor(t / 1000) % 60, nanos: (t % 1000) * 1000000 }
}

/** LocalTime.of(hours, minutes, seconds, nanos), as milliseconds of the day (nanos below a millisecond dropped). */
export function timeFromFields ({ hours, minutes, seconds, nanos }: TimeFields): Date {
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59 || nanos < 0 || nanos > 999999999) {
    throw new DataError(`Invalid google.type.TimeOfDay for a Connect Time: ${hours}:${minutes}:${seconds}.${nanos}`)
  }
  return new Date(((hours * 60 + minutes) * 60 + seconds) * 1000 + Math.floor(nanos / 1000000))
}

function checkTimestamp (seconds: bigint, nanos: number): void {
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS || nanos < 0 || nanos > 999999999) {
    throw new DataError(`Timestamp is not valid. Seconds (${seconds}) must be in range [-62,135,596,800, +253,402,300,799]. ` +
      `Nanos (${nanos}) must be in range [0, +999,999,999].`)
  }
}

/** Timestamps.fromMillis. */
export function timestampToFields (value: Date): { seconds: bigint, nanos: number } {
  const ms = value.getTime()
  const seconds = BigInt(Math.floor(ms / 1000))
  const nanos = (((ms % 1000) + 1000) % 1000) * 1000000
  checkTimestamp(seconds, nanos)
  return { seconds, nanos }
}

/** Timestamps.toMillis. */
export function timestampFromFields (seconds: bigint, nanos: number): Date {
  checkTimestamp(seconds, nanos)
  return new Date(Number(seconds) * 1000 + Math.trunc(nanos / 1000000))
}
