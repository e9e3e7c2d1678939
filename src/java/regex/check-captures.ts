import { UnsupportedJavaRegexError } from './java-pattern-syntax-error.ts'
import { javaDeterministic } from './look-behind-length.ts'
import type { Node } from './node.ts'

// Checks for what JavaScript would match differently

interface Frame { id: number, conditional: boolean }

/**
 * JavaScript clears the captures inside a quantified group at each repetition and lets a backreference to a group
 * that has not matched match the empty string; Java keeps the previous repetition's capture and fails such a
 * backreference. Patterns where this can make a difference are refused.
 */
export function checkCaptures (root: Node, capturesVisible: boolean): void {
  // Without visible captures (matches() only), only the groups a backreference reads matter.
  const referenced = new Set<number>()
  const collect = (n: Node): void => {
    if (n.k === 'backref') referenced.add(n.group)
    else if (n.k === 'seq') n.items.forEach(collect)
    else if (n.k === 'alt') n.alts.forEach(collect)
    else if (n.k === 'group' || n.k === 'atomic' || n.k === 'look' || n.k === 'quant') collect(n.body)
  }
  collect(root)
  const relevant = (g: number): boolean => capturesVisible || referenced.has(g)
  let nextId = 0
  const groupPath = new Map<number, Frame[]>()
  const closed = new Set<number>()
  const walk = (n: Node, path: Frame[]): void => {
    const frame = (conditional: boolean): Frame[] => [...path, { id: nextId++, conditional }]
    switch (n.k) {
      case 'seq': for (const x of n.items) walk(x, path); break
      case 'alt': for (const a of n.alts) walk(a, frame(n.alts.length > 1)); break
      case 'group':
        if (n.cap !== null) groupPath.set(n.cap, path)
        walk(n.body, path)
        if (n.cap !== null) closed.add(n.cap)
        break
      case 'atomic': walk(n.body, path); break
      case 'look':
        // Java tries the shortest look-behind first and matches forwards; JavaScript matches backwards, greedily:
        // when the body can match in several ways its captures can differ.
        if (n.behind && !javaDeterministic(n.body) && hasOptionalCapture(n.body, true, relevant)) {
          throw new UnsupportedJavaRegexError('A capturing group inside a look-behind with alternatives or variable repetitions')
        }
        walk(n.body, frame(n.neg))
        break
      case 'quant':
        if (n.max > 1 && hasOptionalCapture(n.body, false, relevant)) {
          throw new UnsupportedJavaRegexError('A capturing group that a later repetition of its quantifier may skip (Java keeps the earlier capture)')
        }
        // Java lets a last repetition match the empty string (and keeps its captures); JavaScript rejects it.
        if (n.max > 1 && minLength(n.body) === 0 && hasOptionalCapture(n.body, true, relevant)) {
          throw new UnsupportedJavaRegexError('A capturing group in a repetition that can match the empty string')
        }
        walk(n.body, frame(n.min === 0))
        break
      case 'backref': {
        const gp = groupPath.get(n.group)
        if (gp === undefined && n.group >= 1 && !closed.has(n.group) && n.group < 0x7fffffff) {
          // A group defined later (or never): Java fails the reference unless a previous repetition set it.
          if (isDefinedAnywhere(root, n.group)) throw new UnsupportedJavaRegexError('A backreference to a group that comes after it')
          break
        }
        if (!closed.has(n.group)) throw new UnsupportedJavaRegexError('A backreference inside the group it refers to')
        let common = 0
        while (common < gp!.length && common < path.length && gp![common]!.id === path[common]!.id) common++
        if (gp!.slice(common).some(f => f.conditional)) {
          throw new UnsupportedJavaRegexError('A backreference to a group that may not have matched')
        }
        break
      }
      default: break
    }
  }
  walk(root, [])
}

function isDefinedAnywhere (n: Node, group: number): boolean {
  switch (n.k) {
    case 'seq': return n.items.some(x => isDefinedAnywhere(x, group))
    case 'alt': return n.alts.some(x => isDefinedAnywhere(x, group))
    case 'group': return n.cap === group || isDefinedAnywhere(n.body, group)
    case 'atomic': case 'look': case 'quant': return isDefinedAnywhere(n.body, group)
    default: return false
  }
}

function hasOptionalCapture (n: Node, optional: boolean, relevant: (g: number) => boolean): boolean {
  switch (n.k) {
    case 'seq': return n.items.some(x => hasOptionalCapture(x, optional, relevant))
    case 'alt': return n.alts.some(x => hasOptionalCapture(x, optional || n.alts.length > 1, relevant))
    case 'group': return (n.cap !== null && optional && relevant(n.cap)) || hasOptionalCapture(n.body, optional, relevant)
    case 'atomic': return hasOptionalCapture(n.body, optional, relevant)
    case 'look': return hasOptionalCapture(n.body, optional || n.neg, relevant)
    case 'quant': return hasOptionalCapture(n.body, optional || n.min === 0, relevant)
    default: return false
  }
}

function minLength (n: Node): number {
  switch (n.k) {
    case 'seq': return n.items.reduce((t, x) => t + minLength(x), 0)
    case 'alt': return Math.min(...n.alts.map(minLength))
    case 'set': return 1
    case 'group': case 'atomic': return minLength(n.body)
    case 'quant': return n.min * minLength(n.body)
    case 'raw': return n.min
    default: return 0
  }
}
