/** Pattern's flag bits, and the letters that set them inline (`(?i)`, `(?-x)`...). */

export const CASE_INSENSITIVE = 0x02
export const MULTILINE = 0x08
export const DOTALL = 0x20
export const UNIX_LINES = 0x01
export const UNICODE_CASE = 0x40
export const COMMENTS = 0x04
export const CANON_EQ = 0x80
export const UNICODE_CHARACTER_CLASS = 0x100

export const FLAG_LETTERS: Record<string, number> = {
  i: CASE_INSENSITIVE, m: MULTILINE, s: DOTALL, d: UNIX_LINES, u: UNICODE_CASE, c: CANON_EQ, x: COMMENTS,
  U: UNICODE_CHARACTER_CLASS | UNICODE_CASE
}
