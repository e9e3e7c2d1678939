/**
 * JAAS configuration, in its two forms, read by one tokenizer:
 *
 * - `sasl.jaas.config` values, as Kafka's JaasConfig reads them: `<LoginModuleClass> <flag> (<option>=<value>)* ;`
 *   repeated (parseJaasConfig);
 * - login configuration files (the file `-Djava.security.auth.login.config` names), in the syntax of the JDK's
 *   default Configuration: `EntryName { <LoginModuleClass> <flag> (<option>=<value>)* ; ... };` (parseJaasFile).
 *
 * Both forms are java.io.StreamTokenizer texts, set up differently by their Java readers; SYNTAX holds each set-up
 * (which characters stand alone, which quote, what a comment is, how quoted text escapes and ends). Tokens carry
 * their line, which file errors name. Error messages name option keys, never their values: the values are
 * credentials.
 */
import { readFile } from 'node:fs/promises'
import { ConfigError } from '../api/errors.ts'

// ---- The tokenizer

type TokenKind = 'word' | 'quoted' | 'punct'
interface Token { kind: TokenKind, text: string, line: number }

interface Syntax {
  /** Characters that are tokens by themselves. */
  punct: (c: number) => boolean
  quote: (c: number) => boolean
  /** Whether a comment starts at text[i] ('/' is a comment character for Kafka; only `//` and `/*` for files). */
  commentAt: (text: string, i: number) => boolean
  /** Characters that end a `//` (or lone `/`) comment, which stay to be read as whitespace. */
  commentEnds: (c: number) => boolean
  /** A `/*` comment without its end: `null` ends the text silently, else the message (after "<file>:<line>: "). */
  unterminatedComment: string | null
  /** Reads a quoted text from the scanner positioned on its opening quote. */
  quoted: (s: Scanner, where: string) => string
}

const EOF = -1

class Scanner {
  readonly text: string
  pos = 0
  line = 1
  constructor (text: string) { this.text = text }
  read (): number {
    if (this.pos >= this.text.length) return EOF
    const c = this.text.charCodeAt(this.pos++)
    if (c === 0x0a) this.line++
    return c
  }

  unread (): void {
    this.pos--
    if (this.text.charCodeAt(this.pos) === 0x0a) this.line--
  }
}

const SEMICOLON = 0x3b
const EQUALS = 0x3d
const SLASH = 0x2f
const STAR = 0x2a
const C_ESCAPES: Record<number, number> = { 0x61: 7, 0x62: 8, 0x66: 0xc, 0x6e: 0xa, 0x72: 0xd, 0x74: 9, 0x76: 0xb }

/**
 * Kafka's JaasConfig: bytes 0–32 are whitespace; `;`, `=` and characters 129–159 stand alone; `"` and `'` quote (with
 * C-like backslash escapes, ending at the closing quote or the end of the line); `/` starts a comment (`//` and a lone
 * `/` to the end of the line, `/* … *\/` a block, an unterminated block ending the text), so an unquoted value cannot
 * contain a slash; every other character belongs to a word.
 */
const KAFKA: Syntax = {
  punct: c => c === SEMICOLON || c === EQUALS || (c >= 129 && c <= 159),
  quote: c => c === 0x22 || c === 0x27,
  commentAt: (text, i) => text.charCodeAt(i) === SLASH,
  commentEnds: c => c === 0x0a || c === 0x0d,
  unterminatedComment: null,
  quoted (s) {
    const quote = s.read()
    let out = ''
    let d = s.read()
    while (d !== EOF && d !== quote && d !== 0x0a && d !== 0x0d) {
      let c: number
      if (d === 0x5c) { // backslash
        c = s.read()
        const first = c
        if (c >= 0x30 && c <= 0x37) { // octal, up to \377
          c -= 0x30
          let c2 = s.read()
          if (c2 >= 0x30 && c2 <= 0x37) {
            c = (c << 3) + (c2 - 0x30)
            c2 = s.read()
            if (c2 >= 0x30 && c2 <= 0x37 && first <= 0x33) {
              c = (c << 3) + (c2 - 0x30)
              d = s.read()
            } else d = c2
          } else d = c2
        } else {
          if (c === EOF) break
          c = C_ESCAPES[c] ?? c
          d = s.read()
        }
      } else {
        c = d
        d = s.read()
      }
      out += String.fromCharCode(c)
    }
    // A line end (not the quote) ends the string and is read again as whitespace (and a backslash that ends the text
    // is read again as a word, as StreamTokenizer's peeked character is).
    if (d !== quote && d !== EOF) s.unread()
    return out
  }
}

/**
 * Login configuration files: `{`, `}`, `;` and `=` stand alone; `"` quotes (a backslash takes the next character as
 * it is; the text may span lines and must be closed); `//` and `/* … *\/` are comments (a block must be closed); every
 * other character, a lone `/` and `'` included, belongs to a word.
 */
const FILE: Syntax = {
  punct: c => c === 0x7b || c === 0x7d || c === SEMICOLON || c === EQUALS,
  quote: c => c === 0x22,
  commentAt: (text, i) => text.charCodeAt(i) === SLASH && (text.charCodeAt(i + 1) === SLASH || text.charCodeAt(i + 1) === STAR),
  commentEnds: c => c === 0x0a,
  unterminatedComment: 'unterminated /* comment',
  quoted (s, where) {
    const { text } = s
    const start = s.line
    let value = ''
    s.pos++
    for (;;) {
      if (s.pos >= text.length) throw new ConfigError(`${where}:${start}: unterminated quoted value`)
      const d = text[s.pos]!
      if (d === '"') { s.pos++; break }
      // The escaped character is taken as it is, and a line end escaped so is not counted.
      if (d === '\\' && s.pos + 1 < text.length) { value += text[s.pos + 1]; s.pos += 2; continue }
      if (d === '\n') s.line++
      value += d
      s.pos++
    }
    return value
  }
}

/** The tokens of `text`, read whole (so a file's tokenizer errors come before its grammar's, wherever they are). */
function tokenize (text: string, syntax: Syntax, where: string): Token[] {
  const tokens: Token[] = []
  const s = new Scanner(text)
  const isWord = (i: number): boolean => {
    const c = text.charCodeAt(i)
    return c > 0x20 && !syntax.punct(c) && !syntax.quote(c) && !syntax.commentAt(text, i)
  }
  while (s.pos < text.length) {
    const i = s.pos
    const c = text.charCodeAt(i)
    if (c <= 0x20) { s.read(); continue }
    const line = s.line
    if (syntax.commentAt(text, i)) {
      s.read()
      if (text.charCodeAt(i + 1) === STAR) {
        const end = text.indexOf('*/', i + 2)
        if (end < 0) {
          if (syntax.unterminatedComment === null) break
          throw new ConfigError(`${where}:${line}: ${syntax.unterminatedComment}`)
        }
        while (s.pos < end + 2) s.read()
      } else if (s.pos < text.length) {
        // `//`, or a lone `/`: the comment runs to the end of the line counted from the character after the one that
        // follows the slash (so a lone `/` right before a line end also takes the next line, as in Java).
        s.read()
        while (s.pos < text.length && !syntax.commentEnds(text.charCodeAt(s.pos))) s.read()
      }
      continue
    }
    if (syntax.punct(c)) { s.read(); tokens.push({ kind: 'punct', text: text[i]!, line }); continue }
    if (syntax.quote(c)) { tokens.push({ kind: 'quoted', text: syntax.quoted(s, where), line }); continue }
    while (s.pos < text.length && isWord(s.pos)) s.read()
    tokens.push({ kind: 'word', text: text.slice(i, s.pos), line })
  }
  return tokens
}

// ---- sasl.jaas.config

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

const WORD = -3
const QUOTED = -4

/** StreamTokenizer's interface over the tokens, which Kafka's JaasConfig reads: ttype and sval. */
class TokenStream {
  readonly #tokens: Token[]
  #next = 0
  type = EOF
  sval: string | null = null

  constructor (tokens: Token[]) { this.#tokens = tokens }

  next (): number {
    const t = this.#tokens[this.#next++]
    this.type = t === undefined ? EOF : t.kind === 'punct' ? t.text.charCodeAt(0) : t.kind === 'word' ? WORD : QUOTED
    this.sval = t === undefined || t.kind === 'punct' ? null : t.text
    return this.type
  }
}

const FLAGS = new Set(['REQUIRED', 'REQUISITE', 'SUFFICIENT', 'OPTIONAL'])

/** Parses a `sasl.jaas.config` value, with Kafka's checks and messages. */
export function parseJaasConfig (text: string): JaasEntry[] {
  const t = new TokenStream(tokenize(text, KAFKA, 'sasl.jaas.config'))
  const entries: JaasEntry[] = []
  while (t.next() !== EOF) {
    const loginModule = t.sval
    if (t.next() === EOF) throw new JaasParseError('Login module control flag not specified in JAAS config')
    if (t.sval === null) throw new JaasParseError('Login module control flag is not available in the JAAS config')
    const flag = t.sval.toUpperCase()
    if (!FLAGS.has(flag)) throw new JaasParseError(`Invalid login module control flag '${t.sval}' in JAAS config`)
    const options = new Map<string, string>()
    while (t.next() !== EOF && t.type !== SEMICOLON) {
      const key = t.sval
      if (t.next() !== EQUALS || t.next() === EOF || t.sval === null) {
        throw new JaasParseError(`Value not specified for key '${key ?? ''}' in JAAS config`)
      }
      options.set(key ?? '', t.sval)
    }
    if (t.type !== SEMICOLON) throw new JaasParseError('JAAS config entry not terminated by semi-colon')
    if (!loginModule) throw new JaasParseError('Login module name not specified in JAAS config')
    entries.push({ loginModule, controlFlag: flag as JaasEntry['controlFlag'], options })
  }
  if (entries.length === 0) throw new JaasParseError('Login module not specified in JAAS config')
  return entries
}

// ---- Login configuration files

export type JaasControlFlag = 'required' | 'requisite' | 'sufficient' | 'optional'

export interface JaasModule {
  className: string
  flag: JaasControlFlag
  options: ReadonlyMap<string, string>
}

export type JaasFile = ReadonlyMap<string, readonly JaasModule[]>

const FILE_FLAGS: readonly JaasControlFlag[] = ['required', 'requisite', 'sufficient', 'optional']

/**
 * Parses JAAS configuration file text; `where` names the file in error messages, which give its line. Entry names
 * compare case-sensitively, flags case-insensitively, as the JDK does.
 */
export function parseJaasFile (text: string, where: string): JaasFile {
  const tokens = tokenize(text, FILE, where)
  const entries = new Map<string, JaasModule[]>()
  let pos = 0
  const peek = (): Token | undefined => tokens[pos]
  const lastLine = (): number => tokens[tokens.length - 1]?.line ?? 1
  const expect = (what: string, ok: (t: Token) => boolean): Token => {
    const t = tokens[pos]
    if (!t || !ok(t)) throw new ConfigError(`${where}:${t?.line ?? lastLine()}: expected ${what}${t ? ` but found '${t.kind === 'quoted' ? '"…"' : t.text}'` : ' but the file ended'}`)
    pos++
    return t
  }
  const punct = (p: string) => (t: Token) => t.kind === 'punct' && t.text === p
  const word = (t: Token): boolean => t.kind === 'word'
  while (pos < tokens.length) {
    const name = expect('a login entry name', word).text
    expect(`'{' after the entry name ${name}`, punct('{'))
    const modules: JaasModule[] = []
    while (!punct('}')(peek() ?? { kind: 'word', text: '', line: 0 })) {
      const className = expect(`a login module class name or '}' in entry ${name}`, word).text
      const flagToken = expect(`a control flag (required, requisite, sufficient or optional) after ${className}`, word)
      const flag = flagToken.text.toLowerCase() as JaasControlFlag
      if (!FILE_FLAGS.includes(flag)) {
        throw new ConfigError(`${where}:${flagToken.line}: invalid control flag '${flagToken.text}' for ${className}: expected required, requisite, sufficient or optional`)
      }
      const options = new Map<string, string>()
      while (!punct(';')(peek() ?? { kind: 'word', text: '', line: 0 })) {
        const key = expect(`an option name or ';' after the options of ${className}`, word).text
        expect(`'=' after the option ${key}`, punct('='))
        const value = expect(`a value for the option ${key}`, t => t.kind === 'word' || t.kind === 'quoted').text
        options.set(key, value)
      }
      expect("';'", punct(';'))
      modules.push({ className, flag, options })
    }
    expect("'}'", punct('}'))
    expect(`';' after the entry ${name}`, punct(';'))
    // As the JDK does, a second entry of the same name adds its modules to the first.
    entries.set(name, [...(entries.get(name) ?? []), ...modules])
  }
  return entries
}

export async function readJaasFile (path: string, keyDescription: string): Promise<JaasFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new ConfigError(`Cannot read the JAAS configuration file ${path} (${keyDescription}): ${(err as Error).message}`, { cause: err })
  }
  return parseJaasFile(text, path)
}

/**
 * The path `-Djava.security.auth.login.config=<path>` gives in a JVM options string (KAFKA_OPTS), as the JVM would
 * take it: the last occurrence wins, `==` (use only this file) is accepted, and a `file:` URL becomes a path. The
 * scripts split KAFKA_OPTS on whitespace without honouring quotes; quotes around the whole value are removed here.
 */
export function jaasPathFromJvmOptions (options: string | undefined): string | null {
  if (!options) return null
  let found: string | null = null
  for (const word of options.split(/\s+/)) {
    const m = /^-Djava\.security\.auth\.login\.config==?(.*)$/.exec(word)
    if (m) found = m[1]!
  }
  if (found === null) return null
  found = found.replace(/^(["'])(.*)\1$/, '$2')
  if (/^file:/i.test(found)) {
    try {
      found = decodeURIComponent(new URL(found).pathname)
    } catch {
      found = found.replace(/^file:(\/\/)?/i, '')
    }
  }
  return found === '' ? null : found
}
