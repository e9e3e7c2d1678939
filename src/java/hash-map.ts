/**
 * The iteration order of a java.util.HashMap, for maps that Apache builds as HashMaps and then prints or serialises
 * (JsonConverter reads every JSON map into one): FileStreamSink's `{a=2, b=1}` and the JSON a worker writes follow
 * that order, so ours must too.
 *
 * Rules (JDK 8 to 25 alike for a map filled by put() from empty): the table starts at 16 buckets and doubles whenever
 * the size passes 3/4 of it; a key's bucket is (h ^ (h >>> 16)) & (buckets - 1) for its hashCode() h; iteration walks
 * the buckets in order and each bucket in insertion order (a resize keeps the relative order).
 * Many colliding keys change that: a bucket reaching 9 keys doubles a table of fewer than 64 buckets early, and in a
 * larger table turns into a red-black tree, whose iteration order is its linked order (each new key goes right after
 * its tree parent, the root moves to the front). Maps that get there (9+ keys in one bucket of the first table) are
 * simulated step by step; doubles with small integral values do get there (their low hash bits are all zero).
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

/**
 * How a key orders itself in a tree bucket: Java's compareTo() when both keys are of the same Comparable class
 * (String, Long, Double, Boolean, Date, BigDecimal...), or null where Java falls back to comparing class names and then
 * identity hashes (List, Map, byte[], Struct keys: an order that changes from one JVM run to the next).
 */
export type JavaKeyCompare<K> = (a: K, b: K) => number | null

/** String.compareTo (UTF-16 code units, as JavaScript's < compares strings); null for other keys. */
export function javaDefaultCompare (a: unknown, b: unknown): number | null {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  return null
}

/** Returns the entries in the order a HashMap filled with them (in the given order) iterates; null hash: unknown. */
export function javaHashMapOrder<K, V> (entries: ReadonlyArray<readonly [K, V]>, hashOf: (key: K) => number | null, creation: JavaHashMapCreation = { kind: 'default' }, compare: JavaKeyCompare<K> = javaDefaultCompare): Array<[K, V]> {
  const first = initialCapacity(creation)
  const hashes: number[] = new Array<number>(entries.length)
  for (let i = 0; i < entries.length; i++) {
    const h = hashOf(entries[i]![0])
    // A key Java hashes by identity (byte[], Struct) has no predictable place: keep the given order.
    if (h === null) return entries.map(([a, b]) => [a, b])
    hashes[i] = (h ^ (h >>> 16)) | 0
  }
  if (entries.length > TREEIFY_THRESHOLD && mayTreeify(hashes, first)) return simulateHashMap(entries, hashes, first, compare)
  let capacity = first
  // The table doubles when an insert takes the size past (int)(capacity * 0.75).
  while (entries.length > Math.floor(capacity * 0.75)) capacity *= 2
  const mask = capacity - 1
  const order = entries.map((_, i) => i)
  order.sort((a, b) => (hashes[a]! & mask) - (hashes[b]! & mask) || a - b)
  return order.map(i => [entries[i]![0], entries[i]![1]])
}

const TREEIFY_THRESHOLD = 8
const UNTREEIFY_THRESHOLD = 6
const MIN_TREEIFY_CAPACITY = 64

/** A bucket of the first table holding 9+ keys: only then can any bucket of any later table get there. */
function mayTreeify (hashes: number[], capacity: number): boolean {
  const counts = new Uint32Array(capacity)
  const mask = capacity - 1
  for (const h of hashes) if (++counts[h & mask]! > TREEIFY_THRESHOLD) return true
  return false
}

interface HNode {
  hash: number
  index: number
  next: HNode | null
  // Tree bucket links (Java's TreeNode).
  prev: HNode | null
  parent: HNode | null
  left: HNode | null
  right: HNode | null
  red: boolean
}

/**
 * A step-by-step model of java.util.HashMap's put() (JDK 8 to 25): list buckets, resizes (each bucket split into a
 * low and a high list keeping their order), a bucket of 9 doubling a table under 64 buckets, tree buckets (insertion
 * after the tree parent, red-black rebalancing, root moved to the front), and their split on resize (back to a list
 * at 6 keys or fewer, rebuilt as a tree when both halves are kept).
 */
function simulateHashMap<K, V> (entries: ReadonlyArray<readonly [K, V]>, hashes: number[], firstCapacity: number, compare: JavaKeyCompare<K>): Array<[K, V]> {
  let table: Array<HNode | null> = new Array<HNode | null>(firstCapacity).fill(null)
  let tree: boolean[] = new Array<boolean>(firstCapacity).fill(false)
  let threshold = Math.floor(firstCapacity * 0.75)
  let size = 0

  // Where compareTo cannot decide, Java compares class names (all keys here are of one class) and then identity
  // hashes: unpredictable, so any fixed choice is as good as Java's from one run to the next.
  const direction = (a: HNode, b: HNode): number => {
    if (b.hash > a.hash) return -1
    if (b.hash < a.hash) return 1
    const c = compare(entries[a.index]![0], entries[b.index]![0])
    return c === null || c === 0 ? -1 : c
  }

  const rotateLeft = (root: HNode, p: HNode): HNode => {
    const r = p.right
    if (r === null) return root
    const rl = r.left
    p.right = rl
    if (rl !== null) rl.parent = p
    const pp = p.parent
    r.parent = pp
    if (pp === null) { root = r; r.red = false } else if (pp.left === p) pp.left = r; else pp.right = r
    r.left = p
    p.parent = r
    return root
  }
  const rotateRight = (root: HNode, p: HNode): HNode => {
    const l = p.left
    if (l === null) return root
    const lr = l.right
    p.left = lr
    if (lr !== null) lr.parent = p
    const pp = p.parent
    l.parent = pp
    if (pp === null) { root = l; l.red = false } else if (pp.right === p) pp.right = l; else pp.left = l
    l.right = p
    p.parent = l
    return root
  }
  const balanceInsertion = (root: HNode, x: HNode): HNode => {
    x.red = true
    for (;;) {
      let xp = x.parent
      if (xp === null) { x.red = false; return x }
      let xpp = xp.parent
      if (!xp.red || xpp === null) return root
      const xppl = xpp.left
      if (xp === xppl) {
        const xppr = xpp.right
        if (xppr !== null && xppr.red) {
          xppr.red = false; xp.red = false; xpp.red = true; x = xpp
        } else {
          if (x === xp.right) {
            x = xp
            root = rotateLeft(root, x)
            xp = x.parent
            xpp = xp === null ? null : xp.parent
          }
          if (xp !== null) {
            xp.red = false
            if (xpp !== null) { xpp.red = true; root = rotateRight(root, xpp) }
          }
        }
      } else {
        if (xppl !== null && xppl.red) {
          xppl.red = false; xp.red = false; xpp.red = true; x = xpp
        } else {
          if (x === xp.left) {
            x = xp
            root = rotateRight(root, x)
            xp = x.parent
            xpp = xp === null ? null : xp.parent
          }
          if (xp !== null) {
            xp.red = false
            if (xpp !== null) { xpp.red = true; root = rotateLeft(root, xpp) }
          }
        }
      }
    }
  }
  const moveRootToFront = (tab: Array<HNode | null>, slot: number, root: HNode): void => {
    const first = tab[slot]!
    if (root === first) return
    const rn = root.next
    const rp = root.prev
    if (rn !== null) rn.prev = rp
    if (rp !== null) rp.next = rn
    first.prev = root
    root.next = first
    root.prev = null
    tab[slot] = root
  }
  /** Builds a tree over the bucket's list, keeping the list order apart from the root moving first. */
  const treeify = (tab: Array<HNode | null>, slot: number): void => {
    let root: HNode | null = null
    for (let x = tab[slot]!; x !== null; x = x.next!) {
      x.left = x.right = null
      if (root === null) {
        x.parent = null; x.red = false; root = x
      } else {
        let p: HNode = root
        for (;;) {
          const dir = direction(x, p)
          const xp: HNode = p
          const child = dir <= 0 ? p.left : p.right
          if (child === null) {
            x.parent = xp
            if (dir <= 0) xp.left = x; else xp.right = x
            root = balanceInsertion(root, x)
            break
          }
          p = child
        }
      }
      if (x.next === null) break
    }
    moveRootToFront(tab, slot, root!)
  }
  const putTree = (slot: number, x: HNode): void => {
    let root = table[slot]!
    while (root.parent !== null) root = root.parent
    let p = root
    for (;;) {
      const dir = direction(x, p)
      const xp = p
      const child = dir <= 0 ? p.left : p.right
      if (child === null) {
        const xpn = xp.next
        x.next = xpn
        xp.next = x
        x.prev = xp
        if (xpn !== null) xpn.prev = x
        x.parent = xp
        if (dir <= 0) xp.left = x; else xp.right = x
        moveRootToFront(table, slot, balanceInsertion(root, x))
        return
      }
      p = child
    }
  }
  const resize = (): void => {
    const oldCap = table.length
    const newCap = oldCap * 2
    const newTable = new Array<HNode | null>(newCap).fill(null)
    const newTree = new Array<boolean>(newCap).fill(false)
    for (let j = 0; j < oldCap; j++) {
      const e = table[j]
      if (e === null || e === undefined) continue
      const lo: HNode[] = []
      const hi: HNode[] = []
      for (let n: HNode | null = e; n !== null; n = n.next) ((n.hash & oldCap) === 0 ? lo : hi).push(n)
      const place = (list: HNode[], slot: number, other: HNode[]): void => {
        if (list.length === 0) return
        for (let i = 0; i < list.length; i++) {
          list[i]!.next = list[i + 1] ?? null
          list[i]!.prev = list[i - 1] ?? null
        }
        newTable[slot] = list[0]!
        if (!tree[j] || list.length <= UNTREEIFY_THRESHOLD) return
        newTree[slot] = true
        // All keys stayed together: the same tree, whose root already leads the list.
        if (other.length > 0) treeify(newTable, slot)
      }
      place(lo, j, hi)
      place(hi, j + oldCap, lo)
    }
    table = newTable
    tree = newTree
    threshold = Math.floor(newCap * 0.75)
  }

  for (let i = 0; i < entries.length; i++) {
    const x: HNode = { hash: hashes[i]!, index: i, next: null, prev: null, parent: null, left: null, right: null, red: false }
    const slot = x.hash & (table.length - 1)
    const head = table[slot]
    if (head === null || head === undefined) {
      table[slot] = x
    } else if (tree[slot]) {
      putTree(slot, x)
    } else {
      let count = 1
      let tail = head
      while (tail.next !== null) { tail = tail.next; count++ }
      tail.next = x
      x.prev = tail
      if (count >= TREEIFY_THRESHOLD) {
        if (table.length < MIN_TREEIFY_CAPACITY) {
          resize()
        } else {
          tree[slot] = true
          treeify(table, slot)
        }
      }
    }
    if (++size > threshold) resize()
  }
  const out: Array<[K, V]> = []
  for (const head of table) {
    for (let n = head; n !== null && n !== undefined; n = n.next) out.push([entries[n.index]![0], entries[n.index]![1]])
  }
  return out
}
