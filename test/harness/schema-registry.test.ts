/**
 * Proves the Schema Registry harness: startSchemaRegistry() runs a real Apicurio Registry whose Confluent-compatible
 * API registers, looks up and serves schemas by id, enforces the BACKWARD compatibility it was given, and keeps its
 * ids across restart().
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, test } from 'node:test'
import { registryRequest, startSchemaRegistry, type SchemaRegistry } from './schema-registry.mjs'

let registry: SchemaRegistry

before(async () => {
  registry = await startSchemaRegistry()
})
after(async () => {
  await registry?.stop()
})

const subject = (name: string): string => `${name}-${randomBytes(4).toString('hex')}-value`
const record = (fields: unknown[]): { schema: string } => ({ schema: JSON.stringify({ type: 'record', name: 'Harness', namespace: 'test', fields }) })
const V1 = record([{ name: 'a', type: 'int' }])
// BACKWARD: a reader of V2 can read V1 data, since the new field has a default.
const V2 = record([{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: 'none' }])
// Not BACKWARD: a new field without a default cannot be read from V1 data.
const INCOMPATIBLE = record([{ name: 'a', type: 'int' }, { name: 'c', type: 'long' }])

async function register (s: string, schema: { schema: string }): Promise<number> {
  const res = await registryRequest('POST', `${registry.ccompatUrl}/subjects/${s}/versions`, schema)
  assert.equal(res.status, 200, res.text)
  assert.equal(typeof res.body.id, 'number', res.text)
  return res.body.id as number
}

test('the registry listens on the loopback interface and reports its compatibility level', async () => {
  assert.match(registry.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  assert.equal(registry.ccompatUrl, `${registry.url}/apis/ccompat/v7`)
  const config = await registryRequest('GET', `${registry.ccompatUrl}/config`)
  assert.equal(config.status, 200, config.text)
  assert.equal(config.body.compatibilityLevel, 'BACKWARD')
})

test('register, lookup and get-by-id work through /apis/ccompat/v7, and ids are stable', async () => {
  const s = subject('harness-ids')
  const id = await register(s, V1)
  // Registering the same schema again is idempotent: same id, no new version.
  assert.equal(await register(s, V1), id)
  const lookup = await registryRequest('POST', `${registry.ccompatUrl}/subjects/${s}`, V1)
  assert.equal(lookup.status, 200, lookup.text)
  assert.equal(lookup.body.id, id)
  assert.equal(lookup.body.version, 1)
  assert.equal(lookup.body.subject, s)

  const byId = await registryRequest('GET', `${registry.ccompatUrl}/schemas/ids/${id}`)
  assert.equal(byId.status, 200, byId.text)
  assert.deepEqual(JSON.parse(byId.body.schema), JSON.parse(V1.schema))

  // Ids identify content, as Confluent's do: the same schema under another subject has the same id.
  assert.equal(await register(subject('harness-other'), V1), id)
  const versions = await registryRequest('GET', `${registry.ccompatUrl}/subjects/${s}/versions`)
  assert.deepEqual(versions.body, [1])

  const missing = await registryRequest('GET', `${registry.ccompatUrl}/schemas/ids/${id + 100000}`)
  assert.equal(missing.status, 404, missing.text)
})

test('BACKWARD compatibility refuses an incompatible Avro change with 409 and accepts a compatible one', async () => {
  const s = subject('harness-compat')
  const v1 = await register(s, V1)
  const refused = await registryRequest('POST', `${registry.ccompatUrl}/subjects/${s}/versions`, INCOMPATIBLE)
  assert.equal(refused.status, 409, refused.text)
  const check = await registryRequest('POST', `${registry.ccompatUrl}/compatibility/subjects/${s}/versions/latest`, INCOMPATIBLE)
  assert.equal(check.body.is_compatible, false, check.text)

  const v2 = await register(s, V2)
  assert.notEqual(v2, v1)
  const latest = await registryRequest('GET', `${registry.ccompatUrl}/subjects/${s}/versions/latest`)
  assert.equal(latest.body.version, 2)
  assert.equal(latest.body.id, v2)
})

test('stop and restart keep subjects, ids and the compatibility level; new ids do not reuse old ones', async () => {
  const s = subject('harness-restart')
  const id = await register(s, V1)
  const pidBefore = registry.pid
  let downWhile = false
  await registry.restart({
    whileDown: async () => {
      await assert.rejects(registryRequest('GET', `${registry.url}/health/ready`, undefined, 2000), /ECONNREFUSED/)
      downWhile = true
    }
  })
  assert.ok(downWhile, 'whileDown ran')
  assert.notEqual(registry.pid, pidBefore)

  const byId = await registryRequest('GET', `${registry.ccompatUrl}/schemas/ids/${id}`)
  assert.equal(byId.status, 200, byId.text)
  assert.deepEqual(JSON.parse(byId.body.schema), JSON.parse(V1.schema))
  assert.equal(await register(s, V1), id)
  const config = await registryRequest('GET', `${registry.ccompatUrl}/config`)
  assert.equal(config.body.compatibilityLevel, 'BACKWARD')
  const refused = await registryRequest('POST', `${registry.ccompatUrl}/subjects/${s}/versions`, INCOMPATIBLE)
  assert.equal(refused.status, 409, refused.text)

  const fresh = await register(subject('harness-after-restart'), record([{ name: 'z', type: 'double' }]))
  assert.ok(fresh > id, `a new schema after the restart gets a new id (${fresh} > ${id})`)
})

test('a stopped registry refuses connections and its process is gone', async () => {
  const other = await startSchemaRegistry({ compatibility: 'NONE' })
  try {
    const config = await registryRequest('GET', `${other.ccompatUrl}/config`)
    assert.equal(config.body.compatibilityLevel, 'NONE')
    assert.notEqual(other.port, registry.port)
  } finally {
    await other.stop()
  }
  const exit = await other.exited
  assert.ok(exit.code !== null || exit.signal !== null)
  await assert.rejects(registryRequest('GET', `${other.url}/health/ready`, undefined, 2000), /ECONNREFUSED/)
  // Safe to call twice.
  await other.stop()
})
