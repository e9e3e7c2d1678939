/**
 * Debezium's table, schema and column filters for PostgreSQL (RelationalTableFilters, Selectors, Predicates): each
 * list is comma-separated regular expressions (a comma escaped as `\,` stays in the expression), matched against the
 * whole name (`schema`, `schema.table`, `schema.table.column`) ignoring case. Include beats exclude (configuring both is
 * refused by validation); a schema list and a table list must both accept a table; with table.ignore.builtin (the
 * default) PostgreSQL's own tables are never captured.
 *
 * Connectors may import only the SPI, so Java's regular expressions are run as JavaScript ones; the constructs where
 * the two would silently disagree are refused by name instead (see toJsRegex).
 */

/** Splits a filter list as Debezium's RegExSplitter does: on commas not escaped by a backslash, each part trimmed. */
export function splitRegexList (list: string): string[] {
  const parts: string[] = []
  let start = 0
  for (let i = 0; i < list.length; i++) {
    const c = list[i]
    if (c === '\\') {
      if (i + 1 >= list.length) throw new RegexListError('Unterminated escape sequence at the end of the string')
      i++
    } else if (c === ',') {
      parts.push(list.slice(start, i))
      start = i + 1
    }
  }
  parts.push(list.slice(start))
  // As Debezium: a part empty before trimming is skipped; a part of blanks becomes the empty expression.
  return parts.filter(p => p.length > 0).map(p => p.trim().replaceAll('\\,', ','))
}

export class RegexListError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'RegexListError'
  }
}

// Escapes JavaScript (without the u flag) reads as Java does; any other backslash-letter means something else in one
// of them (Java's \A \Z \z \G \h \R \X \e \a \p{..}, or JavaScript's \k and \c rules) and is refused.
const SAME_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 'n', 'r', 't', 'f', 'x', 'u', '0'])

/**
 * A Java regular expression as an anchored, case-insensitive JavaScript RegExp (Java's Pattern.CASE_INSENSITIVE
 * with Matcher.matches()). Java's \Q...\E quoting and a leading (?i) are translated; constructs JavaScript would read
 * differently or not at all (possessive quantifiers, atomic groups, other inline flags, nested or intersected
 * character classes, Java-only escapes) throw a RegexListError naming them.
 */
export function toJsRegex (pattern: string): RegExp {
  let source = ''
  let inClass = false
  let depth = 0
  let i = 0
  let p = pattern
  if (p.startsWith('(?i)')) p = p.slice(4)
  while (i < p.length) {
    const c = p[i]!
    if (c === '\\') {
      const next = p[i + 1]
      if (next === undefined) throw new RegexListError(`Unexpected internal error near index ${i + 1}`)
      if (next === 'Q') {
        const end = p.indexOf('\\E', i + 2)
        const literal = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end)
        source += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
        i = end < 0 ? p.length : end + 2
        continue
      }
      if (/[A-Za-z]/.test(next) && !SAME_ESCAPES.has(next)) throw unsupported(`the escape \\${next}`, pattern)
      if (/[1-9]/.test(next) && inClass) throw unsupported(`the escape \\${next} in a character class`, pattern)
      source += c + next
      i += 2
      continue
    }
    if (inClass) {
      if (c === '[') throw unsupported('a nested character class', pattern)
      if (c === '&' && p[i + 1] === '&') throw unsupported('a character class intersection (&&)', pattern)
      if (c === ']') inClass = false
      source += c
      i++
      continue
    }
    if (c === '[') {
      inClass = true
      source += c
      i++
      // A ']' first in a class is a literal in Java but closes an empty class in JavaScript.
      if (p[i] === '^') { source += '^'; i++ }
      if (p[i] === ']') { source += '\\]'; i++ }
      continue
    }
    // A stray ')' would close the anchoring group in JavaScript (Java refuses it).
    if (c === ')' && --depth < 0) throw new RegexListError(`Unmatched closing ')' near index ${i - 1}`)
    if (c === '(') depth++
    if (c === '(' && p[i + 1] === '?') {
      const kind = p[i + 2]
      if (kind === '>') throw unsupported('an atomic group (?>...)', pattern)
      if (kind !== ':' && kind !== '=' && kind !== '!' && kind !== '<') throw unsupported('inline flags (?...)', pattern)
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && p[i + 1] === '+') throw unsupported('a possessive quantifier', pattern)
    source += c
    i++
  }
  try {
    return new RegExp(`^(?:${source})$`, 'i')
  } catch (err) {
    throw new RegexListError((err as Error).message)
  }
}

function unsupported (what: string, pattern: string): RegexListError {
  return new RegexListError(`${what} in '${pattern}' is not supported by this connector (it runs the expressions as JavaScript ones)`)
}

/** Every expression of a list, or undefined when the list is absent or blank (Debezium ignores a blank list). */
export function compileRegexList (list: string | undefined): RegExp[] | undefined {
  if (list === undefined || list.trim() === '') return undefined
  return splitRegexList(list).map(toJsRegex)
}

const matchesAny = (patterns: readonly RegExp[], name: string): boolean => patterns.some(p => p.test(name))

/** The raw filter lists (as configured, undefined when absent). */
export interface TableFilterLists {
  readonly schemaIncludeList?: string | undefined
  readonly schemaExcludeList?: string | undefined
  readonly tableIncludeList?: string | undefined
  readonly tableExcludeList?: string | undefined
  readonly columnIncludeList?: string | undefined
  readonly columnExcludeList?: string | undefined
  /** table.ignore.builtin (default true). */
  readonly ignoreBuiltin?: boolean | undefined
}

const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema'])
const SYSTEM_TABLES = new Set(['spatial_ref_sys'])

/** PostgreSQL's own tables, which Debezium never captures unless table.ignore.builtin is false. */
export function isBuiltinTable (schema: string, table: string): boolean {
  return SYSTEM_SCHEMAS.has(schema.toLowerCase()) || SYSTEM_TABLES.has(table.toLowerCase()) || schema.startsWith('pg_temp')
}

/** The compiled filters; the constructor throws a RegexListError for a bad expression. */
export class TableFilter {
  readonly #schemaInclude: RegExp[] | undefined
  readonly #schemaExclude: RegExp[] | undefined
  readonly #tableInclude: RegExp[] | undefined
  readonly #tableExclude: RegExp[] | undefined
  readonly #columnInclude: RegExp[] | undefined
  readonly #columnExclude: RegExp[] | undefined
  readonly #ignoreBuiltin: boolean
  readonly #tableCache = new Map<string, boolean>()

  constructor (lists: TableFilterLists) {
    this.#schemaInclude = compileRegexList(lists.schemaIncludeList)
    this.#schemaExclude = compileRegexList(lists.schemaExcludeList)
    this.#tableInclude = compileRegexList(lists.tableIncludeList)
    this.#tableExclude = compileRegexList(lists.tableExcludeList)
    this.#columnInclude = compileRegexList(lists.columnIncludeList)
    this.#columnExclude = compileRegexList(lists.columnExcludeList)
    this.#ignoreBuiltin = lists.ignoreBuiltin ?? true
  }

  /** schema.include.list / schema.exclude.list alone (Debezium's schema filter, used for whole schemas). */
  includeSchema (schema: string): boolean {
    if (this.#schemaInclude !== undefined) return matchesAny(this.#schemaInclude, schema)
    if (this.#schemaExclude !== undefined) return !matchesAny(this.#schemaExclude, schema)
    return true
  }

  /** Whether the table's changes are captured: the schema lists, the table lists (on `schema.table`), the builtin rule. */
  includeTable (schema: string, table: string): boolean {
    const id = `${schema}.${table}`
    let included = this.#tableCache.get(id)
    if (included === undefined) {
      included = this.#includeTable(schema, table, id)
      this.#tableCache.set(id, included)
    }
    return included
  }

  #includeTable (schema: string, table: string, id: string): boolean {
    if (this.#ignoreBuiltin && isBuiltinTable(schema, table)) return false
    if (!this.includeSchema(schema)) return false
    if (this.#tableInclude !== undefined) return matchesAny(this.#tableInclude, id)
    if (this.#tableExclude !== undefined) return !matchesAny(this.#tableExclude, id)
    return true
  }

  /** Whether a column of an included table is in its events (column lists on `schema.table.column`). */
  includeColumn (schema: string, table: string, column: string): boolean {
    const id = `${schema}.${table}.${column}`
    if (this.#columnInclude !== undefined) return matchesAny(this.#columnInclude, id)
    if (this.#columnExclude !== undefined) return !matchesAny(this.#columnExclude, id)
    return true
  }

  /** Whether any column list is set (Debezium then reads only the included columns in the snapshot). */
  get columnsFiltered (): boolean {
    return this.#columnInclude !== undefined || this.#columnExclude !== undefined
  }
}
