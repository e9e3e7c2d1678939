/** DropHeaders (Kafka's org.apache.kafka.connect.transforms.DropHeaders): removes every header with a listed key. */
import { ConfigDef, ConfigError, Headers, newRecord, plugin } from '../api/index.ts'
import type { AnyRecord, Transformation, Validator } from '../api/index.ts'

// Kafka's ConfigDef.NonEmptyList: its messages carry no "Invalid value" prefix and its docs text is empty.
const NON_EMPTY_LIST: Validator = {
  ensureValid (name, value) {
    if (!Array.isArray(value)) return
    if (value.length === 0) throw new ConfigError(`Configuration '${name}' must not be empty. Valid values include: any non-empty value`)
    if (value.some(v => v === '')) throw new ConfigError(`Configuration '${name}' values must not be empty.`)
  },
  toString () { return '' }
}

export class DropHeaders implements Transformation {
  readonly kind = 'transformation'
  static readonly CONFIG_DEF = new ConfigDef()
    .define({ name: 'headers', type: 'list', importance: 'high', validator: NON_EMPTY_LIST, documentation: 'The name of the headers to be removed.' })

  #headers = new Set<string>()

  configure (configs: Readonly<Record<string, string>>): void {
    this.#headers = new Set(DropHeaders.CONFIG_DEF.parse(configs).list('headers'))
  }

  apply<R extends AnyRecord> (record: R): R {
    const kept = record.headers.toArray().filter(h => !this.#headers.has(h.key))
    return newRecord(record, { headers: new Headers(kept) } as Partial<R>)
  }

  config (): ConfigDef { return DropHeaders.CONFIG_DEF }
}

export const descriptors = [
  plugin({ kind: 'transformation', className: 'org.apache.kafka.connect.transforms.DropHeaders', version: '4.3.1', create: () => new DropHeaders() })
]
