/** The message types of the files we carry (wrappers, logical types), parsed once, for values written outside a field. */
import protobuf from 'protobufjs'
import { DataError } from '../../../api/index.ts'
import { DATE_PROTO, DECIMAL_PROTO, TIME_OF_DAY_PROTO, TIMESTAMP_PROTO, WRAPPERS_PROTO, knownProtoText } from './known-proto-files.ts'
import { messageInfo, type MessageInfo } from './proto-descriptor.ts'

let root: protobuf.Root | null = null

export function knownMessage (fullName: string): MessageInfo {
  if (root === null) {
    const r = new protobuf.Root()
    for (const file of [WRAPPERS_PROTO, TIMESTAMP_PROTO, DATE_PROTO, TIME_OF_DAY_PROTO, DECIMAL_PROTO]) {
      protobuf.parse(knownProtoText(file)!, r, { keepCase: true })
    }
    r.resolveAll()
    root = r
  }
  const type = root.lookup(fullName)
  if (!(type instanceof protobuf.Type)) throw new DataError(`Unknown Protobuf message ${fullName}`)
  return messageInfo(type)
}
