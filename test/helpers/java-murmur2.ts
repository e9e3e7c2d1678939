/**
 * Java's Utils.murmur2 and the default partitioner's choice for a keyed record, written out by hand: tests check that
 * records land where a Java producer (Apache Connect) would put them, and write "Java's" records there.
 */
export function javaMurmur2 (data: Buffer): number {
  const m = 0x5bd1e995
  let h = (0x9747b28c ^ data.length) | 0
  const whole = data.length >> 2
  for (let i = 0; i < whole; i++) {
    let k = data[i * 4]! | (data[i * 4 + 1]! << 8) | (data[i * 4 + 2]! << 16) | (data[i * 4 + 3]! << 24)
    k = Math.imul(k, m)
    k ^= k >>> 24
    k = Math.imul(k, m)
    h = Math.imul(h, m) ^ k
  }
  const tail = whole * 4
  const rest = data.length % 4
  if (rest >= 3) h ^= data[tail + 2]! << 16
  if (rest >= 2) h ^= data[tail + 1]! << 8
  if (rest >= 1) h = Math.imul(h ^ data[tail]!, m)
  h ^= h >>> 13
  h = Math.imul(h, m)
  h ^= h >>> 15
  return h
}

/** The partition Java's default partitioner gives a keyed record. */
export function javaPartition (key: Buffer | string, partitions: number): number {
  return (javaMurmur2(typeof key === 'string' ? Buffer.from(key, 'utf8') : key) & 0x7fffffff) % partitions
}
