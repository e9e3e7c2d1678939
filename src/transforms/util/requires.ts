/**
 * Kafka's transforms.util.Requirements: the type checks every field SMT starts with, with Kafka's messages (which
 * name the Java class the value would have had, so users can search for them).
 */
import { DataError, Struct, javaHashMapOrder, javaStringHash } from '../../api/index.ts'
import type { AnyRecord, JavaHashMapCreation, Schema, SinkRecord } from '../../api/index.ts'

const SCHEMA_CLASSES: Record<string, string> = {
  int8: 'java.lang.Byte',
  int16: 'java.lang.Short',
  int32: 'java.lang.Integer',
  int64: 'java.lang.Long',
  float32: 'java.lang.Float',
  float64: 'java.lang.Double',
  boolean: 'java.lang.Boolean',
  string: 'java.lang.String',
  bytes: '[B',
  array: 'java.util.ArrayList',
  map: 'java.util.HashMap',
  struct: 'org.apache.kafka.connect.data.Struct'
}

const LOGICAL_CLASSES: Record<string, string> = {
  'org.apache.kafka.connect.data.Decimal': 'java.math.BigDecimal',
  'org.apache.kafka.connect.data.Date': 'java.util.Date',
  'org.apache.kafka.connect.data.Time': 'java.util.Date',
  'org.apache.kafka.connect.data.Timestamp': 'java.util.Date'
}

/**
 * The Java class name a value would have in Kafka. With a schema the schema decides (an int32 is an Integer);
 * without one we guess the way JsonConverter decodes schemaless JSON (integral numbers are Longs).
 */
export function javaClassOf (value: unknown, schema?: Schema | null): string {
  if (value === null || value === undefined) return 'null'
  if (value instanceof Struct) return SCHEMA_CLASSES.struct!
  if (schema) return (schema.name ? LOGICAL_CLASSES[schema.name] : undefined) ?? SCHEMA_CLASSES[schema.type] ?? 'java.lang.Object'
  switch (typeof value) {
    case 'string': return 'java.lang.String'
    case 'boolean': return 'java.lang.Boolean'
    case 'bigint': return 'java.lang.Long'
    case 'number': return Number.isInteger(value) && !Object.is(value, -0) ? 'java.lang.Long' : 'java.lang.Double'
    default:
      if (value instanceof Uint8Array) return '[B'
      if (Array.isArray(value)) return 'java.util.ArrayList'
      if (isMapValue(value)) return 'java.util.HashMap'
      if (value instanceof Date) return 'java.util.Date'
      if (typeof value === 'object' && (value as { kind?: unknown }).kind === 'decimal') return 'java.math.BigDecimal'
      return 'java.lang.Object'
  }
}

/** Schemaless maps are Maps; plain objects are accepted too, since connectors written in JS produce them. */
export function isMapValue (value: unknown): value is Map<unknown, unknown> | Record<string, unknown> {
  if (value instanceof Map) return true
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** A fresh Map with the entries of a schemaless map value (Kafka copies with new HashMap<>(value)). */
export function toMap (value: Map<unknown, unknown> | Record<string, unknown>): Map<unknown, unknown> {
  return value instanceof Map ? new Map(value) : new Map(Object.entries(value))
}

export function requireMap (value: unknown, purpose: string): Map<unknown, unknown> | Record<string, unknown> {
  if (!isMapValue(value)) {
    throw new DataError(`Only Map objects supported in absence of schema for [${purpose}], found: ${javaClassOf(value)}`)
  }
  return value
}

export function requireMapOrNull (value: unknown, purpose: string): Map<unknown, unknown> | Record<string, unknown> | null {
  return value === null || value === undefined ? null : requireMap(value, purpose)
}

export function requireStruct (value: unknown, purpose: string, schema?: Schema | null): Struct {
  if (!(value instanceof Struct)) {
    throw new DataError(`Only Struct objects supported for [${purpose}], found: ${javaClassOf(value, schema)}`)
  }
  return value
}

export function requireStructOrNull (value: unknown, purpose: string, schema?: Schema | null): Struct | null {
  return value === null || value === undefined ? null : requireStruct(value, purpose, schema)
}

export function requireSinkRecord (record: AnyRecord, purpose: string): SinkRecord {
  if (record.kind !== 'sink') {
    throw new DataError(`Only SinkRecord supported for [${purpose}], found: org.apache.kafka.connect.source.SourceRecord`)
  }
  return record
}

/** Reads a schemaless map entry whether the map is a Map or a plain object. */
export function mapGet (map: Map<unknown, unknown> | Record<string, unknown>, key: string): unknown {
  if (map instanceof Map) return map.get(key) ?? null
  return Object.hasOwn(map, key) ? map[key] ?? null : null
}

export function mapEntries (map: Map<unknown, unknown> | Record<string, unknown>): Array<[unknown, unknown]> {
  return map instanceof Map ? [...map] : Object.entries(map)
}

/**
 * A schemaless map as Kafka's SMT would have built it: a java.util.HashMap, whose iteration order (what a sink or a
 * converter sees next) follows its string keys' hashes. Non-string keys keep the given order.
 */
export function asJavaHashMap (map: Map<unknown, unknown>, creation: JavaHashMapCreation): Map<unknown, unknown> {
  if (map.size < 2) return map
  return new Map(javaHashMapOrder([...map], k => typeof k === 'string' ? javaStringHash(k) : null, creation))
}

export function mapSize (map: Map<unknown, unknown> | Record<string, unknown>): number {
  return map instanceof Map ? map.size : Object.keys(map).length
}
