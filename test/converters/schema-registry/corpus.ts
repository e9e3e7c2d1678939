/**
 * The Schema Registry formats' shared corpus: Connect schemas with values built with src/api, covering every type and
 * logical type, nesting, optional and defaulted fields, schema metadata, names that need scrubbing and extremes.
 * Each format's tests run the whole corpus and list the tags (see corpus/entry.ts) of what that format cannot carry.
 */
import { CONTAINER_ENTRIES } from './corpus/containers.ts'
import type { CorpusEntry } from './corpus/entry.ts'
import { LOGICAL_ENTRIES } from './corpus/logical.ts'
import { PRIMITIVE_ENTRIES } from './corpus/primitives.ts'
import { RECORD_ENTRIES } from './corpus/records.ts'
import { STRUCT_ENTRIES } from './corpus/structs.ts'

export type { CorpusEntry } from './corpus/entry.ts'
export { assertConnectEqual, connectSchemaEquals, connectValueEquals, schemaDiff, valueDiff, withStructDefaults } from './connect-equals.ts'

export const CORPUS: ReadonlyArray<CorpusEntry> = Object.freeze([...PRIMITIVE_ENTRIES, ...LOGICAL_ENTRIES, ...CONTAINER_ENTRIES, ...STRUCT_ENTRIES, ...RECORD_ENTRIES])

/** The entries none of whose tags is in `exceptions` (a format's known limits). */
export function corpusWithout (exceptions: readonly string[]): CorpusEntry[] {
  return CORPUS.filter(e => !(e.tags ?? []).some(t => exceptions.includes(t)))
}
