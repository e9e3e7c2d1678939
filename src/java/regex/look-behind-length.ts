import { MAX_REPS, type Node } from './node.ts'

export function containsLineEnding (n: Node): boolean {
  switch (n.k) {
    case 'raw': return true
    case 'seq': return n.items.some(containsLineEnding)
    case 'alt': return n.alts.some(containsLineEnding)
    case 'group': case 'atomic': case 'quant': return containsLineEnding(n.body)
    default: return false
  }
}

/** Pattern's TreeInfo.deterministic: no alternatives and no repetition of variable count. */
export function javaDeterministic (n: Node): boolean {
  switch (n.k) {
    case 'seq': return n.items.every(javaDeterministic)
    case 'alt': return n.alts.length < 2 && n.alts.every(javaDeterministic)
    case 'group': return javaDeterministic(n.body)
    case 'quant': return n.min === n.max && javaDeterministic(n.body)
    default: return true
  }
}

export function containsAtomic (n: Node): boolean {
  switch (n.k) {
    case 'atomic': return true
    case 'quant': return n.type === 'possessive' || containsAtomic(n.body)
    case 'seq': return n.items.some(containsAtomic)
    case 'alt': return n.alts.some(containsAtomic)
    case 'group': case 'look': return containsAtomic(n.body)
    default: return false
  }
}

interface LengthInfo { max: number, valid: boolean, deterministic: boolean }

/** A node that Pattern turns into a single character matcher (a class, or a non-capturing group around one). */
function isCharNode (n: Node): boolean {
  return n.k === 'set' || (n.k === 'group' && n.cap === null && isCharNode(n.body))
}

/**
 * The maximum length JDK 17 computes for a look-behind body (Pattern's TreeInfo): `*`, `+` and `{n,}` on a single
 * character add Integer.MAX_VALUE unchecked; repeated groups and other repeated nodes are checked for int overflow,
 * and are invalid when their content has alternatives or variable repetitions; backreferences are invalid.
 */
export function lookBehindLength (n: Node, before = 0): LengthInfo {
  switch (n.k) {
    case 'seq': {
      let max = before
      let valid = true
      let deterministic = true
      for (const x of n.items) {
        const r = lookBehindLength(x, max)
        max = r.max
        valid &&= r.valid
        deterministic &&= r.deterministic
      }
      return { max, valid, deterministic }
    }
    case 'alt': {
      const rs = n.alts.map(a => lookBehindLength(a, 0))
      return { max: before + Math.max(...rs.map(r => r.max)), valid: rs.every(r => r.valid), deterministic: n.alts.length < 2 && rs.every(r => r.deterministic) }
    }
    case 'set': return { max: before + 1, valid: true, deterministic: true }
    case 'group': return lookBehindLength(n.body, before)
    case 'atomic': return { ...lookBehindLength(n.body, before), deterministic: true }
    case 'look': case 'assert': return { max: before, valid: true, deterministic: true }
    case 'raw': return { max: before + n.max, valid: true, deterministic: true }
    case 'backref': return { max: before, valid: false, deterministic: false }
    case 'quant': {
      const body = lookBehindLength(n.body, 0)
      const deterministic = n.min === n.max && body.deterministic
      if (n.min === 0 && n.max === 1) return { max: before + body.max, valid: body.valid, deterministic: false }
      const cmax = n.max === Infinity ? MAX_REPS : n.max
      if (isCharNode(n.body)) return { max: before + cmax, valid: body.valid, deterministic }
      if (n.body.k === 'group' && !body.deterministic) return { max: before, valid: false, deterministic: false }
      const max = before + body.max * cmax
      return { max, valid: body.valid && max <= MAX_REPS, deterministic }
    }
  }
}
