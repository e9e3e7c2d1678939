// The benchmark's inputs (deterministic, so every runner sees the same bytes) and the sink side's completion check.
import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs'

export const VALUE_BYTES = 100
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** Line i (without its newline): a 10-digit sequence number, a space and 89 pseudo-random letters and digits. */
export function line (i) {
  let x = (i * 2654435761) >>> 0
  let text = String(i).padStart(10, '0') + ' '
  while (text.length < VALUE_BYTES) {
    x = (x * 1103515245 + 12345) >>> 0
    text += ALPHABET[(x >>> 16) % ALPHABET.length]
  }
  return text
}

// Filler for records longer than a line: one fixed pseudo-random text, so that building them costs no more than a copy.
let filler = ''

/** Record i of `size` bytes (the scaling table's record sizes): line(i), then filler; line(i) itself for VALUE_BYTES. */
export function sizedLine (i, size) {
  if (size <= VALUE_BYTES) return line(i).slice(0, size)
  while (filler.length < size - VALUE_BYTES) filler += line(filler.length + 1_000_000_007).slice(11)
  return line(i) + filler.slice(0, size - VALUE_BYTES)
}

/** Writes `count` lines of `size` bytes (plus '\n') to `file`; returns the file's size. */
export function writeLinesFile (file, count, size = VALUE_BYTES) {
  const buf = Buffer.allocUnsafe(count * (size + 1))
  for (let i = 0; i < count; i++) {
    const off = i * (size + 1)
    buf.write(size === VALUE_BYTES ? line(i) : sizedLine(i, size), off, 'latin1')
    buf[off + size] = 0x0a
  }
  writeFileSync(file, buf)
  return buf.length
}

/** Scenario d's input: JsonConverter envelopes (schemas on) of a four-field struct. */
export const JSON_SCHEMA = {
  type: 'struct',
  fields: [
    { type: 'int64', optional: false, field: 'id' },
    { type: 'string', optional: false, field: 'line' },
    { type: 'string', optional: false, field: 'origin' },
    { type: 'int32', optional: false, field: 'shard' }
  ],
  optional: false,
  name: 'bench.Line'
}
const SCHEMA_TEXT = JSON.stringify(JSON_SCHEMA)

export function jsonValue (i) {
  return Buffer.from(`{"schema":${SCHEMA_TEXT},"payload":{"id":${i},"line":"${line(i)}","origin":"bench-node-${i % 4}","shard":${i % 16}}}`)
}

/** Every SKIP_EVERY-th record of scenario d carries the header that the predicate-guarded Filter drops. */
export const SKIP_EVERY = 10
export const SKIP_HEADER = 'skip'
export const isSkipped = i => i % SKIP_EVERY === SKIP_EVERY - 1
export const skippedCount = n => Math.floor(n / SKIP_EVERY)

const delay = ms => new Promise(resolve => setTimeout(resolve, ms))

/**
 * Watches `file` (appended to by a sink) until it holds `expected` lines; resolves { firstMs, lastMs } as
 * performance.now() values, rejects after `timeoutMs` or when `isAlive()` stops returning true.
 */
export async function watchLines (file, expected, { timeoutMs, intervalMs = 20, isAlive = () => true, describe = () => '', onFirst = () => {} }) {
  const deadline = performance.now() + timeoutMs
  const buf = Buffer.allocUnsafe(8 * 1024 * 1024)
  let position = 0
  let lines = 0
  let firstMs = null
  let fd = null
  try {
    for (;;) {
      if (fd === null) { try { fd = openSync(file, 'r') } catch {} }
      if (fd !== null) {
        for (;;) {
          const n = readSync(fd, buf, 0, buf.length, position)
          if (n === 0) break
          position += n
          const chunk = buf.subarray(0, n)
          for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) lines++
        }
      }
      const now = performance.now()
      if (position > 0 && firstMs === null) { firstMs = now; onFirst() }
      if (lines >= expected) return { firstMs, lastMs: now, lines, bytes: statSync(file).size }
      if (now > deadline) throw new Error(`timeout: ${file} holds ${lines} of ${expected} lines after ${(timeoutMs / 1000).toFixed(0)} s\n${describe()}`)
      const alive = isAlive()
      if (alive !== true) throw new Error(`the worker ${alive} while ${file} held ${lines} of ${expected} lines\n${describe()}`)
      await delay(intervalMs)
    }
  } finally {
    if (fd !== null) closeSync(fd)
  }
}
