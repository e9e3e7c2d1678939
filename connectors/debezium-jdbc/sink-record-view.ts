/**
 * What a sink record asks of the table, read as Debezium's JDBC sink reads it: a Debezium change event (the envelope:
 * `after` for c/r/u, `before` for d, `t` a truncate) or a flat record (after ExtractNewRecordState, or any struct);
 * a record with no value and no schema is a tombstone. Key columns come from the primary key mode, the other
 * columns from the payload, in schema order, with field.include/exclude.list applied.
 */
import { DataError, Schemas, type Schema, type SinkRecord, type Struct } from '../../src/api/index.ts'
import type { JdbcSinkSettings } from './config.ts'

export interface FieldView {
  name: string
  schema: Schema
  isKey: boolean
  value: unknown
}

export type RecordView =
  | { kind: 'skip', reason: string }
  | { kind: 'truncate', tableName: string }
  | { kind: 'delete', tableName: string, keyFields: FieldView[], fields: FieldView[] }
  | { kind: 'write', tableName: string, keyFields: FieldView[], fields: FieldView[] }

export function describeRecord (record: SinkRecord): string {
  return `topic '${record.topic}' partition ${record.kafkaPartition} offset ${record.kafkaOffset}`
}

function isStruct (v: unknown): v is Struct {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'struct'
}

function fieldValue (struct: Struct, name: string, schema: Schema): unknown {
  // Debezium binds an optional field's value as is (null stays null) and a required one with its default.
  return schema.optional ? struct.getWithoutDefault(name) : struct.get(name)
}

function isDebeziumEnvelope (schema: Schema): boolean {
  if (schema.type !== 'struct') return false
  if (schema.name !== undefined) return schema.name.endsWith('.Envelope')
  return (schema.fields ?? []).some(f => f.name === 'op')
}

/** The destination table's name: the format with ${topic} (dots as underscores) and ${source.*} filled in. */
function tableName (settings: JdbcSinkSettings, record: SinkRecord, envelope: Struct | null): string | null {
  let name = settings.collectionNameFormat.replaceAll('${topic}', record.topic.replaceAll('.', '_'))
  if (name.includes('${source.')) {
    if (envelope === null) return null
    const source = envelope.get('source')
    if (!isStruct(source)) return null
    name = name.replace(/\$\{source\.(.*?)\}/g, (_, field: string) => {
      const v = source.get(field)
      if (v === null || v === undefined) throw new DataError(`Failed to resolve collection name with format '${settings.collectionNameFormat}': the source field '${field}' is empty (${describeRecord(record)})`)
      return String(v)
    })
  }
  return name
}

function structFields (struct: Struct | null, schema: Schema | null, isKey: boolean, topic: string, settings: JdbcSinkSettings, only: readonly string[]): FieldView[] {
  if (schema === null) return []
  const fields = schema.fields ?? []
  const chosen = only.length > 0 ? fields.filter(f => only.includes(f.name)) : fields.filter(f => settings.fieldFilter(topic, f.name))
  return chosen.map(f => ({ name: f.name, schema: f.schema, isKey, value: struct === null ? null : fieldValue(struct, f.name, f.schema) }))
}

function keyFields (record: SinkRecord, payload: Struct | null, settings: JdbcSinkSettings): FieldView[] {
  switch (settings.primaryKeyMode) {
    case 'none': return []
    case 'kafka':
      return [
        { name: '__connect_topic', schema: Schemas.STRING, isKey: true, value: record.topic },
        { name: '__connect_partition', schema: Schemas.INT32, isKey: true, value: record.kafkaPartition },
        { name: '__connect_offset', schema: Schemas.INT64, isKey: true, value: record.kafkaOffset }
      ]
    case 'record_key': {
      const schema = record.keySchema
      if (schema === null) throw new DataError(`Configured primary key mode 'record_key' cannot have null schema (${describeRecord(record)})`)
      if (schema.type === 'struct') {
        const key = isStruct(record.key) ? record.key : null
        if (key === null) throw new DataError(`The record key is null while primary key mode is 'record_key' (${describeRecord(record)})`)
        return structFields(key, schema, true, record.topic, settings, settings.primaryKeyFields)
      }
      if (['array', 'map'].includes(schema.type)) throw new DataError(`An unsupported record key schema type detected: ${schema.type.toUpperCase()} (${describeRecord(record)})`)
      // A primitive key becomes the one column primary.key.fields names.
      if (settings.primaryKeyFields.length !== 1) {
        throw new DataError(`A primitive record key needs exactly one name in primary.key.fields for its column (${describeRecord(record)})`)
      }
      return [{ name: settings.primaryKeyFields[0]!, schema, isKey: true, value: record.key }]
    }
    case 'record_value':
      if (payload === null) throw new DataError(`No struct-based primary key defined for record value (${describeRecord(record)})`)
      return structFields(payload, payload.schema, true, record.topic, settings, settings.primaryKeyFields)
  }
}

/** Reads one record; throws a DataError naming the record when it cannot be written. */
export function viewRecord (record: SinkRecord, settings: JdbcSinkSettings): RecordView {
  const { value, valueSchema } = record
  if (valueSchema?.name?.includes('SchemaChangeValue') === true) {
    return { kind: 'skip', reason: 'schema change events are not supported by the JDBC sink; adjust topics to exclude the schema change topic' }
  }
  if (valueSchema?.name !== undefined && settings.cloudEventsPattern.test(valueSchema.name)) {
    throw new DataError(`CloudEvents records are not supported by this connector (${describeRecord(record)})`)
  }
  const tombstone = value === null && valueSchema === null
  if (value !== null && !isStruct(value)) {
    throw new DataError(`The record value is not a struct (schemaless or primitive values cannot be written; use a converter with schemas) (${describeRecord(record)})`)
  }
  const envelope = value !== null && valueSchema !== null && isDebeziumEnvelope(valueSchema) ? value : null
  const name = tableName(settings, record, envelope)
  if (name === null) return { kind: 'skip', reason: 'no resolvable table name' }

  if (envelope !== null) {
    const op = envelope.get('op')
    if (op === 't') return { kind: 'truncate', tableName: name }
    const isDelete = op === 'd'
    const payload = envelope.get(isDelete ? 'before' : 'after')
    const payloadStruct = isStruct(payload) ? payload : null
    if (!isDelete && payloadStruct === null) throw new DataError(`The change event (op '${String(op)}') has no 'after' state (${describeRecord(record)})`)
    return build(record, settings, name, payloadStruct, isDelete)
  }
  // Flat: a null value (with or without a schema) is a delete.
  return build(record, settings, name, tombstone || value === null ? null : value, value === null)
}

function build (record: SinkRecord, settings: JdbcSinkSettings, name: string, payload: Struct | null, isDelete: boolean): RecordView {
  const keys = isDelete && settings.primaryKeyMode !== 'record_key' ? [] : keyFields(record, payload, settings)
  const keyNames = new Set(keys.map(k => k.name))
  const fields = structFields(payload, payload?.schema ?? null, false, record.topic, settings, []).filter(f => !keyNames.has(f.name))
  if (isDelete) return { kind: 'delete', tableName: name, keyFields: keys, fields }
  return { kind: 'write', tableName: name, keyFields: keys, fields }
}
