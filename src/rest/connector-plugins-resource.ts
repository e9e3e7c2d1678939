/**
 * /connector-plugins: Apache's ConnectorPluginsResource (plugin list, a plugin's config definition, and the
 * validation endpoint, which shares the herder's one validation path with POST/PUT/PATCH).
 */
import { BadRequestError, NotFoundError, type PluginDescriptor, type PluginKind } from '../api/index.ts'
import { CONNECTOR_CLASS_CONFIG } from '../config/connector-config.ts'
import { configKeyInfo, frameworkKeys } from '../runtime/config-infos.ts'
import type { ConfigKeyInfo, PluginInfo } from './entities.ts'
import { configFromBody, queryBoolean, type HerderRef } from './herder-ref.ts'
import { connectorConfigSchema } from './request-schemas.ts'
import type { Router } from './router.ts'

/** Apache's listing order of plugin types. */
const LIST_ORDER: readonly PluginKind[] = ['sink', 'source', 'transformation', 'predicate', 'converter', 'header_converter']
/** Apache's PluginType.from order when a class is several kinds at once (StringConverter is a converter first). */
const LOOKUP_ORDER: readonly PluginKind[] = ['sink', 'source', 'converter', 'header_converter', 'transformation', 'predicate']

const byJavaOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Apache's normalisation for the validate path check: a trailing "Connector" does not count. */
function normalizedPluginName (name: string): string {
  return name.endsWith('Connector') && name.length > 'Connector'.length ? name.slice(0, -'Connector'.length) : name
}

export function addConnectorPluginsRoutes (router: Router, ref: HerderRef): void {
  router.add('GET', '/connector-plugins', req => {
    const connectorsOnly = queryBoolean(req.query, 'connectorsOnly', true)
    const kinds = connectorsOnly ? LIST_ORDER.slice(0, 2) : LIST_ORDER
    const out: PluginInfo[] = []
    for (const kind of kinds) {
      const plugins = ref.herder.registry.list([kind]).map(p => p.descriptor)
        .sort((a, b) => byJavaOrder(a.className, b.className) || byJavaOrder(a.version, b.version))
      for (const d of plugins) out.push(pluginInfo(d))
    }
    return { status: 200, body: out }
  })

  router.add('GET', '/connector-plugins/{plugin}/config', req => {
    const name = req.params.plugin!
    const registry = ref.herder.registry
    let found: PluginDescriptor | undefined
    for (const kind of LOOKUP_ORDER) {
      found = registry.find(name, [kind])
      if (found) break
    }
    if (!found) throw new NotFoundError(`Unknown plugin ${name}.`)
    const instance = found.create()
    const own = instance.config().keys()
    const out: ConfigKeyInfo[] = own.map(k => configKeyInfo(k))
    if (found.kind === 'sink' || found.kind === 'source') {
      const names = new Set(own.map(k => k.name))
      // Without a connector config there are no converters to know the versions of (Apache lists null defaults).
      const framework = frameworkKeys(found.kind, { connector: found.version, key: null, value: null, header: null })
      for (const k of framework) if (!names.has(k.name)) out.push(configKeyInfo(k, true))
    }
    return { status: 200, body: out }
  })

  router.add('PUT', '/connector-plugins/{plugin}/config/validate', async req => {
    const pluginName = req.params.plugin!
    const { config, nullKeys } = configFromBody(req.body as Record<string, unknown>)
    const included = config[CONNECTOR_CLASS_CONFIG]
    if (included !== undefined && !normalizedPluginName(included).endsWith(normalizedPluginName(pluginName))) {
      throw new BadRequestError(`Included connector type ${included} does not match request type ${pluginName}`)
    }
    return { status: 200, body: await ref.herder.validate(config, nullKeys) }
  }, { body: connectorConfigSchema })
}

function pluginInfo (d: PluginDescriptor): PluginInfo {
  const info: PluginInfo = { class: d.className, type: d.kind }
  if (d.version !== 'undefined') info.version = d.version
  return info
}
