/**
 * The SMT chain of a connector: `transforms` in order, each optionally guarded by a predicate (with `negate`),
 * as Kafka's TransformationChain and TransformationStage wire them.
 */
import { ConfigError, type AnyRecord, type Predicate, type Transformation } from '../api/index.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import { PREDICATES_CONFIG, TRANSFORMS_CONFIG } from '../config/connector-config.ts'
import { withPrefix } from './connector-converters.ts'
import { SKIP, type Outcome, type RetryWithToleranceOperator } from './errors/retry-with-tolerance-operator.ts'

interface Stage {
  alias: string
  /** The transformation's class name, as error reports name it. */
  className: string
  transformation: Transformation
  predicate: Predicate | null
  negate: boolean
}

function aliases (value: string | undefined): string[] {
  return value === undefined || value.trim() === '' ? [] : value.trim().split(/\s*,\s*/)
}


export class TransformationChain<R extends AnyRecord = AnyRecord> {
  readonly #stages: Stage[]

  private constructor (stages: Stage[]) { this.#stages = stages }

  static readonly EMPTY = new TransformationChain([])

  static build<R extends AnyRecord> (props: Readonly<Record<string, string>>, registry: PluginRegistry): TransformationChain<R> {
    const predicates = new Map<string, Predicate>()
    for (const alias of aliases(props[PREDICATES_CONFIG])) {
      const prefix = `${PREDICATES_CONFIG}.${alias}.`
      const predicate = registry.create(props[prefix + 'type'] ?? '', ['predicate'], prefix + 'type')
      predicate.configure(withPrefix(props, prefix))
      predicates.set(alias, predicate)
    }
    const stages: Stage[] = []
    for (const alias of aliases(props[TRANSFORMS_CONFIG])) {
      const prefix = `${TRANSFORMS_CONFIG}.${alias}.`
      const descriptor = registry.resolve(props[prefix + 'type'] ?? '', ['transformation'], prefix + 'type')
      const transformation = descriptor.create()
      transformation.configure(withPrefix(props, prefix))
      const predicateAlias = props[prefix + 'predicate']?.trim()
      const negateRaw = props[prefix + 'negate']?.trim()
      if (negateRaw !== undefined && !predicateAlias) {
        throw new ConfigError(`Config '${prefix}negate' was provided but there is no config '${prefix}predicate' defining a predicate to be negated.`)
      }
      let predicate: Predicate | null = null
      if (predicateAlias) {
        predicate = predicates.get(predicateAlias) ?? null
        if (!predicate) throw new ConfigError(`Invalid value ${predicateAlias} for configuration ${prefix}predicate: Predicate alias ${predicateAlias} is not defined in ${PREDICATES_CONFIG}`)
      }
      stages.push({ alias, className: descriptor.className, transformation, predicate, negate: negateRaw?.toLowerCase() === 'true' })
    }
    return new TransformationChain(stages)
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
