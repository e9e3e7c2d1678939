/**
 * What a Schema Registry converter's reader must give for each shared corpus entry another converter instance wrote,
 * per format: which entries and values a format can write at all (each format's own corpus test lists the same
 * exceptions, with Confluent's error) and how what is read back compares with what was written. Shared by the
 * in-process round trip through the real registry (registry-round-trip.test.ts) and the sink of the end-to-end run
 * through a topic (test/e2e/fixtures/corpus-connectors.ts).
 */
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, Struct, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME, type Schema, type SchemaAndValue } from '../../../src/api/index.ts'
import { CORPUS, schemaDiff, valueDiff, type CorpusEntry } from './corpus.ts'
import { LossWalk } from './protobuf/protobuf-losses.ts'

export type FormatName = 'avro' | 'protobuf' | 'json'

export const CONVERTER_CLASSES: Readonly<Record<FormatName, string>> = {
  avro: 'io.confluent.connect.avro.AvroConverter',
  protobuf: 'io.confluent.connect.protobuf.ProtobufConverter',
  json: 'io.confluent.connect.json.JsonSchemaConverter'
}

/** The registry's schemaType of each format. */
export const SCHEMA_TYPES: Readonly<Record<FormatName, string>> = { avro: 'AVRO', protobuf: 'PROTOBUF', json: 'JSON' }

/**
 * Tags a format's round trip leaves out, and why. Avro: a name that is not a valid Avro name is refused unless
 * scrub.invalid.names, which then changes the name (avro-corpus.test.ts proves both). Protobuf: see notWritable.
 */
export const EXCLUDED_TAGS: Readonly<Record<FormatName, readonly string[]>> = {
  avro: ['needs-scrub'],
  protobuf: ['needs-scrub', 'nested-arrays'],
  json: []
}

/** Why `entry` cannot be written by a format's converter at all (the converter's write fails), or null. */
export function notWritable (format: FormatName, entry: CorpusEntry): string | null {
  // Confluent's ProtobufData: "Unsupported root schema of type ARRAY/MAP" (a message must be the root).
  if (format === 'protobuf' && (entry.schema.type === 'array' || entry.schema.type === 'map')) return 'array-map-root'
  // Confluent's JsonSchemaData: a STRUCT default is a Struct of the schema without the default: "Mismatching schema."
  if (format === 'json' && hasStructDefault(entry.schema)) return 'struct-default'
  return (entry.tags ?? []).find(t => EXCLUDED_TAGS[format].includes(t)) ?? null
}

/** The error a converter gives for an entry it cannot write, by notWritable's reason (Confluent's messages). */
export const REFUSALS: Readonly<Record<string, RegExp>> = {
  'needs-scrub': /Illegal (initial )?character|is not a valid identifier/,
  'nested-arrays': /Array cannot be nested/,
  'array-map-root': /Unsupported root schema of type (ARRAY|MAP)/,
  'struct-default': /Mismatching schema\./
}

function hasStructDefault (schema: Schema): boolean {
  if (schema.type === 'struct' && schema.defaultValue != null) return true
  return [...(schema.fields ?? []).map(f => f.schema), schema.keySchema, schema.valueSchema].some(s => s !== undefined && hasStructDefault(s))
}

/** The corpus entries a format writes. */
export function writableEntries (format: FormatName): CorpusEntry[] {
  return CORPUS.filter(e => notWritable(format, e) === null)
}

/** A null anywhere inside an array or map: a repeated Protobuf field cannot hold one (Confluent's write fails too). */
export function hasNullItem (schema: Schema, value: unknown): boolean {
  if (value === null || value === undefined) return false
  switch (schema.type) {
    case 'array': return (value as unknown[]).some(v => v === null || hasNullItem(schema.valueSchema!, v))
    case 'map': return [...(value instanceof Map ? value : new Map(Object.entries(value as object)))].some(([k, v]) => hasNullItem(schema.keySchema!, k) || hasNullItem(schema.valueSchema!, v))
    case 'struct': return (schema.fields ?? []).some(f => hasNullItem(f.schema, (value as Struct).get(f.name)))
    default: return false
  }
}

/**
 * Whether the converter refuses this value of a writable entry, and with what DataError: Protobuf a null in a
 * repeated field; JSON Schema a null value of a required schema without default (it writes nulls as payloads, where
 * Avro and Protobuf write a tombstone).
 */
export function valueNotWritable (format: FormatName, entry: CorpusEntry, value: unknown): RegExp | null {
  if (format === 'protobuf' && hasNullItem(entry.schema, value)) return /null element/
  if (format === 'json' && value === null && !entry.schema.optional && entry.schema.defaultValue == null) return /Invalid null value for required/
  return null
}

/** Whether a null value is written as a payload (JSON Schema) rather than as a tombstone. */
export const writesNullPayload = (format: FormatName): boolean => format === 'json'

/**
 * What Confluent's writers send for a value: Struct.get, so a null field that has a default is written as the
 * default (unless ignore.default.for.nullables).
 */
export function withDefaults (schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (schema.type === 'struct' && value instanceof Struct) {
    const out = new Struct(schema)
    for (const f of schema.fields ?? []) out.put(f.name, withDefaults(f.schema, value.get(f.name)))
    return out
  }
  if (schema.type === 'array') return (value as unknown[]).map(v => withDefaults(schema.valueSchema!, v))
  if (schema.type === 'map' && value instanceof Map) return new Map([...value].map(([k, v]) => [withDefaults(schema.keySchema!, k), withDefaults(schema.valueSchema!, v)]))
  return value
}

/**
 * The schema read back without the version the reader took from the registry: Confluent's converters give a root
 * schema that names no version of its own the version it has under the record's subject. `registryVersion`
 * undefined: any version from 1 up is accepted (a reader that cannot ask the registry, such as a sink).
 * `versionCarried` false: the format does not carry a schema's own version (Protobuf), so the root always has the
 * registry's.
 */
export function withoutRegistryVersion (written: Schema, read: Schema, registryVersion: number | undefined, versionCarried = true): { schema: Schema, problem: string | null } {
  if ((versionCarried && written.version !== undefined) || read.version === undefined) return { schema: read, problem: null }
  const ok = registryVersion === undefined ? Number.isInteger(read.version) && read.version >= 1 : read.version === registryVersion
  return { schema: { ...read, version: undefined }, problem: ok ? null : `root version ${read.version}, not the registry's (${registryVersion ?? '>= 1'})` }
}

/** Root structs compared field by field, so the root schema's registry version does not count twice. */
function rootValueDiff (actual: unknown, expected: unknown): string | null {
  if (actual instanceof Struct && expected instanceof Struct) {
    for (const f of expected.schema.fields ?? []) {
      const d = valueDiff(actual.schema.fields?.some(x => x.name === f.name) === true ? actual.getWithoutDefault(f.name) : undefined, expected.getWithoutDefault(f.name), `value.${f.name}`)
      if (d !== null) return d
    }
    return (actual.schema.fields ?? []).length === (expected.schema.fields ?? []).length ? null : 'value: field count'
  }
  return valueDiff(actual, expected)
}

/**
 * Exact equality (Avro, and every format's second pass), allowing only the root's registry version. `nullPayload`:
 * the format writes a null value as a payload (JSON Schema), which reads back with its schema.
 */
export function exactDiff (schema: Schema, value: unknown, read: SchemaAndValue, registryVersion: number | undefined, nullPayload = false): string | null {
  if ((value === null || value === undefined) && !nullPayload) {
    return read.schema === null && read.value === null ? null : 'a null value must read back as schema null, value null'
  }
  if (read.schema === null) return 'schema: null'
  const { schema: actual, problem } = withoutRegistryVersion(schema, read.schema, registryVersion)
  return problem ?? schemaDiff(actual, schema) ?? rootValueDiff(read.value, value)
}

/**
 * The value Confluent's JsonSchemaConverter reads back (json-schema-corpus.test.ts has the same model): a null where
 * the schema has a default reads as the default; NaN and ±Infinity are written as strings, which a float reads as
 * 0.0, and -0.0 reads as 0.0.
 */
function jsonExpectedValue (schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return schema.defaultValue ?? null
  if (schema.name === DECIMAL_LOGICAL_NAME) return value
  switch (schema.type) {
    case 'float32': case 'float64': {
      const n = value as number
      return !Number.isFinite(n) || Object.is(n, -0) ? 0 : n
    }
    case 'array': return (value as unknown[]).map(v => jsonExpectedValue(schema.valueSchema!, v))
    case 'map': {
      const entries = value instanceof Map ? [...value as Map<unknown, unknown>] : Object.entries(value as object)
      return new Map(entries.map(([k, v]) => [k, jsonExpectedValue(schema.valueSchema!, v)]))
    }
    case 'struct': {
      const out = new Struct(schema)
      for (const f of schema.fields ?? []) {
        const v = jsonExpectedValue(f.schema, (value as Struct).getWithoutDefault(f.name))
        if (v !== null) out.put(f.name, v)
      }
      return out
    }
    default: return value
  }
}

/** JSON Schema carries every Connect schema attribute: the schema comes back equal, the value as modelled above. */
function jsonDiff (entry: CorpusEntry, value: unknown, read: SchemaAndValue, registryVersion: number | undefined): string | null {
  if (read.schema === null) return 'schema: null (JSON Schema writes a null value as a payload)'
  const { schema: actual, problem } = withoutRegistryVersion(entry.schema, read.schema, registryVersion)
  return problem ?? schemaDiff(actual, entry.schema) ?? rootValueDiff(read.value, jsonExpectedValue(entry.schema, value))
}

const LOGICAL = new Set([DECIMAL_LOGICAL_NAME, DATE_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME])

/**
 * The first pass of Protobuf: Confluent's mapping is lossy by design (proto3 has no required fields, defaults or
 * docs), so every difference must be one of protobuf-losses.ts's listed losses; anything else is a failure.
 */
function protobufDiff (entry: CorpusEntry, value: unknown, read: SchemaAndValue, registryVersion: number | undefined): string | null {
  if (value === null || value === undefined) return exactDiff(entry.schema, value, read, registryVersion)
  if (read.schema === null) return 'schema: null'
  const { schema: r, problem } = withoutRegistryVersion(entry.schema, read.schema, registryVersion, false)
  if (problem !== null) return problem
  try {
    const walk = new LossWalk()
    if (entry.schema.name !== undefined && LOGICAL.has(entry.schema.name)) {
      // A logical type at the root is written as its message under the wrapper of its base type and read back as that
      // wrapper (protobuf-corpus.test.ts: 'logical-root').
      const base = entry.schema.type === 'int32' ? 'int32' : entry.schema.type === 'int64' ? 'int64' : 'bytes'
      return r.type === base ? null : `logical root read back as ${r.type}, not ${base}`
    }
    walk.schema(entry.schema, r)
    walk.value(entry.schema, value, r, read.value)
    return null
  } catch (err) {
    return (err as Error).message
  }
}

/**
 * How what a reader gave differs from what the writer was given, or null when it is what the format promises.
 * `ignoreDefaults`: both converters had ignore.default.for.nullables=true (Avro: the value comes back exactly).
 */
export function readDiff (format: FormatName, entry: CorpusEntry, value: unknown, read: SchemaAndValue, registryVersion: number | undefined, ignoreDefaults = false): string | null {
  if (format === 'protobuf') return protobufDiff(entry, value, read, registryVersion)
  if (format === 'json') return jsonDiff(entry, value, read, registryVersion)
  return exactDiff(entry.schema, ignoreDefaults ? value : withDefaults(entry.schema, value), read, registryVersion)
}
