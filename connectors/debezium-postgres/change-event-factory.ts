/**
 * Turns row images (column name → PostgreSQL text, null, or "unchanged TOAST") into Debezium's change-event records:
 * read, create, update, delete (+ tombstone), truncate, with Debezium's handling of a primary-key change (a delete of
 * the old key, its tombstone, then a create of the new, carrying __debezium.newkey / __debezium.oldkey headers).
 */
import { randomBytes } from 'node:crypto'
import { BigDecimal, DataError, DECIMAL_LOGICAL_NAME, Headers, SchemaBuilder, Schemas, sourceRecord, Struct, type OffsetMap, type Schema, type SourceRecord } from '../../src/api/index.ts'
import { UNCHANGED_TOAST } from './pgoutput-decoder.ts'
import { nowMicros, SOURCE_SCHEMA, sourceStruct, TRANSACTION_BLOCK_SCHEMA, type Operation, type SourceInfo, type TableSchemas } from './envelope.ts'

/** A column's value in a row image: its text, null, or UNCHANGED_TOAST (pgoutput's 'u': not sent, not changed). */
export { UNCHANGED_TOAST }
export type RowImage = ReadonlyMap<string, string | null | typeof UNCHANGED_TOAST>

export interface ChangeContext {
  readonly partition: OffsetMap
  readonly offset: OffsetMap
  readonly source: SourceInfo
}

/** A UUID version 7 (time-ordered), the form of Debezium's __debezium.context.runId. */
export function uuidV7 (): string {
  const b = randomBytes(16)
  const ms = BigInt(Date.now())
  for (let i = 0; i < 6; i++) b[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn)
  b[6] = (b[6]! & 0x0f) | 0x70
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

export interface ChangeEventOptions {
  readonly tombstonesOnDelete: boolean
  /** extended.headers.enabled: the __debezium.context.* headers on every change event (Debezium 3's default). */
  readonly extendedHeaders: boolean
  /** topic.prefix */
  readonly logicalName: string
  readonly taskId?: string
}

/** The value Debezium's converters give a NOT NULL column that has no value and no default. */
export function fallback (schema: Schema): unknown {
  if (schema.name === DECIMAL_LOGICAL_NAME) return new BigDecimal(0n, Number(schema.parameters?.scale ?? 0))
  switch (schema.type) {
    case 'int8': case 'int16': case 'int32': case 'int64': case 'float32': case 'float64': return 0
    case 'boolean': return false
    case 'string': return ''
    case 'bytes': return Buffer.alloc(0)
    case 'array': return []
    case 'map': return new Map()
    case 'struct': {
      const s = new Struct(schema)
      for (const f of schema.fields ?? []) if (!f.schema.optional) s.put(f.name, f.schema.defaultValue ?? fallback(f.schema))
      return s
    }
  }
}

export class ChangeEventFactory {
  readonly #tombstonesOnDelete: boolean
  readonly #context: Headers

  constructor (options: ChangeEventOptions) {
    this.#tombstonesOnDelete = options.tombstonesOnDelete
    this.#context = options.extendedHeaders
      ? new Headers([
        { key: '__debezium.context.connectorLogicalName', value: options.logicalName, schema: Schemas.STRING },
        { key: '__debezium.context.taskId', value: options.taskId ?? '0', schema: Schemas.STRING },
        { key: '__debezium.context.connectorName', value: 'postgresql', schema: Schemas.STRING },
        { key: '__debezium.context.runId', value: uuidV7(), schema: Schemas.STRING }
      ])
      : Headers.EMPTY
  }

  /** Debezium's key-change header (if any) first, then the context headers. */
  #headers (first?: { key: string, value: Struct }): Headers {
    if (first === undefined) return this.#context
    return new Headers([{ key: first.key, value: first.value, schema: first.value.schema }, ...this.#context.toArray()])
  }

  /**
   * Connect values of a row image. A NOT NULL column without a value (absent from an old key-only image, which
   * pgoutput sends with nulls for the non-key columns) gets its schema default, else its type's zero, as Debezium's
   * value converters do. `streaming`: a pgoutput image, read as Debezium's pgoutput reader does where it differs from
   * its snapshot (ColumnMapping.fromStreamingText).
   */
  values (table: TableSchemas, image: RowImage, streaming = true): Map<string, unknown> {
    const out = new Map<string, unknown>()
    for (const c of table.columns) {
      const text = image.get(c.name)
      if (text === null || text === undefined) out.set(c.name, c.mapping.schema.optional ? null : c.mapping.schema.defaultValue ?? fallback(c.mapping.schema))
      else if (text === UNCHANGED_TOAST) out.set(c.name, c.mapping.unchangedToast())
      else {
        try {
          out.set(c.name, streaming && c.mapping.fromStreamingText !== undefined ? c.mapping.fromStreamingText(text) : c.mapping.fromText(text))
        } catch (err) {
          throw new DataError(`${table.table.schema}.${table.table.table}.${c.name}: cannot convert ${JSON.stringify(text.length > 80 ? text.slice(0, 80) + '…' : text)}: ${(err as Error).message}`, { cause: err })
        }
      }
    }
    return out
  }

  #record (table: TableSchemas, ctx: ChangeContext, key: Struct | null, value: Struct | null, headers: Headers): SourceRecord {
    return sourceRecord({
      sourcePartition: ctx.partition,
      sourceOffset: ctx.offset,
      topic: table.topic,
      keySchema: table.keySchema,
      key,
      valueSchema: value === null ? null : table.envelopeSchema,
      value,
      headers
    })
  }

  #event (table: TableSchemas, ctx: ChangeContext, op: Operation, key: Struct | null, before: Struct | null, after: Struct | null, headers: Headers = this.#context): SourceRecord {
    const value = table.envelope(op, before, after, sourceStruct(ctx.source), nowMicros())
    return this.#record(table, ctx, key, value, headers)
  }

  read (table: TableSchemas, ctx: ChangeContext, row: RowImage): SourceRecord {
    const values = this.values(table, row, false)
    return this.#event(table, ctx, 'r', table.key(values), null, table.row(values))
  }

  create (table: TableSchemas, ctx: ChangeContext, row: RowImage): SourceRecord {
    const values = this.values(table, row)
    return this.#event(table, ctx, 'c', table.key(values), null, table.row(values))
  }

  /**
   * `oldImage` is pgoutput's old tuple: the old key ('K', when the key changed) or the whole old row ('O', REPLICA
   * IDENTITY FULL); null when the server sent none.
   */
  update (table: TableSchemas, ctx: ChangeContext, oldImage: RowImage | null, newImage: RowImage): SourceRecord[] {
    const after = this.values(table, oldImage === null ? newImage : withOldToast(newImage, oldImage))
    const before = oldImage === null ? null : this.values(table, oldImage)
    const newKey = table.key(after)
    const oldKey = before === null ? null : table.key(before)
    if (newKey !== null && oldKey !== null && !oldKey.equals(newKey)) {
      // The primary key changed: downstream sees the old row deleted and the new one created, as in Debezium.
      const out: SourceRecord[] = []
      const deleted = this.#headers({ key: '__debezium.newkey', value: newKey })
      out.push(this.#event(table, ctx, 'd', oldKey, table.row(before!), null, deleted))
      // The tombstone carries the delete's headers, as Debezium's does.
      if (this.#tombstonesOnDelete) out.push(this.#record(table, ctx, oldKey, null, deleted))
      out.push(this.#event(table, ctx, 'c', newKey, null, table.row(after), this.#headers({ key: '__debezium.oldkey', value: oldKey })))
      return out
    }
    return [this.#event(table, ctx, 'u', newKey, before === null ? null : table.row(before), table.row(after))]
  }

  delete (table: TableSchemas, ctx: ChangeContext, oldImage: RowImage): SourceRecord[] {
    const before = this.values(table, oldImage)
    const key = table.key(before)
    const out = [this.#event(table, ctx, 'd', key, table.row(before), null)]
    if (this.#tombstonesOnDelete) out.push(this.#record(table, ctx, key, null, this.#context))
    return out
  }

  /**
   * A pg_logical_emit_message() message, as Debezium writes it to <prefix>.message: key {prefix}, value
   * {op 'm', ts_ms, source (no schema or table), transaction, message {prefix, content}}, no headers. `content` is
   * already in the binary.handling.mode's form.
   */
  message (topicPrefix: string, ctx: ChangeContext, prefix: string, content: Buffer | string): SourceRecord {
    const schemas = messageSchemas(typeof content === 'string')
    return sourceRecord({
      sourcePartition: ctx.partition,
      sourceOffset: ctx.offset,
      topic: `${topicPrefix}.message`,
      keySchema: schemas.key,
      key: new Struct(schemas.key).put('prefix', prefix),
      valueSchema: schemas.value,
      value: new Struct(schemas.value)
        .put('op', 'm')
        .put('ts_ms', nowMicros() / 1000n)
        .put('source', sourceStruct(ctx.source))
        .put('message', new Struct(schemas.message).put('prefix', prefix).put('content', content))
    })
  }

  truncate (table: TableSchemas, ctx: ChangeContext): SourceRecord {
    // No key and no key schema, as Debezium: a keyed table's required key schema with a null key would not convert.
    const record = this.#event(table, ctx, 't', null, null, null)
    return sourceRecord({ ...record, keySchema: null, key: null })
  }
}

/**
 * The new image with each unchanged TOASTed column (pgoutput's 'u') taken from the old image when that has it (REPLICA
 * IDENTITY FULL sends the whole old row): Debezium emits the value then, not the unavailable-value placeholder.
 */
function withOldToast (newImage: RowImage, oldImage: RowImage): RowImage {
  let merged: Map<string, string | null | typeof UNCHANGED_TOAST> | null = null
  for (const [name, text] of newImage) {
    const old = oldImage.get(name)
    if (text !== UNCHANGED_TOAST || typeof old !== 'string') continue
    merged ??= new Map(newImage)
    merged.set(name, old)
  }
  return merged ?? newImage
}

interface MessageSchemas { key: Schema, value: Schema, message: Schema }
const MESSAGE_SCHEMAS = new Map<boolean, MessageSchemas>()

/** Debezium's schemas of logical decoding message events (content as bytes, or as a string in the other binary modes). */
function messageSchemas (contentIsString: boolean): MessageSchemas {
  let schemas = MESSAGE_SCHEMAS.get(contentIsString)
  if (schemas === undefined) {
    const key = SchemaBuilder.struct().name('io.debezium.connector.postgresql.MessageKey').version(1)
      .field('prefix', Schemas.OPTIONAL_STRING).build()
    const message = SchemaBuilder.struct().name('io.debezium.connector.postgresql.Message').version(1)
      .field('prefix', Schemas.OPTIONAL_STRING)
      .field('content', contentIsString ? Schemas.OPTIONAL_STRING : Schemas.OPTIONAL_BYTES).build()
    const value = SchemaBuilder.struct().name('io.debezium.connector.postgresql.MessageValue').version(1)
      .field('op', Schemas.STRING)
      .field('ts_ms', Schemas.OPTIONAL_INT64)
      .field('source', SOURCE_SCHEMA)
      .field('transaction', TRANSACTION_BLOCK_SCHEMA)
      .field('message', message).build()
    schemas = { key, value, message }
    MESSAGE_SCHEMAS.set(contentIsString, schemas)
  }
  return schemas
}
