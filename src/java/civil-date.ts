/**
 * Proleptic Gregorian dates by epoch day, as java.time's LocalDate counts them: exact for every int32 day count and any
 * astronomical year (year 0 is 1 BC), far beyond what a JavaScript Date holds. Debezium's temporal types and
 * PostgreSQL's dates (BC, ±infinity stand-ins) need that range.
 */

/** Days since 1970-01-01 of a proleptic Gregorian date (any astronomical year). */
export function epochDayOf (year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const mp = (month + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** The proleptic Gregorian date (astronomical year) of an epoch day. */
export function civilOf (epochDay: number): { year: number, month: number, day: number } {
  const z = epochDay + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}
