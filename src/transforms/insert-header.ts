/**
 * InsertHeader (Kafka's org.apache.kafka.connect.transforms.InsertHeader): appends one header whose value is the
 * configured literal, typed once at configure time by Values.parseString (so "42" becomes an INT8, "null" a null).
 */
import { ConfigDef, newRecord, plugin } from '../api/index.ts'
import type { AnyRecord, Schema, Transformation, Validator } from '../api/index.ts'
import { parseString } from '../converters/values.ts'

// Kafka's ConfigDef.NonNullValidator: a parsed string is never null here, so it only documents the key.
const NON_NULL: Validator = {
  ensureValid () {},
  toString () { return 'non-null string' }
}

export class InsertHeader implements Transformation {
  readonly kind = 'transformation'
  static readonly CONFIG_DEF = new ConfigDef()
    .define({ name: 'header', type: 'string', importance: 'high', validator: NON_NULL, documentation: 'The name of the header.' })
    .define({ name: 'value.literal', type: 'string', importance: 'high', validator: NON_NULL, documentation: 'The literal value that is to be set as the header value on all records.' })

  #header = ''
  #schema: Schema | null = null
  #value: unknown = null

  configure (configs: Readonly<Record<string, string>>): void {
    const config = InsertHeader.CONFIG_DEF.parse(configs)
    this.#header = config.string('header')!
    // ConfigDef trimmed it as Kafka's does, with Java's String.trim (control characters, not U+00A0 or U+FEFF).
    const parsed = parseString(config.string('value.literal')!)
    this.#schema = parsed?.schema ?? null
    this.#value = parsed?.value ?? null
  }

  apply<R extends AnyRecord> (record: R): R {
    return newRecord(record, { headers: record.headers.with(this.#header, this.#value, this.#schema) } as Partial<R>)
  }

  config (): ConfigDef { return InsertHeader.CONFIG_DEF }
}

export const descriptors = [
  plugin({ kind: 'transformation', className: 'org.apache.kafka.connect.transforms.InsertHeader', version: '4.3.1', create: () => new InsertHeader() })
]
