/**
 * A registry's .proto text and the files it imports, parsed at run time with protobufjs into one Root. Imports are
 * resolved as Confluent's ProtobufSchema resolves them: the references the registry gave first, then the files it
 * knows without the registry (google/protobuf/*, google/type/* we carry, confluent/*).
 */
import { createRequire } from 'node:module'
import protobuf from 'protobufjs'
import { DataError } from '../../../api/index.ts'
import type { ResolvedReference } from '../schema-format.ts'
import { knownProtoText } from './known-proto-files.ts'

/** The main file of a parse: its package, syntax and top-level types in declaration order. */
export interface ProtoFile {
  readonly root: protobuf.Root
  /** '' when the file declares none. */
  readonly package: string
  /** 'proto2', 'proto3' or an edition. */
  readonly syntax: string
  readonly messages: readonly protobuf.Type[]
  readonly enums: readonly protobuf.Enum[]
}

const PARSE_OPTIONS = { keepCase: true }
const require = createRequire(import.meta.url)
/** Descriptor-family files protobufjs ships as JSON (descriptor.proto is what confluent/meta.proto imports). */
const BUNDLED_JSON: ReadonlyMap<string, string> = new Map(['descriptor', 'api', 'type', 'source_context']
  .map(f => [`google/protobuf/${f}.proto`, `protobufjs/google/protobuf/${f}.json`]))

function parseInto (root: protobuf.Root, text: string, path: string): protobuf.IParserResult {
  try {
    return protobuf.parse(text, root, PARSE_OPTIONS)
  } catch (err) {
    throw new DataError(`Invalid Protobuf schema${path === '' ? '' : ` ${path}`}: ${(err as Error).message}`, { cause: err })
  }
}

/** The syntax protobufjs recorded on a file's top-level declarations (absent `syntax` means proto2). */
function syntaxOf (objects: readonly protobuf.ReflectionObject[], text: string): string {
  for (const o of objects) {
    const edition = (o as unknown as { _edition?: string })._edition
    if (typeof edition === 'string') return edition
  }
  return /^\s*syntax\s*=\s*["']proto3["']/m.test(text) ? 'proto3' : 'proto2'
}

export function parseProtoFile (text: string, references: readonly ResolvedReference[]): ProtoFile {
  const root = new protobuf.Root()
  const result = parseInto(root, text, '')
  const pkg = result.package ?? ''
  const ns = pkg === '' ? root : root.lookup(pkg)
  const declared = ns instanceof protobuf.Namespace ? [...ns.nestedArray] : []
  const messages = declared.filter((o): o is protobuf.Type => o instanceof protobuf.Type)
  const enums = declared.filter((o): o is protobuf.Enum => o instanceof protobuf.Enum)

  const byName = new Map(references.map(r => [r.name, r.schema]))
  const loaded = new Set<string>()
  const pending = [...result.imports ?? [], ...result.weakImports ?? []]
  while (pending.length > 0) {
    const path = pending.shift()!
    if (loaded.has(path)) continue
    loaded.add(path)
    const importText = byName.get(path) ?? knownProtoText(path)
    if (importText !== undefined) {
      const imported = parseInto(root, importText, path)
      pending.push(...imported.imports ?? [], ...imported.weakImports ?? [])
      continue
    }
    const json = BUNDLED_JSON.has(path) ? require(BUNDLED_JSON.get(path)!) as protobuf.INamespace : protobuf.common.get(path)
    if (json === null || json === undefined) {
      throw new DataError(`Invalid Protobuf schema: cannot resolve import "${path}" (not among the schema's references nor a known file)`)
    }
    root.addJSON(json.nested ?? {})
  }
  try {
    root.resolveAll()
  } catch (err) {
    throw new DataError(`Invalid Protobuf schema: ${(err as Error).message}`, { cause: err })
  }
  return { root, package: pkg, syntax: syntaxOf(declared, text), messages, enums }
}
