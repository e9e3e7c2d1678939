/**
 * A connector's offsets for the REST offsets endpoints (Apache's Worker.connectorOffsets / modifyConnectorOffsets):
 * a source connector's in the offsets store (file or topic), a sink connector's in its consumer group.
 */
import { ConnectError, DataError, type PluginDescriptor } from '../api/index.ts'
import { BadRequestError } from '../rest/errors.ts'
import type { SinkGroupOffsets } from '../kafka/consumer-group-offsets.ts'
import type { OffsetEntry } from '../rest/entities.ts'
import { sinkGroupId, sinkTopicsConfig } from '../config/connector-config.ts'
import { sinkSubscription } from './sink-subscription.ts'
import type { WorkerOffsetStore } from './worker.ts'

/** A store shared with other writers (the offsets topic) catches up with them before the REST endpoints read it. */
interface SharedOffsetStore extends WorkerOffsetStore {
  readToEnd? (): Promise<void>
}

export class ConnectorOffsets {
  readonly #offsetStore: SharedOffsetStore
  readonly #sinkOffsets: SinkGroupOffsets | undefined

  constructor (offsetStore: WorkerOffsetStore, sinkOffsets?: SinkGroupOffsets) {
    this.#offsetStore = offsetStore
    this.#sinkOffsets = sinkOffsets
  }

  async list (name: string, kind: 'source' | 'sink', config: Readonly<Record<string, string>>): Promise<OffsetEntry[]> {
    if (kind === 'source') {
      // As Apache, which reads the offsets topic to its end before answering.
      await this.#offsetStore.readToEnd?.()
      return this.#offsetStore.getAll(name)
    }
    const admin = this.#admin()
    const offsets = await admin.list(sinkGroupId(name, config), sinkSubscription(sinkTopicsConfig(config)))
    return offsets.map(o => ({ partition: { kafka_topic: o.topic, kafka_partition: o.partition }, offset: { kafka_offset: o.offset } }))
  }

  /**
   * Alters (`offsets` given; null offsets reset their partition) or resets (undefined) a stopped connector's offsets,
   * asking the connector first (alterOffsets). Answers Apache's message.
   */
  async modify (name: string, descriptor: PluginDescriptor<'source' | 'sink'>, config: Record<string, string>, offsets: readonly OffsetEntry[] | undefined): Promise<string> {
    const reset = offsets === undefined
    const verb = reset ? 'reset' : 'altered'
    let entries: OffsetEntry[]
    if (descriptor.kind === 'source') {
      await this.#offsetStore.readToEnd?.()
      entries = reset ? this.#offsetStore.getAll(name).map(e => ({ partition: e.partition, offset: null })) : [...offsets]
      if (!reset) for (const e of entries) checkSourceOffset(e)
    } else {
      entries = reset ? [] : [...offsets]
    }
    const changes = descriptor.kind === 'sink' && !reset ? entries.map(parseSinkOffset) : []
    const connector = descriptor.create()
    let managed = false
    if (connector.alterOffsets) {
      try {
        managed = await connector.alterOffsets(config, entries)
      } catch (err) {
        throw new ConnectError(`Failed to ${reset ? 'reset' : 'alter'} offsets for connector ${name}: ${(err as Error).message}`, { cause: err })
      }
    }
    if (descriptor.kind === 'source') {
      if (entries.length > 0) await this.#offsetStore.set(name, entries)
    } else {
      const admin = this.#admin()
      try {
        if (reset) await admin.reset(sinkGroupId(name, config), sinkSubscription(sinkTopicsConfig(config)))
        else await admin.alter(sinkGroupId(name, config), changes)
      } catch (err) {
        throw new ConnectError(`Failed to ${reset ? 'reset' : 'alter'} consumer group offsets for connector ${name} either because its tasks haven't stopped completely yet or the connector was resumed before the request to ${reset ? 'reset' : 'alter'} its offsets could be successfully completed. If the connector is in a stopped state, this operation can be safely retried. If it doesn't eventually succeed, the Connect cluster may need to be restarted to get rid of the zombie sink tasks. Cause: ${(err as Error).message}`, { cause: err })
      }
    }
    return managed
      ? `The offsets for this connector have been ${verb} successfully`
      : `The Connect framework-managed offsets for this connector have been ${verb} successfully. However, if this connector manages offsets externally, they will need to be manually ${verb} in the system that the connector uses.`
  }

  #admin (): SinkGroupOffsets {
    if (!this.#sinkOffsets) throw new ConnectError('Sink connector offsets are not available: this worker has no Kafka admin access')
    return this.#sinkOffsets
  }
}


const SCALAR = new Set(['string', 'number', 'boolean'])

/** Apache's source offset checks (DataException → 500): string keys, primitive values. */
function checkSourceOffset (e: OffsetEntry): void {
  if (e.partition === null || typeof e.partition !== 'object') throw new BadRequestError('The partition of every offset must be a JSON object')
  for (const [what, map] of [['partition', e.partition], ['offset', e.offset]] as const) {
    if (map === null) continue
    for (const [k, v] of Object.entries(map)) {
      if (v !== null && !SCALAR.has(typeof v)) throw new DataError(`Offsets may only contain primitive types as values, but field ${k} of the ${what} contains ${Array.isArray(v) ? 'a list' : 'a map'}`)
    }
  }
}

/** Apache's sink offset checks (400s). */
function parseSinkOffset (e: OffsetEntry): { topic: string, partition: number, offset: number | null } {
  const p = e.partition
  if (p === null || typeof p !== 'object' || !('kafka_topic' in p) || !('kafka_partition' in p)) {
    throw new BadRequestError("The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'")
  }
  const partition = Number(p.kafka_partition)
  if (p.kafka_partition === null || String(p.kafka_partition).trim() === '' || !Number.isInteger(partition) || partition < 0 || partition > 2147483647) {
    throw new BadRequestError(`Failed to parse the following Kafka partition value in the provided offsets: '${String(p.kafka_partition)}'. Partition values for sink connectors need to be integers.`)
  }
  if (e.offset === null) return { topic: String(p.kafka_topic), partition, offset: null }
  if (!('kafka_offset' in e.offset)) throw new BadRequestError("The offset for a sink connector should either be null or contain the key 'kafka_offset'")
  const offset = Number(e.offset.kafka_offset)
  if (e.offset.kafka_offset === null || String(e.offset.kafka_offset).trim() === '' || !Number.isSafeInteger(offset) || offset < 0) {
    throw new BadRequestError(`Failed to parse the following Kafka offset value in the provided offsets: '${String(e.offset.kafka_offset)}'. Offset values for sink connectors need to be integers.`)
  }
  return { topic: String(p.kafka_topic), partition, offset }
}
