/**
 * Base64 as Jackson reads it for a BYTES field or a Decimal: stricter and looser than Buffer.from(s, 'base64') in
 * different places, and a record Apache rejects must be rejected here too.
 */

export const BASE64_VALUES = new Int8Array(128).fill(-1)
for (let i = 0; i < 64; i++) BASE64_VALUES['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i
export const BASE64_PADDING = -2
BASE64_VALUES[0x3d] = BASE64_PADDING

/**
 * Jackson's default base64 reader (MIME-NO-LINEFEEDS): the text is trimmed, whitespace may precede each 4-character
 * group but nothing may split one, padding is required, and a padded group may be followed by more groups.
 */
export function decodeBase64 (input: string): Buffer {
  const s = input.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
  const out: number[] = []
  const value = (i: number): number => {
    const c = s.charCodeAt(i)
    return c < 128 ? BASE64_VALUES[c]! : -1
  }
  const invalid = (): never => { throw new Error('broken base64') }
  let i = 0
  for (;;) {
    while (i < s.length && s.charCodeAt(i) <= 0x20) i++
    if (i >= s.length) break
    const a = value(i++)
    if (a < 0 || i >= s.length) invalid()
    const b = value(i++)
    if (b < 0 || i >= s.length) invalid()
    let bits = (a << 6) | b
    const c = value(i++)
    if (c < 0) {
      if (c !== BASE64_PADDING || i >= s.length || value(i++) !== BASE64_PADDING) invalid()
      out.push(bits >> 4)
      continue
    }
    bits = (bits << 6) | c
    if (i >= s.length) invalid()
    const d = value(i++)
    if (d < 0) {
      if (d !== BASE64_PADDING) invalid()
      bits >>= 2
      out.push(bits >> 8, bits & 0xff)
      continue
    }
    bits = (bits << 6) | d
    out.push(bits >> 16, (bits >> 8) & 0xff, bits & 0xff)
  }
  return Buffer.from(out)
}
