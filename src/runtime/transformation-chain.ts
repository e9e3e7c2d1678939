/**
 * The SMT chain of a connector: `transforms` in order, each optionally guarded by a predicate (with `negate`),
 * as Kafka's TransformationChain and TransformationStage wire them.
 */
import type { AnyRecord, Predicate, Transformation } from '../api/index.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import {
  PREDICATES_CONFIG, TRANSFORMS_CONFIG, transformationChainConfig, type TransformationChainConfig
} from '../config/connector-config.ts'
import { SKIP, type Outcome, type RetryWithToleranceOperator } from './errors/retry-with-tolerance-operator.ts'

interface Stage {
  alias: string
  /** The transformation's class name, as error reports name it. */
  className: string
  transformation: Transformation
  predicate: Predicate | null
  negate: boolean
}

export class TransformationChain<R extends AnyRecord = AnyRecord> {
  readonly #stages: Stage[]

  private constructor (stages: Stage[]) { this.#stages = stages }

  static readonly EMPTY = new TransformationChain([])

  /** The chain of a connector's typed config (ConnectorConfig.transformationChain): its plugins created and configured. */
  static of<R extends AnyRecord> (config: TransformationChainConfig, registry: PluginRegistry): TransformationChain<R> {
    const predicates = new Map<string, Predicate>()
    for (const p of config.predicates) {
      const typeKey = `${PREDICATES_CONFIG}.${p.alias}.type`
      const predicate = registry.create(p.type, ['predicate'], typeKey)
      predicate.configure(p.props)
      predicates.set(p.alias, predicate)
    }
    const stages: Stage[] = []
    for (const t of config.transformations) {
      const descriptor = registry.resolve(t.type, ['transformation'], `${TRANSFORMS_CONFIG}.${t.alias}.type`)
      const transformation = descriptor.create()
      transformation.configure(t.props)
      // The config checked that the alias names one of its predicates.
      const predicate = t.predicate === null ? null : predicates.get(t.predicate)!
      stages.push({ alias: t.alias, className: descriptor.className, transformation, predicate, negate: t.negate })
    }
    return new TransformationChain(stages)
  }

  /** The chain of a config's `transforms` and `predicates` (parsed by the config's definitions). */
  static build<R extends AnyRecord> (props: Readonly<Record<string, string>>, registry: PluginRegistry): TransformationChain<R> {
    return TransformationChain.of<R>(transformationChainConfig(props), registry)
  }

  get isEmpty (): boolean { return this.#stages.length === 0 }

  /** The transformed record, or null when a stage dropped it. */
  apply (record: R): R | null {
    let current: R | null = record
    for (const stage of this.#stages) {
      if (current === null) return null
      if (stage.predicate !== null && stage.predicate.test(current) === stage.negate) continue
      current = stage.transformation.apply(current) as R | null
    }
    return current
  }

  /**
   * Applies the chain with each stage (its predicate included, as in Kafka) run under `operator`: SKIP when a
   * tolerated failure dropped the record. `reported` is what error reports carry (a sink's consumed record, a
   * source's original record). Synchronous unless a stage is being retried.
   */
  applyGuarded (record: R, operator: RetryWithToleranceOperator, reported: unknown): Outcome<R | null> | Promise<Outcome<R | null>> {
    return this.#guardedFrom(0, record, operator, reported)
  }

  #guardedFrom (from: number, record: R, operator: RetryWithToleranceOperator, reported: unknown): Outcome<R | null> | Promise<Outcome<R | null>> {
    let current: R = record
    for (let i = from; i < this.#stages.length; i++) {
      const stage = this.#stages[i]!
      const input = current
      const outcome = operator.execute('TRANSFORMATION', stage.className, reported, () => {
        if (stage.predicate !== null && stage.predicate.test(input) === stage.negate) return input
        return stage.transformation.apply(input) as R | null
      })
      if (outcome instanceof Promise) {
        return outcome.then(o => o === SKIP || o === null ? o : this.#guardedFrom(i + 1, o, operator, reported))
      }
      if (outcome === SKIP || outcome === null) return outcome
      current = outcome
    }
    return current
  }

  close (): void {
    for (const s of this.#stages) {
      s.transformation.close?.()
      s.predicate?.close?.()
    }
  }
}
