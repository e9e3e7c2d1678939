/**
 * Test certificates, made at test time with openssl (keys, certificates, PEM files) and keytool (the Java stores a
 * real Java user has): a CA, a broker certificate for 127.0.0.1/localhost, one for a wrong host name, and a client
 * certificate, in every format the security translation reads.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TlsFixtures {
  dir: string
  /** The CA certificate (PEM). */
  caPem: string
  caFile: string
  /** Broker key and chain (PEM, unencrypted PKCS#8 then certificates), SAN IP:127.0.0.1 and DNS:localhost. */
  brokerPemFile: string
  /** Same, for a certificate naming only wrong.example. */
  wrongHostPemFile: string
  /** Client key + certificate in one PEM file. */
  clientPemFile: string
  clientKeyPem: string
  clientCertPem: string
  /** The client key encrypted (PKCS#8, password below). */
  clientEncryptedKeyPem: string
  password: string
  /** keytool -importcert with Java's default store type (PKCS12), named .jks as people do. */
  truststoreJavaDefault: string
  /** keytool -importcert -storetype JKS. */
  truststoreJks: string
  /** The client key store written by keytool (PKCS12). */
  keystorePkcs12: string
  /** The client key store as JKS (librdkafka cannot read it). */
  keystoreJks: string
  cleanup (): Promise<void>
}

function run (cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr || err.message}`))
      else resolve(stdout)
    })
  })
}

export async function makeTlsFixtures (): Promise<TlsFixtures> {
  const dir = await mkdtemp(join(tmpdir(), 'tls-fixtures-'))
  const password = 'store-pass-1'
  const openssl = (...args: string[]): Promise<string> => run('openssl', args, dir)
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  await openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Connect Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
  const leaf = async (name: string, cn: string, san: string): Promise<void> => {
    await openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`)
    await writeFile(join(dir, `${name}.ext`), `subjectAltName=${san}\nextendedKeyUsage=serverAuth,clientAuth\n`)
    await openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`)
    const pem = (await readFile(join(dir, `${name}.key`), 'utf8')) + (await readFile(join(dir, `${name}.crt`), 'utf8')) + (await readFile(join(dir, 'ca.pem'), 'utf8'))
    await writeFile(join(dir, `${name}.pem`), pem)
  }
  await leaf('broker', 'localhost', 'IP:127.0.0.1,DNS:localhost')
  await leaf('wronghost', 'wrong.example', 'DNS:wrong.example')
  await leaf('client', 'connect-client', 'DNS:connect-client')
  await openssl('pkcs8', '-topk8', '-in', 'client.key', '-out', 'client-enc.key', '-passout', `pass:${password}`, '-v2', 'aes-256-cbc')
  await openssl('pkcs12', '-export', '-inkey', 'client.key', '-in', 'client.crt', '-certfile', 'ca.pem', '-name', 'client', '-out', 'client-openssl.p12', '-passout', `pass:${password}`)

  const keytool = (...args: string[]): Promise<string> => run('keytool', args, dir)
  await keytool('-importcert', '-noprompt', '-alias', 'ca', '-file', 'ca.pem', '-keystore', 'truststore.jks', '-storepass', password)
  await keytool('-importcert', '-noprompt', '-alias', 'ca', '-file', 'ca.pem', '-keystore', 'truststore-jks.jks', '-storetype', 'JKS', '-storepass', password)
  await keytool('-importkeystore', '-noprompt', '-srckeystore', 'client-openssl.p12', '-srcstoretype', 'PKCS12', '-srcstorepass', password,
    '-destkeystore', 'client.p12', '-deststoretype', 'PKCS12', '-deststorepass', password)
  await keytool('-importkeystore', '-noprompt', '-srckeystore', 'client-openssl.p12', '-srcstoretype', 'PKCS12', '-srcstorepass', password,
    '-destkeystore', 'client.jks', '-deststoretype', 'JKS', '-deststorepass', password, '-destkeypass', password)

  const read = async (f: string): Promise<string> => await readFile(join(dir, f), 'utf8')
  return {
    dir,
    caPem: await read('ca.pem'),
    caFile: join(dir, 'ca.pem'),
    brokerPemFile: join(dir, 'broker.pem'),
    wrongHostPemFile: join(dir, 'wronghost.pem'),
    clientPemFile: join(dir, 'client.pem'),
    clientKeyPem: await read('client.key'),
    clientCertPem: await read('client.crt'),
    clientEncryptedKeyPem: await read('client-enc.key'),
    password,
    truststoreJavaDefault: join(dir, 'truststore.jks'),
    truststoreJks: join(dir, 'truststore-jks.jks'),
    keystorePkcs12: join(dir, 'client.p12'),
    keystoreJks: join(dir, 'client.jks'),
    async cleanup () { await rm(dir, { recursive: true, force: true }) }
  }
}
