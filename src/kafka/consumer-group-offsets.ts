/**
 * Sink connector offsets (the consumer group `connect-<name>`) for the REST offsets endpoints.
 *
 * Apache uses Admin.listConsumerGroupOffsets / alterConsumerGroupOffsets / deleteConsumerGroupOffsets. node-rdkafka
 * 3.6.1's AdminClient has none of these (only createTopic, deleteTopic, createPartitions), so this adapter uses a
 * short-lived KafkaConsumer of the group that never subscribes (so it never joins the group):
 * - list: `committed()` for every partition of the connector's topics (topics, or topics.regex matched against the
 *   cluster's topics). Unlike Apache, committed offsets of topics the connector no longer consumes are not listed.
 * - alter: a commit of the given offsets (a "simple" commit outside any generation, which the broker
 *   accepts only while the group has no members, the same precondition Apache's admin call has).
 * - delete (reset): no API can remove a group's offsets here, so each partition's committed offset is moved to the
 *   partition's earliest offset: the consumer then starts from the beginning, which is what deleting the offsets
 *   means for a sink (Connect consumers use auto.offset.reset=earliest). GET then lists those earliest offsets
 *   instead of nothing.
 */
import { KafkaError } from '../api/index.ts'
import type { ClientProps } from './client-config.ts'
import { loadRdKafka } from './rdkafka-client.ts'

import type * as RdKafkaModule from 'node-rdkafka'

export interface GroupOffset { topic: string, partition: number, offset: number }
export interface GroupOffsetChange { topic: string, partition: number, offset: number | null }

/** The port the herder uses; tests may pass another implementation. */
export interface SinkGroupOffsets {
  list (groupId: string, subscription: readonly string[] | RegExp): Promise<GroupOffset[]>
  alter (groupId: string, changes: readonly GroupOffsetChange[]): Promise<void>
  /** Resets every committed offset of the group's partitions among `subscription`. */
  reset (groupId: string, subscription: readonly string[] | RegExp): Promise<void>
}

const TIMEOUT_MS = 30_000

function wrap (err: unknown, what: string): KafkaError {
  const e = err as { message?: string, code?: number } | undefined
  return new KafkaError(`${what}: ${e?.message ?? String(err)}`, { cause: err })
}

export class RdKafkaGroupOffsets implements SinkGroupOffsets {
  readonly #global: ClientProps

  /** `global`: the worker's consumer settings (bootstrap.servers, security, …). */
  constructor (global: ClientProps) {
    this.#global = global
  }

  async #withConsumer<T> (groupId: string, fn: (c: RdKafkaModule.KafkaConsumer) => Promise<T>): Promise<T> {
    const Kafka = loadRdKafka()
    const global: ClientProps = { ...this.#global }
    delete global['group.protocol']
    delete global['group.instance.id']
    const consumer = new Kafka.KafkaConsumer({
      ...global,
      'group.id': groupId,
      'client.id': `connect-offsets-${groupId}`,
      'enable.auto.commit': false,
      offset_commit_cb: true
    } as never, {})
    await new Promise<void>((resolve, reject) => {
      consumer.connect({ timeout: TIMEOUT_MS }, err => { if (err) reject(wrap(err, 'Cannot connect to Kafka')); else resolve() })
    })
    try {
      return await fn(consumer)
    } finally {
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, 5000)
        consumer.disconnect(() => { clearTimeout(timer); resolve() })
      })
    }
  }

  async list (groupId: string, subscription: readonly string[] | RegExp): Promise<GroupOffset[]> {
    return await this.#withConsumer(groupId, async consumer => {
      const parts = await partitionsOf(consumer, subscription)
      if (parts.length === 0) return []
      const committed = await new Promise<RdKafkaModule.TopicPartitionOffset[]>((resolve, reject) => {
        consumer.committed(parts, TIMEOUT_MS, (err, tps) => { if (err) reject(wrap(err, `Cannot read the offsets of consumer group ${groupId}`)); else resolve(tps) })
      })
      return committed.filter(tp => typeof tp.offset === 'number' && tp.offset >= 0)
        .map(tp => ({ topic: tp.topic, partition: tp.partition, offset: tp.offset }))
    })
  }

  async alter (groupId: string, changes: readonly GroupOffsetChange[]): Promise<void> {
    if (changes.length === 0) return
    await this.#withConsumer(groupId, async consumer => {
      const offsets: GroupOffset[] = []
      for (const c of changes) {
        offsets.push({ topic: c.topic, partition: c.partition, offset: c.offset ?? await lowWatermark(consumer, c.topic, c.partition) })
      }
      await commit(consumer, offsets, groupId)
    })
  }

  async reset (groupId: string, subscription: readonly string[] | RegExp): Promise<void> {
    await this.#withConsumer(groupId, async consumer => {
      const parts = await partitionsOf(consumer, subscription)
      if (parts.length === 0) return
      const committed = await new Promise<RdKafkaModule.TopicPartitionOffset[]>((resolve, reject) => {
        consumer.committed(parts, TIMEOUT_MS, (err, tps) => { if (err) reject(wrap(err, `Cannot read the offsets of consumer group ${groupId}`)); else resolve(tps) })
      })
      const offsets: GroupOffset[] = []
      for (const tp of committed) {
        if (typeof tp.offset === 'number' && tp.offset >= 0) offsets.push({ topic: tp.topic, partition: tp.partition, offset: await lowWatermark(consumer, tp.topic, tp.partition) })
      }
      if (offsets.length > 0) await commit(consumer, offsets, groupId)
    })
  }
}

/**
 * An asynchronous commit, confirmed: its result comes through the offset-commit callback, which librdkafka serves only
 * inside consume() calls (this consumer has no assignment, so they return nothing). A synchronous commit would wait
 * for the coordinator on the only JavaScript thread, freezing REST and every connector if the broker went away.
 */
async function commit (consumer: RdKafkaModule.KafkaConsumer, offsets: readonly GroupOffset[], groupId: string): Promise<void> {
  const answer: { result?: { err: RdKafkaModule.LibrdKafkaError | null, tps: RdKafkaModule.TopicPartitionOffset[] } } = {}
  consumer.once('offset.commit', (err, tps) => { answer.result = { err, tps } })
  try {
    consumer.commit(offsets.map(o => ({ topic: o.topic, partition: o.partition, offset: o.offset })))
  } catch (err) {
    throw wrap(err, `Cannot commit offsets of consumer group ${groupId}`)
  }
  consumer.setDefaultConsumeTimeout(100)
  const deadline = Date.now() + TIMEOUT_MS
  while (answer.result === undefined && Date.now() < deadline) {
    await new Promise<void>(resolve => consumer.consume(1, () => resolve()))
  }
  const done = answer.result
  if (done === undefined) throw new KafkaError(`Cannot commit offsets of consumer group ${groupId}: no answer from the group coordinator within ${TIMEOUT_MS} ms`)
  if (done.err) throw wrap(done.err, `Cannot commit offsets of consumer group ${groupId}`)
  const failed = done.tps.find(tp => (tp as { error?: unknown }).error)
  if (failed) throw wrap((failed as { error?: unknown }).error, `Cannot commit offsets of consumer group ${groupId} for ${failed.topic}-${failed.partition}`)
}

async function partitionsOf (consumer: RdKafkaModule.KafkaConsumer, subscription: readonly string[] | RegExp): Promise<Array<{ topic: string, partition: number }>> {
  const md = await new Promise<RdKafkaModule.Metadata>((resolve, reject) => {
    consumer.getMetadata({ allTopics: true, timeout: TIMEOUT_MS }, (err, m) => { if (err) reject(wrap(err, 'Cannot read cluster metadata')); else resolve(m) })
  })
  const wanted = Array.isArray(subscription) ? new Set(subscription) : null
  const out: Array<{ topic: string, partition: number }> = []
  for (const t of md.topics) {
    if (wanted ? !wanted.has(t.name) : !(subscription as RegExp).test(t.name) || t.name.startsWith('__')) continue
    for (const p of t.partitions) out.push({ topic: t.name, partition: p.id })
  }
  return out.sort((a, b) => a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition)
}

async function lowWatermark (consumer: RdKafkaModule.KafkaConsumer, topic: string, partition: number): Promise<number> {
  return await new Promise((resolve, reject) => {
    consumer.queryWatermarkOffsets(topic, partition, TIMEOUT_MS, (err, w) => {
      if (err) reject(wrap(err, `Cannot read the earliest offset of ${topic}-${partition}`))
      else resolve(w.lowOffset)
    })
  })
}
