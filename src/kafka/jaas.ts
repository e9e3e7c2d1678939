/**
 * Parses `sasl.jaas.config` values as the Java client does: `<LoginModuleClass> <flag> (<option>=<value>)* ;`.
 * Tokens follow java.io.StreamTokenizer as Kafka's JaasConfig sets it up: bytes 0–32 are whitespace; `;` and `=`
 * stand alone; `"` and `'` quote (with C-like backslash escapes, ending at the closing quote or the end of the line);
 * `/` starts a comment (`//` and a lone `/` to the end of the line, `/* … *\/` a block), so an unquoted value cannot
 * contain a slash; every other character belongs to a word.
 *
 * Error messages name option keys, never their values: the values are credentials.
 */

export interface JaasEntry {
  loginModule: string
  controlFlag: 'REQUIRED' | 'REQUISITE' | 'SUFFICIENT' | 'OPTIONAL'
  options: Map<string, string>
}

export class JaasParseError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'JaasParseError'
  }
}

const EOF = -1
const WORD = -3

interface Token { type: number, sval: string | null }

function isWhitespace (c: number): boolean { return c >= 0 && c <= 32 }
function isWordChar (c: number): boolean {
  if (c >= 256) return true
  return (c > 32 && c <= 128 && c !== 0x3b && c !== 0x3d && c !== 0x22 && c !== 0x27 && c !== 0x2f) || (c >= 160 && c <= 255)
}

class Tokenizer {
  readonly #text: string
  #pos = 0
  type = EOF
  sval: string | null = null

  constructor (text: string) { this.#text = text }

  #read (): number { return this.#pos < this.#text.length ? this.#text.charCodeAt(this.#pos++) : EOF }
  #unread (): void { this.#pos-- }

  next (): number {
    const t = this.#token()
    this.type = t.type
    this.sval = t.sval
    return t.type
  }

  #token (): Token {
    for (;;) {
      let c = this.#read()
      while (isWhitespace(c)) c = this.#read()
      if (c === EOF) return { type: EOF, sval: null }
      if (isWordChar(c)) {
        let word = ''
        while (c !== EOF && isWordChar(c)) { word += String.fromCharCode(c); c = this.#read() }
        if (c !== EOF) this.#unread()
        return { type: WORD, sval: word }
      }
      if (c === 0x22 || c === 0x27) return this.#quoted(c)
      if (c === 0x2f) {
        const d = this.#read()
        if (d === 0x2a) { // /* … */
          let prev = 0
          for (let e = this.#read(); ; e = this.#read()) {
            if (e === EOF) return { type: EOF, sval: null }
            if (prev === 0x2a && e === 0x2f) break
            prev = e
          }
          continue
        }
        // `//` and a lone `/` (the comment character) both run to the end of the line, counted from the character
        // after the one that follows the slash (so `/` right before a line end also swallows the next line, as in Java).
        if (d !== EOF) {
          let e = this.#read()
          while (e !== EOF && e !== 0x0a && e !== 0x0d) e = this.#read()
        }
        continue
      }
      // `;`, `=` and characters 129–159 stand alone.
      return { type: c, sval: null }
    }
  }

  #quoted (quote: number): Token {
    let out = ''
    let d = this.#read()
    while (d !== EOF && d !== quote && d !== 0x0a && d !== 0x0d) {
      let c: number
      if (d === 0x5c) { // backslash
        c = this.#read()
        const first = c
        if (c >= 0x30 && c <= 0x37) { // octal, up to \377
          c -= 0x30
          let c2 = this.#read()
          if (c2 >= 0x30 && c2 <= 0x37) {
            c = (c << 3) + (c2 - 0x30)
            c2 = this.#read()
            if (c2 >= 0x30 && c2 <= 0x37 && first <= 0x33) {
              c = (c << 3) + (c2 - 0x30)
              d = this.#read()
            } else d = c2
          } else d = c2
        } else {
          const escapes: Record<number, number> = { 0x61: 7, 0x62: 8, 0x66: 0xc, 0x6e: 0xa, 0x72: 0xd, 0x74: 9, 0x76: 0xb }
          if (c === EOF) break
          c = escapes[c] ?? c
          d = this.#read()
        }
      } else {
        c = d
        d = this.#read()
      }
      out += String.fromCharCode(c)
    }
    // A line end (not the quote) ends the string and is read again as whitespace.
    if (d !== quote && d !== EOF) this.#unread()
    return { type: quote, sval: out }
  }
}

const FLAGS = new Set(['REQUIRED', 'REQUISITE', 'SUFFICIENT', 'OPTIONAL'])

export function parseJaasConfig (text: string): JaasEntry[] {
  const t = new Tokenizer(text)
  const entries: JaasEntry[] = []
  while (t.next() !== EOF) {
    const loginModule = t.sval
    if (t.next() === EOF) throw new JaasParseError('Login module control flag not specified in JAAS config')
    if (t.sval === null) throw new JaasParseError('Login module control flag is not available in the JAAS config')
    const flag = t.sval.toUpperCase()
    if (!FLAGS.has(flag)) throw new JaasParseError(`Invalid login module control flag '${t.sval}' in JAAS config`)
    const options = new Map<string, string>()
    while (t.next() !== EOF && t.type !== 0x3b) {
      const key = t.sval
      if (t.next() !== 0x3d || t.next() === EOF || t.sval === null) {
        throw new JaasParseError(`Value not specified for key '${key ?? ''}' in JAAS config`)
      }
      options.set(key ?? '', t.sval)
    }
    if (t.type !== 0x3b) throw new JaasParseError('JAAS config entry not terminated by semi-colon')
    if (!loginModule) throw new JaasParseError('Login module name not specified in JAAS config')
    entries.push({ loginModule, controlFlag: flag as JaasEntry['controlFlag'], options })
  }
  if (entries.length === 0) throw new JaasParseError('Login module not specified in JAAS config')
  return entries
}
