/**
 * Java regular expressions as Kafka's config validators and transformations use them: compiled (through the regex/
 * translation) for whole-input matching (Matcher.matches()) or searching, with Kafka's RegexValidator errors, and
 * Matcher's replacement strings. Shared by RegexRouter, TopicNameMatches, the sink's topics.regex, CORS origins and
 * the environment-variable config provider.
 */
import { ConfigError } from '../api/errors.ts'
import { invalidValueMessage } from '../api/config-def.ts'
import { UnsupportedJavaRegexError } from './regex/java-pattern-syntax-error.ts'
import { translateJavaRegex, type JavaRegex } from './regex/translate-java-regex.ts'

/**
 * Translates a Java regular expression (see regex/translate-java-regex.ts) into a JavaScript RegExp: anchored to the whole input for
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
