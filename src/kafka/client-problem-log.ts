/**
 * What a Kafka client logs about its problems. While a broker is away librdkafka reports it again and again, from its
 * own threads, with text that varies from one report to the next ("after 0ms in state CONNECT", "1 identical error(s)
 * suppressed", the broker's id after its address): a check for the same text as last time let several warnings a
 * second through, and none said which connector they came from. Here:
 *
 * - each kind of problem (the normalised text, per client) is logged when it first occurs, naming Kafka's address;
 * - a connection problem starts an outage: while it lasts, one summary every SUMMARY_EVERY_MS says how long and how
 *   many similar messages were held back, and one line says when Kafka answers again (a metadata request, tried every
 *   PROBE_EVERY_MS, is the proof);
 * - any other problem is logged again at most once per SUMMARY_EVERY_MS, with the count held back meanwhile;
 * - a fatal error is always logged, at once;
 * - every line carries the log context of the code that created the client (the connector and task), which
 *   librdkafka's callbacks lose.
 */
import { currentLogContext, withLogContext, type Logger } from '../util/logger.ts'

/** How often an outage, or a repeating problem, is summarised. */
export const SUMMARY_EVERY_MS = 30000
/**
 * How often a client in an outage asks Kafka for metadata to notice its return, and the probe's own timeout. The probe
 * holds one of libuv's four threadpool threads while it waits (consume() calls and file I/O need them too), so it is
 * short and seldom: with many clients in an outage, long probes would starve the tasks that resume after it.
 */
export const PROBE_EVERY_MS = 2000
export const PROBE_TIMEOUT_MS = 250

/** Remembered kinds of problems other than connection ones, at most (the oldest are forgotten first). */
const MAX_KINDS = 100

/**
 * librdkafka's reports that say only that connections are down, not which or why: after the first line of an outage
 * they add nothing, whichever came first.
 */
const GENERIC_CONNECTION_PROBLEM = /^(Local: )?(all broker connections are down|broker transport failure|brokers are down)$/i
const GENERIC = '(connections down)'

/**
 * Kafka is taken as back when it answered a request and no connection problem was reported for this long: in a
 * cluster with one broker down the others answer, while reports about that one keep coming.
 */
export const QUIET_MS = 2000

/** librdkafka's words for a broker connection that failed, dropped or is down: such a problem starts an outage. */
const CONNECTION_PROBLEM = /all broker connections are down|broker transport failure|brokers? (are|is) down|Connect to \S+ failed|Disconnected|Connection refused|Connection reset|timed out|Failed to resolve|Receive failed|Send failed|Broker handle destroyed/i

/**
 * A problem's kind: its text without what varies between reports of the same problem (librdkafka's thread name, time
 * in state and state, its own suppression count, the broker id after an address, a count of brokers down).
 */
export function normaliseProblem (text: string): string {
  return text
    .replace(/^\[thrd:[^\]]*\]:\s*/, '')
    .replace(/,?\s*\d+ identical error\(s\) suppressed/g, '')
    .replace(/\s*\(after -?\d+ms in state [^)]*\)/g, '')
    .replace(/^GroupCoordinator(\/\d+)?:\s*/, '')
    .replace(/(\S+:\d+)\/(\d+|bootstrap)\b/g, '$1')
    .replace(/\b\d+\/\d+ brokers? (are|is) down/g, 'brokers are down')
    .replace(/\s+/g, ' ')
    .trim()
}

export function isConnectionProblem (text: string): boolean {
  return CONNECTION_PROBLEM.test(text)
}

/** A word of explanation for librdkafka's most common connection failures. */
function meaning (text: string): string {
  if (/Connection refused/i.test(text)) return ' (nothing accepts connections there: is the broker running?)'
  if (/Failed to resolve/i.test(text)) return ' (the host name does not resolve: check DNS)'
  if (/timed out/i.test(text)) return ' (no answer: a firewall, or the wrong host or port?)'
  return ''
}

function seconds (ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10000 ? 1 : 0)} s`
}

export interface ClientProblemLogOptions {
  logger: Logger
  /** How lines name the client, e.g. "Kafka consumer connector-consumer-my-sink-0". */
  client: string
  /** The client's bootstrap.servers, named in every outage line. */
  bootstrap: string
  /** Resolves true when Kafka answered a request (the outage is over). */
  probe: () => Promise<boolean>
  now?: () => number
  probeEveryMs?: number
  summaryEveryMs?: number
}

interface Outage {
  since: number
  summarisedAt: number
  /** Connection problems already logged in this outage. */
  seen: Set<string>
  /** Reports held back since the last line about this outage. */
  suppressed: number
  last: string
  lastReportAt: number
}

export class ClientProblemLog {
  readonly #o: ClientProblemLogOptions
  readonly #context: string | undefined
  readonly #now: () => number
  readonly #summaryEveryMs: number
  readonly #others = new Map<string, { loggedAt: number, suppressed: number }>()
  #outage: Outage | null = null
  #timer: NodeJS.Timeout | null = null
  #probing = false
  #closed = false

  constructor (options: ClientProblemLogOptions) {
    this.#o = options
    // Taken now: librdkafka's events arrive later, outside the task's context.
    this.#context = currentLogContext()
    this.#now = options.now ?? Date.now
    this.#summaryEveryMs = options.summaryEveryMs ?? SUMMARY_EVERY_MS
  }

  /** True while a connection problem was reported and Kafka has not answered since. */
  get inOutage (): boolean { return this.#outage !== null }

  /** One problem report from librdkafka (an error event, a warning log line, a transient consume error). */
  report (text: string, options: { fatal?: boolean } = {}): void {
    if (this.#closed) return
    if (options.fatal === true) {
      this.#emit(l => l.error(`${this.#o.client}: fatal error: ${text}`))
      return
    }
    const kind = normaliseProblem(text)
    if (isConnectionProblem(kind)) this.#connectionProblem(kind)
    else this.#otherProblem(kind)
  }

  /** Kafka answered: ends an outage, with one line. */
  recovered (): void {
    const outage = this.#outage
    if (outage === null) return
    this.#outage = null
    this.#stopProbing()
    const held = outage.suppressed > 0 ? `; ${outage.suppressed} similar messages were suppressed` : ''
    this.#emit(l => l.info(`${this.#o.client}: connection to Kafka at ${this.#o.bootstrap} restored after ${seconds(this.#now() - outage.since)}${held}`))
  }

  /** The client is closing: no more lines, no more probes. */
  close (): void {
    this.#closed = true
    this.#stopProbing()
  }

  #connectionProblem (kind: string): void {
    const now = this.#now()
    const key = GENERIC_CONNECTION_PROBLEM.test(kind) ? GENERIC : kind
    let outage = this.#outage
    if (outage === null) {
      // The reports that say only "down" add nothing to the first line, whichever it was.
      outage = this.#outage = { since: now, summarisedAt: now, seen: new Set([key, GENERIC]), suppressed: 0, last: kind, lastReportAt: now }
      this.#emit(l => l.warn(`${this.#o.client} lost its connection to Kafka at ${this.#o.bootstrap}: ${kind}${meaning(kind)}. ` +
        `It keeps retrying and the task resumes when Kafka answers; repeats are summarised every ${seconds(this.#summaryEveryMs)}`))
      this.#startProbing()
      return
    }
    outage.lastReportAt = now
    if (key !== GENERIC) outage.last = kind
    if (outage.seen.has(key)) { outage.suppressed++; return }
    outage.seen.add(key)
    const since = outage.since
    this.#emit(l => l.warn(`${this.#o.client}: ${kind}${meaning(kind)} (Kafka at ${this.#o.bootstrap} unreachable for ${seconds(now - since)})`))
  }

  #otherProblem (kind: string): void {
    const now = this.#now()
    const seen = this.#others.get(kind)
    if (seen !== undefined && now - seen.loggedAt < this.#summaryEveryMs) { seen.suppressed++; return }
    const held = seen !== undefined && seen.suppressed > 0 ? ` (${seen.suppressed} similar messages suppressed in the last ${seconds(now - seen.loggedAt)})` : ''
    this.#others.delete(kind)
    this.#others.set(kind, { loggedAt: now, suppressed: 0 })
    if (this.#others.size > MAX_KINDS) this.#others.delete(this.#others.keys().next().value!)
    this.#emit(l => l.warn(`${this.#o.client}: ${kind} (retrying)${held}`))
  }

  #startProbing (): void {
    if (this.#timer !== null || this.#closed) return
    this.#timer = setInterval(() => { this.#tick() }, this.#o.probeEveryMs ?? PROBE_EVERY_MS)
    // An outage must not keep the process alive.
    this.#timer.unref()
  }

  #stopProbing (): void {
    if (this.#timer !== null) clearInterval(this.#timer)
    this.#timer = null
  }

  #tick (): void {
    const outage = this.#outage
    if (outage === null || this.#closed) { this.#stopProbing(); return }
    const now = this.#now()
    if (now - outage.summarisedAt >= this.#summaryEveryMs) {
      const held = outage.suppressed
      outage.summarisedAt = now
      outage.suppressed = 0
      this.#emit(l => l.warn(`${this.#o.client}: Kafka at ${this.#o.bootstrap} still unreachable after ${seconds(now - outage.since)} ` +
        `(last: ${outage.last}); ${held} similar messages suppressed`))
    }
    // A probe's answer counts only after a quiet spell, so none is sent while librdkafka still reports failures.
    if (this.#probing || now - outage.lastReportAt < QUIET_MS) return
    this.#probing = true
    this.#o.probe().then(ok => {
      this.#probing = false
      if (ok && !this.#closed && this.#outage === outage && this.#now() - outage.lastReportAt >= QUIET_MS) this.recovered()
    }, () => { this.#probing = false })
  }

  #emit (write: (logger: Logger) => void): void {
    if (this.#context === undefined) write(this.#o.logger)
    else withLogContext(this.#context, () => { write(this.#o.logger) })
  }
}
