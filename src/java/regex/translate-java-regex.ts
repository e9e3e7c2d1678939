/**
 * Java regular expressions (java.util.regex.Pattern, JDK 17) translated to JavaScript RegExps with the `v` flag.
 *
 * The parser follows Pattern's own grammar (flags, \Q…\E pre-pass, comments mode, nested classes with unions and
 * `&&` intersections, octal/hex/unicode escapes, dangling metacharacters, unclosed constructs) so that a pattern is
 * accepted exactly when Java accepts it, with Java's PatternSyntaxException text when it is not. What cannot be
 * expressed exactly in JavaScript is refused with an UnsupportedJavaRegexError naming the construct, so a config is
 * refused at validation instead of matching differently in silence.
 *
 * Semantics are resolved at translation time: case-insensitivity (ASCII, or Unicode with `u`) becomes explicit
 * character sets, `.`/`^`/`$`/\Z/\b become the lookarounds that give Java's line-terminator and word rules,
 * possessive quantifiers and atomic groups become `(?=(…))\N`, and named groups become numbered ones (the table of
 * Java group numbers to JavaScript ones is kept for replacement strings).
 *
 * Every caller matches once from the start of the input (Matcher.matches(), or one find() for replaceFirst), which is
 * what makes \G (the end of the previous match) the same as the start of the input.
 */
import { checkCaptures } from './check-captures.ts'
import { Emitter } from './emitter.ts'
import { Parser } from './parser.ts'


/** A translated pattern: `find` searches, `full` matches the whole input (Matcher.matches()). */
export interface JavaRegex {
  readonly pattern: string
  readonly find: RegExp
  readonly full: RegExp
  /** Java's group count (Matcher.groupCount()). */
  readonly groupCount: number
  /** The Java group number of each named group. */
  readonly names: ReadonlyMap<string, number>
  /** What Java group n captured in a match of `find` or `full` (undefined when it did not take part). */
  group (match: RegExpExecArray, n: number): string | undefined
}

/**
 * Translates a Java pattern; throws JavaPatternSyntaxError (Java refuses it) or UnsupportedJavaRegexError.
 * `captures`: whether the caller reads groups (RegexRouter's replacement); when only matches() counts, patterns whose
 * captures alone would differ are not refused.
 */
export function translateJavaRegex (pattern: string, options: { captures?: boolean } = {}): JavaRegex {
  const parsed = new Parser(pattern, 0).parse()
  checkCaptures(parsed.root, options.captures ?? true)
  const emitter = new Emitter()
  const source = emitter.emit(parsed.root)
  const groupIndex = emitter.groupIndex
  return {
    pattern,
    find: new RegExp(source, 'v'),
    full: new RegExp(`^(?:${source})$`, 'v'),
    groupCount: parsed.groupCount,
    names: parsed.names,
    group: (match, n) => {
      const i = groupIndex[n]
      return i === undefined ? undefined : match[i]
    }
  }
}
