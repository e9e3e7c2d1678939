/**
 * PostgreSQL's array text output (array_out) read back into nested lists: `{1,2,NULL}`, `{"a b","x\"y",NULL}`,
 * `{{1,2},{3,4}}`, with an optional dimension decoration (`[0:1]={7,8}`) when a lower bound is not 1. Elements stay
 * text (null for an unquoted NULL); the element type's own mapping parses them.
 */
import { DataError } from '../../src/api/index.ts'

export type PgArrayElement = string | null | PgArrayElement[]

/**
 * Parses array_out's text. `delimiter` is the element type's typdelim: ',' for every built-in type but box (';').
 * Throws DataError on text array_out cannot produce.
 */
export function parseArrayText (text: string, delimiter = ','): PgArrayElement[] {
  let pos = 0
  // array_out writes "[lo:hi]..." before '=' only when some lower bound is not 1; the bounds do not change the values.
  if (text.startsWith('[')) {
    const eq = text.indexOf('=')
    if (eq < 0) throw new DataError(`Not a PostgreSQL array literal: ${text}`)
    pos = eq + 1
  }
  const fail = (what: string): never => { throw new DataError(`Not a PostgreSQL array literal (${what} at ${pos}): ${text}`) }

  const parseList = (): PgArrayElement[] => {
    if (text[pos] !== '{') fail("expected '{'")
    pos++
    const items: PgArrayElement[] = []
    if (text[pos] === '}') { pos++; return items }
    for (;;) {
      const c = text[pos]
      if (c === '{') {
        items.push(parseList())
      } else if (c === '"') {
        pos++
        let value = ''
        for (;;) {
          const ch = text[pos]
          if (ch === undefined) fail('unterminated quoted element')
          if (ch === '\\') { value += text[pos + 1] ?? fail('dangling backslash'); pos += 2; continue }
          if (ch === '"') { pos++; break }
          value += ch
          pos++
        }
        items.push(value)
      } else {
        const start = pos
        while (pos < text.length && text[pos] !== delimiter && text[pos] !== '}') pos++
        if (pos >= text.length) fail('unterminated array')
        const raw = text.slice(start, pos)
        // array_out quotes an element that is empty, is the word NULL, or holds a special character, so an unquoted
        // NULL is always the null element.
        items.push(raw.toUpperCase() === 'NULL' ? null : raw)
      }
      const next = text[pos]
      if (next === delimiter) { pos++; continue }
      if (next === '}') { pos++; return items }
      fail(`expected '${delimiter}' or '}'`)
    }
  }

  const result = parseList()
  if (pos !== text.length) fail('trailing text')
  return result
}
