import { CALENDAR_FIELDS, CalendarState, computeTime, DAY_OF_WEEK, FIRST_DAY_OF_WEEK, floorDiv, ISO_DAY_OF_WEEK, SUNDAY, WEEK_OF_YEAR, WEEK_YEAR, weekDate, YEAR } from './gregorian-calendar.ts'

/** CalendarBuilder: fields in the order parsing met them. */
export class Builder {
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
