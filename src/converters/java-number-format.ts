/**
 * Java's Double.toString and Float.toString text, which JsonConverter output must match byte for byte: decimal
 * notation with at least one fractional digit for 1e-3 <= |x| < 1e7, computerized scientific notation otherwise.
 * Digits are the shortest that round-trip (JDK 19+'s algorithm; JDK 17 differs only in rare last-digit cases).
 */
function format (digitsExp: string, n: number): string {
  if (Object.is(n, -0)) return '-0.0'
  if (n === 0) return '0.0'
  const abs = Math.abs(n)
  const [mantissa, expText] = digitsExp.split('e') as [string, string]
  const exp = Number(expText)
  const sign = n < 0 ? '-' : ''
  const digits = mantissa.replace('-', '').replace('.', '')
  if (abs >= 1e-3 && abs < 1e7) {
    // Place the decimal point by the exponent.
    const point = exp + 1
    let intPart: string
    let fracPart: string
    if (point <= 0) {
      intPart = '0'
      fracPart = '0'.repeat(-point) + digits
    } else if (point >= digits.length) {
      intPart = digits + '0'.repeat(point - digits.length)
      fracPart = ''
    } else {
      intPart = digits.slice(0, point)
      fracPart = digits.slice(point)
    }
    fracPart = fracPart.replace(/0+$/, '')
    return `${sign}${intPart}.${fracPart === '' ? '0' : fracPart}`
  }
  const frac = digits.slice(1).replace(/0+$/, '')
  return `${sign}${digits[0]}.${frac === '' ? '0' : frac}E${exp}`
}

export function javaDoubleToString (n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity'
  return format(n.toExponential(), n)
}

export function javaFloatToString (value: number): string {
  const n = Math.fround(value)
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity'
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0'
  for (let p = 1; p <= 9; p++) {
    const text = n.toExponential(p - 1)
    if (Math.fround(Number(text)) === n) return format(text, n)
  }
  return format(n.toExponential(8), n)
}
