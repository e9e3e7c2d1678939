import { AM_PM_NAMES, ERAS, MONTHS, SHORT_MONTHS, SHORT_WEEKDAYS, UTC_NAMES, WEEKDAYS } from './date-format-symbols.ts'
import { padNumber } from './decimal-format.ts'
import { SUNDAY, type Fields } from './gregorian-calendar.ts'

export function formatField (f: Fields, letter: string, count: number): string {
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
