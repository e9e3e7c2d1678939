/**
 * The Avro format of the Schema Registry converters (io.confluent.connect.avro.AvroConverter): Confluent's AvroData
 * mapping between Connect and Avro schemas and values, with avsc as the binary codec. The registry text of a schema
 * is Java's Schema.toString() of what AvroData builds, so the same Connect schema registers the same text as
 * Confluent's converter does.
 */
import avsc from 'avsc'
import { DataError, type ParsedConfig, type Schema } from '../../../api/index.ts'
import { JsonNumber, type JsonNode } from '../../../util/json-reader.ts'
import { LruCache } from '../../../util/lru-cache.ts'
import type { FormatSchema, ResolvedReference, SchemaFormat, SchemaFormatFactory } from '../schema-format.ts'
import { AVRO_DATA_CONFIG_DEF, avroDataOptions, DEFAULT_AVRO_DATA_OPTIONS, type AvroDataOptions } from './avro-data-config.ts'
import { avroSchemaEquals, avroSchemaToString, fullName, isNamed, parseAvroSchema, type AvroSchema } from './avro-schema.ts'
import { anythingSchema, AvroValues } from './avro-values.ts'
import { ConnectToAvro } from './from-connect-schema.ts'
import { AvroToConnect } from './to-connect-schema.ts'

export interface AvroFormatSchema extends FormatSchema {
  readonly avro: AvroSchema
  readonly codec: avsc.Type
}

/** avsc's long as a bigint, so all 64 bits survive (its own long refuses values beyond 2^53). */
const LONG = avsc.types.LongType.__with({
  fromBuffer: (b: Buffer) => b.readBigInt64LE(0),
  toBuffer: (n: bigint | number) => {
    const b = Buffer.alloc(8)
    b.writeBigInt64LE(BigInt(n), 0)
    return b
  },
  fromJSON: (n: unknown) => BigInt(n as number | bigint),
  // Kept a bigint: avsc copies defaults through toJSON/fromJSON, and a number would round 64-bit ones.
  toJSON: (n: bigint) => n,
  isValid: (n: unknown) => (typeof n === 'bigint' && BigInt.asIntN(64, n) === n) || (typeof n === 'number' && Number.isSafeInteger(n)),
  compare: (a: bigint, b: bigint) => a < b ? -1 : a > b ? 1 : 0
})

/** A JSON default as avsc takes it; integers beyond 2^53 as bigints, for the bigint long type. */
function plainJson (node: JsonNode | undefined): unknown {
  if (node instanceof JsonNumber) {
    const n = Number(node.text)
    return node.integral && !Number.isSafeInteger(n) ? BigInt(node.text) : n
  }
  if (Array.isArray(node)) return node.map(plainJson)
  if (node instanceof Map) return Object.fromEntries([...node].map(([k, v]) => [k, plainJson(v)]))
  return node
}

/**
 * The schema as avsc reads it: structure, full names and (when `defaults`) field defaults, which the codec writes for
 * fields a value lacks; docs and properties play no part in coding.
 */
function avscJson (s: AvroSchema, defined: Set<string>, defaults: boolean): unknown {
  switch (s.type) {
    case 'union': return s.types.map(t => avscJson(t, defined, defaults))
    case 'array': return { type: 'array', items: avscJson(s.items, defined, defaults) }
    case 'map': return { type: 'map', values: avscJson(s.values, defined, defaults) }
    case 'record': case 'enum': case 'fixed': {
      const name = fullName(s)
      if (defined.has(name)) return name
      defined.add(name)
      if (s.type === 'enum') return { type: 'enum', name, symbols: [...s.symbols] }
      if (s.type === 'fixed') return { type: 'fixed', name, size: s.size }
      return {
        type: 'record',
        name,
        fields: s.fields.map(f => defaults && f.defaultValue !== undefined
          ? { name: f.name, type: avscJson(f.schema, defined, defaults), default: plainJson(f.defaultValue) }
          : { name: f.name, type: avscJson(f.schema, defined, defaults) })
      }
    }
    default: return s.type
  }
}

function codecFor (s: AvroSchema): avsc.Type {
  // A fresh registry each time: avsc keeps the named types it meets in it.
  const forSchema = (defaults: boolean): avsc.Type => avsc.Type.forSchema(avscJson(s, new Set(), defaults) as avsc.Schema, { wrapUnions: true, registry: { long: LONG } })
  try {
    return forSchema(true)
  } catch {
    // A default avsc cannot take (Avro 1.12 accepts some the specification does not): code without defaults.
    try {
      return forSchema(false)
    } catch (err) {
      throw new DataError(`Invalid Avro schema: ${(err as Error).message}`, { cause: err })
    }
  }
}

function formatSchema (avro: AvroSchema, text: string): AvroFormatSchema {
  return Object.freeze({
    text,
    avro,
    codec: codecFor(avro),
    recordName: avro.type === 'record' ? fullName(avro) : null,
    references: []
  })
}

export class AvroFormat implements SchemaFormat<AvroFormatSchema> {
  readonly type = 'AVRO' as const
  readonly options: AvroDataOptions
  readonly #fromConnect: LruCache<Schema, AvroFormatSchema>
  readonly #toConnect: LruCache<AvroFormatSchema, Map<number | undefined, Schema | null>>
  readonly #values: AvroValues
  #anything: AvroFormatSchema | null = null

  constructor (options: AvroDataOptions = DEFAULT_AVRO_DATA_OPTIONS) {
    this.options = options
    this.#fromConnect = new LruCache(options.cacheSize)
    this.#toConnect = new LruCache(options.cacheSize)
    this.#values = new AvroValues(options)
  }

  #anythingSchema (): AvroFormatSchema {
    if (this.#anything === null) {
      const avro = anythingSchema()
      this.#anything = formatSchema(avro, avroSchemaToString(avro))
    }
    return this.#anything
  }

  /** AvroData.fromConnectSchema; null gives the schema of schemaless data (Confluent's Anything record). */
  fromConnectSchema (schema: Schema | null): AvroFormatSchema {
    if (schema === null) return this.#anythingSchema()
    const cached = this.#fromConnect.get(schema)
    if (cached !== undefined) return cached
    const avro = new ConnectToAvro(this.options, () => this.#anythingSchema().avro).convert(schema)
    const result = formatSchema(avro, avroSchemaToString(avro))
    this.#fromConnect.set(schema, result)
    return result
  }

  parse (text: string, references: readonly ResolvedReference[]): AvroFormatSchema {
    const avro = parseAvroSchema(text, references.map(r => r.schema))
    if (avroSchemaEquals(avro, this.#anythingSchema().avro)) return this.#anythingSchema()
    return formatSchema(avro, text)
  }

  /**
   * AvroData.toConnectSchema: null for Confluent's Anything schema (schemaless data). `version` is the registry's
   * version of the schema, which Confluent's converter gives a schema that has no connect.version.
   */
  toConnectSchema (schema: AvroFormatSchema, version?: number): Schema | null {
    if (schema === this.#anything) return null
    let byVersion = this.#toConnect.get(schema)
    const cached = byVersion?.get(version)
    if (cached !== undefined) return cached
    const result = new AvroToConnect(this.options).convert(schema.avro, version)
    if (byVersion === undefined) {
      byVersion = new Map()
      this.#toConnect.set(schema, byVersion)
    }
    byVersion.set(version, result)
    return result
  }

  serialize (schema: AvroFormatSchema, connectSchema: Schema | null, value: unknown): Buffer {
    const avroValue = this.#values.fromConnect(connectSchema, schema.avro, value)
    try {
      return schema.codec.toBuffer(avroValue)
    } catch (err) {
      throw new DataError(`Cannot write the value as Avro ${isNamed(schema.avro) ? fullName(schema.avro) : schema.avro.type}: ${(err as Error).message}`, { cause: err })
    }
  }

  deserialize (schema: AvroFormatSchema, connectSchema: Schema | null, payload: Buffer): unknown {
    let decoded: { value: unknown, offset: number }
    try {
      decoded = schema.codec.decode(payload, 0)
    } catch (err) {
      throw new DataError(`Malformed Avro payload: ${(err as Error).message}`, { cause: err })
    }
    if (decoded.offset < 0) throw new DataError(`Malformed Avro payload: it ends before the value does (${payload.length} bytes)`)
    if (this.options.failOnTrailingData && decoded.offset < payload.length) {
      throw new DataError(`Malformed Avro payload: ${payload.length - decoded.offset} bytes left after the value (avro.fail.on.trailing.data=true)`)
    }
    return this.#values.toConnect(connectSchema, schema.avro, decoded.value)
  }
}

export const AVRO_FORMAT_FACTORY: SchemaFormatFactory = Object.freeze({
  type: 'AVRO' as const,
  configDef: AVRO_DATA_CONFIG_DEF,
  create: (config: ParsedConfig): AvroFormat => new AvroFormat(avroDataOptions(config))
})
