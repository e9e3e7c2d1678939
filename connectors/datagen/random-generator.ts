/**
 * Random data for an Avro schema, shaped by its `arg.properties` annotations as avro-random-generator defines them
 * (options, iteration, range, length, regex, prefix, suffix, keys, odds), produced directly as Connect values of the
 * schema's Connect form (avro-to-connect.ts): a record is a Struct, a long a number (a bigint beyond 2^53), bytes a
 * Buffer, a decimal a BigDecimal, date and timestamp-millis a Date.
 *
 * Everything is checked when the generator is built, so a bad annotation fails validation, naming the field.
 * Without annotations: booleans are fair, ints and longs span their type, floats and doubles lie in [0, 1), strings
 * and bytes have 8 to 15 random ASCII characters or bytes, arrays and maps 8 to 15 elements (map keys are one random
 * ASCII character), enums and union branches are picked uniformly.
 */
import { readFileSync } from 'node:fs'
import { BigDecimal, Struct, type Schema } from '../../src/api/index.ts'
import type { AvroSchema } from './avro-schema.ts'
import { intToConnect, jsonToConnect, longToConnect, mapEntryOf, nullableBranch, rescale, unionMemberFieldName } from './avro-to-connect.ts'
import { iterationOf, IterationError } from './iteration.ts'
import { parseJsonValues } from './json-text.ts'
import type { Prng } from './prng.ts'
import { RegexGenerator, RegexSyntaxError } from './regex-generator.ts'

export const ARG_PROPERTIES_PROP = 'arg.properties'

/** An annotation that cannot generate data; the message names the schema path. */
export class GeneratorError extends Error {}
/** The same, before the path is known. */
class AnnotationError extends Error {}

type Props = Readonly<Record<string, unknown>>
type Gen = () => unknown

const INT_MIN = -2147483648
const INT_MAX = 2147483647
const LONG_MIN = -(2n ** 63n)
const LONG_MAX = 2n ** 63n - 1n
const FLOAT_MAX = 3.4028234663852886e38
const DEFAULT_LENGTH: readonly [number, number] = [8, 16]
/** Dates and timestamps without a range stay inside what a JavaScript Date can hold (±10^8 days). */
const MAX_DAYS = 100000000
const MAX_MILLIS = 8.64e15

function isObject (v: unknown): v is Props {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export class RandomGenerator {
  readonly #rng: Prng
  readonly #generation: bigint
  /** Iteration state belongs to the schema object, shared by every reference to a named type (as in Java). */
  readonly #iterations = new Map<AvroSchema, () => unknown>()
  readonly #root: Gen

  /** `generation`: how many records were generated before, so iterations resume. */
  constructor (avro: AvroSchema, schema: Schema, rng: Prng, generation: number | bigint = 0) {
    this.#rng = rng
    this.#generation = BigInt(generation)
    this.#root = this.#compile(avro, schema, 'fullName' in avro ? avro.fullName : avro.type)
  }

  /** The next value, a Connect value of the schema given at construction. */
  generate (): unknown { return this.#root() }

  #compile (avro: AvroSchema, schema: Schema, path: string): Gen {
    try {
      return this.#compileNode(avro, schema, path)
    } catch (err) {
      if (err instanceof AnnotationError || err instanceof IterationError || err instanceof RegexSyntaxError) {
        throw new GeneratorError(`${path}: ${err.message}`, { cause: err })
      }
      throw err
    }
  }

  #compileNode (avro: AvroSchema, schema: Schema, path: string): Gen {
    const rng = this.#rng
    if (avro.type === 'union') {
      if (avro.types.length === 1) return this.#compile(avro.types[0]!, schema, path)
      const branch = nullableBranch(avro)
      if (branch !== null) {
        const nullFirst = avro.types[0]!.type === 'null'
        const gen = this.#compile(branch, schema, path)
        return () => (rng.nextInt(2) === 0) === nullFirst ? null : gen()
      }
      const members = avro.types.map((member): Gen => {
        if (member.type === 'null') return () => null
        const field = (schema.fields ?? []).find(f => f.name === unionMemberFieldName(member))!
        const gen = this.#compile(member, field.schema, `${path}.${field.name}`)
        return () => new Struct(schema).put(field.name, gen())
      })
      return () => members[rng.nextInt(members.length)]!()
    }
    const raw = avro.props[ARG_PROPERTIES_PROP]
    if (raw !== undefined && !isObject(raw)) throw new GeneratorError(`${path}: ${ARG_PROPERTIES_PROP} property must be given as object, was ${JSON.stringify(raw)} instead`)
    const props: Props = raw ?? {}
    if (props.options !== undefined) {
      exclusive(props, 'options', ['length', 'regex', 'iteration', 'range'])
      return this.#options(avro, schema, props.options, path)
    }
    if (props.iteration !== undefined) {
      exclusive(props, 'iteration', ['length', 'regex', 'options', 'range'])
      return this.#iteration(avro, schema, props)
    }
    switch (avro.type) {
      case 'null': return () => null
      case 'boolean': {
        const odds = props.odds
        if (odds === undefined) return () => rng.nextBoolean()
        if (typeof odds !== 'number' || odds < 0 || odds > 1) throw new GeneratorError(`${path}: odds property must be in the range [0.0, 1.0]`)
        return () => rng.nextDouble() < odds
      }
      case 'int': {
        const logical = avro.logical?.kind
        const range = rangeOf(props, 'int', INT_MIN, INT_MAX)
        if (range === null && logical === 'date') return () => intToConnect(logical, schema, rng.nextInt(2 * MAX_DAYS) - MAX_DAYS)
        if (range === null) return () => intToConnect(logical, schema, rng.nextInt32())
        const [min, max] = range as [number, number]
        return () => intToConnect(logical, schema, min + Math.floor(rng.nextDouble() * (max - min)))
      }
      case 'long': {
        const logical = avro.logical?.kind
        const range = rangeOf(props, 'long', LONG_MIN, LONG_MAX)
        if (range === null && logical === 'timestamp-millis') return () => new Date(Math.floor(rng.nextDouble() * 2 * MAX_MILLIS) - MAX_MILLIS)
        if (range === null) return () => longToConnect(logical, rng.nextLong())
        const [min, max] = (range as [bigint, bigint])
        const span = max - min
        const spanNumber = Number(span)
        if (Number.isSafeInteger(spanNumber) && Number.isSafeInteger(Number(min)) && Number.isSafeInteger(Number(max))) {
          const lo = Number(min)
          return () => longToConnect(logical, lo + Math.floor(rng.nextDouble() * spanNumber))
        }
        return () => {
          let offset = BigInt(Math.floor(rng.nextDouble() * spanNumber))
          if (offset >= span) offset = span - 1n
          return longToConnect(logical, min + offset)
        }
      }
      case 'float': case 'double': {
        const bound = avro.type === 'float' ? FLOAT_MAX : Number.MAX_VALUE
        const range = rangeOf(props, avro.type, -bound, bound)
        const draw = avro.type === 'float' ? () => rng.nextFloat() : () => rng.nextDouble()
        const round = avro.type === 'float' ? Math.fround : (x: number) => x
        if (range === null) return () => round(draw())
        const [min, max] = range as [number, number]
        return () => {
          const r = draw()
          const v = min + r * (max - min)
          // The span of a half-open range overflows; interpolate instead.
          return round(Number.isFinite(v) ? v : min * (1 - r) + max * r)
        }
      }
      case 'string': return this.#string(props, path)
      case 'bytes': case 'fixed': {
        const logical = avro.logical
        if (logical?.kind === 'decimal') return this.#decimal(props, logical.precision, logical.scale)
        if (avro.type === 'fixed') { const size = avro.size; return () => rng.nextBytes(size) }
        const [min, max] = lengthOf(props.length)
        return () => rng.nextBytes(min + rng.nextInt(max - min))
      }
      case 'enum': {
        const symbols = avro.symbols
        return () => symbols[rng.nextInt(symbols.length)]!
      }
      case 'array': {
        const [min, max] = lengthOf(props.length)
        const entry = mapEntryOf(avro)
        if (entry !== null) {
          const key = this.#compile(entry.fields.find(f => f.name === 'key')!.type, schema.keySchema!, `${path}.key`)
          const value = this.#compile(entry.fields.find(f => f.name === 'value')!.type, schema.valueSchema!, `${path}.value`)
          return () => {
            const out = new Map<unknown, unknown>()
            for (let n = min + rng.nextInt(max - min); n > 0; n--) out.set(key(), value())
            return out
          }
        }
        const item = this.#compile(avro.items, schema.valueSchema!, `${path}[]`)
        return () => {
          const n = min + rng.nextInt(max - min)
          const out = new Array<unknown>(n)
          for (let i = 0; i < n; i++) out[i] = item()
          return out
        }
      }
      case 'map': {
        const [min, max] = lengthOf(props.length)
        const value = this.#compile(avro.values, schema.valueSchema!, `${path}{}`)
        const keys = props.keys
        let key: () => string
        if (keys === undefined) key = () => randomAscii(rng, 1)
        else if (!isObject(keys)) throw new GeneratorError(`${path}: keys prop must be an object`)
        else if (keys.options !== undefined) {
          exclusive(keys, 'options', ['length', 'regex', 'iteration', 'range'])
          const list = keys.options
          if (!Array.isArray(list) || list.length === 0 || !list.every(k => typeof k === 'string')) {
            throw new GeneratorError(`${path}: the options of keys must be a non-empty array of strings`)
          }
          key = () => list[rng.nextInt(list.length)] as string
        } else {
          key = this.#string(keys, `${path} keys`)
        }
        return () => {
          const out = new Map<string, unknown>()
          for (let n = min + rng.nextInt(max - min); n > 0; n--) out.set(key(), value())
          return out
        }
      }
      case 'record': {
        const fields = schema.fields ?? []
        const gens = avro.fields.map((f, i) => [f.name, this.#compile(f.type, fields[i]!.schema, `${path}.${f.name}`)] as const)
        return () => {
          const struct = new Struct(schema)
          for (const [name, gen] of gens) struct.put(name, gen())
          return struct
        }
      }
    }
  }

  #string (props: Props, path: string): () => string {
    const rng = this.#rng
    const [min, max] = lengthOf(props.length)
    const prefix = affix(props, 'prefix')
    const suffix = affix(props, 'suffix')
    if (props.regex !== undefined) {
      if (typeof props.regex !== 'string') throw new GeneratorError(`${path}: regex property must be a string`)
      const regex = new RegexGenerator(props.regex)
      return () => prefix + regex.generate(rng, min, max - 1) + suffix
    }
    return () => prefix + randomAscii(rng, min + rng.nextInt(max - min)) + suffix
  }

  /** A decimal of `precision` random digits and a random sign, or, with a range, uniform in [min, max). */
  #decimal (props: Props, precision: number, scale: number): Gen {
    const rng = this.#rng
    const range = props.range
    if (range !== undefined) {
      const [min, max] = rangeOf(props, 'double', -Number.MAX_VALUE, Number.MAX_VALUE) as [number, number]
      const lo = rescale(BigDecimal.parse(String(min)), scale).unscaled
      const hi = rescale(BigDecimal.parse(String(max)), scale).unscaled
      if (hi <= lo) throw new AnnotationError(`range [${min}, ${max}) holds no value at scale ${scale}`)
      const span = Number(hi - lo)
      return () => {
        let offset = BigInt(Math.floor(rng.nextDouble() * span))
        if (offset >= hi - lo) offset = hi - lo - 1n
        return new BigDecimal(lo + offset, scale)
      }
    }
    return () => {
      let unscaled = 0n
      let digits = 0
      for (; digits < precision; digits += 15) unscaled = unscaled * 10n ** 15n + BigInt(Math.floor(rng.nextDouble() * 1e15))
      unscaled /= 10n ** BigInt(digits - precision)
      return new BigDecimal(rng.nextBoolean() ? -unscaled : unscaled, scale)
    }
  }

  #options (avro: AvroSchema, schema: Schema, options: unknown, path: string): Gen {
    let list: unknown[]
    let charset: 'utf8' | 'latin1' = 'utf8'
    if (Array.isArray(options)) {
      if (options.length === 0) throw new GeneratorError(`${path}: options property cannot be empty`)
      list = options
    } else if (isObject(options)) {
      const { file, encoding } = options
      if (typeof file !== 'string') throw new GeneratorError(`${path}: options property must contain a 'file' string when given as object`)
      if (encoding !== 'json') throw new GeneratorError(`${path}: the 'encoding' of an options file must be 'json' ('binary' is not supported)`)
      let text: string
      try { text = readFileSync(file, 'utf8') } catch (err) { throw new GeneratorError(`${path}: unable to read options file '${file}': ${(err as Error).message}`) }
      list = parseJsonValues(text).map(v => unwrapAvroJson(avro, v))
      // Avro's JSON encoding writes bytes as ISO-8859-1 strings.
      charset = 'latin1'
      if (list.length === 0) throw new GeneratorError(`${path}: options file '${file}' holds no value`)
    } else {
      throw new GeneratorError(`${path}: options prop must be an array or an object, was ${JSON.stringify(options)} instead`)
    }
    // Converted once to check them; objects (Struct, Buffer, Date, Map, arrays) are converted again per record so
    // no two records share a mutable value.
    const converted = list.map(option => {
      try {
        return jsonToConnect(avro, schema, option, charset)
      } catch (err) {
        throw new GeneratorError(`${path}: invalid option for ${avro.type} schema: ${(err as Error).message}`)
      }
    })
    const rng = this.#rng
    return () => {
      const i = rng.nextInt(list.length)
      const v = converted[i]
      return typeof v === 'object' && v !== null && !(v instanceof BigDecimal) ? jsonToConnect(avro, schema, list[i], charset) : v
    }
  }

  #iteration (avro: AvroSchema, schema: Schema, props: Props): Gen {
    const iteration = props.iteration
    if (!isObject(iteration)) throw new IterationError(`iteration prop must be an object, was ${JSON.stringify(iteration)} instead`)
    let next = this.#iterations.get(avro)
    if (next === undefined) {
      switch (avro.type) {
        case 'boolean': case 'int': case 'long': case 'float': case 'double': {
          const it = iterationOf(avro.type, iteration, this.#generation)
          const logical = avro.logical?.kind
          next = avro.type === 'int' ? () => intToConnect(logical, schema, it() as number)
            : avro.type === 'long' ? () => longToConnect(logical, it() as bigint)
              : it
          break
        }
        case 'string': {
          const it = iterationOf('string', iteration, this.#generation)
          const prefix = affix(props, 'prefix')
          const suffix = affix(props, 'suffix')
          next = () => `${prefix}${String(it())}${suffix}`
          break
        }
        default:
          throw new IterationError(`iteration property can only be specified on numeric, boolean or string schemas, not ${avro.type} schema`)
      }
      this.#iterations.set(avro, next)
    }
    return next
  }
}

function exclusive (props: Props, given: string, excluded: readonly string[]): void {
  for (const key of excluded) {
    if (props[key] !== undefined) throw new AnnotationError(`Cannot specify ${key} prop when ${given} prop is given`)
  }
}

function affix (props: Props, key: 'prefix' | 'suffix'): string {
  const v = props[key]
  if (v === undefined) return ''
  if (typeof v !== 'string') throw new AnnotationError(`${key} property must be a string`)
  return v
}

/** [min, max) of a range annotation, with the type's bounds for a missing end; null without one. */
function rangeOf (props: Props, type: 'int' | 'long' | 'float' | 'double', low: number | bigint, high: number | bigint): [number | bigint, number | bigint] | null {
  const range = props.range
  if (range === undefined) return null
  if (!isObject(range)) throw new AnnotationError('range property must be an object')
  const end = (key: 'min' | 'max', dflt: number | bigint): number | bigint => {
    const v = range[key]
    if (v === undefined || v === null) return dflt
    if (type === 'int' || type === 'long') {
      const n = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : null
      if (n === null) throw new AnnotationError(`'${key}' field of range property must be an integral number, was ${JSON.stringify(v)} instead`)
      if (n < BigInt(low) || n > BigInt(high)) throw new AnnotationError(`'${key}' field of range property must be a valid ${type} for ${type} schemas`)
      return type === 'int' ? Number(n) : n
    }
    const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null
    if (n === null) throw new AnnotationError(`'${key}' field of range property must be a number, was ${JSON.stringify(v)} instead`)
    if (Math.abs(n) > Number(high)) throw new AnnotationError(`'${key}' field of range property must be a valid ${type} for ${type} schemas`)
    return n
  }
  const min = end('min', type === 'long' ? BigInt(low) : low)
  const max = end('max', type === 'long' ? BigInt(high) : high)
  if (min >= max) throw new AnnotationError("'min' field must be strictly less than 'max' field in range property")
  return [min, max]
}

/** [min, max) of a length annotation: a number n is exactly n; the default is 8 to 15. */
function lengthOf (length: unknown): readonly [number, number] {
  if (length === undefined) return DEFAULT_LENGTH
  if (typeof length === 'number' && Number.isInteger(length)) {
    if (length < 0) throw new AnnotationError('when given as integral number, length property cannot be negative')
    return [length, length + 1]
  }
  if (!isObject(length)) throw new AnnotationError(`length property must either be an integral number or an object, was ${JSON.stringify(length)} instead`)
  const field = (key: 'min' | 'max'): number | undefined => {
    const v = length[key]
    if (v === undefined) return undefined
    if (typeof v !== 'number' || !Number.isInteger(v) || v > INT_MAX) throw new AnnotationError(`'${key}' field of length property must be an integral number`)
    return v
  }
  const min = field('min')
  const max = field('max')
  if (min === undefined && max === undefined) throw new AnnotationError("length property must contain at least one of 'min' or 'max' fields when given as object")
  if ((min ?? 0) < 0) throw new AnnotationError('min field of length property cannot be negative')
  if ((max ?? INT_MAX) <= (min ?? 0)) throw new AnnotationError('max field must be strictly greater than min field for length property')
  return [min ?? 0, max ?? INT_MAX]
}

/** Characters with codes 0 to 127, as the library draws them (control characters included). */
function randomAscii (rng: Prng, length: number): string {
  let s = ''
  for (let i = 0; i < length; i++) s += String.fromCharCode(rng.nextInt(128))
  return s
}

/** An options file holds values in Avro's JSON encoding, where a union's value is {"branch": value}. */
function unwrapAvroJson (avro: AvroSchema, json: unknown): unknown {
  switch (avro.type) {
    case 'union': {
      if (json === null || !isObject(json)) return json
      const [key] = Object.keys(json)
      const member = avro.types.find(t => ('fullName' in t ? t.fullName : t.type) === key || ('name' in t && t.name === key))
      return member === undefined ? json : unwrapAvroJson(member, json[key!])
    }
    case 'record':
      if (!isObject(json)) return json
      return Object.fromEntries(avro.fields.filter(f => f.name in json).map(f => [f.name, unwrapAvroJson(f.type, json[f.name])]))
    case 'array': return Array.isArray(json) ? json.map(v => unwrapAvroJson(avro.items, v)) : json
    case 'map': return isObject(json) ? Object.fromEntries(Object.entries(json).map(([k, v]) => [k, unwrapAvroJson(avro.values, v)])) : json
    default: return json
  }
}
