/** Filter (Kafka's org.apache.kafka.connect.transforms.Filter): drops every record; meant to be used with a predicate. */
import { ConfigDef, plugin } from '../api/index.ts'
import type { Transformation } from '../api/index.ts'

export class Filter implements Transformation {
  readonly kind = 'transformation'
  static readonly CONFIG_DEF = new ConfigDef()

  configure (): void {}
  apply (): null { return null }
  config (): ConfigDef { return Filter.CONFIG_DEF }
}

export const descriptors = [
  plugin({ kind: 'transformation', className: 'org.apache.kafka.connect.transforms.Filter', version: '4.3.1', create: () => new Filter() })
]
