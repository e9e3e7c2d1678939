// Types of kafka-broker.mjs, for the TypeScript tests that start a broker of their own (the default broker of
// `npm test` is started by run-tests.mjs, which is plain JavaScript).

export interface ExtraListener {
  /** Listener name, e.g. SASL_PLAINTEXT or MTLS; its settings are listener.name.<name lowercased>.* */
  name: string
  /** Security protocol (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL); defaults to the name. */
  protocol?: string
}

export interface ScramCredential {
  mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512'
  name: string
  password: string
}

export interface KafkaBrokerOptions {
  timeoutMs?: number
  serverProperties?: Record<string, string>
  heap?: string
  keepLogs?: boolean
  cds?: boolean
  extraListeners?: ExtraListener[]
  scramCredentials?: ScramCredential[]
}

export interface KafkaBroker {
  /** The PLAINTEXT listener. */
  bootstrapServers: string
  /** Every client listener by upper-case name (PLAINTEXT included), as '127.0.0.1:port'. */
  listeners: Record<string, string>
  logDir: string
  port: number
  controllerPort: number
  pid: number
  startupMs: number
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null, error?: Error }>
  /**
   * Stops the broker in order and starts it again on the same ports and data; `whileDown` runs while it is stopped.
   * Resolves once it serves clients again.
   */
  restart (options?: { whileDown?: () => Promise<void>, timeoutMs?: number }): Promise<void>
  stop (options?: { timeoutMs?: number }): Promise<void>
}

export declare function startKafkaBroker (options?: KafkaBrokerOptions): Promise<KafkaBroker>
