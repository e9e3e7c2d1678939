/**
 * Shared by the JDBC sink tests: a database of their own on the dev PostgreSQL (dropped at the end), the task started
 * with a minimal context, Debezium-shaped change events and catalog readers for the resulting tables.
 */
import { randomBytes } from 'node:crypto'
import type { TestContext } from 'node:test'
import Kafka from 'node-rdkafka'
import pg from 'pg'
import {
  SchemaBuilder, Struct, sinkRecord, type Schema, type SinkRecord, type SinkTaskContext
} from '../../../src/api/index.ts'
import { JdbcSinkTask } from '../../../connectors/debezium-jdbc/jdbc-sink-task.ts'
import { kafkaBootstrap } from '../../harness/kafka.ts'
import { postgresUrl } from '../../harness/postgres.mjs'

export interface TestDatabase {
  name: string
  /** postgresql:// URL of the database. */
  url: string
  /** jdbc:postgresql:// URL of the database. */
  jdbcUrl: string
  user: string
  password: string
  query: <R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>
}

/** A fresh database named after `prefix`, dropped (with its connections) when the test file ends. */
export async function testDatabase (onCleanup: (fn: () => Promise<void>) => void, prefix: string): Promise<TestDatabase> {
  const admin = new URL(postgresUrl())
  const name = `${prefix}_${randomBytes(4).toString('hex')}`
  const root = new pg.Client({ connectionString: admin.toString() })
  await root.connect()
  await root.query(`create database ${name}`)
  await root.end()
  const url = new URL(admin.toString())
  url.pathname = `/${name}`
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  onCleanup(async () => {
    await client.end().catch(() => {})
    const drop = new pg.Client({ connectionString: admin.toString() })
    await drop.connect()
    await drop.query(`drop database if exists ${name} with (force)`)
    await drop.end()
  })
  return {
    name,
    url: url.toString(),
    jdbcUrl: `jdbc:postgresql://${url.hostname}:${url.port}/${name}`,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    query: async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await client.query<R>(sql, params)).rows
  }
}

export function sinkProps (db: TestDatabase, extra: Record<string, string> = {}): Record<string, string> {
  return { 'connection.url': db.jdbcUrl, 'connection.username': db.user, 'connection.password': db.password, ...extra }
}

export interface StartedTask { task: JdbcSinkTask, timeouts: number[] }

export async function startTask (t: TestContext, props: Record<string, string>): Promise<StartedTask> {
  const task = new JdbcSinkTask()
  const timeouts: number[] = []
  const context: SinkTaskContext = {
    configs: () => props,
    offset: () => {},
    timeout: ms => { timeouts.push(ms) },
    assignment: () => [],
    pause: () => {},
    resume: () => {},
    requestCommit: () => {}
  }
  task.initialize(context)
  await task.start(props)
  t.after(() => task.stop())
  return { task, timeouts }
}

/** Debezium's envelope schema around a row schema (value schema name <topic>.Envelope). */
export function envelopeSchema (topic: string, row: Schema): Schema {
  const source = SchemaBuilder.struct().name('io.debezium.connector.postgresql.Source')
    .field('schema', SchemaBuilder.string().build()).field('table', SchemaBuilder.string().build()).build()
  return SchemaBuilder.struct().name(`${topic}.Envelope`).version(2)
    .field('before', row).field('after', row).field('source', source)
    .field('op', SchemaBuilder.string().build()).field('ts_ms', SchemaBuilder.int64().optional().build()).build()
}

export function struct (schema: Schema, values: Record<string, unknown>): Struct {
  const s = new Struct(schema)
  for (const [k, v] of Object.entries(values)) s.put(k, v)
  return s
}

let nextOffset = 0

export interface EventInit {
  topic: string
  keySchema?: Schema | null
  key?: Record<string, unknown> | null
  rowSchema: Schema
  op: 'c' | 'u' | 'r' | 'd' | 't'
  before?: Record<string, unknown> | null
  after?: Record<string, unknown> | null
  partition?: number
  offset?: number
}

/** A Debezium change event as the Postgres connector emits it (source.schema public, source.table the topic's last part). */
export function changeEvent (init: EventInit): SinkRecord {
  const schema = envelopeSchema(init.topic, init.rowSchema)
  const source = schema.fields!.find(f => f.name === 'source')!.schema
  const value = new Struct(schema)
    .put('before', init.before == null ? null : struct(init.rowSchema, init.before))
    .put('after', init.after == null ? null : struct(init.rowSchema, init.after))
    .put('source', struct(source, { schema: 'public', table: init.topic.split('.').pop()! }))
    .put('op', init.op)
  return sinkRecord({
    topic: init.topic,
    kafkaPartition: init.partition ?? 0,
    kafkaOffset: init.offset ?? nextOffset++,
    keySchema: init.keySchema ?? null,
    key: init.key == null || init.keySchema == null ? null : struct(init.keySchema, init.key),
    valueSchema: schema,
    value
  })
}

export function tombstone (topic: string, keySchema: Schema, key: Record<string, unknown>): SinkRecord {
  return sinkRecord({ topic, kafkaPartition: 0, kafkaOffset: nextOffset++, keySchema, key: struct(keySchema, key) })
}

export function flat (topic: string, schema: Schema, values: Record<string, unknown> | null, keySchema?: Schema, key?: Record<string, unknown>): SinkRecord {
  return sinkRecord({
    topic,
    kafkaPartition: 0,
    kafkaOffset: nextOffset++,
    keySchema: keySchema ?? null,
    key: keySchema !== undefined && key !== undefined ? struct(keySchema, key) : null,
    valueSchema: values === null ? null : schema,
    value: values === null ? null : struct(schema, values)
  })
}

export interface ColumnRow { column_name: string, type: string, nullable: boolean, column_default: string | null }

/** Columns of a table in order: name, format_type, nullability, default. */
export async function columnsOf (db: TestDatabase, table: string, schema = 'public'): Promise<ColumnRow[]> {
  return await db.query<ColumnRow>(`
    select a.attname as column_name, format_type(a.atttypid, a.atttypmod) as type, not a.attnotnull as nullable,
           pg_get_expr(d.adbin, d.adrelid) as column_default
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
     where n.nspname = $1 and c.relname = $2 and a.attnum > 0 and not a.attisdropped order by a.attnum`, [schema, table])
}

export async function primaryKeyOf (db: TestDatabase, table: string, schema = 'public'): Promise<string[]> {
  const rows = await db.query<{ col: string }>(`
    select a.attname as col from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
     where i.indisprimary and n.nspname = $1 and c.relname = $2 order by array_position(i.indkey, a.attnum)`, [schema, table])
  return rows.map(r => r.col)
}

/** The group's committed offset of partition 0 of `topic`, read by a consumer that never joins the group. */
export async function committedOffset (group: string, topic: string): Promise<number | null> {
  const consumer = new Kafka.KafkaConsumer({ 'bootstrap.servers': kafkaBootstrap(), 'group.id': group, 'enable.auto.commit': false }, {})
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 10000 }, err => { if (err) reject(err); else resolve() }))
  try {
    return await new Promise((resolve, reject) => {
      consumer.committed([{ topic, partition: 0 }], 10000, (err, tps) => {
        if (err) reject(err)
        else resolve(typeof tps[0]?.offset === 'number' && tps[0].offset >= 0 ? tps[0].offset : null)
      })
    })
  } finally {
    await new Promise<void>(resolve => consumer.disconnect(() => resolve()))
  }
}
