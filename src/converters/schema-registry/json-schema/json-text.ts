/**
 * JSON trees (the reader's JsonNode: Maps for objects, JsonNumber for numbers kept as text) written as Jackson's
 * ObjectMapper writes a JsonNode: compact, or with Jackson's default pretty printer for json.indent.output.
 */
import { jsonString } from '../../json/json-writer.ts'
import { JsonNumber, type JsonNode, type JsonObject } from '../../../util/json-reader.ts'

export function num (text: string): JsonNumber {
  return new JsonNumber(text, !/[.eE]/.test(text))
}

/** A JSON tree as compact text (Jackson's default). */
export function writeJson (node: JsonNode): string {
  if (node === null) return 'null'
  switch (typeof node) {
    case 'boolean': return node ? 'true' : 'false'
    case 'string': return jsonString(node)
  }
  if (node instanceof JsonNumber) return node.text
  if (Array.isArray(node)) {
    let out = '['
    for (let i = 0; i < node.length; i++) out += (i === 0 ? '' : ',') + writeJson(node[i]!)
    return out + ']'
  }
  let out = '{'
  let first = true
  for (const [k, v] of node as JsonObject) {
    out += (first ? '' : ',') + jsonString(k) + ':' + writeJson(v)
    first = false
  }
  return out + '}'
}

/**
 * Jackson's DefaultPrettyPrinter: object entries on their own lines indented by two spaces per object level,
 * " : " between name and value, arrays on one line as "[ 1, 2 ]", empty containers as "{ }" and "[ ]".
 */
export function writePrettyJson (node: JsonNode, level = 0): string {
  if (node === null || typeof node !== 'object' || node instanceof JsonNumber) return writeJson(node)
  if (Array.isArray(node)) {
    if (node.length === 0) return '[ ]'
    return `[ ${node.map(v => writePrettyJson(v, level)).join(', ')} ]`
  }
  const obj = node as JsonObject
  if (obj.size === 0) return '{ }'
  const inner = '\n' + '  '.repeat(level + 1)
  const parts: string[] = []
  for (const [k, v] of obj) parts.push(`${inner}${jsonString(k)} : ${writePrettyJson(v, level + 1)}`)
  return `{${parts.join(',')}\n${'  '.repeat(level)}}`
}
