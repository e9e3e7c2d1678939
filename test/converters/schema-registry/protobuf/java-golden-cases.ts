/**
 * Cases whose payload bytes are checked against protobuf-java (generate-golden.ts writes protobuf-java.golden.jsonl).
 * Each gives a Connect schema and value, and the Protobuf message Confluent's ProtobufData makes of them in protobuf
 * text format, written here from its rules (not from our converter): protobuf-java encodes that text with the
 * descriptor of the schema written for the Connect schema, as Confluent's converter builds its DynamicMessage.
 */
import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal, SchemaBuilder, Schemas, Struct, bigintToBytes, type Schema } from '../../../../src/api/index.ts'
import type { ProtobufDataOptions } from '../../../../src/converters/schema-registry/protobuf/protobuf-data-config.ts'

export interface JavaGoldenCase {
  readonly name: string
  readonly schema: Schema
  readonly value: unknown
  readonly text: string
  readonly options?: Partial<ProtobufDataOptions>
}

const S = SchemaBuilder
const TAG = 'io.confluent.connect.protobuf.Tag'
const ENUM = 'io.confluent.connect.protobuf.Enum'
/** Bytes in text format: every byte as a three-digit octal escape. */
const octal = (b: Uint8Array): string => `"${[...b].map(x => `\\${x.toString(8).padStart(3, '0')}`).join('')}"`
const put = (schema: Schema, values: Record<string, unknown>): Struct => {
  const s = new Struct(schema)
  for (const [k, v] of Object.entries(values)) s.put(k, v)
  return s
}

const scalars = S.struct().name('golden.Scalars').field('i8', Schemas.INT8).field('i16', Schemas.INT16).field('i32', Schemas.INT32).field('i64', Schemas.INT64)
  .field('f', Schemas.FLOAT32).field('d', Schemas.FLOAT64).field('b', Schemas.BOOLEAN).field('s', Schemas.STRING).field('y', Schemas.BYTES)
  .field('zero', Schemas.INT32).field('empty', Schemas.OPTIONAL_STRING).field('negzero', Schemas.FLOAT64).field('unset', Schemas.OPTIONAL_INT64).build()

const logical = S.struct().name('golden.Logical').field('price', Decimal.schema(2)).field('big', Decimal.builder(0).optional().build())
  .field('day', ConnectDate.SCHEMA).field('tod', ConnectTime.SCHEMA).field('at', ConnectTimestamp.SCHEMA).field('zero_price', Decimal.schema(3)).build()
const BIG = 10n ** 30n
const JULIAN_1582_10_04 = Date.UTC(1582, 9, 15) - 86400000

const item = S.struct().name('Item').field('n', Schemas.INT32).build()
const arrays = S.struct().name('golden.Arrays').field('ints', S.array(Schemas.INT32).build()).field('longs', S.array(Schemas.INT64).build())
  .field('floats', S.array(Schemas.FLOAT32).build()).field('doubles', S.array(Schemas.FLOAT64).build()).field('bools', S.array(Schemas.BOOLEAN).build())
  .field('strs', S.array(Schemas.STRING).build()).field('bins', S.array(Schemas.BYTES).build()).field('items', S.array(item).build())
  .field('none', S.array(Schemas.INT32).optional().build()).build()

const street = S.struct().name('Street').field('street', Schemas.STRING).build()
const maps = S.struct().name('golden.Maps').field('str_to_int', S.map(Schemas.STRING, Schemas.INT32).build())
  .field('int_to_struct', S.map(Schemas.INT32, street).build()).field('bool_to_str', S.map(Schemas.BOOLEAN, Schemas.STRING).build()).build()

const union = S.struct().name('io.confluent.connect.protobuf.Union.pay')
  .field('card', S.string().optional().parameter(TAG, '3').build()).field('bank', S.struct().name('Bank').field('iban', Schemas.STRING).optional().parameter(TAG, '4').build())
  .optional().build()
const color = (tag: string): Schema => S.string().name('Color').parameter(ENUM, 'Color').parameter(`${ENUM}.RED`, '0').parameter(`${ENUM}.GREEN`, '1')
  .parameter(`${ENUM}.BLUE`, '7').parameter(TAG, tag).optional().build()
const sums = S.struct().name('golden.Sums').field('pay_0', union).field('color', color('1')).field('first', color('2')).field('note', S.string().parameter(TAG, '5').build()).build()

const nullable = S.struct().name('golden.Nullable').field('a', Schemas.OPTIONAL_INT32).field('b', Schemas.OPTIONAL_STRING).field('c', Schemas.OPTIONAL_STRING)
  .field('d', Schemas.INT64).field('e', Schemas.OPTIONAL_FLOAT64).field('f', Schemas.OPTIONAL_INT16).build()

const order = S.struct().name('Order').field('id', Schemas.STRING).field('lines', S.array(item).optional().build())
  .field('totals', S.map(Schemas.STRING, Schemas.INT64).optional().build()).field('placed', ConnectTimestamp.builder().optional().build()).build()

export const JAVA_GOLDEN_CASES: readonly JavaGoldenCase[] = [
  {
    name: 'scalars: extremes, unicode, zeros and -0',
    schema: scalars,
    value: put(scalars, { i8: -5, i16: -300, i32: -2147483648, i64: -(2n ** 63n), f: 1.5, d: -1e-300, b: true, s: 'héllo ✓', y: Buffer.from([0, 255]), zero: 0, empty: '', negzero: -0 }),
    // Confluent sets every non-null field; protobuf-java leaves out the defaults of proto3 fields (0, ""), not -0.
    text: 'i8: -5 i16: -300 i32: -2147483648 i64: -9223372036854775808 f: 1.5 d: -1e-300 b: true s: "héllo ✓" y: "\\000\\377" zero: 0 empty: "" negzero: -0'
  },
  {
    name: 'logical types: Decimal bytes/precision/scale, a Julian date, TimeOfDay, Timestamp before the epoch',
    schema: logical,
    value: put(logical, { price: new BigDecimal(-12345n, 2), big: new BigDecimal(BIG, 0), day: new Date(JULIAN_1582_10_04), tod: new Date(3723004), at: new Date(-1), zero_price: new BigDecimal(0n, 3) }),
    // DecimalUtils.fromBigDecimal: unscaled two's complement, precision = digit count (1 for 0); a UTC Calendar's
    // fields; Timestamps.fromMillis: floor seconds and non-negative nanos.
    text: `price { value: ${octal(bigintToBytes(-12345n))} precision: 5 scale: 2 } big { value: ${octal(bigintToBytes(BIG))} precision: 31 } ` +
      'day { year: 1582 month: 10 day: 4 } tod { hours: 1 minutes: 2 seconds: 3 nanos: 4000000 } at { seconds: -1 nanos: 999000000 } ' +
      'zero_price { value: "\\000" precision: 1 scale: 3 }'
  },
  {
    name: 'repeated fields: packed numbers, NaN and infinities, strings, bytes, messages',
    schema: arrays,
    value: put(arrays, { ints: [1, -1, 0], longs: [2n ** 63n - 1n, 0], floats: [-0, Number.NaN], doubles: [Number.POSITIVE_INFINITY, -1.25], bools: [true, false], strs: ['a', ''], bins: [Buffer.alloc(0), Buffer.from([1])], items: [put(item, { n: 1 }), put(item, { n: 0 })], none: [] }),
    text: 'ints: [1, -1, 0] longs: [9223372036854775807, 0] floats: [-0, nan] doubles: [inf, -1.25] bools: [true, false] strs: ["a", ""] bins: ["", "\\001"] items { n: 1 } items { }'
  },
  {
    name: 'maps: entry messages with string, int and boolean keys, default keys and values left out',
    schema: maps,
    value: put(maps, {
      str_to_int: new Map([['a', 1], ['', 0]]),
      int_to_struct: new Map([[7, put(street, { street: 'x' })], [-1, put(street, { street: '' })]]),
      bool_to_str: new Map([[true, 'yes'], [false, '']])
    }),
    text: 'str_to_int { key: "a" value: 1 } str_to_int { key: "" value: 0 } int_to_struct { key: 7 value { street: "x" } } int_to_struct { key: -1 value { } } ' +
      'bool_to_str { key: true value: "yes" } bool_to_str { key: false value: "" }'
  },
  {
    name: 'an enum and a oneof whose member is a message',
    schema: sums,
    value: put(sums, { pay_0: put(union, { bank: put(union.fields![1]!.schema, { iban: 'DE1' }) }), color: 'BLUE', first: 'RED', note: 'n' }),
    text: 'color: BLUE first: RED note: "n" bank { iban: "DE1" }'
  },
  {
    name: 'wrapper.for.nullables: a present 0 or "" is a present empty wrapper, null is absent',
    schema: nullable,
    options: { wrapperForNullables: true },
    value: put(nullable, { a: 0, c: '', d: 0, e: -2.5, f: -1 }),
    text: 'a { } c { } e { value: -2.5 } f { value: -1 }'
  },
  {
    name: 'optional.for.nullables: a present 0 or "" is written, null is absent',
    schema: nullable,
    options: { optionalForNullables: true },
    value: put(nullable, { a: 0, c: '', d: 0, e: -2.5, f: -1 }),
    text: 'a: 0 c: "" e: -2.5 f: -1'
  },
  {
    name: 'a struct with an array of structs, a map and a Timestamp',
    schema: order,
    value: put(order, { id: 'A1', lines: [put(item, { n: 2 })], totals: new Map([['eur', 12n]]), placed: new Date(1700000000005) }),
    text: 'id: "A1" lines { n: 2 } totals { key: "eur" value: 12 } placed { seconds: 1700000000 nanos: 5000000 }'
  },
  { name: 'a STRING root as StringValue', schema: Schemas.STRING, value: 'hi ✓', text: 'value: "hi ✓"' },
  { name: 'an INT64 root as Int64Value', schema: Schemas.INT64, value: -(2n ** 62n), text: 'value: -4611686018427387904' },
  { name: 'an INT16 root as Int32Value', schema: Schemas.INT16, value: -2, text: 'value: -2' },
  { name: 'a BYTES root as BytesValue', schema: Schemas.BYTES, value: Buffer.from([9, 8]), text: 'value: "\\011\\010"' },
  { name: 'a FLOAT32 root as FloatValue, zero left out', schema: Schemas.FLOAT32, value: 0, text: '' }
]

/** Days (as UTC milliseconds) whose Calendar fields Confluent writes into google.type.Date, checked against the JDK. */
export const CALENDAR_DAYS: readonly number[] = [
  0, -86400000, 19000 * 86400000, JULIAN_1582_10_04, Date.UTC(1582, 9, 15), Date.UTC(1500, 1, 28) + 86400000, -719162 * 86400000,
  -719163 * 86400000, -800000 * 86400000, 2932896 * 86400000, Date.UTC(1900, 1, 28), Date.UTC(2000, 1, 29), -12219292800000 - 10 * 86400000
]
