/**
 * The JDBC sink task for PostgreSQL: each put() batch is written in one database transaction, committed before put()
 * returns, so the offsets the runtime commits afterwards (preCommit) never run ahead of the database. A batch that
 * fails rolls back whole; a lost connection fails it as retriable (the runtime delivers the same batch again after
 * flush.retry.delay.ms, on a new connection), anything else as a DataError naming the record and the column.
 */
import { readFileSync } from 'node:fs'
import pg from 'pg'
import {
  ConnectError, RetriableError, SinkTask, isRetriable, type SinkRecord, type TopicPartition, type TopicPartitionOffset
} from '../../src/api/index.ts'
import { BatchWriter, isConnectionError } from './batch-writer.ts'
import { JDBC_SINK_VERSION, jdbcSinkSettings, type JdbcSinkSettings } from './config.ts'
import type { TableDesc } from './postgres-dialect.ts'

function sslConfig (settings: JdbcSinkSettings): pg.ClientConfig['ssl'] {
  const t = settings.target
  const files = {
    ...(t.sslRootCert !== null ? { ca: readFileSync(t.sslRootCert) } : {}),
    ...(t.sslCert !== null ? { cert: readFileSync(t.sslCert) } : {}),
    ...(t.sslKey !== null ? { key: readFileSync(t.sslKey) } : {})
  }
  switch (t.sslMode) {
    case 'disable': return false
    case 'allow': case 'prefer': case 'require': return { ...files, rejectUnauthorized: false }
    case 'verify-ca': return { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined }
    case 'verify-full': return { ...files, rejectUnauthorized: true }
  }
}

export class JdbcSinkTask extends SinkTask {
  #settings: JdbcSinkSettings | null = null
  #client: pg.Client | null = null
  #currentSchema = 'public'
  readonly #tables = new Map<string, TableDesc>()
  /** Per partition, the offset after the last record whose batch the database committed. */
  readonly #committed = new Map<string, TopicPartitionOffset>()
  #stopped = false

  version (): string { return JDBC_SINK_VERSION }

  async start (props: Readonly<Record<string, string>>): Promise<void> {
    this.#settings = jdbcSinkSettings(props)
    this.#stopped = false
    // Connecting now fails a wrong URL or password at start, as Debezium's session factory does.
    await this.#connection()
  }

  async #open (ssl: pg.ClientConfig['ssl']): Promise<pg.Client> {
    const s = this.#settings!
    const client = new pg.Client({
      host: s.target.host,
      port: s.target.port,
      database: s.target.database ?? s.user,
      user: s.user,
      password: s.password?.value() ?? undefined,
      ssl,
      connectionTimeoutMillis: s.target.connectTimeoutMs,
      application_name: s.target.applicationName ?? 'Debezium JDBC sink (connect-standalone)',
      ...(s.target.options !== null ? { options: s.target.options } : {})
    })
    // An idle connection that dies must not crash the process: the next batch finds it broken and reconnects.
    client.on('error', () => { if (this.#client === client) this.#client = null })
    await client.connect()
    return client
  }

  async #connection (): Promise<pg.Client> {
    if (this.#client !== null) return this.#client
    const s = this.#settings!
    let client: pg.Client
    try {
      const ssl = sslConfig(s)
      try {
        client = await this.#open(ssl)
      } catch (err) {
        // sslmode allow/prefer: a server without TLS is still fine.
        if ((s.target.sslMode === 'prefer' || s.target.sslMode === 'allow') && /does not support SSL/i.test(String((err as Error).message))) {
          client = await this.#open(false)
        } else {
          throw err
        }
      }
      // PgJDBC gives the session the JVM's zone (UTC where Debezium runs in containers): a naive value written into a
      // timestamptz column is read in it.
      await client.query('set time zone \'UTC\'')
      if (s.target.currentSchema !== null) await client.query('select set_config(\'search_path\', $1, false)', [s.target.currentSchema])
      const schema = await client.query<{ s: string | null }>('select current_schema() as s')
      this.#currentSchema = schema.rows[0]?.s ?? 'public'
    } catch (err) {
      const where = `${s.target.host}:${s.target.port}/${s.target.database ?? s.user}`
      const message = `Cannot connect to PostgreSQL at ${where} as ${s.user}: ${(err as Error).message}`
      throw isConnectionError(err) && !/password|authentication|does not exist/i.test((err as Error).message)
        ? new RetriableError(message, { cause: err })
        : new ConnectError(message, { cause: err })
    }
    this.#client = client
    return client
  }

  #drop (): void {
    const client = this.#client
    this.#client = null
    this.#tables.clear()
    if (client !== null) void client.end().catch(() => {})
  }

  async put (records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0 || this.#stopped) return
    let client: pg.Client
    try {
      client = await this.#connection()
    } catch (err) {
      if (isRetriable(err)) this.context.timeout(this.#settings!.retryDelayMs)
      throw err
    }
    const writer = new BatchWriter(client, this.#settings!, this.#currentSchema, this.#tables)
    try {
      await client.query('BEGIN')
      await writer.write(records)
      await client.query('COMMIT')
    } catch (err) {
      // Whatever DDL the batch ran is gone with it, so is what the table cache learnt from it.
      this.#tables.clear()
      if (isRetriable(err)) throw err
      if (!(ConnectError.is(err)) && isConnectionError(err)) {
        this.#drop()
        this.context.timeout(this.#settings!.retryDelayMs)
        throw new RetriableError(`Lost the connection to PostgreSQL while writing ${records.length} record(s); the batch is written again: ${(err as Error).message}`, { cause: err })
      }
      await client.query('ROLLBACK').catch(() => { this.#drop() })
      throw err
    }
    for (const r of records) {
      // By where the record was read from: an SMT may have renamed the topic, the offsets are the consumer's.
      const key = `${r.originalKafkaPartition}\u0000${r.originalTopic}`
      const prev = this.#committed.get(key)
      if (prev === undefined || prev.offset <= r.originalKafkaOffset) {
        this.#committed.set(key, { topic: r.originalTopic, partition: r.originalKafkaPartition, offset: r.originalKafkaOffset + 1 })
      }
    }
  }

  /** Nothing is pending between batches: each put() committed its transaction before returning. */
  override flush (_offsets: readonly TopicPartitionOffset[]): void {}

  /** The runtime's offsets, never beyond what the database committed. */
  override async preCommit (offsets: readonly TopicPartitionOffset[]): Promise<readonly TopicPartitionOffset[]> {
    const out: TopicPartitionOffset[] = []
    for (const o of offsets) {
      const mine = this.#committed.get(`${o.partition}\u0000${o.topic}`)
      if (mine === undefined) continue
      out.push(mine.offset < o.offset ? mine : o)
    }
    return out
  }

  override open (partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.#committed.delete(`${p.partition}\u0000${p.topic}`)
  }

  override close (partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.#committed.delete(`${p.partition}\u0000${p.topic}`)
  }

  async stop (): Promise<void> {
    this.#stopped = true
    const client = this.#client
    this.#client = null
    if (client !== null) await client.end().catch(() => {})
  }
}
