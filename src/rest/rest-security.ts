/**
 * The REST API's security settings, from its RestServerConfig: TLS for https listeners, basic authentication
 * (rest.extension.classes / JAAS, or rest.basic.auth.credentials.file), CORS, extra response headers and the
 * request body limit. Everything is checked at start-up; a problem is a ConfigError naming the key (exit code 2).
 */
import { ConfigError } from '../api/index.ts'
import type { Logger } from '../util/logger.ts'
import {
  BASIC_AUTH_EXTENSION_CLASS, BASIC_AUTH_EXTENSION_NAMES, loadBasicAuthenticator, type BasicAuthenticator
} from './basic-auth.ts'
import { CorsPolicy } from './cors.ts'
import { parseResponseHeaderRules, type HeaderRule } from './response-headers.ts'
import type { RestServerConfig } from './rest-server-config.ts'
import { restTlsSettings, type RestTlsSettings } from './tls-options.ts'

export const REST_EXTENSION_CLASSES_CONFIG = 'rest.extension.classes'
/** Beyond Apache (Jetty reads bodies of any size): requests with a larger body get 413. */
export const REST_REQUEST_BODY_MAX_BYTES_CONFIG = 'rest.request.body.max.bytes'
export const REST_REQUEST_BODY_MAX_BYTES_DEFAULT = 1024 * 1024

export interface RestSecurity {
  tls?: RestTlsSettings
  authenticator: BasicAuthenticator | null
  cors: CorsPolicy | null
  responseHeaders: readonly HeaderRule[]
  maxBodyBytes: number
}

/** Checks rest.extension.classes: only Apache's basic authentication extension exists here. */
export function basicAuthExtensionListed (classes: readonly string[]): boolean {
  let listed = false
  for (const name of classes) {
    if (BASIC_AUTH_EXTENSION_NAMES.includes(name)) {
      listed = true
      continue
    }
    throw new ConfigError(`Invalid value ${classes.join(',')} for configuration ${REST_EXTENSION_CLASSES_CONFIG}: unknown REST extension ${name}. ` +
      `connect-standalone runs no Java REST extensions; it has ${BASIC_AUTH_EXTENSION_CLASS} built in (see "Securing the REST API" in the README)`)
  }
  return listed
}

export async function restSecurity (config: RestServerConfig, env: NodeJS.ProcessEnv, log?: Logger): Promise<RestSecurity> {
  const security: RestSecurity = {
    authenticator: null,
    cors: null,
    responseHeaders: parseResponseHeaderRules(config.responseHeaders),
    maxBodyBytes: config.maxBodyBytes
  }
  if (config.listeners.some(l => l.protocol === 'https')) {
    security.tls = restTlsSettings(config.originals)
    for (const w of security.tls.warnings) log?.warn(w)
    log?.info(`REST https listeners: ${security.tls.summary}`)
  }
  security.authenticator = await loadBasicAuthenticator({
    extensionEnabled: basicAuthExtensionListed(config.extensionClasses),
    jaasConfigFile: config.basicAuthJaasConfigFile,
    credentialsFile: config.basicAuthCredentialsFile,
    kafkaOpts: env.KAFKA_OPTS
  })
  if (security.authenticator) log?.info(`REST API basic authentication on: ${security.authenticator.description}`)
  const origin = config.corsAllowedOrigins
  if (origin.trim() !== '') {
    // Browsers send Authorization only when the preflight allows it.
    security.cors = new CorsPolicy(origin, config.corsAllowedMethods, security.authenticator ? ['Authorization'] : [])
  }
  return security
}
