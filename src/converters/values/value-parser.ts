// Values.ValueParser and Values.parseString.

import { Decimal, Schemas, type BigDecimal, type Schema, type SchemaAndValue } from '../../api/index.ts'
import { javaDigit, javaTrim } from '../../java/chars.ts'
import { convertTo, linkedMap } from './convert-to.ts'
import { parseAsTemporal } from './parse-as-temporal.ts'
import { ParseError } from './parse-error.ts'
import { compareAbsToPowerOfTen, decimalToDouble, decimalToFloat, NumberFormatError, parseJavaBigDecimal } from './parse-java-big-decimal.ts'
import { isBlank, Parser } from './parser.ts'
import { SchemaMerger } from './schema-merger.ts'

const ARRAY_OF_NULL: Schema = Object.freeze({ type: 'array', optional: false })
const MAP_OF_NULL: Schema = Object.freeze({ type: 'map', optional: false })
const arrayOf = (elem: Schema): Schema => Object.freeze({ type: 'array', optional: false, valueSchema: elem })
const mapOf = (k: Schema, v: Schema | null): Schema =>
  Object.freeze(v === null ? { type: 'map', optional: false, keySchema: k } : { type: 'map', optional: false, keySchema: k, valueSchema: v })

const TRUE_SV: SchemaAndValue = Object.freeze({ schema: Schemas.BOOLEAN, value: true })
const FALSE_SV: SchemaAndValue = Object.freeze({ schema: Schemas.BOOLEAN, value: false })

/** Values.parseAsNumber: the narrowest integer, else float32, float64 or a Decimal, as Apache decides. */
function parseAsNumber (token: string): SchemaAndValue {
  const decimal = parseJavaBigDecimal(token)
  const exact = parseAsExactDecimal(decimal)
  if (exact !== null) return exact
  const d = decimalToDouble(decimal)
  const f = decimalToFloat(decimal, d)
  if (Number.isFinite(f) && decimal.scale !== 0) return { schema: Schemas.FLOAT32, value: f }
  if (Number.isFinite(d) && decimal.scale !== 0) return { schema: Schemas.FLOAT64, value: d }
  return { schema: Decimal.schema(decimal.scale), value: decimal }
}

function parseAsExactDecimal (d: BigDecimal): SchemaAndValue | null {
  if (d.unscaled !== 0n && (compareAbsToPowerOfTen(d, 19) > 0 || compareAbsToPowerOfTen(d, 0) < 0)) return null
  let n: bigint
  if (d.scale <= 0) {
    n = d.unscaled * 10n ** BigInt(-d.scale)
  } else {
    const p = 10n ** BigInt(d.scale)
    if (d.unscaled % p !== 0n) return null
    n = d.unscaled / p
  }
  if (n < -(2n ** 63n) || n >= 2n ** 63n) return null
  if (n >= -128n && n <= 127n) return { schema: Schemas.INT8, value: Number(n) }
  if (n >= -32768n && n <= 32767n) return { schema: Schemas.INT16, value: Number(n) }
  if (n >= -2147483648n && n <= 2147483647n) return { schema: Schemas.INT32, value: Number(n) }
  return { schema: Schemas.INT64, value: Number.isSafeInteger(Number(n)) ? Number(n) : n }
}

class ValueParser {
  readonly #p: Parser
  constructor (parser: Parser) { this.#p = parser }

  #canParseSingleTokenLiteral (embedded: boolean, literal: string): boolean {
    const start = this.#p.mark()
    // At the top level the literal must be the whole text: "true}" is a string.
    if (this.#p.canConsume(literal) && (embedded || !this.#p.hasNext())) return true
    this.#p.rewindTo(start)
    return false
  }

  parse (embedded: boolean): SchemaAndValue | null {
    const p = this.#p
    if (!p.hasNext()) return null
    if (embedded && p.canConsume('"')) return this.#parseQuotedString()
    if (this.#canParseSingleTokenLiteral(embedded, 'null')) return null
    if (this.#canParseSingleTokenLiteral(embedded, 'true')) return TRUE_SV
    if (this.#canParseSingleTokenLiteral(embedded, 'false')) return FALSE_SV
    const start = p.mark()
    try {
      if (p.canConsume('[')) return this.#parseArray()
      if (p.canConsume('{')) return this.#parseMap()
    } catch (err) {
      if (!(err instanceof ParseError)) throw err
      p.rewindTo(start)
    }
    const token = p.next()
    if (isBlank(token)) return { schema: Schemas.STRING, value: token }
    return this.#parseNextToken(embedded, javaTrim(token))
  }

  #parseNextToken (embedded: boolean, token: string): SchemaAndValue {
    const first = token.charCodeAt(0)
    const firstIsDigit = javaDigit(first) >= 0
    if (firstIsDigit) {
      // Temporal types are more restrictive, so they come first.
      const temporal = this.#parseMultipleTokensAsTemporal(token)
      if (temporal !== null) return temporal
    }
    if (firstIsDigit || first === 0x2b || first === 0x2d) {
      try {
        return parseAsNumber(token)
      } catch (err) {
        if (!(err instanceof NumberFormatError)) throw err
      }
    }
    if (embedded) throw new ParseError('Failed to parse embedded value')
    return { schema: Schemas.STRING, value: this.#p.original }
  }

  /** A time or timestamp is split by its unescaped colons into five tokens. */
  #parseMultipleTokensAsTemporal (token: string): SchemaAndValue | null {
    const p = this.#p
    const position = p.mark()
    const remainder = p.nextN(4)
    if (remainder !== null) {
      const temporal = parseAsTemporal(token + remainder)
      if (temporal !== null) return temporal
    }
    p.rewindTo(position)
    return parseAsTemporal(token)
  }

  #parseQuotedString (): SchemaAndValue {
    const p = this.#p
    let content = ''
    // Blank tokens before the closing quote are skipped by canConsume, as in Apache (`" "` reads as "").
    while (p.hasNext()) {
      if (p.canConsume('"')) break
      content += p.next()
    }
    return parseAsTemporal(content) ?? { schema: Schemas.STRING, value: content }
  }

  #parseArray (): SchemaAndValue {
    const p = this.#p
    const result: unknown[] = []
    const merger = new SchemaMerger()
    while (p.hasNext()) {
      if (p.canConsume(']')) {
        if (merger.common === null) return { schema: ARRAY_OF_NULL, value: result }
        const elem = merger.common
        return { schema: arrayOf(elem), value: result.map(v => convertTo(elem, v)) }
      }
      if (p.canConsume(',')) throw new ParseError(`Unable to parse an empty array element: ${p.original}`)
      const element = this.parse(true)
      merger.merge(element)
      result.push(element === null ? null : element.value)
      const position = p.mark()
      if (p.canConsume(']')) p.rewindTo(position)
      else if (!p.canConsume(',')) throw new ParseError("Array elements missing ',' delimiter")
    }
    if (p.previous() === ',') throw new ParseError(`Array is missing element after ',': ${p.original}`)
    throw new ParseError(`Array is missing terminating ']': ${p.original}`)
  }

  #parseMap (): SchemaAndValue {
    const p = this.#p
    const entries: Array<[unknown, unknown]> = []
    const rawKeySchemas: Array<Schema | null> = []
    const keys = new SchemaMerger()
    const values = new SchemaMerger()
    while (p.hasNext()) {
      if (p.canConsume('}')) {
        const raw = linkedMap(entries, null, rawKeySchemas)
        const ks = keys.common
        const vs = values.common
        if (ks !== null && vs !== null) {
          return { schema: mapOf(ks, vs), value: linkedMap([...raw].map(([k, v]) => [convertTo(ks, k), convertTo(vs, v)]), ks) }
        }
        if (ks !== null) return { schema: mapOf(ks, null), value: linkedMap([...raw].map(([k, v]) => [convertTo(ks, k), v]), ks) }
        return { schema: MAP_OF_NULL, value: raw }
      }
      if (p.canConsume(',')) throw new ParseError(`Unable to parse a map entry with no key or value: ${p.original}`)
      const key = this.parse(true)
      if (key === null || key.value === null) throw new ParseError(`Map entry may not have a null key: ${p.original}`)
      if (!p.canConsume(':')) throw new ParseError(`Map entry is missing ':' at ${p.position()} in ${p.original}`)
      const value = this.parse(true)
      entries.push([key.value, value === null ? null : value.value])
      rawKeySchemas.push(key.schema)
      // The comma between entries is optional, as in Apache.
      p.canConsume(',')
      keys.merge(key)
      values.merge(value)
    }
    if (p.previous() === ',') throw new ParseError(`Map is missing element after ',': ${p.original}`)
    throw new ParseError(`Map is missing terminating '}': ${p.original}`)
  }
}

/**
 * Kafka's Values.parseString: infers a schema from text. Returns null where Apache returns null (the text `null`,
 * blanks around it allowed); SimpleHeaderConverter and InsertHeader turn that into a null header.
 */
export function parseString (text: string): SchemaAndValue | null {
  if (text === '') return { schema: Schemas.STRING, value: '' }
  return new ValueParser(new Parser(text)).parse(false)
}
