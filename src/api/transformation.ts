/**
 * Single message transformations and predicates (Kafka's transforms package).
 */
import type { ConfigDef } from './config-def.ts'
import type { SinkRecord, SourceRecord } from './record.ts'

export type AnyRecord = SourceRecord | SinkRecord

export interface Transformation<R extends AnyRecord = AnyRecord> {
  readonly kind: 'transformation'
  configure (configs: Readonly<Record<string, string>>): void
  /** Returns a new record (see newRecord), or null to drop it. Must not mutate its input. */
  apply (record: R): R | null
  config (): ConfigDef
  close? (): void
}

export interface Predicate<R extends AnyRecord = AnyRecord> {
  readonly kind: 'predicate'
  configure (configs: Readonly<Record<string, string>>): void
  test (record: R): boolean
  config (): ConfigDef
  close? (): void
}
