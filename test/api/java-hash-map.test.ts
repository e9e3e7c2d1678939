import assert from 'node:assert/strict'
import { test } from 'node:test'
import { javaDoubleHash, javaHashMapOrder, javaLongHash, javaStringHash } from '../../src/api/index.ts'

test('hash codes are Java\'s', () => {
  assert.equal(javaStringHash(''), 0)
  assert.equal(javaStringHash('hello'), 99162322)
  assert.equal(javaStringHash('polygenelubricants'), -2147483648)
  assert.equal(javaStringHash('🚀'), 1773027, 'over UTF-16 code units')
  assert.equal(javaLongHash(1), 1)
  assert.equal(javaLongHash(-1), 0)
  assert.equal(javaLongHash(2n ** 32n), 1)
  assert.equal(javaDoubleHash(1.0), 1072693248)
  assert.equal(javaDoubleHash(0.0), 0)
  assert.equal(javaDoubleHash(-0.0), -2147483648)
})

test('iteration order of a HashMap filled from empty, as JDK 17 printed it', () => {
  // Printed by Java for these keys put in this order (see shared/reference/connect-data.md §9.4).
  const keys = ['id', 'amount', 'ts', 'zeta', 'alpha', 'inner', 'tsStr', '_topic', '_part', '_off', '_ts', '_src']
  const order = javaHashMapOrder(keys.map(k => [k, null] as const), javaStringHash).map(([k]) => k)
  assert.deepEqual(order, ['zeta', 'amount', '_topic', 'alpha', '_src', 'tsStr', 'id', '_off', 'inner', '_part', 'ts', '_ts'])
})

test('the table grows past 3/4 full, and colliding keys keep insertion order', () => {
  // 13 keys need 32 buckets: 16 and 32 land in different buckets of 32 but the same one of 16.
  const ints = Array.from({ length: 13 }, (_, i) => [i === 0 ? 32 : i === 1 ? 16 : i + 100, i] as const)
  const order = javaHashMapOrder(ints, k => k).map(([k]) => k)
  assert.equal(order[0], 32, 'bucket 0 of 32')
  assert.ok(order.indexOf(16) > order.indexOf(101))
  // Same bucket, insertion order: 1 and 17 with 16 buckets.
  assert.deepEqual(javaHashMapOrder([[17, 'x'], [1, 'y']] as const, k => k).map(([k]) => k), [17, 1])
  // An identity-hashed key: the given order stays.
  assert.deepEqual(javaHashMapOrder([['b', 1], ['a', 2]] as const, () => null).map(([k]) => k), ['b', 'a'])
})
