/**
 * Converters turn Connect data into Kafka bytes and back (Kafka's storage.Converter and HeaderConverter).
 *
 * A conversion may return a promise where it must wait for something outside the process, as a Schema Registry
 * converter does the first time it meets a schema; the runtime awaits it only then, so a converter that answers
 * synchronously (every built-in one, and a registry converter once its caches hold the schema) costs no promise.
 * A promise that rejects is handled as a throw would be (errors.retry.* for a RetriableError, errors.tolerance).
 */
import type { ConfigDef } from './config-def.ts'
import type { Headers } from './headers.ts'
import type { Schema, SchemaAndValue } from './schema.ts'

export interface Converter {
  readonly kind: 'converter'
  configure (configs: Readonly<Record<string, string>>, isKey: boolean): void
  fromConnectData (topic: string, headers: Headers, schema: Schema | null, value: unknown): Buffer | null | Promise<Buffer | null>
  toConnectData (topic: string, headers: Headers, value: Buffer | null): SchemaAndValue | Promise<SchemaAndValue>
  config (): ConfigDef
  close? (): void
}

export interface HeaderConverter {
  readonly kind: 'header_converter'
  configure (configs: Readonly<Record<string, string>>): void
  fromConnectHeader (topic: string, headerKey: string, schema: Schema | null, value: unknown): Buffer | null | Promise<Buffer | null>
  toConnectHeader (topic: string, headerKey: string, value: Buffer | null): SchemaAndValue | Promise<SchemaAndValue>
  config (): ConfigDef
  close? (): void
}
