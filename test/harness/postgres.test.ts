import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { test } from 'node:test'
import pg from 'pg'
import { startPostgres } from './postgres.mjs'

test('startPostgres runs a logical-replication-ready server on loopback and removes it on stop', async () => {
  const server = await startPostgres()
  try {
    assert.equal(server.host, '127.0.0.1')
    const client = new pg.Client({ connectionString: server.connectionString })
    await client.connect()
    try {
      const { rows } = await client.query("select current_setting('wal_level') as wal, current_setting('listen_addresses') as listen, current_setting('server_version_num')::int as num")
      assert.deepEqual([rows[0].wal, rows[0].listen], ['logical', '127.0.0.1'])
      assert.ok(rows[0].num >= 150000, `PostgreSQL 15 or newer, got ${rows[0].num}`)
    } finally {
      await client.end()
    }
    // A wrong password is refused: the server checks passwords (scram-sha-256), as Debezium's tests expect.
    const wrong = new pg.Client({ connectionString: server.connectionString.replace(/:[^:@]+@/, ':wrong@') })
    await assert.rejects(wrong.connect(), /password authentication failed/)
    await wrong.end().catch(() => {})
    const other = await server.createDatabase('second db')
    const c2 = new pg.Client({ connectionString: other })
    await c2.connect()
    assert.equal((await c2.query('select current_database() as d')).rows[0].d, 'second db')
    await c2.end()
  } finally {
    await server.stop()
  }
  assert.equal(existsSync(server.dir), false)
})
