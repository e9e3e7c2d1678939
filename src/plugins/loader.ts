/**
 * Loads user plugins from `plugin.path`: a comma-separated list of plugin modules or directories. A directory is
 * either one plugin package (it has a package.json) or a folder of plugin modules and packages. TypeScript plugins are
 * loaded through tsx, registered only when the first .ts file is met, so JS-only setups do not load it.
 */
import Module, { register } from 'node:module'
import { readFile, readdir, stat } from 'node:fs/promises'
import { extname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { PluginError, type PluginDescriptor, type PluginManifest } from '../api/index.ts'
import type { PluginRegistry } from './registry.ts'

const MODULE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'])
const KINDS = new Set(['source', 'sink', 'converter', 'header_converter', 'transformation', 'predicate', 'config_provider'])
let tsxRegistered = false
let pluginHooksRegistered = false

/** The worker's own SPI module: the one every plugin gets for `connect-standalone/api`. */
const API_URL = new URL(import.meta.url.endsWith('.ts') ? '../api/index.ts' : '../api/index.js', import.meta.url).href

/**
 * What a CommonJS plugin (`.cts`, `.cjs`) gets for `require('connect-standalone/api')`. Node 20 cannot hand an ES module
 * to a require() inside CommonJS loaded through module hooks (it fails with "Cannot read properties of undefined
 * (reading 'exports')"), so the require is answered by this small CommonJS module that exports the API namespace the
 * worker already loaded: the same classes as ESM plugins get.
 */
const API_GLOBAL = 'connect-standalone.api'
const API_CJS_URL = new URL('./connect-standalone-api.cjs', API_URL).href
const API_CJS_SOURCE = `module.exports = globalThis[Symbol.for(${JSON.stringify(API_GLOBAL)})]`

/**
 * require() resolves through CommonJS's own resolver first, even inside a module loaded through hooks: without this it
 * finds another copy of the package (or none, for a plugin outside any project). The answer is a file that does not
 * exist: the load hook supplies its source, and a plain CommonJS load finds it already in the require cache.
 */
function routeCommonJsApi (api: unknown): void {
  const cjs = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string
    _cache: Record<string, unknown>
  }
  const shimPath = fileURLToPath(API_CJS_URL)
  const shim = new Module(shimPath)
  shim.filename = shimPath
  shim.loaded = true
  shim.exports = api
  cjs._cache[shimPath] = shim
  const resolveFilename = cjs._resolveFilename
  cjs._resolveFilename = function (request: string, ...rest: unknown[]): string {
    return request === 'connect-standalone/api' ? shimPath : resolveFilename.call(this, request, ...rest)
  }
}

/**
 * Module hooks for plugins, registered once before the first plugin is imported:
 * - `connect-standalone/api` resolves to the running worker's own API module, from wherever the plugin lives: a
 *   plugin outside any project (next to a global install) finds it, and a project with another copy of the package
 *   still shares the worker's classes (ConnectException and its kin are checked with instanceof).
 * - a `.ts` file outside node_modules is an ES module whatever the nearest package.json says. tsx would otherwise
 *   compile it to CommonJS in a default (`"type": "commonjs"`) project, whose require() of the ESM API then fails
 *   with Node's obscure "require(esm) ... cycle" error. Plugins use import/export; `.cts` stays CommonJS.
 */
function pluginHooksSource (apiUrl: string): string {
  return `
const API = ${JSON.stringify(apiUrl)}
const API_CJS = ${JSON.stringify(API_CJS_URL)}
export async function resolve (specifier, context, nextResolve) {
  if (specifier === 'connect-standalone/api') return { url: API, format: 'module', shortCircuit: true }
  if (specifier === API_CJS) return { url: API_CJS, format: 'commonjs', shortCircuit: true }
  const resolved = await nextResolve(specifier, context)
  if (resolved.url.startsWith('file:') && !resolved.url.includes('/node_modules/') && /\\.m?ts$/.test(new URL(resolved.url).pathname)) {
    return { ...resolved, format: 'module' }
  }
  return resolved
}
export async function load (url, context, nextLoad) {
  if (url === API_CJS) return { format: 'commonjs', source: ${JSON.stringify(API_CJS_SOURCE)}, shortCircuit: true }
  return nextLoad(url, context)
}
`
}

export async function loadPluginPath (entries: readonly string[], registry: PluginRegistry): Promise<string[]> {
  const loaded: string[] = []
  for (const raw of entries) {
    const entry = resolve(raw)
    let info
    try {
      info = await stat(entry)
    } catch (err) {
      throw new PluginError(`plugin.path entry '${raw}' cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err })
    }
    const modules = info.isDirectory() ? await modulesIn(entry) : [entry]
    for (const file of modules) {
      registry.registerManifest(await importManifest(file), file)
      loaded.push(file)
    }
  }
  return loaded
}

async function modulesIn (dir: string): Promise<string[]> {
  const pkgMain = await packageMain(dir)
  if (pkgMain) return [pkgMain]
  const out: string[] = []
  for (const dirent of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (dirent.name.startsWith('.') || dirent.name === 'node_modules') continue
    const full = join(dir, dirent.name)
    if (dirent.isDirectory()) {
      const main = await packageMain(full) ?? await indexFile(full)
      if (main) out.push(main)
    } else if (MODULE_EXTENSIONS.has(extname(dirent.name)) && !dirent.name.endsWith('.d.ts') && !/\.test\.[cm]?[jt]s$/.test(dirent.name)) {
      out.push(full)
    }
  }
  return out
}

async function packageMain (dir: string): Promise<string | null> {
  let pkg: { main?: string, exports?: unknown }
  try {
    pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as typeof pkg
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new PluginError(`Cannot read ${join(dir, 'package.json')}: ${(err as Error).message}`, { cause: err })
  }
  const exp = typeof pkg.exports === 'string' ? pkg.exports : undefined
  const main = exp ?? pkg.main
  if (main) return join(dir, main)
  return await indexFile(dir) ?? (() => { throw new PluginError(`Plugin package ${dir} has no "main" and no index file`) })()
}

async function indexFile (dir: string): Promise<string | null> {
  for (const name of ['index.js', 'index.mjs', 'index.ts', 'index.mts']) {
    try {
      await stat(join(dir, name))
      return join(dir, name)
    } catch {}
  }
  return null
}

async function importManifest (file: string): Promise<PluginManifest> {
  if (/\.[cm]?ts$/.test(file) && !tsxRegistered) {
    const tsx = await import('tsx/esm/api')
    tsx.register()
    tsxRegistered = true
  }
  if (!pluginHooksRegistered) {
    const api: unknown = await import(API_URL)
    ;(globalThis as Record<symbol, unknown>)[Symbol.for(API_GLOBAL)] = api
    routeCommonJsApi(api)
    register(`data:text/javascript,${encodeURIComponent(pluginHooksSource(API_URL))}`)
    pluginHooksRegistered = true
  }
  let mod: { default?: unknown }
  try {
    mod = await import(pathToFileURL(file).href) as { default?: unknown }
  } catch (err) {
    throw new PluginError(`Cannot load plugin module ${file}: ${(err as Error).message}`, { cause: err })
  }
  return checkManifest(mod.default, file)
}

/** Checks the manifest's shape before anything is registered, naming the module and the faulty field. */
export function checkManifest (value: unknown, file: string): PluginManifest {
  const fail = (what: string): never => {
    throw new PluginError(`Plugin module ${file} ${what}. A plugin module must default-export definePlugins([...]) from connect-standalone/api.`)
  }
  if (typeof value !== 'object' || value === null) fail('has no default export')
  const manifest = value as Partial<PluginManifest>
  if (typeof manifest.apiVersion !== 'number') fail('default export has no numeric apiVersion')
  if (!Array.isArray(manifest.plugins)) fail('default export has no plugins array')
  manifest.plugins!.forEach((p: Partial<PluginDescriptor>, i: number) => {
    if (typeof p !== 'object' || p === null) fail(`plugins[${i}] is not an object`)
    if (!KINDS.has(String(p.kind))) fail(`plugins[${i}].kind is ${JSON.stringify(p.kind)}; expected one of ${[...KINDS].join(', ')}`)
    if (typeof p.className !== 'string' || p.className === '') fail(`plugins[${i}].className must be a non-empty string`)
    if (typeof p.version !== 'string') fail(`plugins[${i}].version must be a string`)
    if (typeof p.create !== 'function') fail(`plugins[${i}].create must be a function`)
  })
  return manifest as PluginManifest
}
