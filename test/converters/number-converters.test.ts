import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Headers, Schemas } from '../../src/api/index.ts'
import { builtinRegistry } from '../../src/plugins/builtin.ts'
import { BooleanConverter, DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter } from '../../src/converters/number-converters.ts'

const H = Headers.EMPTY

test('number converters write Apache\'s big-endian bytes and read them back', () => {
  const cases: Array<[{ fromConnectData: ShortConverter['fromConnectData'], toConnectData: ShortConverter['toConnectData'] }, unknown, string]> = [
    [new ShortConverter(), 258, '0102'],
    [new IntegerConverter(), -2, 'fffffffe'],
    [new LongConverter(), 9007199254740993n, '0020000000000001'],
    [new LongConverter(), -1, 'ffffffffffffffff'],
    [new FloatConverter(), 1.5, '3fc00000'],
    [new DoubleConverter(), NaN, '7ff8000000000000'],
    [new DoubleConverter(), 0.1, '3fb999999999999a'],
    [new BooleanConverter(), true, '01']
  ]
  for (const [c, value, hex] of cases) {
    const bytes = c.fromConnectData('t', H, null, value)!
    assert.equal(bytes.toString('hex'), hex, `${c.constructor.name} ${String(value)}`)
    const back = c.toConnectData('t', H, bytes).value
    if (typeof value === 'number' && Number.isNaN(value)) assert.ok(Number.isNaN(back))
    else assert.equal(back, value)
  }
  assert.equal(new IntegerConverter().fromConnectData('t', H, Schemas.STRING, null), null)
  assert.deepEqual(new ShortConverter().toConnectData('t', H, null), { schema: Schemas.OPTIONAL_INT16, value: null })
})

test('number converters report Apache\'s errors', () => {
  assert.throws(() => new IntegerConverter().fromConnectData('t', H, null, 'x'), /Failed to serialize to integer \(was class java\.lang\.String\): /)
  assert.throws(() => new ShortConverter().fromConnectData('t', H, null, 70000), /Failed to serialize to short/)
  assert.throws(() => new LongConverter().toConnectData('t', H, Buffer.alloc(3)), /Failed to deserialize long: /)
  assert.throws(() => new BooleanConverter().fromConnectData('t', H, Schemas.INT32, true), /Invalid schema type for BooleanConverter: INT32/)
  assert.throws(() => new BooleanConverter().fromConnectData('t', H, null, 'x'), /BooleanConverter is not compatible with objects of type class java\.lang\.String/)
  assert.throws(() => new BooleanConverter().toConnectData('t', H, Buffer.from([2])), /Failed to deserialize boolean: /)
})

test('number converters resolve by class name and alias, as converters and header converters', () => {
  const registry = builtinRegistry()
  for (const name of ['org.apache.kafka.connect.converters.LongConverter', 'LongConverter', 'Long']) {
    assert.ok(registry.create(name, ['converter'], 'value.converter') instanceof LongConverter)
  }
  assert.ok(registry.create('BooleanConverter', ['header_converter'], 'header.converter') instanceof BooleanConverter)
})
