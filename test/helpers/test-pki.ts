/**
 * Test certificates made with `openssl` at test time, in a directory the caller removes: a CA, a server certificate
 * for 127.0.0.1 / 127.0.0.2 / localhost signed by it (as PEM, encrypted PEM and PKCS12), a client certificate signed by
 * it, and a self-signed "rogue" client certificate no trust store holds. EC P-256 keys, valid for two days.
 */
import { execFile, execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface TestPki {
  dir: string
  caCert: string
  serverCert: string
  serverKey: string
  /** Certificate chain and key in one PEM file. */
  serverPem: string
  /** The server key encrypted (AES-256) with keyPassword. */
  serverKeyEncrypted: string
  keyPassword: string
  /** Server key, certificate and CA in a PKCS12 file protected by p12Password. */
  serverP12: string
  p12Password: string
  /** The CA certificate alone in a PKCS12 trust store protected by trustPassword. */
  trustP12: string
  trustPassword: string
  clientCert: string
  clientKey: string
  rogueCert: string
  rogueKey: string
}

function openssl (args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
}

export function createTestPki (dir: string): TestPki {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  const p = (name: string): string => join(dir, name)
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=connect-test-ca'], dir)
  writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1,IP:127.0.0.2,DNS:localhost\nextendedKeyUsage=serverAuth\n')
  writeFileSync(p('client.ext'), 'extendedKeyUsage=clientAuth\n')
  for (const who of ['server', 'client']) {
    openssl(['req', ...ec, '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who === 'server' ? '127.0.0.1' : 'connect-test-client'}`], dir)
    openssl(['x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.crt`, '-days', '2', '-extfile', `${who}.ext`], dir)
  }
  openssl(['req', '-x509', ...ec, '-keyout', 'rogue.key', '-out', 'rogue.crt', '-days', '2', '-subj', '/CN=rogue-client'], dir)
  const keyPassword = 'key-secret-4711'
  const p12Password = 'p12-secret-4711'
  const trustPassword = 'trust-secret-4711'
  openssl(['pkey', '-in', 'server.key', '-aes256', '-passout', `pass:${keyPassword}`, '-out', 'server-enc.key'], dir)
  openssl(['pkcs12', '-export', '-in', 'server.crt', '-inkey', 'server.key', '-certfile', 'ca.crt', '-name', 'server', '-out', 'server.p12', '-passout', `pass:${p12Password}`], dir)
  openssl(['pkcs12', '-export', '-nokeys', '-in', 'ca.crt', '-out', 'trust.p12', '-passout', `pass:${trustPassword}`], dir)
  const serverPem = p('server.pem')
  writeFileSync(serverPem, execFileSync('cat', [p('server.crt'), p('ca.crt'), p('server.key')]))
  return {
    dir,
    caCert: p('ca.crt'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    serverPem,
    serverKeyEncrypted: p('server-enc.key'),
    keyPassword,
    serverP12: p('server.p12'),
    p12Password,
    trustP12: p('trust.p12'),
    trustPassword,
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
    rogueCert: p('rogue.crt'),
    rogueKey: p('rogue.key')
  }
}

export interface CurlResult { code: number, status: number | null, headers: string, body: string, stderr: string }

/**
 * Runs curl (`-sS -i`) without blocking the event loop (the server may live in this process); `code` is curl's exit
 * code, `status` the HTTP status of the last response.
 */
export async function curl (args: string[], options: { input?: Buffer | string } = {}): Promise<CurlResult> {
  return await new Promise(resolve => {
    const child = execFile('curl', ['-sS', '-i', '--max-time', '20', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0
      resolve(split(code, stdout, stderr))
    })
    if (options.input !== undefined) child.stdin!.end(options.input)
    else child.stdin!.end()
  })
}

function split (code: number, out: string, stderr: string): CurlResult {
  // Interim responses (100 Continue) come first; the last header block is the answer.
  const blocks = out.split(/\r\n\r\n/)
  let i = 0
  while (i < blocks.length - 1 && /^HTTP\/[\d.]+ 1\d\d/.test(blocks[i]!)) i++
  const headers = blocks[i] ?? ''
  const status = /^HTTP\/[\d.]+ (\d{3})/.exec(headers)
  return { code, status: status ? Number(status[1]) : null, headers, body: blocks.slice(i + 1).join('\r\n\r\n'), stderr }
}

/** The value of a header in curl -i output (first occurrence), or undefined. */
export function header (headers: string, name: string): string | undefined {
  const re = new RegExp(`^${name}:\\s*(.*)$`, 'im')
  return re.exec(headers)?.[1]?.trim()
}
