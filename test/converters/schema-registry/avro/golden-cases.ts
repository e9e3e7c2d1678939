/**
 * The cases of the Java golden file: every corpus entry under the default settings, the entries that need scrubbing
 * with scrub.invalid.names, the enum entries with enhanced.avro.schema.support, and schemaless values; each with the
 * text and payloads our Avro format writes. generate-golden.ts has Java re-read them; the golden test compares.
 */
import { DEFAULT_AVRO_DATA_OPTIONS, type AvroDataOptions } from '../../../../src/converters/schema-registry/avro/avro-data-config.ts'
import { AvroFormat } from '../../../../src/converters/schema-registry/avro/avro-format.ts'
import { CORPUS } from '../corpus.ts'

export interface GoldenCase {
  readonly name: string
  readonly text: string
  readonly payloads: readonly string[]
}

export const SCHEMALESS_VALUES: readonly unknown[] = [
  true, 42, -(2n ** 63n), 1.5, 'text', [1, 'two', null, [false]], new Map<unknown, unknown>([['k', 1], [2, [null]]]), []
]

function run (prefix: string, options: Partial<AvroDataOptions>, filter: (tags: readonly string[]) => boolean): GoldenCase[] {
  const format = new AvroFormat({ ...DEFAULT_AVRO_DATA_OPTIONS, ...options })
  return CORPUS.filter(e => filter(e.tags ?? [])).map(e => {
    const schema = format.fromConnectSchema(e.schema)
    return { name: `${prefix}:${e.name}`, text: schema.text, payloads: e.values.map(v => format.serialize(schema, e.schema, v).toString('hex')) }
  })
}

export function goldenCases (): GoldenCase[] {
  const schemaless = new AvroFormat()
  const anything = schemaless.fromConnectSchema(null)
  return [
    ...run('default', {}, tags => !tags.includes('needs-scrub')),
    ...run('scrub', { scrubInvalidNames: true }, tags => tags.includes('needs-scrub')),
    ...run('enhanced', { enhancedSchemaSupport: true }, tags => tags.includes('enum') || tags.includes('union')),
    ...run('no-meta', { connectMetaData: false }, tags => tags.includes('defaults') || tags.includes('schema-meta')),
    { name: 'schemaless', text: anything.text, payloads: SCHEMALESS_VALUES.map(v => schemaless.serialize(anything, null, v).toString('hex')) }
  ]
}
