/**
 * JSON text as Jackson's UTF-8 generator writes it, which Apache's JsonConverter output goes through: the converter's
 * bytes must match Apache's exactly, escaping included.
 */

const PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/

/** A JSON string exactly as Jackson's UTF-8 generator writes it. */
export function jsonString (s: string): string {
  if (PLAIN_STRING.test(s)) return `"${s}"`
  let out = '"'
  let start = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    let escaped: string
    if (c === 0x22) escaped = '\\"'
    else if (c === 0x5c) escaped = '\\\\'
    else if (c === 0x08) escaped = '\\b'
    else if (c === 0x09) escaped = '\\t'
    else if (c === 0x0a) escaped = '\\n'
    else if (c === 0x0c) escaped = '\\f'
    else if (c === 0x0d) escaped = '\\r'
    // Other control characters, and every surrogate: Jackson escapes supplementary characters as two \uXXXX.
    else if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) escaped = '\\u' + c.toString(16).toUpperCase().padStart(4, '0')
    else continue
    out += s.slice(start, i) + escaped
    start = i + 1
  }
  return out + s.slice(start) + '"'
}
