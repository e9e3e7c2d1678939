/**
 * RegexRouter (Kafka's org.apache.kafka.connect.transforms.RegexRouter): renames the topic when the whole topic name
 * matches a Java regular expression (compiled and expanded by src/java/pattern.ts).
 */
import { ConfigDef, newRecord, plugin } from '../api/index.ts'
import type { AnyRecord, Transformation, Validator } from '../api/index.ts'
import type { JavaRegex } from '../java/regex/translate-java-regex.ts'
import { compileJavaPattern, compileJavaRegex, expandJavaReplacement } from '../java/pattern.ts'

const KAFKA_VERSION = '4.3.1'

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
