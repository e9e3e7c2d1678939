// Numbers (DecimalFormat.parse as SimpleDateFormat's integer-only, ungrouped number format reads them, and
// zeroPaddingNumber as it writes them).

import { javaDigit } from '../../../api/index.ts'

/** Number.intValue() of what DecimalFormat reads at `start` (up to `end`), and where it stopped; null for none. */
export function parseNumber (text: string, start: number, end: number): [number, number] | null {
  let i = start
  let negative = false
  if (i < end && text[i] === '-') { negative = true; i++ }
  if (text.startsWith('NaN', i) && i + 3 <= end && !negative) return [0, i + 3]
  if (i < end && text[i] === '\u221e') return [negative ? -2147483648 : 2147483647, i + 1]
  // Fast path: up to 9 ASCII digits and no exponent, an int as it is.
  let small = 0
  let j = i
  while (j < end && j - i < 10) {
    const code = text.charCodeAt(j)
    if (code < 0x30 || code > 0x39) break
    small = small * 10 + code - 0x30
    j++
  }
  if (j > i && j - i <= 9 && (j >= end || (text.charCodeAt(j) !== 0x45 && javaDigit(text.charCodeAt(j)) < 0))) return [negative ? -small : small, j]
  const readDigits = (): string => {
    let digits = ''
    for (; i < end; i++) {
      const d = javaDigit(text.charCodeAt(i))
      if (d < 0) break
      digits += String(d)
    }
    return digits
  }
  const mantissa = readDigits()
  if (mantissa === '') return null
  // DigitList: the significant digits (no leading or trailing zeros) and where the decimal point sits.
  const significant = mantissa.replace(/^0+/, '')
  let decimalAt = significant.length
  const digits = significant.replace(/0+$/, '')
  // Even an integer-only format reads an exponent: 'E', an optional '-', digits (any script). One beyond a long is
  // not read at all; otherwise Java keeps (int) of it and moves the point with int arithmetic (which wraps).
  if (text[i] === 'E' && i < end) {
    const back = i
    i++
    const minus = i < end && text[i] === '-'
    if (minus) i++
    const e = readDigits()
    const value = e === '' ? null : BigInt(e)
    if (value === null || value > 2n ** 63n - 1n) {
      i = back
    } else {
      const exponent = Number(BigInt.asIntN(32, value))
      decimalAt = (decimalAt + (minus ? -exponent : exponent)) | 0
    }
  }
  if (digits === '') return [0, i]
  // A whole number within a long is a Long, cut to an int; anything else was a Double, which saturates.
  if (decimalAt >= digits.length && decimalAt <= 19) {
    let value = BigInt(digits) * 10n ** BigInt(decimalAt - digits.length)
    if (negative) value = -value
    if (value >= -(2n ** 63n) && value < 2n ** 63n) return [Number(BigInt.asIntN(32, value)), i]
  }
  if (decimalAt <= 0) return [0, i]
  if (decimalAt > 10) return [negative ? -2147483648 : 2147483647, i]
  const whole = Number(digits.slice(0, decimalAt).padEnd(decimalAt, '0')) * (negative ? -1 : 1)
  return [Math.max(-2147483648, Math.min(2147483647, whole)), i]
}

/** DecimalFormat with minimum `min` and at most `max` integer digits (the low ones kept), as zeroPaddingNumber. */
export function padNumber (value: number, min: number, max = Infinity): string {
  let digits = String(Math.abs(value))
  if (digits.length > max) digits = digits.slice(digits.length - max)
  return (value < 0 ? '-' : '') + digits.padStart(min, '0')
}
