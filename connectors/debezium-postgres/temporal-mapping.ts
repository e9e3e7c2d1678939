/**
 * Debezium's mappings of PostgreSQL's date/time types (JdbcValueConverters and PostgresValueConverter per
 * time.precision.mode and interval.handling.mode), from PostgreSQL's text output.
 */
import { ConnectDate, ConnectTime, ConnectTimestamp, SchemaBuilder } from '../../src/api/index.ts'
import type { Options, TypeConverter } from './column-mapping.ts'
import {
  intervalIsoString, intervalMicros, isoDate, isoDateTimeUtc, isoDateTimeUtcParts, isoTime, parseDate, parseInterval, parseTime,
  parseTimestampMicros, parseTimestampParts, toInt32
} from './pg-temporal-text.ts'

export const LONG_MIN = -(2n ** 63n)
export const LONG_MAX = 2n ** 63n - 1n

/** An int64 as the runtime carries it: a number when safe, else a bigint. */
export function int64 (n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n
}

const MICROS_IN_MILLI = 1000n

/** time.precision.mode's schema for a time column of the given precision (PostgreSQL's typmod, 6 when none). */
export function timeConverter (precision: number, o: Options): TypeConverter {
  const kind = o.time === 'connect'
    ? 'connect'
    : o.time === 'isostring'
      ? 'iso'
      : o.time === 'nanoseconds' || (o.time === 'adaptive' && precision > 6)
        ? 'nano'
        : o.time === 'adaptive' && precision <= 3 ? 'milli' : 'micro'
  switch (kind) {
    case 'connect': return { builder: () => ConnectTime.builder(), parse: t => new Date(Math.trunc(parseTime(t) / 1e6)) }
    case 'iso': return { builder: () => SchemaBuilder.string().name('io.debezium.time.IsoTime').version(1), parse: t => `${isoTime(parseTime(t))}Z` }
    case 'nano': return { builder: () => SchemaBuilder.int64().name('io.debezium.time.NanoTime').version(1), parse: t => parseTime(t) }
    case 'milli': return { builder: () => SchemaBuilder.int32().name('io.debezium.time.Time').version(1), parse: t => Math.trunc(parseTime(t) / 1e6) }
    default: return { builder: () => SchemaBuilder.int64().name('io.debezium.time.MicroTime').version(1), parse: t => Math.trunc(parseTime(t) / 1e3) }
  }
}

/** pgjdbc's PGStatement.DATE_POSITIVE/NEGATIVE_INFINITY, which Debezium reads as microseconds for infinite timestamps. */
const INFINITY_MICROS = { infinity: 9223372036825200000n, '-infinity': -9223372036832400000n } as const

/**
 * `element`: an array element, which Debezium reads through java.sql.Timestamp, whose calendar is Julian before
 * 1582-10-15 (such timestamps shift by the calendars' difference).
 */
function timestampMicrosOf (text: string, element = false): bigint {
  return text === 'infinity' || text === '-infinity' ? INFINITY_MICROS[text] : parseTimestampMicros(text, false, element ? 'hybrid' : 'proleptic')
}

const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b))

export function timestampConverter (precision: number, o: Options, element = false): TypeConverter {
  const timestampMicros = (t: string): bigint => timestampMicrosOf(t, element)
  if (o.time === 'connect') return { builder: () => ConnectTimestamp.builder(), parse: t => jsDate(Number(floorDiv(timestampMicros(t), MICROS_IN_MILLI)), o) }
  if (o.time === 'isostring') return { builder: () => SchemaBuilder.string().name('io.debezium.time.IsoTimestamp').version(1), parse: t => isoDateTimeUtc(timestampMicros(t)) }
  const kind = o.time === 'microseconds' ? 'micro' : o.time === 'nanoseconds' || precision > 6 ? 'nano' : precision <= 3 ? 'milli' : 'micro'
  if (kind === 'milli') return { builder: () => SchemaBuilder.int64().name('io.debezium.time.Timestamp').version(1), parse: t => int64(floorDiv(timestampMicros(t), MICROS_IN_MILLI)) }
  if (kind === 'micro') {
    return {
      builder: () => SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').version(1),
      parse: t => {
        if (t === 'infinity' || t === '-infinity') return int64(INFINITY_MICROS[t])
        // Plain number arithmetic while it is exact (about ±285 years around 1970 and beyond: |seconds| < 9e9).
        const { seconds, micros } = parseTimestampParts(t, false, element ? 'hybrid' : 'proleptic')
        return Math.abs(seconds) < 9e9 ? seconds * 1e6 + micros : int64(BigInt(seconds) * 1000000n + BigInt(micros))
      }
    }
  }
  return {
    builder: () => SchemaBuilder.int64().name('io.debezium.time.NanoTimestamp').version(1),
    parse: t => {
      // Debezium special-cases the infinities to Long.MAX_VALUE / MIN_VALUE; other values saturate as TimeUnit does.
      if (t === 'infinity') return LONG_MAX
      if (t === '-infinity') return LONG_MIN
      const nanos = timestampMicros(t) * 1000n
      // Beyond the int64 nanosecond range Debezium's conversion fails: it warns and emits null.
      if (nanos > LONG_MAX || nanos < LONG_MIN) {
        o.warn(`Timestamp ${t} is out of the range of int64 epoch nanoseconds: emitting null`)
        return null
      }
      return int64(nanos)
    }
  }
}

/**
 * Dates the snapshot reads (and array elements) reach Debezium as java.sql.Date: their infinities become the dates of
 * pgjdbc's infinity millis (+292278994-08-16 and +292269055-12-02). Streamed dates get Debezium's stand-ins instead.
 */
const JDBC_INFINITY_EPOCH_DAYS: Record<string, number> = { infinity: 106751991166, '-infinity': 106748361128 }

/** A date's mapping; `fromEpochDay` renders an epoch day (before Java's int cast) in the mode. */
export interface DateConverter extends TypeConverter {
  readonly fromEpochDay: (day: number) => unknown
}

export function dateConverter (o: Options, jdbc: boolean): DateConverter {
  const day = (t: string): number => (jdbc ? JDBC_INFINITY_EPOCH_DAYS[t] ?? parseDate(t, 'fields') : parseDate(t))
  const render = o.time === 'connect'
    ? (d: number) => jsDate(toInt32(d) * 86_400_000, o)
    : o.time === 'isostring' ? (d: number) => `${isoDate(d)}Z` : (d: number) => toInt32(d)
  const builder = o.time === 'connect'
    ? () => ConnectDate.builder()
    : o.time === 'isostring' ? () => SchemaBuilder.string().name('io.debezium.time.IsoDate').version(1) : () => SchemaBuilder.int32().name('io.debezium.time.Date').version(1)
  return { builder, parse: t => render(day(t)), fromEpochDay: render }
}

/**
 * A java.util.Date beyond JavaScript's Date range (±8.64e15 ms), where Debezium's infinite dates and timestamps land in
 * time.precision.mode=connect: getTime() (what the converters read) answers the millis; the rest of Date's API sees
 * an invalid date.
 */
export class FarDate extends Date {
  readonly #millis: number

  constructor (millis: number) {
    super(NaN)
    this.#millis = millis
  }

  override getTime (): number { return this.#millis }
  override valueOf (): number { return this.#millis }
}

/** A java.util.Date of the millis for time.precision.mode=connect. */
function jsDate (millis: number, _o: Options): Date {
  return Math.abs(millis) > 8.64e15 ? new FarDate(millis) : new Date(millis)
}

/**
 * timestamptz: io.debezium.time.ZonedTimestamp, at UTC, with exactly `precision` fraction digits (none for 0). Array
 * `element`s reach Debezium as the fields of a java.sql.Timestamp (the era lost).
 */
export function zonedTimestampConverter (precision: number, element = false): TypeConverter {
  const width = precision <= 0 || precision > 9 ? null : precision
  return {
    builder: () => SchemaBuilder.string().name('io.debezium.time.ZonedTimestamp').version(1),
    parse: t => t === 'infinity' || t === '-infinity' ? t : isoDateTimeUtcParts(parseTimestampParts(t, true, element ? 'fields' : 'proleptic'), width)
  }
}

export function intervalConverter (o: Options): TypeConverter {
  if (o.interval === 'string') return { builder: () => SchemaBuilder.string().name('io.debezium.time.Interval').version(1), parse: t => intervalIsoString(parseInterval(t)) }
  return { builder: () => SchemaBuilder.int64().name('io.debezium.time.MicroDuration').version(1), parse: t => intervalMicros(parseInterval(t)) }
}

/** Precision (fraction digits) of a time/timestamp typmod: pgjdbc reports 6 when there is none. */
export function temporalPrecision (typeMod: number): number {
  return typeMod === -1 ? 6 : typeMod
}
