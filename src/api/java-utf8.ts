/**
 * UTF-8 decoding with Java's replacement rules (what `new String(bytes, UTF_8)` and an InputStreamReader produce),
 * so text read from malformed bytes is the same as Apache's.
 *
 * Node's decoder follows the WHATWG rules, which agree with Java's on every malformed sequence but one: a UTF-16
 * surrogate encoded in three bytes (ED A0..BF 80..BF, as CESU-8 and "modified UTF-8" write them). Java replaces the
 * three bytes with one U+FFFD; WHATWG with three. We rewrite those sequences to U+FFFD's own bytes first.
 */
const REPLACEMENT = [0xef, 0xbf, 0xbd]

function isEncodedSurrogate (b: Uint8Array, i: number): boolean {
  return i + 2 < b.length && b[i + 1]! >= 0xa0 && b[i + 1]! <= 0xbf && b[i + 2]! >= 0x80 && b[i + 2]! <= 0xbf
}

export function decodeUtf8Java (buf: Buffer, start = 0, end = buf.length): string {
  // A view, so every search stops at `end` (the caller's buffer may hold much more).
  const view = start === 0 && end === buf.length ? buf : buf.subarray(start, end)
  let i = view.indexOf(0xed)
  while (i !== -1 && !isEncodedSurrogate(view, i)) i = view.indexOf(0xed, i + 1)
  if (i === -1) return view.toString('utf8')
  const copy = Buffer.from(view)
  for (; i !== -1; i = copy.indexOf(0xed, i + 1)) if (isEncodedSurrogate(copy, i)) copy.set(REPLACEMENT, i)
  return copy.toString('utf8')
}
