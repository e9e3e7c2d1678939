/**
 * Reads the connector files given on the command line after the worker file.
 *
 * Apache Kafka 3.7+ (`ConnectStandalone.parseConnectorConfigurationFile`, KIP-980) decides the format from the
 * content, trying in order:
 *   1. a JSON object of string -> scalar, i.e. the `PUT /connectors/{name}/config` body;
 *   2. a JSON object shaped like the `POST /connectors` body, `{name, config, initial_state}`, whose other
 *      top-level fields are ignored;
 *   3. a Java `.properties` file.
 * We keep that order and add YAML.
 *
 * YAML rule: a file is read as YAML if, and only if, its name ends in `.yaml` or `.yml` (any case). Content sniffing
 * cannot tell YAML from properties safely: `name: x` is a valid line in both, and even an indented `config:`
 * block is a legal (if odd) properties file, so any content rule could change the meaning of a file Apache
 * accepts. No one passes a `.yaml` file to Apache's worker expecting properties, so the extension is a safe signal.
 * A YAML document may be a flat mapping or the `{name, config, initial_state}` shape.
 *
 * Deliberate differences from Apache, all turning a confusing outcome into a clear error:
 *   - content that starts with `{` (after whitespace and a byte order mark) is JSON, and a JSON syntax error is
 *     reported with its line and column. Apache falls through to the properties reader and then complains
 *     about a missing name, which hides the real problem;
 *   - content after the closing `}` is an error (Jackson ignores it);
 *   - a JSON array at the top level is reported as such;
 *   - object, array or null values are reported with their key, instead of failing later (null) or with a
 *     NullPointerException (`{"name": "x", "other": {}}`);
 *   - an invalid `initial_state` is reported as such, instead of falling through to the properties reader.
 */

import { LineCounter, isAlias, isMap, isNode, isScalar, isSeq, parseDocument } from 'yaml'
import type { Document, Node as YamlNode } from 'yaml'
import { ConfigFileError } from '../api/errors.ts'
import { JsonMembers, JsonNumber, JsonSyntaxError, readFileJson, type JsonFileNode } from '../util/json-reader.ts'
import { parseProperties, readConfigFile, toRecord } from '../java/properties.ts'

export type InitialState = 'RUNNING' | 'PAUSED' | 'STOPPED'
export type ConnectorFileFormat = 'json-map' | 'json-request' | 'properties' | 'yaml'

export interface ConnectorFileConfig {
  /** The connector name; `config.name` always holds the same value. */
  name: string
  config: Record<string, string>
  /** `initial_state` from a request-shaped file, upper-cased; undefined means "use the default" (RUNNING). */
  initialState: InitialState | undefined
  format: ConnectorFileFormat
  /** The 1-based line where each config key is defined, for error messages. */
  lines?: Map<string, number>
}

const INITIAL_STATES: readonly InitialState[] = ['RUNNING', 'PAUSED', 'STOPPED']

/** Reads a connector file and returns its name, config and initial state. */
export async function loadConnectorFile (path: string): Promise<ConnectorFileConfig> {
  return parseConnectorFile(await readConfigFile(path), path)
}

/**
 * Parses the content of a connector file. `path` names the file in error messages and selects YAML by extension.
 * A string is taken as already decoded text.
 */
export function parseConnectorFile (content: Buffer | string, path: string): ConnectorFileConfig {
  if (/\.ya?ml$/i.test(path)) {
    return interpret(parseYamlTree(decodeUnicode(content, path), path), path, 'yaml')
  }
  const first = firstSignificantChar(content)
  if (first === '{') {
    return interpret(parseJsonTreeOrThrow(decodeUnicode(content, path), path), path, 'json')
  }
  if (first === '[') {
    // A JSON array is never a connector config. Content that merely starts with `[` and is not JSON is left to
    // the properties reader, as in Apache.
    let tree: Tree | undefined
    try {
      tree = parseJsonTree(decodeUnicode(content, path))
    } catch {
      tree = undefined
    }
    if (tree !== undefined) {
      throw new ConfigFileError(
        `Connector file '${path}' must contain a JSON object, but it contains an array (line ${tree.line})`,
        path, tree.line)
    }
  }
  return fromProperties(content, path)
}

// ---------------------------------------------------------------------------------------------------------------
// A format-neutral tree, so the JSON and YAML readers share one set of shape rules and messages.

type Tree =
  | { kind: 'object', entries: Entry[], line: number }
  | { kind: 'array', line: number }
  | { kind: 'scalar', text: string, line: number }
  | { kind: 'null', line: number }

interface Entry {
  key: string
  line: number
  value: Tree
}

type Syntax = 'json' | 'yaml'

function describeKind (tree: Tree, syntax: Syntax): string {
  switch (tree.kind) {
    case 'object': return syntax === 'json' ? 'an object' : 'a mapping'
    case 'array': return syntax === 'json' ? 'an array' : 'a sequence'
    case 'null': return 'null'
    case 'scalar': return 'a scalar'
  }
}

/** The last entry with this key: later duplicates win, as with Jackson. */
function lastEntry (entries: readonly Entry[], key: string): Entry | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i] as Entry
    if (entry.key === key) return entry
  }
  return undefined
}

function missingName (path: string, hint = ''): ConfigFileError {
  return new ConfigFileError(
    `Connector configuration at '${path}' is missing the mandatory 'name' configuration${hint}`, path)
}

/** Turns a map of scalars into config values, rejecting anything else with the key and line. */
function collectValues (entries: readonly Entry[], path: string, syntax: Syntax, where: string):
{ values: Map<string, string>, lines: Map<string, number> } {
  const values = new Map<string, string>()
  const lines = new Map<string, number>()
  for (const entry of entries) {
    const { key, value } = entry
    if (value.kind !== 'scalar') {
      const hint = value.kind === 'null' ? ' (use "" for an empty value)' : ''
      throw new ConfigFileError(
        `Invalid value for key '${key}'${where} in '${path}' at line ${value.line}: expected a string, number or ` +
        `boolean but found ${describeKind(value, syntax)}${hint}`,
        path, value.line)
    }
    values.delete(key)
    values.set(key, value.text)
    lines.set(key, entry.line)
  }
  return { values, lines }
}

function interpret (tree: Tree | undefined, path: string, syntax: Syntax): ConnectorFileConfig {
  if (tree === undefined) throw missingName(path)
  if (tree.kind !== 'object') {
    const what = syntax === 'json' ? 'a JSON object' : 'a YAML mapping'
    throw new ConfigFileError(
      `Connector file '${path}' must contain ${what}, but it contains ${describeKind(tree, syntax)} ` +
      `(line ${tree.line})`, path, tree.line)
  }
  const entries = tree.entries
  const configEntry = lastEntry(entries, 'config')
  const requestShaped = configEntry !== undefined &&
    (configEntry.value.kind === 'object' || configEntry.value.kind === 'array')

  if (!requestShaped) {
    // A flat map (Apache's first attempt). Nested values are reported by collectValues, naming the first one.
    const { values, lines } = collectValues(entries, path, syntax, '')
    const name = values.get('name')
    if (name === undefined) throw missingName(path)
    return { name, config: toRecord(values), initialState: undefined, format: syntax === 'json' ? 'json-map' : 'yaml', lines }
  }

  // The {name, config, initial_state} shape. Other top-level fields are ignored, like Jackson with
  // FAIL_ON_UNKNOWN_PROPERTIES disabled.
  const nameEntry = lastEntry(entries, 'name')
  if (nameEntry === undefined) throw missingName(path)
  if (nameEntry.value.kind !== 'scalar') {
    throw new ConfigFileError(
      `Invalid value for key 'name' in '${path}' at line ${nameEntry.value.line}: expected a string but found ` +
      describeKind(nameEntry.value, syntax), path, nameEntry.value.line)
  }
  const name = nameEntry.value.text

  if (configEntry.value.kind !== 'object') {
    throw new ConfigFileError(
      `Invalid value for key 'config' in '${path}' at line ${configEntry.value.line}: expected ` +
      `${syntax === 'json' ? 'an object' : 'a mapping'} of config keys to values but found ` +
      describeKind(configEntry.value, syntax), path, configEntry.value.line)
  }
  const { values, lines } = collectValues(configEntry.value.entries, path, syntax, " in 'config'")

  let initialState: InitialState | undefined
  const stateEntry = lastEntry(entries, 'initial_state')
  if (stateEntry !== undefined && stateEntry.value.kind !== 'null') {
    // Apache upper-cases the value (InitialState.forValue), so `paused` is accepted.
    const text = stateEntry.value.kind === 'scalar' ? stateEntry.value.text : undefined
    const upper = text?.toUpperCase()
    initialState = INITIAL_STATES.find(s => s === upper)
    if (initialState === undefined) {
      const found = text !== undefined ? `'${text}'` : describeKind(stateEntry.value, syntax)
      throw new ConfigFileError(
        `Invalid value for key 'initial_state' in '${path}' at line ${stateEntry.value.line}: expected RUNNING, ` +
        `PAUSED or STOPPED but found ${found}`, path, stateEntry.value.line)
    }
  }

  const configName = values.get('name')
  if (configName !== undefined) {
    if (configName !== name) {
      const configLine = lines.get('name')
      throw new ConfigFileError(
        `Connector name configuration in 'config' doesn't match the one specified in 'name' at '${path}': ` +
        `'name' is '${name}' (line ${nameEntry.line}) but 'config' has name '${configName}' (line ${configLine ?? '?'})`,
        path, configLine)
    }
  } else {
    values.set('name', name)
    lines.set('name', nameEntry.line)
  }
  return { name, config: toRecord(values), initialState, format: syntax === 'json' ? 'json-request' : 'yaml', lines }
}

// ---------------------------------------------------------------------------------------------------------------
// Properties

function fromProperties (content: Buffer | string, path: string): ConnectorFileConfig {
  const { values, lines } = parseProperties(content, path)
  const name = values.get('name')
  if (name === undefined) {
    // Java keeps a UTF-8 byte order mark as three ISO-8859-1 characters glued to the first key, so a file
    // saved "with BOM" whose first line is `name=...` has no `name` key. Say so, or the error is baffling.
    const bomName = '\u00ef\u00bb\u00bfname'
    const hint = values.has(bomName)
      ? ' (the file starts with a UTF-8 byte order mark, which the Java properties format keeps as part of the ' +
        'first key; save the file without it)'
      : ''
    throw missingName(path, hint)
  }
  return { name, config: toRecord(values), initialState: undefined, format: 'properties', lines }
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding and sniffing

function isJsonWhitespace (c: string | number | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
}

/** The first non-whitespace character, after any byte order mark; used to recognise JSON. */
function firstSignificantChar (content: Buffer | string): string | undefined {
  if (typeof content === 'string') {
    let i = content.charCodeAt(0) === 0xfeff ? 1 : 0
    while (i < content.length && isJsonWhitespace(content[i])) i++
    return content[i]
  }
  if (hasUtf16Bom(content)) return firstSignificantChar(decodeUnicode(content, ''))
  let i = hasUtf8Bom(content) ? 3 : 0
  while (i < content.length && isJsonWhitespace(content[i])) i++
  const b = content[i]
  return b === undefined ? undefined : String.fromCharCode(b)
}

function hasUtf8Bom (buf: Buffer): boolean {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf
}

function hasUtf16Bom (buf: Buffer): boolean {
  return buf.length >= 2 && ((buf[0] === 0xfe && buf[1] === 0xff) || (buf[0] === 0xff && buf[1] === 0xfe))
}

/**
 * Decodes JSON or YAML bytes: UTF-8 unless a UTF-16 byte order mark says otherwise (Jackson and YAML both
 * accept these). Invalid UTF-8 is an error naming the line, rather than silently becoming U+FFFD.
 */
function decodeUnicode (content: Buffer | string, path: string): string {
  if (typeof content === 'string') return content.charCodeAt(0) === 0xfeff ? content.slice(1) : content
  if (hasUtf16Bom(content)) {
    const body = Buffer.from(content.subarray(2))
    if (content[0] === 0xfe) body.swap16() // big-endian: swap to little-endian, which Node decodes natively
    return body.subarray(0, body.length - (body.length % 2)).toString('utf16le')
  }
  const body = hasUtf8Bom(content) ? content.subarray(3) : content
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    const line = firstInvalidUtf8Line(body)
    throw new ConfigFileError(`File '${path}' is not valid UTF-8 (first invalid byte at line ${line})`, path, line)
  }
}

/** Finds the line of the first invalid UTF-8 sequence; line bytes never occur inside a multi-byte sequence. */
function firstInvalidUtf8Line (buf: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let line = 1
  let start = 0
  for (let i = 0; i <= buf.length; i++) {
    const b = buf[i]
    if (b !== undefined && b !== 0x0a && b !== 0x0d) continue
    try {
      decoder.decode(buf.subarray(start, i))
    } catch {
      return line
    }
    if (b === 0x0d && buf[i + 1] === 0x0a) i++
    line++
    start = i + 1
  }
  return line
}

/** Maps an offset in the text to a 1-based line and column; `\n`, `\r\n` and `\r` each end a line. */
function positions (text: string): (offset: number) => { line: number, column: number } {
  const starts = [0]
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++
    if (c === 0x0a || c === 0x0d) starts.push(i + 1)
  }
  return (offset: number) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((starts[mid] as number) <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON, through the converters' JSON reader in its `file` dialect rather than JSON.parse: we need the line of every
// key, the exact text of numbers (Jackson turns `1.50` into the string "1.50", not "1.5"), and a line and column
// for syntax errors, which Node 20's JSON.parse messages do not reliably give.

const MAX_DEPTH = 1000

function parseJsonTree (text: string): Tree {
  const { value, offset } = readFileJson(text)
  const at = positions(text)
  const toTree = (node: JsonFileNode, offset: number): Tree => {
    const line = at(offset).line
    if (node === null) return { kind: 'null', line }
    if (node instanceof JsonMembers) {
      const entries = node.members.map(m => ({ key: m.key, line: at(m.keyOffset).line, value: toTree(m.value, m.valueOffset) }))
      return { kind: 'object', entries, line }
    }
    if (Array.isArray(node)) return { kind: 'array', line }
    // Jackson hands a number's own text to the String deserializer, so it is kept verbatim.
    return { kind: 'scalar', text: node instanceof JsonNumber ? node.text : String(node), line }
  }
  return toTree(value, offset)
}

function parseJsonTreeOrThrow (text: string, path: string): Tree {
  try {
    return parseJsonTree(text)
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err
    const { line, column } = positions(text)(err.offset)
    throw new ConfigFileError(
      `Invalid JSON in connector file '${path}' at line ${line}, column ${column}: ${err.message}`, path, line)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// YAML

function parseYamlTree (text: string, path: string): Tree | undefined {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true })
  const error = doc.errors[0]
  if (error !== undefined) {
    const pos = error.linePos?.[0]
    // The library appends its own position and a source excerpt; keep the first sentence and our own position.
    const reason = error.code === 'MULTIPLE_DOCS'
      ? 'a connector file must contain a single YAML document'
      : error.message.split(/ at line \d+, column \d+/)[0] ?? error.message
    throw new ConfigFileError(
      `Invalid YAML in connector file '${path}'${pos !== undefined ? ` at line ${pos.line}, column ${pos.col}` : ''}: ` +
      reason, path, pos?.line)
  }
  if (doc.contents === null) return undefined
  const lineOf = (node: YamlNode | null | undefined): number => {
    const offset = node?.range?.[0]
    return offset === undefined ? 1 : lineCounter.linePos(offset).line
  }

  const convert = (node: unknown, depth: number): Tree => {
    if (depth > MAX_DEPTH) {
      throw new ConfigFileError(`YAML in connector file '${path}' is nested too deeply`, path)
    }
    if (isAlias(node)) return convert(node.resolve(doc as Document), depth + 1)
    if (isMap(node)) {
      const entries: Entry[] = []
      for (const pair of node.items) {
        const keyNode = pair.key
        const line = isNode(keyNode) ? lineOf(keyNode) : lineOf(pair.value as YamlNode | null)
        if (!isScalar(keyNode) || keyNode.value === null || keyNode.value === undefined) {
          throw new ConfigFileError(
            `Invalid key in YAML connector file '${path}' at line ${line}: keys must be plain strings`, path, line)
        }
        const key = typeof keyNode.value === 'string' ? keyNode.value : keyNode.source ?? String(keyNode.value)
        // `key:` with nothing after it has no value node; treat it as the null it means in YAML.
        const value = pair.value === null ? { kind: 'null' as const, line } : convert(pair.value, depth + 1)
        entries.push({ key, line, value })
      }
      return { kind: 'object', entries, line: lineOf(node) }
    }
    if (isSeq(node)) return { kind: 'array', line: lineOf(node) }
    if (isScalar(node)) {
      const line = lineOf(node)
      if (node.value === null || node.value === undefined) return { kind: 'null', line }
      // Numbers and booleans keep their source text (`1.50` stays "1.50"), matching how JSON numbers are kept.
      const text = typeof node.value === 'string' ? node.value : node.source ?? String(node.value)
      return { kind: 'scalar', text, line }
    }
    return { kind: 'null', line: 1 }
  }
  return convert(doc.contents, 0)
}
