/**
 * RegexRouter (Kafka's org.apache.kafka.connect.transforms.RegexRouter): renames the topic when the whole topic name
 * matches a Java regular expression. Also home of the Java-regex helpers that TopicNameMatches shares.
 */
import { ConfigDef, ConfigError, invalidValueMessage, newRecord, plugin } from '../api/index.ts'
import type { AnyRecord, Transformation, Validator } from '../api/index.ts'

const KAFKA_VERSION = '4.3.1'

const POSIX: Record<string, string> = {
  Lower: 'a-z', Upper: 'A-Z', ASCII: '\\x00-\\x7F', Alpha: 'a-zA-Z', Digit: '0-9', Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~', Graph: '!-~', Print: ' -~', Blank: ' \\t', Cntrl: '\\x00-\\x1F\\x7F', XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r', javaLowerCase: 'a-z', javaUpperCase: 'A-Z', javaWhitespace: ' \\t\\n\\x0B\\f\\r\\x1C-\\x1F'
}
const HORIZONTAL_SPACE = ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000'

function escapeLiteral (text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
}

/**
 * Translates the Java regex syntax JS lacks into JS equivalents, so patterns written for Kafka keep working:
 * \Q…\E quoting, \A \z \Z anchors, \h, POSIX/java \p{…} classes, possessive quantifiers and atomic groups (both
 * approximated by their backtracking forms, which only differs on patterns that rely on refusing to backtrack), and
 * leading inline flags (?i) (?s) (?m). Throws a SyntaxError for what cannot be expressed (mid-pattern flags, class
 * intersections).
 */
export function javaRegexToJs (pattern: string, fullMatch = true): RegExp {
  let flags = ''
  let src = pattern
  const lead = /^\(\?([imsux]+)\)/.exec(src)
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'i' || f === 'm' || f === 's') flags += flags.includes(f) ? '' : f
      // u (Unicode case folding) and x (comments) have no safe JS equivalent.
      else throw new SyntaxError(`Unsupported inline flag '${f}'`)
    }
    src = src.slice(lead[0].length)
  }
  let out = ''
  let inClass = 0
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!
    if (c === '\\') {
      const n = src[i + 1]
      if (n === undefined) throw new SyntaxError('Unexpected internal error')
      if (n === 'Q') {
        const end = src.indexOf('\\E', i + 2)
        const lit = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end)
        out += escapeLiteral(lit)
        i = end < 0 ? src.length : end + 1
        continue
      }
      if (n === 'A' && !inClass) { out += '^'; i++; continue }
      if (n === 'z' && !inClass) { out += '$'; i++; continue }
      if (n === 'Z' && !inClass) { out += '(?=\\n?$)'; i++; continue }
      if (n === 'h') { out += inClass ? HORIZONTAL_SPACE : `[${HORIZONTAL_SPACE}]`; i++; continue }
      if (n === 'p' || n === 'P') {
        const m = /^\{(?:Is)?([A-Za-z]+)\}/.exec(src.slice(i + 2))
        const cls = m ? POSIX[m[1]!] : undefined
        if (m && cls !== undefined) {
          if (inClass && n === 'P') throw new SyntaxError('Negated POSIX class inside a character class is not supported')
          out += inClass ? cls : `[${n === 'P' ? '^' : ''}${cls}]`
          i += 1 + m[0].length
          continue
        }
      }
      out += c + n
      i++
      continue
    }
    if (inClass) {
      if (c === '[') {
        throw new SyntaxError('Nested character classes and intersections are not supported')
      }
      if (c === '&' && src[i + 1] === '&') throw new SyntaxError('Character class intersection is not supported')
      if (c === ']' && !(out.endsWith('[') || out.endsWith('[^'))) inClass--
      out += c
      continue
    }
    if (c === '[') { inClass++; out += c; continue }
    if (c === '(' && src.startsWith('(?>', i)) { out += '(?:'; i += 2; continue }
    if (c === '(' && /^\(\?[imsux-]+[):]/.test(src.slice(i))) throw new SyntaxError('Inline flags are only supported at the start of the pattern')
    if (c === '+' && /[*+?}]$/.test(out) && !out.endsWith('\\+') && !out.endsWith('\\*') && !out.endsWith('\\?') && !out.endsWith('\\}')) continue
    out += c
  }
  if (/\\p\{/i.test(out)) flags += 'u'
  return fullMatch ? new RegExp(`^(?:${out})$`, flags) : new RegExp(out, flags)
}

/** Compiles with full-match semantics (Java's Matcher.matches()) or throws Kafka's "Invalid regex" config error. */
export function compileJavaRegex (name: string, pattern: string, fullMatch = true): RegExp {
  try {
    return javaRegexToJs(pattern, fullMatch)
  } catch (err) {
    throw new ConfigError(invalidValueMessage(name, pattern, `Invalid regex: ${(err as Error).message}`))
  }
}

/** Kafka's RegexValidator ("valid regex"). */
export const RegexValidator: Validator = {
  ensureValid (name, value) { if (typeof value === 'string') compileJavaRegex(name, value) },
  toString () { return 'valid regex' }
}

/** Expands a Java Matcher replacement string ($n, ${name}, \x escapes) with Java's errors. */
export function expandJavaReplacement (replacement: string, match: RegExpExecArray): string {
  const groupCount = match.length - 1
  let out = ''
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!
    if (c === '\\') {
      i++
      if (i >= replacement.length) throw new Error('character to be escaped is missing')
      out += replacement[i]
    } else if (c === '$') {
      i++
      if (i >= replacement.length) throw new Error('Illegal group reference: group index is missing')
      let group: string | undefined
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i)
        const name = end < 0 ? '' : replacement.slice(i + 1, end)
        if (end < 0) throw new Error("named capturing group is missing trailing '}'")
        if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error('named capturing group has 0 length name')
        if (!match.groups || !(name in match.groups)) throw new Error(`No group with name {${name}}`)
        group = match.groups[name]
        i = end
      } else {
        let ref = replacement.charCodeAt(i) - 48
        if (ref < 0 || ref > 9) throw new Error('Illegal group reference')
        // Java takes further digits only while the number still names an existing group.
        while (i + 1 < replacement.length) {
          const d = replacement.charCodeAt(i + 1) - 48
          if (d < 0 || d > 9 || ref * 10 + d > groupCount) break
          ref = ref * 10 + d
          i++
        }
        if (ref > groupCount) throw new Error(`No group ${ref}`)
        group = match[ref]
      }
      out += group ?? ''
    } else {
      out += c
    }
  }
  return out
}

export class RegexRouter implements Transformation {
  readonly kind = 'transformation'
  static readonly CONFIG_DEF = new ConfigDef()
    .define({ name: 'regex', type: 'string', importance: 'high', validator: RegexValidator, documentation: 'Regular expression to use for matching.' })
    .define({ name: 'replacement', type: 'string', importance: 'high', documentation: 'Replacement string.' })

  #regex: RegExp | null = null
  #find: RegExp | null = null
  #replacement = ''

  configure (configs: Readonly<Record<string, string>>): void {
    const config = RegexRouter.CONFIG_DEF.parse(configs)
    this.#regex = compileJavaRegex('regex', config.string('regex')!)
    this.#find = compileJavaRegex('regex', config.string('regex')!, false)
    this.#replacement = config.string('replacement')!
  }

  apply<R extends AnyRecord> (record: R): R {
    if (!this.#regex || !this.#find) throw new Error('RegexRouter is not configured')
    if (!this.#regex.test(record.topic)) return record
    // Kafka calls matches() and then replaceFirst(), which searches again from the start: with alternations the
    // replaced span can be shorter than the whole topic (`ord|orders` on "orders" replaces only "ord").
    const match = this.#find.exec(record.topic)!
    const topic = record.topic.slice(0, match.index) + expandJavaReplacement(this.#replacement, match) + record.topic.slice(match.index + match[0].length)
    return newRecord(record, { topic } as Partial<R>)
  }

  config (): ConfigDef { return RegexRouter.CONFIG_DEF }
}

export const descriptors = [
  plugin({ kind: 'transformation', className: 'org.apache.kafka.connect.transforms.RegexRouter', version: KAFKA_VERSION, create: () => new RegexRouter() })
]
