/**
 * The JDBC sink's configuration: Debezium's keys, defaults and cross-key rules as /config/validate reports them, the
 * deprecated aliases, the keys refused because they would change the output, and jdbc:postgresql URLs.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError } from '../../../src/api/index.ts'
import { jdbcSinkSettings, validateJdbcSink } from '../../../connectors/debezium-jdbc/config.ts'
import { parseJdbcUrl } from '../../../connectors/debezium-jdbc/jdbc-url.ts'
import { JdbcSinkConnector } from '../../../connectors/debezium-jdbc/jdbc-sink-connector.ts'

const BASE = { 'connection.url': 'jdbc:postgresql://db.example:5433/shop', 'connection.username': 'app', 'connection.password': 's3cret' }

function errors (props: Record<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const v of validateJdbcSink(props)) if (v.errors.length > 0) out[v.name] = v.errors
  return out
}

test('Debezium\'s defaults: insert, no deletes, primary.key.mode none, ${topic}, UTC, batch.size 500; the password stays hidden', () => {
  const s = jdbcSinkSettings(BASE)
  assert.equal(s.insertMode, 'insert')
  assert.equal(s.deleteEnabled, false)
  assert.equal(s.truncateEnabled, false)
  assert.equal(s.primaryKeyMode, 'none')
  assert.equal(s.collectionNameFormat, '${topic}')
  assert.equal(s.schemaEvolution, 'none')
  assert.equal(s.quoteIdentifiers, false)
  assert.equal(s.timeZone, 'UTC')
  assert.equal(s.batchSize, 500)
  assert.equal(String(s.password), '[hidden]')
  assert.equal(JSON.stringify(s.password), '"[hidden]"')
  assert.equal(s.password?.value(), 's3cret')
  assert.deepEqual(errors(BASE), {})
})

test('the deprecated aliases table.name.format and database.time_zone work; the new names win', () => {
  assert.equal(jdbcSinkSettings({ ...BASE, 'table.name.format': 'x_${topic}' }).collectionNameFormat, 'x_${topic}')
  assert.equal(jdbcSinkSettings({ ...BASE, 'table.name.format': 'x', 'collection.name.format': 'y' }).collectionNameFormat, 'y')
  assert.equal(jdbcSinkSettings({ ...BASE, 'database.time_zone': 'Europe/Paris' }).timeZone, 'Europe/Paris')
  assert.equal(jdbcSinkSettings({ ...BASE, 'use.time.zone': 'Asia/Tokyo', 'database.time_zone': 'Europe/Paris' }).timeZone, 'Asia/Tokyo')
})

test('Debezium\'s cross-key rules: upsert needs primary.key.mode, delete.enabled needs record_key, one field list only', () => {
  assert.deepEqual(errors({ ...BASE, 'insert.mode': 'upsert' }), { 'insert.mode': ["When using UPSERT, please define 'primary.key.mode' and 'primary.key.fields'."] })
  assert.deepEqual(errors({ ...BASE, 'insert.mode': 'upsert', 'primary.key.fields': 'id' }), { 'insert.mode': ["When using UPSERT, please define 'primary.key.mode'."] })
  assert.deepEqual(errors({ ...BASE, 'insert.mode': 'UPSERT', 'primary.key.mode': 'RECORD_KEY' }), {})
  const deleteMessage = "When 'delete.enabled' is set to 'true', the 'primary.key.mode' option must be set to 'record_key'."
  assert.deepEqual(errors({ ...BASE, 'delete.enabled': 'true', 'primary.key.mode': 'kafka' }), { 'delete.enabled': [deleteMessage] })
  assert.deepEqual(errors({ ...BASE, 'delete.enabled': 'true' }), { 'delete.enabled': [deleteMessage] })
  assert.deepEqual(errors({ ...BASE, 'delete.enabled': 'true', 'primary.key.mode': 'record_key' }), {})
  assert.deepEqual(Object.keys(errors({ ...BASE, 'field.include.list': 'a', 'field.exclude.list': 'b' })), ['field.exclude.list'])
  assert.match(errors({ ...BASE, 'insert.mode': 'merge' })['insert.mode']![0]!, /String must be one of \(case insensitive\): insert, upsert, update/)
  assert.match(errors({ ...BASE, 'batch.size': '0' })['batch.size']![0]!, /Value must be at least 1/)
  assert.match(errors({ 'connection.url': BASE['connection.url'] })['connection.username']![0]!, /Missing required configuration "connection.username"/)
})

test('keys whose values would change the output and are not implemented are refused, each on its key', () => {
  const e = errors({
    ...BASE,
    'primary.key.mode': 'record_header',
    'collection.naming.strategy': 'com.example.Naming',
    'column.naming.strategy': 'com.example.Columns',
    'hibernate.jdbc.time_zone': 'Europe/Paris',
    'use.time.zone': 'Not/AZone',
    'connection.provider': 'com.example.Pool'
  })
  assert.deepEqual(Object.keys(e).sort(), ['collection.naming.strategy', 'column.naming.strategy', 'connection.provider', 'hibernate.jdbc.time_zone', 'primary.key.mode', 'use.time.zone'])
  assert.match(e['primary.key.mode']![0]!, /record_header is not supported/)
  assert.match(e['hibernate.jdbc.time_zone']![0]!, /Hibernate settings are not supported/)
  // Settings that only tune Debezium's machinery are accepted.
  assert.deepEqual(errors({
    ...BASE,
    'connection.pool.max_size': '4', 'use.reduction.buffer': 'true', 'dialect.postgres.unnest.insert.enabled': 'true', 'flush.max.retries': '2',
    'collection.naming.strategy': 'io.debezium.sink.naming.DefaultCollectionNamingStrategy', 'connection.provider': 'org.hibernate.c3p0.internal.C3P0ConnectionProvider'
  }), {})
  assert.throws(() => jdbcSinkSettings({ ...BASE, 'primary.key.mode': 'record_header', 'use.time.zone': 'Not/AZone' }), (err: Error) => {
    assert.ok(err instanceof ConfigError)
    assert.equal(err.problems.length, 2)
    return true
  })
  // The connector validates the same way (what /config/validate shows).
  const viaConnector = new JdbcSinkConnector().validate({ ...BASE, 'hibernate.x': '1' })
  assert.ok(viaConnector.some(v => v.name === 'hibernate.x' && v.errors.length === 1))
})

test('jdbc:postgresql URLs: host, port, database, sslmode, currentSchema, user and password parameters; others refused or accepted as driver tuning', () => {
  assert.deepEqual(parseJdbcUrl('jdbc:postgresql://db.example:5433/shop?sslmode=require&currentSchema=sales&ApplicationName=x&reWriteBatchedInserts=true'), {
    host: 'db.example', port: 5433, database: 'shop', user: null, password: null, sslMode: 'require', sslRootCert: null, sslCert: null, sslKey: null,
    currentSchema: 'sales', applicationName: 'x', connectTimeoutMs: 10000, options: null
  })
  const bare = parseJdbcUrl('jdbc:postgresql://[::1]/')
  assert.equal(bare.host, '::1')
  assert.equal(bare.port, 5432)
  assert.equal(bare.database, null)
  assert.equal(bare.sslMode, 'prefer')
  assert.equal(parseJdbcUrl('jdbc:postgresql:shop').database, 'shop')
  assert.equal(parseJdbcUrl('jdbc:postgresql://h/db?ssl=true').sslMode, 'verify-full')
  assert.equal(parseJdbcUrl('jdbc:postgresql://h/db?user=u&password=p%26q').password, 'p&q')
  assert.equal(parseJdbcUrl('jdbc:postgresql://h/db?connectTimeout=3').connectTimeoutMs, 3000)
  assert.throws(() => parseJdbcUrl('jdbc:mysql://h/db'), /only PostgreSQL targets are supported/)
  assert.throws(() => parseJdbcUrl('jdbc:postgresql://a,b/db'), /several hosts/)
  assert.throws(() => parseJdbcUrl('jdbc:postgresql://h/db?targetServerType=primary'), /the URL parameter 'targetServerType' is not supported/)
  assert.throws(() => parseJdbcUrl('jdbc:postgresql://h/db?sslmode=bogus'), /sslmode must be one of/)
  // A password in the URL never shows in a message.
  assert.throws(() => parseJdbcUrl('jdbc:postgresql://h/db?password=topsecret&bogus=1'), (err: Error) => !err.message.includes('topsecret'))
  assert.deepEqual(Object.keys(errors({ ...BASE, 'connection.url': 'jdbc:postgresql://h/db?bogus=1' })), ['connection.url'])
  // The URL's password serves when connection.password is not set.
  assert.equal(jdbcSinkSettings({ 'connection.url': 'jdbc:postgresql://h/db?password=pw', 'connection.username': 'u' }).password?.value(), 'pw')
})
