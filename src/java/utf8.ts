/**
 * UTF-8 decoding with Java's replacement rules (what `new String(bytes, UTF_8)` and an InputStreamReader produce),
 * so text read from malformed bytes is the same as Apache's.
 *
 * Node's decoder follows the WHATWG rules, which agree with Java's on every malformed sequence but those that start
 * like a UTF-16 surrogate encoded in UTF-8 (ED A0..BF, as CESU-8 and "modified UTF-8" write them). Java takes
 * ED A0..BF 80..BF as one malformed sequence, and ED A0..BF followed by anything else (or nothing) as one too: one
 * U+FFFD each, where WHATWG gives three or two. Checked against Java 17 on every 1- and 2-byte sequence and on
 * 3- and 4-byte ones over the interesting bytes (test/converters/values/golden.test.ts).
 */
const REPLACEMENT = [0xef, 0xbf, 0xbd]
const TRUNCATED = [0xe1, 0x80]

function surrogateLength (b: Uint8Array, i: number): number {
  const second = b[i + 1]
  if (second === undefined || second < 0xa0 || second > 0xbf) return 0
  const third = b[i + 2]
  return third !== undefined && third >= 0x80 && third <= 0xbf ? 3 : 2
}

export function decodeUtf8Java (buf: Buffer, start = 0, end = buf.length): string {
  // A view, so every search stops at `end` (the caller's buffer may hold much more).
  const view = start === 0 && end === buf.length ? buf : buf.subarray(start, end)
  // The fast path: without an ED byte (one native search) Node's result is Java's.
  let i = view.indexOf(0xed)
  if (i === -1) return view.toString('utf8')
  // Every sequence where the rules differ gives a U+FFFD in Node's result: without one (Hangul text, whose characters
  // mostly start with ED, say) it is Java's too, found by one native search instead of a check per ED byte.
  const text = view.toString('utf8')
  if (text.indexOf('\ufffd') === -1) return text
  // Rewrite each such sequence to bytes Node decodes as one U+FFFD: EF BF BD for three bytes, and for two E1 80, a
  // truncated three-byte prefix, which WHATWG replaces by one U+FFFD before it reads the next byte afresh.
  let copy: Buffer | null = null
  for (; i !== -1; i = view.indexOf(0xed, i + 1)) {
    const n = surrogateLength(view, i)
    if (n === 0) continue
    copy ??= Buffer.from(view)
    if (n === 3) copy.set(REPLACEMENT, i)
    else copy.set(TRUNCATED, i)
  }
  return copy === null ? text : copy.toString('utf8')
}
