/**
 * In-order acknowledgement tracking per source partition (Kafka's SubmittedRecords). An offset becomes committable
 * only when its record and every earlier record of the same source partition were acknowledged by Kafka or dropped.
 */
import type { OffsetMap } from '../api/index.ts'

export interface SubmittedRecord {
  readonly partitionKey: string
  readonly offset: OffsetMap | null
  acked: boolean
}

interface PartitionQueue {
  partition: OffsetMap
  items: SubmittedRecord[]
  head: number
  /** The last record of the acknowledged prefix already dropped from `items`, not yet reported as committable. */
  ready: SubmittedRecord | undefined
  readyCount: number
}

export interface CommittableOffsets {
  offsets: Array<{ partition: OffsetMap, offset: OffsetMap | null }>
  /** Records that were acknowledged and are now covered by `offsets`. */
  committed: number
}

/**
 * Stable identity of a partition map (sorted keys), so {a,b} and {b,a} are the same partition. A bigint is written as
 * an object, which no other value of an OffsetMap can be, so 10n and the string '10n' stay two partitions.
 */
export function partitionKey (partition: OffsetMap): string {
  const keys = Object.keys(partition).sort()
  return JSON.stringify(keys.map(k => [k, typeof partition[k] === 'bigint' ? { bigint: String(partition[k]) } : partition[k]]))
}

export class SubmittedRecords {
  readonly #queues = new Map<string, PartitionQueue>()
  /**
   * Keys by partition object: a source task usually hands every record of a batch the same partition object, and
   * computing the key (sort, stringify) per record was a tenth of a file source's CPU.
   */
  #keys = new WeakMap<object, string>()
  #outstanding = 0
  #waiters: Array<() => void> = []

  /** Records without a source partition are acknowledged but carry no offset. */
  submit (partition: OffsetMap | null, offset: OffsetMap | null): SubmittedRecord {
    this.#outstanding++
    if (partition === null) return { partitionKey: '', offset: null, acked: false }
    let key = this.#keys.get(partition)
    if (key === undefined) {
      key = partitionKey(partition)
      this.#keys.set(partition, key)
    }
    let queue = this.#queues.get(key)
    if (!queue) {
      queue = { partition, items: [], head: 0, ready: undefined, readyCount: 0 }
      this.#queues.set(key, queue)
    }
    const rec: SubmittedRecord = { partitionKey: key, offset, acked: false }
    queue.items.push(rec)
    return rec
  }

  ack (rec: SubmittedRecord): void {
    if (rec.acked) return
    rec.acked = true
    this.#outstanding--
    // Acks usually arrive in order: drop the acknowledged prefix now, so memory follows the records in flight
    // rather than everything sent since the last offset flush.
    const queue = rec.partitionKey === '' ? undefined : this.#queues.get(rec.partitionKey)
    if (queue !== undefined && queue.items[queue.head] === rec) this.#advance(queue)
    if (this.#outstanding === 0) {
      const waiters = this.#waiters
      this.#waiters = []
      for (const w of waiters) w()
    }
  }

  /**
   * Forgets a record that will never be acknowledged (the producer refused it and the task fails): nothing waits for
   * it, and its offset is never committable. Kafka's removeLastOccurrence: the record is normally its partition's last.
   */
  withdraw (rec: SubmittedRecord): void {
    if (rec.acked) return
    const queue = rec.partitionKey === '' ? undefined : this.#queues.get(rec.partitionKey)
    if (queue !== undefined) {
      const at = queue.items.lastIndexOf(rec)
      if (at < queue.head) return
      queue.items.splice(at, 1)
    }
    this.#outstanding--
    if (this.#outstanding === 0) {
      const waiters = this.#waiters
      this.#waiters = []
      for (const w of waiters) w()
    }
  }

  get outstanding (): number { return this.#outstanding }

  /** Moves the acknowledged prefix of a partition into `ready`, compacting the queue as it empties. */
  #advance (queue: PartitionQueue): void {
    const items = queue.items
    while (queue.head < items.length && items[queue.head]!.acked) {
      queue.ready = items[queue.head]
      queue.readyCount++
      queue.head++
    }
    if (queue.head === items.length) {
      items.length = 0
      queue.head = 0
    } else if (queue.head > 4096 && queue.head * 2 > items.length) {
      queue.items = items.slice(queue.head)
      queue.head = 0
    }
  }

  /** Removes the acknowledged prefix of every partition and returns the latest offset of each prefix. */
  committableOffsets (): CommittableOffsets {
    const result: CommittableOffsets = { offsets: [], committed: 0 }
    for (const [key, queue] of this.#queues) {
      this.#advance(queue)
      if (queue.ready !== undefined) {
        result.offsets.push({ partition: queue.partition, offset: queue.ready.offset })
        result.committed += queue.readyCount
        queue.ready = undefined
        queue.readyCount = 0
      }
      if (queue.items.length === 0) this.#queues.delete(key)
    }
    return result
  }

  /** Resolves true when every submitted record was acknowledged, false when the timeout passed first. */
  async awaitAllAcked (timeoutMs: number): Promise<boolean> {
    if (this.#outstanding === 0) return true
    return await new Promise<boolean>(resolve => {
      const timer = setTimeout(() => { this.#waiters = this.#waiters.filter(w => w !== done); resolve(false) }, timeoutMs)
      const done = (): void => { clearTimeout(timer); resolve(true) }
      this.#waiters.push(done)
    })
  }
}
