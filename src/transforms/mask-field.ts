/**
 * MaskField (Kafka's MaskField$Key / $Value): replaces the listed fields with a type-appropriate "empty" value, or with
 * a configured replacement for numeric and string fields.
 */
import { BigDecimal, ConfigDef, DataError, NonEmptyString, Struct, ValidList, javaHashMapOrder, javaStringHash } from '../api/index.ts'
import type { AnyRecord, Schema, Transformation } from '../api/index.ts'
import {
  REPLACE_NULL_WITH_DEFAULT_CONFIG, REPLACE_NULL_WITH_DEFAULT_KEY, fieldValue, operatingSchema, operatingValue,
  parseConfig, withOperating, keyValueDescriptors } from './util/common.ts'
import type { Side } from './util/common.ts'
import { asJavaHashMap, mapSize, javaClassOf, mapGet, requireMap, requireStruct, toMap } from './util/requires.ts'

const PURPOSE = 'mask fields'

export const MASK_FIELD_CONFIG_DEF = new ConfigDef()
  .define({ name: 'fields', type: 'list', validator: ValidList.anyNonDuplicateValues(false, false), importance: 'high', documentation: 'Names of fields to mask.' })
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

/** Java's new BigDecimal(String): sign, digits with an optional point, an optional exponent; null where Java throws. */
const JAVA_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/
const INT_MAX = 2 ** 31 - 1

function parseJavaDecimal (text: string): { unscaled: bigint, scale: number } | null {
  const m = JAVA_DECIMAL.exec(text)
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null
  const fraction = m[3] ?? ''
  const exponent = m[4] === undefined ? 0 : Number(m[4])
  const scale = fraction.length - exponent
  // BigDecimal's exponent and scale are ints.
  if (Math.abs(exponent) > INT_MAX || Math.abs(scale) > INT_MAX) return null
  return { unscaled: BigInt(`${m[1]}${m[2] || '0'}${fraction}`), scale }
}

/** BigDecimal.longValue(): the integral part (truncated toward zero), then its low 64 bits. */
function javaLongValue ({ unscaled, scale }: { unscaled: bigint, scale: number }): bigint {
  // unscaled * 10^k with k >= 64 is a multiple of 2^64: its low 64 bits are 0 (and 10^k need not be computed).
  if (scale <= -64) return 0n
  const integral = scale <= 0 ? unscaled * 10n ** BigInt(-scale) : unscaled / 10n ** BigInt(scale)
  return BigInt.asIntN(64, integral)
}

/** An int64 the way values carry them: a number while exact, a bigint beyond 2^53. */
function int64 (v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
}

/**
 * Kafka's Values.convertToX(null, text) for a replacement: new BigDecimal(text), then longValue() narrowed like a Java
 * cast for the integral types (so 300 masks a Byte as 44 and 2^63 a Long as -2^63), or doubleValue() (a zero is +0.0:
 * a BigDecimal has no negative zero) rounded once more to a float for a Float. Exact for every int64: no double in
 * between.
 */
function replacementNumber (text: string, javaClass: string): number | bigint {
  const decimal = parseJavaDecimal(text)
  if (decimal === null) throw new DataError(`Unable to convert ${text} (class java.lang.String) to a number`)
  if (FLOATING.has(javaClass)) {
    const d = decimal.unscaled === 0n ? 0 : Number(text)
    return javaClass === 'java.lang.Float' ? Math.fround(d) : d
  }
  const long = javaLongValue(decimal)
  switch (javaClass) {
    case 'java.lang.Byte': return Number(BigInt.asIntN(8, long))
    case 'java.lang.Short': return Number(BigInt.asIntN(16, long))
    case 'java.lang.Integer': return Number(BigInt.asIntN(32, long))
    default: return int64(long)
  }
}

/** MaskField's BigDecimal replacement: new BigDecimal(text), whose NumberFormatException MaskField reports so. */
function replacementDecimal (text: string): BigDecimal {
  const decimal = parseJavaDecimal(text)
  if (decimal === null) throw new DataError(`Unable to convert ${text} (class java.lang.String) to number`)
  return new BigDecimal(decimal.unscaled, decimal.scale)
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
  if (cls === 'java.math.BigDecimal') return replacementDecimal(replacement)
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
    // Kafka keeps the fields in a HashSet (new HashSet<>(list): a table of max(n / .75 + 1, 16)) and puts missing ones
    // into the map in its iteration order, which decides their order within a bucket of the copied map.
    const fields = config.list('fields')
    const setCapacity = Math.max(Math.floor(Math.fround(fields.length / 0.75)) + 1, 16)
    this.#fields = new Set(javaHashMapOrder(fields.map(f => [f, f] as const), javaStringHash, { kind: 'capacity', initialCapacity: setCapacity }).map(([f]) => f))
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
