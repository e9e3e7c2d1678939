/**
 * A TCP proxy in front of a broker, for outages: the broker advertises the proxy's port, so every client connection goes
 * through it, and down() makes the broker look gone (open connections drop, new ones are refused) until up() again.
 */
import { createRequire } from 'node:module'
import { createServer, connect, type Server, type Socket } from 'node:net'
import type { TestContext } from 'node:test'
import type RdKafkaModule from 'node-rdkafka'
import { startKafkaBroker } from '../harness/kafka-broker.mjs'

const Kafka = createRequire(import.meta.url)('node-rdkafka') as typeof RdKafkaModule

/** Produces `values` to `topic` through `bootstrap` (a broker of the test's own, behind a proxy) and waits for acks. */
export async function produceValues (bootstrap: string, topic: string, values: readonly string[]): Promise<void> {
  const producer = new Kafka.Producer({ 'bootstrap.servers': bootstrap, dr_cb: true }, { acks: -1 })
  await new Promise<void>((resolve, reject) => producer.connect({ timeout: 10000 }, err => { if (err) reject(err); else resolve() }))
  try {
    let left = values.length
    const delivered = new Promise<void>((resolve, reject) => producer.on('delivery-report', err => { if (err) reject(err); else if (--left === 0) resolve() }))
    producer.setPollInterval(10)
    for (const v of values) producer.produce(topic, null, Buffer.from(v))
    await delivered
  } finally {
    await new Promise<void>(resolve => producer.disconnect(() => resolve()))
  }
}

/** A TCP proxy to `target` on a fixed port that can refuse everything for a while, as a stopped broker does. */
export class OutageProxy {
  readonly #sockets = new Set<Socket>()
  #server: Server | null = null
  port = 0

  target = 0

  async up (): Promise<void> {
    const server = createServer(client => {
      const upstream = connect({ host: '127.0.0.1', port: this.target })
      for (const s of [client, upstream]) {
        this.#sockets.add(s)
        s.on('close', () => { this.#sockets.delete(s); client.destroy(); upstream.destroy() })
        s.on('error', () => {})
      }
      client.pipe(upstream)
      upstream.pipe(client)
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.port, '127.0.0.1', () => resolve())
    })
    this.#server = server
    this.port = (server.address() as { port: number }).port
  }

  async down (): Promise<void> {
    const server = this.#server
    this.#server = null
    for (const s of this.#sockets) s.destroy()
    if (server) await new Promise<void>(resolve => server.close(() => resolve()))
  }
}

/**
 * A broker of the test's own behind an OutageProxy: the broker advertises the proxy's port, so every client connection
 * goes through it. Both are stopped when the test ends.
 */
export async function startBrokerBehindProxy (t: TestContext): Promise<{ routed: OutageProxy, bootstrap: string }> {
  // The proxy takes its port first: the broker advertises it.
  const routed = new OutageProxy()
  await routed.up()
  t.after(async () => { await routed.down() })
  const broker = await startKafkaBroker({ serverProperties: { 'advertised.listeners': `PLAINTEXT://127.0.0.1:${routed.port}` } })
  t.after(async () => { await broker.stop() })
  routed.target = broker.port
  return { routed, bootstrap: `127.0.0.1:${routed.port}` }
}
