/**
 * MaskField (Kafka's MaskField$Key / $Value): replaces the listed fields with a type-appropriate "empty" value, or with
 * a configured replacement for numeric and string fields.
 */
import { BigDecimal, ConfigDef, DataError, NonEmptyString, Struct } from '../api/index.ts'
import type { AnyRecord, Schema, Transformation } from '../api/index.ts'
import {
  REPLACE_NULL_WITH_DEFAULT_CONFIG, REPLACE_NULL_WITH_DEFAULT_KEY, fieldValue, operatingSchema, operatingValue,
  parseConfig, withOperating, keyValueDescriptors } from './util/common.ts'
import type { Side } from './util/common.ts'
import { anyNonDuplicateValues } from './util/valid-list.ts'
import { asJavaHashMap, mapSize, javaClassOf, mapGet, requireMap, requireStruct, toMap } from './util/requires.ts'

const PURPOSE = 'mask fields'

export const MASK_FIELD_CONFIG_DEF = new ConfigDef()
  .define({ name: 'fields', type: 'list', validator: anyNonDuplicateValues(false, false), importance: 'high', documentation: 'Names of fields to mask.' })
  .define({
    name: 'replacement',
    type: 'string',
    default: null,
    validator: NonEmptyString,
    importance: 'low',
    documentation: "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only)."
  })
  .define(REPLACE_NULL_WITH_DEFAULT_KEY)

const INTEGRAL = new Set(['java.lang.Byte', 'java.lang.Short', 'java.lang.Integer', 'java.lang.Long'])
const FLOATING = new Set(['java.lang.Float', 'java.lang.Double'])

/** Kafka's Values.convertToX(null, string): the text is parsed as a number, then narrowed like Java's xValue(). */
function replacementNumber (text: string, javaClass: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    throw new DataError(`Unable to convert ${text} (class java.lang.String) to a number`)
  }
  const n = Number(text)
  if (FLOATING.has(javaClass)) return javaClass === 'java.lang.Float' ? Math.fround(n) : n
  const t = Math.trunc(n)
  switch (javaClass) {
    case 'java.lang.Byte': return (t << 24) >> 24
    case 'java.lang.Short': return (t << 16) >> 16
    case 'java.lang.Integer': return t | 0
    default: return t
  }
}

function mask (value: unknown, schema: Schema | null, replacement: string | null): unknown {
  if (value === null || value === undefined) return null
  const cls = javaClassOf(value, schema)
  if (replacement === null) {
    if (cls === 'java.lang.Boolean') return false
    if (INTEGRAL.has(cls) || FLOATING.has(cls)) return 0
    if (cls === 'java.math.BigDecimal') return new BigDecimal(0n, 0)
    if (cls === 'java.util.Date') return new Date(0)
    if (cls === 'java.lang.String') return ''
    if (cls === 'java.util.ArrayList') return []
    if (cls === 'java.util.HashMap') return new Map()
    throw new DataError(`Cannot mask value of type: class ${cls}`)
  }
  if (INTEGRAL.has(cls) || FLOATING.has(cls)) return replacementNumber(replacement, cls)
  if (cls === 'java.math.BigDecimal') return BigDecimal.parse(replacement)
  if (cls === 'java.lang.String') return replacement
  throw new DataError(`Cannot mask value of type class ${cls} with custom replacement.`)
}

abstract class MaskField implements Transformation {
  readonly kind = 'transformation' as const
  protected abstract readonly side: Side
  #fields = new Set<string>()
  #replacement: string | null = null
  #replaceNullWithDefault = true

  configure (configs: Readonly<Record<string, string>>): void {
    const config = parseConfig(MASK_FIELD_CONFIG_DEF, configs)
    this.#fields = new Set(config.list('fields'))
    this.#replacement = config.string('replacement')
    this.#replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT_CONFIG)
  }

  apply<R extends AnyRecord> (record: R): R {
    const schema = operatingSchema(record, this.side)
    const value = operatingValue(record, this.side)
    if (!schema) {
      const original = requireMap(value, PURPOSE)
      const updated = toMap(original)
      // Listed fields missing from the map are added as null, as Kafka's put(field, masked(get(field))) does.
      for (const field of this.#fields) updated.set(field, mask(mapGet(original, field), null, this.#replacement))
      return withOperating(record, this.side, null, asJavaHashMap(updated, { kind: 'copy', sourceSize: mapSize(original) }))
    }
    const struct = requireStruct(value, PURPOSE, schema)
    const updated = new Struct(struct.schema)
    for (const field of struct.schema.fields ?? []) {
      const v = fieldValue(struct, field.name, this.#replaceNullWithDefault)
      updated.put(field.name, this.#fields.has(field.name) ? mask(v, field.schema, this.#replacement) : v)
    }
    return withOperating(record, this.side, schema, updated)
  }

  config (): ConfigDef { return MASK_FIELD_CONFIG_DEF }
  close (): void {}
}

export class MaskFieldKey extends MaskField { protected readonly side = 'key' as const }
export class MaskFieldValue extends MaskField { protected readonly side = 'value' as const }

export const descriptors = keyValueDescriptors('MaskField', MaskFieldKey, MaskFieldValue)
