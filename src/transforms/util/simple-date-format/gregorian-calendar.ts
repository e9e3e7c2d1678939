// java.util.GregorianCalendar as SimpleDateFormat uses it (UTC, en_US weeks): the calendar fields, fixed-date
// arithmetic across the Julian/Gregorian cutover, and Calendar's resolution of the fields a parse set.

// Calendar field indices (java.util.Calendar), plus CalendarBuilder's two pseudo fields.
export const ERA = 0
export const YEAR = 1
export const MONTH = 2
export const WEEK_OF_YEAR = 3
export const WEEK_OF_MONTH = 4
export const DAY_OF_MONTH = 5
export const DAY_OF_YEAR = 6
export const DAY_OF_WEEK = 7
export const DAY_OF_WEEK_IN_MONTH = 8
export const AM_PM = 9
export const HOUR = 10
export const HOUR_OF_DAY = 11
export const MINUTE = 12
export const SECOND = 13
export const MILLISECOND = 14
export const ZONE_OFFSET = 15
export const DST_OFFSET = 16
export const WEEK_YEAR = 17
export const ISO_DAY_OF_WEEK = 18
export const CALENDAR_FIELDS = 17

const DAY = 86400000
const BCE = 0
const CE = 1
export const SUNDAY = 1
export const FIRST_DAY_OF_WEEK = SUNDAY
const MINIMAL_DAYS_IN_FIRST_WEEK = 1
// Fixed dates count days from 0001-01-01 (Gregorian) = 1; 1970-01-01 is 719163.
const EPOCH_OFFSET = 719163
const CUTOVER_YEAR = 1582
const CUTOVER_DATE = 577736 // 1582-10-15, the first Gregorian day
// JS Dates (and so Connect Timestamps here) hold at most 8.64e15 ms either side of the epoch.
export const MAX_MILLIS = 8.64e15

export const floorDiv = (a: number, b: number): number => Math.floor(a / b)
export const mod = (a: number, b: number): number => a - Math.floor(a / b) * b

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

export interface Fields {
  era: number, year: number, normalizedYear: number, month: number, dayOfMonth: number, dayOfYear: number, dayOfWeek: number,
  dayOfWeekInMonth: number, weekOfYear: number, weekOfMonth: number, weekYear: number, millisOfDay: number
}

/** GregorianCalendar.computeFields in UTC. */
export function fieldsOf (millis: number): Fields {
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
export class CalendarState {
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
export function computeTime (c: CalendarState): number {
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
export function weekDate (c: CalendarState, weekYear: number, weekOfYear: number, dayOfWeek: number): number {
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
