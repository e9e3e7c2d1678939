// The pipeline test file format: what it reads, and each refusal naming file, line and field.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigFileError } from '../../src/api/index.ts'
import { parsePipelineTestFile } from '../../src/cli/pipeline-test-file.ts'
import { equal, lineDiff, parseJson } from '../../src/cli/pipeline-test-values.ts'

const CONNECTOR = 'connector: { connector.class: FileStreamSink, topics: t, file: x }\n'

function refusal (text: string, file = '/d/p.test.yaml'): string {
  try {
    parsePipelineTestFile(text, file)
  } catch (err) {
    assert.ok(err instanceof ConfigFileError, String(err))
    return err.message
  }
  assert.fail('the file was accepted')
}

test('reads records in their encodings, with defaults, header mappings and paths relative to the file', () => {
  const f = parsePipelineTestFile(`worker: ../w.properties
connector: c.json
cases:
  - name: one
    input:
      topic: t
      encoding: json
      keyEncoding: text
      key: 42
      value: { n: 12345678901234567890, f: 1.5 }
      headers: { h: [1, 2] }
    output: [{ valueEncoding: base64, value: "AAE=" }]
  - name: two
    connector: { name: inline, config: { connector.class: FileStreamSink, tasks.max: 1 } }
    input: { topic: t }
    error: { stage: transformation, message: "^boom" }
`, '/d/p.test.yaml')
  assert.deepEqual(f.worker, { from: 'file', path: '/w.properties', where: { line: 1, path: 'worker' } })
  const [one, two] = f.cases
  assert.deepEqual(one!.connector, { from: 'file', path: '/d/c.json', where: { line: 2, path: 'connector' } })
  const input = one!.input[0]!
  assert.equal(input.key!.encoding, 'text')
  assert.equal(input.key!.data, '42')
  assert.ok(equal(input.value!.data, parseJson('{"f":1.5,"n":12345678901234567890}')), 'exact, in any key order')
  assert.equal(input.headers![0]!.key, 'h')
  assert.ok(equal(input.headers![0]!.value.data, [1n, 2n]))
  const out = one!.output![0]!
  assert.equal(out.key, undefined, 'left out of an expected record: not compared')
  assert.equal(out.headers, undefined)
  assert.equal(out.value!.data, 'AAE=')
  assert.equal(two!.connector.from, 'inline')
  assert.deepEqual(two!.connector.from === 'inline' && two!.connector.config, { 'connector.class': 'FileStreamSink', 'tasks.max': '1', name: 'inline' })
  assert.equal(two!.input[0]!.value!.data, null, 'left out of an input record: null')
  assert.deepEqual(two!.input[0]!.headers, [])
  assert.equal(two!.output, undefined)
  assert.equal(two!.error!.stage, 'transformation')
  assert.ok(two!.error!.message!.test('boom!'))
  assert.equal(two!.where.line, 13)
})

test('the same document in JSON, with 1 and 1.0 equal and 2^53+1 exact', () => {
  const f = parsePipelineTestFile(JSON.stringify({
    connector: { 'connector.class': 'FileStreamSink', topics: 't', file: 'x' },
    cases: [{ name: 'j', input: { topic: 't', encoding: 'json', value: { a: 1 } }, dropped: true }]
  }), '/d/p.test.json')
  assert.deepEqual(f.cases[0]!.output, [])
  assert.ok(equal(f.cases[0]!.input[0]!.value!.data, parseJson('{"a":1.0}')))
  assert.ok(!equal(parseJson('9007199254740993'), parseJson('9007199254740992')))
})

test('each malformed part is refused with file, line and field', () => {
  const cases = (body: string): string => `${CONNECTOR}cases:\n${body}`
  assert.match(refusal('cases: [\n'), /^\/d\/p\.test\.yaml:\d+: /)
  assert.match(refusal('cases: []\n'), /^\/d\/p\.test\.yaml:1: cases: must be a list of at least one case$/)
  assert.match(refusal(`${CONNECTOR}tests: []\n`), /^\/d\/p\.test\.yaml:2: tests: unknown field; expected one of description, worker, connector, cases$/)
  assert.match(refusal('cases:\n  - name: a\n    input: { topic: t }\n    dropped: true\n'), /:2: cases\[0\]\.connector: no connector: give one/)
  assert.match(refusal(cases('  - input: { topic: t }\n    dropped: true\n')), /:3: cases\[0\]\.name: each case needs a name/)
  assert.match(refusal(cases('  - { name: a, input: { topic: t }, dropped: true }\n  - { name: a, input: { topic: t }, dropped: true }\n')), /:4: cases\[1\]\.name: another case is named "a"/)
  assert.match(refusal(cases('  - name: a\n    input: { topic: t }\n')), /:3: cases\[0\]: a case must expect output records, dropped: true, or an error/)
  assert.match(refusal(cases('  - name: a\n    input: { topic: t }\n    dropped: false\n')), /:5: cases\[0\]\.dropped: can only be true/)
  assert.match(refusal(cases('  - name: a\n    input: { topic: t }\n    dropped: true\n    output: []\n')), /:5: cases\[0\]\.dropped: give either dropped: true or output, not both/)
  assert.match(refusal(cases('  - name: a\n    input: []\n    dropped: true\n')), /:4: cases\[0\]\.input: must hold at least one record/)
  assert.match(refusal(cases('  - name: a\n    input:\n      - value: x\n    dropped: true\n')), /:5: cases\[0\]\.input\[0\]: an input record needs a topic/)
  assert.match(refusal(cases('  - name: a\n    input: { topic: t, partition: 1.5 }\n    dropped: true\n')), /:4: cases\[0\]\.input\.partition: must be an integer or null/)
  assert.match(refusal(cases('  - name: a\n    input: { topic: t, value: { a: 1 } }\n    dropped: true\n')), /:4: cases\[0\]\.input\.value: with encoding text this must be a string; for structured data set encoding: json/)
  assert.match(refusal(cases('  - name: a\n    input: { topic: t, encoding: base64, value: "abc" }\n    dropped: true\n')), /:4: cases\[0\]\.input\.value: not valid base64/)
  assert.match(refusal(cases('  - name: a\n    input: { topic: t, valueSchema: { type: string } }\n    dropped: true\n')), /:4: cases\[0\]\.input\.valueSchema: given without value/)
  assert.match(refusal(cases('  - name: a\n    input:\n      topic: t\n      headers: [{ value: x }]\n    dropped: true\n')), /:6: cases\[0\]\.input\.headers\[0\]\.key: each header needs a key/)
  assert.match(refusal(cases('  - name: a\n    input: { topic: t }\n    error: { stage: convert }\n')), /:5: cases\[0\]\.error\.stage: must be one of "input", "transformation", "key conversion", "value conversion", "header conversion"/)
  assert.match(refusal(cases('  - name: a\n    input: { topic: t }\n    error: { message: "(" }\n')), /:5: cases\[0\]\.error\.message: not a valid regular expression/)
  assert.match(refusal('connector: { connector.class: [1] }\ncases: []\n'), /:1: connector\.connector\.class: must be a string, number or boolean/)
})

test('the diff pairs removed and added lines and keeps the common ones', () => {
  assert.deepEqual(lineDiff(['{', '  "a": 1,', '  "b": 2', '}'], ['{', '  "a": 1,', '  "b": 3', '}']), [
    { mark: ' ', text: '{' }, { mark: ' ', text: '  "a": 1,' }, { mark: '-', text: '  "b": 2' }, { mark: '+', text: '  "b": 3' }, { mark: ' ', text: '}' }
  ])
  assert.deepEqual(lineDiff(['x'], []), [{ mark: '-', text: 'x' }])
})
