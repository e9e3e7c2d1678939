/**
 * Number coercion of JSON numbers as Apache applies it when reading: Java's narrowing of integral types, and
 * BigDecimal's doubleValue()/floatValue() (correctly rounded from the decimal text, never through an intermediate
 * rounding). Also the ranges that writing checks.
 */
import type { JsonNumber } from '../../util/json-reader.ts'

function parseDecimal (n: JsonNumber): { negative: boolean, digits: string, exp10: number } {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(n.text)!
  const frac = m[3] ?? ''
  return { negative: m[1] === '-', digits: m[2]! + frac, exp10: Number(m[4] ?? 0) - frac.length }
}

/**
 * The integer part of a number, exact modulo 2^64. Apache only ever narrows it (intValue, longValue), and
 * 10^64 is a multiple of 2^64, so larger exponents need not be expanded.
 */
export function integerPart (n: JsonNumber): bigint {
  if (n.integral) return BigInt(n.text)
  const { negative, digits, exp10 } = parseDecimal(n)
  let value: bigint
  if (exp10 >= 64) value = 0n
  else if (exp10 >= 0) value = BigInt(digits) * 10n ** BigInt(exp10)
  else if (-exp10 >= digits.length) value = 0n
  else value = BigInt(digits.slice(0, digits.length + exp10))
  return negative ? -value : value
}

function isZero (n: JsonNumber): boolean {
  return !/[1-9]/.test(n.text.replace(/[eE].*$/, ''))
}

/** Java's doubleValue() of the node: correctly rounded, and a zero decimal is +0.0 (BigDecimal has no -0). */
export function doubleValue (n: JsonNumber): number {
  return isZero(n) ? 0 : Number(n.text)
}

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/** The float32 next to the finite float `f`, upwards or downwards; 2^128 stands in above the largest float. */
function adjacentFloat (f: number, up: boolean): number {
  if (f === 0) return up ? 2 ** -149 : -(2 ** -149)
  f32[0] = f
  u32[0]! += (f > 0) === up ? 1 : -1
  return Number.isFinite(f32[0]!) ? f32[0]! : Math.sign(f) * 2 ** 128
}

/**
 * Java's floatValue() of the node: the decimal rounded once, directly to float32. Rounding through a double first
 * differs when the double lands exactly on a midpoint between two floats; those cases are settled exactly.
 */
export function floatValue (n: JsonNumber): number {
  if (isZero(n)) return 0
  const d = Number(n.text)
  const f = Math.fround(d)
  if (f === d || !Number.isFinite(d)) return f
  // The two floats around d (beyond the largest float, 2^128 plays the upper one).
  const [a, b] = Number.isFinite(f) ? [f, adjacentFloat(f, d > f)] : [Math.sign(f) * 2 ** 128, Math.sign(f) * 3.4028234663852886e38]
  const mid = (a + b) / 2
  if (mid !== d) return f
  const cmp = compareDecimalWithDouble(n, mid)
  // An exact tie is what fround did with d: ties to even.
  if (cmp === 0) return f
  const pick = cmp > 0 ? Math.max(a, b) : Math.min(a, b)
  return Math.abs(pick) === 2 ** 128 ? Math.sign(pick) * Infinity : pick
}

/** Sign of (decimal - double), both exact. */
function compareDecimalWithDouble (n: JsonNumber, x: number): number {
  const { negative, digits, exp10 } = parseDecimal(n)
  // x = mantissa × 2^exp2 exactly.
  let exp2 = 0
  let mantissa = Math.abs(x)
  while (!Number.isInteger(mantissa)) { mantissa *= 2; exp2-- }
  let lhs = BigInt(digits) * (negative ? -1n : 1n)
  let rhs = BigInt(mantissa) * (x < 0 ? -1n : 1n)
  if (exp10 >= 0) lhs *= 10n ** BigInt(exp10)
  else rhs *= 10n ** BigInt(-exp10)
  if (exp2 >= 0) rhs <<= BigInt(exp2)
  else lhs <<= BigInt(-exp2)
  return lhs > rhs ? 1 : lhs < rhs ? -1 : 0
}

/**
 * An integral number of at most 15 digits: exact as a double, so the narrowing above can use JavaScript's 32-bit
 * integer operations (the same wrap-around as BigInt.asIntN for such values) instead of BigInt arithmetic.
 */
export function isSmallInteger (n: JsonNumber): boolean {
  return n.integral && n.text.length <= 15
}

export function int64Value (n: bigint): number | bigint {
  const wrapped = BigInt.asIntN(64, n)
  const asNumber = Number(wrapped)
  return Number.isSafeInteger(asNumber) ? asNumber : wrapped
}

export const INT_RANGES: Record<'int8' | 'int16' | 'int32', number> = { int8: 2 ** 7, int16: 2 ** 15, int32: 2 ** 31 }
export const INT64_LIMIT = 2n ** 63n
