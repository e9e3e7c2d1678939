/**
 * Beyond Apache: connectors created or changed through REST survive a restart of the process (kept in
 * `<offsets file>.connectors.json`), unless connector.configs.persist=false. PASSWORD values are never returned.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { http, startWorker } from '../helpers/rest.ts'

test('REST-created connectors and their target states survive a restart', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'rest-persist-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const topic = `rest-persist-${Date.now()}`
  const first = await startWorker(t, { dir })
  assert.equal((await http(first.base, 'POST', '/connectors', { name: 'kept', config: { 'connector.class': 'FileStreamSink', topics: topic, file: join(dir, 'out.txt') } })).status, 201)
  assert.equal((await http(first.base, 'POST', '/connectors', { name: 'paused', config: { 'connector.class': 'FileStreamSink', topics: topic, file: join(dir, 'p.txt') } })).status, 201)
  assert.equal((await http(first.base, 'PUT', '/connectors/paused/pause')).status, 202)
  assert.equal((await http(first.base, 'POST', '/connectors', { name: 'gone', config: { 'connector.class': 'FileStreamSink', topics: topic, file: join(dir, 'g.txt') } })).status, 201)
  assert.equal((await http(first.base, 'DELETE', '/connectors/gone')).status, 204)
  await first.stop()
  const file = join(dir, 'connect.offsets.connectors.json')
  assert.equal((await stat(file)).mode & 0o777, 0o600)
  assert.deepEqual(Object.keys((JSON.parse(await readFile(file, 'utf8')) as { connectors: object }).connectors), ['kept', 'paused'])

  const second = await startWorker(t, { dir })
  assert.deepEqual((await http(second.base, 'GET', '/connectors')).body, ['kept', 'paused'])
  const s = (await http(second.base, 'GET', '/connectors/paused/status')).body as { connector: { state: string } }
  assert.equal(s.connector.state, 'PAUSED')
  const k = (await http(second.base, 'GET', '/connectors/kept/status')).body as { connector: { state: string } }
  assert.equal(k.connector.state, 'RUNNING')
  await second.stop()

  const third = await startWorker(t, { dir, extraWorker: ['connector.configs.persist=false'] })
  assert.deepEqual((await http(third.base, 'GET', '/connectors')).body, [])
})

test('PASSWORD-typed values are never returned', async t => {
  const w = await startWorker(t, { extraWorker: [`plugin.path=${join(import.meta.dirname, 'fixtures', 'secret-sink.ts')}`] })
  const config = { 'connector.class': 'com.example.SecretSinkConnector', topics: `rest-secret-${Date.now()}`, secret: 's3cr3t' }
  const created = await http(w.base, 'POST', '/connectors', { name: 'secret', config })
  assert.equal(created.status, 201, created.text)
  for (const path of ['/connectors/secret', '/connectors/secret/config', '/connectors/secret/tasks', '/connectors?expand=info']) {
    const r = await http(w.base, 'GET', path)
    assert.equal(r.status, 200)
    assert.ok(!r.text.includes('s3cr3t'), `${path} leaks the password: ${r.text}`)
    assert.ok(r.text.includes('[hidden]'), path)
  }
  const v = await http(w.base, 'PUT', '/connector-plugins/com.example.SecretSinkConnector/config/validate', config)
  assert.equal(v.status, 200)
  assert.ok(!v.text.includes('s3cr3t'))
  // The connector itself still receives the real value.
  const patched = await http(w.base, 'PATCH', '/connectors/secret/config', { 'tasks.max': '1' })
  assert.ok(!patched.text.includes('s3cr3t'))
})

// A file's connector belongs to its file: only REST-created connectors are kept in the connector configs file. Before,
// every connector given on the command line was stored too and came back without its file; renaming one in its file
// ran the old and the new name together (the sink's output twice).
test('connectors from connector files are not stored: renamed or left out, they do not come back; --skip-stored-connectors starts only the files\' connectors', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'rest-persist-files-'))
  t.after(async () => { await rm(dir, { recursive: true, force: true }) })
  const topic = `rest-persist-files-${Date.now()}`
  const connectorFile = join(dir, 'sink.properties')
  const writeSink = async (name: string): Promise<void> => {
    await writeFile(connectorFile, `name=${name}\nconnector.class=FileStreamSink\ntopics=${topic}\nfile=${join(dir, `${name}.txt`)}\n`)
  }
  const storedNames = async (): Promise<string[]> =>
    Object.keys((JSON.parse(await readFile(join(dir, 'connect.offsets.connectors.json'), 'utf8')) as { connectors: object }).connectors)

  await writeSink('from-file')
  const first = await startWorker(t, { dir, connectorFiles: [connectorFile] })
  assert.equal((await http(first.base, 'POST', '/connectors', { name: 'from-rest', config: { 'connector.class': 'FileStreamSink', topics: topic, file: join(dir, 'r.txt') } })).status, 201)
  assert.deepEqual((await http(first.base, 'GET', '/connectors')).body, ['from-file', 'from-rest'])
  await first.stop()
  assert.deepEqual(await storedNames(), ['from-rest'], 'only the REST-created connector is stored')

  // The file's connector renamed: the old name must not run beside the new one.
  await writeSink('renamed')
  const second = await startWorker(t, { dir, connectorFiles: [connectorFile] })
  assert.deepEqual((await http(second.base, 'GET', '/connectors')).body, ['from-rest', 'renamed'])
  await second.stop()

  // Without the file, its connector is gone; the REST one stays.
  const third = await startWorker(t, { dir })
  assert.deepEqual((await http(third.base, 'GET', '/connectors')).body, ['from-rest'])
  await third.stop()

  // --skip-stored-connectors: only the file's connector runs, and the stored one is kept for a later run.
  const fourth = await startWorker(t, { dir, connectorFiles: [connectorFile], options: ['--skip-stored-connectors'] })
  assert.deepEqual((await http(fourth.base, 'GET', '/connectors')).body, ['renamed'])
  assert.match(fourth.cli.stderr, /Not starting stored connector from-rest \(--skip-stored-connectors\); it stays in /)
  await fourth.stop()
  assert.deepEqual(await storedNames(), ['from-rest'], 'the skipped connector is still stored')
})
