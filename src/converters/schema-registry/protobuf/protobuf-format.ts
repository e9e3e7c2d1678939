/**
 * The Protobuf format of the Schema Registry converters (type PROTOBUF): Confluent's ProtobufData mapping between
 * Connect and .proto schemas and values, and the payload after the 5-byte header: the message indexes, then the
 * message. Schemas are parsed at run time with protobufjs; the binary encoding is protobuf-java's.
 */
import { DataError, type ParsedConfig, type Schema } from '../../../api/index.ts'
import { LruCache } from '../../../util/lru-cache.ts'
import type { ResolvedReference, SchemaFormat, SchemaFormatFactory } from '../schema-format.ts'
import { ConnectToProto } from './connect-to-proto.ts'
import { fromConnectSchema } from './from-connect-schema.ts'
import { WRAPPERS_PROTO, isKnownProtoImport, knownProtoText } from './known-proto-files.ts'
import { decodeMessage, encodeMessage } from './message-codec.ts'
import { decodeMessageIndexes, encodeMessageIndexes } from './message-indexes.ts'
import { fileText } from './proto-text.ts'
import { ProtoToConnect } from './proto-to-connect.ts'
import { validateFile } from './proto-validate.ts'
import { PROTOBUF_DATA_CONFIG_DEF, protobufDataOptions, type ProtobufDataOptions } from './protobuf-data-config.ts'
import { ProtobufSchema } from './protobuf-schema.ts'
import { toConnectSchema } from './to-connect-schema.ts'

/** What a Connect schema is written with: the schema made from it and the converter of its values. */
interface Writer {
  readonly schema: ProtobufSchema
  readonly values: ConnectToProto
}

export class ProtobufFormat implements SchemaFormat<ProtobufSchema> {
  readonly type = 'PROTOBUF' as const
  readonly options: ProtobufDataOptions
  readonly #writers: LruCache<Schema, Writer>
  readonly #connectSchemas: LruCache<ProtobufSchema, { version: number | undefined, schema: Schema }>
  readonly #reader: ProtoToConnect

  constructor (options: ProtobufDataOptions) {
    this.options = options
    this.#writers = new LruCache(options.cacheSize)
    this.#connectSchemas = new LruCache(options.cacheSize)
    this.#reader = new ProtoToConnect(options)
  }

  fromConnectSchema (schema: Schema | null): ProtobufSchema {
    return this.#writer(schema).schema
  }

  #writer (schema: Schema | null): Writer {
    if (schema === null) throw new DataError('Protobuf needs a schema: schemaless data (a null schema) cannot be written with the Protobuf converter')
    const cached = this.#writers.get(schema)
    if (cached !== undefined) return cached
    const form = fromConnectSchema(schema, this.options)
    let written: ProtobufSchema
    if (form.kind === 'wrapper') {
      // A primitive is written as a wrapper message: the schema is google/protobuf/wrappers.proto itself.
      written = ProtobufSchema.parse(knownProtoText(WRAPPERS_PROTO)!, []).withMessage(form.messageName)
    } else {
      validateFile(form.file)
      const imports = form.file.imports.filter(i => !(this.options.skipKnownTypes && isKnownProtoImport(i)))
      const references: ResolvedReference[] = imports.map(name => ({ name, subject: name, schema: knownProtoText(name)! }))
      written = ProtobufSchema.parse(fileText(form.file), references).withMessage(form.messageName)
    }
    const writer = { schema: written, values: new ConnectToProto(this.options, form.kind === 'wrapper') }
    this.#writers.set(schema, writer)
    return writer
  }

  parse (text: string, references: readonly ResolvedReference[]): ProtobufSchema {
    return ProtobufSchema.parse(text, references)
  }

  /** `version`: the registry's version of the schema, which the root Connect schema carries (as Confluent's). */
  toConnectSchema (schema: ProtobufSchema, version?: number): Schema {
    const cached = this.#connectSchemas.get(schema)
    if (cached !== undefined && cached.version === version) return cached.schema
    const connect = toConnectSchema(schema.message(), this.options, version)
    this.#connectSchemas.set(schema, { version, schema: connect })
    return connect
  }

  /**
   * The value is converted with the schema made from `connectSchema` (as Confluent's converter does even when it
   * writes with another registered schema, use.latest.version), and the indexes name that message in `schema`.
   */
  serialize (schema: ProtobufSchema, connectSchema: Schema | null, value: unknown): Buffer {
    const writer = this.#writer(connectSchema)
    const message = writer.values.root(writer.schema.message(), connectSchema!, value)
    const name = writer.schema.recordName!
    const indexes = schema === writer.schema ? writer.schema.indexesOf(name) : schema.indexesOf(name)
    return Buffer.concat([encodeMessageIndexes(indexes), encodeMessage(message)])
  }

  deserialize (schema: ProtobufSchema, connectSchema: Schema | null, payload: Buffer): unknown {
    return this.read(schema, connectSchema, payload).value
  }

  /**
   * The payload's message (the one its indexes name, which need not be the schema's first) and its Connect schema:
   * `connectSchema` when the indexes name the schema's own message, that message's otherwise.
   */
  read (schema: ProtobufSchema, connectSchema: Schema | null, payload: Buffer): { schema: Schema, value: unknown } {
    const { indexes, offset } = decodeMessageIndexes(payload)
    const name = schema.nameAt(indexes)
    const selected = name === schema.recordName ? schema : schema.withMessage(name)
    const readSchema = selected === schema && connectSchema !== null ? connectSchema : this.toConnectSchema(selected, connectSchema?.version)
    const message = decodeMessage(selected.message(), payload.subarray(offset))
    return { schema: readSchema, value: this.#reader.convert(readSchema, message, null) }
  }
}

export const protobufFormatFactory: SchemaFormatFactory = {
  type: 'PROTOBUF',
  configDef: PROTOBUF_DATA_CONFIG_DEF,
  create (config: ParsedConfig): ProtobufFormat {
    return new ProtobufFormat(protobufDataOptions(config))
  }
}
