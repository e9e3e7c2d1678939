/**
 * node-rdkafka adapters used by the runtime: what the producer (rdkafka-producer.ts) and the consumer
 * (rdkafka-consumer.ts) share, loading, connecting, error wrapping and the problem log. node-rdkafka is loaded lazily,
 * so `--help`, `--version` and config errors never pay for loading the native addon.
 */
import { createRequire } from 'node:module'
import { KafkaError, ErrorCode } from '../api/index.ts'
import type { Logger } from '../util/logger.ts'
import { ClientProblemLog, PROBE_TIMEOUT_MS } from './client-problem-log.ts'
import type { ClientProps } from './client-config.ts'

import type * as RdKafkaModule from 'node-rdkafka'

type RdKafka = typeof RdKafkaModule
export type RdProducer = RdKafkaModule.Producer
export type RdConsumer = RdKafkaModule.KafkaConsumer
export type RdMessage = RdKafkaModule.Message

let rdkafka: RdKafka | undefined
export function loadRdKafka (): RdKafka {
  // createRequire: node-rdkafka is CommonJS with a native addon; a synchronous require keeps constructors simple.
  rdkafka ??= createRequire(import.meta.url)('node-rdkafka') as RdKafka
  return rdkafka
}

const ERR_ALL_BROKERS_DOWN = -187

/** librdkafka's instance name (rdkafka#consumer-2), set by node-rdkafka on connect but missing from its typings. */
export function clientName (client: object): string {
  return (client as { name?: string }).name ?? '(not connected)'
}

export function wrap (err: unknown, what: string): KafkaError {
  const e = err as { message?: string, code?: number, isRetriable?: boolean } | undefined
  return new KafkaError(`${what}: ${e?.message ?? String(err)}${e?.code !== undefined ? ` (librdkafka code ${e.code})` : ''}`,
    { cause: err, retriable: e?.isRetriable ?? false })
}

/**
 * The problem log of one client: its event.error reports, and its librdkafka log lines at warning level or worse
 * (those name the broker and the reason, "Connect to ipv4#host:port failed: Connection refused"; the error events say
 * only "broker transport failure").
 */
export function problemLog (client: RdProducer | RdConsumer, kind: string, global: ClientProps, logger: Logger): ClientProblemLog {
  const problems = new ClientProblemLog({
    logger,
    client: `Kafka ${kind} ${String(global['client.id'] ?? '')}`.trimEnd(),
    bootstrap: String(global['bootstrap.servers'] ?? ''),
    probe: async () => await new Promise<boolean>(resolve => {
      try {
        client.getMetadata({ allTopics: false, timeout: PROBE_TIMEOUT_MS }, err => { resolve(!err) })
      } catch {
        resolve(false)
      }
    })
  })
  // Both kinds of client emit these two events alike; the union of their typed on() signatures is not callable.
  const events = client as RdProducer
  events.on('event.error', (err: { message?: string, isFatal?: boolean }) => { problems.report(err.message ?? String(err), { fatal: err.isFatal === true }) })
  events.on('event.log', (e: { severity?: number, message?: string }) => {
    if ((e.severity ?? 7) <= 4 && e.message) problems.report(e.message)
  })
  return problems
}

/**
 * Connects a client, failing fast (instead of retrying forever, as librdkafka would) when every bootstrap broker
 * refuses the connection or the timeout passes.
 */
export async function connectClient (client: RdProducer, bootstrap: string, timeoutMs: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let settled = false
    const onError = (err: { code?: number, message?: string }): void => {
      if (settled || err.code !== ERR_ALL_BROKERS_DOWN) return
      settled = true
      client.removeListener('event.error', onError)
      try { client.disconnect() } catch {}
      reject(new KafkaError(`Failed to connect to and describe Kafka cluster at ${bootstrap}: all brokers are down (${err.message ?? ''}). ` +
        'Check the worker\'s bootstrap.servers and security settings, and that the broker is running.', { cause: err }, ErrorCode.KAFKA_UNREACHABLE))
    }
    client.on('event.error', onError)
    client.connect({ timeout: timeoutMs }, (err) => {
      client.removeListener('event.error', onError)
      if (settled) return
      settled = true
      if (err) {
        try { client.disconnect() } catch {}
        reject(new KafkaError(`Failed to connect to and describe Kafka cluster at ${bootstrap} within ${timeoutMs} ms: ${err.message}. ` +
          'Check the worker\'s bootstrap.servers and security settings.', { cause: err }, ErrorCode.KAFKA_UNREACHABLE))
      } else resolve()
    })
  })
}

