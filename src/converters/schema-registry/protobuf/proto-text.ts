/**
 * A .proto file as the Connect-to-Protobuf mapping builds it, and its text in Confluent's canonical layout
 * (ProtobufSchemaUtils.toString of a schema built from a descriptor, not normalized): syntax, package, imports, then
 * top-level messages and enums; inside a message its fields (proto3 `optional` ones included), its oneofs, its nested
 * messages, its nested enums, each group after a blank line; two spaces per level, every line of a nested element
 * indented (so a blank line inside a nested message becomes two spaces); field metadata as a confluent.field_meta
 * option with its params as a list of key/value maps.
 */

export interface FieldDef {
  readonly name: string
  readonly number: number
  /** A scalar type name, or a message or enum type as it is referred to (relative, or with its package). */
  readonly type: string
  readonly label: 'repeated' | 'optional' | null
  /** confluent.field_meta params, in the order they are written. */
  readonly params: ReadonlyArray<readonly [string, string]>
}

export interface OneofDef {
  readonly name: string
  readonly fields: FieldDef[]
}

export interface EnumDef {
  readonly name: string
  readonly values: ReadonlyArray<readonly [string, number]>
}

export interface MessageDef {
  readonly name: string
  readonly fields: FieldDef[]
  readonly oneofs: OneofDef[]
  readonly messages: MessageDef[]
  readonly enums: EnumDef[]
}

export interface FileDef {
  readonly package: string | null
  readonly imports: string[]
  readonly messages: MessageDef[]
}

/** Confluent's appendIndented: Java's split("\n") (trailing empty strings dropped), two spaces before each line. */
function indented (value: string): string {
  const lines = value.split('\n')
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop()
  return lines.map(l => `  ${l}\n`).join('')
}

/** ProtobufSchemaUtils.escapeChars. */
function escape (s: string): string {
  const table: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', '\'': '\\\'', '"': '\\"' }
  let out = ''
  for (const c of s) out += table[c] ?? c
  return out
}

/** The field_meta option: `(confluent.field_meta) = {` then `params: [` with one `{ key, value }` map per param. */
function metaOption (params: FieldDef['params']): string {
  const maps = params.map(([key, value]) => {
    // Confluent writes precision and scale value first, "for backward compatibility".
    const kv = key === 'precision' || key === 'scale'
      ? [`value: "${escape(value)}"`, `key: "${escape(key)}"`]
      : [`key: "${escape(key)}"`, `value: "${escape(value)}"`]
    return `{\n${indented(kv.join(',\n'))}}`
  })
  const list = `[\n${maps.map((m, i) => indented(m + (i < maps.length - 1 ? ',' : ''))).join('')}]`
  return `(confluent.field_meta) = {\n${indented(`params: ${list}`)}}`
}

function fieldText (f: FieldDef, inOneof: boolean): string {
  const label = !inOneof && f.label !== null ? `${f.label} ` : ''
  const options = f.params.length > 0 ? ` [${metaOption(f.params)}]` : ''
  return `${label}${f.type} ${f.name} = ${f.number}${options};\n`
}

function enumText (e: EnumDef): string {
  return `enum ${e.name} {${e.values.length > 0 ? '\n' : ''}${e.values.map(([n, v]) => indented(`${n} = ${v};\n`)).join('')}}\n`
}

function messageText (m: MessageDef): string {
  let s = `message ${m.name} {`
  if (m.fields.length > 0) s += '\n' + m.fields.map(f => indented(fieldText(f, false))).join('')
  // Confluent leaves out a oneof without fields (the synthetic oneof of a proto3 optional field has none of its own).
  const oneofs = m.oneofs.filter(o => o.fields.length > 0)
  if (oneofs.length > 0) {
    s += '\n' + oneofs.map(o => indented(`oneof ${o.name} {${o.fields.length > 0 ? '\n' : ''}${o.fields.map(f => indented(fieldText(f, true))).join('')}}\n`)).join('')
  }
  if (m.messages.length + m.enums.length > 0) {
    s += '\n' + m.messages.map(n => indented(messageText(n))).join('') + m.enums.map(e => indented(enumText(e))).join('')
  }
  return `${s}}\n`
}

export function fileText (file: FileDef): string {
  let s = 'syntax = "proto3";\n'
  if (file.package !== null) s += `package ${file.package};\n`
  if (file.imports.length > 0) s += '\n' + file.imports.map(i => `import "${i}";\n`).join('')
  if (file.messages.length > 0) s += '\n' + file.messages.map(messageText).join('')
  return s
}
