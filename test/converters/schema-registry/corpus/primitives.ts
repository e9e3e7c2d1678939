/** Every primitive type, required and optional, with and without defaults, top-level and as a field. */
import { SchemaBuilder, Schemas, type Schema } from '../../../../src/api/index.ts'
import { bytes, struct, type CorpusEntry } from './entry.ts'

interface Primitive {
  type: 'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'boolean' | 'string' | 'bytes'
  builder: () => SchemaBuilder
  values: unknown[]
  fallback: unknown
  tags: string[]
}

const PRIMITIVES: Primitive[] = [
  { type: 'int8', builder: SchemaBuilder.int8, values: [-128, 0, 1, 127], fallback: -7, tags: ['int8'] },
  { type: 'int16', builder: SchemaBuilder.int16, values: [-32768, -1, 0, 32767], fallback: 300, tags: ['int16'] },
  { type: 'int32', builder: SchemaBuilder.int32, values: [-2147483648, -1, 0, 42, 2147483647], fallback: 12345, tags: [] },
  { type: 'int64', builder: SchemaBuilder.int64, values: [0, -1, 1234567890123, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER], fallback: 9007199254740000, tags: [] },
  { type: 'float32', builder: SchemaBuilder.float32, values: [0, 1.5, -3.25, Math.fround(0.1), Math.fround(3.4028234663852886e38), Math.fround(1.4e-45)], fallback: 2.5, tags: ['float32'] },
  { type: 'float64', builder: SchemaBuilder.float64, values: [0, -1.25, 0.1, Number.MAX_VALUE, Number.MIN_VALUE, 1e-300], fallback: 3.141592653589793, tags: [] },
  { type: 'boolean', builder: SchemaBuilder.bool, values: [true, false], fallback: true, tags: [] },
  { type: 'string', builder: SchemaBuilder.string, values: ['', 'hello', 'héllo wörld ✓ 日本語 🎉', 'quote " backslash \\ newline \n tab \t', 'x'.repeat(1000)], fallback: 'dflt ü', tags: [] },
  { type: 'bytes', builder: SchemaBuilder.bytes, values: [bytes(), bytes(0), bytes(0, 1, 127, 128, 255), Buffer.alloc(300, 0xab)], fallback: bytes(1, 2, 0xff), tags: [] }
]

const entries: CorpusEntry[] = []
for (const p of PRIMITIVES) {
  const required = p.builder().build()
  const optional = p.builder().optional().build()
  const withDefault = p.builder().defaultValue(p.fallback).build()
  const optionalWithDefault = p.builder().optional().defaultValue(p.fallback).build()
  entries.push(
    { name: `${p.type} required`, schema: required, values: p.values, tags: [...p.tags, 'top-level-primitive'] },
    { name: `${p.type} optional`, schema: optional, values: [...p.values.slice(0, 2), null], tags: [...p.tags, 'top-level-primitive', 'top-level-optional'] }
  )
  const record = SchemaBuilder.struct().name(`com.example.primitives.${p.type[0]!.toUpperCase()}${p.type.slice(1)}Fields`)
    .field('required', required).field('optional', optional).field('defaulted', withDefault).field('optional_defaulted', optionalWithDefault).build()
  const v = (i: number): unknown => p.values[i % p.values.length]
  entries.push({
    name: `${p.type} fields: required, optional, defaulted, optional defaulted`,
    schema: record,
    values: [
      struct(record, { required: v(0), optional: v(1), defaulted: v(2), optional_defaulted: v(3) }),
      struct(record, { required: v(1), optional: null, defaulted: p.fallback, optional_defaulted: null }),
      ...p.values.map(x => struct(record, { required: x, optional: x, defaulted: x, optional_defaulted: x }))
    ],
    tags: [...p.tags, 'defaults']
  })
}

entries.push({ name: 'int32 top-level with default', schema: SchemaBuilder.int32().defaultValue(7).build(), values: [7, 8], tags: ['top-level-primitive', 'defaults', 'top-level-default'] })
entries.push({ name: 'string top-level optional with default', schema: SchemaBuilder.string().optional().defaultValue('x').build(), values: ['a', null], tags: ['top-level-primitive', 'top-level-optional', 'defaults', 'top-level-default'] })

const bigLong = SchemaBuilder.struct().name('com.example.BigLongs').field('a', Schemas.INT64).field('b', Schemas.OPTIONAL_INT64)
  .field('c', SchemaBuilder.int64().defaultValue(2n ** 63n - 1n).build()).build()
entries.push({
  name: 'int64 extremes beyond 2^53 (bigint)',
  schema: bigLong,
  values: [
    struct(bigLong, { a: 2n ** 63n - 1n, b: -(2n ** 63n), c: 2n ** 53n + 1n }),
    struct(bigLong, { a: -(2n ** 63n), b: null, c: -(2n ** 62n) })
  ],
  tags: ['int64-big', 'defaults']
})
entries.push({ name: 'int64 top-level bigints', schema: Schemas.INT64, values: [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n], tags: ['top-level-primitive', 'int64-big'] })

const special = SchemaBuilder.struct().name('com.example.SpecialFloats').field('f64', Schemas.FLOAT64).field('f32', Schemas.FLOAT32).field('of64', Schemas.OPTIONAL_FLOAT64).build()
entries.push({
  name: 'float specials: NaN, Infinity, -Infinity, -0',
  schema: special,
  values: [
    struct(special, { f64: Number.NaN, f32: Number.NaN, of64: Number.POSITIVE_INFINITY }),
    struct(special, { f64: Number.NEGATIVE_INFINITY, f32: Number.POSITIVE_INFINITY, of64: -0 }),
    struct(special, { f64: -0, f32: Number.NEGATIVE_INFINITY, of64: null })
  ],
  tags: ['float32', 'float-special']
})
entries.push({ name: 'float64 top-level specials', schema: Schemas.FLOAT64, values: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0], tags: ['top-level-primitive', 'float-special'] })

const all: Schema = SchemaBuilder.struct().name('com.example.AllPrimitives')
  .field('i8', Schemas.INT8).field('i16', Schemas.INT16).field('i32', Schemas.INT32).field('i64', Schemas.INT64)
  .field('f32', Schemas.FLOAT32).field('f64', Schemas.FLOAT64).field('bool', Schemas.BOOLEAN).field('str', Schemas.STRING)
  .field('bin', Schemas.BYTES).build()
entries.push({
  name: 'all primitives in one struct',
  schema: all,
  values: [
    struct(all, { i8: 1, i16: 2, i32: 3, i64: 4, f32: 5.5, f64: 6.25, bool: true, str: 'seven', bin: bytes(8) }),
    struct(all, { i8: -1, i16: -2, i32: -3, i64: -4, f32: -5.5, f64: -6.25, bool: false, str: '', bin: bytes() })
  ],
  tags: ['int8', 'int16', 'float32']
})

const allOptional: Schema = SchemaBuilder.struct().name('com.example.AllOptional')
  .field('i8', Schemas.OPTIONAL_INT8).field('i16', Schemas.OPTIONAL_INT16).field('i32', Schemas.OPTIONAL_INT32).field('i64', Schemas.OPTIONAL_INT64)
  .field('f32', Schemas.OPTIONAL_FLOAT32).field('f64', Schemas.OPTIONAL_FLOAT64).field('bool', Schemas.OPTIONAL_BOOLEAN).field('str', Schemas.OPTIONAL_STRING)
  .field('bin', Schemas.OPTIONAL_BYTES).build()
entries.push({
  name: 'all optional primitives, all null and all set',
  schema: allOptional,
  values: [
    struct(allOptional, {}),
    struct(allOptional, { i8: 127, i16: 32767, i32: 1, i64: 2, f32: 0.5, f64: 0.25, bool: false, str: 's', bin: bytes(9) })
  ],
  tags: ['int8', 'int16', 'float32']
})

export const PRIMITIVE_ENTRIES: readonly CorpusEntry[] = entries
