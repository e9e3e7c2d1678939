/**
 * ConfigDef: one declaration of a component's configuration that drives parsing, validation, the
 * `/config/validate` REST answer and docs. Semantics follow Kafka's ConfigDef: string values are trimmed, lists split
 * on commas with surrounding whitespace, booleans are true/false in any case, numbers use Java's strict parsers, and
 * the error messages are Kafka's own wording so that users searching for them find answers.
 */
import { ConfigError } from './errors.ts'
import { javaTrim } from '../java/chars.ts'

export type ConfigType = 'string' | 'int' | 'short' | 'long' | 'double' | 'boolean' | 'list' | 'password' | 'class'
export type Importance = 'high' | 'medium' | 'low'
export type Width = 'none' | 'short' | 'medium' | 'long'

/** Parsed value of a key; `password` values are wrapped so they never print by accident. */
export type ConfigValueType = string | number | boolean | string[] | Password | null

export class Password {
  readonly #value: string
  constructor (value: string) { this.#value = value }
  value (): string { return this.#value }
  toString (): string { return Password.HIDDEN }
  toJSON (): string { return Password.HIDDEN }
  static readonly HIDDEN = '[hidden]'
}

export interface Validator {
  /** Throws a ConfigError with Kafka's message ("Value must be at least 1"), without the key prefix. */
  ensureValid (name: string, value: ConfigValueType): void
  /** Human description for docs, e.g. "[1,...]". */
  toString (): string
  /**
   * Kafka's ConfigDef.parse() drops repeated entries of a list whose validator is a ConfigDef.ValidList (with a
   * warning) before validating it, while validate() reports them: set on such validators. An embedded copy (the
   * ConfigDef.embed wrapper) is no ValidList, so it is not carried over there.
   */
  readonly dedupesOnParse?: boolean
}

export interface ConfigKeyDef {
  name: string
  type: ConfigType
  documentation: string
  importance: Importance
  /** Absent means required. `null` means optional with no value. */
  default?: ConfigValueType | string | undefined
  validator?: Validator | undefined
  group?: string | undefined
  orderInGroup?: number | undefined
  width?: Width | undefined
  displayName?: string | undefined
  dependents?: readonly string[] | undefined
  /** Dynamic recommender for /config/validate; not used for parsing. */
  recommendedValues?: readonly string[] | undefined
}

/** Result of validating one key: every problem, never thrown (drives /config/validate). */
export interface ConfigValue {
  name: string
  value: ConfigValueType | undefined
  /** The raw string as given, or undefined when absent. */
  rawValue: string | undefined
  recommendedValues: string[]
  errors: string[]
  visible: boolean
}

/** Problem message prefix, exactly as Kafka's ConfigException(name, value, message) renders it. */
export function invalidValueMessage (name: string, value: unknown, message: string): string {
  const shown = value instanceof Password ? Password.HIDDEN : Array.isArray(value) ? value.join(',') : String(value)
  return `Invalid value ${shown} for configuration ${name}${message ? ': ' + message : ''}`
}

export class ConfigDef {
  readonly #keys = new Map<string, ConfigKeyDef>()

  define (key: ConfigKeyDef): this {
    if (this.#keys.has(key.name)) throw new Error(`Configuration ${key.name} is defined twice.`)
    this.#keys.set(key.name, Object.freeze({ ...key }))
    return this
  }

  /** Adds every key of `other` (used to compose a connector's def with the common connector keys). */
  merge (other: ConfigDef): this {
    for (const key of other.keys()) if (!this.#keys.has(key.name)) this.define(key)
    return this
  }

  /**
   * Returns a copy whose keys are `prefix + name` (Kafka's ConfigDef.embed). As in Kafka, a key's validator still sees
   * the unprefixed name, so its messages read the same as when the component is configured on its own.
   */
  embed (prefix: string, group?: string): ConfigDef {
    const def = new ConfigDef()
    for (const key of this.keys()) {
      const base = key.validator
      const validator: Validator | undefined = base && {
        ensureValid: (name, value) => { base.ensureValid(name.startsWith(prefix) ? name.slice(prefix.length) : name, value) },
        toString: () => base.toString()
      }
      def.define({ ...key, name: prefix + key.name, group: group ?? key.group, validator })
    }
    return def
  }

  keys (): ConfigKeyDef[] { return [...this.#keys.values()] }
  names (): string[] { return [...this.#keys.keys()] }
  get (name: string): ConfigKeyDef | undefined { return this.#keys.get(name) }
  has (name: string): boolean { return this.#keys.has(name) }

  /** Never throws for bad user input: every problem lands in the returned ConfigValues. */
  validate (props: Readonly<Record<string, string | undefined>>): ConfigValue[] {
    return this.#check(props, false)
  }

  #check (props: Readonly<Record<string, string | undefined>>, parsing: boolean): ConfigValue[] {
    const out: ConfigValue[] = []
    for (const key of this.#keys.values()) {
      const raw = props[key.name]
      const cv: ConfigValue = {
        name: key.name,
        value: undefined,
        rawValue: raw,
        recommendedValues: key.recommendedValues ? [...key.recommendedValues] : [],
        errors: [],
        visible: true
      }
      try {
        cv.value = this.#parseOne(key, raw, parsing)
      } catch (err) {
        cv.errors.push(...(err instanceof ConfigError ? err.problems : [String(err)]))
      }
      out.push(cv)
    }
    return out
  }

  /**
   * Parses every defined key into typed values. Throws one ConfigError that lists every problem.
   * `context` names where the props came from (a file, a connector) so the message is actionable.
   */
  parse (props: Readonly<Record<string, string | undefined>>, context?: string): ParsedConfig {
    const values = new Map<string, ConfigValueType>()
    const problems: string[] = []
    for (const cv of this.#check(props, true)) {
      if (cv.errors.length > 0) problems.push(...cv.errors)
      else values.set(cv.name, cv.value ?? null)
    }
    if (problems.length > 0) {
      const where = context ? ` in ${context}` : ''
      const message = problems.length === 1
        ? `${problems[0]}${where ? ` (${where.slice(4)})` : ''}`
        : `${problems.length} configuration problems${where}:\n  - ${problems.join('\n  - ')}`
      throw new ConfigError(message, { problems })
    }
    return new ParsedConfig(values, props)
  }

  #parseOne (key: ConfigKeyDef, raw: string | undefined, parsing: boolean): ConfigValueType {
    let value: ConfigValueType
    if (raw === undefined) {
      if (!('default' in key) || key.default === undefined) {
        throw new ConfigError(`Missing required configuration "${key.name}" which has no default value.`)
      }
      value = typeof key.default === 'string' ? parseType(key.name, key.default, key.type) : key.default
      if (value === null) return null
    } else {
      value = parseType(key.name, raw, key.type)
    }
    if (parsing && key.validator?.dedupesOnParse === true && Array.isArray(value)) value = [...new Set(value)]
    if (key.validator && value !== null) key.validator.ensureValid(key.name, value)
    return value
  }

  /** Markdown table of the keys, for generated docs. */
  toMarkdown (): string {
    const rows = ['| Key | Type | Default | Valid values | Importance | Description |', '|---|---|---|---|---|---|']
    for (const k of this.#keys.values()) {
      const def = !('default' in k) || k.default === undefined ? '*required*' : k.default === null ? 'null' : `\`${Array.isArray(k.default) ? k.default.join(',') : String(k.default)}\``
      rows.push(`| \`${k.name}\` | ${k.type} | ${def} | ${k.validator ? String(k.validator) : ''} | ${k.importance} | ${k.documentation.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`)
    }
    return rows.join('\n') + '\n'
  }
}

/** Typed, read-only view of a parsed config. Getters throw on type mismatch: that is a programming error. */
export class ParsedConfig {
  readonly #values: Map<string, ConfigValueType>
  readonly #originals: Readonly<Record<string, string | undefined>>

  constructor (values: Map<string, ConfigValueType>, originals: Readonly<Record<string, string | undefined>>) {
    this.#values = values
    this.#originals = originals
  }

  #get (name: string): ConfigValueType {
    if (!this.#values.has(name)) throw new Error(`Unknown configuration '${name}'`)
    return this.#values.get(name) as ConfigValueType
  }

  string (name: string): string | null {
    const v = this.#get(name)
    if (v instanceof Password) return v.value()
    return v === null ? null : String(v)
  }

  int (name: string): number {
    const v = this.#get(name)
    if (typeof v !== 'number') throw new Error(`Configuration '${name}' is not a number`)
    return v
  }

  /** Like int(), for LONG keys; JS numbers hold every value Kafka's long-typed durations use. */
  long (name: string): number { return this.int(name) }
  double (name: string): number { return this.int(name) }

  boolean (name: string): boolean {
    const v = this.#get(name)
    if (typeof v !== 'boolean') throw new Error(`Configuration '${name}' is not a boolean`)
    return v
  }

  list (name: string): string[] {
    const v = this.#get(name)
    return Array.isArray(v) ? [...v] : []
  }

  password (name: string): Password | null {
    const v = this.#get(name)
    return v instanceof Password ? v : v === null ? null : new Password(String(v))
  }

  originals (): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(this.#originals)) if (v !== undefined) out[k] = v
    return out
  }

  /** Originals whose key starts with `prefix`, with the prefix removed (Kafka's originalsWithPrefix). */
  originalsWithPrefix (prefix: string, strip = true): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(this.#originals)) {
      if (v !== undefined && k.startsWith(prefix)) out[strip ? k.slice(prefix.length) : k] = v
    }
    return out
  }
}

const INT_RE = /^[+-]?\d+$/
const DOUBLE_RE = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/

// Java's \s (without UNICODE_CHARACTER_CLASS) is only these six; JavaScript's also matches Unicode spaces.
const LIST_SEPARATOR = /[ \t\n\x0B\f\r]*,[ \t\n\x0B\f\r]*/

/** Parses a raw string as Kafka's ConfigDef.parseType does, with Kafka's messages. */
export function parseType (name: string, raw: string, type: ConfigType): ConfigValueType {
  const trimmed = javaTrim(raw)
  switch (type) {
    case 'string':
    case 'class':
      return trimmed
    case 'password':
      return new Password(trimmed)
    case 'boolean':
      if (trimmed.toLowerCase() === 'true') return true
      if (trimmed.toLowerCase() === 'false') return false
      throw new ConfigError(invalidValueMessage(name, trimmed, 'Expected value to be either true or false'))
    case 'int':
    case 'short':
    case 'long': {
      const bounds = { int: [-2147483648, 2147483647], short: [-32768, 32767], long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] }[type]
      const n = INT_RE.test(trimmed) ? Number(trimmed) : NaN
      if (!Number.isInteger(n) || n < bounds[0]! || n > bounds[1]!) {
        throw new ConfigError(invalidValueMessage(name, trimmed, `Not a number of type ${type.toUpperCase()}`))
      }
      return n
    }
    case 'double': {
      if (!DOUBLE_RE.test(trimmed)) throw new ConfigError(invalidValueMessage(name, trimmed, 'Not a number of type DOUBLE'))
      return Number(trimmed.replace(/[fFdD]$/, ''))
    }
    case 'list':
      if (trimmed === '') return []
      return trimmed.split(LIST_SEPARATOR)
  }
}

// ---- Validators (Kafka's names) ------------------------------------------------------------------------------

function fail (name: string, value: ConfigValueType, message: string): never {
  throw new ConfigError(invalidValueMessage(name, value, message))
}

// As in Kafka, a Range refuses a missing value: ConfigDef's validation checks a value that did not parse as null,
// which then reads "Invalid value null for configuration tasks.max: Value must be non-null".
export const Range = {
  atLeast (min: number): Validator {
    return {
      ensureValid (name, value) {
        if (value === null) fail(name, value, 'Value must be non-null')
        if (typeof value === 'number' && value < min) fail(name, value, `Value must be at least ${min}`)
      },
      toString () { return `[${min},...]` }
    }
  },
  between (min: number, max: number): Validator {
    return {
      ensureValid (name, value) {
        if (value === null) fail(name, value, 'Value must be non-null')
        if (typeof value === 'number' && value < min) fail(name, value, `Value must be at least ${min}`)
        if (typeof value === 'number' && value > max) fail(name, value, `Value must be no more than ${max}`)
      },
      toString () { return `[${min},...,${max}]` }
    }
  }
}

export const ValidString = {
  in (...allowed: string[]): Validator {
    return {
      ensureValid (name, value) {
        if (typeof value === 'string' && !allowed.includes(value)) fail(name, value, `String must be one of: ${allowed.join(', ')}`)
      },
      toString () { return `[${allowed.join(', ')}]` }
    }
  },
  inCaseInsensitive (...allowed: string[]): Validator {
    const lower = allowed.map(a => a.toLowerCase())
    return {
      ensureValid (name, value) {
        if (typeof value === 'string' && !lower.includes(value.toLowerCase())) {
          fail(name, value, `String must be one of (case insensitive): ${allowed.join(', ')}`)
        }
      },
      toString () { return `(case insensitive) [${allowed.join(', ')}]` }
    }
  }
}

/**
 * Kafka's ConfigDef.ValidList.anyNonDuplicateValues(isEmptyAllowed, isNullAllowed), the validator of sink connectors' `topics`, DropHeaders'
 * `headers`, MaskField's and ValueToKey's `fields` and ReplaceField's `exclude`/`include` in 4.3: the list must not be
 * empty (unless allowed), must not repeat an entry and must not hold an empty entry, checked in that order. Its
 * messages carry no "Invalid value" prefix and its description for the docs is empty. As in Kafka, validation
 * (connector configs, /config/validate) reports a repeated entry, while a transformation configured directly keeps the
 * first of each (ConfigDef.parse drops the repeats of a ValidList before checking).
 */
export const ValidList = {
  anyNonDuplicateValues (isEmptyAllowed: boolean, isNullAllowed: boolean): Validator {
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
}

export const NonEmptyString: Validator = {
  ensureValid (name, value) { if (value === '') fail(name, value, 'String must be non-empty') },
  toString () { return 'non-empty string' }
}

/** Kafka's NonEmptyStringWithoutControlChars, used for connector names. */
export const NonEmptyStringWithoutControlChars: Validator = {
  ensureValid (name, value) {
    if (typeof value !== 'string') return
    if (value === '') fail(name, value, 'String may not be empty')
    const control = [...value].filter(c => { const code = c.codePointAt(0)!; return code < 0x20 || (code >= 0x7f && code <= 0x9f) })
    if (control.length > 0) {
      fail(name, value, `String may not contain control sequences but had the following ASCII chars: ${control.map(c => c.codePointAt(0)).join(', ')}`)
    }
  },
  toString () { return 'non-empty string without ISO control characters' }
}
