/**
 * The start-up check (Apache's "Failed to connect to and describe Kafka cluster"): librdkafka validates every client
 * setting, then a short-lived client fetches cluster metadata with the producer's settings, and with the consumer's
 * when their security settings differ. librdkafka retries failed connections forever and node-rdkafka reports nothing
 * until its connect timeout, so the probe reads librdkafka's own log events: a rejected SASL login or a failed TLS
 * handshake ends the check at once with librdkafka's explanation, instead of a bare timeout. A broker that cannot be
 * reached (connection refused, a host name DNS does not know, no answer) is worth waiting for within the bound, but a
 * user must not stare at 30 s of silence: the first reason is logged at once, progress every few seconds.
 */
import { ErrorCode, KafkaError } from '../api/index.ts'
import type { Logger } from '../util/logger.ts'
import { explainClientConfigError, JAVA_RECONNECT_DEFAULTS, takeMaxPollRecords, type TranslatedClientConfig, type ClientProps } from './client-config.ts'
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
  /** The worker key that holds the addresses, for messages (default bootstrap.servers). */
  setting?: string
  /** Appended to the error when the cluster cannot be reached at all (the CLI's --embedded-broker hint, say). */
  unreachableHint?: string
}

/** How often a start-up still waiting for Kafka says so: often enough to show life, rarely enough not to flood. */
const PROGRESS_EVERY_MS = 5000
/** With no reason from librdkafka yet (a host that drops packets answers nothing), say what is tried after this. */
const ANNOUNCE_SILENT_AFTER_MS = 2000

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
    // Constructing a consumer validates every consumer.* setting without connecting. max.poll.records is the sink
    // task's batch size, which librdkafka does not know (each task takes it out): checked here, kept out of the probe.
    const global = { ...o.consumer.global }
    takeMaxPollRecords(global)
    const probe = new Kafka.KafkaConsumer({ ...global, 'group.id': 'connect-config-check', 'bootstrap.servers': o.bootstrap } as never, o.consumer.topic as never)
    void probe
  } catch (err) {
    throw explainClientConfigError(err, o.consumer.origin, o.where)
  }
  await probeCluster(o, { ...o.producer.global }, o.producer.origin, 'producer', true)
  const consumerSecurity = securityProps(o.consumer.global)
  if (!sameProps(securityProps(o.producer.global), consumerSecurity)) {
    await probeCluster(o, consumerSecurity, o.consumer.origin, 'consumer', true)
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
      securityProps(merged), o.overrides.origin, o.client, false)
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
 * librdkafka's reason for a failed connection in the words a user searches for: "connection refused", a host name
 * DNS does not know (Node's getaddrinfo ENOTFOUND, which is what the same lookup reports in JavaScript), a timeout.
 * Anything else keeps librdkafka's text, without its connection state suffix.
 */
export function describeConnectFailure (text: string): string {
  const bare = text.replace(/\s*\(after \d+ms in state .*\)\s*$/, '').trim()
  if (/Connection refused/i.test(bare)) return 'connection refused'
  const resolve = /Failed to resolve '([^']*)':\s*(.*)$/i.exec(bare)
  if (resolve) {
    const host = resolve[1]!.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1')
    const why = resolve[2]!
    if (/temporary failure|try again/i.test(why)) return `host name ${host} could not be resolved now (getaddrinfo EAI_AGAIN): check DNS from this machine`
    if (/not known|no address|nodename nor servname|not found/i.test(why)) return `host name ${host} not found (getaddrinfo ENOTFOUND)`
    return `host name ${host} could not be resolved: ${why}`
  }
  if (/timed out/i.test(bare)) return 'connection timed out (no answer: a firewall, or the wrong host or port?)'
  return bare
}

function seconds (ms: number): string {
  return `${ms % 1000 === 0 ? ms / 1000 : (ms / 1000).toFixed(1)} s`
}

/**
 * One metadata request with `props`, retried with growing timeouts (2 s, 4 s, … within `timeoutMs`). Each attempt is
 * its own client: node-rdkafka's connect blocks a libuv thread until its timeout, and the process cannot exit before
 * that thread returns, so short attempts keep a failed start-up quick. With `report`, the wait is logged: the first
 * reason at once, then progress every PROGRESS_EVERY_MS.
 */
async function probeCluster (o: ClusterCheckOptions, props: ClientProps, origin: ReadonlyMap<string, string>, client: string, report: boolean): Promise<void> {
  const timeoutMs = o.timeoutMs ?? 30000
  const shown = o.shownBootstrap ?? o.bootstrap
  const setting = o.setting ?? 'bootstrap.servers'
  const started = Date.now()
  const deadline = started + timeoutMs
  let attemptMs = 2000
  let last: { text: string, error: Error | null } = { text: '', error: null }
  let reason = ''
  let announced = false
  let reportedAt = 0
  const progress = (): void => {
    if (!report) return
    const now = Date.now()
    if (!announced) {
      if (!reason && now - started < ANNOUNCE_SILENT_AFTER_MS) return
      o.logger.warn(`Connecting to Kafka at ${shown} (${setting}): ${reason || 'no answer yet'}; retrying for up to ${seconds(timeoutMs)}`)
      announced = true
      reportedAt = now
    } else if (now - reportedAt >= PROGRESS_EVERY_MS && deadline - now >= 1000) {
      o.logger.warn(`Still cannot connect to Kafka at ${shown} (${setting}) after ${Math.round((now - started) / 1000)} s: ` +
        `${reason || 'no answer'}; giving up in ${Math.round((deadline - now) / 1000)} s`)
      reportedAt = now
    }
  }
  const onFailure = (f: Failure): void => {
    if (f.fatal) return
    // "1/1 brokers are down" follows each refusal and says less than the refusal itself.
    if (reason && /brokers? (are|is) down/i.test(f.text)) return
    reason = describeConnectFailure(f.text)
    progress()
  }
  const ticker = setInterval(progress, 500)
  ticker.unref()
  try {
    for (;;) {
      const result = await attempt(o, props, origin, Math.max(100, Math.min(attemptMs, deadline - Date.now())), onFailure)
      if (result.ok) {
        if (announced) o.logger.info(`Connected to Kafka at ${shown} after ${seconds(Math.round((Date.now() - started) / 100) * 100)}`)
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
  } finally {
    clearInterval(ticker)
  }
  const h = last.text ? hint(last.text, client) : ''
  const detail = reason ? `${reason}${h ? `. ${h}` : ''}` : (last.error?.message ?? 'no answer')
  throw new KafkaError(`Failed to connect to and describe Kafka cluster at ${shown} within ${seconds(timeoutMs)}: ${detail}. ` +
    `Check ${setting} in ${o.where} (host:port of a running broker) and the security settings, and that the broker is running.` +
    (o.unreachableHint ? ` ${o.unreachableHint}` : ''), { cause: last.error ?? undefined }, ErrorCode.KAFKA_UNREACHABLE)
}

type Attempt = { ok: true } | { ok: false, fatal: boolean, text: string, error: Error | null }

async function attempt (o: ClusterCheckOptions, props: ClientProps, origin: ReadonlyMap<string, string>, timeoutMs: number, onReason: (f: Failure) => void): Promise<Attempt> {
  const Kafka = loadRdKafka()
  let producer: InstanceType<typeof Kafka.Producer>
  try {
    // Java's reconnect backoff (props may hold only the security settings): librdkafka's own backs off to 10 s, so
    // within one attempt a broker that starts late would be seen up to 10 s later.
    producer = new Kafka.Producer({ ...JAVA_RECONNECT_DEFAULTS, ...props, 'bootstrap.servers': o.bootstrap, 'client.id': 'connect-cluster-check', event_cb: true } as never)
  } catch (err) {
    throw explainClientConfigError(err, origin, o.where)
  }
  let failure: Failure | null = null
  const onFailure = (message: string): void => {
    const f = classify(message)
    // The first fatal reason wins; otherwise the latest one explains a timeout best.
    if (!failure?.fatal) failure = f
    onReason(f)
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
