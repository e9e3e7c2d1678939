import {
  ConnectError, Headers, IdleWait, Schemas, SourceTask, sourceRecord, type OffsetMap, type Schema, type SourceRecord, type Struct
} from '../../src/api/index.ts'
import { toConnectSchema } from './avro-to-connect.ts'
import { DATAGEN_CONNECTOR_VERSION, TASK_ID_CONFIG, datagenSettings } from './config.ts'
import { Prng } from './prng.ts'
import { RandomGenerator } from './random-generator.ts'

export const TASK_GENERATION_FIELD = 'task.generation'
export const CURRENT_ITERATION_FIELD = 'current.iteration'
export const RANDOM_SEED_FIELD = 'random.seed'
/** Records per poll when max.interval is 0 (kafka-connect-datagen returns one per poll; the records are the same). */
const BATCH_WITHOUT_INTERVAL = 500
/** How long poll() waits once the task generated its iterations. */
const DONE_WAIT_MS = 1000

/**
 * Generates one record per poll after a random pause of up to max.interval ms, as kafka-connect-datagen's task:
 * value = the generated record, key = its schema.keyfield field (null with an optional string schema when none),
 * headers task.generation, task.id and current.iteration, source partition {task.id}. The source offset is the state
 * the next life of the task starts from: {task.generation: n + 1, current.iteration: records so far, random.seed: the
 * seed the random source was just re-seeded with}. With random.seed set, the output is the same on every run; each
 * task derives its own seed from it, so tasks differ.
 *
 * Unlike kafka-connect-datagen, a task that generated its `iterations` stays RUNNING and idle (it logs once) instead
 * of failing with "Stopping connector: generated the configured N number of messages".
 */
export class DatagenTask extends SourceTask {
  #topic = ''
  #maxInterval = 0
  #iterations = -1
  #keyField = ''
  #keySchema: Schema = Schemas.OPTIONAL_STRING
  #valueSchema: Schema = Schemas.OPTIONAL_STRING
  #taskId = 0
  #partition: OffsetMap = Object.freeze({ [TASK_ID_CONFIG]: 0 })
  #generation = 0
  #count = 0
  #rng = new Prng(0n)
  #generator: RandomGenerator | null = null
  #doneLogged = false
  #stopped = false
  readonly #idleWait = new IdleWait()

  version (): string { return DATAGEN_CONNECTOR_VERSION }

  start (props: Readonly<Record<string, string>>): void {
    const settings = datagenSettings(props)
    this.#topic = settings.topic
    this.#maxInterval = settings.maxInterval
    this.#iterations = settings.iterations
    this.#keyField = settings.keyField
    const rawId = props[TASK_ID_CONFIG] ?? '0'
    if (!/^\d+$/.test(rawId)) throw new ConnectError(`Invalid ${TASK_ID_CONFIG} for a Datagen task: ${rawId}`)
    this.#taskId = Number(rawId)
    this.#partition = Object.freeze({ [TASK_ID_CONFIG]: this.#taskId })
    this.#generation = 0
    this.#count = 0
    this.#stopped = false
    this.#doneLogged = false

    this.#rng = new Prng(settings.seed ?? Prng.randomSeed())
    if (settings.seed !== null) {
      // Each task moves the seed on taskId times, so tasks of one connector generate different data.
      for (let i = 0; i < this.#taskId; i++) this.#rng.setSeed(this.#rng.nextLong())
    }
    const offset = this.context.offsetStorageReader().offset(this.#partition)
    if (offset !== null) {
      // The stored offset is the state this life starts from.
      const generation = integerOf(offset[TASK_GENERATION_FIELD])
      const count = integerOf(offset[CURRENT_ITERATION_FIELD])
      const seed = offset[RANDOM_SEED_FIELD]
      if (generation === null || count === null || (typeof seed !== 'number' && typeof seed !== 'bigint')) {
        throw new ConnectError(`The stored offset of Datagen task ${this.#taskId} is not one this connector writes: ${JSON.stringify(offset, (_k, v: unknown) => typeof v === 'bigint' ? v.toString() : v)}`)
      }
      this.#generation = generation
      this.#count = count
      this.#rng.setSeed(BigInt(seed))
    }
    this.#valueSchema = settings.schema
    const keyField = settings.avro.fields.find(f => f.name === this.#keyField)
    this.#keySchema = keyField === undefined ? Schemas.OPTIONAL_STRING : toConnectSchema(keyField.type)
    this.#generator = new RandomGenerator(settings.avro, settings.schema, this.#rng, this.#count)
  }

  async poll (signal: AbortSignal): Promise<SourceRecord[] | null> {
    if (this.#stopped || this.#generator === null) return null
    let remaining = this.#iterations > 0 ? this.#iterations - this.#count : Infinity
    if (remaining <= 0) {
      if (!this.#doneLogged) {
        this.#doneLogged = true
        console.info(`Datagen task ${this.#taskId} generated the configured ${this.#iterations} messages (${'iterations'}): it generates no more`)
      }
      await this.#idle(signal, DONE_WAIT_MS)
      return null
    }
    if (this.#maxInterval > 0) {
      await this.#idle(signal, Math.random() * this.#maxInterval)
      if (this.#stopped || signal.aborted) return null
      remaining = 1
    }
    const records: SourceRecord[] = []
    const n = Math.min(remaining, BATCH_WITHOUT_INTERVAL)
    for (let i = 0; i < n; i++) records.push(this.#next())
    return records
  }

  #next (): SourceRecord {
    const value = this.#generator!.generate() as Struct
    const key = this.#keyField === '' ? null : value.getWithoutDefault(this.#keyField)
    // Re-seeded after each record, so the offset can carry the seed the next record starts from.
    const seed = this.#rng.nextLong()
    this.#rng.setSeed(seed)
    const seedNumber = Number(seed)
    const record = sourceRecord({
      sourcePartition: this.#partition,
      sourceOffset: {
        [TASK_GENERATION_FIELD]: this.#generation + 1,
        [CURRENT_ITERATION_FIELD]: this.#count + 1,
        [RANDOM_SEED_FIELD]: Number.isSafeInteger(seedNumber) ? seedNumber : seed
      },
      topic: this.#topic,
      kafkaPartition: null,
      keySchema: this.#keySchema,
      key,
      valueSchema: this.#valueSchema,
      value,
      headers: new Headers([
        { key: TASK_GENERATION_FIELD, schema: Schemas.INT64, value: this.#generation },
        { key: TASK_ID_CONFIG, schema: Schemas.INT64, value: this.#taskId },
        { key: CURRENT_ITERATION_FIELD, schema: Schemas.INT64, value: this.#count }
      ])
    })
    this.#count++
    return record
  }

  stop (): void {
    this.#stopped = true
    this.#idleWait.wake()
  }

  async #idle (signal: AbortSignal, ms: number): Promise<void> {
    if (this.#stopped) return
    await this.#idleWait.wait(signal, ms)
  }

}

function integerOf (v: unknown): number | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v
  if (typeof v === 'bigint' && v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v)
  return null
}
