/**
 * Confluent's wire format: magic byte 0, the schema's registry id as a 4-byte big-endian int, then the payload.
 */
import { DataError } from '../../api/index.ts'

export const MAGIC_BYTE = 0
export const HEADER_SIZE = 5

export function writeWireFormat (id: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER_SIZE + payload.length)
  out[0] = MAGIC_BYTE
  out.writeInt32BE(id, 1)
  payload.copy(out, HEADER_SIZE)
  return out
}

/** The schema id of a framed record; a DataError (Confluent's "Unknown magic byte!", with what was found) otherwise. */
export function readWireHeader (bytes: Buffer, topic: string, role: string): number {
  if (bytes.length < HEADER_SIZE || bytes[0] !== MAGIC_BYTE) {
    const what = bytes.length === 0 ? 'an empty value' : bytes.length < HEADER_SIZE ? `${bytes.length} byte${bytes.length === 1 ? '' : 's'}` : `first byte ${bytes[0]}`
    throw new DataError(`Unknown magic byte! The ${role} of a record of topic ${topic} is not in Schema Registry wire format (${what}; expected magic byte 0 and a 4-byte schema id): ` +
      'it was written by another converter')
  }
  return bytes.readInt32BE(1)
}
