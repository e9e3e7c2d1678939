/**
 * Java's rules for characters where they differ from JavaScript's and decide what Kafka reads: String.trim() and
 * Character.digit(c, 10). Kafka trims config values and header texts with the first and reads numbers with the second.
 */

/**
 * Java's String.trim(): strips every char up to U+0020 (control characters included) and nothing else, where
 * JavaScript's trim() strips Unicode spaces (U+00A0, U+2028, U+FEFF...) that Java keeps.
 */
export function javaTrim (s: string): string {
  let start = 0
  let end = s.length
  while (start < end && s.charCodeAt(start) <= 0x20) start++
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--
  return start === 0 && end === s.length ? s : s.slice(start, end)
}

const ND = /\p{Nd}/u

/** Java's Character.digit(c, 10) for one UTF-16 unit: ASCII and every other decimal digit block, else -1. */
export function javaDigit (code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  if (code < 0x80 || (code >= 0xd800 && code <= 0xdfff) || !ND.test(String.fromCharCode(code))) return -1
  // Decimal digits come in runs of ten starting at zero; find where this run starts.
  let zero = code
  while (ND.test(String.fromCharCode(zero - 1))) zero--
  return (code - zero) % 10
}
