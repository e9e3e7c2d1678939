/**
 * /connector-plugins: Apache's ConnectorPluginsResource (plugin list, a plugin's config definition, and the
 * validation endpoint, which shares the herder's one validation path with POST/PUT/PATCH).
 */
import { BadRequestError } from './errors.ts'
import { configFromBody, queryBoolean, type HerderRef } from './herder-ref.ts'
import { connectorConfigSchema } from './request-schemas.ts'
import type { Router } from './router.ts'

/** Apache's normalisation for the validate path check: a trailing "Connector" does not count. */
function normalizedPluginName (name: string): string {
  return name.endsWith('Connector') && name.length > 'Connector'.length ? name.slice(0, -'Connector'.length) : name
}

/**
 * The body field the validate endpoint compares with the plugin in its path. It is the connector config's
 * `connector.class`, named here because the REST layer reads request bodies and may not reach into the config layer.
 */
const CONNECTOR_CLASS_FIELD = 'connector.class'

export function addConnectorPluginsRoutes (router: Router, ref: HerderRef): void {
  router.add('GET', '/connector-plugins', req => {
    const connectorsOnly = queryBoolean(req.query, 'connectorsOnly', true)
    return { status: 200, body: ref.herder.connectorPlugins(connectorsOnly) }
  })

  router.add('GET', '/connector-plugins/{plugin}/config', req => ({ status: 200, body: ref.herder.connectorPluginConfig(req.params.plugin!) }))

  router.add('PUT', '/connector-plugins/{plugin}/config/validate', async req => {
    const pluginName = req.params.plugin!
    const { config, nullKeys } = configFromBody(req.body as Record<string, unknown>)
    const included = config[CONNECTOR_CLASS_FIELD]
    if (included !== undefined && !normalizedPluginName(included).endsWith(normalizedPluginName(pluginName))) {
      throw new BadRequestError(`Included connector type ${included} does not match request type ${pluginName}`)
    }
    return { status: 200, body: await ref.herder.validate(config, nullKeys) }
  }, { body: connectorConfigSchema })
}

