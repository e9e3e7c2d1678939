/**
 * Reads a JAAS login configuration file (the file `-Djava.security.auth.login.config` names), in the syntax of the
 * JDK's default Configuration:
 *
 *     EntryName {
 *       com.example.LoginModule required option="value" other=word;
 *       ...
 *     };
 *
 * `//` and `/* … *\/` comments, double-quoted values (backslash escapes the next character) and unquoted words.
 * Entry names compare case-sensitively, flags case-insensitively, as the JDK does. Errors give the file and line and
 * never an option's value (values may be credentials).
 */
import { readFile } from 'node:fs/promises'
import { ConfigError } from '../api/index.ts'

export type JaasControlFlag = 'required' | 'requisite' | 'sufficient' | 'optional'

export interface JaasModule {
  className: string
  flag: JaasControlFlag
  options: ReadonlyMap<string, string>
}

export type JaasFile = ReadonlyMap<string, readonly JaasModule[]>

interface Token { kind: 'word' | 'string' | 'punct', text: string, line: number }

const PUNCTUATION = new Set(['{', '}', ';', '='])

function tokenize (text: string, where: string): Token[] {
  const tokens: Token[] = []
  let line = 1
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (c === '\n') { line++; i++; continue }
    if (c <= ' ') { i++; continue }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      continue
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      if (end < 0) throw new ConfigError(`${where}:${line}: unterminated /* comment`)
      for (let j = i; j < end; j++) if (text[j] === '\n') line++
      i = end + 2
      continue
    }
    if (PUNCTUATION.has(c)) { tokens.push({ kind: 'punct', text: c, line }); i++; continue }
    if (c === '"') {
      const start = line
      let value = ''
      i++
      for (;;) {
        if (i >= text.length) throw new ConfigError(`${where}:${start}: unterminated quoted value`)
        const d = text[i]!
        if (d === '"') { i++; break }
        if (d === '\\' && i + 1 < text.length) { value += text[i + 1]; i += 2; continue }
        if (d === '\n') line++
        value += d
        i++
      }
      tokens.push({ kind: 'string', text: value, line: start })
      continue
    }
    let word = ''
    while (i < text.length) {
      const d = text[i]!
      if (d <= ' ' || PUNCTUATION.has(d) || d === '"' || (d === '/' && (text[i + 1] === '/' || text[i + 1] === '*'))) break
      word += d
      i++
    }
    tokens.push({ kind: 'word', text: word, line })
  }
  return tokens
}

const FLAGS: readonly JaasControlFlag[] = ['required', 'requisite', 'sufficient', 'optional']

/** Parses JAAS configuration text; `where` names the file in error messages. */
export function parseJaasFile (text: string, where: string): JaasFile {
  const tokens = tokenize(text, where)
  const entries = new Map<string, JaasModule[]>()
  let pos = 0
  const peek = (): Token | undefined => tokens[pos]
  const lastLine = (): number => tokens[tokens.length - 1]?.line ?? 1
  const expect = (what: string, ok: (t: Token) => boolean): Token => {
    const t = tokens[pos]
    if (!t || !ok(t)) throw new ConfigError(`${where}:${t?.line ?? lastLine()}: expected ${what}${t ? ` but found '${t.kind === 'string' ? '"…"' : t.text}'` : ' but the file ended'}`)
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
      if (!FLAGS.includes(flag)) {
        throw new ConfigError(`${where}:${flagToken.line}: invalid control flag '${flagToken.text}' for ${className}: expected required, requisite, sufficient or optional`)
      }
      const options = new Map<string, string>()
      while (!punct(';')(peek() ?? { kind: 'word', text: '', line: 0 })) {
        const key = expect(`an option name or ';' after the options of ${className}`, word).text
        expect(`'=' after the option ${key}`, punct('='))
        const value = expect(`a value for the option ${key}`, t => t.kind === 'word' || t.kind === 'string').text
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
