/**
 * A Protobuf schema as the registry holds it (a .proto file and the files it imports) with one of its messages
 * selected, as Confluent's ProtobufSchema: the first message unless told otherwise; its name is what
 * RecordNameStrategy uses. Message indexes name a message of the file by its position among the messages at each
 * level of nesting, counted in declaration order (map fields make no message of their own in the text).
 */
import protobuf from 'protobufjs'
import { DataError } from '../../../api/index.ts'
import type { FormatSchema, ResolvedReference } from '../schema-format.ts'
import { parseProtoFile, type ProtoFile } from './proto-file.ts'
import { messageInfo, type MessageInfo } from './proto-descriptor.ts'
import { javaSplit } from './protobuf-names.ts'

const stripDot = (name: string): string => name.startsWith('.') ? name.slice(1) : name
const nestedMessages = (ns: protobuf.NamespaceBase): protobuf.Type[] => ns.nestedArray.filter((o): o is protobuf.Type => o instanceof protobuf.Type)

export class ProtobufSchema implements FormatSchema {
  readonly text: string
  readonly references: readonly ResolvedReference[]
  readonly file: ProtoFile
  /** The selected message's full name (or the first enum's, for a file without messages). */
  readonly recordName: string | null
  /** The file's other messages selected, made once each (a payload's indexes select one per record). */
  readonly #others: Map<string, ProtobufSchema>

  constructor (text: string, references: readonly ResolvedReference[], file: ProtoFile, name: string | null, others?: Map<string, ProtobufSchema>) {
    this.text = text
    this.references = references
    this.file = file
    this.recordName = name
    // One map for the file: every selection of it hands out the same schema objects (the converters' caches key on them).
    this.#others = others ?? new Map()
    if (!this.#others.has(name ?? '')) this.#others.set(name ?? '', this)
  }

  static parse (text: string, references: readonly ResolvedReference[]): ProtobufSchema {
    const file = parseProtoFile(text, references)
    const first = file.messages[0] ?? file.enums[0]
    return new ProtobufSchema(text, references, file, first === undefined ? null : stripDot(first.fullName))
  }

  /** The same file with another of its messages selected (by full name). */
  withMessage (fullName: string): ProtobufSchema {
    let other = this.#others.get(fullName)
    if (other === undefined) {
      other = new ProtobufSchema(this.text, this.references, this.file, fullName, this.#others)
    }
    return other
  }

  /** The selected message's descriptor. */
  message (): MessageInfo {
    const type = this.recordName === null ? null : this.file.root.lookup(this.recordName)
    if (!(type instanceof protobuf.Type)) throw new DataError(`Could not find descriptor with name ${this.recordName ?? 'null'}`)
    return messageInfo(type)
  }

  /**
   * ProtobufSchema.toMessageIndexes: each dot-separated part of `fullName` that names a message at the current level
   * adds that message's position (parts that name none, such as the package's, add nothing).
   */
  indexesOf (fullName: string): number[] {
    const indexes: number[] = []
    let level: readonly protobuf.Type[] = this.file.messages
    for (const part of javaSplit(fullName, '.')) {
      const i = level.findIndex(t => t.name === part)
      if (i < 0) continue
      indexes.push(i)
      level = nestedMessages(level[i]!)
    }
    return indexes
  }

  /** ProtobufSchema.toMessageName: the full name of the message the indexes point at. */
  nameAt (indexes: readonly number[]): string {
    const path = indexes.length === 0 ? [0] : indexes
    let level: readonly protobuf.Type[] = this.file.messages
    const names: string[] = []
    for (const i of path) {
      const t = level[i]
      if (t === undefined) throw new DataError(`Invalid message indexes: [${indexes.join(', ')}]`)
      names.push(t.name)
      level = nestedMessages(t)
    }
    return this.file.package === '' ? names.join('.') : `${this.file.package}.${names.join('.')}`
  }
}
