/**
 * Connect and Debezium schemas as PostgreSQL columns, the way Debezium's PostgreSQL dialect creates them (its type
 * registry: by logical name first, then by Connect type; Hibernate's PostgreSQL DDL names, precision 6 for times), and
 * values as the text PostgreSQL reads for them. Every bound value is cast to its column's type in the statement, so
 * the text form is all that matters.
 */
import { BigDecimal, civilOf, DataError, bytesToBigint, javaDoubleToString, javaFloatToString, type Schema, type Struct } from '../../src/api/index.ts'

const DEFAULT_TIME_PRECISION = 6
const DEFAULT_DECIMAL_PRECISION = 38

export const LOGICAL = {
  connectDecimal: 'org.apache.kafka.connect.data.Decimal',
  connectDate: 'org.apache.kafka.connect.data.Date',
  connectTime: 'org.apache.kafka.connect.data.Time',
  connectTimestamp: 'org.apache.kafka.connect.data.Timestamp',
  date: 'io.debezium.time.Date',
  time: 'io.debezium.time.Time',
  microTime: 'io.debezium.time.MicroTime',
  nanoTime: 'io.debezium.time.NanoTime',
  zonedTime: 'io.debezium.time.ZonedTime',
  timestamp: 'io.debezium.time.Timestamp',
  microTimestamp: 'io.debezium.time.MicroTimestamp',
  nanoTimestamp: 'io.debezium.time.NanoTimestamp',
  zonedTimestamp: 'io.debezium.time.ZonedTimestamp',
  microDuration: 'io.debezium.time.MicroDuration',
  variableScaleDecimal: 'io.debezium.data.VariableScaleDecimal',
  json: 'io.debezium.data.Json',
  uuid: 'io.debezium.data.Uuid',
  enum: 'io.debezium.data.Enum',
  bits: 'io.debezium.data.Bits',
  xml: 'io.debezium.data.Xml',
  ltree: 'io.debezium.data.Ltree',
  point: 'io.debezium.data.geometry.Point'
} as const

function param (schema: Schema, name: string): string | undefined {
  return schema.parameters?.[name]
}

/** The source column's precision Debezium propagates (column.propagate.source.type), or 0. */
function sourcePrecision (schema: Schema): number {
  const text = param(schema, '__debezium.source.column.scale') ?? param(schema, '__debezium.source.column.length') ?? '0'
  const n = Number(text)
  return Number.isInteger(n) ? n : 0
}

function temporalPrecision (schema: Schema): number {
  const p = sourcePrecision(schema)
  return p > 0 && p <= DEFAULT_TIME_PRECISION ? p : DEFAULT_TIME_PRECISION
}

/** The column type Debezium's PostgreSQL dialect gives a field of this schema when it creates or alters a table. */
export function columnTypeFor (schema: Schema, fieldName: string): string {
  switch (schema.name) {
    case LOGICAL.connectDate: case LOGICAL.date: return 'date'
    case LOGICAL.connectTime: case LOGICAL.time: case LOGICAL.microTime: case LOGICAL.nanoTime:
      return `time(${temporalPrecision(schema)})`
    case LOGICAL.connectTimestamp: case LOGICAL.timestamp: case LOGICAL.microTimestamp: case LOGICAL.nanoTimestamp:
      return `timestamp(${temporalPrecision(schema)})`
    case LOGICAL.zonedTimestamp: return `timestamp(${temporalPrecision(schema)}) with time zone`
    case LOGICAL.zonedTime: {
      const p = sourcePrecision(schema)
      return `time(${p > 0 ? p : DEFAULT_TIME_PRECISION}) with time zone`
    }
    case LOGICAL.microDuration: return 'interval'
    case LOGICAL.variableScaleDecimal: return 'double precision'
    case LOGICAL.connectDecimal: {
      let scale = Number(param(schema, 'scale') ?? '0')
      if (scale < 0) scale = 0
      const precision = Number(param(schema, 'connect.decimal.precision') ?? '0')
      if (precision > 0) return `numeric(${Math.min(precision, DEFAULT_DECIMAL_PRECISION)},${scale})`
      return `numeric(${DEFAULT_DECIMAL_PRECISION},${scale})`
    }
    case LOGICAL.json: {
      const source = param(schema, '__debezium.source.column.type')
      return source === 'HSTORE' ? 'hstore' : source === 'JSONB' ? 'jsonb' : 'json'
    }
    case LOGICAL.uuid: return 'uuid'
    case LOGICAL.enum: return 'text'
    case LOGICAL.xml: return 'xml'
    case LOGICAL.ltree: return 'ltree'
    case LOGICAL.point: return 'point'
    case LOGICAL.bits: {
      const length = Number(param(schema, 'length') ?? '0')
      if (length === 2147483647) return 'bit varying'
      return param(schema, '__debezium.source.column.type') === 'VARBIT' ? `bit varying(${length})` : `bit(${length})`
    }
    default: break
  }
  if (schema.name?.startsWith('io.debezium.data.geometry.') === true || /Vector$/.test(schema.name ?? '')) {
    throw new DataError(`Field '${fieldName}': the type ${schema.name} is not supported by this connector (no PostGIS or pgvector mapping)`)
  }
  switch (schema.type) {
    case 'int8': case 'int16': return 'smallint'
    case 'int32': return 'integer'
    case 'int64': return 'bigint'
    case 'float32': return 'real'
    case 'float64': return 'double precision'
    case 'boolean': return 'boolean'
    case 'string': return 'text'
    case 'bytes': return 'bytea'
    case 'array': return `${columnTypeFor(schema.valueSchema!, fieldName)}[]`
    case 'map': return 'hstore'
    case 'struct':
      throw new DataError(`Field '${fieldName}': failed to resolve column type for schema: STRUCT (${schema.name ?? 'no name'})`)
  }
}

// ---- Values ---------------------------------------------------------------------------------------------------

const pad = (n: number | bigint, width = 2): string => String(n).padStart(width, '0')

/**
 * yyyy-mm-dd of a day since the epoch (proleptic Gregorian, as java.time's LocalDate: any year, beyond what a JS Date
 * holds), with PostgreSQL's BC suffix for years before 1. Returns [date, bc].
 */
function civilDate (epochDay: number): [string, boolean] {
  const { year: y, month: m, day: d } = civilOf(epochDay)
  return [`${pad(y <= 0 ? 1 - y : y, 4)}-${pad(m)}-${pad(d)}`, y <= 0]
}

function formatDate (epochDay: number): string {
  const [date, bc] = civilDate(epochDay)
  return bc ? `${date} BC` : date
}

/**
 * A naive timestamp from epoch micros plus extra nanos, as its UTC wall clock. Debezium binds a LocalDateTime made in
 * UTC straight through JDBC, so use.time.zone changes nothing here (its atZone(...).toLocalDateTime() is the identity).
 */
function formatTimestamp (epochMicros: bigint, extraNanos: number): string {
  const perDay = 86400000000n
  const day = epochMicros / perDay - (epochMicros % perDay < 0n ? 1n : 0n)
  const ofDay = epochMicros - day * perDay
  const [date, bc] = civilDate(Number(day))
  const time = formatTimeOfDay(ofDay * 1000n + BigInt(extraNanos), 'timestamp')
  return `${date} ${time}${bc ? ' BC' : ''}`
}

/** hh:mm:ss.fffffffff; 24:00:00 (PostgreSQL's end of day, which Debezium's sink cannot bind) is written as such. */
function formatTimeOfDay (n: bigint, fieldName: string): string {
  if (n < 0n || n > 86400000000000n) throw new DataError(`Field '${fieldName}': the time of day ${n} ns is out of range`)
  const h = n / 3600000000000n
  const m = (n / 60000000000n) % 60n
  const s = (n / 1000000000n) % 60n
  const f = n % 1000000000n
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(f, 9)}`
}

function toBigInt (value: unknown, fieldName: string): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value)
  throw new DataError(`Field '${fieldName}': expected an integer, got ${typeof value}`)
}

function floatText (v: number, single: boolean): string {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return 'Infinity'
  if (v === -Infinity) return '-Infinity'
  return single ? javaFloatToString(v) : javaDoubleToString(v)
}

function hstoreText (map: unknown): string {
  const entries = map instanceof Map ? [...map.entries()] : Object.entries(map as Record<string, unknown>)
  const q = (s: string): string => `"${s.replace(/["\\]/g, c => `\\${c}`)}"`
  return entries.map(([k, v]) => `${q(String(k))}=>${v === null || v === undefined ? 'NULL' : q(String(v))}`).join(', ')
}

function bitsText (bytes: Uint8Array, length: number): string {
  // Debezium's Bits are little-endian (BitSet.valueOf): bit i of the value is bit (i % 8) of byte i / 8.
  const width = length === 2147483647 ? bytes.length * 8 : length
  let out = ''
  for (let i = width - 1; i >= 0; i--) out += ((bytes[i >> 3] ?? 0) >> (i & 7)) & 1 ? '1' : '0'
  return out
}

export type BoundValue = string | Buffer | null | BoundValue[]

/** The text (or bytes, for bytea) PostgreSQL reads for a Connect value of this schema; null for SQL NULL. */
export function bindValue (schema: Schema, value: unknown, fieldName: string): BoundValue {
  if (value === null || value === undefined) return null
  switch (schema.name) {
    case LOGICAL.connectDate: return formatDate(Math.floor((value as Date).getTime() / 86400000))
    case LOGICAL.date: return formatDate(Number(value))
    case LOGICAL.connectTime: {
      const ms = (value as Date).getTime()
      return formatTimeOfDay(BigInt(ms) * 1000000n, fieldName)
    }
    case LOGICAL.time: return formatTimeOfDay(toBigInt(value, fieldName) * 1000000n, fieldName)
    case LOGICAL.microTime: return formatTimeOfDay(toBigInt(value, fieldName) * 1000n, fieldName)
    case LOGICAL.nanoTime: return formatTimeOfDay(toBigInt(value, fieldName), fieldName)
    case LOGICAL.connectTimestamp: return formatTimestamp(BigInt((value as Date).getTime()) * 1000n, 0)
    case LOGICAL.timestamp: return formatTimestamp(toBigInt(value, fieldName) * 1000n, 0)
    case LOGICAL.microTimestamp: return formatTimestamp(toBigInt(value, fieldName), 0)
    case LOGICAL.nanoTimestamp: {
      const n = toBigInt(value, fieldName)
      const micros = n / 1000n - (n % 1000n < 0n ? 1n : 0n)
      return formatTimestamp(micros, Number(n - micros * 1000n))
    }
    case LOGICAL.zonedTimestamp: case LOGICAL.zonedTime: return String(value)
    case LOGICAL.microDuration: return `${new BigDecimal(toBigInt(value, fieldName), 6).toString()} seconds`
    case LOGICAL.variableScaleDecimal: {
      const s = value as Struct
      const bytes = s.get('value') as Uint8Array
      return new BigDecimal(bytesToBigint(bytes), Number(s.get('scale'))).toString()
    }
    case LOGICAL.connectDecimal: return (value as BigDecimal).toString()
    case LOGICAL.point: {
      // Debezium binds a point through PostGIS (ST_GeomFromWKB), and so fails without it; its x and y are all a
      // PostgreSQL point needs.
      const p = value as Struct
      return `(${floatText(Number(p.get('x')), false)},${floatText(Number(p.get('y')), false)})`
    }
    case LOGICAL.bits:
      if (typeof value === 'boolean') return value ? '1' : '0'
      return bitsText(value as Uint8Array, Number(param(schema, 'length') ?? '0'))
    default: break
  }
  switch (schema.type) {
    case 'int8': case 'int16': case 'int32': case 'int64': return String(value)
    case 'float32': return floatText(value as number, true)
    case 'float64': return floatText(value as number, false)
    case 'boolean': return value === true ? 'true' : 'false'
    case 'string': return value as string
    case 'bytes': return Buffer.from(value as Uint8Array)
    case 'array': return (value as unknown[]).map(v => bindValue(schema.valueSchema!, v, fieldName))
    case 'map': return hstoreText(value)
    case 'struct': throw new DataError(`Field '${fieldName}': a STRUCT value cannot be written to a column`)
  }
}

/** A field's schema default as a column DEFAULT clause (Debezium's default value bindings), or null for none. */
export function defaultValueSql (schema: Schema, fieldName: string): string | null {
  const value = schema.defaultValue
  if (value === null || value === undefined) return null
  if (schema.name === LOGICAL.bits || schema.type === 'array' || schema.type === 'map' || schema.type === 'struct') return null
  if (schema.type === 'boolean') return value === true ? 'TRUE' : 'FALSE'
  const bound = bindValue(schema, value, fieldName)
  if (bound === null) return null
  if (Buffer.isBuffer(bound)) return `'\\x${bound.toString('hex')}'`
  if (schema.name === undefined && ['int8', 'int16', 'int32', 'int64', 'float32', 'float64'].includes(schema.type)) return String(bound)
  if (schema.name === LOGICAL.connectDecimal) return String(bound)
  return `'${String(bound).replace(/'/g, "''")}'`
}
