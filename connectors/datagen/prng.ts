/**
 * The seeded pseudo-random source of the generator: xoshiro128** (32-bit arithmetic, fast in JavaScript) whose
 * 128-bit state is derived from a 64-bit seed. Like java.util.Random in kafka-connect-datagen, it can be re-seeded
 * with a 64-bit value it drew itself, which is what a task stores in its source offset to resume the same sequence.
 * Not Java's generator: the same seed gives other data than kafka-connect-datagen, but always the same data here.
 */
import { randomBytes } from 'node:crypto'

const TWO_POW_32 = 2 ** 32
const TWO_POW_53 = 2 ** 53

/** A 32-bit finalizer (xorshift-multiply), to spread a seed's bits over the whole state. */
function mix32 (x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d)
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b)
  return (x ^ (x >>> 16)) >>> 0
}

export class Prng {
  #s0 = 0
  #s1 = 0
  #s2 = 0
  #s3 = 0

  constructor (seed: bigint = Prng.randomSeed()) {
    this.setSeed(seed)
  }

  /** A seed from the operating system, for tasks configured without random.seed. */
  static randomSeed (): bigint {
    return randomBytes(8).readBigInt64BE()
  }

  setSeed (seed: bigint): void {
    const s = BigInt.asUintN(64, seed)
    const lo = Number(s & 0xffffffffn)
    const hi = Number(s >> 32n)
    this.#s0 = mix32(lo ^ 0x9e3779b9)
    this.#s1 = mix32(hi ^ mix32(this.#s0 + 0x3c6ef372))
    this.#s2 = mix32(lo ^ mix32(this.#s1 + 0xdaa66d2b))
    this.#s3 = mix32(hi ^ mix32(this.#s2 + 0x78dde6e4))
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0) this.#s0 = 1
  }

  /** The next 32 random bits, as an unsigned number. */
  next32 (): number {
    const s1 = this.#s1
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0
    const t = s1 << 9
    this.#s2 ^= this.#s0
    this.#s3 ^= s1
    this.#s1 ^= this.#s2
    this.#s0 ^= this.#s3
    this.#s2 ^= t
    this.#s3 = rotl(this.#s3, 11)
    return result
  }

  /** A signed 32-bit integer (Java's Random.nextInt()). */
  nextInt32 (): number { return this.next32() | 0 }

  /** An integer in [0, bound), bound ≤ 2^32. */
  nextInt (bound: number): number {
    return Math.floor(this.nextDouble() * bound)
  }

  /** A signed 64-bit integer (Java's Random.nextLong()). */
  nextLong (): bigint {
    const hi = this.next32()
    const lo = this.next32()
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo))
  }

  /** A double in [0, 1) with 53 random bits. */
  nextDouble (): number {
    const a = this.next32() >>> 5
    const b = this.next32() >>> 6
    return (a * 67108864 + b) / TWO_POW_53
  }

  /** A float in [0, 1) with 24 random bits. */
  nextFloat (): number { return (this.next32() >>> 8) / 16777216 }

  nextBoolean (): boolean { return this.next32() >= TWO_POW_32 / 2 }

  nextBytes (length: number): Buffer {
    const out = Buffer.allocUnsafe(length)
    for (let i = 0; i < length; i += 4) {
      let r = this.next32()
      for (let j = i; j < Math.min(length, i + 4); j++) { out[j] = r & 0xff; r >>>= 8 }
    }
    return out
  }
}

function rotl (x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
