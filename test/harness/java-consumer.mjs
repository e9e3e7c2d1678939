// Kafka's own Java consumer, for tests that must see records exactly as a Java application does (a null value and an
// empty one are different answers there; node-rdkafka's reading is the thing under test, so it cannot be the judge).
// Compiles java/ConsumeRecords.java once against the broker's classpath (.cache/kafka/classpath.txt) into
// .cache/java-consumer/ and runs it per call.
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cacheDirFor, findJava } from './resolve-classpath.mjs'
import { CLASSPATH_FILE, resolveKafkaClasspath } from './resolve-kafka.mjs'

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'java', 'ConsumeRecords.java')

function compiled () {
  if (!existsSync(CLASSPATH_FILE)) resolveKafkaClasspath()
  const classpath = readFileSync(CLASSPATH_FILE, 'utf8').trim()
  const classes = join(cacheDirFor('java-consumer'), 'classes')
  const built = join(classes, 'ConsumeRecords.class')
  if (!existsSync(built) || statSync(built).mtimeMs < statSync(SOURCE).mtimeMs) {
    mkdirSync(classes, { recursive: true })
    const javac = join(dirname(findJava()), 'javac')
    execFileSync(existsSync(javac) ? javac : 'javac', ['-nowarn', '-d', classes, '-cp', classpath, SOURCE], { stdio: ['ignore', 'ignore', 'inherit'] })
  }
  return `${classpath}:${classes}`
}

const decode = b64 => (b64 === null ? null : Buffer.from(b64, 'base64'))

/**
 * Reads `topic` from the beginning with Kafka's Java consumer until `count` records arrived or `timeoutMs` passed.
 * Resolves with [{ partition, offset, key, value, headers: [{ key, value }] }] where key, value and header values are
 * Buffers or null, exactly as the Java consumer returned them; rejects when fewer than `count` records arrived.
 */
export function javaConsume (bootstrap, topic, count, timeoutMs = 30000) {
  const classpath = compiled()
  return new Promise((resolve, reject) => {
    execFile(findJava(), ['-Xmx256m', '-cp', classpath, 'ConsumeRecords', bootstrap, topic, String(count), String(timeoutMs)],
      { maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs + 30000 }, (err, stdout, stderr) => {
        if (err) { reject(new Error(`Java consumer failed: ${err.message}\n${stderr}`)); return }
        const records = stdout.split('\n').filter(l => l.startsWith('RECORD ')).map(l => {
          const r = JSON.parse(l.slice(7))
          return { ...r, key: decode(r.key), value: decode(r.value), headers: r.headers.map(h => ({ key: decode(h.key).toString('utf8'), value: decode(h.value) })) }
        })
        if (records.length < count) reject(new Error(`Java consumer read ${records.length} of ${count} records from ${topic}\n${stderr}${stdout.slice(-2000)}`))
        else resolve(records)
      })
  })
}
