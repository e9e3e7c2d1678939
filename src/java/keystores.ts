/**
 * Reads the certificates out of Java trust stores, so `ssl.truststore.location` can point at a JKS, JCEKS or PKCS12
 * file as it does for a Java client: librdkafka (OpenSSL) only takes PEM trust anchors. Only trusted certificates are
 * read; private keys never are (a PKCS12 key store goes to librdkafka as it is, and a JKS one cannot be used).
 *
 * The formats, from their public specifications: JKS/JCEKS (the JDK's own layout: a magic number, entries, and a
 * SHA-1 integrity digest keyed by the password) and PKCS #12 (RFC 7292: DER, with PBES2/PBKDF2 or PKCS #12 PBE
 * encryption of the certificate bags and an HMAC over the contents).
 */
import { createDecipheriv, createHash, createHmac, pbkdf2Sync, type BinaryLike } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { ConfigError } from '../api/index.ts'

export type StoreFormat = 'pem' | 'jks' | 'jceks' | 'pkcs12' | 'unknown'

/** Why a store could not be read; the message never contains a password. */
export class KeyStoreError extends Error {
  constructor (message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'KeyStoreError'
  }
}

/** Tells the format from the content (a Java "JKS" store type may hold a PKCS12 file, and a .jks file often does). */
export function sniffStoreFormat (bytes: Buffer): StoreFormat {
  if (bytes.length >= 4) {
    const magic = bytes.readUInt32BE(0)
    if (magic === 0xFEEDFEED) return 'jks'
    if (magic === 0xCECECECE) return 'jceks'
  }
  if (bytes.includes('-----BEGIN ')) return 'pem'
  if (bytes.length > 2 && bytes[0] === 0x30) return 'pkcs12'
  return 'unknown'
}

export function derToPem (der: Buffer, label = 'CERTIFICATE'): string {
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n')
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`
}

export interface PemBlocks {
  /** CERTIFICATE blocks, in file order. */
  certificates: string[]
  /** Private key blocks (PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA/EC PRIVATE KEY), in file order. */
  keys: string[]
}

/** Splits PEM text into its certificate and private key blocks; anything else is ignored. */
export function splitPem (text: string): PemBlocks {
  const out: PemBlocks = { certificates: [], keys: [] }
  const re = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g
  for (const m of text.matchAll(re)) {
    const label = m[1]!
    if (label === 'CERTIFICATE' || label === 'TRUSTED CERTIFICATE' || label === 'X509 CERTIFICATE') out.certificates.push(m[0] + '\n')
    else if (label.endsWith('PRIVATE KEY')) out.keys.push(m[0] + '\n')
  }
  return out
}

// ---- JKS / JCEKS ---------------------------------------------------------------------------------------------

/** The password as the JDK feeds it to the integrity digest: each UTF-16 code unit, big-endian. */
function utf16be (password: string): Buffer {
  const buf = Buffer.alloc(password.length * 2)
  for (let i = 0; i < password.length; i++) buf.writeUInt16BE(password.charCodeAt(i), i * 2)
  return buf
}

class Reader {
  pos = 0
  readonly buf: Buffer
  readonly what: string
  constructor (buf: Buffer, what: string) {
    this.buf = buf
    this.what = what
  }

  need (n: number): void {
    if (this.pos + n > this.buf.length) throw new KeyStoreError(`${this.what} is truncated or corrupt`)
  }

  u16 (): number { this.need(2); const v = this.buf.readUInt16BE(this.pos); this.pos += 2; return v }
  u32 (): number { this.need(4); const v = this.buf.readUInt32BE(this.pos); this.pos += 4; return v }
  bytes (n: number): Buffer { this.need(n); const v = this.buf.subarray(this.pos, this.pos + n); this.pos += n; return v }
  utf (): string { return this.bytes(this.u16()).toString('utf8') }
}

/**
 * The trusted certificate entries of a JKS or JCEKS store (DER). With a password, the store's integrity digest is
 * checked as the JDK does; without one (Java allows a trust store without a password) it is not.
 */
export function jksTrustedCertificates (bytes: Buffer, password: string | null): Buffer[] {
  const r = new Reader(bytes, 'The key store')
  const magic = r.u32()
  const jceks = magic === 0xCECECECE
  if (magic !== 0xFEEDFEED && !jceks) throw new KeyStoreError('The file is not a JKS or JCEKS key store')
  const version = r.u32()
  if (version !== 1 && version !== 2) throw new KeyStoreError(`Unsupported JKS version ${version}`)
  const count = r.u32()
  const certs: Buffer[] = []
  const readCert = (): Buffer => {
    if (version === 2) r.utf() // certificate type, "X.509"
    return Buffer.from(r.bytes(r.u32()))
  }
  for (let i = 0; i < count; i++) {
    const tag = r.u32()
    r.utf() // alias
    r.bytes(8) // creation date
    if (tag === 1) {
      r.bytes(r.u32()) // the protected private key: never read
      const chain = r.u32()
      for (let j = 0; j < chain; j++) readCert()
    } else if (tag === 2) {
      certs.push(readCert())
    } else if (tag === 3 && jceks) {
      throw new KeyStoreError('The JCEKS store holds a secret key entry, which cannot be read here; export its certificates to a PEM file')
    } else {
      throw new KeyStoreError(`The key store has an entry of unknown type ${tag}`)
    }
  }
  const body = bytes.subarray(0, r.pos)
  const digest = r.bytes(20)
  if (password !== null) {
    const expected = createHash('sha1').update(utf16be(password)).update('Mighty Aphrodite', 'utf8').update(body).digest()
    if (!expected.equals(digest)) throw new KeyStoreError('Keystore was tampered with, or password was incorrect')
  }
  return certs
}

// ---- DER -----------------------------------------------------------------------------------------------------

interface Der {
  tag: number
  /** Content octets (for constructed OCTET STRINGs: the concatenated primitive parts). */
  value: Buffer
  /** Children of a constructed element. */
  children: Der[]
}

/** Parses BER/DER elements in buf[start, end); an indefinite-length content stops at its end-of-contents octets. */
function parseDer (buf: Buffer, start = 0, end = buf.length): Der[] {
  return parseElements(buf, start, end, false).nodes
}

function parseElements (buf: Buffer, start: number, end: number, untilEoc: boolean): { nodes: Der[], next: number } {
  const nodes: Der[] = []
  let pos = start
  while (pos < end) {
    if (buf[pos] === 0 && buf[pos + 1] === 0) {
      if (untilEoc) return { nodes, next: pos + 2 }
      break
    }
    const tag = buf[pos++]!
    if ((tag & 0x1f) === 0x1f) throw new KeyStoreError('PKCS12: multi-byte tags are not supported')
    const first = buf[pos++]
    if (first === undefined) throw new KeyStoreError('PKCS12: truncated DER')
    const constructed = (tag & 0x20) !== 0
    let value: Buffer
    let children: Der[] = []
    if (first === 0x80) {
      if (!constructed) throw new KeyStoreError('PKCS12: indefinite length on a primitive element')
      const inner = parseElements(buf, pos, end, true)
      children = inner.nodes
      value = buf.subarray(pos, inner.next - 2)
      pos = inner.next
    } else {
      let len = first
      if (first > 0x80) {
        const n = first & 0x7f
        if (n > 4) throw new KeyStoreError('PKCS12: DER length too large')
        len = 0
        for (let i = 0; i < n; i++) len = len * 256 + (buf[pos++] ?? 0)
      }
      if (pos + len > end) throw new KeyStoreError('PKCS12: truncated DER')
      value = buf.subarray(pos, pos + len)
      if (constructed) children = parseElements(buf, pos, pos + len, false).nodes
      pos += len
    }
    // A constructed OCTET STRING (BER) stands for its primitive parts joined.
    if (constructed && (tag & 0x1f) === 0x04) value = Buffer.concat(children.map(c => c.value))
    nodes.push({ tag, value, children })
  }
  if (untilEoc) throw new KeyStoreError('PKCS12: truncated DER')
  return { nodes, next: pos }
}

function oid (node: Der | undefined): string {
  if (!node || node.tag !== 0x06) throw new KeyStoreError('PKCS12: expected an OBJECT IDENTIFIER')
  const b = node.value
  const parts: number[] = []
  let v = 0
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f)
    if ((b[i]! & 0x80) === 0) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80)
      else parts.push(v)
      v = 0
    }
  }
  return parts.join('.')
}

function int (node: Der | undefined): number {
  if (!node || node.tag !== 0x02) throw new KeyStoreError('PKCS12: expected an INTEGER')
  let v = 0
  for (const byte of node.value) v = v * 256 + byte
  return v
}

function child (node: Der | undefined, i: number, what: string): Der {
  const c = node?.children[i]
  if (!c) throw new KeyStoreError(`PKCS12: missing ${what}`)
  return c
}

/** [0] EXPLICIT content: the single element inside. */
function explicit0 (node: Der, what: string): Der {
  if (node.tag !== 0xa0) throw new KeyStoreError(`PKCS12: expected [0] ${what}`)
  return child(node, 0, what)
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbeSha1TripleDes: '1.2.840.113549.1.12.1.3',
  pbeSha1TwoKeyTripleDes: '1.2.840.113549.1.12.1.4',
  pbmac1: '1.2.840.113549.1.5.14'
}

const HMAC_PRF: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512'
}

const DIGESTS: Record<string, { name: string, size: number, block: number }> = {
  '1.3.14.3.2.26': { name: 'sha1', size: 20, block: 64 },
  '2.16.840.1.101.3.4.2.4': { name: 'sha224', size: 28, block: 64 },
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', size: 32, block: 64 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', size: 48, block: 128 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', size: 64, block: 128 }
}

const CBC_CIPHERS: Record<string, { name: string, keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 }
}

/** The password as a PKCS #12 BMPString: UTF-16BE with a two-byte terminator (RFC 7292 B.1); empty when null. */
function bmpPassword (password: string | null): Buffer {
  if (password === null) return Buffer.alloc(0)
  return Buffer.concat([utf16be(password), Buffer.alloc(2)])
}

/** RFC 7292 appendix B.2: the PKCS #12 key derivation (id 1: key, 2: IV, 3: MAC key). */
function pkcs12Kdf (digest: { name: string, size: number, block: number }, password: Buffer, salt: Buffer, id: number, iterations: number, length: number): Buffer {
  const v = digest.block
  const u = digest.size
  const D = Buffer.alloc(v, id)
  const fill = (src: Buffer): Buffer => {
    if (src.length === 0) return Buffer.alloc(0)
    const out = Buffer.alloc(v * Math.ceil(src.length / v))
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!
    return out
  }
  let I = Buffer.concat([fill(salt), fill(password)])
  const out = Buffer.alloc(length)
  let produced = 0
  while (produced < length) {
    let A = createHash(digest.name).update(D).update(I).digest()
    for (let i = 1; i < iterations; i++) A = createHash(digest.name).update(A).digest()
    A.copy(out, produced, 0, Math.min(u, length - produced))
    produced += u
    if (produced >= length) break
    const B = fill(A).subarray(0, v)
    const next = Buffer.from(I)
    for (let j = 0; j < I.length / v; j++) {
      let carry = 1
      for (let k = v - 1; k >= 0; k--) {
        const sum = next[j * v + k]! + B[k]! + carry
        next[j * v + k] = sum & 0xff
        carry = sum >> 8
      }
    }
    I = next
  }
  return out
}

function decrypt (algorithm: Der, data: Buffer, password: string | null): Buffer {
  const algOid = oid(child(algorithm, 0, 'encryption algorithm'))
  const params = child(algorithm, 1, 'encryption parameters')
  try {
    if (algOid === OID.pbes2) {
      const kdf = child(params, 0, 'key derivation function')
      const scheme = child(params, 1, 'encryption scheme')
      if (oid(child(kdf, 0, 'KDF')) !== OID.pbkdf2) throw new KeyStoreError('PKCS12: only PBKDF2 key derivation is supported')
      const kdfParams = child(kdf, 1, 'PBKDF2 parameters')
      const salt = child(kdfParams, 0, 'salt').value
      const iterations = int(child(kdfParams, 1, 'iteration count'))
      let prf = 'sha1'
      for (const p of kdfParams.children.slice(2)) {
        if (p.tag === 0x30) prf = HMAC_PRF[oid(p.children[0])] ?? ''
      }
      if (!prf) throw new KeyStoreError('PKCS12: unsupported PBKDF2 pseudo-random function')
      const cipher = CBC_CIPHERS[oid(child(scheme, 0, 'cipher'))]
      if (!cipher) throw new KeyStoreError('PKCS12: unsupported PBES2 cipher')
      const iv = child(scheme, 1, 'IV').value
      // PBES2 takes the password as UTF-8 (both the JDK and OpenSSL do).
      const key = pbkdf2Sync((password ?? '') as BinaryLike, salt, iterations, cipher.keyLength, prf)
      const d = createDecipheriv(cipher.name, key, iv)
      return Buffer.concat([d.update(data), d.final()])
    }
    if (algOid === OID.pbeSha1TripleDes || algOid === OID.pbeSha1TwoKeyTripleDes) {
      const salt = child(params, 0, 'salt').value
      const iterations = int(child(params, 1, 'iteration count'))
      const sha1 = DIGESTS['1.3.14.3.2.26']!
      const pw = bmpPassword(password)
      let key = pkcs12Kdf(sha1, pw, salt, 1, iterations, 24)
      if (algOid === OID.pbeSha1TwoKeyTripleDes) key = Buffer.concat([key.subarray(0, 16), key.subarray(0, 8)])
      const iv = pkcs12Kdf(sha1, pw, salt, 2, iterations, 8)
      const d = createDecipheriv('des-ede3-cbc', key, iv)
      return Buffer.concat([d.update(data), d.final()])
    }
  } catch (err) {
    if (err instanceof KeyStoreError) throw err
    throw new KeyStoreError('Cannot decrypt the PKCS12 store: the password is wrong', { cause: err })
  }
  if (algOid.startsWith('1.2.840.113549.1.12.1.')) {
    throw new KeyStoreError('The PKCS12 store uses a legacy RC2/RC4 encryption that this Node.js (OpenSSL 3) no longer offers; ' +
      'export its certificates to a PEM file instead (openssl pkcs12 -legacy -in <file> -nokeys -out ca.pem)')
  }
  throw new KeyStoreError(`The PKCS12 store uses an unsupported encryption (${algOid})`)
}

function verifyMac (pfx: Der, content: Buffer, password: string | null): void {
  const macData = pfx.children[2]
  if (!macData) return
  const digestInfo = child(macData, 0, 'MAC digest')
  const algOid = oid(child(child(digestInfo, 0, 'MAC algorithm'), 0, 'MAC algorithm'))
  if (algOid === OID.pbmac1) return // RFC 9579: decryption still proves the password
  const digest = DIGESTS[algOid]
  if (!digest) return
  const expected = child(digestInfo, 1, 'MAC value').value
  const salt = child(macData, 1, 'MAC salt').value
  const iterations = macData.children[2] ? int(macData.children[2]) : 1
  const key = pkcs12Kdf(digest, bmpPassword(password), salt, 3, iterations, digest.size)
  const mac = createHmac(digest.name, key).update(content).digest()
  if (!mac.equals(expected)) {
    throw new KeyStoreError(password === null
      ? 'The PKCS12 store is protected by a password: set its password'
      : 'Keystore was tampered with, or password was incorrect')
  }
}

interface Bag { type: string, value: Der, localKeyId: string | null }

function safeBags (safeContents: Der, out: Bag[]): void {
  for (const bag of safeContents.children) {
    const type = oid(child(bag, 0, 'bag type'))
    const value = explicit0(child(bag, 1, 'bag value'), 'bag value')
    let localKeyId: string | null = null
    const attrs = bag.children[2]
    for (const attr of attrs?.children ?? []) {
      if (oid(attr.children[0]) === OID.localKeyId) localKeyId = attr.children[1]?.children[0]?.value.toString('hex') ?? null
    }
    if (type === OID.safeContentsBag) safeBags(value, out)
    else out.push({ type, value, localKeyId })
  }
}

/**
 * The trust anchors of a PKCS12 store (DER): every certificate that does not belong to a private key. With a
 * password the store's MAC is checked, as the JDK does.
 */
export function pkcs12TrustedCertificates (bytes: Buffer, password: string | null): Buffer[] {
  let pfx: Der
  try {
    const top = parseDer(bytes)
    if (top.length !== 1 || top[0]!.tag !== 0x30) throw new KeyStoreError('not a DER SEQUENCE')
    pfx = top[0]!
  } catch (err) {
    throw new KeyStoreError(`The file is not a PKCS12 store (${(err as Error).message})`, { cause: err })
  }
  if (int(child(pfx, 0, 'version')) !== 3) throw new KeyStoreError('The file is not a PKCS12 (version 3) store')
  const authSafe = child(pfx, 1, 'authenticated safe')
  if (oid(child(authSafe, 0, 'content type')) !== OID.data) throw new KeyStoreError('PKCS12: public-key integrity mode is not supported')
  const content = explicit0(child(authSafe, 1, 'content'), 'content').value
  verifyMac(pfx, content, password)
  const bags: Bag[] = []
  for (const info of parseDer(content)[0]?.children ?? []) {
    const type = oid(child(info, 0, 'content type'))
    const inner = explicit0(child(info, 1, 'content'), 'content')
    if (type === OID.data) {
      const sc = parseDer(inner.value)[0]
      if (sc) safeBags(sc, bags)
    } else if (type === OID.encryptedData) {
      const eci = child(inner, 1, 'encrypted content info')
      const encrypted = eci.children[2]
      if (!encrypted) continue
      if (password === null) throw new KeyStoreError('The PKCS12 store\'s certificates are encrypted: set its password')
      // [0] IMPLICIT OCTET STRING: primitive, or (BER) constructed from parts.
      const ciphertext = encrypted.tag === 0xa0 ? Buffer.concat(encrypted.children.map(c => c.value)) : encrypted.value
      const plain = decrypt(child(eci, 1, 'encryption algorithm'), ciphertext, password)
      let sc: Der | undefined
      try { sc = parseDer(plain)[0] } catch (err) { throw new KeyStoreError('Cannot decrypt the PKCS12 store: the password is wrong', { cause: err }) }
      if (sc) safeBags(sc, bags)
    }
  }
  const keyIds = new Set(bags.filter(b => (b.type === OID.keyBag || b.type === OID.shroudedKeyBag) && b.localKeyId !== null).map(b => b.localKeyId))
  return bags
    .filter(b => b.type === OID.certBag && !(b.localKeyId !== null && keyIds.has(b.localKeyId)))
    .filter(b => oid(b.value.children[0]) === OID.x509Certificate)
    .map(b => Buffer.from(explicit0(child(b.value, 1, 'certificate'), 'certificate').value))
}

/** Re-wraps PEM blocks whose line breaks were lost (a value continued over lines in a properties file). */
export function normalizePem (text: string): string {
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)]
  return blocks.map(m => `-----BEGIN ${m[1]}-----\n${m[2]!.replace(/\s+/g, '').replace(/.{1,64}/g, '$&\n')}-----END ${m[1]}-----\n`).join('')
}

/** Reads a key or trust store file, with an error naming the setting and why the file could not be read. */
export function readStore (workerKey: string, location: string): Buffer {
  try {
    return readFileSync(location)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message
    throw new ConfigError(`Invalid value ${location} for configuration ${workerKey}: cannot read the file: ${reason}`, { cause: err })
  }
}

/**
 * The trusted certificates (PEM) of Kafka's ssl.truststore.* settings: a PEM, PKCS12, JKS or JCEKS file, or inline
 * PEM with ssl.truststore.type=PEM; null when none is set. `get` reads a setting by its unprefixed name, `key` names
 * it as the user wrote it (with its prefix) in messages.
 */
export function trustStoreCertificates (get: (name: string) => string | undefined, key: (name: string) => string): { pems: string[], source: string } | null {
  const tsType = (get('ssl.truststore.type') ?? 'JKS').trim().toUpperCase()
  if (!['JKS', 'PKCS12', 'PEM', 'JCEKS'].includes(tsType)) {
    throw new ConfigError(`Invalid value ${tsType} for configuration ${key('ssl.truststore.type')}: supported trust store types are PEM, PKCS12, JKS and JCEKS`)
  }
  const inline = get('ssl.truststore.certificates')
  const location = get('ssl.truststore.location')?.trim()
  const password = get('ssl.truststore.password') ?? null
  if (inline !== undefined) {
    if (tsType !== 'PEM') throw new ConfigError(`${key('ssl.truststore.certificates')} needs ${key('ssl.truststore.type')}=PEM`)
    if (location !== undefined) throw new ConfigError(`Set either ${key('ssl.truststore.location')} or ${key('ssl.truststore.certificates')}, not both`)
    const certs = splitPem(normalizePem(inline)).certificates
    if (certs.length === 0) throw new ConfigError(`Invalid value for configuration ${key('ssl.truststore.certificates')}: no PEM certificate found`)
    return { pems: certs, source: key('ssl.truststore.certificates') }
  }
  if (location === undefined) return null
  const bytes = readStore(key('ssl.truststore.location'), location)
  const format = sniffStoreFormat(bytes)
  let certs: string[]
  if (format === 'pem') {
    certs = splitPem(bytes.toString('utf8')).certificates
  } else if (format === 'jks' || format === 'jceks' || format === 'pkcs12') {
    try {
      certs = (format === 'pkcs12' ? pkcs12TrustedCertificates(bytes, password) : jksTrustedCertificates(bytes, password)).map(c => derToPem(c))
    } catch (err) {
      if (!(err instanceof KeyStoreError)) throw err
      throw new ConfigError(`Cannot read the ${format.toUpperCase()} trust store ${location} (${key('ssl.truststore.location')}): ${err.message}` +
        (/password/i.test(err.message) ? ` (check ${key('ssl.truststore.password')})` : ''), { cause: err })
    }
  } else {
    throw new ConfigError(`Invalid value ${location} for configuration ${key('ssl.truststore.location')}: not a PEM, PKCS12 or JKS trust store`)
  }
  if (certs.length === 0) throw new ConfigError(`Invalid value ${location} for configuration ${key('ssl.truststore.location')}: the trust store holds no trusted certificate`)
  return { pems: certs, source: location }
}
