/**
 * The iteration order of a java.util.HashMap, for maps that Apache builds as HashMaps and then prints or serialises
 * (JsonConverter reads every JSON map into one): FileStreamSink's `{a=2, b=1}` and the JSON a worker writes follow
 * that order, so ours must too.
 *
 * Rules (JDK 8 to 25 alike for a map filled by put() from empty): the table starts at 16 buckets and doubles whenever
 * the size passes 3/4 of it; a key's bucket is (h ^ (h >>> 16)) & (buckets - 1) for its hashCode() h; iteration walks
 * the buckets in order and each bucket in insertion order (a resize keeps the relative order). Buckets that turn into
 * trees (8+ colliding keys in a table of 64+) would differ; ordinary keys never get there.
 */

/** Java's String.hashCode(): over UTF-16 code units, wrapping at 32 bits. */
export function javaStringHash (s: string): number {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0
  return h
}

/** Java's Long.hashCode(): the two halves XORed. */
export function javaLongHash (v: number | bigint): number {
  const b = BigInt.asUintN(64, BigInt(v))
  return Number(BigInt.asIntN(32, (b ^ (b >> 32n)) & 0xffffffffn))
}

const scratch = new DataView(new ArrayBuffer(8))

/** Double.hashCode() (doubleToLongBits, so every NaN hashes alike). */
export function javaDoubleHash (d: number): number {
  scratch.setFloat64(0, Number.isNaN(d) ? NaN : d)
  return (scratch.getInt32(0) ^ scratch.getInt32(4)) | 0
}

/** Float.hashCode() (floatToIntBits). */
export function javaFloatHash (f: number): number {
  scratch.setFloat32(0, Number.isNaN(f) ? NaN : f)
  return scratch.getInt32(0)
}

/** HashMap.tableSizeFor: the smallest power of two at least `c` (at least 1). */
function tableSizeFor (c: number): number {
  let n = 1
  while (n < c && n < 2 ** 30) n *= 2
  return n
}

/**
 * The bucket count a HashMap starts with: `new HashMap<>()` (16), `new HashMap<>(n)` (the power of two at least n),
 * or the copy constructor `new HashMap<>(m)` of a map of n entries (JDK 17's (int)(n / 0.75f + 1), rounded up to a
 * power of two; JDK 19+ rounds ceil(n / 0.75) instead, which differs for some sizes: we follow 17, like our goldens).
 */
export type JavaHashMapCreation = { kind: 'default' } | { kind: 'capacity', initialCapacity: number } | { kind: 'copy', sourceSize: number }

function initialCapacity (creation: JavaHashMapCreation): number {
  switch (creation.kind) {
    case 'default': return 16
    case 'capacity': return tableSizeFor(creation.initialCapacity)
    case 'copy': return creation.sourceSize === 0 ? 16 : tableSizeFor(Math.floor(Math.fround(Math.fround(creation.sourceSize / 0.75) + 1)))
  }
}

/** Returns the entries in the order a HashMap filled with them (in the given order) iterates; null hash: unknown. */
export function javaHashMapOrder<K, V> (entries: ReadonlyArray<readonly [K, V]>, hashOf: (key: K) => number | null, creation: JavaHashMapCreation = { kind: 'default' }): Array<[K, V]> {
  let capacity = initialCapacity(creation)
  // The table doubles when an insert takes the size past (int)(capacity * 0.75).
  while (entries.length > Math.floor(capacity * 0.75)) capacity *= 2
  const mask = capacity - 1
  const keyed: Array<{ bucket: number, index: number, entry: [K, V] }> = []
  for (let i = 0; i < entries.length; i++) {
    const [k, v] = entries[i]!
    const h = hashOf(k)
    // A key Java hashes by identity (byte[], Struct) has no predictable place: keep the given order.
    if (h === null) return entries.map(([a, b]) => [a, b])
    keyed.push({ bucket: (h ^ (h >>> 16)) & mask, index: i, entry: [k, v] })
  }
  keyed.sort((a, b) => a.bucket - b.bucket || a.index - b.index)
  return keyed.map(x => x.entry)
}
