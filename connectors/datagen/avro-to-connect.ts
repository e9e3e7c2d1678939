/**
 * The Connect schema of an Avro schema, with the rules of Confluent's AvroData.toConnectSchema (the mapping
 * kafka-connect-datagen applies to what it generates, with its defaults: connect.meta.data on, enhanced schema
 * support off): a record is a struct named after the record's full name, its doc and its fields' docs become
 * `io.confluent.connect.avro.*` parameters, a union of null and one type is that type made optional, any other union
 * a struct named `io.confluent.connect.avro.Union` with a field per branch, an enum a string with
 * `io.confluent.connect.avro.Enum` parameters, a fixed bytes with `connect.fixed.size`, the decimal, date, time-millis
 * and timestamp-millis logical types Connect's, and `connect.*` attributes are read back. Field defaults become the
 * field schema's default. Also converts JSON values (defaults, `options`) to Connect values of such a schema.
 */
import {
  BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, SchemaBuilder, Schemas, Struct,
  bytesToBigint, type Schema
} from '../../src/api/index.ts'
import { AvroSchemaError, type AvroField, type AvroRecord, type AvroSchema } from './avro-schema.ts'

const NAMESPACE = 'io.confluent.connect.avro'
const DEFAULT_SCHEMA_FULL_NAME = `${NAMESPACE}.ConnectDefault`
export const AVRO_TYPE_UNION = `${NAMESPACE}.Union`
export const AVRO_TYPE_ENUM = `${NAMESPACE}.Enum`
const MAP_ENTRY_TYPE_NAME = 'MapEntry'
const AVRO_RECORD_DOC_PROP = `${NAMESPACE}.record.doc`
const AVRO_FIELD_DOC_PREFIX_PROP = `${NAMESPACE}.field.doc.`
const AVRO_ENUM_DOC_PREFIX_PROP = `${NAMESPACE}.enum.doc.`
const AVRO_ENUM_DEFAULT_PREFIX_PROP = `${NAMESPACE}.enum.default.`
const AVRO_FIELD_DEFAULT_FLAG_PROP = `${NAMESPACE}.field.default`
const CONNECT_AVRO_FIXED_SIZE_PROP = 'connect.fixed.size'
const CONNECT_AVRO_DECIMAL_PRECISION_PROP = 'connect.decimal.precision'
const CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT = 64
const MILLIS_PER_DAY = 86400000

/** A field without a default: distinct from a default of null. */
const NO_DEFAULT = Symbol('no default')

/** AvroData.toConnectSchema for a top-level schema. Recursive schemas are refused: Connect schemas are trees here. */
export function toConnectSchema (avro: AvroSchema): Schema {
  return convert(avro, false, NO_DEFAULT, [])
}

/** An array of `io.confluent.connect.avro.MapEntry` records is how AvroData writes a map whose keys are not strings. */
export function mapEntryOf (avro: AvroSchema): AvroRecord | null {
  if (avro.type !== 'array' || avro.items.type !== 'record') return null
  const entry = avro.items
  return entry.namespace === NAMESPACE && entry.name === MAP_ENTRY_TYPE_NAME ? entry : null
}

/** The name of a general union's field for a branch (enhanced schema support off: a named type's simple name). */
export function unionMemberFieldName (member: AvroSchema): string {
  return 'fullName' in member ? member.name : member.type
}

/** True for a union of null and exactly one other type, which Connect sees as that type made optional. */
export function nullableBranch (avro: AvroSchema): AvroSchema | null {
  if (avro.type !== 'union' || avro.types.length !== 2) return null
  const i = avro.types.findIndex(t => t.type === 'null')
  return i === -1 ? null : avro.types[1 - i]!
}

function convert (avro: AvroSchema, forceOptional: boolean, fieldDefault: unknown, stack: readonly AvroRecord[]): Schema {
  const props = avro.props
  let b: SchemaBuilder
  // What the logical builders set already, which the attributes may not contradict.
  let builtName: string | undefined
  let builtVersion: number | undefined
  switch (avro.type) {
    case 'boolean': b = SchemaBuilder.bool(); break
    case 'bytes': case 'fixed': {
      if (avro.logical?.kind === 'decimal') {
        b = Decimal.builder(avro.logical.scale)
        builtName = Decimal.schema(0).name
        builtVersion = 1
        if (avro.logical.precision !== CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT) {
          b.parameter(CONNECT_AVRO_DECIMAL_PRECISION_PROP, String(avro.logical.precision))
        }
      } else {
        b = SchemaBuilder.bytes()
      }
      if (avro.type === 'fixed') b.parameter(CONNECT_AVRO_FIXED_SIZE_PROP, String(avro.size))
      break
    }
    case 'double': b = SchemaBuilder.float64(); break
    case 'float': b = SchemaBuilder.float32(); break
    case 'int': {
      const connectType = props['connect.type']
      if (avro.logical?.kind === 'date') { b = ConnectDate.builder(); builtName = ConnectDate.SCHEMA.name; builtVersion = 1 }
      else if (avro.logical?.kind === 'time-millis') { b = ConnectTime.builder(); builtName = ConnectTime.SCHEMA.name; builtVersion = 1 }
      else if (connectType === undefined || typeof props.logicalType === 'string') b = SchemaBuilder.int32()
      else if (connectType === 'int8') b = SchemaBuilder.int8()
      else if (connectType === 'int16') b = SchemaBuilder.int16()
      else throw new AvroSchemaError('Connect type annotation for Avro int field is null')
      break
    }
    case 'long':
      if (avro.logical?.kind === 'timestamp-millis') { b = ConnectTimestamp.builder(); builtName = ConnectTimestamp.SCHEMA.name; builtVersion = 1 }
      else b = SchemaBuilder.int64()
      break
    case 'string': b = SchemaBuilder.string(); break
    case 'array': {
      const entry = mapEntryOf(avro)
      if (entry !== null) {
        const key = entry.fields.find(f => f.name === 'key')
        const value = entry.fields.find(f => f.name === 'value')
        if (entry.fields.length !== 2 || key === undefined || value === undefined) {
          throw new AvroSchemaError('Found map encoded as array of key-value pairs, but array elements do not match the expected format.')
        }
        b = SchemaBuilder.map(convert(key.type, false, NO_DEFAULT, stack), convert(value.type, false, NO_DEFAULT, stack))
      } else {
        b = SchemaBuilder.array(convert(avro.items, false, NO_DEFAULT, stack))
      }
      break
    }
    case 'map': b = SchemaBuilder.map(Schemas.STRING, convert(avro.values, false, NO_DEFAULT, stack)); break
    case 'record': {
      if (stack.includes(avro)) throw new AvroSchemaError(`recursive schemas are not supported: ${avro.fullName} contains itself`)
      b = SchemaBuilder.struct()
      if (avro.doc !== null) b.parameter(AVRO_RECORD_DOC_PROP, avro.doc)
      for (const field of avro.fields) {
        if (field.doc !== null) b.parameter(AVRO_FIELD_DOC_PREFIX_PROP + field.name, field.doc)
        b.field(field.name, fieldSchema(field, [...stack, avro]))
      }
      break
    }
    case 'enum':
      b = SchemaBuilder.string()
      if (avro.doc !== null) b.parameter(AVRO_ENUM_DOC_PREFIX_PROP + avro.name, avro.doc)
      if (avro.default !== null) b.parameter(AVRO_ENUM_DEFAULT_PREFIX_PROP + avro.name, avro.default)
      b.parameter(AVRO_TYPE_ENUM, avro.fullName)
      for (const symbol of avro.symbols) b.parameter(`${AVRO_TYPE_ENUM}.${symbol}`, symbol)
      break
    case 'union': {
      if (avro.types.length === 1) return convert(avro.types[0]!, false, NO_DEFAULT, stack)
      const branch = nullableBranch(avro)
      if (branch !== null) return convert(branch, true, NO_DEFAULT, stack)
      b = SchemaBuilder.struct().name(AVRO_TYPE_UNION)
      builtName = AVRO_TYPE_UNION
      const names = new Set<string>()
      for (const member of avro.types) {
        if (member.type === 'null') { b.optional(); continue }
        const name = unionMemberFieldName(member)
        if (names.has(name)) throw new AvroSchemaError('Multiple union schemas map to the Connect union field name')
        names.add(name)
        b.field(name, convert(member, true, NO_DEFAULT, stack))
      }
      break
    }
    case 'null':
      throw new AvroSchemaError('Standalone null schemas are not supported by this converter')
  }

  const doc = props['connect.doc']
  if (typeof doc === 'string') b.doc(doc)
  const version = props['connect.version']
  if (version !== undefined) {
    if (typeof version !== 'number' || !Number.isInteger(version)) throw new AvroSchemaError(`Invalid Connect version found: ${String(version)}`)
    if (builtVersion !== undefined && builtVersion !== version) {
      throw new AvroSchemaError(`Mismatched versions: version already added to SchemaBuilder (${builtVersion}) differs from version in source schema (${version})`)
    }
    if (version >= 0) b.version(version)
  }
  const parameters = props['connect.parameters']
  if (parameters !== undefined) {
    if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
      throw new AvroSchemaError(`Expected JSON object for schema parameters but found: ${String(parameters)}`)
    }
    for (const [k, v] of Object.entries(parameters)) {
      if (typeof v !== 'string') throw new AvroSchemaError(`Expected schema parameter values to be strings but found: ${String(v)}`)
      b.parameter(k, v)
    }
  }
  for (const [k, v] of Object.entries(props)) {
    if (k.startsWith('avro')) b.parameter(k, typeof v === 'string' ? v : JSON.stringify(v))
  }
  const connectDefault = props['connect.default']
  if (fieldDefault === NO_DEFAULT) {
    if (connectDefault !== undefined) fieldDefault = connectDefault
  } else if (connectDefault === undefined) {
    b.parameter(AVRO_FIELD_DEFAULT_FLAG_PROP, 'true')
  }
  if (forceOptional) b.optional()

  const connectName = props['connect.name']
  let name: string | undefined
  if (connectName !== undefined) {
    if (typeof connectName !== 'string') throw new AvroSchemaError(`Invalid schema name: ${String(connectName)}`)
    name = connectName
  } else if (avro.type === 'record' || avro.type === 'enum' || (avro.type === 'fixed' && builtName === undefined)) {
    name = avro.fullName
  }
  if (name !== undefined && !name.startsWith(DEFAULT_SCHEMA_FULL_NAME)) {
    if (builtName !== undefined && builtName !== name) {
      throw new AvroSchemaError(`Mismatched names: name already added to SchemaBuilder (${builtName}) differs from name in source schema (${name})`)
    }
    b.name(name)
  }

  if (fieldDefault !== NO_DEFAULT) {
    try {
      // The default is checked against the schema as built so far: a struct default holds that same schema.
      const withoutDefault = b.build()
      b.defaultValue(jsonToConnect(avro, withoutDefault, fieldDefault, 'latin1'))
    } catch {
      // AvroData logs and ignores a default it cannot convert.
    }
  }
  return b.build()
}

function fieldSchema (field: AvroField, stack: readonly AvroRecord[]): Schema {
  const schema = convert(field.type, false, field.hasDefault ? field.default : NO_DEFAULT, stack)
  const params = field.props['connect.parameters']
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return schema
  const extra: Record<string, string> = {}
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string') extra[k] = v
  return Object.freeze({ ...schema, parameters: Object.freeze({ ...(schema.parameters ?? {}), ...extra }) })
}

function fail (schema: Schema, json: unknown): never {
  const shown = JSON.stringify(json, (_k, x: unknown) => typeof x === 'bigint' ? x.toString() : x) ?? String(json)
  throw new DataError(`${shown.length > 200 ? `${shown.slice(0, 200)}…` : shown} is not a value of ${schema.name ?? schema.type.toUpperCase()}`)
}

function asBigint (json: unknown): bigint | null {
  if (typeof json === 'bigint') return json
  if (typeof json === 'number' && Number.isInteger(json)) return BigInt(json)
  return null
}

/**
 * A JSON value (a field default, an `options` entry) as the Connect value of `schema`, the Connect schema of `avro`.
 * Strings of bytes and fixed types are ISO-8859-1 in defaults (Avro's rule) and UTF-8 in options (the generator reads
 * them in the platform charset); a record's missing fields take their defaults.
 */
export function jsonToConnect (avro: AvroSchema, schema: Schema, json: unknown, charset: 'latin1' | 'utf8'): unknown {
  if (json === null || json === undefined) {
    if (schema.optional || avro.type === 'null') return null
    fail(schema, json)
  }
  switch (avro.type) {
    case 'null': return fail(schema, json)
    case 'boolean': return typeof json === 'boolean' ? json : fail(schema, json)
    case 'int': {
      const n = typeof json === 'number' && Number.isInteger(json) && json >= -2147483648 && json <= 2147483647 ? json : fail(schema, json)
      return intToConnect(avro.logical?.kind, schema, n)
    }
    case 'long': {
      const n = asBigint(json)
      if (n === null || BigInt.asIntN(64, n) !== n) fail(schema, json)
      return longToConnect(avro.logical?.kind, n)
    }
    case 'float': return typeof json === 'number' ? Math.fround(json) : typeof json === 'bigint' ? Math.fround(Number(json)) : fail(schema, json)
    case 'double': return typeof json === 'number' ? json : typeof json === 'bigint' ? Number(json) : fail(schema, json)
    case 'string': return typeof json === 'string' ? json : fail(schema, json)
    case 'enum': return typeof json === 'string' && avro.symbols.includes(json) ? json : fail(schema, json)
    case 'bytes': case 'fixed': {
      if (avro.logical?.kind === 'decimal' && (typeof json === 'number' || typeof json === 'bigint')) {
        // A number is accepted for a decimal option, at the schema's scale.
        return decimalOfNumber(json, avro.logical.scale)
      }
      const bytes = typeof json === 'string' ? Buffer.from(json, charset) : json instanceof Uint8Array ? Buffer.from(json) : fail(schema, json)
      if (avro.type === 'fixed' && bytes.length !== avro.size) fail(schema, json)
      if (avro.logical?.kind === 'decimal') return bytes.length === 0 ? fail(schema, json) : new BigDecimal(bytesToBigint(bytes), avro.logical.scale)
      return bytes
    }
    case 'array': {
      if (!Array.isArray(json)) return fail(schema, json)
      const entry = mapEntryOf(avro)
      if (entry !== null) {
        const out = new Map<unknown, unknown>()
        const keyAvro = entry.fields.find(f => f.name === 'key')!.type
        const valueAvro = entry.fields.find(f => f.name === 'value')!.type
        for (const e of json as unknown[]) {
          if (typeof e !== 'object' || e === null) fail(schema, json)
          const pair = e as Record<string, unknown>
          out.set(jsonToConnect(keyAvro, schema.keySchema!, pair.key, charset), jsonToConnect(valueAvro, schema.valueSchema!, pair.value, charset))
        }
        return out
      }
      return (json as unknown[]).map(e => jsonToConnect(avro.items, schema.valueSchema!, e, charset))
    }
    case 'map': {
      if (typeof json !== 'object' || Array.isArray(json) || json instanceof Uint8Array) return fail(schema, json)
      const out = new Map<string, unknown>()
      for (const [k, v] of Object.entries(json as object)) out.set(k, jsonToConnect(avro.values, schema.valueSchema!, v, charset))
      return out
    }
    case 'record': {
      if (typeof json !== 'object' || Array.isArray(json)) return fail(schema, json)
      const struct = new Struct(schema)
      const fields = schema.fields ?? []
      avro.fields.forEach((field, i) => {
        const given = Object.prototype.hasOwnProperty.call(json, field.name)
        if (!given && !field.hasDefault) throw new DataError(`Field ${field.name} not set and has no default value`)
        const v = given ? (json as Record<string, unknown>)[field.name] : field.default
        struct.put(field.name, jsonToConnect(field.type, fields[i]!.schema, v, given ? charset : 'latin1'))
      })
      return struct
    }
    case 'union': {
      const branch = avro.types.length === 1 ? avro.types[0]! : nullableBranch(avro)
      if (branch !== null) return jsonToConnect(branch, schema, json, charset)
      for (const member of avro.types) {
        if (member.type === 'null') continue
        const field = (schema.fields ?? []).find(f => f.name === unionMemberFieldName(member))!
        let value: unknown
        try { value = jsonToConnect(member, field.schema, json, charset) } catch { continue }
        return new Struct(schema).put(field.name, value)
      }
      return fail(schema, json)
    }
  }
}

/** An Avro int as Connect sees it: a Date for date and time-millis, a wrapped byte or short for int8 and int16. */
export function intToConnect (logical: string | undefined, schema: Schema, n: number): unknown {
  if (logical === 'date') return new Date(n * MILLIS_PER_DAY)
  if (logical === 'time-millis') return new Date(n)
  if (schema.type === 'int8') return (n << 24) >> 24
  if (schema.type === 'int16') return (n << 16) >> 16
  return n
}

/** An Avro long as Connect sees it: a number when exact, else a bigint; a Date for timestamp-millis. */
export function longToConnect (logical: string | undefined, n: bigint | number): unknown {
  if (logical === 'timestamp-millis') return new Date(Number(n))
  if (typeof n === 'number') return n
  const asNumber = Number(n)
  return Number.isSafeInteger(asNumber) ? asNumber : n
}

function decimalOfNumber (n: number | bigint, scale: number): BigDecimal {
  if (typeof n === 'bigint') return new BigDecimal(n * 10n ** BigInt(scale), scale)
  const parsed = BigDecimal.parse(String(n))
  return rescale(parsed, scale)
}

/** The same value at another scale, rounding half up when digits are dropped (Java's HALF_UP). */
export function rescale (d: BigDecimal, scale: number): BigDecimal {
  if (d.scale === scale) return d
  if (d.scale < scale) return new BigDecimal(d.unscaled * 10n ** BigInt(scale - d.scale), scale)
  const divisor = 10n ** BigInt(d.scale - scale)
  const negative = d.unscaled < 0n
  const abs = negative ? -d.unscaled : d.unscaled
  let q = abs / divisor
  if ((abs % divisor) * 2n >= divisor) q += 1n
  return new BigDecimal(negative ? -q : q, scale)
}
