/**
 * The start-up check (Apache's "Failed to connect to and describe Kafka cluster"): librdkafka validates every client
 * setting, then a short-lived client fetches cluster metadata with the producer's settings, and with the consumer's
 * when their security settings differ. librdkafka retries failed connections forever and node-rdkafka reports nothing
 * until its connect timeout, so the probe reads librdkafka's own log events: a rejected SASL login or a failed TLS
 * handshake ends the check at once with librdkafka's explanation, instead of a bare timeout.
 */
import { ErrorCode, KafkaError } from '../api/index.ts'
import type { Logger } from '../util/logger.ts'
import { explainClientConfigError, type TranslatedClientConfig, type ClientProps } from './client-config.ts'
import { loadRdKafka } from './rdkafka-client.ts'

export interface ClusterCheckOptions {
  bootstrap: string
  /** How to name the cluster in messages (the worker file's raw value when it came from a config provider). */
  shownBootstrap?: string
  producer: TranslatedClientConfig
  consumer: TranslatedClientConfig
  /** The worker file, for messages. */
  where: string
  logger: Logger
  timeoutMs?: number
}

/** librdkafka properties that decide how a connection is secured. */
const SECURITY_PROP = /^(security\.protocol|sasl\.|ssl\.|enable\.ssl\.|enable\.sasl\.|https\.)/

function securityProps (props: ClientProps): ClientProps {
  return Object.fromEntries(Object.entries(props).filter(([k]) => SECURITY_PROP.test(k)))
}

function sameProps (a: ClientProps, b: ClientProps): boolean {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every(k => String(a[k]) === String(b[k]))
}

export async function checkKafkaCluster (o: ClusterCheckOptions): Promise<void> {
  const Kafka = loadRdKafka()
  try {
    // Constructing a consumer validates every consumer.* setting without connecting.
    const probe = new Kafka.KafkaConsumer({ ...o.consumer.global, 'group.id': 'connect-config-check', 'bootstrap.servers': o.bootstrap } as never, o.consumer.topic as never)
    void probe
  } catch (err) {
    throw explainClientConfigError(err, o.consumer.origin, o.where)
  }
  await probeCluster(o, { ...o.producer.global }, o.producer.origin, 'producer')
  const consumerSecurity = securityProps(o.consumer.global)
  if (!sameProps(securityProps(o.producer.global), consumerSecurity)) {
    await probeCluster(o, consumerSecurity, o.consumer.origin, 'consumer')
  }
}

export interface ClientOverrideCheckOptions {
  /** The worker's own librdkafka settings for this kind of client (bootstrap.servers included). */
  base: ClientProps
  /** The connector's producer.override.* or consumer.override.* settings, translated. */
  overrides: TranslatedClientConfig
  client: 'producer' | 'consumer'
  /** How to name the settings in messages, e.g. "connector my-sink (consumer.override.*)". */
  where: string
  logger: Logger
  timeoutMs?: number
}

/**
 * The start-up check for a task's client whose override changes how it logs in or encrypts (a connector-level
 * sasl.jaas.config, say). Without it a wrong override password fails the task only after node-rdkafka's 30 s connect
 * timeout, with a bare "timed out"; with it, after one probe attempt (about 2 s) and librdkafka's reason. Overrides
 * that leave the security settings as the worker's (already checked at start-up) cost nothing.
 */
export async function checkClientOverrides (o: ClientOverrideCheckOptions): Promise<void> {
  if (Object.keys(securityProps(o.overrides.global)).length === 0) return
  const merged = { ...o.base, ...o.overrides.global }
  if (sameProps(securityProps(o.base), securityProps(merged))) return
  const bootstrap = String(merged['bootstrap.servers'] ?? '')
  try {
    await probeCluster({ bootstrap, where: o.where, logger: o.logger, timeoutMs: o.timeoutMs ?? 5000, producer: o.overrides, consumer: o.overrides },
      securityProps(merged), o.overrides.origin, o.client)
  } catch (err) {
    // Only a rejected login or handshake fails here. No answer at all (a broker that is briefly away, say) is left to
    // the client's own connect, so that case takes no longer than it did without this check.
    if (err instanceof KafkaError && err.code === ErrorCode.KAFKA_UNREACHABLE) {
      o.logger.debug(`No answer yet from Kafka at ${bootstrap} for ${o.where}; connecting anyway`)
      return
    }
    throw err
  }
}

type Failure = { fatal: boolean, text: string }

/** Sorts a librdkafka failure log line: is it worth waiting for the next retry? */
function classify (message: string): Failure {
  // "[thrd:sasl_ssl://host:port/bootstrap]: sasl_ssl://host:port/bootstrap: SASL authentication error: …"
  const text = message.replace(/^\[thrd:[^\]]*\]:\s*/, '').replace(/^\S+\/(bootstrap|\d+):\s*/, '')
  const fatal = /SASL authentication error|Authentication failed|SASL .*mechanism handshake failed|SSL handshake failed|certificate verify failed|SSL alert|alert (bad|unknown|handshake|certificate)|connecting to a PLAINTEXT broker listener/i.test(text)
  return { fatal, text }
}

function hint (text: string, client: string): string {
  if (/SASL|Authentication/i.test(text)) return `Kafka rejected the ${client}'s SASL login: check sasl.mechanism and the credentials in sasl.jaas.config, and that security.protocol matches the broker's listener.`
  if (/PLAINTEXT broker listener/i.test(text)) return 'The listener does not use TLS: check security.protocol.'
  if (/certificate verify failed|verify/i.test(text)) return 'The broker\'s certificate could not be verified: check ssl.truststore.* (the CA that signed it) and ssl.endpoint.identification.algorithm (host name checks).'
  if (/SSL|alert/i.test(text)) return `The TLS handshake failed: check ssl.keystore.* (the ${client}'s certificate, if the broker requires one), ssl.truststore.* and security.protocol.`
  return ''
}

/**
 * One metadata request with `props`, retried with growing timeouts (2 s, 4 s, … within `timeoutMs`). Each attempt is
 * its own client: node-rdkafka's connect blocks a libuv thread until its timeout, and the process cannot exit before
 * that thread returns, so short attempts keep a failed start-up quick.
 */
async function probeCluster (o: ClusterCheckOptions, props: ClientProps, origin: ReadonlyMap<string, string>, client: string): Promise<void> {
  const timeoutMs = o.timeoutMs ?? 30000
  const shown = o.shownBootstrap ?? o.bootstrap
  const deadline = Date.now() + timeoutMs
  let attemptMs = 2000
  let last: { text: string, error: Error | null } = { text: '', error: null }
  for (;;) {
    const result = await attempt(o, props, origin, Math.max(100, Math.min(attemptMs, deadline - Date.now())))
    if (result.ok) {
      o.logger.debug(`Kafka at ${shown} accepted the ${client} settings`)
      return
    }
    if (result.fatal) {
      throw new KafkaError(`Failed to connect to and describe Kafka cluster at ${shown} with the ${client} settings of ${o.where}: ${result.text}. ${hint(result.text, client)}`,
        {}, ErrorCode.KAFKA)
    }
    if (result.text || !last.text) last = { text: result.text, error: result.error }
    if (Date.now() >= deadline - 100) break
    attemptMs *= 2
  }
  const h = last.text ? hint(last.text, client) : ''
  const detail = last.text ? `${last.text}${h ? `. ${h}` : ''}` : (last.error?.message ?? 'no answer')
  throw new KafkaError(`Failed to connect to and describe Kafka cluster at ${shown} within ${timeoutMs} ms: ${detail}. ` +
    'Check the worker\'s bootstrap.servers and security settings, and that the broker is running.', { cause: last.error ?? undefined }, ErrorCode.KAFKA_UNREACHABLE)
}

type Attempt = { ok: true } | { ok: false, fatal: boolean, text: string, error: Error | null }

async function attempt (o: ClusterCheckOptions, props: ClientProps, origin: ReadonlyMap<string, string>, timeoutMs: number): Promise<Attempt> {
  const Kafka = loadRdKafka()
  let producer: InstanceType<typeof Kafka.Producer>
  try {
    producer = new Kafka.Producer({ ...props, 'bootstrap.servers': o.bootstrap, 'client.id': 'connect-cluster-check', event_cb: true } as never)
  } catch (err) {
    throw explainClientConfigError(err, origin, o.where)
  }
  let failure: Failure | null = null
  const onFailure = (message: string): void => {
    const f = classify(message)
    // The first fatal reason wins; otherwise the latest one explains a timeout best.
    if (!failure?.fatal) failure = f
  }
  const onLog = (e: { severity?: number, message?: string }): void => { if ((e.severity ?? 7) <= 4 && e.message) onFailure(e.message) }
  const onError = (e: { message?: string }): void => { if (e.message) onFailure(e.message) }
  producer.on('event.log', onLog)
  producer.on('event.error', onError)
  const err = await new Promise<Error | null>(resolve => { producer.connect({ timeout: timeoutMs }, e => { resolve(e ? Object.assign(new Error(e.message), { code: e.code }) : null) }) })
  producer.removeListener('event.log', onLog)
  producer.removeListener('event.error', onError)
  if (!err) {
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, 2000)
      producer.disconnect(() => { clearTimeout(timer); resolve() })
    })
    return { ok: true }
  }
  // node-rdkafka has already closed the client after a failed connect.
  const f = failure as Failure | null
  return { ok: false, fatal: f?.fatal ?? false, text: f?.text ?? '', error: err }
}
