/** TopicNameMatches (Kafka's predicates.TopicNameMatches): true when the whole topic name matches a Java regex. */
import { ConfigDef, NonEmptyString, plugin } from '../../api/index.ts'
import type { AnyRecord, Predicate, Validator } from '../../api/index.ts'
import { compileJavaRegex } from '../../java/pattern.ts'

// Kafka composes NonEmptyString and RegexValidator; the docs name both.
const PATTERN_VALIDATOR: Validator = {
  ensureValid (name, value) {
    NonEmptyString.ensureValid(name, value)
    if (typeof value === 'string') compileJavaRegex(name, value)
  },
  toString () { return 'non-empty string, valid regex' }
}

export class TopicNameMatches implements Predicate {
  readonly kind = 'predicate'
  static readonly CONFIG_DEF = new ConfigDef()
    .define({ name: 'pattern', type: 'string', importance: 'medium', validator: PATTERN_VALIDATOR, documentation: "A Java regular expression for matching against the name of a record's topic." })

  #pattern: RegExp | null = null

  configure (configs: Readonly<Record<string, string>>): void {
    const config = TopicNameMatches.CONFIG_DEF.parse(configs)
    this.#pattern = compileJavaRegex('pattern', config.string('pattern')!)
  }

  test (record: AnyRecord): boolean {
    if (!this.#pattern) throw new Error('TopicNameMatches is not configured')
    return record.topic !== null && this.#pattern.test(record.topic)
  }

  config (): ConfigDef { return TopicNameMatches.CONFIG_DEF }
}

export const descriptors = [
  plugin({ kind: 'predicate', className: 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches', version: '4.3.1', create: () => new TopicNameMatches() })
]
