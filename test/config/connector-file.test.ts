import { test } from 'node:test'
import type { TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigFileError } from '../../src/api/errors.ts'
import { loadConnectorFile } from '../../src/config/connector-file.ts'
import type { ConnectorFileConfig } from '../../src/config/connector-file.ts'

async function tempDir (t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'connector-file-test-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** Writes `content` to a fresh temp file called `name` and loads it. */
async function load (t: TestContext, name: string, content: string | Buffer): Promise<ConnectorFileConfig> {
  const file = join(await tempDir(t), name)
  await writeFile(file, content)
  return await loadConnectorFile(file)
}

/** Writes `content` to a temp file, expects loading to fail, and checks the message names file, line and more. */
async function loadFails (t: TestContext, name: string, content: string | Buffer, line: number | undefined,
  ...fragments: string[]): Promise<ConfigFileError> {
  const file = join(await tempDir(t), name)
  await writeFile(file, content)
  let caught: unknown
  try {
    await loadConnectorFile(file)
  } catch (err) {
    caught = err
  }
  assert.ok(caught instanceof ConfigFileError, `expected a ConfigFileError, got ${String(caught)}`)
  assert.equal(caught.file, file)
  assert.equal(caught.line, line, caught.message)
  assert.ok(caught.message.includes(`'${file}'`), `names the file: ${caught.message}`)
  if (line !== undefined) assert.ok(caught.message.includes(`line ${line}`), `names the line: ${caught.message}`)
  for (const fragment of fragments) assert.ok(caught.message.includes(fragment), `'${fragment}' in: ${caught.message}`)
  return caught
}

const FILE_SOURCE = {
  name: 'local-file-source',
  'connector.class': 'FileStreamSource',
  'tasks.max': '1',
  file: 'test.txt',
  topic: 'connect-test'
}

// ----------------------------------------------------------------------------------------------------------------
// Properties

test("Apache's sample connect-file-source.properties", async (t) => {
  const result = await load(t, 'connect-file-source.properties', [
    '# Licensed to the Apache Software Foundation (ASF) under one or more',
    '# contributor license agreements.',
    '',
    'name=local-file-source',
    'connector.class=FileStreamSource',
    'tasks.max=1',
    'file=test.txt',
    'topic=connect-test',
    ''
  ].join('\n'))
  assert.deepEqual(result, {
    name: 'local-file-source',
    config: FILE_SOURCE,
    initialState: undefined,
    format: 'properties',
    lines: new Map([['name', 4], ['connector.class', 5], ['tasks.max', 6], ['file', 7], ['topic', 8]])
  })
})

test('properties that look like YAML are read as properties, giving the same result here', async (t) => {
  const content = [
    'name: local-file-source',
    'connector.class: FileStreamSource',
    'tasks.max: 1',
    'file: test.txt',
    'topic: connect-test',
    ''
  ].join('\n')
  for (const name of ['source.properties', 'source', 'source.conf', 'source.json']) {
    const result = await load(t, name, content)
    assert.equal(result.format, 'properties', name)
    assert.deepEqual(result.config, FILE_SOURCE, name)
  }
  const asYaml = await load(t, 'source.yaml', content)
  assert.equal(asYaml.format, 'yaml')
  assert.deepEqual(asYaml.config, FILE_SOURCE)
  assert.deepEqual(asYaml.lines, (await load(t, 'source.properties', content)).lines)
})

test('YAML-only syntax in a non-YAML file is read as properties, exactly as Apache does', async (t) => {
  const result = await load(t, 'source.properties', 'name: "quoted" # comment\nconfig:\n  tasks.max: 1\n')
  assert.equal(result.format, 'properties')
  assert.deepEqual(result.config, { name: '"quoted" # comment', config: '', 'tasks.max': '1' })
})

test('a properties file without name fails with Apache\'s message', async (t) => {
  const err = await loadFails(t, 'c.properties', 'connector.class=FileStreamSource\n', undefined)
  assert.match(err.message, /^Connector configuration at '.*c\.properties' is missing the mandatory 'name' configuration$/)
})

test('an empty file is a properties file without name', async (t) => {
  await loadFails(t, 'empty.properties', '', undefined, "is missing the mandatory 'name' configuration")
})

test('a properties file saved with a UTF-8 byte order mark gets a hint', async (t) => {
  await loadFails(t, 'bom.properties', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name=x\n')]),
    undefined, "missing the mandatory 'name'", 'byte order mark')
})

test('a properties connector file is decoded as ISO-8859-1 like Java', async (t) => {
  const result = await load(t, 'c.properties', Buffer.concat([Buffer.from('name=caf'), Buffer.from('é', 'utf8')]))
  assert.equal(result.name, 'caf\u00c3\u00a9')
})

test('malformed \\u escape in a connector properties file names file and line', async (t) => {
  await loadFails(t, 'c.properties', 'name=x\ntopic=\\uzzzz\n', 2, 'Malformed \\uxxxx encoding', "key 'topic'")
})

test('content starting with [ that is not JSON is read as properties', async (t) => {
  const result = await load(t, 'c.properties', '[section]\nname=x\n')
  assert.equal(result.format, 'properties')
  assert.deepEqual(result.config, { '[section]': '', name: 'x' })
})

// ----------------------------------------------------------------------------------------------------------------
// JSON map (the PUT /connectors/{name}/config body)

test('a JSON map, with numbers and booleans coerced to their JSON text like Jackson', async (t) => {
  const result = await load(t, 'c.json', [
    '{',
    '  "name": "local-file-source",',
    '  "connector.class": "FileStreamSource",',
    '  "tasks.max": 1,',
    '  "ratio": 1.50,',
    '  "big": -2.5E+10,',
    '  "errors.log.enable": true,',
    '  "off": false,',
    '  "esc": "tab\\there \\u00e9 \\"q\\" \\/ \\\\"',
    '}'
  ].join('\n'))
  assert.deepEqual(result, {
    name: 'local-file-source',
    config: {
      name: 'local-file-source',
      'connector.class': 'FileStreamSource',
      'tasks.max': '1',
      ratio: '1.50',
      big: '-2.5E+10',
      'errors.log.enable': 'true',
      off: 'false',
      esc: 'tab\there \u00e9 "q" / \\'
    },
    initialState: undefined,
    format: 'json-map',
    lines: new Map([['name', 2], ['connector.class', 3], ['tasks.max', 4], ['ratio', 5], ['big', 6],
      ['errors.log.enable', 7], ['off', 8], ['esc', 9]])
  })
})

test('a JSON map keeps initial_state as an ordinary config key, as Apache does', async (t) => {
  const result = await load(t, 'c.json', '{"name":"x","initial_state":"PAUSED"}')
  assert.equal(result.format, 'json-map')
  assert.equal(result.initialState, undefined)
  assert.deepEqual(result.config, { name: 'x', initial_state: 'PAUSED' })
})

test('JSON is detected from content, not the extension, after whitespace and a byte order mark', async (t) => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf])
  const result = await load(t, 'c.properties', Buffer.concat([bom, Buffer.from('\n\t \r\n{"name": "café"}\n')]))
  assert.equal(result.format, 'json-map')
  // JSON is UTF-8, unlike properties.
  assert.equal(result.name, 'café')
})

test('a UTF-16 JSON file with a byte order mark is decoded', async (t) => {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"name":"é"}', 'utf16le')])
  assert.equal((await load(t, 'le.json', le)).name, 'é')
  const be = Buffer.from(Buffer.from('{"name":"é"}', 'utf16le')).swap16()
  assert.equal((await load(t, 'be.json', Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).name, 'é')
})

test('duplicate JSON keys: the later one wins, as with Jackson', async (t) => {
  const result = await load(t, 'c.json', '{"name":"a",\n"topic":"t1",\n"topic":"t2"}')
  assert.equal(result.config.topic, 't2')
  assert.equal(result.lines?.get('topic'), 3)
})

test('a JSON map without name fails with Apache\'s message', async (t) => {
  await loadFails(t, 'c.json', '{"connector.class": "X"}', undefined,
    "Connector configuration at '", "' is missing the mandatory 'name' configuration")
})

test('object and array values in a JSON map fail, naming the key and line', async (t) => {
  await loadFails(t, 'c.json', '{\n"name": "x",\n"transforms": {"a": 1}\n}', 3,
    "key 'transforms'", 'found an object')
  await loadFails(t, 'c.json', '{\n"name": "x",\n"topics": ["a", "b"]\n}', 3, "key 'topics'", 'found an array')
})

test('a null value in a JSON map fails, naming the key and line', async (t) => {
  await loadFails(t, 'c.json', '{\n"name": "x",\n\n"topic": null\n}', 4, "key 'topic'", 'null')
})

test('a JSON array at the top level fails', async (t) => {
  await loadFails(t, 'c.json', '\n[{"name": "x"}]', 2, 'must contain a JSON object', 'array')
})

// ----------------------------------------------------------------------------------------------------------------
// JSON syntax errors: reported with line and column instead of falling through to the properties reader

test('JSON syntax errors name the line and column', async (t) => {
  const cases: Array<[string, number, number, string]> = [
    ['{\n  "name": "x",\n  "topic": "y",\n}', 4, 1, "trailing comma before '}'"],
    ['{\n  "name": "x"\n  "topic": "y"\n}', 3, 3, "expected ',' or '}'"],
    ['{\n  "name": \'x\'\n}', 2, 11, 'double quotes'],
    ['{\n  // comment\n  "name": "x"\n}', 2, 3, 'comments are not allowed'],
    ['{\n  "name": "x\n"}', 2, 13, 'line break inside a string'],
    ['{"name": "x"', 1, 13, 'unexpected end of file'],
    ['{"name": "x"}\n}', 2, 1, 'after the end of the JSON value'],
    ['{"name": "x", "tasks.max": 01}', 1, 28, "invalid number '01'"],
    ['{"name": "x", "a": NaN}', 1, 20, "unrecognized token 'NaN'"],
    ['{"name": "x", "a": "\\q"}', 1, 21, "invalid escape '\\q'"],
    ['{"name": "x", "a": "\\u12"}', 1, 21, 'invalid \\u escape'],
    ['{"name" "x"}', 1, 9, "expected ':' after key \"name\""],
    ['{name: "x"}', 1, 2, 'expected a double-quoted key'],
    ['\r\n\r\n  {"a":\t}', 3, 9, 'expected a value']
  ]
  for (const [content, line, column, reason] of cases) {
    const err = await loadFails(t, 'c.json', content, line, `line ${line}, column ${column}`, reason, 'Invalid JSON')
    assert.match(err.message, /^Invalid JSON in connector file '.*c\.json' at line \d+, column \d+: /, content)
  }
})

test('invalid UTF-8 in a JSON file names the line', async (t) => {
  await loadFails(t, 'c.json', Buffer.concat([Buffer.from('{\n"name":\n"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
    3, 'not valid UTF-8')
})

// ----------------------------------------------------------------------------------------------------------------
// JSON request (the POST /connectors body)

test('a JSON request with initial_state; name is copied into config and unknown fields are ignored', async (t) => {
  const result = await load(t, 'c.json', JSON.stringify({
    name: 'local-file-sink',
    config: { 'connector.class': 'FileStreamSink', 'tasks.max': 1, file: '/tmp/out.txt', topics: 'connect-test' },
    initial_state: 'PAUSED',
    tasks: [],
    type: 'sink'
  }, null, 2))
  assert.deepEqual(result, {
    name: 'local-file-sink',
    config: {
      'connector.class': 'FileStreamSink',
      'tasks.max': '1',
      file: '/tmp/out.txt',
      topics: 'connect-test',
      name: 'local-file-sink'
    },
    initialState: 'PAUSED',
    format: 'json-request',
    lines: new Map([['connector.class', 4], ['tasks.max', 5], ['file', 6], ['topics', 7], ['name', 2]])
  })
})

test('initial_state is case-insensitive, like Apache; null or absent means the default', async (t) => {
  for (const [state, expected] of [['stopped', 'STOPPED'], ['Running', 'RUNNING'], ['PAUSED', 'PAUSED']] as const) {
    const result = await load(t, 'c.json', JSON.stringify({ name: 'x', config: {}, initial_state: state }))
    assert.equal(result.initialState, expected)
  }
  assert.equal((await load(t, 'c.json', '{"name":"x","config":{},"initial_state":null}')).initialState, undefined)
  const plain = await load(t, 'c.json', '{"name":"x","config":{}}')
  assert.equal(plain.initialState, undefined)
  assert.deepEqual(plain.config, { name: 'x' })
})

test('an invalid initial_state fails, naming the key and line', async (t) => {
  await loadFails(t, 'c.json', '{\n"name":"x",\n"config":{},\n"initial_state":"STARTED"\n}', 4,
    "key 'initial_state'", 'RUNNING, PAUSED or STOPPED', "'STARTED'")
})

test('config.name equal to name is accepted', async (t) => {
  const result = await load(t, 'c.json', '{"name":"x","config":{"name":"x","a":"b"}}')
  assert.deepEqual(result.config, { name: 'x', a: 'b' })
})

test('config.name different from name fails with Apache\'s message', async (t) => {
  const err = await loadFails(t, 'c.json', '{\n"name": "a",\n"config": {\n  "name": "b"\n}\n}', 4,
    "'a'", "'b'", 'line 2')
  assert.ok(err.message.startsWith(
    `Connector name configuration in 'config' doesn't match the one specified in 'name' at '${err.file}'`))
})

test('a JSON request without name fails with Apache\'s message', async (t) => {
  await loadFails(t, 'c.json', '{"config": {"connector.class": "X"}}', undefined,
    "is missing the mandatory 'name' configuration")
})

test('nested and null values inside config fail, naming the key', async (t) => {
  await loadFails(t, 'c.json', '{"name":"x",\n"config":{\n"a":{"b":"c"}}}', 3, "key 'a' in 'config'", 'an object')
  await loadFails(t, 'c.json', '{"name":"x",\n"config":{\n"a":null}}', 3, "key 'a' in 'config'", 'null')
  await loadFails(t, 'c.json', '{"name":"x",\n"config":[]}', 2, "key 'config'", 'an array')
  await loadFails(t, 'c.json', '{"name":{},\n"config":{}}', 1, "key 'name'", 'an object')
})

// ----------------------------------------------------------------------------------------------------------------
// YAML (chosen by the .yaml / .yml extension)

test('a flat YAML map', async (t) => {
  const result = await load(t, 'source.yaml', [
    '# the quickstart source',
    'name: local-file-source',
    'connector.class: FileStreamSource',
    'tasks.max: 1',
    "file: 'test.txt'",
    'topic: "connect-test"',
    'ratio: 1.50',
    'enabled: true',
    'multi: |',
    '  line one',
    '  line two',
    ''
  ].join('\n'))
  assert.deepEqual(result, {
    name: 'local-file-source',
    config: { ...FILE_SOURCE, ratio: '1.50', enabled: 'true', multi: 'line one\nline two\n' },
    initialState: undefined,
    format: 'yaml',
    lines: new Map([['name', 2], ['connector.class', 3], ['tasks.max', 4], ['file', 5], ['topic', 6],
      ['ratio', 7], ['enabled', 8], ['multi', 9]])
  })
})

test('a YAML file in the request shape, with initial_state', async (t) => {
  const result = await load(t, 'sink.YML', [
    'name: local-file-sink',
    'initial_state: stopped',
    'config:',
    '  connector.class: FileStreamSink',
    '  tasks.max: 1',
    '  file: test.sink.txt',
    '  topics: connect-test',
    ''
  ].join('\n'))
  assert.deepEqual(result, {
    name: 'local-file-sink',
    config: {
      'connector.class': 'FileStreamSink',
      'tasks.max': '1',
      file: 'test.sink.txt',
      topics: 'connect-test',
      name: 'local-file-sink'
    },
    initialState: 'STOPPED',
    format: 'yaml',
    lines: new Map([['connector.class', 4], ['tasks.max', 5], ['file', 6], ['topics', 7], ['name', 1]])
  })
})

test('YAML request shape: name mismatch and missing name', async (t) => {
  await loadFails(t, 'c.yaml', 'name: a\nconfig:\n  name: b\n', 3, "doesn't match the one specified in 'name'")
  await loadFails(t, 'c.yaml', 'config:\n  a: b\n', undefined, "is missing the mandatory 'name' configuration")
})

test('nested values in a flat YAML map fail, naming the key and line', async (t) => {
  await loadFails(t, 'c.yaml', 'name: x\ntransforms:\n  a: b\n', 3, "key 'transforms'", 'a mapping')
  await loadFails(t, 'c.yaml', 'name: x\ntopics:\n  - a\n  - b\n', 3, "key 'topics'", 'a sequence')
})

test('null YAML values fail with a hint', async (t) => {
  await loadFails(t, 'c.yaml', 'name: x\ntopic:\n', 2, "key 'topic'", 'null', '""')
  await loadFails(t, 'c.yaml', 'name: x\ntopic: ~\n', 2, "key 'topic'", 'null')
})

test('YAML syntax errors name the line and column', async (t) => {
  // The library reports an unclosed flow sequence where it notices it, on the next line.
  await loadFails(t, 'c.yaml', 'name: x\ntopic: [a\nfile: y\n', 3, 'Invalid YAML', 'column 1', 'Flow sequence')
  await loadFails(t, 'c.yaml', 'name: x\n\ttopic: y\n', 2, 'Invalid YAML', 'column 1')
  await loadFails(t, 'c.yaml', 'name: x\nname: y\n', 2, 'Invalid YAML', 'unique')
  await loadFails(t, 'c.yaml', 'name: x\n---\nname: y\n', 2, 'Invalid YAML', 'a single YAML document')
})

test('a YAML file that is not a mapping, or is empty', async (t) => {
  await loadFails(t, 'c.yaml', 'name=x\n', 1, 'must contain a YAML mapping')
  await loadFails(t, 'c.yaml', '- a\n', 1, 'must contain a YAML mapping', 'a sequence')
  await loadFails(t, 'c.yaml', '# nothing\n', undefined, "is missing the mandatory 'name' configuration")
})

test('YAML flow mappings and JSON content in a .yaml file', async (t) => {
  const result = await load(t, 'c.yaml', '{name: x, tasks.max: 2}')
  assert.deepEqual(result.config, { name: 'x', 'tasks.max': '2' })
  const json = await load(t, 'c.yml', '{"name": "x", "config": {"a": 1}, "initial_state": "PAUSED"}')
  assert.equal(json.format, 'yaml')
  assert.equal(json.initialState, 'PAUSED')
  assert.deepEqual(json.config, { a: '1', name: 'x' })
})

// ----------------------------------------------------------------------------------------------------------------
// Unreadable files

test('a missing connector file fails naming the file and the reason', async (t) => {
  const file = join(await tempDir(t), 'nope.properties')
  await assert.rejects(loadConnectorFile(file), (err: unknown) => {
    assert.ok(err instanceof ConfigFileError)
    assert.equal(err.message, `Cannot read file '${file}': no such file`)
    assert.equal(err.file, file)
    return true
  })
})

test('a directory given as a connector file fails naming the file and the reason', async (t) => {
  const dir = join(await tempDir(t), 'connectors')
  await mkdir(dir)
  await assert.rejects(loadConnectorFile(dir), { name: 'ConfigFileError', message: `Cannot read file '${dir}': it is a directory` })
})
