/**
 * PostgreSQL's array text output read back: quoting, escapes, NULL elements, empty arrays, dimensions and decorations.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseArrayText } from '../../../connectors/debezium-postgres/pg-array-text.ts'

test('plain, empty and NULL elements', () => {
  assert.deepEqual(parseArrayText('{1,2,3}'), ['1', '2', '3'])
  assert.deepEqual(parseArrayText('{}'), [])
  assert.deepEqual(parseArrayText('{-1,0,NULL}'), ['-1', '0', null])
  assert.deepEqual(parseArrayText('{null,NuLl}'), [null, null])
})

test('quoted elements keep their text: empty strings, the word NULL, delimiters, braces, escapes', () => {
  assert.deepEqual(parseArrayText('{x,"y z",NULL}'), ['x', 'y z', null])
  assert.deepEqual(parseArrayText('{"","NULL"}'), ['', 'NULL'])
  assert.deepEqual(parseArrayText('{"{braces}","comma,here","quote\\"d","back\\\\slash"}'), ['{braces}', 'comma,here', 'quote"d', 'back\\slash'])
  assert.deepEqual(parseArrayText('{"2024-01-01 10:00:00+00","[1,2)"}'), ['2024-01-01 10:00:00+00', '[1,2)'])
})

test('multi-dimensional arrays nest; a dimension decoration is skipped', () => {
  assert.deepEqual(parseArrayText('{{1,2},{3,NULL}}'), [['1', '2'], ['3', null]])
  assert.deepEqual(parseArrayText('[0:1]={7,8}'), ['7', '8'])
  assert.deepEqual(parseArrayText('[1:1][1:2]={{a,b}}'), [['a', 'b']])
})

test('another delimiter (box uses ;)', () => {
  assert.deepEqual(parseArrayText('{(1,1),(0,0);(2,2),(1,1)}', ';'), ['(1,1),(0,0)', '(2,2),(1,1)'])
})

test('malformed text is a DataError', () => {
  for (const bad of ['', '1,2', '{1,2', '{"a}', '{1}x', '{a"b}x', '[0:1]']) {
    assert.throws(() => parseArrayText(bad), (err: Error) => err.name === 'DataError', bad)
  }
})
