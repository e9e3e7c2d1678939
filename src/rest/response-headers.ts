/**
 * `response.http.headers.config`: headers added to every REST response, in the syntax of Apache's key (Jetty's
 * HeaderFilter): comma-separated rules `[action] [header name]: [header value]`, a rule in double quotes when it
 * contains a comma. Actions: `set` (replace), `add` (one more value), `setDate` / `addDate` (the value is a number
 * of milliseconds added to the current time, sent as an HTTP date). Example:
 *
 *     response.http.headers.config=set X-Frame-Options: DENY, "add Cache-Control: no-cache, no-store", setDate Expires: 0
 *
 * Validation gives Apache's messages (named after the key); unlike Apache, a header value may contain ':'.
 */
import { ConfigError, invalidValueMessage, type Validator } from '../api/index.ts'

export const RESPONSE_HTTP_HEADERS_CONFIG = 'response.http.headers.config'
const ACTIONS = ['set', 'add', 'setDate', 'addDate'] as const

export interface HeaderRule {
  name: string
  value: string
  add: boolean
  /** The value is a millisecond offset from now, sent as an HTTP date. */
  date: boolean
}

/** Jetty's StringUtil.csvSplit: comma-separated items, trimmed; double quotes group, a backslash escapes inside them. */
export function csvSplit (text: string): string[] {
  const out: string[] = []
  let i = 0
  const n = text.length
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++
    if (i >= n) break
    if (text[i] === ',') { out.push(''); i++; continue }
    let item = ''
    if (text[i] === '"') {
      i++
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n) i++
        item += text[i]
        i++
      }
      i++ // the closing quote
      while (i < n && text[i] !== ',') i++
    } else {
      while (i < n && text[i] !== ',') item += text[i++]
      item = item.trimEnd()
    }
    out.push(item)
    i++ // the comma
  }
  return out
}

function fail (value: string, message: string): never {
  throw new ConfigError(invalidValueMessage(RESPONSE_HTTP_HEADERS_CONFIG, value, message))
}

/** Parses and checks the key's value (blank: no rules). */
export function parseResponseHeaderRules (text: string): HeaderRule[] {
  if (text.trim() === '') return []
  return csvSplit(text).map(rule => {
    const m = /^(\S+)\s+([\s\S]*)$/.exec(rule.trim())
    if (!m) fail(text, `Invalid format of header config '${rule}'. Expected: '[action] [header name]:[header value]'`)
    const action = ACTIONS.find(a => a.toLowerCase() === m[1]!.toLowerCase())
    if (!action) fail(text, `Invalid header config action: '${m[1]}'. Expected one of [${ACTIONS.join(', ')}]`)
    const pair = m[2]!
    const colon = pair.indexOf(':')
    const name = colon < 0 ? '' : pair.slice(0, colon).trim()
    const value = colon < 0 ? '' : pair.slice(colon + 1).trim()
    if (colon < 0 || value === '') fail(text, `Invalid format of header name and header value pair '${pair}'. Expected: '[header name]:[header value]'`)
    if (name === '' || /\s/.test(name)) fail(text, `Invalid header name '${name}'. The '[header name]' cannot contain whitespace`)
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) fail(text, `Invalid header name '${name}'. The '[header name]' must be an HTTP token (letters, digits and !#$%&'*+.^_\`|~-)`)
    const date = action.endsWith('Date')
    if (date && !/^[+-]?\d+$/.test(value)) fail(text, `The value of the ${action} rule for ${name} must be a number of milliseconds, not '${value}'`)
    if (/[\r\n]/.test(value)) fail(text, `The value of the header ${name} cannot contain a line break`)
    return { name, value, add: action.startsWith('add'), date }
  })
}

export const ResponseHeadersValidator: Validator = {
  ensureValid (_name, value) {
    if (typeof value === 'string') parseResponseHeaderRules(value)
  },
  toString () {
    return "Comma-separated header rules, where each header rule is of the form '[action] [header name]:[header value]' and optionally surrounded by double quotes if any part of a header rule contains a comma"
  }
}

export type OutgoingHeaders = Record<string, string | string[]>

/** Applies the rules to a response's headers (names compare case-insensitively; the first spelling is kept). */
export function applyHeaderRules (rules: readonly HeaderRule[], headers: OutgoingHeaders, now = Date.now()): void {
  for (const rule of rules) {
    const value = rule.date ? new Date(now + Number(rule.value)).toUTCString() : rule.value
    const existing = Object.keys(headers).find(k => k.toLowerCase() === rule.name.toLowerCase())
    if (rule.add && existing !== undefined) {
      const prev = headers[existing]!
      headers[existing] = [...(Array.isArray(prev) ? prev : [prev]), value]
    } else {
      if (existing !== undefined) delete headers[existing]
      headers[rule.name] = value
    }
  }
}
