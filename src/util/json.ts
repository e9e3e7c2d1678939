/**
 * JSON text exactly as Jackson (Apache Kafka's JSON library) writes it, and a reader that keeps integers exact.
 */

/** Jackson's escaping: control characters as \u00XX (upper case), supplementary characters as escaped surrogates. */
export function jacksonString (s: string): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x22) out += '\\"'
    else if (c === 0x5c) out += '\\\\'
    else if (c < 0x20) {
      out += c === 0x08 ? '\\b' : c === 0x09 ? '\\t' : c === 0x0a ? '\\n' : c === 0x0c ? '\\f' : c === 0x0d ? '\\r' : '\\u' + c.toString(16).toUpperCase().padStart(4, '0')
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\\u' + c.toString(16).toUpperCase()
    else out += s[i]
  }
  return out + '"'
}

/** A small JSON reader that keeps integers exact (bigint beyond 2^53). Throws SyntaxError on bad input. */
export function parseJsonExact (text: string): unknown {
  let i = 0
  const ws = (): void => { while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++ }
  const fail = (msg: string): never => { throw new SyntaxError(`${msg} at position ${i}`) }
  const value = (): unknown => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      const obj: Record<string, unknown> = {}
      ws()
      if (text[i] === '}') { i++; return obj }
      for (;;) {
        ws()
        if (text[i] !== '"') fail('expected a field name')
        const k = str()
        ws()
        if (text[i++] !== ':') fail('expected ":"')
        obj[k] = value()
        ws()
        if (text[i] === ',') { i++; continue }
        if (text[i] === '}') { i++; return obj }
        fail('expected "," or "}"')
      }
    }
    if (c === '[') {
      i++
      const arr: unknown[] = []
      ws()
      if (text[i] === ']') { i++; return arr }
      for (;;) {
        arr.push(value())
        ws()
        if (text[i] === ',') { i++; continue }
        if (text[i] === ']') { i++; return arr }
        fail('expected "," or "]"')
      }
    }
    if (c === '"') return str()
    if (text.startsWith('true', i)) { i += 4; return true }
    if (text.startsWith('false', i)) { i += 5; return false }
    if (text.startsWith('null', i)) { i += 4; return null }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (!m) fail('unexpected character')
    i += m![0].length
    if (m![1] === undefined && m![2] === undefined) {
      const n = Number(m![0])
      return Number.isSafeInteger(n) ? n : BigInt(m![0])
    }
    return Number(m![0])
  }
  const str = (): string => {
    const start = i
    i++
    let out = ''
    for (;;) {
      const c = text[i]
      if (c === undefined) { i = start; fail('unterminated string') }
      if (c === '"') { i++; return out }
      if (c === '\\') {
        const e = text[i + 1]
        if (e === 'u') { out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)); i += 6; continue }
        out += ({ b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\', '/': '/' } as Record<string, string>)[e ?? ''] ?? fail('bad escape')
        i += 2
        continue
      }
      out += c
      i++
    }
  }
  const result = value()
  ws()
  if (i !== text.length) fail('unexpected data after the JSON value')
  return result
}

