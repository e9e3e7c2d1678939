// Runs every case of golden.jsonl (java.util.regex.Pattern of JDK 17 with Apache Kafka 4.3.1's RegexRouter and
// TopicNameMatches, see generate-golden.mjs) through our translator and the same two plugins. A pattern Java refuses
// must be refused with Java's message. A pattern Java accepts must give the same matches(), groups, predicate result
// and routed topic, or be refused as unsupported, and then only if it is listed in REFUSED below (a new refusal, or
// a listed one that is accepted again, fails the test).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, sourceRecord } from '../../../src/api/index.ts'
import { translateJavaRegex } from '../../../src/java/regex/translate-java-regex.ts'
import { RegexRouter } from '../../../src/transforms/regex-router.ts'
import { TopicNameMatches } from '../../../src/transforms/predicates/topic-name-matches.ts'

const HERE = dirname(fileURLToPath(import.meta.url))

interface Result { matches: boolean, groups?: Array<string | null>, predicate: boolean, routed?: string, routeError?: string }
interface GoldenCase {
  name: string
  construct: string
  pattern: string
  replacement?: string
  inputs: string[]
  expected: { compiles?: boolean, error?: string, routerError?: string, predicateError?: string, groupCount?: number, results?: Result[] }
}

/**
 * Patterns Java accepts that we refuse at config time: case name → words the refusal must contain. `router` marks
 * the ones refused by RegexRouter only (its replacement reads groups; TopicNameMatches only asks matches()).
 */
const REFUSED: Record<string, { reason: string, router?: true }> = {
  'unicode and control escape: \\N{LATIN SMALL LETTER A}': { reason: 'character name escape' },
  'property: \\p{blk=Basic Latin}': { reason: 'Unicode block' },
  'property: \\p{InGreek}': { reason: 'Unicode block' },
  'property: \\p{InBasic_Latin}': { reason: 'Unicode block' },
  'predefined class: \\X': { reason: 'grapheme cluster' },
  'predefined class: a\\X': { reason: 'grapheme cluster' },
  'word boundary: a\\b{g}': { reason: 'grapheme cluster boundary' },
  'word boundary: \\b{g}': { reason: 'grapheme cluster boundary' },
  'group: \\1(a)': { reason: 'backreference to a group that comes after it' },
  'group: (a\\1)': { reason: 'backreference inside the group' },
  'group: (a)?\\1': { reason: 'backreference to a group that may not have matched' },
  'group: (a)|\\1': { reason: 'backreference to a group that may not have matched' },
  'group: (?:(a)|b)+': { reason: 'later repetition', router: true },
  'group: (?:(a)|(b))+': { reason: 'later repetition', router: true },
  'group: (?:a(b)?)+': { reason: 'later repetition', router: true },
  'group: (a*)*': { reason: 'can match the empty string', router: true },
  'group: (a?)+': { reason: 'can match the empty string', router: true },
  'group: (?i)(a)\\1': { reason: 'backreference with case-insensitive matching' },
  'look-behind: .*(?<=(a)+)b': { reason: 'capturing group inside a look-behind', router: true },
  'look-behind: .*(?<=a++)b': { reason: 'inside a look-behind' },
  'look-behind: .*(?<=(?>a|b){2})x': { reason: 'inside a look-behind' },
  'look-behind: .*(?<=xa+)b': { reason: 'overflows Java\'s int' },
  'inline flags: (?c)[é]': { reason: 'canonical equivalence' },
  'inline flags: (?c)\\p{L}': { reason: 'canonical equivalence' },
  'look-behind: .*(?<=ab*c)x': { reason: 'overflows Java\'s int' }
}

/**
 * Patterns Java refuses with a message we cannot reproduce, because we refuse them for another reason first: case
 * name → words of our message.
 */
const REFUSED_OTHERWISE: Record<string, string> = {
  'unicode and control escape: \\N{NO SUCH NAME}': 'character name escape',
  'property: \\p{InNoSuchBlock}': 'Unicode block'
}

// Characters assigned after Unicode 13 (JDK 17's version): Node's Unicode properties know them, JDK 17 does not.
const NEWER_UNICODE = /[\u2c2f]/u

const cases: GoldenCase[] = readFileSync(join(HERE, 'golden.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l) as GoldenCase)

function topic (t: string): ReturnType<typeof sourceRecord> {
  return sourceRecord({ topic: t, kafkaPartition: null, keySchema: null, key: null, valueSchema: null, value: null })
}

function attempt (f: () => void): Error | null {
  try { f(); return null } catch (err) { return err as Error }
}

// Counts for the conformance table, per construct and in all (printed by the last test).
type Tally = Record<'cases' | 'same' | 'refusedJavaAccepts' | 'javaRefusesSameMessage' | 'javaRefusesOtherMessage' | 'unicodeVersionInputs', number>
const tallies = new Map<string, Tally>()
function count (construct: string, key: keyof Tally): void {
  for (const k of [construct, 'all']) {
    const t = tallies.get(k) ?? { cases: 0, same: 0, refusedJavaAccepts: 0, javaRefusesSameMessage: 0, javaRefusesOtherMessage: 0, unicodeVersionInputs: 0 }
    t[key]++
    tallies.set(k, t)
  }
}

for (const c of cases) {
  test(c.name, () => {
    count(c.construct, 'cases')
    const e = c.expected
    const replacement = c.replacement ?? '<$0>'
    const router = new RegexRouter()
    const predicate = new TopicNameMatches()
    const routerError = attempt(() => router.configure({ regex: c.pattern, replacement }))
    const predicateError = attempt(() => predicate.configure({ pattern: c.pattern }))
    const listed = REFUSED[c.name]
    // Random patterns may be refused without being listed; they are counted as refused.
    const refused = listed ?? (c.construct === 'random' ? { reason: '' } : undefined)
    const otherwise = REFUSED_OTHERWISE[c.name]
    for (const [ours, java, plugin] of [[routerError, e.routerError, 'RegexRouter'], [predicateError, e.predicateError, 'TopicNameMatches']] as const) {
      if (java !== undefined) {
        assert.ok(ours instanceof ConfigError, `${plugin}: Java refuses with ${java}`)
        if (otherwise !== undefined) assert.ok(ours.message.includes(otherwise), ours.message)
        else assert.equal(ours.message, java, `${plugin} config error`)
      } else if (ours !== null) {
        assert.ok(refused !== undefined && (plugin === 'RegexRouter' || !refused.router), `${plugin} refuses what Java accepts: ${ours.message}`)
        assert.ok(ours instanceof ConfigError && ours.message.includes('Unsupported regex: ') && ours.message.includes(refused.reason), ours.message)
      } else {
        assert.ok(listed === undefined || (plugin === 'TopicNameMatches' && listed.router), `${plugin} accepts what REFUSED lists`)
      }
    }
    if (e.routerError !== undefined || e.predicateError !== undefined) {
      count(c.construct, otherwise !== undefined ? 'javaRefusesOtherMessage' : 'javaRefusesSameMessage')
      return
    }
    count(c.construct, routerError !== null || predicateError !== null ? 'refusedJavaAccepts' : 'same')
    if (predicateError !== null) return
    // With captures (RegexRouter) when it accepted the pattern, else what TopicNameMatches uses.
    const re = translateJavaRegex(c.pattern.trim(), { captures: routerError === null })
    assert.equal(re.groupCount, e.groupCount, 'groupCount')
    c.inputs.forEach((input, i) => {
      const want = e.results![i]!
      if (NEWER_UNICODE.test(input)) { count(c.construct, 'unicodeVersionInputs'); return }
      const m = re.full.exec(input)
      const what = `input ${JSON.stringify(input)}`
      assert.equal(m !== null, want.matches, `${what} matches()`)
      assert.equal(predicate.test(topic(input)), want.predicate, `${what} TopicNameMatches`)
      if (routerError !== null) return
      if (m && want.groups) {
        const groups = want.groups.map((_, g) => (g === 0 ? m[0] : re.group(m, g)) ?? null)
        assert.deepEqual(groups, want.groups, `${what} groups`)
      }
      if (want.routeError !== undefined) {
        assert.throws(() => router.apply(topic(input)), (err: Error) => {
          assert.equal(err.message, want.routeError!.replace(/^\w+: /, ''), `${what} RegexRouter error`)
          return true
        })
      } else {
        assert.equal(router.apply(topic(input)).topic, want.routed, `${what} RegexRouter`)
      }
    })
  })
}

test('summary', t => {
  for (const [k, v] of tallies) t.diagnostic(`${k}: ${JSON.stringify(v)}`)
})
