/**
 * PostgreSQL log sequence numbers (LSNs): 64-bit WAL positions, printed by the server as two hexadecimal halves
 * ('16/B374D848'). We hold them as bigint; Debezium's offsets store them as a JSON number (a Java long), so there are
 * number conversions too, refusing values a double cannot hold exactly.
 */
import { DataError } from '../../src/api/index.ts'

export type Lsn = bigint

/** InvalidXLogRecPtr: '0/0', what the server means by "no position". */
export const INVALID_LSN: Lsn = 0n
export const MAX_LSN: Lsn = 0xFFFF_FFFF_FFFF_FFFFn

const LSN_TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/

/** '16/B374D848' → 0x16B374D848n. Throws DataError on anything else. */
export function parseLsn (text: string): Lsn {
  const m = LSN_TEXT.exec(text)
  if (m === null) throw new DataError(`invalid LSN '${text}': expected two hexadecimal numbers of up to 8 digits separated by '/', e.g. '16/B374D848'`)
  return (BigInt(`0x${m[1]!}`) << 32n) | BigInt(`0x${m[2]!}`)
}

/** The server's own spelling (%X/%X: upper case, no padding): 0x16B374D848n → '16/B374D848'. */
export function formatLsn (lsn: Lsn): string {
  checkRange(lsn)
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xFFFF_FFFFn).toString(16).toUpperCase()}`
}

/** The LSN as a JSON number, as Debezium writes it in offsets; throws DataError beyond 2^53 - 1 (8 PiB of WAL). */
export function lsnToNumber (lsn: Lsn): number {
  checkRange(lsn)
  if (lsn > BigInt(Number.MAX_SAFE_INTEGER)) throw new DataError(`LSN ${formatLsn(lsn)} is too large to be written exactly as a JSON number`)
  return Number(lsn)
}

/** An LSN read from an offset: a JSON number (what Debezium writes), or a bigint or a decimal string of one. */
export function lsnFromNumber (value: number | bigint | string): Lsn {
  let lsn: bigint
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new DataError(`invalid LSN ${value}: not an integer a JSON number holds exactly`)
    lsn = BigInt(value)
  } else if (typeof value === 'bigint') {
    lsn = value
  } else {
    if (!/^\d{1,20}$/.test(value)) throw new DataError(`invalid LSN '${value}': not a decimal integer`)
    lsn = BigInt(value)
  }
  checkRange(lsn)
  return lsn
}

function checkRange (lsn: Lsn): void {
  if (lsn < 0n || lsn > MAX_LSN) throw new DataError(`LSN ${lsn} is outside 0 .. 2^64-1`)
}
