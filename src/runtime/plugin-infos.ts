/**
 * The plugin listings of /connector-plugins (Apache's ConnectorPluginsResource and AbstractHerder's
 * connectorPluginConfig): which plugins the registry holds, in Apache's order, and a plugin's config keys.
 */
import { NotFoundError, type PluginDescriptor, type PluginKind } from '../api/index.ts'
import type { PluginRegistry } from '../plugins/registry.ts'
import type { ConfigKeyInfo, PluginInfo } from '../rest/entities.ts'
import { configKeyInfo, frameworkKeys } from './config-infos.ts'

/** Apache's listing order of plugin types. */
const LIST_ORDER: readonly PluginKind[] = ['sink', 'source', 'transformation', 'predicate', 'converter', 'header_converter']
/** Apache's PluginType.from order when a class is several kinds at once (StringConverter is a converter first). */
const LOOKUP_ORDER: readonly PluginKind[] = ['sink', 'source', 'converter', 'header_converter', 'transformation', 'predicate']

const byJavaOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

export function connectorPlugins (registry: PluginRegistry, connectorsOnly: boolean): PluginInfo[] {
  const kinds = connectorsOnly ? LIST_ORDER.slice(0, 2) : LIST_ORDER
  const out: PluginInfo[] = []
  for (const kind of kinds) {
    const plugins = registry.list([kind]).map(p => p.descriptor)
      .sort((a, b) => byJavaOrder(a.className, b.className) || byJavaOrder(a.version, b.version))
    for (const d of plugins) out.push(pluginInfo(d))
  }
  return out
}

export function connectorPluginConfig (registry: PluginRegistry, name: string): ConfigKeyInfo[] {
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
    for (const k of framework) if (!names.has(k.name)) out.push(configKeyInfo(k))
  }
  return out
}

function pluginInfo (d: PluginDescriptor): PluginInfo {
  const info: PluginInfo = { class: d.className, type: d.kind }
  if (d.version !== 'undefined') info.version = d.version
  return info
}
