import { emitSet, escCp } from './char-set.ts'
import type { Node } from './node.ts'

// Emitter

export class Emitter {
  jsGroups = 0
  readonly groupIndex: number[] = [0]

  emit (n: Node): string {
    switch (n.k) {
      case 'seq': return n.items.map(x => this.emit(x)).join('')
      case 'alt': return n.alts.map(x => this.emit(x)).join('|')
      case 'set': {
        if (n.set.k === 'ranges' && n.set.r.length === 1 && n.set.r[0]![0] === n.set.r[0]![1]) return escCp(n.set.r[0]![0])
        return emitSet(n.set)
      }
      case 'group': {
        if (n.cap === null) return `(?:${this.emit(n.body)})`
        this.groupIndex[n.cap] = ++this.jsGroups
        return `(${this.emit(n.body)})`
      }
      case 'look': return `(?${n.behind ? '<' : ''}${n.neg ? '!' : '='}${this.emit(n.body)})`
      case 'atomic': {
        // A lookahead is atomic in JavaScript; the backreference then consumes what it matched.
        const g = ++this.jsGroups
        return `(?=(${this.emit(n.body)}))\\${g}`
      }
      case 'quant': {
        const q = n.min === 0 && n.max === Infinity
          ? '*'
          : n.min === 1 && n.max === Infinity
            ? '+'
            : n.min === 0 && n.max === 1 ? '?' : n.max === Infinity ? `{${n.min},}` : n.min === n.max ? `{${n.min}}` : `{${n.min},${n.max}}`
        if (n.type === 'possessive') {
          const g = ++this.jsGroups
          return `(?=(${this.atom(n.body)}${q}))\\${g}`
        }
        return this.atom(n.body) + q + (n.type === 'lazy' ? '?' : '')
      }
      case 'assert': return n.js
      case 'raw': return n.js
      case 'backref': {
        const g = this.groupIndex[n.group]
        // A group that does not exist never matches in Java.
        return g === undefined ? '[]' : `(?:\\${g})`
      }
    }
  }

  atom (n: Node): string {
    const s = this.emit(n)
    if (n.k === 'set' || (n.k === 'group' && n.cap !== null)) return s
    return `(?:${s})`
  }
}
