/**
 * TimestampRouter (Kafka's org.apache.kafka.connect.transforms.TimestampRouter): rewrites the topic from a template
 * holding ${topic} and ${timestamp}. Also home of the java.text.SimpleDateFormat emulation (UTC, English names) that
 * TimestampConverter shares.
 */
import { ConfigDef, DataError, newRecord, plugin, javaString } from '../api/index.ts'
import type { AnyRecord, Schema, Transformation } from '../api/index.ts'

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
// Every letter SimpleDateFormat knows; any other ASCII letter is rejected at compile time, as Java does.
const PATTERN_LETTERS = 'GyMdkHmsSEDFwWahKzZYuXL'

type Token = { letter: string, count: number } | { literal: string }

function tokenize (pattern: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i]!
    if (c === "'") {
      if (pattern[i + 1] === "'") { tokens.push({ literal: "'" }); i += 2; continue }
      let text = ''
      i++
      for (;;) {
        if (i >= pattern.length) throw new Error('Unterminated quote')
        if (pattern[i] === "'") {
          if (pattern[i + 1] === "'") { text += "'"; i += 2; continue }
          i++
          break
        }
        text += pattern[i++]
      }
      tokens.push({ literal: text })
    } else if (/[A-Za-z]/.test(c)) {
      if (!PATTERN_LETTERS.includes(c)) throw new Error(`Illegal pattern character '${c}'`)
      let n = 1
      while (pattern[i + n] === c) n++
      tokens.push({ letter: c, count: n })
      i += n
    } else {
      tokens.push({ literal: c })
      i++
    }
  }
  return tokens
}

const pad = (n: number, width: number): string => (n < 0 ? '-' : '') + String(Math.abs(n)).padStart(width, '0')

/** A compiled SimpleDateFormat pattern with the time zone fixed to UTC and the English locale. */
export class SimpleDateFormat {
  readonly pattern: string
  readonly #tokens: Token[]

  /** Throws Error with Java's IllegalArgumentException message for a bad pattern. */
  constructor (pattern: string) {
    this.pattern = pattern
    this.#tokens = tokenize(pattern)
  }

  format (millis: number): string {
    const d = new Date(millis)
    let out = ''
    for (const t of this.#tokens) {
      if ('literal' in t) { out += t.literal; continue }
      out += formatField(d, t.letter, t.count)
    }
    return out
  }

  /**
   * Lenient parse of a prefix of `text` (trailing text is ignored, out-of-range fields roll over), as
   * SimpleDateFormat.parse(String). Returns null where Java throws ParseException.
   */
  parse (text: string): number | null {
    const f = { year: 1970, month: 0, day: 1, hour: 0, minute: 0, second: 0, milli: 0, pm: null as boolean | null, hour12: null as number | null, offset: 0 }
    let pos = 0
    const tokens = this.#tokens
    for (let ti = 0; ti < tokens.length; ti++) {
      const t = tokens[ti]!
      if ('literal' in t) {
        if (!text.startsWith(t.literal, pos)) return null
        pos += t.literal.length
        continue
      }
      const next = tokens[ti + 1]
      // Adjacent numeric fields (yyyyMMdd) are read with their pattern widths; otherwise digits are read greedily.
      const abutting = next !== undefined && 'letter' in next && isNumeric(next.letter, next.count)
      const readNumber = (): number | null => {
        const m = /^[+-]?\d+/.exec(text.slice(pos, abutting ? pos + t.count : undefined))
        if (!m) return null
        pos += m[0].length
        return Number(m[0])
      }
      const readName = (names: string[]): number | null => {
        const rest = text.slice(pos).toLowerCase()
        let best = -1
        let bestLen = 0
        names.forEach((name, i) => {
          for (const cand of [name, name.slice(0, 3)]) {
            if (rest.startsWith(cand.toLowerCase()) && cand.length > bestLen) { best = i; bestLen = cand.length }
          }
        })
        if (best < 0) return null
        pos += bestLen
        return best
      }
      switch (t.letter) {
        case 'y': case 'Y': {
          const start = pos
          const n = readNumber()
          if (n === null) return null
          // Two-digit years (yy) use Java's window: within 80 years before and 20 after now.
          if (t.count <= 2 && pos - start === 2 && /^\d\d$/.test(text.slice(start, pos))) {
            const now = new Date().getUTCFullYear()
            let y = Math.floor((now - 80) / 100) * 100 + n
            if (y < now - 80) y += 100
            f.year = y
          } else {
            f.year = n
          }
          break
        }
        case 'M': case 'L': {
          const n = t.count >= 3 ? readName(MONTHS) : readNumber()
          if (n === null) return null
          f.month = t.count >= 3 ? n : n - 1
          break
        }
        case 'd': { const n = readNumber(); if (n === null) return null; f.day = n; break }
        case 'H': { const n = readNumber(); if (n === null) return null; f.hour = n; break }
        case 'k': { const n = readNumber(); if (n === null) return null; f.hour = n === 24 ? 0 : n; break }
        case 'K': case 'h': { const n = readNumber(); if (n === null) return null; f.hour12 = t.letter === 'h' && n === 12 ? 0 : n; break }
        case 'm': { const n = readNumber(); if (n === null) return null; f.minute = n; break }
        case 's': { const n = readNumber(); if (n === null) return null; f.second = n; break }
        case 'S': { const n = readNumber(); if (n === null) return null; f.milli = n; break }
        case 'a': {
          const rest = text.slice(pos).toUpperCase()
          if (rest.startsWith('AM')) f.pm = false
          else if (rest.startsWith('PM')) f.pm = true
          else return null
          pos += 2
          break
        }
        case 'E': { if (readName(DAYS) === null) return null; break }
        case 'G': { if (text.startsWith('AD', pos)) pos += 2; else return null; break }
        case 'X': case 'Z': case 'z': {
          const rest = text.slice(pos)
          const m = /^(?:Z|UTC|GMT|([+-])(\d\d):?(\d\d)?)/.exec(rest)
          if (!m) return null
          if (m[1]) f.offset = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0))
          pos += m[0].length
          break
        }
        default: {
          // Day of year / week fields are accepted but, like unset fields, do not move the date (documented gap).
          if (readNumber() === null) return null
        }
      }
    }
    let hour = f.hour
    if (f.hour12 !== null) hour = f.hour12 + (f.pm ? 12 : 0)
    const d = new Date(0)
    d.setUTCFullYear(f.year, f.month, f.day)
    d.setUTCHours(hour, f.minute, f.second, f.milli)
    return d.getTime() - f.offset * 60000
  }
}

function isNumeric (letter: string, count: number): boolean {
  if (letter === 'M' || letter === 'L') return count < 3
  return 'yYdHkKhmsSDFwWu'.includes(letter)
}

function formatField (d: Date, letter: string, count: number): string {
  switch (letter) {
    case 'G': return 'AD'
    case 'y': case 'Y': {
      const y = d.getUTCFullYear()
      return count === 2 ? pad(y % 100, 2) : pad(y, count)
    }
    case 'M': case 'L': {
      const m = d.getUTCMonth()
      if (count >= 4) return MONTHS[m]!
      if (count === 3) return MONTHS[m]!.slice(0, 3)
      return pad(m + 1, count)
    }
    case 'd': return pad(d.getUTCDate(), count)
    case 'H': return pad(d.getUTCHours(), count)
    case 'k': return pad(d.getUTCHours() || 24, count)
    case 'K': return pad(d.getUTCHours() % 12, count)
    case 'h': return pad(d.getUTCHours() % 12 || 12, count)
    case 'm': return pad(d.getUTCMinutes(), count)
    case 's': return pad(d.getUTCSeconds(), count)
    case 'S': return pad(d.getUTCMilliseconds(), count)
    case 'E': return count >= 4 ? DAYS[d.getUTCDay()]! : DAYS[d.getUTCDay()]!.slice(0, 3)
    case 'u': return pad(d.getUTCDay() || 7, count)
    case 'a': return d.getUTCHours() < 12 ? 'AM' : 'PM'
    case 'D': {
      const start = Date.UTC(d.getUTCFullYear(), 0, 1)
      return pad(Math.floor((d.getTime() - start) / 86400000) + 1, count)
    }
    case 'F': return pad(Math.floor((d.getUTCDate() - 1) / 7) + 1, count)
    case 'z': return count >= 4 ? 'Coordinated Universal Time' : 'UTC'
    case 'Z': return '+0000'
    case 'X': return 'Z'
    // Week-of-year/-month need Java's locale week rules; not emulated.
    default: throw new DataError(`SimpleDateFormat pattern letter '${letter}' is not supported`)
  }
}

/** Java's ConnectSchema.toString. */
function schemaString (schema: Schema | null): string {
  if (!schema) return 'null'
  return schema.name ? `Schema{${schema.name}:${schema.type.toUpperCase()}}` : `Schema{${schema.type.toUpperCase()}}`
}

const offsetString = (m: Readonly<Record<string, unknown>> | null): string =>
  m === null ? 'null' : `{${Object.entries(m).map(([k, v]) => `${k}=${javaString(v)}`).join(', ')}}`

/** Java's SourceRecord/SinkRecord toString, used in Kafka's error messages. */
export function javaRecordString (r: AnyRecord): string {
  const head = r.kind === 'source'
    ? `SourceRecord{sourcePartition=${offsetString(r.sourcePartition)}, sourceOffset=${offsetString(r.sourceOffset)}}`
    : `SinkRecord{kafkaOffset=${r.kafkaOffset}, timestampType=${r.timestampType}, originalTopic=${r.originalTopic}, originalKafkaPartition=${r.originalKafkaPartition}, originalKafkaOffset=${r.originalKafkaOffset}}`
  const headers = r.headers.toArray().map(h => `ConnectHeader(key=${h.key}, value=${javaString(h.value)}, schema=${schemaString(h.schema)})`).join(', ')
  return `${head} ConnectRecord{topic='${r.topic}', kafkaPartition=${r.kafkaPartition ?? 'null'}, key=${javaString(r.key)}, keySchema=${schemaString(r.keySchema)}, ` +
    `value=${javaString(r.value)}, valueSchema=${schemaString(r.valueSchema)}, timestamp=${r.timestamp ?? 'null'}, headers=ConnectHeaders(headers=${headers})}`
}

export class TimestampRouter implements Transformation {
  readonly kind = 'transformation'
  static readonly CONFIG_DEF = new ConfigDef()
    .define({ name: 'topic.format', type: 'string', default: '${topic}-${timestamp}', importance: 'high', documentation: 'Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively.' })
    .define({ name: 'timestamp.format', type: 'string', default: 'yyyyMMdd', importance: 'high', documentation: 'Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.' })

  #topicFormat = ''
  #format: SimpleDateFormat | null = null

  configure (configs: Readonly<Record<string, string>>): void {
    const config = TimestampRouter.CONFIG_DEF.parse(configs)
    this.#topicFormat = config.string('topic.format')!
    this.#format = new SimpleDateFormat(config.string('timestamp.format')!)
  }

  apply<R extends AnyRecord> (record: R): R {
    if (!this.#format) throw new Error('TimestampRouter is not configured')
    if (record.timestamp === null) throw new DataError(`Timestamp missing on record: ${javaRecordString(record)}`)
    // Literal replacement of every occurrence, topic first (so a topic containing "${timestamp}" is expanded too).
    const topic = this.#topicFormat.split('${topic}').join(record.topic).split('${timestamp}').join(this.#format.format(record.timestamp))
    return newRecord(record, { topic } as Partial<R>)
  }

  config (): ConfigDef { return TimestampRouter.CONFIG_DEF }
}

export const descriptors = [
  plugin({ kind: 'transformation', className: 'org.apache.kafka.connect.transforms.TimestampRouter', version: '4.3.1', create: () => new TimestampRouter() })
]
