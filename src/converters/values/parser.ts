// Tokenizer (Values.Parser).

import { javaTrim } from '../../java/chars.ts'

/** Kafka's Utils.isBlank. */
export const isBlank = (s: string): boolean => javaTrim(s) === ''

const DELIMITER_CODES = new Set([...':,{}[]"'].map(c => c.charCodeAt(0)))

export class Parser {
  readonly original: string
  #index = 0
  #nextToken: string | null = null
  #previousToken: string | null = null

  constructor (original: string) { this.original = original }

  position (): number { return this.#index }
  mark (): number { return this.#index - (this.#nextToken?.length ?? 0) }
  rewindTo (position: number): void {
    this.#index = position
    this.#nextToken = null
    this.#previousToken = null
  }

  hasNext (): boolean { return this.#nextToken !== null || this.#index < this.original.length }
  previous (): string | null { return this.#previousToken }

  next (): string {
    if (this.#nextToken !== null) {
      this.#previousToken = this.#nextToken
      this.#nextToken = null
    } else {
      this.#previousToken = this.#consumeNextToken()
    }
    return this.#previousToken
  }

  /** The raw text of the next n tokens, or null (and nothing consumed) if there are fewer. */
  nextN (n: number): string | null {
    const start = this.mark()
    for (let i = 0; i < n; i++) {
      if (!this.hasNext()) {
        this.rewindTo(start)
        return null
      }
      this.next()
    }
    return this.original.substring(start, this.position())
  }

  /** A delimiter alone, or the text up to the next delimiter; a backslash escapes the character after it. */
  #consumeNextToken (): string {
    const s = this.original
    const start = this.#index
    let escaped = false
    for (; this.#index < s.length; this.#index++) {
      const c = s.charCodeAt(this.#index)
      if (c === 0x5c) {
        escaped = !escaped
      } else if (DELIMITER_CODES.has(c) && !escaped) {
        if (start < this.#index) return s.substring(start, this.#index)
        this.#index++
        return s.substring(start, start + 1)
      } else {
        escaped = false
      }
    }
    return s.substring(start, this.#index)
  }

  /** Consumes the next token if, trimmed, it is `expected`; blank tokens before it are skipped either way. */
  canConsume (expected: string): boolean {
    if (this.#nextToken === null) {
      if (!this.hasNext()) return false
      this.#nextToken = this.#consumeNextToken()
    }
    while (isBlank(this.#nextToken) && this.#index < this.original.length) this.#nextToken = this.#consumeNextToken()
    if (javaTrim(this.#nextToken) === expected) {
      this.#nextToken = null
      return true
    }
    return false
  }
}
