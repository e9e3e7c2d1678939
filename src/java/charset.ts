/**
 * The Java character sets StringConverter's `converter.encoding` names, with Java's names and aliases (looked up
 * case-insensitively, as Charset.forName does) and Java's replacement rules, which String.getBytes and
 * new String(bytes, charset) apply:
 *
 * - encoding: a character the charset cannot represent becomes `?` in the single-byte charsets and in UTF-8 (a lone
 *   surrogate too; a surrogate pair is one character, so one `?`), and U+FFFD in UTF-16 and UTF-32. An empty string
 *   is empty bytes, with no byte-order mark.
 * - decoding: malformed input becomes U+FFFD. UTF-16 and UTF-32 without an order suffix read a byte-order mark
 *   either way (big endian without one) and drop it; UTF-32BE/LE drop a mark of their own order only.
 *
 * Tables and aliases are those of JDK 17 (checked by test/converters/string/golden.test.ts against Java's answers);
 * besides the Unicode charsets, ISO-8859-1/15, US-ASCII and windows-1252 written out here, the other ASCII-based
 * single-byte charsets (ISO-8859-x, windows-125x, KOI8, IBM PC and Mac code pages) come from charset-tables.ts.
 * Multi-byte East Asian charsets (Shift_JIS, GBK, Big5, EUC-*) and EBCDIC are refused at configure time.
 */
import { ConfigError } from '../api/errors.ts'
import { decodeUtf8Java } from './utf8.ts'
import { SINGLE_BYTE_TABLES } from './charset-tables.ts'

export interface JavaCharset {
  /** Java's canonical name (Charset.name()). */
  readonly name: string
  encode (text: string): Buffer
  decode (bytes: Buffer): string
}

// ES2024's well-formed string methods (Node 20 has them; the project's lib setting predates them).
interface WellFormed { isWellFormed (): boolean, toWellFormed (): string }
const isWellFormed = (s: string): boolean => (s as unknown as WellFormed).isWellFormed()
const toWellFormed = (s: string): string => (s as unknown as WellFormed).toWellFormed()

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
const QUESTION_MARK = 0x3f
const REPLACEMENT = 0xfffd

// ------------------------------------------------------------------------------------------------ UTF-8

const UTF_8: JavaCharset = {
  name: 'UTF-8',
  // Node writes a lone surrogate as U+FFFD's three bytes; Java's encoder writes '?'.
  encode: text => Buffer.from(isWellFormed(text) ? text : text.replace(LONE_SURROGATE, '?'), 'utf8'),
  decode: bytes => decodeUtf8Java(bytes)
}

// ------------------------------------------------------------------------------------------------ UTF-16

function fromCodeUnits (units: Uint16Array, length: number): string {
  let out = ''
  for (let i = 0; i < length; i += 8192) out += String.fromCharCode(...units.subarray(i, Math.min(length, i + 8192)))
  return out
}

type ByteOrder = 'BE' | 'LE'

/**
 * UTF-16 decoding as Java's: a byte-order mark is read only where `detect` says so; a high surrogate not followed by
 * a low one is malformed together with the unit after it (one U+FFFD for both); a lone low surrogate is one U+FFFD;
 * bytes left over at the end (an odd byte, or a high surrogate cut short) are one U+FFFD.
 */
function decodeUtf16 (bytes: Buffer, order: ByteOrder, detect: boolean): string {
  let i = 0
  if (detect && bytes.length >= 2) {
    if (bytes[0] === 0xfe && bytes[1] === 0xff) { order = 'BE'; i = 2 } else if (bytes[0] === 0xff && bytes[1] === 0xfe) { order = 'LE'; i = 2 }
  }
  const be = order === 'BE'
  const unit = (at: number): number => be ? (bytes[at]! << 8) | bytes[at + 1]! : (bytes[at + 1]! << 8) | bytes[at]!
  const out = new Uint16Array(((bytes.length - i) >> 1) + 1)
  let n = 0
  while (i < bytes.length) {
    const remaining = bytes.length - i
    if (remaining < 2) { out[n++] = REPLACEMENT; break }
    const c = unit(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      if (remaining < 4) { out[n++] = REPLACEMENT; break }
      const c2 = unit(i + 2)
      if (c2 >= 0xdc00 && c2 <= 0xdfff) { out[n++] = c; out[n++] = c2 } else out[n++] = REPLACEMENT
      i += 4
    } else {
      out[n++] = c >= 0xdc00 && c <= 0xdfff ? REPLACEMENT : c
      i += 2
    }
  }
  return fromCodeUnits(out, n)
}

function encodeUtf16 (text: string, order: ByteOrder, bom: boolean): Buffer {
  if (text.length === 0) return Buffer.alloc(0)
  const body = Buffer.from(isWellFormed(text) ? text : toWellFormed(text), 'utf16le')
  if (order === 'BE') body.swap16()
  if (!bom) return body
  return Buffer.concat([Buffer.from(order === 'BE' ? [0xfe, 0xff] : [0xff, 0xfe]), body])
}

const utf16 = (name: string, order: ByteOrder, { bom, detect }: { bom: boolean, detect: boolean }): JavaCharset => ({
  name,
  encode: text => encodeUtf16(text, order, bom),
  decode: bytes => decodeUtf16(bytes, order, detect)
})

// ------------------------------------------------------------------------------------------------ UTF-32

/**
 * UTF-32 decoding as Java's: `detectBoth` reads a mark of either order (UTF-32), otherwise only a mark of the
 * charset's own order is dropped; a value above U+10FFFF is one U+FFFD per four bytes (surrogate code points pass
 * through as they are, as in Java); one to three bytes left over at the end are one U+FFFD.
 */
function decodeUtf32 (bytes: Buffer, order: ByteOrder, detectBoth: boolean): string {
  let i = 0
  if (bytes.length >= 4) {
    const first = bytes.readUInt32BE(0)
    if (first === 0x0000feff && (detectBoth || order === 'BE')) { order = 'BE'; i = 4 } else if (first === 0xfffe0000 && (detectBoth || order === 'LE')) { order = 'LE'; i = 4 }
  }
  const out = new Uint16Array(((bytes.length - i) >> 1) + 1)
  let n = 0
  for (; i < bytes.length; i += 4) {
    if (bytes.length - i < 4) { out[n++] = REPLACEMENT; break }
    const cp = order === 'BE' ? bytes.readUInt32BE(i) : bytes.readUInt32LE(i)
    if (cp > 0x10ffff) out[n++] = REPLACEMENT
    else if (cp < 0x10000) out[n++] = cp
    else { out[n++] = 0xd800 + ((cp - 0x10000) >> 10); out[n++] = 0xdc00 + ((cp - 0x10000) & 0x3ff) }
  }
  return fromCodeUnits(out, n)
}

function encodeUtf32 (text: string, order: ByteOrder, bom: boolean): Buffer {
  if (text.length === 0) return Buffer.alloc(0)
  const codePoints = [...toWellFormed(text)]
  const out = Buffer.alloc((codePoints.length + (bom ? 1 : 0)) * 4)
  let at = 0
  const put = (cp: number): void => { if (order === 'BE') out.writeUInt32BE(cp, at); else out.writeUInt32LE(cp, at); at += 4 }
  if (bom) put(0xfeff)
  for (const ch of codePoints) put(ch.codePointAt(0)!)
  return out
}

const utf32 = (name: string, order: ByteOrder, { bom, detectBoth }: { bom: boolean, detectBoth: boolean }): JavaCharset => ({
  name,
  encode: text => encodeUtf32(text, order, bom),
  decode: bytes => decodeUtf32(bytes, order, detectBoth)
})

// ------------------------------------------------------------------------------------------------ single-byte

/**
 * A single-byte charset from the code points of bytes 0x80..0xFF (-1: the byte maps to nothing; bytes below 0x80
 * are ASCII in every charset here); 'latin1' maps each byte to the same code point, 'none' (US-ASCII) maps the high
 * half to nothing.
 */
function singleByte (name: string, high: readonly number[] | 'latin1' | 'none'): JavaCharset {
  const decodeTable = new Uint16Array(256)
  for (let b = 0; b < 256; b++) {
    const cp = b < 0x80 ? b : high === 'latin1' ? b : high === 'none' ? -1 : high[b - 0x80]!
    decodeTable[b] = cp < 0 ? REPLACEMENT : cp
  }
  const encodeTable = new Map<number, number>()
  for (let b = 255; b >= 0; b--) if (decodeTable[b] !== REPLACEMENT) encodeTable.set(decodeTable[b]!, b)
  const plain = high === 'none' ? /^[\x00-\x7f]*$/ : high === 'latin1' ? /^[\x00-\xff]*$/ : null
  return {
    name,
    encode: text => {
      if (plain !== null && plain.test(text)) return Buffer.from(text, 'latin1')
      const out = Buffer.alloc(text.length)
      let n = 0
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i)
        // A surrogate pair is one unmappable character: one '?'.
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
          const c2 = text.charCodeAt(i + 1)
          if (c2 >= 0xdc00 && c2 <= 0xdfff) i++
          out[n++] = QUESTION_MARK
          continue
        }
        out[n++] = c < 0x80 ? c : encodeTable.get(c) ?? QUESTION_MARK
      }
      return out.subarray(0, n)
    },
    decode: bytes => {
      if (high === 'latin1') return bytes.toString('latin1')
      const out = new Uint16Array(bytes.length)
      for (let i = 0; i < bytes.length; i++) out[i] = decodeTable[bytes[i]!]!
      return fromCodeUnits(out, bytes.length)
    }
  }
}

// windows-1252's 0x80..0x9F (the rest of its high half is Latin-1); five bytes map to nothing in Java.
const CP1252_C1 = [0x20ac, -1, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, -1, 0x017d, -1,
  -1, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, -1, 0x017e, 0x0178]
const latin1High = (): number[] => Array.from({ length: 128 }, (_, i) => 0x80 + i)
const CP1252_HIGH = [...CP1252_C1, ...latin1High().slice(32)]
// ISO-8859-15 is Latin-1 with eight positions changed (the euro sign among them).
const LATIN9_HIGH = latin1High()
for (const [byte, cp] of [[0xa4, 0x20ac], [0xa6, 0x0160], [0xa8, 0x0161], [0xb4, 0x017d], [0xb8, 0x017e], [0xbc, 0x0152], [0xbd, 0x0153], [0xbe, 0x0178]] as const) {
  LATIN9_HIGH[byte - 0x80] = cp
}

// ------------------------------------------------------------------------------------------------ names

const CHARSETS: ReadonlyArray<[JavaCharset, readonly string[]]> = [
  [UTF_8, ['UTF8', 'unicode-1-1-utf-8']],
  [utf16('UTF-16', 'BE', { bom: true, detect: true }), ['UTF_16', 'UnicodeBig', 'unicode', 'utf16']],
  [utf16('UTF-16BE', 'BE', { bom: false, detect: false }), ['ISO-10646-UCS-2', 'UTF_16BE', 'UnicodeBigUnmarked', 'X-UTF-16BE']],
  [utf16('UTF-16LE', 'LE', { bom: false, detect: false }), ['UTF_16LE', 'UnicodeLittleUnmarked', 'X-UTF-16LE']],
  [utf16('x-UTF-16LE-BOM', 'LE', { bom: true, detect: true }), ['UnicodeLittle']],
  [utf32('UTF-32', 'BE', { bom: false, detectBoth: true }), ['UTF32', 'UTF_32']],
  [utf32('UTF-32BE', 'BE', { bom: false, detectBoth: false }), ['UTF_32BE', 'X-UTF-32BE']],
  [utf32('UTF-32LE', 'LE', { bom: false, detectBoth: false }), ['UTF_32LE', 'X-UTF-32LE']],
  [utf32('X-UTF-32BE-BOM', 'BE', { bom: true, detectBoth: false }), ['UTF-32BE-BOM', 'UTF_32BE_BOM']],
  [utf32('X-UTF-32LE-BOM', 'LE', { bom: true, detectBoth: false }), ['UTF-32LE-BOM', 'UTF_32LE_BOM']],
  [singleByte('ISO-8859-1', 'latin1'), ['819', '8859_1', 'IBM-819', 'IBM819', 'ISO8859-1', 'ISO8859_1', 'ISO_8859-1', 'ISO_8859-1:1987', 'ISO_8859_1', 'cp819', 'csISOLatin1', 'iso-ir-100', 'l1', 'latin1']],
  [singleByte('US-ASCII', 'none'), ['646', 'ANSI_X3.4-1968', 'ANSI_X3.4-1986', 'ASCII', 'IBM367', 'ISO646-US', 'ISO_646.irv:1991', 'ascii7', 'cp367', 'csASCII', 'default', 'iso-ir-6', 'iso_646.irv:1983', 'us']],
  [singleByte('windows-1252', CP1252_HIGH), ['cp1252', 'cp5348', 'ibm-1252', 'ibm1252']],
  [singleByte('ISO-8859-15', LATIN9_HIGH), ['8859_15', '923', 'IBM-923', 'IBM923', 'ISO-8859-15', 'ISO8859-15', 'ISO8859_15', 'ISO8859_15_FDIS', 'ISO_8859-15', 'L9', 'LATIN0', 'LATIN9', 'Latin-9', 'cp923', 'csISO885915', 'csISOlatin0', 'csISOlatin9']]
]

// The other ASCII-based single-byte charsets, from JDK 17's tables (charset-tables.ts).
const TABLE_CHARSETS: ReadonlyArray<[JavaCharset, readonly string[]]> = SINGLE_BYTE_TABLES.map(t =>
  [singleByte(t.name, [...t.high].map(ch => ch === '\ufffd' ? -1 : ch.charCodeAt(0))), t.aliases])

const BY_NAME = new Map<string, JavaCharset>()
for (const [charset, aliases] of [...CHARSETS, ...TABLE_CHARSETS]) {
  for (const name of [charset.name, ...aliases]) BY_NAME.set(name.toLowerCase(), charset)
}

/** The charsets this module carries, by canonical name (for messages). */
export const SUPPORTED_CHARSETS: readonly string[] = [...CHARSETS, ...TABLE_CHARSETS].map(([c]) => c.name)

/** Java's rule for a legal charset name: letters, digits and - + . : _, starting with a letter or digit. */
const LEGAL_NAME = /^[A-Za-z0-9][A-Za-z0-9\-+.:_]*$/

/**
 * Charset.forName, failing as Kafka's StringSerializer/StringDeserializer do at configure time
 * ("Unsupported encoding <name>"). A name Java may know but this module does not (Shift_JIS, GBK, IBM037, ...) fails the
 * same way, with the cause saying which charsets are supported here.
 */
export function javaCharset (name: string): JavaCharset {
  const charset = BY_NAME.get(name.toLowerCase())
  if (charset !== undefined) return charset
  const cause = LEGAL_NAME.test(name)
    ? new Error(`${name} is not a character set this worker carries (it has Java's UTF-8/16/32 charsets and its ASCII-based single-byte ones: ` +
      'ISO-8859-x, windows-125x, US-ASCII, KOI8, IBM PC and Mac code pages, by their Java names and aliases)')
    : new Error(`${name} (not a legal character set name)`)
  throw new ConfigError(`Unsupported encoding ${name}`, { cause })
}
