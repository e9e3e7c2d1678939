/**
 * The REST server starts before the herder exists (its bound port is part of the worker id), so resources reach
 * the herder through this reference: until it is attached, requests get 503.
 */
import { RestErrorCode as ErrorCode, RestProtocolError } from './errors.ts'
import type { Herder } from '../runtime/herder.ts'

export class HerderRef {
  #herder: Herder | null = null

  attach (herder: Herder): void { this.#herder = herder }

  get attached (): Herder | null { return this.#herder }

  get herder (): Herder {
    if (!this.#herder) throw new RestProtocolError('Worker is still starting up.', ErrorCode.NOT_READY)
    return this.#herder
  }
}

/** Jersey's @QueryParam boolean: "true" in any case is true, anything else false. */
export function queryBoolean (query: URLSearchParams, name: string, defaultValue: boolean): boolean {
  const v = query.get(name)
  if (v === null) return defaultValue
  return v.trim().toLowerCase() === 'true'
}

/**
 * A config map from a JSON body: numbers and booleans become strings (as Jackson coerces them); JSON nulls are
 * returned apart, since Apache reports them as validation errors.
 */
export function configFromBody (body: Readonly<Record<string, unknown>>): { config: Record<string, string>, nullKeys: string[] } {
  const config: Record<string, string> = {}
  const nullKeys: string[] = []
  for (const [k, v] of Object.entries(body)) {
    if (v === null) nullKeys.push(k)
    else config[k] = String(v)
  }
  return { config, nullKeys }
}
