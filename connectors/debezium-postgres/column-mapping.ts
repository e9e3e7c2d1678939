/**
 * Debezium 3.x's PostgreSQL type mapping (PostgresValueConverter over JdbcValueConverters): per column, the Connect
 * schema Debezium gives it and the value it emits, computed from PostgreSQL's text output of the value (the snapshot
 * reads rows as text; pgoutput sends text). The sessions must print dates in DateStyle ISO, intervals in IntervalStyle
 * postgres and bytea in hex (the defaults).
 *
 * Columns of a type Debezium does not map are dropped (columnMapping returns null) unless include.unknown.datatypes,
 * as Debezium: then their text, as bytes in binary.handling.mode.
 */
import { BigDecimal, bigintToBytes, DataError, Decimal, SchemaBuilder, Struct, type Schema } from '../../src/api/index.ts'
import { columnDefaultValue } from './column-default.ts'
import { parseArrayText, type PgArrayElement } from './pg-array-text.ts'
import { isoTime, parseTimeTzAtUtc } from './pg-temporal-text.ts'
import { dateConverter, int64, intervalConverter, LONG_MAX, LONG_MIN, temporalPrecision, timeConverter, timestampConverter, zonedTimestampConverter } from './temporal-mapping.ts'
import { hstoreJson, parseHstore, pointBuilder, pointValue, unchangedToastValue } from './special-values.ts'
import type { ColumnInfo, ColumnMapping } from './table-info.ts'

export type DecimalHandlingMode = 'precise' | 'double' | 'string'
export type TimePrecisionMode = 'adaptive' | 'adaptive_time_microseconds' | 'connect' | 'isostring' | 'microseconds' | 'nanoseconds'
export type BinaryHandlingMode = 'bytes' | 'base64' | 'base64-url-safe' | 'hex'
export type IntervalHandlingMode = 'numeric' | 'string'
export type HstoreHandlingMode = 'json' | 'map'

/** The connector keys that change a column's schema or values (Debezium's names in the comments). */
export interface ColumnMappingOptions {
  /** decimal.handling.mode (default precise) */
  readonly decimalHandlingMode?: DecimalHandlingMode | undefined
  /** time.precision.mode (default adaptive) */
  readonly timePrecisionMode?: TimePrecisionMode | undefined
  /** binary.handling.mode (default bytes) */
  readonly binaryHandlingMode?: BinaryHandlingMode | undefined
  /** interval.handling.mode (default numeric) */
  readonly intervalHandlingMode?: IntervalHandlingMode | undefined
  /** hstore.handling.mode (default json) */
  readonly hstoreHandlingMode?: HstoreHandlingMode | undefined
  /** unavailable.value.placeholder (default __debezium_unavailable_value) */
  readonly unavailableValuePlaceholder?: string | undefined
  /** Its bytes when given as `hex:<octets>` (else its UTF-8 bytes). */
  readonly unavailableValuePlaceholderBytes?: Uint8Array | undefined
  /** money.fraction.digits (default 2) */
  readonly moneyFractionDigits?: number | undefined
  /** include.unknown.datatypes (default false) */
  readonly includeUnknownDatatypes?: boolean | undefined
  /** include.schema.comments (default false): column comments become the field schemas' doc. */
  readonly includeSchemaComments?: boolean | undefined
  /** Told of values Debezium logs a warning for and emits as null (NaN/Infinity numerics in precise mode). */
  readonly warn?: ((message: string) => void) | undefined
}

export const DEFAULT_UNAVAILABLE_VALUE_PLACEHOLDER = '__debezium_unavailable_value'

export interface Options {
  readonly decimal: DecimalHandlingMode
  readonly time: TimePrecisionMode
  readonly binary: BinaryHandlingMode
  readonly interval: IntervalHandlingMode
  readonly hstore: HstoreHandlingMode
  readonly placeholder: Uint8Array
  readonly moneyDigits: number
  readonly includeUnknown: boolean
  readonly warn: (message: string) => void
}

function resolveOptions (o: ColumnMappingOptions): Options {
  return {
    decimal: o.decimalHandlingMode ?? 'precise',
    time: o.timePrecisionMode ?? 'adaptive',
    binary: o.binaryHandlingMode ?? 'bytes',
    interval: o.intervalHandlingMode ?? 'numeric',
    hstore: o.hstoreHandlingMode ?? 'json',
    placeholder: o.unavailableValuePlaceholderBytes ?? Buffer.from(o.unavailableValuePlaceholder ?? DEFAULT_UNAVAILABLE_VALUE_PLACEHOLDER, 'utf8'),
    moneyDigits: o.moneyFractionDigits ?? 2,
    includeUnknown: o.includeUnknownDatatypes ?? false,
    warn: o.warn ?? (() => {})
  }
}

/** One type's schema and its parser of PostgreSQL's text output. */
export interface TypeConverter {
  readonly builder: () => SchemaBuilder
  /** `schema` is the column's (or array element's) final schema: struct values are built on it. */
  readonly parse: (text: string, schema: Schema) => unknown
}

/** An int2/int4 from its text: numbers only (no bigint on the hot path). */
function parseSmallInteger (text: string, min: number, max: number): number {
  if (!/^[+-]?\d{1,10}$/.test(text)) throw new DataError(`Not an integer: ${text}`)
  const n = Number(text)
  if (n < min || n > max) throw new DataError(`Integer out of range: ${text}`)
  return n
}

/** An int8: a number when its text is short enough to be exact, else through bigint. */
function parseLong (text: string): number | bigint {
  if (/^[+-]?\d{1,15}$/.test(text)) return Number(text)
  return int64(parseInteger(text, LONG_MIN, LONG_MAX))
}

function parseInteger (text: string, min: bigint, max: bigint): bigint {
  if (!/^[+-]?\d+$/.test(text)) throw new DataError(`Not an integer: ${text}`)
  const n = BigInt(text)
  if (n < min || n > max) throw new DataError(`Integer out of range: ${text}`)
  return n
}


/** BigDecimal.setScale(scale, mode): exact when growing; shrinking rounds HALF_UP or fails as UNNECESSARY would. */
export function setScale (d: BigDecimal, scale: number, halfUp = false): BigDecimal {
  if (scale >= d.scale) return new BigDecimal(d.unscaled * 10n ** BigInt(scale - d.scale), scale)
  const divisor = 10n ** BigInt(d.scale - scale)
  const q = d.unscaled / divisor
  const r = d.unscaled % divisor
  if (r === 0n) return new BigDecimal(q, scale)
  if (!halfUp) throw new DataError(`Rounding necessary: ${d.toString()} to scale ${scale}`)
  const twice = (r < 0n ? -r : r) * 2n
  return new BigDecimal(twice >= divisor ? q + (d.unscaled < 0n ? -1n : 1n) : q, scale)
}

/** BigDecimal.stripTrailingZeros, then a negative scale back to 0 (PostgresValueConverter.convertDecimal). */
function stripZeros (d: BigDecimal): BigDecimal {
  let { unscaled, scale } = d
  if (unscaled === 0n) return new BigDecimal(0n, 0)
  while (unscaled % 10n === 0n) { unscaled /= 10n; scale-- }
  return scale < 0 ? new BigDecimal(unscaled * 10n ** BigInt(-scale), 0) : new BigDecimal(unscaled, scale)
}

/** BigDecimal.toPlainString. */
export function plainString (d: BigDecimal): string {
  if (d.scale <= 0) return (d.unscaled * 10n ** BigInt(-d.scale)).toString()
  const negative = d.unscaled < 0n
  const digits = (negative ? -d.unscaled : d.unscaled).toString().padStart(d.scale + 1, '0')
  return `${negative ? '-' : ''}${digits.slice(0, digits.length - d.scale)}.${digits.slice(digits.length - d.scale)}`
}

/** The io.debezium.data.VariableScaleDecimal struct schema. */
export const VARIABLE_SCALE_DECIMAL_SCHEMA = variableScaleDecimalBuilder().build()
export const OPTIONAL_VARIABLE_SCALE_DECIMAL_SCHEMA = variableScaleDecimalBuilder().optional().build()

function variableScaleDecimalBuilder (): SchemaBuilder {
  return SchemaBuilder.struct().name('io.debezium.data.VariableScaleDecimal').version(1).doc('Variable scaled decimal')
    .field('scale', SchemaBuilder.int32().build()).field('value', SchemaBuilder.bytes().build())
}

const SPECIAL_DECIMALS: Record<string, { double: number, name: string }> = {
  NaN: { double: NaN, name: 'NAN' },
  Infinity: { double: Infinity, name: 'POSITIVE_INFINITY' },
  '-Infinity': { double: -Infinity, name: 'NEGATIVE_INFINITY' }
}

function numericConverter (typeMod: number, o: Options, columnName: string): TypeConverter {
  // pgjdbc's metadata: numeric(p,s) has length p and scale s; numeric without typmod has length 0 and no scale.
  const precision = typeMod === -1 ? 0 : ((typeMod - 4) >> 16) & 0xffff
  const scale = typeMod === -1 ? null : (typeMod - 4) & 0xffff
  const variable = o.decimal === 'precise' && precision === 0 && (scale ?? 0) === 0
  const builder = (): SchemaBuilder => {
    if (variable) return variableScaleDecimalBuilder()
    if (o.decimal === 'double') return SchemaBuilder.float64()
    if (o.decimal === 'string') return SchemaBuilder.string()
    return Decimal.builder(scale ?? 0).parameter('connect.decimal.precision', String(precision))
  }
  return {
    builder,
    parse: (text, schema) => {
      const special = SPECIAL_DECIMALS[text]
      if (special !== undefined) {
        if (o.decimal === 'double') return special.double
        if (o.decimal === 'string') return special.name
        // Debezium fails this conversion ("Got a special value (NaN/Infinity) for Decimal type in column ... but
        // current mode does not handle it") and, with event.converting.failure.handling.mode=warn (its default),
        // logs it and emits null.
        o.warn(`Got a special value (NaN/Infinity) for Decimal type in column ${columnName} but current mode does not handle it: emitting null`)
        return null
      }
      let d = BigDecimal.parse(text)
      if (scale !== null) d = setScale(d, scale)
      if (variable) {
        d = stripZeros(d)
        return new Struct(schema).put('scale', d.scale).put('value', bigintToBytes(d.unscaled))
      }
      if (o.decimal === 'double') return Number(plainString(d))
      if (o.decimal === 'string') return plainString(d)
      return d
    }
  }
}

/** PostgresMoney.parse: '$1,234.56', '-$1,234.56' or '($1,234.56)' without the currency symbol and separators. */
export function parseMoney (text: string): BigDecimal {
  const negative = text.startsWith('(') || text.startsWith('-')
  let value = text.startsWith('-') ? text.slice(1) : text
  if (value.startsWith('(') && value.endsWith(')')) value = value.slice(1, -1)
  if (value !== '' && !/^[0-9.]/.test(value)) value = value.slice(1)
  value = value.replace(/,/g, '')
  try {
    return BigDecimal.parse(negative ? `-${value}` : value)
  } catch (err) {
    throw new DataError(`Failed to parse money value: ${text}`, { cause: err })
  }
}

function moneyConverter (o: Options): TypeConverter {
  return {
    builder: () => o.decimal === 'double' ? SchemaBuilder.float64() : o.decimal === 'string' ? SchemaBuilder.string() : Decimal.builder(o.moneyDigits),
    parse: text => {
      const d = parseMoney(text)
      if (o.decimal === 'double') return Number(plainString(d))
      if (o.decimal === 'string') return plainString(d)
      return setScale(d, o.moneyDigits, true)
    }
  }
}

function parseBytea (text: string): Buffer {
  if (!text.startsWith('\\x')) throw new DataError('bytea text is not in hex format (set bytea_output = hex)')
  return Buffer.from(text.slice(2), 'hex')
}

/** The binary.handling.mode schema and rendering of raw bytes. */
function binaryConverter (o: Options, toBytes: (text: string) => Buffer): TypeConverter {
  switch (o.binary) {
    case 'base64': return { builder: () => SchemaBuilder.string(), parse: t => toBytes(t).toString('base64') }
    case 'base64-url-safe': return { builder: () => SchemaBuilder.string(), parse: t => base64UrlPadded(toBytes(t)) }
    case 'hex': return { builder: () => SchemaBuilder.string(), parse: t => toBytes(t).toString('hex') }
    default: return { builder: () => SchemaBuilder.bytes(), parse: toBytes }
  }
}

/** java.util.Base64.getUrlEncoder(): the URL-safe alphabet, with padding. */
function base64UrlPadded (bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_')
}

/**
 * bit(n)/varbit(n), n > 1: io.debezium.data.Bits, the bits little-endian (the last character is bit 0) in as few bytes
 * as the highest set bit needs (none for all zeros), as PostgresValueConverter.convertBits does with a BitSet.
 */
export function bitsValue (text: string): Buffer {
  const bytes: number[] = []
  let highest = -1
  for (let i = 0; i < text.length; i++) {
    const bit = text.length - 1 - i
    if (text[i] === '1') {
      bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (1 << (bit & 7))
      if (bit > highest) highest = bit
    } else if (text[i] !== '0') {
      throw new DataError(`Not a bit string: ${text}`)
    }
  }
  return Buffer.from(Array.from({ length: (highest >> 3) + 1 }, (_, i) => bytes[i] ?? 0))
}

function bitConverter (length: number): TypeConverter {
  if (length > 1) return { builder: () => SchemaBuilder.bytes().name('io.debezium.data.Bits').version(1).parameter('length', String(length)), parse: bitsValue }
  return { builder: () => SchemaBuilder.bool(), parse: text => /1/.test(text) }
}

function stringConverter (name?: string, params?: Record<string, string>): TypeConverter {
  return {
    builder: () => {
      const b = SchemaBuilder.string()
      if (name !== undefined) b.name(name).version(1)
      if (params !== undefined) b.parameters(params)
      return b
    },
    parse: text => text
  }
}

/** The mapping of one non-array type, or null when Debezium has none (the column is then dropped). */
export function scalarConverter (typeName: string, typeMod: number, enumValues: readonly string[] | undefined, o: Options, columnName: string): TypeConverter | null {
  if (enumValues !== undefined) return stringConverter('io.debezium.data.Enum', { allowed: enumValues.join(',') })
  switch (typeName) {
    case 'bool': return { builder: () => SchemaBuilder.bool(), parse: t => t === 't' }
    case 'int2': return { builder: () => SchemaBuilder.int16(), parse: t => parseSmallInteger(t, -32768, 32767) }
    case 'int4': return { builder: () => SchemaBuilder.int32(), parse: t => parseSmallInteger(t, -2147483648, 2147483647) }
    case 'int8': case 'oid': return { builder: () => SchemaBuilder.int64(), parse: parseLong }
    case 'float4': return { builder: () => SchemaBuilder.float32(), parse: t => Math.fround(Number(t)) }
    case 'float8': return { builder: () => SchemaBuilder.float64(), parse: t => Number(t) }
    case 'numeric': return numericConverter(typeMod, o, columnName)
    case 'money': return moneyConverter(o)
    case 'char': case 'name': case 'varchar': case 'bpchar': case 'text': case 'citext': case 'isbn':
    case 'inet': case 'cidr': case 'macaddr': case 'macaddr8':
    case 'int4range': case 'int8range': case 'numrange': case 'tsrange': case 'tstzrange': case 'daterange':
      return stringConverter()
    case 'json': case 'jsonb': return stringConverter('io.debezium.data.Json')
    case 'xml': return stringConverter('io.debezium.data.Xml')
    case 'uuid': return stringConverter('io.debezium.data.Uuid')
    case 'ltree': return stringConverter('io.debezium.data.Ltree')
    case 'tsvector': return stringConverter('io.debezium.data.Tsvector')
    case 'bytea': return binaryConverter(o, parseBytea)
    case 'bit': return bitConverter(typeMod === -1 ? 1 : typeMod)
    // pgjdbc reports an unbounded varbit's length as Integer.MAX_VALUE.
    case 'varbit': return bitConverter(typeMod === -1 ? 2147483647 : typeMod)
    case 'date': return dateConverter(o, true)
    case 'time': return timeConverter(temporalPrecision(typeMod), o)
    case 'timetz': return { builder: () => SchemaBuilder.string().name('io.debezium.time.ZonedTime').version(1), parse: t => `${isoTime(parseTimeTzAtUtc(t))}Z` }
    case 'timestamp': return timestampConverter(temporalPrecision(typeMod), o)
    case 'timestamptz': return zonedTimestampConverter(temporalPrecision(typeMod))
    case 'interval': return intervalConverter(o)
    case 'point': return { builder: () => pointBuilder(), parse: pointValue }
    case 'hstore':
      if (o.hstore === 'map') return { builder: () => SchemaBuilder.map(SchemaBuilder.string().build(), SchemaBuilder.string().optional().build()), parse: t => new Map(parseHstore(t)) }
      return { builder: () => SchemaBuilder.string().name('io.debezium.data.Json').version(1), parse: t => hstoreJson(parseHstore(t)) }
    default: return null
  }
}

/**
 * Array element types Debezium maps with an optional element schema (its explicit list); other element types it
 * maps (enums, tsvector) get a required element schema, and the rest drop the column.
 */
const OPTIONAL_ELEMENT_TYPES = new Set([
  'int2', 'int4', 'int8', 'oid', 'char', 'varchar', 'text', 'bpchar', 'inet', 'cidr', 'macaddr', 'macaddr8', 'tsrange', 'tstzrange',
  'daterange', 'int4range', 'numrange', 'int8range', 'numeric', 'float4', 'float8', 'bool', 'date', 'uuid', 'json', 'jsonb', 'time',
  'timetz', 'timestamp', 'timestamptz', 'bytea', 'citext', 'ltree', 'hstore'
])
/** Arrays Debezium leaves unmapped (PostgresValueConverter returns no schema for them). */
const UNMAPPED_ARRAY_ELEMENTS = new Set(['money', 'name', 'interval', 'varbit', 'bit', 'xml', 'point', 'refcursor'])

/**
 * Debezium reads array elements of time and timetz through JDBC's java.sql.Time: a time keeps milliseconds only (and
 * 24:00:00 wraps to midnight), a timetz whole seconds only.
 */
function timeElementText (elementName: string, text: string): string {
  if (elementName === 'time') return text.startsWith('24:') ? '00:00:00' : text.replace(/(\.\d{1,3})\d*/, '$1')
  return text.replace(/\.\d+/, '')
}

function arrayConverter (elementName: string, typeMod: number, enumValues: readonly string[] | undefined, o: Options, columnName: string): TypeConverter | null {
  if (UNMAPPED_ARRAY_ELEMENTS.has(elementName)) return null
  const element = enumValues !== undefined
    ? scalarConverter(elementName, typeMod, enumValues, o, columnName)
    : elementName === 'date'
      ? dateConverter(o, true)
      : elementName === 'timestamp'
        ? timestampConverter(temporalPrecision(typeMod), o, true)
        : elementName === 'timestamptz' ? zonedTimestampConverter(temporalPrecision(typeMod), true) : scalarConverter(elementName, typeMod, enumValues, o, columnName)
  if (element === null) return null
  const optionalElements = enumValues === undefined && OPTIONAL_ELEMENT_TYPES.has(elementName)
  const elementSchema = optionalElements ? element.builder().optional().build() : element.builder().build()
  const jdbcTime = elementName === 'time' || elementName === 'timetz'
  const convert = (e: PgArrayElement): unknown => {
    if (e === null) return null
    // A nested list is a further dimension: Debezium's element converter cannot read it and emits null.
    if (Array.isArray(e)) return null
    return element.parse(jdbcTime ? timeElementText(elementName, e) : e, elementSchema)
  }
  return {
    builder: () => SchemaBuilder.array(elementSchema),
    parse: t => {
      const values = parseArrayText(t).map(convert)
      // A null element in an array whose elements are required fails Debezium's conversion: it warns, emits null.
      if (!optionalElements && values.includes(null)) {
        o.warn(`Column ${columnName}: a NULL element in an array of required elements: emitting null`)
        return null
      }
      return values
    }
  }
}

/** The type a column is mapped by: a domain's base type (its own typmod unless the domain sets one). */
function effectiveType (c: ColumnInfo): { name: string, mod: number } {
  if (c.typeType === 'd' && c.baseTypeName !== undefined) return { name: c.baseTypeName, mod: c.baseTypeMod ?? -1 }
  return { name: c.typeName, mod: c.typeMod }
}

/** The converter of a column's type, or null when Debezium drops the column. */
export function typeConverter (column: ColumnInfo, options: ColumnMappingOptions = {}): TypeConverter | null {
  const o = resolveOptions(options)
  const { name, mod } = effectiveType(column)
  let converter: TypeConverter | null
  if (name === 'int2vector' || name === 'oidvector') {
    // Debezium 3.6.1 emits these vectors as an empty array whatever the value (its array reader finds no elements in
    // their space-separated text): the differential test shows `"1 2"` as [].
    const element = name === 'int2vector' ? SchemaBuilder.int16().optional().build() : SchemaBuilder.int64().optional().build()
    return { builder: () => SchemaBuilder.array(element), parse: () => [] }
  }
  if (column.elementTypeName !== undefined) {
    // An array of a domain: Debezium finds no element mapping and drops it (even with include.unknown.datatypes).
    if (column.elementTypeType === 'd') return null
    converter = arrayConverter(column.elementTypeName, mod, column.enumValues, o, column.name)
    if (converter === null) return null
  } else {
    converter = scalarConverter(name, mod, column.enumValues, o, column.name)
  }
  if (converter === null && o.includeUnknown) converter = binaryConverter(o, text => Buffer.from(text, 'utf8'))
  return converter
}

/**
 * The column's Connect schema and value conversion as Debezium's, or null when Debezium drops the column (a type it
 * does not map, without include.unknown.datatypes).
 */
export function columnMapping (column: ColumnInfo, options: ColumnMappingOptions = {}): ColumnMapping | null {
  const converter = typeConverter(column, options)
  if (converter === null) return null
  const o = resolveOptions(options)
  const builder = converter.builder()
  if (!column.notNull) builder.optional()
  if (options.includeSchemaComments === true && column.comment !== undefined && column.comment !== null) builder.doc(column.comment)
  const defaultValue = columnDefaultValue(column, converter, options.decimalHandlingMode === undefined ? 'precise' : options.decimalHandlingMode)
  if (defaultValue !== undefined) {
    try {
      builder.defaultValue(defaultValue)
    } catch {
      // A default the schema cannot hold is left out, as Debezium logs and skips a default it cannot convert.
    }
  }
  const schema: Schema = builder.build()
  const parse = converter.parse
  const binary = effectiveType(column).name === 'bytea' || (column.elementTypeName === undefined && scalarConverter(effectiveType(column).name, -1, column.enumValues, o, column.name) === null)
  const toast = unchangedToastValue(column, schema, o.placeholder, binary ? o.binary : null)
  return {
    schema,
    fromText (text: string): unknown {
      try {
        return parse(text, schema)
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        throw new DataError(`Column '${column.name}' (${column.typeName}): ${message}`, { cause: err })
      }
    },
    unchangedToast: () => toast(),
    ...streamingVariant(column, o)
  }
}


/**
 * What streaming emits where Debezium's pgoutput reader differs from its snapshot: a `name` column streams as null
 * (the reader knows no such type); an infinite date streams as Debezium's stand-in day (the snapshot's goes through
 * java.sql.Date).
 */
function streamingVariant (column: ColumnInfo, o: Options): { fromStreamingText?: (text: string) => unknown } {
  if (column.elementTypeName !== undefined) return {}
  const name = effectiveType(column).name
  if (name === 'name') return { fromStreamingText: () => null }
  if (name === 'date') {
    const streamed = dateConverter(o, false)
    return { fromStreamingText: (text: string) => streamed.parse(text, streamed.builder().build()) }
  }
  return {}
}
