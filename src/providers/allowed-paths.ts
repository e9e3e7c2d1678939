/**
 * `allowed.paths` of the file and directory providers (Apache's AllowedPaths, KIP-993): a comma-separated list of
 * absolute, existing paths; a variable's path is used only when, normalised, it lies inside one of them (path
 * components compared, so /etc/secrets2 is not inside /etc/secrets). Unset: every path is allowed.
 *
 * Beyond Apache's lexical check, symbolic links are resolved before comparing (KAFKA-20700), so a link inside an
 * allowed directory cannot lead outside it.
 */
import { existsSync, realpathSync } from 'node:fs'
import { isAbsolute, normalize, sep } from 'node:path'
import { ConfigDef, ConfigError, type ConfigData, type ConfigProvider } from '../api/index.ts'
import type { Logger } from '../util/logger.ts'

export const ALLOWED_PATHS_CONFIG = 'allowed.paths'
export const ALLOWED_PATHS_DOC = 'A comma separated list of paths that this config provider is allowed to access. If not set, all paths are allowed.'

function inside (path: string, base: string): boolean {
  return path === base || path.startsWith(base.endsWith(sep) ? base : base + sep)
}

function real (path: string): string {
  try {
    return realpathSync(path)
  } catch {
    // A path that does not exist (yet) is judged lexically; reading it fails later anyway.
    return path
  }
}

export class AllowedPaths {
  readonly #allowed: Array<{ lexical: string, real: string }> | null

  constructor (configValue: string | undefined) {
    if (configValue === undefined || configValue === '') {
      this.#allowed = null
      return
    }
    this.#allowed = configValue.split(',').map(p => {
      const normalised = normalize(p.trim())
      if (!isAbsolute(normalised) || !existsSync(normalised)) {
        throw new ConfigError(`Path ${normalised} is not valid. The path should be absolute and exist`)
      }
      return { lexical: normalised, real: real(normalised) }
    })
  }

  /** The path to read, or null when it lies outside `allowed.paths`. */
  allowed (path: string): string | null {
    if (this.#allowed === null) return path
    const normalised = normalize(path)
    if (!isAbsolute(normalised)) return null
    const resolved = real(normalised)
    const ok = this.#allowed.some(a => inside(normalised, a.lexical) && (inside(resolved, a.real) || inside(resolved, a.lexical)))
    return ok ? normalised : null
  }
}

export const ALLOWED_PATHS_CONFIG_DEF = new ConfigDef()
  .define({ name: ALLOWED_PATHS_CONFIG, type: 'string', default: null, importance: 'medium', documentation: ALLOWED_PATHS_DOC })

/**
 * What the file and directory providers share: `allowed.paths`, and the checks every `get` starts with (configured,
 * a path given, the path allowed). Subclasses read the allowed path.
 */
export abstract class PathConfigProvider implements ConfigProvider {
  #allowed: AllowedPaths | null = null
  protected abstract readonly logger: Logger

  config (): ConfigDef { return ALLOWED_PATHS_CONFIG_DEF }

  configure (configs: Readonly<Record<string, string>>): void {
    this.#allowed = new AllowedPaths(configs[ALLOWED_PATHS_CONFIG])
  }

  get (path: string, keys?: ReadonlySet<string>): ConfigData {
    if (this.#allowed === null) throw new ConfigError('The provider has not been configured yet.')
    if (path === '') return { data: {} }
    const resolved = this.#allowed.allowed(path)
    if (resolved === null) {
      this.logger.warn(`The path ${path} is not allowed to be accessed`)
      return { data: {} }
    }
    return { data: this.read(resolved, path, keys) }
  }

  /** The values at an allowed path (`resolved`, as normalised; `path`, as the variable wrote it). */
  protected abstract read (resolved: string, path: string, keys: ReadonlySet<string> | undefined): Record<string, string>
}

/** Sets a value even for a key such as `__proto__`. */
export function setValue (data: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true })
}
