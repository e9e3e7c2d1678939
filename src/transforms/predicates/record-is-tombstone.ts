/** RecordIsTombstone (Kafka's predicates.RecordIsTombstone): true when the value is null, whatever the schemas say. */
import { ConfigDef, plugin } from '../../api/index.ts'
import type { AnyRecord, Predicate } from '../../api/index.ts'

export class RecordIsTombstone implements Predicate {
  readonly kind = 'predicate'
  static readonly CONFIG_DEF = new ConfigDef()

  configure (): void {}
  test (record: AnyRecord): boolean { return record.value === null || record.value === undefined }
  config (): ConfigDef { return RecordIsTombstone.CONFIG_DEF }
}

export const descriptors = [
  plugin({ kind: 'predicate', className: 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone', version: '4.3.1', create: () => new RecordIsTombstone() })
]
