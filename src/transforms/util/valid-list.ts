/**
 * Kafka's ConfigDef.ValidList.anyNonDuplicateValues(isEmptyAllowed, isNullAllowed), the validator of DropHeaders'
 * `headers`, MaskField's and ValueToKey's `fields` and ReplaceField's `exclude`/`include` in 4.3: the list must not be
 * empty (unless allowed), must not repeat an entry and must not hold an empty entry, checked in that order. Its
 * messages carry no "Invalid value" prefix and its description for the docs is empty. As in Kafka, validation
 * (connector configs, /config/validate) reports a repeated entry, while a transformation configured directly keeps the
 * first of each (ConfigDef.parse drops the repeats of a ValidList before checking).
 */
import { ConfigError } from '../../api/index.ts'
import type { Validator } from '../../api/index.ts'

export function anyNonDuplicateValues (isEmptyAllowed: boolean, isNullAllowed: boolean): Validator {
  return {
    ensureValid (name, value) {
      if (value === null || value === undefined) {
        if (isNullAllowed) return
        throw new ConfigError(`Configuration '${name}' values must not be null.`)
      }
      if (!Array.isArray(value)) return
      if (!isEmptyAllowed && value.length === 0) {
        throw new ConfigError(`Configuration '${name}' must not be empty. Valid values include: any non-empty value`)
      }
      if (new Set(value).size !== value.length) throw new ConfigError(`Configuration '${name}' values must not be duplicated.`)
      if (value.some(v => v === '')) throw new ConfigError(`Configuration '${name}' values must not be empty.`)
    },
    toString () { return '' },
    dedupesOnParse: true
  }
}
