/** Builds the REST server with every resource of Apache's standalone worker. */
import { addConnectorPluginsRoutes } from './connector-plugins-resource.ts'
import { addConnectorsRoutes } from './connectors-resource.ts'
import { HerderRef } from './herder-ref.ts'
import { addLoggersRoutes } from './loggers-resource.ts'
import { addMetricsRoutes } from './metrics-resource.ts'
import { RestServer } from './rest-server.ts'
import type { RestSecurity } from './rest-security.ts'
import type { RestListener } from './rest-server-config.ts'
import type { MetricsScrape } from '../runtime/herder.ts'
import { addRootRoutes } from './root-resource.ts'

export interface ConnectRestApiOptions {
  listeners: readonly RestListener[]
  requestTimeoutMs?: number
  /** The Kafka cluster id for `GET /`, once known. */
  clusterId?: () => string | null
  /** TLS, authentication, CORS, response headers and the body limit (rest-security.ts). */
  security?: RestSecurity
  /** GET /metrics; absent (metrics.enabled=false), the path is a 404. */
  metrics?: MetricsScrape | null
}

export interface ConnectRestApi { server: RestServer, herderRef: HerderRef }

export function createConnectRestApi (options: ConnectRestApiOptions): ConnectRestApi {
  const server = new RestServer({
    listeners: options.listeners,
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.security
      ? {
          ...(options.security.tls ? { tls: options.security.tls } : {}),
          authenticator: options.security.authenticator,
          cors: options.security.cors,
          responseHeaders: options.security.responseHeaders,
          maxBodyBytes: options.security.maxBodyBytes
        }
      : {})
  })
  const herderRef = new HerderRef()
  addRootRoutes(server.router, herderRef, options.clusterId ?? (() => null))
  addConnectorsRoutes(server.router, herderRef)
  addConnectorPluginsRoutes(server.router, herderRef)
  addLoggersRoutes(server.router)
  addMetricsRoutes(server.router, options.metrics ?? null)
  return { server, herderRef }
}
