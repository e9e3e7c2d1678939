// Randomized differential run of our SimpleDateFormat against the JDK's (not part of npm test: it needs Java and
// the classes generate-golden.mjs builds in .cache/smt-golden-dates). Random patterns format random instants, and
// parse both what Java wrote (some of it mutated) and random token soup. Prints every difference; exits 1 if any.
//   node test/transforms/dates/generate-golden.mjs && node --import tsx test/transforms/dates/fuzz-against-jdk.ts [seed] [count]
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SimpleDateFormat, UnsupportedZoneNameError } from '../../../src/transforms/util/simple-date-format.ts'

const CACHE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '.cache', 'smt-golden-dates')
let seed = Number(process.argv[2] ?? Date.now() % 100000)
const count = Number(process.argv[3] ?? 3000)
const rnd = (): number => { // mulberry32
  seed = (seed + 0x6D2B79F5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!
const LETTERS = 'GyMdkHmsSEDFwWahKzZYuXL'
const TOKENS = ['0', '1', '7', '12', '24', '31', '53', '99', '100', '366', '2020', '2021', '1582', '0044', '-1', '-0', '  ', ' ', '\t', '-', ':', '/', 'T',
  'Jan', 'December', 'Sun', 'saturday', 'AM', 'pm', 'AD', 'BC', 'Z', '+01', '+0130', '-05:30', 'GMT', 'GMT+03:00', 'UTC', 'PST', 'x', '1E2', '\u0661\u0662', '999999999999']

interface Case { name: string, kind: 'format' | 'parse', pattern: string, millis?: number, text?: string, expected?: { text?: string, millis?: string, zone?: string, error?: { stage: string, message: string, errorOffset?: number } } }

function randomPattern (): string {
  let p = ''
  for (let j = 0, n = 1 + Math.floor(rnd() * 5); j < n; j++) {
    const l = pick([...LETTERS])
    p += l.repeat(1 + Math.floor(rnd() * (l === 'X' ? 3 : 4))) + pick(['', '-', ' ', ':', '/', "'T'", '', ''])
  }
  return p
}

function randomInstant (): number {
  const r = rnd()
  if (r < 0.3) return Math.floor((rnd() - 0.5) * 2 * 8.64e15)
  if (r < 0.6) return Math.floor(-12219292800000 + (rnd() - 0.5) * 86400000 * 800) // around the 1582 cutover
  return Math.floor(1500000000000 + (rnd() - 0.5) * 86400000 * 365 * 40)
}

function java (cases: Case[]): Case[] {
  const classpath = `${readFileSync(join(CACHE, 'classpath.txt'), 'utf8').trim()}:${join(CACHE, 'classes')}`
  const out = execFileSync('java', ['-Duser.timezone=UTC', '-Duser.language=en', '-Duser.country=US', '-cp', classpath, 'DateFormatGolden'],
    { input: cases.map(c => JSON.stringify(c)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'ignore'] })
  return out.trim().split('\n').map(l => JSON.parse(l) as Case)
}

const startSeed = seed
const formats = java(Array.from({ length: count }, (_, i) => ({ name: `f${i}`, kind: 'format' as const, pattern: randomPattern(), millis: randomInstant() })))
const parses: Case[] = []
for (const c of formats) {
  const t = c.expected?.text
  if (t === undefined) continue
  const k = Math.floor(rnd() * t.length)
  parses.push({ name: `p${c.name}`, kind: 'parse', pattern: c.pattern, text: t })
  parses.push({ name: `m${c.name}`, kind: 'parse', pattern: c.pattern, text: t.slice(0, k) + pick(['9', ' ', '-', '0', 'x', '']) + t.slice(k + 1) })
}
for (let i = 0; i < count; i++) {
  let text = ''
  for (let j = 0, m = 1 + Math.floor(rnd() * 7); j < m; j++) text += pick(TOKENS)
  parses.push({ name: `r${i}`, kind: 'parse', pattern: randomPattern(), text })
}
const all = [...formats, ...java(parses)]

let same = 0
let refused = 0
const differences: string[] = []
for (const c of all) {
  const e = c.expected!
  const want = e.text !== undefined ? `text ${e.text}` : e.millis !== undefined ? `millis ${e.millis}` : e.error!.stage === 'compile' ? `compile ${e.error!.message}` : `error at ${e.error!.errorOffset}`
  let got: string
  try {
    const f = new SimpleDateFormat(c.pattern)
    if (c.kind === 'format') got = `text ${f.format(c.millis!)}`
    else { const r = f.parse(c.text!); got = typeof r === 'number' ? `millis ${r}` : `error at ${r.errorOffset}` }
  } catch (err) {
    // Refusals: a zone name Java switches to (even when its parse then fails), a date beyond a JS Date.
    if (err instanceof UnsupportedZoneNameError && (e.zone !== undefined || e.error?.stage === 'parse')) { refused++; continue }
    if (err instanceof RangeError && !(Math.abs(Number(e.millis)) <= 8.64e15)) { refused++; continue }
    got = `compile ${(err as Error).message}`
  }
  if (got === want) same++
  else differences.push(`${JSON.stringify(c.pattern)} ${c.kind === 'format' ? c.millis : JSON.stringify(c.text)}: Java ${want}, ours ${got}`)
}
process.stdout.write(`seed ${startSeed}: ${all.length} cases, ${same} identical, ${refused} refused, ${differences.length} different\n${differences.slice(0, 50).join('\n')}\n`)
process.exitCode = differences.length === 0 ? 0 : 1
