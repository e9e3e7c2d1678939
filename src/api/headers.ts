/**
 * Record headers. The collection is immutable: `with`/`without` return new instances, so a transformation can never
 * change a record another stage still holds.
 */
import type { Schema } from './schema.ts'

export interface Header {
  readonly key: string
  readonly schema: Schema | null
  readonly value: unknown
}

export class Headers implements Iterable<Header> {
  readonly #items: readonly Header[]

  constructor (items: readonly Header[] = []) {
    this.#items = Object.freeze([...items])
  }

  static readonly EMPTY = new Headers()

  get size (): number { return this.#items.length }
  [Symbol.iterator] (): Iterator<Header> { return this.#items[Symbol.iterator]() }
  toArray (): readonly Header[] { return this.#items }

  /** Last header with this key, as Kafka's lastWithName. */
  lastWithName (key: string): Header | undefined {
    for (let i = this.#items.length - 1; i >= 0; i--) if (this.#items[i]!.key === key) return this.#items[i]
    return undefined
  }

  allWithName (key: string): Header[] { return this.#items.filter(h => h.key === key) }

  with (key: string, value: unknown, schema: Schema | null = null): Headers {
    return new Headers([...this.#items, Object.freeze({ key, value, schema })])
  }

  without (key: string): Headers {
    return new Headers(this.#items.filter(h => h.key !== key))
  }
}
