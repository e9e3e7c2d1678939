/** HasHeaderKey (Kafka's predicates.HasHeaderKey): true when at least one header has exactly the configured key. */
import { ConfigDef, NonEmptyString, plugin } from '../../api/index.ts'
import type { AnyRecord, Predicate } from '../../api/index.ts'

export class HasHeaderKey implements Predicate {
  readonly kind = 'predicate'
  static readonly CONFIG_DEF = new ConfigDef()
    .define({ name: 'name', type: 'string', importance: 'medium', validator: NonEmptyString, documentation: 'The header name.' })

  #name = ''

  configure (configs: Readonly<Record<string, string>>): void {
    this.#name = HasHeaderKey.CONFIG_DEF.parse(configs).string('name')!
  }

  test (record: AnyRecord): boolean {
    return record.headers.lastWithName(this.#name) !== undefined
  }

  config (): ConfigDef { return HasHeaderKey.CONFIG_DEF }
}

export const descriptors = [
  plugin({ kind: 'predicate', className: 'org.apache.kafka.connect.transforms.predicates.HasHeaderKey', version: '4.3.1', create: () => new HasHeaderKey() })
]
