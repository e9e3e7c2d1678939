/**
 * A reader for Java `.properties` files that gives the same keys and values as
 * `java.util.Properties.load(InputStream)` (JDK 17), which is how Apache Kafka reads the worker file and
 * `.properties` connector files. Drop-in compatibility means reproducing its quirks too, not just the common case:
 *
 * - bytes are decoded as ISO-8859-1, so UTF-8 text becomes mojibake exactly as it does in Java;
 * - `#`/`!` start a comment only as the first non-whitespace character of a logical line, and a comment never
 *   continues onto the next line, even when it ends with a backslash;
 * - a line ending with an odd number of backslashes continues on the next one, whose leading whitespace is skipped;
 * - the key ends at the first unescaped `=`, `:` or whitespace; whitespace around the separator is skipped, but
 *   trailing whitespace of the value is kept;
 * - `\t \n \r \f` and `\uXXXX` are escapes, and a backslash before any other character drops the backslash.
 *
 * Unlike Java we also remember the line each key was defined on, so later validation errors can point at it.
 */

import { close, constants, fstat, open } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { Socket } from 'node:net'
import { promisify } from 'node:util'
import { ConfigFileError } from '../api/errors.ts'

export interface PropertiesResult {
  /** Keys and values in file order; a key defined twice keeps its last value, as in Java. */
  readonly values: Map<string, string>
  /** The 1-based line where each key's (last) definition starts. */
  readonly lines: Map<string, number>
}

/** One logical line: its characters, and the natural line each character came from. */
interface LogicalLine {
  readonly chars: string[]
  readonly charLines: number[]
}

/**
 * Splits the text into logical lines the way Java's `Properties.LineReader` does: blank lines and comments are
 * dropped, continuations are joined, and leading whitespace is removed.
 */
function * logicalLines (text: string): Generator<LogicalLine> {
  const n = text.length
  let off = 0
  // The natural line of the next character to read. `\r\n` counts once, so the `\n` of a pair does not count.
  let lineNo = 1
  let chars: string[] = []
  let charLines: number[] = []
  let skipWhiteSpace = true
  let appendedLineBegin = false
  let precedingBackslash = false

  const finish = (): LogicalLine => {
    // A backslash at the very end escapes nothing and is not part of the line.
    if (precedingBackslash) {
      chars.pop()
      charLines.pop()
    }
    const line = { chars, charLines }
    chars = []
    charLines = []
    skipWhiteSpace = true
    appendedLineBegin = false
    precedingBackslash = false
    return line
  }

  while (off < n) {
    const c = text[off++] as string
    const cLine = lineNo
    if (c === '\r' || (c === '\n' && text[off - 2] !== '\r')) lineNo++

    if (skipWhiteSpace) {
      if (c === ' ' || c === '\t' || c === '\f') continue
      // A terminator right after a continuation ends the logical line; anywhere else it is a blank line.
      if (!appendedLineBegin && (c === '\r' || c === '\n')) continue
      skipWhiteSpace = false
      appendedLineBegin = false
    }

    // JDK 9+ checks "nothing collected yet" rather than "first natural line", so a line holding only `\`
    // followed by `# text` makes that text a comment. Mirror it.
    if (chars.length === 0 && (c === '#' || c === '!')) {
      // Leave the terminator to the main loop, which skips it as a blank and counts the line.
      while (off < n && text[off] !== '\r' && text[off] !== '\n') off++
      skipWhiteSpace = true
      continue
    }

    if (c !== '\n' && c !== '\r') {
      chars.push(c)
      charLines.push(cLine)
      precedingBackslash = c === '\\' ? !precedingBackslash : false
      continue
    }

    // End of a natural line.
    if (chars.length === 0) {
      skipWhiteSpace = true
      continue
    }
    if (precedingBackslash && off < n) {
      // The backslash escapes the terminator: drop it and keep collecting from the next natural line.
      chars.pop()
      charLines.pop()
      skipWhiteSpace = true
      appendedLineBegin = true
      precedingBackslash = false
      // `\r\n` is one terminator; its `\n` must not end the continued line.
      if (c === '\r' && text[off] === '\n') off++
      continue
    }
    yield finish()
  }
  if (chars.length > 0) yield finish()
}

function isHexDigit (c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c)
}

/** Java's `loadConvert`: resolves escapes in chars[start, end). */
function unescape (line: LogicalLine, start: number, end: number, file: string, where: () => string): string {
  const { chars, charLines } = line
  let out = ''
  let i = start
  while (i < end) {
    const c = chars[i++] as string
    if (c !== '\\') {
      out += c
      continue
    }
    // logicalLines drops a dangling final backslash and the key scan stops only at an unescaped separator, so
    // a backslash is always followed by a character here, exactly as Java assumes.
    const e = chars[i++] ?? ''
    if (e === 'u') {
      const digits = chars.slice(i, Math.min(i + 4, end))
      if (digits.length < 4 || !digits.every(isHexDigit)) {
        const shown = '\\u' + digits.join('')
        throw new ConfigFileError(
          `Malformed \\uxxxx encoding '${shown}' in '${file}' at line ${charLines[i - 2] ?? '?'} (${where()}): ` +
          'expected \\u followed by exactly four hexadecimal digits',
          file, charLines[i - 2])
      }
      out += String.fromCharCode(Number.parseInt(digits.join(''), 16))
      i += 4
    } else if (e === 't') {
      out += '\t'
    } else if (e === 'r') {
      out += '\r'
    } else if (e === 'n') {
      out += '\n'
    } else if (e === 'f') {
      out += '\f'
    } else {
      // Any other escaped character stands for itself (`\b` is `b`, not a backspace).
      out += e
    }
  }
  return out
}

/**
 * Parses properties text. A Buffer is decoded as ISO-8859-1, like `Properties.load(InputStream)`; a string is taken
 * as already decoded, like `Properties.load(Reader)`. `file` is only used in error messages.
 */
export function parseProperties (input: Buffer | string, file: string): PropertiesResult {
  const text = typeof input === 'string' ? input : input.toString('latin1')
  const values = new Map<string, string>()
  const lines = new Map<string, number>()

  for (const line of logicalLines(text)) {
    const { chars } = line
    const limit = chars.length
    let keyLen = 0
    let valueStart = limit
    let hasSep = false
    let precedingBackslash = false
    while (keyLen < limit) {
      const c = chars[keyLen]
      if ((c === '=' || c === ':') && !precedingBackslash) {
        valueStart = keyLen + 1
        hasSep = true
        break
      }
      if ((c === ' ' || c === '\t' || c === '\f') && !precedingBackslash) {
        valueStart = keyLen + 1
        break
      }
      precedingBackslash = c === '\\' ? !precedingBackslash : false
      keyLen++
    }
    // Skip whitespace before the value, and one `=`/`:` if the key was ended by whitespace (`key = value`).
    while (valueStart < limit) {
      const c = chars[valueStart]
      if (c !== ' ' && c !== '\t' && c !== '\f') {
        if (!hasSep && (c === '=' || c === ':')) hasSep = true
        else break
      }
      valueStart++
    }
    const key = unescape(line, 0, keyLen, file, () => `in the key '${chars.slice(0, keyLen).join('')}'`)
    const value = unescape(line, valueStart, limit, file, () => `in the value of key '${key}'`)
    // Re-inserting moves a redefined key to the end, so iteration order matches "last definition wins".
    values.delete(key)
    values.set(key, value)
    lines.set(key, line.charLines[0] ?? 1)
  }
  return { values, lines }
}

/**
 * Converts a parsed map into a plain object. Keys are defined as own properties, so a key such as `__proto__`
 * is stored as data instead of changing the object's prototype; the prototype stays the ordinary one so the
 * result compares equal to object literals in tests and serialises normally.
 */
export function toRecord (map: ReadonlyMap<string, string>): Record<string, string> {
  const record: Record<string, string> = {}
  for (const [key, value] of map) {
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true })
  }
  return record
}

const readErrorReasons: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long'
}

/**
 * How long a config file that is a pipe may take to deliver all its content. A FIFO nobody writes to would otherwise
 * wait forever; CONNECT_PIPE_READ_TIMEOUT_MS (milliseconds) changes the bound.
 */
export const PIPE_READ_TIMEOUT_MS = 10_000

function pipeReadTimeoutMs (): number {
  const ms = Number(process.env.CONNECT_PIPE_READ_TIMEOUT_MS ?? '')
  return Number.isInteger(ms) && ms > 0 ? ms : PIPE_READ_TIMEOUT_MS
}

const openFd = promisify(open)
const fstatFd = promisify(fstat)

/**
 * Reads a whole config file, turning I/O failures into a ConfigFileError that names the file and the reason. The file
 * is opened with O_NONBLOCK: a plain open() of a FIFO without a writer blocks a libuv threadpool thread until one
 * comes, which no signal interrupts and which process.exit() then waits for. A pipe (a FIFO, or the shell's
 * `<(cat file)`) is read through the event loop and must deliver its content within the pipe bound.
 */
export async function readConfigFile (path: string, options: { pipeTimeoutMs?: number } = {}): Promise<Buffer> {
  try {
    const fd = await openFd(path, constants.O_RDONLY | constants.O_NONBLOCK)
    let isPipe = false
    try {
      isPipe = (await fstatFd(fd)).isFIFO()
    } finally {
      // A pipe's descriptor is handed to the socket that reads it; any other file is read again by path, without
      // O_NONBLOCK (a terminal would refuse a non-blocking read).
      if (!isPipe) close(fd, () => {})
    }
    if (isPipe) return await readPipe(fd, path, options.pipeTimeoutMs ?? pipeReadTimeoutMs())
    return await readFile(path)
  } catch (err) {
    if (err instanceof ConfigFileError) throw err
    const code = (err as NodeJS.ErrnoException | undefined)?.code
    const reason = (code !== undefined ? readErrorReasons[code] : undefined) ??
      (err instanceof Error ? err.message : String(err))
    throw new ConfigFileError(`Cannot read file '${path}': ${reason}`, path, undefined, { cause: err })
  }
}

/** Reads a pipe's descriptor to its end on the event loop (libuv polls it), within `timeoutMs`; closes the descriptor. */
async function readPipe (fd: number, path: string, timeoutMs: number): Promise<Buffer> {
  const socket = new Socket({ fd, readable: true, writable: false })
  const chunks: Buffer[] = []
  let received = 0
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        const what = received === 0 ? 'nothing was written to it' : `it did not end (${received} bytes read)`
        reject(new ConfigFileError(`Cannot read file '${path}': it is a pipe (FIFO) and ${what} within ${timeoutMs} ms. ` +
          'Give a regular file, or start the program that writes the pipe first (the shell\'s <(...) does).', path))
      }, timeoutMs)
      socket.on('data', (chunk: Buffer) => { chunks.push(chunk); received += chunk.length })
      socket.once('end', () => { clearTimeout(timer); resolve(Buffer.concat(chunks)) })
      socket.once('error', err => { clearTimeout(timer); reject(err) })
    })
  } finally {
    socket.destroy()
  }
}

/** Reads and parses a `.properties` file, as Kafka's `Utils.loadProps` does. */
export async function loadPropertiesFile (path: string): Promise<PropertiesResult> {
  return parseProperties(await readConfigFile(path), path)
}
