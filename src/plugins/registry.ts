/**
 * The plugin registry: resolves class names and aliases to plugin descriptors, following Kafka's rules
 * (PluginUtils): every plugin answers to its class name, its simple name and its pruned name (the simple name without
 * its kind suffix), and an alias is kept only when it names exactly one class.
 */
import { PluginError, ErrorCode, type PluginDescriptor, type PluginKind, type PluginKinds, type PluginManifest, API_VERSION } from '../api/index.ts'

const SUFFIX: Record<PluginKind, string> = {
  source: 'Connector',
  sink: 'Connector',
  converter: 'Converter',
  header_converter: 'HeaderConverter',
  transformation: 'Transformation',
  predicate: 'Predicate',
  config_provider: 'ConfigProvider'
}


export interface RegisteredPlugin {
  readonly descriptor: PluginDescriptor
  /** Where it came from: 'builtin' or the plugin.path entry. */
  readonly origin: string
}

export function simpleName (className: string): string {
  const dot = className.lastIndexOf('.')
  const simple = dot === -1 ? className : className.slice(dot + 1)
  // Java's simple name of a nested class is the part after '$' (InsertField$Value → Value).
  const dollar = simple.lastIndexOf('$')
  return dollar === -1 ? simple : simple.slice(dollar + 1)
}

export function prunedName (className: string, kind: PluginKind): string | null {
  const simple = simpleName(className)
  const suffix = SUFFIX[kind]
  if (simple.endsWith(suffix) && simple.length > suffix.length) return simple.slice(0, -suffix.length)
  return null
}

export class PluginRegistry {
  readonly #byClass = new Map<string, RegisteredPlugin[]>()
  #aliases: Map<string, Set<string>> | null = null

  register (descriptor: PluginDescriptor, origin = 'builtin'): this {
    const existing = this.#byClass.get(descriptor.className) ?? []
    const clash = existing.find(p => p.descriptor.kind === descriptor.kind)
    if (clash) {
      throw new PluginError(`Plugin ${descriptor.className} (${descriptor.kind}) from ${origin} is already registered from ${clash.origin}`)
    }
    existing.push({ descriptor, origin })
    this.#byClass.set(descriptor.className, existing)
    this.#aliases = null
    return this
  }

  registerManifest (manifest: PluginManifest, origin = 'builtin'): this {
    if (manifest.apiVersion !== API_VERSION) {
      throw new PluginError(`Plugin module ${origin} was built for SPI version ${String(manifest.apiVersion)}, this runner provides version ${API_VERSION}`)
    }
    for (const d of manifest.plugins) this.register(d, origin)
    return this
  }

  clone (): PluginRegistry {
    const copy = new PluginRegistry()
    for (const list of this.#byClass.values()) for (const p of list) copy.register(p.descriptor, p.origin)
    return copy
  }

  list (kinds?: readonly PluginKind[]): RegisteredPlugin[] {
    const out: RegisteredPlugin[] = []
    for (const list of this.#byClass.values()) {
      for (const p of list) if (!kinds || kinds.includes(p.descriptor.kind)) out.push(p)
    }
    return out.sort((a, b) => a.descriptor.className.localeCompare(b.descriptor.className))
  }

  /** Kafka's computed aliases: simple and pruned names that map to exactly one class name. */
  #aliasTable (): Map<string, Set<string>> {
    if (this.#aliases) return this.#aliases
    const table = new Map<string, Set<string>>()
    const add = (alias: string, className: string): void => {
      if (alias === className) return
      const set = table.get(alias) ?? new Set<string>()
      set.add(className)
      table.set(alias, set)
    }
    for (const [className, list] of this.#byClass) {
      for (const { descriptor } of list) {
        add(simpleName(className), className)
        const pruned = prunedName(className, descriptor.kind)
        if (pruned) add(pruned, className)
        for (const a of descriptor.aliases ?? []) add(a, className)
      }
    }
    this.#aliases = table
    return table
  }

  /** Finds a plugin of one of `kinds` by class name or unambiguous alias; undefined when there is none. */
  find<K extends PluginKind> (name: string, kinds: readonly K[]): PluginDescriptor<K> | undefined {
    const pick = (className: string): PluginDescriptor<K> | undefined =>
      this.#byClass.get(className)?.find(p => (kinds as readonly PluginKind[]).includes(p.descriptor.kind))?.descriptor as PluginDescriptor<K> | undefined
    const direct = pick(name)
    if (direct) return direct
    const candidates = this.#aliasTable().get(name)
    if (candidates && candidates.size === 1) return pick([...candidates][0]!)
    return undefined
  }

  /** Resolves `connector.class` as Kafka's Plugins.connectorClass does, with a helpful error. */
  resolveConnector (name: string): PluginDescriptor<'source' | 'sink'> {
    const found = this.find(name, ['source', 'sink'])
    if (found) return found
    const connectors = this.list(['source', 'sink'])
    const matches = connectors.filter(p => {
      const simple = simpleName(p.descriptor.className)
      return simple === name || simple === name + 'Connector'
    })
    if (matches.length === 1) return matches[0]!.descriptor as PluginDescriptor<'source' | 'sink'>
    if (matches.length > 1) {
      throw new PluginError(`More than one connector matches alias ${name}. Please use full package and class name instead. Classes found: ${matches.map(m => m.descriptor.className).join(', ')}`,
        {}, ErrorCode.PLUGIN_NOT_FOUND)
    }
    const names = connectors.flatMap(p => [p.descriptor.className, simpleName(p.descriptor.className), prunedName(p.descriptor.className, p.descriptor.kind) ?? ''])
    throw new PluginError(`Failed to find any class that implements Connector and which name matches ${name}${suggest(name, names)}. ` +
      `Available connectors are: ${connectors.map(p => p.descriptor.className).join(', ') || '(none)'}`, {}, ErrorCode.PLUGIN_NOT_FOUND)
  }

  /** Resolves a CLASS-typed setting (converters, transforms, predicates) with a Kafka-style error. */
  resolve<K extends PluginKind> (name: string, kinds: readonly K[], configKey: string): PluginDescriptor<K> {
    const found = this.find(name, kinds)
    if (found) return found
    const available = this.list(kinds)
    const names = available.flatMap(p => [p.descriptor.className, simpleName(p.descriptor.className)])
    const suggestion = suggest(name, names)
    // Kafka's sentence first; for converters (a worker file copied from Confluent names AvroConverter, say) what to do.
    let hint = ''
    if (suggestion === '' && kinds.some(k => k === 'converter' || k === 'header_converter')) {
      hint = ` It is not built in; the converters that are: ${available.map(p => p.descriptor.className).join(', ') || '(none)'}. ` +
        'Another converter must be a JavaScript plugin module listed in the worker\'s plugin.path (Java classes cannot be loaded).'
    }
    throw new PluginError(`Invalid value ${name} for configuration ${configKey}: Class ${name} could not be found${suggestion}.${hint}`,
      {}, ErrorCode.PLUGIN_NOT_FOUND)
  }

  create<K extends PluginKind> (name: string, kinds: readonly K[], configKey: string): PluginKinds[K] {
    return this.resolve(name, kinds, configKey).create()
  }

  /** Kafka's name for the kind's interface (its class-name suffix). */
  kindName (kind: PluginKind): string { return SUFFIX[kind] }
}

/** ", did you mean X?" for the nearest names by edit distance, or ''. */
export function suggest (name: string, candidates: readonly string[]): string {
  const unique = [...new Set(candidates.filter(Boolean))]
  const scored = unique.map(c => ({ c, d: editDistance(name.toLowerCase(), c.toLowerCase()) }))
    .filter(s => s.d <= Math.max(3, Math.floor(name.length / 3)))
    .sort((a, b) => a.d - b.d || a.c.length - b.c.length)
  if (scored.length === 0) return ''
  return `; did you mean ${scored.slice(0, 3).map(s => s.c).join(' or ')}?`.replace(/\?$/, '')
}

function editDistance (a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = tmp
    }
  }
  return prev[b.length]!
}
