/**
 * A topic's cleanup.policy, read with one DescribeConfigs request (Kafka protocol, API 32 version 1) on a socket of
 * our own: node-rdkafka 3.6.1's AdminClient cannot describe configs (it only creates and deletes topics and adds
 * partitions), and Apache refuses an internal topic that is not compacted. Plain-text listeners only; on a secured
 * one (SSL, SASL) the answer is null, "cannot tell", which Apache also accepts (it logs and goes on when it cannot
 * describe the topic's configs).
 */
import { connect, type Socket } from 'node:net'
import type { ClientProps } from './client-config.ts'

const DESCRIBE_CONFIGS = 32
const VERSION = 1
const RESOURCE_TOPIC = 2
const UNKNOWN_TOPIC_OR_PARTITION = 3

export type CleanupPolicyAnswer =
  | { kind: 'policies', policies: string[] }
  | { kind: 'missing' }
  | { kind: 'unknown', reason: string }

/** One config of a topic: its value (null when the broker has none), or that the topic is missing, or why we cannot tell. */
export type TopicConfigAnswer =
  | { kind: 'value', value: string | null }
  | { kind: 'missing' }
  | { kind: 'unknown', reason: string }

function str (s: string): Buffer {
  const b = Buffer.from(s, 'utf8')
  const len = Buffer.alloc(2)
  len.writeInt16BE(b.length)
  return Buffer.concat([len, b])
}

function request (topic: string, config: string, correlationId: number, clientId: string): Buffer {
  const head = Buffer.alloc(8)
  head.writeInt16BE(DESCRIBE_CONFIGS, 0)
  head.writeInt16BE(VERSION, 2)
  head.writeInt32BE(correlationId, 4)
  const one = Buffer.alloc(4)
  one.writeInt32BE(1)
  const body = Buffer.concat([head, str(clientId), one, Buffer.from([RESOURCE_TOPIC]), str(topic), one, str(config), Buffer.from([0])])
  const size = Buffer.alloc(4)
  size.writeInt32BE(body.length)
  return Buffer.concat([size, body])
}

/** Reads a DescribeConfigs v1 response (after its size): the config's value, or the error of the resource. */
function parseResponse (buf: Buffer, config: string, correlationId: number): TopicConfigAnswer {
  let at = 0
  const i8 = (): number => { const v = buf.readInt8(at); at += 1; return v }
  const i16 = (): number => { const v = buf.readInt16BE(at); at += 2; return v }
  const i32 = (): number => { const v = buf.readInt32BE(at); at += 4; return v }
  const nstr = (): string | null => {
    const n = i16()
    if (n < 0) return null
    const v = buf.toString('utf8', at, at + n)
    at += n
    return v
  }
  if (i32() !== correlationId) return { kind: 'unknown', reason: 'the broker answered another request' }
  i32() // throttle time
  const results = i32()
  for (let r = 0; r < results; r++) {
    const error = i16()
    const message = nstr()
    i8() // resource type
    nstr() // resource name
    if (error === UNKNOWN_TOPIC_OR_PARTITION) return { kind: 'missing' }
    if (error !== 0) return { kind: 'unknown', reason: `DescribeConfigs failed with error code ${error}${message ? `: ${message}` : ''}` }
    const configs = i32()
    for (let c = 0; c < configs; c++) {
      const name = nstr()
      const value = nstr()
      at += 3 // read_only, config_source, is_sensitive
      const synonyms = i32()
      for (let s = 0; s < synonyms; s++) { nstr(); nstr(); at += 1 }
      if (name === config) return { kind: 'value', value }
    }
  }
  return { kind: 'unknown', reason: `the broker did not return ${config}` }
}

async function askBroker (host: string, port: number, topic: string, config: string, timeoutMs: number): Promise<TopicConfigAnswer> {
  return await new Promise(resolve => {
    const correlationId = 1
    let socket: Socket | null = null
    let chunks = Buffer.alloc(0)
    const finish = (answer: TopicConfigAnswer): void => {
      clearTimeout(timer)
      socket?.destroy()
      resolve(answer)
    }
    const timer = setTimeout(() => { finish({ kind: 'unknown', reason: `no answer from ${host}:${port} within ${timeoutMs} ms` }) }, timeoutMs)
    socket = connect({ host, port }, () => { socket!.write(request(topic, config, correlationId, 'connect-offsets-topic-check')) })
    socket.on('data', (data: Buffer) => {
      chunks = Buffer.concat([chunks, data])
      if (chunks.length < 4) return
      const size = chunks.readInt32BE(0)
      if (chunks.length < 4 + size) return
      try {
        finish(parseResponse(chunks.subarray(4, 4 + size), config, correlationId))
      } catch (err) {
        finish({ kind: 'unknown', reason: `unreadable DescribeConfigs response: ${(err as Error).message}` })
      }
    })
    socket.on('error', err => { finish({ kind: 'unknown', reason: `${host}:${port}: ${err.message}` }) })
    socket.on('close', () => { finish({ kind: 'unknown', reason: `${host}:${port} closed the connection` }) })
  })
}

/** Parses "host:port" (IPv6 in brackets); null when it is not one. */
function hostPort (address: string): { host: string, port: number } | null {
  const m = /^(?:[A-Za-z_]+:\/\/)?(\[[^\]]+\]|[^:]+):(\d+)$/.exec(address.trim())
  if (m === null) return null
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) }
}

/**
 * One config of a topic as the cluster holds it, asking the bootstrap servers in turn. `props`: the client settings
 * (librdkafka names) of the worker's admin work, for bootstrap.servers and security.protocol.
 */
export async function topicConfig (topic: string, config: string, props: ClientProps, timeoutMs = 10000): Promise<TopicConfigAnswer> {
  const protocol = String(props['security.protocol'] ?? 'plaintext').toLowerCase()
  if (protocol !== 'plaintext') return { kind: 'unknown', reason: `security.protocol ${protocol} (only plain-text listeners are checked)` }
  const reasons: string[] = []
  for (const address of String(props['bootstrap.servers'] ?? '').split(',').filter(a => a.trim() !== '')) {
    const hp = hostPort(address)
    if (hp === null) { reasons.push(`cannot parse ${address}`); continue }
    const answer = await askBroker(hp.host, hp.port, topic, config, timeoutMs)
    if (answer.kind !== 'unknown') return answer
    reasons.push(answer.reason)
  }
  return { kind: 'unknown', reason: reasons.join('; ') || 'no bootstrap servers' }
}

/** The topic's cleanup policies as Apache's TopicAdmin.topicCleanupPolicy reads them (trimmed, lower case, no empties). */
export async function topicCleanupPolicy (topic: string, props: ClientProps, timeoutMs = 10000): Promise<CleanupPolicyAnswer> {
  const answer = await topicConfig(topic, 'cleanup.policy', props, timeoutMs)
  if (answer.kind !== 'value') return answer
  if (answer.value === null) return { kind: 'unknown', reason: 'the broker returned no cleanup.policy' }
  return { kind: 'policies', policies: [...new Set(answer.value.split(',').map(p => p.trim().toLowerCase()).filter(p => p !== ''))] }
}
