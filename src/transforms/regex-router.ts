/**
 * RegexRouter (Kafka's org.apache.kafka.connect.transforms.RegexRouter): renames the topic when the whole topic name
 * matches a Java regular expression. Also home of the Java-regex helpers that TopicNameMatches shares.
 */
import { ConfigDef, ConfigError, invalidValueMessage, newRecord, plugin } from '../api/index.ts'
import type { AnyRecord, Transformation, Validator } from '../api/index.ts'
import { translateJavaRegex, UnsupportedJavaRegexError } from './java-regex.ts'
import type { JavaRegex } from './java-regex.ts'

const KAFKA_VERSION = '4.3.1'

/**
 * Translates a Java regular expression (see java-regex.ts) into a JavaScript RegExp: anchored to the whole input for
 * Matcher.matches() when `fullMatch`, else for searching. Throws JavaPatternSyntaxError for a pattern Java refuses
 * and UnsupportedJavaRegexError for one Java accepts but that cannot be matched exactly here.
 */
export function javaRegexToJs (pattern: string, fullMatch = true): RegExp {
  const re = translateJavaRegex(pattern, { captures: false })
  return fullMatch ? re.full : re.find
}

/**
 * Translates or throws the config error Kafka's RegexValidator gives ("Invalid regex: " and Java's message), or
 * "Unsupported regex: " naming the construct. `captures`: whether the caller reads the groups.
 */
export function compileJavaPattern (name: string, pattern: string, captures = true): JavaRegex {
  try {
    return translateJavaRegex(pattern, { captures })
  } catch (err) {
    const reason = err instanceof UnsupportedJavaRegexError ? `Unsupported regex: ${err.message}` : `Invalid regex: ${(err as Error).message}`
    throw new ConfigError(invalidValueMessage(name, pattern, reason))
  }
}

/** Compiles with full-match semantics (Java's Matcher.matches()) or throws Kafka's "Invalid regex" config error. */
export function compileJavaRegex (name: string, pattern: string, fullMatch = true): RegExp {
  const re = compileJavaPattern(name, pattern, false)
  return fullMatch ? re.full : re.find
}

/** Kafka's RegexValidator ("valid regex"), for callers that only ask whether a name matches. */
export const RegexValidator: Validator = {
  ensureValid (name, value) { if (typeof value === 'string') compileJavaRegex(name, value) },
  toString () { return 'valid regex' }
}

// RegexRouter's replacement reads the groups, so its validation also refuses patterns whose captures would differ.
const ROUTER_REGEX_VALIDATOR: Validator = {
  ensureValid (name, value) { if (typeof value === 'string') compileJavaPattern(name, value, true) },
  toString () { return 'valid regex' }
}

/**
 * Expands a Java Matcher replacement string ($n, ${name}, \x escapes) with Java's rules and errors
 * (Matcher.appendReplacement): Java group numbers are mapped to the translated pattern's groups.
 */
export function expandJavaReplacement (replacement: string, match: RegExpExecArray, regex: JavaRegex): string {
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
  let out = ''
  let i = 0
  while (i < replacement.length) {
    const c = replacement[i]!
    if (c === '\\') {
      i++
      if (i === replacement.length) throw new Error('character to be escaped is missing')
      out += replacement[i]
      i++
    } else if (c === '$') {
      i++
      if (i === replacement.length) throw new Error('Illegal group reference: group index is missing')
      let ref: number
      if (replacement[i] === '{') {
        i++
        const begin = i
        while (i < replacement.length && /[A-Za-z0-9]/.test(replacement[i]!)) i++
        if (begin === i) throw new Error('named capturing group has 0 length name')
        if (replacement[i] !== '}') throw new Error("named capturing group is missing trailing '}'")
        const name = replacement.slice(begin, i)
        if (isDigit(name[0])) throw new Error(`capturing group name {${name}} starts with digit character`)
        const n = regex.names.get(name)
        if (n === undefined) throw new Error(`No group with name {${name}}`)
        ref = n
        i++
      } else {
        ref = replacement.charCodeAt(i) - 48
        if (ref < 0 || ref > 9) throw new Error('Illegal group reference')
        i++
        // Java takes further digits only while the number still names an existing group.
        while (i < replacement.length && isDigit(replacement[i]) && ref * 10 + (replacement.charCodeAt(i) - 48) <= regex.groupCount) {
          ref = ref * 10 + (replacement.charCodeAt(i) - 48)
          i++
        }
      }
      if (ref > regex.groupCount) throw new Error(`No group ${ref}`)
      out += (ref === 0 ? match[0] : regex.group(match, ref)) ?? ''
    } else {
      out += c
      i++
    }
  }
  return out
}

export class RegexRouter implements Transformation {
  readonly kind = 'transformation'
  static readonly CONFIG_DEF = new ConfigDef()
    .define({ name: 'regex', type: 'string', importance: 'high', validator: ROUTER_REGEX_VALIDATOR, documentation: 'Regular expression to use for matching.' })
    .define({ name: 'replacement', type: 'string', importance: 'high', documentation: 'Replacement string.' })

  #regex: JavaRegex | null = null
  #replacement = ''

  configure (configs: Readonly<Record<string, string>>): void {
    const config = RegexRouter.CONFIG_DEF.parse(configs)
    this.#regex = compileJavaPattern('regex', config.string('regex')!)
    this.#replacement = config.string('replacement')!
  }

  apply<R extends AnyRecord> (record: R): R {
    const regex = this.#regex
    if (!regex) throw new Error('RegexRouter is not configured')
    if (!regex.full.test(record.topic)) return record
    // Kafka calls matches() and then replaceFirst(), which searches again from the start: with alternations the
    // replaced span can be shorter than the whole topic (`ord|orders` on "orders" replaces only "ord").
    const match = regex.find.exec(record.topic)!
    const topic = record.topic.slice(0, match.index) + expandJavaReplacement(this.#replacement, match, regex) + record.topic.slice(match.index + match[0].length)
    return newRecord(record, { topic } as Partial<R>)
  }

  config (): ConfigDef { return RegexRouter.CONFIG_DEF }
}

export const descriptors = [
  plugin({ kind: 'transformation', className: 'org.apache.kafka.connect.transforms.RegexRouter', version: KAFKA_VERSION, create: () => new RegexRouter() })
]
