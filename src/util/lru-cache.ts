/**
 * A map bounded to `capacity` entries that drops the least recently used one when full: what the registry
 * converters keep schemas and ids in, so a stream of ever-new schemas cannot grow the process without bound.
 * A Map keeps insertion order, so moving a hit to the end makes the first key the least recently used.
 */
export class LruCache<K, V> {
  readonly #map = new Map<K, V>()
  readonly capacity: number

  constructor (capacity: number) {
    this.capacity = Math.max(0, Math.floor(capacity))
  }

  get size (): number { return this.#map.size }

  get (key: K): V | undefined {
    const value = this.#map.get(key)
    if (value === undefined) return undefined
    // Only when it is not already the newest: the common case (one schema, many records) costs one lookup.
    if (this.#map.size > 1) {
      this.#map.delete(key)
      this.#map.set(key, value)
    }
    return value
  }

  set (key: K, value: V): void {
    if (this.capacity === 0) return
    this.#map.delete(key)
    this.#map.set(key, value)
    if (this.#map.size > this.capacity) this.#map.delete(this.#map.keys().next().value as K)
  }

  delete (key: K): void { this.#map.delete(key) }

  clear (): void { this.#map.clear() }
}
