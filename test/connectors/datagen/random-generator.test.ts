/**
 * The arg.properties annotations as avro-random-generator defines them (options, range, length, regex, prefix and
 * suffix, iteration with start/step/restart/initial, keys, odds), the values without annotations, unions, logical
 * types, and the errors that name the field at fault.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BigDecimal, Struct, validateValue, type Schema } from '../../../src/api/index.ts'
import { parseAvroSchema, type AvroSchema } from '../../../connectors/datagen/avro-schema.ts'
import { toConnectSchema } from '../../../connectors/datagen/avro-to-connect.ts'
import { Prng } from '../../../connectors/datagen/prng.ts'
import { GeneratorError, RandomGenerator } from '../../../connectors/datagen/random-generator.ts'

/** A record with one field `f` of this type; returns n generated values of f. */
function values (type: unknown, n = 200, options: { seed?: bigint, generation?: number } = {}): unknown[] {
  const { generator, schema } = build(type, options)
  return Array.from({ length: n }, () => {
    const struct = generator.generate() as Struct
    validateValue(schema, struct)
    return struct.getWithoutDefault('f')
  })
}

function build (type: unknown, options: { seed?: bigint, generation?: number } = {}): { generator: RandomGenerator, schema: Schema, avro: AvroSchema } {
  const avro = parseAvroSchema({ type: 'record', name: 'r', namespace: 'ns', fields: [{ name: 'f', type }] })
  const schema = toConnectSchema(avro)
  return { generator: new RandomGenerator(avro, schema, new Prng(options.seed ?? 1n), options.generation ?? 0), schema, avro }
}

const annotated = (type: string, args: unknown, extra: Record<string, unknown> = {}): unknown => ({ type, ...extra, 'arg.properties': args })

test('options: every value comes from the list, every entry occurs, for each type', () => {
  const cases: Array<[unknown, unknown[]]> = [
    [annotated('string', { options: ['a', 'b', 'c'] }), ['a', 'b', 'c']],
    [annotated('int', { options: [-1, 0, 1] }), [-1, 0, 1]],
    [annotated('long', { options: [1, 9007199254740993n] }), [1, 9007199254740993n]],
    [annotated('boolean', { options: [true] }), [true]],
    [annotated('double', { options: [0.5, 2] }), [0.5, 2]],
    [annotated('float', { options: [42.42] }), [Math.fround(42.42)]],
    [{ type: 'enum', name: 'E', symbols: ['A', 'B', 'C'], 'arg.properties': { options: ['A', 'C'] } }, ['A', 'C']],
    [annotated('bytes', { options: ['NDI='] }), [Buffer.from('NDI=')]],
    [{ type: 'array', items: 'string', 'arg.properties': { options: [['x', 'y'], []] } }, [['x', 'y'], []]],
    [{ type: 'map', values: 'int', 'arg.properties': { options: [{ one: 1 }] } }, [new Map([['one', 1]])]]
  ]
  for (const [type, expected] of cases) {
    const got = values(type, 300)
    const what = JSON.stringify(type, (_k, v: unknown) => typeof v === 'bigint' ? v.toString() : v)
    for (const v of got) assert.ok(expected.some(e => deep(e, v)), `${what} gave ${String(v)}`)
    for (const e of expected) assert.ok(got.some(v => deep(e, v)), `${what} never gave ${String(e)}`)
  }
})

function deep (a: unknown, b: unknown): boolean {
  try { assert.deepEqual(b, a); return true } catch { return false }
}

test('options of a record are structs; missing fields take their defaults; objects are not shared between records', () => {
  const type = {
    type: 'record',
    name: 'store',
    fields: [{ name: 'id', type: 'int' }, { name: 'city', type: 'string', default: 'Nowhere' }],
    'arg.properties': { options: [{ id: 1, city: 'Raleigh' }, { id: 2 }] }
  }
  const got = values(type, 100) as Struct[]
  assert.ok(got.every(s => s instanceof Struct))
  assert.deepEqual(new Set(got.map(s => `${String(s.get('id'))}:${String(s.get('city'))}`)), new Set(['1:Raleigh', '2:Nowhere']))
  const ones = got.filter(s => s.get('id') === 1)
  assert.notEqual(ones[0], ones[1])
})

test('range: integers in [min, max), every value of a small range; longs beyond 2^53; floats and doubles', () => {
  const ints = values(annotated('int', { range: { min: -1, max: 3 } }), 400) as number[]
  assert.deepEqual(new Set(ints), new Set([-1, 0, 1, 2]))
  const longs = values(annotated('long', { range: { min: 1487715775521, max: 1519273364600 } })) as number[]
  assert.ok(longs.every(v => Number.isInteger(v) && v >= 1487715775521 && v < 1519273364600))
  const huge = values(annotated('long', { range: { min: 9007199254740993n, max: 9007199254741093n } })) as bigint[]
  assert.ok(huge.every(v => typeof v === 'bigint' && v >= 9007199254740993n && v < 9007199254741093n))
  const only = values(annotated('long', { range: { min: 0 } })) as Array<number | bigint>
  assert.ok(only.every(v => BigInt(v) >= 0n))
  const doubles = values(annotated('double', { range: { min: 0.1, max: 10 } })) as number[]
  assert.ok(doubles.every(v => v >= 0.1 && v < 10))
  const floats = values(annotated('float', { range: { max: -5 } })) as number[]
  assert.ok(floats.every(v => v < -5 && Math.fround(v) === v && Number.isFinite(v)))
})

test('no annotations: booleans, full-range ints and longs, [0, 1) floats, 8 to 15 random ASCII characters, enums', () => {
  assert.deepEqual(new Set(values('boolean')), new Set([true, false]))
  const ints = values('int', 500) as number[]
  assert.ok(ints.some(v => v < -1e9) && ints.some(v => v > 1e9) && ints.every(v => (v | 0) === v))
  const longs = values('long') as Array<number | bigint>
  assert.ok(longs.some(v => typeof v === 'bigint'))
  assert.ok((values('double') as number[]).every(v => v >= 0 && v < 1))
  const strings = values('string', 500) as string[]
  assert.deepEqual(new Set(strings.map(s => s.length)), new Set([8, 9, 10, 11, 12, 13, 14, 15]))
  assert.ok(strings.every(s => /^[\x00-\x7f]*$/.test(s)))
  const bytes = values('bytes') as Buffer[]
  assert.ok(bytes.every(b => Buffer.isBuffer(b) && b.length >= 8 && b.length < 16))
  assert.deepEqual(new Set(values({ type: 'enum', name: 'E', symbols: ['A', 'B'] })), new Set(['A', 'B']))
  assert.ok((values({ type: 'fixed', name: 'F', size: 3 }) as Buffer[]).every(b => b.length === 3))
  const arrays = values({ type: 'array', items: 'int' }) as unknown[][]
  assert.ok(arrays.every(a => a.length >= 8 && a.length < 16))
})

test('length: a number is exact, an object bounds; regex: matches, with prefix and suffix; keys of maps', () => {
  assert.ok((values(annotated('string', { length: 3 })) as string[]).every(s => s.length === 3))
  assert.ok((values(annotated('string', { length: { min: 2, max: 4 } })) as string[]).every(s => s.length >= 2 && s.length < 4))
  assert.ok((values(annotated('bytes', { length: 0 })) as Buffer[]).every(b => b.length === 0))
  assert.ok((values(annotated('string', { regex: 'User_[1-9]', prefix: '<', suffix: '>' })) as string[]).every(s => /^<User_[1-9]>$/.test(s)))
  assert.ok((values(annotated('string', { regex: '[a-zA-Z]*', length: 10 })) as string[]).every(s => /^[a-zA-Z]{10}$/.test(s)))
  const maps = values({ type: 'map', values: 'int', 'arg.properties': { length: { min: 1, max: 4 }, keys: { options: ['negative', 'zero', 'positive'] } } }) as Array<Map<string, number>>
  assert.ok(maps.every(m => m.size >= 1 && m.size <= 3 && [...m.keys()].every(k => ['negative', 'zero', 'positive'].includes(k))))
  const regexKeys = values({ type: 'map', values: 'int', 'arg.properties': { keys: { regex: 'k[0-9]{2}' } } }) as Array<Map<string, number>>
  assert.ok(regexKeys.every(m => [...m.keys()].every(k => /^k[0-9]{2}$/.test(k))))
  const plain = values({ type: 'map', values: 'int' }) as Array<Map<string, number>>
  assert.ok(plain.every(m => [...m.keys()].every(k => k.length === 1)))
})

test('odds: the share of true follows it', () => {
  const got = values(annotated('boolean', { odds: 0.9 }), 2000) as boolean[]
  const share = got.filter(Boolean).length / got.length
  assert.ok(share > 0.85 && share < 0.95, String(share))
  assert.ok((values(annotated('boolean', { odds: 0 }), 100) as boolean[]).every(v => !v))
})

test('iteration: start, step, restart (exclusive) and initial, for ints, longs, strings, doubles and booleans', () => {
  assert.deepEqual(values(annotated('int', { iteration: { start: 0 } }), 4), [0, 1, 2, 3])
  assert.deepEqual(values(annotated('long', { iteration: { start: 1, step: 10 } }), 4), [1, 11, 21, 31])
  assert.deepEqual(values(annotated('int', { iteration: { start: 3, restart: 6 } }), 7), [3, 4, 5, 3, 4, 5, 3])
  assert.deepEqual(values(annotated('int', { iteration: { start: 10, restart: 7 } }), 5), [10, 9, 8, 10, 9], 'a restart below start steps down')
  assert.deepEqual(values(annotated('int', { iteration: { start: 0, restart: 10, step: 4 } }), 5), [0, 4, 8, 2, 6])
  assert.deepEqual(values(annotated('int', { iteration: { start: 0, restart: 10, initial: 8 } }), 4), [8, 9, 0, 1])
  assert.deepEqual(values(annotated('string', { iteration: { start: 5 }, prefix: 'id-' }), 3), ['id-5', 'id-6', 'id-7'])
  assert.deepEqual(values(annotated('double', { iteration: { start: 0, step: 0.1, restart: 0.3 } }), 5), [0, 0.1, 0.2, 0, 0.1], 'decimal steps do not drift')
  assert.deepEqual(values(annotated('float', { iteration: { start: 1.5, step: 1 } }), 2), [1.5, 2.5])
  assert.deepEqual(values(annotated('boolean', { iteration: { start: true } }), 3), [true, false, true])
  assert.deepEqual(values(annotated('long', { iteration: { start: 0, step: -1 } }), 3), [0, -1, -2])
})

test('iteration resumes from the generation (records generated before), as after a restart', () => {
  const whole = values(annotated('int', { iteration: { start: 0, restart: 7, step: 3 } }), 12)
  for (const generation of [1, 5, 11]) {
    assert.deepEqual(values(annotated('int', { iteration: { start: 0, restart: 7, step: 3 } }), 12 - generation, { generation }), whole.slice(generation), `generation ${generation}`)
  }
  const doubles = values(annotated('double', { iteration: { start: 1, step: 0.25, restart: 2 } }), 9)
  assert.deepEqual(values(annotated('double', { iteration: { start: 1, step: 0.25, restart: 2 } }), 4, { generation: 5 }), doubles.slice(5))
  assert.deepEqual(values(annotated('boolean', { iteration: { start: false } }), 2, { generation: 3 }), [true, false])
})

test('unions: a nullable field is null about half the time; a general union is a Union struct of one branch', () => {
  const nullable = values(['null', annotated('string', { options: ['x'] })], 1000)
  const nulls = nullable.filter(v => v === null).length
  assert.ok(nulls > 400 && nulls < 600, String(nulls))
  assert.ok(nullable.every(v => v === null || v === 'x'))
  const general = values(['null', annotated('int', { options: [42] }), annotated('string', { options: ['s'] })], 600)
  const kinds = new Set(general.map(v => v === null ? 'null' : (v as Struct).get('int') === 42 ? 'int' : (v as Struct).get('string') === 's' ? 'string' : '?'))
  assert.deepEqual(kinds, new Set(['null', 'int', 'string']))
})

test('logical types: decimals of the precision (or in a range), dates and timestamps as Dates', () => {
  const decimals = values({ type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2 }, 300) as BigDecimal[]
  assert.ok(decimals.every(d => d instanceof BigDecimal && d.scale === 2 && d.unscaled > -10000n && d.unscaled < 10000n))
  assert.ok(decimals.some(d => d.unscaled < 0n))
  const ranged = values({ type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2, 'arg.properties': { range: { min: 10, max: 50 } } }, 300) as BigDecimal[]
  assert.ok(ranged.every(d => d.unscaled >= 1000n && d.unscaled < 5000n))
  const dates = values({ type: 'int', logicalType: 'date' }) as Date[]
  assert.ok(dates.every(d => d instanceof Date && !Number.isNaN(d.getTime()) && d.getTime() % 86400000 === 0))
  const stamps = values({ type: 'long', logicalType: 'timestamp-millis', 'arg.properties': { range: { min: 1000, max: 2000 } } }) as Date[]
  assert.ok(stamps.every(d => d.getTime() >= 1000 && d.getTime() < 2000))
  assert.ok((values({ type: 'long', logicalType: 'timestamp-millis' }) as Date[]).every(d => !Number.isNaN(d.getTime())))
  assert.deepEqual(values({ type: 'int', logicalType: 'date', 'arg.properties': { iteration: { start: 1 } } }, 2), [new Date(86400000), new Date(2 * 86400000)])
})

test('bad annotations fail when the generator is built, naming the field', () => {
  const cases: Array<[unknown, RegExp]> = [
    [annotated('string', { options: [] }), /ns\.r\.f: options property cannot be empty/],
    [annotated('string', { options: ['a'], regex: 'x' }), /ns\.r\.f: Cannot specify regex prop when options prop is given/],
    [annotated('int', { iteration: { start: 0 }, range: { min: 1 } }), /Cannot specify range prop when iteration prop is given/],
    [annotated('int', { options: ['a'] }), /ns\.r\.f: invalid option for int schema/],
    [annotated('int', { range: { min: 5, max: 5 } }), /'min' field must be strictly less than 'max' field/],
    [annotated('int', { range: { min: 1.5 } }), /must be an integral number/],
    [annotated('int', { range: { max: 3000000000 } }), /must be a valid int for int schemas/],
    [annotated('int', { iteration: { step: 1 } }), /iteration property must contain start field/],
    [annotated('int', { iteration: { start: 1, restart: 1 } }), /cannot be equal/],
    [annotated('int', { iteration: { start: 1, restart: 5, step: -1 } }), /must be positive/],
    [annotated('int', { iteration: { start: 1, step: 0 } }), /cannot be zero/],
    [annotated('bytes', { iteration: { start: 1 } }), /can only be specified on numeric, boolean or string schemas/],
    [annotated('boolean', { iteration: { start: 1 } }), /must be a boolean/],
    [annotated('string', { length: -1 }), /cannot be negative/],
    [annotated('string', { length: { min: 4, max: 4 } }), /strictly greater/],
    [annotated('string', { regex: '(a' }), /ns\.r\.f: missing '\)'/],
    [annotated('boolean', { odds: 2 }), /odds property must be in the range/],
    [annotated('string', 'nope'), /arg\.properties property must be given as object/],
    [annotated('string', { options: { file: '/nonexistent/options.json', encoding: 'json' } }), /unable to read options file/],
    [{ type: 'array', items: annotated('int', { options: [] }) }, /ns\.r\.f\[\]: options property cannot be empty/]
  ]
  for (const [type, re] of cases) assert.throws(() => build(type), (err: Error) => err instanceof GeneratorError && re.test(err.message), `${JSON.stringify(type)}: ${re.source}`)
})
