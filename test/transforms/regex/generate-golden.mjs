// Regenerates golden.jsonl from java.util.regex.Pattern (JDK 17) and Apache Kafka 4.3.1's RegexRouter and
// TopicNameMatches: resolves the jars with Maven into .cache/regex-golden/ (not checked in), compiles
// java/RegexGolden.java and feeds it the cases below. Run with JDK 17 on PATH:
//   node test/transforms/regex/generate-golden.mjs
// Each case: a pattern, RegexRouter's replacement (default "<$0>") and topic names to try. The expected side holds
// whether Java compiles it (and its error text), matches() with every group, TopicNameMatches' test and the topic
// RegexRouter gives (matches() then replaceFirst()).
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runSmtGolden } from '../run-smt-golden.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..', '..', '..')
const CACHE = join(ROOT, '.cache', 'regex-golden')

const cases = []
const names = new Set()
/** construct: the row of the report; inputs: topic names (strings) to try. */
function add (construct, pattern, inputs, replacement) {
  let name = `${construct}: ${pattern}`
  for (let n = 2; names.has(name); n++) name = `${construct}: ${pattern} #${n}`
  names.add(name)
  cases.push({ name, construct, pattern, ...(replacement === undefined ? {} : { replacement }), inputs })
}

const ASCII = ['orders', 'ORDERS', 'Orders', 'abc', 'ABC', 'a', '', 'x1', 'a.b', 'a-b_c']
const UNI = ['é', 'É', 'ß', 'ẞ', 'SS', 'k', 'K', '\u212a', 's', 'S', '\u017f', 'i', 'I', '\u0130', '\u0131', 'σ', 'Σ', 'ς', 'µ', 'μ', 'Μ', 'ǅ', 'ǆ', 'Ǆ', 'ÿ', 'Ÿ', 'å', 'Å', '\u212b', '😀', '\ud83d', 'a\u0301', '٣', '①', '\u00a0', '\u2028']
const LINES = ['a', 'a\n', 'a\r\n', 'a\r', 'a\u0085', 'a\u2028', 'a\u2029', 'a\n\n', '\n', '\r\n', 'a\nb', 'a\r\nb', 'a\rb', '']

// ---- escapes: hex, octal, unicode, control, named
for (const p of ['\\x{41}', '\\x{1F600}', '\\x{0}', '\\x{110000}', '\\x{}', '\\x{41', '\\x41', '\\x4', '\\xZ1', '\\x{000041}bc', '[\\x{41}-\\x{43}]+']) add('hex escape', p, ['A', 'B', 'ABC', 'Abc', '😀', '\0', 'a'])
for (const p of ['\\0101', '\\0', '\\08', '\\07', '\\0377', '\\0400', '\\0141b', '\\012', '[\\060-\\071]+', '\\01010']) add('octal escape', p, ['A', 'a', '\u0007', 'ÿ', ' 0', '\u00200', 'ab', '\n', '0123', 'A0', 'A8', '\u00008'])
for (const p of ['\\u0041', '\\uD83D\\uDE00', '\\uD83D', '\\u004', '\\u00e9+', '\\cA', '\\c', '\\t\\n\\r\\f\\a\\e', '\\N{LATIN SMALL LETTER A}', '\\N{NO SUCH NAME}', '\\N']) add('unicode and control escape', p, ['A', '😀', '\ud83d', 'é', 'éé', '\u0001', '\t\n\r\f\u0007\u001b', 'a'])
for (const p of ['\\y', '\\g', '\\i', '\\m', '\\o', '\\q', '\\C', '\\E', '\\j', '\\L', '\\-', '\\é', '\\#', '\\ ', 'a\\', '\\']) add('bad or literal escape', p, ['y', '-', 'é', '#', ' ', 'a'])
// ---- \G \A \z \Z ^ $
for (const p of ['\\Gabc', 'a\\G', '\\G', '(?:\\G)*a', '\\Aabc\\z', 'abc\\Z', 'a\\Z', 'a$', '^a$', 'a\\z', 'a$\\s*', 'a\\Z\\s*', '(?d)a$\\s*', '(?d)a\\Z\\s*']) add('anchors', p, LINES.concat(['abc', 'abc\n', 'abc\r\n']))
for (const p of ['(?m)a$\\s*', '(?m)^a\\s*', '(?m)(?:^a\\s*)+', '(?m)a\\s*^', '(?m)a\\s*^\\s*', '(?md)a$\\s*', '(?md)a\\s*^\\s*', '(?m)a$\\s*^b', '(?m)^$', '(?m)\\s*^', '(?m)(?:$\\s)*']) add('multiline anchors', p, LINES.concat(['a\n\u2028', 'a\r\n\r\n']))
// ---- . and DOTALL / UNIX_LINES
for (const p of ['a.', '.+', '(?s)a.', '(?s).+', '(?d)a.', '(?d).+', '(?sd).+', 'a.b']) add('dot', p, LINES.concat(['ab', 'a😀', 'a\u0000', 'a\u000b', 'a\u000c']))
// ---- character classes: unions, intersections, nesting
for (const p of ['[a-z&&[^aeiou]]+', '[a-z&&[^aeiou]&&[^xyz]]+', '[abc&&b]', '[a-z&&def]+', '[[a-c][x-z]]+', '[a-c[x-z]]+', '[^a-c[x-z]]+', '[[:alpha:]]+', '[[:digit:]]', '[^[:alpha:]]', '[a&&]', '[&&a]', '[a&&&&b]', '[&&]', '[a&b]+',
  '[\\w&&[^\\d]]+', '[^\\w&&\\d]+', '[[^a]&&[^b]]+', '[a-z&&[^b-y]]+', '[ab[cd]ef]+', '[]a]+', '[^]a]+', '[]', '[^]', '[a-]+', '[-a]+', '[a-\\d]', '[\\d-z]+', '[z-a]', '[a-c-e]+', '[\\Q]\\E]', '[\\Qa-c\\E]+', '[\\[\\]]+', '[a[]', '[a[b]', '[abc', '[^a&&[b]]', '[\\p{L}&&[^a-z]]+', '[\\P{L}a]+', '[\\x{1F600}-\\x{1F64F}]', '[a-b&&b-c]']) {
  add('character class', p, ['a', 'b', 'c', 'e', 'x', 'abc', 'bcd', 'xyz', ':', 'alpha', 'h', '-', ']', '[', 'é', '😀', '1', '_', 'ab1', 'B', '&'])
}
// ---- comments mode
for (const p of ['(?x) a b c', '(?x)a b # comment\nc', '(?x)a\\ b', '(?x)[a b]+', '(?x)a # comment only', '(?x)a{ 2 }', '(?x)a {2}', '(?x)a+ +', '(?x)(?: a | b )+', '(?x)\\Q a \\E', '(?x)a#b', 'a(?x) b (?-x) c', '(?x)a(?-x: b )', '(?x)[ ^a]', '(?x)\\p{ L}', '(?x)a\\#']) add('comments mode', p, ['abc', 'ab', 'a b', 'a bc', 'aa', 'a', 'ba', ' ', '^', 'a b c', 'a#', 'L'])
// ---- flags: i, u, mid-pattern, scoped
const CASE = ['orders', 'ORDERS', 'Orders', 'ab', 'AB', 'aB', 'Ab', 'k', 'K', '\u212a', 's', 'S', '\u017f', 'i', 'I', '\u0130', '\u0131', 'é', 'É', 'ß', 'ẞ', 'å', 'Å', '\u212b', 'µ', 'Μ', 'μ', 'ÿ', 'Ÿ', 'σ', 'Σ', 'ς', 'ǅ', 'ǆ', 'Ǆ', 'ǈ', 'ﬀ', 'ff', 'Ꭰ', 'ꭰ', '𐐀', '𐐨']
for (const p of ['(?i)orders', '(?i)ab', '(?i)A(?-i)b', '(?i:a)b', 'a(?i:b)', '(?i:a(?-i:b))', '(?i)a|b', '(a(?i)b)c', '(?i)k', '(?i)s', '(?i)é', '(?iu)é', '(?iu)k', '(?iu)s', '(?iu)i', '(?iu)I', '(?iu)ß', '(?iu)ßa', '(?iu)å', '(?iu)µ', '(?iu)σ', '(?iu)ǅ', '(?iu)ﬀ', '(?iu)Ꭰ', '(?iu)𐐀', '(?u)k', '(?ui)[a-z]', '(?i)[a-z]', '(?i)[A-Z]', '(?iu)[A-Z]', '(?i)[é]', '(?iu)[é]', '(?iu)[k]', '(?iu)[s]', '(?iu)[i]', '(?iu)[ß]', '(?iu)[σ]', '(?iu)[^a-z]', '(?i)[^a-z]', '(?i)[\\x{400}-\\x{4ff}]', '(?iu)[\\x{400}-\\x{4ff}]', '(?i)[Z-a]', '(?i)\\p{Lower}', '(?i)\\p{Upper}', '(?i)\\p{javaLowerCase}', '(?i)\\p{Ll}', '(?i)\\p{Lu}', '(?i)\\p{IsLowercase}', '(?i)[\\p{Lower}]', '(?iu)\\p{L}', '(?i)\\w', '(?-i)a', '(?i-i)a', '(?is-m)a.', '(?i)(?-i)A', '(?c)a', '(?U)a', '(?z)a', '(?i', '(?i-)a', '(?-)a', '(?', '(?i:', '(?i)\\x{41}', '(?i)\\u00e9', '(?i)\\Qab\\E']) add('inline flags', p, CASE)
// ---- \p classes
const PROPS = ['a', 'z', 'A', 'Z', 'é', 'É', 'ß', '1', '٣', '①', 'Ⅻ', '_', '-', '!', '~', ' ', '\t', '\u00a0', '\u2007', '\u2028', '\u001c', '\u0085', 'α', 'Ω', 'ǅ', 'ª', '中', 'ア', '😀', '\u0301', '\u0000', '\u007f', '\u009f', '\ufffe', '\u200c', '£', '+', 'ɐ', 'ʰ', 'Ⓐ', 'ⓐ', '\u0378', '\u2c2f', '\ud800']
for (const n of ['Lower', 'Upper', 'ASCII', 'Alpha', 'Digit', 'Alnum', 'Punct', 'Graph', 'Print', 'Blank', 'Cntrl', 'XDigit', 'Space', 'javaLowerCase', 'javaUpperCase', 'javaWhitespace', 'javaMirrored', 'javaLetter', 'javaDigit', 'javaLetterOrDigit', 'javaAlphabetic', 'javaIdeographic', 'javaTitleCase', 'javaDefined', 'javaSpaceChar', 'javaISOControl', 'javaIdentifierIgnorable', 'javaJavaIdentifierStart',
  'IsAlphabetic', 'IsLetter', 'IsLowercase', 'IsUppercase', 'IsTitlecase', 'IsPunctuation', 'IsControl', 'IsWhite_Space', 'IsWhiteSpace', 'IsDigit', 'IsHex_Digit', 'IsJoin_Control', 'IsNoncharacter_Code_Point', 'IsAssigned', 'IsIdeographic', 'IsWord', 'IsEmoji', 'IsAlnum', 'IsPunct', 'IsGraph', 'IsPrint', 'IsBlank', 'IsSpace', 'IsXDigit', 'IsCntrl', 'IsLower',
  'L', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'LC', 'LD', 'L1', 'M', 'Mn', 'N', 'Nd', 'Nl', 'No', 'P', 'Pd', 'S', 'Sc', 'Sm', 'Z', 'Zs', 'C', 'Cc', 'Cf', 'Cn', 'Co', 'Cs', 'all', 'IsL', 'IsLu', 'IsLatin', 'IsGreek', 'Islatin', 'IsLATN', 'IsHan', 'IsCommon', 'IsInherited', 'IsUnknown', 'IsVithkuqi', 'IsSignWriting',
  'sc=Latin', 'script=Greek', 'sc=Grek', 'gc=Lu', 'general_category=Nd', 'gc=Lower', 'blk=Basic Latin', 'InGreek', 'InBasic_Latin', 'InNoSuchBlock', 'IsNoSuch', 'NoSuch', 'sc=NoSuch', 'xx=Latin', 'Latin', 'IsL&', 'Lowercase', '']) {
  add('property', `\\p{${n}}`, PROPS)
}
for (const p of ['\\pL', '\\PL', '\\pN+', '\\p{L', '\\p', '\\P{Lower}', '[\\P{Lower}]', '[^\\p{Lower}]', '[\\p{Lower}\\p{Digit}]+', '(?U)\\p{Lower}', '(?U)\\p{Alpha}', '(?U)\\p{Punct}', '(?U)\\w+', '(?U)\\d', '(?U)\\s', '(?U)\\bé\\b', '\\p{IsLatin}+', '(?U)\\p{IsLower}']) add('property', p, PROPS.concat(['abc', 'aé1']))
// ---- \h \v \R \X \s \w \d \S \W \D \H \V
for (const p of ['\\h', '\\H', '\\v', '\\V', '\\s', '\\S', '\\w', '\\W', '\\d', '\\D', '[\\h]', '[\\v]', '[\\v-\\x{0d}]', '\\R', '\\R\\n', 'a\\R', '\\R{2}', '[\\R]', '\\X', 'a\\X', '[\\X]']) {
  add('predefined class', p, [' ', '\t', '\u00a0', '\u1680', '\u180e', '\u2000', '\u200b', '\u3000', '\n', '\u000b', '\f', '\r', '\u0085', '\u2028', '\r\n', '\n\r', 'a\r\n', 'a\n', 'a', '1', '٣', '_', 'é', 'a\u0301', '😀'])
}
// ---- \b \B
for (const p of ['\\bfoo\\b', 'foo\\b', '\\Bfoo', '.*\\b.*', '\\b', 'a\\b.', '.\\b.', '.\\B.', 'é\\b', '\\bé', '.*\\bx', 'a\\b{g}', '\\b{g}']) {
  add('word boundary', p, ['foo', 'foo bar', 'foobar', 'xfoo', 'a', 'ab', 'a b', 'a-', 'aé', 'é', 'éx', 'é x', 'a\u0301', 'a\u0301b', '-\u0301', 'a\u0301 ', '_x', '1x', '٣x', 'x'])
}
// ---- quantifiers: possessive, atomic, lazy, counted
for (const p of ['a*+a', 'a++', 'a?+a', 'a{1,3}+a', '[a-z]*+', '(?>a*)a', '(?>a|ab)c', '(?>ab|a)c', '(a|ab)c', '(?>(a+))b', '(a+)+b', '.*+x', '(?:a|b)*+b', 'a*?b', 'a+?', '(a+?)(a*)', '(a*?)(a*)', 'a{2}', 'a{2,}', 'a{2,3}', 'a{,3}', 'a{3,2}', 'a{', 'a{1', 'a{1,', 'a{x}', 'a{99999999999}', 'x{2}{3}', 'x*{2}', '{1}', '{', 'a}', ']', 'a**', 'a*?+', 'a+*', '*a', '+a', '?a', 'a|*', '(*)', 'a{0}', '^*a', '$+', '(?=a)*a', '\\b+a', 'a{0,0}b']) {
  add('quantifier', p, ['', 'a', 'aa', 'aaa', 'aaaa', 'ab', 'aab', 'abc', 'ac', 'x', 'xx', 'xxxxxx', 'axb', 'aaab', '{', 'a}', ']', 'b'])
}
// ---- groups, named groups, backreferences, lookaround
for (const p of ['(a)(b)?', '(?<first>a)(?<second>b)', '(?<a1>x)\\k<a1>', '(?<n>a)|b', '(a)\\1', '(a)\\2', '(a)\\10', '(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10', '(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\11', '\\1(a)', '(a\\1)', '(a)?\\1', '(a)|\\1', '(?:(a)|b)+', '(a|b)+', '(?:(a)|(b))+', '(a)*', '(a*)*', '(a?)+', '(?:a(b)?)+', '(?i)(a)\\1',
  '\\k<nope>', '\\k', '(?<1a>x)', '(?<a>x)(?<a>y)', '(?<a_b>x)', '(?<é>x)', '(?=a)a', '(?!b)a', '(?<=a)b', '.(?<=a)b', 'a(?<=a)b', '.(?<!a)b', '(?<=a+)b', '(?<=a{1,3})b', '(?<=a|bc)d', '.*(?<=\\1)', '(?<=(a))b', '(?$a)', '(?@a)', '(abc', 'abc)', '(?:a', ')', '()', '(|a)', 'a|', '|', '(?:)', '(?x)(?# comment)a', '(?#c)a']) {
  add('group', p, ['a', 'aa', 'b', 'ab', 'abb', 'ba', 'aba', 'xx', 'x', 'xy', 'abcdefghija', 'abcdefghijj', 'abcdefghija1', 'c', 'd', 'bcd', 'ad', 'Aa', 'aA', ''], '[$0|$1]')
}
// ---- \Q…\E
for (const p of ['(?c)e\u0301', '(?c)[é]', '(?c)\\p{L}', 'a(?c)b']) add('inline flags', p, ['é', 'e\u0301', 'ab', 'e'])
for (const p of ['\\Qa.b\\E', '\\Qa.b', '\\Q\\E', 'x\\Q*\\Ey', '\\Q\\\\E', '\\Q1\\E', '\\0\\Q1\\E', '\\x4\\Q1\\E', '\\Qa\\Eb\\Qc', '[\\Q^\\E]', '\\Q(\\E+', '\\Qé\\E']) add('quote', p, ['a.b', 'axb', '', 'x*y', '\\', '1', '\u00001', 'A', 'abc', '^', '((', 'é'])
// ---- replacement strings
for (const r of ['$1', '$0-$1', '\\$1', '\\\\$1', '$', '\\', '$x', '$2', '$10', '$11', '${name}', '${nope}', '${1}', '${}', '${name', 'a$1$1b', '$1\\', '\\n', '$01', '$', '\u00e9$1']) {
  add('replacement', '(?<name>[a-z]+)-(x)?', ['abc-', 'abc-x', 'ABC-'], r)
}
add('replacement', '(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)', ['abcdefghijk'], '$11|$10|$1|$111')
add('replacement', '(ord|orders)', ['orders', 'ord'], '[$1]')
add('replacement', 'ord|orders', ['orders'], '[$0]')
add('replacement', '(?:(a)|b)(c)', ['bc', 'ac'], '[$1|$2]')
add('replacement', '\\w+?', ['abc'], '[$0]')
// ---- non-ASCII and surrogates in patterns
for (const p of ['😀', '😀+', '[😀-😂]', '.', '..', '\ud83d', '[\ud83d]', 'é+', '(?i)😀', '[^a]']) add('supplementary', p, ['😀', '😀😀', '😁', '\ud83d', '\ude00', '\ud83d\ude00', 'é', 'éé', 'a', 'ab', '😀a'])

// ---- look-behind lengths as JDK 17 computes them, and \R inside and outside repetitions
for (const p of ['(?<=a+)b', '.*(?<=a*)b', '.*(?<=(a)+)b', '.*(?<=a+?)b', '.*(?<=a++)b', '(?<=(?:ab)+)b', '(a)(?<=\\1)b', '.*(?<=[ab]+)b', '.*(?<=x|a+)b', '.*(?<=xa+)b', '.*(?<=ab*c)x', '(?<=(?:a|b){2})x',
  '.*(?<=(?:ab){2})x', '(?<=(a|b){1,3})x', '(?<=(?:a?){2})x', '.*(?<=(?:a){2,})x', '(?<=(a)(b)*)x', '.*(?<=(?>a|b){2})x', '.*(?<=\\R)x', '(?<=\\R+)x', '.*(?<=(?:a|b))x', '.*(?<!a)x', '.*(?<!a+)x', '.*(?<=\\b)x']) {
  add('look-behind', p, ['b', 'ab', 'aab', 'xaab', 'abbcx', 'ababx', 'abx', 'ax', 'x', 'bx', 'a\nx', 'a\r\nx', 'a x', 'aaab'])
}
for (const p of ['\\R?\\n', '\\R??\\n', '\\R*\\n', '\\R+', '(?:\\R)+\\n', '\\R{1,2}', '(\\R)\\n', 'a\\R\\R', '\\R\\r']) add('predefined class', p, ['\n', '\r\n', '\r\n\n', '\r\r\n', '\n\n', 'a\r\n\n', '\r', '\r\r', '\u2028\n'])
// ---- more case folding: ranges, slices, non-ASCII without u
for (const p of ['(?iu)[à-þ]', '(?i)[À-Þ]', '(?iu)[À-Þ]', '(?iu)[Α-Ω]+', '(?iu)σς', '(?iu)ΣΑ', '(?iu)[ǅ]', '(?iu)[ǆ-ǆ]', '(?i)ǅ', '(?iu)ﬀ+', '(?iu)[a-z&&[^k]]', '(?iu)[^k]', '(?i)[^k]', '(?iu)\\x{10400}', '(?iu)[\\x{10400}-\\x{10410}]', '(?u)[a-z]', '(?iu)[ka]', '(?iu)kk', '(?iu)ıi', '(?iu)[Ii]', '(?iu)ſs']) {
  add('inline flags', p, CASE.concat(['ss', 'SS', 'σσ', 'ςσ', 'ΣΣ', 'σα', 'ΣΑ', 'à', 'À', 'þ', 'Þ', '×', '÷', 'αβ', 'ΑΒ', 'kk', 'KK', 'K\u212a', 'ıi', 'Iİ', '\u017fs', '\u017fS']))
}
// ---- more quantifier and capture shapes seen by RegexRouter
for (const p of ['(a|b)*c', '(a|ab)(c|bcd)(d*)', '(a+)(b+)?', '(a*?)b', '(?:(a)b)+', '((a)|b)', '(a)|(b)', '(?:a|(b))c', 'a{2147483647}', 'a{2147483648}', 'a{0,2147483647}', 'a{1,2147483646}', '(?:\\b)*a', '(?=a)+a', '(a(?=b))?b', '(?!(a))a', '(?=(a))a']) {
  add('quantifier', p, ['a', 'b', 'c', 'ab', 'abc', 'abcd', 'abbc', 'aab', 'bc', 'acbc', 'abab', ''], '[$0|$1]')
}
// ---- comments mode and quoting edge cases, errors after \Q…\E
for (const p of ['(?x)[#a]+', '(?x)a\\s#c\nb', '(?x)a\\\n#x\nb', '(?x)(?i) A', '(?x)\\x 41', '(?x)\\c A', '(?x)\\0 1', '[\\Qab', '\\Qab\\E{', '\\Qab\\E)', '(?x)[a-\n z]+', '(?x)a {1, 2}', '(?x)(? i)a']) add('comments mode', p, ['a', 'b', '#', 'a b', 'ab', 'a\tb', 'A', '\u0001', '\u00001', 'z', 'aa', ' '])

// ---- random patterns over the metacharacters (a fixed seed): compile or not, error texts and matches
{
  let seed = 20261204
  const rand = n => { seed = Number((BigInt(seed) * 1103515245n + 12345n) % 2147483648n); return (seed >>> 8) % n }
  const alphabet = ['a', 'b', 'a', 'b', '(', ')', '[', ']', '{', '}', '*', '+', '?', '|', '^', '$', '.', '\\', '-', '&', '&', '1', ',', '2', '?', ':', '<', '=', '!', '>', '#', ' ', 'x', 'd', 'w', 'b', 'Q', 'E', 'p', 'L', 'i', 'R', 'k', '0', '\n']
  const seen = new Set()
  for (let tries = 0; seen.size < 200 && tries < 100000; tries++) {
    const len = 1 + rand(8)
    let p = ''
    for (let i = 0; i < len; i++) p += alphabet[rand(alphabet.length)]
    if (seen.has(p) || p.trim() !== p) continue
    seen.add(p)
    add('random', p, ['', 'a', 'b', 'ab', 'ba', 'aab', 'a\n', 'x', '1', '-', 'a b', 'aa', '{', '&', 'd', 'abab'], '[$0]')
  }
}

// ---- random patterns over Java tokens: escapes, flags, groups, classes, quantifiers, with case pairs and line ends
{
  let seed = 4321
  const rand = n => { seed = Number((BigInt(seed) * 1103515245n + 12345n) % 2147483648n); return (seed >>> 8) % n }
  const tokens = ['a', 'b', 'A', 'K', 'k', 'é', 'ß', 's', '\\x{41}', '\\0101', '\\u00e9', '\\p{L}', '\\P{Lu}', '\\p{Lower}', '\\w', '\\d', '\\s', '\\h', '\\v', '\\b', '\\B', '\\R', '\\Z', '\\z', '\\A', '\\G',
    '(?i)', '(?-i)', '(?iu)', '(?x)', '(?m)', '(?s)', '(?d)', '(?:', '(?>', '(?=', '(?!', '(?<=', '(?<!', '(?<n>', '\\k<n>', '\\1', '(', ')', ')', '[', ']', '[^', '&&', '-', '|', '*', '+', '?', '*+', '+?', '{2}', '{1,}', '.', '^', '$', ' ', '#', '\n', '\\Q', '\\E']
  const seen = new Set()
  for (let tries = 0; seen.size < 200 && tries < 100000; tries++) {
    const len = 1 + rand(7)
    let p = ''
    for (let i = 0; i < len; i++) p += tokens[rand(tokens.length)]
    if (seen.has(p) || p.trim() !== p) continue
    seen.add(p)
    add('random', p, ['', 'a', 'A', 'ab', 'AB', 'aB', 'k', 'K', '\u212a', 'é', 'É', 'ß', 'ẞ', 'ss', 's', '\u017f', 'a\n', 'a\r\n', '\r\n', '\n', ' ', 'a b', '1', 'aa', 'Aa'], '[$0]')
  }
}

const out = runSmtGolden({ cacheDir: CACHE, artifactId: 'regex-golden', source: join(HERE, 'java', 'RegexGolden.java'), mainClass: 'RegexGolden', cases })
writeFileSync(join(HERE, 'golden.jsonl'), out)
console.log(`${cases.length} cases written to ${join(HERE, 'golden.jsonl')}`)
