import { chars, emitSet, LETTER_OR_DIGIT, or, U_WORD, type CSet } from './char-set.ts'

// Syntax tree

export type Node =
  | { k: 'seq', items: Node[] }
  | { k: 'alt', alts: Node[] }
  | { k: 'set', set: CSet }
  | { k: 'group', cap: number | null, body: Node }
  | { k: 'look', behind: boolean, neg: boolean, body: Node }
  | { k: 'atomic', body: Node }
  | { k: 'quant', body: Node, min: number, max: number, type: 'greedy' | 'lazy' | 'possessive' }
  | { k: 'assert', js: string }
  | { k: 'raw', js: string, min: number, max: number }
  | { k: 'backref', group: number }

export const EMPTY: Node = { k: 'seq', items: [] }
export const BEGIN = '^'
export const END = '$'

// \b as JDK 17 defines it: word characters are letters, digits and '_' (Character.isLetterOrDigit), and a
// non-spacing mark counts as a word character when it follows a letter or digit.
export function boundaryParts (ucc: boolean): { left: string, right: string } {
  const word = emitSet(ucc ? U_WORD : or(LETTER_OR_DIGIT, chars(0x5f)))
  const base = emitSet(LETTER_OR_DIGIT)
  return { left: `(?<=${word}|${base}\\p{gc=Mn}+)`, right: `(?:(?=${word})|(?<=${base}\\p{gc=Mn}*)(?=\\p{gc=Mn}))` }
}

/** Pattern.MAX_REPS: the largest repetition count Java accepts. */
export const MAX_REPS = 0x7fffffff
