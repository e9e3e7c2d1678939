/**
 * Native work that a stop gave up waiting for: a librdkafka close that did not finish within its timeout keeps running
 * on a libuv threadpool thread. Node's process.exit() joins every threadpool thread before the process ends, so with
 * such work left it would wait as long as the close does (forever while the broker is away). The CLI reads this list
 * to say what it abandoned and to end the process in a way that does not wait for those threads.
 */
const pending = new Map<number, string>()
let next = 0

/** Records `what` as running; the returned function marks it finished. */
export function trackNativeWork (what: string): () => void {
  const id = next++
  pending.set(id, what)
  return () => { pending.delete(id) }
}

/** What is still running, oldest first, each named once (a stop may try the same close twice). */
export function pendingNativeWork (): string[] {
  return [...new Set(pending.values())]
}
