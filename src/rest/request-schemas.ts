/**
 * JSON Schemas of the REST request bodies, compiled once with ajv. Unknown fields and wrong types are 400s with a
 * message naming the field (Apache's Jackson answers 500 for both).
 */
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv'

// ajv is CommonJS: under Node's ESM interop its class is the default export's `default`.
type AjvClass = typeof AjvModule.default
const Ajv: AjvClass = (AjvModule as unknown as { default: AjvClass }).default ?? (AjvModule as unknown as AjvClass)
const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true })

/** A config value: a JSON scalar (numbers and booleans become strings, as Jackson coerces them) or null. */
const configValue = { type: ['string', 'number', 'boolean', 'null'] }
const configMap = { type: 'object', additionalProperties: configValue }

export const createConnectorSchema: ValidateFunction = ajv.compile({
  type: 'object',
  properties: {
    name: { type: ['string', 'null'] },
    config: configMap,
    initial_state: { type: ['string', 'null'], pattern: '^(?:[Rr][Uu][Nn][Nn][Ii][Nn][Gg]|[Pp][Aa][Uu][Ss][Ee][Dd]|[Ss][Tt][Oo][Pp][Pp][Ee][Dd])$' }
  },
  required: ['config'],
  additionalProperties: false
})

export const connectorConfigSchema: ValidateFunction = ajv.compile(configMap)

const offsetScalar = { type: ['string', 'number', 'boolean', 'null'] }
const offsetMap = { type: 'object', additionalProperties: offsetScalar }

export const offsetsSchema: ValidateFunction = ajv.compile({
  type: 'object',
  properties: {
    offsets: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        properties: {
          partition: { type: ['object', 'null'] },
          offset: { anyOf: [offsetMap, { type: 'null' }] }
        },
        additionalProperties: false
      }
    }
  },
  additionalProperties: false
})

/** Apache reads this body as a plain string map, so extra keys are allowed there too. */
export const loggerLevelSchema: ValidateFunction = ajv.compile({
  type: 'object',
  additionalProperties: { type: ['string', 'null'] }
})

/** One readable sentence for the first schema error: where, and what is wrong. */
export function describeSchemaErrors (errors: readonly ErrorObject[]): string {
  const e = errors[0]
  if (!e) return 'Invalid request body'
  const where = e.instancePath === '' ? 'request body' : `field "${e.instancePath.slice(1).replace(/\//g, '.')}"`
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = (e.params as { additionalProperty: string }).additionalProperty
      const prefix = e.instancePath === '' ? '' : `${e.instancePath.slice(1).replace(/\//g, '.')}.`
      return `Unrecognized field "${prefix}${field}" in the request body`
    }
    case 'required':
      return `Missing required field "${(e.params as { missingProperty: string }).missingProperty}" in ${where}`
    case 'type': {
      const expected = (e.params as { type: string | string[] }).type
      const list = Array.isArray(expected) ? expected : [expected]
      const shown = list.filter(t => t !== 'null')
      return `Invalid ${where}: expected ${shown.length > 1 ? `a JSON ${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}` : `a JSON ${shown[0] ?? 'null'}`}`
    }
    case 'pattern':
      if (e.instancePath === '/initial_state') return 'Invalid field "initial_state": must be one of RUNNING, PAUSED, STOPPED (case insensitive)'
      return `Invalid ${where}: ${e.message ?? 'does not match'}`
    default:
      return `Invalid ${where}: ${e.message ?? 'invalid'}`
  }
}
