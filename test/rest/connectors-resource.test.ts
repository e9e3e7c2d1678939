/**
 * The /connectors endpoints against a running connect-standalone on the real broker: shapes, statuses, Location
 * headers, lifecycle transitions, restart plans, source offsets, topics and the deliberate 400/404 differences.
 */
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { readLines } from '../helpers/pipeline.ts'
import { http, startWorker } from '../helpers/rest.ts'
import { waitFor } from '../helpers/wait-for.ts'

type Status = { name: string, connector: { state: string, worker_id: string, trace?: string }, tasks: Array<{ id: number, state: string, worker_id: string, trace?: string }>, type: string }

test('connector lifecycle through REST on the real broker', async t => {
  const w = await startWorker(t)
  const input = join(w.dir, 'in.txt')
  const output = join(w.dir, 'out.txt')
  const topic = `rest-lifecycle-${Date.now()}`
  await writeFile(input, 'one\ntwo\n')

  await t.test('GET / and /health', async () => {
    const root = await http(w.base, 'GET', '/')
    assert.equal(root.status, 200)
    assert.deepEqual(Object.keys(root.body as object), ['version', 'commit', 'kafka_cluster_id'])
    const health = await http(w.base, 'GET', '/health')
    assert.equal(health.status, 200)
    assert.deepEqual(health.body, { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' })
  })

  await t.test('POST /connectors creates (201, Location, ConnectorInfo in Apache order)', async () => {
    const r = await http(w.base, 'POST', '/connectors', { name: ' src ', config: { 'connector.class': 'FileStreamSource', file: input, topic, 'tasks.max': 1 } })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.headers.get('location'), `${w.base}/connectors/src`)
    assert.equal(r.text, JSON.stringify({
      name: 'src',
      config: { 'connector.class': 'FileStreamSource', file: input, topic, 'tasks.max': '1', name: 'src' },
      tasks: [{ connector: 'src', task: 0 }],
      type: 'source'
    }))
    // The topic exists once the source's first record is acknowledged (the sink would otherwise race its creation).
    await waitFor(async () => ((await http(w.base, 'GET', '/connectors/src/topics')).body as { src: { topics: string[] } }).src.topics.length === 1, { what: 'the source topic' })
    const sink = await http(w.base, 'POST', '/connectors', { name: 'sink', config: { 'connector.class': 'FileStreamSink', file: output, topics: topic } })
    assert.equal(sink.status, 201, sink.text)
    await waitFor(async () => (await readLines(output)).length === 2, { what: 'records in the sink file', timeoutMs: 60000 })
    assert.deepEqual(await readLines(output), ['one', 'two'])
  })

  await t.test('duplicate name is 409; invalid config is 400 listing every error', async () => {
    const dup = await http(w.base, 'POST', '/connectors', { name: 'src', config: { 'connector.class': 'FileStreamSource', topic } })
    assert.equal(dup.status, 409)
    assert.deepEqual(dup.body, { error_code: 409, message: 'Connector src already exists' })
    const bad = await http(w.base, 'POST', '/connectors', { name: 'bad', config: { 'connector.class': 'FileStreamSink', 'tasks.max': 'two' } })
    assert.equal(bad.status, 400)
    const msg = (bad.body as { message: string }).message
    // Kafka's ConfigDef also checks the value that did not parse as null: tasks.max's range adds a second error.
    assert.match(msg, /^Connector configuration is invalid and contains the following 4 error\(s\):\n/)
    assert.match(msg, /Invalid value two for configuration tasks\.max: Not a number of type INT\nInvalid value null for configuration tasks\.max: Value must be non-null\n/)
    assert.match(msg, /Must configure one of topics or topics\.regex/)
    assert.match(msg, /You can also find the above list of errors at the endpoint `\/connector-plugins\/\{connectorType\}\/config\/validate`$/)
    const nul = await http(w.base, 'POST', '/connectors', { name: 'nul', config: { 'connector.class': 'FileStreamSource', topic, file: null } })
    assert.equal(nul.status, 400)
    assert.match((nul.body as { message: string }).message, /Null value can not be supplied as the configuration value\./)
    const mismatch = await http(w.base, 'POST', '/connectors', { name: 'a', config: { 'connector.class': 'FileStreamSource', topic, name: 'b' } })
    assert.deepEqual(mismatch.body, { error_code: 400, message: "Connector name configuration (b) doesn't match connector name in the URL (a)" })
    const noClass = await http(w.base, 'POST', '/connectors', { name: 'x', config: { topic } })
    assert.equal(noClass.status, 400)
    assert.match((noClass.body as { message: string }).message, /contains no connector type/)
    assert.equal((await http(w.base, 'GET', '/connectors/bad')).status, 404)
  })

  await t.test('a connector named . or .. is refused with 400 naming the key (HTTP clients could never reach it)', async () => {
    for (const name of ['.', '..']) {
      const r = await http(w.base, 'POST', '/connectors', { name, config: { 'connector.class': 'FileStreamSource', topic } })
      assert.equal(r.status, 400, r.text)
      assert.match((r.body as { message: string }).message, /Invalid value \.{1,2} for configuration name: a connector cannot be named '\.' or '\.\.'/)
    }
    // PUT /connectors/{name}/config cannot name them at all: even /connectors/%2E%2E/config is resolved as /config.
    assert.deepEqual(((await http(w.base, 'GET', '/connectors')).body as string[]).filter(n => n === '.' || n === '..'), [])
  })

  await t.test('malformed and unknown-field bodies are 400 (Apache: 500), non-JSON is 415, unknown paths 404/405', async () => {
    const unknown = await http(w.base, 'POST', '/connectors', { name: 'x', config: {}, colour: 'red' })
    assert.deepEqual(unknown.body, { error_code: 400, message: 'Unrecognized field "colour" in the request body' })
    const malformed = await http(w.base, 'POST', '/connectors', '{"name": "x",')
    assert.equal(malformed.status, 400)
    assert.match((malformed.body as { message: string }).message, /^Malformed JSON in the request body/)
    const nested = await http(w.base, 'PUT', '/connectors/x/config', { 'connector.class': { a: 1 } })
    assert.deepEqual(nested.body, { error_code: 400, message: 'Invalid field "connector.class": expected a JSON string, number or boolean' })
    const form = await http(w.base, 'POST', '/connectors', 'a=b', { 'Content-Type': 'application/x-www-form-urlencoded' })
    // Apache's message, then what to send and what was received.
    assert.deepEqual(form.body, {
      error_code: 415,
      message: 'HTTP 415 Unsupported Media Type: send the request body as JSON with the header Content-Type: application/json (got Content-Type: application/x-www-form-urlencoded)'
    })
    // fetch() gives a byte body no Content-Type at all.
    const bare = await fetch(`${w.base}/connectors`, { method: 'POST', body: new TextEncoder().encode('{"name":"x","config":{}}') })
    assert.equal(bare.status, 415)
    assert.match(((await bare.json()) as { message: string }).message, /Content-Type: application\/json \(the request has no Content-Type\)$/)
    assert.deepEqual((await http(w.base, 'GET', '/nope')).body, { error_code: 404, message: 'HTTP 404 Not Found' })
    assert.deepEqual((await http(w.base, 'DELETE', '/connectors')).body, { error_code: 405, message: 'HTTP 405 Method Not Allowed' })
    assert.equal((await http(w.base, 'GET', '/connectors', undefined, { Accept: 'text/plain' })).status, 406)
    assert.equal((await http(w.base, 'GET', '/connectors/src/tasks/zero/status')).status, 404)
    assert.equal((await http(w.base, 'GET', '/connectors/src/tasks-config')).status, 404)
  })

  await t.test('GET /connectors with expand', async () => {
    assert.deepEqual((await http(w.base, 'GET', '/connectors')).body, ['sink', 'src'])
    const both = (await http(w.base, 'GET', '/connectors?expand=status&expand=info')).body as Record<string, { status: Status, info: { name: string } }>
    assert.deepEqual(Object.keys(both).sort(), ['sink', 'src'])
    assert.equal(both.src!.status.connector.state, 'RUNNING')
    assert.equal(both.src!.info.name, 'src')
    const onlyInfo = (await http(w.base, 'GET', '/connectors?expand=info')).body as Record<string, object>
    assert.deepEqual(Object.keys(onlyInfo.src!), ['info'])
    const unknown = (await http(w.base, 'GET', '/connectors?expand=colour')).body
    assert.deepEqual(unknown, { sink: {}, src: {} })
  })

  await t.test('status, task status and tasks in Apache shapes', async () => {
    const s = await http(w.base, 'GET', '/connectors/src/status')
    const workerId = (s.body as Status).connector.worker_id
    assert.match(workerId, /^127\.0\.0\.1:\d+$/)
    // Kafka 4.1+ (KIP-891) adds the plugin's version after worker_id.
    assert.equal(s.text, JSON.stringify({ name: 'src', connector: { state: 'RUNNING', worker_id: workerId, version: '4.3.1' }, tasks: [{ id: 0, state: 'RUNNING', worker_id: workerId, version: '4.3.1' }], type: 'source' }))
    assert.equal((await http(w.base, 'GET', '/connectors/src/tasks/0/status')).text, JSON.stringify({ id: 0, state: 'RUNNING', worker_id: workerId, version: '4.3.1' }))
    assert.deepEqual((await http(w.base, 'GET', '/connectors/src/tasks/3/status')).body, { error_code: 404, message: 'No status found for task src-3' })
    assert.deepEqual((await http(w.base, 'GET', '/connectors/nope/status')).body, { error_code: 404, message: 'No status found for connector nope' })
    const tasks = (await http(w.base, 'GET', '/connectors/src/tasks')).body as Array<{ id: object, config: Record<string, string> }>
    assert.deepEqual(tasks[0]!.id, { connector: 'src', task: 0 })
    assert.equal(tasks[0]!.config.topic, topic)
  })

  await t.test('topics are tracked for source and sink; reset clears', async () => {
    assert.deepEqual((await http(w.base, 'GET', '/connectors/src/topics')).body, { src: { topics: [topic] } })
    assert.deepEqual((await http(w.base, 'GET', '/connectors/sink/topics')).body, { sink: { topics: [topic] } })
    assert.deepEqual((await http(w.base, 'GET', '/connectors/unknown/topics')).body, { unknown: { topics: [] } })
    assert.equal((await http(w.base, 'PUT', '/connectors/src/topics/reset')).status, 202)
    assert.deepEqual((await http(w.base, 'GET', '/connectors/src/topics')).body, { src: { topics: [] } })
  })

  await t.test('pause, resume, stop; offsets only when STOPPED', async () => {
    assert.equal((await http(w.base, 'PUT', '/connectors/src/pause')).status, 202)
    const paused = (await http(w.base, 'GET', '/connectors/src/status')).body as Status
    assert.equal(paused.connector.state, 'PAUSED')
    assert.deepEqual(paused.tasks.map(x => x.state), ['PAUSED'])
    const early = await http(w.base, 'PATCH', '/connectors/src/offsets', { offsets: [{ partition: { filename: input }, offset: { position: 0 } }] })
    assert.equal(early.status, 400)
    assert.match((early.body as { message: string }).message, /^Connectors must be in the STOPPED state before their offsets can be modified/)
    assert.equal((await http(w.base, 'PUT', '/connectors/src/resume')).status, 202)
    assert.equal(((await http(w.base, 'GET', '/connectors/src/status')).body as Status).connector.state, 'RUNNING')
    assert.equal((await http(w.base, 'PUT', '/connectors/src/stop')).status, 204)
    const stopped = (await http(w.base, 'GET', '/connectors/src/status')).body as Status
    assert.equal(stopped.connector.state, 'STOPPED')
    assert.deepEqual(stopped.tasks, [])
    assert.deepEqual(((await http(w.base, 'GET', '/connectors/src')).body as { tasks: unknown[] }).tasks, [])
    assert.deepEqual((await http(w.base, 'GET', '/connectors/src/offsets')).body, { offsets: [{ partition: { filename: input }, offset: { position: 8 } }] })
    assert.deepEqual((await http(w.base, 'PATCH', '/connectors/src/offsets', {})).body, { error_code: 400, message: 'Partitions / offsets need to be provided for an alter offsets request' })
    const bad = await http(w.base, 'PATCH', '/connectors/src/offsets', { offsets: [{ partition: { file: input }, offset: { position: 0 } }] })
    assert.equal(bad.status, 500)
    const alter = await http(w.base, 'PATCH', '/connectors/src/offsets', { offsets: [{ partition: { filename: input }, offset: { position: 4 } }] })
    assert.deepEqual(alter.body, { message: 'The offsets for this connector have been altered successfully' })
    assert.deepEqual((await http(w.base, 'GET', '/connectors/src/offsets')).body, { offsets: [{ partition: { filename: input }, offset: { position: 4 } }] })
    // Resuming from position 4 sends "two" again: the sink file shows it.
    assert.equal((await http(w.base, 'PUT', '/connectors/src/resume')).status, 202)
    await waitFor(async () => (await readLines(output)).length === 3, { what: 'the re-read line', timeoutMs: 60000 })
    assert.deepEqual(await readLines(output), ['one', 'two', 'two'])
    await http(w.base, 'PUT', '/connectors/src/stop')
    const reset = await http(w.base, 'DELETE', '/connectors/src/offsets')
    assert.deepEqual(reset.body, { message: 'The offsets for this connector have been reset successfully' })
    assert.deepEqual((await http(w.base, 'GET', '/connectors/src/offsets')).body, { offsets: [] })
  })

  await t.test('restart: 204 plain, 202 with the plan, 404 for unknown connector or task (Apache: 500)', async () => {
    assert.equal((await http(w.base, 'POST', '/connectors/sink/restart')).status, 204)
    const plan = await http(w.base, 'POST', '/connectors/sink/restart?includeTasks=true')
    assert.equal(plan.status, 202)
    const p = plan.body as Status
    assert.equal(p.connector.state, 'RESTARTING')
    assert.deepEqual(p.tasks.map(x => x.state), ['RESTARTING'])
    const onlyFailed = await http(w.base, 'POST', '/connectors/sink/restart?includeTasks=true&onlyFailed=true')
    assert.equal(onlyFailed.status, 202)
    assert.equal((onlyFailed.body as Status).connector.state, 'RUNNING')
    assert.equal((await http(w.base, 'POST', '/connectors/sink/tasks/0/restart')).status, 204)
    assert.deepEqual((await http(w.base, 'POST', '/connectors/sink/tasks/7/restart')).body, { error_code: 404, message: 'Task sink-7 not found' })
    assert.deepEqual((await http(w.base, 'POST', '/connectors/nope/restart')).body, { error_code: 404, message: 'Connector nope not found' })
    assert.deepEqual((await http(w.base, 'POST', '/connectors/nope/tasks/0/restart')).body, { error_code: 404, message: 'Connector nope not found' })
    assert.deepEqual((await http(w.base, 'PUT', '/connectors/nope/stop')).body, { error_code: 404, message: 'Connector nope not found' })
    assert.equal((await http(w.base, 'PUT', '/connectors/nope/pause')).status, 404)
    await waitFor(async () => ((await http(w.base, 'GET', '/connectors/sink/status')).body as Status).tasks[0]?.state === 'RUNNING', { what: 'sink task running again' })
  })

  await t.test('PUT and PATCH config; PUT creates with 201', async () => {
    const put = await http(w.base, 'PUT', '/connectors/sink/config', { 'connector.class': 'FileStreamSink', file: output, topics: topic, 'tasks.max': '2' })
    assert.equal(put.status, 200, put.text)
    assert.equal((put.body as { tasks: unknown[] }).tasks.length, 2)
    const patch = await http(w.base, 'PATCH', '/connectors/sink/config', { 'tasks.max': 1, 'errors.log.enable': null })
    assert.equal(patch.status, 200, patch.text)
    assert.deepEqual((patch.body as { config: object }).config, { 'connector.class': 'FileStreamSink', file: output, topics: topic, 'tasks.max': '1', name: 'sink' })
    assert.deepEqual((await http(w.base, 'PATCH', '/connectors/nope/config', { a: 'b' })).body, { error_code: 404, message: 'Connector nope not found' })
    const created = await http(w.base, 'PUT', '/connectors/other/config', { 'connector.class': 'FileStreamSink', topics: topic, file: join(w.dir, 'other.txt') })
    assert.equal(created.status, 201)
    assert.equal(created.headers.get('location'), `${w.base}/connectors/other`)
    assert.equal((await http(w.base, 'DELETE', '/connectors/other')).status, 204)
    assert.equal((await http(w.base, 'DELETE', '/connectors/other')).status, 404)
    assert.equal((await http(w.base, 'GET', '/connectors/other')).status, 404)
  })

  await t.test('initial_state PAUSED and STOPPED', async () => {
    const p = await http(w.base, 'POST', '/connectors', { name: 'p', config: { 'connector.class': 'FileStreamSink', topics: topic, file: join(w.dir, 'p.txt') }, initial_state: 'paused' })
    assert.equal(p.status, 201)
    assert.deepEqual((p.body as { tasks: unknown[] }).tasks, [])
    assert.equal(((await http(w.base, 'GET', '/connectors/p/status')).body as Status).connector.state, 'PAUSED')
    const s = await http(w.base, 'POST', '/connectors', { name: 's', config: { 'connector.class': 'FileStreamSink', topics: topic, file: join(w.dir, 's.txt') }, initial_state: 'STOPPED' })
    assert.equal(s.status, 201)
    assert.equal(((await http(w.base, 'GET', '/connectors/s/status')).body as Status).connector.state, 'STOPPED')
    assert.equal((await http(w.base, 'PUT', '/connectors/s/resume')).status, 202)
    const resumed = (await http(w.base, 'GET', '/connectors/s/status')).body as Status
    assert.equal(resumed.connector.state, 'RUNNING')
    assert.equal(((await http(w.base, 'GET', '/connectors/s')).body as { tasks: unknown[] }).tasks.length, 1)
    const bad = await http(w.base, 'POST', '/connectors', { name: 'q', config: { 'connector.class': 'FileStreamSink', topics: topic }, initial_state: 'SLEEPING' })
    assert.equal(bad.status, 400)
    for (const n of ['p', 's']) assert.equal((await http(w.base, 'DELETE', `/connectors/${n}`)).status, 204)
  })
})
