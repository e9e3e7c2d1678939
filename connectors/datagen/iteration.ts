/**
 * The `iteration` annotation: a value that starts at `initial` (default `start`) and moves by `step` each time it is
 * generated, wrapping back to `start` at `restart` (exclusive). When only one of step and restart is given, the other
 * follows from it (step ±1 toward restart; restart at the type's bound in step's direction). A boolean alternates.
 * `generation` is the number of records generated before (the task's current.iteration), so a restarted task carries
 * on where it stopped. Integers are computed exactly; floats and doubles in decimal arithmetic on the values' shortest
 * decimal forms, so steps such as 0.1 do not drift.
 */
import { BigDecimal } from '../../src/api/index.ts'

export class IterationError extends Error {}

type Props = Readonly<Record<string, unknown>>
export type IterationType = 'boolean' | 'int' | 'long' | 'float' | 'double' | 'string'

const INT_MIN = -(2n ** 31n)
const INT_MAX = 2n ** 31n - 1n
const LONG_MIN = -(2n ** 63n)
const LONG_MAX = 2n ** 63n - 1n
const FLOAT_MAX = 3.4028234663852886e38

/** A generator of successive values for a schema of `type` with these iteration properties. */
export function iterationOf (type: IterationType, props: Props, generation: bigint): () => boolean | bigint | number {
  switch (type) {
    case 'boolean': {
      const start = props.start
      if (start === undefined) throw new IterationError('iteration property must contain start field')
      if (typeof start !== 'boolean') throw new IterationError('start field of iteration property for a boolean schema must be a boolean')
      for (const key of ['restart', 'step']) {
        if (props[key] !== undefined) throw new IterationError(`iteration property cannot contain ${key} field for a boolean schema`)
      }
      // Each record generated before flipped the value once.
      let current = (generation % 2n === 1n) !== start
      return () => { const v = current; current = !current; return v }
    }
    case 'int': case 'string': case 'long': {
      const [low, high] = type === 'long' ? [LONG_MIN, LONG_MAX] : [INT_MIN, INT_MAX]
      const field = (name: string): bigint | undefined => integralField(name, props, low, high, type === 'long' ? 'long' : 'int')
      const it = integral(field('start'), field('restart'), field('step'), field('initial'), generation, low, high)
      return type === 'long' ? it : () => Number(BigInt.asIntN(32, it()))
    }
    case 'float': case 'double': {
      const bound = type === 'float' ? FLOAT_MAX : Number.MAX_VALUE
      const field = (name: string): number | undefined => decimalField(name, props, bound, type)
      const it = decimal(field('start'), field('restart'), field('step'), field('initial'), generation, bound)
      return type === 'float' ? () => Math.fround(it()) : it
    }
  }
}

function integralField (name: string, props: Props, low: bigint, high: bigint, type: string): bigint | undefined {
  const v = props[name]
  if (v === undefined || v === null) return undefined
  const n = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : null
  if (n === null) throw new IterationError(`'${name}' field of iteration property must be an integral number, was ${JSON.stringify(v)} instead`)
  if (n < low || n > high) throw new IterationError(`'${name}' field of iteration property must be a valid ${type} for ${type} schemas`)
  return n
}

function decimalField (name: string, props: Props, bound: number, type: string): number | undefined {
  const v = props[name]
  if (v === undefined || v === null) return undefined
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null
  if (n === null) throw new IterationError(`'${name}' field of iteration property must be a number, was ${JSON.stringify(v)} instead`)
  if (Math.abs(n) > bound) throw new IterationError(`'${name}' field of iteration property must be a valid ${type} for ${type} schemas`)
  return n
}

/** Fills in restart or step from the other, and checks they agree (the library's rules). */
function resolve<T extends bigint | number> (start: T, restart: T | undefined, step: T | undefined, zero: T, one: T, low: T, high: T): [T, T] {
  if (restart === undefined && step === undefined) return [high, one]
  if (restart === undefined) {
    if (step === zero) throw new IterationError('step field of iteration property cannot be zero')
    return [step! > zero ? high : low, step!]
  }
  if (restart === start) throw new IterationError('start and restart fields of iteration property cannot be equal')
  if (step === undefined) return [restart, (restart > start ? one : -one) as T]
  if (step === zero) throw new IterationError('step field of iteration property cannot be zero')
  if (restart > start && step < zero) throw new IterationError('step field of iteration property must be positive when restart field is greater than start field')
  if (restart < start && step > zero) throw new IterationError('step field of iteration property must be negative when restart field is less than start field')
  return [restart, step]
}

function integral (start: bigint | undefined, restartField: bigint | undefined, stepField: bigint | undefined, initial: bigint | undefined,
  generation: bigint, low: bigint, high: bigint): () => bigint {
  if (start === undefined) throw new IterationError('iteration property must contain start field')
  const [restart, step] = resolve(start, restartField, stepField, 0n, 1n, low, high)
  const modulus = restart > start ? restart - start : start - restart
  const sign = step > 0n ? 1n : -1n
  const wrap = (x: bigint): bigint => ((x < 0n ? -x : x) % modulus) * sign
  let current = (initial ?? start) - start
  if (generation > 0n) current = wrap(generation * step + current)
  return () => {
    const result = current + start
    current = wrap(current + step)
    return result
  }
}

/** An exact decimal as an unscaled bigint at a shared scale. */
function unscaled (n: number, scale: number): bigint {
  const d = BigDecimal.parse(String(n))
  return d.unscaled * 10n ** BigInt(scale - d.scale)
}

function decimal (start: number | undefined, restartField: number | undefined, stepField: number | undefined, initial: number | undefined,
  generation: bigint, bound: number): () => number {
  if (start === undefined) throw new IterationError('iteration property must contain start field')
  const [restart, step] = resolve(start, restartField, stepField, 0, 1, -bound, bound)
  const values = [start, restart, step, initial ?? start]
  const scale = Math.max(0, ...values.map(v => BigDecimal.parse(String(v)).scale))
  const [s, r, st, init] = values.map(v => unscaled(v, scale)) as [bigint, bigint, bigint, bigint]
  const modulus = r - s
  // BigInt's % keeps the dividend's sign, as BigDecimal.remainder does.
  let current = init - s
  if (generation > 0n) current = (generation * st + current) % modulus
  return () => {
    const result = current + s
    current = (current + st) % modulus
    return Number(`${result}e-${scale}`)
  }
}
