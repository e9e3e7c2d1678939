/**
 * Debezium's ExtractNewRecordState (io.debezium.transforms.ExtractNewRecordState, Debezium 3.6): flattens a change
 * event envelope to its `after` row state, handles deletes and tombstones per delete.tombstone.handling.mode, drops
 * truncates, and can copy envelope fields into the row (add.fields), into headers (add.headers), route by a column
 * (route.by.field) and drop fields named in a header (drop.fields.header.name). Records that are not envelopes
 * (heartbeats, schema changes, schemaless values) pass unchanged.
 *
 * Built on our ports of Kafka's ExtractField$Value, InsertField$Value and ReplaceField, as Debezium is, so the
 * output schemas are the same: every flattened row gets a required copy of the optional `after` schema (Debezium
 * runs its add-fields step even with no fields to add, and Kafka's SchemaUtil.copySchemaBasics never copies
 * optionality); only a delete in tombstone mode keeps the optional `after` schema itself, with a null value.
 */
import { DataError, SchemaBuilder, Schemas, Struct, javaTrim, newRecord, plugin } from '../../api/index.ts'
import type { AnyRecord, ConfigDef, Header, Headers, PluginDescriptor, Schema, Transformation } from '../../api/index.ts'
import { createLogger } from '../../util/logger.ts'
import { ExtractFieldValue } from '../extract-field.ts'
import { InsertFieldValue } from '../insert-field.ts'
import { ReplaceFieldKey, ReplaceFieldValue } from '../replace-field.ts'
import { copySchemaBasics } from '../util/common.ts'
import { requireStruct } from '../util/requires.ts'
import {
  DELETED_FIELD, EXTRACT_NEW_RECORD_STATE_CONFIG_DEF, REMOVED_CONFIGS, readConfig } from './extract-new-record-state-config.ts'
import type { ExtractNewRecordStateConfig } from './extract-new-record-state-config.ts'
import { FieldReference, fieldOf } from './field-reference.ts'

export const CLASS_NAME = 'io.debezium.transforms.ExtractNewRecordState'
const PURPOSE = 'source field insertion'
const ENVELOPE_SUFFIX = '.Envelope'

const log = createLogger(CLASS_NAME)

function delegate<T extends Transformation> (t: T, configs: Record<string, string>): T {
  t.configure(configs)
  return t
}

/** Kafka's Strings.isNullOrBlank (Java's trim). */
function isBlank (s: string | null | undefined): boolean {
  return s === null || s === undefined || javaTrim(s) === ''
}

/** Struct.getString / getStruct: the stored value (no default), after Kafka's field and type checks. */
function getChecked (struct: Struct, name: string, type: 'string' | 'struct'): unknown {
  const field = fieldOf(struct.schema, name)
  if (!field) throw new DataError(`${name} is not a valid field name`)
  if (field.schema.type !== type) throw new DataError(`Field '${name}' is not of type ${type.toUpperCase()}`)
  return struct.getWithoutDefault(name)
}

function sameKey (a: unknown, b: unknown): boolean {
  return a === b || (a instanceof Struct && a.equals(b))
}

export class ExtractNewRecordState implements Transformation {
  readonly kind = 'transformation' as const
  #config: ExtractNewRecordStateConfig = readConfig({})
  #additionalFields: FieldReference[] = []
  #additionalHeaders: FieldReference[] = []
  #after = new ExtractFieldValue()
  #before = new ExtractFieldValue()
  #removed = new InsertFieldValue()
  #updated = new InsertFieldValue()
  // Debezium caches by (row schema, op): the same row schema can gain other fields per operation.
  #schemaCache = new WeakMap<Schema, Map<string, Schema>>()
  #lastDelete: { topic: string, key: unknown, added: readonly Header[] } | null = null

  configure (configs: Readonly<Record<string, string>>): void {
    this.#config = readConfig(configs)
    const removed = REMOVED_CONFIGS.filter(k => configs[k] !== undefined)
    if (removed.length > 0) {
      log.warn(`${removed.join(', ')} ${removed.length === 1 ? 'is' : 'are'} not read by Debezium 3.x's ExtractNewRecordState, nor here: use delete.tombstone.handling.mode (and add.fields / add.headers)`)
    }
    this.#additionalFields = FieldReference.fromConfiguration(this.#config.addFieldsPrefix, this.#config.addFields)
    this.#additionalHeaders = FieldReference.fromConfiguration(this.#config.addHeadersPrefix, this.#config.addHeaders)
    const replaceNull = this.#config.replaceNullWithDefault ? 'true' : 'false'
    this.#after = delegate(new ExtractFieldValue(), { field: 'after' })
    this.#before = delegate(new ExtractFieldValue(), { field: 'before' })
    this.#removed = delegate(new InsertFieldValue(), { 'static.field': DELETED_FIELD, 'static.value': 'true', 'replace.null.with.default': replaceNull })
    this.#updated = delegate(new InsertFieldValue(), { 'static.field': DELETED_FIELD, 'static.value': 'false', 'replace.null.with.default': replaceNull })
    this.#schemaCache = new WeakMap()
    this.#lastDelete = null
  }

  apply<R extends AnyRecord> (input: R): R | null {
    const isTombstone = input.value === null || input.value === undefined
    const isEnvelope = !isTombstone && input.valueSchema !== null && input.valueSchema.name !== undefined &&
      input.valueSchema.name.endsWith(ENVELOPE_SUFFIX)
    const envelope = isEnvelope ? requireStruct(input.value, PURPOSE, input.valueSchema) : null
    const lastDelete = this.#lastDelete
    this.#lastDelete = null
    let record = input
    if ((isEnvelope || isTombstone) && this.#additionalHeaders.length > 0) {
      let headers = record.headers
      // Debezium's connector gives a delete and its tombstone one mutable headers object, and its SMT adds to that
      // object: the tombstone of a source record arrives carrying the headers added to its delete.
      if (isTombstone && lastDelete !== null && input.kind === 'source' && lastDelete.topic === input.topic && sameKey(lastDelete.key, input.key)) {
        for (const h of lastDelete.added) headers = headers.with(h.key, h.value, h.schema)
      }
      headers = this.#withHeaders(headers, envelope)
      if (envelope !== null && input.kind === 'source' && envelope.getWithoutDefault('op') === 'd') {
        this.#lastDelete = { topic: input.topic, key: input.key, added: headers.toArray().slice(input.headers.size) }
      }
      record = newRecord(record as AnyRecord, { headers }) as R
    }
    if (isTombstone) return this.#config.mode === 'rewrite-with-tombstone' ? record : null
    if (envelope === null) return input

    let out = this.#after.apply(record)
    if (out.value === null && this.#before.apply(record).value === null) return null // a truncate: always dropped

    const { mode, routeByField, dropFieldsHeaderName } = this.#config
    if (out.value === null) {
      const deleted = this.#handleDelete(record)
      if (deleted === null) return null
      out = deleted
      if (routeByField !== null) {
        const before = getChecked(envelope, 'before', 'struct') as Struct
        out = this.#setTopic(getChecked(before, routeByField, 'string') as string | null, out)
      }
      if (!isBlank(dropFieldsHeaderName)) out = this.#dropFields(out)
      if (out.value !== null) out = this.#addFields(envelope, out)
    } else {
      if (mode === 'rewrite' || mode === 'rewrite-with-tombstone') {
        if (out.value instanceof Struct) out = this.#updated.apply(out)
      }
      if (routeByField !== null) {
        const row = requireStruct(out.value, 'Read record to set topic routing for CREATE / UPDATE')
        out = this.#setTopic(getChecked(row, routeByField, 'string') as string | null, out)
      }
      out = this.#addFields(envelope, out)
      if (!isBlank(dropFieldsHeaderName)) out = this.#dropFields(out)
    }
    return out
  }

  #handleDelete<R extends AnyRecord> (record: R): R | null {
    switch (this.#config.mode) {
      case 'drop':
        return null
      case 'tombstone':
        // As Debezium: the value is null but the value schema stays (the `after` schema), which Debezium's JDBC
        // sink reads as a flattened delete; with JsonConverter schemas on it is an envelope with a null payload.
        return this.#after.apply(record)
      case 'delete-to-tombstone':
        return newRecord(record as AnyRecord, { valueSchema: null, value: null }) as R
      case 'rewrite':
      case 'rewrite-with-tombstone': {
        const old = this.#before.apply(record)
        return old.value instanceof Struct ? this.#removed.apply(old) : old
      }
    }
  }

  #withHeaders (headers: Headers, envelope: Struct | null): Headers {
    let out = headers
    for (const ref of this.#additionalHeaders) {
      if (envelope === null) {
        // A tombstone only gets the operation, as a plain (required) string.
        if (ref.field === 'op') out = out.with(ref.newField, 'd', Schemas.STRING)
        continue
      }
      const schema = ref.schemaIn(envelope.schema)
      if (schema !== null) out = out.with(ref.newField, ref.valueIn(envelope), schema)
    }
    return out
  }

  #setTopic<R extends AnyRecord> (topic: string | null, record: R): R {
    return isBlank(topic) ? record : newRecord(record as AnyRecord, { topic: topic! }) as R
  }

  #addFields<R extends AnyRecord> (envelope: Struct, record: R): R {
    const value = requireStruct(record.value, PURPOSE)
    const op = getChecked(envelope, 'op', 'string') as string | null
    let byOp = this.#schemaCache.get(value.schema)
    if (byOp === undefined) { byOp = new Map(); this.#schemaCache.set(value.schema, byOp) }
    const opKey = op ?? '\u0000null'
    let schema = byOp.get(opKey)
    if (schema === undefined) {
      schema = this.#updatedSchema(value.schema, envelope.schema)
      byOp.set(opKey, schema)
    }
    const updated = new Struct(schema)
    for (const f of value.schema.fields ?? []) updated.put(f.name, value.getWithoutDefault(f.name))
    for (const ref of this.#additionalFields) {
      if (ref.schemaIn(envelope.schema) !== null) updated.put(ref.newField, ref.valueIn(envelope))
    }
    return newRecord(record as AnyRecord, { valueSchema: schema, value: updated }) as R
  }

  #updatedSchema (rowSchema: Schema, envelopeSchema: Schema): Schema {
    const builder = copySchemaBasics(rowSchema, SchemaBuilder.struct())
    for (const f of rowSchema.fields ?? []) builder.field(f.name, f.schema)
    for (const ref of this.#additionalFields) {
      const schema = ref.schemaIn(envelopeSchema)
      if (schema !== null) builder.field(ref.newField, schema)
    }
    return builder.build()
  }

  #dropFields<R extends AnyRecord> (record: R): R {
    const name = this.#config.dropFieldsHeaderName
    if (isBlank(name)) return record
    // Debezium takes the first header of that name, not the last.
    const header: Header | undefined = record.headers.toArray().find(h => h.key === name)
    if (header === undefined || header.value === null || header.value === undefined) return record
    if (!Array.isArray(header.value)) throw new DataError(`Header '${name!}' does not hold a list of field names`)
    const names = header.value as unknown[]
    if (names.length === 0) return record
    let out = record
    if (this.#config.dropFieldsFromKey && out.key !== null && out.key !== undefined) {
      const fromKey = this.#fieldsToDrop(out.keySchema, names)
      if (fromKey.length > 0) out = delegate(new ReplaceFieldKey(), { exclude: fromKey.join(',') }).apply(out) as R
    }
    const fromValue = this.#fieldsToDrop(out.valueSchema, names)
    if (fromValue.length > 0) out = delegate(new ReplaceFieldValue(), { exclude: fromValue.join(',') }).apply(out) as R
    return out
  }

  /** With keep.schema.compatible, only optional fields are dropped (the schema stays readable by old consumers). */
  #fieldsToDrop (schema: Schema | null, names: unknown[]): string[] {
    if (!this.#config.dropFieldsKeepSchemaCompatible) return names.map(String)
    if (schema === null) throw new DataError('Cannot drop fields from a record without a schema')
    return (schema.fields ?? []).filter(f => f.schema.optional && names.includes(f.name)).map(f => f.name)
  }

  config (): ConfigDef { return EXTRACT_NEW_RECORD_STATE_CONFIG_DEF }
  close (): void {}
}

export const descriptors: Array<PluginDescriptor<'transformation'>> = [
  plugin({ kind: 'transformation', className: CLASS_NAME, version: '3.6.1.Final', create: () => new ExtractNewRecordState() })
]
