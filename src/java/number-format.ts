/**
 * Java's Double.toString(double) and Float.toString(float), digit for digit as JDK 17 prints them.
 *
 * JsonConverter (through Jackson), StringConverter and friends print FLOAT32/FLOAT64 values with these methods, so
 * our bytes only match Apache's if we reproduce them exactly. Kafka 4.x Connect runs on Java 17 or newer, and the
 * digits differ between JDKs:
 *
 * - JDK 17 (and everything before 19) uses the old FloatingDecimal digit generator. It usually yields the shortest
 *   digits that round-trip, but not always: 1.0E23 prints as 9.999999999999999E22, 2.82879384806159E17 as
 *   2.82879384806159008E17, and some floats get a superfluous last digit.
 * - JDK 19+ (JDK-4511638) prints the shortest round-tripping digits, which is what JavaScript's own number
 *   formatting yields.
 *
 * We follow JDK 17, the oldest JVM Kafka 4.x supports and the one our golden tests run against. The generator below
 * re-derives FloatingDecimal's arithmetic (estimate the decimal exponent, then peel digits off B/S while comparing
 * the remainder with half an ulp M) with BigInt, including the places where the JDK's fixed-width int/long fast
 * paths compare or overflow differently from its big-integer path, because those differences show in the output.
 *
 * Layout rules (all JDKs): NaN, Infinity, -Infinity, 0.0, -0.0; plain notation with at least one fraction digit for
 * 1e-3 <= |x| < 1e7; otherwise computerized scientific notation d.dddE-n, with no '+' in the exponent.
 */

/** The decimal digits of a finite non-zero value and its exponent: value = 0.d1d2d3... × 10^decExponent. */
interface DecimalDigits {
  digits: number[]
  decExponent: number
}

/** Bit length of 5^i as the JDK approximates it (exact for i < 27, then 3 bits per factor of 5). */
function fiveBits (i: number): number {
  if (i === 0) return 0
  if (i < 27) return (5n ** BigInt(i)).toString(2).length
  return i * 3
}

/** Number of decimal digits of 2^p2 that lie below its leading digit, used by the integer fast path. */
function insignificantDigitsForPow2 (p2: number): number {
  if (p2 <= 1 || p2 >= 64) return 0
  // The JDK's lookup table has one wrong entry (p2 = 63), but no double or float reaches p2 > 37.
  return (1n << BigInt(p2)).toString().length - 1
}

function trailingZeros (x: bigint): number {
  let n = 0
  while ((x & 1n) === 0n) { x >>= 1n; n++ }
  return n
}

/** floor(log10(value)) estimate, computed with the same double arithmetic as the JDK (it can be one too high). */
function estimateDecExp (fractBits: bigint, binExp: number): number {
  const d2 = 1 + Number(fractBits & 0xfffffffffffffn) / 2 ** 52
  const d = (d2 - 1.5) * 0.289529654 + 0.176091259 + binExp * 0.301029995663981
  return Math.floor(d) + 0 // + 0 turns -0 into 0
}

/** Digits of an integral value below 2^63; `insignificant` low digits are rounded away first. */
function longDigits (value: bigint, insignificant: number): DecimalDigits {
  let decExponent = 0
  if (insignificant !== 0) {
    const pow10 = 10n ** BigInt(insignificant)
    const residue = value % pow10
    value /= pow10
    decExponent += insignificant
    if (residue >= pow10 >> 1n) value++
  }
  const text = value.toString()
  decExponent += text.length
  const stripped = text.replace(/0+$/, '')
  return { digits: [...stripped].map(Number), decExponent }
}

/**
 * The digit generator. `fractBits` is the significand with its leading 1 at bit 52 (floats are shifted up to this
 * layout), `binExp` the unbiased binary exponent, `nSignificantBits` the precision of the source type.
 */
function dtoa (binExp: number, fractBits: bigint, nSignificantBits: number): DecimalDigits {
  const tailZeros = trailingZeros(fractBits)
  const nFractBits = 53 - tailZeros
  const nTinyBits = Math.max(0, nFractBits - binExp - 1)

  // Integers below 2^63 are printed from their exact value (minus digits the precision cannot vouch for).
  if (nTinyBits === 0 && binExp <= 62) {
    const insignificant = binExp > nSignificantBits ? insignificantDigitsForPow2(binExp - nSignificantBits - 1) : 0
    const value = binExp >= 52 ? fractBits << BigInt(binExp - 52) : fractBits >> BigInt(52 - binExp)
    return longDigits(value, insignificant)
  }

  // value = B / S × 10^decExp, and M is half an ulp on B's scale; all three are kept as powers of 2 and 5.
  let decExp = estimateDecExp(fractBits, binExp)
  const B5 = Math.max(0, -decExp)
  let B2 = B5 + nTinyBits + binExp
  const S5 = Math.max(0, decExp)
  let S2 = S5 + nTinyBits
  const M5 = B5
  let M2 = B2 - nSignificantBits
  const fract = fractBits >> BigInt(tailZeros)
  B2 -= nFractBits - 1
  const common = Math.min(B2, S2)
  B2 -= common
  S2 -= common
  M2 -= common
  // At a power of two the next lower value is only half as far away; the JDK shrinks M for it.
  if (nFractBits === 1) M2 -= 1
  if (M2 < 0) {
    B2 -= M2
    S2 -= M2
    M2 = 0
  }

  // The JDK runs this loop in int, long or big-integer arithmetic depending on the operand sizes. The fixed-width
  // variants wrap on overflow and stop on "b + m > 10s", the big one stops on "b + m >= 10s": mirror both.
  const bBits = nFractBits + B2 + fiveBits(B5)
  const tenSBits = S2 + 1 + fiveBits(S5 + 1)
  const width = bBits < 32 && tenSBits < 32 ? 32 : bBits < 64 && tenSBits < 64 ? 64 : 0
  const wrap = width === 0 ? (x: bigint): bigint => x : (x: bigint): bigint => BigInt.asIntN(width, x)
  const highTest = width === 0
    ? (b: bigint, m: bigint, tens: bigint): boolean => b + m >= tens
    : (b: bigint, m: bigint, tens: bigint): boolean => wrap(b + m) > tens

  let b = (fract * 5n ** BigInt(B5)) << BigInt(B2)
  const s = 5n ** BigInt(S5) << BigInt(S2)
  let m = 5n ** BigInt(M5) << BigInt(M2)
  const tens = s * 10n
  const digits: number[] = []

  // First digit: a zero quotient means the estimate was one too high.
  let q = b / s
  b = 10n * (b % s)
  m = wrap(m * 10n)
  let low = b < m
  let high = highTest(b, m, tens)
  if (q === 0n && !high) decExp--
  else digits.push(Number(q))
  // Scientific notation needs a digit after the point, so the JDK never stops after the first digit there.
  if (decExp < -3 || decExp >= 8) low = high = false
  while (!low && !high) {
    q = b / s
    b = 10n * (b % s)
    m = wrap(m * 10n)
    if (width === 0 || m > 0n) {
      low = b < m
      high = highTest(b, m, tens)
    } else {
      // An overflowed m is certainly past both bounds; the JDK treats it so.
      low = high = true
    }
    digits.push(Number(q))
  }
  const lowDigitDifference = width === 0 ? (high && low ? (b * 2n > tens ? 1n : b * 2n < tens ? -1n : 0n) : 0n) : wrap(wrap(b << 1n) - tens)

  const result: DecimalDigits = { digits, decExponent: decExp + 1 }
  if (high) {
    if (low) {
      // Both neighbours are within reach: round to nearer, ties to an even last digit.
      if (lowDigitDifference === 0n) {
        if ((digits[digits.length - 1]! & 1) !== 0) roundUp(result)
      } else if (lowDigitDifference > 0n) {
        roundUp(result)
      }
    } else {
      roundUp(result)
    }
  }
  return result
}

/** Adds one to the last digit. Zeros this leaves at the end stay in the output, as they do in the JDK. */
function roundUp (d: DecimalDigits): void {
  const digits = d.digits
  let i = digits.length - 1
  while (digits[i] === 9 && i > 0) digits[i--] = 0
  if (digits[i] === 9) {
    // Carry out of the first digit: 9.99 becomes 1.00 one decade up.
    d.decExponent += 1
    digits[0] = 1
    return
  }
  digits[i]! += 1
}

function layout (negative: boolean, { digits, decExponent }: DecimalDigits): string {
  const sign = negative ? '-' : ''
  const text = digits.join('')
  if (decExponent > 0 && decExponent < 8) {
    if (text.length <= decExponent) return `${sign}${text.padEnd(decExponent, '0')}.0`
    return `${sign}${text.slice(0, decExponent)}.${text.slice(decExponent)}`
  }
  if (decExponent <= 0 && decExponent > -3) return `${sign}0.${'0'.repeat(-decExponent)}${text}`
  return `${sign}${text[0]}.${text.length > 1 ? text.slice(1) : '0'}E${decExponent - 1}`
}

const scratch = new DataView(new ArrayBuffer(8))

/** Java's Double.toString(d), JDK 17 digits. */
export function javaDoubleToString (value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return 'Infinity'
  if (value === -Infinity) return '-Infinity'
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  // Plain integers up to 2^53 are exact and need no digit search: the fast path gives their own digits.
  if (Number.isSafeInteger(value) && Math.abs(value) < 1e7) return `${value}.0`
  scratch.setFloat64(0, value)
  const bits = scratch.getBigUint64(0)
  const negative = (bits >> 63n) !== 0n
  let binExp = Number((bits >> 52n) & 0x7ffn)
  let fractBits = bits & 0xfffffffffffffn
  let nSignificantBits: number
  if (binExp === 0) {
    // Subnormal: normalize so the leading 1 sits at bit 52, and remember how few bits are really significant.
    const bitLength = fractBits.toString(2).length
    const shift = 53 - bitLength
    fractBits <<= BigInt(shift)
    binExp = 1 - shift
    nSignificantBits = bitLength
  } else {
    fractBits |= 1n << 52n
    nSignificantBits = 53
  }
  return layout(negative, dtoa(binExp - 1023, fractBits, nSignificantBits))
}

/** Java's Float.toString(f), JDK 17 digits. `value` is first rounded to the nearest float32. */
export function javaFloatToString (value: number): string {
  const f = Math.fround(value)
  if (Number.isNaN(f)) return 'NaN'
  if (f === Infinity) return 'Infinity'
  if (f === -Infinity) return '-Infinity'
  if (f === 0) return Object.is(f, -0) ? '-0.0' : '0.0'
  if (Number.isSafeInteger(f) && Math.abs(f) < 1e7) return `${f}.0`
  scratch.setFloat32(0, f)
  const bits = scratch.getUint32(0)
  const negative = bits >>> 31 !== 0
  let binExp = (bits >>> 23) & 0xff
  let fract = bits & 0x7fffff
  let nSignificantBits: number
  if (binExp === 0) {
    const bitLength = 32 - Math.clz32(fract)
    const shift = 24 - bitLength
    fract <<= shift
    binExp = 1 - shift
    nSignificantBits = bitLength
  } else {
    fract |= 1 << 23
    nSignificantBits = 24
  }
  // The JDK runs floats through the double digit generator with the significand moved to the double layout.
  return layout(negative, dtoa(binExp - 127, BigInt(fract) << 29n, nSignificantBits))
}
