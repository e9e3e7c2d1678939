/**
 * renderValue: Java's String.valueOf rendering of record values, as Apache's FileStreamSinkTask writes them.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Schemas } from '../../../src/api/index.ts'
import { renderValue } from '../../../connectors/file/render-value.ts'

test('null, undefined, strings, booleans and bigints', () => {
  assert.equal(renderValue(null), 'null')
  assert.equal(renderValue(undefined), 'null')
  assert.equal(renderValue('héllo 日本'), 'héllo 日本')
  assert.equal(renderValue(''), '')
  assert.equal(renderValue(true), 'true')
  assert.equal(renderValue(false), 'false')
  assert.equal(renderValue(12345678901234567890n), '12345678901234567890')
})

test('numbers render like Java: integers as integers, doubles as Double.toString', () => {
  assert.equal(renderValue(1.0), '1')
  assert.equal(renderValue(0), '0')
  assert.equal(renderValue(-42), '-42')
  assert.equal(renderValue(9999999), '9999999')
  assert.equal(renderValue(0.5), '0.5')
  assert.equal(renderValue(-2.25), '-2.25')
  assert.equal(renderValue(0.001), '0.001')
  assert.equal(renderValue(1234567.5), '1234567.5')
  assert.equal(renderValue(1e10, Schemas.FLOAT64), '1.0E10')
  assert.equal(renderValue(1e7, Schemas.FLOAT64), '1.0E7')
  assert.equal(renderValue(-1.5e20, Schemas.FLOAT64), '-1.5E20')
  assert.equal(renderValue(123456789.125), '1.23456789125E8')
  assert.equal(renderValue(1e-4), '1.0E-4')
  // Without a schema a whole number is a Java Long; FLOAT32 values print as Java floats.
  assert.equal(renderValue(1e10), '10000000000')
  assert.equal(renderValue(0.1, Schemas.FLOAT32), '0.1')
  assert.equal(renderValue(2.5e-7), '2.5E-7')
  assert.equal(renderValue(Number.NaN), 'NaN')
  assert.equal(renderValue(Infinity), 'Infinity')
  assert.equal(renderValue(-Infinity), '-Infinity')
})

test('arrays, maps and plain objects', () => {
  assert.equal(renderValue(['a', 'b']), '[a, b]')
  assert.equal(renderValue([]), '[]')
  assert.equal(renderValue([1, null, [true, 0.5]]), '[1, null, [true, 0.5]]')
  assert.equal(renderValue(new Map<unknown, unknown>([['k', 'v'], [1, [2, 3]]])), '{k=v, 1=[2, 3]}')
  assert.equal(renderValue(new Map()), '{}')
  assert.equal(renderValue({ a: 1, b: 'x', c: null }), '{a=1, b=x, c=null}')
  assert.equal(renderValue(Object.assign(Object.create(null) as object, { k: 'v' })), '{k=v}')
})

test('bytes are written as UTF-8 text', () => {
  assert.equal(renderValue(Buffer.from('héllo')), 'héllo')
  assert.equal(renderValue(new TextEncoder().encode('日本')), '日本')
})

test('objects with their own toString use it', () => {
  class Struct {
    toString (): string { return 'Struct{id=1}' }
  }
  assert.equal(renderValue(new Struct()), 'Struct{id=1}')
  assert.equal(renderValue([new Struct()]), '[Struct{id=1}]')
  // java.util.Date.toString, in UTC.
  assert.equal(renderValue(new Date(1700000000123)), 'Tue Nov 14 22:13:20 UTC 2023')
})
