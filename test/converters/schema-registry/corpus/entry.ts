/** The shape of one corpus entry and the helpers the corpus files share. */
import { Struct, type Schema } from '../../../../src/api/index.ts'

/**
 * Tags mark what some format cannot carry, so each format's test can list its known exceptions by tag:
 *  int8, int16, float32            the Connect type (formats without it widen and need connect.type metadata)
 *  float-special                   NaN, Infinity, -Infinity or -0 among the values
 *  int64-big                       INT64 values beyond 2^53 (bigint)
 *  non-string-map-keys             a map whose key schema is not STRING (struct-map-keys: the keys are structs)
 *  optional-map-keys               a map whose key schema is optional
 *  optional-items                  an array with optional elements, null among them
 *  optional-map-values             a map with optional values, null among them
 *  nested-arrays                   an array directly inside an array
 *  needs-scrub                     a schema or field name that is not a valid Avro name
 *  top-level-primitive             the schema is not a STRUCT
 *  top-level-optional              the top-level schema is optional (null among the values)
 *  defaults                        a schema default (field or top-level)
 *  top-level-default               a default on the top-level schema itself
 *  schema-meta                     name, version, doc or parameters on a schema other than a struct's name
 *  decimal, date, time, timestamp  the logical types
 *  decimal-precision               Decimal with Confluent's connect.decimal.precision parameter
 *  decimal-negative-scale          Decimal with a scale below 0
 *  enum, union                     Confluent's Connect encoding of an Avro enum / union (io.confluent.connect.avro.*)
 *  empty-struct                    a struct with no fields
 *  named-struct-reuse              one named struct schema used in two places
 */
export interface CorpusEntry {
  readonly name: string
  readonly schema: Schema
  readonly values: readonly unknown[]
  readonly tags?: readonly string[]
}

/** A Struct of `schema` with the given field values (fields left out stay null). */
export function struct (schema: Schema, values: Readonly<Record<string, unknown>>): Struct {
  const s = new Struct(schema)
  for (const [k, v] of Object.entries(values)) s.put(k, v)
  return s
}

export const bytes = (...b: number[]): Buffer => Buffer.from(b)
