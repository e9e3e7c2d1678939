/** DropHeaders (Kafka's org.apache.kafka.connect.transforms.DropHeaders): removes every header with a listed key. */
import { ConfigDef, Headers, ValidList, newRecord, plugin } from '../api/index.ts'
import type { AnyRecord, Transformation } from '../api/index.ts'

export class DropHeaders implements Transformation {
  readonly kind = 'transformation'
  static readonly CONFIG_DEF = new ConfigDef()
    .define({ name: 'headers', type: 'list', importance: 'high', validator: ValidList.anyNonDuplicateValues(false, false), documentation: 'The name of the headers to be removed.' })

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
