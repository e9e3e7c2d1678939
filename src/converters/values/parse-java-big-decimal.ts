// Java helpers: new BigDecimal(String), and a BigDecimal's double and float values as Java rounds them.

import { BigDecimal } from '../../api/index.ts'
import { javaDigit } from '../../java/chars.ts'

export class NumberFormatError extends Error {}

/** new BigDecimal(String): Java's grammar, with non-ASCII decimal digits and its exponent and scale limits. */
export function parseJavaBigDecimal (s: string): BigDecimal {
  let i = 0
  let negative = false
  if (s[0] === '-' || s[0] === '+') { negative = s[0] === '-'; i++ }
  let digits = ''
  let fraction = 0
  let dot = false
  let exponent = 0n
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const d = javaDigit(c)
    if (d >= 0) {
      digits += String(d)
      if (dot) fraction++
    } else if (c === 0x2e && !dot) {
      dot = true
    } else if (c === 0x65 || c === 0x45) {
      exponent = parseExponent(s, i + 1)
      break
    } else {
      throw new NumberFormatError(`Character ${s[i]} is neither a decimal digit number, decimal point, nor "e" notation exponential mark.`)
    }
  }
  if (digits === '') throw new NumberFormatError('No digits found.')
  const scale = BigInt(fraction) - exponent
  if (scale > 2147483647n || scale < -2147483648n) throw new NumberFormatError('Scale out of range.')
  const unscaled = BigInt(digits)
  return new BigDecimal(negative ? -unscaled : unscaled, Number(scale))
}

function parseExponent (s: string, start: number): bigint {
  let i = start
  let negative = false
  if (s[i] === '-' || s[i] === '+') { negative = s[i] === '-'; i++ }
  if (i >= s.length) throw new NumberFormatError('No exponent digits.')
  let text = ''
  for (; i < s.length; i++) {
    const d = javaDigit(s.charCodeAt(i))
    if (d < 0) throw new NumberFormatError('Not a digit.')
    text += String(d)
  }
  // Java skips leading zeros, then refuses more than ten digits, then an exponent beyond an int.
  text = text.replace(/^0+(?=.{10})/, '')
  if (text.length > 10) throw new NumberFormatError('Too many nonzero exponent digits.')
  const value = negative ? -BigInt(text) : BigInt(text)
  if (value !== BigInt.asIntN(32, value)) throw new NumberFormatError('Exponent overflow.')
  return value
}

const decimalDigits = (n: bigint): number => (n < 0n ? -n : n).toString().length

/** Sign of |d| - 10^power, for a non-zero d, without building huge powers of ten. */
export function compareAbsToPowerOfTen (d: BigDecimal, power: number): number {
  const adjusted = decimalDigits(d.unscaled) - 1 - d.scale
  if (adjusted !== power) return adjusted > power ? 1 : -1
  const abs = d.unscaled < 0n ? -d.unscaled : d.unscaled
  // Same adjusted exponent: abs has (power + scale + 1) digits, so this power of ten is small.
  const exp = power + d.scale
  return exp >= 0 ? (abs > 10n ** BigInt(exp) ? 1 : abs === 10n ** BigInt(exp) ? 0 : -1) : 1
}

/** BigDecimal.doubleValue(): correctly rounded. */
export const decimalToDouble = (d: BigDecimal): number => Number(`${d.unscaled}e${-d.scale}`)

/** Exact sign of d - x, for a finite double x. */
function compareDecimalToDouble (d: BigDecimal, x: number): number {
  // x = m * 2^e exactly.
  const buf = new DataView(new ArrayBuffer(8))
  buf.setFloat64(0, x)
  const bits = buf.getBigUint64(0)
  const biasedExp = Number((bits >> 52n) & 0x7ffn)
  let m = bits & ((1n << 52n) - 1n)
  let e: number
  if (biasedExp === 0) e = -1074
  else { m |= 1n << 52n; e = biasedExp - 1075 }
  if (bits >> 63n === 1n) m = -m
  // Compare U * 10^-s with m * 2^e after multiplying both by 10^max(s,0) * 2^max(-e,0).
  const s = d.scale
  let left = d.unscaled * (s < 0 ? 10n ** BigInt(-s) : 1n)
  let right = m * (s > 0 ? 10n ** BigInt(s) : 1n)
  if (e < 0) left <<= BigInt(-e)
  else right <<= BigInt(e)
  return left > right ? 1 : left < right ? -1 : 0
}

const F32 = new Float32Array(1)
const U32 = new Uint32Array(F32.buffer)
const FLOAT_MAX = 3.4028234663852886e38

/** The float after f (a finite float >= 0). */
function nextFloatUp (f: number): number {
  F32[0] = f
  U32[0]! += 1
  return F32[0]!
}

/**
 * BigDecimal.floatValue(): correctly rounded. Math.fround(double) rounds twice, which goes wrong only when the double
 * lands exactly halfway between two floats (or on the overflow threshold); then the exact decimal decides.
 */
export function decimalToFloat (d: BigDecimal, asDouble: number): number {
  if (asDouble < 0) return -decimalToFloat(new BigDecimal(-d.unscaled, d.scale), -asDouble)
  const f = Math.fround(asDouble)
  if (f === asDouble || !Number.isFinite(asDouble)) return f
  // The floats either side of the double; past the largest float the next one up is 2^128 (infinity).
  let lo: number
  let hi: number
  if (asDouble > FLOAT_MAX) {
    lo = FLOAT_MAX
    hi = 2 ** 128
  } else if (f < asDouble) {
    lo = f
    hi = nextFloatUp(f)
  } else {
    hi = f
    F32[0] = f
    U32[0]! -= 1
    lo = F32[0]!
  }
  const mid = (lo + hi) / 2
  if (asDouble !== mid) return f
  const c = compareDecimalToDouble(d, mid)
  if (c === 0) return f
  const up = c > 0 ? hi : lo
  return up === 2 ** 128 ? Infinity : up
}
