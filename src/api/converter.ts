/**
 * Converters turn Connect data into Kafka bytes and back (Kafka's storage.Converter and HeaderConverter).
 */
import type { ConfigDef } from './config-def.ts'
import type { Headers } from './headers.ts'
import type { Schema, SchemaAndValue } from './schema.ts'

export interface Converter {
  readonly kind: 'converter'
  configure (configs: Readonly<Record<string, string>>, isKey: boolean): void
  fromConnectData (topic: string, headers: Headers, schema: Schema | null, value: unknown): Buffer | null
  toConnectData (topic: string, headers: Headers, value: Buffer | null): SchemaAndValue
  config (): ConfigDef
  close? (): void
}

export interface HeaderConverter {
  readonly kind: 'header_converter'
  configure (configs: Readonly<Record<string, string>>): void
  fromConnectHeader (topic: string, headerKey: string, schema: Schema | null, value: unknown): Buffer | null
  toConnectHeader (topic: string, headerKey: string, value: Buffer | null): SchemaAndValue
  config (): ConfigDef
  close? (): void
}
