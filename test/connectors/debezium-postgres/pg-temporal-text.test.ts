/**
 * PostgreSQL's date/time text read exactly and rendered as Debezium renders it. Expected numbers are Debezium 3.6.1's
 * output for the same PostgreSQL values where it emitted them (column-mapping.debezium-3.6.1.json), else java.time's.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  civilOf, epochDayOf, hybridEpochDayOf, intervalIsoString, intervalMicros, isoDate, isoDateTimeUtc, isoTime, parseDate, parseInterval, parseTime,
  parseTimestampMicros, parseTimeTzAtUtc, plainDecimal, toInt32
} from '../../../connectors/debezium-postgres/pg-temporal-text.ts'

test('dates: epoch days, BC years, and the infinities as Debezium emits them', () => {
  assert.equal(parseDate('1970-01-01'), 0)
  assert.equal(parseDate('2024-02-29'), 19782)
  assert.equal(parseDate('1969-12-31'), -1)
  assert.equal(parseDate('0001-01-01'), -719162)
  assert.equal(parseDate('0001-12-31 BC'), -719163)
  assert.equal(parseDate('10000-01-01'), 2932897)
  assert.equal(toInt32(parseDate('infinity')), -2147472692)
  assert.equal(toInt32(parseDate('-infinity')), -2147472691)
  for (const day of [-719163, -1, 0, 1, 19782, 2932897, -2000000]) {
    const { year, month, day: d } = civilOf(day)
    assert.equal(epochDayOf(year, month, d), day)
  }
  assert.equal(isoDate(-719163), '0000-12-31')
  assert.equal(isoDate(-719164 - 365), '-0001-12-31')
  assert.equal(isoDate(2932897), '+10000-01-01')
  assert.throws(() => parseDate('2024-2-29'), { name: 'DataError' })
})

test('times: nanoseconds of the day up to 24:00:00, fractions of any length', () => {
  assert.equal(parseTime('13:45:30.123456'), 49530123456000)
  assert.equal(parseTime('00:00:00'), 0)
  assert.equal(parseTime('24:00:00'), 86400e9)
  assert.equal(parseTime('23:59:59.999'), 86399999e6)
  assert.equal(parseTime('00:00:00.5'), 5e8)
  assert.equal(isoTime(49530123456000), '13:45:30.123456')
  assert.equal(isoTime(5e8), '00:00:00.5')
  assert.equal(isoTime(0), '00:00:00')
  assert.equal(isoTime(86400e9), '00:00:00')
  assert.equal(isoTime(5e8, 6), '00:00:00.500000')
  assert.throws(() => parseTime('noon'), { name: 'DataError' })
})

test('timetz moves to UTC and wraps around the day', () => {
  assert.equal(isoTime(parseTimeTzAtUtc('13:45:30.5+02')), '11:45:30.5')
  assert.equal(isoTime(parseTimeTzAtUtc('00:00:00-11:30')), '11:30:00')
  assert.equal(isoTime(parseTimeTzAtUtc('12:00:00+14')), '22:00:00')
  assert.equal(isoTime(parseTimeTzAtUtc('01:00:00+05:30:15')), '19:29:45')
})

test('timestamps: exact epoch micros, offsets, BC, and the ISO rendering', () => {
  assert.equal(parseTimestampMicros('2024-02-29 13:45:30.123456', false), 1709214330123456n)
  assert.equal(parseTimestampMicros('1969-12-31 23:59:59.999', false), -1000n)
  assert.equal(parseTimestampMicros('2024-02-29 13:45:30.123456+02', true), 1709207130123456n)
  assert.equal(parseTimestampMicros('2024-02-29 13:45:30.123456-03:30', true), 1709226930123456n)
  assert.equal(parseTimestampMicros('0044-03-15 12:00:00+00 BC', true), -63517780800000000n)
  assert.throws(() => parseTimestampMicros('2024-02-29 13:45:30', true), { name: 'DataError' })
  assert.equal(isoDateTimeUtc(1709207130123456n, 6), '2024-02-29T11:45:30.123456Z')
  assert.equal(isoDateTimeUtc(0n, 6), '1970-01-01T00:00:00.000000Z')
  assert.equal(isoDateTimeUtc(0n, 3), '1970-01-01T00:00:00.000Z')
  assert.equal(isoDateTimeUtc(0n), '1970-01-01T00:00:00Z')
  assert.equal(isoDateTimeUtc(1500000n), '1970-01-01T00:00:01.5Z')
  assert.equal(isoDateTimeUtc(-1n, 6), '1969-12-31T23:59:59.999999Z')
  assert.equal(isoDateTimeUtc(parseTimestampMicros('0044-03-15 12:00:00+00 BC', true)), '-0043-03-15T12:00:00Z')
})

test('intervals: PGInterval fields, MicroDuration micros and the ISO string', () => {
  const i = parseInterval('1 year 2 mons 3 days 04:05:06.789')
  assert.deepEqual(i, { years: 1, months: 2, days: 3, hours: 4, minutes: 5, wholeSeconds: 6, microSeconds: 789000 })
  assert.equal(intervalMicros(i), 37091106789000)
  assert.equal(intervalIsoString(i), 'P1Y2M3DT4H5M6.789S')
  const negative = parseInterval('-1 days -00:00:01')
  assert.equal(intervalMicros(negative), -86401000000)
  assert.equal(intervalIsoString(negative), 'P0Y0M-1DT0H0M-1S')
  assert.equal(intervalMicros(parseInterval('00:00:00')), 0)
  assert.equal(intervalIsoString(parseInterval('00:00:00')), 'P0Y0M0DT0H0M0S')
  // Beyond Long.MAX_VALUE micros, Java's (long) cast saturates.
  assert.equal(intervalMicros(parseInterval('178000000 years')), 9223372036854775807n)
  assert.equal(intervalIsoString(parseInterval('-2 years +3 mons -00:00:00.000001')), 'P-2Y3M0DT0H0M-0.000001S')
  assert.equal(intervalMicros(parseInterval('1 mon')), 2629800000000)
})

test('plainDecimal: shortest digits, plain notation', () => {
  assert.equal(plainDecimal(6.789), '6.789')
  assert.equal(plainDecimal(1e-6), '0.000001')
  assert.equal(plainDecimal(-1), '-1')
  assert.equal(plainDecimal(1e21), '1000000000000000000000')
  assert.equal(plainDecimal(0), '0')
})

test('java.util.GregorianCalendar\'s hybrid calendar: Julian before 1582-10-15', () => {
  assert.equal(hybridEpochDayOf(2024, 1, 1), epochDayOf(2024, 1, 1))
  assert.equal(hybridEpochDayOf(1582, 10, 15), epochDayOf(1582, 10, 15))
  assert.equal(hybridEpochDayOf(1582, 10, 4), epochDayOf(1582, 10, 14))
  assert.equal(hybridEpochDayOf(1500, 3, 1), epochDayOf(1500, 3, 11))
  assert.equal(hybridEpochDayOf(-43, 3, 15), epochDayOf(-43, 3, 13))
})
