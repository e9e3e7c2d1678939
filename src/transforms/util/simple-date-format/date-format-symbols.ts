// DateFormatSymbols for en_US: the names SimpleDateFormat formats and parses.

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
export const SHORT_MONTHS = MONTHS.map(m => m.slice(0, 3))
export const WEEKDAYS = ['', 'Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
export const SHORT_WEEKDAYS = WEEKDAYS.map(d => d.slice(0, 3))
export const ERAS = ['BC', 'AD']
export const AM_PM_NAMES = ['AM', 'PM']
// The UTC zone's names in en_US, in the order Java tries them (long/short standard, long/short daylight).
export const UTC_NAMES = ['Coordinated Universal Time', 'UTC']
