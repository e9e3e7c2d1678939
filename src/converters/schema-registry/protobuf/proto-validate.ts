/**
 * The checks protobuf-java's descriptor building makes on a file Confluent builds from a Connect schema (its failure
 * is Confluent's "Invalid protobuf schema definition"): every name an identifier, field numbers in range and unique,
 * no two symbols of one scope with the same name (enum values count in their enum's scope, C++ style).
 */
import { DataError } from '../../../api/index.ts'
import type { FileDef, MessageDef } from './proto-text.ts'

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
const MAX_FIELD_NUMBER = 536870911

function fail (where: string, problem: string): never {
  throw new DataError(`Invalid protobuf schema definition: ${where}: ${problem}`)
}

function identifier (where: string, name: string): void {
  if (name === '') fail(where, 'Missing name.')
  if (!IDENTIFIER.test(name)) fail(where, `"${name}" is not a valid identifier.`)
}

function message (scope: string, m: MessageDef): void {
  const full = scope === '' ? m.name : `${scope}.${m.name}`
  identifier(full, m.name)
  const symbols = new Set<string>()
  const symbol = (name: string): void => {
    if (symbols.has(name)) fail(`${full}.${name}`, `"${name}" is already defined in "${full}".`)
    symbols.add(name)
  }
  const numbers = new Map<number, string>()
  for (const f of [...m.fields, ...m.oneofs.flatMap(o => o.fields)]) {
    identifier(`${full}.${f.name}`, f.name)
    symbol(f.name)
    if (f.number <= 0) fail(`${full}.${f.name}`, 'Field numbers must be positive integers.')
    if (f.number > MAX_FIELD_NUMBER) fail(`${full}.${f.name}`, `Field numbers cannot be greater than ${MAX_FIELD_NUMBER}.`)
    if (f.number >= 19000 && f.number <= 19999) fail(`${full}.${f.name}`, 'Field numbers 19000 through 19999 are reserved for the protocol buffer library implementation.')
    const other = numbers.get(f.number)
    if (other !== undefined) fail(`${full}.${f.name}`, `Field number ${f.number} has already been used in "${full}" by field "${other}".`)
    numbers.set(f.number, f.name)
  }
  for (const o of m.oneofs) { identifier(`${full}.${o.name}`, o.name); symbol(o.name) }
  for (const n of m.messages) symbol(n.name)
  for (const e of m.enums) {
    identifier(`${full}.${e.name}`, e.name)
    symbol(e.name)
    for (const [name] of e.values) { identifier(`${full}.${name}`, name); symbol(name) }
  }
  for (const n of m.messages) message(full, n)
}

export function validateFile (file: FileDef): void {
  if (file.package !== null) for (const part of file.package.split('.')) identifier(file.package, part)
  for (const m of file.messages) message(file.package ?? '', m)
}
