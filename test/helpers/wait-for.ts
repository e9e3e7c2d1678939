/** Polls `check` until it returns a truthy value or the timeout passes (tests never sleep to synchronise). */
export async function waitFor<T> (check: () => T | Promise<T>, options: { timeoutMs?: number, intervalMs?: number, what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 30000)
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value) return value as NonNullable<T>
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${options.timeoutMs ?? 30000} ms waiting for ${options.what ?? 'condition'}${last ? `: ${String(last)}` : ''}`)
    }
    await new Promise(resolve => setTimeout(resolve, options.intervalMs ?? 50))
  }
}
